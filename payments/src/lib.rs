//! The shop's automatic payment providers, at the edge: BTCPay Server invoices, USDT (TRC-20)
//! transfers on TRON checked through a TronGrid-compatible API, and Stripe Checkout sessions.
//!
//! Nothing here decides about an order: every path ends in [`Shop::take_payment`] with a
//! payment the provider itself confirmed. A webhook is verified over its raw body (signature,
//! timestamp), then the object it names is fetched again from the provider's API, and only
//! what the API says is acted on; the event id goes into the same engine transaction, so a
//! replay changes nothing. [`Payments::reconcile`] asks the providers about every open checkout,
//! so a lost webhook is recovered. `sim` (feature) holds local simulators of the three APIs.

pub mod amount;
pub mod btcpay;
mod error;
mod http;
pub mod stripe;
pub mod tron;
pub mod webhook;

#[cfg(feature = "sim")]
pub mod sim;

use std::sync::Arc;

use futures_util::future::BoxFuture;
use nebula_engine::Shop;
use nebula_engine::clock::Clock;
use nebula_engine::executor::{Checkouts, ExecError};
use nebula_engine::ids::{OrderId, UserId};
use nebula_engine::order::State;
use nebula_engine::payment::{Checkout, CheckoutRequest, PaymentReport, PaymentTaken, Provider};
use tracing::{info, warn};

pub use error::{ProviderError, TransferError, WebhookError};
pub use tron::TransferRefusal;
pub use webhook::WebhookAnswer;

/// The providers an operator configured.
#[derive(Clone, Default)]
pub struct Providers {
    pub btcpay: Option<btcpay::BtcpaySettings>,
    pub stripe: Option<stripe::StripeSettings>,
    pub tron: Option<tron::TronSettings>,
}

/// The shop's payment providers: opens checkouts (the engine's [`Checkouts`]), takes
/// webhooks, checks TRON transfers and reconciles.
#[derive(Clone)]
pub struct Payments {
    btcpay: Option<btcpay::Btcpay>,
    stripe: Option<stripe::Stripe>,
    tron: Option<tron::Tron>,
    clock: Arc<dyn Clock>,
}

/// What one reconciliation pass found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ReconcileReport {
    /// Open checkouts asked about.
    pub asked: usize,
    /// Payments found and taken (lost webhooks).
    pub taken: usize,
    /// Checkouts forgotten: expired at the provider and their order closed.
    pub forgotten: usize,
    /// Providers that did not answer about a checkout (asked again next pass).
    pub failed: usize,
}

