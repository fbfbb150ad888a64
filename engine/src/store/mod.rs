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
pub mod journal;
#[cfg(any(test, feature = "testing"))]
pub mod power_cut;
pub mod tables;
pub mod txn;

use std::borrow::Borrow;
use std::path::Path;
use std::sync::Mutex;

use redb::{
    Database, Durability, Key, ReadableDatabase, ReadableTable, TableDefinition, TableHandle,
    Value, WriteTransaction,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use envelope::DecodeError;
pub use journal::{JournalDisk, JournalError};
use tables::*;
pub use txn::{Table, Txn};

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
    #[error(transparent)]
    Journal(#[from] JournalError),
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

/// Opens (or creates) a database file and makes sure every table of this schema exists,
/// without its journal: for backup files, which have none. The shop opens [`Store::open`].
pub fn open(path: &Path) -> Result<Database, StoreError> {
    prepare(Database::create(path)?)
}

/// The database and its [`journal`]: the shop's one way in. Writes go through
/// [`Store::begin`] and [`Store::commit`] (or [`Store::stage`] and [`Store::make_durable`])
/// only: redb's own write transaction is never handed out. Reads see the newest commit known
/// durable, never one still waiting for its sync; write transactions see every commit.
pub struct Store {
    /// `None` only while the store closes.
    db: Option<Database>,
    journal: Mutex<journal::Journal>,
    /// What readers see; `None` only while the store closes.
    published: Mutex<Option<Published>>,
    /// Numbers the snapshots taken, so that an older one is never published over a newer one.
    generation: std::sync::atomic::AtomicU64,
    /// The last journal record's buffer, for the next transaction's: one allocation kept,
    /// rather than one grown (and, past 128 KiB, mapped and unmapped) for every commit.
    spare: Mutex<Vec<u8>>,
    /// The file's place in [`OPEN_FILES`], given up once the database is closed (after `db`).
    claim: Option<Claim>,
}

/// The largest journal record buffer kept for the next transaction.
const SPARE_BUFFER_MAX: usize = 4 << 20;

/// A read snapshot with the number of its commit.
struct Published {
    generation: u64,
    snapshot: std::sync::Arc<redb::ReadTransaction>,
}

/// A commit made in redb but not yet shown to readers: its journal record waits for a sync
/// ([`Store::make_durable`]). The writer's next transactions already build on it.
pub struct Staged {
    seq: u64,
    generation: u64,
    snapshot: std::sync::Arc<redb::ReadTransaction>,
}

impl Store {
    /// Opens the database file at `path` and its journal beside it (both created if missing),
    /// applying what the journal holds that the file does not.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let claim = Claim::wait_for(path);
        let db = prepare(Database::create(path)?)?;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(journal::path_of(path))
            .map_err(JournalError::Io)?;
        let mut store = Store::recover(db, Box::new(file))?;
        store.claim = claim;
        Ok(store)
    }

    /// The same on other disks (the power-loss tests' [`power_cut::PowerCutDisk`]s).
    #[cfg(any(test, feature = "testing"))]
    pub fn open_on(
        backend: impl redb::StorageBackend,
        journal: impl JournalDisk,
    ) -> Result<Store, StoreError> {
        let db = prepare(redb::Builder::new().create_with_backend(backend)?)?;
        Store::recover(db, Box::new(journal))
    }

    /// Applies the journal's records after the file's last durable one, in one durable commit,
    /// then starts the journal afresh.
    fn recover(db: Database, disk: Box<dyn JournalDisk>) -> Result<Store, StoreError> {
        let (id, durable) = {
            let read = db.begin_read()?;
            let table = read.open_table(JOURNAL)?;
            let id = table.get(JOURNAL_ID_KEY)?.map(|v| v.value());
            let seq = table.get(JOURNAL_SEQ_KEY)?.map_or(0, |v| v.value());
            (id, seq)
        };
        let (mut journal, pending) = journal::Journal::open(disk, id, durable)?;
        let id = id.unwrap_or_else(rand::random);
        let mut txn = db.begin_write()?;
        txn.set_durability(Durability::Immediate)?;
        for record in &pending {
            for op in journal::decode(record.seq, &record.payload)? {
                replay(&txn, &op, record.seq)?;
            }
        }
        {
            let mut table = txn.open_table(JOURNAL)?;
            table.insert(JOURNAL_ID_KEY, id)?;
            table.insert(JOURNAL_SEQ_KEY, journal.last())?;
        }
        txn.commit()?;
        if !pending.is_empty() {
            tracing::info!(
                records = pending.len(),
                last = journal.last(),
                "applied the journal's commits"
            );
        }
        journal.format(id)?;
        let snapshot = std::sync::Arc::new(db.begin_read()?);
        Ok(Store {
            db: Some(db),
            journal: Mutex::new(journal),
            published: Mutex::new(Some(Published {
                generation: 0,
                snapshot,
            })),
            generation: std::sync::atomic::AtomicU64::new(0),
            spare: Mutex::new(Vec::new()),
            claim: None,
        })
    }

    fn db(&self) -> &Database {
        self.db
            .as_ref()
            .expect("the database is open until the store is dropped")
    }

    /// A read transaction, for queries: the newest commit known durable.
    pub fn begin_read(&self) -> Result<std::sync::Arc<redb::ReadTransaction>, StoreError> {
        match &*nebula_common::lock(&self.published) {
            Some(published) => Ok(published.snapshot.clone()),
            None => Ok(std::sync::Arc::new(self.db().begin_read()?)),
        }
    }

    /// Starts a command's write transaction (waiting for any other to end).
    pub fn begin(&self) -> Result<Txn, StoreError> {
        let mut txn = self.db().begin_write()?;
        txn.set_durability(Durability::None)?;
        let buffer = std::mem::take(&mut *nebula_common::lock(&self.spare));
        Ok(Txn::new(txn, buffer))
    }

    /// Commits `txn` durably: [`Store::stage`] and then [`Store::make_durable`]. When the
    /// journal has grown enough, a checkpoint follows.
    pub fn commit(&self, txn: Txn) -> Result<(), StoreError> {
        if let Some(staged) = self.stage(txn)? {
            self.make_durable(staged)?;
        }
        if self.checkpoint_due() {
            self.checkpoint_or_warn();
        }
        Ok(())
    }

    /// Commits `txn` in redb after writing its rows to the journal, without a sync: the
    /// writer's next transaction may build on it while the sync is made. Readers do not see it
    /// until [`Store::make_durable`]. `None`: nothing is left to wait for (a transaction that
    /// wrote nothing, or one the journal cannot carry, committed as a checkpoint).
    pub fn stage(&self, txn: Txn) -> Result<Option<Staged>, StoreError> {
        let (inner, mut record, unjournaled) = txn.into_parts();
        let staged = self.stage_record(inner, &mut record, unjournaled);
        let buffer = record.into_buffer();
        // A rare huge batch (a hundred screenshots) is not kept for ever.
        if buffer.capacity() <= SPARE_BUFFER_MAX {
            *nebula_common::lock(&self.spare) = buffer;
        }
        staged
    }

    fn stage_record(
        &self,
        inner: WriteTransaction,
        record: &mut journal::Record,
        unjournaled: bool,
    ) -> Result<Option<Staged>, StoreError> {
        let mut journal = nebula_common::lock(&self.journal);
        if unjournaled {
            commit_checkpoint(inner, &mut journal)?;
            let seq = journal.last();
            let staged = self.snapshot(&mut journal, seq)?;
            drop(journal);
            self.publish(staged);
            return Ok(None);
        }
        if record.is_empty() {
            inner.commit()?;
            // It wrote nothing, but what it read may wait for a sync still.
            let seq = journal.last();
            return self.snapshot(&mut journal, seq).map(Some);
        }
        let journaled = journaled();
        if journaled {
            journal.write(record)?;
        }
        if let Err(e) = inner.commit() {
            if journaled {
                journal.revoke_last(record);
            }
            return Err(e.into());
        }
        let seq = journal.last();
        let staged = self.snapshot(&mut journal, seq)?;
        if journaled {
            return Ok(Some(staged));
        }
        drop(journal);
        self.publish(staged);
        Ok(None)
    }

    /// The snapshot of the commit just made (the journal's lock held, so that snapshots are
    /// numbered in commit order). If none can be taken the journal stops: the commit could not
    /// be finished, so none after it may be either.
    fn snapshot(&self, journal: &mut journal::Journal, seq: u64) -> Result<Staged, StoreError> {
        match self.db().begin_read() {
            Ok(snapshot) => Ok(Staged {
                seq,
                generation: self
                    .generation
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                    + 1,
                snapshot: std::sync::Arc::new(snapshot),
            }),
            Err(e) => {
                journal.stop();
                Err(e.into())
            }
        }
    }

    /// The newest commit, to wait for with [`Store::make_durable`]: for answers that rest on
    /// what was read, not written (a refused command).
    pub fn barrier(&self) -> Result<Staged, StoreError> {
        let mut journal = nebula_common::lock(&self.journal);
        let seq = journal.last();
        self.snapshot(&mut journal, seq)
    }

    /// Makes `staged`, and every commit before it, durable (one sync covers them all, and one
    /// already made or a checkpoint may have), then shows it to readers. On failure the journal
    /// stops: none of the commits still waiting took effect, and nothing more is committed until
    /// the shop restarts.
    pub fn make_durable(&self, staged: Staged) -> Result<(), StoreError> {
        {
            let mut journal = nebula_common::lock(&self.journal);
            if journal.durable() < staged.seq {
                journal.sync()?;
            }
        }
        self.publish(staged);
        Ok(())
    }

    /// Shows `staged` to readers, unless a newer snapshot is shown already.
    fn publish(&self, staged: Staged) {
        let mut published = nebula_common::lock(&self.published);
        if let Some(current) = &*published
            && current.generation >= staged.generation
        {
            return;
        }
        *published = Some(Published {
            generation: staged.generation,
            snapshot: staged.snapshot,
        });
    }

    /// Whether the journal has grown enough since the last checkpoint for the next one.
    pub fn checkpoint_due(&self) -> bool {
        let journal = nebula_common::lock(&self.journal);
        journal.written() >= journal::CHECKPOINT_BYTES && !journal.is_broken()
    }

    /// A checkpoint whose failure is logged: every commit is durable in the journal still, and
    /// the next commit tries again.
    pub fn checkpoint_or_warn(&self) {
        if let Err(e) = self.checkpoint() {
            tracing::warn!(error = %e, "journal checkpoint failed");
        }
    }

    /// A checkpoint, if anything was journaled since the last one.
    pub fn checkpoint_if_written(&self) -> Result<(), StoreError> {
        let journal = nebula_common::lock(&self.journal);
        // A stopped journal said why when it stopped; its commits must not reach the file.
        if journal.written() == 0 || journal.is_broken() {
            return Ok(());
        }
        drop(journal);
        self.checkpoint()
    }

    /// Makes the file hold every commit durably, so that the journal starts again.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        // redb's write lock first, then the journal's: the order `commit` takes them in.
        let txn = self.db().begin_write()?;
        let mut journal = nebula_common::lock(&self.journal);
        commit_checkpoint(txn, &mut journal)
    }
}

