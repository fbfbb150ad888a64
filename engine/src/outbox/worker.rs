//! The outbox worker: takes due rows, hands each to its executor, and records the result.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::stream::FuturesUnordered;
use futures_util::{FutureExt, StreamExt};
use tracing::{Instrument, error, info_span};

use super::OutboxRow;
use crate::effect::Effect;
use crate::error::ShopError;
use crate::executor::{Checkouts, DiscordEffects, ExecError, Provisioner};
use crate::shop::{EffectOutcome, Shop};

pub struct OutboxWorker<D, P> {
    shop: Shop,
    discord: Arc<D>,
    provisioner: Arc<P>,
    checkouts: Option<Arc<dyn Checkouts>>,
    passes: Arc<AtomicU64>,
}

impl<D: DiscordEffects, P: Provisioner> OutboxWorker<D, P> {
    pub fn new(shop: Shop, discord: Arc<D>, provisioner: Arc<P>) -> Self {
        OutboxWorker {
            shop,
            discord,
            provisioner,
            checkouts: None,
            passes: Arc::default(),
        }
    }

    /// Opens checkouts through `checkouts` (the shop's payment providers).
    pub fn with_checkouts(mut self, checkouts: Arc<dyn Checkouts>) -> Self {
        self.checkouts = Some(checkouts);
        self
    }

    /// How many passes over the outbox the worker has made (a worker that is idle makes none).
    pub fn passes(&self) -> Arc<AtomicU64> {
        self.passes.clone()
    }

    /// One pass: executes the rows due now (several at once, never two of one order and lane)
    /// and records each result. Returns how many rows ran.
    pub async fn run_once(&self) -> Result<usize, ShopError> {
        let settings = self.shop.settings().outbox;
        self.passes.fetch_add(1, Ordering::Relaxed);
        let rows = self.shop.due_effects(settings.batch).await?;
        let count = rows.len();
        futures_util::stream::iter(rows)
            .for_each_concurrent(settings.concurrency.max(1), |row| async move {
                let (row, outcome) = self.execute_counted(row).await;
                self.record(row, outcome).await;
            })
            .await;
        Ok(count)
    }

