//! A simulated 3x-ui panel that speaks the real API as `shared/3x-ui-api.md` describes it, for
//! tests and `nebula demo`: everything under a base path; login with a cookie session, the CSRF
//! token and the login rate limit (3.x); Bearer API tokens (3.x); the `success/msg/obj`
//! envelope with the panel's own error texts; both client APIs (the `/panel/api/clients/*`
//! routes of 3.1+, and the inbound-scoped routes of 2.x with JSON columns as text); the
//! duplicate-email rules; bytes and epoch milliseconds; traffic counters a test can advance; and
//! switchable faults (down, slow, 500, expired sessions, garbage).

mod client3;
mod routes;

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use salvo::conn::Acceptor;
use salvo::prelude::*;
use salvo::server::ServerHandle;
use serde_json::{Value, json};

/// Which panel the simulator imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// 3x-ui 2.8.11: inbound-scoped client routes, JSON columns as text, cookie login only,
    /// unauthenticated API calls answered 404.
    V2,
    /// 3x-ui 3.6: `/panel/api/clients/*`, nested JSON, CSRF on login and cookie writes, Bearer
    /// API tokens, 401 for unauthenticated XHR calls.
    V3,
}

/// A fault the panel shows until cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    None,
    /// Every API call waits this long before answering.
    Slow(Duration),
    /// Writes (POST) are carried out, then answered this late: a caller that gives up first
    /// never learns that its write happened, and the write stays in flight until then (see
    /// [`SimPanel::most_writes_in_flight`]).
    SlowWrites(Duration),
    /// Every API call answers HTTP 500.
    ServerError,
    /// Every API call answers 200 with a body that is not the panel's JSON.
    Garbage,
    /// Each call, drawn from the panel's seeded random source (see [`SimPanel::set_chaos`]):
    /// answered 500 without being carried out, carried out and then answered 500 (the answer
    /// lost: the caller cannot tell it happened), or slowed by `delay`. Each per thousand calls.
    Chaos(Chaos),
}

/// How often each of [`Fault::Chaos`]'s faults happens, per thousand calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chaos {
    pub refused: u16,
    pub lost: u16,
    pub slow: u16,
    pub delay: Duration,
}

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub generation: Generation,
    /// Like `/Xk2p9abc/`; normalised to start and end with `/`.
    pub base_path: String,
    pub username: String,
    pub password: String,
    /// A Bearer API token (3.x only).
    pub api_token: Option<String>,
    /// Inbounds to start with; their `settings.clients` may be empty.
    pub inbounds: Vec<Value>,
}

impl SimConfig {
    /// A panel with one VLESS inbound (id 1, "main", port 443, TCP + REALITY).
    pub fn new(generation: Generation) -> SimConfig {
        SimConfig {
            generation,
            base_path: "/Xk2p9abc/".into(),
            username: "admin".into(),
            password: "admin-password".into(),
            api_token: None,
            inbounds: vec![reality_inbound(1, "main", 443)],
        }
    }
}

/// A VLESS + TCP + REALITY inbound as the panel stores it.
pub fn reality_inbound(id: u32, remark: &str, port: u16) -> Value {
    vless_inbound(
        id,
        remark,
        port,
        json!({"network": "tcp", "security": "reality", "externalProxy": [],
            "realitySettings": {"show": false, "xver": 0, "target": "www.microsoft.com:443",
                "serverNames": ["www.microsoft.com"], "privateKey": "cKI1Bb3yHnKNQ1WwQnS8s3ZGd0cQyB0Z0ZdW5yZ9K2A",
                "minClientVer": "", "maxClientVer": "", "maxTimediff": 0, "shortIds": ["6ba85179e30d4fc2"],
                "mldsa65Seed": "", "settings": {"publicKey": "Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw",
                "fingerprint": "chrome", "serverName": "", "spiderX": "/", "mldsa65Verify": ""}},
            "tcpSettings": {"acceptProxyProtocol": false, "header": {"type": "none"}}}),
    )
}

