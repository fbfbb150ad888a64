//! The commit journal: each group commit's rows, appended and synced before the commit becomes
//! visible, so that redb commits without a sync of its own and is made durable only now and
//! then, at a checkpoint.
//!
//! Why: a durable redb commit writes every page it dirtied (about 90 KiB for one order
//! command, at scattered offsets) and syncs them. A journal record is the rows themselves (a few
//! KiB), written in order into blocks the file already has, so its sync is one short sequential
//! write: what SQLite's write-ahead log does, with rows instead of pages.
//!
//! Layout: a [`HEADER`]-byte header, then records back to back from [`HEADER`].
//!
//! ```text
//! header   b"NEBULAJ1" | journal id u64 | CRC-32 of the 16 bytes before it
//! record   payload length u32 | CRC-32 of (seq, payload) u32 | seq u64 | payload
//! payload  ops: 1 (put) | table name (u8 length) | key (u32 length) | value (u32 length)
//!               2 (remove) | table name | key
//! ```
//!
//! Recovery: redb opens at its last durable commit, which names the last record it holds
//! ([`JOURNAL_SEQ_KEY`](super::tables::JOURNAL_SEQ_KEY)). Records are read from the start of the
//! file; the first must be that one's successor (or older: nothing was written since the
//! checkpoint), each next one the successor of the last. Reading stops at the first record that
//! is torn, left from before the last checkpoint, or out of sequence. A checkpoint is a durable
//! redb commit naming the last record; after it the journal is written from its start again.

use std::io;
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 8] = b"NEBULAJ1";
/// Bytes before the first record.
pub const HEADER: u64 = 4096;
const RECORD_HEAD: usize = 16;
/// The file is grown ahead of the records by this much, in zeros, so that appending a record
/// rarely changes the file's size: its sync is then a data sync only (about 105 µs here against
/// 160 µs for a plain append).
const GROW: u64 = 1 << 20;
/// A checkpoint is taken once this much has been written since the last one (the file stays
/// about this big). A checkpoint holds the writer while redb writes and syncs every page
/// changed since the last one, so this bounds that pause (about 11 ms at 4 MiB here); the
/// pages a table's rows share are written once per checkpoint, so a longer one writes less in
/// all. In the lifecycle bench, once the outbox worker stopped holding its slots while results
/// waited for their commit (the writer the bottleneck again): 256 KiB gave 2.52 times SQLite's
/// fifty shoppers and 262 KiB written per sequential lifecycle, 4 MiB 3.34 times and 165 KiB
/// (16 MiB: a 30 ms pause, command p99 up to 50 ms). But 4 MiB's 11 ms pause lands on the bot's
/// fifty-shopper burst: choosing a plan went to 31-32 ms p99 (256 KiB: 23 ms); 1 MiB gives 20 ms.
/// Once records were built in place (a cheaper apply), 1 MiB also led the lifecycle bench: 3.07
/// and 3.18 times SQLite with p99 21 ms, against 2.72 times (p99 26 ms) at 2 MiB and 2.80 times
/// at 512 KiB (sequential p99 2.8 ms from its more frequent pauses).
pub const CHECKPOINT_BYTES: u64 = 1 << 20;

const PUT: u8 = 1;
const REMOVE: u8 = 2;

/// Where the journal of a database file lives: beside it, `<file>-journal`.
pub fn path_of(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-journal");
    PathBuf::from(name)
}

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("journal: {0}")]
    Io(#[from] io::Error),
    #[error(
        "the journal beside the database holds commits of another database file (journal id {found:016x}, the database's {expected}); \
         if a backup was copied over the database, move the journal away or restore with `nebula restore`"
    )]
    Foreign { found: u64, expected: String },
    #[error(
        "the journal's records start at {found}, but the database ends at {durable}: the database file was replaced by an older one; \
         move the journal away or restore with `nebula restore`"
    )]
    Gap { durable: u64, found: u64 },
    #[error("journal record {seq}: {detail}")]
    Malformed { seq: u64, detail: String },
    #[error(
        "the journal could not be written or synced; nothing more is committed until the shop restarts"
    )]
    Broken,
}

/// The file under a journal: a real file, or a test's disk that loses what was not synced.
#[allow(clippy::len_without_is_empty)] // a file's length, not a collection's
pub trait JournalDisk: Send + Sync + 'static {
    fn len(&self) -> io::Result<u64>;
    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()>;
    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()>;
    fn sync(&self) -> io::Result<()>;
}

