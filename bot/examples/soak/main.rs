//! The kill -9 soak: the whole shop as an operator runs it, killed at random moments.
//!
//! Each trial starts a simulated 3x-ui panel (`nebula-panel-sim`, with lost answers, 500s and
//! slowness in about half the trials), a gateway (`nebula-gateway run`) and the shop (`nebula
//! run`), each its own process on loopback, against a fake Discord and simulated BTCPay and
//! Stripe in this process. Shoppers take the free trial, buy and renew (paying with a
//! screenshot, through BTCPay or Stripe Checkout, then fetching their subscription URL) and an
//! admin approves, declines and retries, all through the fake Discord, while the shop (and in
//! some trials the gateway) is killed with SIGKILL and restarted: at random instants, and half
//! the time at the worst one, right after Discord or a provider stored what the shop asked for
//! and before the shop heard back (`world::Tripwire`). After every kill the
//! database is opened as the next start would open it and checked; at the end, once the shop
//! has settled, everything is (see `checks.rs`). It prints a table and exits non-zero on any
//! violation, keeping the failing trial's directory (configs, databases, logs).
//!
//! `cargo xtask soak [--trials N] [--seed S]` builds the three programs and runs this; by
//! hand: `cargo run -p nebula-bot --features demo --example soak -- --bins target/debug`.

mod actors;
mod checks;
mod world;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use nebula_bot::demo::{
    automatic_method, describe, plan_month, server_fra1, setup_command, trial_plan, wallet_method,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

use actors::{Admin, Log, Pay, Seen, Shopper, interact};
use checks::{Findings, Invariant};
use world::{Bins, World};

#[derive(Parser)]
#[command(about = "Kill the whole shop at random moments and check that nothing is lost")]
struct Args {
    /// How many trials.
    #[arg(long, default_value_t = 20)]
    trials: u32,
    /// Seeds the trials' choices (printed, so a run can be repeated).
    #[arg(long)]
    seed: Option<u64>,
    /// Shoppers per trial (each buys or takes the free trial, then renews or buys).
    #[arg(long, default_value_t = 3)]
    shoppers: usize,
    /// Where `nebula`, `nebula-gateway` and `nebula-panel-sim` are.
    #[arg(long)]
    bins: Option<PathBuf>,
}

/// What one trial did and found.
#[derive(Default)]
struct Report {
    shop_kills: u32,
    /// Of the shop kills, those at the instant Discord or BTCPay had made something.
    kills_at_writes: u32,
    gateway_kills: u32,
    chaos: bool,
    orders: usize,
    fulfilled: usize,
    panel_clients: usize,
    findings: Findings,
}

/// An admin's slash command, until the shop answers with `expect`.
async fn command(
    world: &World,
    user: u64,
    name: &str,
    options: Value,
    resolved: Option<Value>,
    expect: &str,
) -> Result<(), String> {
    let d = &world.discord;
    let channel = world.cast.review_channel;
    let deadline = Instant::now() + Duration::from_secs(60);
    interact(
        d,
        &format!("/{name}"),
        deadline,
        || d.try_command(user, channel, name, options.clone(), resolved.clone()),
        |a, _| describe(a).contains(expect).then_some(()),
    )
    .await
    .map_err(|e| format!("{e}: {:?}", d.problems()))
}

/// What the operator does once: `/setup`, a plan, two methods, a server.
async fn set_up(world: &World) -> Result<(), String> {
    let c = &world.cast;
    let (setup, resolved) = setup_command(c);
    command(world, c.owner, "setup", setup, Some(resolved), "set up").await?;
    world
        .discord
        .set_command_permissions(None, &[(c.admin_role, 1, true)]);
    command(world, c.admin, "plan", plan_month(), None, "Added plan").await?;
    command(world, c.admin, "plan", trial_plan(), None, "Added plan").await?;
    command(world, c.admin, "method", wallet_method(), None, "Added").await?;
    let btcpay = automatic_method("btcpay", "Bitcoin (BTCPay)", "btcpay");
    command(world, c.admin, "method", btcpay, None, "Added").await?;
    let card = automatic_method("card", "Card", "stripe");
    command(world, c.admin, "method", card, None, "Added").await?;
    let server = server_fra1(&world.gateway_url, world::KEY_ID);
    command(world, c.admin, "server", server, None, "Added server").await
}

/// The shoppers: each buys (or takes the trial), then renews what they bought (or buys
/// again if they have nothing to renew), paying one way or another.
fn shoppers(world: &World, seen: &Log, rng: &mut StdRng) -> Vec<tokio::task::JoinHandle<()>> {
    world
        .shoppers
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let shopper = Shopper {
                id,
                d: world.discord.clone(),
                pay: world.pay.clone(),
                shop_channel: world.cast.shop_channel,
                category: world.cast.category,
                seen: seen.clone(),
            };
            // A trial comes first or not at all (once per account, and not renewable).
            let ways: Vec<Pay> = (0..2)
                .map(|n| match rng.random_range(0..5) {
                    0 => Pay::Btcpay,
                    1 => Pay::Stripe,
                    2 if n == 0 => Pay::Trial,
                    _ => Pay::Screenshot,
                })
                .collect();
            let pause = Duration::from_millis(rng.random_range(0..1500));
            let seen = seen.clone();
            tokio::spawn(async move {
                tokio::time::sleep(pause).await;
                shopper.purchase(false, ways[0], &format!("{i}-0")).await;
                let has = seen
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .fulfilled
                    .iter()
                    .any(|f| f.0 == id)
                    && ways[0] != Pay::Trial;
                shopper.purchase(has, ways[1], &format!("{i}-1")).await;
            })
        })
        .collect()
}

