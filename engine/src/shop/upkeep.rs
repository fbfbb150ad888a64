//! What the background jobs ask of the shop: subscription timers (reminders, expiry,
//! deletion), usage and its notices, server health, drift reports and retention.
//!
//! Each sweep reads an index ordered by due time, so a run touches only what is due, and
//! commits in batches: every item's new state, its outbox rows, its audit row and its index
//! rows in the same transaction, as for any command. Every sweep says how many stored rows it
//! read, so tests and benchmarks can hold it to that.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};
use tracing::warn;

use super::records::{group_members, load_order, panel_view, write_subscription};
use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::effect::{
    Alert, DiscordEffect, Effect, PanelAction, PanelOp, Scheduled, SubscriptionNotice,
};
use crate::error::ShopError;
use crate::executor::PanelClient;
use crate::ids::{OrderId, ServerId};
use crate::outbox;
use crate::store::{self, StoreError, millis, tables::*};
use crate::subscription::{
    PanelView, Subscription, SubscriptionEvent, SubscriptionStatus, TimerKind,
};

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepReport {
    /// Index rows that were due.
    pub due: usize,
    /// Items that changed (a reminder sent, a subscription expired, a channel closed, ...).
    pub handled: usize,
    /// Stored rows read (index rows and records): the cost of the run.
    pub rows_read: usize,
}

impl SweepReport {
    pub fn add(&mut self, other: SweepReport) {
        self.due += other.due;
        self.handled += other.handled;
        self.rows_read += other.rows_read;
    }
}

/// What reading one server's usage changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageReport {
    /// Subscriptions holding a slot on the server.
    pub subscriptions: usize,
    /// Subscriptions whose usage changed and was stored.
    pub updated: usize,
    pub warned: usize,
    pub suspended: usize,
    pub rows_read: usize,
}

/// A server's health as the health job last saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerHealth {
    pub up: bool,
    /// Since when it has been up (or down).
    pub since: Timestamp,
    pub checked_at: Timestamp,
    /// Why the last check failed.
    pub error: Option<String>,
}

/// One difference between what the shop believes and what a panel has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "drift", rename_all = "snake_case")]
pub enum Drift {
    /// The shop has the subscription; the panel has no such client.
    Missing { email: String },
    /// The panel has a client the shop knows nothing of (on this server).
    Extra { email: String },
    Expiry {
        email: String,
        shop: Timestamp,
        panel: Option<Timestamp>,
    },
    TrafficLimit {
        email: String,
        shop: u64,
        panel: u64,
    },
    /// Enabled on the panel while the shop has it disabled, or the other way round.
    Enabled {
        email: String,
        shop: bool,
        panel: bool,
    },
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing { email } => write!(f, "{email}: missing on the panel"),
            Drift::Extra { email } => write!(f, "{email}: on the panel, unknown to the shop"),
            Drift::Expiry { email, shop, panel } => match panel {
                Some(p) => write!(f, "{email}: expiry {p} on the panel, {shop} in the shop"),
                None => write!(f, "{email}: never expires on the panel, {shop} in the shop"),
            },
            Drift::TrafficLimit { email, shop, panel } => write!(
                f,
                "{email}: traffic limit {panel} B on the panel, {shop} B in the shop"
            ),
            Drift::Enabled { email, shop, panel } => write!(
                f,
                "{email}: {} on the panel, {} in the shop",
                if *panel { "enabled" } else { "disabled" },
                if *shop { "enabled" } else { "disabled" }
            ),
        }
    }
}

/// Panel expiries are stored in milliseconds; a difference under a minute is not drift.
const EXPIRY_TOLERANCE: SignedDuration = SignedDuration::from_secs(60);

