//! The panel's data, normalised across API generations: JSON columns may be objects (3.1+) or
//! JSON text (older), the VLESS UUID is `uuid` in G3 records and `id` in settings, units are
//! bytes and epoch milliseconds.

use serde_json::{Value, json};

use super::PanelError;

/// A VLESS client as the gateway needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct PanelClient {
    pub email: String,
    pub uuid: String,
    pub sub_id: String,
    pub flow: String,
    pub limit_ip: u32,
    /// Bytes; 0 = unlimited (3x-ui's `totalGB`, which is bytes despite the name).
    pub total_bytes: u64,
    /// Epoch ms; 0 = never.
    pub expiry_ms: i64,
    pub enable: bool,
    pub inbound_id: u32,
    pub comment: String,
    pub up: u64,
    pub down: u64,
}

impl std::fmt::Debug for PanelClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PanelClient")
            .field("email", &self.email)
            .field("inbound_id", &self.inbound_id)
            .field("enable", &self.enable)
            .field("expiry_ms", &self.expiry_ms)
            .finish_non_exhaustive()
    }
}

fn s(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn u(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}

fn i(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(Value::as_i64).unwrap_or(0)
}

/// A JSON column: an object, or JSON text of one.
fn column(v: &Value, key: &str) -> Result<Value, PanelError> {
    match v.get(key) {
        Some(Value::String(text)) if text.trim().is_empty() => Ok(Value::Null),
        Some(Value::String(text)) => serde_json::from_str(text)
            .map_err(|e| PanelError::Protocol(format!("{key} is not JSON: {e}"))),
        Some(other) => Ok(other.clone()),
        None => Ok(Value::Null),
    }
}

impl PanelClient {
    /// From `GET /panel/api/clients/get/:email` (`{client, inboundIds, ...}`).
    pub(super) fn from_g3(obj: &Value) -> Result<PanelClient, PanelError> {
        let c = obj
            .get("client")
            .ok_or_else(|| PanelError::Protocol("clients/get without client".into()))?;
        Ok(PanelClient {
            email: s(c, "email"),
            uuid: s(c, "uuid"),
            sub_id: s(c, "subId"),
            flow: s(c, "flow"),
            limit_ip: u(c, "limitIp") as u32,
            total_bytes: u(c, "totalGB"),
            expiry_ms: i(c, "expiryTime"),
            enable: c.get("enable").and_then(Value::as_bool).unwrap_or(false),
            inbound_id: obj
                .pointer("/inboundIds/0")
                .and_then(Value::as_u64)
                .unwrap_or(0) as u32,
            comment: s(c, "comment"),
            up: 0,
            down: 0,
        })
    }

    /// The body of G3 `clients/add` (inside `client`) and `clients/update/:email`.
    pub(super) fn to_g3(&self) -> Value {
        json!({
            "id": self.uuid, "email": self.email, "subId": self.sub_id, "flow": self.flow,
            "limitIp": self.limit_ip, "totalGB": self.total_bytes, "expiryTime": self.expiry_ms,
            "enable": self.enable, "tgId": 0, "comment": self.comment, "reset": 0, "limitHwid": 0,
        })
    }

    /// An entry of `settings.clients[]` for the inbound-scoped API.
    pub(super) fn to_g2(&self) -> Value {
        json!({
            "id": self.uuid, "flow": self.flow, "email": self.email, "limitIp": self.limit_ip,
            "totalGB": self.total_bytes, "expiryTime": self.expiry_ms, "enable": self.enable,
            "tgId": 0, "subId": self.sub_id, "comment": self.comment, "reset": 0,
        })
    }
}

/// Traffic counters of one client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelTraffic {
    pub email: String,
    pub inbound_id: u32,
    pub up: u64,
    pub down: u64,
    pub total_bytes: u64,
    pub expiry_ms: i64,
    pub enable: bool,
}

