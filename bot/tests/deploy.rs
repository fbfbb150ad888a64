//! The shop as an operator deploys it: its systemd unit passes systemd's own checks, and
//! `nebula run` stops cleanly on SIGTERM (what `systemctl stop` and `docker stop` send),
//! letting go of the database so the next start opens it.

#[path = "../../gateway/tests/deploy/units.rs"]
mod units;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use nebula_bot::fake::{FakeDiscord, MESSAGE_CONTENT};
use nebula_engine::Shop;
use nebula_engine::clock::SystemClock;
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::Settings;

#[test]
fn the_systemd_unit_passes_systemds_checks() {
    let problems = units::check_unit(
        "nebula.service",
        "/usr/local/bin/nebula",
        env!("CARGO_BIN_EXE_nebula"),
    );
    assert!(problems.is_empty(), "{problems:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_stops_cleanly_on_sigterm_and_lets_go_of_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let discord = FakeDiscord::start().await.unwrap();
    discord.enable_intents(MESSAGE_CONTENT);
    discord.grant_bot(nebula_bot::discord::invite::PERMISSIONS.bits());
    let database = dir.path().join("nebula.redb");
    let config = dir.path().join("nebula.toml");
    std::fs::write(
        &config,
        format!(
            "database = {database:?}\n\n[discord]\ntoken_env = \"NEBULA_DISCORD_TOKEN\"\n\
             guild_id = {}\napi_base = {:?}\n\n[[gateways.keys]]\nid = \"shop-1\"\n\
             secret_env = \"NEBULA_GATEWAY_KEY_SHOP_1\"\n",
            discord.guild_id(),
            discord.api_base(),
        ),
    )
    .unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_nebula"))
        .arg("--config")
        .arg(&config)
        .arg("run")
        .env("NEBULA_DISCORD_TOKEN", discord.token())
        .env("NEBULA_GATEWAY_KEY_SHOP_1", "k".repeat(40))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    discord.wait_ready(1).await;
    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let waited = Instant::now();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        waited.elapsed() < Duration::from_secs(20),
        "stopping took {:?}",
        waited.elapsed()
    );
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "exit {}: {log}", out.status);
    assert!(
        log.contains("shutting down") && log.contains("SIGTERM"),
        "{log}"
    );
    // The file is free again: the next start (here, the engine itself) opens it.
    Shop::open(
        &database,
        Arc::new(NativePolicies::default()),
        Arc::new(SystemClock),
        Settings::default(),
    )
    .await
    .expect("the database opens after a clean stop");
}
