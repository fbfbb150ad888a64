//! Damaged or foreign bytes in the database give typed errors, never a panic, and one bad outbox
//! row does not stop the others.

mod common;

use common::{Harness, SHOPPER};
use nebula_engine::error::ShopError;
use nebula_engine::store::{DecodeError, StoreError};
use redb::{Database, ReadableTable, TableDefinition};

const ORDERS: TableDefinition<u128, &[u8]> = TableDefinition::new("orders_v1");
const OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new("outbox_v1");
const META: TableDefinition<&str, u64> = TableDefinition::new("meta_v1");

/// Rewrites one stored value with `damage` applied, with the shop closed.
fn tamper<K: redb::Key + 'static>(
    path: &std::path::Path,
    table: TableDefinition<K, &[u8]>,
    key: K::SelfType<'_>,
    damage: impl FnOnce(&mut Vec<u8>),
) where
    for<'a> K::SelfType<'a>: Clone,
{
    let db = Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut t = txn.open_table(table).unwrap();
        let mut bytes = t
            .get(key.clone())
            .unwrap()
            .expect("the row exists")
            .value()
            .to_vec();
        damage(&mut bytes);
        t.insert(key, bytes.as_slice()).unwrap();
    }
    txn.commit().unwrap();
}

fn decode_error(e: ShopError) -> DecodeError {
    match e {
        ShopError::Store(StoreError::Decode(d)) => d,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupt_and_foreign_values_are_typed_errors() {
    type Damage = Box<dyn FnOnce(&mut Vec<u8>)>;
    let cases: Vec<(&str, Damage, DecodeError)> = vec![
        (
            "a flipped bit",
            Box::new(|b: &mut Vec<u8>| *b.last_mut().unwrap() ^= 1),
            DecodeError::Checksum { table: "orders_v1" },
        ),
        (
            "an unknown envelope version",
            Box::new(|b: &mut Vec<u8>| b[0] = 7),
            DecodeError::UnknownVersion {
                table: "orders_v1",
                version: 7,
            },
        ),
        (
            "a truncated value",
            Box::new(|b: &mut Vec<u8>| b.truncate(2)),
            DecodeError::Truncated {
                table: "orders_v1",
                len: 2,
            },
        ),
    ];
    for (what, damage, expected) in cases {
        let mut h = Harness::new().await;
        let id = h.open_order().await.order.id;
        let path = h.path.clone();
        h.close();
        tamper(&path, ORDERS, id.key(), damage);
        h.reopen().await;
        assert_eq!(
            decode_error(h.shop().order(id).await.unwrap_err()),
            expected,
            "{what}"
        );
        assert_eq!(
            decode_error(h.shop().orders_of(SHOPPER).await.unwrap_err()),
            expected,
            "{what}: listing too"
        );
        // Commands on it refuse the same way, and write nothing.
        let before = h.dump().await;
        let err = h
            .shop()
            .cancel(nebula_engine::actor::Actor::Shopper(SHOPPER), id)
            .await
            .unwrap_err();
        assert_eq!(decode_error(err), expected, "{what}: a command on it");
        assert!(
            h.dump().await == before,
            "a refused command wrote something"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_json_of_the_wrong_shape_is_malformed() {
    let mut h = Harness::new().await;
    let id = h.open_order().await.order.id;
    let path = h.path.clone();
    h.close();
    tamper(&path, ORDERS, id.key(), |b| {
        let payload = br#"{"order":{"id":"not a ulid"}}"#;
        b.truncate(1);
        b.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
        b.extend_from_slice(payload);
    });
    h.reopen().await;
    assert!(matches!(
        decode_error(h.shop().order(id).await.unwrap_err()),
        DecodeError::Malformed {
            table: "orders_v1",
            ..
        }
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_corrupt_outbox_row_does_not_stop_the_others() {
    let mut h = Harness::new().await;
    let path = h.path.clone();
    h.close();
    tamper(&path, OUTBOX, 1u64, |b| b[0] = 200);
    h.reopen().await;
    let ran = h.worker().run_until_idle().await.unwrap();
    assert_eq!(ran, 1, "row 2 ran; row 1 was skipped");
    assert!(matches!(
        h.shop().outbox_row(1).await,
        Err(ShopError::Store(StoreError::Decode(_)))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_from_a_newer_build_is_refused() {
    let mut h = Harness::new().await;
    let path = h.path.clone();
    h.close();
    {
        let db = Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(META).unwrap().insert("schema", 99).unwrap();
        txn.commit().unwrap();
    }
    let opened =
        nebula_engine::Shop::open(&path, h.policies.clone(), h.clock.clone(), h.settings).await;
    assert!(matches!(
        opened,
        Err(ShopError::Store(StoreError::NewerSchema { found: 99 }))
    ));
}
