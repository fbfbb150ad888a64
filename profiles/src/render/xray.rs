//! Xray configurations, one per endpoint, as a JSON array (the form v2rayN and v2rayNG import
//! as a custom configuration): local SOCKS and HTTP inbounds, the endpoint as the first
//! outbound, then direct and block.

use serde_json::{Value, json};

use super::Rendered;
use crate::endpoint::{Endpoint, Security, Transport};

pub const SOCKS_PORT: u16 = 10808;
pub const HTTP_PORT: u16 = 10809;

pub fn render(endpoints: &[Endpoint]) -> Rendered {
    let configs: Vec<Value> = endpoints.iter().map(config).collect();
    Rendered {
        body: serde_json::to_string_pretty(&configs).expect("JSON"),
        skipped: Vec::new(),
    }
}

fn config(e: &Endpoint) -> Value {
    json!({
        "remarks": e.name,
        "log": {"loglevel": "warning"},
        "inbounds": [
            {"tag": "socks", "listen": "127.0.0.1", "port": SOCKS_PORT, "protocol": "socks",
                "settings": {"udp": true}, "sniffing": {"enabled": true, "destOverride": ["http", "tls"]}},
            {"tag": "http", "listen": "127.0.0.1", "port": HTTP_PORT, "protocol": "http"},
        ],
        "outbounds": [
            {"tag": "proxy", "protocol": "vless",
                "settings": {"vnext": [{"address": e.server, "port": e.port,
                    "users": [{"id": e.uuid, "encryption": e.encryption, "flow": e.flow}]}]},
                "streamSettings": stream(e)},
            {"tag": "direct", "protocol": "freedom"},
            {"tag": "block", "protocol": "blackhole"},
        ],
        "routing": {"domainStrategy": "AsIs", "rules": []},
    })
}

/// Xray's `streamSettings` for the endpoint.
fn stream(e: &Endpoint) -> Value {
    let mut s = json!({"network": e.transport.name()});
    match &e.transport {
        Transport::Tcp { http: None } => {}
        Transport::Tcp {
            http: Some((path, host)),
        } => {
            s["tcpSettings"] = json!({"header": {"type": "http", "request": {
                "path": [if path.is_empty() { "/" } else { path }], "headers": {"Host": [host]}}}});
        }
        Transport::Ws { path, host } => s["wsSettings"] = json!({"path": path, "host": host}),
        Transport::HttpUpgrade { path, host } => {
            s["httpupgradeSettings"] = json!({"path": path, "host": host})
        }
        Transport::Grpc {
            service_name,
            authority,
            multi,
        } => {
            s["grpcSettings"] =
                json!({"serviceName": service_name, "authority": authority, "multiMode": multi})
        }
        Transport::Xhttp {
            path,
            host,
            mode,
            extra,
        } => {
            let mut x = json!({"path": path, "host": host, "mode": if mode.is_empty() { "auto" } else { mode }});
            if let Some(extra) = extra {
                x["extra"] = extra.clone();
            }
            s["xhttpSettings"] = x;
        }
        Transport::Kcp { header, seed } => {
            let mut k =
                json!({"header": {"type": if header.is_empty() { "none" } else { header }}});
            if !seed.is_empty() {
                k["seed"] = json!(seed);
            }
            s["kcpSettings"] = k;
        }
    }
    match &e.security {
        Security::None => s["security"] = json!("none"),
        Security::Tls {
            sni,
            alpn,
            fingerprint,
        } => {
            s["security"] = json!("tls");
            let mut t = json!({"serverName": sni});
            if !alpn.is_empty() {
                t["alpn"] = json!(alpn);
            }
            if !fingerprint.is_empty() {
                t["fingerprint"] = json!(fingerprint);
            }
            s["tlsSettings"] = t;
        }
        Security::Reality {
            sni,
            fingerprint,
            public_key,
            short_id,
            spider_x,
        } => {
            s["security"] = json!("reality");
            s["realitySettings"] = json!({"serverName": sni,
                "fingerprint": if fingerprint.is_empty() { "chrome" } else { fingerprint },
                "publicKey": public_key, "shortId": short_id, "spiderX": spider_x});
        }
    }
    s
}
