//! Orders: what was bought, at which price, and where it stands. The data lives here; the rules
//! of how it moves are in [`crate::machine`].

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::ids::{MethodId, OrderId, ServerId, SubscriptionId, UserId};
use crate::payment::{Difference, FlaggedPayment, ReceivedPayment};
use crate::plan::{Plan, TrafficLimit};
use crate::policy::{MethodOffers, ServerChoice};
use crate::quote::Quote;
use crate::subscription::AccessLink;

/// A new subscription, or more time on an existing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OrderKind {
    New,
    Renewal { subscription: SubscriptionId },
}

/// An order: the shared storage of the order state machine. Snapshots of the plan, the quote
/// and the offered methods keep it true to what the shopper saw, whatever changes later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: OrderId,
    pub shopper: UserId,
    pub kind: OrderKind,
    pub plan: Plan,
    pub quote: Quote,
    pub offers: MethodOffers,
    /// The shopper had no fulfilled order when this one opened (shown to reviewers).
    pub first_order: bool,
    pub preferred_region: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When an unpaid (still open) order times out.
    pub deadline: Timestamp,
    pub review: Option<Review>,
    /// What the last approval or retry asked the provisioner to do.
    pub provision: Option<ProvisionRequest>,
    /// How many events the order has seen; the next event log row gets this number.
    pub events: u32,
    /// When the retention job deleted the proof screenshot of this closed order (amounts, ids
    /// and the audit trail stay).
    #[serde(default)]
    pub purged_at: Option<Timestamp>,
    /// The automatic payment that paid the order (or that an admin approved), for the audit
    /// trail, the stats and the exports; `None` for a screenshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment: Option<ReceivedPayment>,
}

impl Order {
    pub fn code(&self) -> String {
        self.id.code()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    Approved,
    Declined,
}

impl fmt::Display for ReviewOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReviewOutcome::Approved => "approved",
            ReviewOutcome::Declined => "declined",
        })
    }
}

/// An admin's decision on a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub outcome: ReviewOutcome,
    pub by: UserId,
    pub at: Timestamp,
}

/// The screenshot a shopper uploaded. Its bytes are stored beside the order (Discord's
/// attachment URLs expire); this is what the machine needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proof {
    pub filename: String,
    pub content_type: String,
    pub size: u64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// An earlier order whose proof had the same bytes (flagged to reviewers).
    pub duplicate_of: Option<OrderId>,
}

/// The image types a proof may have.
pub const PROOF_CONTENT_TYPES: [&str; 4] = ["image/png", "image/jpeg", "image/webp", "image/gif"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionMode {
    /// Create the client (or find the one this order made before).
    Create,
    /// Renewal: new expiry and allowance on the existing client, enabled, traffic reset.
    Extend,
}

/// What the provisioner is asked to make true on a panel. Idempotent by `client_email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionRequest {
    pub order: OrderId,
    pub attempt: u32,
    pub subscription: SubscriptionId,
    pub server: ServerId,
    pub region: String,
    pub client_email: String,
    pub expires_at: Timestamp,
    pub traffic: TrafficLimit,
    pub device_limit: u32,
    pub mode: ProvisionMode,
    /// The plan's other servers: one more client on each, in the same group, with the same
    /// end, allowance and mode. The effect succeeds when every client exists.
    #[serde(default)]
    pub also: Vec<ClientTarget>,
}

/// One client of a group: which subscription, on which server, under which email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientTarget {
    pub subscription: SubscriptionId,
    pub server: ServerId,
    pub region: String,
    pub client_email: String,
}

impl ProvisionRequest {
    /// One request per client, the first (this one's own) first: what a provisioner, which
    /// talks to one panel at a time, is handed.
    pub fn parts(&self) -> Vec<ProvisionRequest> {
        let first = ProvisionRequest {
            also: Vec::new(),
            ..self.clone()
        };
        let rest = self.also.iter().map(|t| ProvisionRequest {
            subscription: t.subscription,
            server: t.server.clone(),
            region: t.region.clone(),
            client_email: t.client_email.clone(),
            also: Vec::new(),
            ..self.clone()
        });
        std::iter::once(first).chain(rest).collect()
    }

