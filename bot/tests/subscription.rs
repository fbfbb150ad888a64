//! The shop's subscription service end to end: a purchase through the fake Discord, the access
//! message with the shopper's personal URL, and apps fetching it over HTTP, by their real
//! User-Agents.

use std::sync::{Arc, Mutex};

use base64::Engine;
use nebula_bot::demo::{Stage, order_code};
use serde_json::Value;

/// Everything the shop logs in this test binary (to prove no token is ever in it).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() -> Captured {
    let captured = Captured::default();
    let writer = captured.clone();
    // The shop's own filter, asked for everything at debug.
    tracing_subscriber::fmt()
        .with_env_filter(nebula_bot::logging::filter("debug"))
        .with_writer(move || writer.clone())
        .init();
    captured
}

/// The personal URL in a message.
fn url_in(message: &Value) -> String {
    nebula_bot::demo::sub_url_in(message).expect("a subscription URL")
}

/// The shopper buys, pays with a screenshot, an admin approves: the access message.
async fn approved_purchase(stage: &Stage, seed: &str) -> Value {
    let c = &stage.cast;
    let (channel, said) = stage.buy(c.shopper).await;
    let code = order_code(&said).unwrap();
    stage.choose_method(c.shopper, channel).await;
    stage.wait_message(channel, "Pay with").await;
    stage.upload_screenshot(c.shopper, channel, seed);
    stage.wait_message(channel, "under review").await;
    let review = stage.review_of(&code).await;
    stage.click_review(c.admin, &review, "approve:");
    stage.wait_message(channel, "Your access is ready").await
}

async fn fetch(url: &str, user_agent: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(url)
        .header("user-agent", user_agent)
        .send()
        .await
        .expect("the service answers")
}

/// What each real app says it is, the format it gets, and whether it gets the profile headers.
const APPS: &[(&str, &str)] = &[
    ("v2rayNG/1.10.2", "links"),
    ("v2rayN/7.12.7", "links"),
    ("Streisand/1.6.48", "links"),
    (
        "Shadowrocket/2070 CFNetwork/1568.100.1 Darwin/24.0.0",
        "links",
    ),
    ("Happ/1.7.1", "links"),
    (
        "HiddifyNext/2.5.7 (android) like ClashMeta v2ray sing-box",
        "links",
    ),
    ("NekoBox/Android/1.3.4 (Prefer ClashMeta Format)", "links"),
    ("clash-verge/v2.2.3", "clash"),
    ("mihomo/1.19.11", "clash"),
    ("FlClash/v0.8.80 clash-verge Platform/android", "clash"),
    ("Stash/3.1.1 Clash/1.11.0", "clash"),
    ("ClashX Meta/v1.4.7", "clash"),
    (
        "SFA/1.11.4 (218; sing-box 1.11.4; language en_US)",
        "sing-box",
    ),
    ("SFI/1.11.4 (iOS; sing-box 1.11.4)", "sing-box"),
    ("sing-box 1.12.0", "sing-box"),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "html",
    ),
    ("curl/8.5.0", "links"),
    ("", "links"),
];

