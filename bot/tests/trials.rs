//! Trials end to end through the real `nebula run` path: an admin makes a plan a trial with
//! `/plan add … trial:true`, a shopper takes it from Buy access with no payment step and gets
//! the access in the order channel, and a second try is refused with the first order's code.

use nebula_bot::demo::{Stage, order_code, sub};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trial_needs_no_payment_and_comes_once_per_account() {
    let stage = Stage::start().await.expect("the stage starts");
    let c = &stage.cast;
    let said = stage
        .command(c.admin, "plan", nebula_bot::demo::trial_plan(), None)
        .await;
    assert!(said.starts_with("Added plan `trial-3d`"), "{said}");
    // A trial that costs something, or lasts a month, is refused.
    let priced = sub(
        "add",
        &[
            ("id", json!("trial-paid")),
            ("name", json!("Paid trial")),
            ("days", json!(3)),
            ("traffic_gb", json!(1)),
            ("devices", json!(1)),
            ("price", json!("10 EGP")),
            ("trial", json!(true)),
        ],
    );
    let said = stage.command(c.admin, "plan", priced, None).await;
    assert!(said.contains("must be 0 for a trial"), "{said}");

    let pick = |shopper: u64| {
        let stage = &stage;
        async move {
            let token = stage.discord.click(shopper, &stage.buy_button());
            let menu = stage.answer(&token).await;
            assert!(menu.contains("Trial, 3 days — free trial"), "{menu}");
            let picker = stage
                .discord
                .find_in_answer(&token, "plan")
                .expect("a plan picker");
            stage.discord.select(shopper, &picker, &["trial-3d"])
        }
    };
    let token = pick(c.shopper).await;
    let (channel, said) = stage.order_opened(&token).await;
    assert!(said.contains("Your access will appear there"), "{said}");
    let code = order_code(&said).expect("an order code");
    let opened = stage.wait_message(channel, "Your free trial").await;
    assert!(opened.to_string().contains("Nothing to pay"), "{opened}");
    stage.wait_message(channel, "Your access is ready").await;
    assert_eq!(stage.panel.client_count(), 1);

    let again = pick(c.shopper).await;
    let said = stage.answer_where(&again, |s| s.contains("trial")).await;
    assert!(
        said.contains(&format!(
            "You have already had your free trial (order {code})"
        )),
        "{said}"
    );
    assert_eq!(stage.panel.client_count(), 1);
    assert_eq!(stage.discord.problems(), Vec::<String>::new());
    stage.stop().await;
}
