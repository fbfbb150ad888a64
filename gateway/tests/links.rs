//! Share links against the Go engine's rules (`shared/3x-ui-api.md` §8.2): the three worked
//! examples of the facts byte for byte, and vectors for every network × security combination,
//! computed by an independent implementation of the rules.

use nebula_gateway::links::{LinkClient, LinkInbound, share_address, vision_allowed, vless_links};
use serde_json::{Value, json};

const UUID: &str = "b831381d-6324-4d53-ad4f-8cda48b30811";

fn link(
    remark: &str,
    port: u16,
    settings: &Value,
    stream: &Value,
    client: LinkClient<'_>,
    host: &str,
) -> String {
    let links = vless_links(
        &LinkInbound::new(remark, port, settings, stream),
        &client,
        host,
    );
    assert_eq!(
        links.len(),
        1,
        "an inbound without external proxies has one link"
    );
    links.into_iter().next().unwrap()
}

fn alice(flow: &str) -> LinkClient<'static> {
    LinkClient {
        uuid: UUID,
        email: "alice",
        flow: if flow.is_empty() {
            ""
        } else {
            "xtls-rprx-vision"
        },
        sub_id: "k3v9x2m8q1w7e5r4",
    }
}

fn vless_settings() -> Value {
    json!({"clients": [], "decryption": "none", "encryption": "none", "fallbacks": []})
}

#[test]
fn worked_example_v1_tcp_plain() {
    let stream = json!({"network":"tcp","security":"none","externalProxy":[],"tcpSettings":{"acceptProxyProtocol":false,"header":{"type":"none"}}});
    assert_eq!(
        link(
            "main",
            443,
            &vless_settings(),
            &stream,
            alice(""),
            "vpn.example.com"
        ),
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:443?encryption=none&security=none&type=tcp#main-alice"
    );
}

#[test]
fn worked_example_v3_ws_tls() {
    let stream = json!({"network":"ws","security":"tls","externalProxy":[],"tlsSettings":{"serverName":"vpn.example.com","minVersion":"1.2","maxVersion":"1.3","cipherSuites":"","rejectUnknownSni":false,"disableSystemRoot":false,"enableSessionResumption":false,"certificates":[{"certificateFile":"certs/fullchain.pem","keyFile":"certs/privkey.pem","ocspStapling":0,"oneTimeLoading":false,"usage":"encipherment","buildChain":false}],"alpn":["h2","http/1.1"],"echServerKeys":"","settings":{"fingerprint":"chrome","echConfigList":"","pinnedPeerCertSha256":[],"verifyPeerCertByName":""}},"wsSettings":{"acceptProxyProtocol":false,"path":"/ws?ed=2048","host":"","headers":{"Host":"ws.example.com"},"heartbeatPeriod":0}});
    assert_eq!(
        link(
            "main",
            443,
            &vless_settings(),
            &stream,
            alice(""),
            "vpn.example.com"
        ),
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:443?alpn=h2%2Chttp%2F1.1&encryption=none&fp=chrome&host=ws.example.com&path=%2Fws%3Fed%3D2048&security=tls&sni=vpn.example.com&type=ws#main-alice"
    );
}

#[test]
fn worked_example_v8_tcp_reality_vision() {
    let stream = json!({"network":"tcp","security":"reality","externalProxy":[],"realitySettings":{"show":false,"xver":0,"target":"www.microsoft.com:443","serverNames":["www.microsoft.com"],"privateKey":"cKI1Bb3yHnKNQ1WwQnS8s3ZGd0cQyB0Z0ZdW5yZ9K2A","minClientVer":"","maxClientVer":"","maxTimediff":0,"shortIds":["6ba85179e30d4fc2"],"mldsa65Seed":"","settings":{"publicKey":"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw","fingerprint":"chrome","serverName":"","spiderX":"/","mldsa65Verify":""}},"tcpSettings":{"acceptProxyProtocol":false,"header":{"type":"none"}}});
    assert_eq!(
        link(
            "main",
            443,
            &vless_settings(),
            &stream,
            alice("vision"),
            "vpn.example.com"
        ),
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:443?encryption=none&flow=xtls-rprx-vision&fp=chrome&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fa33c7afffe5afe7&type=tcp#main-alice"
    );
}

