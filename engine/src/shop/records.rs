//! What the shop stores for orders, events, shoppers and subscriptions, and the index rows that
//! go with each write.

use jiff::Timestamp;
use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::effect::Scheduled;
use crate::error::ShopError;
use crate::ids::{OrderId, UserId};
use crate::order::{Event, Order, State};
use crate::outbox;
use crate::store::{self, StoreError, millis, tables::*};
use crate::subscription::{Lifecycle, Subscription, SubscriptionStatus};

/// An order and the state it is in: one row of `orders_v1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRecord {
    pub order: Order,
    pub state: State,
}

/// One row of an order's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventRecord {
    pub seq: u32,
    pub at: Timestamp,
    pub actor: Actor,
    /// `open`, or the event's name.
    pub name: String,
    /// The event (none for the opening, whose data is the order itself).
    pub event: Option<Event>,
    pub from: Option<String>,
    pub to: String,
}

/// What the shop remembers of a shopper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopperRecord {
    pub first_seen: Timestamp,
    /// Fulfilled orders (new and renewals).
    pub paid_orders: u32,
    pub orders: u32,
}

pub(super) fn load_order(
    table: &impl ReadableTable<u128, &'static [u8]>,
    id: OrderId,
) -> Result<OrderRecord, ShopError> {
    store::get(table, ORDERS_NAME, id.key())?.ok_or_else(|| ShopError::NotFound {
        what: "order",
        id: id.to_string(),
    })
}

/// Writes an order and moves its index rows. `from` is the state it was in (`None`: new).
pub(super) fn write_order(
    txn: &WriteTransaction,
    record: &OrderRecord,
    from: Option<&State>,
) -> Result<(), StoreError> {
    let order = &record.order;
    let id = order.id.key();
    store::put(&mut txn.open_table(ORDERS)?, id, record)?;
    let mut by_state = txn.open_table(ORDERS_BY_STATE)?;
    if let Some(from) = from {
        by_state.remove((from.name(), id))?;
    }
    by_state.insert((record.state.name(), id), ())?;
    let mut by_deadline = txn.open_table(ORDERS_BY_DEADLINE)?;
    // Only open orders can time out: in the index from opening until they leave `Open`.
    match (from.map(State::is_open), record.state.is_open()) {
        (None, true) => {
            by_deadline.insert((millis(order.deadline), id), ())?;
        }
        (Some(true), false) => {
            by_deadline.remove((millis(order.deadline), id))?;
        }
        _ => {}
    }
    // Closed orders wait in the retention indexes (channel clean-up, then the proof purge).
    if record.state.is_closed() && !from.is_some_and(State::is_closed) {
        let key = (millis(order.updated_at), id);
        txn.open_table(RETENTION_CHANNELS)?.insert(key, ())?;
        txn.open_table(RETENTION_PURGE)?.insert(key, ())?;
    }
    if from.is_none() {
        txn.open_table(ORDERS_BY_SHOPPER)?
            .insert((order.shopper.0, id), ())?;
        txn.open_table(ORDER_CODES)?
            .insert(order.id.code().as_str(), id)?;
    }
    Ok(())
}

/// Appends a history row.
pub(super) fn log_event(
    txn: &WriteTransaction,
    order: OrderId,
    row: &EventRecord,
) -> Result<(), StoreError> {
    store::put(
        &mut txn.open_table(ORDER_EVENTS)?,
        (order.key(), row.seq),
        row,
    )
}

/// Writes the effects of one event to the outbox, keyed by order, event number and position.
pub(super) fn enqueue_effects(
    txn: &WriteTransaction,
    order: OrderId,
    seq: u32,
    effects: Vec<Scheduled>,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let count = effects.len();
    for (i, scheduled) in effects.into_iter().enumerate() {
        let key = format!("order:{order}/e{seq}/{i}:{}", scheduled.effect.name());
        outbox::enqueue(txn, key, scheduled, now)?;
    }
    Ok(count)
}

/// Whether a subscription in this status holds a slot on its server.
pub(super) fn holds_slot(status: SubscriptionStatus) -> bool {
    matches!(
        status,
        SubscriptionStatus::Active | SubscriptionStatus::Suspended
    )
}

/// Writes a subscription and moves its index rows (`old`: the version before, if any),
/// including its one row in the timer index.
pub(super) fn write_subscription(
    txn: &WriteTransaction,
    sub: &mut Subscription,
    old: Option<&Subscription>,
    rules: &Lifecycle,
) -> Result<(), StoreError> {
    let id = sub.id.key();
    let mut timers = txn.open_table(SUB_TIMERS)?;
    if let Some(t) = old.and_then(|o| o.timer) {
        timers.remove((millis(t.at), id))?;
    }
    sub.timer = sub.next_timer(rules);
    if let Some(t) = sub.timer {
        timers.insert((millis(t.at), id), t.kind.key())?;
    }
    drop(timers);
    store::put(&mut txn.open_table(SUBSCRIPTIONS)?, id, &*sub)?;
    let mut by_expiry = txn.open_table(SUBS_BY_EXPIRY)?;
    let mut by_server = txn.open_table(SUBS_BY_SERVER)?;
    if let Some(old) = old {
        by_expiry.remove((millis(old.expires_at), id))?;
        by_server.remove((old.server.as_str(), id))?;
    } else {
        txn.open_table(SUBS_BY_SHOPPER)?
            .insert((sub.shopper.0, id), ())?;
    }
    if sub.status != SubscriptionStatus::Deleted {
        by_expiry.insert((millis(sub.expires_at), id), ())?;
    }
    by_server.insert((sub.server.as_str(), id), holds_slot(sub.status))?;
    Ok(())
}

pub(super) fn load_shopper(
    table: &impl ReadableTable<u64, &'static [u8]>,
    shopper: UserId,
) -> Result<Option<ShopperRecord>, StoreError> {
    store::get(table, SHOPPERS_NAME, shopper.0)
}

pub(super) fn write_shopper(
    txn: &WriteTransaction,
    shopper: UserId,
    record: &ShopperRecord,
) -> Result<(), StoreError> {
    store::put(&mut txn.open_table(SHOPPERS)?, shopper.0, record)
}
