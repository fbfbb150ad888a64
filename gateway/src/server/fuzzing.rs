//! Fuzz entry point: a request as anyone who reaches the gateway's port could send it, handled
//! in-process by the whole service (guard, routes, body parsing, the service) in front of a
//! simulated panel of either generation on loopback. Half the inputs are signed correctly, so
//! the fuzzer gets past the guard to the body parsers and the panel calls.
//!
//! What must hold: nothing panics; no answer is a 500 (the panel is healthy); every refusal is
//! the documented JSON error; nothing unsigned, or from outside the allowlist, is served.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use arbitrary::{Arbitrary, Unstructured};
use salvo::Service;
use salvo::http::ResBody;

use super::config::{AuthSettings, LinkSettings};
use super::service::Gateway;
use super::{AppState, Guard, service};
use crate::api::ErrorBody;
use crate::panel::{Panel, PanelConfig, PanelCredentials};
use crate::signing;
use crate::sim::{Generation, SimConfig, SimPanel};

const KEY_ID: &str = "fuzz-shop";
const SECRET: &[u8] = b"a-fuzzing-secret-of-at-least-32-bytes";
/// A fresh guard after this many requests, so that its nonce cache (which refuses requests
/// when full rather than risk a replay) never fills in a long run.
const GUARD_LIFETIME: u64 = 50_000;

#[derive(Arbitrary, Debug)]
enum Peer {
    Loopback,
    LoopbackV6,
    Outside,
}

#[derive(Arbitrary, Debug)]
enum Verb {
    Get,
    Post,
    Patch,
    Delete,
    Put,
    Head,
    Options,
}

#[derive(Arbitrary, Debug)]
enum Route {
    Clients,
    Client(String),
    ResetTraffic(String),
    Traffic,
    Inbounds,
    Status,
    Ping,
    Health,
    OpenApi,
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum Body {
    None,
    Raw(Vec<u8>),
    Create {
        email: String,
        inbound_id: u32,
        expires_in_hours: i32,
        traffic_limit_bytes: u64,
        ip_limit: u32,
        sub_id: Option<String>,
        flow: Option<String>,
    },
    Update {
        expires_in_hours: Option<i32>,
        traffic_limit_bytes: Option<u64>,
        ip_limit: Option<u32>,
        enable: Option<bool>,
    },
    TrafficOf(Vec<String>),
    TrafficOn(u32),
}

#[derive(Arbitrary, Debug)]
enum Signing {
    Valid {
        skew_secs: i16,
    },
    /// Signed, then the body changed.
    Tampered {
        extra: u8,
    },
    Headers {
        key: Option<String>,
        timestamp: Option<String>,
        nonce: Option<String>,
        signature: Option<String>,
    },
}

#[derive(Arbitrary, Debug)]
struct Input {
    third_generation: bool,
    peer: Peer,
    verb: Verb,
    route: Route,
    query: Option<String>,
    body: Body,
    signing: Signing,
    forwarded_for: Option<String>,
}

/// A simulated panel of one generation, and the service in front of it with how many
/// requests its guard has seen.
struct Side {
    sim: SimPanel,
    service: Mutex<(Arc<Service>, u64)>,
}

struct Stack {
    runtime: tokio::runtime::Runtime,
    /// 2.x, then 3.x.
    sides: [Side; 2],
    nonces: AtomicU64,
}

fn stack() -> &'static Stack {
    static STACK: OnceLock<Stack> = OnceLock::new();
    STACK.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let sides = [Generation::V2, Generation::V3].map(|g| {
            let sim = runtime
                .block_on(SimPanel::start(SimConfig::new(g)))
                .expect("the simulated panel starts");
            let service = Mutex::new((fresh_service(&sim), 0));
            Side { sim, service }
        });
        Stack {
            runtime,
            sides,
            nonces: AtomicU64::new(0),
        }
    })
}

