//! `/method`: add, edit, disable and list payment methods.

use nebula_engine::actor::Actor;

use super::options::*;
use crate::discord::errors::BotError;
use crate::discord::handler::Bot;
use crate::discord::reply::{Answer, Reply};
use crate::tr;
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
                kind: method_kind(o.l(), o.need("kind")?)?,
                instructions: o.need("instructions")?.to_owned(),
                min: o.str("min").map(|m| money(o.l(), m)).transpose()?,
                max: o.str("max").map(|m| money(o.l(), m)).transpose()?,
                enabled: true,
                provider: provider(bot, o.l(), o.str("provider"))?.flatten(),
            };
            let method = bot.shop.add_method(actor, method).await?;
            Ok(Reply::text(tr!(
                o.l(),
                "admin-method-added",
                id = method.id.to_string(),
                label = &method.label
            ))
            .into())
        }
        "edit" => {
            let bound = |name: &str| -> Result<Option<Option<Money>>, BotError> {
                match o.str(name) {
                    None => Ok(None),
                    Some("none") => Ok(Some(None)),
                    Some(t) => Ok(Some(Some(money(o.l(), t)?))),
                }
            };
            let edit = MethodEdit {
                label: o.str("label").map(str::to_owned),
                kind: o.str("kind").map(|k| method_kind(o.l(), k)).transpose()?,
                instructions: o.str("instructions").map(str::to_owned),
                min: bound("min")?,
                max: bound("max")?,
                enabled: o.bool("enabled"),
                provider: provider(bot, o.l(), o.str("provider"))?,
            };
            let method = bot
                .shop
                .edit_method(actor, parse_id(o.need("id")?)?, edit)
                .await?;
            Ok(Reply::text(tr!(
                o.l(),
                "admin-method-updated",
                id = method.id.to_string()
            ))
            .into())
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
            Ok(Reply::text(tr!(o.l(), "admin-method-off", id = method.id.to_string())).into())
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
                        if m.enabled {
                            String::new()
                        } else {
                            format!(" {}", tr!(o.l(), "admin-method-disabled"))
                        }
                    )
                })
                .collect();
            Ok(list(o.l(), &tr!(o.l(), "admin-methods-title"), lines))
        }
        _ => Err(super::unknown(o.l())),
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
fn provider(
    bot: &Bot,
    l: crate::i18n::Locale,
    chosen: Option<&str>,
) -> Result<Option<Option<Provider>>, BotError> {
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    if chosen == "manual" {
        return Ok(Some(None));
    }
    let provider = Provider::parse(chosen)
        .ok_or_else(|| BotError::Input(tr!(l, "admin-unknown-provider", provider = chosen)))?;
    let configured = bot
        .payments
        .as_ref()
        .is_some_and(|p| p.providers().contains(&provider));
    if !configured {
        return Err(BotError::Input(tr!(
            l,
            "admin-provider-not-set-up",
            provider = provider.label(),
            section = format!("[payments.{}]", provider.as_str()),
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