impl JournalDisk for std::fs::File {
    fn len(&self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }
    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(self, out, offset)
    }
    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        std::os::unix::fs::FileExt::write_all_at(self, data, offset)
    }
    fn sync(&self) -> io::Result<()> {
        self.sync_data()
    }
}

/// One row written or removed by a commit, as the journal holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op<'a> {
    Put {
        table: &'a str,
        key: &'a [u8],
        value: &'a [u8],
    },
    Remove {
        table: &'a str,
        key: &'a [u8],
    },
}

/// A record being built: room for its head, then its payload (the rows of one commit), so that
/// writing it copies nothing. Its buffer is handed on to the next commit's record.
#[derive(Debug)]
pub struct Record {
    bytes: Vec<u8>,
}

impl Record {
    /// An empty record in `buffer` (what it held is dropped; its capacity is kept).
    pub fn in_buffer(mut buffer: Vec<u8>) -> Record {
        buffer.clear();
        buffer.resize(RECORD_HEAD, 0);
        Record { bytes: buffer }
    }

    /// A record of `payload`, for tests.
    #[cfg(test)]
    pub fn of(payload: &[u8]) -> Record {
        let mut record = Record::in_buffer(Vec::new());
        record.bytes.extend_from_slice(payload);
        record
    }

    /// Appends a put.
    pub fn put(&mut self, table: &str, key: &[u8], value: &[u8]) {
        encode_put(&mut self.bytes, table, key, value);
    }

    /// Appends a removal.
    pub fn remove(&mut self, table: &str, key: &[u8]) {
        encode_remove(&mut self.bytes, table, key);
    }

    /// Whether it holds no row.
    pub fn is_empty(&self) -> bool {
        self.bytes.len() == RECORD_HEAD
    }

    /// The rows, as [`decode`] reads them.
    pub fn payload(&self) -> &[u8] {
        &self.bytes[RECORD_HEAD..]
    }

    /// The buffer, for the next record.
    pub fn into_buffer(self) -> Vec<u8> {
        self.bytes
    }
}

/// Appends a put to a record's payload.
fn encode_put(out: &mut Vec<u8>, table: &str, key: &[u8], value: &[u8]) {
    out.push(PUT);
    encode_head(out, table, key);
    out.extend_from_slice(&(value.len() as u32).to_le_bytes());
    out.extend_from_slice(value);
}

/// Appends a removal to a record's payload.
fn encode_remove(out: &mut Vec<u8>, table: &str, key: &[u8]) {
    out.push(REMOVE);
    encode_head(out, table, key);
}

fn encode_head(out: &mut Vec<u8>, table: &str, key: &[u8]) {
    let name = table.as_bytes();
    debug_assert!(name.len() <= u8::MAX as usize, "table names are short");
    out.push(name.len() as u8);
    out.extend_from_slice(name);
    out.extend_from_slice(&(key.len() as u32).to_le_bytes());
    out.extend_from_slice(key);
}

/// Reads a record's payload back into its ops.
pub fn decode(seq: u64, mut payload: &[u8]) -> Result<Vec<Op<'_>>, JournalError> {
    let bad = |detail: &str| JournalError::Malformed {
        seq,
        detail: detail.to_owned(),
    };
    fn take<'a>(input: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        let (head, rest) = input.split_at_checked(n)?;
        *input = rest;
        Some(head)
    }
    fn take_len(input: &mut &[u8]) -> Option<usize> {
        take(input, 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }
    let mut ops = Vec::new();
    while let Some(kind) = take(&mut payload, 1) {
        let truncated = || bad("the payload ends inside an op");
        let name_len = take(&mut payload, 1).ok_or_else(truncated)?[0] as usize;
        let table = std::str::from_utf8(take(&mut payload, name_len).ok_or_else(truncated)?)
            .map_err(|_| bad("a table name is not UTF-8"))?;
        let key_len = take_len(&mut payload).ok_or_else(truncated)?;
        let key = take(&mut payload, key_len).ok_or_else(truncated)?;
        ops.push(match kind[0] {
            PUT => {
                let value_len = take_len(&mut payload).ok_or_else(truncated)?;
                let value = take(&mut payload, value_len).ok_or_else(truncated)?;
                Op::Put { table, key, value }
            }
            REMOVE => Op::Remove { table, key },
            other => return Err(bad(&format!("unknown op {other}"))),
        });
    }
    Ok(ops)
}

fn header_bytes(id: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER as usize);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&id.to_le_bytes());
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out.resize(HEADER as usize, 0);
    out
}

fn record_crc(seq: u64, payload: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(&seq.to_le_bytes());
    h.update(payload);
    h.finalize()
}

