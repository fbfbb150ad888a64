//! Identifiers: Discord snowflakes for people, ULIDs for what the engine creates, slugs for what
//! operators name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use ulid::Ulid;

/// A Discord user (shopper or admin): a snowflake.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UserId(pub u64);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Discord's epoch: snowflakes count milliseconds from 2015-01-01T00:00:00Z.
const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

impl UserId {
    /// When the Discord account was created: a snowflake's top 42 bits are the milliseconds
    /// since Discord's epoch.
    pub fn created_at(self) -> jiff::Timestamp {
        let ms = i64::try_from(self.0 >> 22).unwrap_or(i64::MAX / 2) + DISCORD_EPOCH_MS;
        jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::MAX)
    }

    /// The smallest snowflake of an account created at `at` (tests and the demo make
    /// accounts of a given age with it).
    pub fn created(at: jiff::Timestamp) -> UserId {
        let ms = (at.as_millisecond() - DISCORD_EPOCH_MS).max(0);
        UserId((ms as u64) << 22)
    }
}

impl fmt::Debug for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "user:{}", self.0)
    }
}

macro_rules! ulid_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Ulid);

        impl $name {
            /// The 128-bit key this id is stored under (ULIDs sort by creation time).
            pub fn key(self) -> u128 {
                self.0.0
            }

            pub fn from_key(key: u128) -> Self {
                $name(Ulid(key))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, ":{}"), self.0)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ulid::from_string(s.trim())
                    .map($name)
                    .map_err(|_| InvalidId { kind: $prefix, value: s.to_owned() })
            }
        }
    };
}

ulid_id!(
    /// An order. Doubles as the outbox stream of the order's effects.
    OrderId,
    "order"
);
ulid_id!(
    /// A subscription: one VPN client on one panel, extended by renewals.
    SubscriptionId,
    "subscription"
);
ulid_id!(
    /// An admin's broadcast. Doubles as the outbox stream of its DMs (one at a time).
    BroadcastId,
    "broadcast"
);

impl OrderId {
    /// The short code a shopper quotes as the payment reference: the last eight characters of
    /// the ULID (its random part), prefixed so it reads as ours.
    pub fn code(self) -> String {
        let s = self.0.to_string();
        format!("NL-{}", &s[s.len() - 8..])
    }

    /// The 3x-ui client email for a subscription first bought by this order: derived from the
    /// order id, so a replayed provisioning finds the client it made before.
    pub fn client_email(self) -> String {
        format!("nl-{}", self.0.to_string().to_ascii_lowercase())
    }
}

impl SubscriptionId {
    /// The client email of a subscription that is not its order's first (a plan's other
    /// servers, a move to another server): derived from its own id, chosen before the effect is
    /// written, so a replayed provisioning finds the client it made before.
    pub fn client_email(self) -> String {
        format!("nl-{}", self.0.to_string().to_ascii_lowercase())
    }
}

/// An identifier that did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {kind} id")]
pub struct InvalidId {
    pub kind: &'static str,
    pub value: String,
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// 1 to 32 characters of `a-z`, `0-9`, `-` and `_`, starting with a letter or digit.
            pub fn new(value: impl Into<String>) -> Result<Self, InvalidId> {
                let value = value.into();
                let ok = (1..=32).contains(&value.len())
                    && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
                    && value.as_bytes()[0].is_ascii_alphanumeric();
                if ok { Ok($name(value)) } else { Err(InvalidId { kind: $kind, value }) }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($kind, ":{}"), self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::new(value)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::new(s.trim())
            }
        }
    };
}

slug_id!(
    /// A plan, named by the operator (`month-50gb`).
    PlanId,
    "plan"
);
slug_id!(
    /// A payment method, named by the operator (`vodafone-cash`).
    MethodId,
    "method"
);
slug_id!(
    /// A VPN server (one gateway in front of one 3x-ui panel), named by the operator (`fra-1`).
    ServerId,
    "server"
);
