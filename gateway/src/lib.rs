//! The gateway that runs next to each 3x-ui panel, the shop's signing client for it, and a
//! simulated panel.
//!
//! - [`api`] and [`signing`]: the wire contract, shared by both sides (always compiled);
//!   [`secret`]: keys and tokens read from the environment or a file, for both sides' configs.
//! - `client` (feature `client`): the shop's [`GatewayClient`](client::GatewayClient); it
//!   implements the engine's `Provisioner`. The shop depends on this crate with
//!   `default-features = false, features = ["client"]` and compiles no salvo.
//! - `server` (feature `server`): the salvo service, its request guard, and [`panel`], the client
//!   for 3x-ui (both API generations); [`links`] builds share links exactly as 3x-ui does.
//! - `sim` (feature `sim`): a simulated 3x-ui panel speaking the real API, for tests and the demo.

pub mod api;
pub mod secret;
pub mod signing;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
pub mod links;
#[cfg(feature = "server")]
pub mod panel;
#[cfg(feature = "server")]
pub mod server;
#[cfg(feature = "sim")]
pub mod sim;
