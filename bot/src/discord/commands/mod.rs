//! The guild slash commands, one module each (its definition, what it does, its autocomplete)
//! behind this small dispatch, as mini-redis keeps its `cmd/`. Every admin command checks the
//! admin role here, on the server side, whatever Discord showed; `/setup` also lets a member
//! with Administrator set the role in the first place.

mod audit;
mod broadcast;
mod export;
mod method;
mod options;
mod order;
mod plan;
mod policy;
mod server;
mod setup;
mod stats;

use serenity::all::{CommandInteraction, CreateAutocompleteResponse, CreateCommand};

pub use export::export_range;
pub use policy::parse_config;

use super::errors::BotError;
use super::handler::Bot;
use super::reply::Answer;
use crate::i18n::Locale;
use options::{Opts, parts};

/// Every command, for registration.
pub fn definitions() -> Vec<CreateCommand> {
    vec![
        setup::definition(),
        plan::definition(),
        method::definition(),
        server::definition(),
        order::definition(),
        stats::definition(),
        export::definition(),
        audit::definition(),
        policy::definition(),
        broadcast::definition(),
    ]
}

/// Every command as Discord receives it: each command and sub-command carries its name and
/// description in every Discord locale the shop speaks, each option its description, and the
/// broadcast's segments their names (`cmd-…` in the `.ftl` files). Options keep their English
/// names, as the guides write them.
pub fn localized_definitions() -> Vec<serde_json::Value> {
    definitions()
        .into_iter()
        .map(|c| {
            let mut v = serde_json::to_value(&c).expect("a command serializes");
            localize(&mut v, "cmd", &mut translations);
            v
        })
        .collect()
}

/// Every `.ftl` key the commands' registration reads: `cmd-plan` and `cmd-plan-desc` (names
/// and descriptions of commands and sub-commands), `cmd-plan-add-price-desc` (an option's
/// description), `cmd-broadcast-segment-all` (a choice's name). The same walk as
/// [`localized_definitions`], recording keys instead of looking them up.
pub fn text_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for c in definitions() {
        let mut v = serde_json::to_value(&c).expect("a command serializes");
        localize(&mut v, "cmd", &mut |key| {
            keys.push(key.to_owned());
            serde_json::Value::Null
        });
    }
    keys
}

fn is_sub(option: &serde_json::Value) -> bool {
    matches!(option["type"].as_u64(), Some(1 | 2))
}

/// `{discord locale: text of key}` for every Discord locale the shop speaks.
fn translations(key: &str) -> serde_json::Value {
    Locale::ALL
        .iter()
        .filter_map(|l| {
            l.discord()
                .map(|d| (d.to_owned(), crate::i18n::text(*l, key, &[]).into()))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// Sets the localizations of a command (or sub-command) and everything under it, each from
/// `texts(key)`. Choices are localized where English has a text for them (the others are
/// identifiers: `csv`, `pricing`, `bank_transfer`).
fn localize(
    node: &mut serde_json::Value,
    parent: &str,
    texts: &mut dyn FnMut(&str) -> serde_json::Value,
) {
    let key = format!("{parent}-{}", node["name"].as_str().unwrap_or_default());
    node["name_localizations"] = texts(&key);
    node["description_localizations"] = texts(&format!("{key}-desc"));
    let Some(options) = node["options"].as_array_mut() else {
        return;
    };
    for child in options {
        if is_sub(child) {
            localize(child, &key, texts);
            continue;
        }
        let option = format!("{key}-{}", child["name"].as_str().unwrap_or_default());
        child["description_localizations"] = texts(&format!("{option}-desc"));
        for choice in child["choices"].as_array_mut().into_iter().flatten() {
            let choice_key = format!("{option}-{}", choice["value"].as_str().unwrap_or_default());
            if crate::i18n::has(Locale::En, &choice_key) {
                choice["name_localizations"] = texts(&choice_key);
            }
        }
    }
}

/// Runs a command for an admin (or, for `/setup`, an administrator).
pub async fn run(bot: &Bot, l: Locale, cmd: &CommandInteraction) -> Result<Answer, BotError> {
    let (sub, options) = parts(cmd);
    let o = Opts(options, l);
    let name = cmd.data.name.as_str();
    if name == "setup" {
        return setup::run(bot, cmd, &o).await;
    }
    let actor = bot.admin(cmd.member.as_deref(), cmd.user.id.get()).await?;
    match name {
        "plan" => plan::run(bot, actor, sub, &o).await,
        "method" => method::run(bot, actor, sub, &o).await,
        "server" => server::run(bot, actor, sub, &o).await,
        "order" => order::run(bot, actor, sub, &o).await,
        "policy" => policy::run(bot, actor, sub, &o).await,
        "stats" => stats::run(bot, l).await,
        "export" => export::run(bot, &o).await,
        "audit" => audit::run(bot, &o).await,
        "broadcast" => broadcast::run(bot, l, actor, cmd.channel_id.get(), &o).await,
        _ => Err(unknown(l)),
    }
}

/// A command or sub-command this build does not have (Discord showed an old registration).
fn unknown(l: Locale) -> BotError {
    BotError::Input(crate::tr!(l, "admin-unknown-command"))
}

/// Suggests ids as the admin types.
pub async fn autocomplete(
    bot: &Bot,
    l: Locale,
    a: &CommandInteraction,
) -> Result<Answer, BotError> {
    let Some(focused) = a.data.autocomplete() else {
        return Ok(Answer::Autocomplete(CreateAutocompleteResponse::new()));
    };
    let typed = focused.value;
    match (a.data.name.as_str(), focused.name) {
        ("plan", "id") => plan::autocomplete(bot, typed).await,
        ("method", "id") => method::autocomplete(bot, typed).await,
        ("server", "id") => server::autocomplete(bot, typed).await,
        ("order", "code") => order::autocomplete(bot, l, typed).await,
        ("policy", "version") => {
            let (_, options) = parts(a);
            policy::autocomplete(bot, &Opts(options, l), typed).await
        }
        _ => Ok(Answer::Autocomplete(CreateAutocompleteResponse::new())),
    }
}
