//! The NebulaLinks engine: the domain of a shop that sells VPN access.
//!
//! Orders move through an explicit [`statig`] state machine ([`machine`]) whose handlers are
//! pure; each command commits the new state, an event-log row, the outbox rows, an audit row and
//! the index rows in one redb write transaction ([`shop`], [`store`]). The [`outbox`] worker
//! carries effects out through executor traits ([`executor`]) that adapters implement. The
//! engine knows nothing of Discord, HTTP or wasm: policies come in through [`policy::Policies`].

pub mod actor;
pub mod alert;
pub mod audit;
pub mod broadcast;
pub mod clock;
pub mod effect;
pub mod error;
pub mod executor;
pub mod ids;
pub mod jobs;
// The machine, the store and the outbox's internals are the engine's own: everything outside
// comes in through the `Shop` (the compiler enforces it). Tests of the pure machine and of the
// stored bytes reach them through the `testing` feature.
#[cfg(any(test, feature = "testing"))]
pub mod machine;
#[cfg(not(any(test, feature = "testing")))]
pub(crate) mod machine;
pub mod money;
pub mod order;
pub mod outbox;
pub mod payment;
pub mod payment_method;
pub mod plan;
pub mod policy;
pub mod quote;
pub mod reports;
pub mod server;
pub mod shop;
#[cfg(any(test, feature = "testing"))]
pub mod store;
#[cfg(not(any(test, feature = "testing")))]
pub(crate) mod store;
pub mod sub_url;
pub mod subscription;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod trial;

pub use actor::Actor;
pub use machine::Rules;
/// A consistent copy of the database, made by [`Shop::backup`]; [`Shop::restore`] puts one back.
pub mod backup {
    pub use crate::store::backup::{BackupError, BackupReport, Dump};
}
/// The fuzz targets' entry points (`fuzz/`): the store stays private otherwise.
#[cfg(feature = "fuzzing")]
pub mod fuzzing {
    pub use crate::store::fuzzing::stored_value;
}
pub use error::{Rejection, ShopError};
pub use money::{Currency, Money};
pub use shop::{Settings, Shop};
