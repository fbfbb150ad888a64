//! Group commit: one writer thread applies the commands that queued up while the last commit
//! was being made durable, in one redb write transaction, and answers them together after its
//! one durable commit.
//!
//! The sync is a stage of its own: the writer commits a batch into redb with its journal record
//! written but not synced ([`Store::stage`](crate::store::Store::stage)) and goes on to the next
//! batch, while the syncer thread makes the record durable, shows the commit to readers and
//! answers. Readers never see a commit before its sync; the writer's next batch builds on it
//! (its own answers come after its own, later, sync). A failed sync fails its batch and every
//! later one, and stops the journal until the shop restarts.
//!
//! Each command is a re-runnable function of the open transaction. A command that fails
//! (rejected, not found, a panic) is answered with its error and the batch is run again without
//! it on a fresh transaction: redb cannot roll back part of a transaction, and this way the
//! others never see a write of the failed one. A commit that fails fails every command in it,
//! each with an error that says none of them took effect. Nothing is answered before the commit
//! is durable, and outbox rows become visible to the worker only with it.
//!
//! A command running on the writer never begins a transaction of its own (redb has one writer:
//! it would wait for itself); anything outside the transaction (policy calls, placement reads)
//! happens before the command is queued.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Weak};

use tokio::sync::oneshot;

use super::Core;
use crate::error::ShopError;
use crate::store::{Staged, StoreError, Txn};

/// Commands applied in one transaction at most: a long queue is taken in several commits, so
/// that the first in line is not held up by the last.
const MAX_BATCH: usize = 128;

/// One queued command.
trait Job: Send {
    /// Applies the command's writes to `txn`. After an error the transaction is discarded.
    fn apply(&mut self, core: &Core, txn: &Txn) -> Result<(), ShopError>;
    /// Answers with what the last `apply` produced (the commit is durable).
    fn succeed(self: Box<Self>);
    fn fail(self: Box<Self>, error: ShopError);
}

struct Command<T, F> {
    run: F,
    output: Option<T>,
    reply: oneshot::Sender<Result<T, ShopError>>,
    /// When it was queued: its latency runs to its answer, after the durable commit.
    queued: std::time::Instant,
}

/// Counts an answered command and its latency (queue, batch, durable commit).
fn record_answer(queued: std::time::Instant, outcome: &'static str) {
    metrics::counter!("nebula_shop_commands_total", "outcome" => outcome).increment(1);
    metrics::histogram!("nebula_shop_command_seconds").record(queued.elapsed().as_secs_f64());
}

impl<T, F> Job for Command<T, F>
where
    T: Send,
    F: FnMut(&Core, &Txn) -> Result<T, ShopError> + Send,
{
    fn apply(&mut self, core: &Core, txn: &Txn) -> Result<(), ShopError> {
        self.output = Some((self.run)(core, txn)?);
        Ok(())
    }

    fn succeed(self: Box<Self>) {
        let this = *self;
        record_answer(this.queued, "committed");
        let answer = this
            .output
            .ok_or(ShopError::Store(StoreError::WriterStopped));
        let _ = this.reply.send(answer);
    }

    fn fail(self: Box<Self>, error: ShopError) {
        let outcome = match error {
            ShopError::Store(_) => "failed",
            _ => "refused",
        };
        record_answer(self.queued, outcome);
        let _ = self.reply.send(Err(error));
    }
}

/// A command on its way to the writer, with the shop it belongs to (the writer holds no shop of
/// its own: the thread ends when the last handle to the shop is gone).
struct Queued {
    core: Arc<Core>,
    job: Box<dyn Job>,
}

/// How many commits carried how many commands.
#[derive(Debug, Default)]
pub struct WriteStats {
    commits: AtomicU64,
    commands: AtomicU64,
}

impl WriteStats {
    /// Durable commits made by the writer.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Commands answered after one of those commits.
    pub fn commands(&self) -> u64 {
        self.commands.load(Ordering::Relaxed)
    }
}

/// The shop's side of the writer: where commands are sent.
pub(crate) struct Writer {
    queue: Sender<Queued>,
    me: Weak<Core>,
    pub(crate) stats: WriteStats,
    #[cfg(any(test, feature = "testing"))]
    pub(crate) hooks: hooks::Hooks,
}

impl Writer {
    /// Starts the writer thread for the shop that `me` will point to.
    pub(crate) fn start(me: Weak<Core>) -> Writer {
        let (queue, commands) = std::sync::mpsc::channel();
        let (settle, settling) = std::sync::mpsc::channel();
        let shop = me.clone();
        std::thread::Builder::new()
            .name("nebula-writer".into())
            .spawn(move || run(commands, shop, settle))
            .expect("the writer thread starts");
        std::thread::Builder::new()
            .name("nebula-syncer".into())
            .spawn(move || sync(settling))
            .expect("the syncer thread starts");
        Writer {
            queue,
            me,
            stats: WriteStats::default(),
            #[cfg(any(test, feature = "testing"))]
            hooks: hooks::Hooks::default(),
        }
    }

