//! Automatic payments end to end, through the same code as `nebula run`: the fake Discord →
//! the shop → the outbox opens the checkout at a simulated BTCPay or Stripe (their real API
//! shapes and refusals) → the provider's signed webhook arrives over HTTP at the shop's
//! listener → the payment is fetched again, taken in one engine transaction → provisioned on
//! the simulated 3x-ui panel through the real gateway. TRON transfers are submitted through
//! the modal and read from a simulated TronGrid node.

use jiff::{SignedDuration, Timestamp};
use nebula_bot::demo::{Stage, order_code};
use nebula_engine::clock::Clock;
use nebula_engine::order::State;
use nebula_payments::sim::{self, Delivery, TRON_CONTRACT_HEX, TRON_SHOP_HEX};

async fn stage_with(method: &str, label: &str, provider: &str) -> Stage {
    let stage = Stage::start().await.expect("the stage starts");
    stage
        .add_automatic_method(method, label, provider)
        .await
        .expect("the method is added");
    stage
}

/// Buys and picks `method`; returns (order channel, code).
async fn order_paying_with(stage: &Stage, shopper: u64, method: &str) -> (u64, String) {
    let (channel, said) = stage.buy(shopper).await;
    let code = order_code(&said).expect("an order code");
    stage.choose_method_named(shopper, channel, method).await;
    (channel, code)
}

async fn state_of(stage: &Stage, code: &str) -> State {
    stage.shop().order_by_code(code).await.unwrap().state
}

fn discord_took_everything(stage: &Stage) {
    assert_eq!(stage.discord.problems(), Vec::<String>::new());
}

