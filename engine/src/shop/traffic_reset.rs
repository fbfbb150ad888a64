//! An admin's traffic reset: a shopper's usage starts again from zero on every client of the
//! subscription an order bought (the whole group of a plan on several servers), and clients
//! the quota disabled are enabled again. One transaction: the records, one panel operation per
//! client (zero its counter, enable it), the audit row.

use super::records::{group_members, load_order, write_subscription};
use super::upkeep::enqueue_panel_op;
use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::effect::PanelAction;
use crate::error::{Invalid, ShopError};
use crate::ids::OrderId;
use crate::order::State;
use crate::store::{self, tables::*};
use crate::subscription::Subscription;

impl Shop {
    /// Resets the traffic of the subscription `order` bought (admins only); returns its clients
    /// as they are now. Refused for an order that bought nothing yet, or whose subscription has
    /// expired (renew it instead).
    pub async fn reset_traffic(
        &self,
        actor: Actor,
        order: OrderId,
    ) -> Result<Vec<Subscription>, ShopError> {
        self.blocking(move |core| core.reset_traffic(actor, order))
            .await
    }
}

impl Core {
    fn reset_traffic(&self, actor: Actor, order: OrderId) -> Result<Vec<Subscription>, ShopError> {
        actor.require_admin()?;
        let now = self.now();
        let rules = &self.settings.lifecycle;
        let txn = self.db.begin()?;
        let record = load_order(&txn.open_table(ORDERS)?, order)?;
        let State::Fulfilled { subscription } = record.state else {
            return Err(
                Invalid::new("order", "has not been fulfilled: it bought no access yet").into(),
            );
        };
        let bought: Subscription = store::get(
            &txn.open_table(SUBSCRIPTIONS)?,
            SUBSCRIPTIONS_NAME,
            subscription.key(),
        )?
        .ok_or_else(|| ShopError::NotFound {
            what: "subscription",
            id: subscription.to_string(),
        })?;
        let members = group_members(
            &txn.open_table(SUBSCRIPTIONS)?,
            &txn.open_table(SUBS_BY_SHOPPER)?,
            bought.shopper,
            bought.group_id(),
        )?;
        if members.is_empty() {
            return Err(
                Invalid::new("subscription", "was deleted; the shopper needs a new plan").into(),
            );
        }
        let mut out = Vec::new();
        for old in members {
            let mut sub = old.clone();
            sub.reset_traffic(now)
                .map_err(|e| Invalid::new("subscription", format!("{e}; renew it instead")))?;
            let tag = format!("reset/{}", sub.usage_period());
            enqueue_panel_op(&txn, &sub, PanelAction::ResetTraffic, &tag, now)?;
            write_subscription(&txn, &mut sub, Some(&old), rules)?;
            out.push(sub);
        }
        let emails: Vec<&str> = out.iter().map(|s| s.client_email.as_str()).collect();
        audit::record(
            &txn,
            now,
            actor,
            "subscription.reset_traffic",
            format!("subscription:{}", bought.group_id()),
            format!("order {}: {}", record.order.code(), emails.join(", ")),
        )?;
        self.db.commit(txn)?;
        self.outbox_written.notify_one();
        Ok(out)
    }
}
