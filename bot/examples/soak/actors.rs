//! The people: shoppers who take the trial, buy and renew (with a screenshot, through BTCPay or
//! Stripe Checkout) and an admin
//! who reviews, each acting through the fake Discord as a person would while the shop dies
//! under them: an action that gets no answer is tried again, as a person clicks again.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use nebula_bot::demo::{custom_id_in, describe, order_code, review_order, sub_url_in};
use nebula_bot::fake::{FakeDiscord, Found};
use nebula_payments::sim::SimPay;
use serde_json::Value;

/// How long a person waits for an answer before clicking again (Discord itself gives up on
/// an interaction after three seconds).
const PATIENCE: Duration = Duration::from_secs(6);
/// How long a shopper keeps at one purchase before giving up.
const STAMINA: Duration = Duration::from_secs(240);

/// What the people saw, for the checks.
#[derive(Default, Debug, Clone)]
pub struct Seen {
    /// (shopper, order code) of every order a shopper was told about.
    pub orders: Vec<(u64, String)>,
    /// Order ids an admin was told are approved.
    pub approved: HashSet<String>,
    /// Order ids an admin was told are declined.
    pub declined: HashSet<String>,
    /// Purchases a shopper saw through: (shopper, order code, renewal).
    pub fulfilled: Vec<(u64, String, bool)>,
    /// What went wrong for a person: a purchase given up, a subscription URL not served.
    pub troubles: Vec<String>,
}

pub type Log = Arc<Mutex<Seen>>;

fn log(seen: &Log) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(|e| e.into_inner())
}