/// Waits until the order has an invoice at the simulated BTCPay (the checkout link is shown).
async fn invoice_of(stage: &Stage, channel: u64) -> String {
    stage.wait_message(channel, "Pay 250.00 EGP with").await;
    stage.pay.invoices().last().cloned().expect("an invoice")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn btcpay_pays_once_even_when_the_webhook_comes_twice_at_once_and_is_replayed() {
    let stage = stage_with("btcpay", "Bitcoin", "btcpay").await;
    let c = &stage.cast;
    let (channel, code) = order_paying_with(&stage, c.shopper, "btcpay").await;
    let checkout = stage
        .wait_message(channel, "Pay 250.00 EGP with Bitcoin")
        .await;
    assert!(
        checkout.to_string().contains("https://btcpay.example/i/"),
        "{checkout}"
    );
    let invoice = stage.pay.invoices()[0].clone();

    // The provider's delivery and an exact copy, at the same moment.
    stage.pay.lose_webhooks(true);
    let delivery = stage.pay.settle(&invoice).await.expect("a delivery");
    stage.pay.lose_webhooks(false);
    let (a, b) = tokio::join!(
        stage.pay.redeliver(&delivery),
        stage.pay.redeliver(&delivery)
    );
    assert_eq!((a.status, b.status), (Some(200), Some(200)));
    stage.wait_message(channel, "Your access is ready").await;
    assert!(matches!(
        state_of(&stage, &code).await,
        State::Fulfilled { .. }
    ));
    // Later replays, BTCPay's own retry 40 minutes on (a new delivery id, the original
    // event's), and the reconciliation job, change nothing.
    let before = stage.panel.client_count();
    assert_eq!(stage.pay.redeliver(&delivery).await.status, Some(200));
    stage.clock.advance(SignedDuration::from_mins(40));
    assert_eq!(stage.pay.retry(&delivery).await.status, Some(200));
    let payments = nebula_payments::Payments::new(
        stage.config.payments.clone().unwrap().providers,
        stage.clock.clone(),
    )
    .unwrap();
    let report = payments.reconcile(stage.shop()).await.unwrap();
    assert_eq!(report.taken, 0);
    assert_eq!(stage.panel.client_count(), before);
    assert_eq!(stage.panel.client_count(), 1, "one client for one payment");
    let audit = stage
        .shop()
        .audit(Default::default(), None, 200)
        .await
        .unwrap();
    assert!(
        audit
            .entries
            .iter()
            .any(|e| e.action == "order.payment_received"
                && e.details.contains(&invoice)
                && e.details.contains("250.00 EGP"))
    );
    discord_took_everything(&stage);
    stage.stop().await;
}

/// A forged body, a tampered one, a stale one, one for another store: each refused with its
/// own status, and the order still waits for its payment.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_stale_and_unsigned_webhooks_change_nothing() {
    let stage = stage_with("btcpay", "Bitcoin", "btcpay").await;
    let c = &stage.cast;
    let (channel, code) = order_paying_with(&stage, c.shopper, "btcpay").await;
    let invoice = invoice_of(&stage, channel).await;
    stage.pay.lose_webhooks(true);
    let real = stage.pay.settle(&invoice).await.expect("a delivery");
    // The invoice is settled at the provider, but the shop heard nothing yet.
    stage.pay.lose_webhooks(false);
    let url = real.url.clone();
    let send = |signature: String, body: Vec<u8>| {
        stage
            .pay
            .deliver(url.clone(), "BTCPay-Sig", signature, body)
    };
    let sign = |body: &[u8]| {
        format!(
            "sha256={}",
            nebula_common::hex_hmac_sha256(sim::BTCPAY_SECRET.as_bytes(), body)
        )
    };
    let mut tampered = real.body.clone();
    let at = tampered.len() - 3;
    tampered[at] ^= 1;
    assert_eq!(
        send(real.signature.clone(), tampered).await.status,
        Some(401)
    );
    assert_eq!(
        send("sha256=00".into(), real.body.clone()).await.status,
        Some(401)
    );
    assert_eq!(
        send(String::new(), real.body.clone()).await.status,
        Some(401)
    );
    let mut event: serde_json::Value = serde_json::from_slice(&real.body).unwrap();
    event["timestamp"] = (stage.clock.now().as_second() - 3 * 3600).into();
    let stale = serde_json::to_vec(&event).unwrap();
    assert_eq!(send(sign(&stale), stale).await.status, Some(400));
    event["timestamp"] = stage.clock.now().as_second().into();
    event["storeId"] = "AnotherStore".into();
    let other = serde_json::to_vec(&event).unwrap();
    assert_eq!(send(sign(&other), other).await.status, Some(400));
    let huge = vec![b' '; 70 * 1024];
    assert_eq!(send(sign(&huge), huge).await.status, Some(413));
    assert!(matches!(
        state_of(&stage, &code).await,
        State::AwaitingProof { .. }
    ));
    assert_eq!(stage.panel.client_count(), 0);

    // The lost webhook is recovered by the reconciliation job.
    let payments = nebula_payments::Payments::new(
        stage.config.payments.clone().unwrap().providers,
        stage.clock.clone(),
    )
    .unwrap();
    let report = payments.reconcile(stage.shop()).await.unwrap();
    assert_eq!((report.asked, report.taken), (1, 1));
    stage.wait_message(channel, "Your access is ready").await;
    assert_eq!(stage.panel.client_count(), 1);
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_underpaid_invoice_goes_to_an_admin_and_an_expired_one_never_provisions() {
    let stage = stage_with("btcpay", "Bitcoin", "btcpay").await;
    let c = &stage.cast;
    let (channel, code) = order_paying_with(&stage, c.shopper, "btcpay").await;
    let invoice = invoice_of(&stage, channel).await;
    let delivery = stage.pay.pay(&invoice, Some("200.00")).await.unwrap();
    assert_eq!(delivery.status, Some(200));
    let told = stage.wait_message(channel, "Payment under review").await;
    assert!(
        told.to_string()
            .contains("paid 200.00 EGP, less than the 250.00 EGP due"),
        "{told}"
    );
    let review = stage.review_of(&code).await;
    let text = review.to_string();
    assert!(
        text.contains("less than the 250.00 EGP due") && text.contains("approve:"),
        "{text}"
    );
    assert_eq!(stage.panel.client_count(), 0, "never provisioned by itself");

    // Another order's invoice expires unpaid: nothing happens to it but the timeout.
    let (other_channel, other_code) = order_paying_with(&stage, c.other_shopper, "btcpay").await;
    let other = invoice_of(&stage, other_channel).await;
    let expired: Delivery = stage.pay.expire(&other).await.unwrap();
    assert_eq!(expired.status, Some(200));
    assert!(matches!(
        state_of(&stage, &other_code).await,
        State::AwaitingProof { .. }
    ));
    assert_eq!(stage.panel.client_count(), 0);
    // Then paid after all, late: nothing while the payment is unconfirmed (BTCPay already
    // says `PaidLate`); once it confirms, an admin decides, the price may no longer hold.
    assert_eq!(stage.pay.pay_late(&other).await.unwrap().status, Some(200));
    assert!(matches!(
        state_of(&stage, &other_code).await,
        State::AwaitingProof { .. }
    ));
    assert_eq!(stage.pay.confirm(&other).await.unwrap().status, Some(200));
    let told = stage
        .wait_message(other_channel, "Payment under review")
        .await;
    assert!(
        told.to_string().contains("paid after the invoice expired"),
        "{told}"
    );
    assert!(matches!(
        state_of(&stage, &other_code).await,
        State::UnderReview { .. }
    ));
    assert_eq!(stage.panel.client_count(), 0);
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stripe_checkout_pays_through_its_signed_event() {
    let stage = stage_with("card", "Card", "stripe").await;
    let c = &stage.cast;
    let (channel, code) = order_paying_with(&stage, c.shopper, "card").await;
    let checkout = stage
        .wait_message(channel, "Pay 250.00 EGP with Card")
        .await;
    assert!(
        checkout
            .to_string()
            .contains("https://checkout.stripe.com/c/pay/cs_test_")
    );
    let session = stage.pay.sessions()[0].clone();
    let delivery = stage.pay.complete(&session).await.unwrap();
    assert_eq!(delivery.status, Some(200));
    stage.wait_message(channel, "Your access is ready").await;
    assert!(matches!(
        state_of(&stage, &code).await,
        State::Fulfilled { .. }
    ));

    // The same event six minutes later: outside Stripe's 300 s tolerance, refused; and a
    // fresh signature over it is a duplicate.
    stage.clock.advance(SignedDuration::from_mins(6));
    assert_eq!(stage.pay.redeliver(&delivery).await.status, Some(400));
    let t = stage.clock.now().as_second();
    let resigned = nebula_payments::stripe::signature_header(sim::STRIPE_SECRET, t, &delivery.body);
    let again = stage
        .pay
        .deliver(
            delivery.url.clone(),
            "Stripe-Signature",
            resigned,
            delivery.body.clone(),
        )
        .await;
    assert_eq!(again.status, Some(200));
    let forged =
        nebula_payments::stripe::signature_header("whsec_not_the_shops", t, &delivery.body);
    let forged = stage
        .pay
        .deliver(
            delivery.url.clone(),
            "Stripe-Signature",
            forged,
            delivery.body.clone(),
        )
        .await;
    assert_eq!(forged.status, Some(401));
    assert_eq!(stage.panel.client_count(), 1);

    // The outbox retries an effect whose answer was lost: minutes later, the same request
    // is the same session (Stripe refuses an idempotency key with other parameters).
    let (other_channel, other_code) = order_paying_with(&stage, c.other_shopper, "card").await;
    stage
        .wait_message(other_channel, "Pay 250.00 EGP with Card")
        .await;
    let other = stage.shop().order_by_code(&other_code).await.unwrap();
    let request = nebula_engine::payment::CheckoutRequest {
        order: other.order.id,
        code: other_code.clone(),
        shopper: other.order.shopper,
        provider: nebula_engine::payment::Provider::Stripe,
        method: "card".parse().unwrap(),
        amount: other.order.quote.total,
        description: format!("{} ({other_code})", other.order.plan.name),
        expires_at: other.order.deadline,
        requested_at: Some(other.order.updated_at),
    };
    let settings = stage
        .config
        .payments
        .clone()
        .unwrap()
        .providers
        .stripe
        .unwrap();
    let stripe = nebula_payments::stripe::Stripe::new(settings, reqwest::Client::new());
    stage.clock.advance(SignedDuration::from_mins(4));
    let again = stripe.open(&request, stage.clock.now()).await.unwrap();
    assert_eq!(stage.pay.sessions().len(), 2, "no second session");
    assert_eq!(again.reference, stage.pay.sessions()[1]);
    // That order times out while its session is still open at Stripe (it lives longer):
    // the reconciliation closes it there, so it cannot be paid any more.
    stage.clock.advance(SignedDuration::from_mins(27));
    stage.shop().time_out(other.order.id).await.unwrap();
    let payments = nebula_payments::Payments::new(
        stage.config.payments.clone().unwrap().providers,
        stage.clock.clone(),
    )
    .unwrap();
    let report = payments.reconcile(stage.shop()).await.unwrap();
    assert_eq!(report.forgotten, 1, "{report:?}");
    assert_eq!(stage.pay.session_status(&again.reference), Some("expired"));
    discord_took_everything(&stage);
    stage.stop().await;
}

/// Submits a transaction id through the modal; returns what the shopper is answered.
async fn submit(stage: &Stage, shopper: u64, channel: u64, txid: &str) -> String {
    let button = stage.wait_button(channel, "transfer:").await;
    let token = stage.discord.submit_modal(
        shopper,
        channel,
        &button.custom_id.replace("transfer:", "transfer-modal:"),
        &[("txid", txid)],
    );
    stage.answer(&token).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tron_transfer_is_checked_on_the_chain_and_each_refusal_says_why() {
    let stage = stage_with("usdt", "USDT (TRC-20)", "tron").await;
    let c = &stage.cast;
    let (channel, code) = order_paying_with(&stage, c.shopper, "usdt").await;
    let instructions = stage.wait_message(channel, "I have paid").await;
    assert!(instructions.to_string().contains("transfer:"));
    let opened = stage
        .shop()
        .order_by_code(&code)
        .await
        .unwrap()
        .order
        .created_at;
    let now = stage.clock.now();
    // 250.00 EGP at 49.50 EGP per USDT, rounded up: 5.050506 USDT.
    let due = 5_050_506;
    let other_token = "b4a428ab7092c2f1395f376ce297033b3bb446c1";
    let stranger = "1111111111111111111111111111111111111111";
    let cases: Vec<(String, &str)> = vec![
        ("not-a-hash".into(), "not a TRON transaction id"),
        ("ab".repeat(32), "no transaction with that id"),
        (stage.pay.failed_transaction(), "failed on the network"),
        (stage.pay.trx_transfer(), "not a token transfer"),
        (
            stage
                .pay
                .transfer(TRON_CONTRACT_HEX, TRON_SHOP_HEX, due, now, false),
            "not final yet",
        ),
        (
            stage
                .pay
                .transfer(other_token, TRON_SHOP_HEX, due, now, true),
            "is not USDT",
        ),
        (
            stage
                .pay
                .transfer(TRON_CONTRACT_HEX, stranger, due, now, true),
            "went to another address",
        ),
        (
            stage.pay.transfer(
                TRON_CONTRACT_HEX,
                TRON_SHOP_HEX,
                due,
                opened - SignedDuration::from_mins(5),
                true,
            ),
            "before this order was opened",
        ),
    ];
    for (txid, why) in cases {
        let said = submit(&stage, c.shopper, channel, &txid).await;
        assert!(
            said.to_lowercase().contains(&why.to_lowercase()) && said.contains("screenshot"),
            "{txid}: {said}"
        );
        assert!(matches!(
            state_of(&stage, &code).await,
            State::AwaitingProof { .. }
        ));
    }
    assert_eq!(stage.panel.client_count(), 0);

    let good = stage
        .pay
        .transfer(TRON_CONTRACT_HEX, TRON_SHOP_HEX, due, now, true);
    let said = submit(&stage, c.shopper, channel, &good).await;
    assert!(said.contains("Payment received"), "{said}");
    stage.wait_message(channel, "Your access is ready").await;
    assert_eq!(stage.panel.client_count(), 1);

    // Another order cannot use the same transaction.
    let (other_channel, other_code) = order_paying_with(&stage, c.other_shopper, "usdt").await;
    let said = submit(&stage, c.other_shopper, other_channel, &good).await;
    assert!(
        said.contains(&format!("already used for order {code}")),
        "{said}"
    );
    assert!(matches!(
        state_of(&stage, &other_code).await,
        State::AwaitingProof { .. }
    ));
    // Too little: an admin reviews it.
    let short = stage.pay.transfer(
        TRON_CONTRACT_HEX,
        TRON_SHOP_HEX,
        5_000_000,
        stage.clock.now(),
        true,
    );
    let said = submit(&stage, c.other_shopper, other_channel, &short).await;
    assert!(said.contains("less than the 5.050506 USDT due"), "{said}");
    assert!(matches!(
        state_of(&stage, &other_code).await,
        State::UnderReview { .. }
    ));
    assert_eq!(stage.panel.client_count(), 1);
    let _ = Timestamp::UNIX_EPOCH;
    discord_took_everything(&stage);
    stage.stop().await;
}
