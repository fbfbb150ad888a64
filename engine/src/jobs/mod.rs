//! Background jobs: the shop keeps itself in order while nobody watches.
//!
//! Each job is a sweep over an index ordered by due time (so a run reads only what is due) or
//! one call per server (never one per client). [`Jobs::run`] runs one job in a tracing span with
//! its duration and counts; [`Scheduler`] runs them on their cron schedules against the shop's
//! clock, never starts a job that is still running, and stops gracefully. Tests drive a
//! [`crate::clock::ManualClock`] and call [`Scheduler::tick`] instead of sleeping.

mod scheduler;
mod sweeps;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Instant;

use jiff::SignedDuration;
use serde::{Deserialize, Serialize};
use tracing::{Instrument, info, info_span, warn};

use crate::error::ShopError;
use crate::executor::Panels;
use crate::shop::{Shop, SweepReport, compare};

pub use scheduler::{Scheduler, TickOutcome};
pub use sweeps::time_out_unpaid;

/// The jobs, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    UnpaidTimeout,
    Expiry,
    Traffic,
    Health,
    Retention,
    Reconciliation,
}

impl JobKind {
    pub const ALL: [JobKind; 6] = [
        JobKind::UnpaidTimeout,
        JobKind::Expiry,
        JobKind::Traffic,
        JobKind::Health,
        JobKind::Retention,
        JobKind::Reconciliation,
    ];

    pub fn name(self) -> &'static str {
        match self {
            JobKind::UnpaidTimeout => "unpaid_timeout",
            JobKind::Expiry => "expiry",
            JobKind::Traffic => "traffic",
            JobKind::Health => "health",
            JobKind::Retention => "retention",
            JobKind::Reconciliation => "reconciliation",
        }
    }

    /// The default schedule (seconds field first, UTC), as the original system ran them.
    pub fn default_cron(self) -> &'static str {
        match self {
            JobKind::UnpaidTimeout => "0 * * * * *",
            JobKind::Expiry => "0 0 * * * *",
            JobKind::Traffic => "0 0 */6 * * *",
            JobKind::Health => "0 */5 * * * *",
            JobKind::Retention => "0 30 3 * * *",
            JobKind::Reconciliation => "0 0 4 * * *",
        }
    }
}

/// A cron expression that failed to parse, with the job it was for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the {job} schedule `{expr}` is not a cron expression (sec min hour day month weekday): {reason}"
)]
pub struct BadSchedule {
    pub job: &'static str,
    pub expr: String,
    pub reason: String,
}

/// When each job runs and the retention periods.
#[derive(Debug, Clone)]
pub struct JobsConfig {
    pub schedules: Vec<(JobKind, cron::Schedule)>,
    /// Order channels of closed orders are closed after this long (if still open).
    pub close_channels_after: SignedDuration,
    /// Proof screenshots of closed orders are deleted after this long.
    pub purge_proofs_after: SignedDuration,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig::new(
            &[],
            SignedDuration::from_hours(24),
            SignedDuration::from_hours(24 * 90),
        )
        .expect("the default schedules parse")
    }
}

impl JobsConfig {
    /// Builds the config from cron expressions (`None` or absent: the job's default).
    pub fn new(
        crons: &[(JobKind, Option<String>)],
        close_channels_after: SignedDuration,
        purge_proofs_after: SignedDuration,
    ) -> Result<JobsConfig, BadSchedule> {
        let mut schedules = Vec::new();
        for kind in JobKind::ALL {
            let expr = crons
                .iter()
                .find(|(k, _)| *k == kind)
                .and_then(|(_, e)| e.clone())
                .unwrap_or_else(|| kind.default_cron().to_owned());
            let schedule = cron::Schedule::from_str(&expr).map_err(|e| BadSchedule {
                job: kind.name(),
                expr: expr.clone(),
                reason: e.to_string(),
            })?;
            schedules.push((kind, schedule));
        }
        Ok(JobsConfig {
            schedules,
            close_channels_after,
            purge_proofs_after,
        })
    }
}

/// What a job run did: its counts, for the span, the log and the tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobReport {
    pub rows_read: usize,
    /// Items that changed.
    pub handled: usize,
    /// Calls to gateways.
    pub gateway_calls: usize,
    /// Servers whose gateway call failed.
    pub failures: usize,
}

impl From<SweepReport> for JobReport {
    fn from(r: SweepReport) -> Self {
        JobReport {
            rows_read: r.rows_read,
            handled: r.handled,
            ..JobReport::default()
        }
    }
}

/// The jobs over one shop and its panels.
pub struct Jobs<P> {
    shop: Shop,
    panels: Arc<P>,
    config: JobsConfig,
}

impl<P> Clone for Jobs<P> {
    fn clone(&self) -> Self {
        Jobs {
            shop: self.shop.clone(),
            panels: Arc::clone(&self.panels),
            config: self.config.clone(),
        }
    }
}

