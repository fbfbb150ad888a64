//! Simulated payment providers on loopback, speaking the real APIs as the shop uses them and
//! refusing what they refuse: BTCPay Server's Greenfield invoices (`Authorization: token`, 401
//! without it, 422 on a bad amount, `orderId` search, payment methods) and its signed
//! webhooks; Stripe's Checkout Sessions (Bearer key, form bodies, `expires_at` between 30
//! minutes and 24 hours, idempotency keys that replay the first answer or refuse other
//! parameters) and `Stripe-Signature` events; and a TRON node's `/wallet` and
//! `/walletsolidity` transaction info with TRC-20 transfer logs. Tests and `nebula demo` pay,
//! expire and transfer through the control methods; each webhook is delivered as the provider
//! would (or lost, to test reconciliation) and kept for replaying.

mod routes;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use jiff::Timestamp;
use nebula_common::lock;
use nebula_engine::clock::Clock;
use salvo::conn::Acceptor;
use salvo::prelude::*;
use salvo::server::ServerHandle;
use serde_json::{Value, json};

pub const BTCPAY_KEY: &str = "sim-btcpay-api-key-0123456789abcdef";
pub const BTCPAY_STORE: &str = "SimStore9d3f";
pub const BTCPAY_SECRET: &str = "sim-btcpay-webhook-secret";
pub const STRIPE_KEY: &str = "sk_test_sim0123456789abcdef";
pub const STRIPE_SECRET: &str = "whsec_sim0123456789abcdef";
/// The simulated chain's USDT contract and the shop's address (valid base58check).
pub const TRON_CONTRACT_HEX: &str = "a614f803b6fd780986a42c78ec9c7f77e6ded13c";
pub const TRON_SHOP_HEX: &str = "5a523b449890854c8fc460ab602df9f31fe4293f";

#[derive(Debug, Clone)]
pub(crate) struct Invoice {
    pub id: String,
    pub amount: String,
    pub currency: String,
    pub status: &'static str,
    pub additional: &'static str,
    pub metadata: Value,
    pub created: i64,
    pub expires: i64,
    /// The payments received, in BTC, on either of the invoice's two payment methods.
    pub payments: Vec<SimPayment>,
}

/// The simulated rate: 1 BTC costs 1,000,000 of the invoice's currency.
pub(crate) const BTC_RATE: i64 = 1_000_000;

/// One payment to an invoice, as BTCPay lists it under its payment method.
#[derive(Debug, Clone)]
pub(crate) struct SimPayment {
    /// `BTC-CHAIN` or `BTC-LN`.
    pub method: &'static str,
    pub btc: rust_decimal::Decimal,
    /// Confirmed (`Settled`) or seen but not yet confirmed (`Processing`).
    pub settled: bool,
    pub received: i64,
}

#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub id: String,
    pub status: &'static str,
    pub payment_status: &'static str,
    pub amount_total: i64,
    pub currency: String,
    pub metadata: HashMap<String, String>,
    pub created: i64,
    pub expires_at: i64,
    pub idempotency: Option<(String, String)>,
}

/// One webhook the simulator sent (or would have, when lost).
#[derive(Debug, Clone)]
pub struct Delivery {
    pub url: String,
    pub signature_header: &'static str,
    pub signature: String,
    pub body: Vec<u8>,
    /// The shop's answer (`None`: lost on the way).
    pub status: Option<u16>,
}

#[derive(Default)]
pub(crate) struct State {
    pub invoices: Vec<Invoice>,
    pub sessions: Vec<Session>,
    pub transactions: HashMap<String, (Value, bool)>,
    pub block: u64,
    pub btcpay_hook: Option<String>,
    pub stripe_hook: Option<String>,
    pub lose_webhooks: bool,
    pub deliveries: Vec<Delivery>,
    pub requests: u64,
    /// Told of every invoice or Checkout Session made, after it is stored and before the
    /// answer.
    pub after_create: Option<Arc<dyn Fn() + Send + Sync>>,
}

pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub clock: Arc<dyn Clock>,
    pub base: Mutex<String>,
}

impl Shared {
    pub fn now(&self) -> i64 {
        self.clock.now().as_second()
    }
}

/// The three simulated providers behind one loopback listener.
pub struct SimPay {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: Mutex<Option<(ServerHandle, tokio::task::JoinHandle<()>)>>,
    http: reqwest::Client,
}

impl SimPay {
    pub async fn start(clock: Arc<dyn Clock>) -> std::io::Result<SimPay> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                block: 60_000_000,
                ..State::default()
            }),
            clock,
            base: Mutex::new(String::new()),
        });
        let acceptor = TcpListener::new("127.0.0.1:0")
            .try_bind()
            .await
            .map_err(std::io::Error::other)?;
        let addr = acceptor
            .holdings()
            .first()
            .and_then(|h| h.local_addr.clone().into_std())
            .ok_or_else(|| std::io::Error::other("no local address"))?;
        *lock(&shared.base) = format!("http://{addr}/");
        let server = Server::new(acceptor);
        let handle = server.handle();
        let task = tokio::spawn(server.serve(routes::router(shared.clone())));
        Ok(SimPay {
            shared,
            addr,
            server: Mutex::new(Some((handle, task))),
            http: reqwest::Client::new(),
        })
    }

    /// The simulators' base URL (BTCPay, Stripe's API and the TRON node all answer here).
    pub fn url(&self) -> url::Url {
        format!("http://{}/", self.addr).parse().expect("a URL")
    }

    /// Where each provider delivers its webhooks.
    pub fn set_webhooks(&self, btcpay: Option<String>, stripe: Option<String>) {
        let mut s = lock(&self.shared.state);
        s.btcpay_hook = btcpay;
        s.stripe_hook = stripe;
    }

    /// Calls `hook` after each BTCPay invoice or Stripe Checkout Session is stored and before
    /// it is answered (the soak kills the shop at that instant: the invoice exists and the shop
    /// never heard of it).
    pub fn after_create(&self, hook: impl Fn() + Send + Sync + 'static) {
        lock(&self.shared.state).after_create = Some(Arc::new(hook));
    }

    /// While set, webhooks are lost on the way (the shop never sees them).
    pub fn lose_webhooks(&self, lose: bool) {
        lock(&self.shared.state).lose_webhooks = lose;
    }

    pub fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.shared.state).deliveries.clone()
    }

    /// How many API requests the simulators answered.
    pub fn requests(&self) -> u64 {
        lock(&self.shared.state).requests
    }

    /// The ids of the invoices opened for an order (its `orderId`), in order.
    pub fn invoices_of(&self, order: &str) -> Vec<String> {
        lock(&self.shared.state)
            .invoices
            .iter()
            .filter(|i| i.metadata["orderId"].as_str() == Some(order))
            .map(|i| i.id.clone())
            .collect()
    }

    /// The ids of the invoices opened, in order.
    pub fn invoices(&self) -> Vec<String> {
        lock(&self.shared.state)
            .invoices
            .iter()
            .map(|i| i.id.clone())
            .collect()
    }

    /// The ids of the Checkout Sessions opened for an order (its `order_id`), in order.
    pub fn sessions_of(&self, order: &str) -> Vec<String> {
        lock(&self.shared.state)
            .sessions
            .iter()
            .filter(|s| s.metadata.get("order_id").map(String::as_str) == Some(order))
            .map(|s| s.id.clone())
            .collect()
    }

    /// A session's status now (`open`, `complete` or `expired`).
    pub fn session_status(&self, session: &str) -> Option<&'static str> {
        lock(&self.shared.state)
            .sessions
            .iter()
            .find(|s| s.id == session)
            .map(|s| s.status)
    }

    pub fn sessions(&self) -> Vec<String> {
        lock(&self.shared.state)
            .sessions
            .iter()
            .map(|s| s.id.clone())
            .collect()
    }

    /// The shopper pays `invoice` in full: `Settled`, and BTCPay's `InvoiceSettled` goes out.
    pub async fn settle(&self, invoice: &str) -> Option<Delivery> {
        self.pay(invoice, None).await
    }

    /// The shopper pays `paid` (a decimal in the invoice's currency) instead of the amount, on
    /// chain, confirmed: less expires it as `PaidPartial` (`InvoiceExpired`), more settles it as
    /// `PaidOver`.
    pub async fn pay(&self, invoice: &str, paid: Option<&str>) -> Option<Delivery> {
        let now = self.shared.now();
        let kind = {
            let mut s = lock(&self.shared.state);
            let inv = s.invoices.iter_mut().find(|i| i.id == invoice)?;
            let amount: rust_decimal::Decimal = inv.amount.parse().ok()?;
            let paid: rust_decimal::Decimal = paid.map_or(Some(amount), |p| p.parse().ok())?;
            inv.payments.push(SimPayment {
                method: "BTC-CHAIN",
                btc: paid / rust_decimal::Decimal::from(BTC_RATE),
                settled: true,
                received: now,
            });
            let (status, additional, kind) = match paid.cmp(&amount) {
                std::cmp::Ordering::Less => ("Expired", "PaidPartial", "InvoiceExpired"),
                std::cmp::Ordering::Equal => ("Settled", "None", "InvoiceSettled"),
                std::cmp::Ordering::Greater => ("Settled", "PaidOver", "InvoiceSettled"),
            };
            inv.status = status;
            inv.additional = additional;
            kind
        };
        self.btcpay_event(invoice, kind).await
    }

    /// The shopper pays the whole amount after the invoice expired: BTCPay marks it
    /// `Expired`/`PaidLate` as soon as it sees the payment, unconfirmed, and sends
    /// `InvoiceReceivedPayment`; [`SimPay::confirm`] confirms it later.
    pub async fn pay_late(&self, invoice: &str) -> Option<Delivery> {
        let now = self.shared.now();
        {
            let mut s = lock(&self.shared.state);
            let inv = s.invoices.iter_mut().find(|i| i.id == invoice)?;
            let amount: rust_decimal::Decimal = inv.amount.parse().ok()?;
            inv.payments.push(SimPayment {
                method: "BTC-CHAIN",
                btc: amount / rust_decimal::Decimal::from(BTC_RATE),
                settled: false,
                received: now,
            });
            inv.status = "Expired";
            inv.additional = "PaidLate";
        }
        self.btcpay_event(invoice, "InvoiceReceivedPayment").await
    }

    /// The invoice's unconfirmed payments confirm (`InvoicePaymentSettled`); an expired invoice
    /// stays `Expired`, as BTCPay leaves it.
    pub async fn confirm(&self, invoice: &str) -> Option<Delivery> {
        {
            let mut s = lock(&self.shared.state);
            let inv = s.invoices.iter_mut().find(|i| i.id == invoice)?;
            for p in &mut inv.payments {
                p.settled = true;
            }
        }
        self.btcpay_event(invoice, "InvoicePaymentSettled").await
    }

    /// The invoice expires unpaid (`InvoiceExpired`).
    pub async fn expire(&self, invoice: &str) -> Option<Delivery> {
        {
            let mut s = lock(&self.shared.state);
            let inv = s.invoices.iter_mut().find(|i| i.id == invoice)?;
            inv.status = "Expired";
        }
        self.btcpay_event(invoice, "InvoiceExpired").await
    }

    async fn btcpay_event(&self, invoice: &str, kind: &str) -> Option<Delivery> {
        let delivery = nebula_common::random_token(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 22);
        let (metadata, additional) = lock(&self.shared.state)
            .invoices
            .iter()
            .find(|i| i.id == invoice)
            .map(|i| (i.metadata.clone(), i.additional))?;
        let mut event = json!({
            "deliveryId": delivery,
            "webhookId": "SimHook1",
            "originalDeliveryId": delivery,
            "isRedelivery": false,
            "type": kind,
            "timestamp": self.shared.now(),
            "storeId": BTCPAY_STORE,
            "invoiceId": invoice,
            "metadata": metadata,
        });
        // Each type's own fields, as BTCPay's `WebhookInvoice…Event`s carry them.
        let extra = match kind {
            "InvoiceSettled" => {
                json!({ "manuallyMarked": false, "overPaid": additional == "PaidOver" })
            }
            "InvoiceExpired" => json!({ "partiallyPaid": additional == "PaidPartial" }),
            "InvoiceReceivedPayment" | "InvoicePaymentSettled" => json!({
                "afterExpiration": additional == "PaidLate",
                "paymentMethodId": "BTC-CHAIN",
                "overPaid": false,
            }),
            _ => json!({}),
        };
        if let (Some(e), Some(x)) = (event.as_object_mut(), extra.as_object()) {
            e.extend(x.clone());
        }
        let body = serde_json::to_vec(&event).ok()?;
        let signature = crate::btcpay::signature_header(BTCPAY_SECRET, &body);
        let url = lock(&self.shared.state).btcpay_hook.clone()?;
        Some(self.deliver(url, "BTCPay-Sig", signature, body).await)
    }

    /// The shopper pays `session` by card: `complete`/`paid`, and
    /// `checkout.session.completed` goes out.
    pub async fn complete(&self, session: &str) -> Option<Delivery> {
        let object = {
            let mut s = lock(&self.shared.state);
            let sess = s.sessions.iter_mut().find(|x| x.id == session)?;
            sess.status = "complete";
            sess.payment_status = "paid";
            routes::session_json(sess)
        };
        let body = serde_json::to_vec(&json!({
            "id": format!("evt_{}", nebula_common::random_token(b"abcdefghijklmnopqrstuvwxyz0123456789", 24)),
            "object": "event",
            "api_version": "2024-06-20",
            "created": self.shared.now(),
            "type": "checkout.session.completed",
            "livemode": false,
            "data": { "object": object },
        }))
        .ok()?;
        let signature = crate::stripe::signature_header(STRIPE_SECRET, self.shared.now(), &body);
        let url = lock(&self.shared.state).stripe_hook.clone()?;
        Some(self.deliver(url, "Stripe-Signature", signature, body).await)
    }

    /// The provider's own retry of a delivery, as each makes it: BTCPay sends the event again
    /// with a new `deliveryId`, `isRedelivery` and the original `timestamp` and
    /// `originalDeliveryId`; Stripe sends the same event signed afresh.
    pub async fn retry(&self, delivery: &Delivery) -> Delivery {
        let now = self.shared.now();
        if delivery.signature_header == "Stripe-Signature" {
            let signature = crate::stripe::signature_header(STRIPE_SECRET, now, &delivery.body);
            return self
                .deliver(
                    delivery.url.clone(),
                    "Stripe-Signature",
                    signature,
                    delivery.body.clone(),
                )
                .await;
        }
        let mut event: Value = serde_json::from_slice(&delivery.body).unwrap_or_default();
        event["deliveryId"] =
            nebula_common::random_token(b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 22).into();
        event["isRedelivery"] = true.into();
        let body = serde_json::to_vec(&event).unwrap_or_default();
        let signature = crate::btcpay::signature_header(BTCPAY_SECRET, &body);
        self.deliver(delivery.url.clone(), "BTCPay-Sig", signature, body)
            .await
    }

    /// Sends a webhook again byte for byte (a replay by whoever saw it).
    pub async fn redeliver(&self, delivery: &Delivery) -> Delivery {
        let header = delivery.signature_header;
        self.deliver(
            delivery.url.clone(),
            header,
            delivery.signature.clone(),
            delivery.body.clone(),
        )
        .await
    }

    /// Sends any body with any signature to the shop (a forger's attempt).
    pub async fn deliver(
        &self,
        url: String,
        header: &'static str,
        signature: String,
        body: Vec<u8>,
    ) -> Delivery {
        let lost = lock(&self.shared.state).lose_webhooks;
        let status = if lost {
            None
        } else {
            self.http
                .post(&url)
                .header(header, &signature)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await
                .ok()
                .map(|r| r.status().as_u16())
        };
        let delivery = Delivery {
            url,
            signature_header: header,
            signature,
            body,
            status,
        };
        lock(&self.shared.state).deliveries.push(delivery.clone());
        delivery
    }

    /// A TRC-20 transfer lands on the simulated chain: `units` of `contract` (hex, 20 bytes)
    /// to `to` (hex), in a block at `at`; `solidified` or not yet. Returns its transaction id.
    pub fn transfer(
        &self,
        contract: &str,
        to: &str,
        units: u64,
        at: Timestamp,
        solidified: bool,
    ) -> String {
        let txid = nebula_common::hex_sha256(nebula_common::random_token(b"abcdef0123456789", 32));
        let mut s = lock(&self.shared.state);
        s.block += 1;
        let info = json!({
            "id": txid,
            "fee": 345_000,
            "blockNumber": s.block,
            "blockTimeStamp": at.as_millisecond(),
            "contractResult": [""],
            "contract_address": format!("41{contract}"),
            "receipt": { "energy_usage_total": 29_650, "net_usage": 345, "result": "SUCCESS" },
            "log": [{
                "address": contract,
                "topics": [
                    crate::tron::TRANSFER_TOPIC,
                    format!("{:0>64}", "8e3c1b5e4f0fb3b5f9a7d1c2b3a4f5e6d7c8b9a0"),
                    format!("{to:0>64}"),
                ],
                "data": format!("{units:064x}"),
            }],
        });
        s.transactions.insert(txid.clone(), (info, solidified));
        txid
    }

    /// A transaction that ran out of energy: on chain, failed, no transfer.
    pub fn failed_transaction(&self) -> String {
        let txid = nebula_common::hex_sha256(nebula_common::random_token(b"abcdef0123456789", 32));
        let mut s = lock(&self.shared.state);
        s.block += 1;
        let info = json!({
            "id": txid, "blockNumber": s.block, "blockTimeStamp": self.shared.clock.now().as_millisecond(),
            "receipt": { "result": "OUT_OF_ENERGY" }, "log": [], "result": "FAILED",
        });
        s.transactions.insert(txid.clone(), (info, true));
        txid
    }

    /// A plain TRX transfer, solidified: java-tron writes its receipt without a `result` (the
    /// default is left out) and it has no logs.
    pub fn trx_transfer(&self) -> String {
        let txid = nebula_common::hex_sha256(nebula_common::random_token(b"abcdef0123456789", 32));
        let mut s = lock(&self.shared.state);
        s.block += 1;
        let info = json!({
            "id": txid, "fee": 1_100_000, "blockNumber": s.block,
            "blockTimeStamp": self.shared.clock.now().as_millisecond(),
            "receipt": { "net_fee": 100_000 },
        });
        s.transactions.insert(txid.clone(), (info, true));
        txid
    }

    /// The chain moves on: pending transactions solidify and `blocks` more are made.
    pub fn solidify(&self, blocks: u64) {
        let mut s = lock(&self.shared.state);
        s.block += blocks;
        for (_, solid) in s.transactions.values_mut() {
            *solid = true;
        }
    }

    pub async fn stop(&self) {
        let running = lock(&self.server).take();
        if let Some((handle, task)) = running {
            handle.stop_forceful();
            let _ = task.await;
        }
    }
}

/// The base58 addresses of the simulated chain's token and shop.
pub fn tron_addresses() -> (String, String) {
    (
        crate::tron::address_base58(TRON_CONTRACT_HEX).expect("valid"),
        crate::tron::address_base58(TRON_SHOP_HEX).expect("valid"),
    )
}
