//! Amounts as providers write them (decimal strings, token base units) and the shop's
//! [`Money`]: exact decimal arithmetic (`rust_decimal`), never floats.

use std::str::FromStr;

use nebula_engine::money::{Currency, Money};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Deserialize;

/// `250.00` for 250.00 EGP, `1500` for 1500 IRR: the decimal amount a provider expects.
pub fn decimal_of(money: Money) -> String {
    let value = Decimal::new(money.minor, money.currency.exponent());
    value.to_string()
}

/// A provider's decimal amount in `currency`, to the currency's minor unit (a value with more
/// decimals is rounded half to even, as banks do).
pub fn money_of(decimal: &str, currency: Currency) -> Option<Money> {
    let value = Decimal::from_str(decimal.trim()).ok()?;
    minor_units(value, currency).map(|minor| Money::new(minor, currency))
}

/// `value` in minor units of `currency`.
pub fn minor_units(value: Decimal, currency: Currency) -> Option<i64> {
    let exp = currency.exponent();
    let scaled = value
        .round_dp_with_strategy(exp, RoundingStrategy::MidpointNearestEven)
        .checked_mul(Decimal::from(10i64.checked_pow(exp)?))?;
    i64::try_from(scaled.trunc()).ok()
}

/// How a total that is not a whole number of token base units is rounded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// The shopper pays at least the total (the default).
    #[default]
    Up,
    Nearest,
    Down,
}

/// What `total` is worth in base units of a token with `decimals` decimals, when one token
/// costs `token_price`; `None` for another currency, a price of zero or an overflow.
pub fn token_units(
    total: Money,
    token_price: Money,
    decimals: u8,
    rounding: Rounding,
) -> Option<u64> {
    if total.currency != token_price.currency || token_price.minor <= 0 || total.minor < 0 {
        return None;
    }
    let numerator =
        i128::from(total.minor).checked_mul(10i128.checked_pow(u32::from(decimals))?)?;
    let price = i128::from(token_price.minor);
    let (whole, rest) = (numerator / price, numerator % price);
    let units = match rounding {
        Rounding::Down => whole,
        Rounding::Up => whole + i128::from(rest > 0),
        Rounding::Nearest => whole + i128::from(rest * 2 >= price),
    };
    u64::try_from(units).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(s: &str) -> Money {
        Money::parse(s, None).unwrap()
    }

    #[test]
    fn decimals_go_both_ways_at_the_currency_exponent() {
        assert_eq!(decimal_of(money("250.00 EGP")), "250.00");
        assert_eq!(decimal_of(money("1500 IRR")), "1500");
        assert_eq!(decimal_of(money("1.250 KWD")), "1.250");
        let egp = Currency::from_code("EGP").unwrap();
        assert_eq!(money_of("250", egp), Some(money("250.00 EGP")));
        assert_eq!(money_of("250.0000", egp), Some(money("250.00 EGP")));
        assert_eq!(money_of("0.125", egp), Some(money("0.12 EGP")));
        assert_eq!(money_of("0.135", egp), Some(money("0.14 EGP")));
        assert_eq!(money_of("ten", egp), None);
    }

    #[test]
    fn a_total_in_token_units_follows_the_rate_and_the_rounding_rule() {
        let price = money("49.50 EGP"); // one USDT
        let cases = [
            ("99.00 EGP", Rounding::Up, Some(2_000_000)),
            ("250.00 EGP", Rounding::Up, Some(5_050_506)),
            ("250.00 EGP", Rounding::Down, Some(5_050_505)),
            ("250.00 EGP", Rounding::Nearest, Some(5_050_505)),
            ("0.00 EGP", Rounding::Up, Some(0)),
            ("10.00 USD", Rounding::Up, None),
        ];
        for (total, rounding, want) in cases {
            assert_eq!(
                token_units(money(total), price, 6, rounding),
                want,
                "{total} {rounding:?}"
            );
        }
        assert_eq!(
            token_units(money("10.00 USD"), money("1.00 USD"), 6, Rounding::Up),
            Some(10_000_000)
        );
        assert_eq!(
            token_units(money("10.00 USD"), money("0.00 USD"), 6, Rounding::Up),
            None
        );
    }
}
