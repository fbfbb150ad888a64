//! Order commands: open, renew, choose a method, submit a proof, approve, decline, cancel, time
//! out, retry.

use jiff::Timestamp;
use redb::ReadableTable;
use tracing::warn;

use super::policies::record_decisions;
use super::records::{
    EventRecord, OrderRecord, ShopperRecord, enqueue_effects, group_members, load_order,
    load_shopper, log_event, slots_taken, write_order, write_shopper,
};
use super::{Core, Shop};
use crate::actor::Actor;
use crate::audit;
use crate::error::ShopError;
use crate::ids::{MethodId, OrderId, PlanId, ServerId, SubscriptionId, UserId};
use crate::machine;
use crate::order::{
    ClientTarget, Event, Input, Order, OrderKind, Placement, Proof, ProvisionTarget, State,
};
use crate::payment_method::PaymentMethod;
use crate::plan::Plan;
use crate::policy::{
    Candidate, Decision, DecisionRecord, MethodSummary, MethodsInput, PolicyError, PolicyStamp,
    PricingDecision, PricingInput, PricingOutcome, Purchase, SelectionDecision, SelectionInput,
    SelectionOutcome, ServerChoice, ShopperProfile, apply_method_ops, choose_servers, least_loaded,
};
use crate::quote::Quote;
use crate::server::{Server, ServerStatus};
use crate::store::{self, Txn, tables::*};
use crate::subscription::{Subscription, SubscriptionStatus};
use crate::trial::{Trial, TrialRefusal, TrialUse, check_trial};

/// A shopper asks for a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenOrder {
    pub shopper: UserId,
    /// The shopper's Discord role ids (pricing may use them).
    pub roles: Vec<u64>,
    pub plan: PlanId,
    pub coupon: Option<String>,
    pub preferred_region: Option<String>,
}

/// A shopper asks for more time on a subscription they own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenewOrder {
    pub shopper: UserId,
    pub roles: Vec<u64>,
    pub subscription: SubscriptionId,
    pub coupon: Option<String>,
}

/// A screenshot as the adapter downloaded it.
#[derive(Clone, PartialEq, Eq)]
pub struct ProofUpload {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for ProofUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProofUpload")
            .field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl Shop {
    /// Opens an order for a plan: prices it and picks the payment methods (policies), then
    /// stores it in `AwaitingMethod` and asks for the order channel.
    pub async fn open_order(&self, request: OpenOrder) -> Result<OrderRecord, ShopError> {
        self.blocking(move |core| core.open_order(request)).await
    }

    /// Opens a renewal order: the same client and link, more time.
    pub async fn renew(&self, request: RenewOrder) -> Result<OrderRecord, ShopError> {
        self.blocking(move |core| core.renew(request)).await
    }

    pub async fn choose_method(
        &self,
        actor: Actor,
        order: OrderId,
        method: MethodId,
    ) -> Result<OrderRecord, ShopError> {
        self.event(order, actor, Event::ChooseMethod { method })
            .await
    }

    /// Stores the screenshot with the order and sends the order to review.
    pub async fn submit_proof(
        &self,
        actor: Actor,
        order: OrderId,
        upload: ProofUpload,
    ) -> Result<OrderRecord, ShopError> {
        self.blocking(move |core| core.submit_proof(actor, order, upload))
            .await
    }

    /// Approves a payment: chooses a server (policy) and starts provisioning.
    pub async fn approve(&self, actor: Actor, order: OrderId) -> Result<OrderRecord, ShopError> {
        self.blocking(move |core| {
            core.place_and_apply(actor, order, |placement| Event::Approve { placement })
        })
        .await
    }

    pub async fn decline(
        &self,
        actor: Actor,
        order: OrderId,
        reason: String,
    ) -> Result<OrderRecord, ShopError> {
        self.event(order, actor, Event::Decline { reason }).await
    }

    pub async fn cancel(&self, actor: Actor, order: OrderId) -> Result<OrderRecord, ShopError> {
        self.event(order, actor, Event::Cancel).await
    }

    /// Times out an unpaid order whose deadline has passed.
    pub async fn time_out(&self, order: OrderId) -> Result<OrderRecord, ShopError> {
        self.event(order, Actor::System, Event::Timeout).await
    }

    /// Provisions a failed order again (same subscription id and client email).
    pub async fn retry(&self, actor: Actor, order: OrderId) -> Result<OrderRecord, ShopError> {
        self.blocking(move |core| {
            core.place_and_apply(actor, order, |placement| Event::Retry { placement })
        })
        .await
    }

    /// Runs one event through an order's machine: it needs nothing read before, so it goes to
    /// the writer straight from here.
    async fn event(
        &self,
        id: OrderId,
        actor: Actor,
        event: Event,
    ) -> Result<OrderRecord, ShopError> {
        let at = self.core.now();
        self.core
            .writer
            .write_async(move |core, txn| {
                let input = Input {
                    at,
                    actor,
                    event: event.clone(),
                };
                core.apply_in(txn, id, input, |_, _| Ok(()))
            })
            .await
    }
}

impl Core {
    pub(super) fn open_order(&self, request: OpenOrder) -> Result<OrderRecord, ShopError> {
        let plan: Plan = {
            let read = store::begin_read(&self.db)?;
            store::get(&read.open_table(PLANS)?, PLANS_NAME, request.plan.as_str())?
                .filter(|p: &Plan| p.active)
                .ok_or_else(|| ShopError::NotFound {
                    what: "plan",
                    id: request.plan.to_string(),
                })?
        };
        self.open_with(Opening {
            shopper: request.shopper,
            roles: request.roles,
            plan,
            coupon: request.coupon,
            preferred_region: request.preferred_region,
            kind: OrderKind::New,
        })
    }

