//! VLESS share links, built exactly as 3x-ui's Go engine builds them (`genVlessLink`, HEAD; see
//! `shared/3x-ui-api.md` §8.2), in the display context of `GET /panel/api/clients/links/:email`.
//!
//! Where the Go engine picks at random (REALITY `serverNames` and `shortIds`), this picks the
//! first entry, as the panel's own browser generator does. The address follows the panel's
//! rules ([`share_address`]): the inbound's own address where it names one, else the server's
//! public host (configured per gateway) where 3x-ui would use the request's host; an inbound
//! with `externalProxy` entries gets one link per entry.
//!
//! One deliberate difference: XTLS Vision is written only where it can run ([`vision_allowed`]),
//! and the gateway applies the same rule when it creates or updates a client.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde_json::Value;

/// The client's part of a link.
#[derive(Debug, Clone, Copy)]
pub struct LinkClient<'a> {
    pub uuid: &'a str,
    pub email: &'a str,
    pub flow: &'a str,
    pub sub_id: &'a str,
}

/// The inbound's part: its JSON columns as objects (3x-ui 2.x stores them as strings; parse
/// those first).
#[derive(Debug, Clone, Copy)]
pub struct LinkInbound<'a> {
    pub remark: &'a str,
    /// The bind address; "" is every interface.
    pub listen: &'a str,
    pub port: u16,
    /// 3x-ui 3.x's `shareAddrStrategy`: `node` (the default, also for ""), `listen` or `custom`.
    pub share_addr_strategy: &'a str,
    /// 3x-ui 3.x's `shareAddr`, used by the `custom` strategy.
    pub share_addr: &'a str,
    pub settings: &'a Value,
    pub stream_settings: &'a Value,
    /// The inbound's Vision kill switch (`disableFlow`).
    pub disable_flow: bool,
}

impl<'a> LinkInbound<'a> {
    /// An inbound on every interface with the default address strategy.
    pub fn new(
        remark: &'a str,
        port: u16,
        settings: &'a Value,
        stream_settings: &'a Value,
    ) -> Self {
        LinkInbound {
            remark,
            listen: "",
            port,
            share_addr_strategy: "",
            share_addr: "",
            settings,
            stream_settings,
            disable_flow: false,
        }
    }
}

/// Whether XTLS Vision can run on this inbound: raw TCP (no header camouflage, which Xray wraps
/// around the TLS connection) under TLS or REALITY, or XHTTP with VLESS encryption; never when
/// the inbound switches it off. A VLESS server refuses a client whose flow the inbound cannot
/// carry ("flow mismatch"), so the gateway creates, updates and links clients by this one rule.
pub fn vision_allowed(inbound: &LinkInbound<'_>) -> bool {
    if inbound.disable_flow {
        return false;
    }
    let stream = inbound.stream_settings;
    let network = str_at(stream, &["network"]).unwrap_or("tcp");
    let security = str_at(stream, &["security"]).unwrap_or("none");
    let raw_tcp = stream
        .pointer("/tcpSettings/header/type")
        .and_then(Value::as_str)
        .is_none_or(|t| t.is_empty() || t == "none");
    let vless_encryption = ["encryption", "decryption"]
        .iter()
        .any(|k| str_at(inbound.settings, &[k]).is_some_and(|v| !v.is_empty() && v != "none"));
    match network {
        "tcp" => raw_tcp && matches!(security, "tls" | "reality"),
        "xhttp" => vless_encryption,
        _ => false,
    }
}

/// The host a link dials when the inbound has no external proxies, by 3x-ui's rules: the
/// `custom` strategy's `shareAddr`, then the listen address if clients can reach it (not a
/// wildcard, loopback or unix socket), else the server's public host (where 3x-ui would fall
/// back to its configured domain or the request's host).
pub fn share_address<'a>(inbound: &LinkInbound<'a>, public_host: &'a str) -> &'a str {
    let listen = inbound.listen;
    let listen = if !listen.starts_with(['@', '/']) && routable(listen) {
        listen
    } else {
        ""
    };
    let custom = match inbound.share_addr_strategy {
        "custom" => inbound.share_addr.trim(),
        _ => "",
    };
    [custom, listen]
        .into_iter()
        .find(|c| !c.is_empty())
        .unwrap_or(public_host)
}

/// A host clients can dial: a name, or an address that is neither loopback nor unspecified.
fn routable(host: &str) -> bool {
    match host.trim_matches(['[', ']']).parse::<IpAddr>() {
        Ok(ip) => !ip.is_loopback() && !ip.is_unspecified(),
        Err(_) => !host.is_empty(),
    }
}

