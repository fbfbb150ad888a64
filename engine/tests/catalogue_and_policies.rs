//! Managing the catalogue, and how the engine holds policies to their word: pricing and payment
//! methods fail closed, server selection falls back, and the engine checks every answer.

mod common;

use std::sync::{Arc, Mutex};

use common::{Harness, SHOPPER};
use nebula_engine::Settings;
use nebula_engine::actor::Actor;
use nebula_engine::error::{Rejection, ShopError};
use nebula_engine::ids::ServerId;
use nebula_engine::order::State;
use nebula_engine::plan::{PlanEdit, TrafficLimit};
use nebula_engine::policy::*;
use nebula_engine::quote::{Adjustment, FLOOR_LABEL};
use nebula_engine::server::{ServerEdit, ServerStatus};
use nebula_engine::shop::OpenOrder;
use nebula_engine::testing::{ADMIN, egp, month_plan, wallet_method};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_admins_change_the_catalogue_and_bad_entries_are_refused() {
    let h = Harness::new().await;
    let shop = h.shop();
    let mut plan = month_plan();
    plan.id = "week".parse().unwrap();

    let as_shopper = shop
        .add_plan(Actor::Shopper(SHOPPER), plan.clone())
        .await
        .unwrap_err();
    assert!(matches!(
        as_shopper,
        ShopError::Rejected(Rejection::AdminOnly)
    ));

    let dup = shop.add_plan(ADMIN, month_plan()).await.unwrap_err();
    assert_eq!(dup.to_string(), r#"plan "month-50gb" already exists"#);

    let bad = [
        (
            nebula_engine::plan::Plan {
                duration_days: 0,
                ..plan.clone()
            },
            "invalid duration_days must be between 1 and 3660",
        ),
        (
            nebula_engine::plan::Plan {
                price: egp(-1),
                ..plan.clone()
            },
            "invalid price must not be negative",
        ),
        (
            nebula_engine::plan::Plan {
                traffic: TrafficLimit::Bytes(0),
                ..plan.clone()
            },
            "invalid traffic must be more than zero bytes, or unlimited",
        ),
        (
            nebula_engine::plan::Plan {
                name: " ".into(),
                ..plan.clone()
            },
            "invalid name must be 1 to 80 characters",
        ),
    ];
    for (p, message) in bad {
        assert_eq!(
            shop.add_plan(ADMIN, p).await.unwrap_err().to_string(),
            message
        );
    }

    let mut method = wallet_method();
    method.id = "bank".parse().unwrap();
    method.instructions = "Pay {amount} to {iban}".into();
    assert_eq!(
        shop.add_method(ADMIN, method)
            .await
            .unwrap_err()
            .to_string(),
        "invalid instructions may only use the placeholders {amount} and {order}"
    );

    let missing = shop
        .edit_plan(ADMIN, "nope".parse().unwrap(), PlanEdit::default())
        .await
        .unwrap_err();
    assert_eq!(missing.to_string(), r#"no plan "nope""#);

    // An edit changes new orders, never old ones.
    let before = h.open_order().await;
    shop.edit_plan(
        ADMIN,
        "month-50gb".parse().unwrap(),
        PlanEdit {
            price: Some(egp(30_000)),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        shop.order(before.order.id).await.unwrap().order.quote.total,
        egp(25_000)
    );
    assert_eq!(h.open_order().await.order.quote.total, egp(30_000));

    // Disabled plans are not sold.
    shop.edit_plan(
        ADMIN,
        "month-50gb".parse().unwrap(),
        PlanEdit {
            active: Some(false),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(shop.catalogue(None).await.unwrap().is_empty());
    let refused = shop
        .open_order(OpenOrder {
            shopper: SHOPPER,
            roles: vec![],
            plan: "month-50gb".parse().unwrap(),
            coupon: None,
            preferred_region: None,
        })
        .await
        .unwrap_err();
    assert_eq!(refused.to_string(), r#"no plan "month-50gb""#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_with_clients_cannot_be_removed() {
    let h = Harness::new().await;
    let id = h.order_under_review().await;
    let shop = h.shop();
    // Only one server up: the order lands on it.
    shop.edit_server(
        ADMIN,
        "ams-1".parse().unwrap(),
        ServerEdit {
            status: Some(ServerStatus::Draining),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    shop.approve(ADMIN, id).await.unwrap();
    h.worker().run_until_idle().await.unwrap();
    let err = shop
        .remove_server(ADMIN, "fra-1".parse().unwrap())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid server still holds 1 slot(s) (active subscriptions or orders being set up); drain it and let them move or expire first"
    );
    shop.remove_server(ADMIN, "ams-1".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(shop.servers().await.unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coupons_are_priced_by_the_policy_and_unknown_ones_are_refused_politely() {
    let policies = NativePolicies::default().with_coupon(
        "WELCOME",
        Coupon {
            percent_off: 20,
            valid_until: None,
        },
    );
    let h = Harness::with(Arc::new(policies), Settings::default()).await;
    let open = |coupon: &str| OpenOrder {
        shopper: SHOPPER,
        roles: vec![],
        plan: "month-50gb".parse().unwrap(),
        coupon: Some(coupon.into()),
        preferred_region: None,
    };
    let order = h.shop().open_order(open("welcome")).await.unwrap().order;
    assert_eq!(order.quote.total, egp(20_000));
    assert_eq!(
        order.quote.adjustments,
        [Adjustment {
            label: "Coupon welcome (-20%)".into(),
            amount: egp(-5_000)
        }]
    );
    assert_eq!(order.quote.coupon.as_deref(), Some("welcome"));

    let before = h.dump().await;
    let err = h.shop().open_order(open("FREE")).await.unwrap_err();
    assert_eq!(err.to_string(), "unknown coupon FREE");
    assert!(h.dump().await == before, "nothing was written");
}

/// The admin alerts carried out so far.
fn alerts(h: &Harness) -> Vec<String> {
    h.discord
        .calls()
        .into_iter()
        .filter_map(|(_, e)| match e {
            nebula_engine::effect::DiscordEffect::AlertAdmins { alert } => Some(alert.message),
            _ => None,
        })
        .collect()
}

/// A scripted policy set: each decision can be replaced or made to fail.
#[derive(Default)]
struct Scripted {
    adjust: Mutex<Option<Vec<Adjustment>>>,
    methods: Mutex<Option<Result<Vec<MethodOp>, String>>>,
    servers: Mutex<Option<Result<SelectionOutcome, String>>>,
}

fn fail(kind: PolicyKind, message: &str) -> PolicyError {
    PolicyError {
        kind,
        policy_hash: "feedbeef".into(),
        failure: nebula_engine::policy::PolicyFailure::OverLimit,
        message: message.into(),
    }
}

impl Policies for Scripted {
    fn price(&self, input: &PricingInput) -> Result<PricingDecision, PolicyError> {
        let adjustments = self.adjust.lock().unwrap().clone().unwrap_or_default();
        let _ = input;
        Ok(PricingDecision {
            outcome: PricingOutcome::Adjust { adjustments },
            stamp: PolicyStamp::native("scripted"),
        })
    }
    fn payment_methods(&self, input: &MethodsInput) -> Result<MethodsDecision, PolicyError> {
        match self.methods.lock().unwrap().clone() {
            None => NativePolicies::default().payment_methods(input),
            Some(Ok(ops)) => Ok(MethodsDecision {
                ops,
                stamp: PolicyStamp::native("scripted"),
            }),
            Some(Err(m)) => Err(fail(PolicyKind::PaymentMethods, &m)),
        }
    }
    fn select_server(&self, input: &SelectionInput) -> Result<SelectionDecision, PolicyError> {
        match self.servers.lock().unwrap().clone() {
            None => NativePolicies::default().select_server(input),
            Some(Ok(outcome)) => Ok(SelectionDecision {
                outcome,
                stamp: PolicyStamp::native("scripted"),
            }),
            Some(Err(m)) => Err(fail(PolicyKind::ServerSelection, &m)),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_engine_enforces_what_policies_propose() {
    let policies = Arc::new(Scripted::default());
    let h = Harness::with(policies.clone(), Settings::default()).await;

    // A discount larger than the price: the price stops at zero, with a line that says so.
    *policies.adjust.lock().unwrap() = Some(vec![Adjustment {
        label: "Huge".into(),
        amount: egp(-40_000),
    }]);
    let quote = h.open_order().await.order.quote;
    assert_eq!(quote.total, egp(0));
    assert_eq!(
        quote.adjustments.last().unwrap(),
        &Adjustment {
            label: FLOOR_LABEL.into(),
            amount: egp(15_000)
        }
    );

    // An adjustment in another currency is refused, nothing written.
    *policies.adjust.lock().unwrap() = Some(vec![Adjustment {
        label: "Odd".into(),
        amount: nebula_engine::Money::new(1, nebula_engine::Currency::from_code("USD").unwrap()),
    }]);
    let before = h.dump().await;
    assert!(matches!(
        h.shop().open_order(open()).await,
        Err(ShopError::Money(_))
    ));
    *policies.adjust.lock().unwrap() = None;

    // Payment methods: an unknown id, or a failure, fails closed; all hidden is refused.
    *policies.methods.lock().unwrap() = Some(Ok(vec![MethodOp::Hide {
        id: "crypto".parse().unwrap(),
    }]));
    let err = h.shop().open_order(open()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the payment-methods policy failed (native): unknown method id crypto"
    );
    *policies.methods.lock().unwrap() = Some(Err("out of fuel".into()));
    assert!(matches!(
        h.shop().open_order(open()).await,
        Err(ShopError::Policy(PolicyError {
            kind: PolicyKind::PaymentMethods,
            ..
        }))
    ));
    *policies.methods.lock().unwrap() = Some(Ok(vec![MethodOp::Hide {
        id: "wallet".parse().unwrap(),
    }]));
    assert!(matches!(
        h.shop().open_order(open()).await,
        Err(ShopError::NoPaymentMethod)
    ));
    // No refused order left a trace; the two policy failures (an unknown id, running out of
    // fuel) each alerted the admins.
    assert!(
        nebula_engine::testing::without_outbox(h.dump().await)
            == nebula_engine::testing::without_outbox(before),
        "no refused order left a trace"
    );
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(alerts(&h).len(), 2, "{:?}", alerts(&h));

    // Rename, move and replace: applied in order, instructions validated.
    *policies.methods.lock().unwrap() = Some(Ok(vec![
        MethodOp::Rename {
            id: "wallet".parse().unwrap(),
            label: "Vodafone Cash".into(),
        },
        MethodOp::ReplaceInstructions {
            id: "wallet".parse().unwrap(),
            instructions: "Pay {amount}, note {order}".into(),
        },
    ]));
    let offers = h.open_order().await.order.offers;
    assert_eq!(offers.methods[0].label, "Vodafone Cash");
    assert_eq!(offers.methods[0].instructions, "Pay {amount}, note {order}");
    *policies.methods.lock().unwrap() = None;
}

fn open() -> OpenOrder {
    OpenOrder {
        shopper: SHOPPER,
        roles: vec![],
        plan: "month-50gb".parse().unwrap(),
        coupon: None,
        preferred_region: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_selection_falls_back_and_its_answer_is_checked() {
    let policies = Arc::new(Scripted::default());
    let h = Harness::with(policies.clone(), Settings::default()).await;
    let shop = h.shop();
    let chosen = |r: nebula_engine::shop::OrderRecord| match r.state {
        State::Provisioning { server, .. } => (server, r.order.provision.unwrap()),
        other => panic!("{other:?}"),
    };

    // The policy fails: the built-in least-loaded ranking chooses, and the order says so.
    *policies.servers.lock().unwrap() = Some(Err("trap: unreachable".into()));
    let id = h.order_under_review().await;
    let (server, _) = chosen(shop.approve(ADMIN, id).await.unwrap());
    assert_eq!(server.as_str(), "ams-1", "least loaded, then by id");
    let (_, events) = shop.order_history(id).await.unwrap();
    let Some(nebula_engine::order::Event::Approve {
        placement: nebula_engine::order::Placement::Target { target },
    }) = &events.last().unwrap().event
    else {
        panic!()
    };
    assert!(target.choice.fallback);
    assert_eq!(target.choice.policy.name, "least-loaded-fallback");

    // The policy ranks a server that is not a candidate (draining): the engine ignores it.
    shop.edit_server(
        ADMIN,
        "ams-1".parse().unwrap(),
        ServerEdit {
            status: Some(ServerStatus::Draining),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    *policies.servers.lock().unwrap() = Some(Ok(SelectionOutcome::Ranked {
        servers: vec![
            Ranked {
                id: ServerId::new("ams-1").unwrap(),
                weight: 9,
            },
            Ranked {
                id: ServerId::new("fra-1").unwrap(),
                weight: 1,
            },
        ],
    }));
    let id = h.order_under_review().await;
    assert_eq!(
        chosen(shop.approve(ADMIN, id).await.unwrap()).0.as_str(),
        "fra-1"
    );

    // The policy says no server: the approval is refused with its reason; the order waits.
    *policies.servers.lock().unwrap() = Some(Ok(SelectionOutcome::NoServer {
        reason: "region closed".into(),
    }));
    let id = h.order_under_review().await;
    let err = shop.approve(ADMIN, id).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "no server can take this order: region closed"
    );
    assert_eq!(h.state(id).await, "under_review");

    // Orders still being provisioned count against capacity: fra-1 holds one client and gets
    // room for one more; the approval after that finds every server full.
    *policies.servers.lock().unwrap() = None;
    h.worker().run_until_idle().await.unwrap();
    shop.edit_server(
        ADMIN,
        "fra-1".parse().unwrap(),
        ServerEdit {
            capacity: Some(2),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        chosen(shop.approve(ADMIN, id).await.unwrap()).0.as_str(),
        "fra-1"
    );
    let id = h.order_under_review().await;
    let err = shop.approve(ADMIN, id).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "no server can take this order: every server is down, draining or full"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_is_priced_for_the_viewer_and_sorted() {
    let h = Harness::new().await;
    let mut cheap = month_plan();
    cheap.id = "week".parse().unwrap();
    cheap.name = "Week".into();
    cheap.duration_days = 7;
    cheap.price = egp(9_900);
    cheap.sort_key = 0;
    h.shop().add_plan(ADMIN, cheap).await.unwrap();
    let priced = h.shop().catalogue(Some((SHOPPER, vec![]))).await.unwrap();
    let rows: Vec<_> = priced
        .iter()
        .map(|p| (p.plan.id.as_str(), p.quote.total.to_string()))
        .collect();
    assert_eq!(
        rows,
        [
            ("week", "99.00 EGP".to_string()),
            ("month-50gb", "250.00 EGP".to_string())
        ]
    );
    assert!(
        priced
            .iter()
            .all(|p| p.quote.policy.name == "pricing-native")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_policy_alerts_the_admins_once_an_hour_not_once_a_shopper() {
    let policies = Arc::new(Scripted::default());
    let h = Harness::with(policies.clone(), Settings::default()).await;
    h.worker().run_until_idle().await.unwrap();
    *policies.methods.lock().unwrap() = Some(Err("ran out of fuel (10000000 units)".into()));
    for shopper in 1..=5 {
        let refused = h
            .shop()
            .open_order(OpenOrder {
                shopper: nebula_engine::ids::UserId(shopper),
                ..open()
            })
            .await;
        assert!(matches!(refused, Err(ShopError::Policy(_))), "{refused:?}");
    }
    h.worker().run_until_idle().await.unwrap();
    let said = alerts(&h);
    assert_eq!(said.len(), 1, "five shoppers, one alert: {said:?}");
    assert!(
        said[0].contains("payment-methods policy") && said[0].contains("ran out of fuel"),
        "{said:?}"
    );
    // An hour later, still failing: the admins hear again.
    h.advance(jiff::SignedDuration::from_hours(1));
    assert!(h.shop().open_order(open()).await.is_err());
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(alerts(&h).len(), 2);
}
