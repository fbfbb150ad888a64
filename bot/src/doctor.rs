//! `nebula doctor`: checks what can be checked before running, and says what to fix.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use nebula_engine::clock::SystemClock;
use nebula_gateway::client::Target;

use crate::app;
use crate::config::Config;
use crate::discord::effects::setting;

struct Report {
    failures: usize,
}

impl Report {
    fn ok(&self, what: impl std::fmt::Display) {
        println!("  ok    {what}");
    }
    fn warn(&self, what: impl std::fmt::Display) {
        println!("  note  {what}");
    }
    fn fail(&mut self, what: impl std::fmt::Display) {
        println!("  FAIL  {what}");
        self.failures += 1;
    }
}

/// A Discord bot token is three dot-separated base64url parts.
pub fn token_looks_right(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

pub async fn run(path: &Path) -> ExitCode {
    let mut r = Report { failures: 0 };
    println!("nebula doctor: {}", path.display());
    let config = match Config::load(path) {
        Ok(c) => {
            r.ok("the config parses");
            c
        }
        Err(e) => {
            r.fail(e);
            return ExitCode::FAILURE;
        }
    };
    match config.token() {
        Ok(t) if token_looks_right(&t) => r.ok("the Discord token is set and looks like a bot token"),
        Ok(_) => r.fail("the Discord token is set but does not look like a bot token (three dot-separated parts)"),
        Err(e) => r.fail(e),
    }
    if config.discord.guild_id == 0 {
        r.fail("[discord] guild_id is 0: put your server's id there");
    }
    if let Err(e) = config.jobs.jobs_config() {
        r.fail(e);
    }
    let gateways = match config.gateway_access() {
        Ok(access) => Some(access),
        Err(e) => {
            r.fail(e);
            None
        }
    };
    match app::open_shop(
        &config.database,
        config.shop.engine_settings(),
        Arc::new(SystemClock),
    )
    .await
    {
        Err(e) => r.fail(format!(
            "{e} (if the shop is running, the database is in use: that is fine)"
        )),
        Ok((shop, _)) => {
            r.ok(format!(
                "the database {} opens and its policies load",
                config.database.display()
            ));
            for key in [
                setting::SHOP_CHANNEL,
                setting::REVIEW_CHANNEL,
                setting::ORDER_CATEGORY,
                setting::ADMIN_ROLE,
            ] {
                if !matches!(shop.setting(key).await, Ok(Some(_))) {
                    r.warn(format!("{key} is not set: run /setup in Discord"));
                }
            }
            let servers = shop.servers().await.unwrap_or_default();
            if servers.is_empty() {
                r.warn("no servers yet: add one with /server add");
            }
            if let Some(access) = &gateways {
                match access.client() {
                    Err(e) => r.fail(e),
                    Ok(client) => {
                        for s in &servers {
                            let t = Target::from(s);
                            match client.ping(t).await {
                                Ok(_) => r.ok(format!(
                                    "server {}: the gateway accepts our signature",
                                    s.id
                                )),
                                Err(e) => r.fail(format!("server {}: {e}", s.id)),
                            }
                            match client.status(t).await {
                                Ok(st) if st.panel_reachable => r.ok(format!(
                                    "server {}: the panel answers{}",
                                    s.id,
                                    st.panel_version
                                        .map(|v| format!(" (3x-ui {v})"))
                                        .unwrap_or_default()
                                )),
                                Ok(_) => r.fail(format!(
                                    "server {}: the gateway cannot reach its panel",
                                    s.id
                                )),
                                Err(_) => {}
                            }
                        }
                    }
                }
            }
        }
    }
    if r.failures == 0 {
        println!("all good");
        ExitCode::SUCCESS
    } else {
        println!("{} problem(s)", r.failures);
        ExitCode::FAILURE
    }
}
