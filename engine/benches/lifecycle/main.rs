//! Order lifecycles through the engine (redb and its commit journal, every command durable
//! before it is answered)
//! against SQLite doing the same work (bundled, WAL, `synchronous=FULL`, one transaction per
//! command), in the same run. Rounds alternate which side goes first; the report gives the median
//! and the spread (min, max) over the rounds.
//!
//! `cargo bench -p nebula-engine --bench lifecycle`. Knobs: `NEBULA_BENCH_ROUNDS` (5),
//! `NEBULA_BENCH_ORDERS` (sequential lifecycles per round, 200), `NEBULA_BENCH_SHOPPERS` (50) and
//! `NEBULA_BENCH_EACH` (lifecycles per shopper in the concurrent run, 4);
//! `NEBULA_BENCH_PROFILE_CONCURRENT=1` runs only the engine's concurrent run, once per round
//! (for a profiler).
//!
//! Each round also runs the engine's sequential lifecycles once with no fsync at all (nothing
//! journaled, so no checkpoint either: redb writes no page; nothing durable), against the same
//! SQLite figure: the most that any change to how commits are made durable could buy.
//!
//! One lifecycle is 11 durable transactions on each side, and each side does this per lifecycle:
//! - open: read the plan, the methods and the shopper; in the transaction check the order code,
//!   write the order with its state, deadline, shopper and code index rows, an event row, one
//!   outbox row (id one past the last, due and stream indexed), two policy decisions, the
//!   shopper and an audit row;
//! - choose a method, submit a proof, approve: read the order, write it (its indexes follow), an
//!   event row, one or two outbox rows, an audit row; the proof also hashes the 40 kB image
//!   (SHA-256), looks the hash up and writes the image and the hash; the approval reads the
//!   servers, their health and the slots taken (subscriptions holding one, orders being
//!   provisioned: the engine reads its per-server count, SQLite counts over its indexes) before
//!   the transaction and again inside it, and writes the server-selection decision;
//! - the seven effects that fall due (order channel, instructions, review, notice, close-review,
//!   provisioning, access delivery), found by scanning for due rows first in their stream, each
//!   result in its own transaction (the row read and finished); the provisioning result also
//!   moves the order to fulfilled (retention rows, two more outbox rows, one of them an hour
//!   later), writes the subscription with its expiry, server, shopper and timer index rows, and
//!   counts the shopper's paid order.
//!
//! Values are the engine's own encoded records, so both write the same bytes. The concurrent run
//! has 50 shoppers at once while a worker carries out the effects (the engine's real
//! `OutboxWorker`; for SQLite a loop in its shape: the same scan, rows in hand left out of the
//! next, each result recorded as it comes). SQLite
//! gets its best practice: both one writer behind a queue and a connection per task with a busy
//! timeout are measured once, and the faster is kept.

mod engine_side;
mod sqlite_side;
mod stats;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use sqlite_side::{Bodies, Mode};
use stats::{Latencies, spread};

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One side's figures for one round.
#[derive(Default)]
struct Figures {
    sequential: Vec<f64>,
    sequential_p99: Vec<f64>,
    concurrent: Vec<f64>,
    concurrent_p50: Vec<f64>,
    concurrent_p99: Vec<f64>,
    /// What the sequential run wrote to files per lifecycle (the process's `wchar`).
    kib_per_lifecycle: Vec<f64>,
    /// Commands per durable commit in the concurrent run (the engine's group commit).
    per_commit: Vec<f64>,
    /// The engine's sequential rate with no fsync (commits not durable): an upper bound.
    sequential_without_fsync: Vec<f64>,
}

/// Bytes this process has passed to write calls so far (`/proc/self/io`, Linux): the sequential
/// runs are alone, so the difference is what one side wrote.
fn bytes_written() -> u64 {
    std::fs::read_to_string("/proc/self/io")
        .ok()
        .and_then(|io| {
            io.lines().find_map(|l| {
                l.strip_prefix("wchar: ")
                    .and_then(|n| n.trim().parse().ok())
            })
        })
        .unwrap_or(0)
}