/// `host:port`, with an IPv6 literal in brackets (Go's `net.JoinHostPort`).
fn join_host_port(host: &str, port: u64) -> String {
    let host = host.trim_matches(['[', ']']);
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Every share link of a client: one per `externalProxy` entry of the inbound (its own address,
/// port and security), else one at [`share_address`].
pub fn vless_links(
    inbound: &LinkInbound<'_>,
    client: &LinkClient<'_>,
    public_host: &str,
) -> Vec<String> {
    let (params, security) = link_params(inbound, client);
    let remark = if inbound.remark.is_empty() {
        client.email.to_owned()
    } else {
        format!("{}-{}", inbound.remark, client.email)
    };
    let proxies = inbound
        .stream_settings
        .get("externalProxy")
        .and_then(Value::as_array)
        .filter(|p| !p.is_empty());
    let Some(proxies) = proxies else {
        let host = join_host_port(share_address(inbound, public_host), inbound.port.into());
        return vec![assemble(client.uuid, &host, &params, &remark)];
    };
    proxies
        .iter()
        .filter_map(|entry| {
            let dest = entry.get("dest").and_then(Value::as_str).unwrap_or("");
            // A JSON number, as Go reads it (`float64`).
            let port = entry.get("port").and_then(Value::as_f64).unwrap_or(0.0) as u64;
            // An entry no client could dial is left out rather than shown to a shopper.
            if dest.is_empty() || port == 0 {
                return None;
            }
            let params = external_proxy_params(entry, &params, security);
            Some(assemble(
                client.uuid,
                &join_host_port(dest, port),
                &params,
                &remark,
            ))
        })
        .collect()
}

/// The query of a link through one `externalProxy` entry: its `forceTls` (`same`, `tls` or
/// `none`) replaces the security; under `tls` the entry's own TLS fields win; `none` drops the
/// TLS hints.
fn external_proxy_params(
    entry: &Value,
    base: &BTreeMap<&'static str, String>,
    base_security: &str,
) -> BTreeMap<&'static str, String> {
    let force = entry.get("forceTls").and_then(Value::as_str).unwrap_or("");
    let security = if force == "same" {
        base_security
    } else {
        force
    };
    let mut params = base.clone();
    if security == "tls" {
        let text = |key: &str| {
            entry
                .get(key)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
        };
        for (key, name) in [
            ("sni", "sni"),
            ("fingerprint", "fp"),
            ("verifyPeerCertByName", "vcn"),
            ("echConfigList", "ech"),
        ] {
            if let Some(v) = text(key) {
                params.insert(name, v.to_owned());
            }
        }
        if let Some(alpn) = entry.get("alpn").and_then(joined).filter(|a| !a.is_empty()) {
            params.insert("alpn", alpn);
        }
        if let Some(pcs) = entry
            .get("pinnedPeerCertSha256")
            .and_then(Value::as_array)
            .map(|a| join_strings(a))
            .filter(|p| !p.is_empty())
        {
            params.insert("pcs", pcs);
        }
    }
    if !security.is_empty() {
        params.insert("security", security.to_owned());
    }
    if force == "none" {
        for key in ["alpn", "sni", "fp", "pcs"] {
            params.remove(key);
        }
    }
    params
}

/// A string, or a list of strings joined by ",".
fn joined(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => Some(join_strings(a)),
        _ => None,
    }
}

/// The query parameters every link of this client shares, and the inbound's security.
fn link_params<'a>(
    inbound: &LinkInbound<'a>,
    client: &LinkClient<'_>,
) -> (BTreeMap<&'static str, String>, &'a str) {
    let stream = inbound.stream_settings;
    let network = str_at(stream, &["network"]).unwrap_or("tcp");
    let mut params: BTreeMap<&'static str, String> = BTreeMap::new();
    params.insert("type", network.to_owned());
    if let Some(Value::String(e)) = inbound.settings.get("encryption") {
        params.insert("encryption", e.clone());
    }
    network_params(network, stream, &mut params);
    if let Some(fm) = stream.get("finalmask").filter(|v| has_content(v)) {
        params.insert("fm", compact_sorted(fm));
    }
    let security = str_at(stream, &["security"]).unwrap_or("none");
    match security {
        "tls" => tls_params(stream, &mut params),
        "reality" => reality_params(stream, client, &mut params),
        _ => {
            params.insert("security", "none".into());
        }
    }
    if vision_allowed(inbound) && !client.flow.is_empty() {
        params.insert("flow", client.flow.to_owned());
    }
    (params, security)
}

/// A link's user or host part with every byte a URL's authority cannot hold percent-encoded,
/// as Go's `url.URL` writes it: a UUID, a name or an address (`[::1]:443`) passes unchanged;
/// a space or an `@` from a panel's record cannot break the link.
fn authority_escape(s: &str) -> String {
    escape(
        s,
        |b| unreserved(b) || b"!$&'()*+,;=:[]".contains(&b),
        "%20",
    )
}

