//! The shop end to end, through the same code as `nebula run`: serenity against a fake Discord
//! → the engine → the outbox → the gateway client → a real gateway over HTTP → a simulated 3x-ui
//! panel. Each test reads like what the people involved do and see.

use std::time::Duration;

use jiff::SignedDuration;
use nebula_bot::demo::{PATIENCE, Stage, order_code, sub};
use nebula_engine::clock::Clock;
use nebula_engine::order::State;
use serde_json::{Value, json};

async fn stage() -> Stage {
    Stage::start().await.expect("the stage starts")
}

/// Everything the bot sent, real Discord would have taken: modelled routes, bodies its OpenAPI
/// description and documented limits allow.
fn discord_took_everything(stage: &Stage) {
    assert_eq!(
        stage.discord.problems(),
        Vec::<String>::new(),
        "the bot sent what real Discord refuses"
    );
}

/// Buys, chooses the method and uploads a screenshot; returns (order channel, code).
async fn pay(stage: &Stage, shopper: u64, seed: &str) -> (u64, String) {
    let (channel, said) = stage.buy(shopper).await;
    let code = order_code(&said).expect("the answer names the order");
    assert!(said.contains(&format!("<#{channel}>")), "{said}");
    stage.choose_method(shopper, channel).await;
    stage.wait_message(channel, "Pay with Mobile wallet").await;
    stage.upload_screenshot(shopper, channel, seed);
    stage.wait_message(channel, "under review").await;
    (channel, code)
}

async fn state_of(stage: &Stage, code: &str) -> State {
    stage.shop().order_by_code(code).await.unwrap().state
}

