//! Plans on several servers and shoppers who move, against simulated 3x-ui panels behind real
//! gateways, with the real engine on a redb file: one client per server under one
//! subscription, one quota summed across them (all disabled in the traffic run that crosses
//! it, all enabled again by a renewal), and clients moved off a drained or dead server without
//! the shopper doing anything.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{KEY_ID, SECRET, Stack};
use jiff::{SignedDuration, Timestamp};
use nebula_engine::Shop;
use nebula_engine::actor::Actor;
use nebula_engine::clock::ManualClock;
use nebula_engine::effect::{AccessDetails, DiscordEffect, SubscriptionNotice};
use nebula_engine::ids::{OrderId, PlanId, ServerId, UserId};
use nebula_engine::jobs::{JobKind, Jobs, JobsConfig};
use nebula_engine::outbox::worker::OutboxWorker;
use nebula_engine::plan::{Plan, TrafficLimit};
use nebula_engine::policy::NativePolicies;
use nebula_engine::server::{ServerEdit, ServerStatus};
use nebula_engine::shop::{OpenOrder, ProofUpload, RenewOrder, Settings};
use nebula_engine::subscription::{Subscription, SubscriptionStatus};
use nebula_engine::testing::{ADMIN, RecordingDiscord, month_plan, server, wallet_method};
use nebula_gateway::client::{GatewayClient, Key, RetryPolicy};
use nebula_gateway::sim::Generation;

const SHOPPER: UserId = UserId(100);
const GB: u64 = 1_000_000_000;

/// A shop with one server per panel (`fra-1` eu, `nyc-1` us, `sgp-1` asia, ...).
struct World {
    panels: Vec<Stack>,
    shop: Shop,
    clock: Arc<ManualClock>,
    discord: Arc<RecordingDiscord>,
    worker: OutboxWorker<RecordingDiscord, GatewayClient>,
    jobs: Jobs<GatewayClient>,
    _dir: tempfile::TempDir,
}

const SERVERS: [(&str, &str); 4] = [
    ("fra-1", "eu"),
    ("nyc-1", "us"),
    ("sgp-1", "asia"),
    ("ams-1", "eu"),
];

impl World {
    async fn start(panels: usize, plan: Plan) -> World {
        let mut stacks = Vec::new();
        for i in 0..panels {
            // Both panel generations take part.
            let generation = if i % 2 == 0 {
                Generation::V3
            } else {
                Generation::V2
            };
            stacks.push(Stack::start(generation).await);
        }
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(ManualClock::new(Timestamp::now()));
        let shop = Shop::open(
            &dir.path().join("nebula.redb"),
            Arc::new(NativePolicies::default()),
            clock.clone(),
            Settings::default(),
        )
        .await
        .unwrap();
        shop.add_plan(ADMIN, plan).await.unwrap();
        shop.add_method(ADMIN, wallet_method()).await.unwrap();
        for (stack, (id, region)) in stacks.iter().zip(SERVERS) {
            let mut s = server(id, region, 100);
            s.gateway_url = stack.url.clone();
            s.gateway_key_id = KEY_ID.into();
            shop.add_server(ADMIN, s).await.unwrap();
        }
        let client = Arc::new(
            GatewayClient::new(
                [Key::new(KEY_ID, SECRET)],
                RetryPolicy {
                    attempts: 1,
                    timeout: Duration::from_secs(5),
                    base_delay: Duration::from_millis(10),
                    max_delay: Duration::from_millis(50),
                },
            )
            .unwrap(),
        );
        let discord = Arc::new(RecordingDiscord::default());
        World {
            worker: OutboxWorker::new(shop.clone(), discord.clone(), client.clone()),
            jobs: Jobs::new(shop.clone(), client, JobsConfig::default()),
            panels: stacks,
            shop,
            clock,
            discord,
            _dir: dir,
        }
    }

    fn panel(&self, server: &ServerId) -> &Stack {
        let i = SERVERS
            .iter()
            .position(|(id, _)| *id == server.as_str())
            .unwrap();
        &self.panels[i]
    }

