//! What admins read about the shop: stats, exports (CSV and JSON), both computed from one
//! read snapshot. Money stays in minor units per currency; times are UTC.

use std::collections::{BTreeMap, HashMap};

use jiff::{SignedDuration, Timestamp, civil::Date, tz::TimeZone};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use crate::error::ShopError;
use crate::ids::OrderId;
use crate::money::Money;
use crate::order::{Event, OrderKind, ReviewOutcome, State};
use crate::shop::{EventRecord, OrderRecord, Shop};
use crate::store::{self, tables::*};
use crate::subscription::{Subscription, SubscriptionStatus};

/// Sums per currency (a shop may sell in several).
pub type Amounts = BTreeMap<String, Money>;

fn add(amounts: &mut Amounts, m: Money) {
    let entry = amounts
        .entry(m.currency.code().to_owned())
        .or_insert_with(|| Money::zero(m.currency));
    entry.minor = entry.minor.saturating_add(m.minor);
}

/// The stats gathered one order at a time (no database: tests feed it orders).
struct Tally {
    today: Date,
    stats: Stats,
    approved: u64,
    declined: u64,
    reviews: Vec<SignedDuration>,
    daily: BTreeMap<Date, Amounts>,
    plans: HashMap<String, PlanLine>,
}

impl Tally {
    fn new(now: Timestamp) -> Tally {
        Tally {
            today: day(now),
            stats: Stats {
                at: now,
                revenue_today: Amounts::new(),
                revenue_7d: Amounts::new(),
                revenue_30d: Amounts::new(),
                revenue_all: Amounts::new(),
                orders_by_state: BTreeMap::new(),
                approval_permille: None,
                median_review: None,
                active_per_server: BTreeMap::new(),
                top_plans: Vec::new(),
                revenue_by_policy: BTreeMap::new(),
                revenue_by_provider: BTreeMap::new(),
                daily: Vec::new(),
            },
            approved: 0,
            declined: 0,
            reviews: Vec::new(),
            daily: BTreeMap::new(),
            plans: HashMap::new(),
        }
    }

    /// Every order counts by its state and, once decided, for the approval rate.
    fn order(&mut self, record: &OrderRecord) {
        *self
            .stats
            .orders_by_state
            .entry(record.state.name().to_owned())
            .or_insert(0) += 1;
        match record.order.review.as_ref().map(|r| r.outcome) {
            Some(ReviewOutcome::Approved) => self.approved += 1,
            Some(ReviewOutcome::Declined) => self.declined += 1,
            None => {}
        }
    }

    /// A fulfilled order's revenue, on the day it was fulfilled.
    fn fulfilled(&mut self, o: &crate::order::Order, at: Timestamp) {
        let total = o.quote.total;
        let s = &mut self.stats;
        add(&mut s.revenue_all, total);
        let d = day(at);
        let ago = self
            .today
            .since(d)
            .map(|s| s.get_days())
            .unwrap_or(i32::MAX);
        if d == self.today {
            add(&mut s.revenue_today, total);
        }
        if (0..7).contains(&ago) {
            add(&mut s.revenue_7d, total);
        }
        if (0..30).contains(&ago) {
            add(&mut s.revenue_30d, total);
            add(self.daily.entry(d).or_default(), total);
        }
        add(
            s.revenue_by_policy.entry(policy_label(o)).or_default(),
            total,
        );
        add(
            s.revenue_by_provider
                .entry(provider_label(o).to_owned())
                .or_default(),
            total,
        );
        let line = self
            .plans
            .entry(o.plan.id.to_string())
            .or_insert_with(|| PlanLine {
                plan: o.plan.id.to_string(),
                name: o.plan.name.clone(),
                orders: 0,
                revenue: Amounts::new(),
            });
        line.orders += 1;
        add(&mut line.revenue, total);
    }

