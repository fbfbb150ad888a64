//! One trial's world: the simulated panel, the gateway and the shop, each its own process on
//! loopback, with the fake Discord and the payment simulator in this process (they are the
//! outside world; what is killed is ours).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use nebula_bot::demo::Cast;
use nebula_bot::fake::{ADMINISTRATOR, AfterWrite, FakeDiscord};
use nebula_engine::clock::SystemClock;
use nebula_payments::sim::{self, SimPay};

/// The programs a trial runs.
#[derive(Clone, Debug)]
pub struct Bins {
    pub nebula: PathBuf,
    pub gateway: PathBuf,
    pub panel: PathBuf,
}

/// The key the shop signs with and the gateway checks (a test secret).
pub const KEY_ID: &str = "soak-key";
const KEY_SECRET: &str = "soak-secret-of-at-least-32-bytes-long";
/// The simulator's admin password (`SimConfig`'s default).
const PANEL_PASSWORD: &str = "admin-password";

/// A child process that is killed when dropped, so a failing trial leaves nothing behind.
pub struct Proc(Child);

impl Proc {
    /// SIGKILL: the process gets no chance to finish anything.
    pub fn kill(mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }

    /// Whether it exited on its own (it never should).
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.0.try_wait().ok().flatten()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Kills the shop at the worst instant: once armed, the next write the fake Discord or the
/// payment simulator applies (a message, a channel, an invoice) fires it after the write is
/// stored and before the shop hears the answer, so the shop dies not knowing what it made.
#[derive(Default)]
pub struct Tripwire {
    armed: AtomicBool,
    fired: AtomicBool,
    pid: AtomicU32,
}

impl Tripwire {
    pub fn arm(&self) {
        self.fired.store(false, Ordering::SeqCst);
        self.armed.store(true, Ordering::SeqCst);
    }

    /// Disarms it; whether it fired since it was armed.
    pub fn disarm(&self) -> bool {
        self.armed.store(false, Ordering::SeqCst);
        self.fired.load(Ordering::SeqCst)
    }

    pub fn fired(&self) -> bool {
        self.fired.load(Ordering::SeqCst)
    }

    fn fire(&self) {
        if self.armed.swap(false, Ordering::SeqCst) {
            let pid = self.pid.load(Ordering::SeqCst);
            // Synchronously, so the answer that follows goes to a dead process.
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            self.fired.store(true, Ordering::SeqCst);
        }
    }
}

/// A loopback port that was free a moment ago (the child binds it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn log_file(dir: &Path, name: &str) -> Stdio {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(name))
        .map(Stdio::from)
        .unwrap_or_else(|_| Stdio::null())
}

/// The simulated panel: never killed (it is the panel's own process, not ours).
pub struct Panel {
    _proc: Proc,
    pub url: String,
    control: String,
}

impl Panel {
    fn start(bins: &Bins, dir: &Path, chaos: u16, seed: u64) -> Result<Panel, String> {
        let mut child = Command::new(&bins.panel)
            .args(["--chaos", &chaos.to_string(), "--seed", &seed.to_string()])
            .stdout(Stdio::piped())
            .stderr(log_file(dir, "panel.log"))
            .spawn()
            .map_err(|e| format!("start {}: {e}", bins.panel.display()))?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let said: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("the panel said {line:?}: {e}"))?;
        Ok(Panel {
            _proc: Proc(child),
            url: said["url"].as_str().unwrap_or_default().to_owned(),
            control: said["control"].as_str().unwrap_or_default().to_owned(),
        })
    }

    /// The emails of every client the panel holds.
    pub async fn clients(&self) -> Result<Vec<String>, String> {
        reqwest::get(format!("{}/clients", self.control))
            .await
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| e.to_string())
    }

    /// Faults off, for the end of a trial.
    pub async fn calm(&self) -> Result<(), String> {
        reqwest::Client::new()
            .post(format!("{}/calm", self.control))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        Ok(())
    }
}

/// A process we restart on the same config after killing it.
pub struct Restartable {
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(String, String)>,
    log: PathBuf,
    proc: Option<Proc>,
    pub kills: u32,
}

