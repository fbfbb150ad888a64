//! USDT (TRC-20) on TRON, by transaction id, through a TronGrid-compatible HTTP API (the
//! node's `/wallet` and `/walletsolidity` routes). A transfer pays an order when it is a
//! successful `Transfer` of the configured token contract to the shop's address, confirmed
//! (solidified, or at least N blocks deep), made after the order was opened, worth the
//! order's total at the operator's rate; the engine checks that no other order used it.

use jiff::Timestamp;
use nebula_engine::money::Money;
use nebula_engine::payment::{Paid, Provider, ReceivedPayment};
use serde::Deserialize;
use serde_json::json;

use crate::amount::{Rounding, token_units};
use crate::error::ProviderError;

/// keccak256("Transfer(address,address,uint256)"): the first topic of a TRC-20 transfer log.
pub const TRANSFER_TOPIC: &str = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

#[derive(Clone)]
pub struct TronSettings {
    /// `https://api.trongrid.io` (a simulator's address in tests).
    pub api: url::Url,
    /// TronGrid's `TRON-PRO-API-KEY`, if the operator has one.
    pub api_key: Option<String>,
    /// The shop's address (base58, `T…`).
    pub address: String,
    /// The token's contract (base58; USDT's is `TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t`).
    pub contract: String,
    pub symbol: String,
    pub decimals: u8,
    /// What one token costs in the shop's currency (the operator's exchange rate).
    pub token_price: Money,
    pub rounding: Rounding,
    /// `None`: the transfer must be solidified (irreversible); `Some(n)`: n blocks are enough.
    pub confirmations: Option<u32>,
}

impl std::fmt::Debug for TronSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TronSettings")
            .field("api", &self.api.as_str())
            .field("address", &self.address)
            .field("contract", &self.contract)
            .finish_non_exhaustive()
    }
}

/// Why a transaction id does not pay the order; shown to the shopper as it reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransferRefusal {
    #[error("that is not a TRON transaction id (64 hexadecimal characters)")]
    NotATransactionId,
    #[error("no transaction with that id was found on the TRON network")]
    NotFound,
    #[error("that transaction failed on the network; no money moved")]
    Failed,
    #[error(
        "that transaction is not confirmed yet ({have} of {need} confirmations); try again in a minute"
    )]
    NotConfirmed { have: u64, need: u64 },
    #[error("that transaction is not final yet (not solidified); try again in a minute")]
    NotSolidified,
    #[error("that transaction is not a token transfer")]
    NotATransfer,
    #[error("that transfer is not {symbol} (it moved another token)")]
    WrongToken { symbol: String },
    #[error("that transfer went to another address, not the shop's")]
    WrongRecipient,
    #[error("that transfer was made before this order was opened")]
    BeforeOrder,
    #[error("this shop's {symbol} rate is in {rate}; the order is in {order}")]
    WrongCurrency {
        symbol: String,
        rate: String,
        order: String,
    },
}

/// A transaction's receipt and logs (`gettransactioninfobyid`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionInfo {
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub block_number: Option<u64>,
    /// Milliseconds.
    #[serde(default)]
    pub block_time_stamp: Option<i64>,
    #[serde(default)]
    pub receipt: Receipt,
    #[serde(default)]
    pub log: Vec<Log>,
    /// `FAILED` on a transaction that failed; absent on success.
    #[serde(default)]
    pub result: Option<String>,
}

/// A receipt's `result` is a contract's outcome: `SUCCESS`, `REVERT`, `OUT_OF_ENERGY`...; java-tron
/// leaves it out when it is the default, so a plain TRX transfer has none.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Receipt {
    #[serde(default)]
    pub result: Option<String>,
}

/// An event log: `address` is the contract (hex, without the `41` prefix).
#[derive(Debug, Clone, Deserialize)]
pub struct Log {
    pub address: String,
    pub topics: Vec<String>,
    pub data: String,
}