/// (network, security, streamSettings, expected link) with a remark that needs escaping and
/// the client asking for Vision (which only tcp with tls or reality may carry).
const VECTORS: &[(&str, &str, &str, &str)] = &[
    (
        "tcp",
        "none",
        r#"{"network":"tcp","tcpSettings":{"header":{"type":"none"}},"security":"none"}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&security=none&type=tcp#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "tcp",
        "tls",
        r#"{"network":"tcp","tcpSettings":{"header":{"type":"none"}},"security":"tls","tlsSettings":{"serverName":"vpn.example.com","alpn":["h2","http/1.1"],"settings":{"fingerprint":"chrome","echConfigList":"","pinnedPeerCertSha256":[],"verifyPeerCertByName":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?alpn=h2%2Chttp%2F1.1&encryption=none&flow=xtls-rprx-vision&fp=chrome&security=tls&sni=vpn.example.com&type=tcp#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "tcp",
        "reality",
        r#"{"network":"tcp","tcpSettings":{"header":{"type":"none"}},"security":"reality","realitySettings":{"serverNames":["www.microsoft.com","example.org"],"shortIds":["6ba85179e30d4fc2","ab"],"settings":{"publicKey":"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw","fingerprint":"firefox","spiderX":"/","mldsa65Verify":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&flow=xtls-rprx-vision&fp=firefox&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fa33c7afffe5afe7&type=tcp#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "tcp-http",
        "none",
        r#"{"network":"tcp","tcpSettings":{"header":{"type":"http","request":{"path":["/a b","/c"],"headers":{"Host":["req.example.com"]}},"response":{"headers":{"host":["resp.example.com"]}}}},"security":"none"}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&headerType=http&host=resp.example.com&path=%2Fa+b&security=none&type=tcp#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "tcp-http",
        "tls",
        r#"{"network":"tcp","tcpSettings":{"header":{"type":"http","request":{"path":["/a b","/c"],"headers":{"Host":["req.example.com"]}},"response":{"headers":{"host":["resp.example.com"]}}}},"security":"tls","tlsSettings":{"serverName":"vpn.example.com","alpn":["h2","http/1.1"],"settings":{"fingerprint":"chrome","echConfigList":"","pinnedPeerCertSha256":[],"verifyPeerCertByName":""}}}"#,
        // No flow: the HTTP header camouflage wraps the TLS connection, and Vision runs only
        // on raw TCP (3x-ui's own link would carry it; a VLESS server would refuse it).
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?alpn=h2%2Chttp%2F1.1&encryption=none&fp=chrome&headerType=http&host=resp.example.com&path=%2Fa+b&security=tls&sni=vpn.example.com&type=tcp#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "tcp-http",
        "reality",
        r#"{"network":"tcp","tcpSettings":{"header":{"type":"http","request":{"path":["/a b","/c"],"headers":{"Host":["req.example.com"]}},"response":{"headers":{"host":["resp.example.com"]}}}},"security":"reality","realitySettings":{"serverNames":["www.microsoft.com","example.org"],"shortIds":["6ba85179e30d4fc2","ab"],"settings":{"publicKey":"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw","fingerprint":"firefox","spiderX":"/","mldsa65Verify":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&fp=firefox&headerType=http&host=resp.example.com&path=%2Fa+b&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fa33c7afffe5afe7&type=tcp#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "ws",
        "none",
        r#"{"network":"ws","wsSettings":{"path":"/ws?ed=2048","host":"","headers":{"Host":"ws.example.com"}},"security":"none"}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&host=ws.example.com&path=%2Fws%3Fed%3D2048&security=none&type=ws#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "ws",
        "tls",
        r#"{"network":"ws","wsSettings":{"path":"/ws?ed=2048","host":"","headers":{"Host":"ws.example.com"}},"security":"tls","tlsSettings":{"serverName":"vpn.example.com","alpn":["h2","http/1.1"],"settings":{"fingerprint":"chrome","echConfigList":"","pinnedPeerCertSha256":[],"verifyPeerCertByName":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?alpn=h2%2Chttp%2F1.1&encryption=none&fp=chrome&host=ws.example.com&path=%2Fws%3Fed%3D2048&security=tls&sni=vpn.example.com&type=ws#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "ws",
        "reality",
        r#"{"network":"ws","wsSettings":{"path":"/ws?ed=2048","host":"","headers":{"Host":"ws.example.com"}},"security":"reality","realitySettings":{"serverNames":["www.microsoft.com","example.org"],"shortIds":["6ba85179e30d4fc2","ab"],"settings":{"publicKey":"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw","fingerprint":"firefox","spiderX":"/","mldsa65Verify":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&fp=firefox&host=ws.example.com&path=%2Fws%3Fed%3D2048&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fa33c7afffe5afe7&type=ws#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "grpc",
        "none",
        r#"{"network":"grpc","grpcSettings":{"serviceName":"nebula","authority":"","multiMode":true},"security":"none"}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?authority=&encryption=none&mode=multi&security=none&serviceName=nebula&type=grpc#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "grpc",
        "tls",
        r#"{"network":"grpc","grpcSettings":{"serviceName":"nebula","authority":"","multiMode":true},"security":"tls","tlsSettings":{"serverName":"vpn.example.com","alpn":["h2","http/1.1"],"settings":{"fingerprint":"chrome","echConfigList":"","pinnedPeerCertSha256":[],"verifyPeerCertByName":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?alpn=h2%2Chttp%2F1.1&authority=&encryption=none&fp=chrome&mode=multi&security=tls&serviceName=nebula&sni=vpn.example.com&type=grpc#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "grpc",
        "reality",
        r#"{"network":"grpc","grpcSettings":{"serviceName":"nebula","authority":"","multiMode":true},"security":"reality","realitySettings":{"serverNames":["www.microsoft.com","example.org"],"shortIds":["6ba85179e30d4fc2","ab"],"settings":{"publicKey":"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw","fingerprint":"firefox","spiderX":"/","mldsa65Verify":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?authority=&encryption=none&fp=firefox&mode=multi&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&security=reality&serviceName=nebula&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fa33c7afffe5afe7&type=grpc#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "httpupgrade",
        "none",
        r#"{"network":"httpupgrade","httpupgradeSettings":{"path":"/up","host":"up.example.com"},"security":"none"}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&host=up.example.com&path=%2Fup&security=none&type=httpupgrade#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "httpupgrade",
        "tls",
        r#"{"network":"httpupgrade","httpupgradeSettings":{"path":"/up","host":"up.example.com"},"security":"tls","tlsSettings":{"serverName":"vpn.example.com","alpn":["h2","http/1.1"],"settings":{"fingerprint":"chrome","echConfigList":"","pinnedPeerCertSha256":[],"verifyPeerCertByName":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?alpn=h2%2Chttp%2F1.1&encryption=none&fp=chrome&host=up.example.com&path=%2Fup&security=tls&sni=vpn.example.com&type=httpupgrade#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "httpupgrade",
        "reality",
        r#"{"network":"httpupgrade","httpupgradeSettings":{"path":"/up","host":"up.example.com"},"security":"reality","realitySettings":{"serverNames":["www.microsoft.com","example.org"],"shortIds":["6ba85179e30d4fc2","ab"],"settings":{"publicKey":"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw","fingerprint":"firefox","spiderX":"/","mldsa65Verify":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&fp=firefox&host=up.example.com&path=%2Fup&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fa33c7afffe5afe7&type=httpupgrade#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "xhttp",
        "none",
        r#"{"network":"xhttp","xhttpSettings":{"path":"/x","host":"","headers":{"Host":"x.example.com","X-Tag":"n1"},"mode":"auto","xPaddingBytes":"100-1000","scMaxEachPostBytes":1000000,"scMinPostsIntervalMs":50,"noSSEHeader":true},"security":"none"}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&extra=%7B%22headers%22%3A%7B%22X-Tag%22%3A%22n1%22%7D%2C%22mode%22%3A%22auto%22%2C%22scMinPostsIntervalMs%22%3A50%2C%22xPaddingBytes%22%3A%22100-1000%22%7D&host=x.example.com&mode=auto&path=%2Fx&security=none&type=xhttp&x_padding_bytes=100-1000#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "xhttp",
        "tls",
        r#"{"network":"xhttp","xhttpSettings":{"path":"/x","host":"","headers":{"Host":"x.example.com","X-Tag":"n1"},"mode":"auto","xPaddingBytes":"100-1000","scMaxEachPostBytes":1000000,"scMinPostsIntervalMs":50,"noSSEHeader":true},"security":"tls","tlsSettings":{"serverName":"vpn.example.com","alpn":["h2","http/1.1"],"settings":{"fingerprint":"chrome","echConfigList":"","pinnedPeerCertSha256":[],"verifyPeerCertByName":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?alpn=h2%2Chttp%2F1.1&encryption=none&extra=%7B%22headers%22%3A%7B%22X-Tag%22%3A%22n1%22%7D%2C%22mode%22%3A%22auto%22%2C%22scMinPostsIntervalMs%22%3A50%2C%22xPaddingBytes%22%3A%22100-1000%22%7D&fp=chrome&host=x.example.com&mode=auto&path=%2Fx&security=tls&sni=vpn.example.com&type=xhttp&x_padding_bytes=100-1000#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "xhttp",
        "reality",
        r#"{"network":"xhttp","xhttpSettings":{"path":"/x","host":"","headers":{"Host":"x.example.com","X-Tag":"n1"},"mode":"auto","xPaddingBytes":"100-1000","scMaxEachPostBytes":1000000,"scMinPostsIntervalMs":50,"noSSEHeader":true},"security":"reality","realitySettings":{"serverNames":["www.microsoft.com","example.org"],"shortIds":["6ba85179e30d4fc2","ab"],"settings":{"publicKey":"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw","fingerprint":"firefox","spiderX":"/","mldsa65Verify":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&extra=%7B%22headers%22%3A%7B%22X-Tag%22%3A%22n1%22%7D%2C%22mode%22%3A%22auto%22%2C%22scMinPostsIntervalMs%22%3A50%2C%22xPaddingBytes%22%3A%22100-1000%22%7D&fp=firefox&host=x.example.com&mode=auto&path=%2Fx&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fa33c7afffe5afe7&type=xhttp&x_padding_bytes=100-1000#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "kcp",
        "none",
        r#"{"network":"kcp","kcpSettings":{"mtu":1350,"tti":20,"header":{"type":"wechat-video"},"seed":"s3cret"},"security":"none"}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&headerType=wechat-video&mtu=1350&security=none&seed=s3cret&tti=20&type=kcp#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "kcp",
        "tls",
        r#"{"network":"kcp","kcpSettings":{"mtu":1350,"tti":20,"header":{"type":"wechat-video"},"seed":"s3cret"},"security":"tls","tlsSettings":{"serverName":"vpn.example.com","alpn":["h2","http/1.1"],"settings":{"fingerprint":"chrome","echConfigList":"","pinnedPeerCertSha256":[],"verifyPeerCertByName":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?alpn=h2%2Chttp%2F1.1&encryption=none&fp=chrome&headerType=wechat-video&mtu=1350&security=tls&seed=s3cret&sni=vpn.example.com&tti=20&type=kcp#DE%20Frankfurt%7C1-alice%40example.com",
    ),
    (
        "kcp",
        "reality",
        r#"{"network":"kcp","kcpSettings":{"mtu":1350,"tti":20,"header":{"type":"wechat-video"},"seed":"s3cret"},"security":"reality","realitySettings":{"serverNames":["www.microsoft.com","example.org"],"shortIds":["6ba85179e30d4fc2","ab"],"settings":{"publicKey":"Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw","fingerprint":"firefox","spiderX":"/","mldsa65Verify":""}}}"#,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@vpn.example.com:8443?encryption=none&fp=firefox&headerType=wechat-video&mtu=1350&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&security=reality&seed=s3cret&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2Fa33c7afffe5afe7&tti=20&type=kcp#DE%20Frankfurt%7C1-alice%40example.com",
    ),
];

