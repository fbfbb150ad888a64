//! Effects: what the engine asks the outside world to do. A decision writes them to the outbox in
//! the same transaction; the outbox worker hands them to the executors afterwards.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{BroadcastId, MethodId, OrderId, ServerId, SubscriptionId, UserId};
use crate::order::{Order, OrderKind, Proof, ProvisionRequest, ReviewOutcome};
use crate::payment::{CheckoutRequest, Difference, FlaggedPayment, Provider};
use crate::plan::TrafficLimit;
use crate::policy::MethodOffer;
use crate::quote::Quote;
use crate::subscription::AccessLink;

/// Which executor carries an effect out. Effects of one order run in order within a lane; the
/// lanes do not wait for each other (a slow panel does not hold up Discord messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lane {
    Discord,
    Provisioning,
    /// Opening invoices and checkout sessions with payment providers.
    Payments,
}

impl Lane {
    pub fn key(self) -> u8 {
        match self {
            Lane::Discord => 0,
            Lane::Provisioning => 1,
            Lane::Payments => 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "lane", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // Short-lived values; boxing would only add noise.
pub enum Effect {
    Discord {
        effect: DiscordEffect,
    },
    Provision {
        request: ProvisionRequest,
    },
    /// Disable or delete an existing client (expiry, used-up traffic, the grace period).
    Panel {
        op: PanelOp,
    },
    /// Create a subscription's client on another server (its own is drained, removed or down
    /// too long); the result retires the old subscription and deletes its client.
    Move {
        from: SubscriptionId,
        request: ProvisionRequest,
    },
    /// Open an invoice or checkout session for an order with its payment provider (found
    /// again, not opened twice, when the effect runs again).
    Checkout {
        request: CheckoutRequest,
    },
}

/// A change to a client that exists on a panel. Idempotent: disabling a disabled client or
/// deleting a deleted one succeeds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelOp {
    pub subscription: SubscriptionId,
    pub server: ServerId,
    pub client_email: String,
    pub action: PanelAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelAction {
    Disable,
    Delete,
    /// Zero the client's traffic counter and enable it (an admin's traffic reset).
    ResetTraffic,
}

impl Effect {
    pub fn lane(&self) -> Lane {
        match self {
            Effect::Discord { .. } => Lane::Discord,
            Effect::Provision { .. } | Effect::Panel { .. } | Effect::Move { .. } => {
                Lane::Provisioning
            }
            Effect::Checkout { .. } => Lane::Payments,
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Effect::Discord { effect } => effect.name(),
            Effect::Provision { .. } => "provision",
            Effect::Move { .. } => "move_client",
            Effect::Checkout { .. } => "open_checkout",
            Effect::Panel { op } => match op.action {
                PanelAction::Disable => "disable_client",
                PanelAction::Delete => "delete_client",
                PanelAction::ResetTraffic => "reset_client_traffic",
            },
        }
    }

    /// Which stream of its lane the effect runs in: effects of one order (or one subscription)
    /// run in order.
    pub fn stream(&self) -> u128 {
        match self {
            Effect::Panel { op } => op.subscription.key(),
            Effect::Move { from, .. } => from.key(),
            // A broadcast's DMs go one at a time, in their own stream, so that a large one
            // neither floods Discord nor holds up the shop's other messages.
            Effect::Discord {
                effect: DiscordEffect::BroadcastDm { broadcast, .. },
            } => broadcast.key(),
            other => other.order().map_or(0, OrderId::key),
        }
    }

    /// The order the effect belongs to (its stream in the outbox).
    pub fn order(&self) -> Option<OrderId> {
        match self {
            Effect::Provision { request } => Some(request.order),
            Effect::Checkout { request } => Some(request.order),
            Effect::Discord { effect } => effect.order(),
            Effect::Panel { .. } | Effect::Move { .. } => None,
        }
    }
}

impl From<DiscordEffect> for Effect {
    fn from(effect: DiscordEffect) -> Self {
        Effect::Discord { effect }
    }
}

/// What a shopper or reviewer needs to see of an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderSummary {
    pub id: OrderId,
    pub code: String,
    pub shopper: UserId,
    pub kind: OrderKind,
    pub plan_name: String,
    pub duration_days: u32,
    pub traffic: TrafficLimit,
    pub device_limit: u32,
    pub quote: Quote,
    pub first_order: bool,
    /// A trial: free, no payment step, provisioned as it opens.
    #[serde(default)]
    pub trial: bool,
}

impl OrderSummary {
    pub fn of(order: &Order) -> Self {
        OrderSummary {
            id: order.id,
            code: order.code(),
            shopper: order.shopper,
            kind: order.kind,
            plan_name: order.plan.name.clone(),
            duration_days: order.plan.duration_days,
            traffic: order.plan.traffic,
            device_limit: order.plan.device_limit,
            quote: order.quote.clone(),
            first_order: order.first_order,
            trial: order.plan.trial.is_some(),
        }
    }
}

/// What the shopper is told when their order moves without them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum Notice {
    UnderReview,
    Declined {
        reason: String,
    },
    Cancelled {
        by_admin: bool,
    },
    TimedOut,
    /// Payment approved, but creating the access failed; admins are on it.
    ProvisioningDelayed,
    /// An automatic payment arrived and paid the order; the access is being set up.
    PaymentReceived {
        provider: Provider,
    },
    /// An automatic payment arrived but differs from the order; an admin will look at it.
    PaymentNeedsReview {
        provider: Provider,
        differences: Vec<Difference>,
    },
}

/// A message for the admins, in the review channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// In English: the log's wording, and all there is for alerts stored before kinds.
    pub message: String,
    /// What it is about, for the adapters to word in the reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<crate::alert::AlertKind>,
    pub order: Option<OrderId>,
    /// Offer a Retry button (a failed provisioning).
    pub retry: bool,
}

