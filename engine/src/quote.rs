//! The price of an order: the plan's base price, the policy's adjustments, the total the shopper
//! pays. Kept on the order, so a later change to the plan or the policy never rewrites history.

use serde::{Deserialize, Serialize};

use crate::money::{Money, MoneyError};
use crate::policy::PolicyStamp;

/// One line of the price: `First order −10%: -25.00 EGP`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub label: String,
    pub amount: Money,
}

/// The label of the line the engine adds when adjustments would take the price below zero.
pub const FLOOR_LABEL: &str = "Price cannot go below zero";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub base: Money,
    pub adjustments: Vec<Adjustment>,
    pub total: Money,
    pub coupon: Option<String>,
    /// The pricing policy that proposed the adjustments.
    pub policy: PolicyStamp,
}

impl Quote {
    /// The engine's side of pricing: the policy proposes adjustments, the engine checks their
    /// currency and keeps the total at zero or above (adding a visible line if it had to).
    pub fn enforce(
        base: Money,
        mut adjustments: Vec<Adjustment>,
        coupon: Option<String>,
        policy: PolicyStamp,
    ) -> Result<Quote, MoneyError> {
        let mut total = base;
        for a in &adjustments {
            total = total.checked_add(a.amount)?;
        }
        if total.is_negative() {
            // The floor line is minus the total; the most negative amount has no opposite.
            let floor = total.minor.checked_neg().ok_or(MoneyError::Overflow)?;
            adjustments.push(Adjustment {
                label: FLOOR_LABEL.to_owned(),
                amount: Money::new(floor, total.currency),
            });
            total = Money::zero(total.currency);
        }
        Ok(Quote {
            base,
            adjustments,
            total,
            coupon,
            policy,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    fn quote(base: i64, amounts: &[i64]) -> Result<Quote, MoneyError> {
        let eur = Currency::from_code("EUR").unwrap();
        let adjustments = amounts
            .iter()
            .map(|&a| Adjustment {
                label: "policy".into(),
                amount: Money::new(a, eur),
            })
            .collect();
        Quote::enforce(
            Money::new(base, eur),
            adjustments,
            None,
            PolicyStamp::native("test"),
        )
    }

    #[test]
    fn a_policy_cannot_push_the_total_below_zero_or_out_of_range() {
        assert_eq!(quote(1000, &[-300]).unwrap().total.minor, 700);
        let floored = quote(1000, &[-5000]).unwrap();
        assert_eq!(floored.total.minor, 0);
        assert_eq!(floored.adjustments.last().unwrap().amount.minor, 4000);
        // A discount of the most negative amount has no floor line: refused, not a panic.
        assert_eq!(quote(0, &[i64::MIN]).unwrap_err(), MoneyError::Overflow);
        assert_eq!(quote(1, &[i64::MAX]).unwrap_err(), MoneyError::Overflow);
    }
}
