//! `nebula run`: the engine, the policies, the gateway client, the outbox worker, the jobs and the
//! Discord connection, started together and stopped gracefully.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use nebula_engine::clock::Clock;
use nebula_engine::jobs::{Jobs, Scheduler};
use nebula_engine::outbox::worker::OutboxWorker;
use nebula_engine::{Settings, Shop, ShopError};
use nebula_gateway::client::ClientError;
use nebula_plugins::{InstallError, Limits, PolicyAdmin, PolicyHost};
use serenity::all::{ClientBuilder, GatewayIntents, GuildId, HttpBuilder, ShardManager};
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use tracing::{error, info};

use crate::config::Resolved;
use crate::discord::effects::DiscordExecutor;
use crate::discord::handler::{Bot, Handler};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("the database: {0}")]
    Shop(#[from] ShopError),
    #[error("the policies: {0}")]
    Policies(#[from] InstallError),
    #[error("the policy host: {0}")]
    Host(String),
    #[error("the gateway client: {0}")]
    Gateway(#[from] ClientError),
    #[error("Discord: {0}")]
    Discord(#[from] serenity::Error),
    #[error("the subscription service: {0}")]
    Subscriptions(#[from] crate::subscription::StartError),
    #[error("the payment providers: {0}")]
    Payments(#[from] nebula_payments::ProviderError),
    #[error("the metrics listener: {0}")]
    Metrics(String),
}

/// The engine with its policies: what every command of `nebula` that touches the database needs.
pub async fn open_shop(
    database: &Path,
    settings: Settings,
    clock: Arc<dyn Clock>,
) -> Result<(Shop, PolicyAdmin), AppError> {
    let host =
        Arc::new(PolicyHost::new(Limits::default()).map_err(|e| AppError::Host(e.to_string()))?);
    let shop = Shop::open(database, host.clone(), clock, settings).await?;
    let policies = PolicyAdmin::new(host, shop.clone());
    policies.bootstrap().await?;
    Ok((shop, policies))
}

/// A running shop.
pub struct Running {
    pub shop: Shop,
    pub policies: PolicyAdmin,
    /// Why the Discord connection ended for good, when Discord refused it (a bad token, an
    /// intent switched off): said once, in the operator's words.
    discord_ended: Option<oneshot::Receiver<String>>,
    shutdown: watch::Sender<bool>,
    shards: Arc<ShardManager>,
    tasks: Vec<JoinHandle<()>>,
    /// The subscription service, when configured.
    pub subscriptions: Option<crate::subscription::Running>,
    /// The metrics listener, when configured.
    metrics: Option<nebula_common::metrics::MetricsListener>,
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    let _ = rx.wait_for(|stop| *stop).await;
}

/// Starts everything; returns once the Discord connection is being established.
pub async fn start(config: &Resolved, clock: Arc<dyn Clock>) -> Result<Running, AppError> {
    let (shop, policies) =
        open_shop(&config.database, config.settings.clone(), clock.clone()).await?;
    let gateway = config.gateways.client()?;
    let guild = GuildId::new(config.guild_id.max(1));
    let executor = Arc::new(
        DiscordExecutor::new(shop.clone(), guild)
            .with_subscription_urls(config.subscription.clone())
            .with_language(config.language),
    );
    let payments = match &config.payments {
        Some(p) => Some(nebula_payments::Payments::new(
            p.providers.clone(),
            clock.clone(),
        )?),
        None => None,
    };
    let bot = Arc::new(Bot {
        shop: shop.clone(),
        policies: policies.clone(),
        gateway: gateway.clone(),
        guild,
        executor: executor.clone(),
        payments: payments.clone(),
    });

    let mut http = HttpBuilder::new(&config.token);
    if let Some(base) = &config.api_base {
        // A fake Discord: serenity only honours the proxy with its rate limiter off.
        http = http
            .proxy(base.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let intents = GatewayIntents::GUILDS
        | GatewayIntents::GUILD_MESSAGES
        | GatewayIntents::MESSAGE_CONTENT
        | GatewayIntents::DIRECT_MESSAGES;
    let mut client = ClientBuilder::new_with_http(http.build(), intents)
        .event_handler(Handler(bot))
        .await?;
    executor.attach(client.http.clone());
    let shards = client.shard_manager.clone();

    let (shutdown, rx) = watch::channel(false);
    let mut tasks = Vec::new();
    let gateway = Arc::new(gateway);
    let mut worker = OutboxWorker::new(shop.clone(), executor, gateway.clone());
    if let Some(payments) = &payments {
        worker = worker.with_checkouts(Arc::new(payments.clone()));
    }
    tasks.push(tokio::spawn(worker.run(stopped(rx.clone()))));
    if let (Some(payments), Some(p)) = (&payments, &config.payments) {
        tasks.push(tokio::spawn(reconcile_payments(
            shop.clone(),
            payments.clone(),
            p.reconcile_every,
            stopped(rx.clone()),
        )));
    }
    let scheduler = Scheduler::new(Jobs::new(shop.clone(), gateway, config.jobs.clone()));
    tasks.push(tokio::spawn(
        scheduler.run(config.job_poll, stopped(rx.clone())),
    ));
    tasks.push(tokio::spawn(crate::control::serve(
        shop.clone(),
        crate::control::socket_path(&config.database),
        stopped(rx.clone()),
    )));
    let webhooks = payments
        .as_ref()
        .zip(config.payments.as_ref())
        .map(|(payments, p)| crate::subscription::Webhooks {
            payments: payments.clone(),
            per_address_per_minute: p.webhooks_per_address_per_minute,
        });
    let listener = match (
        &config.subscription,
        config.payments.as_ref().and_then(|p| p.bind),
    ) {
        (Some(s), _) => Some(crate::subscription::ListenerSettings {
            bind: s.bind,
            tls: s.tls.clone(),
            trust_forwarded_for: s.trust_forwarded_for,
        }),
        (None, Some(bind)) => Some(crate::subscription::ListenerSettings {
            bind,
            tls: None,
            trust_forwarded_for: false,
        }),
        (None, None) => None,
    };
    let subscriptions = match listener {
        Some(listener) => {
            let running = crate::subscription::start_listener(
                listener,
                config.subscription.clone(),
                webhooks,
                shop.clone(),
                clock.clone(),
            )
            .await?;
            info!(addr = %running.addr, "the shop's HTTP listener is up");
            Some(running)
        }
        None => None,
    };
    let metrics = match config.metrics {
        Some((bind, every)) => {
            let listener = nebula_common::metrics::serve(bind)
                .await
                .map_err(|e| AppError::Metrics(e.to_string()))?;
            info!(addr = %listener.addr, "metrics at /metrics");
            tasks.push(tokio::spawn(sample_metrics(
                shop.clone(),
                every,
                stopped(rx.clone()),
            )));
            Some(listener)
        }
        None => None,
    };
    let (ended, discord_ended) = oneshot::channel();
    tasks.push(tokio::spawn(async move {
        if let Err(e) = client.start().await {
            let why = crate::discord::errors::connection_ended(&e);
            error!("{why}");
            let _ = ended.send(why);
        }
    }));
    info!("the shop is running");
    Ok(Running {
        shop,
        policies,
        subscriptions,
        metrics,
        discord_ended: Some(discord_ended),
        shutdown,
        shards,
        tasks,
    })
}

/// Reads the gauges the database holds (orders by state, the outbox) every `every`; the rest of
/// the metrics are recorded where they happen.
async fn sample_metrics(
    shop: Shop,
    every: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        if let Err(e) = shop.sample_metrics().await {
            error!(error = %e, "could not read the metrics' gauges");
        }
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(every) => {}
        }
    }
}

/// Asks the payment providers about open checkouts every `every`, so a lost webhook is
/// recovered without anyone noticing.
async fn reconcile_payments(
    shop: Shop,
    payments: nebula_payments::Payments,
    every: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => return,
            () = tokio::time::sleep(every) => {}
        }
        match payments.reconcile(&shop).await {
            Ok(report) if report.taken > 0 || report.failed > 0 => {
                info!(?report, "payment reconciliation");
            }
            Ok(_) => {}
            Err(e) => error!(error = %e, "payment reconciliation failed"),
        }
    }
}

impl Running {
    /// Where the metrics listener listens, if configured.
    pub fn metrics_addr(&self) -> Option<std::net::SocketAddr> {
        self.metrics.as_ref().map(|m| m.addr)
    }

    /// Waits until Discord ends the connection for good, and says why (pending forever while
    /// the shop is connected).
    pub async fn discord_ended(&mut self) -> String {
        match self.discord_ended.take() {
            Some(rx) => match rx.await {
                Ok(why) => why,
                Err(_) => std::future::pending().await,
            },
            None => std::future::pending().await,
        }
    }

    /// Stops taking events, lets the outbox worker finish the effect in hand and the running
    /// jobs finish their run, and waits.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        self.shards.shutdown_all().await;
        if let Some(subscriptions) = self.subscriptions {
            subscriptions.stop().await;
        }
        if let Some(metrics) = self.metrics {
            metrics.stop().await;
        }
        for task in self.tasks {
            let _ = tokio::time::timeout(Duration::from_secs(30), task).await;
        }
        // Stopped means the database is closed: wait for the last handles (event handlers
        // serenity spawned, commands finishing on blocking threads) before returning.
        drop(self.policies);
        let shop = self.shop;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while shop.handles() > 1 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        if shop.handles() > 1 {
            tracing::warn!(
                handles = shop.handles(),
                "the database is still in use after stopping"
            );
        }
        info!("the shop has stopped");
    }
}
