//! Money: exact integer arithmetic in one currency, shown with the currency's exponent.

use nebula_engine::money::{Currency, Money, MoneyError};

fn c(code: &str) -> Currency {
    Currency::from_code(code).unwrap()
}

fn m(minor: i64, code: &str) -> Money {
    Money::new(minor, c(code))
}

#[test]
fn arithmetic_is_exact_and_checked() {
    assert_eq!(
        m(25_000, "EGP").checked_add(m(-2_500, "EGP")),
        Ok(m(22_500, "EGP"))
    );
    assert_eq!(m(100, "EGP").checked_sub(m(250, "EGP")), Ok(m(-150, "EGP")));
    assert_eq!(m(333, "KWD").checked_mul(3), Ok(m(999, "KWD")));
    assert_eq!(
        Money::sum(c("USD"), &[m(1, "USD"), m(2, "USD"), m(3, "USD")]),
        Ok(m(6, "USD"))
    );
    assert_eq!(Money::sum(c("USD"), &[]), Ok(m(0, "USD")));
    assert_eq!(
        m(i64::MAX, "JPY").checked_add(m(1, "JPY")),
        Err(MoneyError::Overflow)
    );
    assert_eq!(
        m(i64::MIN, "JPY").checked_mul(-1),
        Err(MoneyError::Overflow)
    );
}

#[test]
fn mixing_currencies_is_an_error() {
    let mismatch = MoneyError::CurrencyMismatch(c("EGP"), c("USD"));
    assert_eq!(m(1, "EGP").checked_add(m(1, "USD")), Err(mismatch.clone()));
    assert_eq!(m(1, "EGP").checked_sub(m(1, "USD")), Err(mismatch.clone()));
    assert_eq!(m(1, "EGP").checked_cmp(m(1, "USD")), Err(mismatch));
    assert!(matches!(
        Money::sum(c("EGP"), &[m(1, "EGP"), m(1, "USD")]),
        Err(MoneyError::CurrencyMismatch(..))
    ));
    assert_eq!(
        m(1, "EGP")
            .checked_add(m(1, "USD"))
            .unwrap_err()
            .to_string(),
        "cannot combine EGP with USD"
    );
}

#[test]
fn display_uses_the_currency_exponent() {
    let cases = [
        // 0 decimals
        (m(1500, "IRR"), "1500 IRR"),
        (m(980, "JPY"), "980 JPY"),
        (m(-5, "JPY"), "-5 JPY"),
        // 2 decimals
        (m(25_000, "EGP"), "250.00 EGP"),
        (m(5, "USD"), "0.05 USD"),
        (m(-1999, "EUR"), "-19.99 EUR"),
        (m(0, "EGP"), "0.00 EGP"),
        // 3 decimals
        (m(1_250, "KWD"), "1.250 KWD"),
        (m(7, "BHD"), "0.007 BHD"),
        (m(-100_001, "OMR"), "-100.001 OMR"),
    ];
    for (money, shown) in cases {
        assert_eq!(money.to_string(), shown);
    }
}

#[test]
fn parsing_is_exact_and_strict() {
    assert_eq!("250.00 EGP".parse::<Money>(), Ok(m(25_000, "EGP")));
    assert_eq!("250 egp".parse::<Money>(), Ok(m(25_000, "EGP")));
    assert_eq!("250.5 EGP".parse::<Money>(), Ok(m(25_050, "EGP")));
    assert_eq!("1.25 KWD".parse::<Money>(), Ok(m(1_250, "KWD")));
    assert_eq!("1500 IRR".parse::<Money>(), Ok(m(1_500, "IRR")));
    assert_eq!(Money::parse("99", Some(c("USD"))), Ok(m(9_900, "USD")));
    assert_eq!("-3.00 EUR".parse::<Money>(), Ok(m(-300, "EUR")));
    for bad in [
        "",
        "12",
        "1.234 EGP",
        "1.5 JPY",
        "abc EGP",
        "1,5 EGP",
        "1. EGP",
        ".5 EGP",
        "5 EGP extra",
        "5 XYZ",
    ] {
        assert!(bad.parse::<Money>().is_err(), "{bad:?} should not parse");
    }
    // Round trip for every exponent.
    for money in [m(123_456, "EGP"), m(7, "JPY"), m(1, "KWD"), m(-42, "USD")] {
        assert_eq!(money.to_string().parse::<Money>(), Ok(money));
    }
}

#[test]
fn currencies_are_iso_4217_codes() {
    assert_eq!(c("egp").code(), "EGP");
    assert_eq!(c("KWD").exponent(), 3);
    assert_eq!(c("JPY").exponent(), 0);
    assert!(matches!(
        Currency::from_code("ABC"),
        Err(MoneyError::UnknownCurrency(_))
    ));
    let json = serde_json::to_string(&m(25_000, "EGP")).unwrap();
    assert_eq!(json, r#"{"minor":25000,"currency":"EGP"}"#);
    assert!(serde_json::from_str::<Money>(r#"{"minor":1,"currency":"NOPE"}"#).is_err());
}
