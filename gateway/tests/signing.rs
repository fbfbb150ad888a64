//! Request signing over real HTTP: a valid request is accepted, every rejection class has its
//! own code, and tampering with any signed part of a request is never accepted.

mod common;

use std::sync::OnceLock;

use common::{KEY_ID, OTHER_KEY_ID, OTHER_SECRET, Options, SECRET, Stack};
use nebula_gateway::api::{ErrorBody, ErrorCode};
use nebula_gateway::signing::{self, HEADER_KEY, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIMESTAMP};
use nebula_gateway::sim::Generation;
use proptest::prelude::*;

/// A request as sent: every part the signature covers, and the headers.
#[derive(Debug, Clone)]
struct Req {
    method: String,
    path: String,
    body: Vec<u8>,
    key: String,
    timestamp: i64,
    nonce: String,
    signature: String,
    forwarded_for: Option<String>,
    /// The timestamp header as sent, when it is not `timestamp` written plainly.
    timestamp_sent: Option<String>,
}

impl Req {
    fn signed(method: &str, path: &str, body: &[u8], key: &str, secret: &[u8]) -> Req {
        let timestamp = jiff::Timestamp::now().as_second();
        let nonce = format!("n{:x}", rand_u128());
        let canonical = signing::canonical(timestamp, &nonce, method, path, body);
        Req {
            method: method.into(),
            path: path.into(),
            body: body.to_vec(),
            key: key.into(),
            timestamp,
            nonce,
            signature: signing::sign(secret, &canonical),
            forwarded_for: None,
            timestamp_sent: None,
        }
    }

    async fn send(&self, base: &str) -> (u16, Option<ErrorBody>, reqwest::header::HeaderMap) {
        let http = reqwest::Client::new();
        let mut r = http
            .request(self.method.parse().unwrap(), format!("{base}{}", self.path))
            .header(HEADER_KEY, &self.key)
            .header(
                HEADER_TIMESTAMP,
                self.timestamp_sent
                    .clone()
                    .unwrap_or_else(|| self.timestamp.to_string()),
            )
            .header(HEADER_NONCE, &self.nonce)
            .header(HEADER_SIGNATURE, &self.signature)
            .body(self.body.clone());
        if !self.body.is_empty() {
            r = r.header("content-type", "application/json");
        }
        if let Some(f) = &self.forwarded_for {
            r = r.header("x-forwarded-for", f);
        }
        let res = r.send().await.unwrap();
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.bytes().await.unwrap();
        (status, serde_json::from_slice(&body).ok(), headers)
    }
}

fn rand_u128() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(1);
    let n = N.fetch_add(1, Ordering::Relaxed);
    (u128::from(std::process::id()) << 96) | (u128::from(n) << 32) | 0xfeed_beef
}

