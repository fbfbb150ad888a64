//! The shop's side of the outbox: handing out due rows and taking results back. A result and the
//! order event it causes (`Provisioned`, `ProvisionFailed`) commit in one transaction.

use std::collections::HashSet;

use jiff::Timestamp;
use tracing::{info, warn};

use super::records::{ShopperRecord, load_shopper, write_shopper, write_subscription};
use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::broadcast::DmResult;
use crate::effect::{DiscordEffect, Effect, PanelAction, PanelOp, Scheduled, SubscriptionNotice};
use crate::error::ShopError;
use crate::executor::ExecError;
use crate::ids::SubscriptionId;
use crate::order::{Event, Input, OrderKind, ProvisionRequest, ProvisionedAccess};
use crate::outbox::{self, OutboxRow, OutboxStatus};
use crate::server::Server;
use crate::store::{self, tables::*};
use crate::subscription::{Subscription, SubscriptionEvent, SubscriptionStatus};

/// What became of one attempt at an effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EffectOutcome {
    Done,
    /// A provisioning effect succeeded: how to reach each client, in the request's order.
    Provisioned(Vec<ProvisionedAccess>),
    /// A payment provider opened the order's checkout.
    CheckoutOpened(crate::payment::Checkout),
    Failed(ExecError),
}

impl Shop {
    /// Rows due now, first in line in their stream, at most `limit`.
    pub async fn due_effects(&self, limit: usize) -> Result<Vec<OutboxRow>, ShopError> {
        self.due_effects_except(limit, HashSet::new()).await
    }

    /// [`Shop::due_effects`] leaving out the rows `in_hand` (the worker's, still running or
    /// being recorded): they are passed over by id, before their rows are read and decoded.
    pub async fn due_effects_except(
        &self,
        limit: usize,
        in_hand: HashSet<u64>,
    ) -> Result<Vec<OutboxRow>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            Ok(outbox::due(
                &read.open_table(OUTBOX)?,
                &read.open_table(OUTBOX_DUE)?,
                &read.open_table(OUTBOX_STREAMS)?,
                core.now(),
                limit,
                &in_hand,
            )?)
        })
        .await
    }

    /// When the outbox next has a row the worker may run (see [`outbox::next_due`]).
    pub async fn next_effect_due(&self) -> Result<Option<Timestamp>, ShopError> {
        self.blocking(move |core| {
            let now = core.now();
            let read = store::begin_read(&core.db)?;
            Ok(outbox::next_due(
                &read.open_table(OUTBOX)?,
                &read.open_table(OUTBOX_DUE)?,
                &read.open_table(OUTBOX_STREAMS)?,
                now,
            )?)
        })
        .await
    }

    /// One outbox row by id.
    pub async fn outbox_row(&self, id: u64) -> Result<Option<OutboxRow>, ShopError> {
        self.blocking(move |core| {
            Ok(store::get(
                &store::begin_read(&core.db)?.open_table(OUTBOX)?,
                OUTBOX_NAME,
                id,
            )?)
        })
        .await
    }

    /// The server a provisioning effect targets, as configured now.
    pub async fn server(&self, id: crate::ids::ServerId) -> Result<Option<Server>, ShopError> {
        self.blocking(move |core| {
            Ok(store::get(
                &store::begin_read(&core.db)?.open_table(SERVERS)?,
                SERVERS_NAME,
                id.as_str(),
            )?)
        })
        .await
    }

    /// Records the result of executing row `id`: done, or failed (retried with backoff, or given
    /// up after too many attempts or a permanent error, which alerts the admins). Results of
    /// provisioning re-enter the order machine in the same transaction.
    pub async fn complete_effect(
        &self,
        id: u64,
        outcome: EffectOutcome,
    ) -> Result<OutboxRow, ShopError> {
        let now = self.core.now();
        self.core
            .writer
            .write_async(move |core, txn| core.record_outcome(txn, id, outcome.clone(), now))
            .await
    }
}

