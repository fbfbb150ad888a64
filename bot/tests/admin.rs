//! What admins and the background jobs do, end to end through the real `nebula run` path:
//! `/stats` with its chart, `/export`, `/audit`, jobs on the shop's clock talking to the real
//! gateway, and a backup through the control socket while the shop runs.

use jiff::SignedDuration;
use nebula_bot::control::{self, Request};
use nebula_bot::demo::{PATIENCE, Stage, order_code};
use nebula_engine::reports::{Format, OrderRow, decode};
use serde_json::{Value, json};

/// A purchase from Buy access to the link; returns the order code.
async fn purchase(stage: &Stage, shopper: u64) -> String {
    let (channel, said) = stage.buy(shopper).await;
    let code = order_code(&said).expect("the answer names the order");
    stage.choose_method(shopper, channel).await;
    stage.wait_message(channel, "Pay with").await;
    stage.upload_screenshot(shopper, channel, &code);
    let review = stage.review_of(&code).await;
    let token = stage.click_review(stage.cast.admin, &review, "approve:");
    stage.answer(&token).await;
    stage.wait_message(channel, "Your access is ready").await;
    code
}

fn files_of(stage: &Stage, token: &str) -> Vec<(String, Vec<u8>)> {
    stage
        .discord
        .interaction(token)
        .expect("the interaction")
        .files
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stats_exports_and_the_audit_log_for_admins() {
    let stage = Stage::start().await.unwrap();
    let c = &stage.cast;
    let code = purchase(&stage, c.shopper).await;

    let token = stage
        .discord
        .command(c.admin, c.review_channel, "stats", json!([]), None);
    let said = stage.answer(&token).await;
    assert!(
        said.contains("Shop stats") && said.contains("250.00 EGP"),
        "{said}"
    );
    let files = files_of(&stage, &token);
    let (name, png) = files.first().expect("the chart");
    assert_eq!(name, "revenue.png");
    let chart = image::load_from_memory_with_format(png, image::ImageFormat::Png).unwrap();
    assert_eq!((chart.width(), chart.height()), (800, 300));
    let colours: std::collections::HashSet<[u8; 4]> =
        chart.to_rgba8().pixels().map(|p| p.0).collect();
    assert!(colours.len() >= 3, "background, axes and bars: {colours:?}");

    let token = stage.discord.command(
        c.admin,
        c.review_channel,
        "export",
        json!([{"name": "what", "type": 3, "value": "orders"}, {"name": "format", "type": 3, "value": "csv"}]),
        None,
    );
    assert!(stage.answer(&token).await.starts_with("1 orders"));
    let files = files_of(&stage, &token);
    assert!(files[0].0.starts_with("orders-") && files[0].0.ends_with(".csv"));
    let rows: Vec<OrderRow> = decode(&files[0].1, Format::Csv).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].code.as_str(), rows[0].total_minor),
        (code.as_str(), 25_000)
    );
    assert_eq!(rows[0].state, "fulfilled");

    let token = stage.discord.command(
        c.admin,
        c.review_channel,
        "audit",
        json!([{"name": "order", "type": 3, "value": code}]),
        None,
    );
    let said = stage.answer(&token).await;
    assert!(
        said.contains("order.approve") && said.contains("order.open"),
        "{said}"
    );
    // A shopper does not even see /stats on Discord...
    let refused = stage
        .discord
        .try_command(c.shopper, c.review_channel, "stats", json!([]), None);
    assert!(refused.is_err(), "{refused:?}");
    // ...and someone the owner let use it, without the shop's admin role, is refused by the
    // bot itself: it checks the role on every action.
    let moderators = stage.discord.add_role("Moderators", 0);
    let moderator = stage.discord.add_member("Mo (moderator)", &[moderators], 0);
    stage
        .discord
        .set_command_permissions(Some("stats"), &[(moderators, 1, true)]);
    let token = stage
        .discord
        .command(moderator, c.review_channel, "stats", json!([]), None);
    assert_eq!(stage.answer(&token).await, "Only admins can do that.");
    assert_eq!(
        stage.discord.problems(),
        Vec::<String>::new(),
        "the bot sent what real Discord refuses"
    );
    stage.stop().await;
}