/// Compares the subscriptions of one server with the clients its panel reports. Pure.
pub fn compare(subs: &[PanelView], clients: &[PanelClient]) -> Vec<Drift> {
    let by_email: HashMap<&str, &PanelClient> =
        clients.iter().map(|c| (c.email.as_str(), c)).collect();
    let mut drift = Vec::new();
    let mut known = std::collections::HashSet::new();
    for sub in subs {
        known.insert(sub.client_email.as_str());
        if sub.status == SubscriptionStatus::Deleted {
            continue;
        }
        let email = sub.client_email.clone();
        let Some(client) = by_email.get(sub.client_email.as_str()) else {
            drift.push(Drift::Missing { email });
            continue;
        };
        let off = client
            .expires_at
            .is_none_or(|p| p.duration_since(sub.expires_at).abs() > EXPIRY_TOLERANCE);
        if off {
            drift.push(Drift::Expiry {
                email: email.clone(),
                shop: sub.expires_at,
                panel: client.expires_at,
            });
        }
        let limit = sub.traffic_limit_bytes;
        if limit != client.traffic_limit_bytes {
            drift.push(Drift::TrafficLimit {
                email: email.clone(),
                shop: limit,
                panel: client.traffic_limit_bytes,
            });
        }
        let enabled = sub.status == SubscriptionStatus::Active;
        if enabled != client.enabled {
            drift.push(Drift::Enabled {
                email,
                shop: enabled,
                panel: client.enabled,
            });
        }
    }
    for c in clients {
        if !known.contains(c.email.as_str()) {
            drift.push(Drift::Extra {
                email: c.email.clone(),
            });
        }
    }
    drift
}

/// How many due items one transaction handles.
const BATCH: usize = 200;

impl Shop {
    /// Handles the subscription timers due now: reminders (each lead time once per period),
    /// expiry (client disabled), deletion after the grace period. Reads only due rows.
    /// Handling a timer sets the next one, which may be due already (a shop that was down past
    /// an end sends the reminder, then expires), so it goes on until nothing is due.
    pub async fn run_subscription_timers(&self) -> Result<SweepReport, ShopError> {
        self.in_batches(|core| core.subscription_timers(BATCH), |r| r.due == 0)
            .await
    }

    /// Runs one batch after another (each its own transaction) until `done` says so.
    async fn in_batches(
        &self,
        batch: impl Fn(&Core) -> Result<SweepReport, ShopError> + Copy + Send + 'static,
        done: impl Fn(&SweepReport) -> bool,
    ) -> Result<SweepReport, ShopError> {
        let mut total = SweepReport::default();
        loop {
            let report = self.blocking(batch).await?;
            total.add(report);
            if done(&report) {
                return Ok(total);
            }
        }
    }

    /// Stores the usage one bulk call read from a server's panel; sends the 80% and 100%
    /// notices (once per period) and suspends what used up its allowance.
    pub async fn record_usage(
        &self,
        server: ServerId,
        clients: Vec<PanelClient>,
    ) -> Result<UsageReport, ShopError> {
        self.blocking(move |core| core.record_usage(&server, &clients))
            .await
    }

    /// Records a health check; a change of state is audited and the admins are alerted.
    /// Returns the new health when it changed.
    pub async fn record_health(
        &self,
        server: ServerId,
        result: Result<(), String>,
    ) -> Result<Option<ServerHealth>, ShopError> {
        self.blocking(move |core| core.record_health(&server, result))
            .await
    }

    /// Every server's last known health.
    pub async fn server_health(&self) -> Result<Vec<(ServerId, ServerHealth)>, ShopError> {
        self.blocking(|core| {
            let read = store::begin_read(&core.db)?;
            let table = read.open_table(SERVER_HEALTH)?;
            let mut out = Vec::new();
            for row in table.iter()? {
                let (k, v) = row?;
                let health: ServerHealth = store::envelope::decode(SERVER_HEALTH_NAME, v.value())?;
                out.push((
                    ServerId::new(k.value()).map_err(ShopError::InvalidId)?,
                    health,
                ));
            }
            Ok(out)
        })
        .await
    }

