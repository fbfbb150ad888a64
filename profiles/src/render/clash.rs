//! A Clash/Mihomo configuration: the endpoints as `vless` proxies (mihomo's field names), a
//! selector named after the shop with an automatic pick first, and one rule sending everything
//! through it. Clash Verge, Mihomo, FlClash and Stash read it.

use serde_json::{Map, Value, json};

use super::{ProfileMeta, Rendered};
use crate::endpoint::{Endpoint, Security, Transport};

/// The automatic group's name.
pub const AUTO: &str = "Auto";

pub fn render(endpoints: &[Endpoint], meta: &ProfileMeta) -> Rendered {
    let mut proxies = Vec::new();
    let mut skipped = Vec::new();
    for e in endpoints {
        match proxy(e) {
            Some(p) => proxies.push(p),
            None => skipped.push(e.name.clone()),
        }
    }
    let names: Vec<Value> = proxies.iter().map(|p| p["name"].clone()).collect();
    let mut choices = vec![json!(AUTO)];
    choices.extend(names.iter().cloned());
    let groups = if names.is_empty() {
        // A group must hold something: nothing to offer means going direct, said by the name.
        vec![json!({"name": meta.title, "type": "select", "proxies": ["DIRECT"]})]
    } else {
        vec![
            json!({"name": meta.title, "type": "select", "proxies": choices}),
            json!({"name": AUTO, "type": "url-test", "proxies": names,
                "url": "https://www.gstatic.com/generate_204", "interval": 300, "tolerance": 50}),
        ]
    };
    let config = json!({
        "mixed-port": 7890,
        "allow-lan": false,
        "mode": "rule",
        "log-level": "info",
        "proxies": proxies,
        "proxy-groups": groups,
        "rules": [format!("MATCH,{}", meta.title)],
    });
    Rendered {
        body: serde_norway::to_string(&config).expect("a JSON value is always YAML"),
        skipped,
    }
}

/// One endpoint as a mihomo `vless` proxy, or `None` where mihomo has no such transport.
fn proxy(e: &Endpoint) -> Option<Value> {
    let mut p = Map::new();
    let mut put = |k: &str, v: Value| {
        p.insert(k.to_owned(), v);
    };
    put("name", json!(e.name));
    put("type", json!("vless"));
    put("server", json!(e.server));
    put("port", json!(e.port));
    put("uuid", json!(e.uuid));
    put("udp", json!(true));
    if !e.flow.is_empty() {
        put("flow", json!(e.flow));
    }
    if e.encryption != "none" {
        put("encryption", json!(e.encryption));
    }
    match &e.transport {
        Transport::Tcp { http: None } => put("network", json!("tcp")),
        Transport::Tcp {
            http: Some((path, host)),
        } => {
            put("network", json!("http"));
            put(
                "http-opts",
                json!({"method": "GET", "path": [if path.is_empty() { "/" } else { path }],
                    "headers": {"Host": [host]}}),
            );
        }
        Transport::Ws { path, host } => {
            put("network", json!("ws"));
            put("ws-opts", json!({"path": path, "headers": {"Host": host}}));
        }
        Transport::HttpUpgrade { path, host } => {
            put("network", json!("ws"));
            put(
                "ws-opts",
                json!({"path": path, "headers": {"Host": host}, "v2ray-http-upgrade": true}),
            );
        }
        Transport::Grpc { service_name, .. } => {
            put("network", json!("grpc"));
            put("grpc-opts", json!({"grpc-service-name": service_name}));
        }
        Transport::Xhttp {
            path, host, mode, ..
        } => {
            put("network", json!("xhttp"));
            let mut opts = json!({"path": path, "host": host});
            if !mode.is_empty() {
                opts["mode"] = json!(mode);
            }
            put("xhttp-opts", opts);
        }
        Transport::Kcp { .. } => return None,
    }
    match &e.security {
        Security::None => put("tls", json!(false)),
        Security::Tls { sni, alpn, .. } => {
            put("tls", json!(true));
            if !sni.is_empty() {
                put("servername", json!(sni));
            }
            if !alpn.is_empty() {
                put("alpn", json!(alpn));
            }
            put("skip-cert-verify", json!(false));
        }
        Security::Reality {
            sni,
            public_key,
            short_id,
            ..
        } => {
            put("tls", json!(true));
            put("servername", json!(sni));
            put(
                "reality-opts",
                json!({"public-key": public_key, "short-id": short_id}),
            );
        }
    }
    if let Some(fp) = e.fingerprint() {
        put("client-fingerprint", json!(fp));
    } else if matches!(e.security, Security::Reality { .. }) {
        // REALITY needs a uTLS fingerprint; chrome is what 3x-ui offers first.
        put("client-fingerprint", json!("chrome"));
    }
    Some(Value::Object(p))
}
