//! The shop's client → the gateway over HTTP → the simulated panel, for both API generations.

mod common;

use common::{Options, PanelAuth, Stack, new_client};
use jiff::{SignedDuration, Timestamp};
use nebula_engine::executor::Provisioner;
use nebula_engine::ids::{OrderId, SubscriptionId};
use nebula_engine::order::{ProvisionMode, ProvisionRequest};
use nebula_engine::plan::TrafficLimit;
use nebula_gateway::api::{ErrorCode, PanelApi, TrafficQuery, UpdateClient};
use nebula_gateway::client::ClientError;
use nebula_gateway::sim::Generation;

async fn lifecycle(stack: &Stack) {
    let t = stack.target();

    // Create twice: one client.
    let first = stack
        .client
        .create_client(t, &new_client("nl-alice"))
        .await
        .unwrap();
    assert!(first.created);
    let again = stack
        .client
        .create_client(t, &new_client("nl-alice"))
        .await
        .unwrap();
    assert!(!again.created, "the second create returns the first client");
    assert_eq!(again.client.uuid, first.client.uuid);
    assert_eq!(stack.sim.client_count(), 1);
    let c = &first.client;
    assert_eq!(
        c.link,
        format!(
            "vless://{}@vpn.example.com:443?encryption=none&flow=xtls-rprx-vision&fp=chrome&pbk=Z84J2IelR9ch3k8VtlVhhs5ycBUlXA7wHBWcBrjqnAw&security=reality&sid=6ba85179e30d4fc2&sni=www.microsoft.com&spx=%2F{}&type=tcp#main-nl-alice",
            c.uuid,
            &format!(
                "{:x}",
                <sha2::Sha256 as sha2::Digest>::digest(format!("/|{}", c.sub_id))
            )[..15]
        )
    );
    assert_eq!(
        c.subscription_url.as_deref(),
        Some(format!("https://vpn.example.com:2096/sub/{}", c.sub_id).as_str())
    );
    assert_eq!(
        (c.traffic_limit_bytes, c.ip_limit, c.enable),
        (50_000_000_000, 2, true)
    );
    let stored = stack.sim.client("nl-alice").unwrap();
    assert_eq!(
        stored["totalGB"], 50_000_000_000u64,
        "bytes, despite the name"
    );
    assert_eq!(
        stored["expiryTime"],
        c.expires_at.unwrap().as_millisecond(),
        "epoch milliseconds"
    );

    // Get.
    let got = stack.client.get_client(t, "nl-alice").await.unwrap();
    assert_eq!(got.uuid, c.uuid);
    assert_eq!(got.link, c.link);

    // Update: a new end and allowance; the panel replaces, so nothing else may change.
    let later = Timestamp::now() + SignedDuration::from_hours(24 * 60);
    let patch = UpdateClient {
        expires_at: Some(later),
        traffic_limit_bytes: Some(100_000_000_000),
        ip_limit: None,
        enable: None,
    };
    let updated = stack
        .client
        .update_client(t, "nl-alice", &patch)
        .await
        .unwrap();
    assert_eq!(
        updated.expires_at.unwrap().as_millisecond(),
        later.as_millisecond()
    );
    assert_eq!(
        (
            updated.traffic_limit_bytes,
            updated.ip_limit,
            updated.enable
        ),
        (100_000_000_000, 2, true)
    );
    assert_eq!(
        (updated.uuid.as_str(), updated.sub_id.as_str()),
        (c.uuid.as_str(), c.sub_id.as_str())
    );

    // Bulk traffic: by emails (with one the panel does not have) and by inbound.
    stack
        .client
        .create_client(t, &new_client("nl-bob"))
        .await
        .unwrap();
    stack.sim.add_traffic("nl-alice", 1_000, 5_000);
    stack.sim.add_traffic("nl-bob", 7, 9);
    let report = stack
        .client
        .traffic(
            t,
            &TrafficQuery::Emails(vec!["nl-alice".into(), "nl-bob".into(), "nl-nobody".into()]),
        )
        .await
        .unwrap();
    let usage: Vec<_> = report
        .clients
        .iter()
        .map(|c| (c.email.as_str(), c.up_bytes, c.down_bytes))
        .collect();
    assert_eq!(usage, [("nl-alice", 1_000, 5_000), ("nl-bob", 7, 9)]);
    assert_eq!(report.missing, ["nl-nobody"]);
    let by_inbound = stack
        .client
        .traffic(t, &TrafficQuery::Inbound(1))
        .await
        .unwrap();
    assert_eq!(by_inbound.clients.len(), 2);

    // Reset.
    let reset = stack.client.reset_traffic(t, "nl-alice").await.unwrap();
    assert_eq!((reset.up_bytes, reset.down_bytes), (0, 0));

    // Inbounds and status.
    let inbounds = stack.client.inbounds(t).await.unwrap();
    assert_eq!(
        (
            inbounds[0].id,
            inbounds[0].clients,
            inbounds[0].remark.as_str()
        ),
        (1, 2, "main")
    );
    let status = stack.client.status(t).await.unwrap();
    assert!(status.panel_reachable);
    assert_eq!(status.xray_state.as_deref(), Some("running"));

    // Delete; deleting again is not an error; the client is gone.
    assert!(
        stack
            .client
            .delete_client(t, "nl-alice")
            .await
            .unwrap()
            .deleted
    );
    assert!(
        !stack
            .client
            .delete_client(t, "nl-alice")
            .await
            .unwrap()
            .deleted
    );
    let gone = stack.client.get_client(t, "nl-alice").await.unwrap_err();
    assert!(
        matches!(
            gone,
            ClientError::Api {
                status: 404,
                code: ErrorCode::NotFound,
                ..
            }
        ),
        "{gone:?}"
    );
    assert_eq!(stack.sim.client_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clients_api_of_3x_ui_3() {
    let stack = Stack::start(Generation::V3).await;
    lifecycle(&stack).await;
    assert_eq!(
        stack.client.status(stack.target()).await.unwrap().panel_api,
        Some(PanelApi::Clients)
    );
    assert_eq!(stack.sim.logins(), 1, "one login, reused");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbound_scoped_api_of_3x_ui_2() {
    let stack = Stack::start(Generation::V2).await;
    lifecycle(&stack).await;
    let status = stack.client.status(stack.target()).await.unwrap();
    assert_eq!(status.panel_api, Some(PanelApi::InboundScoped));
    assert_eq!(stack.sim.logins(), 1);
    // 2.x refuses to delete the last client of an inbound: it is retired instead
    // (`panel_rules.rs` has the whole story).
    let last = stack
        .client
        .delete_client(stack.target(), "nl-bob")
        .await
        .unwrap();
    assert!(last.retired && !last.deleted, "{last:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_token_needs_no_login() {
    let stack = Stack::with(Options {
        auth: PanelAuth::Token,
        ..Options::new(Generation::V3)
    })
    .await;
    lifecycle(&stack).await;
    assert_eq!(stack.sim.logins(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_provisions_for_the_engine_idempotently() {
    for generation in [Generation::V2, Generation::V3] {
        let stack = Stack::start(generation).await;
        let mut server = nebula_engine::testing::server("fra-1", "eu", 100);
        server.gateway_url = stack.url.clone();
        server.gateway_key_id = common::KEY_ID.into();
        let order = OrderId(ulid::Ulid::new());
        let mut request = ProvisionRequest {
            order,
            attempt: 1,
            subscription: SubscriptionId(ulid::Ulid::new()),
            server: server.id.clone(),
            region: "eu".into(),
            client_email: order.client_email(),
            expires_at: Timestamp::now() + SignedDuration::from_hours(24 * 30),
            traffic: TrafficLimit::Bytes(50_000_000_000),
            device_limit: 2,
            mode: ProvisionMode::Create,
            also: Vec::new(),
        };
        let first = stack.client.provision(&server, &request).await.unwrap();
        // A replayed delivery (a crash before the result was recorded) finds the same client.
        let again = stack.client.provision(&server, &request).await.unwrap();
        assert_eq!(first.access, again.access);
        assert_eq!(stack.sim.client_count(), 1, "{generation:?}");

        // A renewal: same client and link, later end, traffic reset.
        stack.sim.add_traffic(&request.client_email, 10, 20);
        request.mode = ProvisionMode::Extend;
        request.attempt = 1;
        request.expires_at += SignedDuration::from_hours(24 * 30);
        let renewed = stack.client.provision(&server, &request).await.unwrap();
        assert_eq!(renewed.access, first.access);
        assert_eq!(
            renewed.expires_at.as_millisecond(),
            request.expires_at.as_millisecond()
        );
        let view = stack
            .client
            .get_client(stack.target(), &request.client_email)
            .await
            .unwrap();
        assert_eq!((view.up_bytes, view.down_bytes, view.enable), (0, 0, true));
        assert_eq!(stack.sim.client_count(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_serves_tls_from_cert_and_key_files() {
    use std::collections::HashMap;
    use std::path::Path;

    use nebula_gateway::client::{GatewayClient, Key, RetryPolicy, Target};
    use nebula_gateway::panel::{PanelConfig, PanelCredentials};
    use nebula_gateway::server::config::{AuthSettings, LinkSettings, Resolved, TlsConfig};

    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let sim =
        nebula_gateway::sim::SimPanel::start(nebula_gateway::sim::SimConfig::new(Generation::V3))
            .await
            .unwrap();
    let resolved = Resolved {
        bind: "127.0.0.1:0".parse().unwrap(),
        tls: Some(TlsConfig {
            cert: fixtures.join("gateway-cert.pem"),
            key: fixtures.join("gateway-key.pem"),
        }),
        metrics: None,
        auth: AuthSettings {
            keys: HashMap::from([(common::KEY_ID.to_owned(), common::SECRET.to_vec())]),
            allow: vec!["127.0.0.0/8".parse().unwrap()],
            trusted_proxies: vec![],
            rate_limit_per_minute: 100,
            max_body_bytes: 65536,
        },
        panel: PanelConfig {
            url: sim.url(),
            credentials: PanelCredentials::Login {
                username: "admin".into(),
                password: "admin-password".into(),
            },
            api: None,
            timeout: std::time::Duration::from_secs(2),
            accept_invalid_certs: false,
            login_cooldown: std::time::Duration::from_secs(90),
        },
        links: LinkSettings {
            public_host: "vpn.example.com".into(),
            subscription_base: None,
            default_flow: None,
        },
    };
    let gateway = nebula_gateway::server::start(resolved).await.unwrap();
    let base = format!("https://localhost:{}", gateway.addr.port());
    let t = Target {
        base_url: &base,
        key_id: common::KEY_ID,
    };
    let ca = std::fs::read(fixtures.join("ca-cert.pem")).unwrap();
    let trusting = GatewayClient::with_roots(
        [Key::new(common::KEY_ID, common::SECRET)],
        RetryPolicy::default(),
        &[ca],
    )
    .unwrap();
    assert_eq!(
        trusting.ping(t).await.unwrap(),
        serde_json::json!({"pong": true})
    );
    let stranger = GatewayClient::new(
        [Key::new(common::KEY_ID, common::SECRET)],
        RetryPolicy {
            attempts: 1,
            ..RetryPolicy::default()
        },
    )
    .unwrap();
    assert!(
        matches!(stranger.ping(t).await, Err(ClientError::Network(_))),
        "an unknown CA is refused"
    );
    gateway.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_link_of_a_client_is_returned_with_the_panels_address() {
    for generation in [Generation::V2, Generation::V3] {
        let stack = Stack::start(generation).await;
        let stream = serde_json::json!({"network": "ws", "security": "none",
            "wsSettings": {"path": "/ws", "host": ""},
            "externalProxy": [
                {"forceTls": "same", "dest": "cdn.example.org", "port": 443, "remark": "CDN"},
                {"forceTls": "same", "dest": "2001:db8::5", "port": 8080, "remark": "v6"}]});
        let mut proxied = nebula_gateway::sim::vless_inbound(2, "edge", 8080, stream.clone());
        proxied["listen"] = "203.0.113.9".into();
        let mut direct = nebula_gateway::sim::vless_inbound(3, "direct", 8081, stream);
        direct["listen"] = "2001:db8::1".into();
        direct["streamSettings"]["externalProxy"] = serde_json::json!([]);
        stack.sim.add_inbound(proxied);
        stack.sim.add_inbound(direct);
        let t = stack.target();
        let mut req = new_client("nl-multi");
        req.inbound_id = 2;
        let c = stack.client.create_client(t, &req).await.unwrap().client;
        let tail = "?encryption=none&host=&path=%2Fws&security=none&type=ws#edge-nl-multi";
        assert_eq!(
            c.links,
            [
                format!("vless://{}@cdn.example.org:443{tail}", c.uuid),
                format!("vless://{}@[2001:db8::5]:8080{tail}", c.uuid),
            ],
            "{generation:?}: one link per external proxy"
        );
        assert_eq!(c.link, c.links[0]);
        req.email = "nl-direct".into();
        req.inbound_id = 3;
        let c = stack.client.create_client(t, &req).await.unwrap().client;
        assert_eq!(
            c.links,
            [format!(
                "vless://{}@[2001:db8::1]:8081?encryption=none&host=&path=%2Fws&security=none&type=ws#direct-nl-direct",
                c.uuid
            )],
            "{generation:?}: a specific listen address, not the public host"
        );
    }
}
