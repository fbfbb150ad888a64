//! Complete order lifecycles through the engine (redb, `Durability::Immediate`), against the same
//! logical writes in SQLite (bundled, WAL, `synchronous=FULL`, one transaction per command), in
//! the same run, alternating rounds so that both see the same machine.
//!
//! `cargo bench -p nebula-engine` (orders per round: `NEBULA_BENCH_ORDERS`, default 200).
//!
//! One lifecycle is 11 durable transactions on each side: open, choose a method, submit a proof,
//! approve, and the results of the seven effects that are due (order channel, instructions,
//! review, under-review notice, close-review, provisioning, access delivery). Each transaction
//! writes what the engine writes: the order row (read first), an event row, outbox rows, an audit
//! row, index rows; the proof image; the subscription and shopper rows on provisioning. The
//! SQLite side stores JSON bodies of the engine's own records, so the bytes are the same size.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use nebula_engine::actor::Actor;
use nebula_engine::clock::SystemClock;
use nebula_engine::effect::Effect;
use nebula_engine::ids::UserId;
use nebula_engine::order::ProvisionedAccess;
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::{EffectOutcome, OpenOrder, ProofUpload};
use nebula_engine::subscription::AccessLink;
use nebula_engine::testing::{ADMIN, month_plan, server, wallet_method};
use nebula_engine::{Settings, Shop};
use rusqlite::{Connection, params};

const TXNS_PER_LIFECYCLE: u32 = 11;

