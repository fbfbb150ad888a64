//! The background jobs over a real redb file with a controlled clock: exactly the due items are
//! handled, each reminder goes out once, nothing happens twice across a restart, and the
//! sweeps read only what is due, also among 100,000 subscriptions.

mod common;

use std::sync::Arc;

use common::{Harness, SHOPPER};
use jiff::{SignedDuration, Timestamp};
use nebula_engine::audit::AuditFilter;
use nebula_engine::clock::Clock;
use nebula_engine::effect::{DiscordEffect, PanelAction, SubscriptionNotice};
use nebula_engine::executor::{ExecError, PanelClient, Panels};
use nebula_engine::ids::{ServerId, UserId};
use nebula_engine::jobs::{JobKind, Jobs, JobsConfig, Scheduler, TickOutcome};
use nebula_engine::plan::TrafficLimit;
use nebula_engine::server::Server;
use nebula_engine::subscription::{Subscription, SubscriptionStatus};
use nebula_engine::testing::{ADMIN, MemoryClient, MemoryPanel, month_plan, seeded_subscription};

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

fn jobs(h: &Harness) -> Jobs<MemoryPanel> {
    Jobs::new(h.shop().clone(), h.panel.clone(), JobsConfig::default())
}

/// Buys the month plan for `shopper` and runs the outbox until the access is delivered.
async fn fulfil(h: &Harness, shopper: UserId) -> Subscription {
    let id = h.order_under_review_for(shopper).await;
    h.shop().approve(ADMIN, id).await.unwrap();
    h.worker().run_until_idle().await.unwrap();
    let subs = h.shop().subscriptions_of(shopper).await.unwrap();
    subs.into_iter().last().expect("a subscription")
}

/// The subscriber notices handed to Discord so far.
fn notices(h: &Harness) -> Vec<SubscriptionNotice> {
    h.discord.notices()
}