/// A VLESS inbound on every interface with no clients, with these stream settings.
pub fn vless_inbound(id: u32, remark: &str, port: u16, stream_settings: Value) -> Value {
    json!({
        "id": id, "up": 0, "down": 0, "total": 0, "remark": remark, "enable": true, "expiryTime": 0,
        "listen": "", "port": port, "protocol": "vless", "tag": format!("in-{port}-tcp"),
        "settings": {"clients": [], "decryption": "none", "encryption": "none", "fallbacks": []},
        "streamSettings": stream_settings,
        "sniffing": {"enabled": false, "destOverride": ["http", "tls", "quic", "fakedns"]}
    })
}

#[derive(Debug, Default, Clone, Copy)]
struct Counters {
    up: u64,
    down: u64,
}

/// What the panel holds.
struct State {
    /// Inbounds as stored (JSON columns as objects).
    inbounds: BTreeMap<u32, Value>,
    /// Per-client counters, by email.
    traffic: HashMap<String, Counters>,
    /// Session id → (CSRF token, logged in).
    sessions: HashMap<String, (String, bool)>,
    failed_logins: Vec<Instant>,
    blocked_until: Option<Instant>,
    logins: u64,
    api_calls: u64,
    fault: Fault,
    writes_in_flight: u32,
    most_writes_in_flight: u32,
    /// Draws [`Fault::Chaos`]'s faults.
    chaos: rand::rngs::StdRng,
}

pub(crate) struct Shared {
    config: SimConfig,
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        nebula_common::lock(&self.state)
    }
}

/// A running simulated panel on loopback.
pub struct SimPanel {
    shared: Arc<Shared>,
    addr: SocketAddr,
    server: Mutex<Option<(ServerHandle, tokio::task::JoinHandle<()>)>>,
}

impl SimPanel {
    /// Starts on a free loopback port.
    pub async fn start(mut config: SimConfig) -> std::io::Result<SimPanel> {
        let base = format!("/{}/", config.base_path.trim_matches('/'));
        config.base_path = base.replace("//", "/");
        let inbounds = config
            .inbounds
            .iter()
            .map(|i| (i["id"].as_u64().unwrap_or(0) as u32, i.clone()))
            .collect();
        let shared = Arc::new(Shared {
            config,
            state: Mutex::new(State {
                inbounds,
                traffic: HashMap::new(),
                sessions: HashMap::new(),
                failed_logins: Vec::new(),
                blocked_until: None,
                logins: 0,
                api_calls: 0,
                fault: Fault::None,
                writes_in_flight: 0,
                most_writes_in_flight: 0,
                chaos: rand::SeedableRng::seed_from_u64(0),
            }),
        });
        let sim = SimPanel {
            shared,
            addr: "127.0.0.1:0".parse().expect("addr"),
            server: Mutex::new(None),
        };
        let addr = sim.listen("127.0.0.1:0".parse().expect("addr")).await?;
        Ok(SimPanel { addr, ..sim })
    }

    async fn listen(&self, addr: SocketAddr) -> std::io::Result<SocketAddr> {
        let acceptor = TcpListener::new(addr)
            .try_bind()
            .await
            .map_err(std::io::Error::other)?;
        let bound = acceptor
            .holdings()
            .first()
            .and_then(|h| h.local_addr.clone().into_std())
            .ok_or_else(|| std::io::Error::other("no local address"))?;
        let server = Server::new(acceptor);
        let handle = server.handle();
        let service = Service::new(routes::router(self.shared.clone())).catcher(routes::catcher());
        let task = tokio::spawn(server.serve(service));
        *nebula_common::lock(&self.server) = Some((handle, task));
        Ok(bound)
    }

