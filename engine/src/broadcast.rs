//! Broadcasts: an admin's message to a segment of the shop's shoppers, by DM. A broadcast is
//! drafted first (the admin sees how many it reaches and how it reads), then sent: one outbox
//! row per recipient in one stream, so the DMs go out one at a time (well within Discord's
//! limits), survive a restart, and are counted as they finish; the admin's progress message is
//! edited as they do. Every DM carries an opt-out button; a shopper who opted out gets no
//! further broadcast (`shop/broadcasts.rs`).

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::ids::{BroadcastId, PlanId, UserId};
use crate::subscription::{Subscription, SubscriptionStatus};

/// The longest message (Discord allows 2,000 characters; the rest is the footer).
pub const MAX_BROADCAST_CHARS: usize = 1800;
/// The furthest ahead "expiring within" looks.
pub const MAX_EXPIRING_DAYS: u32 = 365;
/// The admin's progress message is edited every this many DMs (and at the end).
pub const PROGRESS_EVERY: u64 = 25;

/// Who a broadcast goes to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "segment", rename_all = "snake_case")]
pub enum Segment {
    /// Everyone who ever opened an order.
    All,
    /// Shoppers with a subscription that works now.
    Active,
    /// Shoppers with a working subscription that ends within `days`.
    ExpiringWithin { days: u32 },
    /// Shoppers who had subscriptions and have none working now.
    Expired,
    /// Shoppers with a working subscription of this plan.
    Plan { plan: PlanId },
}

impl Segment {
    pub fn validate(&self) -> Result<(), Invalid> {
        match self {
            Segment::ExpiringWithin { days } if !(1..=MAX_EXPIRING_DAYS).contains(days) => Err(
                Invalid::new("days", format!("must be between 1 and {MAX_EXPIRING_DAYS}")),
            ),
            _ => Ok(()),
        }
    }

    /// How the segment reads to an admin.
    pub fn describe(&self) -> String {
        match self {
            Segment::All => "every shopper".into(),
            Segment::Active => "shoppers with active access".into(),
            Segment::ExpiringWithin { days: 1 } => "shoppers whose access ends within a day".into(),
            Segment::ExpiringWithin { days } => {
                format!("shoppers whose access ends within {days} days")
            }
            Segment::Expired => "shoppers whose access has ended".into(),
            Segment::Plan { plan } => format!("shoppers with active access on plan {plan}"),
        }
    }

    /// Whether a shopper with these subscriptions (every one of theirs; none for a shopper who
    /// only ever opened orders) is in the segment at `now`. Pure.
    pub fn holds(&self, subs: &[&Subscription], now: Timestamp) -> bool {
        let working =
            |s: &&&Subscription| s.status == SubscriptionStatus::Active && s.expires_at > now;
        match self {
            Segment::All => true,
            Segment::Active => subs.iter().any(|s| working(&s)),
            Segment::ExpiringWithin { days } => {
                let horizon = now
                    .saturating_add(SignedDuration::from_hours(24 * i64::from(*days)))
                    .unwrap_or(Timestamp::MAX);
                subs.iter().any(|s| working(&s) && s.expires_at <= horizon)
            }
            Segment::Expired => !subs.is_empty() && !subs.iter().any(|s| working(&s)),
            Segment::Plan { plan } => subs.iter().any(|s| working(&s) && &s.plan.id == plan),
        }
    }
}

/// Where a broadcast is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BroadcastStatus {
    /// Previewed, not sent.
    Draft,
    /// Its DMs are going out.
    Sending,
    /// Every DM was sent, refused or skipped.
    Done,
}

/// A broadcast and its progress (`broadcasts_v1`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broadcast {
    pub id: BroadcastId,
    pub by: UserId,
    /// Where the admin asked: the progress message goes there.
    pub channel: u64,
    pub message: String,
    pub segment: Segment,
    pub created_at: Timestamp,
    pub status: BroadcastStatus,
    /// Shoppers it goes to (counted again when it is sent).
    pub recipients: u64,
    pub sent: u64,
    /// Discord refused the DM (DMs closed, the account gone).
    pub failed: u64,
    /// The shopper opted out after it was sent.
    pub skipped: u64,
}

impl Broadcast {
    /// DMs not finished yet.
    pub fn left(&self) -> u64 {
        self.recipients
            .saturating_sub(self.sent + self.failed + self.skipped)
    }
}

/// Checks a broadcast's text.
pub fn check_message(message: &str) -> Result<(), Invalid> {
    let n = message.trim().chars().count();
    if n == 0 || n > MAX_BROADCAST_CHARS {
        return Err(Invalid::new(
            "message",
            format!("must be 1 to {MAX_BROADCAST_CHARS} characters"),
        ));
    }
    Ok(())
}

/// How one DM of a broadcast ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DmResult {
    Sent,
    Failed,
    Skipped,
}
