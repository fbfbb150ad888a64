//! Automatic payments through the engine on a real redb file: a checkout opened and shown, a
//! verified payment that pays once however often it is reported, one that differs and goes to
//! an admin, a transaction that pays one order only, a payment for an order that stopped
//! waiting, and a restart between the payment's commit and provisioning.

mod common;

use std::sync::Arc;

use common::{Harness, SHOPPER};
use jiff::{SignedDuration, Timestamp};
use nebula_engine::Rejection;
use nebula_engine::actor::Actor;
use nebula_engine::effect::{DiscordEffect, Notice};
use nebula_engine::error::ShopError;
use nebula_engine::ids::OrderId;
use nebula_engine::money::Money;
use nebula_engine::payment::{Paid, PaymentReport, PaymentTaken, Provider, ReceivedPayment};
use nebula_engine::testing::{ADMIN, MemoryCheckouts, automatic_method, egp};

async fn shop_with_providers() -> Harness {
    let h = Harness::new().await;
    h.shop()
        .add_method(ADMIN, automatic_method("btcpay", Provider::Btcpay))
        .await
        .unwrap();
    h.shop()
        .add_method(ADMIN, automatic_method("usdt", Provider::Tron))
        .await
        .unwrap();
    h
}

fn payment(provider: Provider, reference: &str, amount: Money) -> ReceivedPayment {
    ReceivedPayment {
        provider,
        reference: reference.into(),
        paid: Paid::Money { amount },
        paid_at: common::t0(),
        late: false,
    }
}

fn report(order: OrderId, event: Option<&str>, payment: ReceivedPayment) -> PaymentReport {
    PaymentReport {
        order,
        event: event.map(Into::into),
        payment,
    }
}

/// Opens an order, picks BTCPay and lets the worker open the invoice.
async fn order_with_checkout(h: &Harness, checkouts: &Arc<MemoryCheckouts>) -> OrderId {
    let id = h.open_order().await.order.id;
    h.shop()
        .choose_method(Actor::Shopper(SHOPPER), id, "btcpay".parse().unwrap())
        .await
        .unwrap();
    h.worker()
        .with_checkouts(checkouts.clone())
        .run_until_idle()
        .await
        .unwrap();
    id
}

#[tokio::test]
async fn a_checkout_is_opened_shown_and_paid_exactly_once() {
    let h = shop_with_providers().await;
    let checkouts = Arc::new(MemoryCheckouts::default());
    let id = order_with_checkout(&h, &checkouts).await;
    let shown: Vec<_> = h
        .discord
        .calls()
        .into_iter()
        .filter_map(|(_, e)| match e {
            DiscordEffect::ShowCheckout { url, amount, .. } => Some((url, amount)),
            _ => None,
        })
        .collect();
    assert_eq!(
        shown,
        vec![("https://pay.example/i/inv-1".to_owned(), egp(25_000))]
    );
    let record = h
        .shop()
        .payment_record(Provider::Btcpay, "inv-1".into())
        .await
        .unwrap()
        .unwrap();
    assert_eq!((record.order, record.taken), (id, false));
    assert_eq!(h.shop().open_checkouts().await.unwrap().len(), 1);

    let paid = payment(Provider::Btcpay, "inv-1", egp(25_000));
    let taken = h
        .shop()
        .take_payment(report(id, Some("evt-1"), paid.clone()))
        .await
        .unwrap();
    assert_eq!(taken, PaymentTaken::Paid);
    assert_eq!(h.state(id).await, "provisioning");
    assert!(h.shop().open_checkouts().await.unwrap().is_empty());
    assert!(
        h.shop()
            .payment_event_seen(Provider::Btcpay, "evt-1".into())
            .await
            .unwrap()
    );

    // The same event again, another event of the same invoice (the reconciliation job): no change.
    let before = h.dump().await;
    let again = h
        .shop()
        .take_payment(report(id, Some("evt-1"), paid.clone()))
        .await
        .unwrap();
    assert_eq!(again, PaymentTaken::DuplicateEvent);
    assert_eq!(h.dump().await, before);
    let found = h.shop().take_payment(report(id, None, paid)).await.unwrap();
    assert_eq!(found, PaymentTaken::AlreadyTaken);

    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.state(id).await, "fulfilled");
    assert_eq!(h.panel.clients().len(), 1);
    let order = h.shop().order(id).await.unwrap().order;
    assert_eq!(order.payment.unwrap().reference, "inv-1");
    assert!(order.review.is_none(), "no admin reviewed it");
    let audit = h.shop().audit(Default::default(), None, 100).await.unwrap();
    let line = audit
        .entries
        .iter()
        .find(|e| e.action == "order.payment_received")
        .expect("the payment is in the audit log");
    assert!(
        line.details.contains("BTCPay inv-1 paid 250.00 EGP"),
        "{}",
        line.details
    );
    // The stats and the exports say who took the money.
    let stats = h.shop().stats().await.unwrap();
    assert_eq!(
        stats.revenue_by_provider["btcpay"]["EGP"],
        egp(25_000),
        "{:?}",
        stats.revenue_by_provider
    );
    let rows = h
        .shop()
        .export_orders(Timestamp::UNIX_EPOCH, Timestamp::MAX)
        .await
        .unwrap();
    let row = rows.iter().find(|r| r.id == id.to_string()).unwrap();
    assert_eq!(
        (row.provider.as_str(), row.payment_reference.as_deref()),
        ("btcpay", Some("inv-1"))
    );
}