impl Alert {
    /// An alert of `kind`, its English message written from it.
    pub fn about(kind: crate::alert::AlertKind, order: Option<OrderId>, retry: bool) -> Alert {
        Alert {
            message: kind.to_string(),
            kind: Some(kind),
            order,
            retry,
        }
    }
}

/// Everything the shopper gets when an order is fulfilled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessDetails {
    pub subscription: SubscriptionId,
    pub plan_name: String,
    pub server: ServerId,
    pub region: String,
    pub expires_at: Timestamp,
    pub traffic: TrafficLimit,
    pub device_limit: u32,
    pub link: AccessLink,
    /// The same access through the server's other addresses.
    #[serde(default)]
    pub alternatives: Vec<AccessLink>,
    pub subscription_url: Option<AccessLink>,
    pub renewal: bool,
    /// The plan's other servers, one link each (the personal subscription URL holds them all).
    #[serde(default)]
    pub also: Vec<ServerLink>,
}

/// A client on one more server of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerLink {
    pub server: ServerId,
    pub region: String,
    pub link: AccessLink,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum DiscordEffect {
    /// A private channel for the order, with its summary, the method buttons and Cancel.
    OpenOrderChannel {
        order: OrderSummary,
        methods: Vec<MethodOffer>,
    },
    ShowPaymentInstructions {
        order: OrderId,
        shopper: UserId,
        method: MethodId,
        label: String,
        instructions: String,
        /// Paid automatically through this provider (a checkout link follows, or a TRON
        /// transaction id is asked for).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provider: Option<Provider>,
    },
    /// A screenshot to review, or an automatic payment that differs from the order.
    RequestReview {
        order: OrderSummary,
        method: MethodId,
        method_label: String,
        proof: Option<Proof>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payment: Option<Box<FlaggedPayment>>,
    },
    /// The order was paid automatically while its review was open: the review message says
    /// so and loses its buttons.
    ReviewPaid {
        order: OrderId,
        provider: Provider,
    },
    /// Where the shopper pays: the provider's checkout page for the order.
    ShowCheckout {
        order: OrderId,
        shopper: UserId,
        label: String,
        amount: crate::money::Money,
        url: String,
    },
    /// The review message shows the decision and loses its buttons.
    CloseReview {
        order: OrderId,
        outcome: ReviewOutcome,
        by: UserId,
    },
    DeliverAccess {
        order: OrderId,
        shopper: UserId,
        access: AccessDetails,
    },
    NotifyShopper {
        order: OrderId,
        shopper: UserId,
        notice: Notice,
    },
    CloseOrderChannel {
        order: OrderId,
    },
    AlertAdmins {
        alert: Alert,
    },
    /// The catalogue changed: edit the shop panel.
    RefreshPanel,
    /// Tell a subscriber how their subscription is doing (by DM; reminders carry Renew).
    NotifySubscriber {
        shopper: UserId,
        subscription: SubscriptionId,
        plan_name: String,
        notice: SubscriptionNotice,
    },
    /// One DM of a broadcast (its text is the broadcast's, read when it runs), with the
    /// opt-out button; skipped for a shopper who opted out since.
    BroadcastDm {
        broadcast: BroadcastId,
        shopper: UserId,
    },
    /// Post or edit the admin's progress message of a broadcast (sent, failed, left).
    BroadcastProgress {
        broadcast: BroadcastId,
    },
}