    /// What reconciliation compares of the subscriptions on a server that are not deleted:
    /// one index row each.
    pub async fn panel_views_on(&self, server: ServerId) -> Result<Vec<PanelView>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let index = read.open_table(SUBS_BY_SERVER)?;
            let mut out = Vec::new();
            for row in index.range((server.as_str(), 0u128)..=(server.as_str(), u128::MAX))? {
                let (key, row) = row?;
                let view = panel_view(key.value().1, row.value())?;
                if view.status != SubscriptionStatus::Deleted {
                    out.push(view);
                }
            }
            Ok(out)
        })
        .await
    }

    /// Reports drift found on a server to the admins (audited). Nothing is changed because of
    /// it: a mismatch is for a human to judge.
    pub async fn report_drift(&self, server: ServerId, drift: Vec<Drift>) -> Result<(), ShopError> {
        if drift.is_empty() {
            return Ok(());
        }
        self.blocking(move |core| {
            let now = core.now();
            let txn = core.db.begin()?;
            let message = crate::alert::AlertKind::Drift {
                server: server.to_string(),
                count: drift.len(),
                shown: drift.iter().take(10).map(ToString::to_string).collect(),
            };
            audit::record(
                &txn,
                now,
                Actor::System,
                "server.drift",
                format!("server:{server}"),
                drift
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )?;
            alert_admins(
                &txn,
                format!("server:{server}/drift/{}", millis(now)),
                message,
                now,
            )?;
            core.db.commit(txn)?;
            core.outbox_written.notify_one();
            Ok(())
        })
        .await
    }

    /// Closes the channels of orders closed more than `after` ago (a safety net behind the
    /// close each order schedules for itself). Reads only due rows.
    pub async fn close_old_channels(
        &self,
        after: SignedDuration,
    ) -> Result<SweepReport, ShopError> {
        self.in_batches(
            move |core| core.retention(after, BATCH, false),
            |r| r.due < BATCH,
        )
        .await
    }

    /// Deletes the proof screenshots of orders closed more than `after` ago. Amounts, ids, the
    /// proof's hash (duplicate detection) and the audit trail stay.
    pub async fn purge_old_proofs(&self, after: SignedDuration) -> Result<SweepReport, ShopError> {
        self.in_batches(
            move |core| core.retention(after, BATCH, true),
            |r| r.due < BATCH,
        )
        .await
    }
}

impl Core {
    fn subscription_timers(&self, limit: usize) -> Result<SweepReport, ShopError> {
        let now = self.now();
        let rules = &self.settings.lifecycle;
        let txn = self.db.begin()?;
        let mut report = SweepReport::default();
        let due: Vec<(i64, u128, u8)> = {
            let timers = txn.open_table(SUB_TIMERS)?;
            let mut out = Vec::new();
            for row in timers.range(..=(millis(now), u128::MAX))?.take(limit) {
                let (k, v) = row?;
                let (at, id) = k.value();
                out.push((at, id, v.value()));
            }
            out
        };
        report.due = due.len();
        report.rows_read += due.len();
        let mut wrote_effects = false;
        for (at, id, _) in due {
            txn.open_table(SUB_TIMERS)?.remove((at, id))?;
            let old: Option<Subscription> =
                store::get(&txn.open_table(SUBSCRIPTIONS)?, SUBSCRIPTIONS_NAME, id)?;
            let Some(old) = old else { continue };
            report.rows_read += 1;
            let mut sub = old.clone();
            let Some(timer) = old.timer.filter(|t| millis(t.at) == at) else {
                // A stale row (the subscription moved on): put its real timer back.
                write_subscription(&txn, &mut sub, Some(&old), rules)?;
                continue;
            };
            let fired = timer_fired(&mut sub, timer.kind, now, rules);
            if let Some((action, details)) = fired.audit {
                let target = format!("subscription:{}", sub.id);
                audit::record(&txn, now, Actor::System, action, target, details)?;
            }
            let effects = fired.effects;
            if !effects.is_empty() || sub != old {
                report.handled += 1;
            }
            for (key, effect) in effects {
                wrote_effects |= outbox::enqueue(&txn, key, effect, now)?.is_some();
            }
            write_subscription(&txn, &mut sub, Some(&old), rules)?;
        }
        self.db.commit(txn)?;
        if wrote_effects {
            self.outbox_written.notify_one();
        }
        Ok(report)
    }

