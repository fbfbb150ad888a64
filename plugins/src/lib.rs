//! The wasmtime host for NebulaLinks policies.
//!
//! [`PolicyHost`] implements the engine's [`Policies`](nebula_engine::policy::Policies) by
//! calling WebAssembly components of the `nebula:policy` WIT package (`policies/wit/`): a fresh
//! store per call with fuel, an epoch deadline, a memory cap, a stack cap, and size caps on
//! input and output; one atomically swapped slot per policy kind. [`PolicyAdmin`] is what
//! operators drive: the install pipeline, activation and rollback, dry runs and replays.
//! [`builtin`] holds the policies that ship with the shop.

pub mod admin;
pub mod bindings;
pub mod builtin;
mod convert;
pub mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod host;
pub mod limits;

pub use admin::{DryRunReport, InstallReport, PolicyAdmin, PolicyListing, Replayed};
pub use error::{CallError, InstallError};
pub use host::{Loaded, PolicyHost};
pub use limits::Limits;
