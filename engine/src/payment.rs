//! Automatic payments: what a provider reported about an order's payment, and how it is checked
//! against the order. The providers themselves (BTCPay, TRON, Stripe) are adapters at the edge;
//! the engine only ever sees a payment the adapter verified with the provider (a signed webhook
//! and the object fetched again, or a transfer read from the chain), and decides here whether it
//! pays the order or needs an admin.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{MethodId, OrderId, UserId};
use crate::money::Money;

/// Who took the money.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// A BTCPay Server invoice (crypto, Lightning).
    Btcpay,
    /// A TRC-20 token transfer on TRON, submitted by its transaction id.
    Tron,
    /// A Stripe Checkout Session (cards).
    Stripe,
}

impl Provider {
    pub const ALL: [Provider; 3] = [Provider::Btcpay, Provider::Tron, Provider::Stripe];

    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Btcpay => "btcpay",
            Provider::Tron => "tron",
            Provider::Stripe => "stripe",
        }
    }

    pub fn parse(s: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// How the provider reads to people.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Btcpay => "BTCPay",
            Provider::Tron => "USDT (TRC-20)",
            Provider::Stripe => "Stripe",
        }
    }

    /// The shop opens a checkout (invoice, session) with the provider for the order, and the
    /// shopper pays there; a TRON transfer is made first and submitted afterwards.
    pub fn has_checkout(self) -> bool {
        matches!(self, Provider::Btcpay | Provider::Stripe)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What was paid, in the provider's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", rename_all = "snake_case")]
pub enum Paid {
    /// Money in a currency (the invoice's or session's); compared with the order's total.
    Money { amount: Money },
    /// Base units of a token (USDT has 6 decimals), with what the order's total is worth in
    /// it at the operator's rate and rounding, as the adapter computed when it checked.
    Token {
        symbol: String,
        decimals: u8,
        units: u64,
        expected: u64,
    },
}

impl Paid {
    /// `10.000000 USDT`, `250.00 EGP`.
    pub fn display(&self) -> String {
        match self {
            Paid::Money { amount } => amount.to_string(),
            Paid::Token {
                symbol,
                decimals,
                units,
                ..
            } => token_display(*units, *decimals, symbol),
        }
    }
}

/// Token base units as a decimal amount (`10500000`, 6, `USDT` → `10.500000 USDT`).
pub fn token_display(units: u64, decimals: u8, symbol: &str) -> String {
    let scale = 10u64.pow(u32::from(decimals));
    if decimals == 0 {
        return format!("{units} {symbol}");
    }
    format!(
        "{}.{:0width$} {symbol}",
        units / scale,
        units % scale,
        width = usize::from(decimals)
    )
}

/// A payment an adapter verified with its provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceivedPayment {
    pub provider: Provider,
    /// The provider's id of the object that was paid: the invoice, the session or the
    /// transaction. One reference pays one order, ever.
    pub reference: String,
    pub paid: Paid,
    /// When the provider says it was paid.
    pub paid_at: Timestamp,
    /// The provider says it was paid after its invoice or session expired.
    #[serde(default)]
    pub late: bool,
}

/// How a payment differs from what the order asked for: each keeps it from paying the order
/// by itself, and is shown to the reviewing admin and to the shopper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "difference", rename_all = "snake_case")]
pub enum Difference {
    WrongCurrency {
        expected: String,
        got: String,
    },
    Underpaid {
        expected: String,
        got: String,
    },
    Overpaid {
        expected: String,
        got: String,
    },
    /// Paid after the invoice expired (the price it was issued at may no longer hold).
    PaidLate,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::WrongCurrency { expected, got } => {
                write!(f, "paid in {got}, the order is in {expected}")
            }
            Difference::Underpaid { expected, got } => {
                write!(f, "paid {got}, less than the {expected} due")
            }
            Difference::Overpaid { expected, got } => {
                write!(f, "paid {got}, more than the {expected} due")
            }
            Difference::PaidLate => f.write_str("paid after the invoice expired"),
        }
    }
}

/// How `payment` differs from an order whose total is `total`; empty when it pays the order
/// exactly. Pure: the machine's input and the tests' table.
pub fn differences(total: Money, payment: &ReceivedPayment) -> Vec<Difference> {
    let mut found = Vec::new();
    match &payment.paid {
        Paid::Money { amount } if amount.currency != total.currency => {
            found.push(Difference::WrongCurrency {
                expected: total.currency.code().to_owned(),
                got: amount.currency.code().to_owned(),
            });
        }
        Paid::Money { amount } => {
            let (expected, got) = (total.to_string(), amount.to_string());
            match amount.minor.cmp(&total.minor) {
                std::cmp::Ordering::Less => found.push(Difference::Underpaid { expected, got }),
                std::cmp::Ordering::Greater => found.push(Difference::Overpaid { expected, got }),
                std::cmp::Ordering::Equal => {}
            }
        }
        Paid::Token {
            symbol,
            decimals,
            units,
            expected,
        } => {
            let shown = |u| token_display(u, *decimals, symbol);
            let (want, got) = (shown(*expected), shown(*units));
            match units.cmp(expected) {
                std::cmp::Ordering::Less => found.push(Difference::Underpaid {
                    expected: want,
                    got,
                }),
                std::cmp::Ordering::Greater => found.push(Difference::Overpaid {
                    expected: want,
                    got,
                }),
                std::cmp::Ordering::Equal => {}
            }
        }
    }
    if payment.late {
        found.push(Difference::PaidLate);
    }
    found
}

