//! Backups taken while orders are written restore to identical data; exports parse back to
//! the same rows; stats add up.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use common::{Harness, SHOPPER};
use jiff::SignedDuration;
use nebula_engine::Shop;
use nebula_engine::clock::Clock;
use nebula_engine::ids::UserId;
use nebula_engine::policy::NativePolicies;
use nebula_engine::reports::{Format, OrderRow, SubscriptionRow, decode, encode};
use nebula_engine::shop::{OpenOrder, Settings};
use nebula_engine::store::backup;
use nebula_engine::testing::ADMIN;

async fn buy(h: &Harness, shopper: u64, approve: bool) {
    let id = h.order_under_review_for(UserId(shopper)).await;
    h.advance(SignedDuration::from_mins(10));
    if approve {
        h.shop().approve(ADMIN, id).await.unwrap();
        h.worker().run_until_idle().await.unwrap();
    } else {
        h.shop()
            .decline(ADMIN, id, "no payment arrived".into())
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_orders_are_written_restores_to_identical_data() {
    let h = Harness::new().await;
    buy(&h, 1, true).await;
    let dir = tempfile::tempdir().unwrap();

    // Writers keep opening orders while the backup runs.
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let shop = h.shop().clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut n = 0u64;
            while !stop.load(Ordering::SeqCst) {
                shop.open_order(OpenOrder {
                    shopper: UserId(5_000 + n),
                    roles: vec![],
                    plan: "month-50gb".parse().unwrap(),
                    coupon: None,
                    preferred_region: None,
                })
                .await
                .unwrap();
                n += 1;
            }
            n
        })
    };
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let copy = dir.path().join("backup.redb");
    let (report, snapshot) = h.shop().backup_with_snapshot(copy.clone()).await.unwrap();
    stop.store(true, Ordering::SeqCst);
    let written = writer.await.unwrap();
    assert!(written > 0);
    assert!(report.rows > 0 && report.tables > 30);
    assert!(
        matches!(
            h.shop().backup(copy.clone()).await,
            Err(backup::BackupError::Exists(_))
        ),
        "a backup never overwrites"
    );

    // The backup is the live database as of its snapshot, row for row, though the writers
    // went on.
    let from_backup = backup::dump(&nebula_engine::store::open(&copy).unwrap()).unwrap();
    assert!(from_backup == snapshot, "the backup is its snapshot");
    assert!(
        h.dump().await != snapshot,
        "orders were written after the snapshot"
    );

    // Restore into a new path: identical to the backup, row for row.
    let target = dir.path().join("restored.redb");
    backup::restore(&copy, &target).unwrap();
    let restored = Shop::open(
        &target,
        Arc::new(NativePolicies::default()),
        h.clock.clone(),
        Settings::default(),
    )
    .await
    .unwrap();
    assert_eq!(restored.dump().await.unwrap(), from_backup);

    // The snapshot is consistent: every order in it has its history and its index rows.
    let orders = restored
        .orders_in_state(nebula_engine::order::StateKind::AwaitingMethod, 100_000)
        .await
        .unwrap();
    for o in &orders {
        let (_, events) = restored.order_history(o.order.id).await.unwrap();
        assert_eq!(events.len() as u32, o.order.events);
    }
    let sizes = restored.table_sizes().await.unwrap();
    let size = |n: &str| sizes.iter().find(|(t, _)| t == n).unwrap().1;
    assert_eq!(size("orders_v1"), size("orders_by_state_v1"));
    assert_eq!(size("orders_v1"), size("order_codes_v1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_parse_back_to_the_same_rows_and_stats_add_up() {
    let h = Harness::new().await;
    let start = h.clock.now();
    buy(&h, SHOPPER.0, true).await;
    buy(&h, 2, true).await;
    buy(&h, 3, false).await;
    h.open_order().await;
    let end = h.clock.now() + SignedDuration::from_secs(1);

    let orders = h.shop().export_orders(start, end).await.unwrap();
    assert_eq!(orders.len(), 4);
    let subs = h.shop().export_subscriptions(start, end).await.unwrap();
    assert_eq!(subs.len(), 2);
    for format in [Format::Csv, Format::Json] {
        let bytes = encode(&orders, format).unwrap();
        assert_eq!(
            decode::<OrderRow>(&bytes, format).unwrap(),
            orders,
            "{format:?}"
        );
        let bytes = encode(&subs, format).unwrap();
        assert_eq!(
            decode::<SubscriptionRow>(&bytes, format).unwrap(),
            subs,
            "{format:?}"
        );
        assert!(
            !String::from_utf8_lossy(&bytes).contains("vless://"),
            "no links in exports"
        );
    }
    let csv = String::from_utf8(encode(&orders, Format::Csv).unwrap()).unwrap();
    assert!(csv.starts_with("id,code,shopper,kind,state,plan,"), "{csv}");
    assert_eq!(csv.lines().count(), 5);
    // A range before anything happened is empty.
    assert!(
        h.shop()
            .export_orders(start - SignedDuration::from_hours(5), start)
            .await
            .unwrap()
            .is_empty()
    );

    let stats = h.shop().stats().await.unwrap();
    assert_eq!(stats.revenue_all["EGP"].minor, 50_000);
    assert_eq!(stats.revenue_today["EGP"].minor, 50_000);
    assert_eq!(stats.revenue_30d["EGP"].minor, 50_000);
    assert_eq!(stats.orders_by_state["fulfilled"], 2);
    assert_eq!(stats.orders_by_state["declined"], 1);
    assert_eq!(stats.orders_by_state["awaiting_method"], 1);
    assert_eq!(stats.approval_permille, Some(666));
    assert_eq!(stats.median_review, Some(SignedDuration::from_mins(10)));
    assert_eq!(stats.active_per_server.values().sum::<u64>(), 2);
    assert_eq!(stats.top_plans[0].orders, 2);
    assert_eq!(stats.daily.len(), 30);
    assert_eq!(stats.daily.last().unwrap().revenue["EGP"].minor, 50_000);
    assert_eq!(
        stats
            .revenue_by_policy
            .values()
            .map(|a| a["EGP"].minor)
            .sum::<i64>(),
        50_000
    );
}

/// A database written before the server index carried the panel view, and before slot counts
/// were kept, is brought up to date when the shop opens it: the same subscriptions, the same
/// counts, the old table gone; and a backup of it restores.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_from_the_previous_build_is_brought_up_to_date_on_open() {
    use nebula_engine::store::tables::{
        META, SERVER_SLOTS, SLOTS_BUILT_KEY, SUBS_BY_SERVER, SUBS_BY_SERVER_BUILT_KEY,
        SUBS_BY_SERVER_V1,
    };
    use redb::{ReadableDatabase, ReadableTable, TableHandle};

    let mut h = Harness::new().await;
    buy(&h, 1, true).await;
    buy(&h, 2, true).await;
    let views = |h: &Harness| {
        let shop = h.shop().clone();
        async move {
            let mut all = shop.panel_views_on("fra-1".parse().unwrap()).await.unwrap();
            all.extend(shop.panel_views_on("ams-1".parse().unwrap()).await.unwrap());
            all
        }
    };
    let before = views(&h).await;
    assert_eq!(before.len(), 2);
    let (slots_before, _) = h.shop().slot_counts().await.unwrap();
    h.close();

    // What the previous build left: the first server index, no slot counts, no flags.
    {
        let db = redb::Database::open(&h.path).unwrap();
        let txn = db.begin_write().unwrap();
        let rows: Vec<(String, u128)> = {
            let v2 = txn.open_table(SUBS_BY_SERVER).unwrap();
            v2.iter()
                .unwrap()
                .map(|r| {
                    let (k, _) = r.unwrap();
                    (k.value().0.to_owned(), k.value().1)
                })
                .collect()
        };
        txn.delete_table(SUBS_BY_SERVER).unwrap();
        txn.delete_table(SERVER_SLOTS).unwrap();
        {
            let mut v1 = txn.open_table(SUBS_BY_SERVER_V1).unwrap();
            for (server, id) in &rows {
                v1.insert((server.as_str(), *id), true).unwrap();
            }
            let mut meta = txn.open_table(META).unwrap();
            meta.remove(SLOTS_BUILT_KEY).unwrap();
            meta.remove(SUBS_BY_SERVER_BUILT_KEY).unwrap();
        }
        txn.commit().unwrap();
    }

    h.reopen().await;
    let mut after = views(&h).await;
    after.sort_by_key(|v| v.id.key());
    let mut before = before;
    before.sort_by_key(|v| v.id.key());
    assert_eq!(after, before);
    let (slots, counted) = h.shop().slot_counts().await.unwrap();
    assert_eq!((&slots, &counted), (&slots_before, &slots_before));
    let dir = tempfile::tempdir().unwrap();
    h.shop().backup(dir.path().join("b.redb")).await.unwrap();
    h.close();
    let db = redb::Database::open(&h.path).unwrap();
    let tables: Vec<String> = db
        .begin_read()
        .unwrap()
        .list_tables()
        .unwrap()
        .map(|t| t.name().to_owned())
        .collect();
    assert!(!tables.contains(&"subscriptions_by_server_v1".to_owned()));
}
