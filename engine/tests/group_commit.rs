//! Group commit: commands that queue up while the writer is busy share one durable commit; a
//! rejected one writes nothing and leaves the others alone; a failed commit fails them all.

mod common;

use std::time::Duration;

use common::{Harness, SHOPPER, png};
use nebula_engine::actor::Actor;
use nebula_engine::error::{Rejection, ShopError, StoreError};
use nebula_engine::ids::UserId;
use nebula_engine::shop::OpenOrder;
use nebula_engine::testing::ADMIN;
use nebula_engine::{Shop, shop::OrderRecord};
use tokio::task::JoinHandle;

fn open(shop: &Shop, shopper: u64) -> JoinHandle<Result<OrderRecord, ShopError>> {
    let shop = shop.clone();
    tokio::spawn(async move {
        shop.open_order(OpenOrder {
            shopper: UserId(shopper),
            roles: vec![],
            plan: "month-50gb".parse().unwrap(),
            coupon: None,
            preferred_region: None,
        })
        .await
    })
}

/// Holds the writer, lets `n` commands queue up behind it, then lets it go.
async fn release_when_queued(shop: &Shop, n: usize) {
    while shop.queued_writes() < n {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    shop.hold_writes(false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_that_arrive_during_a_commit_share_it() {
    let mut h = Harness::new().await;
    let shop = h.shop().clone();
    let (commits, commands) = (shop.write_stats().commits(), shop.write_stats().commands());
    shop.hold_writes(true);
    let opened: Vec<_> = (0..20).map(|s| open(&shop, 500 + s)).collect();
    release_when_queued(&shop, 20).await;
    let mut ids = Vec::new();
    for task in opened {
        ids.push(task.await.unwrap().unwrap().order.id);
    }
    assert_eq!(
        shop.write_stats().commits() - commits,
        1,
        "one durable commit"
    );
    assert_eq!(shop.write_stats().commands() - commands, 20);
    // Answered means durable: every order is there after a restart.
    drop(shop);
    h.reopen().await;
    for id in ids {
        assert_eq!(h.state(id).await, "awaiting_method");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_command_writes_nothing_and_does_not_disturb_its_batch() {
    let h = Harness::new().await;
    let shop = h.shop().clone();
    let mine = h.open_order().await.order.id;
    let other = h.open_order_for(UserId(7)).await.order.id;
    let before = h.dump().await;
    let commits = shop.write_stats().commits();

    shop.hold_writes(true);
    let choose = {
        let shop = shop.clone();
        tokio::spawn(async move {
            shop.choose_method(Actor::Shopper(SHOPPER), mine, "wallet".parse().unwrap())
                .await
        })
    };
    // Not allowed: the order has no method yet, so no proof can be sent.
    let early_proof = {
        let shop = shop.clone();
        tokio::spawn(async move {
            shop.submit_proof(Actor::Shopper(UserId(7)), other, png(b"too early"))
                .await
        })
    };
    let approve_unpaid = {
        let shop = shop.clone();
        tokio::spawn(async move { shop.approve(ADMIN, other).await })
    };
    let opened = open(&shop, 900);
    release_when_queued(&shop, 4).await;

    assert_eq!(
        choose.await.unwrap().unwrap().state.name(),
        "awaiting_proof"
    );
    assert!(matches!(
        early_proof.await.unwrap(),
        Err(ShopError::Rejected(Rejection::NotAllowedNow { .. }))
    ));
    assert!(matches!(
        approve_unpaid.await.unwrap(),
        Err(ShopError::Rejected(Rejection::NotAllowedNow { .. }))
    ));
    let new = opened.await.unwrap().unwrap().order.id;
    assert_eq!(
        shop.write_stats().commits() - commits,
        1,
        "the rest in one commit"
    );

    // The refused order is exactly as it was: its rows, its history, its proofs.
    let after = h.dump().await;
    let (other_key, other_text) = (other.key().to_le_bytes(), other.to_string());
    let rows_of = |dump: &nebula_engine::backup::Dump| -> Vec<(String, Vec<u8>, Vec<u8>)> {
        dump.iter()
            .flat_map(|(table, rows)| {
                rows.iter()
                    .filter(|(k, v)| {
                        k.windows(16).any(|w| w == other_key)
                            || v.windows(other_text.len())
                                .any(|w| w == other_text.as_bytes())
                    })
                    .map(|(k, v)| (table.clone(), k.clone(), v.clone()))
            })
            .collect()
    };
    assert!(
        rows_of(&before).len() >= 5,
        "the order, its indexes, event, outbox and audit rows"
    );
    assert_eq!(rows_of(&before), rows_of(&after));
    assert_eq!(h.state(other).await, "awaiting_method");
    assert_eq!(h.state(new).await, "awaiting_method");
    let (_, history) = shop.order_history(other).await.unwrap();
    assert_eq!(history.len(), 1, "only the opening");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_commit_fails_every_command_in_it_and_writes_nothing() {
    let h = Harness::new().await;
    let shop = h.shop().clone();
    let mine = h.open_order().await.order.id;
    let before = h.dump().await;

    shop.hold_writes(true);
    shop.fail_next_commit();
    let choose = {
        let shop = shop.clone();
        tokio::spawn(async move {
            shop.choose_method(Actor::Shopper(SHOPPER), mine, "wallet".parse().unwrap())
                .await
        })
    };
    let opened: Vec<_> = (0..2).map(|s| open(&shop, 600 + s)).collect();
    release_when_queued(&shop, 3).await;

    let mut errors = vec![choose.await.unwrap().unwrap_err()];
    for task in opened {
        errors.push(task.await.unwrap().unwrap_err());
    }
    for error in &errors {
        assert!(
            matches!(
                error,
                ShopError::Store(StoreError::BatchFailed { commands: 3, .. })
            ),
            "{error:?}"
        );
        assert!(
            error.to_string().contains("none of them took effect"),
            "{error}"
        );
    }
    assert_eq!(h.dump().await, before, "nothing of the batch was written");

    // The shop goes on: the same command succeeds when sent again.
    let record = shop
        .choose_method(Actor::Shopper(SHOPPER), mine, "wallet".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(record.state.name(), "awaiting_proof");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sync_fails_its_commands_and_every_later_one_until_a_restart() {
    use nebula_engine::store::power_cut::{Disks, Fuse};
    let disks = Disks::new(Default::default(), Fuse::new());
    let clock = std::sync::Arc::new(nebula_engine::clock::ManualClock::new(common::t0()));
    let open_on = |disks: &Disks| {
        Shop::open_on(
            disks.db.clone(),
            disks.journal.clone(),
            std::sync::Arc::new(nebula_engine::policy::NativePolicies::default()),
            clock.clone(),
            nebula_engine::shop::Settings::default(),
        )
    };
    let shop = open_on(&disks).await.unwrap();
    shop.add_plan(ADMIN, nebula_engine::testing::month_plan())
        .await
        .unwrap();
    shop.add_method(ADMIN, nebula_engine::testing::wallet_method())
        .await
        .unwrap();
    let kept = open(&shop, 700).await.unwrap().unwrap().order.id;

    // The journal's disk reports a write-back error: the commands of that commit are told
    // none of them took effect.
    disks.journal.fail_syncs(true);
    shop.hold_writes(true);
    let failed: Vec<_> = (0..5).map(|s| open(&shop, 710 + s)).collect();
    release_when_queued(&shop, 5).await;
    for task in failed {
        let error = task.await.unwrap().unwrap_err();
        assert!(
            matches!(
                error,
                ShopError::Store(StoreError::BatchFailed { commands: 5, .. })
            ),
            "{error}"
        );
    }
    // The disk works again, but nothing more is committed until the shop restarts.
    disks.journal.fail_syncs(false);
    let later = open(&shop, 720).await.unwrap().unwrap_err().to_string();
    assert!(later.contains("until the shop restarts"), "{later}");
    // Reads show what is durable: the first order, none of the failed ones.
    assert!(shop.order(kept).await.is_ok());
    assert_eq!(shop.orders_of(UserId(712)).await.unwrap().len(), 0);
    drop(shop);

    // After a restart (whatever of the unsynced writes reached the disk) only the first order
    // is there, and the shop takes commands again.
    let disks = Disks::new(disks.cut(Some), Fuse::new());
    let shop = open_on(&disks).await.unwrap();
    assert!(shop.order(kept).await.is_ok());
    assert_eq!(shop.orders_of(UserId(712)).await.unwrap().len(), 0);
    open(&shop, 730).await.unwrap().unwrap();
}
