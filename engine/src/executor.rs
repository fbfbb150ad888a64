//! The executors the outbox worker hands effects to. The engine defines them; adapters implement
//! them: the Discord bot for [`DiscordEffects`], the gateway client for [`Provisioner`].
//!
//! Every effect may be delivered more than once (a crash between doing it and recording it), so
//! every executor must be idempotent: the Discord side records the ids it creates under the
//! effect's key; provisioning looks the client up by its email before creating it.

use std::future::Future;

use crate::effect::DiscordEffect;
use crate::order::{ProvisionRequest, ProvisionedAccess};
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
}
