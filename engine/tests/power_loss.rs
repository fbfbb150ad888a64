//! Power cuts under a stream of real commands. A `kill -9` keeps the page cache; a power cut
//! does not: the shop runs on `PowerCutDisk`, which keeps only what was synced.
//!
//! The stream is every kind of command the shop takes: orders opened, renewed, paid, approved,
//! declined, cancelled and timed out; effects' results (the outbox worker's runs against an
//! in-memory panel and Discord, recorded as commands of their own); the jobs as the clock moves
//! on: subscription timers (reminders, expiry, deletion), usage read from the panel (notices,
//! suspension), proofs purged. At a random moment the power goes in the
//! middle of a command (the disk fails every operation after a random count), and the disk keeps
//! the synced image plus a random part of the rest, the last write possibly torn.
//!
//! The oracle is the same command run on a copy of the disk as it was before it, with the power
//! on and new ids from the same seed; its disk records every state it held durably. After every
//! cut the database opens, and every table holds exactly what it held before the command or one
//! of the oracle's durable states: every acknowledged command is there, and the cut one is all
//! there or not at all (a sweep, which commits one batch at a time, may stop between batches). At the end the power stays on, the outbox drains,
//! and every approved order is fulfilled with exactly one client on the panel.
//! `POWER_CUTS` sets the number of cuts (CI: the default, 25), `POWER_SEED` the seed.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use nebula_engine::Shop;
use nebula_engine::actor::Actor;
use nebula_engine::clock::Clock;
use nebula_engine::clock::ManualClock;
use nebula_engine::executor::{PanelClient, Panels};
use nebula_engine::ids::{OrderId, SubscriptionId, UserId};
use nebula_engine::order::{OrderKind, StateKind};
use nebula_engine::outbox::worker::OutboxWorker;
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::EffectOutcome;
use nebula_engine::shop::{OpenOrder, ProofUpload, RenewOrder, Settings};
use nebula_engine::store::power_cut::{Disks, Fuse};
use nebula_engine::subscription::{Subscription, SubscriptionStatus};
use nebula_engine::testing::{
    ADMIN, MemoryPanel, RecordingDiscord, month_plan, server, wallet_method,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SHOPPERS: u64 = 30;

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The outside world, which keeps what it was told across the shop's power cuts.
#[derive(Clone, Default)]
struct World {
    discord: Arc<RecordingDiscord>,
    panel: Arc<MemoryPanel>,
}

impl World {
    fn worker(&self, shop: &Shop) -> OutboxWorker<RecordingDiscord, MemoryPanel> {
        OutboxWorker::new(shop.clone(), self.discord.clone(), self.panel.clone())
    }
}

/// One command, with everything it needs decided beforehand, so that it can run twice.
#[derive(Debug, Clone)]
enum Command {
    Open {
        shopper: UserId,
    },
    Renew {
        shopper: UserId,
        subscription: SubscriptionId,
    },
    ChooseMethod {
        order: OrderId,
        shopper: UserId,
    },
    SendProof {
        order: OrderId,
        shopper: UserId,
        seed: u64,
    },
    Approve {
        order: OrderId,
    },
    Decline {
        order: OrderId,
    },
    Cancel {
        order: OrderId,
        shopper: UserId,
    },
    TimeOut {
        order: OrderId,
    },
    /// The result of one outbox row, as the worker got it from the panel or Discord.
    Complete {
        row: u64,
        outcome: EffectOutcome,
    },
    SubscriptionTimers,
    /// One bulk read of the panel's usage (the traffic job).
    RecordUsage {
        clients: Vec<PanelClient>,
    },
    /// Proofs older than a day are purged (the retention job).
    PurgeProofs,
}

impl Command {
    fn kind(&self) -> &'static str {
        match self {
            Command::Open { .. } => "open",
            Command::Renew { .. } => "renew",
            Command::ChooseMethod { .. } => "choose method",
            Command::SendProof { .. } => "send proof",
            Command::Approve { .. } => "approve",
            Command::Decline { .. } => "decline",
            Command::Cancel { .. } => "cancel",
            Command::TimeOut { .. } => "time out",
            Command::Complete { .. } => "effect result",
            Command::SubscriptionTimers => "subscription timers",
            Command::RecordUsage { .. } => "usage",
            Command::PurgeProofs => "purge proofs",
        }
    }
}

fn png(seed: u64) -> ProofUpload {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&seed.to_le_bytes());
    ProofUpload {
        filename: "payment.png".into(),
        content_type: "image/png".into(),
        bytes,
    }
}

/// How a command ended: done, refused by the shop's rules (which writes nothing), or failed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ended {
    Done,
    Refused(String),
    Failed(String),
}

