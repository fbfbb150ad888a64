//! `/stats`: revenue, orders, approval rate, review time, load, and a 30-day chart.

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use serenity::all::CreateEmbed;

use crate::discord::render;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(
        CreateCommand::new("stats")
            .description("Revenue, orders, approval rate, review time, load, and a 30-day chart"),
    )
}

fn amounts(a: &nebula_engine::reports::Amounts) -> String {
    if a.is_empty() {
        return "—".into();
    }
    a.values()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) async fn run(bot: &Bot) -> Result<Answer, BotError> {
    let s = bot.shop.stats().await?;
    let states = s
        .orders_by_state
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
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
            format!(
                "{} — {} order(s), {}",
                p.name,
                p.orders,
                amounts(&p.revenue)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let policies = s
        .revenue_by_policy
        .iter()
        .map(|(k, v)| format!("`{k}` {}", amounts(v)))
        .collect::<Vec<_>>()
        .join("\n");
    let providers = s
        .revenue_by_provider
        .iter()
        .map(|(k, v)| format!("`{k}` {}", amounts(v)))
        .collect::<Vec<_>>()
        .join("\n");
    let or_none = |t: String| {
        if t.is_empty() {
            "none yet".to_owned()
        } else {
            t
        }
    };
    let mut embed = CreateEmbed::new()
        .title("Shop stats")
        .field("Today", amounts(&s.revenue_today), true)
        .field("7 days", amounts(&s.revenue_7d), true)
        .field("30 days", amounts(&s.revenue_30d), true)
        .field("All time", amounts(&s.revenue_all), true)
        .field(
            "Approval rate",
            s.approval_permille
                .map_or("—".into(), |p| format!("{}.{}%", p / 10, p % 10)),
            true,
        )
        .field(
            "Median review time",
            s.median_review.map_or("—".into(), |d| format!("{d:#}")),
            true,
        )
        .field("Orders by state", or_none(states), false)
        .field("Active subscriptions per server", or_none(servers), false)
        .field("Top plans", or_none(plans), false)
        .field("Revenue by pricing policy", or_none(policies), false)
        .field("Revenue by provider", or_none(providers), false)
        .footer(serenity::all::CreateEmbedFooter::new(format!(
            "As of {} (UTC). Revenue counts fulfilled orders.",
            render::when(s.at)
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
