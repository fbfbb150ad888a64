//! The shop's metrics, end to end through the real `nebula run` path: after a purchase (a
//! screenshot, an approval, provisioning through the gateway) and a job's run, the shop's and
//! the gateway's `/metrics` listeners are scraped and read by the Prometheus project's own
//! parser (PyPI `prometheus-client`): orders by state, commands and their latency, the outbox,
//! effects by kind, policy calls by hash with latency and fuel, each job's last run, and the
//! gateway's requests, refusals, panel latency and logins.

#[path = "../../gateway/tests/metrics/prometheus.rs"]
mod prometheus;

use jiff::SignedDuration;
use nebula_bot::demo::{Stage, order_code};
use prometheus::{parse_prometheus, samples};
use serde_json::Value;

fn value(s: &Value) -> f64 {
    s["value"].as_f64().unwrap()
}

fn family<'a>(families: &'a [Value], name: &str) -> &'a Value {
    families
        .iter()
        .find(|f| f["name"] == name)
        .unwrap_or_else(|| panic!("no family {name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shop_and_the_gateway_are_scraped_and_parse() {
    let stage = Stage::start().await.expect("the stage starts");
    let c = &stage.cast;
    let (channel, said) = stage.buy(c.shopper).await;
    let code = order_code(&said).unwrap();
    stage.choose_method(c.shopper, channel).await;
    stage.wait_message(channel, "Pay with Mobile wallet").await;
    stage.upload_screenshot(c.shopper, channel, "metrics");
    stage.wait_message(channel, "under review").await;
    let review = stage.review_of(&code).await;
    let token = stage.click_review(c.admin, &review, "approve:");
    stage.answer(&token).await;
    stage.wait_message(channel, "Your access is ready").await;
    // A caller without the signing key: refused.
    let stranger = reqwest::get(format!("http://{}/v1/status", stage.gateway.addr))
        .await
        .unwrap();
    assert_eq!(stranger.status(), 401);
    // The unpaid-orders job runs every minute on the shop's clock.
    stage.clock.advance(SignedDuration::from_secs(61));

    let (shop_url, gateway_url) = stage.metrics_urls();
    let scrape = |url: String| async move {
        let text = reqwest::get(url).await.unwrap().text().await.unwrap();
        parse_prometheus(&text)
    };
    // The gauges are sampled and the job runs in the background: wait for both.
    let families = {
        let mut tries = 0;
        loop {
            let families = scrape(shop_url.clone()).await;
            let fulfilled = samples(&families, "nebula_shop_orders")
                .into_iter()
                .any(|s| s["labels"]["state"] == "fulfilled" && value(s) == 1.0);
            let job = !samples(&families, "nebula_shop_job_last_run_timestamp_seconds").is_empty();
            if (fulfilled && job) || tries == 100 {
                break families;
            }
            tries += 1;
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    };

    let orders = samples(&families, "nebula_shop_orders");
    assert_eq!(orders.len(), 9, "one gauge per state: {orders:?}");
    assert!(
        orders
            .iter()
            .any(|s| s["labels"]["state"] == "fulfilled" && value(s) == 1.0),
        "{orders:?}"
    );
    assert!(
        samples(&families, "nebula_shop_commands_total")
            .iter()
            .any(|s| s["labels"]["outcome"] == "committed" && value(s) >= 4.0)
    );
    assert_eq!(
        family(&families, "nebula_shop_command_seconds")["type"],
        "histogram"
    );
    // What is left in the outbox: the channel's closing, an hour on.
    assert!(value(samples(&families, "nebula_shop_outbox_pending")[0]) >= 1.0);
    assert!(!samples(&families, "nebula_shop_outbox_oldest_due_age_seconds").is_empty());
    let effects = samples(&families, "nebula_shop_effects_total");
    for kind in [
        "open_order_channel",
        "request_review",
        "provision",
        "deliver_access",
    ] {
        assert!(
            effects
                .iter()
                .any(|s| s["labels"]["kind"] == kind && s["labels"]["result"] == "done"),
            "{kind}: {effects:?}"
        );
    }
    let calls = samples(&families, "nebula_shop_policy_calls_total");
    for kind in ["pricing", "payment-methods", "server-selection"] {
        let call = calls
            .iter()
            .find(|s| s["labels"]["kind"] == kind)
            .unwrap_or_else(|| panic!("{kind}: {calls:?}"));
        assert_eq!(call["labels"]["outcome"], "ok");
        assert_eq!(
            call["labels"]["policy"].as_str().unwrap().len(),
            64,
            "by hash"
        );
    }
    assert_eq!(
        family(&families, "nebula_shop_policy_fuel")["type"],
        "histogram"
    );
    assert_eq!(
        family(&families, "nebula_shop_policy_call_seconds")["type"],
        "histogram"
    );
    let job = samples(&families, "nebula_shop_job_last_run_timestamp_seconds");
    assert!(
        job.iter().any(|s| s["labels"]["job"] == "unpaid_timeout"),
        "{job:?}"
    );
    assert!(!samples(&families, "nebula_shop_job_last_rows_read").is_empty());

    let shop_families = families;

    // The gateway's listener: its requests (the provisioning among them) and panel calls.
    let families = scrape(gateway_url).await;
    assert!(
        samples(&families, "nebula_gateway_requests_total")
            .iter()
            .any(|s| s["labels"]["code"] == "201")
    );
    assert!(!samples(&families, "nebula_gateway_panel_seconds_count").is_empty());
    assert!(!samples(&families, "nebula_gateway_panel_logins_total").is_empty());

    // Every metric the Grafana dashboard in docs/ queries is one the shop or a gateway serves.
    let dashboard = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/grafana-dashboard.json"
    ))
    .unwrap();
    let served: std::collections::BTreeSet<String> = shop_families
        .iter()
        .chain(&families)
        .flat_map(|f| f["samples"].as_array().unwrap())
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    let mut queried = 0;
    for (at, _) in dashboard.match_indices("nebula_") {
        let name: String = dashboard[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        assert!(
            served.contains(&name),
            "the dashboard queries {name}, which nobody serves"
        );
        queried += 1;
    }
    assert!(queried >= 14, "{queried}");
    assert_eq!(stage.discord.problems(), Vec::<String>::new());
    stage.stop().await;
}
