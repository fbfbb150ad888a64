//! The executors the outbox worker hands effects to. The engine defines them; adapters implement
//! them: the Discord bot for [`DiscordEffects`], the gateway client for [`Provisioner`].
//!
//! Every effect may be delivered more than once (a crash between doing it and recording it), so
//! every executor must be idempotent: the Discord side records the ids it creates under the
//! effect's key; provisioning looks the client up by its email before creating it.

use std::future::Future;

use jiff::Timestamp;

use crate::effect::{DiscordEffect, PanelOp};
use crate::order::{ProvisionRequest, ProvisionedAccess};
use crate::payment::{Checkout, CheckoutRequest};
use crate::server::Server;

/// Why an executor could not carry an effect out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExecError {
    /// Trying again cannot help (a 4xx from the gateway, a channel that no longer exists).
    pub permanent: bool,
    /// What went wrong, for admins and logs; never a secret.
    pub message: String,
}

impl ExecError {
    pub fn transient(message: impl Into<String>) -> Self {
        ExecError {
            permanent: false,
            message: message.into(),
        }
    }

    pub fn permanent(message: impl Into<String>) -> Self {
        ExecError {
            permanent: true,
            message: message.into(),
        }
    }
}

/// Carries out Discord effects (channels, messages, DMs, the shop panel).
pub trait DiscordEffects: Send + Sync {
    /// `key` is the effect's idempotency key: the same key means the same effect.
    fn execute(
        &self,
        key: &str,
        effect: &DiscordEffect,
    ) -> impl Future<Output = Result<(), ExecError>> + Send;
}

/// Creates or extends VPN clients on panels.
pub trait Provisioner: Send + Sync {
    /// Makes the client described by `request` exist on `server` (finding the one made by an
    /// earlier delivery of the same request, if any) and returns how to reach it.
    fn provision(
        &self,
        server: &Server,
        request: &ProvisionRequest,
    ) -> impl Future<Output = Result<ProvisionedAccess, ExecError>> + Send;

    /// Disables or deletes a client (already disabled or gone counts as done).
    fn manage(
        &self,
        server: &Server,
        op: &PanelOp,
    ) -> impl Future<Output = Result<(), ExecError>> + Send;
}

/// Opens checkouts (invoices, sessions) with payment providers. Idempotent by order: a second
/// call for the same order finds the checkout the first opened.
pub trait Checkouts: Send + Sync {
    fn open<'a>(
        &'a self,
        request: &'a CheckoutRequest,
    ) -> futures_util::future::BoxFuture<'a, Result<Checkout, ExecError>>;
}

/// A client as its panel reports it, from one bulk call per server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelClient {
    pub email: String,
    /// Upload plus download.
    pub used_bytes: u64,
    /// 0: unlimited.
    pub traffic_limit_bytes: u64,
    pub enabled: bool,
    /// `None`: never expires.
    pub expires_at: Option<Timestamp>,
}

/// What the jobs ask of each server's panel. One call per server, never one per client.
pub trait Panels: Send + Sync {
    /// Every client of the server's inbound, with usage, in one request.
    fn clients(
        &self,
        server: &Server,
    ) -> impl Future<Output = Result<Vec<PanelClient>, ExecError>> + Send;

    /// Whether the server's gateway and panel answer (`Err` carries why not).
    fn health(&self, server: &Server) -> impl Future<Output = Result<(), ExecError>> + Send;
}
