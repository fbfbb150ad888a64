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
/// description in every Discord locale the shop speaks (`cmd-…` in the `.ftl` files; options
/// keep their English names, as the guides write them).
pub fn localized_definitions() -> Vec<serde_json::Value> {
    definitions()
        .into_iter()
        .map(|c| {
            let mut v = serde_json::to_value(&c).expect("a command serializes");
            localize(&mut v, "cmd");
            v
        })
        .collect()
}

/// The `.ftl` key of every command and sub-command's name (its description's is the same with
/// `-desc`): `cmd-plan`, `cmd-plan-add`.
pub fn text_keys() -> Vec<String> {
    fn walk(node: &serde_json::Value, parent: &str, out: &mut Vec<String>) {
        let key = format!("{parent}-{}", node["name"].as_str().unwrap_or_default());
        for child in sub_commands(node) {
            walk(child, &key, out);
        }
        out.push(key);
    }
    let mut keys = Vec::new();
    for c in definitions() {
        walk(
            &serde_json::to_value(&c).expect("a command serializes"),
            "cmd",
            &mut keys,
        );
    }
    keys
}

fn sub_commands(node: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    node["options"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|o| matches!(o["type"].as_u64(), Some(1 | 2)))
}

fn localize(node: &mut serde_json::Value, parent: &str) {
    let key = format!("{parent}-{}", node["name"].as_str().unwrap_or_default());
    let mut names = serde_json::Map::new();
    let mut descriptions = serde_json::Map::new();
    for locale in Locale::ALL {
        if let Some(discord) = locale.discord() {
            names.insert(discord.into(), crate::i18n::text(locale, &key, &[]).into());
            descriptions.insert(
                discord.into(),
                crate::i18n::text(locale, &format!("{key}-desc"), &[]).into(),
            );
        }
    }
    node["name_localizations"] = names.into();
    node["description_localizations"] = descriptions.into();
    if let Some(options) = node["options"].as_array_mut() {
        for child in options
            .iter_mut()
            .filter(|o| matches!(o["type"].as_u64(), Some(1 | 2)))
        {
            localize(child, &key);
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
pub async fn autocomplete(bot: &Bot, a: &CommandInteraction) -> Result<Answer, BotError> {
    let Some(focused) = a.data.autocomplete() else {
        return Ok(Answer::Autocomplete(CreateAutocompleteResponse::new()));
    };
    let typed = focused.value;
    match (a.data.name.as_str(), focused.name) {
        ("plan", "id") => plan::autocomplete(bot, typed).await,
        ("method", "id") => method::autocomplete(bot, typed).await,
        ("server", "id") => server::autocomplete(bot, typed).await,
        ("order", "code") => order::autocomplete(bot, typed).await,
        ("policy", "version") => {
            let (_, options) = parts(a);
            policy::autocomplete(bot, &Opts(options, bot.executor.shop_locale()), typed).await
        }
        _ => Ok(Answer::Autocomplete(CreateAutocompleteResponse::new())),
    }
}