    /// Passes until no row is due now.
    pub async fn run_until_idle(&self) -> Result<usize, ShopError> {
        let mut total = 0;
        loop {
            match self.run_once().await? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    }

    /// Runs until `shutdown` resolves, as a pipeline rather than in passes: up to
    /// `concurrency` rows are out with the outside world at once, and a slot is refilled as soon
    /// as its row's call returns. Recording the result is the shop's own commit, not a call out,
    /// so it does not hold the slot: results wait for their group commit together while the next
    /// rows run. A row stays in hand, left out of later scans, until its result is recorded: no
    /// row runs twice, and (scans giving only the first row of each stream) no two rows of one
    /// order and lane run at once. At most `batch` rows are in hand. On shutdown the rows in
    /// hand are finished and recorded first.
    pub async fn run(self, shutdown: impl Future<Output = ()>) {
        let settings = self.shop.settings().outbox;
        let slots = settings.concurrency.max(1);
        let mut in_hand = HashSet::new();
        let mut ready = VecDeque::new();
        let mut executing = FuturesUnordered::new();
        let mut recording = FuturesUnordered::new();
        let mut rescan = true;
        let mut stopping = false;
        tokio::pin!(shutdown);
        loop {
            if rescan && !stopping && executing.len() < slots {
                rescan = false;
                ready = self.scan(&in_hand, settings.batch).await;
            }
            while executing.len() < slots
                && in_hand.len() < settings.batch.max(1)
                && let Some(row) = ready.pop_front()
            {
                in_hand.insert(row.id);
                executing.push(self.execute_counted(row));
            }
            if stopping && in_hand.is_empty() {
                return;
            }
            let wait = if in_hand.is_empty() {
                self.idle_wait(settings.poll_interval).await
            } else {
                settings.poll_interval
            };
            tokio::select! {
                () = &mut shutdown, if !stopping => {
                    stopping = true;
                    ready.clear();
                }
                Some((row, outcome)) = executing.next() => {
                    recording.push(self.record(row, outcome));
                }
                Some(id) = recording.next() => {
                    in_hand.remove(&id);
                    rescan = true;
                }
                () = self.shop.outbox_written() => rescan = true,
                () = tokio::time::sleep(wait) => rescan = true,
            }
            // Whatever else is finished already is taken in too, so that a group commit's
            // answers lead to one scan, not one each.
            while let Some(Some((row, outcome))) = executing.next().now_or_never() {
                recording.push(self.record(row, outcome));
            }
            while let Some(Some(id)) = recording.next().now_or_never() {
                in_hand.remove(&id);
                rescan = true;
            }
        }
    }

    /// The rows due now that are not in hand already, as many as may still be taken in hand,
    /// counted as a pass. Rows in hand are passed over unread (a scan follows every recorded
    /// result, and decoding them again was most of the worker's work). A failed scan is
    /// logged and gives nothing: the next wake-up tries again.
    async fn scan(&self, in_hand: &HashSet<u64>, batch: usize) -> VecDeque<OutboxRow> {
        self.passes.fetch_add(1, Ordering::Relaxed);
        let room = batch.max(1).saturating_sub(in_hand.len());
        if room == 0 {
            return VecDeque::new();
        }
        match self.shop.due_effects_except(room, in_hand.clone()).await {
            Ok(rows) => rows.into(),
            Err(e) => {
                error!(error = %e, "outbox scan failed");
                VecDeque::new()
            }
        }
    }

    /// How long an idle worker sleeps: until the next row falls due, at most `poll`.
    async fn idle_wait(&self, poll: Duration) -> Duration {
        match self.shop.next_effect_due().await {
            Ok(Some(due)) => {
                let ms = (due.as_millisecond() - self.shop.now().as_millisecond())
                    .clamp(0, poll.as_millis() as i64);
                Duration::from_millis(ms as u64)
            }
            _ => poll,
        }
    }

    /// Executes `row` (in its span, counted by kind and outcome).
    async fn execute_counted(&self, row: OutboxRow) -> (OutboxRow, EffectOutcome) {
        let span = info_span!(
            "effect",
            row = row.id,
            effect = row.effect.name(),
            attempt = row.attempts + 1
        );
        let started = std::time::Instant::now();
        let outcome = self.execute(&row).instrument(span).await;
        record_effect(row.effect.name(), &outcome, started);
        (row, outcome)
    }

    /// Records `outcome` for `row`; gives the row's id back once that is settled.
    async fn record(&self, row: OutboxRow, outcome: EffectOutcome) -> u64 {
        if let Err(e) = self.shop.complete_effect(row.id, outcome).await {
            // The row stays pending and runs again: executors are idempotent.
            error!(row = row.id, error = %e, "could not record an effect's result");
        }
        row.id
    }

    /// Makes every client of the request exist, one panel after another. A failure fails the
    /// whole effect; its retry finds the clients already made (provisioning is idempotent by
    /// email), so a plan on several servers is provisioned whole or retried whole.
    async fn provision_all(
        &self,
        request: &crate::order::ProvisionRequest,
    ) -> Result<Vec<crate::order::ProvisionedAccess>, ExecError> {
        let mut accesses = Vec::new();
        for part in request.parts() {
            let server = match self.shop.server(part.server.clone()).await {
                Ok(Some(server)) => server,
                Ok(None) => {
                    return Err(ExecError::permanent(format!(
                        "server {} no longer exists",
                        part.server
                    )));
                }
                Err(e) => {
                    return Err(ExecError::transient(format!(
                        "could not load server {}: {e}",
                        part.server
                    )));
                }
            };
            accesses.push(self.provisioner.provision(&server, &part).await?);
        }
        Ok(accesses)
    }

    /// Runs one row against the outside world without recording its result (the power-loss
    /// tests record it themselves, as a command of their own).
    pub async fn execute(&self, row: &OutboxRow) -> EffectOutcome {
        let result = match &row.effect {
            Effect::Discord { effect } => self
                .discord
                .execute(&row.key, effect)
                .await
                .map(|()| EffectOutcome::Done),
            Effect::Provision { request } | Effect::Move { request, .. } => self
                .provision_all(request)
                .await
                .map(EffectOutcome::Provisioned),
            Effect::Panel { op } => match self.shop.server(op.server.clone()).await {
                Ok(Some(server)) => self
                    .provisioner
                    .manage(&server, op)
                    .await
                    .map(|()| EffectOutcome::Done),
                // The server went away with its clients: nothing left to disable or delete.
                Ok(None) => Ok(EffectOutcome::Done),
                Err(e) => Err(ExecError::transient(format!(
                    "could not load server {}: {e}",
                    op.server
                ))),
            },
            Effect::Checkout { request } => match &self.checkouts {
                Some(checkouts) => checkouts
                    .open(request)
                    .await
                    .map(EffectOutcome::CheckoutOpened),
                None => Err(ExecError::permanent(format!(
                    "no {} account is configured",
                    request.provider.label()
                ))),
            },
        };
        result.unwrap_or_else(EffectOutcome::Failed)
    }
}

/// Counts an effect's run by kind and outcome, with its duration.
fn record_effect(kind: &'static str, outcome: &EffectOutcome, started: std::time::Instant) {
    let result = match outcome {
        EffectOutcome::Failed(e) if e.permanent => "permanent_failure",
        EffectOutcome::Failed(_) => "failure",
        _ => "done",
    };
    metrics::counter!("nebula_shop_effects_total", "kind" => kind, "result" => result).increment(1);
    metrics::histogram!("nebula_shop_effect_seconds", "kind" => kind)
        .record(started.elapsed().as_secs_f64());
}
