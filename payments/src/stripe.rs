//! Stripe Checkout: a Checkout Session per order (its id in the session's metadata as
//! `order_id`, opened with an idempotency key so a second attempt returns the first session),
//! fetched again before acting, and webhooks signed `Stripe-Signature: t=<unix>,v1=<hex>`: the
//! HMAC-SHA256 of `"{t}.{raw body}"` under the endpoint's secret, within 300 s, compared in
//! constant time against every `v1`.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use nebula_engine::ids::OrderId;
use nebula_engine::money::{Currency, Money};
use nebula_engine::payment::{Checkout, CheckoutRequest, Paid, Provider, ReceivedPayment};
use serde::Deserialize;

use crate::error::{ProviderError, WebhookError};
use crate::webhook::{check_age, read_json};

pub const SIGNATURE_HEADER: &str = "stripe-signature";
/// Stripe's own libraries refuse events older than this.
pub const TOLERANCE: SignedDuration = SignedDuration::from_secs(300);
/// Stripe wants a session's `expires_at` 30 minutes to 24 hours after its creation; these
/// bounds, counted from when the checkout was requested, leave 15 minutes and one hour for the
/// effect's retries to be created within them.
const SHORTEST_SESSION: SignedDuration = SignedDuration::from_mins(45);
const LONGEST_SESSION: SignedDuration = SignedDuration::from_hours(23);

/// A session's `expires_at`: with the order, within Stripe's bounds. Computed from the
/// request alone, never the clock (unless the request predates `requested_at`), because Stripe
/// refuses an idempotent retry whose parameters differ from the first attempt's. A session
/// that outlives its order is expired by the reconciliation once the order stops waiting.
pub fn session_expiry(request: &CheckoutRequest, now: Timestamp) -> Timestamp {
    let base = request.requested_at.unwrap_or(now);
    let bound = |d: SignedDuration| base.saturating_add(d).unwrap_or(base);
    request
        .expires_at
        .max(bound(SHORTEST_SESSION))
        .min(bound(LONGEST_SESSION))
}

#[derive(Clone)]
pub struct StripeSettings {
    /// `https://api.stripe.com` (a simulator's address in tests).
    pub api: url::Url,
    pub secret_key: String,
    pub webhook_secret: String,
    /// Where Stripe sends the shopper after paying (the order channel, or a thank-you page).
    pub success_url: String,
}

impl std::fmt::Debug for StripeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeSettings")
            .field("api", &self.api.as_str())
            .finish_non_exhaustive()
    }
}

/// A Checkout Session (the fields the shop reads).
#[derive(Debug, Clone, Deserialize)]
pub struct Session {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    /// `open`, `complete` or `expired`.
    #[serde(default)]
    pub status: Option<String>,
    /// `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: String,
    #[serde(default)]
    pub amount_total: Option<i64>,
    #[serde(default)]
    pub currency: Option<String>,
    /// Nullable at Stripe: `null` reads as empty.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub metadata: HashMap<String, String>,
}

fn null_as_empty<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<HashMap<String, String>, D::Error> {
    Ok(Option::<HashMap<String, String>>::deserialize(d)?.unwrap_or_default())
}

/// A verified event.
#[derive(Debug, Clone)]
pub struct StripeEvent {
    pub id: String,
    pub kind: String,
    /// The session a `checkout.session.*` event is about.
    pub session: Option<String>,
}

#[derive(Deserialize)]
struct WireEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: WireData,
}

#[derive(Deserialize)]
struct WireData {
    object: WireObject,
}

/// Not every event's object has an id (a balance has none).
#[derive(Deserialize)]
struct WireObject {
    #[serde(default)]
    id: String,
    #[serde(default)]
    object: String,
}

#[derive(Clone)]
pub struct Stripe {
    settings: StripeSettings,
    http: reqwest::Client,
}

impl Stripe {
    pub fn new(settings: StripeSettings, http: reqwest::Client) -> Stripe {
        Stripe { settings, http }
    }

