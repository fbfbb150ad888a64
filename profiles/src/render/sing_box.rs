//! A sing-box configuration: the endpoints as `vless` outbounds, a selector named after the
//! shop with an automatic `urltest` first, a local mixed (SOCKS and HTTP) inbound, and the
//! selector as the route's final outbound. sing-box, SFA, SFI and SFM read it.

use serde_json::{Map, Value, json};

use super::{ProfileMeta, Rendered};
use crate::endpoint::{Endpoint, Security, Transport};

pub const AUTO: &str = "auto";
pub const LOCAL_PORT: u16 = 2080;

pub fn render(endpoints: &[Endpoint], meta: &ProfileMeta) -> Rendered {
    let mut outbounds = Vec::new();
    let mut skipped = Vec::new();
    for e in endpoints {
        match outbound(e) {
            Some(o) => outbounds.push(o),
            None => skipped.push(e.name.clone()),
        }
    }
    let tags: Vec<Value> = outbounds.iter().map(|o| o["tag"].clone()).collect();
    let mut all = Vec::new();
    if tags.is_empty() {
        all.push(json!({"type": "selector", "tag": meta.title, "outbounds": ["direct"]}));
    } else {
        let mut choices = vec![json!(AUTO)];
        choices.extend(tags.iter().cloned());
        all.push(
            json!({"type": "selector", "tag": meta.title, "outbounds": choices, "default": AUTO}),
        );
        all.push(json!({"type": "urltest", "tag": AUTO, "outbounds": tags,
            "url": "https://www.gstatic.com/generate_204", "interval": "5m"}));
    }
    all.extend(outbounds);
    all.push(json!({"type": "direct", "tag": "direct"}));
    let config = json!({
        "log": {"level": "warn"},
        "inbounds": [{"type": "mixed", "tag": "mixed-in", "listen": "127.0.0.1", "listen_port": LOCAL_PORT}],
        "outbounds": all,
        "route": {"final": meta.title},
    });
    Rendered {
        body: serde_json::to_string_pretty(&config).expect("JSON"),
        skipped,
    }
}

/// One endpoint as a sing-box `vless` outbound, or `None` where sing-box cannot carry it
/// (XHTTP, mKCP, HTTP header camouflage, VLESS encryption).
fn outbound(e: &Endpoint) -> Option<Value> {
    if e.encryption != "none" {
        return None;
    }
    let mut o = Map::new();
    o.insert("type".into(), json!("vless"));
    o.insert("tag".into(), json!(e.name));
    o.insert("server".into(), json!(e.server));
    o.insert("server_port".into(), json!(e.port));
    o.insert("uuid".into(), json!(e.uuid));
    if !e.flow.is_empty() {
        o.insert("flow".into(), json!(e.flow));
    }
    o.insert("packet_encoding".into(), json!("xudp"));
    let transport = match &e.transport {
        Transport::Tcp { http: None } => None,
        Transport::Ws { path, host } => {
            Some(json!({"type": "ws", "path": path, "headers": {"Host": host}}))
        }
        Transport::HttpUpgrade { path, host } => {
            Some(json!({"type": "httpupgrade", "path": path, "host": host}))
        }
        Transport::Grpc { service_name, .. } => {
            Some(json!({"type": "grpc", "service_name": service_name}))
        }
        Transport::Tcp { http: Some(_) } | Transport::Xhttp { .. } | Transport::Kcp { .. } => {
            return None;
        }
    };
    if let Some(t) = transport {
        o.insert("transport".into(), t);
    }
    let utls = |fp: Option<&str>| json!({"enabled": true, "fingerprint": fp.unwrap_or("chrome")});
    match &e.security {
        Security::None => {}
        Security::Tls { sni, alpn, .. } => {
            let mut tls = json!({"enabled": true, "server_name": sni});
            if !alpn.is_empty() {
                tls["alpn"] = json!(alpn);
            }
            if let Some(fp) = e.fingerprint() {
                tls["utls"] = utls(Some(fp));
            }
            o.insert("tls".into(), tls);
        }
        Security::Reality {
            sni,
            public_key,
            short_id,
            ..
        } => {
            o.insert(
                "tls".into(),
                json!({"enabled": true, "server_name": sni, "utls": utls(e.fingerprint()),
                    "reality": {"enabled": true, "public_key": public_key, "short_id": short_id}}),
            );
        }
    }
    Some(Value::Object(o))
}
