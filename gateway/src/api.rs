//! The gateway's HTTP API under `/v1`: request and response bodies, and the error codes. Shared
//! by the service and the shop's client so they cannot drift apart.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The API version in paths and in the signature's canonical string.
pub const VERSION: &str = "v1";

/// `POST /v1/clients`: make a VLESS client exist. Creating an email that exists returns the
/// existing client (200) instead of a second one (201 when created).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "server", salvo(schema(name = "CreateClient")))]
pub struct CreateClient {
    pub email: String,
    pub inbound_id: u32,
    /// When the client stops working (UTC); must be in the future.
    #[cfg_attr(feature = "server", salvo(schema(value_type = String, format = DateTime)))]
    pub expires_at: Timestamp,
    /// Traffic allowance in bytes; 0 means unlimited.
    pub traffic_limit_bytes: u64,
    /// Simultaneous source IPs; 0 means no limit.
    pub ip_limit: u32,
    /// The panel's subscription id; generated when absent.
    #[serde(default)]
    pub sub_id: Option<String>,
    /// XTLS flow (`xtls-rprx-vision`) for inbounds that carry it.
    #[serde(default)]
    pub flow: Option<String>,
}

/// `PATCH /v1/clients/{email}`: what to change; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "server", salvo(schema(name = "UpdateClient")))]
pub struct UpdateClient {
    #[serde(default)]
    #[cfg_attr(
        feature = "server",
        salvo(schema(value_type = Option<String>, format = DateTime))
    )]
    pub expires_at: Option<Timestamp>,
    #[serde(default)]
    pub traffic_limit_bytes: Option<u64>,
    #[serde(default)]
    pub ip_limit: Option<u32>,
    #[serde(default)]
    pub enable: Option<bool>,
}

/// A client as the gateway reports it. `link`, `links` and `subscription_url` are secrets:
/// whoever has them can use the account.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[cfg_attr(feature = "server", salvo(schema(name = "ClientView")))]
pub struct ClientView {
    pub email: String,
    pub inbound_id: u32,
    pub uuid: String,
    pub sub_id: String,
    pub enable: bool,
    /// `None`: never expires.
    #[cfg_attr(
        feature = "server",
        salvo(schema(value_type = Option<String>, format = DateTime))
    )]
    pub expires_at: Option<Timestamp>,
    pub traffic_limit_bytes: u64,
    pub ip_limit: u32,
    pub up_bytes: u64,
    pub down_bytes: u64,
    /// The first of `links` (what gateways before `links` answered).
    pub link: String,
    /// Every VLESS share link of the client, built as 3x-ui builds them: one per external
    /// proxy of the inbound, else one.
    #[serde(default)]
    pub links: Vec<String>,
    /// Where the panel's subscription service serves this client, if configured.
    pub subscription_url: Option<String>,
}

impl fmt::Debug for ClientView {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientView")
            .field("email", &self.email)
            .field("inbound_id", &self.inbound_id)
            .field("enable", &self.enable)
            .field("expires_at", &self.expires_at)
            .field("traffic_limit_bytes", &self.traffic_limit_bytes)
            .field("ip_limit", &self.ip_limit)
            .field("up_bytes", &self.up_bytes)
            .field("down_bytes", &self.down_bytes)
            .field("uuid", &"<redacted>")
            .field("links", &self.links.len())
            .finish_non_exhaustive()
    }
}

/// The answer to a create: the client, and whether this call made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[cfg_attr(feature = "server", salvo(schema(name = "Created")))]
pub struct Created {
    pub created: bool,
    pub client: ClientView,
}

/// `DELETE /v1/clients/{email}`: deleting an email that is already gone is not an error.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[cfg_attr(feature = "server", salvo(schema(name = "Deleted")))]
pub struct Deleted {
    /// This call removed it from the panel.
    pub deleted: bool,
    /// 3x-ui 2.x refuses to delete an inbound's last client: it was disabled and retired
    /// instead (treated as gone from now on), and is deleted once the inbound holds another.
    #[serde(default)]
    pub retired: bool,
}

