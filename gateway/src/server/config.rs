//! The gateway's TOML config. Secrets (signing keys, the panel's token or password) come from
//! the environment or from files, never from the config itself.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ipnet::IpNet;
use serde::Deserialize;

use crate::api::PanelApi;
use crate::panel::{PanelConfig, PanelCredentials};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GatewayConfig {
    /// Where to listen; loopback unless you mean otherwise.
    #[serde(default = "default_bind")]
    pub bind: SocketAddr,
    pub tls: Option<TlsConfig>,
    /// Where to serve Prometheus metrics (`GET /metrics`); none when absent.
    #[serde(default)]
    pub metrics_bind: Option<SocketAddr>,
    pub auth: AuthConfig,
    pub panel: PanelSection,
    pub links: LinkSettings,
}

fn default_bind() -> SocketAddr {
    "127.0.0.1:7443".parse().expect("a valid address")
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    /// Signing keys; several at once for rotation.
    pub keys: Vec<KeyConfig>,
    /// Who may call (CIDRs). Default: loopback only.
    #[serde(default = "loopback")]
    pub allow: Vec<IpNet>,
    /// Proxies whose `X-Forwarded-For` is believed. Default: none.
    #[serde(default)]
    pub trusted_proxies: Vec<IpNet>,
    #[serde(default = "default_rate")]
    pub rate_limit_per_minute: u32,
    #[serde(default = "default_body")]
    pub max_body_bytes: usize,
}

fn loopback() -> Vec<IpNet> {
    vec![
        "127.0.0.0/8".parse().expect("cidr"),
        "::1/128".parse().expect("cidr"),
    ]
}

fn default_rate() -> u32 {
    100
}

fn default_body() -> usize {
    64 * 1024
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyConfig {
    pub id: String,
    pub secret_env: Option<String>,
    pub secret_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSection {
    /// `http://127.0.0.1:2053/<webBasePath>/`.
    pub url: String,
    /// A Bearer API token (3x-ui 3.0+; preferred).
    pub token_env: Option<String>,
    pub token_file: Option<PathBuf>,
    /// Or a login.
    pub username: Option<String>,
    pub password_env: Option<String>,
    pub password_file: Option<PathBuf>,
    /// `clients` (3.1+) or `inbound_scoped` (2.x to 3.0.2); detected when absent.
    pub api: Option<PanelApi>,
    #[serde(default = "default_timeout")]
    pub timeout_secs: u64,
    /// Trust a self-signed certificate on the panel.
    #[serde(default)]
    pub accept_invalid_certs: bool,
}

fn default_timeout() -> u64 {
    10
}

/// How share links are written for this server.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSettings {
    /// The host shoppers connect to.
    pub public_host: String,
    /// The panel's subscription service, e.g. `https://vpn.example.com:2096/sub/`; the client's
    /// subId is appended.
    pub subscription_base: Option<String>,
    /// The flow new clients get when the request names none (`xtls-rprx-vision`).
    pub default_flow: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {error}")]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{path}: {error}")]
    Parse {
        path: PathBuf,
        error: toml::de::Error,
    },
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Secret(#[from] crate::secret::SecretError),
}

/// The config with its secrets read.
#[derive(Clone)]
pub struct Resolved {
    pub bind: SocketAddr,
    pub tls: Option<TlsConfig>,
    pub auth: AuthSettings,
    pub panel: PanelConfig,
    pub links: LinkSettings,
    /// Where to serve Prometheus metrics, if anywhere.
    pub metrics: Option<SocketAddr>,
}

/// What the request guard needs.
#[derive(Clone)]
pub struct AuthSettings {
    pub keys: HashMap<String, Vec<u8>>,
    pub allow: Vec<IpNet>,
    pub trusted_proxies: Vec<IpNet>,
    pub rate_limit_per_minute: u32,
    pub max_body_bytes: usize,
}