/// Kills the shop (and the gateway, where the trial says so) at random moments until the
/// shoppers are done or the kills are used up, checking the database after each shop kill.
async fn kill_at_random(
    world: &mut World,
    seen: &Log,
    shoppers: &[tokio::task::JoinHandle<()>],
    rng: &mut StdRng,
    gateway_too: bool,
    report: &mut Report,
) -> Result<(), String> {
    let kills = rng.random_range(2..=6);
    for _ in 0..kills {
        // In a trial that kills the gateway too, half the kills are the gateway's (at any
        // instant). Half the shop's come at the next write the outside world applies; the
        // others at any instant.
        let gateway = gateway_too && rng.random_bool(0.5);
        let at_write = !gateway && rng.random_bool(0.5);
        let wait = Duration::from_millis(rng.random_range(200..5000));
        let until = Instant::now() + if at_write { wait * 3 } else { wait };
        if at_write {
            world.tripwire.arm();
        }
        let mut done = false;
        while Instant::now() < until && !world.tripwire.fired() && !done {
            done = shoppers.iter().all(|s| s.is_finished());
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let fired = world.tripwire.disarm();
        if done && !fired {
            return Ok(());
        }
        if fired {
            report.kills_at_writes += 1;
        } else if gateway {
            world.gateway.kill();
            tokio::time::sleep(Duration::from_millis(rng.random_range(100..2000))).await;
            world.start_gateway()?;
            continue;
        }
        world.shop.kill();
        let snapshot = take(seen);
        if let Some(shop) = checks::after_kill(world, &snapshot, &mut report.findings).await {
            checks::close(shop).await;
        }
        world.start_shop().await?;
    }
    Ok(())
}

fn take(seen: &Log) -> Seen {
    seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Lets the shop finish (kills stopped, faults off): looks at the database now and then
/// (killing the shop to read it, then starting it again) until nothing is left to do.
async fn settle(world: &mut World, report: &mut Report) -> Result<nebula_engine::Shop, String> {
    let started = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_secs(3)).await;
        world.shop.kill();
        let shop = checks::open(world).await?;
        let settled = checks::settled(&shop, world).await?;
        if settled || started.elapsed() > Duration::from_secs(120) {
            if !settled {
                report.findings.add(
                    Invariant::Drains,
                    "work left in the outbox two minutes after the last kill".into(),
                );
            }
            return Ok(shop);
        }
        checks::close(shop).await;
        world.start_shop().await?;
    }
}

async fn trial(bins: &Bins, seed: u64, shoppers_per_trial: usize) -> (Report, Option<PathBuf>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut report = Report {
        chaos: rng.random_bool(0.5),
        ..Report::default()
    };
    let gateway_too = rng.random_bool(0.5);
    let dir = tempfile::Builder::new()
        .prefix("nebula-soak-")
        .tempdir()
        .expect("a temporary directory");
    if let Err(e) = run_trial(
        bins,
        dir.path(),
        seed,
        shoppers_per_trial,
        &mut rng,
        gateway_too,
        &mut report,
    )
    .await
    {
        report.findings.add(Invariant::Served, e);
    }
    let kept = (!report.findings.0.is_empty()).then(|| dir.keep());
    (report, kept)
}

