//! Between the engine's types and the WIT types of each world. Outputs are checked here: a
//! policy's answer that does not make sense (an id that is not an id, an empty label) is a
//! `BadOutput`, never a panic.

use nebula_engine::ids::{MethodId, ServerId};
use nebula_engine::money::{Currency, Money};
use nebula_engine::payment_method::MethodKind;
use nebula_engine::plan::Plan;
use nebula_engine::policy::{
    self as engine, MethodOp, MethodsInput, PolicyConfig, PricingInput, PricingOutcome, Ranked,
    SelectionInput, SelectionOutcome, ShopperProfile,
};
use nebula_engine::quote::Adjustment;
use nebula_engine::server::ServerStatus;

use crate::bindings::{payment_methods as pm, pricing as pr, server_selection as ss};
use crate::error::CallError;

/// The longest label or instructions a policy may propose.
const MAX_TEXT: usize = 2000;

macro_rules! shared_types {
    ($m:ident) => {
        impl From<Money> for $m::nebula::policy::types::Money {
            fn from(m: Money) -> Self {
                Self {
                    minor: m.minor,
                    currency: m.currency.code().to_owned(),
                }
            }
        }

        impl From<&Plan> for $m::nebula::policy::types::Plan {
            fn from(p: &Plan) -> Self {
                Self {
                    id: p.id.to_string(),
                    name: p.name.clone(),
                    duration_days: p.duration_days,
                    traffic_bytes: p.traffic.bytes(),
                    device_limit: p.device_limit,
                    price: p.price.into(),
                }
            }
        }
    };
}
shared_types!(pr);
shared_types!(pm);
shared_types!(ss);

fn ms(t: jiff::Timestamp) -> i64 {
    t.as_millisecond()
}

macro_rules! shopper {
    ($m:ident) => {
        impl From<&ShopperProfile> for $m::nebula::policy::types::Shopper {
            fn from(s: &ShopperProfile) -> Self {
                Self {
                    id: s.id.0,
                    paid_orders: s.paid_orders,
                    first_seen: s.first_seen.map(ms),
                    role_ids: s.roles.clone(),
                }
            }
        }
    };
}
shopper!(pr);
shopper!(pm);

fn text(s: &str, what: &str) -> Result<(), CallError> {
    if s.trim().is_empty() || s.chars().count() > MAX_TEXT {
        return Err(CallError::BadOutput(format!(
            "{what} must be 1 to {MAX_TEXT} characters"
        )));
    }
    Ok(())
}

// ---- pricing

pub fn pricing_input(
    input: &PricingInput,
    config: &PolicyConfig,
) -> pr::exports::nebula::policy::pricing_policy::PricingInput {
    use pr::exports::nebula::policy::pricing_policy::{PricingInput as W, Purchase};
    W {
        config: config.clone(),
        plan: (&input.plan).into(),
        shopper: (&input.shopper).into(),
        coupon: input.coupon.clone(),
        purchase: match input.purchase {
            engine::Purchase::New => Purchase::NewOrder,
            engine::Purchase::Renewal => Purchase::Renewal,
        },
        now: ms(input.now),
    }
}

pub fn pricing_outcome(
    out: pr::exports::nebula::policy::pricing_policy::PricingOutcome,
    currency: Currency,
) -> Result<PricingOutcome, CallError> {
    use pr::exports::nebula::policy::pricing_policy::PricingOutcome as W;
    Ok(match out {
        W::Reject(reason) => {
            text(&reason, "a rejection reason")?;
            PricingOutcome::Reject { reason }
        }
        W::Adjust(list) => PricingOutcome::Adjust {
            adjustments: list
                .into_iter()
                .map(|a| {
                    text(&a.label, "an adjustment label")?;
                    Ok(Adjustment {
                        label: a.label,
                        amount: Money::new(a.amount_minor, currency),
                    })
                })
                .collect::<Result<_, CallError>>()?,
        },
    })
}

pub fn pricing_output_size(
    out: &pr::exports::nebula::policy::pricing_policy::PricingOutcome,
) -> usize {
    use pr::exports::nebula::policy::pricing_policy::PricingOutcome as W;
    match out {
        W::Reject(r) => r.len(),
        W::Adjust(list) => list.iter().map(|a| a.label.len() + 16).sum(),
    }
}

// ---- payment methods

fn method_kind(k: MethodKind) -> pm::exports::nebula::policy::payment_methods_policy::MethodKind {
    use pm::exports::nebula::policy::payment_methods_policy::MethodKind as W;
    match k {
        MethodKind::BankTransfer => W::BankTransfer,
        MethodKind::MobileWallet => W::MobileWallet,
        MethodKind::Card => W::Card,
        MethodKind::Crypto => W::Crypto,
        MethodKind::Other => W::Other,
    }
}

