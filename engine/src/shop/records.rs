//! What the shop stores for orders, events, shoppers and subscriptions, and the index rows that
//! go with each write.

use jiff::Timestamp;
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::effect::Scheduled;
use crate::error::ShopError;
use crate::ids::{OrderId, ServerId, UserId};
use crate::order::{Event, Order, OrderKind, State};
use crate::outbox;
use crate::store::{self, StoreError, Txn, millis, tables::*};
use crate::subscription::{Lifecycle, PanelView, Subscription, SubscriptionStatus};

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
    txn: &Txn,
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
    // The order's provisioning request is the same on both sides of a move in or out of
    // `Provisioning` (a retry sets a new one only when leaving `Failed`).
    let was = from.map_or_else(Vec::new, |from| in_flight_on(from, order));
    let is = in_flight_on(&record.state, order);
    if was != is {
        for server in was {
            move_slot(txn, Some(server.as_str()), None)?;
        }
        for server in is {
            move_slot(txn, None, Some(server.as_str()))?;
        }
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
pub(super) fn log_event(txn: &Txn, order: OrderId, row: &EventRecord) -> Result<(), StoreError> {
    store::put(
        &mut txn.open_table(ORDER_EVENTS)?,
        (order.key(), row.seq),
        row,
    )
}

/// Writes the effects of one event to the outbox, keyed by order, event number and position.
pub(super) fn enqueue_effects(
    txn: &Txn,
    order: OrderId,
    seq: u32,
    effects: Vec<Scheduled>,
    now: Timestamp,
) -> Result<usize, StoreError> {
    let count = effects.len();
    for (i, scheduled) in effects.into_iter().enumerate() {
        let key = format!("order:{order}/e{seq}/{i}:{}", scheduled.effect.name());
        outbox::enqueue_unique(txn, key, scheduled, now)?;
    }
    Ok(count)
}

/// A subscription's row in the server index.
pub(super) fn panel_row(v: &PanelView) -> (u8, u64, i64, u64, &str) {
    (
        v.status.key(),
        v.used_bytes,
        millis(v.expires_at),
        v.traffic_limit_bytes,
        &v.client_email,
    )
}

/// The panel view in a row of the server index.
pub(super) fn panel_view(
    id: u128,
    (status, used_bytes, expires, limit, email): (u8, u64, i64, u64, &str),
) -> Result<PanelView, StoreError> {
    let corrupt = |detail: &str| {
        StoreError::Decode(store::DecodeError::Malformed {
            table: "subscriptions_by_server_v2",
            detail: detail.to_owned(),
        })
    };
    Ok(PanelView {
        id: crate::ids::SubscriptionId::from_key(id),
        client_email: email.to_owned(),
        status: SubscriptionStatus::from_key(status).ok_or_else(|| corrupt("unknown status"))?,
        used_bytes,
        expires_at: Timestamp::from_millisecond(expires).map_err(|_| corrupt("bad expiry"))?,
        traffic_limit_bytes: limit,
    })
}

/// Writes a subscription and moves its index rows (`old`: the version before, if any),
/// including its one row in the timer index.
pub(super) fn write_subscription(
    txn: &Txn,
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
    let mut versions = txn.open_table(SHOPPER_FEED_VERSIONS)?;
    let version = versions.get(sub.shopper.0)?.map_or(0, |v| v.value());
    versions.insert(sub.shopper.0, version + 1)?;
    drop(versions);
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
    let view = PanelView::from(&*sub);
    by_server.insert((sub.server.as_str(), id), panel_row(&view))?;
    let was = old
        .filter(|o| o.status.holds_slot())
        .map(|o| o.server.as_str());
    let is = sub.status.holds_slot().then_some(sub.server.as_str());
    if was != is {
        move_slot(txn, was, is)?;
    }
    Ok(())
}

/// The servers a new order being provisioned holds a slot on: each of its plan's servers (a
/// renewal takes no new slot).
pub(super) fn in_flight_on<'a>(state: &'a State, order: &'a Order) -> Vec<&'a ServerId> {
    match (state, order.kind) {
        (State::Provisioning { server, .. }, OrderKind::New) => {
            let also = order.provision.iter().flat_map(|p| &p.also);
            std::iter::once(server)
                .chain(also.map(|t| &t.server))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Gives back a slot on `from` and takes one on `to`.
fn move_slot(txn: &Txn, from: Option<&str>, to: Option<&str>) -> Result<(), StoreError> {
    let mut slots = txn.open_table(SERVER_SLOTS)?;
    if let Some(server) = from {
        let n = slots.get(server)?.map_or(0, |v| v.value());
        slots.insert(server, n.saturating_sub(1))?;
    }
    if let Some(server) = to {
        let n = slots.get(server)?.map_or(0, |v| v.value());
        slots.insert(server, n + 1)?;
    }
    Ok(())
}

/// Slots taken on `server` (see [`SERVER_SLOTS`]).
pub(super) fn slots_taken(
    slots: &impl ReadableTable<&'static str, u32>,
    server: &str,
) -> Result<u32, StoreError> {
    Ok(slots.get(server)?.map_or(0, |v| v.value()))
}

/// Builds the server index from the subscriptions (a database written before it carried the
/// panel view) and drops its first version.
pub(super) fn rebuild_server_index(txn: &Txn) -> Result<(), ShopError> {
    txn.delete_table(SUBS_BY_SERVER_V1)?;
    txn.delete_table(SUBS_BY_SERVER)?;
    let mut index = txn.open_table(SUBS_BY_SERVER)?;
    for row in txn.open_table(SUBSCRIPTIONS)?.iter()? {
        let (_, value) = row?;
        let sub: Subscription = store::envelope::decode(SUBSCRIPTIONS_NAME, value.value())?;
        index.insert(
            (sub.server.as_str(), sub.id.key()),
            panel_row(&PanelView::from(&sub)),
        )?;
    }
    txn.open_table(META)?.insert(SUBS_BY_SERVER_BUILT_KEY, 1)?;
    Ok(())
}

/// Counts every server's slots again from the indexes (a database written before the counts
/// were kept, or restored from such a backup).
pub(super) fn rebuild_slots(txn: &Txn) -> Result<(), ShopError> {
    let mut counts: std::collections::HashMap<String, u32> = Default::default();
    for row in txn.open_table(SUBS_BY_SERVER)?.iter()? {
        let (key, row) = row?;
        if panel_view(key.value().1, row.value())?.status.holds_slot() {
            *counts.entry(key.value().0.to_owned()).or_default() += 1;
        }
    }
    let orders = txn.open_table(ORDERS)?;
    let name = "provisioning";
    for row in txn
        .open_table(ORDERS_BY_STATE)?
        .range((name, 0)..=(name, u128::MAX))?
    {
        let record = load_order(&orders, OrderId::from_key(row?.0.value().1))?;
        for server in in_flight_on(&record.state, &record.order) {
            *counts.entry(server.to_string()).or_default() += 1;
        }
    }
    drop(orders);
    txn.delete_table(SERVER_SLOTS)?;
    let mut slots = txn.open_table(SERVER_SLOTS)?;
    for (server, n) in &counts {
        slots.insert(server.as_str(), *n)?;
    }
    txn.open_table(META)?.insert(SLOTS_BUILT_KEY, 1)?;
    Ok(())
}

pub(super) fn load_shopper(
    table: &impl ReadableTable<u64, &'static [u8]>,
    shopper: UserId,
) -> Result<Option<ShopperRecord>, StoreError> {
    store::get(table, SHOPPERS_NAME, shopper.0)
}

pub(super) fn write_shopper(
    txn: &Txn,
    shopper: UserId,
    record: &ShopperRecord,
) -> Result<(), StoreError> {
    store::put(&mut txn.open_table(SHOPPERS)?, shopper.0, record)
}

/// A shopper's subscriptions in one snapshot, newest first.
pub(super) fn subscriptions_of_shopper(
    read: &redb::ReadTransaction,
    shopper: crate::ids::UserId,
) -> Result<Vec<crate::subscription::Subscription>, StoreError> {
    let subs = read.open_table(SUBSCRIPTIONS)?;
    let mut out = Vec::new();
    for row in read
        .open_table(SUBS_BY_SHOPPER)?
        .range((shopper.0, 0)..=(shopper.0, u128::MAX))?
        .rev()
    {
        let id = row?.0.value().1;
        if let Some(sub) = store::get(&subs, SUBSCRIPTIONS_NAME, id)? {
            out.push(sub);
        }
    }
    Ok(out)
}

/// The live (not deleted) subscriptions of `shopper`'s group `group`, oldest first: a plan's
/// clients on its several servers, and whatever replaced one of them.
pub(super) fn group_members(
    subs: &impl ReadableTable<u128, &'static [u8]>,
    by_shopper: &impl ReadableTable<(u64, u128), ()>,
    shopper: crate::ids::UserId,
    group: crate::ids::SubscriptionId,
) -> Result<Vec<Subscription>, StoreError> {
    let mut out = Vec::new();
    for row in by_shopper.range((shopper.0, 0)..=(shopper.0, u128::MAX))? {
        let id = row?.0.value().1;
        if let Some(sub) = store::get::<u128, Subscription>(subs, SUBSCRIPTIONS_NAME, id)?
            && sub.group_id() == group
            && sub.status != SubscriptionStatus::Deleted
        {
            out.push(sub);
        }
    }
    Ok(out)
}
