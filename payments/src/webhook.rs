//! What every webhook shares: its age checked against the shop's clock, its body read as JSON,
//! and what the provider is answered.

use jiff::{SignedDuration, Timestamp};
use nebula_engine::payment::PaymentTaken;

use crate::error::WebhookError;

/// Largest webhook body the listener reads (providers' events are a few kilobytes).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What a verified webhook led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookAnswer {
    Taken(PaymentTaken),
    /// Nothing to act on (another kind of event, an invoice not paid yet).
    Ignored(String),
}

/// Refuses an event whose timestamp (unix seconds) is further than `tolerance` from `now`.
pub fn check_age(
    timestamp: i64,
    now: Timestamp,
    tolerance: SignedDuration,
) -> Result<(), WebhookError> {
    let age_secs = now.as_second().saturating_sub(timestamp);
    if age_secs.unsigned_abs() > tolerance.as_secs().unsigned_abs() {
        return Err(WebhookError::Stale { age_secs });
    }
    Ok(())
}

pub fn read_json<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, WebhookError> {
    serde_json::from_slice(body).map_err(|e| WebhookError::Malformed(e.to_string()))
}
