//! `nebula demo`, and the stage it plays on (the end-to-end tests use the same stage).
//!
//! Everything runs in one process on loopback with a temporary database: a simulated 3x-ui panel,
//! a real gateway in front of it, a fake Discord, and the shop started by the same code as
//! `nebula run`. A scripted shopper and admin go through a purchase, a decline and a renewal;
//! the demo prints what each of them sees.

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use nebula_engine::clock::ManualClock;
use nebula_gateway::client::{Key, RetryPolicy};
use nebula_gateway::panel::{PanelConfig, PanelCredentials};
use nebula_gateway::server::config::{AuthSettings, LinkSettings, Resolved as GatewayResolved};
use nebula_gateway::sim::{Generation, SimConfig, SimPanel};
use serde_json::{Value, json};

use crate::app::{self, Running};
use crate::config::{GatewayAccess, Resolved, ShopSection};
use crate::discord::qr;
use crate::fake::{ADMINISTRATOR, FakeDiscord, Found};

/// The signing key id the stage's shop and gateway share.
pub const KEY_ID: &str = "demo-key";
/// The signing key's secret (a test secret; never use it elsewhere).
pub const KEY_SECRET: &[u8] = b"demo-secret-of-at-least-32-bytes-long";
/// How long a step may take before something is wrong.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Who is on the stage.
pub struct Cast {
    pub owner: u64,
    pub admin: u64,
    pub other_admin: u64,
    pub shopper: u64,
    pub other_shopper: u64,
    pub admin_role: u64,
    pub shop_channel: u64,
    pub review_channel: u64,
    pub category: u64,
}

/// A whole shop on loopback.
pub struct Stage {
    pub discord: FakeDiscord,
    pub panel: SimPanel,
    pub gateway: nebula_gateway::server::Running,
    pub clock: Arc<ManualClock>,
    pub config: Resolved,
    pub cast: Cast,
    pub shop: Option<Running>,
    /// Simulated BTCPay, Stripe and TRON: the shop's automatic payments go here.
    pub pay: nebula_payments::sim::SimPay,
    starts: u32,
    _dir: tempfile::TempDir,
}

/// The demo's payment providers: all three simulators.
fn demo_payments(pay: &nebula_payments::sim::SimPay) -> crate::config::PaymentsConfig {
    use nebula_payments::sim;
    let (contract, address) = sim::tron_addresses();
    crate::config::PaymentsConfig {
        providers: nebula_payments::Providers {
            btcpay: Some(nebula_payments::btcpay::BtcpaySettings {
                url: pay.url(),
                store_id: sim::BTCPAY_STORE.into(),
                api_key: sim::BTCPAY_KEY.into(),
                webhook_secret: sim::BTCPAY_SECRET.into(),
                tolerance: jiff::SignedDuration::from_hours(2),
            }),
            stripe: Some(nebula_payments::stripe::StripeSettings {
                api: pay.url(),
                secret_key: sim::STRIPE_KEY.into(),
                webhook_secret: sim::STRIPE_SECRET.into(),
                success_url: "https://discord.com/channels/@me".into(),
            }),
            tron: Some(nebula_payments::tron::TronSettings {
                api: pay.url(),
                api_key: None,
                address,
                contract,
                symbol: "USDT".into(),
                decimals: 6,
                token_price: nebula_engine::money::Money::parse("49.50 EGP", None)
                    .expect("a price"),
                rounding: nebula_payments::amount::Rounding::Up,
                confirmations: None,
            }),
        },
        bind: None,
        reconcile_every: Duration::from_secs(3600),
        webhooks_per_address_per_minute: 10_000,
    }
}

fn options(values: &[(&str, Value)]) -> Value {
    Value::Array(
        values
            .iter()
            .map(|(name, value)| json!({"name": name, "type": option_type(value), "value": value}))
            .collect(),
    )
}

fn option_type(v: &Value) -> u8 {
    match v {
        Value::Number(_) => 4,
        Value::Bool(_) => 5,
        _ => 3,
    }
}

/// A sub-command with its options.
pub fn sub(name: &str, values: &[(&str, Value)]) -> Value {
    json!([{"name": name, "type": 1, "options": options(values)}])
}