    /// Pays for an order with a screenshot and has an admin approve it; runs the outbox dry.
    async fn pay_and_approve(&self, order: OrderId) {
        let shopper = Actor::Shopper(SHOPPER);
        self.shop
            .choose_method(shopper, order, "wallet".parse().unwrap())
            .await
            .unwrap();
        let proof = ProofUpload {
            filename: "receipt.png".into(),
            content_type: "image/png".into(),
            bytes: format!("\u{89}PNG receipt {order}").into_bytes(),
        };
        self.shop.submit_proof(shopper, order, proof).await.unwrap();
        self.shop.approve(ADMIN, order).await.unwrap();
        self.worker.run_until_idle().await.unwrap();
        assert_eq!(
            self.shop.order(order).await.unwrap().state.name(),
            "fulfilled"
        );
    }

    async fn buy(&self, plan: &str) {
        let order = self
            .shop
            .open_order(OpenOrder {
                shopper: SHOPPER,
                roles: vec![],
                plan: PlanId::new(plan).unwrap(),
                coupon: None,
                preferred_region: None,
            })
            .await
            .unwrap();
        self.pay_and_approve(order.order.id).await;
    }

    /// The shopper's subscriptions that still have a client.
    async fn live(&self) -> Vec<Subscription> {
        let mut subs: Vec<Subscription> = self
            .shop
            .subscriptions_of(SHOPPER)
            .await
            .unwrap()
            .into_iter()
            .filter(|s| s.status != SubscriptionStatus::Deleted)
            .collect();
        subs.sort_by(|a, b| a.server.cmp(&b.server));
        subs
    }

    /// Whether `sub`'s client is enabled on its panel (`None`: the panel has no such client).
    fn enabled(&self, sub: &Subscription) -> Option<bool> {
        self.panel(&sub.server)
            .sim
            .client(&sub.client_email)
            .map(|c| c["enable"].as_bool().unwrap())
    }

    fn notices(&self) -> Vec<SubscriptionNotice> {
        self.discord.notices()
    }

    fn deliveries(&self) -> Vec<AccessDetails> {
        self.discord
            .calls()
            .into_iter()
            .filter_map(|(_, e)| match e {
                DiscordEffect::DeliverAccess { access, .. } => Some(access),
                _ => None,
            })
            .collect()
    }

    async fn run(&self, job: JobKind) -> usize {
        let report = self.jobs.run(job).await.unwrap();
        self.worker.run_until_idle().await.unwrap();
        report.handled
    }
}

fn trio_plan() -> Plan {
    Plan {
        id: PlanId::new("trio").unwrap(),
        name: "Three regions, 3 GB".into(),
        traffic: TrafficLimit::Bytes(3 * GB),
        servers: 3,
        regions: vec!["eu".into(), "us".into(), "asia".into()],
        ..month_plan()
    }
}

