//! Share links, one per line, base64 as a whole (what v2rayNG, v2rayN, Shadowrocket, Streisand,
//! Happ, Hiddify and NekoBox read).

use base64::Engine;

use super::Rendered;
use crate::endpoint::{Endpoint, Security, Transport};

pub fn render(endpoints: &[Endpoint]) -> Rendered {
    let lines: Vec<&str> = endpoints.iter().map(|e| e.link.as_str()).collect();
    Rendered {
        body: base64::engine::general_purpose::STANDARD.encode(lines.join("\n")),
        skipped: Vec::new(),
    }
}

/// The endpoint as a share link (parameters in the standard's names), for entries the shop
/// writes itself.
pub fn share_link(e: &Endpoint) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("type", e.transport.name());
    q.append_pair("encryption", &e.encryption);
    if !e.flow.is_empty() {
        q.append_pair("flow", &e.flow);
    }
    match &e.transport {
        Transport::Tcp { http: None } => {}
        Transport::Tcp {
            http: Some((path, host)),
        } => {
            q.append_pair("headerType", "http");
            q.append_pair("path", path);
            q.append_pair("host", host);
        }
        Transport::Ws { path, host } | Transport::HttpUpgrade { path, host } => {
            q.append_pair("path", path);
            q.append_pair("host", host);
        }
        Transport::Grpc {
            service_name,
            authority,
            multi,
        } => {
            q.append_pair("serviceName", service_name);
            if !authority.is_empty() {
                q.append_pair("authority", authority);
            }
            if *multi {
                q.append_pair("mode", "multi");
            }
        }
        Transport::Xhttp {
            path,
            host,
            mode,
            extra,
        } => {
            q.append_pair("path", path);
            q.append_pair("host", host);
            if !mode.is_empty() {
                q.append_pair("mode", mode);
            }
            if let Some(extra) = extra {
                q.append_pair("extra", &extra.to_string());
            }
        }
        Transport::Kcp { header, seed } => {
            if !header.is_empty() {
                q.append_pair("headerType", header);
            }
            if !seed.is_empty() {
                q.append_pair("seed", seed);
            }
        }
    }
    match &e.security {
        Security::None => {
            q.append_pair("security", "none");
        }
        Security::Tls {
            sni,
            alpn,
            fingerprint,
        } => {
            q.append_pair("security", "tls");
            q.append_pair("sni", sni);
            if !alpn.is_empty() {
                q.append_pair("alpn", &alpn.join(","));
            }
            if !fingerprint.is_empty() {
                q.append_pair("fp", fingerprint);
            }
        }
        Security::Reality {
            sni,
            fingerprint,
            public_key,
            short_id,
            spider_x,
        } => {
            q.append_pair("security", "reality");
            q.append_pair("sni", sni);
            q.append_pair("fp", fingerprint);
            q.append_pair("pbk", public_key);
            q.append_pair("sid", short_id);
            if !spider_x.is_empty() {
                q.append_pair("spx", spider_x);
            }
        }
    }
    let host = if e.server.contains(':') {
        format!("[{}]", e.server)
    } else {
        e.server.clone()
    };
    let remark: String = url::form_urlencoded::byte_serialize(e.name.as_bytes())
        .collect::<String>()
        .replace('+', "%20");
    format!(
        "vless://{}@{host}:{}?{}#{remark}",
        e.uuid,
        e.port,
        q.finish()
    )
}
