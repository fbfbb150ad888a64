//! What the commands share: option builders, reading what was typed, and the answer shapes.

use nebula_engine::money::Money;
use nebula_engine::payment_method::MethodKind;
use nebula_engine::plan::TrafficLimit;
use nebula_engine::policy::PolicyKind;
use serenity::all::{
    AutocompleteChoice, CommandInteraction, CreateAutocompleteResponse, CreateEmbed, ResolvedOption,
};
/// The builder types every command's definition uses.
pub(super) use serenity::all::{
    CommandOptionType, CreateCommand, CreateCommandOption, ResolvedValue,
};

use crate::discord::errors::BotError;
use crate::discord::reply::{Answer, Reply};
use crate::i18n::Locale;
use crate::tr;

/// An admin command: shown by default to members with Manage Server (the owner adds the shop's
/// admin role under Server Settings → Integrations), never in DMs.
pub(super) fn admin(c: CreateCommand) -> CreateCommand {
    c.default_member_permissions(crate::discord::access::ADMIN_COMMANDS)
        .dm_permission(false)
}

/// A sub-command with these options.
pub(super) fn with(
    mut s: CreateCommandOption,
    opts: Vec<CreateCommandOption>,
) -> CreateCommandOption {
    for o in opts {
        s = s.add_sub_option(o);
    }
    s
}

pub(super) fn sub(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::SubCommand, name, description)
}

pub(super) fn text(name: &str, description: &str, required: bool) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::String, name, description).required(required)
}

pub(super) fn int(name: &str, description: &str, required: bool) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::Integer, name, description).required(required)
}

pub(super) fn boolean(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::Boolean, name, description).required(false)
}

pub(super) fn role(name: &str, description: &str) -> CreateCommandOption {
    CreateCommandOption::new(CommandOptionType::Role, name, description).required(false)
}

pub(super) fn id_option(name: &str, description: &str) -> CreateCommandOption {
    text(name, description, true).set_autocomplete(true)
}

/// The sub-command and its options (no sub-command: all the options).
pub(super) fn parts<'a>(cmd: &'a CommandInteraction) -> (&'a str, Vec<ResolvedOption<'a>>) {
    let mut options = cmd.data.options();
    if matches!(
        options.first(),
        Some(ResolvedOption {
            value: ResolvedValue::SubCommand(_),
            ..
        })
    ) && let ResolvedOption {
        name,
        value: ResolvedValue::SubCommand(opts),
        ..
    } = options.remove(0)
    {
        return (name, opts);
    }
    ("", options)
}

pub(super) fn money(l: Locale, text: &str) -> Result<Money, BotError> {
    text.parse::<Money>()
        .map_err(|e| BotError::Input(tr!(l, "admin-bad-money", why = e.to_string())))
}

pub(super) fn traffic(gb: u32) -> TrafficLimit {
    if gb == 0 {
        TrafficLimit::Unlimited
    } else {
        TrafficLimit::Bytes(u64::from(gb) * 1_000_000_000)
    }
}

pub(super) fn method_kind(l: Locale, text: &str) -> Result<MethodKind, BotError> {
    serde_json::from_value(serde_json::Value::String(text.into()))
        .map_err(|_| BotError::Input(tr!(l, "admin-bad-kind", kind = text)))
}

pub(super) fn kind(opts: &Opts<'_>) -> Result<PolicyKind, BotError> {
    opts.need("kind")?
        .parse()
        .map_err(|e: nebula_engine::error::Invalid| BotError::Input(e.to_string()))
}

pub(super) fn tags(text: Option<&str>) -> Option<Vec<String>> {
    text.map(|t| {
        t.split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    })
}

pub(super) fn parse_id<T: std::str::FromStr<Err = nebula_engine::ids::InvalidId>>(
    s: &str,
) -> Result<T, BotError> {
    s.parse()
        .map_err(|e: nebula_engine::ids::InvalidId| BotError::Input(e.to_string()))
}

pub(super) fn list(l: Locale, title: &str, lines: Vec<String>) -> Answer {
    let body = if lines.is_empty() {
        tr!(l, "admin-none-yet")
    } else {
        lines.join("\n")
    };
    Reply {
        embeds: vec![
            CreateEmbed::new()
                .title(title)
                .description(body.chars().take(4000).collect::<String>()),
        ],
        ..Reply::default()
    }
    .into()
}

/// The options of a command, by name, and the language to answer in.
pub(super) struct Opts<'a>(pub(super) Vec<ResolvedOption<'a>>, pub(super) Locale);

impl<'a> Opts<'a> {
    /// The language of the answer.
    pub(super) fn l(&self) -> Locale {
        self.1
    }
    pub(super) fn get(&self, name: &str) -> Option<&ResolvedValue<'a>> {
        self.0.iter().find(|o| o.name == name).map(|o| &o.value)
    }
    pub(super) fn str(&self, name: &str) -> Option<&'a str> {
        match self.get(name) {
            Some(ResolvedValue::String(s)) => Some(s),
            _ => None,
        }
    }
    pub(super) fn need(&self, name: &str) -> Result<&'a str, BotError> {
        self.str(name)
            .ok_or_else(|| BotError::Input(tr!(self.1, "admin-required", name = name)))
    }
    pub(super) fn int(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(ResolvedValue::Integer(i)) => Some(*i),
            _ => None,
        }
    }
    pub(super) fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some(ResolvedValue::Boolean(b)) => Some(*b),
            _ => None,
        }
    }
    pub(super) fn role(&self, name: &str) -> Option<u64> {
        match self.get(name) {
            Some(ResolvedValue::Role(r)) => Some(r.id.get()),
            _ => None,
        }
    }
    pub(super) fn u32(&self, name: &str) -> Result<Option<u32>, BotError> {
        self.int(name)
            .map(|i| {
                u32::try_from(i)
                    .map_err(|_| BotError::Input(tr!(self.1, "admin-not-negative", name = name)))
            })
            .transpose()
    }
}

/// Autocomplete choices from (label, value) candidates: those whose label holds what was typed
/// (any case), at most 25, labels cut to Discord's 100 characters.
pub(super) fn suggest(candidates: Vec<(String, String)>, typed: &str) -> Answer {
    let typed = typed.to_ascii_lowercase();
    let choices = candidates
        .into_iter()
        .filter(|(label, _)| label.to_ascii_lowercase().contains(&typed))
        .take(25)
        .map(|(label, value)| {
            AutocompleteChoice::new(label.chars().take(100).collect::<String>(), value)
        })
        .collect();
    Answer::Autocomplete(CreateAutocompleteResponse::new().set_choices(choices))
}
