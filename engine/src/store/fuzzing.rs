//! Fuzz entry point: bytes as they could be found in any table after a bad disk, a bad restore or
//! a bad build. Decoding refuses them with a typed error or gives a value; nothing panics; and a
//! value that decodes is written back to the same value.
//!
//! The first byte picks the table and whether the harness seals the rest in a valid envelope
//! (so the fuzzer reaches the record decoders past the checksum) or hands it over as it is.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::envelope::{decode, decode_blob, encode, encode_blob};
use super::tables::*;
use crate::audit::AuditEntry;
use crate::broadcast::Broadcast;
use crate::outbox::OutboxRow;
use crate::payment::PaymentRecord;
use crate::payment_method::PaymentMethod;
use crate::plan::Plan;
use crate::policy::{ActivePolicy, DecisionRecord, PolicyConfig, PolicyVersion};
use crate::server::Server;
use crate::shop::{EventRecord, OrderRecord, ServerHealth, ShopperLocale, ShopperRecord};
use crate::sub_url::Device;
use crate::subscription::Subscription;
use crate::trial::TrialUse;

fn record<T: Serialize + DeserializeOwned>(table: &'static str, bytes: &[u8]) {
    let Ok(value) = decode::<T>(table, bytes) else {
        return;
    };
    let again = encode(&value);
    let back: T = decode(table, &again)
        .unwrap_or_else(|e| panic!("{table}: a value that decoded does not decode again: {e}"));
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        serde_json::to_value(&value).unwrap(),
        "{table}: a value changed on its way back"
    );
}

fn blob(table: &'static str, bytes: &[u8]) {
    if let Ok(value) = decode_blob(table, bytes) {
        assert_eq!(decode_blob(table, &encode_blob(&value)).unwrap(), value);
    }
}

/// Decodes a value of one table's type, and checks it writes back to itself.
type Check = fn(&'static str, &[u8]);

/// Every table that holds enveloped values, with the type it holds.
const TABLES: &[(&str, Check)] = &[
    (ORDERS_NAME, record::<OrderRecord>),
    (ORDER_EVENTS_NAME, record::<EventRecord>),
    (SUBSCRIPTIONS_NAME, record::<Subscription>),
    (SHOPPERS_NAME, record::<ShopperRecord>),
    (PLANS_NAME, record::<Plan>),
    (METHODS_NAME, record::<PaymentMethod>),
    (SERVERS_NAME, record::<Server>),
    (OUTBOX_NAME, record::<OutboxRow>),
    (AUDIT_NAME, record::<AuditEntry>),
    (PROOF_BLOBS_NAME, blob),
    (SUB_TOKENS_NAME, record::<String>),
    (SUB_DEVICES_NAME, record::<Device>),
    (PAYMENTS_NAME, record::<PaymentRecord>),
    (TRIALS_NAME, record::<TrialUse>),
    (BROADCASTS_NAME, record::<Broadcast>),
    (SHOPPER_LOCALES_NAME, record::<ShopperLocale>),
    (POLICY_VERSIONS_NAME, record::<PolicyVersion>),
    (POLICY_BYTES_NAME, blob),
    (POLICY_ACTIVE_NAME, record::<ActivePolicy>),
    (POLICY_CONFIGS_NAME, record::<PolicyConfig>),
    (POLICY_ARTIFACTS_NAME, blob),
    (DECISIONS_NAME, record::<DecisionRecord>),
    (SERVER_HEALTH_NAME, record::<ServerHealth>),
    (EXTERNAL_REFS_NAME, record::<String>),
    (SETTINGS_NAME, record::<String>),
];

/// One stored value.
pub fn stored_value(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let (table, check) = TABLES[usize::from(pick & 0x7f) % TABLES.len()];
    if pick & 0x80 != 0 {
        check(table, &encode_blob(rest));
    } else {
        check(table, rest);
    }
}
