//! The shop's one TOML config. Secrets (the Discord token, gateway signing keys) come from the
//! environment or from files named here, never from the file itself.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jiff::SignedDuration;
use nebula_engine::Rules;
use nebula_engine::Settings;
use nebula_engine::jobs::{JobKind, JobsConfig};
use nebula_engine::outbox::OutboxSettings;
use nebula_engine::subscription::Lifecycle;
use nebula_gateway::client::{ClientError, GatewayClient, Key, RetryPolicy};
use nebula_gateway::signing::MIN_SECRET_BYTES;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The database file.
    #[serde(default = "default_database")]
    pub database: PathBuf,
    pub discord: DiscordSection,
    #[serde(default)]
    pub shop: ShopSection,
    #[serde(default)]
    pub gateways: GatewaysSection,
    #[serde(default)]
    pub jobs: JobsSection,
    /// The shop's own subscription service (off without this section).
    pub subscription: Option<SubscriptionSection>,
    /// Automatic payments (off without this section).
    pub payments: Option<PaymentsSection>,
    /// Prometheus metrics (off without this section).
    pub metrics: Option<MetricsSection>,
}

/// `[metrics]`: where the shop serves Prometheus text (`GET /metrics`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSection {
    pub bind: std::net::SocketAddr,
    /// How often the orders-by-state and outbox gauges are read from the database.
    #[serde(default = "default_metrics_sample")]
    pub sample_seconds: u64,
}

fn default_metrics_sample() -> u64 {
    15
}

/// `[payments]`: the providers, and where their webhooks arrive when there is no
/// `[subscription]` listener to share.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentsSection {
    pub bind: Option<std::net::SocketAddr>,
    #[serde(default = "default_reconcile_minutes")]
    pub reconcile_minutes: u64,
    #[serde(default = "default_webhooks_per_minute")]
    pub webhooks_per_address_per_minute: u32,
    pub btcpay: Option<BtcpaySection>,
    pub stripe: Option<StripeSection>,
    pub tron: Option<TronSection>,
}