    /// Runs `command` in the next batch and waits (blocking) until its commit is durable.
    /// `command` may run more than once (when another command of its batch fails); only the
    /// last run's writes are committed.
    pub(crate) fn write<T, F>(&self, command: F) -> Result<T, ShopError>
    where
        T: Send + 'static,
        F: FnMut(&Core, &Txn) -> Result<T, ShopError> + Send + 'static,
    {
        self.submit(command)?
            .blocking_recv()
            .map_err(|_| ShopError::Store(StoreError::WriterStopped))?
    }

    /// [`Writer::write`] for async callers whose command needs nothing read before it: no
    /// blocking thread in between, one hand-off fewer each way.
    pub(crate) async fn write_async<T, F>(&self, command: F) -> Result<T, ShopError>
    where
        T: Send + 'static,
        F: FnMut(&Core, &Txn) -> Result<T, ShopError> + Send + 'static,
    {
        self.submit(command)?
            .await
            .map_err(|_| ShopError::Store(StoreError::WriterStopped))?
    }

    /// Queues `command`; the answer comes on the receiver once its batch is settled.
    fn submit<T, F>(&self, command: F) -> Result<oneshot::Receiver<Result<T, ShopError>>, ShopError>
    where
        T: Send + 'static,
        F: FnMut(&Core, &Txn) -> Result<T, ShopError> + Send + 'static,
    {
        let core = self
            .me
            .upgrade()
            .ok_or(ShopError::Store(StoreError::WriterStopped))?;
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Command {
            run: command,
            output: None,
            reply,
            queued: std::time::Instant::now(),
        });
        #[cfg(any(test, feature = "testing"))]
        self.hooks.queued.fetch_add(1, Ordering::SeqCst);
        self.queue
            .send(Queued { core, job })
            .map_err(|_| ShopError::Store(StoreError::WriterStopped))?;
        Ok(answer)
    }
}

/// How long the queue stays empty before the writer takes a journal checkpoint: the pause of
/// writing redb's pages then falls where nobody waits, rather than on a command in a burst.
const IDLE_CHECKPOINT: std::time::Duration = std::time::Duration::from_millis(50);

