//! A disk for tests that loses what was not synced, the way a power cut does.
//!
//! A `kill -9` keeps the operating system's page cache; a power cut does not. [`PowerCutDisk`]
//! is a redb [`StorageBackend`] in memory that keeps the durable image (as of the last sync)
//! apart from the writes since. [`PowerCutDisk::cut`] returns what a disk could hold after the
//! power went: the durable image with any subset of the unsynced writes, the last of them
//! possibly torn. A disk may also be told to fail every operation after a number of them, so a
//! commit can be cut in the middle.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use redb::StorageBackend;

/// Counts operations across disks and fails every one after the limit (the power is gone).
#[derive(Debug, Default)]
pub struct Fuse {
    ops: AtomicU64,
    limit: AtomicU64,
}

impl Fuse {
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            ops: AtomicU64::new(0),
            limit: AtomicU64::new(u64::MAX),
        })
    }

    /// Fails every operation after `more` further ones.
    pub fn blow_after(&self, more: u64) {
        self.limit
            .store(self.ops.load(Ordering::SeqCst) + more, Ordering::SeqCst);
    }

    pub fn blown(&self) -> bool {
        self.ops.load(Ordering::SeqCst) >= self.limit.load(Ordering::SeqCst)
    }

    /// Counts one operation; its number, unless the power is gone.
    fn tick(&self) -> io::Result<u64> {
        let n = self.ops.fetch_add(1, Ordering::SeqCst);
        if n >= self.limit.load(Ordering::SeqCst) {
            return Err(io::Error::other("power cut"));
        }
        Ok(n)
    }
}

#[derive(Debug, Clone)]
enum Unsynced {
    Write { offset: u64, data: Vec<u8> },
    SetLen(u64),
}

#[derive(Debug, Default)]
struct Image {
    durable: Vec<u8>,
    current: Vec<u8>,
    unsynced: Vec<Unsynced>,
    /// The durable image after each sync, when the disk records them, stamped with the fuse's
    /// count (an order across the disks on one fuse).
    history: Option<Vec<(u64, Vec<u8>)>>,
    /// Syncs fail (and make nothing durable) while this is set; writes go on working.
    syncs_fail: bool,
}

/// An in-memory disk with a durable image and the writes since the last sync.
#[derive(Debug, Clone)]
pub struct PowerCutDisk {
    image: Arc<Mutex<Image>>,
    fuse: Arc<Fuse>,
}

impl PowerCutDisk {
    /// A disk holding `bytes`, all durable.
    pub fn new(bytes: Vec<u8>, fuse: Arc<Fuse>) -> Self {
        let image = Image {
            durable: bytes.clone(),
            current: bytes,
            ..Image::default()
        };
        Self {
            image: Arc::new(Mutex::new(image)),
            fuse,
        }
    }

    /// A disk holding `bytes` that records its durable image at every sync: the states a
    /// command took the disk through, which are the states a cut may leave.
    pub fn recording(bytes: Vec<u8>) -> Self {
        Self::recording_on(bytes, Fuse::new())
    }

    fn recording_on(bytes: Vec<u8>, fuse: Arc<Fuse>) -> Self {
        let disk = Self::new(bytes.clone(), fuse);
        // What it was made with counts as its first durable state (stamp 0: before any sync).
        nebula_common::lock(&disk.image).history = Some(vec![(0, bytes)]);
        disk
    }

    /// What the disk held durably when it was made and after each sync so far (empty unless
    /// [`PowerCutDisk::recording`]).
    pub fn synced_images(&self) -> Vec<Vec<u8>> {
        self.stamped_images().into_iter().map(|(_, i)| i).collect()
    }

    fn stamped_images(&self) -> Vec<(u64, Vec<u8>)> {
        nebula_common::lock(&self.image)
            .history
            .clone()
            .unwrap_or_default()
    }

    /// Makes every sync fail from now on (`true`) or work again, while writes go on: a disk
    /// reporting a write-back error.
    pub fn fail_syncs(&self, fail: bool) {
        nebula_common::lock(&self.image).syncs_fail = fail;
    }

    /// What the disk holds after a power cut: the durable image plus the unsynced writes that
    /// `keep` says reached it (called once per write, in order; `Some(n)` keeps the first `n`
    /// bytes of it, a torn write).
    pub fn cut(&self, mut keep: impl FnMut(usize) -> Option<usize>) -> Vec<u8> {
        let image = nebula_common::lock(&self.image);
        let mut bytes = image.durable.clone();
        for op in &image.unsynced {
            let len = match op {
                Unsynced::SetLen(_) => 0,
                Unsynced::Write { data, .. } => data.len(),
            };
            if let Some(n) = keep(len) {
                apply(&mut bytes, op, n);
            }
        }
        bytes
    }
}