    /// The panel's URL, base path included (`http://127.0.0.1:PORT/Xk2p9abc/`).
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.shared.config.base_path)
    }

    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// Takes the panel down: connections are refused until [`SimPanel::resume`].
    pub async fn go_down(&self) {
        let running = nebula_common::lock(&self.server).take();
        if let Some((handle, task)) = running {
            handle.stop_forceful();
            let _ = task.await;
        }
    }

    /// Brings the panel back on the same port, with the same data (sessions survive, as they
    /// do across a panel restart with the same secret).
    pub async fn resume(&self) -> std::io::Result<()> {
        let mut tries = 0;
        loop {
            match self.listen(self.addr).await {
                Ok(_) => return Ok(()),
                Err(e) if tries < 50 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    let _ = e;
                }
                Err(e) => return Err(e),
            }
        }
    }

    pub fn set_fault(&self, fault: Fault) {
        self.shared.lock().fault = fault;
    }

    /// Switches on [`Fault::Chaos`], its draws seeded so that a run can be repeated.
    pub fn set_chaos(&self, chaos: Chaos, seed: u64) {
        let mut s = self.shared.lock();
        s.chaos = rand::SeedableRng::seed_from_u64(seed);
        s.fault = Fault::Chaos(chaos);
    }

    /// The emails of every client the panel holds, on every inbound.
    pub fn client_emails(&self) -> Vec<String> {
        let s = self.shared.lock();
        s.inbounds
            .values()
            .flat_map(|i| {
                i["settings"]["clients"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .filter_map(|c| c["email"].as_str().map(str::to_owned))
            .collect()
    }

    /// Forgets every session, as when the panel's secret changes or a session ages out.
    pub fn expire_sessions(&self) {
        self.shared.lock().sessions.clear();
    }

    /// Adds to a client's counters, as the panel's stats job would.
    pub fn add_traffic(&self, email: &str, up: u64, down: u64) {
        let mut s = self.shared.lock();
        let c = s.traffic.entry(email.to_owned()).or_default();
        c.up += up;
        c.down += down;
    }

    /// An inbound as stored (JSON columns as objects), with its clients: what the panel would
    /// configure Xray from.
    pub fn inbound(&self, id: u32) -> Option<Value> {
        self.shared.lock().inbounds.get(&id).cloned()
    }

    /// A client's entry in its inbound's `settings.clients`, if any.
    pub fn client(&self, email: &str) -> Option<Value> {
        let s = self.shared.lock();
        s.inbounds
            .values()
            .find_map(|i| routes::find_client(i, email).map(|(_, c)| c.clone()))
    }

    /// Edits a client as an operator would in the panel (on every inbound holding it), as
    /// stored: for 2.x any field, for 3.x the fields of its client struct.
    pub fn edit_client(&self, email: &str, edit: impl Fn(&mut serde_json::Map<String, Value>)) {
        let mut s = self.shared.lock();
        for inbound in s.inbounds.values_mut() {
            for c in inbound["settings"]["clients"]
                .as_array_mut()
                .into_iter()
                .flatten()
                .filter(|c| c["email"].as_str() == Some(email))
            {
                if let Some(fields) = c.as_object_mut() {
                    edit(fields);
                }
            }
        }
    }

    /// The most slow writes (see [`Fault::SlowWrites`]) the panel was working on at once.
    pub fn most_writes_in_flight(&self) -> u32 {
        self.shared.lock().most_writes_in_flight
    }

    /// How many clients the panel holds in all.
    pub fn client_count(&self) -> usize {
        let s = self.shared.lock();
        s.inbounds
            .values()
            .map(|i| i["settings"]["clients"].as_array().map_or(0, Vec::len))
            .sum()
    }

    /// Successful and failed logins so far.
    pub fn logins(&self) -> u64 {
        self.shared.lock().logins
    }

    /// API calls answered so far (routes under `panel/api`).
    pub fn api_calls(&self) -> u64 {
        self.shared.lock().api_calls
    }

    /// Adds an inbound (as stored: JSON columns as objects).
    pub fn add_inbound(&self, inbound: Value) {
        let id = inbound["id"].as_u64().unwrap_or(0) as u32;
        self.shared.lock().inbounds.insert(id, inbound);
    }

    pub async fn stop(self) {
        self.go_down().await;
    }
}
