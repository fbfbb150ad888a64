//! The one place errors become words: a short polite message for the user, the detail for the
//! log.

use nebula_engine::error::Rejection;
use nebula_engine::trial::TrialRefusal;
use nebula_engine::{ShopError, order::ReviewOutcome};

use super::render;
use crate::i18n::{Locale, format};
use crate::tr;
use nebula_plugins::InstallError;
use tracing::{error, warn};

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Shop(#[from] ShopError),
    #[error(transparent)]
    Policy(#[from] InstallError),
    #[error(transparent)]
    Gateway(#[from] nebula_gateway::client::ClientError),
    /// Boxed: serenity's error is large and would bloat every `Result` in the bot.
    #[error(transparent)]
    Discord(Box<serenity::Error>),
    #[error("not an admin")]
    NotAdmin,
    #[error("the shop is not set up")]
    NotSetUp,
    /// Bad input from the user, already worded for them.
    #[error("{0}")]
    Input(String),
}

impl From<serenity::Error> for BotError {
    fn from(e: serenity::Error) -> Self {
        BotError::Discord(Box::new(e))
    }
}

impl BotError {
    /// What the user is told, in their language. Never a stack of internals.
    pub fn polite(&self, l: Locale) -> String {
        match self {
            BotError::Shop(e) => shop_message(l, e),
            BotError::Policy(e) => match e {
                InstallError::Shop(inner) => shop_message(l, inner),
                InstallError::Internal(_) => tr!(l, "error-internal"),
                other => tr!(l, "error-policy-not-installed", why = other.to_string()),
            },
            BotError::Gateway(e) => tr!(l, "error-gateway", why = gateway_message(l, e)),
            BotError::Discord(_) => tr!(l, "error-discord"),
            BotError::NotAdmin => tr!(l, "error-not-admin"),
            BotError::NotSetUp => tr!(l, "error-not-set-up"),
            BotError::Input(text) => text.clone(),
        }
    }

    /// Logs the detail at the level it deserves.
    pub fn log(&self, what: &str) {
        match self {
            BotError::Shop(
                ShopError::Rejected(_)
                | ShopError::PricingRejected { .. }
                | ShopError::NotFound { .. },
            )
            | BotError::Shop(
                ShopError::Invalid(_) | ShopError::InvalidId(_) | ShopError::AlreadyExists { .. },
            )
            | BotError::NotAdmin
            | BotError::Input(_) => tracing::info!(%what, reason = %self, "refused"),
            BotError::Shop(ShopError::Store(_)) | BotError::Policy(InstallError::Internal(_)) => {
                error!(%what, error = %self, "failed")
            }
            _ => warn!(%what, error = %self, "failed"),
        }
    }
}

fn shop_message(l: Locale, e: &ShopError) -> String {
    match e {
        ShopError::Rejected(r) => rejection(l, r),
        ShopError::NotFound { id, .. } => tr!(l, "error-not-found", id = id),
        ShopError::AlreadyExists { id, .. } => tr!(l, "error-exists", id = id),
        ShopError::Invalid(i) => tr!(l, "error-invalid", why = i.to_string()),
        ShopError::InvalidId(i) => tr!(l, "error-invalid", why = i.to_string()),
        ShopError::Money(m) => tr!(l, "error-money", why = m.to_string()),
        // The pricing policy's own words.
        ShopError::PricingRejected { reason } => reason.clone(),
        ShopError::Trial(t) => trial_refusal(l, t),
        ShopError::NoPaymentMethod => tr!(l, "error-no-method"),
        ShopError::Policy(_) => tr!(l, "error-policy"),
        ShopError::Store(_) => tr!(l, "error-store"),
    }
}

/// An order the engine refused to move, in words.
pub fn rejection(l: Locale, r: &Rejection) -> String {
    match r {
        Rejection::NotAllowedNow { state, .. } => tr!(
            l,
            "rejection-not-allowed-now",
            state = render::state_text(l, *state)
        ),
        Rejection::NotYourOrder { .. } => tr!(l, "rejection-not-your-order"),
        Rejection::AdminOnly => tr!(l, "error-not-admin"),
        Rejection::SystemOnly => tr!(l, "rejection-system-only"),
        Rejection::AlreadyDecided { outcome, by } => {
            let admin = format!("<@{by}>");
            match outcome {
                ReviewOutcome::Approved => tr!(l, "error-already-approved", admin = admin),
                ReviewOutcome::Declined => tr!(l, "error-already-declined", admin = admin),
            }
        }
        Rejection::MethodNotOffered => tr!(l, "rejection-method-not-offered"),
        Rejection::ProofNotImage => tr!(l, "proof-not-image"),
        Rejection::ProofTooLarge { max_bytes } => {
            tr!(l, "proof-too-large", mb = max_bytes / (1024 * 1024))
        }
        Rejection::BadReason { max } => tr!(l, "rejection-bad-reason", max = *max),
        Rejection::NotDue => tr!(l, "rejection-not-due"),
        Rejection::NoServer { .. } => tr!(l, "rejection-no-server"),
        // The shop's own bookkeeping; nobody's input caused them.
        Rejection::StaleAttempt { .. } | Rejection::IncompleteProvisioning { .. } => {
            tr!(l, "error-internal")
        }
        Rejection::PaymentUsedElsewhere { order_code } => {
            tr!(l, "rejection-payment-used", code = order_code)
        }
        Rejection::NotATrial => tr!(l, "rejection-not-a-trial"),
    }
}

fn trial_refusal(l: Locale, t: &TrialRefusal) -> String {
    match t {
        TrialRefusal::AlreadyUsed { order_code } => {
            tr!(l, "trial-already-used", code = order_code)
        }
        TrialRefusal::RoleRequired { role } => {
            tr!(l, "trial-role-required", role = format!("<@&{role}>"))
        }
        TrialRefusal::AccountTooYoung { age_days, min_days } => {
            tr!(l, "trial-too-young", age = *age_days, min = *min_days)
        }
        TrialRefusal::NotFree { total } => {
            tr!(l, "trial-not-free", total = format::money(l, *total))
        }
        TrialRefusal::NotRenewable => tr!(l, "trial-not-renewable"),
    }
}

fn gateway_message(l: Locale, e: &nebula_gateway::client::ClientError) -> String {
    match e {
        nebula_gateway::client::ClientError::Api { message, .. } => message.clone(),
        nebula_gateway::client::ClientError::Timeout => tr!(l, "gateway-timed-out"),
        nebula_gateway::client::ClientError::Network(_) => tr!(l, "gateway-unreachable"),
        other => other.to_string(),
    }
}

/// What the operator reads when Discord ends the bot's connection for good: which setting is
/// wrong and where to fix it (the close codes of the gateway, developer docs: Opcodes and
/// Status Codes).
pub fn connection_ended(e: &serenity::Error) -> String {
    use serenity::gateway::GatewayError;
    match e {
        serenity::Error::Gateway(GatewayError::DisallowedGatewayIntents) => {
            "Discord closed the connection (4014, disallowed intents): the bot asks for the \
             Message Content intent, which is switched off for this application. Open \
             https://discord.com/developers/applications → your application → Bot → Privileged \
             Gateway Intents, switch on MESSAGE CONTENT INTENT, save, and start the shop again \
             (docs/setup.md, step 2)."
                .into()
        }
        serenity::Error::Gateway(GatewayError::InvalidAuthentication) => {
            "Discord closed the connection (4004, authentication failed): the bot token is not \
             valid (mistyped, or reset in the developer portal). Open \
             https://discord.com/developers/applications → your application → Bot → Reset \
             Token, put the new token in NEBULA_DISCORD_TOKEN (or the file your config names), \
             and start the shop again (docs/setup.md, step 1)."
                .into()
        }
        serenity::Error::Gateway(GatewayError::InvalidGatewayIntents) => {
            "Discord closed the connection (4013, invalid intents): this build asks for intents \
             Discord does not know; please report it."
                .into()
        }
        other => format!("the Discord connection ended: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serenity::gateway::GatewayError;

    #[test]
    fn each_refusal_says_what_to_fix() {
        let said = |e: GatewayError| connection_ended(&serenity::Error::Gateway(e));
        assert!(said(GatewayError::DisallowedGatewayIntents).contains("MESSAGE CONTENT INTENT"));
        assert!(said(GatewayError::InvalidAuthentication).contains("Reset Token"));
    }
}
