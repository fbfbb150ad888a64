//! `/order`: view an order with its history, retry or cancel it, or reset the traffic of what
//! it bought.

use nebula_engine::actor::Actor;

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use crate::tr;
use nebula_engine::order::{OrderKind, State};
use serenity::all::CreateEmbed;

use crate::discord::render;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(CreateCommand::new("order").description("Look after orders"))
        .add_option(
            sub("view", "An order and its history")
                .add_sub_option(id_option("code", "Like NL-7K3F9Q2A")),
        )
        .add_option(
            sub("retry", "Provision a failed order again")
                .add_sub_option(id_option("code", "Like NL-7K3F9Q2A")),
        )
        .add_option(
            sub("cancel", "Cancel an unpaid order")
                .add_sub_option(id_option("code", "Like NL-7K3F9Q2A")),
        )
        .add_option(
            sub(
                "reset-traffic",
                "Start the usage of what an order bought over from zero (all its servers)",
            )
            .add_sub_option(id_option("code", "Like NL-7K3F9Q2A")),
        )
}

pub(super) async fn run(
    bot: &Bot,
    actor: Actor,
    sub: &str,
    o: &Opts<'_>,
) -> Result<Answer, BotError> {
    match sub {
        "view" => view_order(bot, o.l(), o.need("code")?).await,
        "retry" => {
            let record = bot.shop.order_by_code(o.need("code")?).await?;
            let record = bot.shop.retry(actor, record.order.id).await?;
            Ok(Reply::text(tr!(o.l(), "order-retrying", code = record.order.code())).into())
        }
        "cancel" => {
            let record = bot.shop.order_by_code(o.need("code")?).await?;
            let record = bot.shop.cancel(actor, record.order.id).await?;
            Ok(Reply::text(tr!(o.l(), "order-cancelled", code = record.order.code())).into())
        }
        "reset-traffic" => {
            let record = bot.shop.order_by_code(o.need("code")?).await?;
            let subs = bot.shop.reset_traffic(actor, record.order.id).await?;
            let servers: Vec<String> = subs.iter().map(|s| format!("`{}`", s.server)).collect();
            Ok(Reply::text(tr!(
                o.l(),
                "admin-traffic-reset",
                code = record.order.code(),
                servers = servers.join(", ")
            ))
            .into())
        }
        _ => Err(super::unknown(o.l())),
    }
}

async fn view_order(bot: &Bot, l: crate::i18n::Locale, code: &str) -> Result<Answer, BotError> {
    let record = bot.shop.order_by_code(code).await?;
    let (record, history) = bot.shop.order_history(record.order.id).await?;
    let o = &record.order;
    let events: Vec<String> = history
        .iter()
        .map(|e| {
            format!(
                "{} · {} by {} → {}",
                render::when(e.at),
                e.name,
                e.actor,
                e.to
            )
        })
        .collect();
    let state = match &record.state {
        State::Declined { reason, by } => tr!(
            l,
            "admin-order-declined-by",
            admin = format!("<@{by}>"),
            reason = reason
        ),
        State::Failed { error, attempts } => tr!(
            l,
            "admin-order-failed-after",
            attempts = *attempts,
            error = error
        ),
        other => render::state_text(l, other.kind()),
    };
    let embed = CreateEmbed::new()
        .title(tr!(l, "order-footer", code = o.code()))
        .field(tr!(l, "field-shopper"), format!("<@{}>", o.shopper), true)
        .field(tr!(l, "admin-field-state"), state, true)
        .field(
            tr!(l, "admin-field-kind"),
            if matches!(o.kind, OrderKind::New) {
                tr!(l, "admin-kind-new")
            } else {
                tr!(l, "admin-kind-renewal")
            },
            true,
        )
        .field(tr!(l, "field-plan"), &o.plan.name, true)
        .field(
            tr!(l, "admin-field-total"),
            crate::i18n::format::money(l, o.quote.total),
            true,
        )
        .field(
            tr!(l, "admin-field-pricing"),
            format!(
                "{} (`{}`)",
                o.quote.policy.name,
                o.quote.policy.hash.chars().take(12).collect::<String>()
            ),
            true,
        )
        .field(tr!(l, "admin-field-history"), events.join("\n"), false);
    Ok(Reply {
        embeds: vec![embed],
        ..Reply::default()
    }
    .into())
}

/// Suggests the codes of orders an admin looks after: under review, failed, open, being set up.
pub(super) async fn autocomplete(
    bot: &Bot,
    l: crate::i18n::Locale,
    typed: &str,
) -> Result<Answer, BotError> {
    use nebula_engine::order::StateKind;
    let mut out = Vec::new();
    for state in [
        StateKind::UnderReview,
        StateKind::Failed,
        StateKind::AwaitingProof,
        StateKind::AwaitingMethod,
        StateKind::Provisioning,
    ] {
        for r in bot.shop.orders_in_state(state, 25).await? {
            let label = format!(
                "{} — {} ({})",
                r.order.code(),
                r.order.plan.name,
                render::state_text(l, r.state.kind())
            );
            out.push((label, r.order.code()));
        }
    }
    Ok(suggest(out, typed))
}
