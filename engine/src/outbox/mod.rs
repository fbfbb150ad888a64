//! The outbox: effects written in the same transaction as the decision that asked for them, and
//! carried out afterwards by the [`worker`].
//!
//! Each row has an idempotency key (enqueued once), an attempt count and a next-attempt time.
//! Rows of one order run in order within their [`Lane`]: a row waits while an earlier row of the
//! same order and lane that was already due is still pending (failed and waiting to be retried).
//! Rows scheduled for later (closing a channel in an hour) do not hold anything up.

pub mod worker;

use std::collections::HashSet;
use std::time::Duration;

use jiff::Timestamp;
use redb::ReadableTable;
use serde::{Deserialize, Serialize};
use tracing::error;

use crate::effect::{Effect, Lane, Scheduled};
use crate::store::{self, StoreError, Txn, millis, tables::*};

/// How the outbox retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxSettings {
    /// Failures after which a row is given up (and admins are alerted).
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Rows taken per pass, and the most the running worker has in hand (executing, or with
    /// their result waiting for its commit).
    pub batch: usize,
    /// Rows out with the outside world at once (a result being recorded holds no slot).
    pub concurrency: usize,
    /// Longest sleep between passes when nothing wakes the worker.
    pub poll_interval: Duration,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            max_attempts: 8,
            base_delay: Duration::from_secs(2),
            max_delay: Duration::from_secs(600),
            batch: 64,
            concurrency: 8,
            poll_interval: Duration::from_secs(5),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    Pending,
    Done,
    /// Failed for good (permanent error or out of attempts); admins were told.
    GaveUp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    pub id: u64,
    pub key: String,
    pub effect: Effect,
    pub created_at: Timestamp,
    /// The earliest time the effect was meant to run.
    pub not_before: Timestamp,
    pub next_attempt_at: Timestamp,
    pub attempts: u32,
    pub status: OutboxStatus,
    pub last_error: Option<String>,
    pub finished_at: Option<Timestamp>,
}

impl OutboxRow {
    pub fn lane(&self) -> Lane {
        self.effect.lane()
    }

    fn stream(&self) -> u128 {
        self.effect.stream()
    }
}

/// Writes one effect in the caller's transaction, unless its key was enqueued before.
/// Returns the new row's id.
pub(crate) fn enqueue(
    txn: &Txn,
    key: String,
    scheduled: Scheduled,
    now: Timestamp,
) -> Result<Option<u64>, StoreError> {
    let mut keys = txn.open_table(OUTBOX_KEYS)?;
    if keys.get(key.as_str())?.is_some() {
        return Ok(None);
    }
    let id = enqueue_unique(txn, key.clone(), scheduled, now)?;
    keys.insert(key.as_str(), id)?;
    Ok(Some(id))
}

/// Writes an effect whose key no other row can have: an order's effects are keyed by the
/// order and the number of the event that asked for them, and an order's events are numbered
/// once. They skip the key index (one table fewer written per command). Returns the row's id.
pub(crate) fn enqueue_unique(
    txn: &Txn,
    key: String,
    scheduled: Scheduled,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let mut outbox = txn.open_table(OUTBOX)?;
    let id = store::next_id(&outbox)?;
    let not_before = scheduled.not_before.unwrap_or(now);
    let row = OutboxRow {
        id,
        key,
        effect: scheduled.effect,
        created_at: now,
        not_before,
        next_attempt_at: not_before,
        attempts: 0,
        status: OutboxStatus::Pending,
        last_error: None,
        finished_at: None,
    };
    txn.open_table(OUTBOX_DUE)?
        .insert((millis(not_before), id), ())?;
    txn.open_table(OUTBOX_STREAMS)?
        .insert((row.lane().key(), row.stream(), id), millis(not_before))?;
    store::put(&mut outbox, id, &row)?;
    Ok(id)
}

/// Rows due at `now` that are first in line in their stream, oldest due first, leaving out
/// the ids in `skip` without reading them.
pub(crate) fn due(
    outbox: &impl ReadableTable<u64, &'static [u8]>,
    due_index: &impl ReadableTable<(i64, u64), ()>,
    streams: &impl ReadableTable<(u8, u128, u64), i64>,
    now: Timestamp,
    limit: usize,
    skip: &HashSet<u64>,
) -> Result<Vec<OutboxRow>, StoreError> {
    let now_ms = millis(now);
    let mut out = Vec::new();
    for entry in due_index.range(..=(now_ms, u64::MAX))? {
        if out.len() == limit {
            break;
        }
        let (key, _) = entry?;
        let id = key.value().1;
        if skip.contains(&id) {
            continue;
        }
        if let Some(row) = runnable(outbox, streams, id, now_ms)? {
            out.push(row);
        }
    }
    Ok(out)
}

