//! A simulated 3x-ui panel, a gateway in front of it and the shop's client, all on loopback.

#![allow(dead_code)]

pub mod real;

use std::collections::HashMap;
use std::time::Duration;

use nebula_gateway::api::CreateClient;
use nebula_gateway::client::{GatewayClient, Key, RetryPolicy, Target};
use nebula_gateway::panel::{PanelConfig, PanelCredentials};
use nebula_gateway::server::config::{AuthSettings, LinkSettings, Resolved};
use nebula_gateway::server::{self, Running};
use nebula_gateway::sim::{Generation, SimConfig, SimPanel};

pub const KEY_ID: &str = "shop-1";
pub const SECRET: &[u8] = b"a-test-secret-of-at-least-32-bytes!!";
pub const OTHER_KEY_ID: &str = "shop-2";
pub const OTHER_SECRET: &[u8] = b"the-rotated-in-secret-also-32-bytes!";
pub const TOKEN: &str = "api-token-0123456789abcdefghijklmnopqrstuvwxyzABCD";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelAuth {
    Login,
    Token,
    WrongPassword,
}

pub struct Options {
    pub generation: Generation,
    pub auth: PanelAuth,
    pub panel_timeout: Duration,
    pub rate_limit_per_minute: u32,
    pub allow: Vec<&'static str>,
    pub trusted_proxies: Vec<&'static str>,
    pub retry: RetryPolicy,
    /// The host the gateway writes into links.
    pub public_host: &'static str,
    /// Where the gateway serves its metrics, if anywhere.
    pub metrics: Option<std::net::SocketAddr>,
}

impl Options {
    pub fn new(generation: Generation) -> Options {
        Options {
            generation,
            auth: PanelAuth::Login,
            panel_timeout: Duration::from_secs(2),
            rate_limit_per_minute: 100_000,
            allow: vec!["127.0.0.0/8", "::1/128"],
            trusted_proxies: vec![],
            retry: RetryPolicy {
                attempts: 3,
                timeout: Duration::from_secs(10),
                base_delay: Duration::from_millis(50),
                max_delay: Duration::from_millis(500),
            },
            public_host: "vpn.example.com",
            metrics: None,
        }
    }
}

pub struct Stack {
    pub sim: SimPanel,
    pub gateway: Running,
    pub client: GatewayClient,
    pub url: String,
}

impl Stack {
    pub async fn start(generation: Generation) -> Stack {
        Stack::with(Options::new(generation)).await
    }

    pub async fn with(o: Options) -> Stack {
        let mut sim_config = SimConfig::new(o.generation);
        if o.auth == PanelAuth::Token {
            sim_config.api_token = Some(TOKEN.into());
        }
        let sim = SimPanel::start(sim_config).await.unwrap();
        let credentials = match o.auth {
            PanelAuth::Login => PanelCredentials::Login {
                username: "admin".into(),
                password: "admin-password".into(),
            },
            PanelAuth::WrongPassword => PanelCredentials::Login {
                username: "admin".into(),
                password: "wrong".into(),
            },
            PanelAuth::Token => PanelCredentials::Token(TOKEN.into()),
        };
        let resolved = Resolved {
            bind: "127.0.0.1:0".parse().unwrap(),
            tls: None,
            metrics: o.metrics,
            auth: AuthSettings {
                keys: HashMap::from([
                    (KEY_ID.to_owned(), SECRET.to_vec()),
                    (OTHER_KEY_ID.to_owned(), OTHER_SECRET.to_vec()),
                ]),
                allow: o.allow.iter().map(|c| c.parse().unwrap()).collect(),
                trusted_proxies: o
                    .trusted_proxies
                    .iter()
                    .map(|c| c.parse().unwrap())
                    .collect(),
                rate_limit_per_minute: o.rate_limit_per_minute,
                max_body_bytes: 64 * 1024,
            },
            panel: PanelConfig {
                url: sim.url(),
                credentials,
                api: None,
                timeout: o.panel_timeout,
                accept_invalid_certs: false,
                login_cooldown: Duration::from_secs(90),
            },
            links: LinkSettings {
                public_host: o.public_host.into(),
                subscription_base: Some("https://vpn.example.com:2096/sub/".into()),
                default_flow: Some("xtls-rprx-vision".into()),
            },
        };
        let gateway = server::start(resolved).await.unwrap();
        let url = format!("http://{}", gateway.addr);
        let client = GatewayClient::new(
            [
                Key::new(KEY_ID, SECRET),
                Key::new(OTHER_KEY_ID, OTHER_SECRET),
            ],
            o.retry,
        )
        .unwrap();
        Stack {
            sim,
            gateway,
            client,
            url,
        }
    }

    pub fn target(&self) -> Target<'_> {
        Target {
            base_url: &self.url,
            key_id: KEY_ID,
        }
    }
}

pub fn new_client(email: &str) -> CreateClient {
    CreateClient {
        email: email.into(),
        inbound_id: 1,
        expires_at: jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 30),
        traffic_limit_bytes: 50_000_000_000,
        ip_limit: 2,
        sub_id: None,
        flow: None,
    }
}