fn default_reconcile_minutes() -> u64 {
    5
}
fn default_webhooks_per_minute() -> u32 {
    120
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BtcpaySection {
    pub url: url::Url,
    pub store_id: String,
    pub api_key_env: Option<String>,
    pub api_key_file: Option<PathBuf>,
    pub webhook_secret_env: Option<String>,
    pub webhook_secret_file: Option<PathBuf>,
    #[serde(default = "default_btcpay_tolerance")]
    pub webhook_tolerance_seconds: i64,
}

/// Two hours: BTCPay's last retry of a delivery comes about 71 minutes after the event.
fn default_btcpay_tolerance() -> i64 {
    7200
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StripeSection {
    #[serde(default = "default_stripe_api")]
    pub api: url::Url,
    pub secret_key_env: Option<String>,
    pub secret_key_file: Option<PathBuf>,
    pub webhook_secret_env: Option<String>,
    pub webhook_secret_file: Option<PathBuf>,
    pub success_url: String,
}

fn default_stripe_api() -> url::Url {
    "https://api.stripe.com/".parse().expect("a URL")
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TronSection {
    #[serde(default = "default_tron_api")]
    pub api: url::Url,
    pub api_key_env: Option<String>,
    pub api_key_file: Option<PathBuf>,
    pub address: String,
    #[serde(default = "default_usdt_contract")]
    pub contract: String,
    /// What one token costs in the shop's currency, like `49.50 EGP`.
    pub token_price: String,
    #[serde(default)]
    pub rounding: nebula_payments::amount::Rounding,
    /// Blocks deep enough to accept; omitted: wait until the transfer is solidified.
    pub confirmations: Option<u32>,
}

fn default_tron_api() -> url::Url {
    "https://api.trongrid.io/".parse().expect("a URL")
}
fn default_usdt_contract() -> String {
    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t".into()
}

/// The payment providers, their secrets read.
#[derive(Clone)]
pub struct PaymentsConfig {
    pub providers: nebula_payments::Providers,
    pub bind: Option<std::net::SocketAddr>,
    pub reconcile_every: Duration,
    pub webhooks_per_address_per_minute: u32,
}

impl PaymentsSection {
    pub fn resolve(&self) -> Result<PaymentsConfig, ConfigError> {
        let need = |what: &str, env: &Option<String>, file: &Option<PathBuf>| {
            nebula_gateway::secret::read(what, env.as_deref(), file.as_deref())?.ok_or_else(|| {
                ConfigError::Invalid(format!("{what}: give its _env or _file setting"))
            })
        };
        let bad = |why: String| ConfigError::Invalid(format!("[payments] {why}"));
        let btcpay = match &self.btcpay {
            Some(b) => Some(nebula_payments::btcpay::BtcpaySettings {
                url: b.url.clone(),
                store_id: b.store_id.clone(),
                api_key: need("the BTCPay API key", &b.api_key_env, &b.api_key_file)?,
                webhook_secret: need(
                    "the BTCPay webhook secret",
                    &b.webhook_secret_env,
                    &b.webhook_secret_file,
                )?,
                tolerance: SignedDuration::from_secs(b.webhook_tolerance_seconds.max(60)),
            }),
            None => None,
        };
        let stripe = match &self.stripe {
            Some(s) => Some(nebula_payments::stripe::StripeSettings {
                api: s.api.clone(),
                secret_key: need(
                    "the Stripe secret key",
                    &s.secret_key_env,
                    &s.secret_key_file,
                )?,
                webhook_secret: need(
                    "the Stripe webhook secret",
                    &s.webhook_secret_env,
                    &s.webhook_secret_file,
                )?,
                success_url: s.success_url.clone(),
            }),
            None => None,
        };
        let tron = match &self.tron {
            Some(t) => {
                for (name, address) in [("address", &t.address), ("contract", &t.contract)] {
                    if nebula_payments::tron::address_hex(address).is_none() {
                        return Err(bad(format!(
                            "tron {name} {address:?} is not a TRON address (base58, T…)"
                        )));
                    }
                }
                let token_price = nebula_engine::money::Money::parse(&t.token_price, None)
                    .map_err(|e| bad(format!("tron token_price: {e} (like \"49.50 EGP\")")))?;
                if token_price.minor <= 0 {
                    return Err(bad("tron token_price must be above zero".into()));
                }
                let api_key = nebula_gateway::secret::read(
                    "the TronGrid API key",
                    t.api_key_env.as_deref(),
                    t.api_key_file.as_deref(),
                )?;
                Some(nebula_payments::tron::TronSettings {
                    api: t.api.clone(),
                    api_key,
                    address: t.address.clone(),
                    contract: t.contract.clone(),
                    symbol: "USDT".into(),
                    decimals: 6,
                    token_price,
                    rounding: t.rounding,
                    confirmations: t.confirmations,
                })
            }
            None => None,
        };
        Ok(PaymentsConfig {
            providers: nebula_payments::Providers {
                btcpay,
                stripe,
                tron,
            },
            bind: self.bind,
            reconcile_every: Duration::from_secs(self.reconcile_minutes.max(1) * 60),
            webhooks_per_address_per_minute: self.webhooks_per_address_per_minute.max(1),
        })
    }
}

/// `[subscription]`: where the subscription service listens and how apps see it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionSection {
    pub bind: std::net::SocketAddr,
    /// The base URL shoppers reach it at (`https://sub.example.com`).
    pub public_url: String,
    #[serde(default = "default_title")]
    pub title: String,
    pub support_url: Option<String>,
    #[serde(default = "default_update_hours")]
    pub update_hours: u32,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    #[serde(default = "default_per_token")]
    pub per_token_per_minute: u32,
    #[serde(default = "default_per_address")]
    pub per_address_per_minute: u32,
    #[serde(default)]
    pub trust_forwarded_for: bool,
    /// Serve only apps that send a device id (`x-hwid`), so every device counts.
    #[serde(default)]
    pub hwid_required: bool,
}

fn default_title() -> String {
    "NebulaLinks".into()
}
fn default_update_hours() -> u32 {
    12
}
fn default_per_token() -> u32 {
    30
}
fn default_per_address() -> u32 {
    60
}

impl SubscriptionSection {
    /// The settings, checked: an http(s) URL without a query, TLS given whole, headers that
    /// can be sent.
    pub fn settings(&self) -> Result<crate::subscription::SubscriptionSettings, ConfigError> {
        let bad = |why: &str| ConfigError::Invalid(format!("[subscription] {why}"));
        let public_url = self.public_url.trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&public_url).map_err(|e| bad(&format!("public_url: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
            return Err(bad("public_url must be an http(s) URL without a query"));
        }
        if self.title.trim().is_empty() || self.title.len() > 100 {
            return Err(bad("title must be 1 to 100 characters"));
        }
        if let Some(u) = &self.support_url
            && (!u.is_ascii() || u.chars().any(|c| c.is_ascii_control()))
        {
            return Err(bad(
                "support_url must be plain ASCII (percent-encode the rest)",
            ));
        }
        if self.update_hours == 0
            || self.per_token_per_minute == 0
            || self.per_address_per_minute == 0
        {
            return Err(bad(
                "update_hours and the per-minute limits must be at least 1",
            ));
        }
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(c), Some(k)) => Some((c.clone(), k.clone())),
            (None, None) => None,
            _ => return Err(bad("give both tls_cert and tls_key, or neither")),
        };
        Ok(crate::subscription::SubscriptionSettings {
            bind: self.bind,
            public_url,
            title: self.title.clone(),
            support_url: self.support_url.clone(),
            update_hours: self.update_hours,
            tls,
            per_token_per_minute: self.per_token_per_minute,
            per_address_per_minute: self.per_address_per_minute,
            trust_forwarded_for: self.trust_forwarded_for,
            hwid_required: self.hwid_required,
        })
    }
}

/// When the background jobs run (cron with a seconds field, UTC) and what they keep.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct JobsSection {
    pub unpaid_timeout: Option<String>,
    pub expiry: Option<String>,
    pub traffic: Option<String>,
    pub health: Option<String>,
    pub retention: Option<String>,
    pub reconciliation: Option<String>,
    /// Reminders go out this many hours before a subscription ends (each once).
    pub reminder_hours: Vec<u32>,
    /// An expired client stays on its panel (disabled, renewable) this long before deletion.
    pub grace_hours: u32,
    pub close_channels_after_hours: u32,
    pub purge_proofs_after_days: u32,
    /// How often the scheduler looks at the clock.
    pub poll_seconds: u64,
}