fn fresh_service(sim: &SimPanel) -> Arc<Service> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let panel = Panel::new(PanelConfig {
        url: sim.url(),
        credentials: PanelCredentials::Login {
            username: "admin".into(),
            password: "admin-password".into(),
        },
        api: None,
        timeout: Duration::from_secs(2),
        accept_invalid_certs: false,
        login_cooldown: Duration::from_secs(90),
    })
    .expect("a panel client");
    let auth = AuthSettings {
        keys: HashMap::from([(KEY_ID.to_owned(), SECRET.to_vec())]),
        allow: vec!["127.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()],
        trusted_proxies: vec!["127.0.0.0/8".parse().unwrap()],
        rate_limit_per_minute: u32::MAX,
        max_body_bytes: 64 * 1024,
    };
    let links = LinkSettings {
        public_host: "vpn.example.com".into(),
        subscription_base: Some("https://vpn.example.com:2096/sub/".into()),
        default_flow: Some("xtls-rprx-vision".into()),
    };
    Arc::new(service(Arc::new(AppState {
        guard: Guard::new(auth),
        gateway: Gateway::new(panel, links),
    })))
}

fn service_for(third_generation: bool) -> Arc<Service> {
    let side = &stack().sides[usize::from(third_generation)];
    let mut slot = nebula_common::lock(&side.service);
    slot.1 += 1;
    if slot.1 > GUARD_LIFETIME {
        *slot = (fresh_service(&side.sim), 1);
    }
    slot.0.clone()
}

fn body_bytes(body: &Body) -> Vec<u8> {
    // Past jiff's range the field is null (the gateway refuses a body without it).
    let hours = |h: i32| {
        jiff::Timestamp::now()
            .checked_add(jiff::SignedDuration::from_hours(i64::from(h)))
            .ok()
    };
    match body {
        Body::None => Vec::new(),
        Body::Raw(bytes) => bytes.clone(),
        Body::Create {
            email,
            inbound_id,
            expires_in_hours,
            traffic_limit_bytes,
            ip_limit,
            sub_id,
            flow,
        } => serde_json::to_vec(&serde_json::json!({
            "email": email,
            "inbound_id": inbound_id,
            "expires_at": hours(*expires_in_hours),
            "traffic_limit_bytes": traffic_limit_bytes,
            "ip_limit": ip_limit,
            "sub_id": sub_id,
            "flow": flow,
        }))
        .unwrap(),
        Body::Update {
            expires_in_hours,
            traffic_limit_bytes,
            ip_limit,
            enable,
        } => serde_json::to_vec(&serde_json::json!({
            "expires_at": expires_in_hours.and_then(hours),
            "traffic_limit_bytes": traffic_limit_bytes,
            "ip_limit": ip_limit,
            "enable": enable,
        }))
        .unwrap(),
        Body::TrafficOf(emails) => {
            serde_json::to_vec(&serde_json::json!({ "emails": emails })).unwrap()
        }
        Body::TrafficOn(id) => serde_json::to_vec(&serde_json::json!({ "inbound": id })).unwrap(),
    }
}

fn path_of(route: &Route, query: Option<&str>) -> String {
    let seg = |s: &str| crate::links::query_escape(s);
    let path = match route {
        Route::Clients => "/v1/clients".to_owned(),
        Route::Client(email) => format!("/v1/clients/{}", seg(email)),
        Route::ResetTraffic(email) => format!("/v1/clients/{}/reset-traffic", seg(email)),
        Route::Traffic => "/v1/traffic".to_owned(),
        Route::Inbounds => "/v1/inbounds".to_owned(),
        Route::Status => "/v1/status".to_owned(),
        Route::Ping => "/v1/ping".to_owned(),
        Route::Health => "/health".to_owned(),
        Route::OpenApi => format!("/{}", super::openapi::PATH),
        Route::Raw(raw) => raw.clone(),
    };
    match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    }
}