impl Restartable {
    fn spawn(&mut self) -> Result<(), String> {
        let dir = self.log.parent().unwrap_or(Path::new("."));
        let name = self
            .log
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let child = Command::new(&self.program)
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log_file(dir, &name))
            .spawn()
            .map_err(|e| format!("start {}: {e}", self.program.display()))?;
        self.proc = Some(Proc(child));
        Ok(())
    }

    /// SIGKILL, then nothing runs until [`Restartable::spawn`].
    pub fn kill(&mut self) {
        if let Some(p) = self.proc.take() {
            p.kill();
            self.kills += 1;
        }
    }

    fn pid(&self) -> u32 {
        self.proc.as_ref().map_or(0, |p| p.0.id())
    }

    /// Whether it died on its own since it was started.
    pub fn died(&mut self) -> Option<String> {
        let status = self.proc.as_mut()?.exited()?;
        self.proc = None;
        Some(format!(
            "{} exited by itself ({status}); see {}",
            self.program.display(),
            self.log.display()
        ))
    }
}

/// Everything one trial runs.
pub struct World {
    pub discord: Arc<FakeDiscord>,
    pub tripwire: Arc<Tripwire>,
    pub pay: Arc<SimPay>,
    pub panel: Panel,
    pub gateway: Restartable,
    pub gateway_url: String,
    pub shop: Restartable,
    pub database: PathBuf,
    pub cast: Cast,
    pub shoppers: Vec<u64>,
    starts: u32,
}