/// `vless://uuid@host?query#remark`, the query sorted and escaped as Go's `url.Values`.
fn assemble(
    uuid: &str,
    host: &str,
    params: &BTreeMap<&'static str, String>,
    remark: &str,
) -> String {
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{}={}", query_escape(k), query_escape(v)))
        .collect();
    let mut link = format!(
        "vless://{}@{}?{}",
        authority_escape(uuid),
        authority_escape(host),
        query.join("&")
    );
    if !remark.is_empty() {
        link.push('#');
        link.push_str(&query_escape(remark).replace('+', "%20"));
    }
    link
}

fn network_params(network: &str, stream: &Value, params: &mut BTreeMap<&'static str, String>) {
    match network {
        "tcp" => {
            let header = stream.pointer("/tcpSettings/header");
            if header.and_then(|h| h.get("type")).and_then(Value::as_str) == Some("http") {
                let header = header.expect("checked above");
                let path = header
                    .pointer("/request/path/0")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let host = header_host(header.pointer("/response/headers"))
                    .or_else(|| header_host(header.pointer("/request/headers")))
                    .unwrap_or_default();
                params.insert("path", path.to_owned());
                params.insert("host", host);
                params.insert("headerType", "http".into());
            }
        }
        "ws" | "httpupgrade" => {
            let key = if network == "ws" {
                "wsSettings"
            } else {
                "httpupgradeSettings"
            };
            let s = stream.get(key).unwrap_or(&Value::Null);
            params.insert("path", str_at(s, &["path"]).unwrap_or("").to_owned());
            params.insert("host", host_of(s));
        }
        "grpc" => {
            let s = stream.get("grpcSettings").unwrap_or(&Value::Null);
            params.insert(
                "serviceName",
                str_at(s, &["serviceName"]).unwrap_or("").to_owned(),
            );
            params.insert(
                "authority",
                str_at(s, &["authority"]).unwrap_or("").to_owned(),
            );
            if s.get("multiMode").and_then(Value::as_bool) == Some(true) {
                params.insert("mode", "multi".into());
            }
        }
        "xhttp" => {
            let s = stream.get("xhttpSettings").unwrap_or(&Value::Null);
            params.insert("path", str_at(s, &["path"]).unwrap_or("").to_owned());
            params.insert("host", host_of(s));
            if let Some(Value::String(mode)) = s.get("mode") {
                params.insert("mode", mode.clone());
            }
            if let Some(p) = str_at(s, &["xPaddingBytes"]).filter(|p| !p.is_empty()) {
                params.insert("x_padding_bytes", p.to_owned());
            }
            if let Some(extra) = xhttp_extra(s) {
                params.insert("extra", extra);
            }
        }
        "kcp" => {
            let s = stream.get("kcpSettings").unwrap_or(&Value::Null);
            if let Some(t) = s
                .pointer("/header/type")
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty() && *t != "none")
            {
                params.insert("headerType", t.to_owned());
            }
            if let Some(seed) = str_at(s, &["seed"]).filter(|v| !v.is_empty()) {
                params.insert("seed", seed.to_owned());
            }
            for (key, name) in [("mtu", "mtu"), ("tti", "tti")] {
                if let Some(n) = s.get(key).and_then(Value::as_u64).filter(|n| *n > 0) {
                    params.insert(name, n.to_string());
                }
            }
        }
        _ => {}
    }
}

/// The xhttp fields a client needs, as compact JSON with sorted keys; `None` when empty.
fn xhttp_extra(s: &Value) -> Option<String> {
    const ALWAYS: [&str; 12] = [
        "mode",
        "xPaddingBytes",
        "sessionPlacement",
        "sessionKey",
        "seqPlacement",
        "seqKey",
        "uplinkHTTPMethod",
        "uplinkDataPlacement",
        "uplinkDataKey",
        "uplinkChunkSize",
        "noGRPCHeader",
        "xmux",
    ];
    const OBFS: [&str; 5] = [
        "xPaddingObfsMode",
        "xPaddingKey",
        "xPaddingHeader",
        "xPaddingPlacement",
        "xPaddingMethod",
    ];
    let mut extra = serde_json::Map::new();
    let mut take = |key: &str| {
        if let Some(v) = s.get(key).filter(|v| has_content(v)) {
            extra.insert(key.to_owned(), v.clone());
        }
    };
    ALWAYS.iter().for_each(|k| take(k));
    if s.get("xPaddingObfsMode").and_then(Value::as_bool) == Some(true) {
        OBFS.iter().for_each(|k| take(k));
    }
    for (key, default) in [
        ("scMaxEachPostBytes", 1_000_000u64),
        ("scMinPostsIntervalMs", 30),
    ] {
        if let Some(v) = s
            .get(key)
            .filter(|v| has_content(v) && v.as_u64() != Some(default))
        {
            extra.insert(key.to_owned(), v.clone());
        }
    }
    if let Some(d) = s.get("downloadSettings").filter(|v| has_content(v)) {
        extra.insert("downloadSettings".into(), d.clone());
    }
    if let Some(Value::Object(headers)) = s.get("headers") {
        let kept: serde_json::Map<String, Value> = headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !kept.is_empty() {
            extra.insert("headers".into(), Value::Object(kept));
        }
    }
    (!extra.is_empty()).then(|| compact_sorted(&Value::Object(extra)))
}