    fn record_usage(
        &self,
        server: &ServerId,
        clients: &[PanelClient],
    ) -> Result<UsageReport, ShopError> {
        let now = self.now();
        let rules = &self.settings.lifecycle;
        let by_email: HashMap<&str, &PanelClient> =
            clients.iter().map(|c| (c.email.as_str(), c)).collect();
        let txn = self.db.begin()?;
        let mut report = UsageReport::default();
        // One index row per subscription; the record only where the panel's count moved.
        let changed: Vec<u128> = {
            let index = txn.open_table(SUBS_BY_SERVER)?;
            let mut changed = Vec::new();
            for row in index.range((server.as_str(), 0u128)..=(server.as_str(), u128::MAX))? {
                let (key, row) = row?;
                report.rows_read += 1;
                let view = panel_view(key.value().1, row.value())?;
                if !view.status.holds_slot() {
                    continue;
                }
                report.subscriptions += 1;
                // A client the panel lacks is reconciliation's to report.
                if by_email
                    .get(view.client_email.as_str())
                    .is_some_and(|c| c.used_bytes != view.used_bytes)
                {
                    changed.push(key.value().1);
                }
            }
            changed
        };
        let mut wrote_effects = false;
        for id in changed {
            let old: Option<Subscription> =
                store::get(&txn.open_table(SUBSCRIPTIONS)?, SUBSCRIPTIONS_NAME, id)?;
            let Some(old) = old else { continue };
            report.rows_read += 1;
            let Some(client) = by_email.get(old.client_email.as_str()) else {
                continue;
            };
            let mut sub = old.clone();
            sub.used_bytes = client.used_bytes;
            sub.usage_read_at = Some(now);
            // The quota is the group's: every client of the plan, on every server, counts.
            let mut members: Vec<(Option<Subscription>, Subscription)> = vec![(Some(old), sub)];
            if let Some(group) = members[0].1.group {
                let others = group_members(
                    &txn.open_table(SUBSCRIPTIONS)?,
                    &txn.open_table(SUBS_BY_SHOPPER)?,
                    members[0].1.shopper,
                    group,
                )?;
                report.rows_read += others.len();
                for other in others.into_iter().filter(|o| o.id.key() != id) {
                    members.push((Some(other.clone()), other));
                }
            }
            let lead = &members[0].1;
            let (group, limit, period) = (lead.group_id(), lead.traffic, lead.usage_period());
            let used = crate::subscription::group_usage(members.iter().map(|(_, m)| m));
            let active = members
                .iter()
                .any(|(_, m)| m.status == SubscriptionStatus::Active);
            let sent = members
                .iter()
                .map(|(_, m)| m.traffic_notice)
                .max()
                .unwrap_or(0);
            let mut effects: Vec<(String, Scheduled)> = Vec::new();
            let traffic = |percent: u8| SubscriptionNotice::Traffic {
                percent,
                used_bytes: used,
                limit_bytes: limit.bytes().unwrap_or(0),
            };
            match quota_step(used, limit, active, sent) {
                QuotaStep::Exhausted => {
                    for (_, m) in &mut members {
                        let used_bytes = m.used_bytes;
                        m.traffic_notice = 100;
                        if m.apply(SubscriptionEvent::TrafficExhausted { used_bytes }, now)
                            .is_ok()
                        {
                            report.suspended += 1;
                            effects.push((
                                format!("sub:{}/suspend/{period}", m.id),
                                panel_op(m, PanelAction::Disable),
                            ));
                        }
                    }
                    let lead = &members[0].1;
                    effects.push((
                        format!("sub:{group}/traffic100/{period}"),
                        notice(lead, traffic(100)),
                    ));
                    let emails: Vec<&str> = members
                        .iter()
                        .map(|(_, m)| m.client_email.as_str())
                        .collect();
                    audit::record(
                        &txn,
                        now,
                        Actor::System,
                        "subscription.suspend",
                        format!("subscription:{group}"),
                        format!(
                            "{} used {used} of {} bytes",
                            emails.join(", "),
                            limit.bytes().unwrap_or(0)
                        ),
                    )?;
                }
                QuotaStep::Warn => {
                    report.warned += 1;
                    for (_, m) in &mut members {
                        m.traffic_notice = 80;
                    }
                    effects.push((
                        format!("sub:{group}/traffic80/{period}"),
                        notice(&members[0].1, traffic(80)),
                    ));
                }
                QuotaStep::Nothing => {}
            }
            for (key, effect) in effects {
                wrote_effects |= outbox::enqueue(&txn, key, effect, now)?.is_some();
            }
            for (i, (before, mut m)) in members.into_iter().enumerate() {
                if i == 0 || before.as_ref() != Some(&m) {
                    write_subscription(&txn, &mut m, before.as_ref(), rules)?;
                }
            }
            report.updated += 1;
        }
        self.db.commit(txn)?;
        if wrote_effects {
            self.outbox_written.notify_one();
        }
        Ok(report)
    }