fn alerts(h: &Harness) -> Vec<String> {
    h.discord
        .calls()
        .into_iter()
        .filter_map(|(_, e)| match e {
            DiscordEffect::AlertAdmins { alert } => Some(alert.message),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_expiry_and_deletion_each_happen_once_even_across_a_restart() {
    let mut h = Harness::new().await;
    let sub = fulfil(&h, SHOPPER).await;
    let end = sub.expires_at;
    let clock = h.clock.clone();
    let until = move |t: Timestamp| t.duration_since(clock.now());

    // Nothing is due yet: the run reads nothing.
    let r = jobs(&h).run(JobKind::Expiry).await.unwrap();
    assert_eq!((r.handled, r.rows_read), (0, 0));

    h.advance(until(end - hours(72)) + SignedDuration::from_mins(1));
    let r = jobs(&h).run(JobKind::Expiry).await.unwrap();
    assert_eq!(
        (r.handled, r.rows_read),
        (1, 2),
        "one timer row and its subscription"
    );
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(notices(&h).len(), 1);
    assert!(
        matches!(notices(&h)[0], SubscriptionNotice::EndingSoon { expires_at } if expires_at == end)
    );

    // Again, and after a restart: the reminder is not sent twice.
    assert_eq!(jobs(&h).run(JobKind::Expiry).await.unwrap().handled, 0);
    h.reopen().await;
    assert_eq!(jobs(&h).run(JobKind::Expiry).await.unwrap().handled, 0);
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(notices(&h).len(), 1);

    h.advance(until(end - hours(24)));
    jobs(&h).run(JobKind::Expiry).await.unwrap();
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(notices(&h).len(), 2, "the 24-hour reminder");

    // At the end: disabled on the panel, expired, told once.
    h.advance(until(end) + SignedDuration::from_secs(1));
    assert_eq!(jobs(&h).run(JobKind::Expiry).await.unwrap().handled, 1);
    h.reopen().await;
    assert_eq!(jobs(&h).run(JobKind::Expiry).await.unwrap().handled, 0);
    h.worker().run_until_idle().await.unwrap();
    let now = h.shop().subscription(sub.id).await.unwrap();
    assert_eq!(now.status, SubscriptionStatus::Expired);
    assert!(!h.panel.clients()[&sub.client_email].enabled);
    assert_eq!(h.panel.managed().len(), 1);
    assert!(matches!(notices(&h)[2], SubscriptionNotice::Expired { .. }));

    // Inside the grace period nothing more; after it, deleted from the panel once.
    h.advance(hours(24 * 6));
    assert_eq!(jobs(&h).run(JobKind::Expiry).await.unwrap().handled, 0);
    h.advance(hours(24) + SignedDuration::from_secs(1));
    assert_eq!(jobs(&h).run(JobKind::Expiry).await.unwrap().handled, 1);
    assert_eq!(jobs(&h).run(JobKind::Expiry).await.unwrap().rows_read, 0);
    h.worker().run_until_idle().await.unwrap();
    assert_eq!(
        h.shop().subscription(sub.id).await.unwrap().status,
        SubscriptionStatus::Deleted
    );
    assert!(!h.panel.clients().contains_key(&sub.client_email));
    let actions: Vec<PanelAction> = h.panel.managed().iter().map(|op| op.action).collect();
    assert_eq!(actions, [PanelAction::Disable, PanelAction::Delete]);
    let audit = h
        .shop()
        .audit(
            AuditFilter {
                target: Some(format!("subscription:{}", sub.id)),
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    let mut actions: Vec<&str> = audit.entries.iter().map(|e| e.action.as_str()).collect();
    actions.reverse();
    assert_eq!(actions, ["subscription.expire", "subscription.delete"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traffic_is_one_call_per_server_warns_at_80_and_suspends_at_100_percent() {
    let h = Harness::new().await;
    let a = fulfil(&h, UserId(101)).await;
    let b = fulfil(&h, UserId(102)).await;
    let gb = 1_000_000_000;

    h.panel.add_usage(&a.client_email, 41 * gb); // 82% of 50 GB
    h.panel.add_usage(&b.client_email, 10 * gb);
    let r = jobs(&h).run(JobKind::Traffic).await.unwrap();
    assert_eq!(r.gateway_calls, 2, "one bulk call per server");
    assert_eq!(r.handled, 2, "both usages stored");
    jobs(&h).run(JobKind::Traffic).await.unwrap();
    h.worker().run_until_idle().await.unwrap();
    let warned: Vec<u8> = notices(&h)
        .iter()
        .map(|n| match n {
            SubscriptionNotice::Traffic { percent, .. } => *percent,
            _ => 0,
        })
        .collect();
    assert_eq!(warned, [80], "the 80% notice once, only to the one over it");
    assert_eq!(
        h.shop().subscription(b.id).await.unwrap().used_bytes,
        10 * gb
    );

    h.panel.add_usage(&a.client_email, 9 * gb); // 100%
    jobs(&h).run(JobKind::Traffic).await.unwrap();
    h.worker().run_until_idle().await.unwrap();
    let a_now = h.shop().subscription(a.id).await.unwrap();
    assert_eq!(a_now.status, SubscriptionStatus::Suspended);
    assert!(!h.panel.clients()[&a.client_email].enabled);
    assert!(matches!(
        notices(&h).last(),
        Some(SubscriptionNotice::Traffic { percent: 100, .. })
    ));
    let calls: u32 = h.panel.bulk_calls().values().sum();
    assert_eq!(calls, 6, "three runs over two servers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_changes_are_told_once_and_a_down_server_is_not_offered() {
    let h = Harness::new().await;
    let fra: ServerId = "fra-1".parse().unwrap();
    h.panel.set_down(&fra, true);
    let r = jobs(&h).run(JobKind::Health).await.unwrap();
    assert_eq!((r.gateway_calls, r.failures, r.handled), (2, 1, 1));
    assert_eq!(jobs(&h).run(JobKind::Health).await.unwrap().handled, 0);
    h.worker().run_until_idle().await.unwrap();
    let a = alerts(&h);
    assert_eq!(a.len(), 1);
    assert!(a[0].contains("fra-1 is down"), "{a:?}");

    for n in 0..3 {
        let sub = fulfil(&h, UserId(200 + n)).await;
        assert_eq!(sub.server.as_str(), "ams-1", "fra-1 is down");
    }
    let health = h.shop().server_health().await.unwrap();
    assert!(health.iter().any(|(s, hl)| s == &fra && !hl.up));

    h.advance(SignedDuration::from_mins(5));
    h.panel.set_down(&fra, false);
    assert_eq!(jobs(&h).run(JobKind::Health).await.unwrap().handled, 1);
    h.worker().run_until_idle().await.unwrap();
    assert!(alerts(&h)[1].contains("fra-1 is back up"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_closes_old_channels_then_purges_proofs_but_keeps_the_accounts() {
    let h = Harness::new().await;
    let sub = fulfil(&h, SHOPPER).await;
    let order = sub.orders[0];
    assert_eq!(h.size("proof_blobs_v1").await, 1, "the screenshot is kept");

    h.advance(hours(23));
    assert_eq!(jobs(&h).run(JobKind::Retention).await.unwrap().handled, 0);
    h.advance(hours(2));
    let r = jobs(&h).run(JobKind::Retention).await.unwrap();
    assert_eq!(r.handled, 1, "the channel close is enqueued");
    assert_eq!(jobs(&h).run(JobKind::Retention).await.unwrap().rows_read, 0);
    assert_eq!(h.size("proof_blobs_v1").await, 1);

    h.advance(hours(24 * 90));
    assert_eq!(jobs(&h).run(JobKind::Retention).await.unwrap().handled, 1);
    assert_eq!(h.size("proof_blobs_v1").await, 0, "the screenshot is gone");
    let record = h.shop().order(order).await.unwrap();
    assert!(record.order.purged_at.is_some());
    assert_eq!(record.order.quote.total.minor, 25_000, "the amount stays");
    let audit = h
        .shop()
        .audit(
            AuditFilter {
                target: Some(format!("order:{order}")),
                ..Default::default()
            },
            None,
            50,
        )
        .await
        .unwrap();
    assert!(audit.entries.iter().any(|e| e.action == "order.purge"));
    assert!(
        audit.entries.iter().any(|e| e.action == "order.approve"),
        "the trail stays"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconciliation_reports_drift_and_changes_nothing() {
    let h = Harness::new().await;
    let a = fulfil(&h, UserId(101)).await;
    let b = fulfil(&h, UserId(102)).await;
    let c = fulfil(&h, UserId(103)).await;
    h.panel.remove_client(&a.client_email);
    let mut changed = h.panel.clients()[&b.client_email].clone();
    changed.expires_at += hours(240);
    h.panel.put_client(&b.client_email, changed);
    h.panel.put_client(
        "stranger@nowhere",
        MemoryClient {
            server: c.server.clone(),
            expires_at: c.expires_at,
            link: "vless://x".into(),
            enabled: true,
            used_bytes: 0,
            traffic_limit_bytes: 0,
        },
    );
    let before = h.panel.clients();
    let r = jobs(&h).run(JobKind::Reconciliation).await.unwrap();
    assert_eq!(r.handled, 3, "missing, different expiry, extra");
    h.worker().run_until_idle().await.unwrap();
    let text = alerts(&h).join("\n");
    assert!(
        text.contains(&format!("{}: missing on the panel", a.client_email)),
        "{text}"
    );
    assert!(
        text.contains(&format!("{}: expiry", b.client_email)),
        "{text}"
    );
    assert!(
        text.contains("stranger@nowhere: on the panel, unknown to the shop"),
        "{text}"
    );
    assert_eq!(
        h.panel.clients(),
        before,
        "nothing deleted or changed on the panels"
    );
    assert!(h.panel.managed().is_empty());
    for s in [&a, &b, &c] {
        assert_eq!(
            h.shop().subscription(s.id).await.unwrap().status,
            SubscriptionStatus::Active
        );
    }
}

/// A panel whose bulk call waits until released: a job still running at its next tick.
struct SlowPanels {
    gate: tokio::sync::Semaphore,
    calls: std::sync::atomic::AtomicUsize,
}

impl Panels for SlowPanels {
    async fn clients(&self, _: &Server) -> Result<Vec<PanelClient>, ExecError> {
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let _permit = self
            .gate
            .acquire()
            .await
            .map_err(|e| ExecError::transient(e.to_string()))?;
        Ok(vec![])
    }
    async fn health(&self, _: &Server) -> Result<(), ExecError> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheduler_follows_the_clock_and_never_starts_a_job_twice() {
    let h = Harness::new().await; // 10:00 UTC
    let panels = Arc::new(SlowPanels {
        gate: tokio::sync::Semaphore::new(0),
        calls: Default::default(),
    });
    let scheduler = Scheduler::new(Jobs::new(
        h.shop().clone(),
        panels.clone(),
        JobsConfig::default(),
    ));
    assert!(scheduler.tick().await.is_empty(), "nothing is due at start");

    h.advance(SignedDuration::from_mins(2)); // 10:02: the unpaid-order sweep (every minute)
    let ticked = scheduler.tick().await;
    assert_eq!(ticked, [(JobKind::UnpaidTimeout, TickOutcome::Started)]);

    h.advance(hours(2)); // 12:02: traffic (every 6 hours, at 12:00) is due, with others
    let ticked = scheduler.tick().await;
    assert!(
        ticked.contains(&(JobKind::Traffic, TickOutcome::Started)),
        "{ticked:?}"
    );
    while panels.calls.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    h.advance(hours(6)); // 18:02: due again while the first run still waits on the panel
    let ticked = scheduler.tick().await;
    assert!(
        ticked.contains(&(JobKind::Traffic, TickOutcome::StillRunning)),
        "{ticked:?}"
    );
    panels.gate.add_permits(100);
    scheduler.wait_idle().await;
    assert_eq!(
        panels.calls.load(std::sync::atomic::Ordering::SeqCst),
        2,
        "one run, two servers"
    );

    h.advance(hours(6));
    let ticked = scheduler.tick().await;
    assert!(
        ticked.contains(&(JobKind::Traffic, TickOutcome::Started)),
        "runs again once free"
    );
    scheduler.wait_idle().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn among_100k_subscriptions_the_sweeps_read_only_what_is_due() {
    let h = Harness::new().await;
    let now = h.clock.now();
    for s in 2..=9 {
        h.shop()
            .add_server(
                ADMIN,
                nebula_engine::testing::server(&format!("srv-{s}"), "eu", 20_000),
            )
            .await
            .unwrap();
    }
    let servers: Vec<String> = h
        .shop()
        .servers()
        .await
        .unwrap()
        .iter()
        .map(|s| s.id.to_string())
        .collect();
    assert_eq!(servers.len(), 10);
    const N: u64 = 100_000;
    const DUE: u64 = 37;
    let mut subs = Vec::new();
    for i in 0..N {
        // 37 end within the next hour; the rest over the next 60 days.
        let ends = if i < DUE {
            now + SignedDuration::from_mins(1 + i as i64)
        } else {
            now + hours(2 + (i % 1440) as i64)
        };
        let sub = seeded_subscription(i, &servers[(i % 10) as usize], ends, now);
        h.panel.put_client(
            &sub.client_email,
            MemoryClient {
                server: sub.server.clone(),
                expires_at: ends,
                link: String::new(),
                enabled: true,
                used_bytes: 0,
                traffic_limit_bytes: 50_000_000_000,
            },
        );
        subs.push(sub);
        if subs.len() == 20_000 {
            h.shop()
                .seed_subscriptions(std::mem::take(&mut subs))
                .await
                .unwrap();
        }
    }
    // Five unpaid orders, two of them overdue.
    for _ in 0..2 {
        h.open_order().await;
    }
    h.advance(SignedDuration::from_mins(31));
    for _ in 0..3 {
        h.open_order().await;
    }
    h.advance(SignedDuration::from_mins(29));

    let r = jobs(&h).run(JobKind::UnpaidTimeout).await.unwrap();
    assert_eq!((r.rows_read, r.handled), (2, 2), "only the overdue orders");
    let r = jobs(&h).run(JobKind::Expiry).await.unwrap();
    assert_eq!(r.handled as u64, DUE);
    assert_eq!(
        r.rows_read as u64,
        2 * DUE,
        "each due timer row and its subscription"
    );

    let r = jobs(&h).run(JobKind::Traffic).await.unwrap();
    assert_eq!(r.gateway_calls, 10, "one bulk call per server");
    assert_eq!(h.panel.bulk_calls().values().sum::<u32>(), 10);
    assert_eq!(h.panel.bulk_calls().len(), 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traffic_limits_in_the_seed_match_the_plan() {
    // Guards the scale test's assumption.
    assert_eq!(month_plan().traffic, TrafficLimit::Bytes(50_000_000_000));
}
