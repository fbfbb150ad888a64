//! The three decisions operators may change at runtime, as the engine sees them.
//!
//! The policy proposes, the engine disposes: pricing proposes adjustments (the engine keeps the
//! price at zero or above), payment methods proposes operations over the ids the engine supplied
//! (unknown ids are refused), server selection ranks the candidates the engine passed in (the
//! engine takes the first one that is really a healthy candidate with room). The wasm host in
//! `nebula-plugins` implements [`Policies`]; [`NativePolicies`] is the same idea in plain Rust,
//! for tests and as the built-in fallback ranking.

use std::collections::HashMap;
use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{MethodId, ServerId, UserId};
use crate::money::Money;
use crate::payment_method::{MethodKind, PaymentMethod, validate_template, within_bounds};
use crate::plan::Plan;
use crate::quote::Adjustment;
use crate::server::ServerStatus;

/// Which policy made a decision, so any price or choice can be explained and replayed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PolicyStamp {
    /// The policy's name (`pricing-default`).
    pub name: String,
    /// The sha256 of the policy's bytes (hex), or `native` for built-in Rust.
    pub hash: String,
    /// Fuel the call used (0 for native code).
    pub fuel: u64,
    /// Digest of the operator's config the call saw (see [`config_digest`]); empty for none.
    #[serde(default)]
    pub config: String,
}

impl PolicyStamp {
    pub fn native(name: &str) -> Self {
        PolicyStamp {
            name: name.to_owned(),
            hash: "native".to_owned(),
            fuel: 0,
            config: String::new(),
        }
    }
}

/// An operator's settings for one policy: key/value pairs, in the order given.
pub type PolicyConfig = Vec<(String, String)>;

/// A stable digest of a config (hex SHA-256 of its canonical JSON), to find it again on replay.
pub fn config_digest(config: &PolicyConfig) -> String {
    let canonical = serde_json::to_vec(config).expect("pairs of strings serialise");
    nebula_common::hex_sha256(canonical)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyKind {
    Pricing,
    PaymentMethods,
    ServerSelection,
}

impl PolicyKind {
    pub const ALL: [PolicyKind; 3] = [
        PolicyKind::Pricing,
        PolicyKind::PaymentMethods,
        PolicyKind::ServerSelection,
    ];

    /// The stored name (the same as the serde name and the WIT world).
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Pricing => "pricing",
            PolicyKind::PaymentMethods => "payment-methods",
            PolicyKind::ServerSelection => "server-selection",
        }
    }

    pub fn key(self) -> u8 {
        match self {
            PolicyKind::Pricing => 0,
            PolicyKind::PaymentMethods => 1,
            PolicyKind::ServerSelection => 2,
        }
    }
}

impl std::str::FromStr for PolicyKind {
    type Err = crate::error::Invalid;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PolicyKind::ALL
            .into_iter()
            .find(|k| k.name() == s.trim())
            .ok_or_else(|| {
                crate::error::Invalid::new(
                    "kind",
                    "must be pricing, payment-methods or server-selection",
                )
            })
    }
}

impl fmt::Display for PolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A policy that could not decide (trapped, ran out of fuel, answered nonsense).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {kind} policy failed ({policy_hash}): {message}")]
pub struct PolicyError {
    pub kind: PolicyKind,
    pub policy_hash: String,
    pub failure: PolicyFailure,
    pub message: String,
}

/// How a policy failed, for telling admins once per kind of failure rather than per call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyFailure {
    /// No version of the policy is live.
    NotLoaded,
    /// It ran out of fuel, time, stack, or input/output room.
    OverLimit,
    /// It trapped (a panic in the guest, an unreachable).
    Trapped,
    /// It answered something the engine cannot use.
    BadOutput,
    /// It could not be started.
    Instantiate,
}

impl PolicyFailure {
    pub fn name(self) -> &'static str {
        match self {
            PolicyFailure::NotLoaded => "not_loaded",
            PolicyFailure::OverLimit => "over_limit",
            PolicyFailure::Trapped => "trapped",
            PolicyFailure::BadOutput => "bad_output",
            PolicyFailure::Instantiate => "instantiate",
        }
    }
}