/// What a database disk and its journal's disk hold.
pub type Images = (Vec<u8>, Vec<u8>);

/// A shop's two disks, the database file's and the journal's, on one fuse: one power cut
/// takes both.
#[derive(Debug, Clone)]
pub struct Disks {
    pub db: PowerCutDisk,
    pub journal: PowerCutDisk,
}

impl Disks {
    /// Disks holding `images`, all durable.
    pub fn new(images: Images, fuse: Arc<Fuse>) -> Self {
        Disks {
            db: PowerCutDisk::new(images.0, fuse.clone()),
            journal: PowerCutDisk::new(images.1, fuse),
        }
    }

    /// Disks that record what they durably hold after every sync of either.
    pub fn recording(images: Images) -> Self {
        let fuse = Fuse::new();
        Disks {
            db: PowerCutDisk::recording_on(images.0, fuse.clone()),
            journal: PowerCutDisk::recording_on(images.1, fuse),
        }
    }

    /// What both hold after a power cut (see [`PowerCutDisk::cut`]).
    pub fn cut(&self, mut keep: impl FnMut(usize) -> Option<usize>) -> Images {
        (self.db.cut(&mut keep), self.journal.cut(&mut keep))
    }

    /// What both held durably after each sync of either, in order (for [`Disks::recording`]).
    pub fn synced_images(&self) -> Vec<Images> {
        let (mut db, mut journal) = (self.db.stamped_images(), self.journal.stamped_images());
        // Each history starts with what its disk was made with.
        let mut now = (db.remove(0).1, journal.remove(0).1);
        let mut events: Vec<(u64, bool, Vec<u8>)> = db
            .into_iter()
            .map(|(t, i)| (t, true, i))
            .chain(journal.into_iter().map(|(t, i)| (t, false, i)))
            .collect();
        events.sort_by_key(|e| e.0);
        let mut out = Vec::new();
        for (_, is_db, image) in events {
            if is_db {
                now.0 = image;
            } else {
                now.1 = image;
            }
            out.push(now.clone());
        }
        out
    }
}

impl crate::store::JournalDisk for PowerCutDisk {
    fn len(&self) -> io::Result<u64> {
        StorageBackend::len(self)
    }
    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        StorageBackend::read(self, offset, out)
    }
    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        StorageBackend::write(self, offset, data)
    }
    fn sync(&self) -> io::Result<()> {
        StorageBackend::sync_data(self)
    }
}

/// Applies one write (its first `n` bytes) or resize to an image.
fn apply(bytes: &mut Vec<u8>, op: &Unsynced, n: usize) {
    match op {
        Unsynced::SetLen(len) => bytes.resize(*len as usize, 0),
        Unsynced::Write { offset, data } => {
            let n = n.min(data.len());
            let end = *offset as usize + n;
            if bytes.len() < end {
                bytes.resize(end, 0);
            }
            bytes[*offset as usize..end].copy_from_slice(&data[..n]);
        }
    }
}

