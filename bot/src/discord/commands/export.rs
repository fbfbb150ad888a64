//! `/export`: orders or subscriptions as CSV or JSON, for a range of UTC days.

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};

use crate::discord::render;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(
        CreateCommand::new("export")
            .description("Orders or subscriptions as CSV or JSON, for a date range"),
    )
    .add_option(
        text("what", "orders or subscriptions", true)
            .add_string_choice("orders", "orders")
            .add_string_choice("subscriptions", "subscriptions"),
    )
    .add_option(
        text("format", "csv (default) or json", false)
            .add_string_choice("csv", "csv")
            .add_string_choice("json", "json"),
    )
    .add_option(text(
        "from",
        "First day, YYYY-MM-DD (default: 30 days ago)",
        false,
    ))
    .add_option(text("to", "Last day, YYYY-MM-DD (default: today)", false))
}

fn day_start(text: &str) -> Result<jiff::Timestamp, BotError> {
    let date: jiff::civil::Date = text
        .trim()
        .parse()
        .map_err(|_| BotError::Input(format!("`{text}` is not a date like 2026-11-24.")))?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .map_err(|_| BotError::Input(format!("`{text}` is out of range.")))
}

/// `[from, to)` from optional YYYY-MM-DD days (inclusive), 30 days up to today by default.
pub fn export_range(
    from: Option<&str>,
    to: Option<&str>,
    now: jiff::Timestamp,
) -> Result<(jiff::Timestamp, jiff::Timestamp), BotError> {
    let day = jiff::SignedDuration::from_hours(24);
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let end = match to {
        Some(t) => day_start(t)?,
        None => day_start(&today.to_string())?,
    } + day;
    let start = match from {
        Some(f) => day_start(f)?,
        None => end - jiff::SignedDuration::from_hours(24 * 30),
    };
    if start >= end {
        return Err(BotError::Input("`from` must be on or before `to`.".into()));
    }
    Ok((start, end))
}

pub(super) async fn run(bot: &Bot, o: &Opts<'_>) -> Result<Answer, BotError> {
    use nebula_engine::reports::{ExportKind, Format};
    let format = match o.str("format").unwrap_or("csv") {
        "json" => Format::Json,
        _ => Format::Csv,
    };
    let kind: ExportKind = o.need("what")?.parse().map_err(BotError::Input)?;
    let (from, to) = export_range(o.str("from"), o.str("to"), bot.shop.now())?;
    let export = bot
        .shop
        .export(kind, from, to, format)
        .await
        .map_err(|e| match e {
            nebula_engine::reports::ExportError::Shop(e) => BotError::Shop(e),
            other => BotError::Input(format!("The export failed: {other}.")),
        })?;
    let ext = match format {
        Format::Csv => "csv",
        Format::Json => "json",
    };
    let name = format!(
        "{}-{}-{}.{ext}",
        kind.name(),
        from.to_zoned(jiff::tz::TimeZone::UTC).date(),
        (to - jiff::SignedDuration::from_hours(24))
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date()
    );
    let mut reply = Reply::text(format!(
        "{} {} from {} to {} (UTC).",
        export.rows,
        kind.name(),
        render::when(from),
        render::when(to)
    ));
    reply
        .files
        .push(serenity::all::CreateAttachment::bytes(export.bytes, name));
    Ok(reply.into())
}
