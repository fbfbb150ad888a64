//! Hostile policies: each is refused at install or trapped at call within its budget; the host
//! stays up, and the previous version keeps serving.

mod common;

use nebula_engine::testing::without_outbox;

use std::time::{Duration, Instant};

use common::{Harness, wasm};
use nebula_engine::error::ShopError;
use nebula_engine::policy::{Policies, PolicyKind};
use nebula_engine::testing::{ADMIN, egp};
use nebula_plugins::{CallError, InstallError};

/// Installs a hostile pricing policy directly (as if an earlier version of it had passed), then
/// triggers it. The call fails closed with the expected error, quickly, and the next ordinary
/// call works.
async fn trapped_at_call(name: &str, expect: impl Fn(&CallError) -> bool) {
    let h = Harness::with_catalogue().await;
    let report = h
        .admin
        .install(
            ADMIN,
            PolicyKind::Pricing,
            name.into(),
            wasm(&format!("hostile/{name}")),
            None,
        )
        .await
        .unwrap();
    assert_eq!(report.vectors_passed, 0);

    let loaded = h.host.active(PolicyKind::Pricing).unwrap();
    let input = nebula_engine::policy::PricingInput {
        plan: nebula_engine::testing::month_plan(),
        shopper: nebula_engine::policy::ShopperProfile {
            id: common::SHOPPER,
            paid_orders: 0,
            first_seen: None,
            roles: vec![],
        },
        coupon: Some("TRIGGER".into()),
        purchase: nebula_engine::policy::Purchase::New,
        now: "2026-11-24T10:00:00Z".parse().unwrap(),
    };
    let started = Instant::now();
    let err = h.host.decide_pricing(&loaded, &input).unwrap_err();
    assert!(expect(&err), "{name}: unexpected {err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{name}: stopped within its budget ({:?})",
        started.elapsed()
    );

    // Through the engine: pricing fails closed with a typed error; nothing is written but the
    // admins' alert.
    let before = h.shop.dump().await.unwrap();
    let refused = h
        .shop
        .open_order(h.open_order(Some("TRIGGER")))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, ShopError::Policy(ref e) if e.kind == PolicyKind::Pricing && e.policy_hash == loaded.sha256),
        "{refused:?}"
    );
    assert!(
        without_outbox(h.shop.dump().await.unwrap()) == without_outbox(before),
        "{name}: a refused order left a trace"
    );

    // The host is still up: the same policy without the trigger answers.
    let order = h.shop.open_order(h.open_order(None)).await.unwrap().order;
    assert_eq!(order.quote.total, egp(25_000));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_infinite_loop_runs_out_of_fuel() {
    trapped_at_call("infinite-loop", |e| {
        matches!(e, CallError::OutOfFuel { fuel: 10_000_000 })
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_memory_bomb_hits_the_memory_cap() {
    trapped_at_call(
        "memory-bomb",
        |e| matches!(e, CallError::Trap(m) if m.contains("memory")),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deep_recursion_overflows_the_stack_cap() {
    trapped_at_call("deep-recursion", |e| matches!(e, CallError::StackOverflow)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_is_a_trap() {
    trapped_at_call("panic", |e| matches!(e, CallError::Trap(_))).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_output_is_refused() {
    trapped_at_call("oversized-output", |e| {
        matches!(e, CallError::OutputTooLarge { max: 65_536, .. })
    })
    .await;
}

/// With real inputs recorded, the dry run meets the trigger and the install is refused; the
/// previous version keeps serving.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dry_run_refuses_a_policy_that_traps_on_real_inputs() {
    let h = Harness::with_catalogue().await;
    h.admin
        .set_config(
            ADMIN,
            PolicyKind::Pricing,
            common::config(&[("coupon.TRIGGER", "percent=5")]),
        )
        .await
        .unwrap();
    let before = h.host.active(PolicyKind::Pricing).unwrap().sha256.clone();
    h.shop
        .open_order(h.open_order(Some("TRIGGER")))
        .await
        .unwrap();
    for name in ["infinite-loop", "panic", "memory-bomb"] {
        let err = h
            .admin
            .install(
                ADMIN,
                PolicyKind::Pricing,
                name.into(),
                wasm(&format!("hostile/{name}")),
                None,
            )
            .await
            .unwrap_err();
        assert!(
            matches!(err, InstallError::DryRunFailed { .. }),
            "{name}: {err:?}"
        );
        assert_eq!(
            h.host.active(PolicyKind::Pricing).unwrap().sha256,
            before,
            "{name}: the old version still serves"
        );
    }
    assert_eq!(
        h.shop
            .policy_versions(Some(PolicyKind::Pricing))
            .await
            .unwrap()
            .len(),
        1,
        "nothing was stored"
    );
    let order = h
        .shop
        .open_order(h.open_order(Some("TRIGGER")))
        .await
        .unwrap()
        .order;
    assert_eq!(order.quote.total, egp(23_750));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn components_of_the_wrong_shape_are_refused_with_a_message_that_says_which() {
    let h = Harness::with_catalogue().await;
    let install = |kind, bytes: Vec<u8>| {
        let admin = h.admin.clone();
        async move {
            admin
                .install(ADMIN, kind, "x".into(), bytes, None)
                .await
                .unwrap_err()
        }
    };

    let wrong_world = install(PolicyKind::Pricing, wasm("server-balanced")).await;
    assert_eq!(
        wrong_world.to_string(),
        "this is a server-selection policy, not a pricing policy"
    );

    let old_wit = install(PolicyKind::Pricing, wasm("hostile/old-wit")).await;
    assert_eq!(
        old_wit.to_string(),
        "this policy was built for nebula:policy@0.9.0; this shop speaks nebula:policy@1.0.0"
    );

    let mut noise = vec![0u8; 4096];
    let mut x = 0x2545_f491_u32;
    for b in &mut noise {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *b = x as u8;
    }
    assert!(matches!(
        install(PolicyKind::Pricing, noise).await,
        InstallError::NotAComponent(_)
    ));

    // A plain core module (not a component) is not a policy either.
    let core = b"\0asm\x01\0\0\0".to_vec();
    assert!(matches!(
        install(PolicyKind::Pricing, core).await,
        InstallError::NotAComponent(_)
    ));

    let too_big = vec![0u8; h.host.limits().max_policy_bytes + 1];
    assert!(matches!(
        install(PolicyKind::Pricing, too_big).await,
        InstallError::TooLarge { .. }
    ));

    // Nothing was stored, and pricing still works.
    assert_eq!(
        h.shop
            .policy_versions(Some(PolicyKind::Pricing))
            .await
            .unwrap()
            .len(),
        1
    );
    let priced = h.host.price(&nebula_engine::policy::PricingInput {
        plan: nebula_engine::testing::month_plan(),
        shopper: nebula_engine::policy::ShopperProfile {
            id: common::SHOPPER,
            paid_orders: 1,
            first_seen: None,
            roles: vec![],
        },
        coupon: None,
        purchase: nebula_engine::policy::Purchase::New,
        now: "2026-11-24T10:00:00Z".parse().unwrap(),
    });
    assert!(priced.is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_server_selection_policy_falls_back_to_the_built_in_ranking() {
    let h = Harness::with_catalogue().await;
    // A pricing component installed as server selection would be refused; instead make the
    // selection policy fail at call time by giving it an input over the size cap.
    let mut big = nebula_engine::testing::server("big", "eu", 100);
    big.tags = vec!["t".repeat(1000); 300];
    h.shop.add_server(ADMIN, big).await.unwrap();
    let id = h
        .shop
        .open_order(h.open_order(None))
        .await
        .unwrap()
        .order
        .id;
    h.shop
        .choose_method(
            nebula_engine::Actor::Shopper(common::SHOPPER),
            id,
            "wallet".parse().unwrap(),
        )
        .await
        .unwrap();
    let proof = nebula_engine::shop::ProofUpload {
        filename: "p.png".into(),
        content_type: "image/png".into(),
        bytes: vec![9],
    };
    h.shop
        .submit_proof(nebula_engine::Actor::Shopper(common::SHOPPER), id, proof)
        .await
        .unwrap();
    let record = h.shop.approve(ADMIN, id).await.unwrap();
    let (_, events) = h.shop.order_history(id).await.unwrap();
    let Some(nebula_engine::order::Event::Approve {
        placement: nebula_engine::order::Placement::Target { target },
    }) = &events.last().unwrap().event
    else {
        panic!("{events:?}")
    };
    assert!(target.choice.fallback, "the built-in ranking chose");
    assert_eq!(record.state.name(), "provisioning");
}