fn link_in(message: &Value) -> String {
    let text = message.to_string();
    let at = text.find("vless://").expect("a link");
    text[at..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '\\' && *c != '"')
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purchase_from_buy_access_to_the_link() {
    let stage = stage().await;
    let c = &stage.cast;
    let (channel, code) = pay(&stage, c.shopper, "purchase").await;

    // The private channel: only the shopper, the admins and the bot can see it.
    let order_channel = stage.discord.channel(channel).unwrap();
    assert_eq!(order_channel.parent, Some(c.category));
    let overwrites = order_channel.overwrites.to_string();
    assert!(
        overwrites.contains(&stage.discord.guild_id().to_string())
            && overwrites.contains(&c.shopper.to_string())
    );
    assert!(overwrites.contains(&c.admin_role.to_string()));
    let instructions = stage.wait_message(channel, "Pay with").await;
    assert!(instructions.to_string().contains(&format!(
        "Send 250.00 EGP to 0100 000 0000 with the note {code}."
    )));

    // The review: the screenshot re-uploaded as a file, the flags, the buttons.
    let review = stage.review_of(&code).await;
    let text = review.to_string();
    assert!(
        text.contains("first order") && text.contains("approve:") && text.contains("decline:"),
        "{text}"
    );
    let upload = stage
        .discord
        .requests()
        .into_iter()
        .find(|r| {
            r.path
                .ends_with(&format!("/channels/{}/messages", c.review_channel))
                && !r.files.is_empty()
        })
        .expect("the review was posted with the screenshot as a file");
    assert!(
        upload.files[0].1.starts_with(b"\x89PNG"),
        "the screenshot's bytes, not a link to them"
    );

    let token = stage.click_review(c.admin, &review, "approve:");
    assert!(stage.answer(&token).await.starts_with("Approved order"));

    let access = stage.wait_message(channel, "Your access is ready").await;
    let link = link_in(&access);
    assert!(
        link.starts_with("vless://")
            && link.contains("@fra-1.vpn.example:443?")
            && link.contains("security=reality"),
        "{link}"
    );
    assert_eq!(access["attachments"][0]["filename"], "access-qr.png");
    let dm = stage
        .discord
        .wait_for("the DM", PATIENCE, |d| d.dms_to(c.shopper).first().cloned())
        .await;
    assert_eq!(link_in(&dm), link);
    // The review message shows who approved and has no buttons left.
    stage
        .discord
        .wait_for("the review to close", PATIENCE, |d| {
            d.messages(c.review_channel).into_iter().find(|m| {
                m["id"] == review["id"]
                    && m["content"]
                        .as_str()
                        .is_some_and(|t| t.contains("Approved by"))
            })
        })
        .await;

    // My subscriptions shows it, ephemerally, with the same link and a Renew button.
    let token = stage.discord.click(
        c.shopper,
        &stage
            .discord
            .find_component(c.shop_channel, "shop:subs")
            .unwrap(),
    );
    stage.answer(&token).await;
    let answer = stage.discord.interaction(&token).unwrap().data().unwrap();
    assert!(answer.to_string().contains(&link) && answer.to_string().contains("renew:"));
    assert_eq!(answer["flags"], 64, "ephemeral");

    assert_eq!(stage.panel.client_count(), 1);
    assert!(matches!(
        state_of(&stage, &code).await,
        State::Fulfilled { .. }
    ));
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_decline_tells_the_shopper_why() {
    let stage = stage().await;
    let c = &stage.cast;
    let (channel, code) = pay(&stage, c.shopper, "decline").await;
    let review = stage.review_of(&code).await;
    let token = stage.click_review(c.admin, &review, "decline:");
    stage.answer(&token).await;
    assert_eq!(
        stage.discord.interaction(&token).unwrap().kind(),
        Some(9),
        "a modal asks for the reason"
    );
    let order = nebula_bot::demo::review_order(&review);
    let token = stage.discord.submit_modal(
        c.admin,
        c.review_channel,
        &format!("decline-modal:{order}"),
        &[("reason", "The transfer did not arrive.")],
    );
    assert!(stage.answer(&token).await.starts_with("Declined order"));
    let notice = stage.wait_message(channel, "Payment declined").await;
    assert!(notice.to_string().contains("The transfer did not arrive."));
    assert!(matches!(
        state_of(&stage, &code).await,
        State::Declined { .. }
    ));
    assert_eq!(stage.panel.client_count(), 0);
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_closes_the_order_and_later_its_channel() {
    let shop = nebula_bot::config::ShopSection {
        close_channel_after_minutes: 1,
        ..Default::default()
    };
    let stage = Stage::start_with(shop).await.unwrap();
    let c = &stage.cast;
    let (channel, said) = stage.buy(c.shopper).await;
    let code = order_code(&said).unwrap();
    let cancel = stage.wait_button(channel, "cancel:").await;
    let token = stage.discord.click(c.shopper, &cancel);
    assert!(stage.answer(&token).await.contains("is cancelled"));
    stage
        .wait_message(channel, "You cancelled this order")
        .await;
    assert!(matches!(
        state_of(&stage, &code).await,
        State::Cancelled { .. }
    ));
    // The channel closes after the configured delay, not before.
    assert!(!stage.discord.channel(channel).unwrap().deleted);
    stage.clock.advance(SignedDuration::from_secs(61));
    stage
        .discord
        .wait_for("the channel to close", PATIENCE, |d| {
            d.channel(channel).filter(|ch| ch.deleted).map(drop)
        })
        .await;
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unpaid_order_times_out() {
    let stage = stage().await;
    let c = &stage.cast;
    let (channel, said) = stage.buy(c.shopper).await;
    let code = order_code(&said).unwrap();
    stage
        .advance_until(
            "the timeout notice",
            SignedDuration::from_mins(31),
            SignedDuration::from_mins(1),
            async |stage: &Stage| {
                stage
                    .discord
                    .messages(channel)
                    .into_iter()
                    .find(|m| m.to_string().contains("Order timed out"))
            },
        )
        .await;
    assert!(matches!(state_of(&stage, &code).await, State::TimedOut));
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shopper_cannot_approve_and_nothing_changes() {
    let stage = stage().await;
    let c = &stage.cast;
    let (_, code) = pay(&stage, c.shopper, "self-approve").await;
    let review = stage.review_of(&code).await;
    let token = stage.click_review(c.shopper, &review, "approve:");
    assert_eq!(stage.answer(&token).await, "Only admins can do that.");
    let token = stage.click_review(c.other_shopper, &review, "decline:");
    assert_eq!(stage.answer(&token).await, "Only admins can do that.");
    assert!(matches!(
        state_of(&stage, &code).await,
        State::UnderReview { .. }
    ));
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_admins_approving_at_once() {
    let stage = stage().await;
    let c = &stage.cast;
    let (channel, code) = pay(&stage, c.shopper, "race").await;
    let review = stage.review_of(&code).await;
    let first = stage.click_review(c.admin, &review, "approve:");
    let second = stage.click_review(c.other_admin, &review, "approve:");
    let answers = [stage.answer(&first).await, stage.answer(&second).await];
    let approved = answers
        .iter()
        .filter(|a| a.starts_with("Approved order"))
        .count();
    let already = answers
        .iter()
        .filter(|a| a.starts_with("This order was already approved by <@"))
        .count();
    assert_eq!((approved, already), (1, 1), "{answers:?}");
    stage.wait_message(channel, "Your access is ready").await;
    assert_eq!(stage.panel.client_count(), 1);
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_the_old_buttons_still_work() {
    let mut stage = stage().await;
    let shopper = stage.cast.shopper;
    let (channel, said) = stage.buy(shopper).await;
    let code = order_code(&said).unwrap();
    let method = stage.wait_button(channel, "method:").await;

    stage.restart_shop().await.unwrap();

    // The button posted before the restart still chooses the method.
    let token = stage.discord.click(shopper, &method);
    assert!(stage.answer(&token).await.contains("instructions"));
    stage.upload_screenshot(shopper, channel, "after-restart");
    stage.wait_message(channel, "under review").await;
    let review = stage.review_of(&code).await;
    let token = stage.click_review(stage.cast.admin, &review, "approve:");
    stage.answer(&token).await;
    stage.wait_message(channel, "Your access is ready").await;
    // Nothing was posted twice by the restart.
    let summaries = stage
        .discord
        .messages(channel)
        .iter()
        .filter(|m| m.to_string().contains("Your order"))
        .count();
    assert_eq!(summaries, 1);
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_screenshot_from_the_wrong_user_or_of_the_wrong_kind_changes_nothing() {
    let stage = stage().await;
    let c = &stage.cast;
    let (channel, said) = stage.buy(c.shopper).await;
    let code = order_code(&said).unwrap();
    stage.choose_method(c.shopper, channel).await;
    stage.wait_message(channel, "Pay with").await;

    // Another shopper cannot even see the private order channel; an admin, who can, is told
    // that only the shopper sends the screenshot.
    let theirs = stage.discord.attachment(
        "payment.png",
        "image/png",
        b"\x89PNG\r\n\x1a\nnot-mine".to_vec(),
    );
    let posted = stage
        .discord
        .try_post(c.other_shopper, channel, "mine?", vec![theirs.clone()]);
    assert!(posted.is_err(), "{posted:?}");
    stage
        .discord
        .post(c.admin, channel, "here is a receipt", vec![theirs]);
    let reply = stage
        .wait_message(channel, "can send the payment screenshot")
        .await;
    assert!(reply.to_string().contains(&format!("<@{}>", c.shopper)));
    let pdf = stage
        .discord
        .attachment("receipt.pdf", "application/pdf", b"%PDF-1.4".to_vec());
    stage.discord.post(c.shopper, channel, "a pdf", vec![pdf]);
    stage
        .wait_message(channel, "upload the screenshot as an image")
        .await;
    assert!(matches!(
        state_of(&stage, &code).await,
        State::AwaitingProof { .. }
    ));

    // The same screenshot on a second order is flagged to the reviewers.
    stage.upload_screenshot(c.shopper, channel, "reused");
    stage.wait_message(channel, "under review").await;
    let (second, said) = stage.buy(c.shopper).await;
    let second_code = order_code(&said).unwrap();
    stage.choose_method(c.shopper, second).await;
    stage.wait_message(second, "Pay with").await;
    stage.upload_screenshot(c.shopper, second, "reused");
    let review = stage.review_of(&second_code).await;
    assert!(
        review
            .to_string()
            .contains(&format!("the same screenshot was used for order {code}"))
    );
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_renewal_keeps_the_link() {
    let stage = stage().await;
    let c = &stage.cast;
    let (channel, code) = pay(&stage, c.shopper, "first").await;
    let review = stage.review_of(&code).await;
    stage
        .answer(&stage.click_review(c.admin, &review, "approve:"))
        .await;
    let link = link_in(&stage.wait_message(channel, "Your access is ready").await);

    let token = stage.discord.click(
        c.shopper,
        &stage
            .discord
            .find_component(c.shop_channel, "shop:subs")
            .unwrap(),
    );
    stage.answer(&token).await;
    let renew = stage.discord.find_in_answer(&token, "renew:").unwrap();
    let (renewal_channel, said) = stage
        .order_opened(&stage.discord.click(c.shopper, &renew))
        .await;
    let renewal = order_code(&said).unwrap();
    assert_ne!(renewal_channel, channel);
    stage.choose_method(c.shopper, renewal_channel).await;
    stage.upload_screenshot(c.shopper, renewal_channel, "second");
    let review = stage.review_of(&renewal).await;
    stage
        .answer(&stage.click_review(c.admin, &review, "approve:"))
        .await;
    let renewed = stage
        .wait_message(renewal_channel, "Your access is renewed")
        .await;
    assert_eq!(link_in(&renewed), link);
    assert_eq!(stage.panel.client_count(), 1, "the same client");
    let subs = stage
        .shop()
        .subscriptions_of(nebula_engine::ids::UserId(c.shopper))
        .await
        .unwrap();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0].orders.len(), 2);
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_policy_upload_changes_the_next_price() {
    let stage = stage().await;
    let c = &stage.cast;
    let wasm = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../policies/dist/weekend-sale.wasm"
    ))
    .unwrap();
    let file = stage
        .discord
        .attachment("weekend-sale.wasm", "application/wasm", wasm);
    let id = file["id"].as_str().unwrap().to_owned();
    let options = json!([{"name": "upload", "type": 1, "options": [
        {"name": "kind", "type": 3, "value": "pricing"},
        {"name": "file", "type": 11, "value": id},
    ]}]);
    let said = stage
        .command(
            c.admin,
            "policy",
            options,
            Some(json!({"attachments": {id: file}})),
        )
        .await;
    assert!(
        said.starts_with("**weekend-sale** is now the live pricing policy"),
        "{said}"
    );
    // Every day a sale day: whatever the date, the next price is 15% off.
    let config = sub(
        "config",
        &[
            ("kind", json!("pricing")),
            ("settings", json!("days = mon,tue,wed,thu,fri,sat,sun")),
        ],
    );
    assert!(
        stage
            .command(c.admin, "policy", config, None)
            .await
            .contains("1 setting(s)")
    );

    let (_, said) = stage.buy(c.shopper).await;
    let code = order_code(&said).unwrap();
    let order = stage.shop().order_by_code(&code).await.unwrap().order;
    assert_eq!(order.quote.total.to_string(), "212.50 EGP");
    assert_eq!(order.quote.policy.name, "weekend-sale");
    let list = stage
        .command(c.admin, "policy", sub("list", &[]), None)
        .await;
    let live = list
        .lines()
        .find(|l| l.contains("weekend-sale"))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(
        live.starts_with("pricing") && live.ends_with("**live**"),
        "{list}"
    );
    let default = list
        .lines()
        .find(|l| l.contains("pricing-default"))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(!default.contains("**live**"), "{list}");
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deleted_panel_is_posted_again_and_bad_commands_are_answered_politely() {
    let stage = stage().await;
    let c = &stage.cast;
    let panel = stage.buy_button().message;
    let id: u64 = panel["id"].as_str().unwrap().parse().unwrap();
    stage.discord.delete_message(c.shop_channel, id);
    stage
        .discord
        .wait_for("the panel again", PATIENCE, |d| {
            d.find_component(c.shop_channel, "shop:buy")
                .filter(|f| f.message["id"] != panel["id"])
        })
        .await;
    let bad = sub(
        "add",
        &[
            ("id", json!("week")),
            ("name", json!("Week")),
            ("days", json!(7)),
            ("traffic_gb", json!(10)),
            ("devices", json!(1)),
            ("price", json!("99.999 EGP")),
        ],
    );
    let said = stage.command(c.admin, "plan", bad, None).await;
    assert!(
        said.contains("more decimals than the currency has"),
        "{said}"
    );
    // A shopper does not see the admin commands on Discord; someone the owner let use them
    // without the shop's admin role is refused by the bot, which checks the role every time.
    let shown =
        stage
            .discord
            .try_command(c.shopper, c.shop_channel, "plan", sub("list", &[]), None);
    assert!(shown.is_err(), "{shown:?}");
    let helpers = stage.discord.add_role("Helpers", 0);
    let helper = stage.discord.add_member("Hana (helper)", &[helpers], 0);
    stage
        .discord
        .set_command_permissions(Some("plan"), &[(helpers, 1, true)]);
    let said = stage.command(helper, "plan", sub("list", &[]), None).await;
    assert_eq!(said, "Only admins can do that.");

    // A new plan shows on the panel: the same message, edited.
    let good = sub(
        "add",
        &[
            ("id", json!("week")),
            ("name", json!("Week, 10 GB")),
            ("days", json!(7)),
            ("traffic_gb", json!(10)),
            ("devices", json!(1)),
            ("price", json!("99.50 EGP")),
        ],
    );
    let said = stage.command(c.admin, "plan", good, None).await;
    assert!(!said.is_empty() && !said.contains("sorry"), "{said}");
    let reposted = stage.buy_button().message;
    stage
        .discord
        .wait_for("the panel to list the new plan", PATIENCE, |d| {
            d.messages(c.shop_channel).into_iter().find(|m| {
                m["id"] == reposted["id"]
                    && m.to_string().contains("Week, 10 GB")
                    && m.to_string().contains("99.50 EGP")
            })
        })
        .await;
    assert_eq!(
        stage
            .discord
            .messages(c.shop_channel)
            .iter()
            .filter(|m| m.to_string().contains("shop:buy"))
            .count(),
        1,
        "one panel"
    );
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coupon_lowers_the_price_and_an_unknown_one_is_refused_politely() {
    let stage = stage().await;
    let c = &stage.cast;
    let config = sub(
        "config",
        &[
            ("kind", json!("pricing")),
            ("settings", json!("coupon.WELCOME = percent=20")),
        ],
    );
    assert!(
        stage
            .command(c.admin, "policy", config, None)
            .await
            .contains("1 setting(s)")
    );

    let token = stage.discord.click(c.shopper, &stage.buy_button());
    stage.answer(&token).await;
    let coupon = stage
        .discord
        .find_in_answer(&token, "shop:coupon")
        .expect("a coupon button");
    let token = stage.discord.click(c.shopper, &coupon);
    stage.answer(&token).await;
    assert_eq!(
        stage.discord.interaction(&token).unwrap().kind(),
        Some(9),
        "a modal asks for the code"
    );

    let token = stage.discord.submit_modal(
        c.shopper,
        c.shop_channel,
        "coupon-modal",
        &[("code", "NOPE")],
    );
    assert_eq!(stage.answer(&token).await, "Unknown coupon NOPE.");

    let token = stage.discord.submit_modal(
        c.shopper,
        c.shop_channel,
        "coupon-modal",
        &[("code", "welcome")],
    );
    let said = stage.answer(&token).await;
    assert!(said.contains("Month, 50 GB — 200.00 EGP"), "{said}");
    let picker = stage.discord.find_in_answer(&token, "plan:").unwrap();
    let (_, said) = stage
        .order_opened(&stage.discord.select(c.shopper, &picker, &["month-50gb"]))
        .await;
    let order = stage
        .shop()
        .order_by_code(order_code(&said).unwrap())
        .await
        .unwrap()
        .order;
    assert_eq!(order.quote.total.to_string(), "200.00 EGP");
    assert!(
        order
            .quote
            .adjustments
            .iter()
            .any(|a| a.label == "Coupon WELCOME (-20%)"),
        "{:?}",
        order.quote.adjustments
    );
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provisioning_that_keeps_failing_alerts_the_admins_and_retry_finishes_it() {
    let shop = nebula_bot::config::ShopSection {
        outbox_max_attempts: 2,
        ..Default::default()
    };
    let stage = Stage::start_with(shop).await.unwrap();
    let c = &stage.cast;
    let (channel, code) = pay(&stage, c.shopper, "panel-down").await;
    stage
        .panel
        .set_fault(nebula_gateway::sim::Fault::ServerError);
    let review = stage.review_of(&code).await;
    stage
        .answer(&stage.click_review(c.admin, &review, "approve:"))
        .await;

    // The first attempt fails; the second, after the back-off, fails too and gives up.
    let started = std::time::Instant::now();
    let alert = loop {
        let found = stage
            .discord
            .messages(c.review_channel)
            .into_iter()
            // (A health alert about the failing panel may come too; this one names the order.)
            .find(|m| m.to_string().contains("Needs attention") && m.to_string().contains(&code));
        if let Some(alert) = found {
            break alert;
        }
        assert!(
            started.elapsed() < PATIENCE,
            "no alert; the review channel holds {:?}",
            stage.discord.messages(c.review_channel)
        );
        stage.clock.advance(SignedDuration::from_secs(5));
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(alert.to_string().contains(&code), "{alert}");
    assert_eq!(stage.panel.client_count(), 0);
    assert!(matches!(
        state_of(&stage, &code).await,
        State::Failed { .. }
    ));

    // The panel is back. The health job (every 5 minutes) may have marked the server down
    // while it failed; once it sees it answer again, an admin presses Retry and the shopper
    // gets the link.
    // A health run that began while the panel still failed may still be going when the clock
    // moves; a check made after the repair must say the server is up.
    stage.panel.set_fault(nebula_gateway::sim::Fault::None);
    let repaired = stage.clock.now();
    let five_minutes = SignedDuration::from_mins(5);
    stage
        .advance_until(
            "the health job to see the server again",
            five_minutes,
            five_minutes,
            async |stage: &Stage| {
                let health = stage.shop().server_health().await.unwrap();
                (!health.is_empty() && health.iter().all(|(_, h)| h.up && h.checked_at > repaired))
                    .then_some(())
            },
        )
        .await;
    let retry = stage
        .discord
        .find_component(c.review_channel, "retry:")
        .expect("a Retry button");
    let token = stage.discord.click(c.admin, &retry);
    assert!(
        stage
            .answer(&token)
            .await
            .starts_with(&format!("Trying order **{code}** again."))
    );
    stage.wait_message(channel, "Your access is ready").await;
    assert_eq!(stage.panel.client_count(), 1);
    discord_took_everything(&stage);
    stage.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_behind_external_proxies_hands_out_every_link() {
    let stage = stage().await;
    let c = &stage.cast;
    // The operator put the server's inbound behind two external proxies in the panel.
    let mut inbound = nebula_gateway::sim::reality_inbound(1, "main", 443);
    inbound["streamSettings"]["externalProxy"] = json!([
        {"forceTls": "same", "dest": "cdn-a.vpn.example", "port": 443, "remark": "A"},
        {"forceTls": "same", "dest": "cdn-b.vpn.example", "port": 8443, "remark": "B"},
    ]);
    stage.panel.add_inbound(inbound);
    let (channel, code) = pay(&stage, c.shopper, "proxies").await;
    let review = stage.review_of(&code).await;
    stage
        .answer(&stage.click_review(c.admin, &review, "approve:"))
        .await;
    let access = stage.wait_message(channel, "Your access is ready").await;
    let text = access.to_string();
    assert!(
        text.contains("@cdn-a.vpn.example:443?") && text.contains("@cdn-b.vpn.example:8443?"),
        "{text}"
    );
    assert!(
        link_in(&access).contains("@cdn-a.vpn.example:443?"),
        "the first link first"
    );
    // My subscriptions shows them too.
    let token = stage.discord.click(
        c.shopper,
        &stage
            .discord
            .find_component(c.shop_channel, "shop:subs")
            .unwrap(),
    );
    stage.answer(&token).await;
    let mine = stage
        .discord
        .interaction(&token)
        .unwrap()
        .data()
        .unwrap()
        .to_string();
    assert!(mine.contains("@cdn-b.vpn.example:8443?"), "{mine}");
    discord_took_everything(&stage);
    stage.stop().await;
}

/// Buys the plan `long` and pays by the method `bank`; returns (order channel, code).
async fn buy_long_and_pay(stage: &Stage, seed: &str) -> (u64, String) {
    let shopper = stage.cast.shopper;
    let buy = stage.discord.click(shopper, &stage.buy_button());
    stage.answer(&buy).await;
    let picker = stage.discord.find_in_answer(&buy, "plan").unwrap();
    let (channel, said) = stage
        .order_opened(&stage.discord.select(shopper, &picker, &["long"]))
        .await;
    let code = order_code(&said).unwrap();
    stage.wait_button(channel, "method:").await;
    let method = stage
        .discord
        .messages(channel)
        .into_iter()
        .find_map(|m| {
            let id = m["components"]
                .as_array()?
                .iter()
                .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
                .find_map(|b| {
                    b["custom_id"]
                        .as_str()
                        .filter(|id| id.ends_with(":bank"))
                        .map(str::to_owned)
                })?;
            Some(nebula_bot::fake::Found {
                channel,
                message: m,
                custom_id: id,
            })
        })
        .expect("the bank method's button");
    stage.answer(&stage.discord.click(shopper, &method)).await;
    stage.wait_message(channel, "IBAN").await;
    stage.upload_screenshot(shopper, channel, seed);
    stage.wait_message(channel, "under review").await;
    (channel, code)
}

/// A text of exactly `n` characters, wide ones included (Discord counts characters).
fn longest(n: usize, seed: &str) -> String {
    seed.chars().cycle().take(n).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_longest_names_and_texts_the_shop_accepts_fit_what_discord_takes() {
    let stage = stage().await;
    let c = &stage.cast;
    // The longest the engine accepts: plan names and method labels of 80 characters,
    // instructions of 2000 (with both placeholders), a 32-character region, a server name of 80.
    let plan_name = longest(80, "Ünlimited 🚀 month ");
    let label = longest(80, "Bank transfer (Ğaranti) ");
    let instructions = format!(
        "Pay {{amount}} for {{order}}. {}",
        longest(2000 - 26, "IBAN TR00 0000 0000 0000 0000 0000 00; ")
    );
    assert_eq!(instructions.chars().count(), 2000);
    let said = stage
        .command(
            c.admin,
            "plan",
            sub(
                "add",
                &[
                    ("id", json!("long")),
                    ("name", json!(plan_name)),
                    ("days", json!(3660)),
                    ("traffic_gb", json!(0)),
                    ("devices", json!(1000)),
                    ("price", json!("99999999.99 EGP")),
                    ("sort", json!(0)),
                ],
            ),
            None,
        )
        .await;
    assert!(said.starts_with("Added plan"), "{said}");
    let said = stage
        .command(
            c.admin,
            "method",
            sub(
                "add",
                &[
                    ("id", json!("bank")),
                    ("label", json!(label)),
                    ("kind", json!("bank_transfer")),
                    ("instructions", json!(instructions)),
                ],
            ),
            None,
        )
        .await;
    assert!(said.starts_with("Added payment method"), "{said}");
    let gateway_url = format!("http://{}", stage.gateway.addr);
    let said = stage
        .command(
            c.admin,
            "server",
            sub(
                "add",
                &[
                    ("id", json!("far-away")),
                    ("name", json!(longest(80, "Sydney, Australia (backup) "))),
                    ("region", json!(longest(32, "oceania-"))),
                    ("gateway_url", json!(gateway_url)),
                    ("key_id", json!(nebula_bot::demo::KEY_ID)),
                    ("inbound_id", json!(1)),
                    (
                        "public_host",
                        json!(format!("{}.example", longest(240, "a"))),
                    ),
                    ("capacity", json!(1_000_000)),
                ],
            ),
            None,
        )
        .await;
    assert!(said.starts_with("Added server"), "{said}");

    // A shopper buys the long plan and pays by the long method; an admin declines it with the
    // longest reason; the shopper pays again, and it is approved.
    let (channel, code) = buy_long_and_pay(&stage, "long").await;
    let review = stage.review_of(&code).await;
    stage
        .answer(&stage.click_review(c.admin, &review, "decline:"))
        .await;
    let order = nebula_bot::demo::review_order(&review);
    let reason = longest(500, "The reference does not match our statement ✗ ");
    let token = stage.discord.submit_modal(
        c.admin,
        c.review_channel,
        &format!("decline-modal:{order}"),
        &[("reason", &reason)],
    );
    assert!(stage.answer(&token).await.starts_with("Declined order"));
    stage.wait_message(channel, "Payment declined").await;
    let (channel, code) = buy_long_and_pay(&stage, "again").await;
    let review = stage.review_of(&code).await;
    stage
        .answer(&stage.click_review(c.admin, &review, "approve:"))
        .await;
    stage.wait_message(channel, "Your access is ready").await;

    // My subscriptions, with a Renew button for the long plan.
    let token = stage.discord.click(
        c.shopper,
        &stage
            .discord
            .find_component(c.shop_channel, "shop:subs")
            .unwrap(),
    );
    stage.answer(&token).await;
    // What admins read about them.
    for (command, options) in [
        ("plan", sub("list", &[])),
        ("method", sub("list", &[])),
        ("server", sub("list", &[])),
        ("order", sub("view", &[("code", json!(code))])),
        ("stats", json!([])),
    ] {
        let said = stage.command(c.admin, command, options, None).await;
        assert!(!said.is_empty(), "/{command}");
    }
    discord_took_everything(&stage);
    stage.stop().await;
}

/// The same text posted twice in one place: what a shopper or an admin would see doubled.
fn doubled(messages: &[Value]) -> Vec<String> {
    let mut seen = std::collections::HashMap::new();
    for m in messages {
        let text = nebula_bot::demo::describe(m);
        *seen.entry(text).or_insert(0) += 1;
    }
    seen.into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|(text, n)| format!("{n}× {text}"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discord_losing_its_answers_never_makes_the_shop_post_or_open_twice() {
    use nebula_bot::fake::{AfterWrite, Write};
    let stage = stage().await;
    let c = &stage.cast;
    // Discord makes the channel or the message, and its edge then loses the answer (a 502):
    // the first time for every place the shop writes to. The shop retries, as it must.
    let lost = std::sync::Mutex::new(std::collections::HashSet::new());
    stage.discord.after_write(move |write: &Write| {
        if lost.lock().unwrap().insert(format!("{write:?}")) {
            AfterWrite::LoseAnswer
        } else {
            AfterWrite::Answer
        }
    });
    // The retries' back-off runs on the shop's clock.
    let clock = stage.clock.clone();
    let ticking = tokio::spawn(async move {
        loop {
            clock.advance(SignedDuration::from_secs(5));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });

    let (channel, code) = pay(&stage, c.shopper, "lost-answers").await;
    let review = stage.review_of(&code).await;
    let token = stage.click_review(c.admin, &review, "approve:");
    assert!(stage.answer(&token).await.starts_with("Approved order"));
    stage.wait_message(channel, "Your access is ready").await;
    stage
        .discord
        .wait_for("the access DM", PATIENCE, |d| {
            d.dms_to(c.shopper)
                .into_iter()
                .find(|m| m.to_string().contains("vless://"))
        })
        .await;
    ticking.abort();

    let channels: Vec<String> = stage
        .discord
        .channels_in(c.category)
        .into_iter()
        .filter(|ch| !ch.deleted)
        .map(|ch| ch.name)
        .collect();
    assert_eq!(channels, [format!("order-{}", code.to_ascii_lowercase())]);
    for (place, messages) in [
        ("the order channel", stage.discord.messages(channel)),
        (
            "the review channel",
            stage.discord.messages(c.review_channel),
        ),
        ("the shopper's DMs", stage.discord.dms_to(c.shopper)),
    ] {
        assert_eq!(doubled(&messages), Vec::<String>::new(), "in {place}");
    }
    assert_eq!(stage.panel.client_count(), 1);
    discord_took_everything(&stage);
    stage.stop().await;
}