#[tokio::test]
async fn the_same_webhook_twice_at_once_pays_once() {
    let h = shop_with_providers().await;
    let checkouts = Arc::new(MemoryCheckouts::default());
    let id = order_with_checkout(&h, &checkouts).await;
    let paid = payment(Provider::Btcpay, "inv-1", egp(25_000));
    let (a, b) = tokio::join!(
        h.shop()
            .take_payment(report(id, Some("evt-9"), paid.clone())),
        h.shop().take_payment(report(id, Some("evt-9"), paid)),
    );
    let mut outcomes = vec![a.unwrap(), b.unwrap()];
    outcomes.sort_by_key(|o| format!("{o:?}"));
    assert_eq!(
        outcomes,
        vec![PaymentTaken::DuplicateEvent, PaymentTaken::Paid]
    );
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.panel.clients().len(), 1);
    assert_eq!(h.panel.calls().len(), 1);
}

#[tokio::test]
async fn a_payment_before_its_checkout_is_recorded_pays_and_the_link_is_not_shown() {
    let h = shop_with_providers().await;
    let id = h.open_order().await.order.id;
    h.shop()
        .choose_method(Actor::Shopper(SHOPPER), id, "btcpay".parse().unwrap())
        .await
        .unwrap();
    // The provider's webhook beats the worker's record of the invoice it opened.
    let taken = h
        .shop()
        .take_payment(report(
            id,
            Some("evt-1"),
            payment(Provider::Btcpay, "inv-1", egp(25_000)),
        ))
        .await
        .unwrap();
    assert_eq!(taken, PaymentTaken::Paid);
    let checkouts = Arc::new(MemoryCheckouts::default());
    h.worker()
        .with_checkouts(checkouts)
        .run_until_idle()
        .await
        .unwrap();
    assert!(!h.discord.names().contains(&"show_checkout"));
    assert!(h.shop().open_checkouts().await.unwrap().is_empty());
    assert_eq!(h.state(id).await, "fulfilled");
}

#[tokio::test]
async fn a_payment_that_differs_goes_to_an_admin_and_the_shopper_is_told() {
    let h = shop_with_providers().await;
    let checkouts = Arc::new(MemoryCheckouts::default());
    let id = order_with_checkout(&h, &checkouts).await;
    let short = payment(Provider::Btcpay, "inv-1", egp(20_000));
    let taken = h
        .shop()
        .take_payment(report(id, Some("evt-1"), short))
        .await
        .unwrap();
    let PaymentTaken::Review(why) = taken else {
        panic!("expected a review, got {taken:?}");
    };
    assert_eq!(
        why[0].to_string(),
        "paid 200.00 EGP, less than the 250.00 EGP due"
    );
    assert_eq!(h.state(id).await, "under_review");
    h.worker().run_until_idle().await.unwrap();
    let calls = h.discord.calls();
    assert!(calls.iter().any(|(_, e)| matches!(
        e,
        DiscordEffect::RequestReview { proof: None, payment: Some(p), .. } if p.differences == why
    )));
    assert!(calls.iter().any(|(_, e)| matches!(
        e,
        DiscordEffect::NotifyShopper {
            notice: Notice::PaymentNeedsReview { .. },
            ..
        }
    )));
    assert!(h.panel.clients().is_empty(), "never provisioned by itself");
    // The admin accepts it; the order remembers what was paid.
    h.shop().approve(ADMIN, id).await.unwrap();
    h.worker().run_until_idle().await.unwrap();
    let order = h.shop().order(id).await.unwrap().order;
    assert_eq!(h.state(id).await, "fulfilled");
    assert_eq!(
        order.payment.unwrap().paid,
        Paid::Money {
            amount: egp(20_000)
        }
    );
}

