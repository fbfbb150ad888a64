//! `nebula doctor`: checks what can be checked before running, and says what to fix.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use nebula_engine::clock::SystemClock;
use nebula_engine::server::Server;
use nebula_gateway::client::{GatewayClient, Target};
use serenity::all::{ApplicationFlags, GuildId, Http, HttpBuilder, Permissions, RoleId};

use crate::app;
use crate::config::Config;
use crate::discord::effects::setting;
use crate::discord::{access, invite};

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
    let token = token(&mut r, &config);
    if config.discord.guild_id == 0 {
        r.fail("[discord] guild_id is 0: put your server's id there");
    }
    if let Err(e) = config.jobs.jobs_config() {
        r.fail(e);
    }
    let admin_role = shop(&mut r, &config).await;
    if let Some(token) = token
        && config.discord.guild_id != 0
    {
        discord(
            &mut r,
            &token,
            config.discord.api_base.as_deref(),
            GuildId::new(config.discord.guild_id),
            admin_role.map(RoleId::new),
        )
        .await;
    }
    if r.failures == 0 {
        println!("all good");
        ExitCode::SUCCESS
    } else {
        println!("{} problem(s)", r.failures);
        ExitCode::FAILURE
    }
}

/// The bot token, when it is set and has the shape of one.
fn token(r: &mut Report, config: &Config) -> Option<String> {
    match config.token() {
        Ok(t) if token_looks_right(&t) => {
            r.ok("the Discord token is set and looks like a bot token");
            Some(t)
        }
        Ok(_) => {
            r.fail("the Discord token is set but does not look like a bot token (three dot-separated parts)");
            None
        }
        Err(e) => {
            r.fail(e);
            None
        }
    }
}

/// Opens the database, checks /setup ran and every server's gateway answers; returns the admin
/// role /setup chose, for the Discord checks.
async fn shop(r: &mut Report, config: &Config) -> Option<u64> {
    let gateways = match config.gateway_access() {
        Ok(access) => Some(access),
        Err(e) => {
            r.fail(e);
            None
        }
    };
    let shop = match app::open_shop(
        &config.database,
        config.shop.engine_settings(),
        Arc::new(SystemClock),
    )
    .await
    {
        Err(e) => {
            r.fail(format!(
                "{e} (if the shop is running, the database is in use: that is fine)"
            ));
            return None;
        }
        Ok((shop, _)) => shop,
    };
    r.ok(format!(
        "the database {} opens and its policies load",
        config.database.display()
    ));
    let mut admin_role = None;
    for key in [
        setting::SHOP_CHANNEL,
        setting::REVIEW_CHANNEL,
        setting::ORDER_CATEGORY,
        setting::ADMIN_ROLE,
    ] {
        match shop.setting(key).await {
            Ok(Some(value)) if key == setting::ADMIN_ROLE => {
                admin_role = value.parse::<u64>().ok();
            }
            Ok(Some(_)) => {}
            _ => r.warn(format!("{key} is not set: run /setup in Discord")),
        }
    }
    let servers = shop.servers().await.unwrap_or_default();
    if servers.is_empty() {
        r.warn("no servers yet: add one with /server add");
    }
    match gateways.map(|access| access.client()) {
        None => {}
        Some(Err(e)) => r.fail(e),
        Some(Ok(client)) => {
            for s in &servers {
                gateway(r, &client, s).await;
            }
        }
    }
    admin_role
}

/// One server: its gateway accepts our signature and reaches its panel.
async fn gateway(r: &mut Report, client: &GatewayClient, s: &Server) {
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

/// Asks Discord what can only be seen there: the token works, the Message Content intent is on,
/// the bot is on the server with the permissions the invite asks for, and the admin role can
/// reach the admin commands.
async fn discord(
    r: &mut Report,
    token: &str,
    api_base: Option<&str>,
    guild: GuildId,
    admin_role: Option<RoleId>,
) {
    let mut http = HttpBuilder::new(token);
    if let Some(base) = api_base {
        http = http
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let http = http.build();
    let app = match http.get_current_application_info().await {
        Ok(app) => app,
        Err(e) => {
            return r.fail(format!(
                "Discord refused the token ({e}): reset it in the developer portal → Bot, and \
                 set it again (docs/setup.md, step 1)"
            ));
        }
    };
    r.ok(format!(
        "Discord accepts the token (application {})",
        app.id
    ));
    http.set_application_id(app.id);
    let content = ApplicationFlags::GATEWAY_MESSAGE_CONTENT
        | ApplicationFlags::GATEWAY_MESSAGE_CONTENT_LIMITED;
    if app.flags.is_some_and(|f| f.intersects(content)) {
        r.ok("the Message Content intent is on");
    } else {
        r.fail(
            "the Message Content intent is off: developer portal → Bot → Privileged Gateway \
             Intents → MESSAGE CONTENT INTENT (without it Discord closes the connection, 4014)",
        );
    }
    match bot_permissions(&http, guild).await {
        Err(why) => r.fail(why),
        Ok(has)
            if has.contains(Permissions::ADMINISTRATOR) || has.contains(invite::PERMISSIONS) =>
        {
            r.ok("the bot is on the server with the permissions it needs")
        }
        Ok(has) => r.fail(format!(
            "the bot lacks {} on the server: invite it again with the link `nebula invite` \
             prints, or give its role these permissions",
            (invite::PERMISSIONS - has)
                .iter_names()
                .map(|(name, _)| name.to_lowercase().replace('_', " "))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    if let Some(role) = admin_role {
        match access::check(&http, guild, role).await {
            Ok(blocked) => match access::advice(crate::i18n::Locale::En, &blocked, role) {
                None => r.ok("members with the admin role can use the admin commands"),
                Some(advice) => r.warn(
                    advice.replace(&format!("<@&{role}>"), &format!("the admin role ({role})")),
                ),
            },
            Err(e) => r.warn(format!(
                "could not check the admin commands' permissions: {e}"
            )),
        }
    }
}

/// The bot's server-wide permissions: `@everyone`'s and its roles'.
async fn bot_permissions(http: &Http, guild: GuildId) -> Result<Permissions, String> {
    let me = http
        .get_current_user()
        .await
        .map_err(|e| format!("Discord: {e}"))?;
    let member = http.get_member(guild, me.id).await.map_err(|_| {
        format!(
            "the bot is not on server {guild}: add it with the link `nebula invite` prints \
             (docs/setup.md, step 3)"
        )
    })?;
    let roles = http
        .get_guild_roles(guild)
        .await
        .map_err(|e| format!("reading the server's roles: {e}"))?;
    Ok(roles
        .iter()
        .filter(|r| r.id.get() == guild.get() || member.roles.contains(&r.id))
        .fold(Permissions::empty(), |p, r| p | r.permissions))
}