    fn url(&self, path: &str) -> Result<url::Url, ProviderError> {
        self.settings
            .api
            .join(path)
            .map_err(|e| ProviderError::Malformed(e.to_string()))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Session, ProviderError> {
        crate::http::call(
            request.bearer_auth(&self.settings.secret_key),
            error_message,
        )
        .await
    }

    /// The order's session: opened once (the idempotency key names the order), expiring with
    /// the order or after Stripe's shortest allowed time.
    pub async fn open(
        &self,
        request: &CheckoutRequest,
        now: Timestamp,
    ) -> Result<Checkout, ProviderError> {
        let expires = session_expiry(request, now);
        let order = request.order.to_string();
        let currency = request.amount.currency.code().to_ascii_lowercase();
        let form = [
            ("mode", "payment".to_owned()),
            ("success_url", self.settings.success_url.clone()),
            ("client_reference_id", order.clone()),
            ("metadata[order_id]", order.clone()),
            ("expires_at", expires.as_second().to_string()),
            ("line_items[0][quantity]", "1".into()),
            ("line_items[0][price_data][currency]", currency),
            (
                "line_items[0][price_data][unit_amount]",
                request.amount.minor.to_string(),
            ),
            (
                "line_items[0][price_data][product_data][name]",
                request.description.clone(),
            ),
        ];
        let session = self
            .send(
                self.http
                    .post(self.url("v1/checkout/sessions")?)
                    .header("idempotency-key", format!("nebula-checkout-{order}"))
                    .form(&form),
            )
            .await?;
        let url = session
            .url
            .clone()
            .ok_or_else(|| ProviderError::Malformed("a session without a url".into()))?;
        Ok(Checkout {
            provider: Provider::Stripe,
            reference: session.id,
            url,
        })
    }

    pub async fn session(&self, id: &str) -> Result<Session, ProviderError> {
        let path = format!("v1/checkout/sessions/{}", urlencoding::encode(id));
        self.send(self.http.get(self.url(&path)?)).await
    }

    /// Closes an open session so it can no longer be paid (Stripe refuses to expire one that
    /// is not open).
    pub async fn expire(&self, id: &str) -> Result<Session, ProviderError> {
        let path = format!("v1/checkout/sessions/{}/expire", urlencoding::encode(id));
        self.send(self.http.post(self.url(&path)?)).await
    }

    /// The payment a session holds: complete and paid, in its currency.
    pub fn payment_of(
        &self,
        session: &Session,
        now: Timestamp,
    ) -> Option<(OrderId, ReceivedPayment)> {
        let order = session.metadata.get("order_id")?.parse::<OrderId>().ok()?;
        if session.status.as_deref() != Some("complete") || session.payment_status != "paid" {
            return None;
        }
        let currency = Currency::from_code(session.currency.as_deref()?).ok()?;
        Some((
            order,
            ReceivedPayment {
                provider: Provider::Stripe,
                reference: session.id.clone(),
                paid: Paid::Money {
                    amount: Money::new(session.amount_total?, currency),
                },
                paid_at: now,
                late: false,
            },
        ))
    }

    /// Checks `Stripe-Signature` over the raw body and the timestamp it carries, and reads
    /// the event.
    pub fn verify_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now: Timestamp,
    ) -> Result<StripeEvent, WebhookError> {
        let header = signature.ok_or(WebhookError::BadSignature)?;
        let mut timestamp = None;
        let mut signatures = Vec::new();
        for part in header.split(',') {
            match part.trim().split_once('=') {
                Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
                Some(("v1", s)) => signatures.push(s),
                _ => {}
            }
        }
        let t = timestamp.ok_or(WebhookError::BadSignature)?;
        let mut signed = format!("{t}.").into_bytes();
        signed.extend_from_slice(body);
        let secret = self.settings.webhook_secret.as_bytes();
        if !signatures
            .iter()
            .any(|s| nebula_common::verify_hmac_sha256(secret, &signed, s))
        {
            return Err(WebhookError::BadSignature);
        }
        check_age(t, now, TOLERANCE)?;
        let event: WireEvent = read_json(body)?;
        let session = (event.data.object.object == "checkout.session"
            && matches!(
                event.kind.as_str(),
                "checkout.session.completed" | "checkout.session.async_payment_succeeded"
            ))
        .then_some(event.data.object.id);
        Ok(StripeEvent {
            id: event.id,
            kind: event.kind,
            session,
        })
    }
}

/// A Stripe error's message (`{"error": {"message": …}}`).
fn error_message(body: &[u8]) -> String {
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    value["error"]["message"]
        .as_str()
        .unwrap_or("no detail")
        .to_owned()
}

/// The `Stripe-Signature` header for `body` at `t`, as Stripe writes it (the simulator's).
pub fn signature_header(secret: &str, t: i64, body: &[u8]) -> String {
    let mut signed = format!("{t}.").into_bytes();
    signed.extend_from_slice(body);
    format!(
        "t={t},v1={}",
        nebula_common::hex_hmac_sha256(secret.as_bytes(), &signed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use nebula_engine::ids::{MethodId, UserId};

    fn request(expires_in_mins: i64, requested_at: Option<Timestamp>) -> CheckoutRequest {
        let at: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        CheckoutRequest {
            order: nebula_engine::ids::OrderId::from_key(1),
            code: "ABC123".into(),
            shopper: UserId(1),
            provider: Provider::Stripe,
            method: MethodId::new("card").unwrap(),
            amount: Money::new(25_000, Currency::from_code("EGP").unwrap()),
            description: "Plan".into(),
            expires_at: at + SignedDuration::from_mins(expires_in_mins),
            requested_at,
        }
    }

    /// With the order, within 45 minutes to 23 hours of the request, and the same on every
    /// retry whatever the clock says.
    #[test]
    fn a_session_expires_with_its_order_within_stripes_bounds() {
        let at: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let mins = |m: i64| at + SignedDuration::from_mins(m);
        for (order_expires_in, expected) in
            [(30, mins(45)), (120, mins(120)), (48 * 60, mins(23 * 60))]
        {
            let r = request(order_expires_in, Some(at));
            for retry_after in [0, 1, 14] {
                assert_eq!(
                    session_expiry(&r, mins(retry_after)),
                    expected,
                    "{order_expires_in}"
                );
            }
        }
        // An effect from before `requested_at` counts from its first attempt's clock.
        assert_eq!(session_expiry(&request(30, None), mins(5)), mins(50));
    }
}
