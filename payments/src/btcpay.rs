//! BTCPay Server's Greenfield API: an invoice per order (its id in the invoice's metadata as
//! `orderId`, found again by it before a second one is made), the invoice and its payment
//! methods fetched again before acting, and webhooks signed `BTCPay-Sig: sha256=<hex HMAC-SHA256
//! of the raw body>` under the webhook's secret.

use jiff::{SignedDuration, Timestamp};
use nebula_engine::ids::OrderId;
use nebula_engine::money::Currency;
use nebula_engine::payment::{Checkout, CheckoutRequest, Paid, Provider, ReceivedPayment};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::json;

use crate::amount::{decimal_of, minor_units, money_of};
use crate::error::{ProviderError, WebhookError};
use crate::webhook::{check_age, read_json};

/// The header BTCPay signs its webhooks in.
pub const SIGNATURE_HEADER: &str = "btcpay-sig";

/// The operator's BTCPay store.
#[derive(Clone)]
pub struct BtcpaySettings {
    /// The server's base URL (`https://btcpay.example.com`).
    pub url: url::Url,
    pub store_id: String,
    /// A Greenfield API key with `btcpay.store.cancreateinvoice` and
    /// `btcpay.store.canviewinvoices` on the store.
    pub api_key: String,
    /// The secret of the store's webhook that points at the shop.
    pub webhook_secret: String,
    /// How old a webhook may be. BTCPay retries a failed delivery (5xx, 408, 429 or no
    /// answer) after 10 s, 1 min, then every 10 min six times, with the event's own
    /// timestamp: the last retry comes about 71 minutes late, so the default (2 h) covers
    /// them all. Older ones are refused; the reconciliation finds what they were about.
    pub tolerance: SignedDuration,
}

impl std::fmt::Debug for BtcpaySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BtcpaySettings")
            .field("url", &self.url.as_str())
            .field("store_id", &self.store_id)
            .finish_non_exhaustive()
    }
}

/// An invoice as the Greenfield API returns it (the fields the shop reads).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    pub id: String,
    #[serde(default)]
    pub store_id: Option<String>,
    pub amount: String,
    pub currency: String,
    pub checkout_link: String,
    /// `New`, `Processing`, `Settled`, `Expired` or `Invalid`.
    pub status: String,
    /// `None`, `PaidLate`, `PaidPartial`, `Marked`, `Invalid` or `PaidOver`.
    #[serde(default)]
    pub additional_status: String,
    #[serde(default)]
    pub metadata: serde_json::Value,
}

/// One payment method of an invoice, with its payments. (Its `totalPaid` is what **all**
/// methods received, so it is not summed over methods.)
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoicePaymentMethod {
    /// `BTC-CHAIN`, `BTC-LN`... (`paymentMethod` before BTCPay 2.0).
    #[serde(default, alias = "paymentMethod")]
    pub payment_method_id: String,
    /// The invoice currency's price of one unit of the method's currency.
    pub rate: String,
    #[serde(default)]
    pub payments: Vec<MethodPayment>,
}

/// One payment received on a payment method.
#[derive(Debug, Clone, Deserialize)]
pub struct MethodPayment {
    /// In the method's currency.
    pub value: String,
    /// `Settled` (confirmed), `Processing` (seen, not confirmed yet) or `Invalid`.
    pub status: String,
}

/// What an invoice's payments add up to, in the invoice's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaidSoFar {
    /// Confirmed payments, in minor units.
    pub settled: i64,
    /// Whether any payment is still unconfirmed.
    pub pending: bool,
}

/// A webhook, verified.
#[derive(Debug, Clone)]
pub struct BtcpayEvent {
    /// The delivery's original id: a redelivery of the same event keeps it.
    pub id: String,
    pub kind: String,
    /// The invoice an `Invoice…` event is about.
    pub invoice: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireEvent {
    delivery_id: String,
    #[serde(default)]
    original_delivery_id: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    timestamp: i64,
    #[serde(default)]
    store_id: Option<String>,
    #[serde(default)]
    invoice_id: Option<String>,
}

#[derive(Clone)]
pub struct Btcpay {
    settings: BtcpaySettings,
    http: reqwest::Client,
}

impl Btcpay {
    pub fn new(settings: BtcpaySettings, http: reqwest::Client) -> Btcpay {
        Btcpay { settings, http }
    }

