//! What can go wrong with a provider, a webhook or a submitted transfer.

use nebula_engine::ShopError;
use nebula_engine::executor::ExecError;
use nebula_engine::payment::Provider;

use crate::tron::TransferRefusal;

/// A provider's API did not do what was asked. Never carries a key or a secret.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("no {} account is configured", .0.label())]
    NotConfigured(Provider),
    #[error("the provider could not be reached: {0}")]
    Unreachable(String),
    /// The provider answered with an error status.
    #[error("the provider refused ({status}): {detail}")]
    Rejected { status: u16, detail: String },
    #[error("the provider's answer could not be read: {0}")]
    Malformed(String),
}

impl ProviderError {
    /// Whether trying again later can help: the network, a 5xx or a 429.
    pub fn is_transient(&self) -> bool {
        match self {
            ProviderError::Unreachable(_) => true,
            ProviderError::Rejected { status, .. } => *status >= 500 || *status == 429,
            ProviderError::NotConfigured(_) | ProviderError::Malformed(_) => false,
        }
    }

    pub fn into_exec(self) -> ExecError {
        if self.is_transient() {
            ExecError::transient(self.to_string())
        } else {
            ExecError::permanent(self.to_string())
        }
    }
}

/// Why a webhook was not acted on. [`WebhookError::status`] is what the provider is answered:
/// a 4xx for what it must not send again as it is, a 503 for what it should retry.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("this provider is not configured")]
    NotConfigured,
    #[error("the signature is missing or does not match the body")]
    BadSignature,
    #[error("the event is too old (or from the future): its timestamp is {age_secs} s from now")]
    Stale { age_secs: i64 },
    #[error("the event could not be read: {0}")]
    Malformed(String),
    #[error("the event is for another store or account")]
    OtherAccount,
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error("the shop could not take the payment: {0}")]
    Shop(ShopError),
}

impl WebhookError {
    pub fn status(&self) -> u16 {
        match self {
            WebhookError::NotConfigured => 404,
            WebhookError::BadSignature => 401,
            WebhookError::Stale { .. }
            | WebhookError::Malformed(_)
            | WebhookError::OtherAccount => 400,
            // The payment may be real: the provider retries, and the reconciliation job asks.
            WebhookError::Provider(_) => 503,
            WebhookError::Shop(ShopError::Rejected(_)) => 409,
            WebhookError::Shop(_) => 503,
        }
    }
}

/// Why a submitted TRON transaction id did not pay the order.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("USDT payments are not configured")]
    NotConfigured,
    #[error("{0}")]
    Refused(#[from] TransferRefusal),
    #[error("the TRON network could not be asked right now; please try again in a minute")]
    Provider(#[from] ProviderError),
    #[error("{0}")]
    Shop(ShopError),
}