/// The subscription service on a free loopback port (its URL must be known before it starts).
fn demo_subscription_settings() -> Result<crate::subscription::SubscriptionSettings, String> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    Ok(crate::subscription::SubscriptionSettings {
        bind: ([127, 0, 0, 1], port).into(),
        public_url: format!("http://127.0.0.1:{port}"),
        title: "NebulaLinks demo".into(),
        support_url: Some("https://discord.com/channels/demo".into()),
        update_hours: 12,
        tls: None,
        per_token_per_minute: 30,
        per_address_per_minute: 600,
        trust_forwarded_for: false,
        hwid_required: false,
    })
}

impl Stage {
    pub async fn start() -> Result<Stage, String> {
        Stage::start_with(ShopSection::default()).await
    }

    pub async fn start_with(shop: ShopSection) -> Result<Stage, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let panel = SimPanel::start(SimConfig::new(Generation::V3))
            .await
            .map_err(|e| e.to_string())?;
        let gateway = nebula_gateway::server::start(GatewayResolved {
            bind: "127.0.0.1:0".parse().expect("addr"),
            tls: None,
            metrics: Some("127.0.0.1:0".parse().expect("addr")),
            auth: AuthSettings {
                keys: [(KEY_ID.to_owned(), KEY_SECRET.to_vec())].into(),
                allow: vec!["127.0.0.0/8".parse().expect("cidr")],
                trusted_proxies: vec![],
                rate_limit_per_minute: 100_000,
                max_body_bytes: 65_536,
            },
            panel: PanelConfig {
                url: panel.url(),
                credentials: PanelCredentials::Login {
                    username: "admin".into(),
                    password: "admin-password".into(),
                },
                api: None,
                timeout: Duration::from_secs(5),
                accept_invalid_certs: false,
                login_cooldown: Duration::from_secs(90),
            },
            links: LinkSettings {
                public_host: "fra-1.vpn.example".into(),
                subscription_base: None,
                default_flow: Some("xtls-rprx-vision".into()),
            },
        })
        .await
        .map_err(|e| e.to_string())?;

        let discord = FakeDiscord::start().await.map_err(|e| e.to_string())?;
        // What the set-up guide has the operator do: switch on the Message Content intent, and
        // add the bot with the invite link's permissions.
        discord.enable_intents(crate::fake::MESSAGE_CONTENT);
        discord.grant_bot(crate::discord::invite::PERMISSIONS.bits());
        let admin_role = discord.add_role("Shop admins", 0);
        let owner = discord.add_member("Olivia (owner)", &[], ADMINISTRATOR);
        let admin = discord.add_member("Adam (admin)", &[admin_role], 0);
        let other_admin = discord.add_member("Ada (admin)", &[admin_role], 0);
        let shopper = discord.add_member("Sara (shopper)", &[], 0);
        let other_shopper = discord.add_member("Sam (shopper)", &[], 0);
        let shop_channel = discord.add_channel("shop", 0);
        let review_channel = discord.add_channel("payments-review", 0);
        let category = discord.add_channel("orders", 4);

