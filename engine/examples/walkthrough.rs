//! Walks one order through its whole life on a temporary database and prints each state.
//!
//! `cargo run -p nebula-engine --example walkthrough`
//!
//! Real engine, real redb file, plain-Rust policies and in-memory executors standing in for
//! Discord and the VPN panel (the bot and gateway issues replace them with the real thing).

use std::sync::Arc;

use nebula_engine::actor::Actor;
use nebula_engine::clock::SystemClock;
use nebula_engine::ids::UserId;
use nebula_engine::outbox::worker::OutboxWorker;
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::{OpenOrder, OrderRecord, ProofUpload};
use nebula_engine::testing::{
    ADMIN, MemoryPanel, RecordingDiscord, month_plan, server, wallet_method,
};
use nebula_engine::{Settings, Shop};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("nebula.redb");
    let shop = Shop::open(
        &path,
        Arc::new(NativePolicies::default()),
        Arc::new(SystemClock),
        Settings::default(),
    )
    .await?;
    let discord = Arc::new(RecordingDiscord::default());
    let panel = Arc::new(MemoryPanel::default());
    let worker = OutboxWorker::new(shop.clone(), discord.clone(), panel.clone());
    println!("database: {}", path.display());

    shop.add_plan(ADMIN, month_plan()).await?;
    shop.add_method(ADMIN, wallet_method()).await?;
    shop.add_server(ADMIN, server("fra-1", "eu", 100)).await?;
    for priced in shop.catalogue(None).await? {
        println!(
            "on sale: {} ({} days, {}) for {}",
            priced.plan.name, priced.plan.duration_days, priced.plan.traffic, priced.quote.total
        );
    }

    let shopper = UserId(100);
    let mut seen = 0;
    let mut show = |step: &str, record: &OrderRecord, discord: &RecordingDiscord| {
        println!(
            "\n{step}\n  order {} is {}",
            record.order.code(),
            record.state.name()
        );
        let calls = discord.calls();
        for (_, effect) in &calls[seen..] {
            println!("  discord: {}", effect.name());
        }
        seen = calls.len();
    };

    let record = shop
        .open_order(OpenOrder {
            shopper,
            roles: vec![],
            plan: "month-50gb".parse()?,
            coupon: None,
            preferred_region: None,
        })
        .await?;
    let id = record.order.id;
    worker.run_until_idle().await?;
    show("The shopper picks the plan.", &record, &discord);

    let record = shop
        .choose_method(Actor::Shopper(shopper), id, "wallet".parse()?)
        .await?;
    worker.run_until_idle().await?;
    show("The shopper picks the mobile wallet.", &record, &discord);

    let screenshot = ProofUpload {
        filename: "receipt.png".into(),
        content_type: "image/png".into(),
        bytes: b"\x89PNG...".to_vec(),
    };
    let record = shop
        .submit_proof(Actor::Shopper(shopper), id, screenshot)
        .await?;
    worker.run_until_idle().await?;
    show(
        "The shopper uploads a screenshot of the payment.",
        &record,
        &discord,
    );

    let record = shop.approve(ADMIN, id).await?;
    show("An admin approves the payment.", &record, &discord);
    worker.run_until_idle().await?;
    let record = shop.order(id).await?;
    show(
        "The outbox worker provisions the client and delivers the access.",
        &record,
        &discord,
    );

    let (_, history) = shop.order_history(id).await?;
    println!("\nhistory:");
    for e in history {
        println!(
            "  #{} {} by {}: {} -> {}",
            e.seq,
            e.name,
            e.actor,
            e.from.as_deref().unwrap_or("-"),
            e.to
        );
    }
    for sub in shop.subscriptions_of(shopper).await? {
        println!(
            "\nsubscription {} on {}: {}, until {}, link {} (kept secret in logs)",
            sub.id,
            sub.server,
            sub.status.name(),
            sub.expires_at,
            sub.access
        );
    }
    Ok(())
}
