//! Links that carry traffic: for every transport × security the shop supports, the gateway
//! makes a client on a simulated panel; a real VLESS server (mihomo, sing-box or v2ray) is
//! configured from the panel's inbound as 3x-ui configures Xray; a real client is configured
//! from the gateway's share link alone; and bytes must come back through them. A client with a
//! wrong uuid, or a wrong REALITY key, gets nothing through.
//!
//! The programs come from the registries (`cargo xtask deps`); a missing one fails the test.

mod common;

use std::time::Duration;

use common::real::{
    OTHER_REALITY_PUBLIC, Program, REALITY_PRIVATE, REALITY_PUBLIC, Running, SHORT_ID, echo_server,
    fixture, free_port, mihomo_client, server_config, sing_box_client, through_socks, tls_server,
    xray_inbound,
};
use common::{Options, Stack};
use nebula_gateway::api::CreateClient;
use nebula_gateway::sim::{Generation, vless_inbound};
use serde_json::{Value, json};

/// Which client reads the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Client {
    /// mihomo's own share-link parser.
    Mihomo,
    /// The share-link standard, for what mihomo's parser cannot read (`httpupgrade`).
    SingBox,
}

#[derive(Debug, Clone, Copy)]
struct Case {
    network: &'static str,
    security: &'static str,
    client: Client,
}

const fn case(network: &'static str, security: &'static str, client: Client) -> Case {
    Case {
        network,
        security,
        client,
    }
}

const WITHIN: Duration = Duration::from_secs(15);
/// How long a refused client is given to get anything through (it has tried by then: its log
/// shows the attempt).
const REFUSED_WITHIN: Duration = Duration::from_secs(2);

/// An inbound's stream settings as the panel's UI makes them (a REALITY inbound borrows the
/// handshake of the TLS server on `reality_dest`).
fn stream(network: &str, security: &str, reality_dest: u16) -> Value {
    let mut s = match network {
        "tcp" => {
            json!({"network": "tcp", "tcpSettings": {"acceptProxyProtocol": false, "header": {"type": "none"}}})
        }
        "ws" => {
            json!({"network": "ws", "wsSettings": {"path": "/ws", "host": "localhost", "headers": {}}})
        }
        "grpc" => {
            json!({"network": "grpc", "grpcSettings": {"serviceName": "nebula", "authority": "", "multiMode": false}})
        }
        "httpupgrade" => {
            json!({"network": "httpupgrade", "httpupgradeSettings": {"path": "/up", "host": "localhost"}})
        }
        "xhttp" => {
            json!({"network": "xhttp", "xhttpSettings": {"path": "/x", "host": "localhost", "mode": "auto"}})
        }
        other => panic!("no {other} inbound"),
    };
    s["externalProxy"] = json!([]);
    s["security"] = json!(security);
    let alpn = match network {
        "grpc" => json!(["h2"]),
        "xhttp" => json!(["h2", "http/1.1"]),
        _ => json!(["http/1.1"]),
    };
    match security {
        "tls" => {
            s["tlsSettings"] = json!({"serverName": "localhost", "minVersion": "1.2", "maxVersion": "1.3",
                "alpn": alpn, "certificates": [{"certificateFile": fixture("gateway-cert.pem"),
                "keyFile": fixture("gateway-key.pem")}], "settings": {"fingerprint": "chrome"}});
        }
        "reality" => {
            s["realitySettings"] = json!({"show": false, "xver": 0, "target": format!("127.0.0.1:{reality_dest}"),
                "serverNames": ["localhost"], "privateKey": REALITY_PRIVATE, "shortIds": [SHORT_ID],
                "settings": {"publicKey": REALITY_PUBLIC, "fingerprint": "chrome", "serverName": "", "spiderX": "/"}});
        }
        _ => {}
    }
    s
}

