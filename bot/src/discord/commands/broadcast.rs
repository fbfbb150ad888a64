//! `/broadcast`: a message to a segment of shoppers by DM. Always a preview first (who it
//! reaches, how it reads); the preview's button sends it, and a progress message in this
//! channel follows the DMs as they go out.

use nebula_engine::actor::Actor;
use nebula_engine::broadcast::{MAX_BROADCAST_CHARS, Segment};

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::Answer;
use crate::tr;

use crate::discord::render;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(CreateCommand::new("broadcast").description("Message shoppers by DM (a preview first)"))
        .add_option(
            text("segment", "Who gets it", true)
                .add_string_choice("every shopper", "all")
                .add_string_choice("active access", "active")
                .add_string_choice("access ending within `days`", "expiring")
                .add_string_choice("access ended", "expired")
                .add_string_choice("active on `plan`", "plan"),
        )
        .add_option(text("message", "What they read", true).max_length(MAX_BROADCAST_CHARS as u16))
        .add_option(int("days", "For `expiring`: within how many days", false))
        .add_option(text("plan", "For `plan`: the plan's id", false))
}

/// The segment the options name, or what is missing.
fn segment(o: &Opts<'_>) -> Result<Segment, BotError> {
    Ok(match o.need("segment")? {
        "all" => Segment::All,
        "active" => Segment::Active,
        "expired" => Segment::Expired,
        "expiring" => Segment::ExpiringWithin {
            days: o
                .u32("days")?
                .ok_or_else(|| BotError::Input(tr!(o.l(), "admin-expiring-needs-days")))?,
        },
        "plan" => Segment::Plan {
            plan: parse_id(
                o.str("plan")
                    .ok_or_else(|| BotError::Input(tr!(o.l(), "admin-plan-needs-id")))?,
            )?,
        },
        other => {
            return Err(BotError::Input(tr!(
                o.l(),
                "admin-not-a-segment",
                segment = other
            )));
        }
    })
}

pub(super) async fn run(
    bot: &Bot,
    l: crate::i18n::Locale,
    actor: Actor,
    channel: u64,
    o: &Opts<'_>,
) -> Result<Answer, BotError> {
    let segment = segment(o)?;
    if let Segment::Plan { plan } = &segment
        && !bot.shop.plans().await?.iter().any(|p| &p.id == plan)
    {
        return Err(BotError::Input(tr!(
            l,
            "admin-no-plan",
            id = plan.to_string()
        )));
    }
    let draft = bot
        .shop
        .draft_broadcast(actor, channel, segment, o.need("message")?.to_owned())
        .await?;
    Ok(render::broadcast_preview(l, &draft).into())
}
