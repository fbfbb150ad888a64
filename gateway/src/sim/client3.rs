//! A client as 3x-ui 3.x holds it (`shared/3x-ui-api.md` §4 and §7.3): a fixed Go struct. The
//! panel binds a request body into it (a field of the wrong JSON type fails the whole request,
//! an unknown field is dropped), and an update replaces every field: what the body leaves out
//! becomes its zero value (`enable` false), except the credentials and the subId.

use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GoType {
    String,
    Int,
    Bool,
    /// A nested struct pointer (`reverse`): an object or null.
    Object,
}

/// The fields of the panel's client struct, by their JSON names (the VLESS UUID is `id`).
const FIELDS: &[(&str, GoType)] = &[
    ("id", GoType::String),
    ("email", GoType::String),
    ("subId", GoType::String),
    ("password", GoType::String),
    ("auth", GoType::String),
    ("flow", GoType::String),
    ("security", GoType::String),
    ("reverse", GoType::Object),
    ("privateKey", GoType::String),
    ("publicKey", GoType::String),
    ("allowedIPs", GoType::String),
    ("preSharedKey", GoType::String),
    ("keepAlive", GoType::Int),
    ("secret", GoType::String),
    ("adTag", GoType::String),
    ("limitIp", GoType::Int),
    ("limitHwid", GoType::Int),
    ("totalGB", GoType::Int),
    ("expiryTime", GoType::Int),
    ("enable", GoType::Bool),
    ("tgId", GoType::Int),
    ("group", GoType::String),
    ("comment", GoType::String),
    ("reset", GoType::Int),
    ("resetDay", GoType::Int),
    ("resetMax", GoType::Int),
    ("trafficReset", GoType::String),
    ("trafficResetDay", GoType::Int),
];

/// Kept when an update leaves them out.
const KEPT: [&str; 5] = ["id", "password", "auth", "secret", "subId"];

fn zero(t: GoType) -> Value {
    match t {
        GoType::String => json!(""),
        GoType::Int => json!(0),
        GoType::Bool => json!(false),
        GoType::Object => Value::Null,
    }
}

/// The message of Go's `encoding/json` for a value of the wrong type.
fn type_error(field: &str, t: GoType, v: &Value) -> String {
    let got = match v {
        Value::String(_) => "string".to_owned(),
        Value::Bool(_) => "bool".to_owned(),
        Value::Array(_) => "array".to_owned(),
        Value::Object(_) => "object".to_owned(),
        Value::Number(n) => format!("number {n}"),
        Value::Null => "null".to_owned(),
    };
    let want = match t {
        GoType::String => "string",
        GoType::Int => "int64",
        GoType::Bool => "bool",
        GoType::Object => "model.VlessReverse",
    };
    format!("json: cannot unmarshal {got} into Go struct field Client.{field} of type {want}")
}

fn fits(t: GoType, v: &Value) -> bool {
    match (t, v) {
        // JSON null leaves a Go field at its zero value.
        (_, Value::Null) => true,
        (GoType::String, Value::String(_)) => true,
        (GoType::Int, Value::Number(n)) => n.is_i64() || n.is_u64(),
        (GoType::Bool, Value::Bool(_)) => true,
        (GoType::Object, Value::Object(_)) => true,
        _ => false,
    }
}

/// Binds a body into the struct: every field typed, unknown ones dropped; `previous` supplies
/// the fields an update keeps when the body leaves them out.
pub(super) fn bind(body: &Value, previous: Option<&Value>) -> Result<Value, String> {
    let mut out = Map::new();
    for (name, t) in FIELDS {
        let value = match body.get(*name) {
            Some(v) if !fits(*t, v) => return Err(type_error(name, *t, v)),
            Some(Value::Null) | None => None,
            Some(v) => Some(v.clone()),
        };
        let kept = KEPT
            .contains(name)
            .then(|| previous.and_then(|p| p.get(*name)).cloned())
            .flatten()
            .filter(|_| value.as_ref().is_none_or(|v| v.as_str() == Some("")));
        out.insert(
            (*name).to_owned(),
            kept.or(value).unwrap_or_else(|| zero(*t)),
        );
    }
    Ok(Value::Object(out))
}

/// Whether the panel keeps a client's flow on this inbound: 3x-ui drops it silently unless the
/// inbound is TCP with TLS or REALITY, or XHTTP with VLESS encryption, and Vision is not
/// switched off (`inboundCanEnableTlsFlow`).
pub(super) fn keeps_flow(inbound: &Value) -> bool {
    if inbound["disableFlow"].as_bool() == Some(true) {
        return false;
    }
    let stream = &inbound["streamSettings"];
    let security = stream["security"].as_str().unwrap_or("none");
    let encrypted = ["encryption", "decryption"].iter().any(|k| {
        inbound["settings"][*k]
            .as_str()
            .is_some_and(|v| !v.is_empty() && v != "none")
    });
    match stream["network"].as_str().unwrap_or("tcp") {
        "tcp" => matches!(security, "tls" | "reality"),
        "xhttp" => encrypted,
        _ => false,
    }
}

/// The record `clients/get` and `clients/list` answer: the same fields in camelCase, with
/// `id` the database row and the VLESS UUID under `uuid`.
pub(super) fn record(stored: &Value, row: usize) -> Value {
    let mut r = stored.as_object().cloned().unwrap_or_default();
    let uuid = r.remove("id").unwrap_or(Value::Null);
    r.insert("id".into(), json!(row));
    r.insert("uuid".into(), uuid);
    for (snake, camel) in [("created_at", "createdAt"), ("updated_at", "updatedAt")] {
        let at = r.remove(snake).unwrap_or(json!(0));
        r.insert(camel.into(), at);
    }
    Value::Object(r)
}