async fn apply(shop: &Shop, command: &Command) -> Ended {
    use nebula_engine::ShopError;
    let result: Result<(), ShopError> = async {
        match command.clone() {
            Command::Open { shopper } => shop
                .open_order(OpenOrder {
                    shopper,
                    roles: vec![],
                    plan: "month-50gb".parse().unwrap(),
                    coupon: None,
                    preferred_region: None,
                })
                .await
                .map(drop),
            Command::Renew {
                shopper,
                subscription,
            } => shop
                .renew(RenewOrder {
                    shopper,
                    roles: vec![],
                    subscription,
                    coupon: None,
                })
                .await
                .map(drop),
            Command::ChooseMethod { order, shopper } => shop
                .choose_method(Actor::Shopper(shopper), order, "wallet".parse().unwrap())
                .await
                .map(drop),
            Command::SendProof {
                order,
                shopper,
                seed,
            } => shop
                .submit_proof(Actor::Shopper(shopper), order, png(seed))
                .await
                .map(drop),
            Command::Approve { order } => shop.approve(ADMIN, order).await.map(drop),
            Command::Decline { order } => shop
                .decline(ADMIN, order, "not received".into())
                .await
                .map(drop),
            Command::Cancel { order, shopper } => {
                shop.cancel(Actor::Shopper(shopper), order).await.map(drop)
            }
            Command::TimeOut { order } => shop.time_out(order).await.map(drop),
            Command::Complete { row, outcome } => {
                shop.complete_effect(row, outcome).await.map(drop)
            }
            Command::SubscriptionTimers => shop.run_subscription_timers().await.map(drop),
            Command::RecordUsage { clients } => shop
                .record_usage("fra-1".parse().unwrap(), clients)
                .await
                .map(drop),
            Command::PurgeProofs => shop
                .purge_old_proofs(SignedDuration::from_hours(24))
                .await
                .map(drop),
        }
    }
    .await;
    match result {
        Ok(()) => Ended::Done,
        Err(e @ (ShopError::Rejected(_) | ShopError::Trial(_))) => Ended::Refused(e.to_string()),
        Err(e) => Ended::Failed(e.to_string()),
    }
}

async fn one_in(shop: &Shop, rng: &mut StdRng, state: StateKind) -> Option<(OrderId, UserId)> {
    let orders = shop.orders_in_state(state, 1000).await.ok()?;
    let record = orders.get(rng.random_range(0..orders.len().max(1)))?;
    Some((record.order.id, record.order.shopper))
}

async fn subscriptions(shop: &Shop) -> Vec<Subscription> {
    let mut all = Vec::new();
    for n in 0..SHOPPERS {
        all.extend(shop.subscriptions_of(UserId(1000 + n)).await.unwrap());
    }
    all
}

/// Picks the next command from the shop's state as it is now. Effects run here, against the
/// outside world; only recording their result is the command.
async fn next_command(
    shop: &Shop,
    world: &World,
    clock: &ManualClock,
    rng: &mut StdRng,
    n: u64,
) -> Command {
    let open = |rng: &mut StdRng| Command::Open {
        shopper: UserId(1000 + rng.random_range(0..SHOPPERS)),
    };
    match rng.random_range(0..22) {
        0 | 1 => open(rng),
        2 => {
            let subs = subscriptions(shop).await;
            let live: Vec<&Subscription> = subs
                .iter()
                .filter(|s| s.status != SubscriptionStatus::Deleted)
                .collect();
            match live.get(rng.random_range(0..live.len().max(1))) {
                Some(sub) => Command::Renew {
                    shopper: sub.shopper,
                    subscription: sub.id,
                },
                None => open(rng),
            }
        }
        3..=5 => match one_in(shop, rng, StateKind::AwaitingMethod).await {
            Some((order, shopper)) => Command::ChooseMethod { order, shopper },
            None => open(rng),
        },
        6..=8 => match one_in(shop, rng, StateKind::AwaitingProof).await {
            Some((order, shopper)) => Command::SendProof {
                order,
                shopper,
                seed: n,
            },
            None => open(rng),
        },
        9..=11 => match one_in(shop, rng, StateKind::UnderReview).await {
            Some((order, _)) if rng.random_bool(0.8) => Command::Approve { order },
            Some((order, _)) => Command::Decline { order },
            None => open(rng),
        },
        12 => match one_in(shop, rng, StateKind::AwaitingProof).await {
            Some((order, shopper)) => Command::Cancel { order, shopper },
            None => open(rng),
        },
        13..=17 => match shop.due_effects(1).await.unwrap().into_iter().next() {
            Some(row) => Command::Complete {
                row: row.id,
                outcome: world.worker(shop).execute(&row).await,
            },
            None => open(rng),
        },
        18 => {
            // The clock moves on; an order past its deadline times out.
            clock.advance(SignedDuration::from_mins(rng.random_range(1..6)));
            match shop.overdue_orders(clock.now(), 1).await.unwrap().first() {
                Some(order) => Command::TimeOut { order: *order },
                None => Command::SubscriptionTimers,
            }
        }
        19 => {
            // The traffic job: clients used some of their allowance.
            for email in world.panel.clients().into_keys() {
                if rng.random_bool(0.5) {
                    world
                        .panel
                        .add_usage(&email, rng.random_range(0..30_000_000_000));
                }
            }
            let fra = shop
                .server("fra-1".parse().unwrap())
                .await
                .unwrap()
                .unwrap();
            Command::RecordUsage {
                clients: Panels::clients(&*world.panel, &fra).await.unwrap(),
            }
        }
        20 => Command::PurgeProofs,
        _ => {
            // Days go by: reminders, expiry, deletion after the grace period.
            clock.advance(SignedDuration::from_hours(rng.random_range(24..24 * 12)));
            Command::SubscriptionTimers
        }
    }
}