/// The access link's uuid, found in what each format serves.
fn check_body(format: &str, body: &str, uuid: &str, link: &str) {
    match format {
        "links" => {
            let text = base64::engine::general_purpose::STANDARD
                .decode(body.trim())
                .unwrap_or_else(|e| panic!("base64 ({e}): {body:?}"));
            let text = String::from_utf8(text).unwrap();
            assert_eq!(
                text.lines().next(),
                Some(link),
                "the link as the gateway made it"
            );
        }
        "clash" => {
            let doc: Value = serde_norway::from_str(body).expect("YAML");
            assert_eq!(doc["proxies"][0]["uuid"], uuid);
            assert_eq!(doc["proxies"][0]["type"], "vless");
        }
        "sing-box" => {
            let doc: Value = serde_json::from_str(body).expect("JSON");
            assert!(
                doc["outbounds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|o| o["uuid"] == uuid),
                "{body}"
            );
        }
        "xray" => {
            let doc: Value = serde_json::from_str(body).expect("JSON");
            assert_eq!(
                doc[0]["outbounds"][0]["settings"]["vnext"][0]["users"][0]["id"],
                uuid
            );
        }
        "html" => {
            assert!(body.starts_with("<!doctype html>"), "{body}");
            assert!(
                body.contains(&link.replace('&', "&amp;")),
                "the link on the page"
            );
            assert!(body.contains("data:image/png;base64,"), "its QR code");
        }
        other => panic!("no format {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_url_serves_every_app_its_format_until_the_shopper_resets_it() {
    let logs = capture_logs();
    let stage = Stage::start().await.expect("the stage starts");
    let c = &stage.cast;
    let access = approved_purchase(&stage, "subscription").await;

    // The access message leads with the personal URL, and its QR code is the URL's.
    let url = url_in(&access);
    assert!(
        access.to_string().contains("Your subscription URL"),
        "{access}"
    );
    let sub = stage
        .shop()
        .subscriptions_of(nebula_engine::ids::UserId(c.shopper))
        .await
        .unwrap()
        .remove(0);
    let link = sub.access.expose().to_owned();
    let uuid = nebula_profiles::Endpoint::parse(&link).unwrap().uuid;

    for (ua, format) in APPS {
        let res = fetch(&url, ua).await;
        assert_eq!(res.status(), 200, "{ua}");
        let h = res.headers().clone();
        let header = |n: &str| h.get(n).map(|v| v.to_str().unwrap().to_owned());
        let body = res.text().await.unwrap();
        check_body(format, &body, &uuid, &link);
        if *format == "html" {
            assert_eq!(header("subscription-userinfo"), None);
            continue;
        }
        let info = header("subscription-userinfo").expect("userinfo");
        assert_eq!(
            info,
            format!(
                "upload=0; download={}; total={}; expire={}",
                sub.used_bytes,
                sub.traffic.bytes().expect("the demo plan has a limit"),
                sub.expires_at.as_second()
            ),
            "{ua}"
        );
        assert_eq!(header("profile-update-interval").as_deref(), Some("12"));
        assert_eq!(header("profile-title").as_deref(), Some("NebulaLinks demo"));
        assert!(
            header("content-disposition")
                .unwrap()
                .starts_with("attachment; filename=")
        );
        assert_eq!(
            header("profile-web-page-url"),
            Some(format!("{url}?format=html"))
        );
        assert!(header("support-url").is_some());
    }
    // ?format= wins over the User-Agent; an unknown one is refused, naming the known ones.
    let xray = fetch(&format!("{url}?format=xray"), "v2rayNG/1.10.2").await;
    check_body("xray", &xray.text().await.unwrap(), &uuid, &link);
    let bad = fetch(&format!("{url}?format=pdf"), "v2rayNG/1.10.2").await;
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("clash"));

    // Bad input: a clean 4xx each, nothing else served.
    let base = url.rsplit_once("/sub/").unwrap().0.to_owned();
    let token = url.rsplit_once("/sub/").unwrap().1.to_owned();
    let guess = format!("{base}/sub/{}", "A".repeat(token.len()));
    let cut = format!("{base}/sub/{}", &token[1..]);
    for probe in [
        guess.as_str(),
        cut.as_str(),
        &format!("{base}/sub/"),
        &format!("{base}/sub/{token}/../../etc/passwd"),
        &format!("{base}/"),
        &format!("{base}/admin"),
    ] {
        let res = fetch(probe, "v2rayNG/1.10.2").await;
        assert_eq!(res.status(), 404, "{probe}");
    }
    let post = reqwest::Client::new().post(&url).send().await.unwrap();
    assert_eq!(post.status(), 404);
    let huge = reqwest::Client::new()
        .get(&url)
        .header("x-padding", "a".repeat(512 * 1024))
        .send()
        .await;
    assert!(
        huge.is_err() || huge.as_ref().unwrap().status().is_client_error(),
        "a huge header is refused: {huge:?}"
    );
    assert_eq!(fetch(&format!("{base}/health"), "").await.status(), 200);

    // My subscriptions shows the same URL; Reset link asks first, then gives a new one: the
    // old URL is 404 at once, the new one serves.
    let subs = stage.discord.click(
        c.shopper,
        &stage
            .discord
            .find_component(c.shop_channel, "shop:subs")
            .unwrap(),
    );
    let shown = stage.answer(&subs).await;
    assert!(shown.contains(&url), "{shown}");
    let reset = stage
        .discord
        .find_in_answer(&subs, "shop:reset-link")
        .unwrap();
    let asked = stage.discord.click(c.shopper, &reset);
    assert!(stage.answer(&asked).await.contains("stops the old one"));
    assert_eq!(
        fetch(&url, "v2rayNG/1.10.2").await.status(),
        200,
        "not before confirming"
    );
    let yes = stage
        .discord
        .find_in_answer(&asked, "shop:reset-link-yes")
        .unwrap();
    let done = stage.discord.click(c.shopper, &yes);
    let said = stage.answer(&done).await;
    let new_url = said
        .split_whitespace()
        .find(|w| w.contains("/sub/"))
        .expect("the new URL")
        .to_owned();
    assert_ne!(new_url, url);
    assert_eq!(fetch(&url, "v2rayNG/1.10.2").await.status(), 404);
    assert_eq!(fetch(&new_url, "v2rayNG/1.10.2").await.status(), 200);
    let fresh = new_url.rsplit_once("/sub/").unwrap().1.to_owned();
    let fresh = fresh.as_str();

    // Too many fetches of one URL in a minute: 429 with Retry-After.
    let mut limited = None;
    for _ in 0..40 {
        let res = fetch(&new_url, "v2rayNG/1.10.2").await;
        if res.status() == 429 {
            limited = Some(res);
            break;
        }
    }
    let limited = limited.expect("the per-token limit applies");
    assert_eq!(limited.headers()["retry-after"], "60");

    assert_eq!(
        stage.discord.problems(),
        Vec::<String>::new(),
        "real Discord takes it all"
    );
    stage.stop().await;
    let logged = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(
        logged.contains("served a subscription"),
        "the fetches are logged"
    );
    let uuid_part = uuid.as_str();
    for secret in [token.as_str(), fresh, link.as_str(), uuid_part] {
        let lines: Vec<&str> = logged.lines().filter(|l| l.contains(secret)).collect();
        assert!(
            lines.is_empty(),
            "a secret was logged:\n{}",
            lines.join("\n")
        );
    }
}

async fn fetch_as(url: &str, hwid: &str, model: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(url)
        .header("user-agent", "Happ/1.7.1")
        .header("x-hwid", hwid)
        .header("x-device-os", "Android")
        .header("x-ver-os", "15")
        .header("x-device-model", model)
        .send()
        .await
        .expect("the service answers")
}

/// The plan allows two devices: phones A and B are served, C is refused with the header apps
/// read and the shopper is told in Discord; after A is removed in My devices, C is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_third_device_is_refused_until_the_shopper_removes_one() {
    let stage = Stage::start().await.expect("the stage starts");
    let c = &stage.cast;
    let url = url_in(&approved_purchase(&stage, "devices").await);

    assert_eq!(
        fetch_as(&url, "hwid-phone-a", "Pixel 9").await.status(),
        200
    );
    assert_eq!(
        fetch_as(&url, "hwid-phone-b", "Galaxy S25").await.status(),
        200
    );
    assert_eq!(
        fetch_as(&url, "hwid-phone-a", "Pixel 9").await.status(),
        200,
        "a known device again"
    );
    let refused = fetch_as(&url, "hwid-phone-c", "Moto G").await;
    assert_eq!(refused.status(), 404);
    assert_eq!(refused.headers()["x-hwid-max-devices-reached"], "true");
    let told = stage
        .discord
        .wait_for("the device notice", nebula_bot::demo::PATIENCE, |d| {
            d.dms_to(c.shopper)
                .into_iter()
                .find(|m| m.to_string().contains("Device limit reached"))
        })
        .await;
    assert!(told.to_string().contains("Moto G"), "{told}");
    // An app with a malformed id is told so; one with none is served (the operator's default).
    let bad = fetch_as(&url, &"x".repeat(200), "Huge").await;
    assert_eq!(bad.status(), 400);
    assert_eq!(fetch(&url, "v2rayNG/1.10.2").await.status(), 200);

    // My devices lists A and B; removing A frees its place for C.
    let subs = stage.discord.click(
        c.shopper,
        &stage
            .discord
            .find_component(c.shop_channel, "shop:subs")
            .unwrap(),
    );
    stage.answer(&subs).await;
    let devices = stage.discord.find_in_answer(&subs, "shop:devices").unwrap();
    let listed = stage.discord.click(c.shopper, &devices);
    let text = stage.answer(&listed).await;
    assert!(
        text.contains("Pixel 9") && text.contains("Galaxy S25"),
        "{text}"
    );
    assert!(
        !text.contains("Moto G"),
        "a refused device is not counted: {text}"
    );
    let a_key = nebula_bot::discord::render::device_key("hwid-phone-a");
    let remove = stage
        .discord
        .find_in_answer(&listed, &format!("device-rm:{a_key}"))
        .expect("a Remove button for phone A");
    let after = stage.discord.click(c.shopper, &remove);
    let text = stage.answer(&after).await;
    assert!(
        !text.contains("Pixel 9") && text.contains("Galaxy S25"),
        "{text}"
    );
    assert_eq!(fetch_as(&url, "hwid-phone-c", "Moto G").await.status(), 200);
    assert_eq!(
        stage.discord.problems(),
        Vec::<String>::new(),
        "real Discord takes it all"
    );
    stage.stop().await;
}
