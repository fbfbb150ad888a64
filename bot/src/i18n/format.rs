//! Numbers, money and sizes the locale's way, from CLDR's data (ICU4X): `1,250.00` in
//! English, `1 250,00` in Russian, `۱٬۲۵۰٫۰۰` in Persian, `1.250,00` in Turkish. Money keeps
//! its currency's exponent and its ISO code (readable in every script); it is never a float.

use std::sync::LazyLock;

use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use nebula_engine::money::Money;
use nebula_engine::plan::TrafficLimit;

use super::Locale;

static FORMATTERS: LazyLock<Vec<(Locale, DecimalFormatter)>> = LazyLock::new(|| {
    Locale::ALL
        .iter()
        .map(|l| {
            let locale: icu_locale_core::Locale =
                l.tag().parse().expect("every shipped tag is valid");
            let formatter = DecimalFormatter::try_new((&locale).into(), Default::default())
                .expect("ICU4X's compiled data has every shipped locale");
            (*l, formatter)
        })
        .collect()
});

fn write(locale: Locale, decimal: &Decimal) -> String {
    use writeable::Writeable;
    let formatter = &FORMATTERS
        .iter()
        .find(|(l, _)| *l == locale)
        .expect("a formatter per locale")
        .1;
    formatter.format(decimal).write_to_string().into_owned()
}

/// A whole number: `12,500`, `۱۲٬۵۰۰`.
pub fn number(locale: Locale, n: i64) -> String {
    write(locale, &Decimal::from(n))
}

/// `minor` units shown with `exponent` digits after the separator.
fn scaled(locale: Locale, minor: i64, exponent: u32) -> String {
    let mut d = Decimal::from(minor);
    d.multiply_pow10(-(exponent as i16));
    // Keep trailing zeros: `250.00`, not `250`.
    d.pad_end(-(exponent as i16));
    write(locale, &d)
}

/// Bytes in GiB with two decimals, the locale's way (`1.50 GiB`, `۱٫۵۰ GiB`).
pub fn gib(locale: Locale, bytes: u64) -> String {
    let hundredths = (u128::from(bytes) * 100 / (1u128 << 30)) as i64;
    format!("{} GiB", scaled(locale, hundredths, 2))
}

/// `1,250.00 EGP`, `۱٬۲۵۰٫۰۰ EGP`.
pub fn money(locale: Locale, m: Money) -> String {
    format!(
        "{} {}",
        scaled(locale, m.minor, m.currency.exponent()),
        m.currency
    )
}

/// A traffic amount in decimal units, as panels show them: `50 GB`, `1.5 GB`, `800 MB`;
/// the unit's name from the locale's texts.
pub fn traffic(locale: Locale, t: TrafficLimit) -> String {
    const GB: u64 = 1_000_000_000;
    const MB: u64 = 1_000_000;
    match t {
        TrafficLimit::Unlimited => crate::tr!(locale, "traffic-unlimited"),
        TrafficLimit::Bytes(b) if b >= GB => {
            let tenths = (b / (GB / 10)) as i64;
            let amount = if tenths % 10 == 0 {
                number(locale, tenths / 10)
            } else {
                scaled(locale, tenths, 1)
            };
            crate::tr!(locale, "traffic-gb", amount = amount)
        }
        TrafficLimit::Bytes(b) => {
            crate::tr!(
                locale,
                "traffic-mb",
                amount = number(locale, (b / MB) as i64)
            )
        }
    }
}

/// A moment as a Discord timestamp: each reader's client writes it in their own language and
/// time zone (`<t:…:f>`, date and time).
pub fn when(t: jiff::Timestamp) -> String {
    format!("<t:{}:f>", t.as_second())
}

#[cfg(test)]
mod tests {
    use super::*;
    use nebula_engine::money::Currency;

    #[test]
    fn money_reads_the_locales_way() {
        let m = Money::new(125_000, Currency::from_code("EGP").unwrap());
        let table = [
            (Locale::En, "1,250.00 EGP"),
            (Locale::Ru, "1\u{a0}250,00 EGP"),
            (Locale::Tr, "1.250,00 EGP"),
            (Locale::Fa, "۱٬۲۵۰٫۰۰ EGP"),
            (Locale::ZhCn, "1,250.00 EGP"),
        ];
        for (locale, want) in table {
            assert_eq!(money(locale, m), want, "{locale}");
        }
        // Arabic: whatever digits CLDR gives it, the amount keeps its two decimals.
        let ar = money(Locale::Ar, m);
        assert!(
            ar.ends_with(" EGP") && ar.chars().count() == "1,250.00 EGP".len(),
            "{ar}"
        );
    }

    #[test]
    fn zero_decimals_and_negative_amounts() {
        let irr = Money::new(1_500_000, Currency::from_code("IRR").unwrap());
        assert_eq!(money(Locale::En, irr), "1,500,000 IRR");
        let minus = Money::new(-250, Currency::from_code("USD").unwrap());
        assert_eq!(money(Locale::En, minus), "-2.50 USD");
    }
}