async fn code(req: &Req, base: &str) -> (u16, Option<ErrorCode>) {
    let (status, body, _) = req.send(base).await;
    (status, body.map(|b| b.error))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_requests_pass_and_each_rejection_has_its_code() {
    let stack = Stack::start(Generation::V3).await;
    let base = &stack.url;

    let ok = Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET);
    assert_eq!(code(&ok, base).await, (200, None));
    // Key rotation: a second key works at the same time.
    assert_eq!(
        code(
            &Req::signed("GET", "/v1/ping", b"", OTHER_KEY_ID, OTHER_SECRET),
            base
        )
        .await,
        (200, None)
    );

    let missing = Req {
        nonce: "short".into(),
        ..Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET)
    };
    assert_eq!(
        code(&missing, base).await,
        (401, Some(ErrorCode::MissingAuth))
    );

    // Exactly what the README documents: a lowercase hex signature, and a timestamp of digits
    // written as signed (no sign, no leading zero). Anything else is malformed.
    let upper = Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET);
    let upper = Req {
        signature: upper.signature.to_ascii_uppercase(),
        ..upper
    };
    assert_eq!(
        code(&upper, base).await,
        (401, Some(ErrorCode::MissingAuth))
    );
    for sent in ["+{}", "0{}", "{} 1", "{}.0"] {
        let mut odd = Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET);
        odd.timestamp_sent = Some(sent.replace("{}", &odd.timestamp.to_string()));
        assert_eq!(
            code(&odd, base).await,
            (401, Some(ErrorCode::MissingAuth)),
            "timestamp {sent}"
        );
    }
    // Whitespace around a header value is not part of it: HTTP strips it before the gateway
    // reads the value.
    let mut spaced = Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET);
    spaced.signature = format!("  {}\t", spaced.signature);
    assert_eq!(code(&spaced, base).await, (200, None));

    let unknown = Req::signed("GET", "/v1/ping", b"", "nobody", SECRET);
    assert_eq!(
        code(&unknown, base).await,
        (401, Some(ErrorCode::UnknownKey))
    );

    let mut old = Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET);
    old.timestamp -= 301;
    let canonical = signing::canonical(old.timestamp, &old.nonce, "GET", "/v1/ping", b"");
    old.signature = signing::sign(SECRET, &canonical);
    assert_eq!(code(&old, base).await, (401, Some(ErrorCode::ClockSkew)));

    let replayed = Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET);
    assert_eq!(code(&replayed, base).await, (200, None));
    assert_eq!(
        code(&replayed, base).await,
        (401, Some(ErrorCode::ReplayedNonce))
    );

    let forged = Req::signed(
        "GET",
        "/v1/ping",
        b"",
        KEY_ID,
        b"not-the-secret-not-the-secret-!!",
    );
    assert_eq!(
        code(&forged, base).await,
        (401, Some(ErrorCode::BadSignature))
    );

    let big = vec![b' '; 70 * 1024];
    assert_eq!(
        code(
            &Req::signed("POST", "/v1/clients", &big, KEY_ID, SECRET),
            base
        )
        .await,
        (413, Some(ErrorCode::BodyTooLarge))
    );

    let unknown_field = br#"{"email":"nl-a","inbound_id":1,"expires_at":"2030-01-01T00:00:00Z","traffic_limit_bytes":0,"ip_limit":0,"admin":true}"#;
    let (status, body, _) = Req::signed("POST", "/v1/clients", unknown_field, KEY_ID, SECRET)
        .send(base)
        .await;
    assert_eq!(
        (status, body.as_ref().map(|b| b.error)),
        (400, Some(ErrorCode::InvalidRequest))
    );
    assert!(body.unwrap().message.contains("unknown field `admin`"));

    for (body, says) in [
        (
            r#"{"email":"nl a","inbound_id":1,"expires_at":"2030-01-01T00:00:00Z","traffic_limit_bytes":0,"ip_limit":0}"#,
            "email must be",
        ),
        (
            r#"{"email":"..","inbound_id":1,"expires_at":"2030-01-01T00:00:00Z","traffic_limit_bytes":0,"ip_limit":0}"#,
            "not . or ..",
        ),
        (
            r#"{"email":".","inbound_id":1,"expires_at":"2030-01-01T00:00:00Z","traffic_limit_bytes":0,"ip_limit":0}"#,
            "not . or ..",
        ),
        (
            r#"{"email":"nl-a","inbound_id":1,"expires_at":"2020-01-01T00:00:00Z","traffic_limit_bytes":0,"ip_limit":0}"#,
            "expires_at must be in the future",
        ),
        (
            r#"{"email":"nl-a","inbound_id":1,"expires_at":"2030-01-01T00:00:00Z","traffic_limit_bytes":-5,"ip_limit":0}"#,
            "invalid body",
        ),
        (
            r#"{"email":"nl-a","inbound_id":7,"expires_at":"2030-01-01T00:00:00Z","traffic_limit_bytes":0,"ip_limit":0}"#,
            "inbound 7 does not exist",
        ),
    ] {
        let (status, answer, _) =
            Req::signed("POST", "/v1/clients", body.as_bytes(), KEY_ID, SECRET)
                .send(base)
                .await;
        let answer = answer.unwrap();
        assert_eq!(
            (status, answer.error),
            (400, ErrorCode::InvalidRequest),
            "{body}"
        );
        assert!(
            answer.message.contains(says),
            "{}: {}",
            body,
            answer.message
        );
    }

    // Unknown routes answer in the same JSON shape; /health says nothing else.
    assert_eq!(
        code(&Req::signed("GET", "/v1/nope", b"", KEY_ID, SECRET), base).await,
        (404, Some(ErrorCode::NotFound))
    );
    let health = reqwest::get(format!("{base}/health")).await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), r#"{"status":"ok"}"#);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn addresses_outside_the_allowlist_are_refused_and_forwarding_is_believed_only_from_proxies()
{
    let stack = Stack::with(Options {
        allow: vec!["10.0.0.0/8"],
        ..Options::new(Generation::V3)
    })
    .await;
    let req = Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET);
    assert_eq!(
        code(&req, &stack.url).await,
        (403, Some(ErrorCode::AddressNotAllowed))
    );
    // Loopback is not a trusted proxy here: its X-Forwarded-For is ignored.
    let spoofed = Req {
        forwarded_for: Some("10.1.2.3".into()),
        ..Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET)
    };
    assert_eq!(
        code(&spoofed, &stack.url).await,
        (403, Some(ErrorCode::AddressNotAllowed))
    );

    let proxied = Stack::with(Options {
        allow: vec!["10.0.0.0/8"],
        trusted_proxies: vec!["127.0.0.0/8"],
        ..Options::new(Generation::V3)
    })
    .await;
    let via = Req {
        forwarded_for: Some("203.0.113.9, 10.1.2.3".into()),
        ..Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET)
    };
    assert_eq!(
        code(&via, &proxied.url).await,
        (200, None),
        "the nearest untrusted hop counts"
    );
    let outsider = Req {
        forwarded_for: Some("10.1.2.3, 203.0.113.9".into()),
        ..Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET)
    };
    assert_eq!(
        code(&outsider, &proxied.url).await,
        (403, Some(ErrorCode::AddressNotAllowed))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rate_limit_comes_before_any_signature_work() {
    let stack = Stack::with(Options {
        rate_limit_per_minute: 5,
        ..Options::new(Generation::V3)
    })
    .await;
    // Badly signed requests still spend the key's budget: the limiter runs first.
    for _ in 0..5 {
        let forged = Req::signed(
            "GET",
            "/v1/ping",
            b"",
            KEY_ID,
            b"wrong-secret-wrong-secret-wrong!!",
        );
        assert_eq!(
            code(&forged, &stack.url).await.1,
            Some(ErrorCode::BadSignature)
        );
    }
    let (status, body, headers) = Req::signed("GET", "/v1/ping", b"", KEY_ID, SECRET)
        .send(&stack.url)
        .await;
    assert_eq!(
        (status, body.map(|b| b.error)),
        (429, Some(ErrorCode::RateLimited))
    );
    let retry_after: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=12).contains(&retry_after), "{retry_after}");
    // Another key has its own budget.
    assert_eq!(
        code(
            &Req::signed("GET", "/v1/ping", b"", OTHER_KEY_ID, OTHER_SECRET),
            &stack.url
        )
        .await,
        (200, None)
    );
}

