//! Broadcasts end to end through the real `nebula run` path: `/broadcast` previews who it
//! reaches and how it reads, its button sends it, the DM arrives with an opt-out button, the
//! admin's progress message follows, an opt-out is honoured by the next broadcast, and bad
//! input gets a clear answer.

use nebula_bot::demo::{Stage, order_code};
use serde_json::{Value, json};

fn broadcast(segment: &str, message: &str, extra: &[(&str, Value)]) -> Value {
    let mut options = vec![
        json!({"name": "segment", "type": 3, "value": segment}),
        json!({"name": "message", "type": 3, "value": message}),
    ];
    for (name, value) in extra {
        let kind = if value.is_number() { 4 } else { 3 };
        options.push(json!({"name": name, "type": kind, "value": value}));
    }
    Value::Array(options)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broadcast_is_previewed_sent_followed_and_opted_out_of() {
    let stage = Stage::start().await.expect("the stage starts");
    let c = &stage.cast;
    // Sara buys and is approved (active); Sam opens an order and leaves it.
    let (channel, said) = stage.buy(c.shopper).await;
    let code = order_code(&said).unwrap();
    stage.choose_method(c.shopper, channel).await;
    stage.wait_message(channel, "Pay with Mobile wallet").await;
    stage.upload_screenshot(c.shopper, channel, "broadcast");
    let review = stage.review_of(&code).await;
    let token = stage.click_review(c.admin, &review, "approve:");
    stage.answer(&token).await;
    stage.wait_message(channel, "Your access is ready").await;
    stage.buy(c.other_shopper).await;

    // Bad input: a clear answer each.
    let said = stage
        .command(
            c.admin,
            "broadcast",
            broadcast("expiring", "Renew now", &[]),
            None,
        )
        .await;
    assert!(said.contains("`expiring` needs `days`"), "{said}");
    let said = stage
        .command(
            c.admin,
            "broadcast",
            broadcast("plan", "Hi", &[("plan", json!("no-such-plan"))]),
            None,
        )
        .await;
    assert!(said.contains("There is no plan `no-such-plan`"), "{said}");

    // The preview, then the send.
    let token = stage.discord.command(
        c.admin,
        c.review_channel,
        "broadcast",
        broadcast("active", "New servers in Tokyo this week!", &[]),
        None,
    );
    let preview = stage.answer(&token).await;
    assert!(
        preview.contains("This goes to **1** (shoppers with active access)")
            && preview.contains("New servers in Tokyo this week!"),
        "{preview}"
    );
    let send = stage
        .discord
        .find_in_answer(&token, "broadcast-send:")
        .expect("a send button");
    let sent = stage.discord.click(c.admin, &send);
    assert!(stage.answer(&sent).await.contains("Sending to 1 shoppers"));
    let dm = stage
        .discord
        .wait_for(
            "the broadcast DM",
            std::time::Duration::from_secs(20),
            |d| {
                d.dms_to(c.shopper)
                    .into_iter()
                    .find(|m| m.to_string().contains("New servers in Tokyo"))
            },
        )
        .await;
    assert!(dm.to_string().contains("broadcast-optout"), "{dm}");
    let progress = stage.wait_message(c.review_channel, "Broadcast sent").await;
    assert!(
        progress
            .to_string()
            .contains("1 sent, 0 failed, 0 skipped (opted out), 0 left"),
        "{progress}"
    );
    // Sam has no access: no DM.
    assert!(
        !stage
            .discord
            .dms_to(c.other_shopper)
            .iter()
            .any(|m| m.to_string().contains("Tokyo"))
    );

    // Sara opts out from the DM; the next broadcast to everyone reaches Sam only.
    let dm_channel: u64 = dm["channel_id"].as_str().unwrap().parse().unwrap();
    let opt_out = stage
        .discord
        .find_component(dm_channel, "broadcast-optout")
        .expect("the opt-out button");
    let token = stage.discord.click(c.shopper, &opt_out);
    assert!(
        stage
            .answer(&token)
            .await
            .contains("You won't get announcements from this shop any more")
    );
    let said = stage
        .command(c.admin, "broadcast", broadcast("all", "Sale!", &[]), None)
        .await;
    assert!(
        said.contains("This goes to **1** (every shopper)"),
        "{said}"
    );
    assert_eq!(stage.discord.problems(), Vec::<String>::new());
    stage.stop().await;
}
