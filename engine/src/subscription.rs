//! Subscriptions: one VPN client on one panel, bought by an order and extended by renewals.
//!
//! Its lifecycle is small and pure: `Active → Suspended` when the traffic is used up,
//! `→ Expired` at the end of the period, `→ Deleted` after the grace period. A renewal makes it
//! `Active` again with the same client and the same link.
//!
//! A plan on several servers buys a **group**: one subscription per server, all carrying the
//! group's id, sharing one quota (the sum of their usage) and renewed together. A client moved
//! off a drained or dead server is a new subscription in the same group; the old one is
//! `Deleted` and names its replacement, and its usage is carried so the quota stays whole.

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
    /// Its byte in index rows.
    pub fn key(self) -> u8 {
        match self {
            SubscriptionStatus::Active => 0,
            SubscriptionStatus::Suspended => 1,
            SubscriptionStatus::Expired => 2,
            SubscriptionStatus::Deleted => 3,
        }
    }

    /// Whether a subscription in this status holds a slot on its server.
    pub fn holds_slot(self) -> bool {
        matches!(
            self,
            SubscriptionStatus::Active | SubscriptionStatus::Suspended
        )
    }

    pub fn from_key(key: u8) -> Option<SubscriptionStatus> {
        [
            SubscriptionStatus::Active,
            SubscriptionStatus::Suspended,
            SubscriptionStatus::Expired,
            SubscriptionStatus::Deleted,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }

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
    /// The same access through the server's other addresses (its panel's external proxies).
    #[serde(default)]
    pub alternatives: Vec<AccessLink>,
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
    /// Reminder lead times (hours before the end) already sent for the current period.
    #[serde(default)]
    pub reminders_sent: Vec<u32>,
    /// The highest usage notice sent for the current period (0, 80 or 100 percent).
    #[serde(default)]
    pub traffic_notice: u8,
    /// When the usage was last read from the panel.
    #[serde(default)]
    pub usage_read_at: Option<Timestamp>,
    /// The next time the expiry job looks at this subscription (its row in the timer index).
    #[serde(default)]
    pub timer: Option<Timer>,
    /// The group it belongs to (a plan on several servers, or a client that moved): the id of
    /// the group's first subscription. `None`: a group of its own.
    #[serde(default)]
    pub group: Option<SubscriptionId>,
    /// Usage this period of the clients it replaced (moves), counted with its own.
    #[serde(default)]
    pub carried_bytes: u64,
    /// The subscription that took over when this one's client was moved to another server.
    #[serde(default)]
    pub replaced_by: Option<SubscriptionId>,
    /// A move to another server is under way (the new subscription's id): the planner leaves
    /// it alone until the move succeeds or is given up.
    #[serde(default)]
    pub moving: Option<SubscriptionId>,
    /// Traffic resets by an admin this period: each starts the usage count (and its notices)
    /// over.
    #[serde(default)]
    pub traffic_resets: u32,
}

/// What the panel sweeps (traffic, reconciliation) compare of a subscription with its client on
/// the panel. It is kept in the subscription's row of the server index, so a sweep reads one
/// row per subscription, and the whole record only of those whose usage changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelView {
    pub id: SubscriptionId,
    pub client_email: String,
    pub status: SubscriptionStatus,
    pub used_bytes: u64,
    pub expires_at: Timestamp,
    /// 0: unlimited (as the panel says it).
    pub traffic_limit_bytes: u64,
}

impl From<&Subscription> for PanelView {
    fn from(s: &Subscription) -> PanelView {
        PanelView {
            id: s.id,
            client_email: s.client_email.clone(),
            status: s.status,
            used_bytes: s.used_bytes,
            expires_at: s.expires_at,
            traffic_limit_bytes: s.traffic.bytes().unwrap_or(0),
        }
    }
}

/// What the expiry job does when a subscription's timer fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimerKind {
    /// Send the reminders that are due.
    Remind,
    /// The period ended: disable the client, mark the subscription expired.
    Expire,
    /// The grace period ended: delete the client from its panel.
    Delete,
}

impl TimerKind {
    pub fn key(self) -> u8 {
        match self {
            TimerKind::Remind => 0,
            TimerKind::Expire => 1,
            TimerKind::Delete => 2,
        }
    }
}

/// A subscription's next appointment with the expiry job. There is at most one per
/// subscription, so a sweep reads only the rows that are due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub at: Timestamp,
    pub kind: TimerKind,
}

/// The operator's rules for the end of a subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// How long before the end reminders go out (each once per period).
    pub reminder_leads: Vec<jiff::SignedDuration>,
    /// How long an expired client stays on its panel (disabled, renewable) before it is deleted.
    pub grace: jiff::SignedDuration,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle {
            reminder_leads: vec![
                jiff::SignedDuration::from_hours(72),
                jiff::SignedDuration::from_hours(24),
            ],
            grace: jiff::SignedDuration::from_hours(24 * 7),
        }
    }
}