impl Core {
    /// The result of one attempt, in the writer's transaction.
    fn record_outcome(
        &self,
        txn: &crate::store::Txn,
        id: u64,
        outcome: EffectOutcome,
        now: Timestamp,
    ) -> Result<OutboxRow, ShopError> {
        let row: OutboxRow =
            store::get(&txn.open_table(OUTBOX)?, OUTBOX_NAME, id)?.ok_or_else(|| {
                ShopError::NotFound {
                    what: "outbox row",
                    id: id.to_string(),
                }
            })?;
        if row.status != OutboxStatus::Pending {
            // A second report for a finished row (a replay): nothing to do.
            return Ok(row);
        }
        let broadcast_dm = match &row.effect {
            Effect::Discord {
                effect: DiscordEffect::BroadcastDm { broadcast, shopper },
            } => Some((*broadcast, *shopper)),
            _ => None,
        };
        let row = match outcome {
            EffectOutcome::Done => {
                let row = outbox::finish(txn, row, OutboxStatus::Done, None, now)?;
                if let Some((broadcast, shopper)) = broadcast_dm {
                    self.feed_broadcast_dm(txn, broadcast, shopper, DmResult::Sent, now)?;
                }
                row
            }
            EffectOutcome::Provisioned(accesses) => {
                let row = outbox::finish(txn, row, OutboxStatus::Done, None, now)?;
                self.feed_provisioned(txn, &row, accesses, now)?;
                row
            }
            EffectOutcome::CheckoutOpened(checkout) => {
                let row = outbox::finish(txn, row, OutboxStatus::Done, None, now)?;
                self.feed_checkout(txn, &row, checkout, now)?;
                row
            }
            EffectOutcome::Failed(error) => {
                let attempts = row.attempts + 1;
                if error.permanent || attempts >= self.settings.outbox.max_attempts {
                    let row = outbox::finish(
                        txn,
                        row,
                        OutboxStatus::GaveUp,
                        Some(error.message.clone()),
                        now,
                    )?;
                    match broadcast_dm {
                        // A DM Discord refuses (DMs closed, the account gone) is counted, not
                        // alerted: a large broadcast meets many.
                        Some((broadcast, shopper)) => {
                            self.feed_broadcast_dm(txn, broadcast, shopper, DmResult::Failed, now)?
                        }
                        None => self.give_up(txn, &row, &error, now)?,
                    }
                    row
                } else {
                    let outbox = &self.settings.outbox;
                    let delay = nebula_common::backoff(
                        outbox.base_delay,
                        outbox.max_delay,
                        attempts,
                        &mut rand::rng(),
                    );
                    let retry_at = now
                        .checked_add(
                            jiff::SignedDuration::try_from(delay)
                                .unwrap_or(jiff::SignedDuration::MAX),
                        )
                        .unwrap_or(Timestamp::MAX);
                    warn!(row = id, effect = row.effect.name(), attempts, error = %error.message, %retry_at, "effect failed; will retry");
                    outbox::reschedule(txn, row, error.message, retry_at)?
                }
            }
        };
        Ok(row)
    }