/// One request through the whole service.
pub fn gateway_request(data: &[u8]) {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let stack = stack();
    let method = match input.verb {
        Verb::Get => "GET",
        Verb::Post => "POST",
        Verb::Patch => "PATCH",
        Verb::Delete => "DELETE",
        Verb::Put => "PUT",
        Verb::Head => "HEAD",
        Verb::Options => "OPTIONS",
    };
    let path = path_of(&input.route, input.query.as_deref());
    let mut body = body_bytes(&input.body);
    let mut builder = salvo::hyper::Request::builder()
        .method(method)
        .uri(format!("http://127.0.0.1:8443{path}"));
    let now = jiff::Timestamp::now().as_second();
    let signed = match &input.signing {
        Signing::Valid { .. } | Signing::Tampered { .. } => {
            let skew = match input.signing {
                Signing::Valid { skew_secs } => i64::from(skew_secs),
                _ => 0,
            };
            let nonce = format!("fuzz{:016x}", stack.nonces.fetch_add(1, Ordering::Relaxed));
            let canonical = signing::canonical(now + skew, &nonce, method, &path, &body);
            builder = builder
                .header(signing::HEADER_KEY, KEY_ID)
                .header(signing::HEADER_TIMESTAMP, (now + skew).to_string())
                .header(signing::HEADER_NONCE, nonce)
                .header(signing::HEADER_SIGNATURE, signing::sign(SECRET, &canonical));
            if let Signing::Tampered { extra } = input.signing {
                body.push(extra);
            }
            matches!(input.signing, Signing::Valid { .. }) && skew.abs() <= signing::MAX_SKEW_SECS
        }
        Signing::Headers {
            key,
            timestamp,
            nonce,
            signature,
        } => {
            for (name, value) in [
                (signing::HEADER_KEY, key),
                (signing::HEADER_TIMESTAMP, timestamp),
                (signing::HEADER_NONCE, nonce),
                (signing::HEADER_SIGNATURE, signature),
            ] {
                if let Some(value) = value {
                    builder = builder.header(name, value.as_str());
                }
            }
            false
        }
    };
    if let Some(chain) = &input.forwarded_for {
        builder = builder.header("x-forwarded-for", chain.as_str());
    }
    if !body.is_empty() {
        builder = builder.header("content-type", "application/json");
    }
    // What hyper itself refuses never reaches the gateway.
    let Ok(request) = builder.body(salvo::http::ReqBody::from(body)) else {
        return;
    };
    let mut request = salvo::Request::from_hyper(request, salvo::http::uri::Scheme::HTTP);
    let peer: std::net::SocketAddr = match input.peer {
        Peer::Loopback => "127.0.0.1:40000".parse().unwrap(),
        Peer::LoopbackV6 => "[::1]:40000".parse().unwrap(),
        Peer::Outside => "203.0.113.9:40000".parse().unwrap(),
    };
    *request.remote_addr_mut() = peer.into();

    let service = service_for(input.third_generation);
    let response = stack.runtime.block_on(service.handle(request));
    let status = response.status_code.map_or(200, |s| s.as_u16());
    assert_ne!(status, 500, "an internal error for {input:?}");
    let under_v1 = path.starts_with("/v1/") && !path.starts_with("/v1/openapi.json");
    if (200..300).contains(&status) {
        assert!(
            !matches!(input.peer, Peer::Outside) || path.starts_with("/health"),
            "served a caller outside the allowlist: {input:?}"
        );
        assert!(
            signed || !under_v1,
            "served an unsigned or tampered request: {input:?}"
        );
    } else if method != "HEAD" {
        let ResBody::Once(bytes) = &response.body else {
            panic!("a refusal without a body: {status} for {input:?}");
        };
        if let Err(e) = serde_json::from_slice::<ErrorBody>(bytes.as_ref()) {
            panic!("a refusal that is not the documented error ({e}): {status} for {input:?}");
        }
    }
}
