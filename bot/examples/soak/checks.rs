//! The invariants, checked from outside: the database as the next start opens it (read while
//! the shop is dead: one process owns the file), the fake Discord's record of what was posted,
//! the panel's clients, the payment simulator's invoices.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use nebula_bot::demo::describe;
use nebula_bot::discord::effects::refs;
use nebula_engine::clock::SystemClock;
use nebula_engine::ids::UserId;
use nebula_engine::order::StateKind;
use nebula_engine::policy::NativePolicies;
use nebula_engine::shop::{EventRecord, OrderRecord};
use nebula_engine::subscription::SubscriptionStatus;
use nebula_engine::{Settings, Shop};

use crate::actors::Seen;
use crate::world::World;

/// Each invariant the soak holds the shop to, in the table's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Invariant {
    /// The database opens after every kill.
    Opens,
    /// Every order a shopper was told about is still there.
    OrdersKept,
    /// Every approved or paid order is fulfilled, with exactly one provisioning.
    FulfilledOnce,
    /// Every approval an admin was told about is in the order's history.
    ApprovalsKept,
    /// One panel client per live subscription, none without one.
    OneClientEach,
    /// No message the shop records (panel, review, access, order channel, DM) is posted twice.
    PostedOnce,
    /// At most one invoice (BTCPay) or Checkout Session (Stripe) per order.
    OneInvoiceEach,
    /// An order's channel leads back to the order (the screenshot handler's way in).
    ChannelsKnown,
    /// The outbox drains once the kills stop.
    Drains,
    /// Every shopper got through (or was declined) and their subscription URL was served.
    Served,
}

impl Invariant {
    pub const ALL: [Invariant; 10] = [
        Invariant::Opens,
        Invariant::OrdersKept,
        Invariant::FulfilledOnce,
        Invariant::ApprovalsKept,
        Invariant::OneClientEach,
        Invariant::PostedOnce,
        Invariant::OneInvoiceEach,
        Invariant::ChannelsKnown,
        Invariant::Drains,
        Invariant::Served,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Invariant::Opens => "database opens",
            Invariant::OrdersKept => "orders kept",
            Invariant::FulfilledOnce => "fulfilled exactly once",
            Invariant::ApprovalsKept => "approvals kept",
            Invariant::OneClientEach => "one panel client each",
            Invariant::PostedOnce => "posted once",
            Invariant::OneInvoiceEach => "one invoice each",
            Invariant::ChannelsKnown => "channels known both ways",
            Invariant::Drains => "outbox drains",
            Invariant::Served => "shoppers served",
        }
    }
}

/// What the checks found wrong.
#[derive(Default, Debug)]
pub struct Findings(pub Vec<(Invariant, String)>);

impl Findings {
    /// Records a violation once, however many checks see it again.
    pub fn add(&mut self, invariant: Invariant, detail: String) {
        if !self.0.iter().any(|(i, d)| *i == invariant && *d == detail) {
            self.0.push((invariant, detail));
        }
    }
}

/// Opens the database as a restarted shop would (the shop must be dead).
pub async fn open(world: &World) -> Result<Shop, String> {
    Shop::open(
        &world.database,
        Arc::new(NativePolicies::default()),
        Arc::new(SystemClock),
        Settings::default(),
    )
    .await
    .map_err(|e| e.to_string())
}