/// What a subscriber is told without asking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "notice", rename_all = "snake_case")]
pub enum SubscriptionNotice {
    /// The end is near (sent once per lead time and period), with a Renew button.
    EndingSoon { expires_at: Timestamp },
    /// The period ended; the client is disabled until renewed.
    Expired { expires_at: Timestamp },
    /// Usage passed a share of the allowance (80 or 100 percent; 100 suspends).
    Traffic {
        percent: u8,
        used_bytes: u64,
        limit_bytes: u64,
    },
    /// A new device was refused: the subscription's devices are all in use.
    DeviceLimit { limit: u32, model: String },
    /// The client moved to another server (its own was drained, removed or down too long);
    /// the personal subscription URL follows by itself.
    Moved {
        from_region: String,
        to_region: String,
    },
}

impl DiscordEffect {
    pub fn name(&self) -> &'static str {
        match self {
            DiscordEffect::OpenOrderChannel { .. } => "open_order_channel",
            DiscordEffect::ShowPaymentInstructions { .. } => "show_payment_instructions",
            DiscordEffect::RequestReview { .. } => "request_review",
            DiscordEffect::CloseReview { .. } => "close_review",
            DiscordEffect::ReviewPaid { .. } => "review_paid",
            DiscordEffect::ShowCheckout { .. } => "show_checkout",
            DiscordEffect::DeliverAccess { .. } => "deliver_access",
            DiscordEffect::NotifyShopper { .. } => "notify_shopper",
            DiscordEffect::CloseOrderChannel { .. } => "close_order_channel",
            DiscordEffect::AlertAdmins { .. } => "alert_admins",
            DiscordEffect::RefreshPanel => "refresh_panel",
            DiscordEffect::NotifySubscriber { .. } => "notify_subscriber",
            DiscordEffect::BroadcastDm { .. } => "broadcast_dm",
            DiscordEffect::BroadcastProgress { .. } => "broadcast_progress",
        }
    }

    pub fn order(&self) -> Option<OrderId> {
        match self {
            DiscordEffect::OpenOrderChannel { order, .. }
            | DiscordEffect::RequestReview { order, .. } => Some(order.id),
            DiscordEffect::ShowPaymentInstructions { order, .. }
            | DiscordEffect::CloseReview { order, .. }
            | DiscordEffect::ReviewPaid { order, .. }
            | DiscordEffect::ShowCheckout { order, .. }
            | DiscordEffect::DeliverAccess { order, .. }
            | DiscordEffect::NotifyShopper { order, .. }
            | DiscordEffect::CloseOrderChannel { order } => Some(*order),
            DiscordEffect::AlertAdmins { alert } => alert.order,
            DiscordEffect::RefreshPanel
            | DiscordEffect::NotifySubscriber { .. }
            | DiscordEffect::BroadcastDm { .. }
            | DiscordEffect::BroadcastProgress { .. } => None,
        }
    }
}

/// An effect and the earliest time it may run (`None`: as soon as the transaction commits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheduled {
    pub effect: Effect,
    pub not_before: Option<Timestamp>,
}

impl Scheduled {
    pub fn now(effect: impl Into<Effect>) -> Self {
        Scheduled {
            effect: effect.into(),
            not_before: None,
        }
    }

    pub fn at(effect: impl Into<Effect>, when: Timestamp) -> Self {
        Scheduled {
            effect: effect.into(),
            not_before: Some(when),
        }
    }
}

impl From<DiscordEffect> for Scheduled {
    fn from(effect: DiscordEffect) -> Self {
        Scheduled::now(effect)
    }
}