#[test]
fn every_network_and_security() {
    assert_eq!(VECTORS.len(), 7 * 3);
    for (network, security, stream, expected) in VECTORS {
        let stream: Value = serde_json::from_str(stream).unwrap();
        let client = LinkClient {
            uuid: UUID,
            email: "alice@example.com",
            flow: "xtls-rprx-vision",
            sub_id: "k3v9x2m8q1w7e5r4",
        };
        let got = link(
            "DE Frankfurt|1",
            8443,
            &vless_settings(),
            &stream,
            client,
            "vpn.example.com",
        );
        assert_eq!(&got, expected, "{network} + {security}");
    }
}

#[test]
fn flow_rules_hosts_and_remarks() {
    let reality = json!({"network":"tcp","security":"reality","realitySettings":{"serverNames":["a.example"],"shortIds":["01"],"settings":{"publicKey":"pk","fingerprint":"","spiderX":""}}});
    // The inbound's Vision kill switch drops the flow.
    let settings = vless_settings();
    let off = vless_links(
        &LinkInbound {
            disable_flow: true,
            ..LinkInbound::new("", 443, &settings, &reality)
        },
        &alice("vision"),
        "2001:db8::10",
    )
    .remove(0);
    // No remark: the email alone; IPv6 literal bracketed; spx keyed by the subId.
    assert_eq!(
        off,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@[2001:db8::10]:443?encryption=none&pbk=pk&security=reality&sid=01&sni=a.example&spx=%2Fb490f812e69594e&type=tcp#alice"
    );
    // xhttp carries Vision only with VLESS encryption on.
    let xhttp =
        json!({"network":"xhttp","security":"none","xhttpSettings":{"path":"/x","host":"h"}});
    let encrypted = json!({"clients": [], "decryption": "mlkem768x25519plus.native.600s.key", "encryption": "mlkem768x25519plus.native.0rtt.key"});
    let with = link("m", 443, &encrypted, &xhttp, alice("vision"), "h.example");
    assert!(with.contains("&flow=xtls-rprx-vision&"), "{with}");
    let without = link(
        "m",
        443,
        &vless_settings(),
        &xhttp,
        alice("vision"),
        "h.example",
    );
    assert!(!without.contains("flow="), "{without}");
    // Settings without `encryption` write no encryption parameter (API-made inbounds).
    let bare = link(
        "m",
        443,
        &json!({"clients": []}),
        &json!({"network":"tcp","security":"none"}),
        alice(""),
        "h",
    );
    assert_eq!(
        bare,
        "vless://b831381d-6324-4d53-ad4f-8cda48b30811@h:443?security=none&type=tcp#m-alice"
    );
}