/// The row, if the worker may run it now: it decodes, and no earlier row of its stream and lane
/// is still waiting. One unreadable row must not stop every other effect: it is skipped, loudly.
fn runnable(
    outbox: &impl ReadableTable<u64, &'static [u8]>,
    streams: &impl ReadableTable<(u8, u128, u64), i64>,
    id: u64,
    now_ms: i64,
) -> Result<Option<OutboxRow>, StoreError> {
    let row = match store::get::<u64, OutboxRow>(outbox, OUTBOX_NAME, id) {
        Ok(Some(row)) => row,
        Ok(None) => return Ok(None),
        Err(StoreError::Decode(e)) => {
            error!(row = id, error = %e, "outbox row cannot be decoded; skipping it");
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    if waits_behind_earlier(streams, &row, now_ms)? {
        return Ok(None);
    }
    Ok(Some(row))
}

/// Whether an earlier pending row of the same stream and lane was due by now.
fn waits_behind_earlier(
    streams: &impl ReadableTable<(u8, u128, u64), i64>,
    row: &OutboxRow,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let stream = row.stream();
    if stream == 0 {
        return Ok(false);
    }
    let lane = row.lane().key();
    for entry in streams.range((lane, stream, 0)..(lane, stream, row.id))? {
        let (_, not_before) = entry?;
        if not_before.value() <= now_ms {
            return Ok(true);
        }
    }
    Ok(false)
}

/// When the worker has something to run next (to know how long it may sleep): now, if a due row
/// is runnable; else the first time a row falls due. Rows due but not runnable (unreadable, or
/// waiting behind an earlier row of their order) do not count: the first never runs, the second
/// only after a write, which wakes the worker anyway.
pub(crate) fn next_due(
    outbox: &impl ReadableTable<u64, &'static [u8]>,
    due_index: &impl ReadableTable<(i64, u64), ()>,
    streams: &impl ReadableTable<(u8, u128, u64), i64>,
    now: Timestamp,
) -> Result<Option<Timestamp>, StoreError> {
    let now_ms = millis(now);
    for entry in due_index.iter()? {
        let (key, _) = entry?;
        let (at, id) = key.value();
        if at > now_ms {
            return Ok(Timestamp::from_millisecond(at).ok());
        }
        if runnable(outbox, streams, id, now_ms)?.is_some() {
            return Ok(Some(now));
        }
    }
    Ok(None)
}

/// Marks a row finished (done or given up) and takes it out of the indexes.
pub(crate) fn finish(
    txn: &Txn,
    mut row: OutboxRow,
    status: OutboxStatus,
    error: Option<String>,
    now: Timestamp,
) -> Result<OutboxRow, StoreError> {
    txn.open_table(OUTBOX_DUE)?
        .remove((millis(row.next_attempt_at), row.id))?;
    txn.open_table(OUTBOX_STREAMS)?
        .remove((row.lane().key(), row.stream(), row.id))?;
    if error.is_some() {
        row.attempts += 1;
        row.last_error = error;
    } else if status == OutboxStatus::Done {
        row.attempts += 1;
    }
    row.status = status;
    row.finished_at = Some(now);
    store::put(&mut txn.open_table(OUTBOX)?, row.id, &row)?;
    Ok(row)
}

/// Records a failed attempt and moves the row to `retry_at`.
pub(crate) fn reschedule(
    txn: &Txn,
    mut row: OutboxRow,
    error: String,
    retry_at: Timestamp,
) -> Result<OutboxRow, StoreError> {
    let mut due = txn.open_table(OUTBOX_DUE)?;
    due.remove((millis(row.next_attempt_at), row.id))?;
    row.attempts += 1;
    row.last_error = Some(error);
    row.next_attempt_at = retry_at;
    due.insert((millis(retry_at), row.id), ())?;
    store::put(&mut txn.open_table(OUTBOX)?, row.id, &row)?;
    Ok(row)
}
