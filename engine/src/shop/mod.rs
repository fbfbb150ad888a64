//! The `Shop` service: the only way into the engine.
//!
//! Every command is one redb write transaction: load the record, restore the machine (without
//! replaying entry actions), handle the event, then write the record, an event-log row, the
//! outbox rows, an audit row and the index rows, and commit with `Durability::Immediate`. Either
//! all of it is on disk or none of it. Order commands and effect results run on the
//! [`writer`] thread, which commits the ones that queued up together (group commit). Reads and
//! policy calls happen before, on a blocking thread, so a slow policy never holds the write lock.

mod broadcasts;
mod catalog;
mod effects;
mod locales;
mod moves;
mod orders;
mod payments;
mod policies;
mod queries;
mod records;
mod refs;
mod sub_links;
mod traffic_reset;
mod upkeep;
mod writer;

#[cfg(any(test, feature = "testing"))]
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;
use ulid::Ulid;

use crate::clock::Clock;
use crate::error::ShopError;
use crate::machine::Rules;
use crate::outbox::OutboxSettings;
use crate::policy::Policies;
use crate::store::{self, StoreError};
use crate::subscription::Lifecycle;

pub use effects::EffectOutcome;
pub use locales::{ShopperLocale, check_tag};
pub use moves::{MoveReport, must_move};
pub use orders::{OpenOrder, ProofUpload, RenewOrder};
pub use policies::MAX_POLICY_BYTES;
pub use queries::{PricedPlan, ShopGauges};
pub use records::{EventRecord, OrderRecord, ShopperRecord};
pub use upkeep::{Drift, QuotaStep, ServerHealth, SweepReport, UsageReport, compare, quota_step};
pub use writer::WriteStats;

/// The operator's settings for the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub rules: Rules,
    /// How long an order may stay unpaid (in `Open`) before it times out.
    pub unpaid_timeout: SignedDuration,
    pub outbox: OutboxSettings,
    /// Reminders, expiry and the grace period before deletion.
    pub lifecycle: Lifecycle,
    /// A server down this long has its clients moved elsewhere (`None`: never for being down;
    /// a drained server's move at once).
    pub move_after_down: Option<SignedDuration>,
    /// A Discord account younger than this may not take a trial.
    pub trial_min_account_age: SignedDuration,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rules: Rules::default(),
            unpaid_timeout: SignedDuration::from_mins(30),
            outbox: OutboxSettings::default(),
            lifecycle: Lifecycle::default(),
            move_after_down: Some(SignedDuration::from_hours(1)),
            trial_min_account_age: SignedDuration::from_hours(7 * 24),
        }
    }
}

/// The shop. Cheap to clone; every clone is the same shop.
#[derive(Clone)]
pub struct Shop {
    core: Arc<Core>,
}

/// The blocking side of the shop: everything here runs on a blocking thread.
pub(crate) struct Core {
    pub(crate) db: store::Store,
    policies: Arc<dyn Policies>,
    clock: Arc<dyn Clock>,
    settings: Settings,
    /// Woken after a commit that wrote outbox rows.
    outbox_written: Notify,
    /// Where commands go to be committed together.
    writer: writer::Writer,
    /// Shoppers' subscriptions as last read for their subscription URL, with the version they
    /// were read at (`shopper_feed_versions_v1`): a fetch reads one row to know them current.
    feeds: sub_links::Feeds,
    /// The power-loss tests' source of ids: seeded, so that a command run twice on one state
    /// writes the same rows.
    #[cfg(any(test, feature = "testing"))]
    seeded_ids: std::sync::Mutex<Option<rand::rngs::StdRng>>,
}

impl Core {
    /// Builds the derived tables a database written by an earlier build lacks: the server
    /// index with its panel view, then the servers' slot counts.
    fn ensure_derived(&self) -> Result<(), ShopError> {
        use store::tables::{META, SLOTS_BUILT_KEY, SUBS_BY_SERVER_BUILT_KEY};
        let read = store::begin_read(&self.db)?;
        let meta = read.open_table(META)?;
        let index = meta.get(SUBS_BY_SERVER_BUILT_KEY)?.is_some();
        let slots = meta.get(SLOTS_BUILT_KEY)?.is_some();
        drop((meta, read));
        if index && slots {
            return Ok(());
        }
        let txn = self.db.begin()?;
        if !index {
            records::rebuild_server_index(&txn)?;
        }
        records::rebuild_slots(&txn)?;
        self.db.commit(txn)?;
        Ok(())
    }

    fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// A new ULID at the shop's clock. Fresh randomness every time (not the monotonic
    /// generator): order codes are the random part, and must not read as a counter.
    fn new_ulid(&self, now: Timestamp) -> Ulid {
        #[cfg(any(test, feature = "testing"))]
        if let Some(rng) = nebula_common::lock(&self.seeded_ids).as_mut() {
            let millis = u64::try_from(now.as_millisecond()).unwrap_or(0);
            return Ulid::from_parts(millis, rand::Rng::random(rng));
        }
        Ulid::from_datetime(std::time::SystemTime::from(now))
    }
}

