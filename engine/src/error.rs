//! The engine's errors: a rejection the shopper or admin can be shown, and the rest.

use crate::ids::{InvalidId, UserId};
use crate::money::MoneyError;
use crate::order::ReviewOutcome;
use crate::policy::PolicyError;
pub use crate::store::{DecodeError, StoreError};

/// A field an operator or shopper got wrong, with what would be right.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} {message}")]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Invalid {
            field,
            message: message.into(),
        }
    }
}

/// An event the order machine refused. Nothing was written; the text can be shown as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    /// `event` is the event's verb ("be cancelled"), for the log; what the shopper reads is
    /// worded from `state`.
    #[error("this order is {}; it cannot {event} now", state.describe())]
    NotAllowedNow {
        state: crate::order::StateKind,
        event: &'static str,
    },
    /// The order is someone else's (`owner` is, for saying who may act on it).
    #[error("this is not your order")]
    NotYourOrder { owner: UserId },
    #[error("only an admin can do that")]
    AdminOnly,
    #[error("only the shop itself can do that")]
    SystemOnly,
    #[error("already {outcome} by {by}")]
    AlreadyDecided { outcome: ReviewOutcome, by: UserId },
    #[error("that payment method is not offered for this order")]
    MethodNotOffered,
    #[error("the proof must be an image (PNG, JPEG, WebP or GIF)")]
    ProofNotImage,
    #[error("the proof is too large (at most {max_bytes} bytes)")]
    ProofTooLarge { max_bytes: u64 },
    #[error("a reason is required (1 to {max} characters)")]
    BadReason { max: usize },
    #[error("the order is not due to time out yet")]
    NotDue,
    #[error("no server can take this order: {reason}")]
    NoServer { reason: String },
    #[error("this result is for provisioning attempt {got}, but attempt {expected} is running")]
    StaleAttempt { expected: u32, got: u32 },
    #[error("this result reports {got} client(s), but the order asked for {expected}")]
    IncompleteProvisioning { expected: usize, got: usize },
    /// A provider's invoice, session or transaction already paid another order.
    #[error("this payment was already used for order {order_code}")]
    PaymentUsedElsewhere { order_code: String },
    #[error("this order's plan is not a trial")]
    NotATrial,
}

/// Everything a `Shop` command can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    #[error(transparent)]
    Rejected(#[from] Rejection),
    #[error("no {what} {id:?}")]
    NotFound { what: &'static str, id: String },
    #[error("{what} {id:?} already exists")]
    AlreadyExists { what: &'static str, id: String },
    #[error("invalid {0}")]
    Invalid(#[from] Invalid),
    #[error(transparent)]
    InvalidId(#[from] InvalidId),
    #[error(transparent)]
    Money(#[from] MoneyError),
    /// The pricing policy refused (unknown coupon, plan not offered to this shopper).
    #[error("{reason}")]
    PricingRejected { reason: String },
    /// Every payment method is hidden or disabled for this price: the order cannot be paid.
    #[error("no payment method is available for this order")]
    NoPaymentMethod,
    /// This shopper may not have this trial.
    #[error(transparent)]
    Trial(#[from] crate::trial::TrialRefusal),
    /// A policy failed and its kind fails closed: nothing was charged or written.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<redb::Error> for ShopError {
    fn from(e: redb::Error) -> Self {
        ShopError::Store(StoreError::from(e))
    }
}

macro_rules! store_error_via {
    ($($t:ty),*) => {$(
        impl From<$t> for ShopError {
            fn from(e: $t) -> Self {
                ShopError::Store(StoreError::from(redb::Error::from(e)))
            }
        }
    )*};
}
store_error_via!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

impl From<crate::store::DecodeError> for ShopError {
    fn from(e: crate::store::DecodeError) -> Self {
        ShopError::Store(StoreError::Decode(e))
    }
}
