//! `OutboxWorker::run` itself, with rows it cannot run now at the head of the due index: one
//! that does not decode, and one waiting behind an earlier row of its order that failed and was
//! put back for later. The worker sleeps instead of spinning, serves every other row, and runs
//! the waiting ones when their turn comes.

mod common;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::{Harness, SHOPPER};
use jiff::SignedDuration;
use nebula_engine::actor::Actor;
use nebula_engine::executor::ExecError;
use nebula_engine::ids::UserId;
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::Settings;
use redb::{Database, ReadableTable, TableDefinition};

const OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("outbox_v1");

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let started = std::time::Instant::now();
    while !done() {
        assert!(started.elapsed() < Duration::from_secs(10), "{what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rows_that_cannot_run_yet_do_not_make_the_worker_spin() {
    let mut settings = Settings::default();
    settings.outbox.poll_interval = Duration::from_millis(300);
    let mut h = Harness::with(Arc::new(NativePolicies::default()), settings).await;
    // Row 1 (the catalogue's first panel refresh) does not decode.
    let path = h.path.clone();
    h.close();
    {
        let db = Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut t = txn.open_table(OUTBOX).unwrap();
            let mut bytes = t.get(1u64).unwrap().unwrap().value().to_vec();
            bytes[0] = 200;
            t.insert(1u64, bytes.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    h.reopen().await;
    h.worker().run_until_idle().await.unwrap();
    // An order whose channel cannot be made now (Discord fails): that row is put back for
    // later; the payment instructions after it wait behind it.
    let order = h.open_order().await.order.id;
    h.discord
        .fail_with(ExecError::transient("Discord is having a moment"));
    h.worker().run_until_idle().await.unwrap();
    h.discord.heal();
    h.shop()
        .choose_method(Actor::Shopper(SHOPPER), order, "wallet".parse().unwrap())
        .await
        .unwrap();

    let worker = h.worker();
    let passes = worker.passes();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    tokio::time::sleep(Duration::from_millis(900)).await;
    let idle = passes.load(Ordering::Relaxed);
    assert!(
        idle <= 6,
        "the worker spun over rows it cannot run: {idle} passes in 0.9 s"
    );

    // It serves every other row meanwhile: another shopper's order gets its channel.
    let other = h.open_order_for(UserId(200)).await.order.id;
    let discord = h.discord.clone();
    until("the other order's channel", || {
        discord
            .calls()
            .iter()
            .any(|(key, _)| key.contains(&other.to_string()))
    })
    .await;
    // When the first row's retry comes, it runs, and the instructions after it.
    h.advance(SignedDuration::from_mins(15));
    until(
        "the first order's channel and then its instructions",
        || {
            let names: Vec<(String, &str)> = discord
                .calls()
                .iter()
                .filter(|(key, _)| key.contains(&order.to_string()))
                .map(|(key, e)| (key.clone(), e.name()))
                .collect();
            names.len() >= 2
        },
    )
    .await;
    let mine: Vec<&str> = discord
        .calls()
        .iter()
        .filter(|(key, _)| key.contains(&order.to_string()))
        .map(|(_, e)| e.name())
        .collect();
    assert_eq!(
        mine[..2],
        ["open_order_channel", "show_payment_instructions"]
    );
    let _ = stop.send(());
    running.await.unwrap();
}

/// Discord that takes a while to answer, counting how many calls are out at once.
#[derive(Default)]
struct SlowDiscord {
    out: std::sync::atomic::AtomicUsize,
    most_at_once: std::sync::atomic::AtomicUsize,
    keys: std::sync::Mutex<Vec<String>>,
}

impl nebula_engine::executor::DiscordEffects for SlowDiscord {
    async fn execute(
        &self,
        key: &str,
        _effect: &nebula_engine::effect::DiscordEffect,
    ) -> Result<(), ExecError> {
        let out = self.out.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(out, Ordering::SeqCst);
        self.keys.lock().unwrap().push(key.to_owned());
        tokio::time::sleep(Duration::from_millis(20)).await;
        self.out.fetch_sub(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_waiting_for_the_disk_do_not_hold_up_the_calls_out() {
    let mut settings = Settings::default();
    settings.outbox.concurrency = 2;
    let h = Harness::with(Arc::new(NativePolicies::default()), settings).await;
    h.worker().run_until_idle().await.unwrap();
    for shopper in 0..6 {
        h.open_order_for(UserId(300 + shopper)).await;
    }
    // The writer stops taking commands: no result can be recorded for now.
    h.shop().hold_writes(true);
    let discord = Arc::new(SlowDiscord::default());
    let worker = nebula_engine::outbox::worker::OutboxWorker::new(
        h.shop().clone(),
        discord.clone(),
        h.panel.clone(),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(worker.run(async {
        let _ = stopped.await;
    }));
    // Every order's channel is asked for, two calls at a time, while all six results wait.
    until(
        "all six channels asked for while the writer is held",
        || discord.keys.lock().unwrap().len() == 6,
    )
    .await;
    assert_eq!(discord.most_at_once.load(Ordering::SeqCst), 2);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        discord.keys.lock().unwrap().len(),
        6,
        "a row whose result is not recorded yet is not run again"
    );
    h.shop().hold_writes(false);
    let shop = h.shop().clone();
    let mut recorded = false;
    for _ in 0..200 {
        if shop.due_effects(10).await.unwrap().is_empty() {
            recorded = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(recorded, "every result is recorded once the writer goes on");
    let _ = stop.send(());
    running.await.unwrap();
    let mut keys = discord.keys.lock().unwrap().clone();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), 6, "each channel was asked for once");
}

/// The worker's scans leave out the rows it has in hand, and still give as many others as
/// asked for: a row in hand does not take the place of one that could run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_passes_over_the_rows_in_hand_and_fills_up_with_the_rest() {
    let h = Harness::new().await;
    h.worker().run_until_idle().await.unwrap();
    for shopper in 0..3 {
        h.open_order_for(UserId(400 + shopper)).await;
    }
    let ids = |rows: Vec<nebula_engine::outbox::OutboxRow>| -> Vec<u64> {
        rows.iter().map(|row| row.id).collect()
    };
    let due = ids(h.shop().due_effects(10).await.unwrap());
    assert_eq!(due.len(), 3, "one channel to make per order");
    let in_hand = std::collections::HashSet::from([due[0]]);
    let rest = h
        .shop()
        .due_effects_except(2, in_hand.clone())
        .await
        .unwrap();
    assert_eq!(ids(rest), due[1..]);
    let first = h.shop().due_effects_except(1, in_hand).await.unwrap();
    assert_eq!(ids(first), due[1..2]);
}
