//! The one HTTP error type of the gateway: a code, a status, a message that never carries
//! internal detail (the detail goes to the log).

use salvo::http::StatusCode;
use salvo::prelude::*;
use tracing::warn;

use crate::api::{ErrorBody, ErrorCode};
use crate::panel::PanelError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(code: ErrorCode) -> Self {
        let message = match code {
            ErrorCode::MissingAuth => "a signing header is missing or malformed",
            ErrorCode::UnknownKey => "unknown key",
            ErrorCode::ClockSkew => "the timestamp is too far from the gateway's clock",
            ErrorCode::ReplayedNonce => "this nonce was already used",
            ErrorCode::BadSignature => "the signature does not match",
            ErrorCode::AddressNotAllowed => "this address may not call the gateway",
            ErrorCode::RateLimited => "too many requests",
            ErrorCode::BodyTooLarge => "the body is too large",
            ErrorCode::InvalidRequest => "invalid request",
            ErrorCode::NotFound => "not found",
            ErrorCode::PanelRejected => "the panel refused the operation",
            ErrorCode::PanelAuth => "the panel did not accept the gateway's credentials",
            ErrorCode::PanelUnavailable => "the panel cannot be reached",
            ErrorCode::PanelTimeout => "the panel did not answer in time",
            ErrorCode::PanelProtocol => "the panel answered something unexpected",
            ErrorCode::Internal => "internal error",
        };
        ApiError {
            code,
            message: message.into(),
            retry_after_secs: None,
        }
    }

    /// A bad request, saying which field and why.
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError {
            message: message.into(),
            ..ApiError::new(ErrorCode::InvalidRequest)
        }
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        ApiError {
            retry_after_secs: Some(retry_after_secs),
            ..ApiError::new(ErrorCode::RateLimited)
        }
    }
}

impl From<PanelError> for ApiError {
    fn from(e: PanelError) -> Self {
        warn!(error = %e, "panel call failed");
        ApiError::new(match e {
            PanelError::Unreachable(_) => ErrorCode::PanelUnavailable,
            PanelError::Timeout => ErrorCode::PanelTimeout,
            PanelError::Auth(_) => ErrorCode::PanelAuth,
            PanelError::Rejected(_) => ErrorCode::PanelRejected,
            PanelError::Protocol(_) => ErrorCode::PanelProtocol,
        })
    }
}

impl Scribe for ApiError {
    fn render(self, res: &mut Response) {
        metrics::counter!("nebula_gateway_refusals_total", "reason" => error_code_name(self.code))
            .increment(1);
        res.status_code(
            StatusCode::from_u16(self.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        );
        if let Some(secs) = self.retry_after_secs {
            let _ = res.add_header("retry-after", secs.to_string(), true);
        }
        res.render(Json(ErrorBody {
            error: self.code,
            message: self.message,
        }));
    }
}

/// An error code as it is written on the wire (`bad_signature`): a metric's label, the
/// OpenAPI description's text.
pub(crate) fn error_code_name(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}
