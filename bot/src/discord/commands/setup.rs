//! `/setup`: the shop's channels and admin role, the panel posted, and whether the admin role can reach the admin commands (`access.rs`).

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use crate::tr;
use nebula_engine::actor::Actor;
use nebula_engine::ids::UserId;
use serenity::all::{ChannelType, CommandInteraction, Permissions};

use crate::discord::effects::setting;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(
        CreateCommand::new("setup")
            .description("Set the shop's channels and admin role, and post the panel"),
    )
    .add_option(
        CreateCommandOption::new(
            CommandOptionType::Channel,
            "shop_channel",
            "Where the shop panel lives",
        )
        .required(true)
        .channel_types(vec![ChannelType::Text]),
    )
    .add_option(
        CreateCommandOption::new(
            CommandOptionType::Channel,
            "review_channel",
            "Where admins review payments",
        )
        .required(true)
        .channel_types(vec![ChannelType::Text]),
    )
    .add_option(
        CreateCommandOption::new(
            CommandOptionType::Channel,
            "order_category",
            "The category for private order channels",
        )
        .required(true)
        .channel_types(vec![ChannelType::Category]),
    )
    .add_option(
        CreateCommandOption::new(
            CommandOptionType::Role,
            "admin_role",
            "Who may approve, decline and manage",
        )
        .required(true),
    )
}

pub(super) async fn run(
    bot: &Bot,
    cmd: &CommandInteraction,
    o: &Opts<'_>,
) -> Result<Answer, BotError> {
    let member = cmd.member.as_deref();
    let allowed = member
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.contains(Permissions::ADMINISTRATOR))
        || bot.is_admin(member).await?;
    if !allowed {
        return Err(BotError::NotAdmin);
    }
    let actor = Actor::Admin(UserId(cmd.user.id.get()));
    let channel = |name: &str| match o.get(name) {
        Some(ResolvedValue::Channel(c)) => Ok(c.id.get().to_string()),
        _ => Err(BotError::Input(tr!(o.l(), "admin-required", name = name))),
    };
    let role_id = match o.get("admin_role") {
        Some(ResolvedValue::Role(r)) => r.id,
        _ => {
            return Err(BotError::Input(tr!(
                o.l(),
                "admin-required",
                name = "admin_role"
            )));
        }
    };
    let role = role_id.get().to_string();
    bot.shop
        .set_setting(actor, setting::SHOP_CHANNEL, channel("shop_channel")?)
        .await?;
    bot.shop
        .set_setting(actor, setting::REVIEW_CHANNEL, channel("review_channel")?)
        .await?;
    bot.shop
        .set_setting(actor, setting::ORDER_CATEGORY, channel("order_category")?)
        .await?;
    bot.shop
        .set_setting(actor, setting::ADMIN_ROLE, role)
        .await?;
    bot.executor
        .refresh_panel()
        .await
        .map_err(|e| BotError::Input(tr!(o.l(), "admin-setup-no-panel", why = e.to_string())))?;
    let mut said = tr!(o.l(), "admin-setup-done");
    if let Some(http) = bot.executor.http_client() {
        match crate::discord::access::check(http, bot.guild, role_id).await {
            Ok(blocked) => {
                if let Some(advice) = crate::discord::access::advice(o.l(), &blocked, role_id) {
                    said.push_str(&format!("\n⚠️ {advice}"));
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not check who may use the admin commands");
                said.push('\n');
                said.push_str(&tr!(o.l(), "admin-setup-unchecked"));
            }
        }
    }
    Ok(Reply::text(said).into())
}