/// Which inbounds can carry XTLS Vision: the one rule create, update and the links share.
#[test]
fn vision_runs_only_on_raw_tcp_with_tls_or_reality() {
    let plain = vless_settings();
    let encrypted = json!({"clients": [], "decryption": "mlkem768x25519plus.native.600s.key", "encryption": "mlkem768x25519plus.native.0rtt.key"});
    let table: &[(&str, &Value, bool)] = &[
        (r#"{"network":"tcp","security":"reality"}"#, &plain, true),
        (
            r#"{"network":"tcp","security":"tls","tcpSettings":{"header":{"type":"none"}}}"#,
            &plain,
            true,
        ),
        (r#"{"network":"tcp","security":"none"}"#, &plain, false),
        (
            r#"{"network":"tcp","security":"tls","tcpSettings":{"header":{"type":"http"}}}"#,
            &plain,
            false,
        ),
        (r#"{"network":"ws","security":"tls"}"#, &plain, false),
        (r#"{"network":"grpc","security":"reality"}"#, &plain, false),
        (
            r#"{"network":"httpupgrade","security":"tls"}"#,
            &plain,
            false,
        ),
        (r#"{"network":"xhttp","security":"reality"}"#, &plain, false),
        (r#"{"network":"xhttp","security":"none"}"#, &encrypted, true),
        (r#"{"network":"kcp","security":"none"}"#, &plain, false),
    ];
    for (stream, settings, expected) in table {
        let stream: Value = serde_json::from_str(stream).unwrap();
        let inbound = LinkInbound::new("m", 443, settings, &stream);
        assert_eq!(vision_allowed(&inbound), *expected, "{stream}");
        let off = LinkInbound {
            disable_flow: true,
            ..inbound
        };
        assert!(
            !vision_allowed(&off),
            "disableFlow switches Vision off: {stream}"
        );
    }
}

/// The host of a link, by 3x-ui's rules (`resolveInboundAddress`): the inbound's own address
/// where clients can reach it, else the server's public host.
#[test]
fn the_address_follows_the_panels_rules() {
    let settings = vless_settings();
    let stream = json!({"network":"tcp","security":"none"});
    let table: &[(&str, &str, &str, &str)] = &[
        // (listen, shareAddrStrategy, shareAddr, the host written)
        ("", "", "", "vpn.example.com"),
        ("0.0.0.0", "", "", "vpn.example.com"),
        ("::", "", "", "vpn.example.com"),
        ("127.0.0.1", "", "", "vpn.example.com"),
        ("::1", "", "", "vpn.example.com"),
        ("@xray.sock", "", "", "vpn.example.com"),
        ("/run/xray.sock", "", "", "vpn.example.com"),
        ("203.0.113.9", "", "", "203.0.113.9"),
        ("203.0.113.9", "node", "", "203.0.113.9"),
        ("203.0.113.9", "listen", "", "203.0.113.9"),
        ("edge.example.net", "", "", "edge.example.net"),
        ("2001:db8::7", "", "", "[2001:db8::7]"),
        ("", "custom", " cdn.example.org ", "cdn.example.org"),
        ("203.0.113.9", "custom", "", "203.0.113.9"),
        ("0.0.0.0", "custom", "", "vpn.example.com"),
    ];
    for (listen, strategy, share_addr, host) in table {
        let inbound = LinkInbound {
            listen,
            share_addr_strategy: strategy,
            share_addr,
            ..LinkInbound::new("main", 8443, &settings, &stream)
        };
        let links = vless_links(&inbound, &alice(""), "vpn.example.com");
        assert_eq!(
            links,
            [format!(
                "vless://{UUID}@{host}:8443?encryption=none&security=none&type=tcp#main-alice"
            )],
            "listen {listen:?}, strategy {strategy:?}, shareAddr {share_addr:?}"
        );
        assert_eq!(
            share_address(&inbound, "vpn.example.com"),
            host.trim_matches(['[', ']'])
        );
    }
}

/// An inbound with `externalProxy` entries has one link per entry, each with its own address,
/// port and security (`buildEndpointLinks`): `same` keeps the inbound's, `tls` takes the entry's
/// TLS fields, `none` drops the TLS hints. The remark stays the display one.
#[test]
fn external_proxies_make_one_link_each() {
    let stream = json!({"network":"ws","security":"tls",
    "wsSettings":{"path":"/ws","host":"ws.example.com"},
    "tlsSettings":{"serverName":"vpn.example.com","alpn":["h2"],"settings":{"fingerprint":"chrome"}},
    "externalProxy":[
        {"forceTls":"same","dest":"cdn.example.org","port":443,"remark":"CDN"},
        {"forceTls":"tls","dest":"2001:db8::5","port":8443,"remark":"v6","sni":"edge.example.org","fingerprint":"firefox","alpn":"h2,http/1.1"},
        {"forceTls":"none","dest":"plain.example.org","port":80,"remark":"plain"},
        {"forceTls":"same","dest":"","port":443}
    ]});
    let settings = vless_settings();
    let inbound = LinkInbound {
        listen: "203.0.113.9",
        ..LinkInbound::new("main", 443, &settings, &stream)
    };
    assert_eq!(
        vless_links(&inbound, &alice(""), "vpn.example.com"),
        [
            format!(
                "vless://{UUID}@cdn.example.org:443?alpn=h2&encryption=none&fp=chrome&host=ws.example.com&path=%2Fws&security=tls&sni=vpn.example.com&type=ws#main-alice"
            ),
            format!(
                "vless://{UUID}@[2001:db8::5]:8443?alpn=h2%2Chttp%2F1.1&encryption=none&fp=firefox&host=ws.example.com&path=%2Fws&security=tls&sni=edge.example.org&type=ws#main-alice"
            ),
            format!(
                "vless://{UUID}@plain.example.org:80?encryption=none&host=ws.example.com&path=%2Fws&security=none&type=ws#main-alice"
            ),
        ],
        "an entry without an address is left out"
    );
}
