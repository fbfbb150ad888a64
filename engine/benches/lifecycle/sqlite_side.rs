//! SQLite's side: per command, the rows, index rows, reads and scans the engine does, in one
//! `BEGIN IMMEDIATE` transaction, WAL, `synchronous=FULL`. Values are the engine's own encoded
//! records (taken from a sample lifecycle), so both sides write the same bytes.
//!
//! Where the engine keeps an index table, SQLite has an index on a column (it maintains it on
//! every write). Ids are one past the last, as the engine's are (SQLite's rowid). An order's
//! effects have keys unique by construction (order, event number), so neither side indexes them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

use crate::engine_side::{EFFECTS_PER_LIFECYCLE, proof};
use crate::stats::Latencies;

const SCHEMA: &str = "
CREATE TABLE plans (id TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE methods (id TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE servers (id TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE server_health (id TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE orders (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, state TEXT NOT NULL,
                     shopper INTEGER NOT NULL, deadline INTEGER NOT NULL, body BLOB NOT NULL);
CREATE INDEX orders_by_state ON orders (state, id);
CREATE INDEX orders_by_shopper ON orders (shopper, id);
CREATE INDEX orders_by_deadline ON orders (deadline, id)
    WHERE state IN ('awaiting_method', 'awaiting_proof');
CREATE TABLE retention_channels (at INTEGER NOT NULL, order_id INTEGER NOT NULL,
                                 PRIMARY KEY (at, order_id)) WITHOUT ROWID;
CREATE TABLE retention_purge (at INTEGER NOT NULL, order_id INTEGER NOT NULL,
                              PRIMARY KEY (at, order_id)) WITHOUT ROWID;
CREATE TABLE order_events (order_id INTEGER NOT NULL, seq INTEGER NOT NULL, body BLOB NOT NULL,
                           PRIMARY KEY (order_id, seq)) WITHOUT ROWID;
CREATE TABLE decisions (order_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind INTEGER NOT NULL,
                        body BLOB NOT NULL, PRIMARY KEY (order_id, seq, kind)) WITHOUT ROWID;
CREATE TABLE outbox (id INTEGER PRIMARY KEY, key TEXT NOT NULL, effect TEXT NOT NULL,
                     due INTEGER NOT NULL, lane INTEGER NOT NULL, stream INTEGER NOT NULL,
                     status TEXT NOT NULL, body BLOB NOT NULL);
CREATE INDEX outbox_due ON outbox (due, id) WHERE status = 'pending';
CREATE INDEX outbox_streams ON outbox (lane, stream, id, due) WHERE status = 'pending';
CREATE TABLE audit (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE proof_blobs (order_id INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE proof_hashes (sha TEXT PRIMARY KEY, order_id INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE shoppers (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, shopper INTEGER NOT NULL, server TEXT NOT NULL,
                            expires INTEGER NOT NULL, holds_slot INTEGER NOT NULL,
                            timer_at INTEGER, body BLOB NOT NULL);
CREATE INDEX subs_by_expiry ON subscriptions (expires, id);
CREATE INDEX subs_by_server ON subscriptions (server, holds_slot, id);
CREATE INDEX subs_by_shopper ON subscriptions (shopper, id);
CREATE INDEX subs_by_timer ON subscriptions (timer_at, id) WHERE timer_at IS NOT NULL;
";

/// The engine's encoded values, one typical row per table, by table name.
pub struct Bodies(HashMap<String, Vec<u8>>);

impl Bodies {
    /// The median-sized value of each table of an engine dump.
    pub fn from_dump(dump: &nebula_engine::backup::Dump) -> Bodies {
        let mut out = HashMap::new();
        for (table, rows) in dump {
            let mut values: Vec<&Vec<u8>> = rows.iter().map(|(_, v)| v).collect();
            values.sort_by_key(|v| v.len());
            if let Some(v) = values.get(values.len() / 2) {
                out.insert(table.clone(), (*v).clone());
            }
        }
        Bodies(out)
    }

    fn get(&self, table: &str) -> &[u8] {
        self.0
            .get(table)
            .unwrap_or_else(|| panic!("the sample lifecycle wrote no {table} row"))
    }
}

/// Every statement goes through SQLite's prepared-statement cache, as a tuned application's
/// would (parsing SQL on every command would handicap SQLite).
trait Cached {
    fn exec<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
    fn one<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl Cached for Connection {
    fn exec<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }

    fn one<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}

fn connect(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "FULL").unwrap();
    conn.busy_timeout(Duration::from_secs(30)).unwrap();
    // Room for every statement the bench uses (the default keeps 16).
    conn.set_prepared_statement_cache_capacity(64);
    conn
}

/// A fresh database with the catalogue the engine's bench shop has (one plan, one method, one
/// server with its health row).
pub fn create(path: &Path, b: &Bodies) -> Connection {
    let conn = connect(path);
    conn.execute_batch(SCHEMA).unwrap();
    conn.exec(
        "INSERT INTO plans VALUES ('month-50gb', ?1)",
        [b.get("plans_v1")],
    )
    .unwrap();
    conn.exec(
        "INSERT INTO methods VALUES ('wallet', ?1)",
        [b.get("payment_methods_v1")],
    )
    .unwrap();
    conn.exec(
        "INSERT INTO servers VALUES ('fra-1', ?1)",
        [b.get("servers_v1")],
    )
    .unwrap();
    conn
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn order_id(n: u64) -> i64 {
    n as i64 + 1_000_000_000
}

fn shopper_of(n: u64) -> i64 {
    1_000 + (n % 5_000) as i64
}

fn immediate(conn: &mut Connection) -> Transaction<'_> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .unwrap()
}

/// The effects one event queues, as (name, lane, due in ms from now).
type Effects<'a> = &'a [(&'a str, i64, i64)];

/// What every order command does after its own reads: the event row, the outbox rows (due and
/// stream indexed), the audit row.
fn log_and_enqueue(tx: &Transaction, b: &Bodies, order: i64, seq: i64, effects: Effects) {
    tx.exec(
        "INSERT INTO order_events (order_id, seq, body) VALUES (?1, ?2, ?3)",
        params![order, seq, b.get("order_events_v1")],
    )
    .unwrap();
    let now = now_ms();
    for (i, (effect, lane, later)) in effects.iter().enumerate() {
        let key = format!("order:{order}/e{seq}/{i}:{effect}");
        tx.exec(
            "INSERT INTO outbox (key, effect, due, lane, stream, status, body)
             VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)",
            params![key, effect, now + later, lane, order, b.get("outbox_v1")],
        )
        .unwrap();
    }
    tx.exec(
        "INSERT INTO audit (body) VALUES (?1)",
        params![b.get("audit_v1")],
    )
    .unwrap();
}

/// Reads the order and moves it to `state` (the indexes follow).
fn move_order(tx: &Transaction, b: &Bodies, order: i64, state: &str) {
    let _: Vec<u8> = tx
        .one("SELECT body FROM orders WHERE id = ?1", [order], |r| {
            r.get(0)
        })
        .unwrap();
    tx.exec(
        "UPDATE orders SET state = ?2, body = ?3 WHERE id = ?1",
        params![order, state, b.get("orders_v1")],
    )
    .unwrap();
}

pub fn open_order(conn: &mut Connection, b: &Bodies, n: u64) {
    let (order, shopper) = (order_id(n), shopper_of(n));
    // Outside the transaction, as the engine does before asking its policies.
    let _: Vec<u8> = conn
        .one("SELECT body FROM plans WHERE id = 'month-50gb'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let _known: Option<Vec<u8>> = conn
        .one("SELECT body FROM shoppers WHERE id = ?1", [shopper], |r| {
            r.get(0)
        })
        .optional()
        .unwrap();
    let mut methods = conn.prepare_cached("SELECT body FROM methods").unwrap();
    let _: Vec<Vec<u8>> = methods
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(methods);
    let tx = immediate(conn);
    let code = format!("{order:08X}");
    let clash: Option<i64> = tx
        .one("SELECT id FROM orders WHERE code = ?1", [&code], |r| {
            r.get(0)
        })
        .optional()
        .unwrap();
    assert!(clash.is_none());
    tx.exec(
        "INSERT INTO orders (id, code, state, shopper, deadline, body)
         VALUES (?1, ?2, 'awaiting_method', ?3, ?4, ?5)",
        params![
            order,
            code,
            shopper,
            now_ms() + 1_800_000,
            b.get("orders_v1")
        ],
    )
    .unwrap();
    log_and_enqueue(&tx, b, order, 0, &[("open_order_channel", 0, 0)]);
    for kind in 0..2 {
        tx.exec(
            "INSERT INTO decisions (order_id, seq, kind, body) VALUES (?1, 0, ?2, ?3)",
            params![order, kind, b.get("decisions_v1")],
        )
        .unwrap();
    }
    tx.exec(
        "INSERT INTO shoppers (id, body) VALUES (?1, ?2)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body",
        params![shopper, b.get("shoppers_v1")],
    )
    .unwrap();
    tx.commit().unwrap();
}

pub fn choose_method(conn: &mut Connection, b: &Bodies, n: u64) {
    let tx = immediate(conn);
    let order = order_id(n);
    move_order(&tx, b, order, "awaiting_proof");
    log_and_enqueue(&tx, b, order, 1, &[("show_payment_instructions", 0, 0)]);
    tx.commit().unwrap();
}

pub fn submit_proof(conn: &mut Connection, b: &Bodies, n: u64) {
    let image = proof(n).bytes;
    let sha = nebula_common::hex_sha256(&image);
    let order = order_id(n);
    let tx = immediate(conn);
    let first: Option<i64> = tx
        .one(
            "SELECT order_id FROM proof_hashes WHERE sha = ?1",
            [&sha],
            |r| r.get(0),
        )
        .optional()
        .unwrap();
    move_order(&tx, b, order, "under_review");
    log_and_enqueue(
        &tx,
        b,
        order,
        2,
        &[("request_review", 0, 0), ("notify_shopper", 0, 0)],
    );
    tx.exec(
        "INSERT INTO proof_blobs (order_id, body) VALUES (?1, ?2)",
        params![order, image],
    )
    .unwrap();
    if first.is_none() {
        tx.exec(
            "INSERT INTO proof_hashes (sha, order_id) VALUES (?1, ?2)",
            params![sha, order],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// The slots in use on the bench's one server: subscriptions holding one, and new orders being
/// provisioned there (read from their records, as the engine does).
fn slots_taken(conn: &Connection) -> i64 {
    let subs: i64 = conn
        .one(
            "SELECT count(*) FROM subscriptions WHERE server = 'fra-1' AND holds_slot = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut provisioning = conn
        .prepare_cached("SELECT body FROM orders WHERE state = 'provisioning'")
        .unwrap();
    let in_flight = provisioning
        .query_map([], |r| r.get::<_, Vec<u8>>(0))
        .unwrap()
        .count() as i64;
    subs + in_flight
}

pub fn approve(conn: &mut Connection, b: &Bodies, n: u64) {
    let order = order_id(n);
    // The placement, outside the transaction: the order, the servers, their health and load.
    let _: Vec<u8> = conn
        .one("SELECT body FROM orders WHERE id = ?1", [order], |r| {
            r.get(0)
        })
        .unwrap();
    let mut servers = conn.prepare_cached("SELECT body FROM servers").unwrap();
    let _: Vec<Vec<u8>> = servers
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    drop(servers);
    let _: Option<Vec<u8>> = conn
        .one(
            "SELECT body FROM server_health WHERE id = 'fra-1'",
            [],
            |r| r.get(0),
        )
        .optional()
        .unwrap();
    assert!(slots_taken(conn) < 10_000_000);
    let tx = immediate(conn);
    // The room, checked again on what is committed.
    let _: Vec<u8> = tx
        .one("SELECT body FROM servers WHERE id = 'fra-1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(slots_taken(&tx) < 10_000_000);
    move_order(&tx, b, order, "provisioning");
    log_and_enqueue(
        &tx,
        b,
        order,
        3,
        &[("close_review", 0, 0), ("provision", 1, 0)],
    );
    tx.exec(
        "INSERT INTO decisions (order_id, seq, kind, body) VALUES (?1, 3, 2, ?2)",
        params![order, b.get("decisions_v1")],
    )
    .unwrap();
    tx.commit().unwrap();
}

/// A due row: its id, its effect's name and its order.
pub struct Due {
    pub id: i64,
    pub effect: String,
    pub order: i64,
}

/// Rows due now that are first in line in their stream, oldest due first (the engine's scan).
pub fn due(conn: &Connection, limit: usize) -> Vec<Due> {
    let mut scan = conn
        .prepare_cached(
            "SELECT id, effect, stream, body FROM outbox o
             WHERE status = 'pending' AND due <= ?1
               AND NOT EXISTS (SELECT 1 FROM outbox e
                               WHERE e.status = 'pending' AND e.lane = o.lane
                                 AND e.stream = o.stream AND e.id < o.id AND e.due <= ?1)
             ORDER BY due, id LIMIT ?2",
        )
        .unwrap();
    scan.query_map(params![now_ms(), limit as i64], |r| {
        let _: Vec<u8> = r.get(3)?;
        Ok(Due {
            id: r.get(0)?,
            effect: r.get(1)?,
            order: r.get(2)?,
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// The result of one effect: the row read and finished; a provisioning result also fulfils the
/// order (retention rows, two more effects, the subscription with its indexes and timer, the
/// shopper's paid count).
pub fn complete(conn: &mut Connection, b: &Bodies, row: &Due) {
    let tx = immediate(conn);
    let status: String = tx
        .one("SELECT status FROM outbox WHERE id = ?1", [row.id], |r| {
            r.get(0)
        })
        .unwrap();
    if status != "pending" {
        return;
    }
    tx.exec(
        "UPDATE outbox SET status = 'done', body = ?2 WHERE id = ?1",
        params![row.id, b.get("outbox_v1")],
    )
    .unwrap();
    if row.effect == "provision" {
        fulfil(&tx, b, row.order);
    }
    tx.commit().unwrap();
}

fn fulfil(tx: &Transaction, b: &Bodies, order: i64) {
    move_order(tx, b, order, "fulfilled");
    let now = now_ms();
    for table in ["retention_channels", "retention_purge"] {
        tx.exec(
            &format!("INSERT INTO {table} (at, order_id) VALUES (?1, ?2)"),
            params![now, order],
        )
        .unwrap();
    }
    log_and_enqueue(
        tx,
        b,
        order,
        4,
        &[
            ("deliver_access", 0, 0),
            ("close_order_channel", 0, 3_600_000),
        ],
    );
    let old: Option<Vec<u8>> = tx
        .one(
            "SELECT body FROM subscriptions WHERE id = ?1",
            [order],
            |r| r.get(0),
        )
        .optional()
        .unwrap();
    assert!(old.is_none());
    let shopper: i64 = tx
        .one("SELECT shopper FROM orders WHERE id = ?1", [order], |r| {
            r.get(0)
        })
        .unwrap();
    tx.exec(
        "INSERT INTO subscriptions (id, shopper, server, expires, holds_slot, timer_at, body)
         VALUES (?1, ?2, 'fra-1', ?3, 1, ?4, ?5)",
        params![
            order,
            shopper,
            now + 2_592_000_000,
            now + 2_332_800_000,
            b.get("subscriptions_v1")
        ],
    )
    .unwrap();
    let _: Vec<u8> = tx
        .one("SELECT body FROM shoppers WHERE id = ?1", [shopper], |r| {
            r.get(0)
        })
        .unwrap();
    tx.exec(
        "UPDATE shoppers SET body = ?2 WHERE id = ?1",
        params![shopper, b.get("shoppers_v1")],
    )
    .unwrap();
}

fn timed(latencies: &mut Latencies, f: impl FnOnce()) {
    let t = Instant::now();
    f();
    latencies.push(t.elapsed());
}

/// One lifecycle, one step at a time, as the engine's side runs it.
pub fn lifecycle(conn: &mut Connection, b: &Bodies, n: u64, latencies: &mut Latencies) {
    timed(latencies, || open_order(conn, b, n));
    timed(latencies, || choose_method(conn, b, n));
    timed(latencies, || submit_proof(conn, b, n));
    timed(latencies, || approve(conn, b, n));
    let mut completed = 0;
    loop {
        let rows = due(conn, 64);
        if rows.is_empty() {
            break;
        }
        for row in rows {
            timed(latencies, || complete(conn, b, &row));
            completed += 1;
        }
    }
    assert_eq!(completed, EFFECTS_PER_LIFECYCLE);
}

/// How the concurrent run reaches SQLite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// One writer connection on its own thread, behind a queue; reads on a pool.
    WriterQueue,
    /// A connection per task, WAL and a busy timeout: writers wait for the lock.
    BusyTimeout,
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Mode::WriterQueue => "one writer behind a queue",
            Mode::BusyTimeout => "a connection per task with a busy timeout",
        })
    }
}

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// SQLite for many tasks at once, the way `Mode` says.
#[derive(Clone)]
struct Access {
    path: PathBuf,
    pool: Arc<Mutex<Vec<Connection>>>,
    writer: Option<std::sync::mpsc::Sender<Job>>,
}

impl Access {
    fn new(path: &Path, mode: Mode) -> Access {
        let writer = (mode == Mode::WriterQueue).then(|| {
            let (tx, rx) = std::sync::mpsc::channel::<Job>();
            let mut conn = connect(path);
            std::thread::spawn(move || {
                for job in rx {
                    job(&mut conn);
                }
            });
            tx
        });
        Access {
            path: path.to_owned(),
            pool: Arc::default(),
            writer,
        }
    }

    async fn pooled<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> T + Send + 'static,
    ) -> T {
        let this = self.clone();
        tokio::task::spawn_blocking(move || {
            let pooled = this.pool.lock().unwrap().pop();
            let mut conn = pooled.unwrap_or_else(|| connect(&this.path));
            let out = f(&mut conn);
            this.pool.lock().unwrap().push(conn);
            out
        })
        .await
        .unwrap()
    }

    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> T + Send + 'static,
    ) -> T {
        match &self.writer {
            Some(queue) => {
                let (reply, answer) = tokio::sync::oneshot::channel();
                queue
                    .send(Box::new(move |conn| {
                        let _ = reply.send(f(conn));
                    }))
                    .unwrap();
                answer.await.unwrap()
            }
            None => self.pooled(f).await,
        }
    }
}

/// `shoppers` tasks at once, each running `each` lifecycles' commands back to back, while a
/// worker like the engine's (a pipeline: rows in hand left out of scans, results recorded as
/// they come) carries the effects out.
pub async fn concurrent(
    path: &Path,
    bodies: Arc<Bodies>,
    mode: Mode,
    shoppers: u64,
    each: u64,
    first: u64,
) -> (Duration, Latencies) {
    let access = Access::new(path, mode);
    let delivered = Arc::new(AtomicUsize::new(0));
    let expected = (shoppers * each) as usize;
    let start = Instant::now();
    let tasks: Vec<_> = (0..shoppers)
        .map(|s| {
            let (access, b) = (access.clone(), bodies.clone());
            tokio::spawn(async move {
                let mut latencies = Latencies::default();
                for i in 0..each {
                    let n = first + s * each + i;
                    type Command = fn(&mut Connection, &Bodies, u64);
                    let steps: [Command; 4] = [open_order, choose_method, submit_proof, approve];
                    for step in steps {
                        let b = b.clone();
                        let t = Instant::now();
                        access.write(move |conn| step(conn, &b, n)).await;
                        latencies.push(t.elapsed());
                    }
                }
                latencies
            })
        })
        .collect();
    let worker = {
        let (access, b, delivered) = (access.clone(), bodies.clone(), delivered.clone());
        tokio::spawn(async move {
            // The engine worker's pipeline: the in-memory calls out return at once, so every row
            // scanned goes straight to having its result recorded; rows in hand (at most 64) are
            // left out of later scans until their result is in.
            let mut in_hand = HashSet::new();
            let mut recording = FuturesUnordered::new();
            while delivered.load(Ordering::Relaxed) < expected || !recording.is_empty() {
                let limit = 64 + in_hand.len();
                let rows = access.pooled(move |conn| due(conn, limit)).await;
                for row in rows {
                    if in_hand.len() >= 64 || !in_hand.insert(row.id) {
                        continue;
                    }
                    if row.effect == "deliver_access" {
                        delivered.fetch_add(1, Ordering::Relaxed);
                    }
                    let (access, b) = (access.clone(), b.clone());
                    recording.push(async move {
                        let id = row.id;
                        access.write(move |conn| complete(conn, &b, &row)).await;
                        id
                    });
                }
                match recording.next().await {
                    Some(id) => {
                        in_hand.remove(&id);
                    }
                    None => tokio::time::sleep(Duration::from_millis(1)).await,
                }
                while let Some(Some(id)) = recording.next().now_or_never() {
                    in_hand.remove(&id);
                }
            }
        })
    };
    let mut latencies = Latencies::default();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    worker.await.unwrap();
    let elapsed = start.elapsed();
    assert!(
        access.pooled(|conn| due(conn, 1)).await.is_empty(),
        "every effect of the run was carried out"
    );
    (elapsed, latencies)
}