impl Drop for Store {
    /// A clean stop leaves the file whole on its own.
    fn drop(&mut self) {
        if let Err(e) = self.checkpoint_if_written() {
            tracing::warn!(error = %e, "journal checkpoint on close failed; the journal is applied on the next open");
        }
        // The snapshot goes before the database it reads.
        nebula_common::lock(&self.published).take();
        // redb makes its pending commits durable when it closes. After a failed sync those are
        // commits that were answered as failed: the database is left unclosed instead (its
        // file is as of the last checkpoint, and the journal's records end before them).
        let db = self.db.take();
        if nebula_common::lock(&self.journal).is_broken() {
            std::mem::forget(db);
        } else {
            drop(db);
        }
        // Closed (or left for the process to end): the file may be opened again.
        drop(self.claim.take());
    }
}

/// Database files this process has open. A shop let go by its last handle may finish closing
/// on one of its own threads a moment later (an idle checkpoint under way, a read in flight), so
/// opening the same file again in this process waits for that instead of failing on redb's
/// lock.
static OPEN_FILES: (
    Mutex<std::collections::BTreeSet<std::path::PathBuf>>,
    std::sync::Condvar,
) = (
    Mutex::new(std::collections::BTreeSet::new()),
    std::sync::Condvar::new(),
);