    /// The group the clients form when there are several (the first subscription's id).
    pub fn group(&self) -> Option<SubscriptionId> {
        (!self.also.is_empty()).then_some(self.subscription)
    }
}

/// Where an approval (or retry) provisions: prepared by the shop before the event is handled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionTarget {
    pub choice: ServerChoice,
    pub region: String,
    pub subscription: SubscriptionId,
    pub client_email: String,
    /// The subscription's current end, for a renewal.
    pub current_end: Option<Timestamp>,
    /// The plan's other servers (or, for a renewal, the group's other clients).
    #[serde(default)]
    pub also: Vec<ClientTarget>,
}

/// Where the shop proposes to provision, decided before the event is handled (server selection
/// is a policy call, which the pure machine cannot make).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Placement {
    Target { target: ProvisionTarget },
    NoServer { reason: String },
}

/// What the provisioner reports back: the client exists and this is how to reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionedAccess {
    pub access: AccessLink,
    /// The same access through the server's other addresses (its panel's external proxies).
    #[serde(default)]
    pub alternatives: Vec<AccessLink>,
    pub subscription_url: Option<AccessLink>,
    pub expires_at: Timestamp,
}

/// The order's states. Names are explicit because they are stored and indexed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state")]
pub enum State {
    #[serde(rename = "awaiting_method")]
    AwaitingMethod,
    #[serde(rename = "awaiting_proof")]
    AwaitingProof { method: MethodId },
    /// An admin reviews a screenshot, or an automatic payment that differs from the order.
    #[serde(rename = "under_review")]
    UnderReview {
        method: MethodId,
        #[serde(default)]
        proof: Option<Proof>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payment: Option<Box<FlaggedPayment>>,
    },
    #[serde(rename = "provisioning")]
    Provisioning { server: ServerId, attempt: u32 },
    #[serde(rename = "fulfilled")]
    Fulfilled { subscription: SubscriptionId },
    #[serde(rename = "declined")]
    Declined { reason: String, by: UserId },
    #[serde(rename = "cancelled")]
    Cancelled { by: Actor },
    #[serde(rename = "timed_out")]
    TimedOut,
    #[serde(rename = "failed")]
    Failed { error: String, attempts: u32 },
}

/// A state without its data: what the state index and the lists are kept by, so that no
/// adapter compares states by their names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    AwaitingMethod,
    AwaitingProof,
    UnderReview,
    Provisioning,
    Fulfilled,
    Declined,
    Cancelled,
    TimedOut,
    Failed,
}

impl StateKind {
    /// Every state, in the order of the design's table.
    pub const ALL: [StateKind; 9] = [
        StateKind::AwaitingMethod,
        StateKind::AwaitingProof,
        StateKind::UnderReview,
        StateKind::Provisioning,
        StateKind::Fulfilled,
        StateKind::Declined,
        StateKind::Cancelled,
        StateKind::TimedOut,
        StateKind::Failed,
    ];

    /// The stored name (the same as the serde tag).
    pub fn name(self) -> &'static str {
        match self {
            StateKind::AwaitingMethod => "awaiting_method",
            StateKind::AwaitingProof => "awaiting_proof",
            StateKind::UnderReview => "under_review",
            StateKind::Provisioning => "provisioning",
            StateKind::Fulfilled => "fulfilled",
            StateKind::Declined => "declined",
            StateKind::Cancelled => "cancelled",
            StateKind::TimedOut => "timed_out",
            StateKind::Failed => "failed",
        }
    }

    /// How the state reads in an English sentence ("this order is under review"); the bot
    /// words it per language from the state itself.
    pub fn describe(self) -> &'static str {
        match self {
            StateKind::AwaitingMethod => "waiting for a payment method",
            StateKind::AwaitingProof => "waiting for proof of payment",
            StateKind::UnderReview => "under review",
            StateKind::Provisioning => "being set up",
            StateKind::Fulfilled => "fulfilled",
            StateKind::Declined => "declined",
            StateKind::Cancelled => "cancelled",
            StateKind::TimedOut => "timed out",
            StateKind::Failed => "failed",
        }
    }
}

