//! The default policies through the real wasm host and the real engine.

mod common;

use common::{Harness, SHOPPER, config, wasm};
use nebula_engine::actor::Actor;
use nebula_engine::error::ShopError;
use nebula_engine::policy::{Policies, PolicyKind, SelectionInput, SelectionOutcome};
use nebula_engine::server::{ServerEdit, ServerStatus};
use nebula_engine::testing::{ADMIN, egp, month_plan};
use nebula_plugins::builtin;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_shop_runs_the_built_in_policies_and_they_pass_their_vectors() {
    let h = Harness::new().await;
    let listing = h.admin.list().await.unwrap();
    assert_eq!(listing.len(), 3);
    assert!(
        listing
            .iter()
            .all(|l| l.active && l.version.installed_by == Actor::System)
    );
    for b in builtin::DEFAULTS.iter().chain(&builtin::EXAMPLES) {
        let (vectors, dry) = h
            .admin
            .dry_run(b.kind, b.bytes.to_vec(), None)
            .await
            .unwrap();
        assert!(vectors >= 3, "{} ships test vectors", b.name);
        assert_eq!(dry.checked, 0, "a new shop has no recorded inputs");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coupon_and_a_first_order_discount_stack_and_expired_coupons_are_refused() {
    let h = Harness::with_catalogue().await;
    let pricing = config(&[
        ("coupon.WELCOME", "percent=20"),
        ("coupon.SUMMER", "percent=30; until=2026-08-31"),
        ("first-order.percent", "10"),
    ]);
    h.admin
        .set_config(ADMIN, PolicyKind::Pricing, pricing)
        .await
        .unwrap();

    let order = h
        .shop
        .open_order(h.open_order(Some("welcome")))
        .await
        .unwrap()
        .order;
    let lines: Vec<_> = order
        .quote
        .adjustments
        .iter()
        .map(|a| (a.label.as_str(), a.amount))
        .collect();
    assert_eq!(
        lines,
        [
            ("Coupon WELCOME (-20%)", egp(-5_000)),
            ("First order (-10%)", egp(-2_500))
        ]
    );
    assert_eq!(order.quote.total, egp(17_500));
    assert_eq!(order.quote.policy.name, "pricing-default");
    assert!(
        order.quote.policy.fuel > 0,
        "the wasm call's fuel is recorded"
    );

    let expired = h
        .shop
        .open_order(h.open_order(Some("SUMMER")))
        .await
        .unwrap_err();
    assert_eq!(expired.to_string(), "Coupon SUMMER expired on 2026-08-31.");
    let unknown = h
        .shop
        .open_order(h.open_order(Some("FREE")))
        .await
        .unwrap_err();
    assert!(matches!(unknown, ShopError::PricingRejected { .. }));
    assert_eq!(unknown.to_string(), "Unknown coupon FREE.");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_every_method_is_hidden_the_order_is_refused() {
    let h = Harness::with_catalogue().await;
    // The wallet only takes up to 100.00 EGP; the plan costs 250.00.
    let edit = nebula_engine::payment_method::MethodEdit {
        max: Some(Some(egp(10_000))),
        ..Default::default()
    };
    h.shop
        .edit_method(ADMIN, "wallet".parse().unwrap(), edit)
        .await
        .unwrap();
    let err = h.shop.open_order(h.open_order(None)).await.unwrap_err();
    assert!(matches!(err, ShopError::NoPaymentMethod), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_healthy_server_the_policy_says_so() {
    let h = Harness::with_catalogue().await;
    let input = SelectionInput {
        plan: month_plan(),
        preferred_region: Some("eu".into()),
        candidates: vec![nebula_engine::policy::Candidate {
            id: "fra-1".parse().unwrap(),
            region: "eu".into(),
            capacity: 10,
            active_clients: 10,
            status: ServerStatus::Up,
            load_permille: 1000,
            tags: vec![],
        }],
    };
    let decision = h.host.select_server(&input).unwrap();
    assert_eq!(
        decision.outcome,
        SelectionOutcome::NoServer {
            reason: "No server that is up has free capacity.".into()
        }
    );

    // Through the engine: with every server draining, approval is refused and the order waits.
    for id in ["fra-1", "nyc-1"] {
        let edit = ServerEdit {
            status: Some(ServerStatus::Draining),
            ..Default::default()
        };
        h.shop
            .edit_server(ADMIN, id.parse().unwrap(), edit)
            .await
            .unwrap();
    }
    let id = h
        .shop
        .open_order(h.open_order(None))
        .await
        .unwrap()
        .order
        .id;
    h.shop
        .choose_method(Actor::Shopper(SHOPPER), id, "wallet".parse().unwrap())
        .await
        .unwrap();
    let proof = nebula_engine::shop::ProofUpload {
        filename: "p.png".into(),
        content_type: "image/png".into(),
        bytes: vec![1, 2, 3],
    };
    h.shop
        .submit_proof(Actor::Shopper(SHOPPER), id, proof)
        .await
        .unwrap();
    let err = h.shop.approve(ADMIN, id).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "no server can take this order: every server is down, draining or full"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_selection_ranks_the_shoppers_region_first_by_free_capacity() {
    let h = Harness::with_catalogue().await;
    let mut order = h.open_order(None);
    order.preferred_region = Some("us".into());
    let id = h.shop.open_order(order).await.unwrap().order.id;
    h.shop
        .choose_method(Actor::Shopper(SHOPPER), id, "wallet".parse().unwrap())
        .await
        .unwrap();
    let proof = nebula_engine::shop::ProofUpload {
        filename: "p.png".into(),
        content_type: "image/png".into(),
        bytes: vec![4],
    };
    h.shop
        .submit_proof(Actor::Shopper(SHOPPER), id, proof)
        .await
        .unwrap();
    let record = h.shop.approve(ADMIN, id).await.unwrap();
    let p = record.order.provision.unwrap();
    assert_eq!(p.server.as_str(), "nyc-1");
    let decisions = h.shop.order_decisions(id).await.unwrap();
    assert_eq!(
        decisions.len(),
        3,
        "pricing, payment methods, server selection"
    );
    assert!(
        decisions
            .iter()
            .all(|d| d.decision.stamp().hash.len() == 64)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_policies_install_and_decide() {
    let h = Harness::with_catalogue().await;
    let report = h
        .admin
        .install(
            ADMIN,
            PolicyKind::Pricing,
            "weekend-sale".into(),
            wasm("weekend-sale"),
            Some(config(&[("days", "tue")])),
        )
        .await
        .unwrap();
    assert_eq!(report.active.name, "weekend-sale");
    // 2026-11-24 is a Tuesday.
    let order = h.shop.open_order(h.open_order(None)).await.unwrap().order;
    assert_eq!(order.quote.total, egp(21_250));

    h.admin
        .install(
            ADMIN,
            PolicyKind::ServerSelection,
            "region-affinity".into(),
            wasm("region-affinity"),
            None,
        )
        .await
        .unwrap();
    let input = SelectionInput {
        plan: month_plan(),
        preferred_region: Some("mars".into()),
        candidates: vec![],
    };
    let decision = h.host.select_server(&input).unwrap();
    assert_eq!(
        decision.outcome,
        SelectionOutcome::NoServer {
            reason: "No server with room in region mars.".into()
        }
    );
}