impl GatewayConfig {
    pub fn load(path: &Path) -> Result<GatewayConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.into(),
            error,
        })?;
        toml::from_str(&text).map_err(|error| ConfigError::Parse {
            path: path.into(),
            error,
        })
    }

    /// Reads the secrets and checks what can be checked before starting.
    pub fn resolve(self) -> Result<Resolved, ConfigError> {
        let mut keys = HashMap::new();
        for k in &self.auth.keys {
            if k.id.is_empty() || k.id.len() > 64 {
                return Err(ConfigError::Invalid(format!(
                    "key id {:?} must be 1 to 64 characters",
                    k.id
                )));
            }
            let secret = secret(
                &format!("key {}", k.id),
                k.secret_env.as_deref(),
                k.secret_file.as_deref(),
                ("secret_env", "secret_file"),
            )?;
            if secret.len() < crate::signing::MIN_SECRET_BYTES {
                return Err(ConfigError::Invalid(format!(
                    "the secret of key {} must be at least {} bytes",
                    k.id,
                    crate::signing::MIN_SECRET_BYTES
                )));
            }
            if keys.insert(k.id.clone(), secret.into_bytes()).is_some() {
                return Err(ConfigError::Invalid(format!(
                    "key id {} appears twice",
                    k.id
                )));
            }
        }
        if keys.is_empty() {
            return Err(ConfigError::Invalid("[auth] needs at least one key".into()));
        }
        let p = &self.panel;
        let credentials = match (&p.token_env, &p.token_file, &p.username) {
            (None, None, Some(username)) => PanelCredentials::Login {
                username: username.clone(),
                password: secret(
                    "the panel password",
                    p.password_env.as_deref(),
                    p.password_file.as_deref(),
                    ("password_env", "password_file"),
                )?,
            },
            (None, None, None) => {
                return Err(ConfigError::Invalid(
                    "[panel] needs token_env/token_file, or username and password".into(),
                ));
            }
            (env, file, _) => PanelCredentials::Token(secret(
                "the panel token",
                env.as_deref(),
                file.as_deref(),
                ("token_env", "token_file"),
            )?),
        };
        if self.links.public_host.trim().is_empty() {
            return Err(ConfigError::Invalid(
                "[links] public_host must not be empty".into(),
            ));
        }
        Ok(Resolved {
            bind: self.bind,
            tls: self.tls,
            metrics: self.metrics_bind,
            auth: AuthSettings {
                keys,
                allow: self.auth.allow,
                trusted_proxies: self.auth.trusted_proxies,
                rate_limit_per_minute: self.auth.rate_limit_per_minute.max(1),
                max_body_bytes: self.auth.max_body_bytes,
            },
            panel: PanelConfig {
                url: p.url.clone(),
                credentials,
                api: p.api,
                timeout: Duration::from_secs(p.timeout_secs.max(1)),
                accept_invalid_certs: p.accept_invalid_certs,
                login_cooldown: Duration::from_secs(90),
            },
            links: self.links,
        })
    }
}

/// A secret the config must have, from its environment variable or file; `fields` names the
/// two settings, for the message when neither is given.
fn secret(
    what: &str,
    env: Option<&str>,
    file: Option<&Path>,
    fields: (&str, &str),
) -> Result<String, ConfigError> {
    crate::secret::read(what, env, file)?
        .ok_or_else(|| ConfigError::Invalid(format!("{what}: give {} or {}", fields.0, fields.1)))
}

/// A commented template, for `nebula-gateway init`.
pub const TEMPLATE: &str = r#"# NebulaLinks gateway: runs next to one 3x-ui panel.
bind = "127.0.0.1:7443"          # loopback unless the shop is elsewhere
# metrics_bind = "127.0.0.1:9465"  # Prometheus metrics at GET /metrics (requests, refusals, panel)

# [tls]                          # optional: serve HTTPS
# cert = "/etc/nebula/gateway.crt"
# key = "/etc/nebula/gateway.key"

[auth]
allow = ["127.0.0.0/8", "::1/128"]   # who may call (CIDRs)
trusted_proxies = []                 # proxies whose X-Forwarded-For is believed
rate_limit_per_minute = 100          # per key
max_body_bytes = 65536

[[auth.keys]]                        # several keys at once for rotation
id = "shop-1"
secret_env = "NEBULA_GATEWAY_KEY_SHOP_1"   # at least 32 bytes; or secret_file = "..."

[panel]
url = "http://127.0.0.1:2053/your-web-base-path/"
token_env = "NEBULA_PANEL_TOKEN"     # a 3x-ui API token (preferred), or:
# username = "admin"
# password_env = "NEBULA_PANEL_PASSWORD"
timeout_secs = 10
accept_invalid_certs = false         # true to trust a self-signed panel certificate

[links]
public_host = "vpn.example.com"      # the host shoppers connect to
# subscription_base = "https://vpn.example.com:2096/sub/"
default_flow = "xtls-rprx-vision"    # for REALITY/TLS over TCP inbounds
"#;