/// What pricing and payment-method policies know about a shopper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopperProfile {
    pub id: UserId,
    /// Orders of this shopper that were fulfilled.
    pub paid_orders: u32,
    /// When the shopper first opened an order (`None` for a first-time visitor).
    pub first_seen: Option<Timestamp>,
    /// The shopper's Discord role ids, as the adapter saw them.
    pub roles: Vec<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purchase {
    New,
    Renewal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingInput {
    pub plan: Plan,
    pub shopper: ShopperProfile,
    pub coupon: Option<String>,
    pub purchase: Purchase,
    pub now: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PricingOutcome {
    Adjust { adjustments: Vec<Adjustment> },
    Reject { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingDecision {
    pub outcome: PricingOutcome,
    pub stamp: PolicyStamp,
}

/// A method as the payment-methods policy sees it (no instructions: it may only replace them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodSummary {
    pub id: MethodId,
    pub label: String,
    pub kind: MethodKind,
    pub min: Option<Money>,
    pub max: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodsInput {
    pub plan: Plan,
    pub price: Money,
    pub shopper: ShopperProfile,
    pub methods: Vec<MethodSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum MethodOp {
    Hide {
        id: MethodId,
    },
    Rename {
        id: MethodId,
        label: String,
    },
    /// Moves the method to `position` (0 is first) in the list as it stands after earlier ops.
    Move {
        id: MethodId,
        position: u32,
    },
    ReplaceInstructions {
        id: MethodId,
        instructions: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodsDecision {
    pub ops: Vec<MethodOp>,
    pub stamp: PolicyStamp,
}

/// A method as offered on one order, after the policy's operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodOffer {
    pub id: MethodId,
    pub label: String,
    pub kind: MethodKind,
    /// The template; `{amount}` and `{order}` are filled in when the shopper picks it.
    pub instructions: String,
    /// Paid automatically through this provider (from the catalogue; a policy cannot change it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<crate::payment::Provider>,
}

/// The methods an order offers, with the policy that chose them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodOffers {
    pub methods: Vec<MethodOffer>,
    pub policy: PolicyStamp,
}

/// Applies a payment-methods decision to the enabled methods; fails closed on an unknown id or
/// an invalid replacement template.
pub fn apply_method_ops(
    methods: &[PaymentMethod],
    decision: MethodsDecision,
) -> Result<MethodOffers, PolicyError> {
    let fail = |message: String| PolicyError {
        kind: PolicyKind::PaymentMethods,
        policy_hash: decision.stamp.hash.clone(),
        failure: PolicyFailure::BadOutput,
        message,
    };
    let mut offers: Vec<MethodOffer> = methods
        .iter()
        .map(|m| MethodOffer {
            id: m.id.clone(),
            label: m.label.clone(),
            kind: m.kind,
            instructions: m.instructions.clone(),
            provider: m.provider,
        })
        .collect();
    let known = |id: &MethodId| methods.iter().any(|m| &m.id == id);
    for op in &decision.ops {
        let id = match op {
            MethodOp::Hide { id }
            | MethodOp::Rename { id, .. }
            | MethodOp::Move { id, .. }
            | MethodOp::ReplaceInstructions { id, .. } => id,
        };
        if !known(id) {
            return Err(fail(format!("unknown method id {id}")));
        }
        let Some(at) = offers.iter().position(|o| &o.id == id) else {
            continue; // Already hidden: later ops on it are moot.
        };
        match op {
            MethodOp::Hide { .. } => {
                offers.remove(at);
            }
            MethodOp::Rename { label, .. } => {
                if label.trim().is_empty() || label.chars().count() > 80 {
                    return Err(fail(format!("bad label for {id}")));
                }
                offers[at].label = label.clone();
            }
            MethodOp::Move { position, .. } => {
                let offer = offers.remove(at);
                let to = (*position as usize).min(offers.len());
                offers.insert(to, offer);
            }
            MethodOp::ReplaceInstructions { instructions, .. } => {
                validate_template(instructions)
                    .map_err(|e| fail(format!("bad instructions for {id}: {e}")))?;
                offers[at].instructions = instructions.clone();
            }
        }
    }
    Ok(MethodOffers {
        methods: offers,
        policy: decision.stamp,
    })
}

/// A server the engine offers to server selection: up, with room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub id: ServerId,
    pub region: String,
    pub capacity: u32,
    pub active_clients: u32,
    pub status: ServerStatus,
    /// Active clients per thousand of capacity.
    pub load_permille: u32,
    pub tags: Vec<String>,
}

impl Candidate {
    pub fn has_room(&self) -> bool {
        self.status == ServerStatus::Up && self.active_clients < self.capacity
    }

    /// One more client placed on it: its count and load as the next choice should see them.
    pub fn take_slot(&mut self) {
        self.active_clients += 1;
        self.load_permille = load_permille(self.active_clients, self.capacity);
    }
}

/// `taken` of `capacity` slots, in thousandths (at most 1000).
pub fn load_permille(taken: u32, capacity: u32) -> u32 {
    (u64::from(taken) * 1000 / u64::from(capacity.max(1))).min(1000) as u32
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionInput {
    pub plan: Plan,
    pub preferred_region: Option<String>,
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    pub id: ServerId,
    pub weight: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SelectionOutcome {
    Ranked { servers: Vec<Ranked> },
    NoServer { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionDecision {
    pub outcome: SelectionOutcome,
    pub stamp: PolicyStamp,
}

/// The server an order was given, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerChoice {
    pub server: ServerId,
    pub policy: PolicyStamp,
    /// True when the policy failed and the built-in ranking chose.
    pub fallback: bool,
}

/// The engine's side of server selection: the first ranked id that is a candidate with room.
/// `Err` carries the reason when nothing is usable.
pub fn choose_server(
    candidates: &[Candidate],
    decision: &SelectionDecision,
) -> Result<ServerId, String> {
    choose_servers(candidates, decision, 1, false).map(|mut ids| ids.remove(0))
}

/// The first `count` distinct ranked ids that are candidates with room, in ranking order;
/// with `spread`, one per region before any region gets a second. `Err` carries the reason
/// when fewer are usable.
pub fn choose_servers(
    candidates: &[Candidate],
    decision: &SelectionDecision,
    count: usize,
    spread: bool,
) -> Result<Vec<ServerId>, String> {
    let servers = match &decision.outcome {
        SelectionOutcome::NoServer { reason } => return Err(reason.clone()),
        SelectionOutcome::Ranked { servers } => servers,
    };
    let mut usable: Vec<&Candidate> = Vec::new();
    for r in servers {
        if let Some(c) = candidates.iter().find(|c| c.id == r.id && c.has_room())
            && !usable.iter().any(|u| u.id == c.id)
        {
            usable.push(c);
        }
    }
    let mut chosen: Vec<&Candidate> = Vec::new();
    if spread {
        for c in &usable {
            if chosen.len() < count && !chosen.iter().any(|p| p.region == c.region) {
                chosen.push(c);
            }
        }
    }
    for c in &usable {
        if chosen.len() < count && !chosen.iter().any(|p| p.id == c.id) {
            chosen.push(c);
        }
    }
    match chosen.len() {
        0 => Err("the policy ranked no server that is up and has room".to_owned()),
        n if n < count => Err(format!(
            "the plan needs {count} servers, but only {n} ranked are up with room"
        )),
        _ => Ok(chosen.into_iter().map(|c| c.id.clone()).collect()),
    }
}

/// The built-in ranking: servers with room, the preferred region first, then least loaded.
/// Server selection falls back to it when its policy fails.
pub fn least_loaded(input: &SelectionInput) -> SelectionOutcome {
    let mut usable: Vec<&Candidate> = input.candidates.iter().filter(|c| c.has_room()).collect();
    if usable.is_empty() {
        return SelectionOutcome::NoServer {
            reason: "every server is down, draining or full".into(),
        };
    }
    let preferred = |c: &Candidate| input.preferred_region.as_deref() == Some(c.region.as_str());
    usable.sort_by(|a, b| {
        preferred(b)
            .cmp(&preferred(a))
            .then(a.load_permille.cmp(&b.load_permille))
            .then(a.id.cmp(&b.id))
    });
    SelectionOutcome::Ranked {
        servers: usable
            .into_iter()
            .map(|c| Ranked {
                id: c.id.clone(),
                weight: 1000 - c.load_permille.min(1000),
            })
            .collect(),
    }
}

/// The decisions an operator can change at runtime.
pub trait Policies: Send + Sync {
    fn price(&self, input: &PricingInput) -> Result<PricingDecision, PolicyError>;
    fn payment_methods(&self, input: &MethodsInput) -> Result<MethodsDecision, PolicyError>;
    fn select_server(&self, input: &SelectionInput) -> Result<SelectionDecision, PolicyError>;
}

/// A coupon for [`NativePolicies`]: a percentage off the base price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    pub percent_off: u32,
    pub valid_until: Option<Timestamp>,
}

/// The policies in plain Rust: base price with optional percentage coupons, methods filtered by
/// their min/max, least-loaded server ranking.
#[derive(Debug, Clone, Default)]
pub struct NativePolicies {
    pub coupons: HashMap<String, Coupon>,
}

impl NativePolicies {
    pub fn with_coupon(mut self, code: &str, coupon: Coupon) -> Self {
        self.coupons.insert(code.to_ascii_uppercase(), coupon);
        self
    }
}

impl Policies for NativePolicies {
    fn price(&self, input: &PricingInput) -> Result<PricingDecision, PolicyError> {
        let stamp = PolicyStamp::native("pricing-native");
        let Some(code) = &input.coupon else {
            return Ok(PricingDecision {
                outcome: PricingOutcome::Adjust {
                    adjustments: vec![],
                },
                stamp,
            });
        };
        let outcome = match self.coupons.get(&code.to_ascii_uppercase()) {
            None => PricingOutcome::Reject {
                reason: format!("unknown coupon {code}"),
            },
            Some(c) if c.valid_until.is_some_and(|until| input.now > until) => {
                PricingOutcome::Reject {
                    reason: format!("coupon {code} has expired"),
                }
            }
            Some(c) => {
                let off = input.plan.price.minor * i64::from(c.percent_off.min(100)) / 100;
                PricingOutcome::Adjust {
                    adjustments: vec![Adjustment {
                        label: format!("Coupon {code} (-{}%)", c.percent_off),
                        amount: Money::new(-off, input.plan.price.currency),
                    }],
                }
            }
        };
        Ok(PricingDecision { outcome, stamp })
    }

    fn payment_methods(&self, input: &MethodsInput) -> Result<MethodsDecision, PolicyError> {
        let ops = input
            .methods
            .iter()
            .filter(|m| !within_bounds(input.price, m.min, m.max))
            .map(|m| MethodOp::Hide { id: m.id.clone() })
            .collect();
        Ok(MethodsDecision {
            ops,
            stamp: PolicyStamp::native("payment-native"),
        })
    }

    fn select_server(&self, input: &SelectionInput) -> Result<SelectionDecision, PolicyError> {
        Ok(SelectionDecision {
            outcome: least_loaded(input),
            stamp: PolicyStamp::native("server-native"),
        })
    }
}

/// One decision a policy made for an order, with everything needed to replay it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Decision {
    Pricing {
        input: PricingInput,
        decision: PricingDecision,
    },
    PaymentMethods {
        input: MethodsInput,
        decision: MethodsDecision,
    },
    ServerSelection {
        input: SelectionInput,
        decision: SelectionDecision,
    },
}

impl Decision {
    pub fn kind(&self) -> PolicyKind {
        match self {
            Decision::Pricing { .. } => PolicyKind::Pricing,
            Decision::PaymentMethods { .. } => PolicyKind::PaymentMethods,
            Decision::ServerSelection { .. } => PolicyKind::ServerSelection,
        }
    }

    pub fn stamp(&self) -> &PolicyStamp {
        match self {
            Decision::Pricing { decision, .. } => &decision.stamp,
            Decision::PaymentMethods { decision, .. } => &decision.stamp,
            Decision::ServerSelection { decision, .. } => &decision.stamp,
        }
    }
}

/// A decision as the engine recorded it: for which order, at which event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRecord {
    pub order: crate::ids::OrderId,
    /// The order event the decision fed (0: the opening).
    pub seq: u32,
    pub at: Timestamp,
    pub decision: Decision,
}

/// A stored policy version: the bytes live beside it, keyed by the same sha256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub kind: PolicyKind,
    pub name: String,
    /// Hex SHA-256 of the policy's bytes.
    pub sha256: String,
    pub size: u64,
    pub installed_at: Timestamp,
    pub installed_by: crate::actor::Actor,
}

/// Which version of a policy kind is live, with the operator's config for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivePolicy {
    pub kind: PolicyKind,
    pub name: String,
    pub sha256: String,
    pub config: PolicyConfig,
    pub activated_at: Timestamp,
    pub activated_by: crate::actor::Actor,
}
