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

/// Runs a command for an admin (or, for `/setup`, an administrator).
pub async fn run(bot: &Bot, l: Locale, cmd: &CommandInteraction) -> Result<Answer, BotError> {
    let (sub, options) = parts(cmd);
    let o = Opts(options);
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
        "stats" => stats::run(bot).await,
        "export" => export::run(bot, &o).await,
        "audit" => audit::run(bot, &o).await,
        "broadcast" => broadcast::run(bot, l, actor, cmd.channel_id.get(), &o).await,
        _ => Err(BotError::Input("I don't know that command.".into())),
    }
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
            policy::autocomplete(bot, &Opts(options), typed).await
        }
        _ => Ok(Answer::Autocomplete(CreateAutocompleteResponse::new())),
    }
}