fn main() {
    let orders: u32 = std::env::var("NEBULA_BENCH_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("temp dir");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    let shop = rt.block_on(setup_engine(&dir.path().join("bench.redb")));
    let mut sqlite = Sqlite::open(&dir.path().join("bench.sqlite"));
    let bodies = rt.block_on(sample_bodies(&shop));

    // Warm up both (page cache, allocator, SQLite's prepared statements).
    let mut n = 0u64;
    for _ in 0..10 {
        n += 1;
        rt.block_on(engine_lifecycle(&shop, n));
        sqlite.lifecycle(n, &bodies);
    }

    println!(
        "order lifecycles, {TXNS_PER_LIFECYCLE} durable transactions each, {orders} per round"
    );
    let (mut engine_total, mut sqlite_total) = (Duration::ZERO, Duration::ZERO);
    for round in 1..=3 {
        let t = Instant::now();
        for _ in 0..orders {
            n += 1;
            rt.block_on(engine_lifecycle(&shop, n));
        }
        let e = t.elapsed();
        let t = Instant::now();
        for _ in 0..orders {
            n += 1;
            sqlite.lifecycle(n, &bodies);
        }
        let s = t.elapsed();
        println!(
            "  round {round}: engine (redb) {:>8.1} lifecycles/s   sqlite {:>8.1} lifecycles/s   ratio {:.2}",
            rate(orders, e),
            rate(orders, s),
            s.as_secs_f64() / e.as_secs_f64()
        );
        engine_total += e;
        sqlite_total += s;
    }
    let (er, sr) = (
        rate(orders * 3, engine_total),
        rate(orders * 3, sqlite_total),
    );
    println!(
        "total: engine {er:.1} lifecycles/s ({:.0} txn/s), sqlite {sr:.1} lifecycles/s ({:.0} txn/s); engine/sqlite = {:.2}",
        er * f64::from(TXNS_PER_LIFECYCLE),
        sr * f64::from(TXNS_PER_LIFECYCLE),
        er / sr
    );
}

fn rate(n: u32, d: Duration) -> f64 {
    f64::from(n) / d.as_secs_f64()
}

async fn setup_engine(path: &Path) -> Shop {
    let shop = Shop::open(
        path,
        Arc::new(NativePolicies::default()),
        Arc::new(SystemClock),
        Settings::default(),
    )
    .await
    .unwrap();
    shop.add_plan(ADMIN, month_plan()).await.unwrap();
    shop.add_method(ADMIN, wallet_method()).await.unwrap();
    shop.add_server(ADMIN, server("fra-1", "eu", 10_000_000))
        .await
        .unwrap();
    // The panel refreshes the catalogue asked for are not part of a lifecycle.
    for row in shop.due_effects(100).await.unwrap() {
        shop.complete_effect(row.id, EffectOutcome::Done)
            .await
            .unwrap();
    }
    shop
}

fn proof(n: u64) -> ProofUpload {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(&n.to_le_bytes());
    bytes.resize(40_000, 7); // a typical compressed phone screenshot is larger; 40 kB keeps it honest
    ProofUpload {
        filename: "receipt.png".into(),
        content_type: "image/png".into(),
        bytes,
    }
}

async fn engine_lifecycle(shop: &Shop, n: u64) {
    let shopper = UserId(1_000 + n % 5_000);
    let open = OpenOrder {
        shopper,
        roles: vec![],
        plan: "month-50gb".parse().unwrap(),
        coupon: None,
        preferred_region: None,
    };
    let id = shop.open_order(open).await.unwrap().order.id;
    shop.choose_method(Actor::Shopper(shopper), id, "wallet".parse().unwrap())
        .await
        .unwrap();
    shop.submit_proof(Actor::Shopper(shopper), id, proof(n))
        .await
        .unwrap();
    shop.approve(ADMIN, id).await.unwrap();
    let mut completed = 0;
    loop {
        let due = shop.due_effects(64).await.unwrap();
        if due.is_empty() {
            break;
        }
        for row in due {
            let outcome = match &row.effect {
                Effect::Provision { request } => EffectOutcome::Provisioned(ProvisionedAccess {
                    access: AccessLink::new(format!(
                        "vless://{}@fra-1.vpn.example:443?type=tcp#{}",
                        request.order, request.client_email
                    )),
                    alternatives: Vec::new(),
                    subscription_url: None,
                    expires_at: request.expires_at,
                }),
                _ => EffectOutcome::Done,
            };
            shop.complete_effect(row.id, outcome).await.unwrap();
            completed += 1;
        }
    }
    assert_eq!(
        completed, 7,
        "the lifecycle is what the benchmark says it is"
    );
}

/// JSON bodies of real engine records, to give SQLite the same bytes to write.
struct Bodies {
    order: Vec<u8>,
    event: Vec<u8>,
    outbox: Vec<u8>,
    audit: Vec<u8>,
    subscription: Vec<u8>,
    shopper: Vec<u8>,
}

async fn sample_bodies(shop: &Shop) -> Bodies {
    engine_lifecycle(shop, 0).await;
    let shopper = UserId(1_000);
    let record = shop.orders_of(shopper).await.unwrap().remove(0);
    let (_, history) = shop.order_history(record.order.id).await.unwrap();
    let audit = shop
        .audit(Default::default(), None, 1)
        .await
        .unwrap()
        .entries
        .remove(0);
    let sub = shop.subscriptions_of(shopper).await.unwrap().remove(0);
    let outbox = shop.outbox_row(4).await.unwrap().unwrap();
    Bodies {
        order: serde_json::to_vec(&record).unwrap(),
        event: serde_json::to_vec(&history[3]).unwrap(),
        outbox: serde_json::to_vec(&outbox).unwrap(),
        audit: serde_json::to_vec(&audit).unwrap(),
        subscription: serde_json::to_vec(&sub).unwrap(),
        shopper: br#"{"first_seen":"2026-11-24T10:00:00Z","paid_orders":1,"orders":1}"#.to_vec(),
    }
}

struct Sqlite {
    conn: Connection,
    outbox_id: i64,
    audit_id: i64,
}

impl Sqlite {
    fn open(path: &Path) -> Sqlite {
        let conn = Connection::open(path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.pragma_update(None, "synchronous", "FULL").unwrap();
        conn.execute_batch(
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, state TEXT NOT NULL, shopper INTEGER NOT NULL,
                                  deadline INTEGER NOT NULL, body BLOB NOT NULL);
             CREATE INDEX orders_by_state ON orders (state, id);
             CREATE INDEX orders_by_shopper ON orders (shopper, id);
             CREATE INDEX orders_by_deadline ON orders (deadline, id) WHERE state IN ('awaiting_method', 'awaiting_proof');
             CREATE TABLE order_events (order_id INTEGER NOT NULL, seq INTEGER NOT NULL, body BLOB NOT NULL,
                                        PRIMARY KEY (order_id, seq)) WITHOUT ROWID;
             CREATE TABLE outbox (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, due INTEGER NOT NULL,
                                  lane INTEGER NOT NULL, stream INTEGER NOT NULL, status TEXT NOT NULL, body BLOB NOT NULL);
             CREATE INDEX outbox_due ON outbox (due, id) WHERE status = 'pending';
             CREATE INDEX outbox_streams ON outbox (lane, stream, id) WHERE status = 'pending';
             CREATE TABLE audit (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
             CREATE TABLE shoppers (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
             CREATE TABLE subscriptions (id INTEGER PRIMARY KEY, shopper INTEGER NOT NULL, server TEXT NOT NULL,
                                         expires INTEGER NOT NULL, body BLOB NOT NULL);
             CREATE INDEX subs_by_expiry ON subscriptions (expires, id);
             CREATE INDEX subs_by_server ON subscriptions (server, id);
             CREATE INDEX subs_by_shopper ON subscriptions (shopper, id);
             CREATE TABLE proof_blobs (order_id INTEGER PRIMARY KEY, body BLOB NOT NULL);
             CREATE TABLE proof_hashes (sha TEXT PRIMARY KEY, order_id INTEGER NOT NULL) WITHOUT ROWID;",
        )
        .unwrap();
        Sqlite {
            conn,
            outbox_id: 0,
            audit_id: 0,
        }
    }

    /// One command's transaction on an order: read it, write it, log the event, queue the
    /// effects, audit. `extra` adds the command's own rows.
    fn command(
        &mut self,
        order: i64,
        seq: i64,
        state: &str,
        effects: &[&str],
        b: &Bodies,
        extra: impl FnOnce(&rusqlite::Transaction),
    ) {
        let tx = self.conn.transaction().unwrap();
        let _: Option<Vec<u8>> = tx
            .query_row("SELECT body FROM orders WHERE id = ?1", [order], |r| {
                r.get(0)
            })
            .ok();
        tx.execute(
            "INSERT INTO orders (id, state, shopper, deadline, body) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (id) DO UPDATE SET state = excluded.state, body = excluded.body",
            params![order, state, order % 5_000, order + 1_800_000, b.order],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO order_events (order_id, seq, body) VALUES (?1, ?2, ?3)",
            params![order, seq, b.event],
        )
        .unwrap();
        for (i, effect) in effects.iter().enumerate() {
            self.outbox_id += 1;
            let lane = i64::from(*effect == "provision");
            tx.execute(
                "INSERT INTO outbox (id, key, due, lane, stream, status, body) VALUES (?1, ?2, ?3, ?4, ?5, 'pending', ?6)",
                params![self.outbox_id, format!("order:{order}/e{seq}/{i}:{effect}"), order, lane, order, b.outbox],
            )
            .unwrap();
        }
        self.audit_id += 1;
        tx.execute(
            "INSERT INTO audit (id, body) VALUES (?1, ?2)",
            params![self.audit_id, b.audit],
        )
        .unwrap();
        extra(&tx);
        tx.commit().unwrap();
    }

    /// The result of one effect, in its own transaction: the outbox row is read and marked done.
    fn complete(&mut self, row: i64, b: &Bodies) {
        let tx = self.conn.transaction().unwrap();
        mark_done(&tx, row, b);
        tx.commit().unwrap();
    }

    fn lifecycle(&mut self, n: u64, b: &Bodies) {
        let order = n as i64 + 1_000_000_000;
        let shopper = order % 5_000;
        let first = self.outbox_id + 1;
        // 1-4: the commands.
        self.command(order, 0, "awaiting_method", &["open_order_channel"], b, |tx| {
            tx.execute(
                "INSERT INTO shoppers (id, body) VALUES (?1, ?2) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                params![shopper, b.shopper],
            )
            .unwrap();
        });
        self.command(
            order,
            1,
            "awaiting_proof",
            &["show_payment_instructions"],
            b,
            |_| {},
        );
        let image = proof(n).bytes;
        self.command(
            order,
            2,
            "under_review",
            &["request_review", "notify_shopper"],
            b,
            |tx| {
                let sha = format!("{n:064x}");
                let _: Option<i64> = tx
                    .query_row(
                        "SELECT order_id FROM proof_hashes WHERE sha = ?1",
                        [&sha],
                        |r| r.get(0),
                    )
                    .ok();
                tx.execute(
                    "INSERT INTO proof_blobs (order_id, body) VALUES (?1, ?2)",
                    params![order, image],
                )
                .unwrap();
                tx.execute(
                    "INSERT OR IGNORE INTO proof_hashes (sha, order_id) VALUES (?1, ?2)",
                    params![sha, order],
                )
                .unwrap();
            },
        );
        self.command(
            order,
            3,
            "provisioning",
            &["close_review", "provision"],
            b,
            |_| {},
        );
        // 5-9: channel, instructions, review, notice, close-review, one transaction each.
        for row in first..first + 5 {
            self.complete(row, b);
        }
        // 10: the provisioning result, with the order's move to fulfilled, in one transaction.
        let provision = first + 5;
        self.command(order, 4, "fulfilled", &["deliver_access", "close_order_channel"], b, |tx| {
            mark_done(tx, provision, b);
            tx.execute(
                "INSERT INTO subscriptions (id, shopper, server, expires, body) VALUES (?1, ?2, 'fra-1', ?3, ?4)",
                params![order, shopper, order + 2_592_000_000, b.subscription],
            )
            .unwrap();
            tx.execute("UPDATE shoppers SET body = ?2 WHERE id = ?1", params![shopper, b.shopper]).unwrap();
        });
        // 11: access delivered.
        self.complete(provision + 1, b);
    }
}

fn mark_done(tx: &rusqlite::Transaction, row: i64, b: &Bodies) {
    let _: Vec<u8> = tx
        .query_row("SELECT body FROM outbox WHERE id = ?1", [row], |r| r.get(0))
        .unwrap();
    tx.execute(
        "UPDATE outbox SET status = 'done', body = ?2 WHERE id = ?1",
        params![row, b.outbox],
    )
    .unwrap();
}