fn lead_hours(lead: jiff::SignedDuration) -> u32 {
    u32::try_from(lead.as_hours()).unwrap_or(u32::MAX)
}

fn minus(t: Timestamp, d: jiff::SignedDuration) -> Timestamp {
    t.checked_sub(d).unwrap_or(Timestamp::MIN)
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
                self.carried_bytes = 0;
                self.traffic_resets = 0;
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

impl Subscription {
    /// A new period began at `now` (a purchase or a renewal): reminders whose time has already
    /// passed are not sent (nobody wants "ends in 3 days" right after buying 1 day).
    pub fn start_period(&mut self, now: Timestamp, rules: &Lifecycle) {
        self.reminders_sent = rules
            .reminder_leads
            .iter()
            .filter(|lead| minus(self.expires_at, **lead) <= now)
            .map(|lead| lead_hours(*lead))
            .collect();
        self.traffic_notice = 0;
    }

    /// The reminders due at `now` and not yet sent (their lead hours, longest first).
    pub fn due_reminders(&self, now: Timestamp, rules: &Lifecycle) -> Vec<u32> {
        let mut due: Vec<u32> = rules
            .reminder_leads
            .iter()
            .filter(|lead| minus(self.expires_at, **lead) <= now)
            .map(|lead| lead_hours(*lead))
            .filter(|h| !self.reminders_sent.contains(h))
            .collect();
        due.sort_unstable_by(|a, b| b.cmp(a));
        due
    }

    /// When the expiry job should look at this subscription next, and why.
    pub fn next_timer(&self, rules: &Lifecycle) -> Option<Timer> {
        match self.status {
            SubscriptionStatus::Active | SubscriptionStatus::Suspended => {
                let remind = rules
                    .reminder_leads
                    .iter()
                    .filter(|lead| !self.reminders_sent.contains(&lead_hours(**lead)))
                    .map(|lead| minus(self.expires_at, *lead))
                    .filter(|at| *at < self.expires_at)
                    .min();
                Some(match remind {
                    Some(at) => Timer {
                        at,
                        kind: TimerKind::Remind,
                    },
                    None => Timer {
                        at: self.expires_at,
                        kind: TimerKind::Expire,
                    },
                })
            }
            SubscriptionStatus::Expired => Some(Timer {
                at: self
                    .expires_at
                    .checked_add(rules.grace)
                    .unwrap_or(Timestamp::MAX),
                kind: TimerKind::Delete,
            }),
            SubscriptionStatus::Deleted => None,
        }
    }

    /// This period's usage: its client's, and that of the clients it replaced.
    pub fn usage_bytes(&self) -> u64 {
        self.used_bytes.saturating_add(self.carried_bytes)
    }

    /// The id its group is known by (its own when it is alone).
    pub fn group_id(&self) -> SubscriptionId {
        self.group.unwrap_or(self.id)
    }

    /// The usage period's name in idempotency keys: its end and how often an admin reset its
    /// traffic, so a reset period's notices and suspension go out again.
    pub fn usage_period(&self) -> String {
        let end = self.expires_at.as_millisecond();
        match self.traffic_resets {
            0 => end.to_string(),
            n => format!("{end}.r{n}"),
        }
    }

    /// An admin reset its traffic: usage starts again from zero and a suspended client is
    /// active again. Refused once it has expired or been deleted (renew instead).
    pub fn reset_traffic(&mut self, now: Timestamp) -> Result<(), SubscriptionRejection> {
        if !self.status.holds_slot() {
            return Err(SubscriptionRejection::NotAllowedNow {
                status: self.status.name(),
                event: "have its traffic reset",
            });
        }
        self.status = SubscriptionStatus::Active;
        self.used_bytes = 0;
        self.carried_bytes = 0;
        self.traffic_notice = 0;
        self.traffic_resets += 1;
        self.updated_at = now;
        Ok(())
    }

    /// Its client moved to `to`: it holds no slot any more and answers for nothing; `to` does.
    pub fn retire(&mut self, to: SubscriptionId, now: Timestamp) {
        self.status = SubscriptionStatus::Deleted;
        self.replaced_by = Some(to);
        self.updated_at = now;
    }
}

/// This period's usage of a group's clients together: what its one quota is held to.
pub fn group_usage<'a>(members: impl IntoIterator<Item = &'a Subscription>) -> u64 {
    members
        .into_iter()
        .map(Subscription::usage_bytes)
        .fold(0, u64::saturating_add)
}

/// `used` as a share of `limit`, in percent (none when unlimited).
pub fn percent_of(used: u64, limit: TrafficLimit) -> Option<u64> {
    limit
        .bytes()
        .filter(|limit| *limit > 0)
        .map(|limit| (u128::from(used) * 100 / u128::from(limit)) as u64)
}

/// When a period bought at `now` ends: renewals add to what is left, never to the past.
pub fn period_end(now: Timestamp, current_end: Option<Timestamp>, days: u32) -> Timestamp {
    let start = current_end.filter(|end| *end > now).unwrap_or(now);
    start
        .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))
        .unwrap_or(Timestamp::MAX)
}