/// A record found by [`Journal::open`] that the database does not hold yet.
pub struct Pending {
    pub seq: u64,
    pub payload: Vec<u8>,
}

/// The journal of one database, written by the one writer.
pub struct Journal {
    disk: Box<dyn JournalDisk>,
    /// Where the next record goes.
    at: u64,
    /// How long the file is (zeros past the records).
    filled: u64,
    /// The last record written (or, before any, the last the database holds durably).
    last: u64,
    /// The last record known durable (synced, or held by the database since a checkpoint).
    durable: u64,
    /// Where the first record not yet synced starts.
    synced_to: u64,
    /// A record failed and could not be taken back, or a sync failed: nothing more may be
    /// written.
    broken: bool,
}

impl Journal {
    /// Opens the journal of a database whose durable state ends at record `durable` and has
    /// journal id `id` (`None`: a file that never had a journal, such as a restored backup).
    /// Returns the journal, positioned at its start, and the records to apply, in order.
    pub fn open(
        disk: Box<dyn JournalDisk>,
        id: Option<u64>,
        durable: u64,
    ) -> Result<(Journal, Vec<Pending>), JournalError> {
        let len = disk.len()?;
        let mut pending = Vec::new();
        if len >= HEADER {
            let mut head = vec![0; HEADER as usize];
            disk.read(0, &mut head)?;
            let named = u64::from_le_bytes(head[8..16].try_into().unwrap());
            let found = (head == header_bytes(named)).then_some(named);
            let records = read_records(&*disk, len, durable)?;
            match (found, id) {
                (Some(found), Some(id)) if found == id => pending = records,
                _ if records.is_empty() => {}
                (found, id) => {
                    return Err(JournalError::Foreign {
                        found: found.unwrap_or(0),
                        expected: id.map_or("none".into(), |id| format!("{id:016x}")),
                    });
                }
            }
        }
        let last = pending.last().map_or(durable, |p| p.seq);
        let journal = Journal {
            disk,
            at: HEADER,
            filled: len,
            last,
            durable: last,
            synced_to: HEADER,
            broken: false,
        };
        Ok((journal, pending))
    }

    /// Writes a fresh header for `id` (a new journal, or one whose records the database now
    /// holds durably) and clears the first record's place.
    pub fn format(&mut self, id: u64) -> Result<(), JournalError> {
        self.disk.write(0, &header_bytes(id))?;
        self.clear_head(HEADER)?;
        self.at = HEADER;
        self.synced_to = HEADER;
        self.durable = self.last;
        self.filled = self.filled.max(HEADER + RECORD_HEAD as u64);
        Ok(())
    }

    /// The last record written.
    pub fn last(&self) -> u64 {
        self.last
    }

    /// Bytes written since the last checkpoint.
    pub fn written(&self) -> u64 {
        self.at - HEADER
    }

    /// Appends record `last() + 1` and syncs it (with every record before it): the tests' one
    /// step for what the store does in two.
    #[cfg(test)]
    pub fn append(&mut self, payload: &[u8]) -> Result<u64, JournalError> {
        let seq = self.write(&mut Record::of(payload))?;
        self.sync()?;
        Ok(seq)
    }

    /// The last record known durable.
    pub fn durable(&self) -> u64 {
        self.durable
    }

    /// Whether a failure has stopped the journal (see [`JournalError::Broken`]).
    pub fn is_broken(&self) -> bool {
        self.broken
    }

    /// Makes every record written so far durable. A failed sync stops the journal: the
    /// records after the last durable one are taken back (best effort: their first head
    /// overwritten) so that recovery does not apply them, and nothing more is written, since
    /// their commits can no longer be told apart from the ones that follow.
    pub fn sync(&mut self) -> Result<(), JournalError> {
        if self.broken {
            return Err(JournalError::Broken);
        }
        if self.durable == self.last {
            return Ok(());
        }
        if let Err(e) = self.disk.sync() {
            self.stop();
            return Err(e.into());
        }
        self.durable = self.last;
        self.synced_to = self.at;
        Ok(())
    }

    /// Stops the journal as a failed sync does (a commit could not be finished).
    pub fn stop(&mut self) {
        self.broken = true;
        let _ = self.clear_head(self.synced_to);
    }

