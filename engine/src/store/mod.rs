//! Persistence in redb: the tables, their versions, and typed access to them.
//!
//! Every table name carries its version (`orders_v1`); a migration copies into the next version
//! in one transaction. Values are bytes in the [`envelope`]; keys are plain redb keys so that
//! ranges (by state, by deadline, by expiry) are cheap. This module is blocking: callers run it
//! on a blocking thread, never on the async executor.

pub mod backup;
pub mod envelope;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
#[cfg(any(test, feature = "testing"))]
pub mod power_cut;
pub mod tables;

use std::borrow::Borrow;
use std::path::Path;

use redb::{Database, Durability, Key, ReadableDatabase, ReadableTable, Table, WriteTransaction};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use envelope::DecodeError;
use tables::*;

/// The schema this build writes. A database from a newer build is refused, not misread.
pub const SCHEMA_VERSION: u64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] redb::Error),
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("the database has schema {found}; this build understands up to {SCHEMA_VERSION}")]
    NewerSchema { found: u64 },
    #[error("a blocking task failed: {0}")]
    Join(String),
    /// A group commit failed: every command in it is told, and none of them took effect.
    #[error(
        "the commit of {commands} command(s) together failed, so none of them took effect: {detail}"
    )]
    BatchFailed { commands: usize, detail: String },
    #[error("the shop is shutting down; the command was not applied")]
    WriterStopped,
    #[error("the command failed unexpectedly; nothing of it was written")]
    Panicked,
    /// A failure a test asked for.
    #[error("injected commit failure")]
    Injected,
}

macro_rules! via_redb_error {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self {
                StoreError::Db(redb::Error::from(e))
            }
        }
    )*};
}
via_redb_error!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError
);

/// Opens (or creates) the database file and makes sure every table of this schema exists.
pub fn open(path: &Path) -> Result<Database, StoreError> {
    prepare(Database::create(path)?)
}

/// The same on another disk (the power-loss tests' [`power_cut::PowerCutDisk`]).
#[cfg(any(test, feature = "testing"))]
pub fn open_backend(backend: impl redb::StorageBackend) -> Result<Database, StoreError> {
    prepare(redb::Builder::new().create_with_backend(backend)?)
}

/// Checks the schema and creates what is missing.
fn prepare(db: Database) -> Result<Database, StoreError> {
    let mut txn = db.begin_write()?;
    txn.set_durability(Durability::Immediate)?;
    {
        let mut meta = txn.open_table(META)?;
        let found = meta.get(SCHEMA_KEY)?.map(|v| v.value());
        match found {
            Some(v) if v > SCHEMA_VERSION => return Err(StoreError::NewerSchema { found: v }),
            Some(_) => {}
            None => {
                meta.insert(SCHEMA_KEY, SCHEMA_VERSION)?;
            }
        }
    }
    tables::create_all(&txn)?;
    txn.commit()?;
    Ok(db)
}

/// Starts a command's write transaction: durable on commit.
pub fn begin_command(db: &Database) -> Result<WriteTransaction, StoreError> {
    let mut txn = db.begin_write()?;
    txn.set_durability(command_durability())?;
    Ok(txn)
}

/// Set only by the lifecycle bench, to measure what the engine costs with no fsync at all (an
/// upper bound for any change to how commits are made durable). The shop never sets it.
#[cfg(feature = "testing")]
pub static BENCH_WITHOUT_FSYNC: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

fn command_durability() -> Durability {
    #[cfg(feature = "testing")]
    if BENCH_WITHOUT_FSYNC.load(std::sync::atomic::Ordering::Relaxed) {
        return Durability::None;
    }
    Durability::Immediate
}

/// Reads and decodes one record.
pub fn get<'k, K, T>(
    table: &impl ReadableTable<K, &'static [u8]>,
    name: &'static str,
    key: impl Borrow<K::SelfType<'k>>,
) -> Result<Option<T>, StoreError>
where
    K: Key + 'static,
    T: DeserializeOwned,
{
    match table.get(key)? {
        Some(guard) => Ok(Some(envelope::decode(name, guard.value())?)),
        None => Ok(None),
    }
}

/// Encodes and writes one record.
pub fn put<'k, K, T>(
    table: &mut Table<'_, K, &'static [u8]>,
    key: impl Borrow<K::SelfType<'k>>,
    value: &T,
) -> Result<(), StoreError>
where
    K: Key + 'static,
    T: Serialize,
{
    table.insert(key, envelope::encode(value).as_slice())?;
    Ok(())
}

/// Decodes every record of a table (catalogue tables are small).
pub fn all<K, T>(
    table: &impl ReadableTable<K, &'static [u8]>,
    name: &'static str,
) -> Result<Vec<T>, StoreError>
where
    K: Key + 'static,
    T: DeserializeOwned,
{
    let mut out = Vec::new();
    for row in table.iter()? {
        let (_, value) = row?;
        out.push(envelope::decode(name, value.value())?);
    }
    Ok(out)
}

/// The next id of an append-only table (outbox rows, audit entries): one past its last key.
/// Their rows are never deleted, so an id is never given twice, and taking one writes nothing
/// but the row itself (no sequence row in `meta` dirtied by every command).
pub fn next_id<V: redb::Value + 'static>(
    table: &impl ReadableTable<u64, V>,
) -> Result<u64, StoreError> {
    Ok(table.last()?.map_or(1, |(k, _)| k.value() + 1))
}

/// Milliseconds since the epoch: the key form of an instant (signed, so it sorts correctly).
pub fn millis(t: jiff::Timestamp) -> i64 {
    t.as_millisecond()
}

/// A read transaction, for queries.
pub fn begin_read(db: &Database) -> Result<redb::ReadTransaction, StoreError> {
    Ok(db.begin_read()?)
}