    fn record_health(
        &self,
        server: &ServerId,
        result: Result<(), String>,
    ) -> Result<Option<ServerHealth>, ShopError> {
        let now = self.now();
        let txn = self.db.begin()?;
        let mut table = txn.open_table(SERVER_HEALTH)?;
        let before: Option<ServerHealth> = store::get(&table, SERVER_HEALTH_NAME, server.as_str())?;
        let up = result.is_ok();
        // A server never checked counts as up: only a change of state is news.
        let was_up = before.as_ref().is_none_or(|h| h.up);
        let changed = was_up != up;
        let health = ServerHealth {
            up,
            since: match &before {
                Some(h) if !changed => h.since,
                _ => now,
            },
            checked_at: now,
            error: result.err(),
        };
        store::put(&mut table, server.as_str(), &health)?;
        drop(table);
        if changed {
            let (action, message) = if up {
                let down_for = before
                    .as_ref()
                    .map(|h| now.duration_since(h.since))
                    .unwrap_or_default();
                (
                    "server.up",
                    crate::alert::AlertKind::ServerUp {
                        server: server.to_string(),
                        down_for,
                    },
                )
            } else {
                (
                    "server.down",
                    crate::alert::AlertKind::ServerDown {
                        server: server.to_string(),
                        since: now,
                        error: health.error.clone().unwrap_or_else(|| "no answer".into()),
                    },
                )
            };
            audit::record(
                &txn,
                now,
                Actor::System,
                action,
                format!("server:{server}"),
                health.error.clone().unwrap_or_default(),
            )?;
            alert_admins(
                &txn,
                format!("server:{server}/{action}/{}", millis(now)),
                message,
                now,
            )?;
        }
        self.db.commit(txn)?;
        if changed {
            self.outbox_written.notify_one();
        }
        Ok(changed.then_some(health))
    }

    fn retention(
        &self,
        after: SignedDuration,
        limit: usize,
        purge: bool,
    ) -> Result<SweepReport, ShopError> {
        let now = self.now();
        let cutoff = now.checked_sub(after).unwrap_or(Timestamp::MIN);
        let txn = self.db.begin()?;
        let index = if purge {
            RETENTION_PURGE
        } else {
            RETENTION_CHANNELS
        };
        let due: Vec<(i64, u128)> = {
            let table = txn.open_table(index)?;
            let mut out = Vec::new();
            for row in table.range(..=(millis(cutoff), u128::MAX))?.take(limit) {
                out.push(row?.0.value());
            }
            out
        };
        let mut report = SweepReport {
            due: due.len(),
            handled: 0,
            rows_read: due.len(),
        };
        let mut wrote_effects = false;
        for key in due {
            txn.open_table(index)?.remove(key)?;
            let order = OrderId::from_key(key.1);
            if purge {
                let removed = txn.open_table(PROOF_BLOBS)?.remove(key.1)?.is_some();
                let mut record = load_order(&txn.open_table(ORDERS)?, order)?;
                report.rows_read += 1;
                record.order.purged_at = Some(now);
                store::put(&mut txn.open_table(ORDERS)?, key.1, &record)?;
                if removed {
                    report.handled += 1;
                    audit::record(
                        &txn,
                        now,
                        Actor::System,
                        "order.purge",
                        format!("order:{order}"),
                        "proof screenshot deleted by the retention job".into(),
                    )?;
                }
            } else {
                let written = outbox::enqueue(
                    &txn,
                    format!("order:{order}/retention-close"),
                    Scheduled::now(Effect::Discord {
                        effect: DiscordEffect::CloseOrderChannel { order },
                    }),
                    now,
                )?;
                if written.is_some() {
                    report.handled += 1;
                    wrote_effects = true;
                }
            }
        }
        self.db.commit(txn)?;
        if wrote_effects {
            self.outbox_written.notify_one();
        }
        Ok(report)
    }
}