    fn into_stats(mut self, active_per_server: BTreeMap<String, u64>) -> Stats {
        let mut s = self.stats;
        s.approval_permille = (self.approved * 1000)
            .checked_div(self.approved + self.declined)
            .map(|p| p as u32);
        self.reviews.sort();
        s.median_review = self.reviews.get(self.reviews.len() / 2).copied();
        let mut top: Vec<PlanLine> = self.plans.into_values().collect();
        top.sort_by(|a, b| b.orders.cmp(&a.orders).then(a.plan.cmp(&b.plan)));
        top.truncate(5);
        s.top_plans = top;
        let first_day = self
            .today
            .checked_sub(jiff::Span::new().days(29))
            .unwrap_or(self.today);
        s.daily = first_day
            .series(jiff::Span::new().days(1))
            .take_while(|d| *d <= self.today)
            .map(|d| DayLine {
                day: d,
                revenue: self.daily.remove(&d).unwrap_or_default(),
            })
            .collect();
        s.active_per_server = active_per_server;
        s
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanLine {
    pub plan: String,
    pub name: String,
    pub orders: u64,
    pub revenue: Amounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayLine {
    pub day: Date,
    pub revenue: Amounts,
}

/// The shop at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub at: Timestamp,
    pub revenue_today: Amounts,
    pub revenue_7d: Amounts,
    pub revenue_30d: Amounts,
    pub revenue_all: Amounts,
    pub orders_by_state: BTreeMap<String, u64>,
    /// Approved out of decided, in permille (none before the first decision).
    pub approval_permille: Option<u32>,
    /// From the proof's upload to the admin's decision.
    pub median_review: Option<SignedDuration>,
    pub active_per_server: BTreeMap<String, u64>,
    /// By fulfilled orders, most first.
    pub top_plans: Vec<PlanLine>,
    /// Revenue by the pricing policy (name and hash prefix) that priced it.
    pub revenue_by_policy: BTreeMap<String, Amounts>,
    /// Revenue by who took the money: a provider (`btcpay`, `tron`, `stripe`) or `manual`
    /// (a screenshot an admin approved).
    #[serde(default)]
    pub revenue_by_provider: BTreeMap<String, Amounts>,
    /// The last 30 UTC days, oldest first (for the chart).
    pub daily: Vec<DayLine>,
}

/// One order, flat, for accounting. No secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRow {
    pub id: String,
    pub code: String,
    pub shopper: u64,
    pub kind: String,
    pub state: String,
    pub plan: String,
    pub plan_name: String,
    pub currency: String,
    pub base_minor: i64,
    pub total_minor: i64,
    pub coupon: Option<String>,
    pub pricing_policy: String,
    pub method: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub reviewed_by: Option<u64>,
    pub review: Option<String>,
    pub server: Option<String>,
    pub subscription: Option<String>,
    /// `manual`, or the provider that took the payment.
    #[serde(default)]
    pub provider: String,
    /// The provider's invoice, session or transaction id.
    #[serde(default)]
    pub payment_reference: Option<String>,
}

/// One subscription, flat. The access link is a secret and is never exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionRow {
    pub id: String,
    pub shopper: u64,
    pub plan: String,
    pub plan_name: String,
    pub server: String,
    pub client_email: String,
    pub status: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    /// Empty: unlimited.
    pub traffic_limit_bytes: Option<u64>,
    pub used_bytes: u64,
    pub device_limit: u32,
    pub orders: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
}

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportKind {
    Orders,
    Subscriptions,
}

impl ExportKind {
    pub fn name(self) -> &'static str {
        match self {
            ExportKind::Orders => "orders",
            ExportKind::Subscriptions => "subscriptions",
        }
    }
}

impl std::str::FromStr for ExportKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "orders" => Ok(ExportKind::Orders),
            "subscriptions" => Ok(ExportKind::Subscriptions),
            other => Err(format!("cannot export {other:?}: orders or subscriptions")),
        }
    }
}

/// An encoded export and how many rows it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub bytes: Vec<u8>,
    pub rows: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Shop(#[from] ShopError),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// Writes rows as CSV (a header line, then one line per row) or as a JSON array.
pub fn encode<T: Serialize>(rows: &[T], format: Format) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Json => Ok(serde_json::to_vec_pretty(rows)?),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in rows {
                w.serialize(row)?;
            }
            w.into_inner()
                .map_err(|e| ExportError::Csv(e.into_error().into()))
        }
    }
}