/// How long an open waits for the same file to be closed by this process.
const CLOSE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// A database file's place in [`OPEN_FILES`], held while it is open.
struct Claim(std::path::PathBuf);

impl Claim {
    /// Waits until `path` is not open in this process, then claims it. `None` after
    /// [`CLOSE_WAIT`]: redb then says the file is open.
    fn wait_for(path: &Path) -> Option<Claim> {
        let key = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        let (open, closed) = &OPEN_FILES;
        let deadline = std::time::Instant::now() + CLOSE_WAIT;
        let mut files = nebula_common::lock(open);
        while files.contains(&key) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return None;
            }
            files = closed
                .wait_timeout(files, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        files.insert(key.clone());
        Some(Claim(key))
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        let (open, closed) = &OPEN_FILES;
        nebula_common::lock(open).remove(&self.0);
        closed.notify_all();
    }
}

/// Commits `txn` (holding redb's write lock) durably, naming the journal's last record in it.
/// A stopped journal is refused: the commits after its last durable record were failed, so
/// they must never reach the file.
fn commit_checkpoint(
    mut txn: WriteTransaction,
    journal: &mut journal::Journal,
) -> Result<(), StoreError> {
    if journal.is_broken() {
        return Err(JournalError::Broken.into());
    }
    txn.set_durability(Durability::Immediate)?;
    txn.open_table(JOURNAL)?
        .insert(JOURNAL_SEQ_KEY, journal.last())?;
    txn.commit()?;
    journal.restart();
    Ok(())
}