    /// A provisioning result enters the order machine; on success each client's subscription
    /// is written (created, or extended for a renewal: the whole group) and the shopper counts
    /// one more paid order.
    fn feed_provisioned(
        &self,
        txn: &crate::store::Txn,
        row: &OutboxRow,
        accesses: Vec<ProvisionedAccess>,
        now: Timestamp,
    ) -> Result<(), ShopError> {
        let request = match &row.effect {
            Effect::Provision { request } => request,
            Effect::Move { from, request } => {
                let Some(access) = accesses.into_iter().next() else {
                    return Ok(());
                };
                return self.feed_moved(txn, *from, request, access, now);
            }
            _ => return Ok(()),
        };
        let mut accesses = accesses.into_iter();
        let Some(first) = accesses.next() else {
            return Ok(());
        };
        let event = Event::Provisioned {
            attempt: request.attempt,
            access: first.clone(),
            also: accesses.clone().collect(),
        };
        let parts: Vec<_> = request
            .parts()
            .into_iter()
            .zip(std::iter::once(first).chain(accesses))
            .collect();
        let group = request.group();
        let input = Input {
            at: now,
            actor: Actor::System,
            event,
        };
        let result = self.apply_in(txn, request.order, input, |txn, record| {
            let order = &record.order;
            for (part, access) in &parts {
                let old: Option<Subscription> =
                    store::get(&txn.open_table(SUBSCRIPTIONS)?, SUBSCRIPTIONS_NAME, part.subscription.key())?;
                let mut sub = match (order.kind, old.clone()) {
                    (OrderKind::Renewal { .. }, Some(mut sub)) => {
                        let renewed = SubscriptionEvent::Renewed {
                            order: order.id,
                            plan: order.plan.clone(),
                            expires_at: access.expires_at,
                        };
                        if let Err(e) = sub.apply(renewed, now) {
                            warn!(subscription = %sub.id, error = %e, "renewal provisioned but the subscription refused it");
                        }
                        sub
                    }
                    _ => Subscription {
                        id: part.subscription,
                        shopper: order.shopper,
                        plan: order.plan.clone(),
                        server: part.server.clone(),
                        client_email: part.client_email.clone(),
                        access: access.access.clone(),
                        alternatives: Vec::new(),
                        subscription_url: None,
                        status: SubscriptionStatus::Active,
                        created_at: now,
                        updated_at: now,
                        expires_at: access.expires_at,
                        traffic: order.plan.traffic,
                        device_limit: order.plan.device_limit,
                        used_bytes: 0,
                        orders: vec![order.id],
                        reminders_sent: Vec::new(),
                        traffic_notice: 0,
                        usage_read_at: None,
                        timer: None,
                        group,
                        carried_bytes: 0,
                        replaced_by: None,
                        moving: None,
                        traffic_resets: 0,
                    },
                };
                sub.access = access.access.clone();
                sub.alternatives = access.alternatives.clone();
                sub.subscription_url = access.subscription_url.clone();
                sub.start_period(now, &self.settings.lifecycle);
                write_subscription(txn, &mut sub, old.as_ref(), &self.settings.lifecycle)?;
            }
            let shoppers = txn.open_table(SHOPPERS)?;
            let mut shopper = load_shopper(&shoppers, order.shopper)?
                .unwrap_or(ShopperRecord { first_seen: order.created_at, paid_orders: 0, orders: 1 });
            drop(shoppers);
            shopper.paid_orders += 1;
            write_shopper(txn, order.shopper, &shopper)?;
            Ok(())
        });
        match result {
            Ok(_) => Ok(()),
            // A result the order no longer waits for (a replayed delivery after it was
            // fulfilled, or an attempt superseded by a retry): the row is done; nothing else.
            Err(ShopError::Rejected(rejection)) => {
                info!(order = %request.order, attempt = request.attempt, %rejection, "provisioning result ignored");
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// A client was made on another server for subscription `from`: the new subscription takes
    /// its place in the group (same end, same plan, its usage carried), the old one is retired
    /// and its client deleted, and the shopper is told. All in one transaction.
    fn feed_moved(
        &self,
        txn: &crate::store::Txn,
        from: SubscriptionId,
        request: &ProvisionRequest,
        access: ProvisionedAccess,
        now: Timestamp,
    ) -> Result<(), ShopError> {
        let rules = &self.settings.lifecycle;
        let old: Option<Subscription> = store::get(
            &txn.open_table(SUBSCRIPTIONS)?,
            SUBSCRIPTIONS_NAME,
            from.key(),
        )?;
        let orphan = |why: &str| -> Result<(), ShopError> {
            // The client just made answers for nothing: take it away again.
            info!(subscription = %from, why, "moved client not needed; deleting it");
            outbox::enqueue(
                txn,
                format!("sub:{}/unneeded", request.subscription),
                Scheduled::now(Effect::Panel {
                    op: PanelOp {
                        subscription: request.subscription,
                        server: request.server.clone(),
                        client_email: request.client_email.clone(),
                        action: PanelAction::Delete,
                    },
                }),
                now,
            )?;
            Ok(())
        };
        let Some(old) = old else {
            return orphan("the subscription no longer exists");
        };
        if old.replaced_by == Some(request.subscription) {
            return Ok(()); // a replayed result
        }
        if old.status == SubscriptionStatus::Deleted || old.moving != Some(request.subscription) {
            return orphan("the subscription was deleted or moved otherwise meanwhile");
        }
        let mut moved = old.clone();
        moved.id = request.subscription;
        moved.server = request.server.clone();
        moved.client_email = request.client_email.clone();
        moved.access = access.access;
        moved.alternatives = access.alternatives;
        moved.subscription_url = access.subscription_url;
        moved.group = Some(old.group_id());
        moved.carried_bytes = old.usage_bytes();
        moved.used_bytes = 0;
        moved.created_at = now;
        moved.updated_at = now;
        moved.usage_read_at = None;
        moved.timer = None;
        moved.moving = None;
        moved.replaced_by = None;
        write_subscription(txn, &mut moved, None, rules)?;
        if moved.status != SubscriptionStatus::Active {
            // It was suspended or expired while the move ran: the new client is made enabled.
            super::upkeep::enqueue_panel_op(
                txn,
                &moved,
                PanelAction::Disable,
                "moved-disable",
                now,
            )?;
        }
        let mut retired = old.clone();
        retired.retire(moved.id, now);
        retired.moving = None;
        write_subscription(txn, &mut retired, Some(&old), rules)?;
        super::upkeep::enqueue_panel_op(txn, &old, PanelAction::Delete, "retired", now)?;
        let from_region: Option<Server> =
            store::get(&txn.open_table(SERVERS)?, SERVERS_NAME, old.server.as_str())?;
        let notice = SubscriptionNotice::Moved {
            from_region: from_region.map(|s| s.region).unwrap_or_default(),
            to_region: request.region.clone(),
        };
        outbox::enqueue(
            txn,
            format!("sub:{from}/moved"),
            Scheduled::now(DiscordEffect::NotifySubscriber {
                shopper: old.shopper,
                subscription: moved.id,
                plan_name: old.plan.name.clone(),
                notice,
            }),
            now,
        )?;
        audit::record(
            txn,
            now,
            Actor::System,
            "subscription.move",
            format!("subscription:{from}"),
            format!(
                "{} on {} -> {} on {} ({})",
                old.client_email, old.server, moved.client_email, moved.server, moved.id
            ),
        )?;
        Ok(())
    }

    /// A row that will not be tried again: provisioning failures fail the order (which alerts
    /// the admins with a Retry button); any other effect raises an alert of its own.
    fn give_up(
        &self,
        txn: &crate::store::Txn,
        row: &OutboxRow,
        error: &ExecError,
        now: Timestamp,
    ) -> Result<(), ShopError> {
        warn!(row = row.id, effect = row.effect.name(), attempts = row.attempts, error = %error.message, "effect given up");
        audit::record(
            txn,
            now,
            Actor::System,
            "outbox.gave_up",
            format!("outbox:{}", row.id),
            format!(
                "{} after {} attempts: {}",
                row.effect.name(),
                row.attempts,
                error.message
            ),
        )?;
        match &row.effect {
            Effect::Provision { request } => {
                let event = Event::ProvisionFailed {
                    attempt: request.attempt,
                    error: error.message.clone(),
                };
                match self.apply_in(
                    txn,
                    request.order,
                    Input {
                        at: now,
                        actor: Actor::System,
                        event,
                    },
                    |_, _| Ok(()),
                ) {
                    Ok(_) | Err(ShopError::Rejected(_)) => Ok(()),
                    Err(e) => Err(e),
                }
            }
            Effect::Checkout { request } => {
                let message = crate::alert::AlertKind::CheckoutFailed {
                    provider: request.provider.label().to_owned(),
                    code: request.code.clone(),
                    attempts: row.attempts,
                    error: error.message.clone(),
                };
                let key = format!("outbox:{}/gave-up", row.id);
                super::upkeep::alert_admins_about(txn, key, message, Some(request.order), now)
            }
            // Never alert about a failed alert: that would loop.
            Effect::Discord {
                effect: DiscordEffect::AlertAdmins { .. },
            } => Ok(()),
            Effect::Move { from, request } => {
                let current: Option<Subscription> = store::get(
                    &txn.open_table(SUBSCRIPTIONS)?,
                    SUBSCRIPTIONS_NAME,
                    from.key(),
                )?;
                if let Some(old) = current.filter(|s| s.moving == Some(request.subscription)) {
                    // Free it for the next plan of moves.
                    let mut sub = old.clone();
                    sub.moving = None;
                    write_subscription(txn, &mut sub, Some(&old), &self.settings.lifecycle)?;
                }
                let message = crate::alert::AlertKind::MoveFailed {
                    subscription: from.to_string(),
                    client: request.client_email.clone(),
                    server: request.server.to_string(),
                    attempts: row.attempts,
                    error: error.message.clone(),
                };
                super::upkeep::alert_admins(txn, format!("outbox:{}/gave-up", row.id), message, now)
            }
            Effect::Panel { op } => {
                let message = crate::alert::AlertKind::PanelFailed {
                    action: op.action,
                    client: op.client_email.clone(),
                    server: op.server.to_string(),
                    attempts: row.attempts,
                    error: error.message.clone(),
                };
                super::upkeep::alert_admins(txn, format!("outbox:{}/gave-up", row.id), message, now)
            }
            Effect::Discord { effect } => {
                let message = crate::alert::AlertKind::DiscordFailed {
                    effect: effect.name().replace('_', " "),
                    attempts: row.attempts,
                    error: error.message.clone(),
                };
                let key = format!("outbox:{}/gave-up", row.id);
                super::upkeep::alert_admins_about(txn, key, message, effect.order(), now)
            }
        }
    }
}