impl Shop {
    /// Opens the shop on the database at `path` (created if missing).
    pub async fn open(
        path: impl AsRef<Path>,
        policies: Arc<dyn Policies>,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Result<Shop, ShopError> {
        let path = path.as_ref().to_owned();
        let db = tokio::task::spawn_blocking(move || store::Store::open(&path))
            .await
            .map_err(|e| StoreError::Join(e.to_string()))??;
        Shop::on(db, policies, clock, settings).await
    }

    /// A shop on another disk than a file: the power-loss tests' disk that loses what was not
    /// synced.
    #[cfg(any(test, feature = "testing"))]
    pub async fn open_on(
        backend: impl redb::StorageBackend,
        journal: impl store::JournalDisk,
        policies: Arc<dyn Policies>,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Result<Shop, ShopError> {
        let db = tokio::task::spawn_blocking(move || store::Store::open_on(backend, journal))
            .await
            .map_err(|e| StoreError::Join(e.to_string()))??;
        Shop::on(db, policies, clock, settings).await
    }

    async fn on(
        db: store::Store,
        policies: Arc<dyn Policies>,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Result<Shop, ShopError> {
        let shop = Shop {
            core: Arc::new_cyclic(|me| Core {
                db,
                policies,
                clock,
                settings,
                outbox_written: Notify::new(),
                writer: writer::Writer::start(me.clone()),
                feeds: sub_links::Feeds::default(),
                #[cfg(any(test, feature = "testing"))]
                seeded_ids: std::sync::Mutex::new(None),
            }),
        };
        shop.blocking(|core| core.ensure_derived()).await?;
        Ok(shop)
    }

    /// How many handles to this shop exist (clones, and commands in flight). The database
    /// closes when the last one goes: a clean stop waits for this to reach one.
    pub fn handles(&self) -> usize {
        Arc::strong_count(&self.core)
    }

    /// From now on, new ids come from a generator seeded with `seed` (the power-loss tests run
    /// one command on two copies of a database and compare what each wrote).
    #[cfg(any(test, feature = "testing"))]
    pub fn seed_ids(&self, seed: u64) {
        *nebula_common::lock(&self.core.seeded_ids) = Some(
            <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(seed),
        );
    }

    pub fn settings(&self) -> &Settings {
        &self.core.settings
    }

    pub fn now(&self) -> Timestamp {
        self.core.now()
    }

    /// Runs `f` on a blocking thread: redb never runs on the async executor.
    pub(crate) async fn blocking<T, F>(&self, f: F) -> Result<T, ShopError>
    where
        T: Send + 'static,
        F: FnOnce(&Core) -> Result<T, ShopError> + Send + 'static,
    {
        let core = Arc::clone(&self.core);
        tokio::task::spawn_blocking(move || f(&core))
            .await
            .map_err(|e| ShopError::Store(StoreError::Join(e.to_string())))?
    }

    /// How many durable commits carried how many commands (group commit).
    pub fn write_stats(&self) -> &WriteStats {
        &self.core.writer.stats
    }

    /// Holds the writer before its next batch (`true`) or lets it go: commands sent meanwhile
    /// queue up and are committed together.
    #[cfg(any(test, feature = "testing"))]
    pub fn hold_writes(&self, held: bool) {
        self.core.writer.hooks.hold(held);
    }

    /// Makes the file hold every commit durably now (a journal checkpoint), as the writer
    /// does when idle: for benchmarks that wrote without the journal.
    #[cfg(any(test, feature = "testing"))]
    pub async fn checkpoint(&self) -> Result<(), ShopError> {
        self.blocking(|core| Ok(core.db.checkpoint()?)).await
    }

    /// Commands sent to the writer and not yet taken into a batch.
    #[cfg(any(test, feature = "testing"))]
    pub fn queued_writes(&self) -> usize {
        self.core
            .writer
            .hooks
            .queued
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Each server's slots as kept, and as counted again from the indexes (in a transaction
    /// that is thrown away): the two must agree.
    #[cfg(any(test, feature = "testing"))]
    pub async fn slot_counts(
        &self,
    ) -> Result<(BTreeMap<String, u32>, BTreeMap<String, u32>), ShopError> {
        fn read(txn: &crate::store::Txn) -> Result<BTreeMap<String, u32>, ShopError> {
            use redb::ReadableTable;
            let mut out = BTreeMap::new();
            for row in txn.open_table(store::tables::SERVER_SLOTS)?.iter()? {
                let (server, n) = row?;
                if n.value() > 0 {
                    out.insert(server.value().to_owned(), n.value());
                }
            }
            Ok(out)
        }
        self.blocking(|core| {
            let txn = core.db.begin()?;
            let kept = read(&txn)?;
            records::rebuild_slots(&txn)?;
            let counted = read(&txn)?;
            txn.abort()?;
            Ok((kept, counted))
        })
        .await
    }

    /// Makes the writer's next commit fail (and write nothing).
    #[cfg(any(test, feature = "testing"))]
    pub fn fail_next_commit(&self) {
        self.core
            .writer
            .hooks
            .fail_next_commit
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Resolves when a command has written outbox rows since the last call.
    pub async fn outbox_written(&self) {
        self.core.outbox_written.notified().await;
    }
}
