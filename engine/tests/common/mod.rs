//! A shop on a real redb file in a temporary directory, with a manual clock, in-memory
//! executors and a small catalogue: plan `month-50gb` (250.00 EGP), method `wallet`, two servers.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use nebula_engine::Shop;
use nebula_engine::actor::Actor;
use nebula_engine::clock::ManualClock;
use nebula_engine::ids::{OrderId, UserId};
use nebula_engine::outbox::worker::OutboxWorker;
use nebula_engine::policy::{NativePolicies, Policies};
use nebula_engine::shop::{OpenOrder, OrderRecord, ProofUpload, Settings};
use nebula_engine::testing::{
    ADMIN, MemoryPanel, RecordingDiscord, month_plan, server, wallet_method,
};

pub const SHOPPER: UserId = UserId(100);

pub fn t0() -> Timestamp {
    "2026-11-24T10:00:00Z".parse().unwrap()
}

pub struct Harness {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub clock: Arc<ManualClock>,
    pub policies: Arc<dyn Policies>,
    pub settings: Settings,
    shop: Option<Shop>,
    pub discord: Arc<RecordingDiscord>,
    pub panel: Arc<MemoryPanel>,
}

impl Harness {
    pub async fn new() -> Harness {
        Harness::with(Arc::new(NativePolicies::default()), Settings::default()).await
    }

    pub async fn with(policies: Arc<dyn Policies>, settings: Settings) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nebula.redb");
        let clock = Arc::new(ManualClock::new(t0()));
        let shop = Shop::open(&path, policies.clone(), clock.clone(), settings.clone())
            .await
            .unwrap();
        shop.add_plan(ADMIN, month_plan()).await.unwrap();
        shop.add_method(ADMIN, wallet_method()).await.unwrap();
        shop.add_server(ADMIN, server("fra-1", "eu", 100))
            .await
            .unwrap();
        shop.add_server(ADMIN, server("ams-1", "eu", 100))
            .await
            .unwrap();
        Harness {
            _dir: dir,
            path,
            clock,
            policies,
            settings,
            shop: Some(shop),
            discord: Arc::default(),
            panel: Arc::default(),
        }
    }

    pub fn shop(&self) -> &Shop {
        self.shop.as_ref().expect("the shop is open")
    }

    /// Closes the database (every clone of the shop must be gone).
    pub fn close(&mut self) {
        drop(self.shop.take());
    }

    /// Closes the database and opens it again, as after a restart. Every clone of the shop
    /// (workers included) must be gone, or the file is still locked.
    pub async fn reopen(&mut self) {
        drop(self.shop.take());
        let shop = Shop::open(
            &self.path,
            self.policies.clone(),
            self.clock.clone(),
            self.settings.clone(),
        )
        .await
        .unwrap();
        self.shop = Some(shop);
    }

    pub fn worker(&self) -> OutboxWorker<RecordingDiscord, MemoryPanel> {
        OutboxWorker::new(
            self.shop().clone(),
            self.discord.clone(),
            self.panel.clone(),
        )
    }

    pub fn advance(&self, by: SignedDuration) {
        self.clock.advance(by);
    }

    pub async fn open_order(&self) -> OrderRecord {
        self.open_order_for(SHOPPER).await
    }

    pub async fn open_order_for(&self, shopper: UserId) -> OrderRecord {
        self.shop()
            .open_order(OpenOrder {
                shopper,
                roles: vec![],
                plan: "month-50gb".parse().unwrap(),
                coupon: None,
                preferred_region: None,
            })
            .await
            .unwrap()
    }

    /// Opens an order and takes it to review.
    pub async fn order_under_review(&self) -> OrderId {
        self.order_under_review_for(SHOPPER).await
    }

    pub async fn order_under_review_for(&self, shopper: UserId) -> OrderId {
        let id = self.open_order_for(shopper).await.order.id;
        self.shop()
            .choose_method(Actor::Shopper(shopper), id, "wallet".parse().unwrap())
            .await
            .unwrap();
        self.shop()
            .submit_proof(Actor::Shopper(shopper), id, png(id.to_string().as_bytes()))
            .await
            .unwrap();
        id
    }

    pub async fn state(&self, id: OrderId) -> &'static str {
        self.shop().order(id).await.unwrap().state.name()
    }

    /// Every row of every table: what a refused command must leave exactly as it was.
    pub async fn dump(&self) -> nebula_engine::store::backup::Dump {
        self.shop().dump().await.unwrap()
    }

    pub async fn sizes(&self) -> Vec<(String, u64)> {
        self.shop().table_sizes().await.unwrap()
    }

    pub async fn size(&self, table: &str) -> u64 {
        self.sizes()
            .await
            .into_iter()
            .find(|(n, _)| n == table)
            .map_or(0, |(_, n)| n)
    }
}

/// A screenshot: a PNG signature followed by `seed`, so each seed hashes differently.
pub fn png(seed: &[u8]) -> ProofUpload {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend_from_slice(seed);
    ProofUpload {
        filename: "receipt.png".into(),
        content_type: "image/png".into(),
        bytes,
    }
}