impl State {
    pub fn kind(&self) -> StateKind {
        match self {
            State::AwaitingMethod => StateKind::AwaitingMethod,
            State::AwaitingProof { .. } => StateKind::AwaitingProof,
            State::UnderReview { .. } => StateKind::UnderReview,
            State::Provisioning { .. } => StateKind::Provisioning,
            State::Fulfilled { .. } => StateKind::Fulfilled,
            State::Declined { .. } => StateKind::Declined,
            State::Cancelled { .. } => StateKind::Cancelled,
            State::TimedOut => StateKind::TimedOut,
            State::Failed { .. } => StateKind::Failed,
        }
    }

    /// The stored name (the same as the serde tag).
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// How the state reads in a sentence ("this order is awaiting payment").
    pub fn describe(&self) -> &'static str {
        self.kind().describe()
    }

    /// Nothing more will happen to the order: fulfilled, declined, cancelled or timed out
    /// (a failed order still waits for a retry).
    pub fn is_closed(&self) -> bool {
        matches!(
            self,
            State::Fulfilled { .. }
                | State::Declined { .. }
                | State::Cancelled { .. }
                | State::TimedOut
        )
    }

    /// `AwaitingMethod` and `AwaitingProof`: the superstate `Open` (cancellable, times out).
    pub fn is_open(&self) -> bool {
        matches!(self, State::AwaitingMethod | State::AwaitingProof { .. })
    }
}

/// Something that happens to an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    ChooseMethod {
        method: MethodId,
    },
    SubmitProof {
        proof: Proof,
    },
    Approve {
        placement: Placement,
    },
    Decline {
        reason: String,
    },
    Cancel,
    Timeout,
    Provisioned {
        attempt: u32,
        access: ProvisionedAccess,
        /// How to reach the request's other clients, in its order.
        #[serde(default)]
        also: Vec<ProvisionedAccess>,
    },
    ProvisionFailed {
        attempt: u32,
        error: String,
    },
    Retry {
        placement: Placement,
    },
    /// A payment an adapter verified with its provider. Exact (`differences` empty): the
    /// order is paid and provisioned at `placement`; otherwise it goes to an admin.
    PaymentReceived {
        payment: ReceivedPayment,
        differences: Vec<Difference>,
        placement: Option<Placement>,
    },
    /// A trial, just opened, starts at `placement`: it has no payment step (from the System,
    /// in the transaction that opens it).
    StartTrial {
        placement: Placement,
    },
}

/// Every event name, for tables and audit actions.
pub const EVENT_NAMES: [&str; 11] = [
    "choose_method",
    "submit_proof",
    "approve",
    "decline",
    "cancel",
    "timeout",
    "provisioned",
    "provision_failed",
    "retry",
    "payment_received",
    "start_trial",
];

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::ChooseMethod { .. } => "choose_method",
            Event::SubmitProof { .. } => "submit_proof",
            Event::Approve { .. } => "approve",
            Event::Decline { .. } => "decline",
            Event::Cancel => "cancel",
            Event::Timeout => "timeout",
            Event::Provisioned { .. } => "provisioned",
            Event::ProvisionFailed { .. } => "provision_failed",
            Event::Retry { .. } => "retry",
            Event::PaymentReceived { .. } => "payment_received",
            Event::StartTrial { .. } => "start_trial",
        }
    }

    /// How the event reads after "it cannot ...".
    pub fn verb(&self) -> &'static str {
        match self {
            Event::ChooseMethod { .. } => "take a payment method",
            Event::SubmitProof { .. } => "take a proof of payment",
            Event::Approve { .. } => "be approved",
            Event::Decline { .. } => "be declined",
            Event::Cancel => "be cancelled",
            Event::Timeout => "time out",
            Event::Provisioned { .. } => "be marked provisioned",
            Event::ProvisionFailed { .. } => "be marked failed",
            Event::Retry { .. } => "be retried",
            Event::PaymentReceived { .. } => "take a payment",
            Event::StartTrial { .. } => "start as a trial",
        }
    }
}

/// An event with who sent it and when: everything a handler may know about the outside world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub at: Timestamp,
    pub actor: Actor,
    pub event: Event,
}