/// What a subscription's timer firing comes to: its effects (keyed, so a re-run enqueues them
/// once) and the audit line, if the subscription changed its state.
#[derive(Debug, Default)]
struct Fired {
    effects: Vec<(String, Scheduled)>,
    audit: Option<(&'static str, String)>,
}

/// A timer firing, decided on the subscription alone (no database): reminders that are due,
/// the end of the period (disable on the panel, tell the shopper) or the end of the grace
/// period (delete from the panel).
fn timer_fired(
    sub: &mut Subscription,
    kind: TimerKind,
    now: Timestamp,
    rules: &crate::subscription::Lifecycle,
) -> Fired {
    let expiry = millis(sub.expires_at);
    let mut fired = Fired::default();
    match kind {
        TimerKind::Remind => {
            let due = sub.due_reminders(now, rules);
            if let Some(lead) = due.last() {
                sub.reminders_sent.extend(due.iter().copied());
                let ending = SubscriptionNotice::EndingSoon {
                    expires_at: sub.expires_at,
                };
                fired.effects.push((
                    format!("sub:{}/remind/{expiry}/{lead}h", sub.group_id()),
                    notice(sub, ending),
                ));
            }
        }
        TimerKind::Expire => match sub.apply(SubscriptionEvent::Expire, now) {
            Ok(()) => {
                let expired = SubscriptionNotice::Expired {
                    expires_at: sub.expires_at,
                };
                fired.effects = vec![
                    (
                        format!("sub:{}/disable/{expiry}", sub.id),
                        panel_op(sub, PanelAction::Disable),
                    ),
                    (
                        format!("sub:{}/expired/{expiry}", sub.group_id()),
                        notice(sub, expired),
                    ),
                ];
                fired.audit = Some((
                    "subscription.expire",
                    format!(
                        "{} on {} ended at {}",
                        sub.client_email, sub.server, sub.expires_at
                    ),
                ));
            }
            Err(e) => warn!(subscription = %sub.id, error = %e, "expiry timer refused"),
        },
        TimerKind::Delete => match sub.apply(SubscriptionEvent::Delete, now) {
            Ok(()) => {
                fired.effects = vec![(
                    format!("sub:{}/delete", sub.id),
                    panel_op(sub, PanelAction::Delete),
                )];
                fired.audit = Some((
                    "subscription.delete",
                    format!(
                        "{} deleted from {} after the grace period",
                        sub.client_email, sub.server
                    ),
                ));
            }
            Err(e) => warn!(subscription = %sub.id, error = %e, "deletion timer refused"),
        },
    }
    fired
}

/// What a subscription group's usage calls for, decided on the numbers alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaStep {
    Nothing,
    /// Past 80 %: tell the shopper once per period.
    Warn,
    /// At 100 % with a client still enabled: disable every client of the group.
    Exhausted,
}

