//! A write transaction that keeps a copy of every row it writes or removes, for the
//! [`journal`](super::journal).
//!
//! Commands see redb's API: `txn.open_table(DEF)` gives a table that reads as redb's (it derefs
//! to it and is a [`ReadableTable`]) and whose only writes are [`Table::insert`],
//! [`Table::remove`] and [`Table::retain`], each recorded as it is made. There is no way to
//! write a row past the record: redb's own mutable table is never handed out.

use std::borrow::Borrow;
use std::cell::RefCell;
use std::ops::{Deref, RangeBounds};

use redb::{
    AccessGuard, Key, Range, ReadableTable, ReadableTableMetadata, StorageError, TableDefinition,
    TableError, TableHandle, TableStats, Value, WriteTransaction,
};

use super::journal;

/// A command's write transaction (see the module doc).
pub struct Txn {
    inner: WriteTransaction,
    /// The journal record: every put and removal so far, in order.
    log: RefCell<journal::Record>,
    /// Set by a change the journal cannot carry (a table deleted): the commit is then a durable
    /// redb commit, a checkpoint, instead of a journal record.
    unjournaled: std::cell::Cell<bool>,
}

impl Txn {
    /// A transaction whose record is built in `buffer` (the last commit's, so that its
    /// capacity is reused: a batch's record runs to hundreds of KiB).
    pub(crate) fn new(inner: WriteTransaction, buffer: Vec<u8>) -> Txn {
        Txn {
            inner,
            log: RefCell::new(journal::Record::in_buffer(buffer)),
            unjournaled: std::cell::Cell::new(false),
        }
    }

    /// Opens `def` for reading and writing in this transaction.
    pub fn open_table<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<'static, K, V>,
    ) -> Result<Table<'_, K, V>, TableError> {
        Ok(Table {
            inner: self.inner.open_table(def)?,
            def,
            log: &self.log,
        })
    }

    /// Deletes a whole table (rebuilding a derived table on open). The commit becomes a
    /// checkpoint.
    pub fn delete_table<K: Key + 'static, V: Value + 'static>(
        &self,
        def: TableDefinition<'static, K, V>,
    ) -> Result<bool, TableError> {
        self.unjournaled.set(true);
        self.inner.delete_table(def)
    }

    /// The journal record and the transaction, to commit.
    pub(crate) fn into_parts(self) -> (WriteTransaction, journal::Record, bool) {
        (self.inner, self.log.into_inner(), self.unjournaled.get())
    }

    /// Gives the transaction up: nothing of it is written.
    pub fn abort(self) -> Result<(), StorageError> {
        self.inner.abort()
    }
}

/// A table of a [`Txn`]: reads as redb's table, records its writes.
pub struct Table<'t, K: Key + 'static, V: Value + 'static> {
    inner: redb::Table<'t, K, V>,
    /// For its name, written with each row (a copy, where a `String` was an allocation per open).
    def: TableDefinition<'static, K, V>,
    log: &'t RefCell<journal::Record>,
}

impl<K: Key + 'static, V: Value + 'static> Table<'_, K, V> {
    /// Inserts or replaces a row (redb's `insert`), recorded.
    pub fn insert<'k, 'v>(
        &mut self,
        key: impl Borrow<K::SelfType<'k>>,
        value: impl Borrow<V::SelfType<'v>>,
    ) -> Result<Option<AccessGuard<'_, V>>, StorageError> {
        self.log.borrow_mut().put(
            self.def.name(),
            K::as_bytes(key.borrow()).as_ref(),
            V::as_bytes(value.borrow()).as_ref(),
        );
        self.inner.insert(key, value)
    }

    /// Removes a row (redb's `remove`), recorded.
    pub fn remove<'k>(
        &mut self,
        key: impl Borrow<K::SelfType<'k>>,
    ) -> Result<Option<AccessGuard<'_, V>>, StorageError> {
        self.log
            .borrow_mut()
            .remove(self.def.name(), K::as_bytes(key.borrow()).as_ref());
        self.inner.remove(key)
    }

    /// Keeps only the rows `keep` says yes to (redb's `retain`); each removal recorded.
    pub fn retain<F>(&mut self, mut keep: F) -> Result<(), StorageError>
    where
        F: for<'f> FnMut(K::SelfType<'f>, V::SelfType<'f>) -> bool,
    {
        let mut doomed = Vec::new();
        for row in self.inner.iter()? {
            let (k, v) = row?;
            if !keep(k.value(), v.value()) {
                doomed.push(K::as_bytes(&k.value()).as_ref().to_vec());
            }
        }
        for key in doomed {
            self.remove(K::from_bytes(&key))?;
        }
        Ok(())
    }
}

impl<'t, K: Key + 'static, V: Value + 'static> Deref for Table<'t, K, V> {
    type Target = redb::Table<'t, K, V>;

    fn deref(&self) -> &Self::Target {
        &self.inner
    }
}

impl<K: Key + 'static, V: Value + 'static> ReadableTableMetadata for Table<'_, K, V> {
    fn stats(&self) -> Result<TableStats, StorageError> {
        self.inner.stats()
    }

    fn len(&self) -> Result<u64, StorageError> {
        self.inner.len()
    }
}

impl<K: Key + 'static, V: Value + 'static> ReadableTable<K, V> for Table<'_, K, V> {
    fn get<'a>(
        &self,
        key: impl Borrow<K::SelfType<'a>>,
    ) -> Result<Option<AccessGuard<'_, V>>, StorageError> {
        self.inner.get(key)
    }

    fn range<'a, KR>(
        &self,
        range: impl RangeBounds<KR> + 'a,
    ) -> Result<Range<'_, K, V>, StorageError>
    where
        KR: Borrow<K::SelfType<'a>> + 'a,
    {
        self.inner.range(range)
    }

    fn first(&self) -> Result<Option<(AccessGuard<'_, K>, AccessGuard<'_, V>)>, StorageError> {
        self.inner.first()
    }

    fn last(&self) -> Result<Option<(AccessGuard<'_, K>, AccessGuard<'_, V>)>, StorageError> {
        self.inner.last()
    }
}