    pub(super) fn renew(&self, request: RenewOrder) -> Result<OrderRecord, ShopError> {
        let (sub, plan) = {
            let read = store::begin_read(&self.db)?;
            let subs = read.open_table(SUBSCRIPTIONS)?;
            let load = |id: SubscriptionId| {
                store::get::<u128, Subscription>(&subs, SUBSCRIPTIONS_NAME, id.key())
                    .map(|s| s.filter(|s| s.shopper == request.shopper))
            };
            let not_found = || ShopError::NotFound {
                what: "subscription",
                id: request.subscription.to_string(),
            };
            let mut sub = load(request.subscription)?.ok_or_else(not_found)?;
            // A client that moved: renew what replaced it (a Renew button from before the move).
            for _ in 0..16 {
                match sub.replaced_by {
                    Some(next) if sub.status == SubscriptionStatus::Deleted => {
                        sub = load(next)?.ok_or_else(not_found)?;
                    }
                    _ => break,
                }
            }
            drop(subs);
            if sub.status == SubscriptionStatus::Deleted {
                return Err(crate::error::Invalid::new(
                    "subscription",
                    "was deleted after it expired; buy a new plan instead",
                )
                .into());
            }
            let plan: Plan =
                store::get(&read.open_table(PLANS)?, PLANS_NAME, sub.plan.id.as_str())?
                    .filter(|p: &Plan| p.active)
                    .ok_or_else(|| ShopError::NotFound {
                        what: "plan",
                        id: sub.plan.id.to_string(),
                    })?;
            (sub, plan)
        };
        self.open_with(Opening {
            shopper: request.shopper,
            roles: request.roles,
            plan,
            coupon: request.coupon,
            preferred_region: None,
            kind: OrderKind::Renewal {
                subscription: sub.id,
            },
        })
    }

    /// Opens an order: asks the pricing and payment-methods policies (outside the write
    /// transaction), then writes the order with its history, outbox rows, decisions, shopper
    /// record and audit row in one.
    fn open_with(&self, opening: Opening) -> Result<OrderRecord, ShopError> {
        if let Some(trial) = opening.plan.trial.clone() {
            return self.open_trial(opening, &trial);
        }
        let now = self.now();
        let coupon = clean_coupon(opening.coupon.clone());
        let (profile, methods) = {
            let read = store::begin_read(&self.db)?;
            let methods: Vec<PaymentMethod> = store::all(&read.open_table(METHODS)?, METHODS_NAME)?;
            (
                shopper_profile(&read, &opening)?,
                methods
                    .into_iter()
                    .filter(|m| m.enabled)
                    .collect::<Vec<_>>(),
            )
        };
        let (pricing_input, pricing) =
            self.price(&opening.plan, &profile, coupon.clone(), opening.kind, now)?;
        let quote = quote_from(&opening.plan, coupon, pricing.clone())?;
        let methods_input = MethodsInput {
            plan: opening.plan.clone(),
            price: quote.total,
            shopper: profile.clone(),
            methods: method_summaries(&methods),
        };
        let methods_decision = self.policies.payment_methods(&methods_input);
        let offers = methods_decision
            .clone()
            .and_then(|d| apply_method_ops(&methods, d))
            .inspect_err(|e| {
                warn!(policy = %e.policy_hash, error = %e.message, "payment-methods policy failed; refusing the order");
                self.policy_failed(e);
            })?;
        let methods_decision = methods_decision?;
        if offers.methods.is_empty() {
            return Err(ShopError::NoPaymentMethod);
        }

        let decisions = vec![
            Decision::Pricing {
                input: pricing_input,
                decision: pricing,
            },
            Decision::PaymentMethods {
                input: methods_input,
                decision: methods_decision,
            },
        ];
        let first_order = profile.paid_orders == 0;
        self.writer.write(move |core, txn| {
            let id = core.fresh_order_id(txn, now)?;
            let order = new_order(
                id,
                opening.clone(),
                quote.clone(),
                offers.clone(),
                first_order,
                now,
                &core.settings,
            );
            core.write_opened(txn, order, decisions.clone(), now)
        })
    }

