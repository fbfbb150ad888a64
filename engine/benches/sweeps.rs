//! The cost of each background sweep as the shop grows: 10k, 100k and 1M subscriptions on 10
//! servers, with the same number of due items each time. The expiry and timeout sweeps read
//! an index by due time, so their cost should stay flat; traffic and reconciliation must look
//! at every subscription, so theirs grows, but with one gateway call per server.
//!
//! `cargo bench -p nebula-engine --bench sweeps` (`SWEEP_SIZES=10000,100000` to choose).

use std::sync::Arc;
use std::time::Instant;

use jiff::{SignedDuration, Timestamp};
use nebula_engine::Shop;
use nebula_engine::clock::{Clock, ManualClock};
use nebula_engine::ids::UserId;
use nebula_engine::jobs::{JobKind, Jobs, JobsConfig};
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::{OpenOrder, Settings};
use nebula_engine::testing::{
    ADMIN, MemoryClient, MemoryPanel, month_plan, seeded_subscription, server, wallet_method,
};

const SERVERS: usize = 10;
const DUE: u64 = 100;
const OVERDUE_ORDERS: u64 = 20;

struct Row {
    size: u64,
    job: JobKind,
    ms: f64,
    rows_read: usize,
    handled: usize,
    calls: usize,
}

async fn measure(size: u64) -> Vec<Row> {
    let dir = tempfile::tempdir().unwrap();
    let start: Timestamp = "2026-11-24T10:00:00Z".parse().unwrap();
    let clock = Arc::new(ManualClock::new(start));
    let shop = Shop::open(
        dir.path().join("bench.redb"),
        Arc::new(NativePolicies::default()),
        clock.clone(),
        Settings::default(),
    )
    .await
    .unwrap();
    shop.add_plan(ADMIN, month_plan()).await.unwrap();
    shop.add_method(ADMIN, wallet_method()).await.unwrap();
    let names: Vec<String> = (0..SERVERS).map(|s| format!("srv-{s}")).collect();
    for n in &names {
        shop.add_server(ADMIN, server(n, "eu", u32::MAX / 2))
            .await
            .unwrap();
    }
    let panel = Arc::new(MemoryPanel::default());
    let now = clock.now();
    let mut batch = Vec::new();
    for i in 0..size {
        let ends = if i < DUE {
            now + SignedDuration::from_mins(10 + i as i64)
        } else {
            now + SignedDuration::from_hours(3 + (i % 1440) as i64)
        };
        let s = seeded_subscription(i, &names[(i as usize) % SERVERS], ends, now);
        panel.put_client(
            &s.client_email,
            MemoryClient {
                server: s.server.clone(),
                expires_at: ends,
                link: String::new(),
                enabled: true,
                // 1% of the clients used some traffic since the last run.
                used_bytes: if i % 100 == 0 { 1_000_000 } else { 0 },
                traffic_limit_bytes: 50_000_000_000,
            },
        );
        batch.push(s);
        if batch.len() == 50_000 {
            shop.seed_subscriptions(std::mem::take(&mut batch))
                .await
                .unwrap();
        }
    }
    shop.seed_subscriptions(batch).await.unwrap();
    for i in 0..OVERDUE_ORDERS {
        shop.open_order(OpenOrder {
            shopper: UserId(1 + i),
            roles: vec![],
            plan: "month-50gb".parse().unwrap(),
            coupon: None,
            preferred_region: None,
        })
        .await
        .unwrap();
    }
    clock.advance(SignedDuration::from_hours(2));
    let jobs = Jobs::new(shop.clone(), panel.clone(), JobsConfig::default());
    let mut rows = Vec::new();
    for job in [
        JobKind::UnpaidTimeout,
        JobKind::Expiry,
        JobKind::Traffic,
        JobKind::Reconciliation,
    ] {
        let t = Instant::now();
        let r = jobs.run(job).await.unwrap();
        rows.push(Row {
            size,
            job,
            ms: t.elapsed().as_secs_f64() * 1000.0,
            rows_read: r.rows_read,
            handled: r.handled,
            calls: r.gateway_calls,
        });
    }
    rows
}

fn main() {
    let sizes: Vec<u64> = std::env::var("SWEEP_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut all = Vec::new();
    for size in &sizes {
        eprintln!("seeding {size} subscriptions…");
        all.extend(rt.block_on(measure(*size)));
    }
    println!(
        "{:>9} {:<15} {:>10} {:>9} {:>10} {:>8} {:>7} {:>11}",
        "subs", "sweep", "ms", "µs/sub", "rows read", "handled", "calls", "vs smallest"
    );
    for row in &all {
        let base = all
            .iter()
            .find(|r| r.job == row.job && r.size == sizes[0])
            .map_or(row.ms, |r| r.ms);
        println!(
            "{:>9} {:<15} {:>10.2} {:>9.2} {:>10} {:>8} {:>7} {:>10.1}x",
            row.size,
            row.job.name(),
            row.ms,
            row.ms * 1000.0 / row.size as f64,
            row.rows_read,
            row.handled,
            row.calls,
            row.ms / base
        );
    }
}
