//! Fuzz entry point: a request to the shop's public listener as anyone on the internet could
//! send it, handled in-process by the real service over a real shop (a redb file with
//! subscriptions whose tokens the fuzzer may use): `GET /sub/{token}` with any query and app
//! headers, and payment webhooks, half of them signed with the configured secrets so that the
//! fuzzer reaches the event parsing behind the signature.
//!
//! What must hold: nothing panics; no answer is a 500; an unknown token is a plain 404 that
//! carries no profile; a webhook whose signature is not the provider's is never taken.

use std::sync::{Arc, OnceLock};

use arbitrary::{Arbitrary, Unstructured};
use jiff::{SignedDuration, Timestamp};
use nebula_engine::Shop;
use nebula_engine::clock::{Clock, SystemClock};
use nebula_engine::ids::UserId;
use nebula_engine::policy::NativePolicies;
use nebula_engine::subscription::AccessLink;
use nebula_payments::btcpay::BtcpaySettings;
use nebula_payments::stripe::StripeSettings;
use nebula_payments::{Payments, Providers};
use salvo::Service;
use salvo::http::ResBody;

use super::{State, SubscriptionSettings, Webhooks, service};

const SHOPPERS: u64 = 4;
const BTCPAY_SECRET: &str = "btcpay-webhook-secret-for-fuzzing";
const STRIPE_SECRET: &str = "whsec_stripe-webhook-secret-for-fuzzing";
/// Every seeded subscription's access carries this (its UUID's start): a body with it gave
/// access away.
const ACCESS: &str = "5f2b1c7e-0d3a-4b6e-9c1f";
/// A port nothing listens on: a verified webhook's fetch of its object fails at once.
const NOWHERE: &str = "http://127.0.0.1:9";

#[derive(Arbitrary, Debug)]
enum Token {
    /// A real shopper's token.
    Known(u8),
    /// A real token with something after it.
    KnownPlus(u8, String),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Fetch {
    token: Token,
    format: Option<String>,
    user_agent: Option<String>,
    hwid: Option<String>,
    device_os: Option<String>,
    os_version: Option<String>,
    model: Option<String>,
    accept_language: Option<String>,
    forwarded_for: Option<String>,
}

#[derive(Arbitrary, Debug)]
enum Hook {
    Btcpay,
    Stripe,
    Other(String),
}

#[derive(Arbitrary, Debug)]
struct Delivery {
    provider: Hook,
    /// Signed with the configured secret (else `signature` is sent as it is).
    signed: bool,
    signature: Option<String>,
    body: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Fetch(Fetch),
    Webhook(Delivery),
    Raw { method: bool, path: String },
}

struct Stack {
    runtime: tokio::runtime::Runtime,
    service: Service,
    tokens: Vec<String>,
}

fn stack() -> &'static Stack {
    static STACK: OnceLock<Stack> = OnceLock::new();
    STACK.get_or_init(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let runtime = super::listener_runtime().expect("a runtime");
        let dir = std::env::temp_dir().join(format!("nebula-fuzz-listener-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let (shop, tokens) = runtime.block_on(async {
            let shop = Shop::open(
                dir.join("shop.redb"),
                Arc::new(NativePolicies::default()),
                clock.clone(),
                nebula_engine::Settings::default(),
            )
            .await
            .expect("the shop opens");
            let now = Timestamp::now();
            let subs = (0..SHOPPERS)
                .map(|i| {
                    let mut sub = nebula_engine::testing::seeded_subscription(
                        i,
                        "fra-1",
                        now + SignedDuration::from_hours(24 * 30),
                        now,
                    );
                    sub.access = AccessLink::new(format!(
                        "vless://{ACCESS}-2a8d7e6b5c4{i}@vpn.example.com:443?\
                         type=tcp&security=reality&pbk=Zx9p3&fp=chrome&sni=www.example.com&\
                         sid=ab&flow=xtls-rprx-vision#fra-1-{i}"
                    ));
                    sub
                })
                .collect();
            shop.seed_subscriptions(subs).await.expect("seeded");
            let mut tokens = Vec::new();
            for i in 0..SHOPPERS {
                let token = shop.sub_token(UserId(10_000 + i)).await.expect("a token");
                tokens.push(token.expose().to_owned());
            }
            (shop, tokens)
        });
        let settings = SubscriptionSettings {
            bind: "127.0.0.1:0".parse().unwrap(),
            public_url: "https://sub.example.com".into(),
            title: "NebulaLinks".into(),
            support_url: Some("https://example.com/help".into()),
            update_hours: 12,
            tls: None,
            per_token_per_minute: u32::MAX,
            per_address_per_minute: u32::MAX,
            trust_forwarded_for: true,
            hwid_required: false,
        };
        let providers = Providers {
            btcpay: Some(BtcpaySettings {
                url: NOWHERE.parse().unwrap(),
                store_id: "store-1".into(),
                api_key: "api-key".into(),
                webhook_secret: BTCPAY_SECRET.into(),
                tolerance: SignedDuration::from_hours(2),
            }),
            stripe: Some(StripeSettings {
                api: NOWHERE.parse().unwrap(),
                secret_key: "sk_test_fuzz".into(),
                webhook_secret: STRIPE_SECRET.into(),
                success_url: "https://example.com/thanks".into(),
            }),
            tron: None,
        };
        let payments = Payments::new(providers, clock.clone()).expect("payments");
        let webhooks = Webhooks {
            payments,
            per_address_per_minute: u32::MAX,
        };
        let state = State::new(shop, clock, Some(settings), Some(webhooks), true);
        Stack {
            runtime,
            service: service(state),
            tokens,
        }
    })
}

