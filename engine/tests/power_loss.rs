//! Power cuts under a stream of real commands. A `kill -9` keeps the page cache; a power cut
//! does not: the shop runs on `PowerCutDisk`, which keeps only what was synced. Random orders
//! are opened, paid, approved, declined and cancelled; at a random moment the power goes, in
//! the middle of a command (the disk fails every operation after a random count), and the disk
//! keeps the synced image plus a random part of the rest, the last write possibly torn.
//!
//! After every cut the database opens, every acknowledged command is there, and the command
//! that was cut is all there or not at all (its order is in the state before it or after it,
//! with an event log to match). `POWER_CUTS` sets the number of cuts (CI: the default, 25),
//! `POWER_SEED` the seed.

use std::collections::BTreeMap;
use std::sync::Arc;

use nebula_engine::Shop;
use nebula_engine::actor::Actor;
use nebula_engine::clock::ManualClock;
use nebula_engine::ids::{OrderId, UserId};
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::{OpenOrder, ProofUpload, Settings};
use nebula_engine::store::power_cut::{Fuse, PowerCutDisk};
use nebula_engine::testing::{ADMIN, month_plan, server, wallet_method};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What the test knows of an order: its state and how many events it has, as acknowledged.
type Known = BTreeMap<OrderId, (&'static str, usize)>;

async fn open(disk: PowerCutDisk, clock: Arc<ManualClock>) -> Shop {
    Shop::open_on(
        disk,
        Arc::new(NativePolicies::default()),
        clock,
        Settings::default(),
    )
    .await
    .expect("the database opens after a power cut")
}

async fn seen(shop: &Shop, id: OrderId) -> Option<(&'static str, usize)> {
    let (record, history) = shop.order_history(id).await.ok()?;
    Some((record.state.name(), history.len()))
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

/// One random command; `Some(order)` is the order it touched (when it was acknowledged).
async fn step(
    shop: &Shop,
    rng: &mut StdRng,
    known: &Known,
    n: u64,
) -> Result<Option<OrderId>, String> {
    let pick = |rng: &mut StdRng, want: &str| {
        let ids: Vec<OrderId> = known
            .iter()
            .filter(|(_, (state, _))| *state == want)
            .map(|(id, _)| *id)
            .collect();
        (!ids.is_empty()).then(|| ids[rng.random_range(0..ids.len())])
    };
    let shopper_of = |id: OrderId| async move { shop.order(id).await.map(|r| r.order.shopper) };
    let e = |e: nebula_engine::ShopError| e.to_string();
    match rng.random_range(0..6) {
        0 | 1 => {
            let record = shop
                .open_order(OpenOrder {
                    shopper: UserId(1000 + rng.random_range(0..40)),
                    roles: vec![],
                    plan: "month-50gb".parse().unwrap(),
                    coupon: None,
                    preferred_region: None,
                })
                .await
                .map_err(e)?;
            Ok(Some(record.order.id))
        }
        2 => match pick(rng, "awaiting_method") {
            Some(id) => {
                let who = shopper_of(id).await.map_err(e)?;
                shop.choose_method(Actor::Shopper(who), id, "wallet".parse().unwrap())
                    .await
                    .map_err(e)?;
                Ok(Some(id))
            }
            None => Ok(None),
        },
        3 => match pick(rng, "awaiting_proof") {
            Some(id) => {
                let who = shopper_of(id).await.map_err(e)?;
                shop.submit_proof(Actor::Shopper(who), id, png(n))
                    .await
                    .map_err(e)?;
                Ok(Some(id))
            }
            None => Ok(None),
        },
        4 => match pick(rng, "under_review") {
            Some(id) if rng.random_bool(0.7) => {
                shop.approve(ADMIN, id).await.map_err(e)?;
                Ok(Some(id))
            }
            Some(id) => {
                shop.decline(ADMIN, id, "not received".into())
                    .await
                    .map_err(e)?;
                Ok(Some(id))
            }
            None => Ok(None),
        },
        _ => match pick(rng, "awaiting_method").or_else(|| pick(rng, "awaiting_proof")) {
            Some(id) => {
                let who = shopper_of(id).await.map_err(e)?;
                shop.cancel(Actor::Shopper(who), id).await.map_err(e)?;
                Ok(Some(id))
            }
            None => Ok(None),
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_command_survives_a_power_cut_and_a_cut_one_is_whole_or_absent() {
    let cuts = knob("POWER_CUTS", 25);
    let seed = knob("POWER_SEED", 20261203);
    let mut rng = StdRng::seed_from_u64(seed);
    let clock = Arc::new(ManualClock::new("2026-11-24T10:00:00Z".parse().unwrap()));

    // The catalogue, synced before the first cut.
    let fuse = Fuse::new();
    let disk = PowerCutDisk::new(Vec::new(), fuse.clone());
    let shop = open(disk.clone(), clock.clone()).await;
    shop.add_plan(ADMIN, month_plan()).await.unwrap();
    shop.add_method(ADMIN, wallet_method()).await.unwrap();
    shop.add_server(ADMIN, server("fra-1", "eu", 100_000))
        .await
        .unwrap();
    let mut image = {
        drop(shop);
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        disk.cut(|_| None)
    };

    let mut known = Known::new();
    let (mut acknowledged, mut in_flight_kept, mut in_flight_lost) = (0u64, 0u64, 0u64);
    let mut failed_by_cut = 0u64;
    let mut violations = Vec::new();
    for cut in 0..cuts {
        let fuse = Fuse::new();
        let disk = PowerCutDisk::new(image.clone(), fuse.clone());
        let shop = open(disk.clone(), clock.clone()).await;
        // Every acknowledged command is there.
        for (id, want) in &known {
            let got = seen(&shop, *id).await;
            if got != Some(*want) {
                violations.push(format!(
                    "cut {cut}: order {id} is {got:?}, acknowledged {want:?}"
                ));
            }
        }
        // A few commands that are acknowledged, then one the power cuts.
        for n in 0..rng.random_range(1..12) {
            match step(&shop, &mut rng, &known, cut * 100 + n).await {
                Ok(Some(id)) => {
                    acknowledged += 1;
                    known.insert(id, seen(&shop, id).await.expect("just written"));
                }
                Ok(None) => {}
                Err(e) => {
                    violations.push(format!("cut {cut}: a command failed with power on: {e}"))
                }
            }
        }
        let before = known.clone();
        fuse.blow_after(rng.random_range(0..40));
        let cut_one = step(&shop, &mut rng, &known, cut * 100 + 99).await;
        if cut_one.is_err() {
            failed_by_cut += 1;
        }
        drop(shop);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        image = disk.cut(|len| match rng.random_range(0..4) {
            0 => None,
            1 if len > 0 => Some(rng.random_range(0..len)),
            _ => Some(len),
        });
        // The cut command is whole or absent: check it on the next open.
        let shop = open(PowerCutDisk::new(image.clone(), Fuse::new()), clock.clone()).await;
        let mut after = Known::new();
        for id in before.keys() {
            if let Some(s) = seen(&shop, *id).await {
                after.insert(*id, s);
            }
        }
        let changed: Vec<OrderId> = before
            .iter()
            .filter(|(id, s)| after.get(id) != Some(s))
            .map(|(id, _)| *id)
            .collect();
        let new_order = match &cut_one {
            Ok(Some(id)) if !before.contains_key(id) => seen(&shop, *id).await.map(|s| (*id, s)),
            _ => None,
        };
        match (changed.as_slice(), new_order) {
            ([], None) => in_flight_lost += 1,
            ([id], None) => {
                in_flight_kept += 1;
                known.insert(*id, after[id]);
            }
            ([], Some((id, s))) => {
                in_flight_kept += 1;
                known.insert(id, s);
            }
            _ => violations.push(format!(
                "cut {cut}: more than the cut command changed: {changed:?} {new_order:?}"
            )),
        }
        // A command acknowledged before the cut answered Ok: it must be durable too.
        if let Ok(Some(id)) = cut_one {
            let now = seen(&shop, id).await;
            if now.is_none() || known.get(&id).copied() != now {
                violations.push(format!(
                    "cut {cut}: order {id} was acknowledged but reads {now:?}"
                ));
            }
        }
        drop(shop);
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    println!(
        "power cuts: {cuts}, acknowledged commands: {acknowledged}, commands the cut failed: \
         {failed_by_cut}, cut commands kept: {in_flight_kept}, lost: {in_flight_lost}, orders: \
         {}, violations: {}",
        known.len(),
        violations.len()
    );
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}
