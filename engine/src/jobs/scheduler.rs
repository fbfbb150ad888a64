//! Runs the jobs on their cron schedules, against the shop's clock.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use jiff::Timestamp;
use tokio::task::JoinSet;
use tracing::{error, warn};

use super::{JobKind, Jobs};
use crate::executor::Panels;

/// What a tick did for one job that was due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickOutcome {
    Started,
    /// Its previous run is still going: not started twice.
    StillRunning,
}

pub struct Scheduler<P> {
    jobs: Jobs<P>,
    next: Mutex<HashMap<JobKind, Timestamp>>,
    running: HashMap<JobKind, Arc<AtomicBool>>,
    tasks: tokio::sync::Mutex<JoinSet<()>>,
}

use nebula_common::lock;

/// The first time the schedule fires strictly after `t` (all in UTC).
fn after(schedule: &cron::Schedule, t: Timestamp) -> Timestamp {
    chrono::DateTime::from_timestamp_millis(t.as_millisecond())
        .and_then(|dt| schedule.after(&dt).next())
        .and_then(|next| Timestamp::from_millisecond(next.timestamp_millis()).ok())
        .unwrap_or(Timestamp::MAX)
}

impl<P: Panels + 'static> Scheduler<P> {
    /// Every job's first run is its schedule's next time after the shop's `now`.
    pub fn new(jobs: Jobs<P>) -> Self {
        let now = jobs.shop().now();
        let next = jobs
            .config()
            .schedules
            .iter()
            .map(|(kind, s)| (*kind, after(s, now)))
            .collect();
        let running = JobKind::ALL
            .iter()
            .map(|k| (*k, Arc::new(AtomicBool::new(false))))
            .collect();
        Scheduler {
            jobs,
            next: Mutex::new(next),
            running,
            tasks: tokio::sync::Mutex::new(JoinSet::new()),
        }
    }

    /// When each job runs next.
    pub fn next_runs(&self) -> HashMap<JobKind, Timestamp> {
        lock(&self.next).clone()
    }

    /// Starts every job that is due at the shop's `now` (missed ticks collapse into one run);
    /// a job whose previous run is still going is skipped, not started twice.
    pub async fn tick(&self) -> Vec<(JobKind, TickOutcome)> {
        let now = self.jobs.shop().now();
        let due: Vec<JobKind> = {
            let mut next = lock(&self.next);
            let mut due = Vec::new();
            for (kind, schedule) in &self.jobs.config().schedules {
                let at = next.entry(*kind).or_insert_with(|| after(schedule, now));
                if *at <= now {
                    *at = after(schedule, now);
                    due.push(*kind);
                }
            }
            due
        };
        let mut outcomes = Vec::new();
        let mut tasks = self.tasks.lock().await;
        // Forget the tasks that finished.
        while tasks.try_join_next().is_some() {}
        for kind in due {
            let flag = Arc::clone(&self.running[&kind]);
            if flag.swap(true, Ordering::AcqRel) {
                warn!(
                    job = kind.name(),
                    "still running at its next tick; not started twice"
                );
                outcomes.push((kind, TickOutcome::StillRunning));
                continue;
            }
            let jobs = self.jobs.clone();
            tasks.spawn(async move {
                if let Err(e) = jobs.run(kind).await {
                    error!(job = kind.name(), error = %e, "job failed");
                }
                flag.store(false, Ordering::Release);
            });
            outcomes.push((kind, TickOutcome::Started));
        }
        outcomes
    }

    /// Waits until every job started so far has finished.
    pub async fn wait_idle(&self) {
        let mut tasks = self.tasks.lock().await;
        while tasks.join_next().await.is_some() {}
    }

    /// Ticks every `poll` until `shutdown` resolves, then lets the running jobs finish.
    pub async fn run(self, poll: Duration, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            self.tick().await;
            tokio::select! {
                _ = &mut shutdown => break,
                _ = tokio::time::sleep(poll) => {}
            }
        }
        self.wait_idle().await;
    }
}
