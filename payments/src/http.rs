//! One way to call a provider's API: send, read the body, turn an error status into
//! [`ProviderError::Rejected`] with the provider's own message, and read the JSON answer.
//! Errors never carry the URL (it may hold an id the shopper should not see in logs) or a key.

use crate::error::ProviderError;

/// Sends `request` and reads its JSON answer; `detail` reads the provider's error message out
/// of an error body.
pub(crate) async fn call<T: serde::de::DeserializeOwned>(
    request: reqwest::RequestBuilder,
    detail: fn(&[u8]) -> String,
) -> Result<T, ProviderError> {
    let unreachable = |e: reqwest::Error| ProviderError::Unreachable(e.without_url().to_string());
    let response = request.send().await.map_err(unreachable)?;
    let status = response.status();
    let body = response.bytes().await.map_err(unreachable)?;
    if !status.is_success() {
        return Err(ProviderError::Rejected {
            status: status.as_u16(),
            detail: detail(&body),
        });
    }
    serde_json::from_slice(&body).map_err(|e| ProviderError::Malformed(e.to_string()))
}