    /// Opens a trial and starts it in the same write transaction: no payment step. The pricing
    /// policy is asked as for any plan (and must find it free); the servers are chosen before
    /// the transaction, which checks again that the shopper had no trial and that the server
    /// still has room. Refused, nothing is written and the shopper keeps their trial.
    fn open_trial(&self, opening: Opening, trial: &Trial) -> Result<OrderRecord, ShopError> {
        const ATTEMPTS: usize = 3;
        if matches!(opening.kind, OrderKind::Renewal { .. }) {
            return Err(TrialRefusal::NotRenewable.into());
        }
        let now = self.now();
        check_trial(
            trial,
            opening.shopper,
            &opening.roles,
            now,
            self.settings.trial_min_account_age,
        )?;
        let profile = {
            let read = store::begin_read(&self.db)?;
            trial_taken(&read.open_table(TRIALS)?, opening.shopper)?;
            shopper_profile(&read, &opening)?
        };
        let coupon = clean_coupon(opening.coupon.clone());
        let (pricing_input, pricing) =
            self.price(&opening.plan, &profile, coupon.clone(), opening.kind, now)?;
        let quote = quote_from(&opening.plan, coupon, pricing.clone())?;
        if !quote.total.is_zero() {
            return Err(TrialRefusal::NotFree { total: quote.total }.into());
        }
        let offers = crate::policy::MethodOffers {
            methods: Vec::new(),
            policy: PolicyStamp::native("trial"),
        };
        let first_order = profile.paid_orders == 0;
        for attempt in 1..=ATTEMPTS {
            // The id is drawn before the transaction: the placement names its client email.
            let id = OrderId(self.new_ulid(now));
            let order = new_order(
                id,
                opening.clone(),
                quote.clone(),
                offers.clone(),
                first_order,
                now,
                &self.settings,
            );
            let (placement, selection) = {
                let read = store::begin_read(&self.db)?;
                self.placement(&read, &order, now)?
            };
            let mut decisions = vec![Decision::Pricing {
                input: pricing_input.clone(),
                decision: pricing.clone(),
            }];
            decisions.extend(selection);
            let last = attempt == ATTEMPTS;
            let opened = self.writer.write(move |core, txn| {
                if txn
                    .open_table(ORDER_CODES)?
                    .get(id.code().as_str())?
                    .is_some()
                {
                    return Ok(None); // a short code taken: drawn again
                }
                trial_taken(&txn.open_table(TRIALS)?, order.shopper)?;
                let placement = match &placement {
                    Placement::Target { target } if !still_has_room(txn, target)? => {
                        if !last {
                            return Ok(None); // placed again on what is committed now
                        }
                        no_server("every server is down, draining or full")
                    }
                    other => other.clone(),
                };
                let shopper = order.shopper;
                core.write_opened(txn, order.clone(), decisions.clone(), now)?;
                store::put(
                    &mut txn.open_table(TRIALS)?,
                    shopper.0,
                    &TrialUse { order: id, at: now },
                )?;
                let input = Input {
                    at: now,
                    actor: Actor::System,
                    event: Event::StartTrial { placement },
                };
                core.apply_in(txn, id, input, |_, _| Ok(())).map(Some)
            })?;
            if let Some(record) = opened {
                return Ok(record);
            }
        }
        unreachable!("the last attempt always writes or refuses")
    }

    /// A new order id whose short code no order has: shoppers quote the id's last eight
    /// characters, so a rare clash is drawn again.
    fn fresh_order_id(
        &self,
        txn: &crate::store::Txn,
        now: Timestamp,
    ) -> Result<OrderId, ShopError> {
        let codes = txn.open_table(ORDER_CODES)?;
        let mut id = OrderId(self.new_ulid(now));
        while codes.get(id.code().as_str())?.is_some() {
            id = OrderId(self.new_ulid(now));
        }
        Ok(id)
    }

    /// Writes a new order: its record and indexes, the first event, the effects of its first
    /// state, the policy decisions behind it, the shopper's count and the audit row.
    fn write_opened(
        &self,
        txn: &crate::store::Txn,
        order: Order,
        decisions: Vec<Decision>,
        now: Timestamp,
    ) -> Result<OrderRecord, ShopError> {
        let id = order.id;
        // Read again in the transaction: an order of the same shopper committed since the
        // read for pricing (or earlier in the same batch) has counted already.
        let known = load_shopper(&txn.open_table(SHOPPERS)?, order.shopper)?;
        let shopper = order.shopper;
        let (machine, effects) = machine::open(order, self.settings.rules);
        let record = OrderRecord {
            order: machine.inner().clone(),
            state: machine.state().clone(),
        };
        write_order(txn, &record, None)?;
        let actor = Actor::Shopper(shopper);
        log_event(
            txn,
            id,
            &EventRecord {
                seq: 0,
                at: now,
                actor,
                name: "open".into(),
                event: None,
                from: None,
                to: record.state.name().into(),
            },
        )?;
        enqueue_effects(txn, id, 0, effects, now)?;
        let decisions: Vec<DecisionRecord> = decisions
            .into_iter()
            .map(|decision| DecisionRecord {
                order: id,
                seq: 0,
                at: now,
                decision,
            })
            .collect();
        record_decisions(txn, &decisions)?;
        let mut shopper_record = known.unwrap_or(ShopperRecord {
            first_seen: now,
            paid_orders: 0,
            orders: 0,
        });
        shopper_record.orders += 1;
        write_shopper(txn, shopper, &shopper_record)?;
        audit::record(
            txn,
            now,
            actor,
            "order.open",
            format!("order:{id}"),
            opened_details(&record.order),
        )?;
        Ok(record)
    }

