//! The one place errors become words: a short polite message for the user, the detail for the
//! log.

use nebula_engine::error::Rejection;
use nebula_engine::{ShopError, order::ReviewOutcome};
use nebula_plugins::InstallError;
use tracing::{error, warn};

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Shop(#[from] ShopError),
    #[error(transparent)]
    Policy(#[from] InstallError),
    #[error(transparent)]
    Gateway(#[from] nebula_gateway::client::ClientError),
    /// Boxed: serenity's error is large and would bloat every `Result` in the bot.
    #[error(transparent)]
    Discord(Box<serenity::Error>),
    #[error("not an admin")]
    NotAdmin,
    #[error("the shop is not set up")]
    NotSetUp,
    /// Bad input from the user, already worded for them.
    #[error("{0}")]
    Input(String),
}

impl From<serenity::Error> for BotError {
    fn from(e: serenity::Error) -> Self {
        BotError::Discord(Box::new(e))
    }
}

impl BotError {
    /// What the user is told. Never a stack of internals.
    pub fn polite(&self) -> String {
        match self {
            BotError::Shop(e) => shop_message(e),
            BotError::Policy(e) => match e {
                InstallError::Shop(inner) => shop_message(inner),
                InstallError::Internal(_) => {
                    "Something went wrong on our side; the details are in the log.".into()
                }
                other => format!("The policy was not installed: {other}."),
            },
            BotError::Gateway(e) => format!(
                "The server's gateway did not answer as expected ({}).",
                gateway_message(e)
            ),
            BotError::Discord(_) => {
                "Discord did not accept that; please try again in a moment.".into()
            }
            BotError::NotAdmin => "Only admins can do that.".into(),
            BotError::NotSetUp => {
                "The shop is not set up yet: an admin needs to run /setup.".into()
            }
            BotError::Input(text) => text.clone(),
        }
    }

    /// Logs the detail at the level it deserves.
    pub fn log(&self, what: &str) {
        match self {
            BotError::Shop(
                ShopError::Rejected(_)
                | ShopError::PricingRejected { .. }
                | ShopError::NotFound { .. },
            )
            | BotError::Shop(
                ShopError::Invalid(_) | ShopError::InvalidId(_) | ShopError::AlreadyExists { .. },
            )
            | BotError::NotAdmin
            | BotError::Input(_) => tracing::info!(%what, reason = %self, "refused"),
            BotError::Shop(ShopError::Store(_)) | BotError::Policy(InstallError::Internal(_)) => {
                error!(%what, error = %self, "failed")
            }
            _ => warn!(%what, error = %self, "failed"),
        }
    }
}

fn shop_message(e: &ShopError) -> String {
    match e {
        ShopError::Rejected(Rejection::AlreadyDecided { outcome, by }) => {
            let done = match outcome {
                ReviewOutcome::Approved => "approved",
                ReviewOutcome::Declined => "declined",
            };
            format!("This order was already {done} by <@{by}>.")
        }
        ShopError::Rejected(r) => capitalise(&format!("{r}.")),
        ShopError::NotFound { what, id } => format!("I can't find {what} `{id}`."),
        ShopError::AlreadyExists { what, id } => format!("There is already a {what} `{id}`."),
        ShopError::Invalid(i) => format!("That's not right: {i}."),
        ShopError::InvalidId(i) => format!("That's not right: {i}."),
        ShopError::Money(m) => format!("That amount doesn't work: {m}."),
        ShopError::PricingRejected { reason } => reason.clone(),
        ShopError::Trial(t) => capitalise(&format!("{t}.")),
        ShopError::NoPaymentMethod => {
            "No payment method is available for this plan right now. Please contact an admin."
                .into()
        }
        ShopError::Policy(_) => {
            "The shop can't price this right now; an admin has been told. Nothing was charged."
                .into()
        }
        ShopError::Store(_) => {
            "Something went wrong on our side. Please try again in a moment.".into()
        }
    }
}

fn gateway_message(e: &nebula_gateway::client::ClientError) -> String {
    match e {
        nebula_gateway::client::ClientError::Api { message, .. } => message.clone(),
        nebula_gateway::client::ClientError::Timeout => "timed out".into(),
        nebula_gateway::client::ClientError::Network(_) => "unreachable".into(),
        other => other.to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What the operator reads when Discord ends the bot's connection for good: which setting is
/// wrong and where to fix it (the close codes of the gateway, developer docs: Opcodes and
/// Status Codes).
pub fn connection_ended(e: &serenity::Error) -> String {
    use serenity::gateway::GatewayError;
    match e {
        serenity::Error::Gateway(GatewayError::DisallowedGatewayIntents) => {
            "Discord closed the connection (4014, disallowed intents): the bot asks for the \
             Message Content intent, which is switched off for this application. Open \
             https://discord.com/developers/applications → your application → Bot → Privileged \
             Gateway Intents, switch on MESSAGE CONTENT INTENT, save, and start the shop again \
             (docs/setup.md, step 2)."
                .into()
        }
        serenity::Error::Gateway(GatewayError::InvalidAuthentication) => {
            "Discord closed the connection (4004, authentication failed): the bot token is not \
             valid (mistyped, or reset in the developer portal). Open \
             https://discord.com/developers/applications → your application → Bot → Reset \
             Token, put the new token in NEBULA_DISCORD_TOKEN (or the file your config names), \
             and start the shop again (docs/setup.md, step 1)."
                .into()
        }
        serenity::Error::Gateway(GatewayError::InvalidGatewayIntents) => {
            "Discord closed the connection (4013, invalid intents): this build asks for intents \
             Discord does not know; please report it."
                .into()
        }
        other => format!("the Discord connection ended: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serenity::gateway::GatewayError;

    #[test]
    fn each_refusal_says_what_to_fix() {
        let said = |e: GatewayError| connection_ended(&serenity::Error::Gateway(e));
        assert!(said(GatewayError::DisallowedGatewayIntents).contains("MESSAGE CONTENT INTENT"));
        assert!(said(GatewayError::InvalidAuthentication).contains("Reset Token"));
    }
}
