//! `/audit`: who did what, newest first, filtered and paged.

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::Answer;
use crate::tr;
use nebula_engine::ids::UserId;

use crate::discord::render;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(CreateCommand::new("audit").description("Who did what, newest first"))
        .add_option(CreateCommandOption::new(
            CommandOptionType::User,
            "actor",
            "Only what this member did",
        ))
        .add_option(text("order", "Only this order (like NL-7K3F9Q2A)", false))
        .add_option(text(
            "action",
            "Only actions starting with this (like order.)",
            false,
        ))
        .add_option(int(
            "before",
            "Older than this entry number (the next page)",
            false,
        ))
}

pub(super) async fn run(bot: &Bot, o: &Opts<'_>) -> Result<Answer, BotError> {
    let actor = match o.get("actor") {
        Some(ResolvedValue::User(u, _)) => Some(UserId(u.id.get())),
        _ => None,
    };
    let target = match o.str("order") {
        Some(code) => Some(format!(
            "order:{}",
            bot.shop.order_by_code(code).await?.order.id
        )),
        None => None,
    };
    let filter = nebula_engine::audit::AuditFilter {
        actor,
        target,
        action: o.str("action").map(str::to_owned),
    };
    let before = o.int("before").and_then(|b| u64::try_from(b).ok());
    let page = bot.shop.audit(filter, before, 15).await?;
    let lines: Vec<String> = page
        .entries
        .iter()
        .map(|e| {
            format!(
                "`#{}` {} **{}** {} · {} — {}",
                e.id,
                render::when(e.at),
                e.action,
                e.target,
                e.actor,
                e.details.chars().take(120).collect::<String>()
            )
        })
        .collect();
    let mut answer = list(o.l(), &tr!(o.l(), "admin-audit-title"), lines);
    if let (Answer::Reply(reply), Some(next)) = (&mut answer, page.next_before) {
        reply.content = Some(tr!(
            o.l(),
            "admin-audit-older",
            command = format!("/audit before:{next}")
        ));
    }
    Ok(answer)
}
