//! The engine's side: the real `Shop` on a redb file, the real outbox worker with in-memory
//! executors for the concurrent run.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use nebula_engine::actor::Actor;
use nebula_engine::clock::SystemClock;
use std::sync::atomic::{AtomicUsize, Ordering};

use nebula_engine::effect::{DiscordEffect, Effect};
use nebula_engine::executor::{DiscordEffects, ExecError};
use nebula_engine::ids::UserId;
use nebula_engine::order::ProvisionedAccess;
use nebula_engine::outbox::worker::OutboxWorker;
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::{EffectOutcome, OpenOrder, ProofUpload};
use nebula_engine::subscription::AccessLink;
use nebula_engine::testing::{ADMIN, MemoryPanel, month_plan, server, wallet_method};
use nebula_engine::{Settings, Shop};

use crate::stats::Latencies;

/// Every lifecycle completes this many outbox rows (the eighth, closing the order's channel an
/// hour later, stays scheduled).
pub const EFFECTS_PER_LIFECYCLE: usize = 7;

pub async fn open(path: &Path) -> Shop {
    let shop = Shop::open(
        path,
        Arc::new(NativePolicies::default()),
        Arc::new(SystemClock),
        Settings::default(),
    )
    .await
    .unwrap();
    shop.add_plan(ADMIN, month_plan()).await.unwrap();
    shop.add_method(ADMIN, wallet_method()).await.unwrap();
    shop.add_server(ADMIN, server("fra-1", "eu", 10_000_000))
        .await
        .unwrap();
    // The panel refreshes the catalogue asked for are not part of a lifecycle.
    for row in shop.due_effects(100).await.unwrap() {
        shop.complete_effect(row.id, EffectOutcome::Done)
            .await
            .unwrap();
    }
    shop
}

pub fn proof(n: u64) -> ProofUpload {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&n.to_le_bytes());
    bytes.resize(40_000, 7); // a typical compressed phone screenshot is larger; 40 kB keeps it honest
    ProofUpload {
        filename: "receipt.png".into(),
        content_type: "image/png".into(),
        bytes,
    }
}

fn shopper(n: u64) -> UserId {
    UserId(1_000 + n % 5_000)
}

/// The shopper's and the admin's four commands, each timed into `latencies`.
async fn commands(shop: &Shop, n: u64, latencies: &mut Latencies) {
    let shopper = shopper(n);
    let open = OpenOrder {
        shopper,
        roles: vec![],
        plan: "month-50gb".parse().unwrap(),
        coupon: None,
        preferred_region: None,
    };
    let t = Instant::now();
    let id = shop.open_order(open).await.unwrap().order.id;
    latencies.push(t.elapsed());
    let t = Instant::now();
    shop.choose_method(Actor::Shopper(shopper), id, "wallet".parse().unwrap())
        .await
        .unwrap();
    latencies.push(t.elapsed());
    let t = Instant::now();
    shop.submit_proof(Actor::Shopper(shopper), id, proof(n))
        .await
        .unwrap();
    latencies.push(t.elapsed());
    let t = Instant::now();
    shop.approve(ADMIN, id).await.unwrap();
    latencies.push(t.elapsed());
}

fn outcome(effect: &Effect) -> EffectOutcome {
    match effect {
        Effect::Provision { request } => EffectOutcome::Provisioned(vec![ProvisionedAccess {
            access: AccessLink::new(format!(
                "vless://{}@fra-1.vpn.example:443?type=tcp#{}",
                request.order, request.client_email
            )),
            alternatives: Vec::new(),
            subscription_url: None,
            expires_at: request.expires_at,
        }]),
        _ => EffectOutcome::Done,
    }
}

/// One lifecycle, one step at a time: the four commands, then the effects that fall due, each
/// result recorded as it comes (what the worker does, without its concurrency).
pub async fn lifecycle(shop: &Shop, n: u64, latencies: &mut Latencies) {
    commands(shop, n, latencies).await;
    let mut completed = 0;
    loop {
        let due = shop.due_effects(64).await.unwrap();
        if due.is_empty() {
            break;
        }
        for row in due {
            let t = Instant::now();
            shop.complete_effect(row.id, outcome(&row.effect))
                .await
                .unwrap();
            latencies.push(t.elapsed());
            completed += 1;
        }
    }
    assert_eq!(
        completed, EFFECTS_PER_LIFECYCLE,
        "the lifecycle is what the benchmark says it is"
    );
}

/// Discord as far as the benchmark cares: every effect succeeds; deliveries are counted.
#[derive(Default)]
struct CountingDiscord {
    delivered: AtomicUsize,
}

impl DiscordEffects for CountingDiscord {
    async fn execute(&self, _key: &str, effect: &DiscordEffect) -> Result<(), ExecError> {
        if matches!(effect, DiscordEffect::DeliverAccess { .. }) {
            self.delivered.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
}

/// `shoppers` tasks at once, each running `each` lifecycles' commands back to back, while the
/// real outbox worker carries the effects out (in-memory executors). Done when every order's
/// access is delivered and no effect is due. Returns the wall time, the commands' latencies and
/// how many commands shared a durable commit on average.
pub async fn concurrent(
    shop: &Shop,
    shoppers: u64,
    each: u64,
    first: u64,
) -> (Duration, Latencies, f64) {
    let discord = Arc::new(CountingDiscord::default());
    let (commits0, commands0) = (shop.write_stats().commits(), shop.write_stats().commands());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = OutboxWorker::new(
        shop.clone(),
        discord.clone(),
        Arc::new(MemoryPanel::default()),
    );
    let worker = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    let start = Instant::now();
    let tasks: Vec<_> = (0..shoppers)
        .map(|s| {
            let shop = shop.clone();
            tokio::spawn(async move {
                let mut latencies = Latencies::default();
                for i in 0..each {
                    commands(&shop, first + s * each + i, &mut latencies).await;
                }
                latencies
            })
        })
        .collect();
    let mut latencies = Latencies::default();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let expected = (shoppers * each) as usize;
    while discord.delivered.load(Ordering::Relaxed) < expected
        || !shop.due_effects(1).await.unwrap().is_empty()
    {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let elapsed = start.elapsed();
    let _ = stop.send(());
    worker.await.unwrap();
    let per_commit = (shop.write_stats().commands() - commands0) as f64
        / (shop.write_stats().commits() - commits0).max(1) as f64;
    (elapsed, latencies, per_commit)
}