/// Reads back what [`encode`] wrote.
pub fn decode<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    format: Format,
) -> Result<Vec<T>, ExportError> {
    match format {
        Format::Json => Ok(serde_json::from_slice(bytes)?),
        Format::Csv => csv::Reader::from_reader(bytes)
            .deserialize()
            .collect::<Result<Vec<T>, _>>()
            .map_err(Into::into),
    }
}

fn day(t: Timestamp) -> Date {
    t.to_zoned(TimeZone::UTC).date()
}

/// When an order was fulfilled, and the events that matter to the reports.
struct History {
    method: Option<String>,
    proof_at: Option<Timestamp>,
    fulfilled_at: Option<Timestamp>,
}

fn history(events: &[EventRecord]) -> History {
    let mut h = History {
        method: None,
        proof_at: None,
        fulfilled_at: None,
    };
    for e in events {
        match &e.event {
            Some(Event::ChooseMethod { method }) => h.method = Some(method.to_string()),
            Some(Event::SubmitProof { .. }) => h.proof_at = Some(e.at),
            _ => {}
        }
        if e.to == "fulfilled" {
            h.fulfilled_at = Some(e.at);
        }
    }
    h
}

fn events_of(
    table: &impl ReadableTable<(u128, u32), &'static [u8]>,
    id: OrderId,
) -> Result<Vec<EventRecord>, ShopError> {
    let mut out = Vec::new();
    for row in table.range((id.key(), 0)..=(id.key(), u32::MAX))? {
        out.push(store::envelope::decode(ORDER_EVENTS_NAME, row?.1.value())?);
    }
    Ok(out)
}

fn order_row(r: &OrderRecord, h: &History) -> OrderRow {
    let o = &r.order;
    let (server, subscription) = match (&r.state, &o.provision) {
        (State::Fulfilled { subscription }, p) => (
            p.as_ref().map(|p| p.server.to_string()),
            Some(subscription.to_string()),
        ),
        (_, Some(p)) => (Some(p.server.to_string()), None),
        _ => (None, None),
    };
    OrderRow {
        id: o.id.to_string(),
        code: o.code(),
        shopper: o.shopper.0,
        kind: match o.kind {
            OrderKind::New => "new".into(),
            OrderKind::Renewal { .. } => "renewal".into(),
        },
        state: r.state.name().into(),
        plan: o.plan.id.to_string(),
        plan_name: o.plan.name.clone(),
        currency: o.quote.total.currency.code().into(),
        base_minor: o.quote.base.minor,
        total_minor: o.quote.total.minor,
        coupon: o.quote.coupon.clone(),
        pricing_policy: policy_label(o),
        method: h.method.clone(),
        created_at: o.created_at,
        updated_at: o.updated_at,
        reviewed_by: o.review.as_ref().map(|r| r.by.0),
        review: o.review.as_ref().map(|r| match r.outcome {
            ReviewOutcome::Approved => "approved".into(),
            ReviewOutcome::Declined => "declined".into(),
        }),
        server,
        subscription,
        provider: provider_label(o).to_owned(),
        payment_reference: o.payment.as_ref().map(|p| p.reference.clone()),
    }
}

/// Who took an order's money: its automatic payment's provider, else `manual`.
fn provider_label(o: &crate::order::Order) -> &'static str {
    o.payment.as_ref().map_or("manual", |p| p.provider.as_str())
}

/// The pricing policy that priced an order: its name and the start of its hash.
fn policy_label(o: &crate::order::Order) -> String {
    let hash = &o.quote.policy.hash;
    format!("{}@{}", o.quote.policy.name, &hash[..hash.len().min(12)])
}

