//! Trials through the engine on a real redb file: a trial opens and is provisioned with no
//! payment step, once per Discord account (also when two clicks race), only for its role, not
//! for a fresh account, never renewed; a trial no server can take does not open, and the
//! shopper keeps it for later.

mod common;

use common::{Harness, SHOPPER};
use jiff::SignedDuration;
use nebula_engine::clock::Clock;
use nebula_engine::error::{Rejection, ShopError};
use nebula_engine::ids::{ServerId, UserId};
use nebula_engine::order::State;
use nebula_engine::plan::PlanEdit;
use nebula_engine::server::{ServerEdit, ServerStatus};
use nebula_engine::shop::{OpenOrder, OrderRecord, RenewOrder};
use nebula_engine::testing::{ADMIN, trial_plan};
use nebula_engine::trial::{Trial, TrialRefusal};

async fn with_trial() -> Harness {
    let h = Harness::new().await;
    h.shop().add_plan(ADMIN, trial_plan()).await.unwrap();
    h
}

async fn take_trial(
    h: &Harness,
    shopper: UserId,
    roles: Vec<u64>,
) -> Result<OrderRecord, ShopError> {
    h.shop()
        .open_order(OpenOrder {
            shopper,
            roles,
            plan: "trial-3d".parse().unwrap(),
            coupon: None,
            preferred_region: None,
        })
        .await
}

fn refusal(result: Result<OrderRecord, ShopError>) -> TrialRefusal {
    match result {
        Err(ShopError::Trial(r)) => r,
        other => panic!("expected a trial refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_trial_is_provisioned_without_payment_once_per_account() {
    let h = with_trial().await;
    let first = take_trial(&h, SHOPPER, vec![]).await.unwrap();
    assert!(
        matches!(first.state, State::Provisioning { .. }),
        "{:?}",
        first.state
    );
    assert!(first.order.quote.total.is_zero());
    assert!(first.order.offers.methods.is_empty(), "no payment step");
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(h.state(first.order.id).await, "fulfilled");
    let clients = h.panel.clients();
    assert_eq!(clients.len(), 1);

    // A second trial, now or after the first ended, is refused and writes nothing.
    let orders = h.size("orders_v1").await;
    assert_eq!(
        refusal(take_trial(&h, SHOPPER, vec![]).await),
        TrialRefusal::AlreadyUsed {
            order_code: first.order.id.code()
        }
    );
    h.advance(SignedDuration::from_hours(24 * 30));
    assert!(matches!(
        refusal(take_trial(&h, SHOPPER, vec![]).await),
        TrialRefusal::AlreadyUsed { .. }
    ));
    assert_eq!(h.size("orders_v1").await, orders);

    // It cannot be renewed either.
    let State::Fulfilled { subscription } = h.shop().order(first.order.id).await.unwrap().state
    else {
        panic!("fulfilled");
    };
    let renewal = h
        .shop()
        .renew(RenewOrder {
            shopper: SHOPPER,
            roles: vec![],
            subscription,
            coupon: None,
        })
        .await;
    assert_eq!(refusal(renewal), TrialRefusal::NotRenewable);

    let audit = h.shop().audit(Default::default(), None, 100).await.unwrap();
    assert!(
        audit
            .entries
            .iter()
            .any(|e| e.action == "order.start_trial")
    );
}

#[tokio::test]
async fn two_clicks_at_once_take_one_trial() {
    let h = with_trial().await;
    let (a, b) = tokio::join!(
        take_trial(&h, SHOPPER, vec![]),
        take_trial(&h, SHOPPER, vec![])
    );
    let (won, lost) = match (a, b) {
        (Ok(won), lost) | (lost, Ok(won)) => (won, lost),
        (a, b) => panic!("neither opened: {a:?} {b:?}"),
    };
    assert_eq!(
        refusal(lost),
        TrialRefusal::AlreadyUsed {
            order_code: won.order.id.code()
        }
    );
    assert_eq!(h.size("orders_v1").await, 1);
    assert_eq!(h.size("trials_v1").await, 1);
}

#[tokio::test]
async fn a_trial_for_a_role_and_not_for_fresh_accounts() {
    let h = with_trial().await;
    let members = PlanEdit {
        trial: Some(Some(Trial { role: Some(42) })),
        ..PlanEdit::default()
    };
    h.shop()
        .edit_plan(ADMIN, "trial-3d".parse().unwrap(), members)
        .await
        .unwrap();
    assert_eq!(
        refusal(take_trial(&h, SHOPPER, vec![7]).await),
        TrialRefusal::RoleRequired { role: 42 }
    );
    // An account made two days ago (the snowflake says when).
    let fresh = UserId::created(h.clock.now() - SignedDuration::from_hours(48));
    assert_eq!(
        refusal(take_trial(&h, fresh, vec![42]).await),
        TrialRefusal::AccountTooYoung {
            age_days: 2,
            min_days: 7
        }
    );
    assert_eq!(h.size("orders_v1").await, 0);
    assert_eq!(h.size("trials_v1").await, 0);
    assert!(take_trial(&h, SHOPPER, vec![42]).await.is_ok());
}

#[tokio::test]
async fn a_trial_no_server_can_take_does_not_open_and_is_kept_for_later() {
    let h = with_trial().await;
    for id in ["fra-1", "ams-1"] {
        let draining = ServerEdit {
            status: Some(ServerStatus::Draining),
            ..ServerEdit::default()
        };
        h.shop()
            .edit_server(ADMIN, ServerId::new(id).unwrap(), draining)
            .await
            .unwrap();
    }
    let refused = take_trial(&h, SHOPPER, vec![]).await;
    assert!(
        matches!(
            refused,
            Err(ShopError::Rejected(Rejection::NoServer { .. }))
        ),
        "{refused:?}"
    );
    assert_eq!(h.size("orders_v1").await, 0);
    assert_eq!(h.size("trials_v1").await, 0);
    let up = ServerEdit {
        status: Some(ServerStatus::Up),
        ..ServerEdit::default()
    };
    h.shop()
        .edit_server(ADMIN, ServerId::new("fra-1").unwrap(), up)
        .await
        .unwrap();
    assert!(take_trial(&h, SHOPPER, vec![]).await.is_ok());
}

#[tokio::test]
async fn a_trial_plan_is_free_and_short() {
    let h = Harness::new().await;
    let priced = nebula_engine::plan::Plan {
        price: nebula_engine::testing::egp(100),
        ..trial_plan()
    };
    let long = nebula_engine::plan::Plan {
        duration_days: 30,
        ..trial_plan()
    };
    for plan in [priced, long] {
        let refused = h.shop().add_plan(ADMIN, plan).await;
        assert!(matches!(refused, Err(ShopError::Invalid(_))), "{refused:?}");
    }
}