impl<P: Panels> Jobs<P> {
    pub fn new(shop: Shop, panels: Arc<P>, config: JobsConfig) -> Self {
        Jobs {
            shop,
            panels,
            config,
        }
    }

    pub fn config(&self) -> &JobsConfig {
        &self.config
    }

    pub fn shop(&self) -> &Shop {
        &self.shop
    }

    /// Runs one job now, in a span that records its duration and counts.
    pub async fn run(&self, kind: JobKind) -> Result<JobReport, ShopError> {
        let span = info_span!("job", job = kind.name());
        async {
            let started = Instant::now();
            let result = match kind {
                JobKind::UnpaidTimeout => sweeps::time_out_unpaid(&self.shop).await,
                JobKind::Expiry => self.shop.run_subscription_timers().await.map(Into::into),
                JobKind::Traffic => self.traffic().await,
                JobKind::Health => self.health().await,
                JobKind::Retention => self.retention().await,
                JobKind::Reconciliation => self.reconciliation().await,
            };
            let ms = started.elapsed().as_millis() as u64;
            record_job(kind, &result, started, self.shop.now());
            match &result {
                Ok(r) => info!(
                    duration_ms = ms,
                    rows_read = r.rows_read,
                    handled = r.handled,
                    gateway_calls = r.gateway_calls,
                    failures = r.failures,
                    "job finished"
                ),
                Err(e) => warn!(duration_ms = ms, error = %e, "job failed"),
            }
            result
        }
        .instrument(span)
        .await
    }

    /// One bulk usage call per server; usage stored, notices and suspensions as due.
    async fn traffic(&self) -> Result<JobReport, ShopError> {
        let mut report = JobReport::default();
        for server in self.shop.servers().await? {
            report.gateway_calls += 1;
            match self.panels.clients(&server).await {
                Ok(clients) => {
                    let usage = self.shop.record_usage(server.id.clone(), clients).await?;
                    report.rows_read += usage.rows_read;
                    report.handled += usage.updated;
                }
                Err(e) => {
                    report.failures += 1;
                    warn!(server = %server.id, error = %e, "could not read usage");
                }
            }
        }
        Ok(report)
    }

    /// Each gateway's status; changes recorded, audited and told to the admins. Then the
    /// clients on drained servers, and on servers down too long, are planned to move.
    async fn health(&self) -> Result<JobReport, ShopError> {
        let mut report = JobReport::default();
        for server in self.shop.servers().await? {
            report.gateway_calls += 1;
            let result = self.panels.health(&server).await.map_err(|e| e.message);
            if result.is_err() {
                report.failures += 1;
            }
            if self
                .shop
                .record_health(server.id.clone(), result)
                .await?
                .is_some()
            {
                report.handled += 1;
            }
        }
        let moves = self.shop.plan_moves().await?;
        report.handled += moves.planned;
        Ok(report)
    }

    async fn retention(&self) -> Result<JobReport, ShopError> {
        let mut report = self
            .shop
            .close_old_channels(self.config.close_channels_after)
            .await?;
        report.add(
            self.shop
                .purge_old_proofs(self.config.purge_proofs_after)
                .await?,
        );
        Ok(report.into())
    }

    /// Subscriptions against the clients each panel really has; drift is reported, never
    /// acted on.
    async fn reconciliation(&self) -> Result<JobReport, ShopError> {
        let mut report = JobReport::default();
        for server in self.shop.servers().await? {
            report.gateway_calls += 1;
            let clients = match self.panels.clients(&server).await {
                Ok(c) => c,
                Err(e) => {
                    report.failures += 1;
                    warn!(server = %server.id, error = %e, "could not list clients");
                    continue;
                }
            };
            let subs = self.shop.panel_views_on(server.id.clone()).await?;
            report.rows_read += subs.len();
            let drift = compare(&subs, &clients);
            report.handled += drift.len();
            self.shop.report_drift(server.id.clone(), drift).await?;
        }
        Ok(report)
    }
}

/// Each job's last run: when (the shop's clock), how long, how many rows it read and changed,
/// and whether it failed.
fn record_job(
    kind: JobKind,
    result: &Result<JobReport, ShopError>,
    started: Instant,
    now: jiff::Timestamp,
) {
    let job = kind.name();
    metrics::gauge!("nebula_shop_job_last_run_timestamp_seconds", "job" => job)
        .set(now.as_second() as f64);
    metrics::gauge!("nebula_shop_job_last_duration_seconds", "job" => job)
        .set(started.elapsed().as_secs_f64());
    match result {
        Ok(r) => {
            metrics::gauge!("nebula_shop_job_last_rows_read", "job" => job).set(r.rows_read as f64);
            metrics::gauge!("nebula_shop_job_last_rows_handled", "job" => job)
                .set(r.handled as f64);
            metrics::gauge!("nebula_shop_job_last_failed", "job" => job).set(0.0);
        }
        Err(_) => metrics::gauge!("nebula_shop_job_last_failed", "job" => job).set(1.0),
    }
}