#[tokio::test]
async fn a_transaction_pays_one_order_only() {
    let h = shop_with_providers().await;
    let first = h.open_order().await.order.id;
    let second = h
        .open_order_for(nebula_engine::ids::UserId(101))
        .await
        .order
        .id;
    let tx = |order| {
        report(
            order,
            None,
            ReceivedPayment {
                provider: Provider::Tron,
                reference: "ab12".into(),
                paid: Paid::Token {
                    symbol: "USDT".into(),
                    decimals: 6,
                    units: 5_000_000,
                    expected: 5_000_000,
                },
                paid_at: common::t0(),
                late: false,
            },
        )
    };
    assert_eq!(
        h.shop().take_payment(tx(first)).await.unwrap(),
        PaymentTaken::Paid
    );
    let before = h.dump().await;
    let refused = h.shop().take_payment(tx(second)).await.unwrap_err();
    assert!(
        matches!(&refused, ShopError::Rejected(Rejection::PaymentUsedElsewhere { order_code }) if *order_code == first.code()),
        "{refused:?}"
    );
    assert_eq!(
        refused.to_string(),
        format!("this payment was already used for order {}", first.code())
    );
    assert_eq!(h.dump().await, before, "a refused payment writes nothing");
    assert_eq!(h.state(second).await, "awaiting_method");
}

#[tokio::test]
async fn a_payment_for_an_order_that_stopped_waiting_alerts_the_admins() {
    let h = shop_with_providers().await;
    let checkouts = Arc::new(MemoryCheckouts::default());
    let id = order_with_checkout(&h, &checkouts).await;
    h.advance(SignedDuration::from_hours(1));
    h.shop().time_out(id).await.unwrap();
    let taken = h
        .shop()
        .take_payment(report(
            id,
            Some("evt-late"),
            payment(Provider::Btcpay, "inv-1", egp(25_000)),
        ))
        .await
        .unwrap();
    assert_eq!(taken, PaymentTaken::NotAwaiting);
    assert_eq!(h.state(id).await, "timed_out");
    h.worker().run_until_idle().await.unwrap();
    let alert = h
        .discord
        .calls()
        .into_iter()
        .find_map(|(_, e)| match e {
            DiscordEffect::AlertAdmins { alert } => Some(alert.message),
            _ => None,
        })
        .expect("the admins hear of it");
    assert!(alert.contains("refund or honour"), "{alert}");
    assert!(h.panel.clients().is_empty());
}

#[tokio::test]
async fn a_restart_between_the_payment_and_provisioning_makes_one_client() {
    let mut h = shop_with_providers().await;
    let checkouts = Arc::new(MemoryCheckouts::default());
    let id = order_with_checkout(&h, &checkouts).await;
    h.shop()
        .take_payment(report(
            id,
            Some("evt-1"),
            payment(Provider::Btcpay, "inv-1", egp(25_000)),
        ))
        .await
        .unwrap();
    h.reopen().await; // the process died before the worker ran
    // The provider redelivers the webhook after the restart.
    let again = h
        .shop()
        .take_payment(report(
            id,
            Some("evt-1"),
            payment(Provider::Btcpay, "inv-1", egp(25_000)),
        ))
        .await
        .unwrap();
    assert_eq!(again, PaymentTaken::DuplicateEvent);
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.state(id).await, "fulfilled");
    assert_eq!(h.panel.clients().len(), 1);
}

#[tokio::test]
async fn a_paid_order_with_no_room_waits_for_an_admins_retry() {
    let h = shop_with_providers().await;
    for server in ["fra-1", "ams-1"] {
        h.shop()
            .edit_server(
                ADMIN,
                server.parse().unwrap(),
                nebula_engine::server::ServerEdit {
                    status: Some(nebula_engine::server::ServerStatus::Draining),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let id = h.open_order().await.order.id;
    let taken = h
        .shop()
        .take_payment(report(
            id,
            None,
            payment(Provider::Btcpay, "inv-7", egp(25_000)),
        ))
        .await
        .unwrap();
    assert_eq!(taken, PaymentTaken::Paid);
    let record = h.shop().order(id).await.unwrap();
    assert_eq!(record.state.name(), "failed");
    assert!(record.order.payment.is_some(), "the payment is kept");
}
