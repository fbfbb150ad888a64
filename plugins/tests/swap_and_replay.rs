//! Hot swap under load, determinism, replay, dry runs, rollback, and loading again after a
//! restart from the artifacts the host made itself.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use common::{Harness, SHOPPER, config, wasm};
use nebula_engine::policy::{Policies, PolicyKind, PricingInput, Purchase, ShopperProfile};
use nebula_engine::testing::{ADMIN, egp, month_plan};

fn pricing_input(coupon: Option<&str>) -> PricingInput {
    PricingInput {
        plan: month_plan(),
        shopper: ShopperProfile {
            id: SHOPPER,
            paid_orders: 0,
            first_seen: None,
            roles: vec![42],
        },
        coupon: coupon.map(Into::into),
        purchase: Purchase::New,
        now: "2026-11-24T10:00:00Z".parse().unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swapping_a_hundred_times_under_load_fails_no_call() {
    let h = Harness::with_catalogue().await;
    let default_sha = h.host.active(PolicyKind::Pricing).unwrap().sha256.clone();
    let sale = h
        .admin
        .install(
            ADMIN,
            PolicyKind::Pricing,
            "weekend-sale".into(),
            wasm("weekend-sale"),
            Some(config(&[("days", "tue")])),
        )
        .await
        .unwrap()
        .version
        .sha256;

    let stop = Arc::new(AtomicBool::new(false));
    let (calls, failures) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let seen = Arc::new(std::sync::Mutex::new(std::collections::BTreeSet::new()));
    let callers: Vec<_> = (0..2)
        .map(|_| {
            let (host, stop, calls, failures, seen) = (
                h.host.clone(),
                stop.clone(),
                calls.clone(),
                failures.clone(),
                seen.clone(),
            );
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match host.price(&pricing_input(None)) {
                        Ok(d) => {
                            seen.lock().unwrap().insert(d.stamp.name);
                        }
                        Err(e) => {
                            eprintln!("failed call: {e}");
                            failures.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    calls.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();

    for i in 0..100 {
        let (sha, cfg) = if i % 2 == 0 {
            (&default_sha, vec![])
        } else {
            (&sale, config(&[("days", "tue")]))
        };
        h.admin
            .activate(ADMIN, PolicyKind::Pricing, sha.clone(), Some(cfg))
            .await
            .unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    for c in callers {
        c.join().unwrap();
    }
    assert_eq!(
        failures.load(Ordering::Relaxed),
        0,
        "of {} calls",
        calls.load(Ordering::Relaxed)
    );
    assert!(calls.load(Ordering::Relaxed) > 100);
    assert_eq!(
        *seen.lock().unwrap(),
        ["pricing-default".to_string(), "weekend-sale".to_string()].into()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_input_gives_the_same_output_and_fuel() {
    let h = Harness::with_catalogue().await;
    h.admin
        .set_config(
            ADMIN,
            PolicyKind::Pricing,
            config(&[
                ("coupon.WELCOME", "percent=20"),
                ("first-order.percent", "10"),
            ]),
        )
        .await
        .unwrap();
    let input = pricing_input(Some("WELCOME"));
    let first = h.host.price(&input).unwrap();
    for _ in 0..5 {
        assert_eq!(
            h.host.price(&input).unwrap(),
            first,
            "outcome and stamp (fuel included)"
        );
    }
    assert!(first.stamp.fuel > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_decision_of_an_order_replays_exactly_even_after_the_policy_changed() {
    let h = Harness::with_catalogue().await;
    h.admin
        .set_config(
            ADMIN,
            PolicyKind::Pricing,
            config(&[("first-order.percent", "10")]),
        )
        .await
        .unwrap();
    let id = h
        .shop
        .open_order(h.open_order(None))
        .await
        .unwrap()
        .order
        .id;
    // Change the live policy and its config; the order's decisions still replay on what made them.
    h.admin
        .install(
            ADMIN,
            PolicyKind::Pricing,
            "weekend-sale".into(),
            wasm("weekend-sale"),
            Some(config(&[("days", "tue")])),
        )
        .await
        .unwrap();
    let replayed = h.admin.replay(id).await.unwrap();
    assert_eq!(replayed.len(), 2, "pricing and payment methods");
    for r in &replayed {
        assert_eq!(r.reproduced, Some(true), "{r:?}");
    }
    assert_eq!(replayed[0].stamp.name, "pricing-default");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_counts_the_decisions_that_would_change() {
    let h = Harness::with_catalogue().await;
    for _ in 0..7 {
        h.shop.open_order(h.open_order(None)).await.unwrap();
    }
    let (vectors, report) = h
        .admin
        .dry_run(
            PolicyKind::Pricing,
            wasm("weekend-sale"),
            Some(config(&[("days", "tue")])),
        )
        .await
        .unwrap();
    assert_eq!(vectors, 3);
    assert_eq!(
        (report.checked, report.changed, report.examples.len()),
        (7, 7, 5)
    );
    assert!(
        report.examples[0].after.contains("Weekend sale (-15%)"),
        "{:?}",
        report.examples[0]
    );
    let (_, same) = h
        .admin
        .dry_run(
            PolicyKind::Pricing,
            wasm("weekend-sale"),
            Some(config(&[("days", "sat")])),
        )
        .await
        .unwrap();
    assert_eq!((same.checked, same.changed), (7, 0));
    assert_eq!(
        h.shop
            .policy_versions(Some(PolicyKind::Pricing))
            .await
            .unwrap()
            .len(),
        1,
        "a dry run stores nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rollback_restores_an_earlier_version() {
    let h = Harness::with_catalogue().await;
    let first = h.host.active(PolicyKind::Pricing).unwrap().sha256.clone();
    h.admin
        .install(
            ADMIN,
            PolicyKind::Pricing,
            "weekend-sale".into(),
            wasm("weekend-sale"),
            Some(config(&[("days", "tue")])),
        )
        .await
        .unwrap();
    assert_eq!(
        h.shop
            .open_order(h.open_order(None))
            .await
            .unwrap()
            .order
            .quote
            .total,
        egp(21_250)
    );
    h.admin
        .activate(ADMIN, PolicyKind::Pricing, first.clone(), None)
        .await
        .unwrap();
    assert_eq!(
        h.shop
            .open_order(h.open_order(None))
            .await
            .unwrap()
            .order
            .quote
            .total,
        egp(25_000)
    );
    let unknown = h
        .admin
        .activate(ADMIN, PolicyKind::Pricing, "00".repeat(32), None)
        .await
        .unwrap_err();
    assert!(
        unknown
            .to_string()
            .starts_with("no stored pricing policy version")
    );
    let audit = h
        .shop
        .audit(
            nebula_engine::audit::AuditFilter {
                action: Some("policy.activate".into()),
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(
        audit.entries.len(),
        3 + 2,
        "three built-ins, the install, the rollback"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_the_active_versions_load_again_and_foreign_artifacts_are_not_trusted() {
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
    let sha = report.version.sha256;
    let fingerprint = h.host.fingerprint();
    assert!(
        h.shop
            .policy_artifact(sha.clone(), fingerprint)
            .await
            .unwrap()
            .is_some(),
        "the compiled artifact is cached"
    );

    let h = h.restart().await;
    let active = h.host.active(PolicyKind::Pricing).unwrap();
    assert_eq!(
        (active.name.as_str(), active.sha256.as_str()),
        ("weekend-sale", sha.as_str())
    );
    assert_eq!(active.config, config(&[("days", "tue")]));
    assert_eq!(
        h.shop
            .open_order(h.open_order(None))
            .await
            .unwrap()
            .order
            .quote
            .total,
        egp(21_250)
    );

    // An artifact that is not what this host made (bad checksum) is never loaded: the policy
    // is compiled again from its wasm, and the artifact replaced.
    let mut forged = vec![0u8; 32];
    forged.extend_from_slice(b"not machine code");
    h.shop
        .put_policy_artifact(sha.clone(), fingerprint, forged.clone())
        .await
        .unwrap();
    let h = h.restart().await;
    assert_eq!(h.host.active(PolicyKind::Pricing).unwrap().sha256, sha);
    let artifact = h
        .shop
        .policy_artifact(sha.clone(), fingerprint)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(artifact, forged);
    assert_eq!(
        h.shop
            .open_order(h.open_order(None))
            .await
            .unwrap()
            .order
            .quote
            .total,
        egp(21_250)
    );
}
