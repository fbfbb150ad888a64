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
            adjustments.push(Adjustment {
                label: FLOOR_LABEL.to_owned(),
                amount: Money::new(-total.minor, total.currency),
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
