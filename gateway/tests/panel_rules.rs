//! What a real 3x-ui panel stores, refuses and replaces, and how the gateway keeps to it, for
//! both API generations: an update replaces the whole client, Vision only where it can run,
//! 2.x keeps an inbound's last client, writes stay serialised when a caller goes away, and no
//! value becomes a step to another route.

mod common;

use std::time::Duration;

use common::{Stack, new_client};
use jiff::{SignedDuration, Timestamp};
use nebula_gateway::api::{CreateClient, ErrorCode, TrafficQuery, UpdateClient};
use nebula_gateway::client::ClientError;
use nebula_gateway::sim::{Fault, Generation, vless_inbound};
use serde_json::{Value, json};

const BOTH: [Generation; 2] = [Generation::V2, Generation::V3];

fn code(e: &ClientError) -> Option<ErrorCode> {
    match e {
        ClientError::Api { code, .. } => Some(*code),
        _ => None,
    }
}

fn on_inbound(email: &str, inbound_id: u32) -> CreateClient {
    CreateClient {
        inbound_id,
        ..new_client(email)
    }
}

/// What an operator sets in the panel that the gateway does not model, per generation: 2.x
/// stores a client as free JSON (so a field only a newer panel knows survives too); 3.x stores
/// the fields of its client struct.
fn operator_fields(generation: Generation) -> Vec<(&'static str, Value)> {
    let mut fields = vec![
        ("tgId", json!(987_654_321)),
        ("reset", json!(30)),
        ("comment", json!("VIP, call before cutting off")),
    ];
    match generation {
        Generation::V2 => fields.push(("x-future-field", json!({"kept": true}))),
        Generation::V3 => fields.extend([
            ("limitHwid", json!(3)),
            ("group", json!("resellers")),
            ("trafficReset", json!("monthly")),
            ("trafficResetDay", json!(5)),
            ("resetDay", json!(12)),
            ("resetMax", json!(6)),
            ("reverse", json!({"tag": "r1"})),
        ]),
    }
    fields
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_update_keeps_everything_the_gateway_did_not_change() {
    for generation in BOTH {
        let stack = Stack::start(generation).await;
        let t = stack.target();
        let made = stack
            .client
            .create_client(t, &new_client("nl-op"))
            .await
            .unwrap();
        let fields = operator_fields(generation);
        stack.sim.edit_client("nl-op", |c| {
            for (k, v) in &fields {
                c.insert((*k).to_owned(), v.clone());
            }
        });
        let before = stack.sim.client("nl-op").unwrap();

        // A renewal's update, a suspension and the enabling again: three whole-client writes.
        let later = Timestamp::now() + SignedDuration::from_hours(24 * 90);
        let renew = UpdateClient {
            expires_at: Some(later),
            traffic_limit_bytes: Some(7_000_000_000),
            ip_limit: Some(4),
            enable: Some(true),
        };
        let off = UpdateClient {
            enable: Some(false),
            ..UpdateClient::default()
        };
        let on = UpdateClient {
            enable: Some(true),
            ..UpdateClient::default()
        };
        for patch in [&renew, &off, &on] {
            stack.client.update_client(t, "nl-op", patch).await.unwrap();
        }
        let after = stack.sim.client("nl-op").unwrap();
        for (k, v) in &fields {
            assert_eq!(&after[*k], v, "{generation:?}: {k} survives the updates");
        }
        // Only what was asked changed; the credential and the subscription id stayed.
        assert_eq!(after["expiryTime"], later.as_millisecond());
        assert_eq!(after["totalGB"], 7_000_000_000u64);
        assert_eq!(after["limitIp"], 4);
        assert_eq!(after["enable"], true);
        for k in ["id", "subId", "flow", "email"] {
            assert_eq!(after[k], before[k], "{generation:?}: {k}");
        }
        assert_eq!(after["id"], made.client.uuid.as_str());
        let unchanged: Vec<&String> = before
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| {
                !["expiryTime", "totalGB", "limitIp", "enable", "updated_at"].contains(&k.as_str())
            })
            .filter(|k| before[k.as_str()] != after[k.as_str()])
            .collect();
        assert!(
            unchanged.is_empty(),
            "{generation:?}: changed {unchanged:?}"
        );
    }
}

