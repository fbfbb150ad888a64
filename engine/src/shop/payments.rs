//! Automatic payments: a payment an adapter verified with its provider enters the order here,
//! in one write transaction with the webhook event it came in (so a replay changes nothing),
//! the provider's reference (so one invoice or transaction pays one order, ever) and the
//! order's own rows. Checkouts the provider opened are recorded here too, for the
//! reconciliation job to ask about.

use jiff::Timestamp;
use redb::ReadableTable;

use super::orders::{no_server, still_has_room};
use super::policies::record_decisions;
use super::records::load_order;
use super::{Core, Shop};
use crate::actor::Actor;
use crate::effect::{DiscordEffect, Effect, Scheduled};
use crate::error::{Rejection, ShopError};
use crate::order::{Event, Input, Placement, State};
use crate::outbox::{self, OutboxRow};
use crate::payment::{
    Checkout, PaymentRecord, PaymentReport, PaymentTaken, Provider, differences, payment_key,
};
use crate::policy::DecisionRecord;
use crate::store::{self, tables::*};

impl Shop {
    /// Takes a payment an adapter verified: an exact one pays the order and starts
    /// provisioning, one that differs goes to an admin; a replayed event or a payment taken
    /// before changes nothing; a reference that paid another order is refused.
    pub async fn take_payment(&self, report: PaymentReport) -> Result<PaymentTaken, ShopError> {
        self.blocking(move |core| core.take_payment(&report)).await
    }

    /// Whether a webhook event was acted on already (the adapter then skips fetching).
    pub async fn payment_event_seen(
        &self,
        provider: Provider,
        event: String,
    ) -> Result<bool, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let seen = read
                .open_table(PAYMENT_EVENTS)?
                .get(payment_key(provider, &event).as_str())?
                .is_some();
            Ok(seen)
        })
        .await
    }

    /// What the shop knows of a provider's invoice, session or transaction.
    pub async fn payment_record(
        &self,
        provider: Provider,
        reference: String,
    ) -> Result<Option<PaymentRecord>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            Ok(store::get(
                &read.open_table(PAYMENTS)?,
                PAYMENTS_NAME,
                payment_key(provider, &reference).as_str(),
            )?)
        })
        .await
    }

    /// The checkouts not paid yet, with the state of their order, oldest first.
    pub async fn open_checkouts(&self) -> Result<Vec<(PaymentRecord, State)>, ShopError> {
        self.blocking(move |core| {
            let read = store::begin_read(&core.db)?;
            let (payments, orders) = (read.open_table(PAYMENTS)?, read.open_table(ORDERS)?);
            let mut out = Vec::new();
            for row in read.open_table(OPEN_CHECKOUTS)?.iter()? {
                let (key, _) = row?;
                let record: Option<PaymentRecord> =
                    store::get(&payments, PAYMENTS_NAME, key.value())?;
                if let Some(record) = record {
                    let state = load_order(&orders, record.order)?.state;
                    out.push((record, state));
                }
            }
            out.sort_by_key(|(r, _)| r.created_at);
            Ok(out)
        })
        .await
    }

    /// Stops asking about a checkout (its order closed and the provider expired it).
    pub async fn forget_checkout(
        &self,
        provider: Provider,
        reference: String,
    ) -> Result<(), ShopError> {
        self.core
            .writer
            .write_async(move |_, txn| {
                txn.open_table(OPEN_CHECKOUTS)?
                    .remove(payment_key(provider, &reference).as_str())?;
                Ok(())
            })
            .await
    }
}