    /// Asks the pricing policy; fails closed.
    pub(super) fn price(
        &self,
        plan: &Plan,
        shopper: &ShopperProfile,
        coupon: Option<String>,
        kind: OrderKind,
        now: Timestamp,
    ) -> Result<(PricingInput, PricingDecision), ShopError> {
        let input = PricingInput {
            plan: plan.clone(),
            shopper: shopper.clone(),
            coupon,
            purchase: match kind {
                OrderKind::New => Purchase::New,
                OrderKind::Renewal { .. } => Purchase::Renewal,
            },
            now,
        };
        let decision = self.policies.price(&input).inspect_err(|e| {
            warn!(policy = %e.policy_hash, error = %e.message, "pricing policy failed; refusing");
            self.policy_failed(e);
        })?;
        Ok((input, decision))
    }

    /// A pricing or payment-methods policy that cannot decide refuses the order (it fails
    /// closed); the admins hear of it once per policy version and kind of failure per hour,
    /// not once per shopper: the alert's idempotency key names the hour. The alert is its own
    /// small transaction; the refused command still writes nothing.
    fn policy_failed(&self, e: &PolicyError) {
        let now = self.now();
        let hour = now.as_second().div_euclid(3600);
        let key = format!(
            "policy-failure:{}:{}:{}:{hour}",
            e.kind,
            e.policy_hash,
            e.failure.name()
        );
        let short = e.policy_hash.get(..12).unwrap_or(&e.policy_hash);
        let message = crate::alert::AlertKind::PolicyFailed {
            policy: e.kind.to_string(),
            hash: short.to_owned(),
            error: e.message.clone(),
        };
        let written = (|| -> Result<(), ShopError> {
            let txn = self.db.begin()?;
            super::upkeep::alert_admins(&txn, key, message, now)?;
            self.db.commit(txn)?;
            Ok(())
        })();
        match written {
            Ok(()) => self.outbox_written.notify_one(),
            Err(err) => warn!(error = %err, "could not alert the admins to a failing policy"),
        }
    }

    /// Prices a plan for a shopper: the policy's proposal, enforced by the engine.
    pub(super) fn quote(
        &self,
        plan: &Plan,
        shopper: &ShopperProfile,
        coupon: Option<String>,
        kind: OrderKind,
        now: Timestamp,
    ) -> Result<Quote, ShopError> {
        let (input, decision) = self.price(plan, shopper, coupon, kind, now)?;
        quote_from(plan, input.coupon, decision)
    }

    /// Loads the order, restores its machine, handles `input`, and writes the record, the
    /// history row, the outbox rows, the audit row and the indexes into `txn`, then runs
    /// `also` for the command's own rows. On a rejection nothing is written.
    pub(super) fn apply_in(
        &self,
        txn: &Txn,
        id: OrderId,
        input: Input,
        also: impl FnOnce(&Txn, &OrderRecord) -> Result<(), ShopError>,
    ) -> Result<OrderRecord, ShopError> {
        let before = load_order(&txn.open_table(ORDERS)?, id)?;
        let from = before.state.clone();
        let mut machine = machine::restore(before.order, before.state);
        let effects = machine::apply(&mut machine, &input, self.settings.rules)?;
        let mut order = machine.inner().clone();
        let seq = order.events;
        order.events += 1;
        let record = OrderRecord {
            order,
            state: machine.state().clone(),
        };
        write_order(txn, &record, Some(&from))?;
        log_event(
            txn,
            id,
            &EventRecord {
                seq,
                at: input.at,
                actor: input.actor,
                name: input.event.name().into(),
                event: Some(input.event.clone()),
                from: Some(from.name().into()),
                to: record.state.name().into(),
            },
        )?;
        enqueue_effects(txn, id, seq, effects, input.at)?;
        audit::record(
            txn,
            input.at,
            input.actor,
            &format!("order.{}", input.event.name()),
            format!("order:{id}"),
            audit_details(&input.event, &from, &record.state),
        )?;
        also(txn, &record)?;
        Ok(record)
    }

    fn submit_proof(
        &self,
        actor: Actor,
        id: OrderId,
        upload: ProofUpload,
    ) -> Result<OrderRecord, ShopError> {
        let sha256 = nebula_common::hex_sha256(&upload.bytes);
        let at = self.now();
        self.writer.write(move |core, txn| {
            let duplicate_of = txn
                .open_table(PROOF_HASHES)?
                .get(sha256.as_str())?
                .map(|v| OrderId::from_key(v.value()))
                .filter(|first| *first != id);
            let proof = Proof {
                filename: upload.filename.clone(),
                content_type: upload.content_type.clone(),
                size: upload.bytes.len() as u64,
                sha256: sha256.clone(),
                duplicate_of,
            };
            let input = Input {
                at,
                actor,
                event: Event::SubmitProof { proof },
            };
            core.apply_in(txn, id, input, |txn, _| {
                txn.open_table(PROOF_BLOBS)?.insert(
                    id.key(),
                    store::envelope::encode_blob(&upload.bytes).as_slice(),
                )?;
                let mut hashes = txn.open_table(PROOF_HASHES)?;
                if hashes.get(sha256.as_str())?.is_none() {
                    hashes.insert(sha256.as_str(), id.key())?;
                }
                Ok(())
            })
        })
    }