/// The writer thread: takes what has queued up, applies it, commits it into redb and hands it
/// to the syncer; checkpoints when the journal has grown enough and when idle; until every
/// handle to the shop is gone.
fn run(commands: Receiver<Queued>, shop: Weak<Core>, settle: Sender<Group>) {
    loop {
        let first = match commands.recv_timeout(IDLE_CHECKPOINT) {
            Ok(first) => first,
            Err(RecvTimeoutError::Timeout) => {
                if let Some(core) = shop.upgrade()
                    && let Err(e) = core.db.checkpoint_if_written()
                {
                    tracing::warn!(error = %e, "idle journal checkpoint failed");
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let core = first.core;
        #[cfg(any(test, feature = "testing"))]
        core.writer.hooks.wait_while_held();
        let mut batch = vec![first.job];
        while batch.len() < MAX_BATCH {
            match commands.try_recv() {
                Ok(next) => batch.push(next.job),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        #[cfg(any(test, feature = "testing"))]
        core.writer
            .hooks
            .queued
            .fetch_sub(batch.len(), Ordering::SeqCst);
        let (answers, staged) = commit_batch(&core, batch);
        // What was refused rests on what it read, which may wait for a sync still.
        let wait = match staged {
            Some(staged) => Ok(staged),
            None => core.db.barrier().map_err(|e| e.to_string()),
        };
        // Before the answers: a checkpoint makes the batch durable too, and the shop may close
        // as soon as a command is answered.
        if core.db.checkpoint_due() {
            core.db.checkpoint_or_warn();
        }
        let group = Group {
            core,
            wait,
            answers,
        };
        if let Err(unsent) = settle.send(group) {
            // The syncer is gone (it panicked): nothing of this batch is known durable.
            let Group { core, answers, .. } = unsent.0;
            drop(core);
            fail_done(answers, "the syncer stopped");
        }
    }
}

/// A batch on its way to the syncer: its answers wait for `wait` to be durable.
struct Group {
    core: Arc<Core>,
    wait: Result<Staged, String>,
    answers: Vec<Answer>,
}

/// The syncer thread: makes each batch durable in turn (one sync covers every batch written
/// before it, so a batch that queued behind another usually finds itself durable already),
/// shows it to readers and answers it.
fn sync(groups: Receiver<Group>) {
    for Group {
        core,
        wait,
        answers,
    } in groups
    {
        let durable =
            wait.and_then(|staged| core.db.make_durable(staged).map_err(|e| e.to_string()));
        let done = answers
            .iter()
            .filter(|a| matches!(a, Answer::Done(_)))
            .count();
        if durable.is_ok() && done > 0 {
            core.writer.stats.commits.fetch_add(1, Ordering::Relaxed);
            core.writer
                .stats
                .commands
                .fetch_add(done as u64, Ordering::Relaxed);
            metrics::histogram!("nebula_shop_commit_batch_commands").record(done as f64);
            core.outbox_written.notify_one();
        }
        // The shop may close as soon as a command is answered: this thread lets go of it first.
        drop(core);
        match durable {
            Ok(()) => answers.into_iter().for_each(Answer::send),
            Err(detail) => fail_done(answers, &detail),
        }
    }
}

/// Answers a batch whose commit did not become durable: every command that was applied is told
/// that none of them took effect; the refused keep their own answers.
fn fail_done(answers: Vec<Answer>, detail: &str) {
    let commands = answers
        .iter()
        .filter(|a| matches!(a, Answer::Done(_)))
        .count();
    for answer in answers {
        match answer {
            Answer::Done(job) => job.fail(ShopError::Store(StoreError::BatchFailed {
                commands,
                detail: detail.to_owned(),
            })),
            failed => failed.send(),
        }
    }
}

/// What a command is told once its batch is settled.
enum Answer {
    Done(Box<dyn Job>),
    Failed(Box<dyn Job>, ShopError),
}

impl Answer {
    fn send(self) {
        match self {
            Answer::Done(job) => job.succeed(),
            Answer::Failed(job, error) => job.fail(error),
        }
    }
}

/// Applies `batch` in one transaction and stages its commit; a failed command is left out with
/// its error, and the rest run again on a fresh transaction. The answers wait for the staged
/// commit (none: nothing was committed, or nothing is left to wait for).
fn commit_batch(core: &Core, mut batch: Vec<Box<dyn Job>>) -> (Vec<Answer>, Option<Staged>) {
    let mut answers = Vec::with_capacity(batch.len());
    while !batch.is_empty() {
        let txn = match core.db.begin() {
            Ok(txn) => txn,
            Err(e) => {
                fail_all(batch, &e.to_string(), &mut answers);
                break;
            }
        };
        match apply_all(core, &txn, &mut batch) {
            Some((i, error)) => {
                let _ = txn.abort();
                answers.push(Answer::Failed(batch.remove(i), error));
            }
            None => match commit(core, txn) {
                Err(e) => {
                    fail_all(batch, &e.to_string(), &mut answers);
                    break;
                }
                Ok(staged) => {
                    answers.extend(batch.drain(..).map(Answer::Done));
                    return (answers, staged);
                }
            },
        }
    }
    (answers, None)
}

/// Runs every command of the batch on `txn`; the first that fails, with its error.
fn apply_all(core: &Core, txn: &Txn, batch: &mut [Box<dyn Job>]) -> Option<(usize, ShopError)> {
    for (i, job) in batch.iter_mut().enumerate() {
        let applied = catch_unwind(AssertUnwindSafe(|| job.apply(core, txn)))
            .unwrap_or(Err(ShopError::Store(StoreError::Panicked)));
        if let Err(error) = applied {
            return Some((i, error));
        }
    }
    None
}

fn commit(core: &Core, txn: Txn) -> Result<Option<Staged>, StoreError> {
    #[cfg(any(test, feature = "testing"))]
    if core
        .writer
        .hooks
        .fail_next_commit
        .swap(false, Ordering::SeqCst)
    {
        let _ = txn.abort();
        return Err(StoreError::Injected);
    }
    #[cfg(not(any(test, feature = "testing")))]
    let _ = core;
    core.db.stage(txn)
}

fn fail_all(batch: Vec<Box<dyn Job>>, detail: &str, answers: &mut Vec<Answer>) {
    let commands = batch.len();
    answers.extend(batch.into_iter().map(|job| {
        let error = ShopError::Store(StoreError::BatchFailed {
            commands,
            detail: detail.to_owned(),
        });
        Answer::Failed(job, error)
    }));
}

/// What tests use to make batches and failures happen on purpose.
#[cfg(any(test, feature = "testing"))]
pub(crate) mod hooks {
    use std::sync::atomic::{AtomicBool, AtomicUsize};
    use std::sync::{Condvar, Mutex};

    #[derive(Default)]
    pub(crate) struct Hooks {
        held: Mutex<bool>,
        released: Condvar,
        /// Commands sent and not yet taken into a batch.
        pub(crate) queued: AtomicUsize,
        pub(crate) fail_next_commit: AtomicBool,
    }

    impl Hooks {
        pub(crate) fn hold(&self, held: bool) {
            *self.held.lock().unwrap() = held;
            self.released.notify_all();
        }

        pub(crate) fn wait_while_held(&self) {
            let held = self.held.lock().unwrap();
            let _unused = self.released.wait_while(held, |held| *held).unwrap();
        }
    }
}