pub fn methods_input(
    input: &MethodsInput,
    config: &PolicyConfig,
) -> pm::exports::nebula::policy::payment_methods_policy::MethodsInput {
    use pm::exports::nebula::policy::payment_methods_policy::{Method, MethodsInput as W};
    W {
        config: config.clone(),
        plan: (&input.plan).into(),
        price: input.price.into(),
        shopper: (&input.shopper).into(),
        methods: input
            .methods
            .iter()
            .map(|m| Method {
                id: m.id.to_string(),
                label: m.label.clone(),
                kind: method_kind(m.kind),
                min: m.min.map(Into::into),
                max: m.max.map(Into::into),
            })
            .collect(),
    }
}

fn method_id(id: &str) -> Result<MethodId, CallError> {
    MethodId::new(id).map_err(|e| CallError::BadOutput(e.to_string()))
}

pub fn method_ops(
    out: Vec<pm::exports::nebula::policy::payment_methods_policy::MethodOp>,
) -> Result<Vec<MethodOp>, CallError> {
    use pm::exports::nebula::policy::payment_methods_policy::MethodOp as W;
    out.into_iter()
        .map(|op| {
            Ok(match op {
                W::Hide(id) => MethodOp::Hide {
                    id: method_id(&id)?,
                },
                W::Rename(r) => {
                    text(&r.label, "a method label")?;
                    MethodOp::Rename {
                        id: method_id(&r.id)?,
                        label: r.label,
                    }
                }
                W::MoveTo(m) => MethodOp::Move {
                    id: method_id(&m.id)?,
                    position: m.position,
                },
                W::ReplaceInstructions(i) => {
                    text(&i.instructions, "instructions")?;
                    MethodOp::ReplaceInstructions {
                        id: method_id(&i.id)?,
                        instructions: i.instructions,
                    }
                }
            })
        })
        .collect()
}

pub fn methods_output_size(
    out: &[pm::exports::nebula::policy::payment_methods_policy::MethodOp],
) -> usize {
    use pm::exports::nebula::policy::payment_methods_policy::MethodOp as W;
    out.iter()
        .map(|op| {
            16 + match op {
                W::Hide(id) => id.len(),
                W::Rename(r) => r.id.len() + r.label.len(),
                W::MoveTo(m) => m.id.len(),
                W::ReplaceInstructions(i) => i.id.len() + i.instructions.len(),
            }
        })
        .sum()
}

// ---- server selection

pub fn selection_input(
    input: &SelectionInput,
    config: &PolicyConfig,
) -> ss::exports::nebula::policy::server_selection_policy::SelectionInput {
    use ss::exports::nebula::policy::server_selection_policy::{
        Candidate, Health, SelectionInput as W,
    };
    W {
        config: config.clone(),
        plan: (&input.plan).into(),
        preferred_region: input.preferred_region.clone(),
        candidates: input
            .candidates
            .iter()
            .map(|c| Candidate {
                id: c.id.to_string(),
                region: c.region.clone(),
                capacity: c.capacity,
                active_clients: c.active_clients,
                health: match c.status {
                    ServerStatus::Up => Health::Up,
                    ServerStatus::Down => Health::Down,
                    ServerStatus::Draining => Health::Draining,
                },
                load_permille: c.load_permille,
                tags: c.tags.clone(),
            })
            .collect(),
    }
}

pub fn selection_outcome(
    out: ss::exports::nebula::policy::server_selection_policy::SelectionOutcome,
) -> Result<SelectionOutcome, CallError> {
    use ss::exports::nebula::policy::server_selection_policy::SelectionOutcome as W;
    Ok(match out {
        W::NoServer(reason) => {
            text(&reason, "a reason")?;
            SelectionOutcome::NoServer { reason }
        }
        W::Ranked(list) => SelectionOutcome::Ranked {
            servers: list
                .into_iter()
                .map(|r| {
                    let id =
                        ServerId::new(r.id).map_err(|e| CallError::BadOutput(e.to_string()))?;
                    Ok(Ranked {
                        id,
                        weight: r.weight,
                    })
                })
                .collect::<Result<_, CallError>>()?,
        },
    })
}

pub fn selection_output_size(
    out: &ss::exports::nebula::policy::server_selection_policy::SelectionOutcome,
) -> usize {
    use ss::exports::nebula::policy::server_selection_policy::SelectionOutcome as W;
    match out {
        W::NoServer(r) => r.len(),
        W::Ranked(list) => list.iter().map(|r| r.id.len() + 16).sum(),
    }
}