/// `used` bytes of the group against `limit`; `active`: a client is still enabled; `sent`: the
/// highest notice already sent this period.
pub fn quota_step(
    used: u64,
    limit: crate::plan::TrafficLimit,
    active: bool,
    sent: u8,
) -> QuotaStep {
    let percent = crate::subscription::percent_of(used, limit).unwrap_or(0);
    if percent >= 100 && active {
        QuotaStep::Exhausted
    } else if percent >= 80 && sent < 80 {
        QuotaStep::Warn
    } else {
        QuotaStep::Nothing
    }
}

/// A disable or delete of `sub`'s client, enqueued once under `sub:{id}/{tag}`.
pub(super) fn enqueue_panel_op(
    txn: &crate::store::Txn,
    sub: &Subscription,
    action: PanelAction,
    tag: &str,
    now: Timestamp,
) -> Result<bool, StoreError> {
    Ok(outbox::enqueue(
        txn,
        format!("sub:{}/{tag}", sub.id),
        panel_op(sub, action),
        now,
    )?
    .is_some())
}

/// A message for the admins (no order, no Retry), enqueued once under `key`.
pub(super) fn alert_admins(
    txn: &crate::store::Txn,
    key: String,
    kind: crate::alert::AlertKind,
    now: Timestamp,
) -> Result<(), ShopError> {
    alert_admins_about(txn, key, kind, None, now)
}

/// An alert for the admins about `order` (without a Retry button), written with the command.
pub(super) fn alert_admins_about(
    txn: &crate::store::Txn,
    key: String,
    kind: crate::alert::AlertKind,
    order: Option<crate::ids::OrderId>,
    now: Timestamp,
) -> Result<(), ShopError> {
    let alert = Alert::about(kind, order, false);
    outbox::enqueue(
        txn,
        key,
        Scheduled::now(DiscordEffect::AlertAdmins { alert }),
        now,
    )?;
    Ok(())
}

fn notice(sub: &Subscription, notice: SubscriptionNotice) -> Scheduled {
    Scheduled::now(DiscordEffect::NotifySubscriber {
        shopper: sub.shopper,
        subscription: sub.id,
        plan_name: sub.plan.name.clone(),
        notice,
    })
}

fn panel_op(sub: &Subscription, action: PanelAction) -> Scheduled {
    Scheduled::now(Effect::Panel {
        op: PanelOp {
            subscription: sub.id,
            server: sub.server.clone(),
            client_email: sub.client_email.clone(),
            action,
        },
    })
}

/// Whether a server is down by its last health check (never checked: up).
pub(super) fn is_down(
    table: &impl ReadableTable<&'static str, &'static [u8]>,
    server: &ServerId,
) -> Result<bool, ShopError> {
    Ok(
        store::get::<&str, ServerHealth>(table, SERVER_HEALTH_NAME, server.as_str())?
            .is_some_and(|h| !h.up),
    )
}

impl Shop {
    /// Writes a consistent copy of the database to `to` while the shop keeps running.
    pub async fn backup(
        &self,
        to: std::path::PathBuf,
    ) -> Result<crate::store::backup::BackupReport, crate::store::backup::BackupError> {
        let core = std::sync::Arc::clone(&self.core);
        tokio::task::spawn_blocking(move || {
            crate::store::backup::backup_from(&*core.db.begin_read()?, &to)
        })
        .await
        .map_err(|e| StoreError::Join(e.to_string()))?
    }

    /// A backup, and the dump of the very snapshot it copied: tests compare the two.
    #[cfg(any(test, feature = "testing"))]
    pub async fn backup_with_snapshot(
        &self,
        to: std::path::PathBuf,
    ) -> Result<
        (
            crate::store::backup::BackupReport,
            crate::store::backup::Dump,
        ),
        crate::store::backup::BackupError,
    > {
        use crate::store::backup;
        let core = std::sync::Arc::clone(&self.core);
        tokio::task::spawn_blocking(move || {
            let read = store::begin_read(&core.db)?;
            let report = backup::backup_from(&read, &to)?;
            Ok((report, backup::dump_from(&read)?))
        })
        .await
        .map_err(|e| StoreError::Join(e.to_string()))?
    }