    /// Approve and retry: decide where to provision (outside the write transaction: it calls
    /// the server-selection policy), then hand the decision to the machine. The chosen server's
    /// room is checked again inside the write transaction: an approval committed in between may
    /// have taken the last slot, and then the placement is made again on what is committed.
    fn place_and_apply(
        &self,
        actor: Actor,
        id: OrderId,
        event: fn(Placement) -> Event,
    ) -> Result<OrderRecord, ShopError> {
        const ATTEMPTS: usize = 3;
        for attempt in 1..=ATTEMPTS {
            let now = self.now();
            let (placement, decision) = {
                let read = store::begin_read(&self.db)?;
                let record = load_order(&read.open_table(ORDERS)?, id)?;
                self.placement(&read, &record.order, now)?
            };
            let last = attempt == ATTEMPTS;
            let applied = self.writer.write(move |core, txn| {
                let placement = match &placement {
                    Placement::Target { target } if !still_has_room(txn, target)? => {
                        if !last {
                            return Ok(None); // placed again on what is committed now
                        }
                        no_server("every server is down, draining or full")
                    }
                    other => other.clone(),
                };
                let input = Input {
                    at: now,
                    actor,
                    event: event(placement),
                };
                core.apply_in(txn, id, input, |txn, record| match &decision {
                    Some(decision) => {
                        let seq = record.order.events - 1;
                        record_decisions(
                            txn,
                            &[DecisionRecord {
                                order: id,
                                seq,
                                at: now,
                                decision: decision.clone(),
                            }],
                        )
                    }
                    None => Ok(()),
                })
                .map(Some)
            })?;
            if let Some(record) = applied {
                return Ok(record);
            }
        }
        unreachable!("the last attempt always applies")
    }

    /// Where to provision, and the server-selection decision behind it (none for a renewal,
    /// which stays on its server, or when no server was up to ask the policy about).
    pub(super) fn placement(
        &self,
        read: &redb::ReadTransaction,
        order: &Order,
        now: Timestamp,
    ) -> Result<(Placement, Option<Decision>), ShopError> {
        if let OrderKind::Renewal { subscription } = order.kind {
            return Ok((renewal_placement(read, subscription)?, None));
        }
        let plan = &order.plan;
        let candidates: Vec<Candidate> = candidates(read)?
            .into_iter()
            .filter(|c| plan.regions.is_empty() || plan.regions.contains(&c.region))
            .collect();
        if candidates.is_empty() {
            return Ok((no_server("every server is down, draining or full"), None));
        }
        let input = SelectionInput {
            plan: plan.clone(),
            preferred_region: order.preferred_region.clone(),
            candidates,
        };
        let (servers, decision, fallback) = match self.select(&input) {
            Settled::Chosen(servers, decision, fallback) => (servers, decision, fallback),
            Settled::NoServer(reason, decision) => {
                let decision = decision.map(|decision| Decision::ServerSelection {
                    input: input.clone(),
                    decision,
                });
                return Ok((no_server(&reason), decision));
            }
        };
        // A retry keeps the subscription ids and client emails of the first attempt.
        let mut clients: Vec<(SubscriptionId, String)> = match &order.provision {
            Some(p) => p
                .parts()
                .iter()
                .map(|p| (p.subscription, p.client_email.clone()))
                .collect(),
            None => vec![(SubscriptionId(self.new_ulid(now)), order.id.client_email())],
        };
        while clients.len() < servers.len() {
            let id = SubscriptionId(self.new_ulid(now));
            clients.push((id, id.client_email()));
        }
        let region_of = |server: &ServerId| {
            input
                .candidates
                .iter()
                .find(|c| &c.id == server)
                .map(|c| c.region.clone())
                .unwrap_or_default()
        };
        let mut targets =
            servers
                .into_iter()
                .zip(clients)
                .map(|(server, (subscription, client_email))| ClientTarget {
                    region: region_of(&server),
                    server,
                    subscription,
                    client_email,
                });
        let first = targets.next().expect("a selection has at least one server");
        let target = ProvisionTarget {
            choice: ServerChoice {
                server: first.server,
                policy: decision.stamp.clone(),
                fallback,
            },
            region: first.region,
            subscription: first.subscription,
            client_email: first.client_email,
            current_end: None,
            also: targets.collect(),
        };
        Ok((
            Placement::Target { target },
            Some(Decision::ServerSelection { input, decision }),
        ))
    }

