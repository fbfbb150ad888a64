//! Broadcasts through the shop (see `broadcast.rs`): drafted with the count of who it reaches,
//! sent in one write transaction that writes one DM row per recipient, counted as each DM
//! finishes (in the transaction that records the DM's result), and shoppers' opt-outs.

use std::collections::HashMap;

use jiff::Timestamp;
use redb::ReadableTable;

use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::broadcast::{
    Broadcast, BroadcastStatus, DmResult, PROGRESS_EVERY, Segment, check_message,
};
use crate::effect::{DiscordEffect, Scheduled};
use crate::error::{Invalid, ShopError};
use crate::ids::{BroadcastId, UserId};
use crate::outbox;
use crate::store::{self, millis, tables::*};
use crate::subscription::Subscription;

impl Shop {
    /// Drafts a broadcast: checked, counted, stored, not sent.
    pub async fn draft_broadcast(
        &self,
        actor: Actor,
        channel: u64,
        segment: Segment,
        message: String,
    ) -> Result<Broadcast, ShopError> {
        actor.require_admin()?;
        segment.validate()?;
        check_message(&message)?;
        let by = actor.user().expect("an admin is a user");
        self.blocking(move |core| {
            let now = core.now();
            let recipients = {
                let read = store::begin_read(&core.db)?;
                recipients(&read, &segment, now)?.len() as u64
            };
            let draft = Broadcast {
                id: BroadcastId(core.new_ulid(now)),
                by,
                channel,
                message: message.trim().to_owned(),
                segment: segment.clone(),
                created_at: now,
                status: BroadcastStatus::Draft,
                recipients,
                sent: 0,
                failed: 0,
                skipped: 0,
            };
            core.writer.write(move |_, txn| {
                store::put(&mut txn.open_table(BROADCASTS)?, draft.id.key(), &draft)?;
                audit::record(
                    txn,
                    now,
                    actor,
                    "broadcast.draft",
                    format!("broadcast:{}", draft.id),
                    format!("{} ({} now)", draft.segment.describe(), draft.recipients),
                )?;
                Ok(draft.clone())
            })
        })
        .await
    }

    /// Sends a drafted broadcast: its recipients are counted again now, and each gets one DM
    /// row in the same transaction; sending one twice is refused.
    pub async fn send_broadcast(
        &self,
        actor: Actor,
        id: BroadcastId,
    ) -> Result<Broadcast, ShopError> {
        actor.require_admin()?;
        self.blocking(move |core| {
            let now = core.now();
            let (draft, to) = {
                let read = store::begin_read(&core.db)?;
                let draft = load(&read.open_table(BROADCASTS)?, id)?;
                let to = recipients(&read, &draft.segment, now)?;
                (draft, to)
            };
            core.writer.write(move |_, txn| {
                let mut b = load(&txn.open_table(BROADCASTS)?, id)?;
                if b.status != BroadcastStatus::Draft {
                    return Err(Invalid::new("broadcast", "was sent already").into());
                }
                b.recipients = to.len() as u64;
                b.status = if to.is_empty() {
                    BroadcastStatus::Done
                } else {
                    BroadcastStatus::Sending
                };
                for shopper in &to {
                    outbox::enqueue_unique(
                        txn,
                        format!("broadcast:{id}:dm:{shopper}"),
                        Scheduled::now(DiscordEffect::BroadcastDm {
                            broadcast: id,
                            shopper: *shopper,
                        }),
                        now,
                    )?;
                }
                progress(txn, &b, now)?;
                store::put(&mut txn.open_table(BROADCASTS)?, id.key(), &b)?;
                audit::record(
                    txn,
                    now,
                    actor,
                    "broadcast.send",
                    format!("broadcast:{id}"),
                    format!("{} to {}", b.recipients, draft.segment.describe()),
                )?;
                Ok(b)
            })
        })
        .await
    }

    pub async fn broadcast(&self, id: BroadcastId) -> Result<Broadcast, ShopError> {
        self.blocking(move |core| load(&store::begin_read(&core.db)?.open_table(BROADCASTS)?, id))
            .await
    }