impl StorageBackend for PowerCutDisk {
    fn len(&self) -> io::Result<u64> {
        self.fuse.tick()?;
        Ok(nebula_common::lock(&self.image).current.len() as u64)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        self.fuse.tick()?;
        let image = nebula_common::lock(&self.image);
        let from = offset as usize;
        let slice = image
            .current
            .get(from..from + out.len())
            .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "read past the end"))?;
        out.copy_from_slice(slice);
        Ok(())
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        self.fuse.tick()?;
        let mut image = nebula_common::lock(&self.image);
        image.current.resize(len as usize, 0);
        image.unsynced.push(Unsynced::SetLen(len));
        Ok(())
    }

    fn sync_data(&self) -> io::Result<()> {
        let stamp = self.fuse.tick()?;
        let mut image = nebula_common::lock(&self.image);
        let image = &mut *image;
        if image.syncs_fail {
            return Err(io::Error::other("the disk refused to sync"));
        }
        for op in image.unsynced.drain(..) {
            apply(&mut image.durable, &op, usize::MAX);
        }
        if let Some(history) = image.history.as_mut() {
            history.push((stamp, image.durable.clone()));
        }
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.fuse.tick()?;
        let mut image = nebula_common::lock(&self.image);
        let end = offset as usize + data.len();
        if image.current.len() < end {
            image.current.resize(end, 0);
        }
        image.current[offset as usize..end].copy_from_slice(data);
        image.unsynced.push(Unsynced::Write {
            offset,
            data: data.to_vec(),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};

    use super::{Fuse, PowerCutDisk};

    const TABLE: TableDefinition<u64, &[u8]> = TableDefinition::new("t");
    /// Each key's value is `len` copies of one byte, kept as `(len, byte)` so a failure prints small.
    type Contents = BTreeMap<u64, (usize, u8)>;
    type Change = Vec<(u64, Option<(usize, u8)>)>;

    fn contents(db: &Database) -> Contents {
        let read = db.begin_read().unwrap();
        let Ok(table) = read.open_table(TABLE) else {
            return Contents::new();
        };
        table
            .iter()
            .unwrap()
            .map(|row| {
                let (k, v) = row.unwrap();
                let v = v.value();
                assert!(v.iter().all(|b| *b == v[0]), "a value is never mixed");
                (k.value(), (v.len(), v[0]))
            })
            .collect()
    }

    /// One commit's changes: puts (`Some`) and removals (`None`).
    fn changes(rng: &mut StdRng, now: &Contents, next_key: &mut u64) -> Change {
        let mut out = Vec::new();
        for _ in 0..rng.random_range(1..4) {
            *next_key += 1;
            let len = rng.random_range(1..6000);
            out.push((*next_key, Some((len, rng.random::<u8>()))));
        }
        if !now.is_empty() && rng.random_bool(0.4) {
            let at = rng.random_range(0..now.len());
            out.push((*now.keys().nth(at).unwrap(), None));
        }
        out
    }

    fn apply(to: &mut Contents, changes: &Change) {
        for (k, v) in changes {
            match v {
                Some(v) => to.insert(*k, *v),
                None => to.remove(k),
            };
        }
    }

    fn commit(db: &Database, changes: &Change) -> Result<(), redb::Error> {
        let txn = db.begin_write()?;
        {
            let mut table = txn.open_table(TABLE)?;
            for (k, v) in changes {
                match v {
                    Some((len, byte)) => drop(table.insert(*k, vec![*byte; *len].as_slice())?),
                    None => drop(table.remove(*k)?),
                }
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// What reached the platters: each unsynced write with even odds, sometimes torn.
    fn tear(rng: &mut StdRng) -> impl FnMut(usize) -> Option<usize> + '_ {
        |len| match rng.random_range(0..10) {
            0..5 => None,
            5 => Some(rng.random_range(0..=len)),
            _ => Some(len),
        }
    }

    #[test]
    fn redb_keeps_every_acknowledged_commit_through_power_cuts_and_a_cut_commit_is_all_or_nothing()
    {
        let mut rng = StdRng::seed_from_u64(0x5eed);
        let mut file_bytes = Vec::new();
        let mut acknowledged = Contents::new();
        let mut in_flight: Option<Change> = None;
        let mut next_key = 0;
        let (mut cuts, mut commits) = (0, 0);
        for _ in 0..40 {
            let fuse = Fuse::new();
            let file = PowerCutDisk::new(std::mem::take(&mut file_bytes), fuse.clone());
            let db = Database::builder()
                .create_with_backend(file.clone())
                .expect("the database opens after every cut");
            let now = contents(&db);
            match in_flight.take() {
                Some(cut) if now != acknowledged => {
                    apply(&mut acknowledged, &cut);
                    assert_eq!(now, acknowledged, "a cut commit is whole or absent");
                }
                _ => assert_eq!(now, acknowledged, "every acknowledged commit is there"),
            }
            fuse.blow_after(rng.random_range(20..1500));
            loop {
                let change = changes(&mut rng, &acknowledged, &mut next_key);
                match commit(&db, &change) {
                    Ok(()) => {
                        apply(&mut acknowledged, &change);
                        commits += 1;
                    }
                    Err(_) => {
                        assert!(fuse.blown(), "only the cut makes a commit fail");
                        in_flight = Some(change);
                        break;
                    }
                }
            }
            drop(db);
            cuts += 1;
            file_bytes = file.cut(tear(&mut rng));
        }
        assert!(commits > 200, "{commits} commits");
        eprintln!("{cuts} power cuts, {commits} commits");
    }
}