async fn open(disks: Disks, clock: Arc<ManualClock>) -> Shop {
    Shop::open_on(
        disks.db,
        disks.journal,
        Arc::new(NativePolicies::default()),
        clock,
        Settings::default(),
    )
    .await
    .expect("the database opens after a power cut")
}

async fn dump(shop: &Shop) -> nebula_engine::store::backup::Dump {
    shop.dump().await.expect("a dump")
}

/// The tables whose rows differ between two dumps.
fn differing(
    a: &nebula_engine::store::backup::Dump,
    b: &nebula_engine::store::backup::Dump,
) -> Vec<String> {
    let names: BTreeSet<&String> = a.iter().chain(b).map(|(name, _)| name).collect();
    let rows = |d: &nebula_engine::store::backup::Dump, name: &String| {
        d.iter()
            .find(|(n, _)| n == name)
            .map(|(_, rows)| rows.clone())
    };
    names
        .into_iter()
        .filter(|name| rows(a, name) != rows(b, name))
        .cloned()
        .collect()
}

/// Lets the closed shop's last tasks finish before its disk is read.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(20)).await;
}

#[derive(Debug, Default)]
struct Tally {
    acknowledged: std::collections::BTreeMap<&'static str, u64>,
    refused: u64,
    cut_failed: u64,
    cut_kept: u64,
    cut_lost: u64,
    kinds_cut: BTreeSet<&'static str>,
    violations: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_command_survives_a_power_cut_and_a_cut_one_is_whole_or_absent() {
    let cuts = knob("POWER_CUTS", 25);
    let seed = knob("POWER_SEED", 20261203);
    let mut rng = StdRng::seed_from_u64(seed);
    let clock = Arc::new(ManualClock::new("2026-11-24T10:00:00Z".parse().unwrap()));
    let world = World::default();

    // The catalogue, synced before the first cut.
    let disk = Disks::new(Default::default(), Fuse::new());
    let shop = open(disk.clone(), clock.clone()).await;
    shop.add_plan(ADMIN, month_plan()).await.unwrap();
    shop.add_method(ADMIN, wallet_method()).await.unwrap();
    shop.add_server(ADMIN, server("fra-1", "eu", 100_000))
        .await
        .unwrap();
    let mut known = dump(&shop).await;
    drop(shop);
    settle().await;
    let mut image = disk.cut(|_| None);

    let mut tally = Tally::default();
    for cut in 0..cuts {
        let fuse = Fuse::new();
        let disk = Disks::new(image.clone(), fuse.clone());
        let shop = open(disk.clone(), clock.clone()).await;
        if dump(&shop).await != known {
            tally.violations.push(format!(
                "cut {cut}: the database lost or gained since the last check"
            ));
        }
        // A few commands with the power on.
        for n in 0..rng.random_range(1..12) {
            let command = next_command(&shop, &world, &clock, &mut rng, cut * 100 + n).await;
            match apply(&shop, &command).await {
                Ended::Done => *tally.acknowledged.entry(command.kind()).or_default() += 1,
                Ended::Refused(_) => tally.refused += 1,
                Ended::Failed(e) => tally.violations.push(format!(
                    "cut {cut}: {command:?} failed with the power on: {e}"
                )),
            }
        }
        let before = dump(&shop).await;
        let command = next_command(&shop, &world, &clock, &mut rng, cut * 100 + 99).await;

        // The oracle: the same command on the disk as it is now, with the power on. Every
        // state its disk passed through durably is one a cut may leave (a sweep commits one
        // batch at a time); the last is the command's whole effect.
        let oracle_disk = Disks::recording(disk.cut(|_| None));
        let oracle = open(oracle_disk.clone(), clock.clone()).await;
        if dump(&oracle).await != before {
            tally.violations.push(format!(
                "cut {cut}: the synced disk is not what was acknowledged"
            ));
        }
        oracle.seed_ids(cut);
        let expected = apply(&oracle, &command).await;
        let after = dump(&oracle).await;
        drop(oracle);
        settle().await;
        let mut states = vec![before.clone()];
        for image in oracle_disk.synced_images() {
            let shop = open(Disks::new(image, Fuse::new()), clock.clone()).await;
            let state = dump(&shop).await;
            if !states.contains(&state) {
                states.push(state);
            }
        }
        settle().await;

        fuse.blow_after(rng.random_range(0..6));
        shop.seed_ids(cut);
        let ended = apply(&shop, &command).await;
        drop(shop);
        settle().await;
        image = disk.cut(|len| match rng.random_range(0..4) {
            0 => None,
            1 if len > 0 => Some(rng.random_range(0..len)),
            _ => Some(len),
        });
        let shop = open(Disks::new(image.clone(), Fuse::new()), clock.clone()).await;
        let now = dump(&shop).await;
        drop(shop);
        settle().await;

        tally.kinds_cut.insert(command.kind());
        if ended != Ended::Done {
            tally.cut_failed += 1;
        }
        if now == before {
            tally.cut_lost += 1;
        } else if states.contains(&now) {
            tally.cut_kept += 1;
        } else {
            tally.violations.push(format!(
                "cut {cut}: after {command:?} ({ended:?}) the database is in no state the command \
                 passes through: {:?} differ from before, {:?} from after",
                differing(&now, &before),
                differing(&now, &after)
            ));
        }
        if ended == Ended::Done && now != after {
            tally.violations.push(format!(
                "cut {cut}: {command:?} was acknowledged but did not survive the cut"
            ));
        }
        if matches!(expected, Ended::Refused(_)) && after != before {
            tally.violations.push(format!(
                "cut {cut}: the refused {command:?} wrote something"
            ));
        }
        known = now;
    }

    // The power stays on: the outbox drains and every approved order is served once.
    let shop = open(Disks::new(image, Fuse::new()), clock.clone()).await;
    world.worker(&shop).run_until_idle().await.unwrap();
    let (fulfilled, stuck) = check_served(&shop, &world, &mut tally.violations).await;

    println!(
        "power cuts: {cuts}, acknowledged commands: {} {:?}, refused: {}, commands the cut failed: \
         {}, cut commands kept: {}, lost: {}, kinds cut: {:?}, orders fulfilled: {fulfilled}, \
         left in provisioning: {stuck}, panel clients: {}, violations: {}",
        tally.acknowledged.values().sum::<u64>(),
        tally.acknowledged,
        tally.refused,
        tally.cut_failed,
        tally.cut_kept,
        tally.cut_lost,
        tally.kinds_cut,
        world.panel.clients().len(),
        tally.violations.len()
    );
    assert!(
        tally.violations.is_empty(),
        "{}",
        tally.violations.join("\n")
    );
}

/// Every approved order is fulfilled; every new one made exactly one subscription with exactly
/// one client on the panel, and the panel has no other client. Returns (fulfilled, stuck).
async fn check_served(shop: &Shop, world: &World, violations: &mut Vec<String>) -> (usize, usize) {
    let stuck = shop
        .orders_in_state(StateKind::Provisioning, 10_000)
        .await
        .unwrap()
        .len()
        + shop
            .orders_in_state(StateKind::Failed, 10_000)
            .await
            .unwrap()
            .len();
    if stuck > 0 {
        violations.push(format!("{stuck} approved orders were not fulfilled"));
    }
    let fulfilled = shop
        .orders_in_state(StateKind::Fulfilled, 10_000)
        .await
        .unwrap();
    let new = fulfilled
        .iter()
        .filter(|r| r.order.kind == OrderKind::New)
        .count();
    let subs = subscriptions(shop).await;
    if subs.len() != new {
        violations.push(format!(
            "{new} new orders fulfilled but {} subscriptions",
            subs.len()
        ));
    }
    let on_panel: BTreeSet<String> = world.panel.clients().into_keys().collect();
    let expected: BTreeSet<String> = subs
        .iter()
        .filter(|s| s.status != SubscriptionStatus::Deleted)
        .map(|s| s.client_email.clone())
        .collect();
    if on_panel != expected {
        violations.push(format!(
            "the panel's clients differ from the live subscriptions: extra {:?}, missing {:?}",
            on_panel.difference(&expected).collect::<Vec<_>>(),
            expected.difference(&on_panel).collect::<Vec<_>>()
        ));
    }
    (fulfilled.len(), stuck)
}
