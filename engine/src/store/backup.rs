//! Consistent copies of the database while the shop runs, and restoring one.
//!
//! A backup reads everything in one read transaction (redb's MVCC snapshot: writers go on, the
//! copy sees one instant) and writes it into a new file in one write transaction. Every table
//! is copied by its typed definition; a table this build does not know makes the backup fail
//! rather than silently leave it out.

use std::path::{Path, PathBuf};

use redb::{
    Database, Durability, Key, ReadTransaction, ReadableDatabase, ReadableTable, TableDefinition,
    TableHandle, Value, WriteTransaction,
};
use serde::Serialize;

use super::StoreError;
use super::tables::*;

/// What a backup or restore copied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BackupReport {
    pub tables: usize,
    pub rows: u64,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists already; a backup never overwrites a file")]
    Exists(PathBuf),
    #[error("the database has a table this build cannot copy: {0}")]
    UnknownTable(String),
    #[error("{path}: {error}")]
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Tables a backup leaves out: those of earlier builds that are built anew on open (a backup
/// holding one still restores), and the journal's bookkeeping, which is about one file.
const LEFT_OUT: &[&str] = &["subscriptions_by_server_v1", "journal_v1"];

fn copy<K: Key + 'static, V: Value + 'static>(
    read: &ReadTransaction,
    write: &WriteTransaction,
    def: TableDefinition<K, V>,
    report: &mut BackupReport,
    names: &mut Vec<String>,
) -> Result<(), StoreError> {
    names.push(def.name().to_owned());
    let mut dst = write.open_table(def)?;
    let src = match read.open_table(def) {
        Ok(src) => src,
        // A backup made before the table existed: a derived table (slot counts, the server
        // index) is built again when the shop opens the restored file.
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    for row in src.iter()? {
        let (k, v) = row?;
        dst.insert(k.value(), v.value())?;
        report.rows += 1;
    }
    report.tables += 1;
    Ok(())
}

/// Copies every table of `read` into `write`.
pub fn copy_all(
    read: &ReadTransaction,
    write: &WriteTransaction,
) -> Result<BackupReport, BackupError> {
    let mut r = BackupReport::default();
    let mut n = Vec::new();
    macro_rules! copy_each {
        ($($t:expr),* $(,)?) => { $( copy(read, write, $t, &mut r, &mut n)?; )* };
    }
    every_table!(copy_each);
    for handle in read.list_tables().map_err(StoreError::from)? {
        if !n.iter().any(|name| name == handle.name()) && !LEFT_OUT.contains(&handle.name()) {
            return Err(BackupError::UnknownTable(handle.name().to_owned()));
        }
    }
    Ok(r)
}

/// Copies the snapshot `read` into a fresh database file at `path` (replacing a leftover from
/// an interrupted run), in one durable write transaction.
fn copy_into_new_file(read: &ReadTransaction, path: &Path) -> Result<BackupReport, BackupError> {
    let _ = std::fs::remove_file(path);
    let target = Database::create(path).map_err(StoreError::from)?;
    let mut write = target.begin_write().map_err(StoreError::from)?;
    write
        .set_durability(Durability::Immediate)
        .map_err(StoreError::from)?;
    let report = copy_all(read, &write)?;
    write.commit().map_err(StoreError::from)?;
    Ok(report)
}

/// Writes a consistent copy of the snapshot `read` to `to` (which must not exist). The copy
/// is written to a temporary name beside it and renamed when complete, so `to` is never half a
/// backup.
pub fn backup_from(read: &ReadTransaction, to: &Path) -> Result<BackupReport, BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    let partial = to.with_extension("partial");
    let mut report = copy_into_new_file(read, &partial)?;
    std::fs::rename(&partial, to).map_err(|error| BackupError::Io {
        path: to.to_owned(),
        error,
    })?;
    report.bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    Ok(report)
}

/// Restores `backup` into `target` (the shop must be stopped: a running shop holds the file).
/// The backup is checked first (it opens, its schema is one this build reads); the current
/// database, if any, is kept beside it as `<name>.before-restore`.
pub fn restore(backup: &Path, target: &Path) -> Result<BackupReport, BackupError> {
    if !backup.exists() {
        return Err(BackupError::Io {
            path: backup.to_owned(),
            error: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    let source = super::open(backup)?;
    let read = source.begin_read().map_err(StoreError::from)?;
    let partial = target.with_extension("restoring");
    let mut report = copy_into_new_file(&read, &partial)?;
    drop(read);
    drop(source);
    let kept = target.with_extension("before-restore");
    if target.exists() {
        // Refuses (the file is locked) while a shop has it open.
        drop(Database::open(target).map_err(StoreError::from)?);
        std::fs::rename(target, &kept).map_err(|error| BackupError::Io {
            path: kept.clone(),
            error,
        })?;
    }
    // The journal goes with the file it belongs to: the kept file opens whole, and the restored
    // one starts a journal of its own.
    let journal = super::journal::path_of(target);
    if journal.exists() {
        let to = super::journal::path_of(&kept);
        std::fs::rename(&journal, &to).map_err(|error| BackupError::Io { path: to, error })?;
    }
    std::fs::rename(&partial, target).map_err(|error| BackupError::Io {
        path: target.to_owned(),
        error,
    })?;
    report.bytes = std::fs::metadata(target).map(|m| m.len()).unwrap_or(0);
    Ok(report)
}

/// Every row of every table as bytes, by table name: for comparing two databases.
pub type Dump = Vec<(String, Vec<(Vec<u8>, Vec<u8>)>)>;

fn dump_table<K: Key + 'static, V: Value + 'static>(
    read: &ReadTransaction,
    def: TableDefinition<K, V>,
    out: &mut Dump,
) -> Result<(), StoreError> {
    let table = read.open_table(def)?;
    let mut rows = Vec::new();
    for row in table.iter()? {
        let (k, v) = row?;
        rows.push((
            K::as_bytes(&k.value()).as_ref().to_vec(),
            V::as_bytes(&v.value()).as_ref().to_vec(),
        ));
    }
    out.push((def.name().to_owned(), rows));
    Ok(())
}

/// Every row of every table, in one snapshot (tests compare files with it).
#[cfg(any(test, feature = "testing"))]
pub fn dump(db: &Database) -> Result<Dump, StoreError> {
    dump_from(&db.begin_read()?)
}

/// Every row of every table of a snapshot the caller holds: for comparing two databases.
pub fn dump_from(read: &ReadTransaction) -> Result<Dump, StoreError> {
    let mut out = Vec::new();
    macro_rules! dump {
        ($($t:expr),* $(,)?) => { $( dump_table(read, $t, &mut out)?; )* };
    }
    every_table!(dump);
    out.sort();
    Ok(out)
}
