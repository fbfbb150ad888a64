//! The panel's data, normalised across API generations: JSON columns may be objects (3.1+) or
//! JSON text (older), the VLESS UUID is `uuid` in G3 records and `id` in settings, units are
//! bytes and epoch milliseconds.

use serde_json::{Map, Value, json};

use super::PanelError;
use crate::links::LinkInbound;

/// A VLESS client exactly as its panel returned it, in the shape of an entry of an inbound's
/// `settings.clients[]` (the VLESS UUID under `id`): every field, known to the gateway or not.
/// 3x-ui's update replaces the whole client, so a write sends all of it back with only the
/// fields the request names changed, and nothing an operator set in the panel is lost.
#[derive(Clone, PartialEq)]
pub struct PanelClient {
    fields: Map<String, Value>,
    /// The inbound that holds it (the first, where a 3.x client is attached to several).
    pub inbound_id: u32,
    pub up: u64,
    pub down: u64,
}

impl std::fmt::Debug for PanelClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PanelClient")
            .field("email", &self.email())
            .field("inbound_id", &self.inbound_id)
            .field("enable", &self.enable())
            .field("expiry_ms", &self.expiry_ms())
            .finish_non_exhaustive()
    }
}

/// The comment of a client the shop deleted that a 2.x panel kept as its inbound's last one
/// (3x-ui 2.x refuses to delete an inbound's last client): the gateway disabled it, treats it
/// as gone, and deletes it once the inbound holds another client.
pub const RETIRED: &str =
    "nebula: deleted by the shop; kept disabled as the inbound's last client (3x-ui 2.x)";

fn retired(comment: &str, enable: bool) -> bool {
    comment == RETIRED && !enable
}

