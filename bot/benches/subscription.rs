//! Subscription fetches for a shopper with 5 servers, through the shop's subscription service
//! (rate limits, the token lookup in redb, usage, rendering), against the same HTTP stack (salvo,
//! one route, the same headers, on a runtime of its own like the service's) serving the same bytes
//! from memory, in one run. Rounds
//! alternate which goes first; the report is the median over the rounds.
//!
//! `cargo bench -p nebula-bot --bench subscription`. Knobs: `SUB_BENCH_ROUNDS` (5),
//! `SUB_BENCH_SECONDS` per side and format (2), `SUB_BENCH_CLIENTS` (16 at once), and
//! `SUB_BENCH_OTHERS` (other subscriptions in the database, 10000). The load comes from the
//! same process, so both sides share the machine with it alike.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::SignedDuration;
use nebula_bot::subscription::{self, SubscriptionSettings};
use nebula_engine::Shop;
use nebula_engine::clock::{Clock, SystemClock};
use nebula_engine::ids::UserId;
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::Settings;
use nebula_engine::subscription::AccessLink;
use nebula_engine::testing::seeded_subscription;
use salvo::conn::Acceptor;
use salvo::prelude::*;

const SHOPPER: u64 = 4242;

fn knob(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A link like the gateway's, on server `i`.
fn link(i: u64) -> String {
    format!(
        "vless://0f8f1c9e-6d0e-4f55-9d8e-0b7d7c8f2a{i:02}@srv-{i}.vpn.example:443?encryption=none&flow=xtls-rprx-vision&fp=chrome&pbk=Ro8zz__nu5Yt-BTXZOw9x3zNhrPfMR3wdLQAe7_PZxI&security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2F&type=tcp#srv-{i}-nl-shopper"
    )
}

fn settings(port: u16) -> SubscriptionSettings {
    SubscriptionSettings {
        bind: ([127, 0, 0, 1], port).into(),
        public_url: format!("http://127.0.0.1:{port}"),
        title: "NebulaLinks".into(),
        support_url: Some("https://discord.gg/example".into()),
        update_hours: 12,
        tls: None,
        per_token_per_minute: u32::MAX,
        per_address_per_minute: u32::MAX,
        trust_forwarded_for: false,
        hwid_required: false,
    }
}

async fn seeded_shop(dir: &std::path::Path, others: u64) -> (Shop, String) {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();
    let shop = Shop::open(
        dir.join("bench.redb"),
        Arc::new(NativePolicies::default()),
        clock,
        Settings::default(),
    )
    .await
    .unwrap();
    let ends = now + SignedDuration::from_hours(24 * 30);
    let mut batch = Vec::new();
    for i in 0..others + 5 {
        let mut s = seeded_subscription(i, &format!("srv-{}", i % 5), ends, now);
        if i < 5 {
            s.shopper = UserId(SHOPPER);
            s.access = AccessLink::new(link(i));
            s.used_bytes = 1 << 30;
        }
        batch.push(s);
        if batch.len() == 1000 {
            shop.seed_subscriptions(std::mem::take(&mut batch))
                .await
                .unwrap();
        }
    }
    shop.seed_subscriptions(batch).await.unwrap();
    let token = shop.sub_token(UserId(SHOPPER)).await.unwrap();
    (shop, token.expose().to_owned())
}

/// The same bytes and headers, from memory.
#[derive(Clone)]
struct Canned {
    headers: Vec<(String, String)>,
    body: Arc<Vec<u8>>,
}

#[handler]
impl Canned {
    async fn handle(&self, res: &mut Response) {
        for (k, v) in &self.headers {
            res.headers_mut().insert(
                salvo::http::header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                salvo::http::header::HeaderValue::from_str(v).unwrap(),
            );
        }
        res.body(self.body.as_ref().clone());
    }
}

/// The baseline: the same HTTP stack on the same kind of runtime as the service
/// (`subscription::listener_runtime`), answering the bytes the service answered from memory.
async fn canned_server(rt: &tokio::runtime::Runtime, answers: Vec<(String, Canned)>) -> u16 {
    let mut router = Router::new();
    for (ua_key, canned) in answers {
        router = router.push(Router::with_path(format!("sub/{ua_key}")).get(canned));
    }
    rt.spawn(async move {
        let acceptor = TcpListener::new("127.0.0.1:0").bind().await;
        let port = acceptor.holdings()[0]
            .local_addr
            .clone()
            .into_std()
            .unwrap()
            .port();
        tokio::spawn(Server::new(acceptor).serve(router));
        port
    })
    .await
    .unwrap()
}

/// Fetches/s and p99 (ms) of `clients` keeping `url` busy for `seconds`.
async fn load(url: &str, ua: &str, clients: u64, seconds: u64) -> (f64, f64) {
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (url, ua) = (url.to_owned(), ua.to_owned());
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::new();
            let mut lat = Vec::new();
            while Instant::now() < until {
                let t = Instant::now();
                let res = client
                    .get(&url)
                    .header("user-agent", &ua)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 200);
                let _ = res.bytes().await.unwrap();
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    let started = Instant::now();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let took = started.elapsed().as_secs_f64();
    all.sort();
    let p99 = all[(all.len() * 99 / 100).min(all.len() - 1)].as_secs_f64() * 1000.0;
    (all.len() as f64 / took, p99)
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let rounds = knob("SUB_BENCH_ROUNDS", 5).max(1);
    let seconds = knob("SUB_BENCH_SECONDS", 2).max(1);
    let clients = knob("SUB_BENCH_CLIENTS", 16).max(1);
    let others = knob("SUB_BENCH_OTHERS", 10_000);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let (shop, token) = seeded_shop(dir.path(), others).await;
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let service = subscription::start(settings(port), shop.clone(), Arc::new(SystemClock))
            .await
            .unwrap();
        let url = format!("http://127.0.0.1:{}/sub/{token}", service.addr.port());
        let formats = [("v2rayNG/1.10.2", "links"), ("clash-verge/v2.2.3", "clash"), ("SFA/1.11.4", "sing-box")];
        // What the service answers, captured once, served from memory by the baseline.
        let mut canned = Vec::new();
        for (ua, name) in formats {
            let res = reqwest::Client::new().get(&url).header("user-agent", ua).send().await.unwrap();
            let headers = res
                .headers()
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "content-length" | "date"))
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_owned()))
                .collect();
            let body = Arc::new(res.bytes().await.unwrap().to_vec());
            canned.push((name.to_owned(), Canned { headers, body }));
        }
        let baseline_rt = subscription::listener_runtime().unwrap();
        let baseline = canned_server(&baseline_rt, canned).await;
        println!(
            "{rounds} rounds; {clients} clients at once for {seconds} s per side and format; \
             the shopper has 5 subscriptions on 5 servers, the database {others} others"
        );
        for (ua, name) in formats {
            let base_url = format!("http://127.0.0.1:{baseline}/sub/{name}");
            let (mut ratios, mut service_rates, mut base_rates, mut service_p99, mut base_p99) =
                (vec![], vec![], vec![], vec![], vec![]);
            for round in 0..rounds {
                let service_first = round % 2 == 0;
                let run = async |service: bool| {
                    if service {
                        load(&url, ua, clients, seconds).await
                    } else {
                        load(&base_url, ua, clients, seconds).await
                    }
                };
                let (a, b) = (run(service_first).await, run(!service_first).await);
                let (s, b) = if service_first { (a, b) } else { (b, a) };
                ratios.push(s.0 / b.0);
                service_rates.push(s.0);
                base_rates.push(b.0);
                service_p99.push(s.1);
                base_p99.push(b.1);
            }
            println!(
                "  {name}: service {:.0}/s (p99 {:.1} ms), from memory {:.0}/s (p99 {:.1} ms)",
                median(&mut service_rates),
                median(&mut service_p99),
                median(&mut base_rates),
                median(&mut base_p99)
            );
            let min = ratios.iter().cloned().fold(f64::MAX, f64::min);
            let max = ratios.iter().cloned().fold(0.0, f64::max);
            println!(
                "subscription fetches, 5 servers, {name}: service/from-memory = {:.2} (min {min:.2}, max {max:.2})",
                median(&mut ratios)
            );
        }
        service.stop().await;
        baseline_rt.shutdown_background();
    });
}
