//! Subscriptions: one VPN client on one panel, bought by an order and extended by renewals.
//!
//! Its lifecycle is small and pure: `Active → Suspended` when the traffic is used up,
//! `→ Expired` at the end of the period, `→ Deleted` after the grace period. A renewal makes it
//! `Active` again with the same client and the same link.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::ids::{OrderId, ServerId, SubscriptionId, UserId};
use crate::plan::{Plan, TrafficLimit};

/// A secret the shopper connects with (a VLESS share link or subscription URL). It is stored,
/// and shown to its owner, but never printed: `Debug` and `Display` redact it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccessLink(String);

impl AccessLink {
    pub fn new(link: impl Into<String>) -> Self {
        AccessLink(link.into())
    }

    /// The link itself, for the one place that shows it to its owner.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessLink(<redacted>)")
    }
}

impl fmt::Display for AccessLink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted link>")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Active,
    /// Traffic used up: disabled on the panel until renewed.
    Suspended,
    /// Past its end: disabled on the panel; can still be renewed until deleted.
    Expired,
    /// Removed from the panel after the grace period.
    Deleted,
}

impl SubscriptionStatus {
    pub fn name(self) -> &'static str {
        match self {
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Suspended => "suspended",
            SubscriptionStatus::Expired => "expired",
            SubscriptionStatus::Deleted => "deleted",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub shopper: UserId,
    /// The plan as it was last bought.
    pub plan: Plan,
    pub server: ServerId,
    /// The client's email on the panel: its identity there, derived from the first order.
    pub client_email: String,
    pub access: AccessLink,
    pub subscription_url: Option<AccessLink>,
    pub status: SubscriptionStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub expires_at: Timestamp,
    pub traffic: TrafficLimit,
    pub device_limit: u32,
    pub used_bytes: u64,
    /// The order that bought it, then each renewal.
    pub orders: Vec<OrderId>,
}

/// Something that happens to a subscription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SubscriptionEvent {
    /// A renewal order was provisioned: same client, new end, the plan's allowance again.
    Renewed {
        order: OrderId,
        plan: Plan,
        expires_at: Timestamp,
    },
    TrafficExhausted {
        used_bytes: u64,
    },
    Expire,
    Delete,
}

impl SubscriptionEvent {
    pub fn name(&self) -> &'static str {
        match self {
            SubscriptionEvent::Renewed { .. } => "renew",
            SubscriptionEvent::TrafficExhausted { .. } => "suspend",
            SubscriptionEvent::Expire => "expire",
            SubscriptionEvent::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscriptionRejection {
    #[error("this subscription is {status}; it cannot {event}")]
    NotAllowedNow {
        status: &'static str,
        event: &'static str,
    },
    #[error("this subscription does not end until {expires_at}")]
    NotDue { expires_at: Timestamp },
}

impl Subscription {
    /// Applies a lifecycle event at `now`; a refusal changes nothing.
    pub fn apply(
        &mut self,
        event: SubscriptionEvent,
        now: Timestamp,
    ) -> Result<(), SubscriptionRejection> {
        use SubscriptionStatus::*;
        let refuse = || SubscriptionRejection::NotAllowedNow {
            status: self.status.name(),
            event: event.name(),
        };
        match (self.status, &event) {
            (Active | Suspended | Expired, SubscriptionEvent::Renewed { .. }) => {}
            (Active, SubscriptionEvent::TrafficExhausted { .. }) => {}
            (Active | Suspended, SubscriptionEvent::Expire) => {
                if now < self.expires_at {
                    return Err(SubscriptionRejection::NotDue {
                        expires_at: self.expires_at,
                    });
                }
            }
            (Expired, SubscriptionEvent::Delete) => {}
            _ => return Err(refuse()),
        }
        match event {
            SubscriptionEvent::Renewed {
                order,
                plan,
                expires_at,
            } => {
                self.status = Active;
                self.expires_at = expires_at;
                self.traffic = plan.traffic;
                self.device_limit = plan.device_limit;
                self.used_bytes = 0;
                self.plan = plan;
                self.orders.push(order);
            }
            SubscriptionEvent::TrafficExhausted { used_bytes } => {
                self.status = Suspended;
                self.used_bytes = used_bytes;
            }
            SubscriptionEvent::Expire => self.status = Expired,
            SubscriptionEvent::Delete => self.status = Deleted,
        }
        self.updated_at = now;
        Ok(())
    }
}

/// When a period bought at `now` ends: renewals add to what is left, never to the past.
pub fn period_end(now: Timestamp, current_end: Option<Timestamp>, days: u32) -> Timestamp {
    let start = current_end.filter(|end| *end > now).unwrap_or(now);
    start
        .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        .unwrap_or(Timestamp::MAX)
}