fn dm_containing(stage: &Stage, user: u64, needle: &str) -> Option<Value> {
    stage
        .discord
        .dms_to(user)
        .into_iter()
        .find(|m| m.to_string().contains(needle))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jobs_warn_expire_and_disable_through_the_real_gateway_on_the_clock() {
    let stage = Stage::start().await.unwrap();
    let c = &stage.cast;
    purchase(&stage, c.shopper).await;
    let sub = stage
        .shop()
        .subscriptions_of(nebula_engine::ids::UserId(c.shopper))
        .await
        .unwrap()[0]
        .clone();

    // 41 GB of 50: the traffic job (every 6 hours) reads it in one call and warns once.
    stage
        .panel
        .add_traffic(&sub.client_email, 1_000_000_000, 40_000_000_000);
    let six_hours = SignedDuration::from_hours(6);
    let warned = stage
        .advance_until(
            "the 80% notice",
            six_hours,
            six_hours,
            async |stage: &Stage| dm_containing(stage, c.shopper, "Traffic running low"),
        )
        .await;
    assert!(warned.to_string().contains("renew:"), "with a Renew button");

    // Past the end: the reminders went out, then the client is disabled on the panel.
    stage
        .advance_until(
            "the expiry notice",
            SignedDuration::from_hours(24 * 31),
            SignedDuration::from_hours(1),
            async |stage: &Stage| dm_containing(stage, c.shopper, "Your access has ended"),
        )
        .await;
    stage
        .discord
        .wait_for("the client disabled on the panel", PATIENCE, |_| {
            stage
                .panel
                .client(&sub.client_email)
                .filter(|cl| cl["enable"] == json!(false))
        })
        .await;
    assert_eq!(
        stage
            .discord
            .dms_to(c.shopper)
            .iter()
            .filter(|m| m.to_string().contains("Your access has ended"))
            .count(),
        1,
        "told once"
    );
    assert_eq!(
        stage.discord.problems(),
        Vec::<String>::new(),
        "the bot sent what real Discord refuses"
    );
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_through_the_running_shop_restores_to_the_same_data() {
    let stage = Stage::start().await.unwrap();
    let c = &stage.cast;
    purchase(&stage, c.shopper).await;
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.redb");
    let socket = control::socket_path(&stage.config.database);
    let said = control::ask(&socket, &Request::Backup { path: copy.clone() })
        .await
        .expect("the running shop answers")
        .unwrap();
    assert!(said.starts_with("backed up"), "{said}");

    let restored = dir.path().join("restored.redb");
    nebula_engine::Shop::restore(&copy, &restored).unwrap();
    let a =
        nebula_engine::store::backup::dump(&nebula_engine::store::open(&copy).unwrap()).unwrap();
    let b = nebula_engine::store::backup::dump(&nebula_engine::store::open(&restored).unwrap())
        .unwrap();
    assert_eq!(a, b);
    let orders = a.iter().find(|(t, _)| t == "orders_v1").unwrap();
    assert_eq!(orders.1.len(), 1);

    let csv = control::ask(
        &socket,
        &Request::Export {
            what: nebula_engine::reports::ExportKind::Orders,
            format: Format::Csv,
            from: None,
            to: None,
        },
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        decode::<OrderRow>(csv.as_bytes(), Format::Csv)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        stage.discord.problems(),
        Vec::<String>::new(),
        "the bot sent what real Discord refuses"
    );
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_role_reaches_the_admin_commands_once_the_owner_allows_it() {
    let stage = Stage::start().await.unwrap();
    let c = &stage.cast;
    let plans = || serde_json::json!([{"name": "list", "type": 1, "options": []}]);
    // Without the owner's override in Server Settings → Integrations, a member with the admin
    // role but not Manage Server does not see the admin commands...
    stage.discord.set_command_permissions(None, &[]);
    let hidden = stage
        .discord
        .try_command(c.admin, c.review_channel, "plan", plans(), None);
    assert!(hidden.is_err(), "{hidden:?}");
    // ...and /setup, which reads the guild's command permissions, says what to do.
    let said = stage.run_setup().await;
    assert!(
        said.contains("cannot use") && said.contains("/plan") && said.contains("Integrations"),
        "{said}"
    );
    // The owner follows it: the role is allowed for all the shop's commands.
    stage
        .discord
        .set_command_permissions(None, &[(c.admin_role, 1, true)]);
    let token = stage
        .discord
        .try_command(c.admin, c.review_channel, "plan", plans(), None)
        .expect("the admin sees /plan");
    assert!(stage.answer(&token).await.contains("Month, 50 GB"));
    let said = stage.run_setup().await;
    assert!(!said.contains("cannot use"), "{said}");
    // A member with Manage Server sees them without any override.
    let managers = stage
        .discord
        .add_role("Managers", nebula_bot::fake::MANAGE_GUILD);
    let manager = stage.discord.add_member("Max (manager)", &[managers], 0);
    stage.discord.set_command_permissions(None, &[]);
    assert!(
        stage
            .discord
            .try_command(
                manager,
                c.review_channel,
                "stats",
                serde_json::json!([]),
                None
            )
            .is_ok()
    );
    assert_eq!(stage.discord.problems(), Vec::<String>::new());
    stage.stop().await;
}

/// Waits until an autocomplete interaction is answered.
async fn answered(stage: &Stage, token: String) -> String {
    stage
        .discord
        .wait_for("the autocomplete answer", nebula_bot::demo::PATIENCE, |d| {
            d.interaction(&token)
                .filter(|l| !l.callbacks.is_empty())
                .map(|_| ())
        })
        .await;
    token
}

/// The choices of an autocomplete answer, as (name, value).
fn choices(stage: &Stage, token: &str) -> Vec<(String, String)> {
    let log = stage.discord.interaction(token).unwrap();
    assert_eq!(log.kind(), Some(8), "an autocomplete answer");
    log.callbacks[0]["data"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_owned(),
                c["value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_at_most_25_choices_that_fit() {
    use nebula_bot::demo::sub;
    let stage = Stage::start().await.unwrap();
    let c = &stage.cast;
    // Thirty plans with the longest names the shop accepts.
    for i in 1..=30 {
        let name: String = format!("Plan {i:02} ")
            .chars()
            .chain(
                "with a very long name that fills all eighty characters "
                    .chars()
                    .cycle(),
            )
            .take(80)
            .collect();
        let said = stage
            .command(
                c.admin,
                "plan",
                sub(
                    "add",
                    &[
                        ("id", serde_json::json!(format!("auto-{i:02}"))),
                        ("name", serde_json::json!(name)),
                        ("days", serde_json::json!(30)),
                        ("traffic_gb", serde_json::json!(10)),
                        ("devices", serde_json::json!(1)),
                        ("price", serde_json::json!("10 EGP")),
                    ],
                ),
                None,
            )
            .await;
        assert!(said.starts_with("Added plan"), "{said}");
    }
    let typing = |typed: &str| {
        serde_json::json!([{"name": "disable", "type": 1, "options": [
            {"name": "id", "type": 3, "value": typed, "focused": true}]}])
    };
    let token = answered(
        &stage,
        stage
            .discord
            .autocomplete(c.admin, c.review_channel, "plan", typing("")),
    )
    .await;
    let all = choices(&stage, &token);
    assert_eq!(all.len(), 25, "Discord takes at most 25 choices");
    assert!(
        all.iter()
            .all(|(name, _)| (1..=100).contains(&name.chars().count()))
    );
    // What the admin typed narrows them down.
    let token = answered(
        &stage,
        stage
            .discord
            .autocomplete(c.admin, c.review_channel, "plan", typing("AUTO-1")),
    )
    .await;
    let values: Vec<String> = choices(&stage, &token)
        .into_iter()
        .map(|(_, v)| v)
        .collect();
    let expected: Vec<String> = (10..=19).map(|i| format!("auto-{i}")).collect();
    assert_eq!(values, expected);
    // Order codes autocomplete too, under /order: an open one is offered.
    let code = purchase(&stage, c.shopper).await;
    let (_, said) = stage.buy(c.other_shopper).await;
    let open = nebula_bot::demo::order_code(&said).unwrap();
    let token = answered(
        &stage,
        stage.discord.autocomplete(
            c.admin,
            c.review_channel,
            "order",
            serde_json::json!([{"name": "view", "type": 1, "options": [
            {"name": "code", "type": 3, "value": "", "focused": true}]}]),
        ),
    )
    .await;
    let orders = choices(&stage, &token);
    assert!(orders.len() <= 25);
    // A fulfilled order is not one an admin usually looks for; open and failed ones are.
    assert!(!orders.iter().any(|(_, v)| *v == code), "{orders:?}");
    assert!(
        orders
            .iter()
            .any(|(name, v)| *v == open && name.starts_with(&open)),
        "{orders:?}"
    );
    // The shop panel and the plan picker still fit with thirty long plans.
    let buy = stage.discord.click(c.shopper, &stage.buy_button());
    stage.answer(&buy).await;
    assert_eq!(stage.discord.problems(), Vec::<String>::new());
    stage.stop().await;
}
