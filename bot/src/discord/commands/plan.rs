//! `/plan`: add, edit, disable and list plans.

use nebula_engine::actor::Actor;

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use crate::i18n::format;
use crate::tr;
use nebula_engine::plan::{Plan, PlanEdit};
use nebula_engine::trial::Trial;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(CreateCommand::new("plan").description("Manage plans"))
        .add_option(with(
            sub("add", "Add a plan").add_sub_option(text("id", "Like `month-50gb`", true)),
            plan_fields(true),
        ))
        .add_option(
            with(
                sub("edit", "Change a plan").add_sub_option(id_option("id", "The plan")),
                plan_fields(false),
            )
            .add_sub_option(boolean("active", "On sale")),
        )
        .add_option(
            sub("disable", "Take a plan off sale").add_sub_option(id_option("id", "The plan")),
        )
        .add_option(sub("list", "Every plan"))
}

pub(super) async fn run(
    bot: &Bot,
    actor: Actor,
    sub: &str,
    o: &Opts<'_>,
) -> Result<Answer, BotError> {
    match sub {
        "add" => {
            let plan = Plan {
                id: parse_id(o.need("id")?)?,
                name: o.need("name")?.to_owned(),
                duration_days: o.u32("days")?.unwrap_or(0),
                traffic: traffic(o.u32("traffic_gb")?.unwrap_or(0)),
                device_limit: o.u32("devices")?.unwrap_or(0),
                price: money(o.l(), o.need("price")?)?,
                active: true,
                sort_key: o.int("sort").unwrap_or(100) as i32,
                servers: o.u32("servers")?.unwrap_or(1),
                regions: o.str("regions").map(regions).unwrap_or_default(),
                trial: trial_edit(o).flatten(),
            };
            let plan = bot.shop.add_plan(actor, plan).await?;
            Ok(Reply::text(tr!(
                o.l(),
                "admin-plan-added",
                id = plan.id.to_string(),
                name = &plan.name,
                price = format::money(o.l(), plan.price),
            ))
            .into())
        }
        "edit" => {
            let edit = PlanEdit {
                name: o.str("name").map(str::to_owned),
                duration_days: o.u32("days")?,
                traffic: o.u32("traffic_gb")?.map(traffic),
                device_limit: o.u32("devices")?,
                price: o.str("price").map(|p| money(o.l(), p)).transpose()?,
                active: o.bool("active"),
                sort_key: o.int("sort").map(|s| s as i32),
                servers: o.u32("servers")?,
                regions: o.str("regions").map(regions),
                trial: trial_edit(o),
            };
            let plan = bot
                .shop
                .edit_plan(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(tr!(o.l(), "admin-plan-updated", id = plan.id.to_string())).into())
        }
        "disable" => {
            let edit = PlanEdit {
                active: Some(false),
                ..PlanEdit::default()
            };
            let plan = bot
                .shop
                .edit_plan(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(tr!(o.l(), "admin-plan-off-sale", id = plan.id.to_string())).into())
        }
        "list" => {
            let plans = bot.shop.plans().await?;
            let lines: Vec<String> = plans
                .iter()
                .map(|p| {
                    let l = o.l();
                    let mut line = tr!(
                        l,
                        "admin-plan-line",
                        id = p.id.to_string(),
                        name = &p.name,
                        duration = tr!(l, "duration-days", days = p.duration_days),
                        traffic = format::traffic(l, p.traffic),
                        price = format::money(l, p.price),
                    );
                    match &p.trial {
                        Some(Trial { role: Some(r) }) => {
                            line.push(' ');
                            line.push_str(&tr!(
                                l,
                                "admin-plan-trial-role",
                                role = format!("<@&{r}>")
                            ));
                        }
                        Some(Trial { role: None }) => {
                            line.push(' ');
                            line.push_str(&tr!(l, "admin-plan-trial"));
                        }
                        None => {}
                    }
                    if !p.active {
                        line.push(' ');
                        line.push_str(&tr!(l, "admin-plan-off"));
                    }
                    line
                })
                .collect();
            Ok(list(o.l(), &tr!(o.l(), "admin-plans-title"), lines))
        }
        _ => Err(super::unknown(o.l())),
    }
}

pub(super) fn plan_fields(required: bool) -> Vec<CreateCommandOption> {
    vec![
        text("name", "Shown to shoppers", required),
        int("days", "Duration in days", required),
        int(
            "traffic_gb",
            "Traffic allowance in GB (0 = unlimited)",
            required,
        ),
        int("devices", "Simultaneous devices (0 = no limit)", required),
        text("price", "Like `250 EGP` or `9.99 USD`", required),
        int("sort", "Position on the panel (lower first)", false),
        int(
            "servers",
            "On how many servers it gives access (one shared quota; default 1)",
            false,
        ),
        text(
            "regions",
            "Only these regions, comma-separated, one server in each first (`-` = any)",
            false,
        ),
        boolean(
            "trial",
            "A free trial: price 0, at most 14 days, once per account, no payment step",
        ),
        role(
            "trial_role",
            "Only members with this role may take the trial",
        ),
    ]
}

/// What `trial` and `trial_role` say: `trial:false` makes a plan ordinary again; a role alone
/// makes it a trial for that role. `None`: neither was given.
fn trial_edit(o: &Opts<'_>) -> Option<Option<Trial>> {
    match (o.bool("trial"), o.role("trial_role")) {
        (Some(false), _) => Some(None),
        (Some(true), role) | (None, role @ Some(_)) => Some(Some(Trial { role })),
        (None, None) => None,
    }
}

/// `eu, us` as typed: the regions, trimmed; `-` or nothing is any region.
fn regions(typed: &str) -> Vec<String> {
    typed
        .split(',')
        .map(str::trim)
        .filter(|r| !r.is_empty() && *r != "-")
        .map(str::to_owned)
        .collect()
}

/// Suggests plan ids as the admin types.
pub(super) async fn autocomplete(bot: &Bot, typed: &str) -> Result<Answer, BotError> {
    let plans = bot.shop.plans().await?;
    Ok(suggest(
        plans
            .into_iter()
            .map(|p| (format!("{} — {}", p.id, p.name), p.id.to_string()))
            .collect(),
        typed,
    ))
}
