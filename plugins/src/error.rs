//! What can go wrong calling or installing a policy. Messages name the problem in terms an
//! operator can act on.

use nebula_engine::ShopError;
use nebula_engine::policy::PolicyKind;

/// A call that produced no decision.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    #[error("no {0} policy is loaded")]
    NotLoaded(PolicyKind),
    #[error("the input is {bytes} bytes, over the {max}-byte cap")]
    InputTooLarge { bytes: usize, max: usize },
    #[error("the output is {bytes} bytes, over the {max}-byte cap")]
    OutputTooLarge { bytes: usize, max: usize },
    #[error("ran out of fuel ({fuel} units)")]
    OutOfFuel { fuel: u64 },
    #[error("ran past its deadline")]
    Deadline,
    #[error("overflowed its stack")]
    StackOverflow,
    #[error("trapped: {0}")]
    Trap(String),
    #[error("answered something the shop cannot use: {0}")]
    BadOutput(String),
    #[error("could not be instantiated: {0}")]
    Instantiate(String),
}

impl CallError {
    /// The kind of failure, as the engine counts them.
    pub fn failure(&self) -> nebula_engine::policy::PolicyFailure {
        use nebula_engine::policy::PolicyFailure as F;
        match self {
            CallError::NotLoaded(_) => F::NotLoaded,
            CallError::InputTooLarge { .. }
            | CallError::OutputTooLarge { .. }
            | CallError::OutOfFuel { .. }
            | CallError::Deadline
            | CallError::StackOverflow => F::OverLimit,
            CallError::Trap(_) => F::Trapped,
            CallError::BadOutput(_) => F::BadOutput,
            CallError::Instantiate(_) => F::Instantiate,
        }
    }
}

/// Why a policy was not installed or activated. Nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum InstallError {
    #[error("the file is {bytes} bytes; policies may be at most {max}")]
    TooLarge { bytes: usize, max: usize },
    #[error("this is not a WebAssembly component: {0}")]
    NotAComponent(String),
    #[error("this is a {found} policy, not a {expected} policy")]
    WrongWorld {
        expected: PolicyKind,
        found: PolicyKind,
    },
    #[error("this policy was built for {found}; this shop speaks {expected}")]
    WrongVersion { expected: String, found: String },
    #[error("policies may not import anything, and this one imports {0}")]
    Imports(String),
    #[error("this component is not a NebulaLinks {expected} policy: {detail}")]
    NotAPolicy {
        expected: PolicyKind,
        detail: String,
    },
    #[error("its test vectors could not run: {0}")]
    VectorsFailed(CallError),
    #[error("test vector {index} fails: expected {expected}, got {got}")]
    VectorMismatch {
        index: usize,
        expected: String,
        got: String,
    },
    #[error("on the recorded input of order {order} it failed: {error}")]
    DryRunFailed { order: String, error: CallError },
    #[error("no stored {kind} policy version {sha256}")]
    UnknownVersion { kind: PolicyKind, sha256: String },
    #[error(transparent)]
    Shop(#[from] ShopError),
    #[error("internal error: {0}")]
    Internal(String),
}
