//! Requests per second of a cheap authenticated endpoint (`GET /v1/ping`: signing by the client,
//! the guard on the gateway) against the same trivial work without auth (`GET /health`), in the
//! same run, alternating rounds; and how many panel logins 1,000 provisioning operations cost.
//!
//! `cargo bench -p nebula-gateway` (requests per round: `NEBULA_BENCH_REQUESTS`, default 4000).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use jiff::{SignedDuration, Timestamp};
use nebula_engine::executor::Provisioner;
use nebula_engine::ids::{OrderId, SubscriptionId};
use nebula_engine::order::{ProvisionMode, ProvisionRequest};
use nebula_engine::plan::TrafficLimit;
use nebula_gateway::client::{GatewayClient, Key, RetryPolicy, Target};
use nebula_gateway::panel::{PanelConfig, PanelCredentials};
use nebula_gateway::server::config::{AuthSettings, LinkSettings, Resolved};
use nebula_gateway::sim::{Generation, SimConfig, SimPanel};

const SECRET: &[u8] = b"a-bench-secret-of-at-least-32-bytes!";
const CONCURRENCY: usize = 16;

fn main() {
    let requests: usize = std::env::var("NEBULA_BENCH_REQUESTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        for generation in [Generation::V3, Generation::V2] {
            let sim = SimPanel::start(SimConfig::new(generation)).await.unwrap();
            let gateway = nebula_gateway::server::start(resolved(&sim)).await.unwrap();
            let base = format!("http://{}", gateway.addr);
            let client = Arc::new(GatewayClient::new([Key::new("bench", SECRET)], RetryPolicy::default()).unwrap());

            if generation == Generation::V3 {
                let plain = reqwest::Client::new();
                println!("requests per second, {requests} per round, {CONCURRENCY} at once, client and gateway in one process on 2 cores");
                let (mut signed_total, mut open_total) = (Duration::ZERO, Duration::ZERO);
                for round in 1..=3 {
                    let signed = run(requests, |_| {
                        let (client, base) = (client.clone(), base.clone());
                        async move {
                            client.ping(Target { base_url: &base, key_id: "bench" }).await.unwrap();
                        }
                    })
                    .await;
                    let open = run(requests, |_| {
                        let (plain, url) = (plain.clone(), format!("{base}/health"));
                        async move {
                            let r = plain.get(url).send().await.unwrap();
                            assert!(r.status().is_success());
                            r.bytes().await.unwrap();
                        }
                    })
                    .await;
                    println!(
                        "  round {round}: signed GET /v1/ping {:>7.0} req/s   unsigned GET /health {:>7.0} req/s   signed/unsigned {:.2}",
                        rate(requests, signed),
                        rate(requests, open),
                        open.as_secs_f64() / signed.as_secs_f64()
                    );
                    signed_total += signed;
                    open_total += open;
                }
                println!(
                    "total: signed {:.0} req/s, unsigned {:.0} req/s; signed/unsigned = {:.2}",
                    rate(requests * 3, signed_total),
                    rate(requests * 3, open_total),
                    open_total.as_secs_f64() / signed_total.as_secs_f64()
                );
            }

            // 1,000 provisioning operations through the engine's Provisioner.
            let mut server = nebula_engine::testing::server("bench-1", "eu", 1_000_000);
            server.gateway_url = base.clone();
            server.gateway_key_id = "bench".into();
            let logins_before = sim.logins();
            let started = Instant::now();
            futures_util::stream::iter(0..1000)
                .for_each_concurrent(CONCURRENCY, |_| {
                    let (client, server) = (client.clone(), server.clone());
                    async move {
                        let order = OrderId(ulid::Ulid::new());
                        let request = ProvisionRequest {
                            order,
                            attempt: 1,
                            subscription: SubscriptionId(ulid::Ulid::new()),
                            server: server.id.clone(),
                            region: "eu".into(),
                            client_email: order.client_email(),
                            expires_at: Timestamp::now() + SignedDuration::from_hours(720),
                            traffic: TrafficLimit::Bytes(50_000_000_000),
                            device_limit: 2,
                            mode: ProvisionMode::Create,
                            also: Vec::new(),
                        };
                        client.provision(&server, &request).await.unwrap();
                    }
                })
                .await;
            println!(
                "{generation:?} panel: 1000 provisioning operations in {:.1} s made {} panel login(s); the panel holds {} clients",
                started.elapsed().as_secs_f64(),
                sim.logins() - logins_before,
                sim.client_count()
            );
            gateway.stop().await;
            sim.stop().await;
        }
    });
}

async fn run<F, Fut>(n: usize, f: F) -> Duration
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let started = Instant::now();
    futures_util::stream::iter(0..n)
        .for_each_concurrent(CONCURRENCY, f)
        .await;
    started.elapsed()
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

fn resolved(sim: &SimPanel) -> Resolved {
    Resolved {
        bind: "127.0.0.1:0".parse().unwrap(),
        tls: None,
        metrics: None,
        auth: AuthSettings {
            keys: HashMap::from([("bench".to_owned(), SECRET.to_vec())]),
            allow: vec!["127.0.0.0/8".parse().unwrap()],
            trusted_proxies: vec![],
            rate_limit_per_minute: 10_000_000,
            max_body_bytes: 65536,
        },
        panel: PanelConfig {
            url: sim.url(),
            credentials: PanelCredentials::Login {
                username: "admin".into(),
                password: "admin-password".into(),
            },
            api: None,
            timeout: Duration::from_secs(10),
            accept_invalid_certs: false,
            login_cooldown: Duration::from_secs(90),
        },
        links: LinkSettings {
            public_host: "vpn.example.com".into(),
            subscription_base: None,
            default_flow: None,
        },
    }
}