fn subscription_row(s: &Subscription) -> SubscriptionRow {
    SubscriptionRow {
        id: s.id.to_string(),
        shopper: s.shopper.0,
        plan: s.plan.id.to_string(),
        plan_name: s.plan.name.clone(),
        server: s.server.to_string(),
        client_email: s.client_email.clone(),
        status: s.status.name().into(),
        created_at: s.created_at,
        expires_at: s.expires_at,
        traffic_limit_bytes: s.traffic.bytes(),
        used_bytes: s.used_bytes,
        device_limit: s.device_limit,
        orders: s.orders.len() as u32,
    }
}

impl Shop {
    /// Revenue, orders, approval rate, review time, load and the 30-day series, from one
    /// snapshot. Revenue counts fulfilled orders on the day they were fulfilled.
    pub async fn stats(&self) -> Result<Stats, ShopError> {
        let now = self.now();
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let orders = read.open_table(ORDERS)?;
            let events = read.open_table(ORDER_EVENTS)?;
            let mut tally = Tally::new(now);
            for row in orders.iter()? {
                let record: OrderRecord = store::envelope::decode(ORDERS_NAME, row?.1.value())?;
                tally.order(&record);
                let o = &record.order;
                if o.review.is_none() && !matches!(record.state, State::Fulfilled { .. }) {
                    continue;
                }
                let h = history(&events_of(&events, o.id)?);
                if let (Some(review), Some(proof_at)) = (&o.review, h.proof_at) {
                    tally.reviews.push(review.at.duration_since(proof_at));
                }
                if let Some(at) = h.fulfilled_at {
                    tally.fulfilled(o, at);
                }
            }
            let mut active_per_server = BTreeMap::new();
            for row in read.open_table(SUBS_BY_SERVER)?.iter()? {
                let (k, row) = row?;
                if SubscriptionStatus::from_key(row.value().0)
                    .is_some_and(SubscriptionStatus::holds_slot)
                {
                    *active_per_server.entry(k.value().0.to_owned()).or_insert(0) += 1;
                }
            }
            Ok(tally.into_stats(active_per_server))
        })
        .await
    }

    /// Orders or subscriptions created in `[from, to)`, encoded.
    pub async fn export(
        &self,
        kind: ExportKind,
        from: Timestamp,
        to: Timestamp,
        format: Format,
    ) -> Result<Export, ExportError> {
        let (bytes, rows) = match kind {
            ExportKind::Orders => {
                let rows = self.export_orders(from, to).await?;
                (encode(&rows, format)?, rows.len())
            }
            ExportKind::Subscriptions => {
                let rows = self.export_subscriptions(from, to).await?;
                (encode(&rows, format)?, rows.len())
            }
        };
        Ok(Export { bytes, rows })
    }

    /// Orders created in `[from, to)`, oldest first.
    pub async fn export_orders(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<OrderRow>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let orders = read.open_table(ORDERS)?;
            let events = read.open_table(ORDER_EVENTS)?;
            let mut out = Vec::new();
            // Order ids are ULIDs: keys sort by creation time, so the range is a key range.
            let lo = ulid::Ulid::from_parts(from.as_millisecond().max(0) as u64, 0).0;
            let hi = ulid::Ulid::from_parts(to.as_millisecond().max(0) as u64, 0).0;
            for row in orders.range(lo..hi)? {
                let record: OrderRecord = store::envelope::decode(ORDERS_NAME, row?.1.value())?;
                if record.order.created_at < from || record.order.created_at >= to {
                    continue;
                }
                let h = history(&events_of(&events, record.order.id)?);
                out.push(order_row(&record, &h));
            }
            Ok(out)
        })
        .await
    }

    /// Subscriptions created in `[from, to)`, oldest first.
    pub async fn export_subscriptions(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<SubscriptionRow>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let subs: Vec<Subscription> =
                store::all(&read.open_table(SUBSCRIPTIONS)?, SUBSCRIPTIONS_NAME)?;
            let mut out: Vec<SubscriptionRow> = subs
                .iter()
                .filter(|s| s.created_at >= from && s.created_at < to)
                .map(subscription_row)
                .collect();
            out.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
            Ok(out)
        })
        .await
    }
}