/// `POST /v1/traffic`: usage of many clients in one call: a list of emails, or a whole inbound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
#[cfg_attr(feature = "server", salvo(schema(name = "TrafficQuery")))]
pub enum TrafficQuery {
    Emails(Vec<String>),
    Inbound(u32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[cfg_attr(feature = "server", salvo(schema(name = "ClientTraffic")))]
pub struct ClientTraffic {
    pub email: String,
    pub up_bytes: u64,
    pub down_bytes: u64,
    pub traffic_limit_bytes: u64,
    pub enable: bool,
    #[cfg_attr(
        feature = "server",
        salvo(schema(value_type = Option<String>, format = DateTime))
    )]
    pub expires_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[cfg_attr(feature = "server", salvo(schema(name = "TrafficReport")))]
pub struct TrafficReport {
    pub clients: Vec<ClientTraffic>,
    /// Asked-for emails the panel does not have.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[cfg_attr(feature = "server", salvo(schema(name = "InboundView")))]
pub struct InboundView {
    pub id: u32,
    pub remark: String,
    pub protocol: String,
    pub port: u16,
    pub enable: bool,
    pub clients: u32,
}

/// Which client API a panel speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", salvo(schema(name = "PanelApi")))]
pub enum PanelApi {
    /// `/panel/api/inbounds/addClient`, ... (3x-ui 2.x up to 3.0.2).
    InboundScoped,
    /// `/panel/api/clients/*` (3x-ui 3.1 and later).
    Clients,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[cfg_attr(feature = "server", salvo(schema(name = "Usage")))]
pub struct Usage {
    pub current: u64,
    pub total: u64,
}

/// `GET /v1/status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[cfg_attr(feature = "server", salvo(schema(name = "Status")))]
pub struct Status {
    pub panel_reachable: bool,
    pub panel_version: Option<String>,
    pub panel_api: Option<PanelApi>,
    /// `running`, `stop` or `error`.
    pub xray_state: Option<String>,
    pub xray_version: Option<String>,
    pub cpu_percent: Option<f64>,
    pub mem: Option<Usage>,
}

/// Every error the gateway answers with. Each has one HTTP status and a fixed meaning; the
/// message never carries internal detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "server", salvo(schema(name = "ErrorCode")))]
pub enum ErrorCode {
    /// 401: a signing header is missing or malformed.
    MissingAuth,
    /// 401: the key id is not configured.
    UnknownKey,
    /// 401: the timestamp is more than the allowed skew (300 s) away from the gateway's clock.
    ClockSkew,
    /// 401: this nonce was already used within the window.
    ReplayedNonce,
    /// 401: the signature does not match.
    BadSignature,
    /// 403: the caller's address is outside the allowlist.
    AddressNotAllowed,
    /// 429: over the key's rate limit; see `Retry-After`.
    RateLimited,
    /// 413: the body is over the size cap.
    BodyTooLarge,
    /// 400: the body or a path parameter is invalid (the message names the field).
    InvalidRequest,
    /// 404: no such client or route.
    NotFound,
    /// 502: the panel refused the operation.
    PanelRejected,
    /// 502: the panel did not accept the gateway's credentials.
    PanelAuth,
    /// 503: the panel cannot be reached.
    PanelUnavailable,
    /// 504: the panel did not answer in time.
    PanelTimeout,
    /// 502: the panel answered something that is not its API.
    PanelProtocol,
    /// 500: a fault in the gateway itself.
    Internal,
}

impl ErrorCode {
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            MissingAuth | UnknownKey | ClockSkew | ReplayedNonce | BadSignature => 401,
            AddressNotAllowed => 403,
            RateLimited => 429,
            BodyTooLarge => 413,
            InvalidRequest => 400,
            NotFound => 404,
            PanelRejected | PanelAuth | PanelProtocol => 502,
            PanelUnavailable => 503,
            PanelTimeout => 504,
            Internal => 500,
        }
    }

    /// Whether a client may usefully try the same request again.
    pub fn retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited
                | ErrorCode::PanelUnavailable
                | ErrorCode::PanelTimeout
                | ErrorCode::Internal
        )
    }
}

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(salvo::oapi::ToSchema))]
#[cfg_attr(feature = "server", salvo(schema(name = "ErrorBody")))]
pub struct ErrorBody {
    pub error: ErrorCode,
    pub message: String,
}

/// A client email as the gateway accepts it: 1 to 64 of `A-Z a-z 0-9 . _ - @ +`, and not `.` or
/// `..` (a URL path would read those as a step to another route).
pub fn valid_email(email: &str) -> bool {
    (1..=64).contains(&email.len())
        && !is_dot_segment(email)
        && email
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@' | b'+'))
}

fn is_dot_segment(value: &str) -> bool {
    matches!(value, "." | "..")
}

/// `value` percent-encoded as exactly one URL path segment (every byte but
/// `A-Z a-z 0-9 - _ . ~`), for every value the shop or the gateway places in a path. `None` for
/// a value no encoding keeps a single segment: empty, `.` or `..` (URL parsers read `%2E` as a
/// dot too).
pub fn path_segment(value: &str) -> Option<String> {
    if value.is_empty() || is_dot_segment(value) {
        return None;
    }
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    Some(out)
}

/// A subscription id: 1 to 64 of `A-Z a-z 0-9 _ -`.
pub fn valid_sub_id(sub_id: &str) -> bool {
    (1..=64).contains(&sub_id.len())
        && sub_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
}