impl Default for JobsSection {
    fn default() -> Self {
        JobsSection {
            unpaid_timeout: None,
            expiry: None,
            traffic: None,
            health: None,
            retention: None,
            reconciliation: None,
            reminder_hours: vec![72, 24],
            grace_hours: 24 * 7,
            close_channels_after_hours: 24,
            purge_proofs_after_days: 90,
            poll_seconds: 1,
        }
    }
}

impl JobsSection {
    pub fn jobs_config(&self) -> Result<JobsConfig, ConfigError> {
        let crons = [
            (JobKind::UnpaidTimeout, self.unpaid_timeout.clone()),
            (JobKind::Expiry, self.expiry.clone()),
            (JobKind::Traffic, self.traffic.clone()),
            (JobKind::Health, self.health.clone()),
            (JobKind::Retention, self.retention.clone()),
            (JobKind::Reconciliation, self.reconciliation.clone()),
        ];
        JobsConfig::new(
            &crons,
            SignedDuration::from_hours(i64::from(self.close_channels_after_hours)),
            SignedDuration::from_hours(24 * i64::from(self.purge_proofs_after_days)),
        )
        .map_err(|e| ConfigError::Invalid(format!("[jobs] {e}")))
    }

    pub fn lifecycle(&self) -> Lifecycle {
        Lifecycle {
            reminder_leads: self
                .reminder_hours
                .iter()
                .map(|h| SignedDuration::from_hours(i64::from(*h)))
                .collect(),
            grace: SignedDuration::from_hours(i64::from(self.grace_hours)),
        }
    }
}