/// A base58check TRON address as the 20 bytes (hex) a log carries, or `None`.
pub fn address_hex(base58: &str) -> Option<String> {
    let bytes = bs58::decode(base58).with_check(None).into_vec().ok()?;
    (bytes.len() == 21 && bytes[0] == 0x41)
        .then(|| bytes[1..].iter().map(|b| format!("{b:02x}")).collect())
}

/// The base58check address of 20 bytes (hex): what the simulator and the docs show.
pub fn address_base58(hex20: &str) -> Option<String> {
    let mut bytes = vec![0x41u8];
    for i in (0..hex20.len()).step_by(2) {
        bytes.push(u8::from_str_radix(hex20.get(i..i + 2)?, 16).ok()?);
    }
    (bytes.len() == 21).then(|| bs58::encode(bytes).with_check().into_string())
}

/// How far a block's timestamp (ms, from the producers' clocks) may be behind the shop's clock
/// for a transfer still to count as made after the order opened.
pub const CLOCK_SKEW: jiff::SignedDuration = jiff::SignedDuration::from_secs(60);

/// A log's contract address as 20 bytes of lowercase hex (nodes write it with or without `41`).
fn log_address(address: &str) -> String {
    let a = address.to_ascii_lowercase();
    match a.strip_prefix("41") {
        Some(rest) if a.len() == 42 => rest.to_owned(),
        _ => a,
    }
}

