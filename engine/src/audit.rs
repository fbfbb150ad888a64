//! The audit log: who did what to which thing, and when. Written in the same transaction as the
//! change it describes; never rewritten.

use jiff::Timestamp;
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::ids::UserId;
use crate::store::{self, StoreError, Txn, tables};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: u64,
    pub at: Timestamp,
    pub actor: Actor,
    /// `order.approve`, `plan.add`, `outbox.gave_up`, ...
    pub action: String,
    /// `order:01J…`, `plan:month-50gb`, ...
    pub target: String,
    /// A short human-readable account; never a secret.
    pub details: String,
}

/// Appends one entry in the caller's transaction.
pub fn record(
    txn: &Txn,
    at: Timestamp,
    actor: Actor,
    action: &str,
    target: String,
    details: String,
) -> Result<u64, StoreError> {
    let mut table = txn.open_table(tables::AUDIT)?;
    let id = store::next_id(&table)?;
    let entry = AuditEntry {
        id,
        at,
        actor,
        action: action.to_owned(),
        target,
        details,
    };
    store::put(&mut table, id, &entry)?;
    Ok(id)
}

/// Which entries to show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Entries by this user (shopper or admin).
    pub actor: Option<UserId>,
    /// Entries about this target (`order:01J…`).
    pub target: Option<String>,
    /// Entries whose action starts with this (`order.` or `order.approve`).
    pub action: Option<String>,
}

impl AuditFilter {
    fn matches(&self, e: &AuditEntry) -> bool {
        self.actor.is_none_or(|a| e.actor.user() == Some(a))
            && self.target.as_ref().is_none_or(|t| &e.target == t)
            && self
                .action
                .as_ref()
                .is_none_or(|a| e.action.starts_with(a.as_str()))
    }
}

/// A page of entries, newest first, and the cursor for the next (older) page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub next_before: Option<u64>,
}

/// Entries older than `before` (or the newest), filtered, at most `limit`.
pub fn page(
    table: &impl ReadableTable<u64, &'static [u8]>,
    filter: &AuditFilter,
    before: Option<u64>,
    limit: usize,
) -> Result<AuditPage, StoreError> {
    let mut entries = Vec::new();
    let range = table.range(..before.unwrap_or(u64::MAX))?;
    for row in range.rev() {
        let (_, value) = row?;
        let entry: AuditEntry = store::envelope::decode(tables::AUDIT_NAME, value.value())?;
        if filter.matches(&entry) {
            if entries.len() == limit {
                return Ok(AuditPage {
                    next_before: entries.last().map(|e: &AuditEntry| e.id),
                    entries,
                });
            }
            entries.push(entry);
        }
    }
    Ok(AuditPage {
        entries,
        next_before: None,
    })
}