fn known(stack: &Stack, i: u8) -> &str {
    &stack.tokens[usize::from(i) % stack.tokens.len()]
}

fn request(stack: &Stack, input: &Input) -> Option<salvo::hyper::Request<salvo::http::ReqBody>> {
    let mut builder = salvo::hyper::Request::builder();
    let body = match input {
        Input::Fetch(f) => {
            let token = match &f.token {
                Token::Known(i) => known(stack, *i).to_owned(),
                Token::KnownPlus(i, more) => format!("{}{more}", known(stack, *i)),
                Token::Raw(raw) => raw.clone(),
            };
            let mut uri = format!("http://sub.example.com/sub/{token}");
            if let Some(format) = &f.format {
                uri = format!("{uri}?format={format}");
            }
            builder = builder.method("GET").uri(uri);
            for (name, value) in [
                ("user-agent", &f.user_agent),
                ("x-hwid", &f.hwid),
                ("x-device-os", &f.device_os),
                ("x-ver-os", &f.os_version),
                ("x-device-model", &f.model),
                ("accept-language", &f.accept_language),
                ("x-forwarded-for", &f.forwarded_for),
            ] {
                if let Some(value) = value {
                    builder = builder.header(name, value.as_str());
                }
            }
            Vec::new()
        }
        Input::Webhook(d) => {
            let (provider, header, signature) = match &d.provider {
                Hook::Btcpay => (
                    "btcpay",
                    nebula_payments::btcpay::SIGNATURE_HEADER,
                    nebula_payments::btcpay::signature_header(BTCPAY_SECRET, &d.body),
                ),
                Hook::Stripe => (
                    "stripe",
                    nebula_payments::stripe::SIGNATURE_HEADER,
                    nebula_payments::stripe::signature_header(
                        STRIPE_SECRET,
                        Timestamp::now().as_second(),
                        &d.body,
                    ),
                ),
                Hook::Other(name) => (name.as_str(), "x-signature", String::new()),
            };
            builder = builder
                .method("POST")
                .uri(format!("http://sub.example.com/webhooks/{provider}"));
            let sent = if d.signed {
                Some(signature)
            } else {
                d.signature.clone()
            };
            if let Some(sent) = sent {
                builder = builder.header(header, sent);
            }
            d.body.clone()
        }
        Input::Raw { method, path } => {
            builder = builder
                .method(if *method { "GET" } else { "POST" })
                .uri(format!("http://sub.example.com{path}"));
            Vec::new()
        }
    };
    builder.body(salvo::http::ReqBody::from(body)).ok()
}

/// One request through the shop's public listener.
pub fn shop_listener(data: &[u8]) {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let stack = stack();
    // What hyper itself refuses never reaches the shop.
    let Some(request) = request(stack, &input) else {
        return;
    };
    let mut request = salvo::Request::from_hyper(request, salvo::http::uri::Scheme::HTTP);
    *request.remote_addr_mut() = "127.0.0.1:40000"
        .parse::<std::net::SocketAddr>()
        .unwrap()
        .into();
    let response = stack.runtime.block_on(stack.service.handle(request));
    let status = response.status_code.map_or(200, |s| s.as_u16());
    assert_ne!(status, 500, "an internal error for {input:?}");
    let body = match &response.body {
        ResBody::Once(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    };
    match &input {
        Input::Fetch(Fetch {
            token: Token::Raw(raw),
            ..
        }) if !stack.tokens.iter().any(|t| t == raw) => {
            assert!(
                status == 404 || status == 400,
                "an unknown token was answered {status}: {input:?}"
            );
            assert!(
                !body.contains(ACCESS),
                "an unknown token got access: {input:?}"
            );
        }
        Input::Fetch(Fetch {
            token: Token::KnownPlus(_, more),
            ..
        }) if !more.is_empty()
            && more
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            assert!(
                !body.contains(ACCESS),
                "a token with more after it got access: {input:?} answered {status}: {body}"
            );
        }
        Input::Webhook(Delivery { signed: false, .. }) => {
            assert!(
                !(200..300).contains(&status),
                "an unsigned webhook was accepted: {input:?}"
            );
        }
        _ => {}
    }
}