/// A transfer log's amount: its data is one 256-bit big-endian word; `None` if it does not fit
/// in 64 bits (no real USDT amount does) or is not hex.
fn transfer_units(data: &str) -> Option<u64> {
    if data.len() != 64 {
        return None;
    }
    let digits = data.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    if digits.len() > 16 {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

/// The checks, on what the node answered: the payment, or why not. Pure.
pub fn judge(
    settings: &TronSettings,
    txid: &str,
    info: &TransactionInfo,
    confirmations: u64,
    confirmed: bool,
    total: Money,
    opened: Timestamp,
) -> Result<ReceivedPayment, TransferRefusal> {
    if info.id.is_none() {
        return Err(TransferRefusal::NotFound);
    }
    let contract_failed = info
        .receipt
        .result
        .as_deref()
        .is_some_and(|r| r != "SUCCESS");
    if contract_failed || info.result.as_deref() == Some("FAILED") {
        return Err(TransferRefusal::Failed);
    }
    if !confirmed {
        return Err(match settings.confirmations {
            Some(need) => TransferRefusal::NotConfirmed {
                have: confirmations,
                need: u64::from(need),
            },
            None => TransferRefusal::NotSolidified,
        });
    }
    let transfers: Vec<&Log> = info
        .log
        .iter()
        .filter(|l| l.topics.len() == 3 && l.topics[0].eq_ignore_ascii_case(TRANSFER_TOPIC))
        .collect();
    if transfers.is_empty() {
        return Err(TransferRefusal::NotATransfer);
    }
    // Settings are checked when the shop starts; an address that does not read still never
    // matches anything.
    let contract = address_hex(&settings.contract).ok_or(TransferRefusal::WrongToken {
        symbol: settings.symbol.clone(),
    })?;
    let ours: Vec<&&Log> = transfers
        .iter()
        .filter(|l| log_address(&l.address) == contract)
        .collect();
    if ours.is_empty() {
        return Err(TransferRefusal::WrongToken {
            symbol: settings.symbol.clone(),
        });
    }
    let shop = address_hex(&settings.address).ok_or(TransferRefusal::WrongRecipient)?;
    let Some(log) = ours
        .iter()
        .find(|l| l.topics[2].to_ascii_lowercase().ends_with(&shop) && l.topics[2].len() == 64)
    else {
        return Err(TransferRefusal::WrongRecipient);
    };
    let at = info
        .block_time_stamp
        .and_then(|ms| Timestamp::from_millisecond(ms).ok())
        .ok_or(TransferRefusal::NotFound)?;
    if at < opened.saturating_sub(CLOCK_SKEW).unwrap_or(opened) {
        return Err(TransferRefusal::BeforeOrder);
    }
    let units = transfer_units(&log.data).ok_or(TransferRefusal::NotATransfer)?;
    let expected = token_units(
        total,
        settings.token_price,
        settings.decimals,
        settings.rounding,
    )
    .ok_or_else(|| TransferRefusal::WrongCurrency {
        symbol: settings.symbol.clone(),
        rate: settings.token_price.currency.code().into(),
        order: total.currency.code().into(),
    })?;
    Ok(ReceivedPayment {
        provider: Provider::Tron,
        reference: txid.to_ascii_lowercase(),
        paid: Paid::Token {
            symbol: settings.symbol.clone(),
            decimals: settings.decimals,
            units,
            expected,
        },
        paid_at: at,
        late: false,
    })
}

#[derive(Deserialize)]
struct NowBlock {
    block_header: BlockHeader,
}
#[derive(Deserialize)]
struct BlockHeader {
    raw_data: RawData,
}
#[derive(Deserialize)]
struct RawData {
    number: u64,
}

#[derive(Clone)]
pub struct Tron {
    settings: TronSettings,
    http: reqwest::Client,
}

impl Tron {
    pub fn new(settings: TronSettings, http: reqwest::Client) -> Tron {
        Tron { settings, http }
    }

    pub fn settings(&self) -> &TronSettings {
        &self.settings
    }

    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> Result<T, ProviderError> {
        let url = self
            .settings
            .api
            .join(path)
            .map_err(|e| ProviderError::Malformed(e.to_string()))?;
        let mut request = self.http.post(url).json(&body);
        if let Some(key) = &self.settings.api_key {
            request = request.header("TRON-PRO-API-KEY", key);
        }
        crate::http::call(request, |_| "the TRON API refused".into()).await
    }

    /// Reads the transaction from the node and judges it against an order of `total`
    /// opened at `opened`.
    pub async fn check(
        &self,
        txid: &str,
        total: Money,
        opened: Timestamp,
    ) -> Result<ReceivedPayment, crate::TransferError> {
        let txid = txid.trim();
        if txid.len() != 64 || !txid.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(TransferRefusal::NotATransactionId.into());
        }
        let value = json!({ "value": txid.to_ascii_lowercase() });
        let mut info: TransactionInfo = self
            .post("wallet/gettransactioninfobyid", value.clone())
            .await?;
        let (confirmed, depth) = match (self.settings.confirmations, info.block_number) {
            (_, None) => (false, 0),
            (None, Some(_)) => {
                let solid: TransactionInfo = self
                    .post("walletsolidity/gettransactioninfobyid", value)
                    .await?;
                match solid.id {
                    // Judged on what the solidity node holds: final, not the full node's view.
                    Some(_) => {
                        info = solid;
                        (true, 0)
                    }
                    None => (false, 0),
                }
            }
            (Some(need), Some(block)) => {
                let now: NowBlock = self.post("wallet/getnowblock", json!({})).await?;
                let depth = now.block_header.raw_data.number.saturating_sub(block) + 1;
                (depth >= u64::from(need), depth)
            }
        };
        Ok(judge(
            &self.settings,
            txid,
            &info,
            depth,
            confirmed,
            total,
            opened,
        )?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_convert_as_tron_writes_them() {
        // Tether's USDT contract on TRON, as Tronscan shows it and as its logs carry it.
        assert_eq!(
            address_hex("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").as_deref(),
            Some("a614f803b6fd780986a42c78ec9c7f77e6ded13c")
        );
        assert_eq!(
            address_base58("a614f803b6fd780986a42c78ec9c7f77e6ded13c").as_deref(),
            Some("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
        );
        assert_eq!(
            address_hex("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u"),
            None,
            "checksum"
        );
        assert_eq!(
            log_address("41a614f803b6fd780986a42c78ec9c7f77e6ded13c"),
            "a614f803b6fd780986a42c78ec9c7f77e6ded13c"
        );
        assert_eq!(
            transfer_units(&format!("{:064x}", 5_050_506u64)),
            Some(5_050_506)
        );
        assert_eq!(transfer_units(&"f".repeat(64)), None);
    }
}
