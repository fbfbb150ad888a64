//! The shop's idle memory: `nebula run` (the release binary, as operators run it) against a
//! fake Discord on loopback, once with an empty database and once with many subscriptions.
//! Each run waits for the bot to connect and register its commands, lets it sit idle, then
//! reads the child's resident memory (`VmRSS`, and its peak `VmHWM`) from `/proc`. The empty
//! database is the baseline: the same binary, config and connection, no subscriptions.
//!
//! `cargo xtask footprint` builds the release binaries, prints their sizes and runs this. By
//! hand: `NEBULA_BIN=target/release/nebula cargo run -p nebula-bot --features demo --example
//! footprint`. This harness (the seeding, the fake Discord) may be a debug build: what is
//! measured is the child, the release binary. Knobs: `FOOTPRINT_SUBSCRIPTIONS` (100000), `FOOTPRINT_IDLE_SECONDS` (15).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use jiff::SignedDuration;
use nebula_bot::fake::FakeDiscord;
use nebula_engine::Shop;
use nebula_engine::clock::{Clock, SystemClock};
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::Settings;
use nebula_engine::testing::seeded_subscription;

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A database with `count` subscriptions spread over five servers, written the way the shop
/// writes them (with their index and timer rows).
async fn seed(database: &Path, count: u64) {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();
    let shop = Shop::open(
        database,
        Arc::new(NativePolicies::default()),
        clock,
        Settings::default(),
    )
    .await
    .expect("open the database");
    let ends = now + SignedDuration::from_hours(24 * 30);
    let mut batch = Vec::new();
    for i in 0..count {
        batch.push(seeded_subscription(i, &format!("srv-{}", i % 5), ends, now));
        if batch.len() == 5000 {
            shop.seed_subscriptions(std::mem::take(&mut batch))
                .await
                .expect("seed");
        }
    }
    shop.seed_subscriptions(batch).await.expect("seed");
    // The child opens the file next: let the writer thread let go of it.
    drop(shop);
    tokio::time::sleep(Duration::from_millis(500)).await;
}

fn config(dir: &Path, discord: &FakeDiscord) -> PathBuf {
    let path = dir.join("nebula.toml");
    std::fs::write(
        &path,
        format!(
            r#"database = "{db}"

[discord]
token_env = "NEBULA_DISCORD_TOKEN"
guild_id = {guild}
api_base = "{api}"

[[gateways.keys]]
id = "shop-1"
secret_env = "NEBULA_GATEWAY_KEY_SHOP_1"
"#,
            db = dir.join("nebula.redb").display(),
            guild = discord.guild_id(),
            api = discord.api_base(),
        ),
    )
    .expect("write the config");
    path
}

/// `VmRSS` and `VmHWM` of a process, in KiB.
fn memory(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("read /proc");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

struct Shopkeeper(Child);

impl Drop for Shopkeeper {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs the shop over a database of `subscriptions` and returns its idle (RSS, peak) in KiB.
async fn idle(bin: &Path, subscriptions: u64, idle_for: Duration) -> (u64, u64) {
    let dir = tempfile::tempdir().expect("tempdir");
    seed(&dir.path().join("nebula.redb"), subscriptions).await;
    let discord = FakeDiscord::start().await.expect("fake Discord");
    discord.enable_intents(nebula_bot::fake::MESSAGE_CONTENT);
    discord.grant_bot(nebula_bot::discord::invite::PERMISSIONS.bits());
    let config = config(dir.path(), &discord);
    let child = Command::new(bin)
        .arg("--config")
        .arg(&config)
        .arg("run")
        .env("NEBULA_DISCORD_TOKEN", discord.token())
        .env("NEBULA_GATEWAY_KEY_SHOP_1", "f".repeat(64))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
    let shop = Shopkeeper(child);
    discord.wait_ready(1).await;
    tokio::time::sleep(idle_for).await;
    memory(shop.0.id())
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn main() {
    let bin = std::env::var_os("NEBULA_BIN").map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../target/release/nebula"
            ))
        },
        PathBuf::from,
    );
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build --release -p nebula-bot` (or run `cargo xtask footprint`)",
        bin.display()
    );
    let subscriptions = knob("FOOTPRINT_SUBSCRIPTIONS", 100_000);
    let idle_for = Duration::from_secs(knob("FOOTPRINT_IDLE_SECONDS", 15));
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (empty, empty_peak) = rt.block_on(idle(&bin, 0, idle_for));
    let (full, full_peak) = rt.block_on(idle(&bin, subscriptions, idle_for));
    println!(
        "nebula run, idle {} s after connecting:",
        idle_for.as_secs()
    );
    println!(
        "  empty database:              RSS {} (peak {})",
        mib(empty),
        mib(empty_peak)
    );
    println!(
        "  {subscriptions:>7} subscriptions:       RSS {} (peak {})",
        mib(full),
        mib(full_peak)
    );
    println!(
        "  idle RSS with {subscriptions} subscriptions / empty = {:.2}",
        full as f64 / empty.max(1) as f64
    );
}
