//! Read-only questions: the priced catalogue, an order with its history, a shopper's orders and
//! subscriptions, the audit log, what is due.

use jiff::Timestamp;
use redb::{ReadableTable, ReadableTableMetadata, TableHandle};

use super::records::{EventRecord, OrderRecord, load_order, load_shopper};
use super::{Core, Shop};
use crate::audit::{self, AuditFilter, AuditPage};
use crate::error::ShopError;
use crate::ids::{OrderId, SubscriptionId, UserId};
use crate::order::{OrderKind, Proof, State};
use crate::payment_method::PaymentMethod;
use crate::plan::Plan;
use crate::policy::ShopperProfile;
use crate::quote::Quote;
use crate::server::Server;
use crate::store::{self, millis, tables::*};
use crate::subscription::Subscription;

/// A plan with the price a given shopper would pay now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedPlan {
    pub plan: Plan,
    pub quote: Quote,
}

/// The shop's state as the metrics show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopGauges {
    /// How many orders are in each state.
    pub orders: Vec<(crate::order::StateKind, u64)>,
    /// Outbox rows waiting to run (due now or later).
    pub outbox_pending: u64,
    /// When the longest-waiting row was due.
    pub oldest_due: Option<Timestamp>,
}

impl Shop {
    /// The active plans, sorted for the panel, priced by the pricing policy for `viewer` (or for
    /// a first-time visitor). Plans the policy does not offer this viewer are left out.
    pub async fn catalogue(
        &self,
        viewer: Option<(UserId, Vec<u64>)>,
    ) -> Result<Vec<PricedPlan>, ShopError> {
        self.catalogue_with_coupon(viewer, None).await
    }

    /// The catalogue as a shopper with this coupon would pay it. A coupon no plan accepts is
    /// the pricing policy's refusal (an unknown or expired coupon), said once.
    pub async fn catalogue_with_coupon(
        &self,
        viewer: Option<(UserId, Vec<u64>)>,
        coupon: Option<String>,
    ) -> Result<Vec<PricedPlan>, ShopError> {
        self.blocking(move |core| core.catalogue(viewer, coupon))
            .await
    }

    pub async fn plans(&self) -> Result<Vec<Plan>, ShopError> {
        self.blocking(|core| {
            Ok(store::all(
                &store::begin_read(&core.db)?.open_table(PLANS)?,
                PLANS_NAME,
            )?)
        })
        .await
    }

    pub async fn methods(&self) -> Result<Vec<PaymentMethod>, ShopError> {
        self.blocking(|core| {
            Ok(store::all(
                &store::begin_read(&core.db)?.open_table(METHODS)?,
                METHODS_NAME,
            )?)
        })
        .await
    }

    pub async fn servers(&self) -> Result<Vec<Server>, ShopError> {
        self.blocking(|core| {
            Ok(store::all(
                &store::begin_read(&core.db)?.open_table(SERVERS)?,
                SERVERS_NAME,
            )?)
        })
        .await
    }

    pub async fn order(&self, id: OrderId) -> Result<OrderRecord, ShopError> {
        self.blocking(move |core| load_order(&store::begin_read(&core.db)?.open_table(ORDERS)?, id))
            .await
    }