/// What the gateway sets on a client it creates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClient {
    pub email: String,
    pub uuid: String,
    pub sub_id: String,
    pub flow: String,
    pub limit_ip: u32,
    pub total_bytes: u64,
    pub expiry_ms: i64,
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
    /// A new client with every field both API generations expect, typed as the panel's Go
    /// structs want them (`tgId` a number: 3.x refuses the string the 2.x UI wrote).
    pub fn new(c: &NewClient, inbound_id: u32) -> PanelClient {
        let fields = json!({
            "id": c.uuid, "flow": c.flow, "email": c.email, "limitIp": c.limit_ip,
            "totalGB": c.total_bytes, "expiryTime": c.expiry_ms, "enable": true, "tgId": 0,
            "subId": c.sub_id, "comment": "", "reset": 0,
        });
        PanelClient {
            fields: fields.as_object().cloned().unwrap_or_default(),
            inbound_id,
            up: 0,
            down: 0,
        }
    }

    /// From `GET /panel/api/clients/get/:email` (`{client, inboundIds, ...}`). The record's
    /// `id` is its database row and `uuid` the VLESS credential; as a client (what `update`
    /// takes) the credential is `id`.
    pub(super) fn from_g3(obj: &Value) -> Result<PanelClient, PanelError> {
        let mut fields = obj
            .get("client")
            .and_then(Value::as_object)
            .cloned()
            .ok_or_else(|| PanelError::Protocol("clients/get without client".into()))?;
        let uuid = fields
            .remove("uuid")
            .unwrap_or(Value::String(String::new()));
        fields.insert("id".into(), uuid);
        Ok(PanelClient {
            fields,
            inbound_id: obj
                .pointer("/inboundIds/0")
                .and_then(Value::as_u64)
                .unwrap_or(0) as u32,
            up: 0,
            down: 0,
        })
    }

    /// The client as the panel takes it back: `settings.clients[]` (2.x), the `client` of
    /// `clients/add` and the body of `clients/update/:email` (3.x).
    pub(super) fn body(&self) -> Value {
        Value::Object(self.fields.clone())
    }

    fn text(&self, key: &str) -> &str {
        self.fields.get(key).and_then(Value::as_str).unwrap_or("")
    }

    pub fn email(&self) -> &str {
        self.text("email")
    }

    pub fn uuid(&self) -> &str {
        self.text("id")
    }

    pub fn sub_id(&self) -> &str {
        self.text("subId")
    }

    pub fn flow(&self) -> &str {
        self.text("flow")
    }

    pub fn comment(&self) -> &str {
        self.text("comment")
    }

    pub fn limit_ip(&self) -> u32 {
        self.fields
            .get("limitIp")
            .and_then(Value::as_u64)
            .unwrap_or(0) as u32
    }

    /// Bytes; 0 = unlimited (3x-ui's `totalGB`, which is bytes despite the name).
    pub fn total_bytes(&self) -> u64 {
        self.fields
            .get("totalGB")
            .and_then(Value::as_u64)
            .unwrap_or(0)
    }

    /// Epoch ms; 0 = never.
    pub fn expiry_ms(&self) -> i64 {
        self.fields
            .get("expiryTime")
            .and_then(Value::as_i64)
            .unwrap_or(0)
    }

    pub fn enable(&self) -> bool {
        self.fields
            .get("enable")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// One the shop deleted and the panel kept (see [`RETIRED`]).
    pub fn is_retired(&self) -> bool {
        retired(self.comment(), self.enable())
    }

    pub fn set_expiry_ms(&mut self, ms: i64) {
        self.fields.insert("expiryTime".into(), json!(ms));
    }

    pub fn set_total_bytes(&mut self, bytes: u64) {
        self.fields.insert("totalGB".into(), json!(bytes));
    }

    pub fn set_limit_ip(&mut self, n: u32) {
        self.fields.insert("limitIp".into(), json!(n));
    }

    pub fn set_enable(&mut self, enable: bool) {
        self.fields.insert("enable".into(), json!(enable));
    }

    pub fn set_flow(&mut self, flow: &str) {
        self.fields.insert("flow".into(), json!(flow));
    }

    pub fn set_comment(&mut self, comment: &str) {
        self.fields.insert("comment".into(), json!(comment));
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
    /// From an entry of G3 `clients/list` (a ClientRecord with `inboundIds` and `traffic`);
    /// `None` for a retired client (one a 2.x panel kept, carried over by an upgrade).
    pub(super) fn from_g3_record(r: &Value) -> Option<PanelTraffic> {
        let enable = r.get("enable").and_then(Value::as_bool).unwrap_or(false);
        if retired(&s(r, "comment"), enable) {
            return None;
        }
        let t = r.get("traffic").unwrap_or(&Value::Null);
        Some(PanelTraffic {
            email: s(r, "email"),
            inbound_id: r
                .pointer("/inboundIds/0")
                .and_then(Value::as_u64)
                .unwrap_or(0) as u32,
            up: u(t, "up"),
            down: u(t, "down"),
            total_bytes: u(r, "totalGB"),
            expiry_ms: i(r, "expiryTime"),
            enable,
        })
    }
}

/// An inbound with its JSON columns parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelInbound {
    pub id: u32,
    pub remark: String,
    pub protocol: String,
    pub listen: String,
    pub port: u16,
    pub enable: bool,
    pub disable_flow: bool,
    pub share_addr_strategy: String,
    pub share_addr: String,
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
            listen: s(v, "listen"),
            port: u(v, "port") as u16,
            enable: v.get("enable").and_then(Value::as_bool).unwrap_or(false),
            share_addr_strategy: s(v, "shareAddrStrategy"),
            share_addr: s(v, "shareAddr"),
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

    /// Its clients, not counting retired ones.
    pub fn client_count(&self) -> u32 {
        self.clients().iter().filter(|c| !c.is_retired()).count() as u32
    }

    /// The inbound as the link builder reads it.
    pub fn link_inbound(&self) -> LinkInbound<'_> {
        LinkInbound {
            remark: &self.remark,
            listen: &self.listen,
            port: self.port,
            share_addr_strategy: &self.share_addr_strategy,
            share_addr: &self.share_addr,
            settings: &self.settings,
            stream_settings: &self.stream_settings,
            disable_flow: self.disable_flow,
        }
    }

    /// The clients of this inbound (its `settings.clients[]`, as stored), with their counters.
    pub fn clients(&self) -> Vec<PanelClient> {
        let entries = self.settings.get("clients").and_then(Value::as_array);
        entries
            .into_iter()
            .flatten()
            .filter_map(|c| {
                let fields = c.as_object()?.clone();
                let email = fields.get("email").and_then(Value::as_str)?;
                let stats = self
                    .client_stats
                    .iter()
                    .find(|t| t.get("email").and_then(Value::as_str) == Some(email));
                Some(PanelClient {
                    up: stats.map_or(0, |t| u(t, "up")),
                    down: stats.map_or(0, |t| u(t, "down")),
                    fields,
                    inbound_id: self.id,
                })
            })
            .collect()
    }

    /// A client of this inbound, by email.
    pub(super) fn client(&self, email: &str) -> Option<PanelClient> {
        self.clients().into_iter().find(|c| c.email() == email)
    }

    /// The counters of its clients, retired ones left out.
    pub(super) fn traffic(&self) -> Vec<PanelTraffic> {
        let retired: Vec<String> = self
            .clients()
            .iter()
            .filter(|c| c.is_retired())
            .map(|c| c.email().to_owned())
            .collect();
        self.client_stats
            .iter()
            .filter(|t| {
                !retired
                    .iter()
                    .any(|r| Some(r.as_str()) == t.get("email").and_then(Value::as_str))
            })
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
