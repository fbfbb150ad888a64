//! The serenity Discord adapter of NebulaLinks and the pieces of the `nebula` binary.
//!
//! - [`discord`]: the adapter: events in, engine commands out ([`discord::handler`]), slash
//!   commands ([`discord::commands`]), the Discord effect executor ([`discord::effects`]),
//!   rendering, and the one error type that answers users politely.
//! - [`app`]: `nebula run`: everything started together, stopped gracefully.
//! - [`config`], [`doctor`].
//! - `fake` and `demo` (feature `demo`): a fake Discord on loopback that drives the real serenity
//!   client, and `nebula demo`.

pub mod app;
pub mod config;
pub mod control;
#[cfg(feature = "demo")]
pub mod demo;
pub mod discord;
pub mod doctor;
#[cfg(feature = "demo")]
pub mod fake;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod i18n;
pub mod logging;
pub mod policy_report;
pub mod subscription;