/// Inbounds of every kind a panel may hold, and whether Vision can run on each.
fn inbounds() -> Vec<(u32, Value, bool)> {
    let tls = json!({"serverName": "vpn.example.com", "alpn": ["h2", "http/1.1"],
        "certificates": [{"certificateFile": "/c.pem", "keyFile": "/k.pem"}],
        "settings": {"fingerprint": "chrome"}});
    let reality = json!({"target": "127.0.0.1:8443", "serverNames": ["vpn.example.com"],
        "privateKey": "k", "shortIds": ["ab"], "settings": {"publicKey": "pk", "fingerprint": "chrome", "spiderX": "/"}});
    vec![
        (
            11,
            json!({"network": "tcp", "security": "tls", "tlsSettings": tls, "tcpSettings": {"header": {"type": "none"}}}),
            true,
        ),
        (
            12,
            json!({"network": "ws", "security": "tls", "tlsSettings": tls, "wsSettings": {"path": "/ws"}}),
            false,
        ),
        (
            13,
            json!({"network": "grpc", "security": "reality", "realitySettings": reality, "grpcSettings": {"serviceName": "g"}}),
            false,
        ),
        (
            14,
            json!({"network": "httpupgrade", "security": "none", "httpupgradeSettings": {"path": "/up"}}),
            false,
        ),
        (
            15,
            json!({"network": "tcp", "security": "none", "tcpSettings": {"header": {"type": "none"}}}),
            false,
        ),
        (
            16,
            json!({"network": "tcp", "security": "tls", "tlsSettings": tls,
                "tcpSettings": {"header": {"type": "http", "request": {"path": ["/"]}}}}),
            false,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vision_is_set_only_where_it_can_run() {
    for generation in BOTH {
        let stack = Stack::start(generation).await;
        let t = stack.target();
        for (id, stream, _) in inbounds() {
            stack
                .sim
                .add_inbound(vless_inbound(id, "k", 9000 + id as u16, stream));
        }
        for (id, _, vision) in inbounds() {
            let email = format!("nl-v{id}");
            // The gateway's default flow is Vision; it applies only where Vision runs.
            let made = stack
                .client
                .create_client(t, &on_inbound(&email, id))
                .await
                .unwrap();
            let stored = stack.sim.client(&email).unwrap();
            let want = if vision { "xtls-rprx-vision" } else { "" };
            assert_eq!(
                stored["flow"], want,
                "{generation:?}: inbound {id}, as stored"
            );
            assert_eq!(
                made.client.link.contains("flow=xtls-rprx-vision"),
                vision,
                "{generation:?}: inbound {id}, the link"
            );
            // Asking for Vision where it cannot run is refused, and says why.
            if !vision {
                let asked = CreateClient {
                    flow: Some("xtls-rprx-vision".into()),
                    ..on_inbound(&format!("nl-w{id}"), id)
                };
                let e = stack.client.create_client(t, &asked).await.unwrap_err();
                assert_eq!(code(&e), Some(ErrorCode::InvalidRequest), "{e}");
                assert!(e.to_string().contains("cannot carry XTLS Vision"), "{e}");
            }
        }
        // A client an older gateway made with Vision on a WebSocket inbound (2.x stores what
        // it is sent) cannot connect: the next update repairs it.
        if generation == Generation::V2 {
            stack.sim.edit_client("nl-v12", |c| {
                c.insert("flow".into(), json!("xtls-rprx-vision"));
            });
            let patch = UpdateClient {
                ip_limit: Some(3),
                ..UpdateClient::default()
            };
            stack
                .client
                .update_client(t, "nl-v12", &patch)
                .await
                .unwrap();
            assert_eq!(stack.sim.client("nl-v12").unwrap()["flow"], "");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_client_of_a_2x_inbound_is_retired_then_deleted() {
    let stack = Stack::start(Generation::V2).await;
    let t = stack.target();
    stack
        .client
        .create_client(t, &new_client("nl-only"))
        .await
        .unwrap();

    // 2.x refuses to delete it; the gateway disables it and says so.
    let gone = stack.client.delete_client(t, "nl-only").await.unwrap();
    assert!(!gone.deleted && gone.retired, "{gone:?}");
    let kept = stack.sim.client("nl-only").expect("the panel keeps it");
    assert_eq!(kept["enable"], false, "it cannot be used");
    // From now on it is gone for the shop: not found, not in the traffic, deleting is done.
    let e = stack.client.get_client(t, "nl-only").await.unwrap_err();
    assert_eq!(code(&e), Some(ErrorCode::NotFound));
    let report = stack
        .client
        .traffic(t, &TrafficQuery::Inbound(1))
        .await
        .unwrap();
    assert!(report.clients.is_empty(), "{report:?}");
    let inbounds = stack.client.inbounds(t).await.unwrap();
    assert_eq!(inbounds[0].clients, 0);
    let again = stack.client.delete_client(t, "nl-only").await.unwrap();
    assert!(!again.deleted && again.retired);

    // The next client on the inbound lets the panel delete it.
    stack
        .client
        .create_client(t, &new_client("nl-next"))
        .await
        .unwrap();
    assert!(
        stack.sim.client("nl-only").is_none(),
        "deleted once not last"
    );
    assert_eq!(stack.sim.client_count(), 1);
    let last = stack.client.delete_client(t, "nl-only").await.unwrap();
    assert!(!last.deleted && !last.retired, "already gone: {last:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_stay_serialised_when_the_caller_goes_away() {
    for generation in BOTH {
        let stack = Stack::start(generation).await;
        let t = stack.target();
        stack
            .client
            .create_client(t, &new_client("nl-slow"))
            .await
            .unwrap();
        stack
            .sim
            .set_fault(Fault::SlowWrites(Duration::from_millis(700)));
        let patch = UpdateClient {
            ip_limit: Some(5),
            ..UpdateClient::default()
        };
        // The shop gives up on the first attempt (a crash, a timeout) while the panel is still
        // working on it, then tries again at once.
        let first = tokio::time::timeout(
            Duration::from_millis(200),
            stack.client.update_client(t, "nl-slow", &patch),
        )
        .await;
        assert!(first.is_err(), "the caller went away");
        let retry = UpdateClient {
            ip_limit: Some(6),
            ..UpdateClient::default()
        };
        stack
            .client
            .update_client(t, "nl-slow", &retry)
            .await
            .unwrap();
        stack.sim.set_fault(Fault::None);
        assert_eq!(
            stack.sim.most_writes_in_flight(),
            1,
            "{generation:?}: the retry reached the panel only after the first write was done"
        );
        assert_eq!(stack.sim.client("nl-slow").unwrap()["limitIp"], 6);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_value_becomes_a_step_to_another_route() {
    let stack = Stack::start(Generation::V3).await;
    let t = stack.target();
    for email in [".", ".."] {
        let e = stack.client.get_client(t, email).await.unwrap_err();
        assert!(matches!(e, ClientError::Invalid(_)), "{email}: {e:?}");
        let e = stack
            .client
            .create_client(t, &new_client(email))
            .await
            .unwrap_err();
        assert_eq!(code(&e), Some(ErrorCode::InvalidRequest), "{email}: {e}");
    }
    // Emails with characters a path would read otherwise reach the panel as one segment.
    for email in ["nl+x@example.com", "a.b_c-d", "..."] {
        stack
            .client
            .create_client(t, &new_client(email))
            .await
            .unwrap();
        let got = stack.client.get_client(t, email).await.unwrap();
        assert_eq!(got.email, email);
        stack.client.delete_client(t, email).await.unwrap();
    }
    assert_eq!(stack.sim.client_count(), 0);
}