/// Bytes of every value, a few hundred KiB: enough to cross Vision's splice and many frames.
fn payload() -> Vec<u8> {
    (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect()
}

/// The link's uuid replaced by another.
fn other_uuid(link: &str, uuid: &str) -> String {
    link.replacen(uuid, "00000000-1111-4222-8333-444444444444", 1)
}

struct Made {
    link: String,
    uuid: String,
    inbound: Value,
}

/// Makes one client through the gateway on each case's inbound; returns the links and the
/// panel's inbounds as stored.
async fn provision(generation: Generation, cases: &[Case]) -> (Stack, Vec<Made>) {
    let stack = Stack::with(Options {
        public_host: "127.0.0.1",
        ..Options::new(generation)
    })
    .await;
    let dest = tls_server().await;
    let mut made = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let id = 10 + i as u32;
        let port = free_port();
        stack.sim.add_inbound(vless_inbound(
            id,
            &format!("{}-{}", c.network, c.security),
            port,
            stream(c.network, c.security, dest),
        ));
        let created = stack
            .client
            .create_client(
                stack.target(),
                &CreateClient {
                    inbound_id: id,
                    ..common::new_client(&format!("nl-{}-{}", c.network, c.security))
                },
            )
            .await
            .unwrap()
            .client;
        made.push(Made {
            link: created.link,
            uuid: created.uuid,
            inbound: stack.sim.inbound(id).unwrap(),
        });
    }
    (stack, made)
}

async fn client_for(kind: Client, link: &str) -> (Running, u16) {
    let port = free_port();
    let (program, config, files) = match kind {
        Client::Mihomo => {
            let (config, files) = mihomo_client(&[link], port);
            (Program::Mihomo, config, files)
        }
        Client::SingBox => (Program::SingBox, sing_box_client(link, port), vec![]),
    };
    let running = Running::start(program, &config, &files)
        .listening(port)
        .await;
    (running, port)
}

