//! Running the shop for real: the invite link, `nebula doctor` asking Discord what only Discord
//! knows, and `nebula run` saying plainly why Discord refused it. The fake Discord refuses as
//! the real one does (a token not the application's, an intent switched off).

use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use nebula_bot::app;
use nebula_bot::demo::{KEY_ID, KEY_SECRET, Stage};
use nebula_bot::fake::{MESSAGE_CONTENT, permissions};

fn nebula(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_nebula"))
        .args(args)
        .env("RUST_LOG", "error")
        .output()
        .expect("nebula runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// A config for the stage's shop, as an operator writes it (secrets in files beside it).
fn config_for(stage: &Stage, dir: &std::path::Path) -> std::path::PathBuf {
    std::fs::write(dir.join("token"), stage.discord.token()).unwrap();
    std::fs::write(dir.join("key"), KEY_SECRET).unwrap();
    let path = dir.join("nebula.toml");
    std::fs::write(
        &path,
        format!(
            "database = {:?}\n\n[discord]\ntoken_file = {:?}\nguild_id = {}\napi_base = {:?}\n\n\
             [[gateways.keys]]\nid = {:?}\nsecret_file = {:?}\n",
            stage.config.database,
            dir.join("token"),
            stage.discord.guild_id(),
            stage.discord.api_base(),
            KEY_ID,
            dir.join("key"),
        ),
    )
    .unwrap();
    path
}

#[test]
fn the_invite_link_asks_for_what_the_bot_needs() {
    let (ok, said) = nebula(&["invite", "--application-id", "1234567890123456789"]);
    assert!(ok, "{said}");
    assert!(
        said.starts_with("https://discord.com/oauth2/authorize?client_id=1234567890123456789&scope=bot+applications.commands&permissions=117776\n"),
        "{said}"
    );
    assert!(said.contains("Message Content"), "{said}");
    // From the token in the config, when no id is given.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("token"),
        "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GaBcDe.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    )
    .unwrap();
    let config = dir.path().join("nebula.toml");
    std::fs::write(
        &config,
        format!(
            "[discord]\ntoken_file = {:?}\nguild_id = 1\n",
            dir.path().join("token")
        ),
    )
    .unwrap();
    let (ok, said) = nebula(&["--config", config.to_str().unwrap(), "invite"]);
    assert!(ok, "{said}");
    assert!(said.contains("client_id=1234567890123456789&"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_asks_discord_for_the_intent_the_permissions_and_the_admin_commands() {
    let mut stage = Stage::start().await.unwrap();
    // doctor reads the shop's settings from the database, which a running shop holds.
    stage.stop_shop().await;
    let dir = tempfile::tempdir().unwrap();
    let config = config_for(&stage, dir.path());
    let config = config.to_str().unwrap().to_owned();
    let doctor = || async {
        let config = config.clone();
        tokio::task::spawn_blocking(move || nebula(&["--config", &config, "doctor"]))
            .await
            .unwrap()
    };
    let (ok, said) = doctor().await;
    assert!(ok, "{said}");
    for line in [
        "ok    Discord accepts the token",
        "ok    the Message Content intent is on",
        "ok    the bot is on the server with the permissions it needs",
        "ok    members with the admin role can use the admin commands",
    ] {
        assert!(said.contains(line), "{line:?} in:\n{said}");
    }
    // The owner switched the intent off, took Manage Channels from the bot, and removed the
    // admin role from the commands: doctor says each, and how to fix it.
    stage.discord.disable_intents(MESSAGE_CONTENT);
    stage
        .discord
        .grant_bot(nebula_bot::discord::invite::PERMISSIONS.bits() & !permissions::MANAGE_CHANNELS);
    stage.discord.set_command_permissions(None, &[]);
    let (ok, said) = doctor().await;
    assert!(!ok, "{said}");
    for line in [
        "FAIL  the Message Content intent is off",
        "FAIL  the bot lacks manage channels on the server",
        "note  Members with the admin role",
    ] {
        assert!(said.contains(line), "{line:?} in:\n{said}");
    }
    // A token reset in the developer portal.
    stage.discord.reset_token();
    let (ok, said) = doctor().await;
    assert!(
        !ok && said.contains("FAIL  Discord refused the token"),
        "{said}"
    );
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_says_why_discord_refused_the_connection() {
    let mut stage = Stage::start().await.unwrap();
    stage.stop_shop().await;
    let ended = |config: nebula_bot::config::Resolved| async move {
        let mut running = app::start(&config, Arc::new(nebula_engine::clock::SystemClock))
            .await
            .unwrap();
        let why = tokio::time::timeout(Duration::from_secs(20), running.discord_ended())
            .await
            .expect("Discord's refusal ends the connection");
        running.stop().await;
        why
    };
    // The Message Content intent is off in the developer portal: 4014.
    stage.discord.disable_intents(MESSAGE_CONTENT);
    let why = ended(stage.config.clone()).await;
    assert!(
        why.contains("4014") && why.contains("MESSAGE CONTENT INTENT"),
        "{why}"
    );
    // A token that is no longer the application's: 4004.
    stage.discord.enable_intents(MESSAGE_CONTENT);
    stage.discord.reset_token();
    let why = ended(stage.config.clone()).await;
    assert!(why.contains("4004") && why.contains("Reset Token"), "{why}");
    stage.stop().await;
}
