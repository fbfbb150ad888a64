//! Fifty shoppers clicking at once, through the fake Discord and the real serenity client.
//!
//! For three interactions — Help (answered by the bot alone), Buy access (the catalogue, priced
//! by the wasm pricing policy for each shopper) and choosing a plan (a durable engine command
//! that opens an order) — it measures, per interaction, the time from the fake dispatching the
//! gateway event to the bot's first callback (what Discord's three-second limit measures) and
//! to the complete answer (the callback, or the edit of a deferred one). Choosing a plan is
//! answered at once and edited when the order is open (durable): that edit is timed too.
//!
//! The baseline, measured in the same run: the same interactions one shopper at a time. The
//! figures that matter are the ratios burst / one-at-a-time.
//!
//! `cargo bench -p nebula-bot --bench shoppers` (`ROUNDS=n` for more samples).

use std::time::Duration;

use nebula_bot::demo::Stage;
use nebula_bot::fake::Found;

const SHOPPERS: usize = 50;

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Help,
    Buy,
    Pick,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Help => "Help (bot only)",
            Step::Buy => "Buy access (catalogue + wasm pricing)",
            Step::Pick => "choose a plan (opens an order)",
        }
    }
}

#[derive(Default)]
struct Samples {
    callback: Vec<Duration>,
    complete: Vec<Duration>,
    /// The first edit of the answer (for choosing a plan: the order is open).
    edited: Vec<Duration>,
    deferred: usize,
}

impl Samples {
    fn p(v: &[Duration], q: f64) -> Duration {
        let mut v = v.to_vec();
        v.sort();
        v[((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1]
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Waits for every answer, then records its latencies.
async fn collect(stage: &Stage, tokens: &[String], edited: bool, into: &mut Samples) {
    stage
        .discord
        .wait_for("every answer", Duration::from_secs(120), |d| {
            tokens
                .iter()
                .all(|t| {
                    d.interaction(t).is_some_and(|l| {
                        l.completed_at.is_some() && (!edited || l.first_edit_at.is_some())
                    })
                })
                .then_some(())
        })
        .await;
    for t in tokens {
        let log = stage.discord.interaction(t).expect("logged");
        let sent = log.sent_at.expect("sent");
        into.callback
            .push(log.answered_at.expect("answered") - sent);
        into.complete
            .push(log.completed_at.expect("complete") - sent);
        if log.kind() == Some(5) {
            into.deferred += 1;
        }
        if let Some(at) = log.first_edit_at.filter(|_| edited) {
            into.edited.push(at - sent);
        }
        let text = log.text().unwrap_or_default();
        assert!(!text.contains("Sorry"), "an interaction failed: {text}");
    }
}

/// Runs one step for every shopper, all at once or one at a time; returns the tokens.
async fn step(
    stage: &Stage,
    step: Step,
    shoppers: &[u64],
    pickers: &[Option<Found>],
    burst: bool,
    into: &mut Samples,
) -> Vec<String> {
    let help = stage
        .discord
        .find_component(stage.cast.shop_channel, "shop:help")
        .expect("the panel has Help");
    let buy = stage.buy_button();
    let fire = |i: usize| match step {
        Step::Help => stage.discord.click(shoppers[i], &help),
        Step::Buy => stage.discord.click(shoppers[i], &buy),
        Step::Pick => stage.discord.select(
            shoppers[i],
            pickers[i].as_ref().expect("a picker"),
            &["month-50gb"],
        ),
    };
    let mut tokens = Vec::new();
    if burst {
        tokens = (0..shoppers.len()).map(fire).collect();
        collect(stage, &tokens, step == Step::Pick, into).await;
    } else {
        for i in 0..shoppers.len() {
            let token = fire(i);
            collect(
                stage,
                std::slice::from_ref(&token),
                step == Step::Pick,
                into,
            )
            .await;
            tokens.push(token);
        }
    }
    tokens
}

/// Help, Buy access, then a plan, for every shopper.
async fn round(stage: &Stage, shoppers: &[u64], burst: bool, samples: &mut [Samples; 3]) {
    step(stage, Step::Help, shoppers, &[], burst, &mut samples[0]).await;
    let bought = step(stage, Step::Buy, shoppers, &[], burst, &mut samples[1]).await;
    let pickers: Vec<Option<Found>> = bought
        .iter()
        .map(|t| stage.discord.find_in_answer(t, "plan"))
        .collect();
    step(
        stage,
        Step::Pick,
        shoppers,
        &pickers,
        burst,
        &mut samples[2],
    )
    .await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(4);
    let stage = Stage::start().await.expect("the stage starts");
    let shoppers: Vec<u64> = (0..SHOPPERS)
        .map(|i| stage.discord.add_member(&format!("Shopper {i}"), &[], 0))
        .collect();

    // Warm up: the policy instances, the database, serenity's caches.
    let mut scratch = [Samples::default(), Samples::default(), Samples::default()];
    round(&stage, &shoppers[..5], false, &mut scratch).await;

    let mut alone = [Samples::default(), Samples::default(), Samples::default()];
    let mut burst = [Samples::default(), Samples::default(), Samples::default()];
    for _ in 0..rounds {
        round(&stage, &shoppers, false, &mut alone).await;
        round(&stage, &shoppers, true, &mut burst).await;
    }

    println!(
        "{SHOPPERS} shoppers, {rounds} rounds; latency from the interaction event to the bot's answer"
    );
    println!(
        "{:<40} {:>11} {:>11} {:>11} {:>11} {:>9} {:>8}",
        "interaction", "alone p50", "burst p50", "alone p99", "burst p99", "p99 ratio", "deferred"
    );
    for (i, s) in [Step::Help, Step::Buy, Step::Pick].into_iter().enumerate() {
        for (what, a, b) in [
            ("callback", &alone[i].callback, &burst[i].callback),
            ("complete", &alone[i].complete, &burst[i].complete),
            ("order open (edit)", &alone[i].edited, &burst[i].edited),
        ] {
            if b.is_empty() {
                continue;
            }
            let (a50, b50) = (Samples::p(a, 0.5), Samples::p(b, 0.5));
            let (a99, b99) = (Samples::p(a, 0.99), Samples::p(b, 0.99));
            println!(
                "{:<40} {:>11} {:>11} {:>11} {:>11} {:>8.1}x {:>8}",
                format!("{} — {what}", s.name()),
                ms(a50),
                ms(b50),
                ms(a99),
                ms(b99),
                b99.as_secs_f64() / a99.as_secs_f64(),
                if what == "callback" {
                    format!("{}/{}", burst[i].deferred, b.len())
                } else {
                    String::new()
                }
            );
        }
    }
    let worst = burst
        .iter()
        .flat_map(|s| s.callback.iter())
        .max()
        .copied()
        .unwrap_or_default();
    println!(
        "slowest first callback under the burst: {} (Discord's limit: 3000 ms)",
        ms(worst)
    );
    stage.stop().await;
}