    /// An order with every event it has seen, oldest first.
    pub async fn order_history(
        &self,
        id: OrderId,
    ) -> Result<(OrderRecord, Vec<EventRecord>), ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let record = load_order(&read.open_table(ORDERS)?, id)?;
            let events = read.open_table(ORDER_EVENTS)?;
            let mut history = Vec::new();
            for row in events.range((id.key(), 0)..=(id.key(), u32::MAX))? {
                let (_, v) = row?;
                history.push(store::envelope::decode(ORDER_EVENTS_NAME, v.value())?);
            }
            Ok((record, history))
        })
        .await
    }

    /// A shopper's orders, newest first.
    pub async fn orders_of(&self, shopper: UserId) -> Result<Vec<OrderRecord>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let orders = read.open_table(ORDERS)?;
            let mut out = Vec::new();
            for row in read
                .open_table(ORDERS_BY_SHOPPER)?
                .range((shopper.0, 0)..=(shopper.0, u128::MAX))?
                .rev()
            {
                let (key, _) = row?;
                out.push(load_order(&orders, OrderId::from_key(key.value().1))?);
            }
            Ok(out)
        })
        .await
    }

    /// What the metrics show of the shop's state, read in one snapshot.
    pub async fn gauges(&self) -> Result<ShopGauges, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let by_state = read.open_table(ORDERS_BY_STATE)?;
            let mut orders = Vec::new();
            for kind in crate::order::StateKind::ALL {
                let name = kind.name();
                let n = by_state.range((name, 0)..=(name, u128::MAX))?.count();
                orders.push((kind, n as u64));
            }
            let due = read.open_table(OUTBOX_DUE)?;
            let oldest_due = match due.first()? {
                Some((key, _)) => Timestamp::from_millisecond(key.value().0).ok(),
                None => None,
            };
            Ok(ShopGauges {
                orders,
                outbox_pending: due.len()?,
                oldest_due,
            })
        })
        .await
    }

    /// Sets the metrics' gauges from [`Shop::gauges`] (the shop's own listener samples them).
    pub async fn sample_metrics(&self) -> Result<(), ShopError> {
        let g = self.gauges().await?;
        for (kind, n) in &g.orders {
            metrics::gauge!("nebula_shop_orders", "state" => kind.name()).set(*n as f64);
        }
        metrics::gauge!("nebula_shop_outbox_pending").set(g.outbox_pending as f64);
        let age = g
            .oldest_due
            .map(|due| self.now().duration_since(due).as_secs_f64().max(0.0))
            .unwrap_or(0.0);
        metrics::gauge!("nebula_shop_outbox_oldest_due_age_seconds").set(age);
        Ok(())
    }

    /// Orders in one state, oldest first, at most `limit`.
    pub async fn orders_in_state(
        &self,
        state: crate::order::StateKind,
        limit: usize,
    ) -> Result<Vec<OrderRecord>, ShopError> {
        let state = state.name();
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let orders = read.open_table(ORDERS)?;
            let mut out = Vec::new();
            for row in read
                .open_table(ORDERS_BY_STATE)?
                .range((state, 0)..=(state, u128::MAX))?
                .take(limit)
            {
                let (key, _) = row?;
                out.push(load_order(&orders, OrderId::from_key(key.value().1))?);
            }
            Ok(out)
        })
        .await
    }

    /// Open orders whose deadline is at or before `now`, read from the deadline index.
    pub async fn overdue_orders(
        &self,
        now: Timestamp,
        limit: usize,
    ) -> Result<Vec<OrderId>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let mut out = Vec::new();
            for row in read
                .open_table(ORDERS_BY_DEADLINE)?
                .range(..=(millis(now), u128::MAX))?
                .take(limit)
            {
                out.push(OrderId::from_key(row?.0.value().1));
            }
            Ok(out)
        })
        .await
    }

    pub async fn subscription(&self, id: SubscriptionId) -> Result<Subscription, ShopError> {
        self.blocking(move |core| {
            store::get(
                &store::begin_read(&core.db)?.open_table(SUBSCRIPTIONS)?,
                SUBSCRIPTIONS_NAME,
                id.key(),
            )?
            .ok_or_else(|| ShopError::NotFound {
                what: "subscription",
                id: id.to_string(),
            })
        })
        .await
    }

    /// A shopper's subscriptions, newest first.
    pub async fn subscriptions_of(&self, shopper: UserId) -> Result<Vec<Subscription>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            Ok(super::records::subscriptions_of_shopper(&read, shopper)?)
        })
        .await
    }

    /// A page of the audit log, newest first.
    pub async fn audit(
        &self,
        filter: AuditFilter,
        before: Option<u64>,
        limit: usize,
    ) -> Result<AuditPage, ShopError> {
        self.blocking(move |core| {
            Ok(audit::page(
                &store::begin_read(&core.db)?.open_table(AUDIT)?,
                &filter,
                before,
                limit,
            )?)
        })
        .await
    }

    /// The proof an order is under review with, and its image bytes (gone after retention).
    pub async fn proof_image(&self, id: OrderId) -> Result<Option<(Proof, Vec<u8>)>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let record = load_order(&read.open_table(ORDERS)?, id)?;
            let State::UnderReview {
                proof: Some(proof), ..
            } = record.state
            else {
                return Ok(None);
            };
            let blobs = read.open_table(PROOF_BLOBS)?;
            let Some(bytes) = blobs.get(id.key())? else {
                return Ok(None);
            };
            let bytes = store::envelope::decode_blob(PROOF_BLOBS_NAME, bytes.value())?;
            Ok(Some((proof, bytes)))
        })
        .await
    }
}

impl Shop {
    /// Row counts of every table, by table name: for diagnostics, and for tests that prove a
    /// refused command wrote nothing.
    pub async fn table_sizes(&self) -> Result<Vec<(String, u64)>, ShopError> {
        self.blocking(|core| {
            let read = store::begin_read(&core.db)?;
            let mut out = Vec::new();
            for handle in read.list_tables()? {
                let table = read.open_untyped_table(handle.clone())?;
                out.push((handle.name().to_owned(), table.len()?));
            }
            out.sort();
            Ok(out)
        })
        .await
    }
}

impl Core {
    fn catalogue(
        &self,
        viewer: Option<(UserId, Vec<u64>)>,
        coupon: Option<String>,
    ) -> Result<Vec<PricedPlan>, ShopError> {
        let read = store::begin_read(&self.db)?;
        let mut plans: Vec<Plan> = store::all(&read.open_table(PLANS)?, PLANS_NAME)?;
        plans.retain(|p| p.active);
        plans.sort_by(|a, b| a.sort_key.cmp(&b.sort_key).then(a.id.cmp(&b.id)));
        let (id, roles) = viewer.unwrap_or((UserId(0), Vec::new()));
        let known = load_shopper(&read.open_table(SHOPPERS)?, id)?;
        drop(read);
        let profile = ShopperProfile {
            id,
            paid_orders: known.as_ref().map_or(0, |k| k.paid_orders),
            first_seen: known.map(|k| k.first_seen),
            roles,
        };
        let now = self.now();
        let coupon = coupon
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty());
        let mut out = Vec::new();
        let mut refusal = None;
        for plan in plans {
            match self.quote(&plan, &profile, coupon.clone(), OrderKind::New, now) {
                Ok(quote) => out.push(PricedPlan { plan, quote }),
                Err(ShopError::PricingRejected { reason }) => refusal = Some(reason),
                Err(e) => return Err(e),
            }
        }
        match (out.is_empty(), coupon, refusal) {
            (true, Some(_), Some(reason)) => Err(ShopError::PricingRejected { reason }),
            _ => Ok(out),
        }
    }
}