        let config = Resolved {
            database: dir.path().join("nebula.redb"),
            token: discord.token(),
            guild_id: discord.guild_id(),
            api_base: Some(discord.api_base()),
            settings: shop.engine_settings(),
            jobs: nebula_engine::jobs::JobsConfig::default(),
            job_poll: Duration::from_millis(100),
            gateways: GatewayAccess {
                keys: vec![Key::new(KEY_ID, KEY_SECRET)],
                retry: RetryPolicy {
                    attempts: 2,
                    ..RetryPolicy::default()
                },
                roots: vec![],
            },
            subscription: None,
            payments: None,
            metrics: Some((([127, 0, 0, 1], 0).into(), Duration::from_millis(200))),
            language: shop.locale().map_err(|e| e.to_string())?,
        };
        let clock = Arc::new(ManualClock::new(Timestamp::now()));
        let pay = nebula_payments::sim::SimPay::start(clock.clone())
            .await
            .map_err(|e| e.to_string())?;
        let subscription = demo_subscription_settings()?;
        pay.set_webhooks(
            Some(format!("{}/webhooks/btcpay", subscription.public_url)),
            Some(format!("{}/webhooks/stripe", subscription.public_url)),
        );
        let config = Resolved {
            subscription: Some(subscription),
            payments: Some(demo_payments(&pay)),
            ..config
        };
        let cast = Cast {
            owner,
            admin,
            other_admin,
            shopper,
            other_shopper,
            admin_role,
            shop_channel,
            review_channel,
            category,
        };
        let mut stage = Stage {
            discord,
            panel,
            gateway,
            clock,
            config,
            cast,
            shop: None,
            pay,
            starts: 0,
            _dir: dir,
        };
        stage.start_shop().await?;
        stage.setup().await?;
        Ok(stage)
    }

    /// Starts the shop as `nebula run` does, and waits until it is connected.
    pub async fn start_shop(&mut self) -> Result<(), String> {
        let running = app::start(&self.config, self.clock.clone())
            .await
            .map_err(|e| e.to_string())?;
        self.shop = Some(running);
        self.starts += 1;
        self.discord.wait_ready(self.starts).await;
        Ok(())
    }

    /// Stops the shop (the fake Discord, the gateway and the panel go on).
    pub async fn stop_shop(&mut self) {
        if let Some(running) = self.shop.take() {
            running.stop().await;
        }
    }

    /// Stops the shop and starts it again on the same database.
    pub async fn restart_shop(&mut self) -> Result<(), String> {
        if let Some(running) = self.shop.take() {
            running.stop().await;
        }
        self.start_shop().await
    }

    pub fn shop(&self) -> &nebula_engine::Shop {
        &self.shop.as_ref().expect("the shop is running").shop
    }

    /// Where the shop's and the gateway's metrics are served (one recorder per process: in
    /// the stage both show everything).
    pub fn metrics_urls(&self) -> (String, String) {
        let shop = self
            .shop
            .as_ref()
            .and_then(|r| r.metrics_addr())
            .expect("the stage's shop serves metrics");
        let gateway = self
            .gateway
            .metrics_addr()
            .expect("the stage's gateway serves metrics");
        (
            format!("http://{shop}/metrics"),
            format!("http://{gateway}/metrics"),
        )
    }

    /// Waits for an interaction's answer and returns its text.
    pub async fn answer(&self, token: &str) -> String {
        self.answer_where(token, |_| true).await
    }

    /// The answer to `token` once it says what `ready` looks for (an answer may be edited
    /// when something done elsewhere is ready, as the order channel's link is).
    pub async fn answer_where(&self, token: &str, ready: impl Fn(&str) -> bool) -> String {
        self.discord
            .wait_for(&format!("an answer to {token}"), PATIENCE, |d| {
                let log = d.interaction(token)?;
                // A deferred answer counts once edited.
                if log.kind() == Some(5) && log.edited.is_none() {
                    return None;
                }
                (!log.callbacks.is_empty())
                    .then(|| log.data().map(|d| describe(&d)).unwrap_or_default())
                    .filter(|said| ready(said))
            })
            .await
    }

    /// Runs a slash command as `user` and returns the answer as a person reads it.
    pub async fn command(
        &self,
        user: u64,
        name: &str,
        options: Value,
        resolved: Option<Value>,
    ) -> String {
        let token = self
            .discord
            .command(user, self.cast.review_channel, name, options, resolved);
        self.answer(&token).await
    }

    /// The owner runs `/setup` with the cast's channels and admin role; returns the answer.
    pub async fn run_setup(&self) -> String {
        let (setup, resolved) = setup_command(&self.cast);
        self.command(self.cast.owner, "setup", setup, Some(resolved))
            .await
    }

    /// `/setup`, then a plan, a payment method and a server, all through slash commands.
    async fn setup(&self) -> Result<(), String> {
        let c = &self.cast;
        // The admins answer in the shop's language (their Discord clients are in English (US),
        // which does not outvote it), so what they expect is said in it.
        let l = self.config.language;
        let said = self.run_setup().await;
        expect(&said, &crate::tr!(l, "admin-setup-done"))?;
        // /setup tells the owner that the admin role cannot reach the admin commands yet; the
        // owner adds it in Server Settings → Integrations, as the guide says.
        if !said.contains(&format!("<@&{}>", c.admin_role)) {
            return Err(format!(
                "/setup did not say how to reach the admin commands: {said}"
            ));
        }
        self.discord
            .set_command_permissions(None, &[(c.admin_role, 1, true)]);
        let plan = plan_month();
        expect(
            &self.command(c.admin, "plan", plan, None).await,
            &crate::tr!(
                l,
                "admin-plan-added",
                id = "month-50gb",
                name = "Month, 50 GB",
                price = crate::i18n::format::money(
                    l,
                    nebula_engine::money::Money::new(
                        25_000,
                        nebula_engine::money::Currency::from_code("EGP").expect("a currency"),
                    ),
                ),
            ),
        )?;
        let method = wallet_method();
        expect(
            &self.command(c.admin, "method", method, None).await,
            &crate::tr!(
                l,
                "admin-method-added",
                id = "wallet",
                label = "Mobile wallet"
            ),
        )?;
        let server = server_fra1(&format!("http://{}", self.gateway.addr), KEY_ID);
        expect(
            &self.command(c.admin, "server", server, None).await,
            &crate::tr!(l, "admin-server-added", id = "fra-1", region = "eu"),
        )?;
        self.discord
            .wait_for("the shop panel with the plan", PATIENCE, |d| {
                d.messages(c.shop_channel)
                    .iter()
                    .any(|m| m.to_string().contains("Month, 50 GB"))
                    .then_some(())
            })
            .await;
        Ok(())
    }

    /// The Buy access button on the shop panel.
    pub fn buy_button(&self) -> Found {
        self.discord
            .find_component(self.cast.shop_channel, "shop:buy")
            .expect("the shop panel has Buy access")
    }

    /// Clicks Buy access and picks the first plan; returns (order channel, the answer text).
    pub async fn buy(&self, shopper: u64) -> (u64, String) {
        let token = self.discord.click(shopper, &self.buy_button());
        self.answer(&token).await;
        let picker = self
            .discord
            .find_in_answer(&token, "plan")
            .expect("a plan picker");
        let token = self.discord.select(shopper, &picker, &["month-50gb"]);
        self.order_opened(&token).await
    }

    /// The answer to an interaction that opened an order: (its channel, the answer text). The
    /// answer comes at once and is edited to link the channel once the outbox has made it.
    pub async fn order_opened(&self, token: &str) -> (u64, String) {
        let said = self.answer_where(token, |said| said.contains("<#")).await;
        let channel = said
            .split("<#")
            .nth(1)
            .and_then(|rest| rest.split('>').next())
            .and_then(|id| id.parse().ok())
            .expect("the answer links the order channel");
        (channel, said)
    }

    /// Moves the shop's clock by `first` and waits until `check` finds what the jobs should have
    /// done, moving the clock on by `then` every half second meanwhile. A job still running when
    /// the clock jumps skips that tick (it is never started twice), so a scenario that needs its
    /// next run lets time go on, as it does in a real shop.
    pub async fn advance_until<T>(
        &self,
        what: &str,
        first: jiff::SignedDuration,
        then: jiff::SignedDuration,
        mut check: impl AsyncFnMut(&Stage) -> Option<T>,
    ) -> T {
        self.clock.advance(first);
        let started = std::time::Instant::now();
        let mut moved = started;
        loop {
            if let Some(found) = check(self).await {
                return found;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "timed out waiting for {what} ({:?})",
                self.discord.problems()
            );
            if moved.elapsed() >= Duration::from_millis(500) {
                self.clock.advance(then);
                moved = std::time::Instant::now();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Waits for a message in a channel whose text contains `needle`.
    pub async fn wait_message(&self, channel: u64, needle: &str) -> Value {
        self.discord
            .wait_for(
                &format!("\"{needle}\" in channel {channel}"),
                PATIENCE,
                |d| {
                    d.messages(channel)
                        .into_iter()
                        .rev()
                        .find(|m| m.to_string().contains(needle))
                },
            )
            .await
    }

    /// Waits for a button in a channel.
    pub async fn wait_button(&self, channel: u64, prefix: &str) -> Found {
        self.discord
            .wait_for(&format!("a {prefix} button in {channel}"), PATIENCE, |d| {
                d.find_component(channel, prefix)
            })
            .await
    }

    /// Chooses the payment method in an order channel.
    pub async fn choose_method(&self, shopper: u64, channel: u64) -> String {
        let method = self.wait_button(channel, "method:").await;
        let token = self.discord.click(shopper, &method);
        self.answer(&token).await
    }

    /// Uploads a screenshot (a small PNG, different for each `seed`).
    pub fn upload_screenshot(&self, user: u64, channel: u64, seed: &str) {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(seed.as_bytes());
        let file = self.discord.attachment("payment.png", "image/png", png);
        self.discord
            .post(user, channel, "here is my payment", vec![file]);
    }

    /// The review message for an order code, once posted.
    pub async fn review_of(&self, code: &str) -> Value {
        self.wait_message(self.cast.review_channel, &format!("Order {code}"))
            .await
    }

    /// Clicks a button of a message in the review channel.
    pub fn click_review(&self, user: u64, review: &Value, prefix: &str) -> String {
        let custom_id = custom_id_in(review, prefix).expect("the review has the button");
        let found = Found {
            channel: self.cast.review_channel,
            message: review.clone(),
            custom_id,
        };
        self.discord.click(user, &found)
    }

    pub async fn stop(mut self) {
        if let Some(running) = self.shop.take() {
            running.stop().await;
        }
        self.gateway.stop().await;
        self.panel.stop().await;
        self.pay.stop().await;
    }

    /// Chooses the payment method `method` in an order channel.
    pub async fn choose_method_named(&self, shopper: u64, channel: u64, method: &str) -> String {
        let first = self.wait_button(channel, "method:").await;
        let order = first
            .custom_id
            .split(':')
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let found = self
            .wait_button(channel, &format!("method:{order}:{method}"))
            .await;
        let token = self.discord.click(shopper, &found);
        self.answer(&token).await
    }

    /// Adds a payment method paid automatically through `provider` (as an admin would).
    pub async fn add_automatic_method(
        &self,
        id: &str,
        label: &str,
        provider: &str,
    ) -> Result<(), String> {
        expect(
            &self
                .command(
                    self.cast.admin,
                    "method",
                    automatic_method(id, label, provider),
                    None,
                )
                .await,
            "Added payment method",
        )
    }
}

/// `/setup`'s options and resolved data for the cast's channels and admin role.
pub fn setup_command(c: &Cast) -> (Value, Value) {
    let resolved = json!({
        "channels": {
            c.shop_channel.to_string(): {"id": c.shop_channel.to_string(), "name": "shop", "type": 0, "permissions": "0"},
            c.review_channel.to_string(): {"id": c.review_channel.to_string(), "name": "payments-review", "type": 0, "permissions": "0"},
            c.category.to_string(): {"id": c.category.to_string(), "name": "orders", "type": 4, "permissions": "0"},
        },
        "roles": {c.admin_role.to_string(): crate::fake::payloads::role(c.admin_role, "Shop admins", 0, 1)},
    });
    let setup = json!([
        {"name": "shop_channel", "type": 7, "value": c.shop_channel.to_string()},
        {"name": "review_channel", "type": 7, "value": c.review_channel.to_string()},
        {"name": "order_category", "type": 7, "value": c.category.to_string()},
        {"name": "admin_role", "type": 8, "value": c.admin_role.to_string()},
    ]);
    (setup, resolved)
}

/// `/plan add` for the stage's plan: a month with 50 GB for 250 EGP (`month-50gb`).
pub fn plan_month() -> Value {
    sub(
        "add",
        &[
            ("id", json!("month-50gb")),
            ("name", json!("Month, 50 GB")),
            ("days", json!(30)),
            ("traffic_gb", json!(50)),
            ("devices", json!(2)),
            ("price", json!("250 EGP")),
            ("sort", json!(1)),
        ],
    )
}

/// `/method add` for the stage's manual method: a mobile wallet, paid with a screenshot.
pub fn wallet_method() -> Value {
    sub(
        "add",
        &[
            ("id", json!("wallet")),
            ("label", json!("Mobile wallet")),
            ("kind", json!("mobile_wallet")),
            (
                "instructions",
                json!("Send {amount} to 0100 000 0000 with the note {order}."),
            ),
        ],
    )
}

/// `/method add` for a method paid automatically through `provider`.
pub fn automatic_method(id: &str, label: &str, provider: &str) -> Value {
    sub(
        "add",
        &[
            ("id", json!(id)),
            ("label", json!(label)),
            ("kind", json!("crypto")),
            ("instructions", json!("Pay {amount} for order {order}.")),
            ("provider", json!(provider)),
        ],
    )
}

/// `/server add` for the stage's server, `fra-1`, behind the gateway at `gateway_url`.
pub fn server_fra1(gateway_url: &str, key_id: &str) -> Value {
    sub(
        "add",
        &[
            ("id", json!("fra-1")),
            ("name", json!("Frankfurt 1")),
            ("region", json!("eu")),
            ("gateway_url", json!(gateway_url)),
            ("key_id", json!(key_id)),
            ("inbound_id", json!(1)),
            ("public_host", json!("fra-1.vpn.example")),
            ("capacity", json!(500)),
        ],
    )
}

fn expect(said: &str, start: &str) -> Result<(), String> {
    if said.starts_with(start) {
        Ok(())
    } else {
        Err(format!("expected \"{start}…\", got \"{said}\""))
    }
}

/// The `custom_id` of a message's first component that starts with `prefix`.
pub fn custom_id_in(message: &Value, prefix: &str) -> Option<String> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .find_map(|c| {
            c["custom_id"]
                .as_str()
                .filter(|id| id.starts_with(prefix))
                .map(str::to_owned)
        })
}

/// `/plan add` for a free three-day trial (`trial-3d`).
pub fn trial_plan() -> Value {
    sub(
        "add",
        &[
            ("id", json!("trial-3d")),
            ("name", json!("Trial, 3 days")),
            ("days", json!(3)),
            ("traffic_gb", json!(1)),
            ("devices", json!(1)),
            ("price", json!("0 EGP")),
            ("trial", json!(true)),
        ],
    )
}

/// The order code in a text (`NL-XXXXXXXX`).
pub fn order_code(text: &str) -> Option<String> {
    let at = text.find("NL-")?;
    Some(text[at..].chars().take(11).collect())
}

/// A message as a person reads it: content, embeds, buttons, files.
pub fn describe(message: &Value) -> String {
    let mut out = Vec::new();
    if let Some(c) = message["content"].as_str().filter(|c| !c.is_empty()) {
        out.push(c.to_owned());
    }
    for e in message["embeds"].as_array().into_iter().flatten() {
        if let Some(t) = e["title"].as_str() {
            out.push(format!("[{t}]"));
        }
        if let Some(d) = e["description"].as_str() {
            out.push(d.to_owned());
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            out.push(format!(
                "{}: {}",
                f["name"].as_str().unwrap_or(""),
                f["value"].as_str().unwrap_or("")
            ));
        }
        if let Some(f) = e["footer"]["text"].as_str() {
            out.push(f.to_owned());
        }
    }
    let buttons: Vec<String> = message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|c| {
            let label = c["label"]
                .as_str()
                .or(c["placeholder"].as_str())
                .unwrap_or("?");
            match c["options"].as_array() {
                Some(opts) => format!(
                    "<select: {}>",
                    opts.iter()
                        .filter_map(|o| o["label"].as_str())
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
                None => format!("[ {label} ]"),
            }
        })
        .collect();
    if !buttons.is_empty() {
        out.push(buttons.join(" "));
    }
    for a in message["attachments"].as_array().into_iter().flatten() {
        out.push(format!("(file: {})", a["filename"].as_str().unwrap_or("?")));
    }
    out.join("\n")
}

fn show(who: &str, text: &str) {
    println!("\n── {who} sees ──");
    for line in text.lines() {
        println!("  {line}");
    }
}

/// The link inside an access message.
fn link_in(message: &Value) -> Option<String> {
    let text = message.to_string();
    let at = text.find("vless://")?;
    Some(
        text[at..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '\\' && *c != '"')
            .collect(),
    )
}

/// The personal subscription URL inside an access message.
pub fn sub_url_in(message: &Value) -> Option<String> {
    let text = message.to_string();
    text.match_indices("http")
        .map(|(at, _)| {
            text[at..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || ":/._-".contains(*c))
                .collect::<String>()
        })
        .find(|url| url.contains("/sub/"))
}

/// What Sara's apps get from her subscription URL: v2rayNG the link list, Clash Verge a
/// profile, each with the headers apps read.
async fn show_fetches(url: &str) -> Result<(), String> {
    use base64::Engine;
    println!("\n━━ Sara's app refreshes her subscription URL ━━");
    let client = reqwest::Client::new();
    for (app, ua) in [
        ("v2rayNG", "v2rayNG/1.10.2"),
        ("Clash Verge", "clash-verge/v2.2.3"),
    ] {
        let res = client
            .get(url)
            .header("user-agent", ua)
            .send()
            .await
            .map_err(|e| format!("fetching the subscription: {e}"))?;
        let mut lines = vec![format!("HTTP {}", res.status())];
        for name in [
            "subscription-userinfo",
            "profile-update-interval",
            "profile-title",
        ] {
            if let Some(v) = res.headers().get(name).and_then(|v| v.to_str().ok()) {
                lines.push(format!("{name}: {v}"));
            }
        }
        let body = res.text().await.map_err(|e| e.to_string())?;
        lines.push(String::new());
        match app {
            "v2rayNG" => {
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(body.trim())
                    .map_err(|e| format!("the link list is not base64: {e}"))?;
                lines.extend(String::from_utf8_lossy(&decoded).lines().map(str::to_owned));
            }
            _ => lines.extend(
                body.lines()
                    .take(14)
                    .map(str::to_owned)
                    .chain(["…".to_owned()]),
            ),
        }
        show(&format!("{app} ({ua})"), &lines.join("\n"));
    }
    Ok(())
}

/// The scripted demo.
pub async fn run() -> Result<(), String> {
    println!(
        "NebulaLinks demo: a simulated 3x-ui panel, a real gateway, a fake Discord and the shop, all on loopback."
    );
    let stage = Stage::start().await?;
    let c = &stage.cast;
    println!(
        "An owner ran /setup; an admin added a plan, a payment method and a server with slash commands."
    );
    show(
        "everyone, in #shop",
        &describe(&stage.discord.messages(c.shop_channel)[0]),
    );

    // 1. A purchase.
    println!("\n━━ 1. Sara buys a month ━━");
    let (channel, said) = stage.buy(c.shopper).await;
    show("Sara (ephemeral)", &said);
    let code = order_code(&said).ok_or("no order code")?;
    show(
        "Sara, in her order channel",
        &describe(&stage.wait_button(channel, "method:").await.message),
    );
    show(
        "Sara (ephemeral)",
        &stage.choose_method(c.shopper, channel).await,
    );
    show(
        "Sara, in her order channel",
        &describe(&stage.wait_message(channel, "Pay with").await),
    );
    stage.upload_screenshot(c.shopper, channel, "sara-month-1");
    show(
        "Sara, in her order channel",
        &describe(&stage.wait_message(channel, "Under review").await),
    );
    let review = stage.review_of(&code).await;
    show("the admins, in #payments-review", &describe(&review));
    let token = stage.click_review(c.admin, &review, "approve:");
    show("Adam (ephemeral)", &stage.answer(&token).await);
    let access = stage.wait_message(channel, "Your access is ready").await;
    show("Sara, in her order channel", &describe(&access));
    let link = link_in(&access).ok_or("no link in the access message")?;
    let sub_url = sub_url_in(&access).ok_or("no subscription URL in the access message")?;
    println!("\n  The QR code Sara scans (her subscription URL):\n");
    println!("{}", qr::text(&sub_url).unwrap_or_default());
    let dm = stage
        .discord
        .wait_for("the DM", PATIENCE, |d| d.dms_to(c.shopper).first().cloned())
        .await;
    show("Sara, by DM", &describe(&dm));
    show_fetches(&sub_url).await?;

    // 2. A decline.
    println!("\n━━ 2. Sam pays with a screenshot of the wrong amount ━━");
    let (sam_channel, said) = stage.buy(c.other_shopper).await;
    show("Sam (ephemeral)", &said);
    let sam_code = order_code(&said).ok_or("no order code")?;
    stage.choose_method(c.other_shopper, sam_channel).await;
    stage.upload_screenshot(c.other_shopper, sam_channel, "sam-wrong-amount");
    let review = stage.review_of(&sam_code).await;
    let token = stage.click_review(c.admin, &review, "decline:");
    stage.answer(&token).await;
    println!("\n  Adam clicks Decline; a form asks for the reason.");
    let token = stage.discord.submit_modal(
        c.admin,
        c.review_channel,
        &format!("decline-modal:{}", review_order(&review)),
        &[(
            "reason",
            "The amount is 200.00 EGP; the plan costs 250.00 EGP.",
        )],
    );
    show("Adam (ephemeral)", &stage.answer(&token).await);
    show(
        "Sam, in his order channel",
        &describe(&stage.wait_message(sam_channel, "Payment declined").await),
    );

    // 3. A renewal that keeps the link.
    println!("\n━━ 3. Sara renews: same client, same link ━━");
    let subs = stage.discord.click(
        c.shopper,
        &stage
            .discord
            .find_component(c.shop_channel, "shop:subs")
            .ok_or("no My subscriptions")?,
    );
    stage.answer(&subs).await;
    let renew = stage
        .discord
        .find_in_answer(&subs, "renew:")
        .ok_or("no Renew button")?;
    let token = stage.discord.click(c.shopper, &renew);
    let (renewal_channel, said) = stage.order_opened(&token).await;
    show("Sara (ephemeral)", &said);
    let renewal_code = order_code(&said).ok_or("no order code")?;
    stage.choose_method(c.shopper, renewal_channel).await;
    stage.upload_screenshot(c.shopper, renewal_channel, "sara-month-2");
    let review = stage.review_of(&renewal_code).await;
    let token = stage.click_review(c.other_admin, &review, "approve:");
    stage.answer(&token).await;
    let renewed = stage
        .wait_message(renewal_channel, "Your access is renewed")
        .await;
    show("Sara, in her renewal channel", &describe(&renewed));
    let same = link_in(&renewed).as_deref() == Some(link.as_str());
    println!(
        "\n  The renewed link is {} the first one.",
        if same {
            "the same as"
        } else {
            "DIFFERENT from"
        }
    );
    if !same {
        return Err("a renewal changed the link".into());
    }

    // 4. An automatic payment: no screenshot, no admin.
    println!("\n━━ 4. Sam pays with BTCPay: no screenshot, no admin ━━");
    stage
        .add_automatic_method("btcpay", "Bitcoin (BTCPay)", "btcpay")
        .await?;
    println!("  Adam added a method paid through BTCPay Server (/method add provider:btcpay).");
    let (auto_channel, said) = stage.buy(c.other_shopper).await;
    show("Sam (ephemeral)", &said);
    show(
        "Sam (ephemeral)",
        &stage
            .choose_method_named(c.other_shopper, auto_channel, "btcpay")
            .await,
    );
    let checkout = stage
        .wait_message(auto_channel, "Pay 250.00 EGP with Bitcoin (BTCPay)")
        .await;
    show("Sam, in his order channel", &describe(&checkout));
    let invoice = stage
        .pay
        .invoices()
        .last()
        .cloned()
        .ok_or("no BTCPay invoice was opened")?;
    let delivery = stage
        .pay
        .settle(&invoice)
        .await
        .ok_or("the invoice could not be paid")?;
    println!(
        "\n  Sam pays the invoice on BTCPay's page; BTCPay sends InvoiceSettled, signed (the shop answered {}).",
        delivery.status.map_or("nothing".into(), |s| s.to_string())
    );
    show(
        "Sam, in his order channel",
        &describe(&stage.wait_message(auto_channel, "Payment received").await),
    );
    let auto_access = stage
        .wait_message(auto_channel, "Your access is ready")
        .await;
    show("Sam, in his order channel", &describe(&auto_access));
    let replay = stage.pay.redeliver(&delivery).await;
    println!(
        "\n  The same webhook again (a replay): the shop answers {} and changes nothing.",
        replay.status.map_or("nothing".into(), |s| s.to_string())
    );

    let problems = stage.discord.problems();
    if !problems.is_empty() {
        return Err(format!(
            "real Discord would not have taken this from the bot: {problems:?}"
        ));
    }
    println!(
        "\nThe panel holds {} client(s); the gateway logged in to it {} time(s). Done.",
        stage.panel.client_count(),
        stage.panel.logins()
    );
    stage.stop().await;
    Ok(())
}

/// The order id in a review message's buttons.
pub fn review_order(review: &Value) -> String {
    review
        .to_string()
        .split("approve:")
        .nth(1)
        .map(|s| s.chars().take(26).collect())
        .unwrap_or_default()
}
