//! `/stats`: revenue, orders, approval rate, review time, load, and a 30-day chart.

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use crate::tr;
use serenity::all::CreateEmbed;

use crate::discord::render;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(
        CreateCommand::new("stats")
            .description("Revenue, orders, approval rate, review time, load, and a 30-day chart"),
    )
}

fn amounts(l: crate::i18n::Locale, a: &nebula_engine::reports::Amounts) -> String {
    if a.is_empty() {
        return "—".into();
    }
    a.values()
        .map(|m| crate::i18n::format::money(l, *m))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) async fn run(bot: &Bot, l: crate::i18n::Locale) -> Result<Answer, BotError> {
    let s = bot.shop.stats().await?;
    let states = s
        .orders_by_state
        .iter()
        // Each state in words (`state-…` in the `.ftl` files).
        .map(|(k, v)| format!("{}: {v}", crate::i18n::text(l, &format!("state-{k}"), &[])))
        .collect::<Vec<_>>()
        .join(", ");
    let servers = s
        .active_per_server
        .iter()
        .map(|(k, v)| format!("`{k}` {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let plans = s
        .top_plans
        .iter()
        .map(|p| {
            tr!(
                l,
                "admin-stats-plan-line",
                plan = &p.name,
                orders = p.orders,
                revenue = amounts(l, &p.revenue)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let policies = s
        .revenue_by_policy
        .iter()
        .map(|(k, v)| format!("`{k}` {}", amounts(l, v)))
        .collect::<Vec<_>>()
        .join("\n");
    let providers = s
        .revenue_by_provider
        .iter()
        .map(|(k, v)| format!("`{k}` {}", amounts(l, v)))
        .collect::<Vec<_>>()
        .join("\n");
    let or_none = |t: String| {
        if t.is_empty() {
            tr!(l, "admin-none-yet")
        } else {
            t
        }
    };
    let mut embed = CreateEmbed::new()
        .title(tr!(l, "admin-stats-title"))
        .field(
            tr!(l, "admin-stats-today"),
            amounts(l, &s.revenue_today),
            true,
        )
        .field(
            tr!(l, "duration-days", days = 7u32),
            amounts(l, &s.revenue_7d),
            true,
        )
        .field(
            tr!(l, "duration-days", days = 30u32),
            amounts(l, &s.revenue_30d),
            true,
        )
        .field(
            tr!(l, "admin-stats-all-time"),
            amounts(l, &s.revenue_all),
            true,
        )
        .field(
            tr!(l, "admin-stats-approval"),
            s.approval_permille
                .map_or("—".into(), |p| format!("{}.{}%", p / 10, p % 10)),
            true,
        )
        .field(
            tr!(l, "admin-stats-review-time"),
            s.median_review.map_or("—".into(), |d| format!("{d:#}")),
            true,
        )
        .field(tr!(l, "admin-stats-by-state"), or_none(states), false)
        .field(tr!(l, "admin-stats-per-server"), or_none(servers), false)
        .field(tr!(l, "admin-stats-top-plans"), or_none(plans), false)
        .field(tr!(l, "admin-stats-by-policy"), or_none(policies), false)
        .field(tr!(l, "admin-stats-by-provider"), or_none(providers), false)
        .footer(serenity::all::CreateEmbedFooter::new(tr!(
            l,
            "admin-stats-footer",
            when = render::when(s.at)
        )));
    let mut reply = Reply::default();
    // The chart shows the currency that earned most over the 30 days.
    let main = s
        .revenue_30d
        .iter()
        .max_by_key(|(_, m)| m.minor)
        .map(|(c, _)| c.clone())
        .or_else(|| s.revenue_all.keys().next().cloned());
    if let Some(currency) = main
        && let Some(png) = crate::discord::chart::revenue_png(&s.daily, &currency)
    {
        embed = embed.image("attachment://revenue.png");
        reply
            .files
            .push(serenity::all::CreateAttachment::bytes(png, "revenue.png"));
    }
    reply.embeds.push(embed);
    Ok(reply.into())
}