fn rate(n: u64, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

fn main() {
    let rounds = knob("NEBULA_BENCH_ROUNDS", 5).max(1);
    let orders = knob("NEBULA_BENCH_ORDERS", 200);
    let shoppers = knob("NEBULA_BENCH_SHOPPERS", 50);
    let each = knob("NEBULA_BENCH_EACH", 4);
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    let shop = rt.block_on(engine_side::open(&dir.path().join("bench.redb")));
    let mut n = 0u64;
    let mut scratch = Latencies::default();
    rt.block_on(engine_side::lifecycle(&shop, n, &mut scratch));
    let bodies = Arc::new(Bodies::from_dump(&rt.block_on(shop.dump()).unwrap()));
    let sqlite_path = dir.path().join("bench.sqlite");
    let mut sqlite = sqlite_side::create(&sqlite_path, &bodies);

    // Warm up both (page cache, allocator, prepared statements).
    for _ in 0..10 {
        n += 1;
        rt.block_on(engine_side::lifecycle(&shop, n, &mut scratch));
        sqlite_side::lifecycle(&mut sqlite, &bodies, n, &mut scratch);
    }
    // For a profiler: only the engine's concurrent run, round after round.
    if std::env::var_os("NEBULA_BENCH_PROFILE_CONCURRENT").is_some() {
        for _ in 0..rounds {
            let (took, latencies, per_commit) =
                rt.block_on(engine_side::concurrent(&shop, shoppers, each, n + 1));
            n += shoppers * each;
            println!(
                "engine concurrent: {:.1} lifecycles/s, p99 {:.1} ms, {per_commit:.1} commands per commit",
                rate(shoppers * each, took),
                latencies.percentile_ms(99.0)
            );
        }
        return;
    }
    // SQLite's best practice for many writers, measured on this machine.
    let mode = {
        let mut best = (Mode::WriterQueue, 0.0);
        for mode in [Mode::WriterQueue, Mode::BusyTimeout] {
            let (took, _) = rt.block_on(sqlite_side::concurrent(
                &sqlite_path,
                bodies.clone(),
                mode,
                shoppers,
                1,
                n + 1,
            ));
            n += shoppers;
            let r = rate(shoppers, took);
            println!("sqlite, {shoppers} shoppers at once, {mode}: {r:.1} lifecycles/s");
            if r > best.1 {
                best = (mode, r);
            }
        }
        println!("sqlite keeps: {}", best.0);
        best.0
    };

    println!(
        "\n{rounds} rounds; sequential: {orders} lifecycles one after another; concurrent: {shoppers} shoppers at once, {each} lifecycles each"
    );
    let (mut engine, mut lite) = (Figures::default(), Figures::default());
    for round in 0..rounds {
        let engine_first = round % 2 == 0;
        for side in [engine_first, !engine_first] {
            let (figures, mut latencies) = (
                if side { &mut engine } else { &mut lite },
                Latencies::default(),
            );
            let written = bytes_written();
            let t = Instant::now();
            for _ in 0..orders {
                n += 1;
                if side {
                    rt.block_on(engine_side::lifecycle(&shop, n, &mut latencies));
                } else {
                    sqlite_side::lifecycle(&mut sqlite, &bodies, n, &mut latencies);
                }
            }
            figures.sequential.push(rate(orders, t.elapsed()));
            figures
                .kib_per_lifecycle
                .push((bytes_written() - written) as f64 / 1024.0 / orders.max(1) as f64);
            figures.sequential_p99.push(latencies.percentile_ms(99.0));
        }
        // The same engine with no fsync at all: what no change to durability could beat.
        nebula_engine::store::BENCH_WITHOUT_FSYNC.store(true, Ordering::Relaxed);
        let t = Instant::now();
        for _ in 0..orders {
            n += 1;
            rt.block_on(engine_side::lifecycle(&shop, n, &mut Latencies::default()));
        }
        nebula_engine::store::BENCH_WITHOUT_FSYNC.store(false, Ordering::Relaxed);
        engine
            .sequential_without_fsync
            .push(rate(orders, t.elapsed()));
        // Those commits are only in memory; written out here, untimed, so that the next run's
        // first checkpoint does not carry them.
        rt.block_on(shop.checkpoint()).unwrap();
        for side in [engine_first, !engine_first] {
            let figures = if side { &mut engine } else { &mut lite };
            let (took, latencies) = if side {
                let (took, latencies, per_commit) =
                    rt.block_on(engine_side::concurrent(&shop, shoppers, each, n + 1));
                figures.per_commit.push(per_commit);
                (took, latencies)
            } else {
                rt.block_on(sqlite_side::concurrent(
                    &sqlite_path,
                    bodies.clone(),
                    mode,
                    shoppers,
                    each,
                    n + 1,
                ))
            };
            n += shoppers * each;
            figures.concurrent.push(rate(shoppers * each, took));
            figures.concurrent_p50.push(latencies.percentile_ms(50.0));
            figures.concurrent_p99.push(latencies.percentile_ms(99.0));
        }
        let r = round as usize;
        println!(
            "  round {} ({} first): sequential engine {:.1}/s sqlite {:.1}/s; concurrent engine {:.1}/s sqlite {:.1}/s",
            round + 1,
            if engine_first { "engine" } else { "sqlite" },
            engine.sequential[r],
            lite.sequential[r],
            engine.concurrent[r],
            lite.concurrent[r],
        );
    }
    report(&engine, &lite, shoppers);
}

fn ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(a, b)| a / b).collect()
}

fn report(engine: &Figures, lite: &Figures, shoppers: u64) {
    println!("\nmedian (min, max) over the rounds:");
    println!(
        "  sequential lifecycles/s:        engine {}   sqlite {}",
        spread(&engine.sequential),
        spread(&lite.sequential)
    );
    println!(
        "  sequential KiB written per lifecycle: engine {}   sqlite {}",
        spread(&engine.kib_per_lifecycle),
        spread(&lite.kib_per_lifecycle)
    );
    println!(
        "  sequential command p99, ms:     engine {}   sqlite {}",
        spread(&engine.sequential_p99),
        spread(&lite.sequential_p99)
    );
    println!(
        "  concurrent lifecycles/s:        engine {}   sqlite {}",
        spread(&engine.concurrent),
        spread(&lite.concurrent)
    );
    println!(
        "  concurrent command p50, ms:     engine {}   sqlite {}",
        spread(&engine.concurrent_p50),
        spread(&lite.concurrent_p50)
    );
    println!(
        "  concurrent command p99, ms:     engine {}   sqlite {}",
        spread(&engine.concurrent_p99),
        spread(&lite.concurrent_p99)
    );
    println!(
        "  engine commands per durable commit, concurrent: {}",
        spread(&engine.per_commit)
    );
    println!(
        "sequential lifecycles: engine/sqlite = {:.2}",
        spread(&ratios(&engine.sequential, &lite.sequential))
    );
    println!(
        "sequential lifecycles, engine without fsync (upper bound, not durable): engine/sqlite = {:.2}",
        spread(&ratios(&engine.sequential_without_fsync, &lite.sequential))
    );
    println!(
        "concurrent lifecycles, {shoppers} shoppers: engine/sqlite = {:.2}",
        spread(&ratios(&engine.concurrent, &lite.concurrent))
    );
}
