//! The compiled-in Fluent bundles, one per locale, and the lookup every text goes through.

use std::borrow::Cow;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::{Locale, format};

/// The `.ftl` source of each locale, in [`Locale::ALL`]'s order.
pub(crate) const SOURCES: [(Locale, &str); 6] = [
    (Locale::En, include_str!("../../locales/en.ftl")),
    (Locale::Ru, include_str!("../../locales/ru.ftl")),
    (Locale::Fa, include_str!("../../locales/fa.ftl")),
    (Locale::Tr, include_str!("../../locales/tr.ftl")),
    (Locale::ZhCn, include_str!("../../locales/zh-CN.ftl")),
    (Locale::Ar, include_str!("../../locales/ar.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

/// A variable of a message: text, or a number (plural rules select on it; it is written
/// with the locale's digits and separators).
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Number(i64),
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_owned())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Arg::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64);

/// Each bundle writes numbers its own locale's way (fluent-rs leaves that to the host): one
/// formatter function per locale, as the bundle takes a plain function.
fn number_formatter(
    locale: Locale,
) -> fn(&FluentValue, &intl_memoizer::concurrent::IntlLangMemoizer) -> Option<String> {
    fn with<const L: usize>(
        value: &FluentValue,
        _: &intl_memoizer::concurrent::IntlLangMemoizer,
    ) -> Option<String> {
        match value {
            FluentValue::Number(n) => Some(format::number(Locale::ALL[L], n.value as i64)),
            _ => None,
        }
    }
    match locale {
        Locale::En => with::<0>,
        Locale::Ru => with::<1>,
        Locale::Fa => with::<2>,
        Locale::Tr => with::<3>,
        Locale::ZhCn => with::<4>,
        Locale::Ar => with::<5>,
    }
}

/// One locale's bundle. A source that does not parse is a build defect the locale tests
/// catch; it is refused loudly here rather than shown half-translated.
pub(crate) fn bundle(locale: Locale, source: &str) -> Result<Bundle, String> {
    let resource = FluentResource::try_new(source.to_owned())
        .map_err(|(_, errors)| format!("{locale}.ftl does not parse: {errors:?}"))?;
    let id = locale
        .tag()
        .parse()
        .map_err(|e| format!("{locale}: not a language tag: {e}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(locale.is_rtl());
    bundle.set_formatter(Some(number_formatter(locale)));
    bundle
        .add_resource(resource)
        .map_err(|errors| format!("{locale}.ftl: {errors:?}"))?;
    Ok(bundle)
}

static BUNDLES: LazyLock<Vec<(Locale, Bundle)>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(locale, source)| {
            (
                *locale,
                bundle(*locale, source).unwrap_or_else(|e| panic!("{e}")),
            )
        })
        .collect()
});

fn lookup(locale: Locale, key: &str, args: &FluentArgs) -> Option<String> {
    let bundle = &BUNDLES.iter().find(|(l, _)| *l == locale)?.1;
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(args), &mut errors);
    if !errors.is_empty() {
        tracing::warn!(%locale, key, ?errors, "a text did not format cleanly");
    }
    Some(match text {
        Cow::Borrowed(s) => s.to_owned(),
        Cow::Owned(s) => s,
    })
}

/// Whether `locale` has a text for `key`.
pub fn has(locale: Locale, key: &str) -> bool {
    BUNDLES
        .iter()
        .find(|(l, _)| *l == locale)
        .is_some_and(|(_, b)| b.has_message(key))
}

/// The text of `key` in `locale`. A key missing there (the locale tests forbid it) falls
/// back to English, then to the key itself, and is logged.
pub fn text(locale: Locale, key: &str, args: &[(&str, Arg)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(s) => fluent.set(*name, FluentValue::from(s.as_str())),
            Arg::Number(n) => fluent.set(*name, FluentValue::from(*n)),
        }
    }
    lookup(locale, key, &fluent)
        .or_else(|| {
            tracing::warn!(%locale, key, "no such text; English instead");
            lookup(Locale::En, key, &fluent)
        })
        .unwrap_or_else(|| key.to_owned())
}