impl Core {
    fn take_payment(&self, report: &PaymentReport) -> Result<PaymentTaken, ShopError> {
        const ATTEMPTS: usize = 3;
        for attempt in 1..=ATTEMPTS {
            let now = self.now();
            let (found, placement, decision) = {
                let read = store::begin_read(&self.db)?;
                let record = load_order(&read.open_table(ORDERS)?, report.order)?;
                let found = differences(record.order.quote.total, &report.payment);
                let awaiting = awaits_payment(&record.state);
                if found.is_empty() && awaiting {
                    let (placement, decision) = self.placement(&read, &record.order, now)?;
                    (found, Some(placement), decision)
                } else {
                    (found, None, None)
                }
            };
            let last = attempt == ATTEMPTS;
            let report = report.clone();
            let taken = self.writer.write(move |core, txn| {
                let payment = &report.payment;
                let key = payment_key(payment.provider, &payment.reference);
                let event_key = report
                    .event
                    .as_ref()
                    .map(|e| payment_key(payment.provider, e));
                if let Some(event) = &event_key
                    && txn
                        .open_table(PAYMENT_EVENTS)?
                        .get(event.as_str())?
                        .is_some()
                {
                    return Ok(Some(PaymentTaken::DuplicateEvent));
                }
                let known: Option<PaymentRecord> =
                    store::get(&txn.open_table(PAYMENTS)?, PAYMENTS_NAME, key.as_str())?;
                if let Some(known) = &known {
                    if known.order != report.order {
                        return Err(Rejection::PaymentUsedElsewhere {
                            order_code: known.order.code(),
                        }
                        .into());
                    }
                    if known.taken {
                        note_taken(txn, &key, event_key.as_deref(), known, now)?;
                        return Ok(Some(PaymentTaken::AlreadyTaken));
                    }
                }
                let record = PaymentRecord {
                    order: report.order,
                    provider: payment.provider,
                    reference: payment.reference.clone(),
                    url: known.as_ref().and_then(|k| k.url.clone()),
                    created_at: known.as_ref().map_or(now, |k| k.created_at),
                    taken: true,
                };
                let current = load_order(&txn.open_table(ORDERS)?, report.order)?;
                if !awaits_payment(&current.state) {
                    note_taken(txn, &key, event_key.as_deref(), &record, now)?;
                    let message = crate::alert::AlertKind::PaymentNotAwaited {
                        provider: payment.provider.label().to_owned(),
                        reference: payment.reference.clone(),
                        paid: payment.paid.display(),
                        code: report.order.code(),
                        state: current.state.kind(),
                    };
                    super::upkeep::alert_admins(txn, format!("payment:{key}/late"), message, now)?;
                    return Ok(Some(PaymentTaken::NotAwaiting));
                }
                let placement = match &placement {
                    Some(Placement::Target { target }) if !still_has_room(txn, target)? => {
                        if !last {
                            return Ok(None); // placed again on what is committed now
                        }
                        Some(no_server("every server is down, draining or full"))
                    }
                    other => other.clone(),
                };
                if found.is_empty() && placement.is_none() {
                    return Ok(None); // the order came to await its payment meanwhile
                }
                let input = Input {
                    at: now,
                    actor: Actor::System,
                    event: Event::PaymentReceived {
                        payment: payment.clone(),
                        differences: found.clone(),
                        placement,
                    },
                };
                core.apply_in(txn, report.order, input, |txn, applied| {
                    note_taken(txn, &key, event_key.as_deref(), &record, now)?;
                    match &decision {
                        Some(decision) => record_decisions(
                            txn,
                            &[DecisionRecord {
                                order: report.order,
                                seq: applied.order.events - 1,
                                at: now,
                                decision: decision.clone(),
                            }],
                        ),
                        None => Ok(()),
                    }
                })?;
                Ok(Some(if found.is_empty() {
                    PaymentTaken::Paid
                } else {
                    PaymentTaken::Review(found.clone())
                }))
            })?;
            if let Some(taken) = taken {
                return Ok(taken);
            }
        }
        Err(ShopError::Rejected(Rejection::NoServer {
            reason: "the order changed while its payment was taken; try again".into(),
        }))
    }

    /// A provider opened a checkout for an order: recorded (for the reconciliation job and
    /// the webhook's lookup) and shown to the shopper, unless it was paid already.
    pub(super) fn feed_checkout(
        &self,
        txn: &crate::store::Txn,
        row: &OutboxRow,
        checkout: Checkout,
        now: Timestamp,
    ) -> Result<(), ShopError> {
        let Effect::Checkout { request } = &row.effect else {
            return Ok(());
        };
        let key = payment_key(checkout.provider, &checkout.reference);
        let known: Option<PaymentRecord> =
            store::get(&txn.open_table(PAYMENTS)?, PAYMENTS_NAME, key.as_str())?;
        if let Some(known) = &known
            && (known.taken || known.order != request.order)
        {
            return Ok(()); // paid before its link was shown, or (never) another order's
        }
        let record = PaymentRecord {
            order: request.order,
            provider: checkout.provider,
            reference: checkout.reference.clone(),
            url: Some(checkout.url.clone()),
            created_at: known.as_ref().map_or(now, |k| k.created_at),
            taken: false,
        };
        store::put(&mut txn.open_table(PAYMENTS)?, key.as_str(), &record)?;
        txn.open_table(OPEN_CHECKOUTS)?
            .insert(key.as_str(), request.order.key())?;
        let order = load_order(&txn.open_table(ORDERS)?, request.order)?;
        if !matches!(order.state, State::AwaitingProof { .. }) {
            return Ok(()); // the shopper moved on; the reconciliation job still watches it
        }
        let label = order
            .order
            .offers
            .methods
            .iter()
            .find(|m| m.id == request.method)
            .map_or_else(|| checkout.provider.label().to_owned(), |m| m.label.clone());
        outbox::enqueue(
            txn,
            format!("outbox:{}/checkout", row.id),
            Scheduled::now(DiscordEffect::ShowCheckout {
                order: request.order,
                shopper: request.shopper,
                label,
                amount: request.amount,
                url: checkout.url,
            }),
            now,
        )?;
        Ok(())
    }
}

/// Whether an order in `state` waits for its payment: open, or under review (a payment that
/// completes while a screenshot is reviewed pays the order).
fn awaits_payment(state: &State) -> bool {
    state.is_open() || matches!(state, State::UnderReview { .. })
}

/// Writes what taking a payment leaves behind: its record (taken), no open checkout, the event.
fn note_taken(
    txn: &crate::store::Txn,
    key: &str,
    event: Option<&str>,
    record: &PaymentRecord,
    now: Timestamp,
) -> Result<(), ShopError> {
    let mut record = record.clone();
    record.taken = true;
    store::put(&mut txn.open_table(PAYMENTS)?, key, &record)?;
    txn.open_table(OPEN_CHECKOUTS)?.remove(key)?;
    if let Some(event) = event {
        txn.open_table(PAYMENT_EVENTS)?
            .insert(event, now.as_millisecond())?;
    }
    Ok(())
}
