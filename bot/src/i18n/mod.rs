//! The shop's languages. Every text a shopper or admin reads comes from a Fluent file, one per
//! locale under `bot/locales/`, compiled into the binary. Which language a text is in is
//! decided by [`resolve`]; numbers, money and sizes are written the locale's way by
//! [`format`]; dates are Discord timestamps, which each reader's client writes in their own
//! language and time zone.

mod catalog;
pub mod format;

use std::fmt;

pub use catalog::{Arg, has, text};

/// The languages the shop ships, each with its own `.ftl`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Locale {
    En,
    Ru,
    Fa,
    Tr,
    ZhCn,
    Ar,
}

impl Locale {
    pub const ALL: [Locale; 6] = [
        Locale::En,
        Locale::Ru,
        Locale::Fa,
        Locale::Tr,
        Locale::ZhCn,
        Locale::Ar,
    ];

    /// The BCP 47 tag, also the `.ftl` file's name.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ru => "ru",
            Locale::Fa => "fa",
            Locale::Tr => "tr",
            Locale::ZhCn => "zh-CN",
            Locale::Ar => "ar",
        }
    }

    /// The language's name in itself, as the language picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ru => "Русский",
            Locale::Fa => "فارسی",
            Locale::Tr => "Türkçe",
            Locale::ZhCn => "简体中文",
            Locale::Ar => "العربية",
        }
    }

    /// A tag as Discord sends it (`en-US`, `ru`, `zh-CN`) or an operator writes it (`fa`,
    /// `ar-EG`): the language we ship for it, if any. Chinese other than simplified is not
    /// taken for simplified.
    pub fn parse(tag: &str) -> Option<Locale> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let language = tag.split('-').next()?;
        Some(match language {
            "en" => Locale::En,
            "ru" => Locale::Ru,
            "fa" => Locale::Fa,
            "tr" => Locale::Tr,
            "ar" => Locale::Ar,
            "zh" if tag == "zh" || tag == "zh-cn" || tag.starts_with("zh-hans") => Locale::ZhCn,
            _ => return None,
        })
    }

    /// Discord's own locale key for this language, where Discord has one: the keys of a
    /// command's `name_localizations` (Discord has no Persian; English is the commands'
    /// default text).
    pub fn discord(self) -> Option<&'static str> {
        match self {
            Locale::Ru => Some("ru"),
            Locale::Tr => Some("tr"),
            Locale::ZhCn => Some("zh-CN"),
            Locale::Ar => Some("ar"),
            Locale::En | Locale::Fa => None,
        }
    }

    /// Written right to left: placeables are isolated (FSI…PDI) so codes and names in Latin
    /// letters keep their order inside the sentence.
    pub fn is_rtl(self) -> bool {
        matches!(self, Locale::Fa | Locale::Ar)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// Which language to answer in. In order: the language the shopper chose in the shop; the
/// locale Discord sends with the interaction (or, for a DM, the one last seen); the server's
/// preferred locale; the shop's configured language. English from Discord does not override a
/// shop configured in another language: English (US) is every Discord account's default, and
/// Discord has no Persian for a shopper to pick, so a Persian shop's shoppers
/// mostly arrive "in English". They can always choose with the Language button. Pure.
pub fn resolve(
    chosen: Option<Locale>,
    discord: Option<&str>,
    guild: Option<&str>,
    shop: Locale,
) -> Locale {
    if let Some(l) = chosen {
        return l;
    }
    let usable = |tag: Option<&str>| {
        tag.and_then(Locale::parse)
            .filter(|l| *l != Locale::En || shop == Locale::En)
    };
    usable(discord).or(usable(guild)).unwrap_or(shop)
}

/// `tr!(locale, "key")`, `tr!(locale, "key", name = value, ...)`: the text of `key` in
/// `locale`, with its variables.
#[macro_export]
macro_rules! tr {
    ($locale:expr, $key:literal) => {
        $crate::i18n::text($locale, $key, &[])
    };
    ($locale:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::text(
            $locale,
            $key,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_language_answers() {
        use Locale::*;
        // (chosen, interaction's locale, guild's, shop's) → answer
        type Row = (
            Option<Locale>,
            Option<&'static str>,
            Option<&'static str>,
            Locale,
            Locale,
        );
        let table: &[Row] = &[
            (None, Some("ru"), None, En, Ru),
            (None, Some("en-US"), Some("ru"), En, En),
            (None, Some("en-US"), None, Fa, Fa), // Discord's default does not outvote the shop
            (None, Some("en-GB"), Some("tr"), Fa, Tr),
            (None, Some("ja"), Some("zh-CN"), En, ZhCn), // one we do not ship: the next
            (None, Some("zh-TW"), None, Ar, Ar),         // traditional is not simplified
            (None, None, None, Tr, Tr),
            (Some(Fa), Some("ru"), Some("tr"), En, Fa), // the shopper's choice first
            (Some(En), None, None, Fa, En),
        ];
        for &(chosen, discord, guild, shop, want) in table {
            assert_eq!(
                resolve(chosen, discord, guild, shop),
                want,
                "{chosen:?} {discord:?} {guild:?} {shop:?}"
            );
        }
    }

    #[test]
    fn tags_round_trip_and_discord_keys_are_discords() {
        for l in Locale::ALL {
            assert_eq!(Locale::parse(l.tag()), Some(l));
        }
        assert_eq!(Locale::parse("pt-BR"), None);
        assert_eq!(Locale::parse("AR_eg"), Some(Locale::Ar));
    }
}
