//! Table definitions. The `_v1` suffix is the table's schema version.

use redb::{TableDefinition, WriteTransaction};

use super::StoreError;

/// Schema version and which derived tables were built. (Databases of earlier builds also hold
/// `seq.outbox` and `seq.audit` here; ids are now one past the table's last key.)
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta_v1");
pub const SCHEMA_KEY: &str = "schema";

/// Order id → `OrderRecord` (the order and its state).
pub const ORDERS_NAME: &str = "orders_v1";
pub const ORDERS: TableDefinition<u128, &[u8]> = TableDefinition::new(ORDERS_NAME);
/// (order id, event number) → `EventRecord`: append-only history.
pub const ORDER_EVENTS_NAME: &str = "order_events_v1";
pub const ORDER_EVENTS: TableDefinition<(u128, u32), &[u8]> =
    TableDefinition::new(ORDER_EVENTS_NAME);
/// (state name, order id): orders by state.
pub const ORDERS_BY_STATE: TableDefinition<(&str, u128), ()> =
    TableDefinition::new("orders_by_state_v1");
/// (shopper, order id): a shopper's orders.
pub const ORDERS_BY_SHOPPER: TableDefinition<(u64, u128), ()> =
    TableDefinition::new("orders_by_shopper_v1");
/// (deadline ms, order id): open orders by when they time out.
pub const ORDERS_BY_DEADLINE: TableDefinition<(i64, u128), ()> =
    TableDefinition::new("orders_by_deadline_v1");

/// Subscription id → `Subscription`.
pub const SUBSCRIPTIONS_NAME: &str = "subscriptions_v1";
pub const SUBSCRIPTIONS: TableDefinition<u128, &[u8]> = TableDefinition::new(SUBSCRIPTIONS_NAME);
/// (expiry ms, subscription id).
pub const SUBS_BY_EXPIRY: TableDefinition<(i64, u128), ()> =
    TableDefinition::new("subscriptions_by_expiry_v1");
/// (server id, subscription id) → what the panel sweeps compare of it, so that traffic and
/// reconciliation read one row per subscription.
pub const SUBS_BY_SERVER: TableDefinition<(&str, u128), PanelRow> =
    TableDefinition::new("subscriptions_by_server_v2");