/// Applies one journal row to its table, by the table's typed definition.
fn replay(txn: &WriteTransaction, op: &journal::Op<'_>, seq: u64) -> Result<(), StoreError> {
    fn apply<K: Key + 'static, V: Value + 'static>(
        txn: &WriteTransaction,
        def: TableDefinition<K, V>,
        op: &journal::Op<'_>,
    ) -> Result<(), StoreError> {
        let mut table = txn.open_table(def)?;
        match *op {
            journal::Op::Put { key, value, .. } => {
                table.insert(K::from_bytes(key), V::from_bytes(value))?;
            }
            journal::Op::Remove { key, .. } => {
                table.remove(K::from_bytes(key))?;
            }
        }
        Ok(())
    }
    let name = match op {
        journal::Op::Put { table, .. } | journal::Op::Remove { table, .. } => *table,
    };
    macro_rules! by_name {
        ($($t:expr),* $(,)?) => { $( if $t.name() == name { return apply(txn, $t, op); } )* };
    }
    every_table!(by_name);
    Err(JournalError::Malformed {
        seq,
        detail: format!("no table {name} in this schema"),
    }
    .into())
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

/// Set only by the lifecycle bench, to measure what the engine costs with no fsync at all (an
/// upper bound for any change to how commits are made durable). The shop never sets it.
#[cfg(feature = "testing")]
pub static BENCH_WITHOUT_FSYNC: std::sync::atomic::AtomicBool =
    std::sync::atomic::AtomicBool::new(false);

/// Whether commands are made durable (by the journal; redb itself commits without a sync).
fn journaled() -> bool {
    #[cfg(feature = "testing")]
    if BENCH_WITHOUT_FSYNC.load(std::sync::atomic::Ordering::Relaxed) {
        return false;
    }
    true
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

/// A read transaction, for queries (see [`Store::begin_read`]).
pub fn begin_read(store: &Store) -> Result<std::sync::Arc<redb::ReadTransaction>, StoreError> {
    store.begin_read()
}

#[cfg(test)]
mod tests {
    use super::power_cut::{Disks, Fuse};
    use super::*;

    fn put(store: &Store, key: &str, value: &[u8]) {
        let txn = store.begin().unwrap();
        txn.open_table(SETTINGS)
            .unwrap()
            .insert(key, value)
            .unwrap();
        store.commit(txn).unwrap();
    }

    fn get(store: &Store, key: &str) -> Option<Vec<u8>> {
        let read = store.begin_read().unwrap();
        let table = read.open_table(SETTINGS).unwrap();
        table.get(key).unwrap().map(|v| v.value().to_vec())
    }

    /// A shop let go by its last handle can finish closing on one of its own threads a moment
    /// later (an idle checkpoint under way): opening the file again in the same process waits
    /// for that close instead of failing on redb's lock.
    #[test]
    fn opening_a_file_still_closing_in_this_process_waits_for_the_close() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nebula.redb");
        let first = Store::open(&path).unwrap();
        put(&first, "k", b"closing");
        let closing = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            drop(first);
        });
        let second = Store::open(&path).expect("the open waits for the first store to close");
        assert_eq!(get(&second, "k").as_deref(), Some(&b"closing"[..]));
        closing.join().unwrap();
    }

    /// A crash: the process is gone with no checkpoint, and only what was synced is left.
    fn crash(store: Store, disks: &Disks) -> Disks {
        std::mem::forget(store);
        Disks::new(disks.cut(|_| None), Fuse::new())
    }

    fn open(disks: &Disks) -> Result<Store, StoreError> {
        Store::open_on(disks.db.clone(), disks.journal.clone())
    }

    #[test]
    fn a_commit_is_durable_in_the_journal_before_any_checkpoint() {
        let disks = Disks::new(Default::default(), Fuse::new());
        let store = open(&disks).unwrap();
        put(&store, "a", b"1");
        put(&store, "b", b"2");
        let txn = store.begin().unwrap();
        txn.open_table(SETTINGS).unwrap().remove("a").unwrap();
        store.commit(txn).unwrap();
        let disks = crash(store, &disks);

        let store = open(&disks).unwrap();
        assert_eq!(get(&store, "a"), None);
        assert_eq!(get(&store, "b").as_deref(), Some(&b"2"[..]));
        // Applied once: a second crash right after opening changes nothing.
        let disks = crash(store, &disks);
        let store = open(&disks).unwrap();
        assert_eq!(get(&store, "b").as_deref(), Some(&b"2"[..]));
        put(&store, "c", b"3");
        let disks = crash(store, &disks);
        let store = open(&disks).unwrap();
        assert_eq!(get(&store, "c").as_deref(), Some(&b"3"[..]));
    }

    fn stage_put(store: &Store, key: &str, value: &[u8]) -> Staged {
        let txn = store.begin().unwrap();
        txn.open_table(SETTINGS)
            .unwrap()
            .insert(key, value)
            .unwrap();
        store
            .stage(txn)
            .unwrap()
            .expect("a write waits for its sync")
    }

    /// What the next write transaction sees (the writer's view).
    fn written(store: &Store, key: &str) -> Option<Vec<u8>> {
        let txn = store.begin().unwrap();
        let seen = txn
            .open_table(SETTINGS)
            .unwrap()
            .get(key)
            .unwrap()
            .map(|v| v.value().to_vec());
        txn.abort().unwrap();
        seen
    }

    #[test]
    fn a_staged_commit_is_seen_by_the_next_write_and_by_readers_only_once_durable() {
        let disks = Disks::new(Default::default(), Fuse::new());
        let store = open(&disks).unwrap();
        let first = stage_put(&store, "a", b"1");
        let second = stage_put(&store, "b", b"2");
        assert_eq!(written(&store, "a").as_deref(), Some(&b"1"[..]));
        assert_eq!((get(&store, "a"), get(&store, "b")), (None, None));
        // A power cut now keeps neither (nothing was synced).
        let lost = Disks::new(disks.cut(|_| None), Fuse::new());
        let reopened = open(&lost).unwrap();
        assert_eq!((get(&reopened, "a"), get(&reopened, "b")), (None, None));
        std::mem::forget(reopened);

        store.make_durable(first).unwrap();
        assert_eq!(get(&store, "a").as_deref(), Some(&b"1"[..]));
        // The one sync covered the second record too; it is shown once its turn comes.
        let disks = Disks::new(disks.cut(|_| None), Fuse::new());
        assert_eq!(get(&store, "b"), None);
        store.make_durable(second).unwrap();
        assert_eq!(get(&store, "b").as_deref(), Some(&b"2"[..]));
        std::mem::forget(store);
        let store = open(&disks).unwrap();
        assert_eq!(get(&store, "b").as_deref(), Some(&b"2"[..]));
    }

    #[test]
    fn a_failed_sync_fails_every_commit_waiting_and_stops_the_journal_until_a_restart() {
        let disks = Disks::new(Default::default(), Fuse::new());
        let store = open(&disks).unwrap();
        put(&store, "kept", b"1");
        let first = stage_put(&store, "a", b"2");
        let second = stage_put(&store, "b", b"3");
        disks.journal.fail_syncs(true);
        assert!(matches!(
            store.make_durable(first),
            Err(StoreError::Journal(JournalError::Io(_)))
        ));
        disks.journal.fail_syncs(false);
        // The disk works again, but the commits after the failed one cannot be told apart from
        // it: they fail too, and so does every later commit and checkpoint.
        assert!(matches!(
            store.make_durable(second),
            Err(StoreError::Journal(JournalError::Broken))
        ));
        let txn = store.begin().unwrap();
        txn.open_table(SETTINGS)
            .unwrap()
            .insert("c", &b"4"[..])
            .unwrap();
        let refused = store.commit(txn).unwrap_err().to_string();
        assert!(refused.contains("until the shop restarts"), "{refused}");
        assert!(store.checkpoint().is_err());
        assert!(!store.checkpoint_due());
        // Readers still see the last durable state, without the failed commits.
        assert_eq!(get(&store, "kept").as_deref(), Some(&b"1"[..]));
        assert_eq!((get(&store, "a"), get(&store, "b")), (None, None));
        // Closing does not checkpoint them into the file, and a restart does not replay them,
        // whatever of their unsynced records reached the disk.
        drop(store);
        for keep_all in [false, true] {
            let disks = Disks::new(disks.cut(|len| keep_all.then_some(len)), Fuse::new());
            let store = open(&disks).unwrap();
            assert_eq!(get(&store, "kept").as_deref(), Some(&b"1"[..]));
            assert_eq!(
                (get(&store, "a"), get(&store, "b"), get(&store, "c")),
                (None, None, None)
            );
            put(&store, "after", b"5");
            assert_eq!(get(&store, "after").as_deref(), Some(&b"5"[..]));
        }
    }

    #[test]
    fn an_aborted_or_refused_transaction_leaves_nothing_in_the_journal() {
        let disks = Disks::new(Default::default(), Fuse::new());
        let store = open(&disks).unwrap();
        put(&store, "kept", b"1");
        let txn = store.begin().unwrap();
        txn.open_table(SETTINGS)
            .unwrap()
            .insert("dropped", &b"x"[..])
            .unwrap();
        txn.abort().unwrap();
        put(&store, "after", b"2");
        let disks = crash(store, &disks);
        let store = open(&disks).unwrap();
        assert_eq!(get(&store, "dropped"), None);
        assert!(get(&store, "kept").is_some() && get(&store, "after").is_some());
    }

    #[test]
    fn a_journal_beside_another_file_is_refused_with_what_to_do() {
        let disks = Disks::new(Default::default(), Fuse::new());
        let store = open(&disks).unwrap();
        put(&store, "a", b"1");
        let (_, journal) = crash(store, &disks).cut(|_| None);
        // A backup (a file with no journal of its own) copied over the database by hand.
        let other = Disks::new(Default::default(), Fuse::new());
        drop(open(&other).unwrap());
        let (db, _) = other.cut(|_| None);
        let mut db_without_id = Disks::new((db, Vec::new()), Fuse::new());
        {
            let store = open(&db_without_id).unwrap();
            let txn = store.db().begin_write().unwrap();
            txn.open_table(JOURNAL)
                .unwrap()
                .remove(JOURNAL_ID_KEY)
                .unwrap();
            txn.commit().unwrap();
            std::mem::forget(store);
            db_without_id = Disks::new(db_without_id.cut(|_| None), Fuse::new());
        }
        let copied_over = Disks::new((db_without_id.cut(|_| None).0, journal), Fuse::new());
        let error = open(&copied_over).err().expect("refused").to_string();
        assert!(
            error.contains("another database file") && error.contains("nebula restore"),
            "{error}"
        );
    }
}