    /// Asks the server-selection policy for as many servers as the plan spans and checks its
    /// answer (the built-in ranking stands in when it fails).
    pub(super) fn select(&self, input: &SelectionInput) -> Settled {
        settle_selection(input, self.policies.select_server(input))
    }
}

pub(super) fn no_server(reason: &str) -> Placement {
    Placement::NoServer {
        reason: reason.to_owned(),
    }
}

/// A renewal stays where its clients are: every live client of the subscription's group, on
/// its own server.
fn renewal_placement(
    read: &redb::ReadTransaction,
    subscription: SubscriptionId,
) -> Result<Placement, ShopError> {
    let subs = read.open_table(SUBSCRIPTIONS)?;
    let Some(sub) =
        store::get::<u128, Subscription>(&subs, SUBSCRIPTIONS_NAME, subscription.key())?
    else {
        return Ok(no_server("the subscription being renewed no longer exists"));
    };
    let members = group_members(
        &subs,
        &read.open_table(SUBS_BY_SHOPPER)?,
        sub.shopper,
        sub.group_id(),
    )?;
    let servers = read.open_table(SERVERS)?;
    let mut targets = Vec::new();
    for member in members {
        let Some(server) =
            store::get::<&str, Server>(&servers, SERVERS_NAME, member.server.as_str())?
        else {
            return Ok(no_server("the subscription's server was removed"));
        };
        targets.push((
            member.expires_at,
            ClientTarget {
                subscription: member.id,
                server: server.id,
                region: server.region,
                client_email: member.client_email,
            },
        ));
    }
    if targets.is_empty() {
        return Ok(no_server("the subscription being renewed no longer exists"));
    }
    let current_end = targets.iter().map(|(end, _)| *end).max();
    let mut targets = targets.into_iter().map(|(_, t)| t);
    let first = targets.next().expect("not empty");
    let target = ProvisionTarget {
        choice: ServerChoice {
            server: first.server,
            policy: PolicyStamp::native("renewal-same-server"),
            fallback: false,
        },
        region: first.region,
        subscription: first.subscription,
        client_email: first.client_email,
        current_end,
        also: targets.collect(),
    };
    Ok(Placement::Target { target })
}

/// The servers a new client may go to: up, passing their health checks, with room (orders
/// being provisioned there hold a slot already).
pub(super) fn candidates(read: &redb::ReadTransaction) -> Result<Vec<Candidate>, ShopError> {
    let all: Vec<Server> = store::all(&read.open_table(SERVERS)?, SERVERS_NAME)?;
    let slots = read.open_table(SERVER_SLOTS)?;
    let health = read.open_table(SERVER_HEALTH)?;
    let mut out = Vec::new();
    for s in all.iter().filter(|s| s.status == ServerStatus::Up) {
        if super::upkeep::is_down(&health, &s.id)? {
            continue;
        }
        let c = candidate(s, slots_taken(&slots, s.id.as_str())?);
        if c.has_room() {
            out.push(c);
        }
    }
    Ok(out)
}

/// A server as the selection policy sees it, with `taken` of its slots in use.
fn candidate(s: &Server, taken: u32) -> Candidate {
    Candidate {
        id: s.id.clone(),
        region: s.region.clone(),
        capacity: s.capacity,
        active_clients: taken,
        status: s.status,
        load_permille: crate::policy::load_permille(taken, s.capacity),
        tags: s.tags.clone(),
    }
}

/// What the policy's answer comes to: a valid server (with the decision, and whether it came
/// from the built-in ranking because the policy failed or chose no valid server), or why no
/// server can take the order (with the policy's decision when it said so itself).
pub(super) enum Settled {
    /// The servers, the decision behind them, and whether they are the built-in ranking's.
    Chosen(Vec<ServerId>, SelectionDecision, bool),
    /// Why not, with the policy's decision when it said so itself.
    NoServer(String, Option<SelectionDecision>),
}

fn settle_selection(
    input: &SelectionInput,
    asked: Result<SelectionDecision, PolicyError>,
) -> Settled {
    let candidates = &input.candidates;
    let count = input.plan.servers.max(1) as usize;
    let spread = !input.plan.regions.is_empty();
    match asked {
        Ok(d) => match choose_servers(candidates, &d, count, spread) {
            Ok(servers) => return Settled::Chosen(servers, d, false),
            Err(reason) if matches!(d.outcome, SelectionOutcome::NoServer { .. }) => {
                return Settled::NoServer(reason, Some(d));
            }
            Err(reason) => {
                warn!(policy = %d.stamp.hash, %reason, "server-selection policy chose no valid server; using the built-in ranking");
            }
        },
        Err(e) => {
            warn!(policy = %e.policy_hash, error = %e.message, "server-selection policy failed; using the built-in ranking");
        }
    }
    let fallback = SelectionDecision {
        outcome: least_loaded(input),
        stamp: PolicyStamp::native("least-loaded-fallback"),
    };
    match choose_servers(candidates, &fallback, count, spread) {
        Ok(servers) => Settled::Chosen(servers, fallback, true),
        Err(reason) => Settled::NoServer(reason, None),
    }
}

/// Whether a new client still fits on the placement's server, as committed now (a renewal
/// stays where it is and takes no new slot).
pub(super) fn still_has_room(
    txn: &crate::store::Txn,
    target: &ProvisionTarget,
) -> Result<bool, ShopError> {
    if target.current_end.is_some() {
        return Ok(true);
    }
    let servers =
        std::iter::once(&target.choice.server).chain(target.also.iter().map(|t| &t.server));
    for server in servers {
        let Some(s) =
            store::get::<&str, Server>(&txn.open_table(SERVERS)?, SERVERS_NAME, server.as_str())?
        else {
            return Ok(false);
        };
        let taken = slots_taken(&txn.open_table(SERVER_SLOTS)?, server.as_str())?;
        if s.status != ServerStatus::Up || !candidate(&s, taken).has_room() {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What opening an order needs, for a new purchase or a renewal.
#[derive(Clone)]
struct Opening {
    shopper: UserId,
    roles: Vec<u64>,
    plan: Plan,
    coupon: Option<String>,
    preferred_region: Option<String>,
    kind: OrderKind,
}

/// A coupon as typed, trimmed; an empty one is none.
fn clean_coupon(coupon: Option<String>) -> Option<String> {
    coupon
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
}

/// What the payment-methods policy sees of each enabled method.
fn method_summaries(methods: &[PaymentMethod]) -> Vec<MethodSummary> {
    methods
        .iter()
        .map(|m| MethodSummary {
            id: m.id.clone(),
            label: m.label.clone(),
            kind: m.kind,
            min: m.min,
            max: m.max,
        })
        .collect()
}

/// A new order, as the decisions made it: quoted, with its offers, due to time out.
fn new_order(
    id: OrderId,
    opening: Opening,
    quote: Quote,
    offers: crate::policy::MethodOffers,
    first_order: bool,
    now: Timestamp,
    settings: &super::Settings,
) -> Order {
    Order {
        id,
        shopper: opening.shopper,
        kind: opening.kind,
        plan: opening.plan,
        quote,
        offers,
        first_order,
        preferred_region: opening.preferred_region,
        created_at: now,
        updated_at: now,
        deadline: now
            .saturating_add(settings.unpaid_timeout)
            .unwrap_or(Timestamp::MAX),
        review: None,
        provision: None,
        events: 1,
        purged_at: None,
        payment: None,
    }
}

/// What the policies may know of the shopper opening `opening`.
fn shopper_profile(
    read: &redb::ReadTransaction,
    opening: &Opening,
) -> Result<ShopperProfile, ShopError> {
    let known = load_shopper(&read.open_table(SHOPPERS)?, opening.shopper)?;
    Ok(ShopperProfile {
        id: opening.shopper,
        paid_orders: known.as_ref().map_or(0, |k| k.paid_orders),
        first_seen: known.as_ref().map(|k| k.first_seen),
        roles: opening.roles.clone(),
    })
}

/// Refuses a shopper who took a trial already.
fn trial_taken(
    trials: &impl ReadableTable<u64, &'static [u8]>,
    shopper: UserId,
) -> Result<(), ShopError> {
    match store::get::<u64, TrialUse>(trials, TRIALS_NAME, shopper.0)? {
        Some(used) => Err(TrialRefusal::AlreadyUsed {
            order_code: used.order.code(),
        }
        .into()),
        None => Ok(()),
    }
}

/// The audit line of a new order.
fn opened_details(o: &Order) -> String {
    match o.kind {
        OrderKind::New => format!("{} for {}", o.plan.id, o.quote.total),
        OrderKind::Renewal { subscription } => {
            format!(
                "renew {subscription} with {} for {}",
                o.plan.id, o.quote.total
            )
        }
    }
}

/// The quote a pricing decision makes, or its rejection.
fn quote_from(
    plan: &Plan,
    coupon: Option<String>,
    decision: PricingDecision,
) -> Result<Quote, ShopError> {
    match decision.outcome {
        PricingOutcome::Reject { reason } => Err(ShopError::PricingRejected { reason }),
        PricingOutcome::Adjust { adjustments } => Ok(Quote::enforce(
            plan.price,
            adjustments,
            coupon,
            decision.stamp,
        )?),
    }
}

fn audit_details(event: &Event, from: &State, to: &State) -> String {
    let moved = format!("{} -> {}", from.name(), to.name());
    match event {
        Event::ChooseMethod { method } => format!("{moved}; method {method}"),
        Event::SubmitProof { proof } => match proof.duplicate_of {
            Some(first) => format!(
                "{moved}; proof {} (same image as order {first})",
                &proof.sha256[..12]
            ),
            None => format!("{moved}; proof {}", &proof.sha256[..12]),
        },
        Event::Approve { placement }
        | Event::Retry { placement }
        | Event::StartTrial { placement } => match placement {
            Placement::Target { target } => format!(
                "{moved}; server {} by {}{}",
                std::iter::once(target.choice.server.as_str())
                    .chain(target.also.iter().map(|t| t.server.as_str()))
                    .collect::<Vec<_>>()
                    .join(", "),
                target.choice.policy.name,
                if target.choice.fallback {
                    " (fallback)"
                } else {
                    ""
                }
            ),
            Placement::NoServer { reason } => format!("{moved}; no server: {reason}"),
        },
        Event::Decline { reason } => format!("{moved}; reason: {reason}"),
        Event::ProvisionFailed { attempt, error } => format!("{moved}; attempt {attempt}: {error}"),
        Event::Provisioned {
            attempt,
            access,
            also,
        } => {
            let clients = match also.len() {
                0 => String::new(),
                n => format!(", {} clients", n + 1),
            };
            format!(
                "{moved}; attempt {attempt}{clients}, expires {}",
                access.expires_at
            )
        }
        Event::Cancel | Event::Timeout => moved,
        Event::PaymentReceived {
            payment,
            differences,
            ..
        } => {
            let what = format!(
                "{moved}; {} {} paid {} at {}",
                payment.provider.label(),
                payment.reference,
                payment.paid.display(),
                payment.paid_at
            );
            if differences.is_empty() {
                what
            } else {
                let why: Vec<String> = differences.iter().map(ToString::to_string).collect();
                format!("{what}; to review: {}", why.join("; "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{PolicyFailure, PolicyKind, Ranked};
    use crate::testing::{month_plan, server};

    fn input(servers: &[(&str, u32, u32)]) -> SelectionInput {
        SelectionInput {
            plan: month_plan(),
            preferred_region: None,
            candidates: servers
                .iter()
                .map(|(id, capacity, taken)| candidate(&server(id, "eu", *capacity), *taken))
                .collect(),
        }
    }

    fn ranked(ids: &[&str]) -> SelectionDecision {
        SelectionDecision {
            outcome: SelectionOutcome::Ranked {
                servers: ids
                    .iter()
                    .map(|id| Ranked {
                        id: id.parse().unwrap(),
                        weight: 1,
                    })
                    .collect(),
            },
            stamp: PolicyStamp::native("test"),
        }
    }

    #[test]
    fn a_candidate_knows_its_load() {
        let c = candidate(&server("fra-1", "eu", 200), 50);
        assert_eq!(
            (c.active_clients, c.load_permille, c.has_room()),
            (50, 250, true)
        );
        assert!(!candidate(&server("fra-1", "eu", 2), 2).has_room());
    }

    #[test]
    fn the_policys_choice_is_checked_and_a_failure_falls_back() {
        let input = input(&[("fra-1", 10, 9), ("ams-1", 10, 1)]);
        let chosen = |s: Settled| match s {
            Settled::Chosen(mut servers, d, fallback) => (servers.remove(0), d, fallback),
            Settled::NoServer(reason, _) => panic!("no server: {reason}"),
        };
        let (server, _, fallback) = chosen(settle_selection(&input, Ok(ranked(&["fra-1"]))));
        assert_eq!((server.as_str(), fallback), ("fra-1", false));
        // A server that is not a candidate: the built-in ranking, least loaded first.
        let (server, d, fallback) = chosen(settle_selection(&input, Ok(ranked(&["nyc-1"]))));
        assert_eq!((server.as_str(), fallback), ("ams-1", true));
        assert_eq!(d.stamp.name, "least-loaded-fallback");
        let failed = PolicyError {
            kind: PolicyKind::ServerSelection,
            policy_hash: "h".into(),
            failure: PolicyFailure::Trapped,
            message: "trap".into(),
        };
        let (server, _, fallback) = chosen(settle_selection(&input, Err(failed)));
        assert_eq!((server.as_str(), fallback), ("ams-1", true));
        // The policy saying no server is kept, with its reason.
        let none = SelectionDecision {
            outcome: SelectionOutcome::NoServer {
                reason: "closed for maintenance".into(),
            },
            stamp: PolicyStamp::native("test"),
        };
        let Settled::NoServer(reason, decision) = settle_selection(&input, Ok(none)) else {
            panic!("the policy said no server");
        };
        assert_eq!(reason, "closed for maintenance");
        assert!(decision.is_some());
    }

    #[test]
    fn a_plan_on_several_servers_takes_distinct_ones_spread_over_its_regions() {
        let candidates: Vec<Candidate> = [
            ("fra-1", "eu"),
            ("ams-1", "eu"),
            ("nyc-1", "us"),
            ("full", "us"),
        ]
        .iter()
        .map(|(id, region)| {
            let taken = if *id == "full" { 10 } else { 0 };
            candidate(&server(id, region, 10), taken)
        })
        .collect();
        let ranking = ranked(&["fra-1", "fra-1", "ams-1", "full", "nyc-1"]);
        let ids = |r: Result<Vec<ServerId>, String>| {
            r.map(|v| v.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        type Want = Result<Vec<&'static str>, &'static str>;
        let table: [(usize, bool, Want); 5] = [
            (1, false, Ok(vec!["fra-1"])),
            (2, false, Ok(vec!["fra-1", "ams-1"])),
            // Spread: one per region first, in ranking order, then the rest.
            (2, true, Ok(vec!["fra-1", "nyc-1"])),
            (3, true, Ok(vec!["fra-1", "nyc-1", "ams-1"])),
            // A full server never counts; too few is a clear refusal.
            (
                4,
                false,
                Err("the plan needs 4 servers, but only 3 ranked are up with room"),
            ),
        ];
        for (count, spread, want) in table {
            let want = want
                .map(|v| v.iter().map(|s| s.to_string()).collect())
                .map_err(str::to_owned);
            assert_eq!(
                ids(choose_servers(&candidates, &ranking, count, spread)),
                want,
                "{count} spread={spread}"
            );
        }
    }

    #[test]
    fn a_coupon_is_trimmed_and_an_empty_one_is_none() {
        assert_eq!(
            clean_coupon(Some("  SPRING ".into())).as_deref(),
            Some("SPRING")
        );
        assert_eq!(clean_coupon(Some("   ".into())), None);
    }
}