impl World {
    pub async fn start(
        bins: &Bins,
        dir: &Path,
        chaos: u16,
        seed: u64,
        shoppers: usize,
    ) -> Result<World, String> {
        let panel = Panel::start(bins, dir, chaos, seed)?;
        let gateway_port = free_port();
        let gateway_config = dir.join("gateway.toml");
        std::fs::write(
            &gateway_config,
            format!(
                r#"bind = "127.0.0.1:{gateway_port}"

[auth]
allow = ["127.0.0.0/8"]
rate_limit_per_minute = 100000

[[auth.keys]]
id = "{KEY_ID}"
secret_env = "NEBULA_SOAK_KEY"

[panel]
url = "{panel}"
username = "admin"
password_env = "NEBULA_SOAK_PANEL_PASSWORD"
timeout_secs = 3

[links]
public_host = "fra-1.vpn.example"
default_flow = "xtls-rprx-vision"
"#,
                panel = panel.url,
            ),
        )
        .map_err(|e| e.to_string())?;
        let mut gateway = Restartable {
            program: bins.gateway.clone(),
            args: vec!["run".into(), "--config".into(), path(&gateway_config)],
            env: vec![
                ("NEBULA_SOAK_KEY".into(), KEY_SECRET.into()),
                ("NEBULA_SOAK_PANEL_PASSWORD".into(), PANEL_PASSWORD.into()),
            ],
            log: dir.join("gateway.log"),
            proc: None,
            kills: 0,
        };
        gateway.spawn()?;

        let tripwire = Arc::new(Tripwire::default());
        let discord = Arc::new(FakeDiscord::start().await.map_err(|e| e.to_string())?);
        discord.after_write({
            let tripwire = tripwire.clone();
            move |_| {
                tripwire.fire();
                AfterWrite::Answer
            }
        });
        discord.enable_intents(nebula_bot::fake::MESSAGE_CONTENT);
        discord.grant_bot(nebula_bot::discord::invite::PERMISSIONS.bits());
        let admin_role = discord.add_role("Shop admins", 0);
        let cast = Cast {
            owner: discord.add_member("Olivia (owner)", &[], ADMINISTRATOR),
            admin: discord.add_member("Adam (admin)", &[admin_role], 0),
            other_admin: discord.add_member("Ada (admin)", &[admin_role], 0),
            shopper: 0,
            other_shopper: 0,
            admin_role,
            shop_channel: discord.add_channel("shop", 0),
            review_channel: discord.add_channel("payments-review", 0),
            category: discord.add_channel("orders", 4),
        };
        let shoppers = (0..shoppers)
            .map(|i| discord.add_member(&format!("Shopper {i}"), &[], 0))
            .collect();

        let pay = Arc::new(
            SimPay::start(Arc::new(SystemClock))
                .await
                .map_err(|e| e.to_string())?,
        );
        let sub_port = free_port();
        let public_url = format!("http://127.0.0.1:{sub_port}");
        pay.set_webhooks(
            Some(format!("{public_url}/webhooks/btcpay")),
            Some(format!("{public_url}/webhooks/stripe")),
        );
        pay.after_create({
            let tripwire = tripwire.clone();
            move || tripwire.fire()
        });
        let database = dir.join("nebula.redb");
        let shop_config = dir.join("nebula.toml");
        std::fs::write(
            &shop_config,
            format!(
                r#"database = "{db}"

[discord]
token_env = "NEBULA_SOAK_DISCORD_TOKEN"
guild_id = {guild}
api_base = "{api}"

[gateways]
retry_attempts = 2
timeout_seconds = 3

[[gateways.keys]]
id = "{KEY_ID}"
secret_env = "NEBULA_SOAK_KEY"

[jobs]
poll_seconds = 1

[subscription]
bind = "127.0.0.1:{sub_port}"
public_url = "{public_url}"
per_token_per_minute = 100000
per_address_per_minute = 100000

[payments]
reconcile_minutes = 1
webhooks_per_address_per_minute = 100000

[payments.btcpay]
url = "{pay}"
store_id = "{store}"
api_key_env = "NEBULA_SOAK_BTCPAY_KEY"
webhook_secret_env = "NEBULA_SOAK_BTCPAY_SECRET"

[payments.stripe]
api = "{pay}"
secret_key_env = "NEBULA_SOAK_STRIPE_KEY"
webhook_secret_env = "NEBULA_SOAK_STRIPE_SECRET"
success_url = "https://discord.com/channels/@me"
"#,
                db = database.display(),
                guild = discord.guild_id(),
                api = discord.api_base(),
                pay = pay.url(),
                store = sim::BTCPAY_STORE,
            ),
        )
        .map_err(|e| e.to_string())?;
        let shop = Restartable {
            program: bins.nebula.clone(),
            args: vec!["--config".into(), path(&shop_config), "run".into()],
            env: vec![
                ("NEBULA_SOAK_DISCORD_TOKEN".into(), discord.token()),
                ("NEBULA_SOAK_KEY".into(), KEY_SECRET.into()),
                ("NEBULA_SOAK_BTCPAY_KEY".into(), sim::BTCPAY_KEY.into()),
                (
                    "NEBULA_SOAK_BTCPAY_SECRET".into(),
                    sim::BTCPAY_SECRET.into(),
                ),
                ("NEBULA_SOAK_STRIPE_KEY".into(), sim::STRIPE_KEY.into()),
                (
                    "NEBULA_SOAK_STRIPE_SECRET".into(),
                    sim::STRIPE_SECRET.into(),
                ),
            ],
            log: dir.join("shop.log"),
            proc: None,
            kills: 0,
        };
        let mut world = World {
            discord,
            tripwire,
            pay,
            panel,
            gateway,
            gateway_url: format!("http://127.0.0.1:{gateway_port}"),
            shop,
            database,
            cast,
            shoppers,
            starts: 0,
        };
        world.start_shop().await?;
        Ok(world)
    }

    /// Starts the shop and waits until it is connected to Discord with its commands.
    pub async fn start_shop(&mut self) -> Result<(), String> {
        self.shop.spawn()?;
        self.tripwire.pid.store(self.shop.pid(), Ordering::SeqCst);
        self.starts += 1;
        let started = Instant::now();
        while self.discord.readies() < self.starts || !self.discord.connected() {
            if let Some(died) = self.shop.died() {
                return Err(died);
            }
            if started.elapsed() > Duration::from_secs(60) {
                return Err(format!(
                    "the shop did not connect within a minute; see {}",
                    self.shop.log.display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Ok(())
    }

    /// Starts the gateway again after a kill.
    pub fn start_gateway(&mut self) -> Result<(), String> {
        self.gateway.spawn()
    }

    pub async fn stop(self) {
        self.pay.stop().await;
    }
}

fn path(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}
