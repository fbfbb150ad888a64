//! `/server`: add, edit, drain, remove, list servers, and ask a gateway how it is.

use nebula_engine::actor::Actor;
use nebula_engine::ids::ServerId;

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use crate::tr;
use nebula_engine::server::{Server, ServerEdit, ServerStatus};
use nebula_gateway::client::Target;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(CreateCommand::new("server").description("Manage VPN servers"))
        .add_option(with(
            sub("add", "Add a server").add_sub_option(text("id", "Like `fra-1`", true)),
            server_fields(true),
        ))
        .add_option(with(
            sub("edit", "Change a server").add_sub_option(id_option("id", "The server")),
            server_fields(false),
        ))
        .add_option(
            sub("drain", "Keep its clients, take no new ones")
                .add_sub_option(id_option("id", "The server")),
        )
        .add_option(
            sub("remove", "Remove a server with no clients")
                .add_sub_option(id_option("id", "The server")),
        )
        .add_option(sub("list", "Every server and its load"))
        .add_option(
            sub("status", "Ask a server's gateway how it is")
                .add_sub_option(id_option("id", "The server")),
        )
}

pub(super) async fn run(
    bot: &Bot,
    actor: Actor,
    sub: &str,
    o: &Opts<'_>,
) -> Result<Answer, BotError> {
    match sub {
        "add" => add(bot, actor, o).await,
        "edit" => {
            let edit = ServerEdit {
                name: o.str("name").map(str::to_owned),
                region: o.str("region").map(str::to_owned),
                gateway_url: o.str("gateway_url").map(str::to_owned),
                gateway_key_id: o.str("key_id").map(str::to_owned),
                inbound_id: o.u32("inbound_id")?,
                public_host: o.str("public_host").map(str::to_owned),
                capacity: o.u32("capacity")?,
                status: None,
                tags: tags(o.str("tags")),
            };
            let server = bot
                .shop
                .edit_server(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(tr!(
                o.l(),
                "admin-server-updated",
                id = server.id.to_string()
            ))
            .into())
        }
        "drain" => {
            let edit = ServerEdit {
                status: Some(ServerStatus::Draining),
                ..ServerEdit::default()
            };
            let server = bot
                .shop
                .edit_server(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(tr!(
                o.l(),
                "admin-server-draining",
                id = server.id.to_string()
            ))
            .into())
        }
        "remove" => {
            let server = bot
                .shop
                .remove_server(actor, parse_id(o.need("id")?)?)
                .await?;
            Ok(Reply::text(tr!(
                o.l(),
                "admin-server-removed",
                id = server.id.to_string()
            ))
            .into())
        }
        "list" => server_list(bot, o.l()).await,
        "status" => status(bot, o.l(), parse_id(o.need("id")?)?).await,
        _ => Err(super::unknown(o.l())),
    }
}

async fn add(bot: &Bot, actor: Actor, o: &Opts<'_>) -> Result<Answer, BotError> {
    let server = Server {
        id: parse_id(o.need("id")?)?,
        name: o.need("name")?.to_owned(),
        region: o.need("region")?.to_owned(),
        gateway_url: o.need("gateway_url")?.to_owned(),
        gateway_key_id: o.need("key_id")?.to_owned(),
        inbound_id: o.u32("inbound_id")?.unwrap_or(0),
        public_host: o.need("public_host")?.to_owned(),
        capacity: o.u32("capacity")?.unwrap_or(0),
        status: ServerStatus::Up,
        tags: tags(o.str("tags")).unwrap_or_default(),
    };
    let server = bot.shop.add_server(actor, server).await?;
    Ok(Reply::text(tr!(
        o.l(),
        "admin-server-added",
        id = server.id.to_string(),
        region = &server.region
    ))
    .into())
}

async fn server_list(bot: &Bot, l: crate::i18n::Locale) -> Result<Answer, BotError> {
    let lines = bot
        .shop
        .servers()
        .await?
        .iter()
        .map(|s| {
            tr!(
                l,
                "admin-server-line",
                id = s.id.to_string(),
                name = &s.name,
                region = &s.region,
                status = status_word(l, s.status),
                capacity = s.capacity,
                url = &s.gateway_url,
            )
        })
        .collect();
    Ok(list(l, &tr!(l, "admin-servers-title"), lines))
}

fn status_word(l: crate::i18n::Locale, status: ServerStatus) -> String {
    match status {
        ServerStatus::Up => tr!(l, "admin-server-up"),
        ServerStatus::Down => tr!(l, "admin-server-down"),
        ServerStatus::Draining => tr!(l, "admin-server-draining-word"),
    }
}

/// Asks the server's gateway, live, how it and its panel are.
async fn status(bot: &Bot, l: crate::i18n::Locale, id: ServerId) -> Result<Answer, BotError> {
    let server = bot
        .shop
        .server(id.clone())
        .await?
        .ok_or_else(|| BotError::Input(tr!(l, "admin-no-server", id = id.to_string())))?;
    let status = bot.gateway.status(Target::from(&server)).await?;
    let panel = if status.panel_reachable {
        tr!(l, "admin-panel-reachable", id = server.id.to_string())
    } else {
        tr!(l, "admin-panel-unreachable", id = server.id.to_string())
    };
    Ok(Reply::text(format!(
        "{panel}{}{}{}",
        status
            .panel_version
            .map(|v| format!(", 3x-ui {v}"))
            .unwrap_or_default(),
        status
            .xray_state
            .map(|s| format!(", Xray {s}"))
            .unwrap_or_default(),
        status
            .cpu_percent
            .map(|c| format!(", CPU {c:.0}%"))
            .unwrap_or_default(),
    ))
    .into())
}

pub(super) fn server_fields(required: bool) -> Vec<CreateCommandOption> {
    vec![
        text("name", "A name admins recognise", required),
        text("region", "Like `eu`, `us-east`", required),
        text("gateway_url", "The gateway's base URL", required),
        text("key_id", "Which signing key the shop uses for it", required),
        int(
            "inbound_id",
            "The 3x-ui inbound new clients go to",
            required,
        ),
        text("public_host", "The host shoppers connect to", required),
        int(
            "capacity",
            "How many active subscriptions it takes",
            required,
        ),
        text("tags", "Comma-separated", false),
    ]
}

/// Suggests server ids as the admin types.
pub(super) async fn autocomplete(bot: &Bot, typed: &str) -> Result<Answer, BotError> {
    let servers = bot.shop.servers().await?;
    Ok(suggest(
        servers
            .into_iter()
            .map(|s| (format!("{} — {}", s.id, s.region), s.id.to_string()))
            .collect(),
        typed,
    ))
}