    /// Writes `record` as record `last() + 1` without syncing it ([`Journal::sync`] does). On
    /// error the record is taken back (its head overwritten and synced) so that recovery never
    /// applies it; if even that fails, the journal refuses every later record.
    pub fn write(&mut self, record: &mut Record) -> Result<u64, JournalError> {
        if self.broken {
            return Err(JournalError::Broken);
        }
        let seq = self.last + 1;
        let crc = record_crc(seq, record.payload());
        let len = record.payload().len() as u32;
        let head = &mut record.bytes[..RECORD_HEAD];
        head[..4].copy_from_slice(&len.to_le_bytes());
        head[4..8].copy_from_slice(&crc.to_le_bytes());
        head[8..].copy_from_slice(&seq.to_le_bytes());
        let end = self.at + record.bytes.len() as u64;
        let written = self
            .grow_to(end)
            .and_then(|()| self.disk.write(self.at, &record.bytes));
        if let Err(e) = written {
            self.take_back();
            return Err(e.into());
        }
        self.at = end;
        self.last = seq;
        Ok(seq)
    }

    /// Zeros the file ahead of `end`, a [`GROW`] at a time (synced with the record).
    fn grow_to(&mut self, end: u64) -> io::Result<()> {
        if end <= self.filled {
            return Ok(());
        }
        let to = end.div_ceil(GROW) * GROW;
        self.disk
            .write(self.filled, &vec![0; (to - self.filled) as usize])?;
        self.filled = to;
        Ok(())
    }

    /// Takes back `record`, the last one written (its commit failed after it was written).
    pub fn revoke_last(&mut self, record: &Record) {
        self.at -= record.bytes.len() as u64;
        self.last -= 1;
        self.take_back();
    }

    fn take_back(&mut self) {
        if self.clear_head(self.at).is_err() {
            self.broken = true;
        }
    }

    /// Zeros (and syncs) the record head at `at`: reading stops there.
    fn clear_head(&self, at: u64) -> io::Result<()> {
        self.disk.write(at, &[0; RECORD_HEAD])?;
        self.disk.sync()
    }

    /// After a checkpoint (the database holds every record durably): the next record is written
    /// at the start again.
    pub fn restart(&mut self) {
        self.at = HEADER;
        self.synced_to = HEADER;
        self.durable = self.last;
    }
}

