//! What one policy call may use. Every call gets all of these, fresh.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Fuel per call (roughly, wasm instructions).
    pub fuel: u64,
    /// Wall-clock backstop per call, enforced by epoch interruption.
    pub deadline: Duration,
    /// Largest linear memory a policy may grow to.
    pub memory_bytes: usize,
    /// Largest wasm stack.
    pub stack_bytes: usize,
    /// Largest input (its JSON size, config included).
    pub max_input_bytes: usize,
    /// Largest output (strings and list entries).
    pub max_output_bytes: usize,
    /// Largest policy file accepted for install.
    pub max_policy_bytes: usize,
    /// How many recent real inputs a dry run replays.
    pub dry_run_inputs: usize,
    /// Instances that may exist at once (calls in flight, across all policies).
    pub instances: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 10_000_000,
            deadline: Duration::from_secs(1),
            memory_bytes: 32 << 20,
            stack_bytes: 512 << 10,
            max_input_bytes: 256 << 10,
            max_output_bytes: 64 << 10,
            max_policy_bytes: nebula_engine::shop::MAX_POLICY_BYTES,
            dry_run_inputs: 200,
            instances: 128,
        }
    }
}

/// How often the epoch ticks; the deadline is counted in ticks.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

impl Limits {
    pub(crate) fn deadline_ticks(&self) -> u64 {
        (self.deadline.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64
    }
}
