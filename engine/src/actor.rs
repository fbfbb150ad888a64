//! Who asks for a command. The Discord adapter decides who is an admin (by role, on the server
//! side); the engine checks that each command comes from an actor allowed to give it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::Rejection;
use crate::ids::UserId;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    Shopper(UserId),
    Admin(UserId),
    /// The engine itself: jobs, the outbox worker, executor results.
    System,
}

impl Actor {
    pub fn user(self) -> Option<UserId> {
        match self {
            Actor::Shopper(u) | Actor::Admin(u) => Some(u),
            Actor::System => None,
        }
    }

    pub fn is_admin(self) -> bool {
        matches!(self, Actor::Admin(_))
    }

    /// Only an admin may give this command.
    pub fn require_admin(self) -> Result<(), Rejection> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(Rejection::AdminOnly)
        }
    }

    /// An admin or the engine itself (a job, the start-up that installs the default policies)
    /// may give this command; a shopper may not.
    pub fn require_operator(self) -> Result<(), Rejection> {
        match self {
            Actor::Admin(_) | Actor::System => Ok(()),
            Actor::Shopper(_) => Err(Rejection::AdminOnly),
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Actor::Shopper(u) => write!(f, "shopper {u}"),
            Actor::Admin(u) => write!(f, "admin {u}"),
            Actor::System => f.write_str("system"),
        }
    }
}

impl fmt::Debug for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