/// The records after `durable`, in order, up to the first that is torn, stale or out of
/// sequence.
fn read_records(
    disk: &dyn JournalDisk,
    len: u64,
    durable: u64,
) -> Result<Vec<Pending>, JournalError> {
    let mut out: Vec<Pending> = Vec::new();
    let mut at = HEADER;
    loop {
        if at + RECORD_HEAD as u64 > len {
            break;
        }
        let mut head = [0u8; RECORD_HEAD];
        disk.read(at, &mut head)?;
        let size = u32::from_le_bytes(head[0..4].try_into().unwrap()) as u64;
        let crc = u32::from_le_bytes(head[4..8].try_into().unwrap());
        let seq = u64::from_le_bytes(head[8..16].try_into().unwrap());
        let start = at + RECORD_HEAD as u64;
        if seq == 0 || start + size > len {
            break;
        }
        let mut payload = vec![0; size as usize];
        disk.read(start, &mut payload)?;
        if record_crc(seq, &payload) != crc {
            break;
        }
        let expected = out.last().map_or(durable + 1, |p| p.seq + 1);
        if out.is_empty() && seq <= durable {
            // Written before the last checkpoint: the database holds it already, and nothing
            // was written after that checkpoint.
            break;
        }
        if seq != expected {
            if out.is_empty() {
                return Err(JournalError::Gap {
                    durable,
                    found: seq,
                });
            }
            break;
        }
        out.push(Pending { seq, payload });
        at = start + size;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A disk in memory that keeps everything (this module's rules, not power cuts: those are
    /// the power-loss tests').
    #[derive(Clone, Default)]
    struct Memory(Arc<Mutex<Vec<u8>>>);

    impl JournalDisk for Memory {
        fn len(&self) -> io::Result<u64> {
            Ok(self.0.lock().unwrap().len() as u64)
        }
        fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
            let b = self.0.lock().unwrap();
            out.copy_from_slice(&b[offset as usize..offset as usize + out.len()]);
            Ok(())
        }
        fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
            let mut b = self.0.lock().unwrap();
            let end = offset as usize + data.len();
            if b.len() < end {
                b.resize(end, 0);
            }
            b[offset as usize..end].copy_from_slice(data);
            Ok(())
        }
        fn sync(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn payload(n: u8) -> Vec<u8> {
        let mut out = Vec::new();
        encode_put(&mut out, "orders_v1", &[n; 16], &[n; 40]);
        encode_remove(&mut out, "outbox_due_v1", &[n, 1]);
        out
    }

    fn fresh(disk: &Memory, durable: u64) -> Journal {
        let (mut j, pending) = Journal::open(Box::new(disk.clone()), Some(7), durable).unwrap();
        assert!(pending.is_empty());
        j.format(7).unwrap();
        j
    }

    fn seqs(disk: &Memory, id: Option<u64>, durable: u64) -> Result<Vec<u64>, JournalError> {
        let (_, pending) = Journal::open(Box::new(disk.clone()), id, durable)?;
        Ok(pending.iter().map(|p| p.seq).collect())
    }

    #[test]
    fn ops_read_back_as_written() {
        let p = payload(3);
        assert_eq!(
            decode(1, &p).unwrap(),
            [
                Op::Put {
                    table: "orders_v1",
                    key: &[3; 16],
                    value: &[3; 40]
                },
                Op::Remove {
                    table: "outbox_due_v1",
                    key: &[3, 1]
                }
            ]
        );
        assert!(matches!(
            decode(1, &p[..p.len() - 1]),
            Err(JournalError::Malformed { seq: 1, .. })
        ));
    }

    #[test]
    fn records_after_the_durable_one_are_replayed_in_order() {
        let disk = Memory::default();
        let mut j = fresh(&disk, 10);
        for n in 0..3 {
            j.append(&payload(n)).unwrap();
        }
        assert_eq!(seqs(&disk, Some(7), 10).unwrap(), [11, 12, 13]);
        // The database already holds them durably (a checkpoint, then a crash before anything
        // else was written): none is applied twice.
        assert_eq!(seqs(&disk, Some(7), 13).unwrap(), Vec::<u64>::new());
    }

    #[test]
    fn a_torn_last_record_is_not_replayed() {
        let disk = Memory::default();
        let mut j = fresh(&disk, 0);
        j.append(&payload(1)).unwrap();
        j.append(&payload(2)).unwrap();
        // The second record's last byte never reached the disk.
        let end = HEADER + j.written();
        disk.0.lock().unwrap()[end as usize - 1] ^= 0xff;
        assert_eq!(seqs(&disk, Some(7), 0).unwrap(), [1]);
    }

    #[test]
    fn after_a_checkpoint_old_records_are_left_alone() {
        let disk = Memory::default();
        let mut j = fresh(&disk, 0);
        for n in 0..5 {
            j.append(&payload(n)).unwrap();
        }
        // Checkpoint at 5; then one short record overwrites the start.
        j.restart();
        let mut short = Vec::new();
        encode_remove(&mut short, "orders_v1", &[9]);
        j.append(&short).unwrap();
        assert_eq!(seqs(&disk, Some(7), 5).unwrap(), [6]);
        // Crash right after the checkpoint, before record 6: nothing to do.
        let disk2 = Memory::default();
        let mut j2 = fresh(&disk2, 0);
        for n in 0..5 {
            j2.append(&payload(n)).unwrap();
        }
        assert_eq!(seqs(&disk2, Some(7), 5).unwrap(), Vec::<u64>::new());
    }

    #[test]
    fn a_record_taken_back_is_never_replayed() {
        let disk = Memory::default();
        let mut j = fresh(&disk, 0);
        j.append(&payload(1)).unwrap();
        let p = payload(2);
        j.append(&p).unwrap();
        j.revoke_last(&Record::of(&p));
        assert_eq!(j.last(), 1);
        assert_eq!(seqs(&disk, Some(7), 0).unwrap(), [1]);
        // The next record takes its place and number.
        assert_eq!(j.append(&payload(3)).unwrap(), 2);
        assert_eq!(seqs(&disk, Some(7), 0).unwrap(), [1, 2]);
    }

    #[test]
    fn a_journal_of_another_database_or_an_older_file_is_refused() {
        let disk = Memory::default();
        let mut j = fresh(&disk, 100);
        j.append(&payload(1)).unwrap();
        assert!(matches!(
            seqs(&disk, Some(8), 100),
            Err(JournalError::Foreign { found: 7, .. })
        ));
        assert!(matches!(
            seqs(&disk, None, 100),
            Err(JournalError::Foreign { .. })
        ));
        // An older copy of the database put in place: the journal goes on from 101.
        assert!(matches!(
            seqs(&disk, Some(7), 40),
            Err(JournalError::Gap {
                durable: 40,
                found: 101
            })
        ));
        // A journal with nothing to replay is no obstacle, whoever it belonged to.
        let empty = Memory::default();
        fresh(&empty, 0);
        assert_eq!(seqs(&empty, Some(8), 0).unwrap(), Vec::<u64>::new());
    }
}