fn traffic_notices(w: &World) -> Vec<u8> {
    w.notices()
        .into_iter()
        .filter_map(|n| match n {
            SubscriptionNotice::Traffic { percent, .. } => Some(percent),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_quota_over_three_panels_disables_all_in_one_run_and_a_renewal_enables_all() {
    let w = World::start(3, trio_plan()).await;
    w.buy("trio").await;

    // One client on each panel, one group, one delivery that lists all three.
    let subs = w.live().await;
    assert_eq!(subs.len(), 3);
    let group = subs[0].group.expect("a plan on three servers is a group");
    assert!(subs.iter().all(|s| s.group == Some(group)));
    for s in &subs {
        assert_eq!(w.panel(&s.server).sim.client_count(), 1, "{}", s.server);
        assert_eq!(w.enabled(s), Some(true));
    }
    let delivered = w.deliveries();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].also.len(), 2);

    // 2.7 GB of 3 over three servers: each alone is far from its limit; together 90 %.
    for s in &subs {
        w.panel(&s.server)
            .sim
            .add_traffic(&s.client_email, 0, 9 * GB / 10);
    }
    w.run(JobKind::Traffic).await;
    assert_eq!(traffic_notices(&w), vec![80], "one warning for the group");
    assert!(
        w.live()
            .await
            .iter()
            .all(|s| s.status == SubscriptionStatus::Active)
    );

    // 3.15 GB together: every client is disabled after this one run.
    for s in &subs {
        w.panel(&s.server)
            .sim
            .add_traffic(&s.client_email, 150_000_000, 0);
    }
    w.run(JobKind::Traffic).await;
    let after = w.live().await;
    assert!(
        after
            .iter()
            .all(|s| s.status == SubscriptionStatus::Suspended),
        "{after:?}"
    );
    for s in &after {
        assert_eq!(w.enabled(s), Some(false), "{} still enabled", s.server);
    }
    assert_eq!(
        traffic_notices(&w),
        vec![80, 100],
        "one notice for the group"
    );

    // An admin's traffic reset switches all three back on, counters zeroed.
    let bought = w.shop.orders_of(SHOPPER).await.unwrap()[0].order.id;
    let reset = w.shop.reset_traffic(ADMIN, bought).await.unwrap();
    assert_eq!(reset.len(), 3);
    w.worker.run_until_idle().await.unwrap();
    w.run(JobKind::Traffic).await;
    for s in &w.live().await {
        assert_eq!((s.status, s.usage_bytes()), (SubscriptionStatus::Active, 0));
        assert_eq!(
            w.enabled(s),
            Some(true),
            "{} not enabled by the reset",
            s.server
        );
    }
    // A shopper cannot reset; the refusal changes nothing.
    assert!(
        w.shop
            .reset_traffic(Actor::Shopper(SHOPPER), bought)
            .await
            .is_err()
    );

    // The reset period is a period of its own: crossing the quota again cuts all three again.
    for s in &subs {
        w.panel(&s.server)
            .sim
            .add_traffic(&s.client_email, 0, 11 * GB / 10);
    }
    w.run(JobKind::Traffic).await;
    let after = w.live().await;
    for s in &after {
        assert_eq!(s.status, SubscriptionStatus::Suspended);
        assert_eq!(
            w.enabled(s),
            Some(false),
            "{} enabled after the second crossing",
            s.server
        );
    }
    assert_eq!(traffic_notices(&w), vec![80, 100, 100]);

    // A renewal (from any of the three) switches every client back on with fresh traffic.
    let old_end = after[0].expires_at;
    let renewal = w
        .shop
        .renew(RenewOrder {
            shopper: SHOPPER,
            roles: vec![],
            subscription: after[1].id,
            coupon: None,
        })
        .await
        .unwrap();
    w.pay_and_approve(renewal.order.id).await;
    let renewed = w.live().await;
    assert_eq!(renewed.len(), 3);
    for s in &renewed {
        assert_eq!(s.status, SubscriptionStatus::Active);
        assert_eq!(s.expires_at, old_end + SignedDuration::from_hours(24 * 30));
        assert_eq!(w.enabled(s), Some(true), "{} not enabled", s.server);
        assert_eq!(w.panel(&s.server).sim.client_count(), 1, "no second client");
    }
    // The panels' counters were reset, so the next run sees a fresh period.
    w.run(JobKind::Traffic).await;
    assert!(w.live().await.iter().all(|s| s.usage_bytes() == 0));
    let renewal_delivery = w.deliveries().pop().unwrap();
    assert!(renewal_delivery.renewal);
    assert_eq!(renewal_delivery.also.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drained_servers_shopper_moves_to_another_and_keeps_the_usage() {
    let w = World::start(2, month_plan()).await;
    w.buy("month-50gb").await;
    let token = w.shop.sub_token(SHOPPER).await.unwrap();
    let [before] = <[Subscription; 1]>::try_from(w.live().await).unwrap();
    let old_panel = w.panel(&before.server);
    old_panel.sim.add_traffic(&before.client_email, GB, 2 * GB);
    w.run(JobKind::Traffic).await;

    w.shop
        .edit_server(
            ADMIN,
            before.server.clone(),
            ServerEdit {
                status: Some(ServerStatus::Draining),
                ..ServerEdit::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(w.run(JobKind::Health).await, 1, "one move planned");

    // The subscription URL (same token) now lists a client on the other server only.
    let feed = w.shop.sub_feed(token.expose()).await.unwrap().unwrap();
    let live: Vec<&Subscription> = feed
        .subscriptions
        .iter()
        .filter(|s| s.status == SubscriptionStatus::Active)
        .collect();
    assert_eq!(live.len(), 1);
    let after = live[0].clone();
    assert_ne!(after.server, before.server);
    assert_eq!(w.enabled(&after), Some(true));
    assert_eq!(w.panel(&after.server).sim.client_count(), 1);
    assert_eq!(old_panel.sim.client_count(), 0, "the old client is deleted");
    assert_eq!(after.expires_at, before.expires_at);
    assert_eq!(
        after.usage_bytes(),
        3 * GB,
        "the period's usage moves along"
    );
    let old = w.shop.subscription(before.id).await.unwrap();
    assert_eq!(
        (old.status, old.replaced_by),
        (SubscriptionStatus::Deleted, Some(after.id))
    );
    assert!(matches!(
        w.notices().as_slice(),
        [SubscriptionNotice::Moved { .. }]
    ));

    // Nothing more to do: the next run plans nothing, and the drained server can go.
    assert_eq!(w.run(JobKind::Health).await, 0);
    w.shop
        .remove_server(ADMIN, before.server.clone())
        .await
        .unwrap();

    // A Renew button from before the move renews what replaced it.
    let renewal = w
        .shop
        .renew(RenewOrder {
            shopper: SHOPPER,
            roles: vec![],
            subscription: before.id,
            coupon: None,
        })
        .await
        .unwrap();
    w.pay_and_approve(renewal.order.id).await;
    let [renewed] = <[Subscription; 1]>::try_from(w.live().await).unwrap();
    assert_eq!(renewed.id, after.id);
    assert_eq!(renewed.usage_bytes(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_down_too_long_loses_its_shoppers_and_their_old_clients_once_it_is_back() {
    let w = World::start(2, month_plan()).await;
    w.buy("month-50gb").await;
    let [before] = <[Subscription; 1]>::try_from(w.live().await).unwrap();
    let old_panel = w.panel(&before.server);

    old_panel.sim.go_down().await;
    w.run(JobKind::Health).await;
    assert_eq!(w.live().await[0].id, before.id, "down, but not long enough");
    w.clock.advance(SignedDuration::from_mins(61));
    w.run(JobKind::Health).await;
    let [after] = <[Subscription; 1]>::try_from(w.live().await).unwrap();
    assert_ne!(after.server, before.server);
    assert_eq!(w.enabled(&after), Some(true));

    // The old client is deleted when its panel answers again.
    old_panel.sim.resume().await.unwrap();
    assert_eq!(old_panel.sim.client_count(), 1);
    w.clock.advance(SignedDuration::from_hours(1));
    w.worker.run_until_idle().await.unwrap();
    assert_eq!(old_panel.sim.client_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_moves_to_a_server_it_does_not_use_yet() {
    let plan = Plan {
        regions: vec![],
        servers: 2,
        ..trio_plan()
    };
    let w = World::start(3, plan).await;
    w.buy("trio").await;
    let before = w.live().await;
    assert_eq!(before.len(), 2);
    let drained = before[0].server.clone();
    w.shop
        .edit_server(
            ADMIN,
            drained.clone(),
            ServerEdit {
                status: Some(ServerStatus::Draining),
                ..ServerEdit::default()
            },
        )
        .await
        .unwrap();
    w.run(JobKind::Health).await;
    let after = w.live().await;
    let servers: Vec<&ServerId> = after.iter().map(|s| &s.server).collect();
    assert_eq!(after.len(), 2);
    assert!(!servers.contains(&&drained));
    assert_ne!(
        servers[0], servers[1],
        "never two clients of a group on one server"
    );
    assert!(after.iter().all(|s| s.group == before[0].group));
}