impl Payments {
    pub fn new(providers: Providers, clock: Arc<dyn Clock>) -> Result<Payments, ProviderError> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .map_err(|e| ProviderError::Unreachable(e.to_string()))?;
        Ok(Payments {
            btcpay: providers
                .btcpay
                .map(|s| btcpay::Btcpay::new(s, http.clone())),
            stripe: providers
                .stripe
                .map(|s| stripe::Stripe::new(s, http.clone())),
            tron: providers.tron.map(|s| tron::Tron::new(s, http)),
            clock,
        })
    }

    /// Which providers are configured.
    pub fn providers(&self) -> Vec<Provider> {
        let mut out = Vec::new();
        if self.btcpay.is_some() {
            out.push(Provider::Btcpay);
        }
        if self.tron.is_some() {
            out.push(Provider::Tron);
        }
        if self.stripe.is_some() {
            out.push(Provider::Stripe);
        }
        out
    }

    /// The TRON settings, for the payment instructions (the shop's address, the token).
    pub fn tron_settings(&self) -> Option<&tron::TronSettings> {
        self.tron.as_ref().map(tron::Tron::settings)
    }

    async fn open_checkout(&self, request: &CheckoutRequest) -> Result<Checkout, ProviderError> {
        match request.provider {
            Provider::Btcpay => {
                let btcpay = self
                    .btcpay
                    .as_ref()
                    .ok_or(ProviderError::NotConfigured(Provider::Btcpay))?;
                btcpay.open(request, self.clock.now()).await
            }
            Provider::Stripe => {
                let stripe = self
                    .stripe
                    .as_ref()
                    .ok_or(ProviderError::NotConfigured(Provider::Stripe))?;
                stripe.open(request, self.clock.now()).await
            }
            Provider::Tron => Err(ProviderError::Rejected {
                status: 0,
                detail: "TRON transfers have no checkout".into(),
            }),
        }
    }

    /// A webhook, as it arrived: verified, its object fetched again, and the payment taken.
    pub async fn webhook(
        &self,
        shop: &Shop,
        provider: Provider,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<WebhookAnswer, WebhookError> {
        let now = self.clock.now();
        let found = match provider {
            Provider::Btcpay => {
                let btcpay = self.btcpay.as_ref().ok_or(WebhookError::NotConfigured)?;
                let event = btcpay.verify_webhook(signature, body, now)?;
                if shop
                    .payment_event_seen(provider, event.id.clone())
                    .await
                    .map_err(WebhookError::Shop)?
                {
                    return Ok(WebhookAnswer::Taken(PaymentTaken::DuplicateEvent));
                }
                let Some(invoice) = event.invoice else {
                    return Ok(WebhookAnswer::Ignored(format!("event {}", event.kind)));
                };
                let invoice = btcpay.invoice(&invoice).await?;
                btcpay
                    .payment_of(&invoice, now)
                    .await?
                    .map(|(order, payment)| PaymentReport {
                        order,
                        event: Some(event.id),
                        payment,
                    })
            }
            Provider::Stripe => {
                let stripe = self.stripe.as_ref().ok_or(WebhookError::NotConfigured)?;
                let event = stripe.verify_webhook(signature, body, now)?;
                if shop
                    .payment_event_seen(provider, event.id.clone())
                    .await
                    .map_err(WebhookError::Shop)?
                {
                    return Ok(WebhookAnswer::Taken(PaymentTaken::DuplicateEvent));
                }
                let Some(session) = event.session else {
                    return Ok(WebhookAnswer::Ignored(format!("event {}", event.kind)));
                };
                let session = stripe.session(&session).await?;
                stripe
                    .payment_of(&session, now)
                    .map(|(order, payment)| PaymentReport {
                        order,
                        event: Some(event.id),
                        payment,
                    })
            }
            Provider::Tron => return Err(WebhookError::NotConfigured),
        };
        let Some(report) = found else {
            return Ok(WebhookAnswer::Ignored("not paid yet".into()));
        };
        self.check_known(shop, &report).await?;
        let taken = shop
            .take_payment(report.clone())
            .await
            .map_err(WebhookError::Shop)?;
        info!(provider = %provider, order = %report.order, outcome = ?taken, "took a webhook");
        Ok(WebhookAnswer::Taken(taken))
    }

    /// A checkout's order is the one the shop recorded for it, when it recorded one.
    async fn check_known(&self, shop: &Shop, report: &PaymentReport) -> Result<(), WebhookError> {
        let known = shop
            .payment_record(report.payment.provider, report.payment.reference.clone())
            .await
            .map_err(WebhookError::Shop)?;
        match known {
            Some(record) if record.order != report.order => Err(WebhookError::Malformed(
                "the object names another order than the one it was opened for".into(),
            )),
            _ => Ok(()),
        }
    }

    /// A shopper submits the id of a TRON transfer for their order: it is read from the chain
    /// and checked (token, recipient, amount, confirmation, time, not used before).
    pub async fn submit_transfer(
        &self,
        shop: &Shop,
        shopper: UserId,
        order: OrderId,
        txid: &str,
    ) -> Result<PaymentTaken, TransferError> {
        let tron = self.tron.as_ref().ok_or(TransferError::NotConfigured)?;
        let record = shop.order(order).await.map_err(TransferError::Shop)?;
        if record.order.shopper != shopper {
            return Err(TransferError::Shop(
                nebula_engine::Rejection::NotYourOrder {
                    owner: record.order.shopper,
                }
                .into(),
            ));
        }
        let payment = tron
            .check(txid, record.order.quote.total, record.order.created_at)
            .await?;
        let taken = shop
            .take_payment(PaymentReport {
                order,
                event: None,
                payment,
            })
            .await
            .map_err(TransferError::Shop)?;
        info!(order = %order, outcome = ?taken, "took a TRON transfer");
        Ok(taken)
    }

    /// Asks the providers about every open checkout: a paid one is taken (its webhook was
    /// lost), an expired one whose order closed is forgotten, and an open Stripe session whose
    /// order stopped waiting (it lives at least 30 minutes, longer than many orders) is expired
    /// at Stripe and forgotten, so it cannot be paid any more.
    pub async fn reconcile(
        &self,
        shop: &Shop,
    ) -> Result<ReconcileReport, nebula_engine::ShopError> {
        let mut report = ReconcileReport::default();
        let now = self.clock.now();
        for (record, state) in shop.open_checkouts().await? {
            report.asked += 1;
            let found = match (record.provider, &self.btcpay, &self.stripe) {
                (Provider::Btcpay, Some(btcpay), _) => {
                    match btcpay.invoice(&record.reference).await {
                        Ok(invoice) => {
                            let expired =
                                invoice.status == "Expired" || invoice.status == "Invalid";
                            btcpay.payment_of(&invoice, now).await.map(|p| (p, expired))
                        }
                        Err(e) => Err(e),
                    }
                }
                (Provider::Stripe, _, Some(stripe)) => {
                    match stripe.session(&record.reference).await {
                        Ok(session) => Ok((
                            stripe.payment_of(&session, now),
                            session.status.as_deref() == Some("expired"),
                        )),
                        Err(e) => Err(e),
                    }
                }
                _ => Err(ProviderError::NotConfigured(record.provider)),
            };
            match found {
                Ok((Some((order, payment)), _)) => {
                    let taken = shop
                        .take_payment(PaymentReport {
                            order,
                            event: None,
                            payment,
                        })
                        .await?;
                    info!(order = %order, outcome = ?taken, "reconciliation found a payment");
                    report.taken += 1;
                }
                Ok((None, true)) if !awaits_payment(&state) => {
                    shop.forget_checkout(record.provider, record.reference.clone())
                        .await?;
                    report.forgotten += 1;
                }
                Ok((None, false))
                    if record.provider == Provider::Stripe && !awaits_payment(&state) =>
                {
                    let stripe = self.stripe.as_ref().expect("asked Stripe above");
                    match stripe.expire(&record.reference).await {
                        Ok(_) => {
                            shop.forget_checkout(record.provider, record.reference.clone())
                                .await?;
                            report.forgotten += 1;
                        }
                        Err(e) => {
                            warn!(error = %e, "could not expire a Stripe session");
                            report.failed += 1;
                        }
                    }
                }
                Ok((None, _)) => {}
                Err(e) => {
                    warn!(provider = %record.provider, error = %e, "could not ask about a checkout");
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }
}

fn awaits_payment(state: &State) -> bool {
    state.is_open() || matches!(state, State::UnderReview { .. })
}

impl Checkouts for Payments {
    fn open<'a>(
        &'a self,
        request: &'a CheckoutRequest,
    ) -> BoxFuture<'a, Result<Checkout, ExecError>> {
        Box::pin(async move {
            self.open_checkout(request)
                .await
                .map_err(ProviderError::into_exec)
        })
    }
}
