//! `/method`: add, edit, disable and list payment methods.

use nebula_engine::actor::Actor;

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use nebula_engine::money::Money;
use nebula_engine::payment::Provider;
use nebula_engine::payment_method::{MethodEdit, PaymentMethod};

pub(super) fn definition() -> serenity::all::CreateCommand {
    admin(CreateCommand::new("method").description("Manage payment methods"))
        .add_option(
            sub("add", "Add a payment method")
                .add_sub_option(text("id", "Like `vodafone-cash`", true))
                .add_sub_option(text("label", "Shown on the button", true))
                .add_sub_option(method_kind_option(true))
                .add_sub_option(text(
                    "instructions",
                    "What to do; may use {amount} and {order}",
                    true,
                ))
                .add_sub_option(text("min", "Smallest amount, like `50 EGP`", false))
                .add_sub_option(text("max", "Largest amount", false))
                .add_sub_option(provider_option()),
        )
        .add_option(
            sub("edit", "Change a payment method")
                .add_sub_option(id_option("id", "The method"))
                .add_sub_option(text("label", "Shown on the button", false))
                .add_sub_option(method_kind_option(false))
                .add_sub_option(text("instructions", "May use {amount} and {order}", false))
                .add_sub_option(text("min", "Smallest amount (`none` to remove)", false))
                .add_sub_option(text("max", "Largest amount (`none` to remove)", false))
                .add_sub_option(boolean("enabled", "Offered"))
                .add_sub_option(provider_option()),
        )
        .add_option(
            sub("disable", "Stop offering a method").add_sub_option(id_option("id", "The method")),
        )
        .add_option(sub("list", "Every payment method"))
}

pub(super) async fn run(
    bot: &Bot,
    actor: Actor,
    sub: &str,
    o: &Opts<'_>,
) -> Result<Answer, BotError> {
    match sub {
        "add" => {
            let method = PaymentMethod {
                id: parse_id(o.need("id")?)?,
                label: o.need("label")?.to_owned(),
                kind: method_kind(o.need("kind")?)?,
                instructions: o.need("instructions")?.to_owned(),
                min: o.str("min").map(money).transpose()?,
                max: o.str("max").map(money).transpose()?,
                enabled: true,
                provider: provider(bot, o.str("provider"))?.flatten(),
            };
            let method = bot.shop.add_method(actor, method).await?;
            Ok(Reply::text(format!(
                "Added payment method `{}` ({}).",
                method.id, method.label
            ))
            .into())
        }
        "edit" => {
            let bound = |name: &str| -> Result<Option<Option<Money>>, BotError> {
                match o.str(name) {
                    None => Ok(None),
                    Some("none") => Ok(Some(None)),
                    Some(t) => Ok(Some(Some(money(t)?))),
                }
            };
            let edit = MethodEdit {
                label: o.str("label").map(str::to_owned),
                kind: o.str("kind").map(method_kind).transpose()?,
                instructions: o.str("instructions").map(str::to_owned),
                min: bound("min")?,
                max: bound("max")?,
                enabled: o.bool("enabled"),
                provider: provider(bot, o.str("provider"))?,
            };
            let method = bot
                .shop
                .edit_method(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(format!("Updated payment method `{}`.", method.id)).into())
        }
        "disable" => {
            let edit = MethodEdit {
                enabled: Some(false),
                ..MethodEdit::default()
            };
            let method = bot
                .shop
                .edit_method(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(format!(
                "Payment method `{}` is no longer offered.",
                method.id
            ))
            .into())
        }
        "list" => {
            let lines = bot
                .shop
                .methods()
                .await?
                .iter()
                .map(|m| {
                    format!(
                        "`{}` {} ({}){}",
                        m.id,
                        m.label,
                        m.kind.as_str(),
                        if m.enabled { "" } else { " (off)" }
                    )
                })
                .collect();
            Ok(list("Payment methods", lines))
        }
        _ => Err(BotError::Input("I don't know that command.".into())),
    }
}

fn provider_option() -> CreateCommandOption {
    let mut o = text(
        "provider",
        "Paid automatically through (manual: screenshots)",
        false,
    );
    o = o.add_string_choice("manual", "manual");
    for p in Provider::ALL {
        o = o.add_string_choice(p.label(), p.as_str());
    }
    o
}

/// The provider an admin chose: `Some(None)` for manual; one the config does not set up is
/// refused (its checkouts could never open).
fn provider(bot: &Bot, chosen: Option<&str>) -> Result<Option<Option<Provider>>, BotError> {
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    if chosen == "manual" {
        return Ok(Some(None));
    }
    let provider = Provider::parse(chosen)
        .ok_or_else(|| BotError::Input(format!("I don't know the provider {chosen:?}.")))?;
    let configured = bot
        .payments
        .as_ref()
        .is_some_and(|p| p.providers().contains(&provider));
    if !configured {
        return Err(BotError::Input(format!(
            "{} is not set up in this shop's config ([payments.{}]); see docs/payments.md.",
            provider.label(),
            provider.as_str()
        )));
    }
    Ok(Some(Some(provider)))
}

pub(super) fn method_kind_option(required: bool) -> CreateCommandOption {
    let mut o = text("kind", "How shoppers pay", required);
    for k in ["bank_transfer", "mobile_wallet", "card", "crypto", "other"] {
        o = o.add_string_choice(k, k);
    }
    o
}

/// Suggests method ids as the admin types.
pub(super) async fn autocomplete(bot: &Bot, typed: &str) -> Result<Answer, BotError> {
    let methods = bot.shop.methods().await?;
    Ok(suggest(
        methods
            .into_iter()
            .map(|m| (format!("{} — {}", m.id, m.label), m.id.to_string()))
            .collect(),
        typed,
    ))
}
