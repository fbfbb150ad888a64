//! Money as integer minor units with an ISO 4217 currency: never floats, never mixed currencies.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency, stored and shown by its three-letter code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// Looks a currency up by its ISO 4217 code (`"EGP"`, `"usd"`).
    pub fn from_code(code: &str) -> Result<Self, MoneyError> {
        iso_currency::Currency::from_code(&code.trim().to_ascii_uppercase())
            .map(Currency)
            .ok_or_else(|| MoneyError::UnknownCurrency(code.to_owned()))
    }

    /// The three-letter code.
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// How many decimal places the minor unit has (EGP 2, JPY 0, KWD 3).
    ///
    /// ISO 4217 lists the Iranian rial with 2, but the rial has had no circulating subunit for
    /// decades and nobody prices in dinars; shops price in whole rials, so we use 0.
    pub fn exponent(self) -> u32 {
        match self.0 {
            iso_currency::Currency::IRR => 0,
            // Funds and metals (XAU, XDR, ...) have no minor unit in ISO's table.
            c => c.exponent().map_or(0, u32::from),
        }
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        Currency::from_code(&code)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.code().to_owned()
    }
}

/// An amount in minor units of one currency (`25000 EGP` is 250.00 EGP).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// What can go wrong with money.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("cannot combine {0} with {1}")]
    CurrencyMismatch(Currency, Currency),
    #[error("amount out of range")]
    Overflow,
    #[error("unknown currency code {0:?}")]
    UnknownCurrency(String),
    #[error("{input:?} is not an amount: {why}")]
    Parse { input: String, why: &'static str },
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    pub fn is_negative(self) -> bool {
        self.minor < 0
    }

    pub fn is_zero(self) -> bool {
        self.minor == 0
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_add(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let minor = self
            .minor
            .checked_sub(other.minor)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    pub fn checked_mul(self, factor: i64) -> Result<Money, MoneyError> {
        let minor = self.minor.checked_mul(factor).ok_or(MoneyError::Overflow)?;
        Ok(Money::new(minor, self.currency))
    }

    /// Sums amounts of one currency; an empty list sums to zero of `currency`.
    pub fn sum<'a>(
        currency: Currency,
        amounts: impl IntoIterator<Item = &'a Money>,
    ) -> Result<Money, MoneyError> {
        amounts
            .into_iter()
            .try_fold(Money::zero(currency), |acc, m| acc.checked_add(*m))
    }

    /// Compares two amounts of the same currency.
    pub fn checked_cmp(self, other: Money) -> Result<std::cmp::Ordering, MoneyError> {
        self.same_currency(other)?;
        Ok(self.minor.cmp(&other.minor))
    }

    /// Parses `"250"`, `"250.5"`, `"250.50 EGP"`: the currency may be given or defaulted.
    pub fn parse(input: &str, default_currency: Option<Currency>) -> Result<Money, MoneyError> {
        let err = |why| MoneyError::Parse {
            input: input.to_owned(),
            why,
        };
        let mut parts = input.split_whitespace();
        let amount = parts.next().ok_or_else(|| err("empty"))?;
        let currency = match (parts.next(), default_currency) {
            (Some(code), _) => Currency::from_code(code)?,
            (None, Some(c)) => c,
            (None, None) => return Err(err("no currency code")),
        };
        if parts.next().is_some() {
            return Err(err("expected `AMOUNT CODE`"));
        }
        let (negative, digits) = match amount.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, amount),
        };
        let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let exp = currency.exponent() as usize;
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err("not a number"));
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (digits.contains('.') && frac.is_empty()) {
            return Err(err("not a number"));
        }
        if frac.len() > exp {
            return Err(err("more decimals than the currency has"));
        }
        let scale = 10i64.pow(exp as u32);
        let whole: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let frac_value: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse::<i64>().map_err(|_| MoneyError::Overflow)?
                * 10i64.pow((exp - frac.len()) as u32)
        };
        let minor = whole
            .checked_mul(scale)
            .and_then(|w| w.checked_add(frac_value))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(if negative { -minor } else { minor }, currency))
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s, None)
    }
}

impl fmt::Display for Money {
    /// `250.00 EGP`, `1500 IRR`, `-1.250 KWD`: the currency's exponent, no thousands separators.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let exp = self.currency.exponent();
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if exp == 0 {
            write!(f, "{sign}{abs} {}", self.currency)
        } else {
            let scale = 10u64.pow(exp);
            write!(
                f,
                "{sign}{}.{:0width$} {}",
                abs / scale,
                abs % scale,
                self.currency,
                width = exp as usize
            )
        }
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