    /// The shopper wants no more broadcasts. Answers whether this changed anything.
    pub async fn opt_out_of_broadcasts(&self, shopper: UserId) -> Result<bool, ShopError> {
        let now = self.core.now();
        self.core
            .writer
            .write_async(move |_, txn| {
                let mut optouts = txn.open_table(BROADCAST_OPTOUTS)?;
                if optouts.get(shopper.0)?.is_some() {
                    return Ok(false);
                }
                optouts.insert(shopper.0, millis(now))?;
                drop(optouts);
                audit::record(
                    txn,
                    now,
                    Actor::Shopper(shopper),
                    "broadcast.opt_out",
                    format!("user:{shopper}"),
                    String::new(),
                )?;
                Ok(true)
            })
            .await
    }

    pub async fn opted_out_of_broadcasts(&self, shopper: UserId) -> Result<bool, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            Ok(read
                .open_table(BROADCAST_OPTOUTS)?
                .get(shopper.0)?
                .is_some())
        })
        .await
    }
}

impl Core {
    /// One DM of a broadcast finished (in the transaction that records it): counted, and the
    /// progress message edited every few DMs and at the end.
    pub(super) fn feed_broadcast_dm(
        &self,
        txn: &crate::store::Txn,
        id: BroadcastId,
        shopper: UserId,
        result: DmResult,
        now: Timestamp,
    ) -> Result<(), ShopError> {
        let mut b = load(&txn.open_table(BROADCASTS)?, id)?;
        let opted_out = txn.open_table(BROADCAST_OPTOUTS)?.get(shopper.0)?.is_some();
        match result {
            DmResult::Sent if opted_out => b.skipped += 1,
            DmResult::Sent => b.sent += 1,
            DmResult::Skipped => b.skipped += 1,
            DmResult::Failed => b.failed += 1,
        }
        if b.left() == 0 {
            b.status = BroadcastStatus::Done;
        }
        let finished = b.sent + b.failed + b.skipped;
        if finished.is_multiple_of(PROGRESS_EVERY) || b.left() == 0 {
            progress(txn, &b, now)?;
        }
        store::put(&mut txn.open_table(BROADCASTS)?, id.key(), &b)?;
        Ok(())
    }
}

/// Queues an edit of the progress message, once per point of progress.
fn progress(txn: &crate::store::Txn, b: &Broadcast, now: Timestamp) -> Result<(), ShopError> {
    let done = b.sent + b.failed + b.skipped;
    outbox::enqueue(
        txn,
        format!("broadcast:{}:progress:{done}", b.id),
        Scheduled::now(DiscordEffect::BroadcastProgress { broadcast: b.id }),
        now,
    )?;
    Ok(())
}

fn load(
    table: &impl ReadableTable<u128, &'static [u8]>,
    id: BroadcastId,
) -> Result<Broadcast, ShopError> {
    store::get(table, BROADCASTS_NAME, id.key())?.ok_or_else(|| ShopError::NotFound {
        what: "broadcast",
        id: id.to_string(),
    })
}

/// Who `segment` reaches now, opted-out shoppers left out, in id order.
fn recipients(
    read: &redb::ReadTransaction,
    segment: &Segment,
    now: Timestamp,
) -> Result<Vec<UserId>, ShopError> {
    let mut subs: HashMap<u64, Vec<Subscription>> = HashMap::new();
    for row in read.open_table(SUBSCRIPTIONS)?.iter()? {
        let (_, v) = row?;
        let sub: Subscription = crate::store::envelope::decode(SUBSCRIPTIONS_NAME, v.value())?;
        subs.entry(sub.shopper.0).or_default().push(sub);
    }
    let optouts = read.open_table(BROADCAST_OPTOUTS)?;
    let mut out = Vec::new();
    for row in read.open_table(SHOPPERS)?.iter()? {
        let (k, _) = row?;
        let shopper = k.value();
        let theirs: Vec<&Subscription> = subs
            .get(&shopper)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        if segment.holds(&theirs, now) && optouts.get(shopper)?.is_none() {
            out.push(UserId(shopper));
        }
    }
    Ok(out)
}