/// One gateway for all property cases, on a runtime that outlives them.
fn shared_stack() -> &'static (tokio::runtime::Runtime, Stack) {
    static STACK: OnceLock<(tokio::runtime::Runtime, Stack)> = OnceLock::new();
    STACK.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let stack = rt.block_on(Stack::start(Generation::V3));
        (rt, stack)
    })
}

/// Which signed part to change, and how.
#[derive(Debug, Clone)]
enum Tamper {
    Method,
    Path(u8),
    Query(String),
    Body(usize, u8),
    Timestamp(i64),
    Nonce,
    Signature(usize),
    KeyId,
}

fn tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        Just(Tamper::Method),
        any::<u8>().prop_map(Tamper::Path),
        "[a-z]{1,8}=[a-z0-9]{0,8}".prop_map(Tamper::Query),
        (any::<usize>(), 1u8..=255).prop_map(|(i, x)| Tamper::Body(i, x)),
        prop_oneof![-200i64..-1, 1i64..200].prop_map(Tamper::Timestamp),
        Just(Tamper::Nonce),
        any::<usize>().prop_map(Tamper::Signature),
        Just(Tamper::KeyId),
    ]
}

fn request() -> impl Strategy<Value = (String, String, Vec<u8>)> {
    let paths = prop_oneof![
        Just("/v1/ping".to_owned()),
        Just("/v1/inbounds".to_owned()),
        Just("/v1/status".to_owned()),
        "[a-z0-9-]{1,20}".prop_map(|e| format!("/v1/clients/{e}")),
        "[a-z0-9-]{1,20}".prop_map(|q| format!("/v1/ping?x={q}")),
    ];
    (
        prop_oneof![Just("GET"), Just("POST"), Just("DELETE")],
        paths,
        proptest::collection::vec(any::<u8>(), 1..200),
    )
        .prop_map(|(m, p, b)| (m.to_owned(), p, b))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, .. ProptestConfig::default() })]

    /// Take a correctly signed random request, change one signed part after signing: the
    /// gateway never accepts it.
    #[test]
    fn tampering_with_any_signed_part_is_never_accepted((method, path, body) in request(), t in tamper()) {
        let (rt, stack) = shared_stack();
        let mut req = Req::signed(&method, &path, &body, KEY_ID, SECRET);
        match &t {
            Tamper::Method => req.method = if method == "GET" { "DELETE".into() } else { "GET".into() },
            Tamper::Path(x) => req.path = format!("{}{}", req.path.split('?').next().unwrap_or("/v1/ping"), char::from(b'a' + x % 26)) + req.path.split_once('?').map(|(_, q)| format!("?{q}")).as_deref().unwrap_or(""),
            Tamper::Query(q) => req.path = if req.path.contains('?') { format!("{}&{q}", req.path) } else { format!("{}?{q}", req.path) },
            Tamper::Body(i, x) => { let n = req.body.len(); req.body[i % n] ^= x; }
            Tamper::Timestamp(d) => req.timestamp += d,
            Tamper::Nonce => req.nonce.push('x'),
            Tamper::Signature(i) => {
                let mut s: Vec<u8> = req.signature.into_bytes();
                let at = i % s.len();
                s[at] = if s[at] == b'0' { b'1' } else { b'0' };
                req.signature = String::from_utf8(s).unwrap();
            }
            Tamper::KeyId => req.key = OTHER_KEY_ID.into(),
        }
        let (status, error) = rt.block_on(code(&req, &stack.url));
        prop_assert!(!(200..300).contains(&status), "accepted {t:?}: {status}");
        prop_assert!(
            matches!(error, Some(ErrorCode::BadSignature | ErrorCode::ClockSkew | ErrorCode::MissingAuth)),
            "{t:?} answered {status} {error:?}"
        );
    }
}