async fn run_trial(
    bins: &Bins,
    dir: &std::path::Path,
    seed: u64,
    shoppers_per_trial: usize,
    rng: &mut StdRng,
    gateway_too: bool,
    report: &mut Report,
) -> Result<(), String> {
    let chaos = if report.chaos { 30 } else { 0 };
    let mut world = World::start(bins, dir, chaos, seed, shoppers_per_trial).await?;
    set_up(&world).await?;
    let seen: Log = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let admin = Admin {
        id: world.cast.admin,
        d: world.discord.clone(),
        review_channel: world.cast.review_channel,
        decline_one_in: 8,
        seed,
        seen: seen.clone(),
    };
    let admin = tokio::spawn({
        let stop = stop.clone();
        async move { admin.work(stop).await }
    });
    let shoppers = shoppers(&world, &seen, rng);
    let killed = kill_at_random(&mut world, &seen, &shoppers, rng, gateway_too, report).await;
    report.shop_kills = world.shop.kills;
    report.gateway_kills = world.gateway.kills;
    killed?;
    world.panel.calm().await?;
    for s in shoppers {
        let _ = s.await;
    }
    stop.store(true, Ordering::Relaxed);
    let _ = admin.await;
    if let Some(died) = world.shop.died().or_else(|| world.gateway.died()) {
        return Err(died);
    }
    let shop = settle(&mut world, report).await?;
    report.shop_kills = world.shop.kills;
    let snapshot = take(&seen);
    checks::at_end(&shop, &world, &snapshot, &mut report.findings).await;
    for problem in world.discord.problems() {
        report.findings.add(
            Invariant::PostedOnce,
            format!("Discord would refuse: {problem}"),
        );
    }
    report.orders = snapshot.orders.len();
    report.fulfilled = snapshot.fulfilled.len();
    report.panel_clients = world.panel.clients().await.map_or(0, |c| c.len());
    checks::close(shop).await;
    world.stop().await;
    Ok(())
}

fn bins(args: &Args) -> Bins {
    let dir = args.bins.clone().unwrap_or_else(|| {
        std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")))
            .join("debug")
    });
    Bins {
        nebula: dir.join("nebula"),
        gateway: dir.join("nebula-gateway"),
        panel: dir.join("nebula-panel-sim"),
    }
}

fn main() {
    let args = Args::parse();
    let bins = bins(&args);
    for program in [&bins.nebula, &bins.gateway, &bins.panel] {
        if !program.exists() {
            eprintln!(
                "{} is missing: run `cargo xtask soak`, which builds it",
                program.display()
            );
            std::process::exit(2);
        }
    }
    let seed = args
        .seed
        .unwrap_or_else(|| jiff::Timestamp::now().as_second() as u64);
    println!(
        "soak: {} trials, {} shoppers each, seed {seed}",
        args.trials, args.shoppers
    );
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let started = Instant::now();
    let mut total = Report::default();
    let mut violations: BTreeMap<Invariant, usize> = BTreeMap::new();
    let mut chaos_trials = 0;
    let mut kept = Vec::new();
    for t in 0..args.trials {
        let trial_seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(u64::from(t));
        let (report, dir) = rt.block_on(trial(&bins, trial_seed, args.shoppers));
        println!(
            "trial {t:>3}: {} shop kills ({} at a write), {} gateway kills{}, {} orders, {} fulfilled, {} panel clients, {} violations",
            report.shop_kills,
            report.kills_at_writes,
            report.gateway_kills,
            if report.chaos { ", panel faults" } else { "" },
            report.orders,
            report.fulfilled,
            report.panel_clients,
            report.findings.0.len()
        );
        for (invariant, detail) in report.findings.0.iter().take(8) {
            println!("    {}: {detail}", invariant.name());
        }
        for (invariant, _) in &report.findings.0 {
            *violations.entry(*invariant).or_default() += 1;
        }
        if let Some(dir) = dir {
            println!("    kept {}", dir.display());
            kept.push(dir);
        }
        chaos_trials += u32::from(report.chaos);
        total.shop_kills += report.shop_kills;
        total.kills_at_writes += report.kills_at_writes;
        total.gateway_kills += report.gateway_kills;
        total.orders += report.orders;
        total.fulfilled += report.fulfilled;
        total.panel_clients += report.panel_clients;
    }
    println!(
        "\n{:<28} {:>8}",
        "soak",
        format!("{:.0} s", started.elapsed().as_secs_f64())
    );
    let rows: [(&str, String); 8] = [
        ("trials", args.trials.to_string()),
        ("trials with panel faults", chaos_trials.to_string()),
        ("shop kills (SIGKILL)", total.shop_kills.to_string()),
        ("  of them at a write", total.kills_at_writes.to_string()),
        ("gateway kills (SIGKILL)", total.gateway_kills.to_string()),
        ("orders", total.orders.to_string()),
        ("fulfilled", total.fulfilled.to_string()),
        ("panel clients", total.panel_clients.to_string()),
    ];
    for (name, value) in rows {
        println!("{name:<28} {value:>8}");
    }
    println!("violations:");
    for invariant in Invariant::ALL {
        println!(
            "  {:<26} {:>8}",
            invariant.name(),
            violations.get(&invariant).copied().unwrap_or(0)
        );
    }
    if !violations.is_empty() {
        std::process::exit(1);
    }
}