/// Acts until `done` finds what the person waits for: acts at once, then again whenever
/// `patience` passed without it (or a second after an action that could not be taken).
async fn persist<T>(
    what: &str,
    deadline: Instant,
    patience: Duration,
    mut act: impl FnMut() -> Result<(), String>,
    mut done: impl FnMut() -> Option<T>,
) -> Result<T, String> {
    let mut next = Instant::now();
    loop {
        if let Some(found) = done() {
            return Ok(found);
        }
        let now = Instant::now();
        if now > deadline {
            return Err(format!("gave up on {what}"));
        }
        if now >= next {
            next = match act() {
                Ok(()) => now + patience,
                Err(_) => now + Duration::from_secs(1),
            };
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The answer to an interaction, once there is one (a deferred one once edited).
fn answer(d: &FakeDiscord, token: &str) -> Option<Value> {
    let log = d.interaction(token)?;
    if log.callbacks.is_empty() || (log.kind() == Some(5) && log.edited.is_none()) {
        return None;
    }
    Some(log.data().unwrap_or_default())
}

/// Sends an interaction until it is answered with what `got` looks for.
pub async fn interact<T>(
    d: &FakeDiscord,
    what: &str,
    deadline: Instant,
    send: impl Fn() -> Result<String, String>,
    got: impl Fn(&Value, &str) -> Option<T>,
) -> Result<T, String> {
    let tokens = Mutex::new(Vec::<String>::new());
    persist(
        what,
        deadline,
        PATIENCE,
        || {
            let token = send()?;
            tokens.lock().unwrap_or_else(|e| e.into_inner()).push(token);
            Ok(())
        },
        || {
            tokens
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .iter()
                .rev()
                .find_map(|t| answer(d, t).and_then(|a| got(&a, t)))
        },
    )
    .await
}

/// A bot message in a channel whose text has `needle`.
fn bot_message(d: &FakeDiscord, channel: u64, needle: &str) -> Option<Value> {
    let bot = d.bot_id().to_string();
    d.messages(channel)
        .into_iter()
        .rev()
        .find(|m| m["author"]["id"].as_str() == Some(&bot) && describe(m).contains(needle))
}

/// The trial plan the operator adds (`demo::trial_plan`).
pub const TRIAL_PLAN: &str = "trial-3d";

/// How a shopper pays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pay {
    Screenshot,
    Btcpay,
    Stripe,
    /// The free trial: nothing to pay, no review.
    Trial,
}

pub struct Shopper {
    pub id: u64,
    pub d: Arc<FakeDiscord>,
    pub pay: Arc<SimPay>,
    pub shop_channel: u64,
    pub category: u64,
    pub seen: Log,
}

impl Shopper {
    /// One purchase, a renewal if the shopper has something to renew; records what came of it.
    pub async fn purchase(&self, renew: bool, paying: Pay, attempt: &str) {
        if let Err(trouble) = self.try_purchase(renew, paying, attempt).await {
            log(&self.seen)
                .troubles
                .push(format!("shopper {}: {trouble}", self.id));
        }
    }

    async fn try_purchase(&self, renew: bool, paying: Pay, attempt: &str) -> Result<(), String> {
        let deadline = Instant::now() + STAMINA;
        let code = if renew {
            self.open_renewal(deadline).await?
        } else {
            let plan = if paying == Pay::Trial {
                TRIAL_PLAN
            } else {
                "month-50gb"
            };
            self.open_order(plan, deadline).await?
        };
        log(&self.seen).orders.push((self.id, code.clone()));
        let channel = self.order_channel(&code, deadline).await?;
        match paying {
            Pay::Screenshot => self.pay_by_screenshot(channel, deadline, attempt).await?,
            Pay::Btcpay | Pay::Stripe => self.pay_automatically(channel, paying, deadline).await?,
            Pay::Trial => {}
        }
        let title = if renew {
            "Your access is renewed"
        } else {
            "Your access is ready"
        };
        let outcome = persist(
            "the outcome",
            deadline,
            PATIENCE,
            || Ok(()),
            || {
                bot_message(&self.d, channel, title)
                    .map(Some)
                    .or_else(|| bot_message(&self.d, channel, "Payment declined").map(|_| None))
            },
        )
        .await?;
        let Some(access) = outcome else {
            return Ok(());
        };
        log(&self.seen).fulfilled.push((self.id, code, renew));
        let url = sub_url_in(&access).ok_or("no subscription URL in the access message")?;
        self.fetch_subscription(&url).await
    }

    async fn open_order(&self, plan: &str, deadline: Instant) -> Result<String, String> {
        let d = &self.d;
        let picker = interact(
            d,
            "Buy access",
            deadline,
            || {
                let buy = d
                    .find_component(self.shop_channel, "shop:buy")
                    .ok_or("no shop panel")?;
                d.try_click(self.id, &buy)
            },
            |_, token| d.find_in_answer(token, "plan"),
        )
        .await?;
        interact(
            d,
            "choosing the plan",
            deadline,
            || d.try_select(self.id, &picker, &[plan]),
            |a, _| order_code(&describe(a)),
        )
        .await
    }

    async fn open_renewal(&self, deadline: Instant) -> Result<String, String> {
        let d = &self.d;
        let renew = interact(
            d,
            "My subscriptions",
            deadline,
            || {
                let subs = d
                    .find_component(self.shop_channel, "shop:subs")
                    .ok_or("no shop panel")?;
                d.try_click(self.id, &subs)
            },
            |_, token| d.find_in_answer(token, "renew:"),
        )
        .await?;
        interact(
            d,
            "Renew",
            deadline,
            || d.try_click(self.id, &renew),
            |a, _| order_code(&describe(a)),
        )
        .await
    }

    /// The order's channel, as the shopper finds it in the server's channel list.
    async fn order_channel(&self, code: &str, deadline: Instant) -> Result<u64, String> {
        let name = format!("order-{}", code.to_ascii_lowercase());
        persist(
            "the order channel",
            deadline,
            PATIENCE,
            || Ok(()),
            || {
                self.d
                    .channels_in(self.category)
                    .into_iter()
                    .find(|c| c.name == name && !c.deleted)
                    .map(|c| c.id)
            },
        )
        .await
    }

    /// The method button for `method` once the order's summary is posted.
    async fn method_button(
        &self,
        channel: u64,
        method: &str,
        deadline: Instant,
    ) -> Result<(String, Found), String> {
        persist(
            "the payment methods",
            deadline,
            PATIENCE,
            || Ok(()),
            || {
                let first = self.d.find_component(channel, "method:")?;
                let order = first.custom_id.split(':').nth(1)?.to_owned();
                let found = self
                    .d
                    .find_component(channel, &format!("method:{order}:{method}"))?;
                Some((order, found))
            },
        )
        .await
    }

    async fn choose(
        &self,
        channel: u64,
        method: &str,
        then: &str,
        deadline: Instant,
    ) -> Result<String, String> {
        let (order, button) = self.method_button(channel, method, deadline).await?;
        persist(
            "choosing the method",
            deadline,
            Duration::from_secs(15),
            || self.d.try_click(self.id, &button).map(|_| ()),
            || bot_message(&self.d, channel, then),
        )
        .await?;
        Ok(order)
    }

    async fn pay_by_screenshot(
        &self,
        channel: u64,
        deadline: Instant,
        attempt: &str,
    ) -> Result<(), String> {
        self.choose(channel, "wallet", "Pay with", deadline).await?;
        let tries = std::sync::atomic::AtomicU32::new(0);
        persist(
            "sending the screenshot",
            deadline,
            Duration::from_secs(10),
            || {
                let n = tries.fetch_add(1, Ordering::Relaxed);
                let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
                png.extend_from_slice(format!("{attempt}-{n}").as_bytes());
                let file = self.d.attachment("payment.png", "image/png", png);
                self.d
                    .try_post(self.id, channel, "here is my payment", vec![file])
            },
            || bot_message(&self.d, channel, "Under review"),
        )
        .await?;
        Ok(())
    }

    /// Pays at the provider (BTCPay settles the invoice, Stripe completes the session), then
    /// lets it deliver its webhook again until the shop takes it, as both providers retry.
    async fn pay_automatically(
        &self,
        channel: u64,
        paying: Pay,
        deadline: Instant,
    ) -> Result<(), String> {
        let (method, checkout) = match paying {
            Pay::Btcpay => ("btcpay", "with Bitcoin (BTCPay)"),
            _ => ("card", "with Card"),
        };
        let order = self.choose(channel, method, checkout, deadline).await?;
        let opened = persist(
            "the invoice or Checkout Session",
            deadline,
            PATIENCE,
            || Ok(()),
            || match paying {
                Pay::Btcpay => self.pay.invoices_of(&order).first().cloned(),
                _ => self.pay.sessions_of(&order).first().cloned(),
            },
        )
        .await?;
        let paid = match paying {
            Pay::Btcpay => self.pay.settle(&opened).await,
            _ => self.pay.complete(&opened).await,
        };
        let mut delivery = paid.ok_or("the provider could not take the payment")?;
        while delivery.status != Some(200) && Instant::now() < deadline {
            if bot_message(&self.d, channel, "Payment received").is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
            delivery = self.pay.retry(&delivery).await;
        }
        Ok(())
    }

    /// The shopper's app fetches the subscription URL (while the shop may be down: it tries
    /// again, as apps do).
    async fn fetch_subscription(&self, url: &str) -> Result<(), String> {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut last = String::new();
        while Instant::now() < deadline {
            match client
                .get(url)
                .header("user-agent", "v2rayNG/1.10.2")
                .send()
                .await
            {
                Ok(res) if res.status().is_success() => {
                    let body = res.text().await.unwrap_or_default();
                    let links = base64::engine::general_purpose::STANDARD
                        .decode(body.trim())
                        .map(|b| String::from_utf8_lossy(&b).into_owned())
                        .unwrap_or_default();
                    return if links.contains("vless://") {
                        Ok(())
                    } else {
                        Err("the subscription URL served no VLESS link".into())
                    };
                }
                Ok(res) => last = format!("HTTP {}", res.status()),
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        Err(format!("the subscription URL was not served: {last}"))
    }
}

/// An admin who approves what is under review (and declines one in `decline_one_in`), and
/// clicks Retry on alerts, until told to stop.
pub struct Admin {
    pub id: u64,
    pub d: Arc<FakeDiscord>,
    pub review_channel: u64,
    pub decline_one_in: u64,
    pub seed: u64,
    pub seen: Log,
}

impl Admin {
    pub async fn work(&self, stop: Arc<AtomicBool>) {
        let mut handled = HashSet::new();
        let mut retried = HashSet::new();
        while !stop.load(Ordering::Relaxed) {
            let bot = self.d.bot_id().to_string();
            for m in self.d.messages(self.review_channel) {
                if m["author"]["id"].as_str() != Some(&bot) {
                    continue;
                }
                let text = m.to_string();
                if text.contains("\"approve:") {
                    let order = review_order(&m);
                    if !handled.contains(&order) && self.review(&m, &order).await {
                        handled.insert(order);
                    }
                } else if text.contains("\"retry:") {
                    let id = m["id"].as_str().unwrap_or_default().to_owned();
                    if !retried.contains(&id) && self.click(&m, "retry:").await.is_some() {
                        retried.insert(id);
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }

    /// Approves or declines one order; true once the shop answered.
    async fn review(&self, review: &Value, order: &str) -> bool {
        let decline = nebula_common::hex_sha256(format!("{}{order}", self.seed))
            .bytes()
            .map(u64::from)
            .sum::<u64>()
            % self.decline_one_in
            == 0;
        if !decline {
            let Some(said) = self.click(review, "approve:").await else {
                return false;
            };
            if said.contains("Approved order") || said.contains("already approved") {
                log(&self.seen).approved.insert(order.to_owned());
            }
            return true;
        }
        if self.click(review, "decline:").await.is_none() {
            return false;
        }
        let Ok(token) = self.d.try_submit_modal(
            self.id,
            self.review_channel,
            &format!("decline-modal:{order}"),
            &[("reason", "The amount on the screenshot is wrong.")],
        ) else {
            return false;
        };
        let Some(said) = self.wait_answer(&token).await else {
            return false;
        };
        if said.contains("Declined") || said.contains("already declined") {
            log(&self.seen).declined.insert(order.to_owned());
        }
        true
    }

    /// Clicks a button of a review-channel message; the answer's text, if one came in time.
    async fn click(&self, message: &Value, prefix: &str) -> Option<String> {
        let custom_id = custom_id_in(message, prefix)?;
        let found = Found {
            channel: self.review_channel,
            message: message.clone(),
            custom_id,
        };
        let token = self.d.try_click(self.id, &found).ok()?;
        self.wait_answer(&token).await
    }

    async fn wait_answer(&self, token: &str) -> Option<String> {
        let until = Instant::now() + PATIENCE;
        while Instant::now() < until {
            if let Some(a) = answer(&self.d, token) {
                return Some(format!("{}{}", describe(&a), a));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }
}