/// Serves each case's inbound with `server`, passes bytes with the link, and (for the first
/// case, and every REALITY one) checks that a wrong uuid or key gets nothing through.
async fn carry(server: Program, generation: Generation, cases: &[Case]) {
    let (_stack, made) = provision(generation, cases).await;
    let echo = echo_server().await;
    let data = payload();
    for (i, (c, m)) in cases.iter().zip(&made).enumerate() {
        let what = format!(
            "{} {} + {} via {:?}",
            server.name(),
            c.network,
            c.security,
            c.client
        );
        let x = xray_inbound(&m.inbound);
        let (config, files) = server_config(server, &x);
        let port = x["port"].as_u64().unwrap() as u16;
        let srv = Running::start(server, &config, &files)
            .listening(port)
            .await;

        let (client, socks) = client_for(c.client, &m.link).await;
        let back = through_socks(socks, echo, &data, WITHIN).await;
        assert!(
            back.as_deref() == Ok(&data[..]),
            "{what}: the bytes did not come back ({:?})\nlink: {}\nserver log:\n{}\nclient log:\n{}",
            back.err(),
            m.link,
            srv.log(),
            client.log()
        );
        drop(client);

        let mut wrong = vec![("a wrong uuid", other_uuid(&m.link, &m.uuid))];
        if c.security == "reality" {
            wrong.push((
                "a wrong REALITY key",
                m.link.replace(REALITY_PUBLIC, OTHER_REALITY_PUBLIC),
            ));
        }
        if i > 0 && c.security != "reality" {
            continue;
        }
        for (why, link) in wrong {
            let (client, socks) = client_for(c.client, &link).await;
            let back = through_socks(socks, echo, &data, REFUSED_WITHIN).await;
            assert!(
                back.as_deref() != Ok(&data[..]),
                "{what}: {why} was let through\nserver log:\n{}",
                srv.log()
            );
            assert!(
                client.log().contains(&format!("127.0.0.1:{echo}")),
                "{what}: the client with {why} never tried:\n{}",
                client.log()
            );
            drop(client);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mihomo_serves_tcp_ws_grpc_and_xhttp_under_none_tls_and_reality() {
    use Client::Mihomo as M;
    carry(
        Program::Mihomo,
        Generation::V3,
        &[
            case("tcp", "reality", M),
            case("tcp", "tls", M),
            case("tcp", "none", M),
            case("ws", "none", M),
            case("ws", "tls", M),
            case("grpc", "none", M),
            case("grpc", "tls", M),
            case("grpc", "reality", M),
            case("xhttp", "none", M),
            case("xhttp", "tls", M),
            case("xhttp", "reality", M),
        ],
    )
    .await;
}

/// sing-box refuses a client whose flow differs from its account's ("flow mismatch"), as Xray
/// does; a 2.x panel stores whatever flow it is sent, so only the gateway's rule keeps Vision
/// off WebSocket, gRPC and HTTPUpgrade here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sing_box_serves_httpupgrade_ws_grpc_and_vision_over_tls() {
    carry(
        Program::SingBox,
        Generation::V2,
        &[
            case("httpupgrade", "tls", Client::SingBox),
            case("httpupgrade", "none", Client::SingBox),
            case("ws", "tls", Client::Mihomo),
            case("grpc", "tls", Client::Mihomo),
            case("tcp", "tls", Client::Mihomo),
        ],
    )
    .await;
}

/// v2ray 4, the VLESS server of many older set-ups, behind a 2.x panel.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn v2ray_serves_what_a_2x_panel_stores() {
    carry(
        Program::V2ray,
        Generation::V2,
        &[
            case("ws", "tls", Client::Mihomo),
            case("ws", "none", Client::Mihomo),
            case("tcp", "none", Client::Mihomo),
        ],
    )
    .await;
}

// ---- the shop's own subscription formats, read by the real programs

use nebula_profiles::{Endpoint, Format, ProfileMeta, render};

fn meta() -> ProfileMeta {
    ProfileMeta {
        title: "NebulaLinks".into(),
    }
}

fn endpoints(made: &[Made]) -> Vec<Endpoint> {
    made.iter()
        .map(|m| Endpoint::parse(&m.link).expect("the gateway's link reads back"))
        .collect()
}

/// Runs `program`'s own configuration check on `body` (written as `file`).
fn check(program: Program, file: &str, body: &str) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, body).unwrap();
    let path = path.to_str().unwrap();
    let home = dir.path().to_str().unwrap();
    let args: Vec<&str> = match program {
        Program::Mihomo => vec!["-t", "-d", home, "-f", path],
        Program::SingBox => vec!["check", "-c", path],
        Program::V2ray => unreachable!("v2ray reads no subscription format"),
    };
    let out = std::process::Command::new(program.path())
        .args(&args)
        .output()
        .unwrap();
    out.status.success().then_some(()).ok_or_else(|| {
        format!(
            "{} refused it:\n{}{}\n{body}",
            program.name(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The sing-box profile without its uTLS fingerprints, which this build of sing-box cannot load
/// (the apps' builds can). Nothing else is touched.
fn without_utls(body: &str) -> String {
    let mut v: Value = serde_json::from_str(body).unwrap();
    for o in v["outbounds"].as_array_mut().unwrap() {
        if let Some(tls) = o.get_mut("tls").and_then(Value::as_object_mut) {
            tls.remove("utls");
        }
    }
    v.to_string()
}

/// Every link the gateway makes, in the Clash and sing-box formats the subscription URL
/// serves, passes mihomo's and sing-box's own checks; what a format cannot carry is left out
/// and named, and an expired subscription's notice is a valid profile too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_subscription_formats_pass_mihomos_and_sing_boxs_own_checks() {
    use Client::Mihomo as M;
    let cases = [
        case("tcp", "reality", M),
        case("tcp", "tls", M),
        case("ws", "tls", M),
        case("ws", "none", M),
        case("grpc", "reality", M),
        case("grpc", "tls", M),
        case("httpupgrade", "tls", M),
        case("xhttp", "tls", M),
        case("xhttp", "reality", M),
    ];
    let (_stack, made) = provision(Generation::V3, &cases).await;
    let all = endpoints(&made);
    let clash = render(Format::Clash, &all, &meta());
    assert!(
        clash.skipped.is_empty(),
        "mihomo carries all: {:?}",
        clash.skipped
    );
    check(Program::Mihomo, "config.yaml", &clash.body).unwrap();
    let doc: Value = serde_norway::from_str(&clash.body).unwrap();
    assert_eq!(doc["proxies"].as_array().unwrap().len(), cases.len());

    // This sing-box is built without uTLS, so it cannot load REALITY: those are checked by
    // mihomo above and left out here.
    let plain: Vec<Endpoint> = all
        .iter()
        .filter(|e| !matches!(e.security, nebula_profiles::Security::Reality { .. }))
        .cloned()
        .collect();
    let sing = render(Format::SingBox, &plain, &meta());
    assert_eq!(
        sing.skipped.len(),
        1,
        "xhttp+tls is not sing-box's: {:?}",
        sing.skipped
    );
    assert!(sing.skipped[0].contains("xhttp"), "{:?}", sing.skipped);
    check(Program::SingBox, "config.json", &without_utls(&sing.body)).unwrap();

    let notice = [Endpoint::notice("Expired: renew in Discord")];
    check(
        Program::Mihomo,
        "config.yaml",
        &render(Format::Clash, &notice, &meta()).body,
    )
    .unwrap();
    check(
        Program::SingBox,
        "config.json",
        &render(Format::SingBox, &notice, &meta()).body,
    )
    .unwrap();
    check(
        Program::Mihomo,
        "config.yaml",
        &render(Format::Clash, &[], &meta()).body,
    )
    .unwrap();
    check(
        Program::SingBox,
        "config.json",
        &render(Format::SingBox, &[], &meta()).body,
    )
    .unwrap();
}

/// A real client started from nothing but what the subscription URL serves (only its local
/// port changed) carries bytes: mihomo from the Clash profile over REALITY+Vision, WebSocket+TLS
/// and XHTTP+REALITY; sing-box from its profile over HTTPUpgrade+TLS and gRPC+TLS.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_started_from_the_subscription_alone_carry_bytes() {
    use Client::Mihomo as M;
    let runs: [(Program, Format, Generation, &[Case]); 2] = [
        (
            Program::Mihomo,
            Format::Clash,
            Generation::V3,
            &[
                case("tcp", "reality", M),
                case("ws", "tls", M),
                case("xhttp", "reality", M),
            ],
        ),
        (
            Program::SingBox,
            Format::SingBox,
            Generation::V2,
            &[case("httpupgrade", "tls", M), case("grpc", "tls", M)],
        ),
    ];
    let echo = echo_server().await;
    let data = payload();
    for (program, format, generation, cases) in runs {
        let (_stack, made) = provision(generation, cases).await;
        for (c, m) in cases.iter().zip(&made) {
            let what = format!(
                "{} {} + {} from its profile",
                program.name(),
                c.network,
                c.security
            );
            let x = xray_inbound(&m.inbound);
            let (config, files) = server_config(program, &x);
            let port = x["port"].as_u64().unwrap() as u16;
            let srv = Running::start(program, &config, &files)
                .listening(port)
                .await;

            let profile = render(format, &endpoints(std::slice::from_ref(m)), &meta());
            let local = free_port();
            let mut config: Value = match format {
                Format::Clash => serde_norway::from_str(&profile.body).unwrap(),
                _ => serde_json::from_str(&without_utls(&profile.body)).unwrap(),
            };
            match format {
                Format::Clash => config["mixed-port"] = json!(local),
                _ => config["inbounds"][0]["listen_port"] = json!(local),
            }
            let client = Running::start(program, &config, &[]).listening(local).await;
            let back = through_socks(local, echo, &data, WITHIN).await;
            assert!(
                back.as_deref() == Ok(&data[..]),
                "{what}: the bytes did not come back ({:?})\nprofile:\n{}\nserver log:\n{}\nclient log:\n{}",
                back.err(),
                profile.body,
                srv.log(),
                client.log()
            );
        }
    }
}
