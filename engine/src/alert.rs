//! What the admins are alerted about, typed: each adapter words an alert in the reader's
//! language from its kind. `Display` is the English wording, kept as the alert's `message` for
//! the log and for alerts stored before kinds existed.

use std::fmt;

use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::effect::PanelAction;
use crate::order::StateKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AlertKind {
    /// Provisioning failed for good (a Retry button follows).
    ProvisioningFailed {
        code: String,
        attempts: u32,
        error: String,
    },
    /// A payment arrived for an order that no longer waits for one.
    PaymentNotAwaited {
        provider: String,
        reference: String,
        paid: String,
        code: String,
        state: StateKind,
    },
    CheckoutFailed {
        provider: String,
        code: String,
        attempts: u32,
        error: String,
    },
    MoveFailed {
        subscription: String,
        client: String,
        server: String,
        attempts: u32,
        error: String,
    },
    PanelFailed {
        action: PanelAction,
        client: String,
        server: String,
        attempts: u32,
        error: String,
    },
    /// A Discord effect (a message, a channel) gave up.
    DiscordFailed {
        effect: String,
        attempts: u32,
        error: String,
    },
    /// Reconciliation found differences (the first few shown).
    Drift {
        server: String,
        count: usize,
        shown: Vec<String>,
    },
    ServerUp {
        server: String,
        down_for: SignedDuration,
    },
    ServerDown {
        server: String,
        since: Timestamp,
        error: String,
    },
    /// Subscriptions that must move off a server have nowhere to go.
    MovesStuck {
        server: String,
        count: usize,
        reason: String,
    },
    /// A policy failed; its kind fails closed.
    PolicyFailed {
        policy: String,
        hash: String,
        error: String,
    },
}

impl fmt::Display for AlertKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use AlertKind as A;
        match self {
            A::ProvisioningFailed {
                code,
                attempts,
                error,
            } => write!(
                f,
                "Provisioning order {code} failed after attempt {attempts}: {error}"
            ),
            A::PaymentNotAwaited {
                provider,
                reference,
                paid,
                code,
                state,
            } => write!(
                f,
                "A {provider} payment ({reference}, {paid}) arrived for order {code}, which is {} and no longer waits for one. Please refund or honour it by hand.",
                state.describe()
            ),
            A::CheckoutFailed {
                provider,
                code,
                attempts,
                error,
            } => write!(
                f,
                "Could not open a {provider} checkout for order {code} after {attempts} attempts: {error}. The shopper can still pay another way or send a screenshot."
            ),
            A::MoveFailed {
                subscription,
                client,
                server,
                attempts,
                error,
            } => write!(
                f,
                "Could not move subscription {subscription} ({client}) to server {server} after {attempts} attempts: {error}. It stays where it is; the health job plans the move again."
            ),
            A::PanelFailed {
                action,
                client,
                server,
                attempts,
                error,
            } => write!(
                f,
                "Could not {} {client} on server {server} after {attempts} attempts: {error}. Please check the panel.",
                match action {
                    PanelAction::Disable => "disable",
                    PanelAction::Delete => "delete",
                    PanelAction::ResetTraffic => "reset the traffic of",
                }
            ),
            A::DiscordFailed {
                effect,
                attempts,
                error,
            } => write!(f, "Could not {effect} after {attempts} attempts: {error}"),
            A::Drift {
                server,
                count,
                shown,
            } => {
                write!(
                    f,
                    "Reconciliation found {count} difference(s) on server {server} (nothing was changed):\n- {}",
                    shown.join("\n- ")
                )?;
                let more = count.saturating_sub(shown.len());
                if more > 0 {
                    write!(f, "\n…and {more} more (see the audit log)")?;
                }
                Ok(())
            }
            A::ServerUp { server, down_for } => write!(
                f,
                "Server {server} is back up (it was down for {down_for:#})."
            ),
            A::ServerDown {
                server,
                since,
                error,
            } => write!(
                f,
                "Server {server} is down since {since}: {error}. It is not offered to new orders until it answers again."
            ),
            A::MovesStuck {
                server,
                count,
                reason,
            } => write!(
                f,
                "{count} subscription(s) on server {server} must move, but cannot: {reason}. Add a server or free room."
            ),
            A::PolicyFailed {
                policy,
                hash,
                error,
            } => write!(
                f,
                "The {policy} policy ({hash}) failed: {error}. Shoppers cannot buy until it works again: roll back with `/policy rollback`, or fix its config with `/policy config`."
            ),
        }
    }
}
