//! The gateway's metrics: scraped from its `/metrics` listener and read by the Prometheus
//! project's own parser (PyPI `prometheus-client`, installed by `cargo xtask test`): requests
//! by status, refusals by reason, panel latency and logins.

mod common;

#[path = "metrics/prometheus.rs"]
mod prometheus;

use common::{Options, Stack, new_client};
use nebula_gateway::sim::Generation;
use prometheus::{parse_prometheus, samples};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_gateway_counts_requests_refusals_panel_calls_and_logins() {
    let stack = Stack::with(Options {
        metrics: Some("127.0.0.1:0".parse().unwrap()),
        ..Options::new(Generation::V2)
    })
    .await;
    let target = stack.target();
    stack
        .client
        .create_client(target, &new_client("metrics@example"))
        .await
        .unwrap();
    // Unsigned: refused as missing_auth.
    let refused = reqwest::get(format!("{}/v1/status", stack.url))
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    let addr = stack.gateway.metrics_addr().expect("a metrics listener");
    let scraped = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .unwrap();
    assert_eq!(scraped.status(), 200);
    let content_type = scraped.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    let families = parse_prometheus(&scraped.text().await.unwrap());

    let requests = samples(&families, "nebula_gateway_requests_total");
    let by_code = |code: &str| {
        requests
            .iter()
            .filter(|s| s["labels"]["code"] == code)
            .map(|s| s["value"].as_f64().unwrap())
            .sum::<f64>()
    };
    assert!(by_code("201") >= 1.0, "{requests:?}");
    assert!(by_code("401") >= 1.0, "{requests:?}");
    let refusals = samples(&families, "nebula_gateway_refusals_total");
    assert!(
        refusals
            .iter()
            .any(|s| s["labels"]["reason"] == "missing_auth" && s["value"].as_f64() >= Some(1.0)),
        "{refusals:?}"
    );
    let logins = samples(&families, "nebula_gateway_panel_logins_total");
    assert!(
        logins.iter().any(|s| s["labels"]["outcome"] == "ok"),
        "{logins:?}"
    );
    let panel = samples(&families, "nebula_gateway_panel_seconds_count");
    assert!(
        panel
            .iter()
            .map(|s| s["value"].as_f64().unwrap())
            .sum::<f64>()
            >= 1.0,
        "{panel:?}"
    );
    let family = families
        .iter()
        .find(|f| f["name"] == "nebula_gateway_panel_seconds")
        .expect("the panel latency");
    assert_eq!(family["type"], "histogram");
}