impl PanelTraffic {
    /// From an entry of G3 `clients/list` (a ClientRecord with `inboundIds` and `traffic`).
    pub(super) fn from_g3_record(r: &Value) -> Result<PanelTraffic, PanelError> {
        let t = r.get("traffic").unwrap_or(&Value::Null);
        Ok(PanelTraffic {
            email: s(r, "email"),
            inbound_id: r
                .pointer("/inboundIds/0")
                .and_then(Value::as_u64)
                .unwrap_or(0) as u32,
            up: u(t, "up"),
            down: u(t, "down"),
            total_bytes: u(r, "totalGB"),
            expiry_ms: i(r, "expiryTime"),
            enable: r.get("enable").and_then(Value::as_bool).unwrap_or(false),
        })
    }
}

/// An inbound with its JSON columns parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelInbound {
    pub id: u32,
    pub remark: String,
    pub protocol: String,
    pub port: u16,
    pub enable: bool,
    pub disable_flow: bool,
    pub settings: Value,
    pub stream_settings: Value,
    client_stats: Vec<Value>,
}

impl PanelInbound {
    pub(super) fn parse(v: &Value) -> Result<PanelInbound, PanelError> {
        Ok(PanelInbound {
            id: u(v, "id") as u32,
            remark: s(v, "remark"),
            protocol: s(v, "protocol"),
            port: u(v, "port") as u16,
            enable: v.get("enable").and_then(Value::as_bool).unwrap_or(false),
            disable_flow: v
                .get("disableFlow")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            settings: column(v, "settings")?,
            stream_settings: column(v, "streamSettings")?,
            client_stats: v
                .get("clientStats")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        })
    }

    pub fn client_count(&self) -> u32 {
        self.settings
            .get("clients")
            .and_then(Value::as_array)
            .map_or(0, |c| c.len() as u32)
    }

    /// A client of this inbound (from `settings.clients[]` and `clientStats[]`).
    pub(super) fn client(&self, email: &str) -> Option<PanelClient> {
        let c = self
            .settings
            .get("clients")?
            .as_array()?
            .iter()
            .find(|c| c.get("email").and_then(Value::as_str) == Some(email))?;
        let stats = self
            .client_stats
            .iter()
            .find(|t| t.get("email").and_then(Value::as_str) == Some(email));
        Some(PanelClient {
            email: email.to_owned(),
            uuid: s(c, "id"),
            sub_id: s(c, "subId"),
            flow: s(c, "flow"),
            limit_ip: u(c, "limitIp") as u32,
            total_bytes: u(c, "totalGB"),
            expiry_ms: i(c, "expiryTime"),
            enable: c.get("enable").and_then(Value::as_bool).unwrap_or(false),
            inbound_id: self.id,
            comment: s(c, "comment"),
            up: stats.map_or(0, |t| u(t, "up")),
            down: stats.map_or(0, |t| u(t, "down")),
        })
    }

    pub(super) fn traffic(&self) -> Vec<PanelTraffic> {
        self.client_stats
            .iter()
            .map(|t| PanelTraffic {
                email: s(t, "email"),
                inbound_id: self.id,
                up: u(t, "up"),
                down: u(t, "down"),
                total_bytes: u(t, "total"),
                expiry_ms: i(t, "expiryTime"),
                enable: t.get("enable").and_then(Value::as_bool).unwrap_or(false),
            })
            .collect()
    }
}

/// What `panel/api/server/status` says, as far as the gateway reports it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PanelStatus {
    pub panel_version: Option<String>,
    pub xray_state: Option<String>,
    pub xray_version: Option<String>,
    pub cpu_percent: Option<f64>,
    pub mem: Option<(u64, u64)>,
}

impl PanelStatus {
    pub(super) fn parse(obj: &Value) -> PanelStatus {
        PanelStatus {
            panel_version: obj
                .get("panelVersion")
                .and_then(Value::as_str)
                .map(str::to_owned),
            xray_state: obj
                .pointer("/xray/state")
                .and_then(Value::as_str)
                .map(str::to_owned),
            xray_version: obj
                .pointer("/xray/version")
                .and_then(Value::as_str)
                .map(str::to_owned),
            cpu_percent: obj.get("cpu").and_then(Value::as_f64),
            mem: obj.get("mem").map(|m| (u(m, "current"), u(m, "total"))),
        }
    }
}
