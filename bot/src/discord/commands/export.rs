//! `/export`: orders or subscriptions as CSV or JSON, for a range of UTC days.

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use crate::tr;

use crate::discord::render;
use crate::i18n::Locale;

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

fn day_start(l: Locale, text: &str) -> Result<jiff::Timestamp, BotError> {
    let date: jiff::civil::Date = text
        .trim()
        .parse()
        .map_err(|_| BotError::Input(tr!(l, "admin-not-a-date", text = text)))?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp())
        .map_err(|_| BotError::Input(tr!(l, "admin-out-of-range", text = text)))
}

/// `[from, to)` from optional YYYY-MM-DD days (inclusive), 30 days up to today by default.
pub fn export_range(
    l: Locale,
    from: Option<&str>,
    to: Option<&str>,
    now: jiff::Timestamp,
) -> Result<(jiff::Timestamp, jiff::Timestamp), BotError> {
    let day = jiff::SignedDuration::from_hours(24);
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let end = match to {
        Some(t) => day_start(l, t)?,
        None => day_start(l, &today.to_string())?,
    } + day;
    let start = match from {
        Some(f) => day_start(l, f)?,
        None => end - jiff::SignedDuration::from_hours(24 * 30),
    };
    if start >= end {
        return Err(BotError::Input(tr!(l, "admin-from-after-to")));
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
    let l = o.l();
    let (from, to) = export_range(l, o.str("from"), o.str("to"), bot.shop.now())?;
    let export = bot
        .shop
        .export(kind, from, to, format)
        .await
        .map_err(|e| match e {
            nebula_engine::reports::ExportError::Shop(e) => BotError::Shop(e),
            other => BotError::Input(tr!(l, "admin-export-failed", why = other.to_string())),
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
    let mut reply = Reply::text(tr!(
        l,
        "admin-exported",
        rows = export.rows,
        what = kind.name(),
        from = render::when(from),
        to = render::when(to)
    ));
    reply
        .files
        .push(serenity::all::CreateAttachment::bytes(export.bytes, name));
    Ok(reply.into())
}
