//! `/policy`: list, upload, dry-run, activate or roll back, configure; it says what it did as `nebula policy` does (`crate::policy_report`).

use nebula_engine::actor::Actor;
use nebula_engine::policy::PolicyConfig;

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use crate::tr;

use crate::policy_report as report;

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(
        CreateCommand::new("policy")
            .description("Pricing, payment-method and server-selection policies"),
    )
    .add_option(sub("list", "Stored versions and which are live"))
    .add_option(
        sub(
            "upload",
            "Install a policy (.wasm): checks, test vectors, dry run, then live",
        )
        .add_sub_option(kind_option())
        .add_sub_option(
            CreateCommandOption::new(CommandOptionType::Attachment, "file", "The .wasm component")
                .required(true),
        )
        .add_sub_option(text(
            "name",
            "A name for it (default: the file name)",
            false,
        )),
    )
    .add_option(
        sub(
            "dry-run",
            "What a policy would decide on recent real orders, without installing it",
        )
        .add_sub_option(kind_option())
        .add_sub_option(
            CreateCommandOption::new(CommandOptionType::Attachment, "file", "The .wasm component")
                .required(true),
        ),
    )
    .add_option(
        sub("activate", "Make a stored version live")
            .add_sub_option(kind_option())
            .add_sub_option(id_option("version", "Its sha256")),
    )
    .add_option(
        sub("rollback", "Go back to an earlier version")
            .add_sub_option(kind_option())
            .add_sub_option(id_option("version", "Its sha256")),
    )
    .add_option(
        sub("config", "Set the live policy's config")
            .add_sub_option(kind_option())
            .add_sub_option(text(
                "settings",
                "`key = value` pairs separated by `;` (empty to clear)",
                true,
            )),
    )
}

pub(super) async fn run(
    bot: &Bot,
    actor: Actor,
    sub: &str,
    o: &Opts<'_>,
) -> Result<Answer, BotError> {
    let text = match sub {
        "list" => {
            return Ok(list(
                o.l(),
                &tr!(o.l(), "admin-policies-title"),
                report::listing(o.l(), &bot.policies.list().await?),
            ));
        }
        "upload" | "dry-run" => {
            let kind = kind(o)?;
            let Some(ResolvedValue::Attachment(file)) = o.get("file") else {
                return Err(BotError::Input(tr!(o.l(), "admin-attach-wasm")));
            };
            let bytes = file.download().await?;
            if sub == "dry-run" {
                let (vectors, r) = bot.policies.dry_run(kind, bytes, None).await?;
                report::dry_run(o.l(), vectors, &r)
            } else {
                let name = o
                    .str("name")
                    .map(str::to_owned)
                    .unwrap_or_else(|| file.filename.trim_end_matches(".wasm").to_owned());
                let r = bot.policies.install(actor, kind, name, bytes, None).await?;
                report::installed(o.l(), kind, &r)
            }
        }
        "activate" | "rollback" => {
            let kind = kind(o)?;
            let sha = report::version(o.l(), &bot.shop, kind, o.need("version")?)
                .await
                .map_err(BotError::Input)?;
            report::activated(
                o.l(),
                kind,
                &bot.policies.activate(actor, kind, sha, None).await?,
            )
        }
        "config" => {
            let kind = kind(o)?;
            let config = parse_config(o.l(), o.need("settings")?)?;
            report::configured(
                o.l(),
                kind,
                &bot.policies.set_config(actor, kind, config).await?,
            )
        }
        _ => return Err(super::unknown(o.l())),
    };
    Ok(Reply::text(text).into())
}

pub(super) fn kind_option() -> CreateCommandOption {
    text("kind", "pricing, payment-methods or server-selection", true)
        .add_string_choice("pricing", "pricing")
        .add_string_choice("payment-methods", "payment-methods")
        .add_string_choice("server-selection", "server-selection")
}

/// `key = value; key2 = value2` into a config.
pub fn parse_config(l: crate::i18n::Locale, text: &str) -> Result<PolicyConfig, BotError> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| BotError::Input(tr!(l, "admin-not-key-value", pair = pair)))?;
            Ok((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

/// Suggests stored versions (of the kind chosen, if any) as the admin types.
pub(super) async fn autocomplete(bot: &Bot, o: &Opts<'_>, typed: &str) -> Result<Answer, BotError> {
    let kind = o.str("kind").and_then(|k| k.parse().ok());
    let versions = bot.shop.policy_versions(kind).await?;
    Ok(suggest(
        versions
            .into_iter()
            .rev()
            .map(|v| {
                (
                    format!("{} {} ({})", &v.sha256[..12], v.name, v.kind),
                    v.sha256,
                )
            })
            .collect(),
        typed,
    ))
}