fn tls_params(stream: &Value, params: &mut BTreeMap<&'static str, String>) {
    params.insert("security", "tls".into());
    let tls = stream.get("tlsSettings").unwrap_or(&Value::Null);
    if let Some(alpn) = tls
        .get("alpn")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
    {
        params.insert("alpn", join_strings(alpn));
    }
    if let Some(sni) = tls.get("serverName") {
        params.insert("sni", sni.as_str().unwrap_or("").to_owned());
    }
    let settings = tls.get("settings").unwrap_or(&Value::Null);
    if let Some(fp) = settings.get("fingerprint") {
        params.insert("fp", fp.as_str().unwrap_or("").to_owned());
    }
    if let Some(ech) = str_at(settings, &["echConfigList"]).filter(|v| !v.is_empty()) {
        params.insert("ech", ech.to_owned());
    }
    if let Some(vcn) = str_at(settings, &["verifyPeerCertByName"]).filter(|v| !v.is_empty()) {
        params.insert("vcn", vcn.to_owned());
    }
    if let Some(pcs) = settings
        .get("pinnedPeerCertSha256")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
    {
        params.insert("pcs", join_strings(pcs));
    }
}

fn reality_params(
    stream: &Value,
    client: &LinkClient<'_>,
    params: &mut BTreeMap<&'static str, String>,
) {
    params.insert("security", "reality".into());
    let r = stream.get("realitySettings").unwrap_or(&Value::Null);
    let settings = r.get("settings").unwrap_or(&Value::Null);
    let first = |key: &str| {
        r.get(key)
            .and_then(|v| v.get(0))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    params.insert("sni", first("serverNames"));
    params.insert("sid", first("shortIds"));
    params.insert(
        "pbk",
        str_at(settings, &["publicKey"]).unwrap_or("").to_owned(),
    );
    if let Some(fp) = str_at(settings, &["fingerprint"]).filter(|v| !v.is_empty()) {
        params.insert("fp", fp.to_owned());
    }
    if let Some(pqv) = str_at(settings, &["mldsa65Verify"]).filter(|v| !v.is_empty()) {
        params.insert("pqv", pqv.to_owned());
    }
    let key = if client.sub_id.is_empty() {
        client.email
    } else {
        client.sub_id
    };
    let spider = str_at(settings, &["spiderX"]).unwrap_or("");
    let digest = nebula_common::hex_sha256(format!("{spider}|{key}"));
    params.insert("spx", format!("/{}", &digest[..15]));
}

/// `host`, else the `Host` header (any case), else "".
fn host_of(s: &Value) -> String {
    str_at(s, &["host"])
        .filter(|h| !h.is_empty())
        .map(str::to_owned)
        .or_else(|| header_host(s.get("headers")))
        .unwrap_or_default()
}

/// The first `Host` value of a headers object, whose values may be strings or lists.
fn header_host(headers: Option<&Value>) -> Option<String> {
    let (_, value) = headers?
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("host"))?;
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.first().and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(v, |v, k| v.get(k))
        .and_then(Value::as_str)
}

fn join_strings(a: &[Value]) -> String {
    a.iter()
        .filter_map(Value::as_str)
        .collect::<Vec<_>>()
        .join(",")
}

fn has_content(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Bool(b) => *b,
        Value::Number(_) => true,
    }
}

/// Compact JSON with object keys sorted at every level (as Go's `json.Marshal` of maps).
fn compact_sorted(v: &Value) -> String {
    match v {
        Value::Object(o) => {
            let sorted: BTreeMap<&String, &Value> = o.iter().collect();
            let fields: Vec<String> = sorted
                .into_iter()
                .map(|(k, v)| format!("{}:{}", Value::String(k.clone()), compact_sorted(v)))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(compact_sorted).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// Go's `url.QueryEscape`: `A-Z a-z 0-9 - _ . ~` kept, space as `+`, every other byte `%XX`.
pub fn query_escape(s: &str) -> String {
    escape(s, unreserved, "+")
}

/// RFC 3986's unreserved bytes, which no part of a URL escapes.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.~".contains(&b)
}

/// Percent-encodes every byte `keep` refuses; a space becomes `space`.
fn escape(s: &str, keep: impl Fn(u8) -> bool, space: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else if b == b' ' {
            out.push_str(space);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
