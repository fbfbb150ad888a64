//! A shop on a real redb file with the real wasm policy host, bootstrapped with the built-in
//! policies, and a small catalogue.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nebula_engine::Shop;
use nebula_engine::clock::ManualClock;
use nebula_engine::ids::UserId;
use nebula_engine::shop::{OpenOrder, Settings};
use nebula_engine::testing::{ADMIN, month_plan, server, wallet_method};
use nebula_plugins::{Limits, PolicyAdmin, PolicyHost};

pub const SHOPPER: UserId = UserId(100);

pub struct Harness {
    pub dir: tempfile::TempDir,
    pub clock: Arc<ManualClock>,
    pub host: Arc<PolicyHost>,
    pub shop: Shop,
    pub admin: PolicyAdmin,
}

impl Harness {
    pub async fn new() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        Harness::open(dir).await
    }

    /// Opens (or reopens) the shop in `dir` with a new host, and bootstraps the policies.
    pub async fn open(dir: tempfile::TempDir) -> Harness {
        let clock = Arc::new(ManualClock::new("2026-11-24T10:00:00Z".parse().unwrap()));
        let host = Arc::new(PolicyHost::new(Limits::default()).unwrap());
        let shop = Shop::open(
            dir.path().join("nebula.redb"),
            host.clone(),
            clock.clone(),
            Settings::default(),
        )
        .await
        .unwrap();
        let admin = PolicyAdmin::new(host.clone(), shop.clone());
        admin.bootstrap().await.unwrap();
        Harness {
            dir,
            clock,
            host,
            shop,
            admin,
        }
    }

    pub async fn with_catalogue() -> Harness {
        let h = Harness::new().await;
        h.shop.add_plan(ADMIN, month_plan()).await.unwrap();
        h.shop.add_method(ADMIN, wallet_method()).await.unwrap();
        h.shop
            .add_server(ADMIN, server("fra-1", "eu", 100))
            .await
            .unwrap();
        h.shop
            .add_server(ADMIN, server("nyc-1", "us", 100))
            .await
            .unwrap();
        h
    }

    /// Closes everything and opens the same database again, as after a restart.
    pub async fn restart(self) -> Harness {
        let Harness {
            dir,
            shop,
            admin,
            host,
            ..
        } = self;
        drop((shop, admin, host));
        Harness::open(dir).await
    }

    pub fn open_order(&self, coupon: Option<&str>) -> OpenOrder {
        OpenOrder {
            shopper: SHOPPER,
            roles: vec![],
            plan: "month-50gb".parse().unwrap(),
            coupon: coupon.map(Into::into),
            preferred_region: None,
        }
    }
}

pub fn dist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/dist")
}

/// A checked-in policy's bytes, by its path under `policies/dist/` (without `.wasm`).
pub fn wasm(name: &str) -> Vec<u8> {
    std::fs::read(dist().join(format!("{name}.wasm"))).unwrap()
}

pub fn config(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}