    /// Puts a backup back in place of the database at `target` (blocking; the shop must be
    /// stopped: a running one holds the file). The backup is checked first; the current file
    /// is kept as `<name>.before-restore`.
    pub fn restore(
        backup: &std::path::Path,
        target: &std::path::Path,
    ) -> Result<crate::store::backup::BackupReport, crate::store::backup::BackupError> {
        crate::store::backup::restore(backup, target)
    }

    /// Every row of every table (tests compare databases with it).
    pub async fn dump(&self) -> Result<crate::store::backup::Dump, ShopError> {
        self.blocking(|core| Ok(crate::store::backup::dump_from(&*core.db.begin_read()?)?))
            .await
    }

    /// Writes subscriptions directly, with their index and timer rows, in one transaction:
    /// for scale tests and benchmarks that need many of them fast.
    #[cfg(any(test, feature = "testing"))]
    pub async fn seed_subscriptions(&self, subs: Vec<Subscription>) -> Result<(), ShopError> {
        self.blocking(move |core| {
            let txn = core.db.begin()?;
            for mut sub in subs {
                write_subscription(&txn, &mut sub, None, &core.settings.lifecycle)?;
            }
            core.db.commit(txn)?;
            Ok(())
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::subscription::Lifecycle;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_groups_quota_is_decided_on_its_summed_usage() {
        use crate::plan::TrafficLimit::{Bytes, Unlimited};
        use QuotaStep::*;
        // (used by the whole group, limit, a client still enabled, notice sent) -> step
        let table = [
            (79, Bytes(100), true, 0, Nothing),
            (80, Bytes(100), true, 0, Warn),
            (95, Bytes(100), true, 80, Nothing),
            (100, Bytes(100), true, 80, Exhausted),
            (100, Bytes(100), true, 0, Exhausted),
            (150, Bytes(100), false, 100, Nothing),
            (u64::MAX, Unlimited, true, 0, Nothing),
        ];
        for (used, limit, active, sent, want) in table {
            assert_eq!(
                quota_step(used, limit, active, sent),
                want,
                "{used} of {limit}"
            );
        }
    }

    #[test]
    fn each_timer_decides_on_the_subscription_alone() {
        let rules = Lifecycle::default();
        let ends = at("2026-12-01T00:00:00Z");
        let mut sub =
            crate::testing::seeded_subscription(1, "fra-1", ends, at("2026-11-01T00:00:00Z"));
        sub.reminders_sent.clear();

        // Two days before the end: the 72-hour reminder (the 24-hour one is not due yet).
        let fired = timer_fired(
            &mut sub,
            TimerKind::Remind,
            at("2026-11-29T00:00:00Z"),
            &rules,
        );
        assert_eq!(fired.effects.len(), 1);
        assert!(
            fired.effects[0].0.ends_with("/72h"),
            "{:?}",
            fired.effects[0].0
        );
        assert!(fired.audit.is_none());
        assert_eq!(sub.reminders_sent, [72]);

        // The end: disabled on the panel and the shopper told, audited.
        let fired = timer_fired(&mut sub, TimerKind::Expire, ends, &rules);
        let keys: Vec<&str> = fired.effects.iter().map(|(k, _)| k.as_str()).collect();
        assert!(
            keys[0].contains("/disable/") && keys[1].contains("/expired/"),
            "{keys:?}"
        );
        assert_eq!(fired.audit.unwrap().0, "subscription.expire");
        assert_eq!(sub.status, crate::subscription::SubscriptionStatus::Expired);

        // After the grace period: deleted from the panel.
        let fired = timer_fired(&mut sub, TimerKind::Delete, ends + rules.grace, &rules);
        assert!(fired.effects[0].0.ends_with("/delete"));
        assert_eq!(sub.status, crate::subscription::SubscriptionStatus::Deleted);
        // A timer the subscription refuses (deleting it twice) changes nothing.
        let fired = timer_fired(&mut sub, TimerKind::Delete, ends + rules.grace, &rules);
        assert!(fired.effects.is_empty() && fired.audit.is_none());
    }
}