/// Closes a database opened by [`open`], and waits until its writer let go of the file.
pub async fn close(shop: Shop) {
    drop(shop);
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Every order of the trial's shoppers, with its history.
async fn orders(
    shop: &Shop,
    world: &World,
) -> Result<Vec<(OrderRecord, Vec<EventRecord>)>, String> {
    let mut out = Vec::new();
    for &shopper in &world.shoppers {
        for record in shop
            .orders_of(UserId(shopper))
            .await
            .map_err(|e| e.to_string())?
        {
            out.push(
                shop.order_history(record.order.id)
                    .await
                    .map_err(|e| e.to_string())?,
            );
        }
    }
    Ok(out)
}

fn count(events: &[EventRecord], name: &str) -> usize {
    events.iter().filter(|e| e.name == name).count()
}

/// What must hold at any moment the shop is dead: after each kill.
pub async fn after_kill(world: &World, seen: &Seen, findings: &mut Findings) -> Option<Shop> {
    let shop = match open(world).await {
        Ok(shop) => shop,
        Err(e) => {
            findings.add(Invariant::Opens, e);
            return None;
        }
    };
    match orders(&shop, world).await {
        Ok(all) => {
            let codes: HashMap<String, &(OrderRecord, Vec<EventRecord>)> =
                all.iter().map(|o| (o.0.order.code(), o)).collect();
            for (shopper, code) in &seen.orders {
                if !codes.contains_key(code) {
                    findings.add(
                        Invariant::OrdersKept,
                        format!("shopper {shopper} was told of order {code}; it is gone"),
                    );
                }
            }
            for (record, events) in &all {
                if count(events, "provisioned") > 1 {
                    findings.add(
                        Invariant::FulfilledOnce,
                        format!("order {} was provisioned twice", record.order.code()),
                    );
                }
                channel_known(&shop, record, findings).await;
            }
        }
        Err(e) => findings.add(Invariant::Opens, format!("reading the orders: {e}")),
    }
    posted_once(world, findings);
    Some(shop)
}

/// An order's recorded channel must lead back to it, or a screenshot posted there is ignored.
async fn channel_known(shop: &Shop, record: &OrderRecord, findings: &mut Findings) {
    let id = record.order.id;
    let Ok(Some(channel)) = shop.external_ref(refs::order_channel(id)).await else {
        return;
    };
    let back = match channel.parse::<u64>() {
        Ok(c) => shop
            .external_ref(refs::channel_order(c))
            .await
            .ok()
            .flatten(),
        Err(_) => None,
    };
    if back != Some(id.to_string()) {
        findings.add(
            Invariant::ChannelsKnown,
            format!(
                "order {}'s channel {channel} leads to {back:?}",
                record.order.code()
            ),
        );
    }
}

/// Whether the shop has nothing left to do now: no order half way, no effect waiting.
pub async fn settled(shop: &Shop, world: &World) -> Result<bool, String> {
    let busy = orders(shop, world)
        .await?
        .iter()
        .any(|(r, _)| r.state.kind() == StateKind::Provisioning);
    let next = shop.next_effect_due().await.map_err(|e| e.to_string())?;
    // Rows scheduled well ahead (closing a channel days later) are not work left undone.
    let later = jiff::Timestamp::now() + jiff::SignedDuration::from_mins(10);
    Ok(!busy && next.is_none_or(|at| at > later))
}

/// What must hold once the kills stopped and the shop settled.
pub async fn at_end(shop: &Shop, world: &World, seen: &Seen, findings: &mut Findings) {
    let all = match orders(shop, world).await {
        Ok(all) => all,
        Err(e) => {
            findings.add(Invariant::Opens, format!("reading the orders: {e}"));
            return;
        }
    };
    for (record, events) in &all {
        let code = record.order.code();
        let paid = count(events, "approve") > 0 || count(events, "payment_received") > 0;
        let provisioned = count(events, "provisioned");
        if paid && (record.state.kind() != StateKind::Fulfilled || provisioned != 1) {
            findings.add(
                Invariant::FulfilledOnce,
                format!(
                    "order {code} was paid or approved, and is {:?} with {provisioned} provisionings",
                    record.state.kind()
                ),
            );
        }
        let id = record.order.id.to_string();
        if seen.approved.contains(&id) && count(events, "approve") == 0 {
            findings.add(
                Invariant::ApprovalsKept,
                format!("an admin was told order {code} is approved; its history has no approval"),
            );
        }
        if seen.declined.contains(&id) && count(events, "decline") == 0 {
            findings.add(
                Invariant::ApprovalsKept,
                format!("an admin was told order {code} is declined; its history has no decline"),
            );
        }
        let invoices = world.pay.invoices_of(&id).len();
        let sessions = world.pay.sessions_of(&id).len();
        if invoices + sessions > 1 {
            findings.add(
                Invariant::OneInvoiceEach,
                format!(
                    "order {code} has {invoices} BTCPay invoices and {sessions} Stripe sessions"
                ),
            );
        }
    }
    // Each fulfilment sends the shopper at most one DM with the access.
    for &shopper in &world.shoppers {
        let fulfilled = all
            .iter()
            .filter(|(r, _)| {
                r.order.shopper == UserId(shopper) && r.state.kind() == StateKind::Fulfilled
            })
            .count();
        let dms = world
            .discord
            .dms_to(shopper)
            .iter()
            .filter(|m| describe(m).contains("Your access is"))
            .count();
        if dms > fulfilled {
            findings.add(
                Invariant::PostedOnce,
                format!("shopper {shopper} got {dms} access DMs for {fulfilled} fulfilled orders"),
            );
        }
    }
    clients(shop, world, findings).await;
    posted_once(world, findings);
    for trouble in &seen.troubles {
        findings.add(Invariant::Served, trouble.clone());
    }
}

/// The panel's clients against the live subscriptions: the same emails, each once.
async fn clients(shop: &Shop, world: &World, findings: &mut Findings) {
    let mut expected: BTreeMap<String, i64> = BTreeMap::new();
    for &shopper in &world.shoppers {
        match shop.subscriptions_of(UserId(shopper)).await {
            Ok(subs) => {
                for s in subs
                    .into_iter()
                    .filter(|s| s.status != SubscriptionStatus::Deleted)
                {
                    *expected.entry(s.client_email).or_default() += 1;
                }
            }
            Err(e) => findings.add(Invariant::Opens, format!("reading subscriptions: {e}")),
        }
    }
    let held = match world.panel.clients().await {
        Ok(held) => held,
        Err(e) => {
            findings.add(Invariant::OneClientEach, format!("asking the panel: {e}"));
            return;
        }
    };
    let mut on_panel: BTreeMap<String, i64> = BTreeMap::new();
    for email in held {
        *on_panel.entry(email).or_default() += 1;
    }
    for (email, n) in &on_panel {
        match expected.get(email) {
            None => findings.add(
                Invariant::OneClientEach,
                format!("the panel holds {email} ({n}×), which no subscription has"),
            ),
            Some(m) if m != n => findings.add(
                Invariant::OneClientEach,
                format!("the panel holds {email} {n}×; subscriptions have it {m}×"),
            ),
            _ => {}
        }
    }
    for email in expected.keys().filter(|e| !on_panel.contains_key(*e)) {
        findings.add(
            Invariant::OneClientEach,
            format!("subscription client {email} is not on the panel"),
        );
    }
}

/// The bot's messages in a channel whose text has `needle`.
fn bot_posts(world: &World, channel: u64, needle: &str) -> usize {
    let bot = world.discord.bot_id().to_string();
    world
        .discord
        .messages(channel)
        .iter()
        .filter(|m| m["author"]["id"].as_str() == Some(&bot) && describe(m).contains(needle))
        .count()
}

/// Messages the shop records it posted, each posted once (what Discord shows the people).
pub fn posted_once(world: &World, findings: &mut Findings) {
    let c = &world.cast;
    let d = &world.discord;
    let mut twice = |what: String, n: usize| {
        if n > 1 {
            findings.add(Invariant::PostedOnce, format!("{what} posted {n}×"));
        }
    };
    let bot = d.bot_id().to_string();
    let panels = d
        .messages(c.shop_channel)
        .iter()
        .filter(|m| m["author"]["id"].as_str() == Some(&bot) && m.to_string().contains("shop:buy"))
        .count();
    twice("the shop panel".into(), panels);
    let mut reviews: BTreeMap<String, usize> = BTreeMap::new();
    for m in d.messages(c.review_channel) {
        if m["author"]["id"].as_str() == Some(&bot)
            && let Some(code) = nebula_bot::demo::order_code(&describe(&m))
            && m.to_string().contains("approve:")
        {
            *reviews.entry(code).or_default() += 1;
        }
    }
    for (code, n) in reviews {
        twice(format!("the review of {code}"), n);
    }
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for channel in d.channels_in(c.category) {
        *names.entry(channel.name.clone()).or_default() += 1;
        let id = channel.id;
        let name = &channel.name;
        twice(
            format!("{name}'s summary"),
            d.messages(id)
                .iter()
                .filter(|m| {
                    m["author"]["id"].as_str() == Some(&bot) && m.to_string().contains("method:")
                })
                .count(),
        );
        for title in [
            "Your access is ready",
            "Your access is renewed",
            "Under review",
            "Payment declined",
        ] {
            twice(format!("{name}'s \"{title}\""), bot_posts(world, id, title));
        }
    }
    for (name, n) in names {
        twice(format!("channel {name}"), n);
    }
}
