//! Payment methods: how a shopper pays (a wallet number, a bank account) and what they are told.

use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::ids::MethodId;
use crate::money::Money;
use crate::payment::Provider;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MethodKind {
    BankTransfer,
    MobileWallet,
    Card,
    Crypto,
    Other,
}

impl MethodKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MethodKind::BankTransfer => "bank_transfer",
            MethodKind::MobileWallet => "mobile_wallet",
            MethodKind::Card => "card",
            MethodKind::Crypto => "crypto",
            MethodKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentMethod {
    pub id: MethodId,
    pub label: String,
    pub kind: MethodKind,
    /// What the shopper reads; `{amount}` and `{order}` are filled in per order.
    pub instructions: String,
    pub min: Option<Money>,
    pub max: Option<Money>,
    pub enabled: bool,
    /// Paid automatically through this provider (`None`: the shopper sends a screenshot and
    /// an admin reviews it). A screenshot stays possible either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
}

/// The placeholders an instructions template may use.
const PLACEHOLDERS: [&str; 2] = ["amount", "order"];

impl PaymentMethod {
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.label.trim().is_empty() || self.label.chars().count() > 80 {
            return Err(Invalid::new("label", "must be 1 to 80 characters"));
        }
        validate_template(&self.instructions)?;
        if let (Some(min), Some(max)) = (self.min, self.max) {
            match min.checked_cmp(max) {
                Err(_) => return Err(Invalid::new("max", "must be in the same currency as min")),
                Ok(std::cmp::Ordering::Greater) => {
                    return Err(Invalid::new("max", "must not be below min"));
                }
                Ok(_) => {}
            }
        }
        Ok(())
    }

    /// Whether `price` lies within the method's min/max.
    pub fn accepts(&self, price: Money) -> bool {
        within_bounds(price, self.min, self.max)
    }
}

/// Whether `price` lies within optional bounds; a bound in another currency excludes the price.
pub fn within_bounds(price: Money, min: Option<Money>, max: Option<Money>) -> bool {
    let above_min = min.is_none_or(|m| m.checked_cmp(price).is_ok_and(|o| o.is_le()));
    let below_max = max.is_none_or(|m| m.checked_cmp(price).is_ok_and(|o| o.is_ge()));
    above_min && below_max
}

/// Checks that a template only uses known placeholders and has balanced braces.
pub fn validate_template(template: &str) -> Result<(), Invalid> {
    if template.trim().is_empty() || template.chars().count() > 2000 {
        return Err(Invalid::new("instructions", "must be 1 to 2000 characters"));
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| Invalid::new("instructions", "has a `{` without a closing `}`"))?;
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(Invalid::new(
                "instructions",
                "may only use the placeholders {amount} and {order}",
            ));
        }
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(Invalid::new(
            "instructions",
            "has a `}` without an opening `{`",
        ));
    }
    Ok(())
}

/// Fills `{amount}` and `{order}` into a validated template.
pub fn render_instructions(template: &str, amount: Money, order_code: &str) -> String {
    template
        .replace("{amount}", &amount.to_string())
        .replace("{order}", order_code)
}

/// A change to a payment method; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodEdit {
    pub label: Option<String>,
    pub kind: Option<MethodKind>,
    pub instructions: Option<String>,
    /// `Some(None)` removes the bound.
    pub min: Option<Option<Money>>,
    pub max: Option<Option<Money>>,
    pub enabled: Option<bool>,
    /// `Some(None)` makes the method manual again.
    #[serde(default)]
    pub provider: Option<Option<Provider>>,
}

impl MethodEdit {
    pub fn apply(self, mut m: PaymentMethod) -> PaymentMethod {
        if let Some(v) = self.label {
            m.label = v;
        }
        if let Some(v) = self.kind {
            m.kind = v;
        }
        if let Some(v) = self.instructions {
            m.instructions = v;
        }
        if let Some(v) = self.min {
            m.min = v;
        }
        if let Some(v) = self.max {
            m.max = v;
        }
        if let Some(v) = self.enabled {
            m.enabled = v;
        }
        if let Some(v) = self.provider {
            m.provider = v;
        }
        m
    }
}