/// A subscription's row in [`SUBS_BY_SERVER`]: its status, traffic used, expiry (ms), traffic
/// limit (0: unlimited) and client email, what the panel sweeps compare.
pub type PanelRow = (u8, u64, i64, u64, &'static str);
/// Set once [`SUBS_BY_SERVER`] was built from the subscriptions (and version 1 dropped).
pub const SUBS_BY_SERVER_BUILT_KEY: &str = "subscriptions_by_server_v2_built";
/// The server index before it carried the panel view: a flag for holding a slot.
pub const SUBS_BY_SERVER_V1: TableDefinition<(&str, u128), bool> =
    TableDefinition::new("subscriptions_by_server_v1");
/// (shopper, subscription id).
pub const SUBS_BY_SHOPPER: TableDefinition<(u64, u128), ()> =
    TableDefinition::new("subscriptions_by_shopper_v1");

/// Shopper → `ShopperRecord` (first seen, paid orders).
pub const SHOPPERS_NAME: &str = "shoppers_v1";
pub const SHOPPERS: TableDefinition<u64, &[u8]> = TableDefinition::new(SHOPPERS_NAME);

/// Catalogue: id → `Plan`, `PaymentMethod`, `Server`.
pub const PLANS_NAME: &str = "plans_v1";
pub const PLANS: TableDefinition<&str, &[u8]> = TableDefinition::new(PLANS_NAME);
pub const METHODS_NAME: &str = "payment_methods_v1";
pub const METHODS: TableDefinition<&str, &[u8]> = TableDefinition::new(METHODS_NAME);
pub const SERVERS_NAME: &str = "servers_v1";
pub const SERVERS: TableDefinition<&str, &[u8]> = TableDefinition::new(SERVERS_NAME);

/// Outbox id → `OutboxRow`.
pub const OUTBOX_NAME: &str = "outbox_v1";
pub const OUTBOX: TableDefinition<u64, &[u8]> = TableDefinition::new(OUTBOX_NAME);
/// (next attempt ms, outbox id): pending rows by when they are due.
pub const OUTBOX_DUE: TableDefinition<(i64, u64), ()> = TableDefinition::new("outbox_due_v1");
/// (lane, stream, outbox id) → not-before ms: pending rows per order and lane, in order.
pub const OUTBOX_STREAMS: TableDefinition<(u8, u128, u64), i64> =
    TableDefinition::new("outbox_streams_v1");
/// Idempotency key → outbox id: an effect is enqueued once.
pub const OUTBOX_KEYS: TableDefinition<&str, u64> = TableDefinition::new("outbox_keys_v1");

/// Audit id → `AuditEntry`.
pub const AUDIT_NAME: &str = "audit_v1";
pub const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new(AUDIT_NAME);

/// Order id → proof image bytes.
pub const PROOF_BLOBS_NAME: &str = "proof_blobs_v1";
pub const PROOF_BLOBS: TableDefinition<u128, &[u8]> = TableDefinition::new(PROOF_BLOBS_NAME);
/// Proof SHA-256 (hex) → the first order that used it.
pub const PROOF_HASHES: TableDefinition<&str, u128> = TableDefinition::new("proof_hashes_v1");

/// Slots taken per server: subscriptions holding one plus new orders being provisioned there.
/// Derived from the indexes (rebuilt on open when `SLOTS_BUILT_KEY` is missing from `META`) and
/// kept by the writes that move them, so placing an order reads one row instead of a scan.
pub const SERVER_SLOTS: TableDefinition<&str, u32> = TableDefinition::new("server_slots_v1");
pub const SLOTS_BUILT_KEY: &str = "server_slots_built";

/// Shopper → their personal subscription token (the secret in their subscription URL).
pub const SUB_TOKENS_NAME: &str = "sub_tokens_v1";
pub const SUB_TOKENS: TableDefinition<u64, &[u8]> = TableDefinition::new(SUB_TOKENS_NAME);
/// SHA-256 of a token (hex) → its shopper: how a fetch finds the shopper without storing the lookup
/// key in the clear. A reset removes the old row, so the old URL answers 404 at once.
pub const SUB_TOKEN_HASHES: TableDefinition<&str, u64> =
    TableDefinition::new("sub_token_hashes_v1");
/// Shopper → the version of their subscriptions, bumped by every write of one of them: a feed
/// kept in memory is known current from this one row of the same snapshot.
pub const SHOPPER_FEED_VERSIONS: TableDefinition<u64, u64> =
    TableDefinition::new("shopper_feed_versions_v1");
/// (shopper, device id its app sends as `x-hwid`) → the `Device` record.
pub const SUB_DEVICES_NAME: &str = "sub_devices_v1";
pub const SUB_DEVICES: TableDefinition<(u64, &str), &[u8]> = TableDefinition::new(SUB_DEVICES_NAME);

/// `provider:reference` → `PaymentRecord`: every invoice, session and transaction the shop
/// knows of. A reference pays one order, ever (the unique index of transaction ids).
pub const PAYMENTS_NAME: &str = "payments_v1";
pub const PAYMENTS: TableDefinition<&str, &[u8]> = TableDefinition::new(PAYMENTS_NAME);
/// `provider:reference` → order id: checkouts not paid yet, which the reconciliation job asks
/// their provider about (a lost webhook is found there).
pub const OPEN_CHECKOUTS: TableDefinition<&str, u128> = TableDefinition::new("open_checkouts_v1");
/// `provider:event id` → when it was taken: webhook events already acted on.
pub const PAYMENT_EVENTS: TableDefinition<&str, i64> = TableDefinition::new("payment_events_v1");

/// Shopper → `TrialUse`: the trial each Discord account took (one per account, ever).
pub const TRIALS_NAME: &str = "trials_v1";
pub const TRIALS: TableDefinition<u64, &[u8]> = TableDefinition::new(TRIALS_NAME);

/// Broadcast id → `Broadcast` (its text, segment and progress).
pub const BROADCASTS_NAME: &str = "broadcasts_v1";
pub const BROADCASTS: TableDefinition<u128, &[u8]> = TableDefinition::new(BROADCASTS_NAME);
/// Shopper → when they opted out of broadcasts.
pub const BROADCAST_OPTOUTS: TableDefinition<u64, i64> =
    TableDefinition::new("broadcast_optouts_v1");

/// Shopper → `ShopperLocale`: the language they chose, or the one their last interaction
/// came in (the language of their DMs).
pub const SHOPPER_LOCALES_NAME: &str = "shopper_locales_v1";
pub const SHOPPER_LOCALES: TableDefinition<u64, &[u8]> = TableDefinition::new(SHOPPER_LOCALES_NAME);

/// The journal's bookkeeping, about this file and not the shop (so backups and dumps leave it
/// out): `id` ties the file to its journal, `seq` names the last journal record this file holds
/// durably.
pub const JOURNAL: TableDefinition<&str, u64> = TableDefinition::new("journal_v1");
pub const JOURNAL_ID_KEY: &str = "id";
pub const JOURNAL_SEQ_KEY: &str = "seq";

/// Opens every table once so that read transactions never meet a missing one.
pub fn create_all(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(ORDERS)?;
    txn.open_table(ORDER_EVENTS)?;
    txn.open_table(ORDERS_BY_STATE)?;
    txn.open_table(ORDERS_BY_SHOPPER)?;
    txn.open_table(ORDERS_BY_DEADLINE)?;
    txn.open_table(SUBSCRIPTIONS)?;
    txn.open_table(SUBS_BY_EXPIRY)?;
    txn.open_table(SUBS_BY_SERVER)?;
    txn.open_table(SUBS_BY_SHOPPER)?;
    txn.open_table(SHOPPERS)?;
    txn.open_table(PLANS)?;
    txn.open_table(METHODS)?;
    txn.open_table(SERVERS)?;
    txn.open_table(OUTBOX)?;
    txn.open_table(OUTBOX_DUE)?;
    txn.open_table(OUTBOX_STREAMS)?;
    txn.open_table(OUTBOX_KEYS)?;
    txn.open_table(AUDIT)?;
    txn.open_table(PROOF_BLOBS)?;
    txn.open_table(PROOF_HASHES)?;
    txn.open_table(POLICY_VERSIONS)?;
    txn.open_table(POLICY_BYTES)?;
    txn.open_table(POLICY_ACTIVE)?;
    txn.open_table(POLICY_CONFIGS)?;
    txn.open_table(POLICY_ARTIFACTS)?;
    txn.open_table(DECISIONS)?;
    txn.open_table(ORDER_CODES)?;
    txn.open_table(EXTERNAL_REFS)?;
    txn.open_table(SETTINGS)?;
    txn.open_table(SUB_TIMERS)?;
    txn.open_table(SERVER_HEALTH)?;
    txn.open_table(RETENTION_CHANNELS)?;
    txn.open_table(RETENTION_PURGE)?;
    txn.open_table(SERVER_SLOTS)?;
    txn.open_table(SUB_TOKENS)?;
    txn.open_table(SUB_TOKEN_HASHES)?;
    txn.open_table(SUB_DEVICES)?;
    txn.open_table(SHOPPER_FEED_VERSIONS)?;
    txn.open_table(PAYMENTS)?;
    txn.open_table(OPEN_CHECKOUTS)?;
    txn.open_table(PAYMENT_EVENTS)?;
    txn.open_table(TRIALS)?;
    txn.open_table(BROADCASTS)?;
    txn.open_table(BROADCAST_OPTOUTS)?;
    txn.open_table(SHOPPER_LOCALES)?;
    txn.open_table(JOURNAL)?;
    Ok(())
}

/// Policy sha256 → `PolicyVersion`.
pub const POLICY_VERSIONS_NAME: &str = "policy_versions_v1";
pub const POLICY_VERSIONS: TableDefinition<&str, &[u8]> =
    TableDefinition::new(POLICY_VERSIONS_NAME);
/// Policy sha256 → the policy's bytes (opaque to the engine).
pub const POLICY_BYTES_NAME: &str = "policy_bytes_v1";
pub const POLICY_BYTES: TableDefinition<&str, &[u8]> = TableDefinition::new(POLICY_BYTES_NAME);
/// Policy kind → `ActivePolicy`.
pub const POLICY_ACTIVE_NAME: &str = "policy_active_v1";
pub const POLICY_ACTIVE: TableDefinition<&str, &[u8]> = TableDefinition::new(POLICY_ACTIVE_NAME);
/// Config digest → `PolicyConfig`, so a decision's config can be found again.
pub const POLICY_CONFIGS_NAME: &str = "policy_configs_v1";
pub const POLICY_CONFIGS: TableDefinition<&str, &[u8]> = TableDefinition::new(POLICY_CONFIGS_NAME);
/// (policy sha256, host fingerprint) → a compiled artifact the host made itself.
pub const POLICY_ARTIFACTS_NAME: &str = "policy_artifacts_v1";
pub const POLICY_ARTIFACTS: TableDefinition<(&str, u64), &[u8]> =
    TableDefinition::new(POLICY_ARTIFACTS_NAME);
/// (order id, event number, policy kind) → `DecisionRecord`.
pub const DECISIONS_NAME: &str = "decisions_v1";
pub const DECISIONS: TableDefinition<(u128, u32, u8), &[u8]> = TableDefinition::new(DECISIONS_NAME);

/// (due ms, subscription id) → `TimerKind` key: each live subscription's next appointment with
/// the expiry job (reminder, expiry or deletion), so a sweep reads only what is due.
pub const SUB_TIMERS: TableDefinition<(i64, u128), u8> =
    TableDefinition::new("subscription_timers_v1");
/// Server id → `ServerHealth`, written by the health job.
pub const SERVER_HEALTH_NAME: &str = "server_health_v1";
pub const SERVER_HEALTH: TableDefinition<&str, &[u8]> = TableDefinition::new(SERVER_HEALTH_NAME);
/// (closed ms, order id): closed orders whose channel the retention job has not checked yet.
pub const RETENTION_CHANNELS: TableDefinition<(i64, u128), ()> =
    TableDefinition::new("retention_channels_v1");
/// (closed ms, order id): closed orders whose proof the retention job has not purged yet.
pub const RETENTION_PURGE: TableDefinition<(i64, u128), ()> =
    TableDefinition::new("retention_purge_v1");

/// Order code (`NL-…`) → order id.
pub const ORDER_CODES: TableDefinition<&str, u128> = TableDefinition::new("order_codes_v1");
/// Ids adapters created in the outside world (a Discord channel for an order), by key.
pub const EXTERNAL_REFS_NAME: &str = "external_refs_v1";
pub const EXTERNAL_REFS: TableDefinition<&str, &[u8]> = TableDefinition::new(EXTERNAL_REFS_NAME);
/// Operator settings made at runtime (the shop channel, the admin role), by key.
pub const SETTINGS_NAME: &str = "settings_v1";
pub const SETTINGS: TableDefinition<&str, &[u8]> = TableDefinition::new(SETTINGS_NAME);

/// Calls `$m!` with every table definition of this schema.
macro_rules! every_table {
    ($m:ident) => {
        $m!(
            META,
            ORDERS,
            ORDER_EVENTS,
            ORDERS_BY_STATE,
            ORDERS_BY_SHOPPER,
            ORDERS_BY_DEADLINE,
            SUBSCRIPTIONS,
            SUBS_BY_EXPIRY,
            SUBS_BY_SERVER,
            SUBS_BY_SHOPPER,
            SHOPPERS,
            PLANS,
            METHODS,
            SERVERS,
            OUTBOX,
            OUTBOX_DUE,
            OUTBOX_STREAMS,
            OUTBOX_KEYS,
            AUDIT,
            PROOF_BLOBS,
            PROOF_HASHES,
            POLICY_VERSIONS,
            POLICY_BYTES,
            POLICY_ACTIVE,
            POLICY_CONFIGS,
            POLICY_ARTIFACTS,
            DECISIONS,
            ORDER_CODES,
            EXTERNAL_REFS,
            SETTINGS,
            SUB_TIMERS,
            SERVER_HEALTH,
            RETENTION_CHANNELS,
            RETENTION_PURGE,
            SERVER_SLOTS,
            SUB_TOKENS,
            SUB_TOKEN_HASHES,
            SUB_DEVICES,
            SHOPPER_FEED_VERSIONS,
            PAYMENTS,
            OPEN_CHECKOUTS,
            PAYMENT_EVENTS,
            TRIALS,
            BROADCASTS,
            BROADCAST_OPTOUTS,
            SHOPPER_LOCALES
        )
    };
}
pub(crate) use every_table;