fn default_database() -> PathBuf {
    "nebula.redb".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordSection {
    pub token_env: Option<String>,
    pub token_file: Option<PathBuf>,
    /// The server the shop runs in.
    pub guild_id: u64,
    /// Another Discord API base (a fake Discord on loopback, for tests and the demo).
    pub api_base: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShopSection {
    pub unpaid_timeout_minutes: i64,
    pub close_channel_after_minutes: i64,
    pub max_proof_bytes: u64,
    pub outbox_max_attempts: u32,
    /// A server down this long has its shoppers moved to another (0: never; a drained server's
    /// move at the next health check).
    pub move_after_down_minutes: i64,
    /// A Discord account younger than this may not take a trial.
    pub trial_min_account_age_days: u32,
    /// The shop's language (`en`, `ru`, `fa`, `tr`, `zh-CN`, `ar`): the panel, the review
    /// channel, and everyone whose Discord client's language the shop does not speak.
    pub language: String,
}

impl ShopSection {
    pub fn locale(&self) -> Result<crate::i18n::Locale, ConfigError> {
        crate::i18n::Locale::parse(&self.language).ok_or_else(|| {
            ConfigError::Invalid(format!(
                "[shop] language = {:?}: the shop speaks {}",
                self.language,
                crate::i18n::Locale::ALL.map(|l| l.tag()).join(", ")
            ))
        })
    }
}

impl Default for ShopSection {
    fn default() -> Self {
        ShopSection {
            unpaid_timeout_minutes: 30,
            close_channel_after_minutes: 60,
            max_proof_bytes: 8 * 1024 * 1024,
            outbox_max_attempts: 8,
            move_after_down_minutes: 60,
            trial_min_account_age_days: 7,
            language: "en".into(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GatewaysSection {
    pub keys: Vec<KeySection>,
    pub retry_attempts: Option<u32>,
    pub timeout_seconds: Option<u64>,
    /// A CA certificate (PEM) for gateways that serve TLS with a private CA.
    pub ca_cert: Option<PathBuf>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySection {
    pub id: String,
    pub secret_env: Option<String>,
    pub secret_file: Option<PathBuf>,
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
    /// A setting that is missing or wrong, said in words an operator can act on.
    Invalid(String),
    #[error(transparent)]
    Secret(#[from] nebula_gateway::secret::SecretError),
}

/// The config with its secrets read, ready to start the shop.
#[derive(Clone)]
pub struct Resolved {
    pub database: PathBuf,
    pub token: String,
    pub guild_id: u64,
    pub api_base: Option<String>,
    pub settings: Settings,
    pub jobs: JobsConfig,
    /// How often the job scheduler looks at the clock.
    pub job_poll: Duration,
    pub gateways: GatewayAccess,
    pub subscription: Option<crate::subscription::SubscriptionSettings>,
    pub payments: Option<PaymentsConfig>,
    /// Where to serve metrics, and how often to sample the database's gauges.
    pub metrics: Option<(std::net::SocketAddr, Duration)>,
    /// The shop's language.
    pub language: crate::i18n::Locale,
}

/// What the shop needs to call its gateways: signing keys, retries, and private CA roots.
#[derive(Debug, Clone)]
pub struct GatewayAccess {
    pub keys: Vec<Key>,
    pub retry: RetryPolicy,
    pub roots: Vec<Vec<u8>>,
}

impl GatewayAccess {
    pub fn client(&self) -> Result<GatewayClient, ClientError> {
        GatewayClient::with_roots(self.keys.clone(), self.retry, &self.roots)
    }
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
            path: path.into(),
            error,
        })?;
        toml::from_str(&text).map_err(|error| ConfigError::Parse {
            path: path.into(),
            error,
        })
    }

    /// The Discord token, or a message that says exactly what is missing.
    pub fn token(&self) -> Result<String, ConfigError> {
        let d = &self.discord;
        let token = nebula_gateway::secret::read(
            "the Discord bot token",
            d.token_env.as_deref(),
            d.token_file.as_deref(),
        )
        .map_err(|e| {
            ConfigError::Invalid(format!(
                "{e} (the config's [discord] token_env or token_file). Set it to your bot's \
                 token, or run `nebula demo` to see the shop work offline."
            ))
        })?;
        token.ok_or_else(|| {
            ConfigError::Invalid(
                "no Discord bot token: set [discord] token_env (or token_file) in the config, \
                 or run `nebula demo` to see the shop work offline."
                    .into(),
            )
        })
    }

    pub fn resolve(&self) -> Result<Resolved, ConfigError> {
        Ok(Resolved {
            database: self.database.clone(),
            token: self.token()?,
            guild_id: self.discord.guild_id,
            api_base: self.discord.api_base.clone(),
            settings: Settings {
                lifecycle: self.jobs.lifecycle(),
                ..self.shop.engine_settings()
            },
            jobs: self.jobs.jobs_config()?,
            job_poll: Duration::from_secs(self.jobs.poll_seconds.max(1)),
            gateways: self.gateway_access()?,
            subscription: self
                .subscription
                .as_ref()
                .map(SubscriptionSection::settings)
                .transpose()?,
            payments: self.payments_config()?,
            metrics: self
                .metrics
                .as_ref()
                .map(|m| (m.bind, Duration::from_secs(m.sample_seconds.max(1)))),
            language: self.shop.locale()?,
        })
    }

    /// The payment providers, checked: webhooks need a listener to arrive at.
    pub fn payments_config(&self) -> Result<Option<PaymentsConfig>, ConfigError> {
        let Some(section) = &self.payments else {
            return Ok(None);
        };
        let config = section.resolve()?;
        let hooks = config.providers.btcpay.is_some() || config.providers.stripe.is_some();
        if hooks && self.subscription.is_none() && config.bind.is_none() {
            return Err(ConfigError::Invalid(
                "[payments] BTCPay and Stripe send webhooks to the shop: give [payments] bind, or configure [subscription], whose listener serves them too".into(),
            ));
        }
        Ok(Some(config))
    }

    /// The gateway keys (their secrets read), retries and CA roots.
    pub fn gateway_access(&self) -> Result<GatewayAccess, ConfigError> {
        let mut keys = Vec::new();
        for k in &self.gateways.keys {
            let what = format!("gateway key {}", k.id);
            let secret = nebula_gateway::secret::read(
                &what,
                k.secret_env.as_deref(),
                k.secret_file.as_deref(),
            )?
            .ok_or_else(|| {
                ConfigError::Invalid(format!("{what}: give secret_env or secret_file"))
            })?;
            if secret.len() < MIN_SECRET_BYTES {
                return Err(ConfigError::Invalid(format!(
                    "{what}: the secret must be at least {MIN_SECRET_BYTES} bytes, as on its gateways"
                )));
            }
            keys.push(Key::new(k.id.clone(), secret.into_bytes()));
        }
        let roots = match &self.gateways.ca_cert {
            Some(path) => vec![nebula_gateway::secret::read_file(path).map_err(|error| {
                ConfigError::Read {
                    path: path.clone(),
                    error,
                }
            })?],
            None => vec![],
        };
        let defaults = RetryPolicy::default();
        Ok(GatewayAccess {
            keys,
            retry: RetryPolicy {
                attempts: self
                    .gateways
                    .retry_attempts
                    .unwrap_or(defaults.attempts)
                    .max(1),
                timeout: self
                    .gateways
                    .timeout_seconds
                    .map_or(defaults.timeout, Duration::from_secs),
                ..defaults
            },
            roots,
        })
    }
}

impl ShopSection {
    pub fn engine_settings(&self) -> Settings {
        Settings {
            rules: Rules {
                max_proof_bytes: self.max_proof_bytes,
                close_channel_after: SignedDuration::from_mins(
                    self.close_channel_after_minutes.max(0),
                ),
                ..Rules::default()
            },
            unpaid_timeout: SignedDuration::from_mins(self.unpaid_timeout_minutes.max(1)),
            outbox: OutboxSettings {
                max_attempts: self.outbox_max_attempts.max(1),
                ..OutboxSettings::default()
            },
            move_after_down: (self.move_after_down_minutes > 0)
                .then(|| SignedDuration::from_mins(self.move_after_down_minutes)),
            trial_min_account_age: SignedDuration::from_hours(
                24 * i64::from(self.trial_min_account_age_days),
            ),
            ..Settings::default()
        }
    }
}

/// What `nebula init` writes.
pub const TEMPLATE: &str = r#"# NebulaLinks: the shop's config. Secrets come from the environment (or files), never from here.

database = "nebula.redb"            # one redb file; back it up with `nebula backup`

[discord]
token_env = "NEBULA_DISCORD_TOKEN"  # the bot token's environment variable (or token_file = "...")
guild_id = 0                         # your server's id (Developer Mode → right-click → Copy ID)
# Channels, the order category and the admin role are set in Discord with /setup.

[shop]
unpaid_timeout_minutes = 30          # an order nobody paid for times out after this
close_channel_after_minutes = 60     # a finished order's channel closes after this
max_proof_bytes = 8388608            # largest payment screenshot (8 MiB)
outbox_max_attempts = 8              # after this many failures an effect alerts the admins
move_after_down_minutes = 60         # shoppers on a server down this long move to another (0 = never)
trial_min_account_age_days = 7       # Discord accounts younger than this may not take a trial
language = "en"                      # en, ru, fa, tr, zh-CN or ar: the panel, the review channel,
                                     # and shoppers whose Discord language the shop does not speak

[jobs]                               # cron with seconds first, in UTC; these are the defaults
unpaid_timeout = "0 * * * * *"       # time out unpaid orders (every minute)
expiry = "0 0 * * * *"               # reminders, expiry, deletion after the grace period (hourly)
traffic = "0 0 */6 * * *"            # usage: one call per server (every 6 hours)
health = "0 */5 * * * *"             # each gateway's status (every 5 minutes)
retention = "0 30 3 * * *"           # close old channels, purge old proof screenshots (daily)
reconciliation = "0 0 4 * * *"       # compare subscriptions with the panels; report drift (daily)
reminder_hours = [72, 24]            # remind before the end, once each
grace_hours = 168                    # an expired client is deleted from its panel after this
close_channels_after_hours = 24
purge_proofs_after_days = 90

[gateways]
retry_attempts = 3
timeout_seconds = 10
# ca_cert = "gateway-ca.pem"         # if your gateways use a private CA

[[gateways.keys]]                    # the key id each server names in /server add
id = "shop-1"
secret_env = "NEBULA_GATEWAY_KEY_SHOP_1"

# One subscription URL per shopper for all their access (docs/subscription.md).
# [subscription]
# bind = "127.0.0.1:8480"             # behind a reverse proxy; or 0.0.0.0:443 with tls_cert/tls_key
# public_url = "https://sub.example.com"
# title = "NebulaLinks"               # the profile's name in apps
# support_url = "https://discord.gg/your-invite"
# update_hours = 12                   # how often apps refresh
# per_token_per_minute = 30
# per_address_per_minute = 60
# trust_forwarded_for = true          # only behind your own reverse proxy
# hwid_required = false               # true: serve only apps that send x-hwid (every device counts)
# tls_cert = "sub-cert.pem"
# tls_key = "sub-key.pem"

# Prometheus metrics of the shop (docs/metrics.md): orders by state, commands, the outbox,
# effects, policies, jobs.
# [metrics]
# bind = "127.0.0.1:9464"
# sample_seconds = 15                 # how often the database's gauges are read

# Automatic payments next to screenshots (docs/payments.md). Webhooks arrive at
# {public URL}/webhooks/btcpay and /webhooks/stripe on the [subscription] listener, or on the
# bind below when there is none. A payment method uses one with `/method add provider:`.
# [payments]
# bind = "127.0.0.1:8481"             # only without [subscription]
# reconcile_minutes = 5               # ask the providers about open checkouts (lost webhooks)
# webhooks_per_address_per_minute = 120
# [payments.btcpay]
# url = "https://btcpay.example.com"
# store_id = "YourStoreId"
# api_key_env = "NEBULA_BTCPAY_API_KEY"
# webhook_secret_env = "NEBULA_BTCPAY_WEBHOOK_SECRET"
# [payments.stripe]
# secret_key_env = "NEBULA_STRIPE_SECRET_KEY"
# webhook_secret_env = "NEBULA_STRIPE_WEBHOOK_SECRET"
# success_url = "https://discord.com/channels/@me"
# [payments.tron]
# address = "TYourShopAddress..."     # where shoppers send USDT (TRC-20)
# token_price = "49.50 EGP"           # what one USDT costs in your currency
# rounding = "up"                     # up, nearest or down, to the token's 6 decimals
# confirmations = 19                  # omit to wait until the transfer is solidified
# api_key_env = "NEBULA_TRONGRID_API_KEY"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    /// The template with its secrets in files (tests never touch the process environment).
    fn config_with(dir: &Path, token: &str, key: &str) -> Config {
        let mut config: Config = toml::from_str(TEMPLATE).unwrap();
        std::fs::write(dir.join("token"), token).unwrap();
        std::fs::write(dir.join("key"), key).unwrap();
        config.discord.token_env = None;
        config.discord.token_file = Some(dir.join("token"));
        config.gateways.keys[0].secret_env = None;
        config.gateways.keys[0].secret_file = Some(dir.join("key"));
        config
    }

    /// The template's `[payments]` section, uncommented, parses; TRON's addresses and rate are
    /// checked, and webhooks without a listener to arrive at are refused.
    #[test]
    fn the_payments_section_is_checked() {
        let section: String = TEMPLATE
            .lines()
            .skip_while(|l| !l.starts_with("# [payments]"))
            .map(|l| l.trim_start_matches("# "))
            .collect::<Vec<_>>()
            .join("\n");
        #[derive(Deserialize)]
        struct Only {
            payments: PaymentsSection,
        }
        let parsed: Only = toml::from_str(&section).unwrap();
        assert!(parsed.payments.btcpay.is_some() && parsed.payments.stripe.is_some());
        let tron = |address: &str, price: &str| PaymentsSection {
            btcpay: None,
            stripe: None,
            tron: Some(TronSection {
                address: address.into(),
                token_price: price.into(),
                api_key_env: None,
                ..parsed.payments.tron.clone().unwrap()
            }),
            ..parsed.payments.clone()
        };
        let shop = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
        let ok = tron(shop, "49.50 EGP").resolve().unwrap();
        assert_eq!(
            ok.providers.tron.unwrap().token_price.to_string(),
            "49.50 EGP"
        );
        for (address, price, says) in [
            ("TYourShopAddress", "49.50 EGP", "not a TRON address"),
            (shop, "49.50", "token_price"),
            (shop, "0 EGP", "above zero"),
        ] {
            let error = tron(address, price).resolve().err().unwrap().to_string();
            assert!(error.contains(says), "{address} {price}: {error}");
        }
        let dir = tempfile::tempdir().unwrap();
        let mut config = config_with(dir.path(), "t", &"k".repeat(40));
        config.subscription = None;
        std::fs::write(dir.path().join("api"), "key").unwrap();
        std::fs::write(dir.path().join("hook"), "secret").unwrap();
        let mut payments = parsed.payments.clone();
        payments.bind = None;
        payments.stripe = None;
        payments.tron = None;
        if let Some(b) = payments.btcpay.as_mut() {
            b.api_key_env = None;
            b.api_key_file = Some(dir.path().join("api"));
            b.webhook_secret_env = None;
            b.webhook_secret_file = Some(dir.path().join("hook"));
        }
        config.payments = Some(payments);
        let error = config.payments_config().err().unwrap().to_string();
        assert!(error.contains("[payments] bind"), "{error}");
    }

    /// The template's `[subscription]` section, uncommented, is valid; each bad value is named.
    #[test]
    fn the_subscription_section_is_checked() {
        let section: String = TEMPLATE
            .lines()
            .skip_while(|l| !l.starts_with("# [subscription]"))
            .take_while(|l| !l.is_empty())
            .filter(|l| !l.starts_with("# One") && !l.starts_with("# tls_"))
            .map(|l| l.trim_start_matches("# "))
            .collect::<Vec<_>>()
            .join("\n");
        #[derive(Deserialize)]
        struct Only {
            subscription: SubscriptionSection,
        }
        let good: Only = toml::from_str(&section).unwrap();
        let settings = good.subscription.settings().unwrap();
        assert_eq!(settings.public_url, "https://sub.example.com");
        assert!(settings.trust_forwarded_for);
        for (change, says) in [
            (("public_url", "\"ftp://x\""), "http(s)"),
            (("public_url", "\"https://x/?a=1\""), "without a query"),
            (("title", "\"\""), "title"),
            (("support_url", "\"https://例え.jp\""), "ASCII"),
            (("update_hours", "0"), "at least 1"),
            (("tls_cert", "\"c.pem\""), "both tls_cert and tls_key"),
        ] {
            let mut text = section
                .lines()
                .filter(|l| !l.starts_with(&format!("{} ", change.0)))
                .collect::<Vec<_>>()
                .join("\n");
            text.push_str(&format!("\n{} = {}", change.0, change.1));
            let bad: Only = toml::from_str(&text).unwrap();
            let error = bad.subscription.settings().unwrap_err().to_string();
            assert!(error.contains(says), "{change:?}: {error}");
        }
    }

    #[test]
    fn secrets_come_from_files_and_bad_ones_are_named_without_their_value() {
        let dir = tempfile::tempdir().unwrap();
        let long_key = "k".repeat(MIN_SECRET_BYTES);

        let config = config_with(dir.path(), "a.b.c\n", &format!("{long_key}\n"));
        let resolved = config.resolve().unwrap();
        assert_eq!(resolved.token, "a.b.c");
        assert_eq!(resolved.gateways.keys.len(), 1);

        let short = config_with(dir.path(), "a.b.c", "short-secret");
        let e = short.gateway_access().unwrap_err().to_string();
        assert!(e.contains("at least 32 bytes"), "{e}");
        assert!(!e.contains("short-secret"), "{e}");

        let blank = config_with(dir.path(), " \n", &long_key);
        let e = blank.token().unwrap_err().to_string();
        assert!(e.starts_with("the Discord bot token is empty"), "{e}");
        assert!(e.contains("nebula demo"), "{e}");
        // The token is checked on its own: the gateway keys are still readable.
        assert!(blank.gateway_access().is_ok());
    }
}