    fn url(&self, path: &str) -> Result<url::Url, ProviderError> {
        let store = urlencoding::encode(&self.settings.store_id);
        self.settings
            .url
            .join(&format!("api/v1/stores/{store}/{path}"))
            .map_err(|e| ProviderError::Malformed(e.to_string()))
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> Result<T, ProviderError> {
        let request = request.header("authorization", format!("token {}", self.settings.api_key));
        crate::http::call(request, error_message).await
    }

    /// The order's invoice: the one opened before for it (still payable), or a new one that
    /// expires with the order.
    pub async fn open(
        &self,
        request: &CheckoutRequest,
        now: Timestamp,
    ) -> Result<Checkout, ProviderError> {
        let mut find = self.url("invoices")?;
        find.query_pairs_mut()
            .append_pair("orderId", &request.order.to_string());
        let found: Vec<Invoice> = self.send(self.http.get(find)).await?;
        let invoice = match found
            .into_iter()
            .find(|i| i.status != "Expired" && i.status != "Invalid")
        {
            Some(invoice) => invoice,
            None => {
                let minutes = (request.expires_at.duration_since(now).as_secs() / 60).max(1);
                let body = json!({
                    "amount": decimal_of(request.amount),
                    "currency": request.amount.currency.code(),
                    "metadata": {
                        "orderId": request.order.to_string(),
                        "itemDesc": request.description,
                    },
                    "checkout": { "expirationMinutes": minutes },
                });
                self.send(self.http.post(self.url("invoices")?).json(&body))
                    .await?
            }
        };
        Ok(Checkout {
            provider: Provider::Btcpay,
            reference: invoice.id,
            url: invoice.checkout_link,
        })
    }

    pub async fn invoice(&self, id: &str) -> Result<Invoice, ProviderError> {
        let path = format!("invoices/{}", urlencoding::encode(id));
        self.send(self.http.get(self.url(&path)?)).await
    }

    async fn paid_so_far(
        &self,
        invoice: &Invoice,
        currency: Currency,
    ) -> Result<PaidSoFar, ProviderError> {
        let path = format!(
            "invoices/{}/payment-methods",
            urlencoding::encode(&invoice.id)
        );
        let methods: Vec<InvoicePaymentMethod> = self.send(self.http.get(self.url(&path)?)).await?;
        paid_so_far(&methods, currency)
    }

    /// The payment an invoice holds, if any: `Settled` pays its amount (an over-payment counts
    /// what was paid and confirmed); an `Expired` invoice with a partial or late payment counts
    /// what was paid once every payment to it is confirmed (BTCPay marks it `PaidLate` or
    /// `PaidPartial` as soon as it sees one, and says no more when it confirms). `New`,
    /// `Processing` and `Invalid` hold none yet.
    pub async fn payment_of(
        &self,
        invoice: &Invoice,
        now: Timestamp,
    ) -> Result<Option<(OrderId, ReceivedPayment)>, ProviderError> {
        let Some(order) = invoice
            .metadata
            .get("orderId")
            .and_then(|v| v.as_str())
            .and_then(|s| s.parse::<OrderId>().ok())
        else {
            return Ok(None); // not one of the shop's invoices
        };
        let currency = Currency::from_code(&invoice.currency)
            .map_err(|_| ProviderError::Malformed(format!("currency {:?}", invoice.currency)))?;
        let extra = invoice.additional_status.as_str();
        let amount = match (invoice.status.as_str(), extra) {
            ("Settled", "None" | "Marked" | "") => money_of(&invoice.amount, currency)
                .ok_or_else(|| ProviderError::Malformed(format!("amount {:?}", invoice.amount)))?,
            ("Settled", _) => {
                let paid = self.paid_so_far(invoice, currency).await?;
                nebula_engine::money::Money::new(paid.settled, currency)
            }
            ("Expired", "PaidPartial" | "PaidLate") => {
                let paid = self.paid_so_far(invoice, currency).await?;
                if paid.pending || paid.settled == 0 {
                    return Ok(None); // not final yet: `InvoicePaymentSettled` comes later
                }
                nebula_engine::money::Money::new(paid.settled, currency)
            }
            _ => return Ok(None),
        };
        Ok(Some((
            order,
            ReceivedPayment {
                provider: Provider::Btcpay,
                reference: invoice.id.clone(),
                paid: Paid::Money { amount },
                paid_at: now,
                late: extra == "PaidLate",
            },
        )))
    }

    /// Checks a webhook's signature over the raw body and its age, and reads it.
    pub fn verify_webhook(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now: Timestamp,
    ) -> Result<BtcpayEvent, WebhookError> {
        let hex = signature
            .and_then(|s| s.trim().strip_prefix("sha256="))
            .ok_or(WebhookError::BadSignature)?;
        if !nebula_common::verify_hmac_sha256(self.settings.webhook_secret.as_bytes(), body, hex) {
            return Err(WebhookError::BadSignature);
        }
        let event: WireEvent = read_json(body)?;
        check_age(event.timestamp, now, self.settings.tolerance)?;
        if event
            .store_id
            .as_ref()
            .is_some_and(|s| *s != self.settings.store_id)
        {
            return Err(WebhookError::OtherAccount);
        }
        Ok(BtcpayEvent {
            id: event.original_delivery_id.unwrap_or(event.delivery_id),
            invoice: event
                .invoice_id
                .filter(|_| event.kind.starts_with("Invoice")),
            kind: event.kind,
        })
    }
}

/// The confirmed payments over every method, each at its method's rate, and whether any is
/// still unconfirmed. Pure.
pub fn paid_so_far(
    methods: &[InvoicePaymentMethod],
    currency: Currency,
) -> Result<PaidSoFar, ProviderError> {
    let decimal = |what: &str, s: &str| {
        s.parse::<Decimal>()
            .map_err(|_| ProviderError::Malformed(format!("{what} {s:?}")))
    };
    let mut total = Decimal::ZERO;
    let mut pending = false;
    for m in methods {
        let rate = decimal("rate", &m.rate)?;
        for p in &m.payments {
            match p.status.as_str() {
                "Settled" => {
                    total += decimal("value", &p.value)?
                        .checked_mul(rate)
                        .ok_or_else(|| ProviderError::Malformed("overflow".into()))?;
                }
                "Processing" => pending = true,
                _ => {} // Invalid: double-spent or replaced, never money
            }
        }
    }
    let settled =
        minor_units(total, currency).ok_or_else(|| ProviderError::Malformed("overflow".into()))?;
    Ok(PaidSoFar { settled, pending })
}

/// A Greenfield error's message (`{"code","message"}` or a list of `{"path","message"}`).
/// The `BTCPay-Sig` header for `body`, as BTCPay writes it (the simulator's, the fuzz target's).
pub fn signature_header(secret: &str, body: &[u8]) -> String {
    format!(
        "sha256={}",
        nebula_common::hex_hmac_sha256(secret.as_bytes(), body)
    )
}

fn error_message(body: &[u8]) -> String {
    let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let one = |v: &serde_json::Value| v.get("message").and_then(|m| m.as_str()).map(str::to_owned);
    one(&value)
        .or_else(|| value.as_array().and_then(|a| a.first()).and_then(one))
        .unwrap_or_else(|| "no detail".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(id: &str, rate: &str, payments: &[(&str, &str)]) -> InvoicePaymentMethod {
        InvoicePaymentMethod {
            payment_method_id: id.into(),
            rate: rate.into(),
            payments: payments
                .iter()
                .map(|(value, status)| MethodPayment {
                    value: (*value).into(),
                    status: (*status).into(),
                })
                .collect(),
        }
    }

    /// Each method's own confirmed payments at its rate; unconfirmed ones only say "pending";
    /// invalid ones are no money.
    #[test]
    fn what_an_invoice_was_paid_counts_each_confirmed_payment_once() {
        let egp = Currency::from_code("EGP").unwrap();
        let table: &[(&[InvoicePaymentMethod], PaidSoFar)] = &[
            (
                &[],
                PaidSoFar {
                    settled: 0,
                    pending: false,
                },
            ),
            (
                &[
                    method("BTC-CHAIN", "1000000", &[("0.0002", "Settled")]),
                    method("BTC-LN", "1000000", &[("0.00005", "Settled")]),
                ],
                PaidSoFar {
                    settled: 25_000,
                    pending: false,
                },
            ),
            (
                &[method(
                    "BTC-CHAIN",
                    "1000000",
                    &[("0.0002", "Settled"), ("0.0001", "Processing")],
                )],
                PaidSoFar {
                    settled: 20_000,
                    pending: true,
                },
            ),
            (
                &[method("BTC-CHAIN", "1000000", &[("0.0002", "Invalid")])],
                PaidSoFar {
                    settled: 0,
                    pending: false,
                },
            ),
        ];
        for (methods, expected) in table {
            assert_eq!(paid_so_far(methods, egp).unwrap(), *expected);
        }
        assert!(paid_so_far(&[method("BTC-CHAIN", "x", &[])], egp).is_err());
    }
}