/// A payment that needs an admin, with what differs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlaggedPayment {
    pub payment: ReceivedPayment,
    pub differences: Vec<Difference>,
}

/// What an adapter hands the shop: the order a verified payment is for, and the provider's
/// event id when a webhook brought it (stored, so a replay changes nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentReport {
    pub order: OrderId,
    pub event: Option<String>,
    pub payment: ReceivedPayment,
}

/// What became of a reported payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentTaken {
    /// The payment paid the order: it is being provisioned (or waits for a retry when no
    /// server had room).
    Paid,
    /// It differs from the order: an admin reviews it; the shopper is told what differs.
    Review(Vec<Difference>),
    /// This event was taken before (a replayed or duplicated webhook).
    DuplicateEvent,
    /// This payment was taken before (the webhook and the reconciliation job both saw it).
    AlreadyTaken,
    /// The order no longer waits for a payment (timed out, cancelled, declined, or paid
    /// another way) when the money arrived: the admins are told, to refund or honour it.
    NotAwaiting,
}

/// What the shop asks a provider to open for an order: an invoice or a checkout session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutRequest {
    pub order: OrderId,
    /// The order's short code, shown on the provider's page.
    pub code: String,
    pub shopper: UserId,
    pub provider: Provider,
    pub method: MethodId,
    pub amount: Money,
    pub description: String,
    /// When the order stops waiting for its payment; the checkout expires with it.
    pub expires_at: Timestamp,
    /// When the shopper chose the method (the effect's time): a provider's limits on a
    /// checkout's lifetime count from it, so every retry of the effect asks for the same
    /// checkout. Absent in effects written before it existed.
    #[serde(default)]
    pub requested_at: Option<Timestamp>,
}

/// A checkout the provider opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkout {
    pub provider: Provider,
    /// The invoice's or session's id.
    pub reference: String,
    /// Where the shopper pays.
    pub url: String,
}

/// A provider's object the shop knows of, by `provider:reference`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentRecord {
    pub order: OrderId,
    pub provider: Provider,
    pub reference: String,
    pub url: Option<String>,
    pub created_at: Timestamp,
    /// A payment of it was taken (paid or sent to review).
    pub taken: bool,
}

/// The key of a provider's object: unique across orders.
pub fn payment_key(provider: Provider, reference: &str) -> String {
    format!("{}:{reference}", provider.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn usd(minor: i64) -> Money {
        Money::new(minor, Currency::from_code("USD").unwrap())
    }

    fn report(paid: Paid, late: bool) -> ReceivedPayment {
        ReceivedPayment {
            provider: Provider::Btcpay,
            reference: "inv".into(),
            paid,
            paid_at: Timestamp::UNIX_EPOCH,
            late,
        }
    }

    fn token(units: u64, expected: u64) -> Paid {
        Paid::Token {
            symbol: "USDT".into(),
            decimals: 6,
            units,
            expected,
        }
    }

    #[test]
    fn a_payment_differs_from_its_order_as_the_table_says() {
        let eur = Money::new(1000, Currency::from_code("EUR").unwrap());
        let cases: Vec<(Paid, bool, Vec<&str>)> = vec![
            (Paid::Money { amount: usd(1000) }, false, vec![]),
            (
                Paid::Money { amount: usd(999) },
                false,
                vec!["paid 9.99 USD, less than the 10.00 USD due"],
            ),
            (
                Paid::Money { amount: usd(1001) },
                false,
                vec!["paid 10.01 USD, more than the 10.00 USD due"],
            ),
            (
                Paid::Money { amount: eur },
                false,
                vec!["paid in EUR, the order is in USD"],
            ),
            (
                Paid::Money { amount: usd(1000) },
                true,
                vec!["paid after the invoice expired"],
            ),
            (token(10_000_000, 10_000_000), false, vec![]),
            (
                token(9_999_999, 10_000_000),
                false,
                vec!["paid 9.999999 USDT, less than the 10.000000 USDT due"],
            ),
            (
                token(10_500_000, 10_000_000),
                true,
                vec![
                    "paid 10.500000 USDT, more than the 10.000000 USDT due",
                    "paid after the invoice expired",
                ],
            ),
        ];
        for (paid, late, want) in cases {
            let got: Vec<String> = differences(usd(1000), &report(paid.clone(), late))
                .iter()
                .map(ToString::to_string)
                .collect();
            assert_eq!(got, want, "{paid:?} late={late}");
        }
    }

    #[test]
    fn providers_parse_back_from_their_names() {
        for p in Provider::ALL {
            assert_eq!(Provider::parse(p.as_str()), Some(p));
        }
        assert_eq!(Provider::parse("paypal"), None);
    }
}
