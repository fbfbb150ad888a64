//! The order state machine (statig, blocking). Pure: handlers and actions never do I/O, read a
//! clock or draw random numbers. Time, the actor, ids and policy decisions arrive in the
//! [`Input`]; effects leave through the [`Ctx`] and are written to the outbox by the caller in the
//! same transaction as the new state.
//!
//! ```text
//!  Open ─────────────────────────────┐      Decided ─────────────────────────────────────┐
//!  │ AwaitingMethod ─ChooseMethod─►   │      │ Provisioning ─Provisioned─► Fulfilled       │
//!  │ AwaitingProof ◄─ChooseMethod─┘   │      │      │  ▲                                   │
//!  │   Cancel ─► Cancelled            │      │ ProvisionFailed  Retry                      │
//!  │   Timeout ─► TimedOut            │      │      ▼  │                                   │
//!  └──AwaitingProof ─SubmitProof─► UnderReview ─Approve─► (Provisioning)  Failed           │
//!                                       └────Decline──► Declined                          │
//!                                            (Approve/Decline here: "already decided")  ──┘
//! ```
//!
//! `PaymentReceived` (a payment an adapter verified with its provider; the System only) is
//! taken in `Open` and in `UnderReview`: exact, it goes to `Provisioning` (or `Failed` when no
//! server has room, for an admin's retry); one that differs goes to `UnderReview` with it.

use jiff::{SignedDuration, Timestamp};
use statig::prelude::*;

use crate::actor::Actor;
use crate::effect::{
    AccessDetails, Alert, DiscordEffect, Notice, OrderSummary, Scheduled, ServerLink,
};
use crate::error::Rejection;
use crate::ids::{MethodId, ServerId, SubscriptionId, UserId};
use crate::order::{
    Event, Input, Order, OrderKind, PROOF_CONTENT_TYPES, Placement, Proof, ProvisionMode,
    ProvisionRequest, ProvisionTarget, Review, ReviewOutcome, State,
};
use crate::payment::{CheckoutRequest, Difference, FlaggedPayment, ReceivedPayment};
use crate::payment_method::render_instructions;
use crate::subscription::period_end;

/// The operator's settings the machine applies. Plain values, so handlers stay pure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// Largest proof screenshot accepted.
    pub max_proof_bytes: u64,
    /// How long a finished order's channel stays before it is closed.
    pub close_channel_after: SignedDuration,
    /// Longest decline reason.
    pub max_reason_chars: usize,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            max_proof_bytes: 8 * 1024 * 1024,
            close_channel_after: SignedDuration::from_mins(60),
            max_reason_chars: 500,
        }
    }
}

/// The machine's context: the rules in, the verdict and effects out.
pub struct Ctx {
    now: Timestamp,
    rules: Rules,
    effects: Vec<Scheduled>,
    verdict: Option<Result<(), Rejection>>,
}

impl Ctx {
    fn new(now: Timestamp, rules: Rules) -> Self {
        Ctx {
            now,
            rules,
            effects: Vec::new(),
            verdict: None,
        }
    }

    fn emit(&mut self, effect: impl Into<Scheduled>) {
        self.effects.push(effect.into());
    }

    fn accept(&mut self, outcome: Outcome<State>) -> Outcome<State> {
        self.verdict = Some(Ok(()));
        outcome
    }

    fn reject(&mut self, rejection: Rejection) -> Outcome<State> {
        self.verdict = Some(Err(rejection));
        Handled
    }

    fn close_channel_at(&self) -> Timestamp {
        self.now
            .saturating_add(self.rules.close_channel_after)
            .unwrap_or(Timestamp::MAX)
    }
}

/// A live order machine.
pub type Machine = statig::blocking::InitializedStateMachine<Order>;

/// Starts a new order in `AwaitingMethod`; its entry action asks for the order channel.
pub fn open(order: Order, rules: Rules) -> (Machine, Vec<Scheduled>) {
    let mut ctx = Ctx::new(order.created_at, rules);
    let machine = order
        .uninitialized_state_machine()
        .init_with_context(&mut ctx);
    (machine, ctx.effects)
}

/// Rebuilds a machine from the database without replaying any entry action into the real
/// world: statig's `init` runs the initial state's entry actions, so they go into a throwaway
/// context, and the stored state is put in place afterwards.
pub fn restore(order: Order, state: State) -> Machine {
    let mut throwaway = Ctx::new(order.updated_at, Rules::default());
    let mut machine = order
        .uninitialized_state_machine()
        .init_with_context(&mut throwaway);
    // SAFETY: statig marks this `unsafe` because a state swapped in by hand could break the
    // machine's invariants, not for memory safety. `state` is what this machine stored itself.
    unsafe {
        *machine.state_mut() = state;
    }
    machine
}

/// Handles one input: the new state and the effects to write, or a rejection (nothing changed
/// that the caller will write: it drops the machine).
pub fn apply(
    machine: &mut Machine,
    input: &Input,
    rules: Rules,
) -> Result<Vec<Scheduled>, Rejection> {
    let mut ctx = Ctx::new(input.at, rules);
    machine.handle_with_context(input, &mut ctx);
    match ctx.verdict {
        Some(Ok(())) => Ok(ctx.effects),
        Some(Err(rejection)) => Err(rejection),
        // Nobody in the hierarchy took the event: not allowed in this state.
        None => Err(Rejection::NotAllowedNow {
            state: machine.state().kind(),
            event: input.event.verb(),
        }),
    }
}

impl Order {
    fn check_owner(&self, actor: Actor) -> Result<(), Rejection> {
        match actor {
            Actor::Shopper(user) if user == self.shopper => Ok(()),
            Actor::Shopper(_) | Actor::Admin(_) | Actor::System => Err(Rejection::NotYourOrder {
                owner: self.shopper,
            }),
        }
    }

    fn check_admin(actor: Actor) -> Result<UserId, Rejection> {
        match actor {
            Actor::Admin(user) => Ok(user),
            _ => Err(Rejection::AdminOnly),
        }
    }

    fn check_system(actor: Actor) -> Result<(), Rejection> {
        match actor {
            Actor::System => Ok(()),
            _ => Err(Rejection::SystemOnly),
        }
    }

    fn choose_method(&mut self, ctx: &mut Ctx, input: &Input, method: &MethodId) -> Outcome<State> {
        if let Err(r) = self.check_owner(input.actor) {
            return ctx.reject(r);
        }
        if !self.offers.methods.iter().any(|m| &m.id == method) {
            return ctx.reject(Rejection::MethodNotOffered);
        }
        self.updated_at = input.at;
        ctx.accept(Transition(State::AwaitingProof {
            method: method.clone(),
        }))
    }

    fn check_proof(proof: &Proof, rules: &Rules) -> Result<(), Rejection> {
        if !PROOF_CONTENT_TYPES.contains(&proof.content_type.as_str()) {
            return Err(Rejection::ProofNotImage);
        }
        if proof.size == 0 || proof.size > rules.max_proof_bytes {
            return Err(Rejection::ProofTooLarge {
                max_bytes: rules.max_proof_bytes,
            });
        }
        Ok(())
    }

    /// The provisioning request for an approval or retry: the period is counted from `at`
    /// (or from the current end, for a renewal that has time left).
    fn provision_request(
        &self,
        target: &ProvisionTarget,
        attempt: u32,
        at: Timestamp,
    ) -> ProvisionRequest {
        ProvisionRequest {
            order: self.id,
            attempt,
            subscription: target.subscription,
            server: target.choice.server.clone(),
            region: target.region.clone(),
            client_email: target.client_email.clone(),
            expires_at: period_end(at, target.current_end, self.plan.duration_days),
            traffic: self.plan.traffic,
            device_limit: self.plan.device_limit,
            mode: match self.kind {
                OrderKind::New => ProvisionMode::Create,
                OrderKind::Renewal { .. } => ProvisionMode::Extend,
            },
            also: target.also.clone(),
        }
    }

    /// A verified automatic payment. Exact: the order is paid and provisioned (or fails over to
    /// an admin's retry when no server has room: the money is never lost). Different: it goes
    /// to review with what differs. `reviewing` is the screenshot under review, if the order
    /// is under review (a payment that completes then closes the review).
    fn take_payment(
        &mut self,
        ctx: &mut Ctx,
        input: &Input,
        payment: &ReceivedPayment,
        differences: &[Difference],
        placement: Option<&Placement>,
        reviewing: Option<Option<&Proof>>,
    ) -> Outcome<State> {
        if let Err(r) = Self::check_system(input.actor) {
            return ctx.reject(r);
        }
        let Some(offer) = self
            .offers
            .methods
            .iter()
            .find(|m| m.provider == Some(payment.provider))
        else {
            return ctx.reject(Rejection::MethodNotOffered);
        };
        let method = offer.id.clone();
        self.updated_at = input.at;
        if !differences.is_empty() {
            return ctx.accept(Transition(State::UnderReview {
                method,
                proof: reviewing.flatten().cloned(),
                payment: Some(Box::new(FlaggedPayment {
                    payment: payment.clone(),
                    differences: differences.to_vec(),
                })),
            }));
        }
        self.payment = Some(payment.clone());
        if reviewing.is_some() {
            ctx.emit(DiscordEffect::ReviewPaid {
                order: self.id,
                provider: payment.provider,
            });
        }
        ctx.emit(self.notify(Notice::PaymentReceived {
            provider: payment.provider,
        }));
        match placement {
            Some(Placement::Target { target }) => {
                self.provision = Some(self.provision_request(target, 1, input.at));
                ctx.accept(Transition(State::Provisioning {
                    server: target.choice.server.clone(),
                    attempt: 1,
                }))
            }
            Some(Placement::NoServer { reason }) => ctx.accept(Transition(State::Failed {
                error: format!("paid, but no server can take the order: {reason}"),
                attempts: 0,
            })),
            None => ctx.accept(Transition(State::Failed {
                error: "paid, but no server was chosen".into(),
                attempts: 0,
            })),
        }
    }

    /// A trial has no payment step: it is provisioned as it opens. With no server to take it,
    /// it does not open at all (the shopper keeps their trial for later).
    fn start_trial(
        &mut self,
        ctx: &mut Ctx,
        input: &Input,
        placement: &Placement,
    ) -> Outcome<State> {
        if let Err(r) = Self::check_system(input.actor) {
            return ctx.reject(r);
        }
        if self.plan.trial.is_none() {
            return ctx.reject(Rejection::NotATrial);
        }
        let target = match placement {
            Placement::Target { target } => target,
            Placement::NoServer { reason } => {
                return ctx.reject(Rejection::NoServer {
                    reason: reason.clone(),
                });
            }
        };
        self.provision = Some(self.provision_request(target, 1, input.at));
        self.updated_at = input.at;
        ctx.accept(Transition(State::Provisioning {
            server: target.choice.server.clone(),
            attempt: 1,
        }))
    }

    fn notify(&self, notice: Notice) -> DiscordEffect {
        DiscordEffect::NotifyShopper {
            order: self.id,
            shopper: self.shopper,
            notice,
        }
    }

    fn close_channel(&self, ctx: &mut Ctx) {
        let at = ctx.close_channel_at();
        ctx.emit(Scheduled::at(
            DiscordEffect::CloseOrderChannel { order: self.id },
            at,
        ));
    }
}

#[state_machine(
    initial = "State::AwaitingMethod",
    state(custom, name = "State"),
    superstate(derive(Debug)),
    event_identifier = "input",
    context_identifier = "ctx"
)]
impl Order {
    #[state(superstate = "open", entry_action = "enter_awaiting_method")]
    fn awaiting_method(&mut self, ctx: &mut Ctx, input: &Input) -> Outcome<State> {
        match &input.event {
            Event::ChooseMethod { method } => self.choose_method(ctx, input, method),
            Event::StartTrial { placement } => self.start_trial(ctx, input, placement),
            _ => Super,
        }
    }

    #[action]
    fn enter_awaiting_method(&mut self, ctx: &mut Ctx) {
        ctx.emit(DiscordEffect::OpenOrderChannel {
            order: OrderSummary::of(self),
            methods: self.offers.methods.clone(),
        });
    }

    #[state(superstate = "open", entry_action = "enter_awaiting_proof")]
    fn awaiting_proof(
        &mut self,
        method: &MethodId,
        ctx: &mut Ctx,
        input: &Input,
    ) -> Outcome<State> {
        match &input.event {
            Event::ChooseMethod { method } => self.choose_method(ctx, input, method),
            Event::SubmitProof { proof } => {
                if let Err(r) = self
                    .check_owner(input.actor)
                    .and_then(|()| Self::check_proof(proof, &ctx.rules))
                {
                    return ctx.reject(r);
                }
                self.updated_at = input.at;
                ctx.accept(Transition(State::UnderReview {
                    method: method.clone(),
                    proof: Some(proof.clone()),
                    payment: None,
                }))
            }
            _ => Super,
        }
    }

    #[action]
    fn enter_awaiting_proof(&mut self, method: &MethodId, ctx: &mut Ctx) {
        // `choose_method` checked that the method is offered.
        if let Some(offer) = self.offers.methods.iter().find(|m| &m.id == method) {
            if let Some(provider) = offer.provider.filter(|p| p.has_checkout()) {
                ctx.emit(Scheduled::now(crate::effect::Effect::Checkout {
                    request: CheckoutRequest {
                        order: self.id,
                        code: self.code(),
                        shopper: self.shopper,
                        provider,
                        method: method.clone(),
                        amount: self.quote.total,
                        description: format!("{} ({})", self.plan.name, self.code()),
                        expires_at: self.deadline,
                        requested_at: Some(self.updated_at),
                    },
                }));
            }
            ctx.emit(DiscordEffect::ShowPaymentInstructions {
                order: self.id,
                shopper: self.shopper,
                method: method.clone(),
                label: offer.label.clone(),
                instructions: render_instructions(
                    &offer.instructions,
                    self.quote.total,
                    &self.code(),
                ),
                provider: offer.provider,
            });
        }
    }

    /// Unpaid orders: the shopper may cancel (an admin too), and they time out.
    #[superstate]
    fn open(&mut self, ctx: &mut Ctx, input: &Input) -> Outcome<State> {
        match &input.event {
            Event::Cancel => {
                let allowed = input.actor.is_admin() || self.check_owner(input.actor).is_ok();
                if !allowed {
                    return ctx.reject(Rejection::NotYourOrder {
                        owner: self.shopper,
                    });
                }
                self.updated_at = input.at;
                ctx.accept(Transition(State::Cancelled { by: input.actor }))
            }
            Event::Timeout => {
                if let Err(r) = Self::check_system(input.actor) {
                    return ctx.reject(r);
                }
                if input.at < self.deadline {
                    return ctx.reject(Rejection::NotDue);
                }
                self.updated_at = input.at;
                ctx.accept(Transition(State::TimedOut))
            }
            Event::PaymentReceived {
                payment,
                differences,
                placement,
            } => self.take_payment(ctx, input, payment, differences, placement.as_ref(), None),
            _ => Super,
        }
    }

    #[state(entry_action = "enter_under_review")]
    fn under_review(
        &mut self,
        method: &MethodId,
        proof: &Option<Proof>,
        payment: &Option<Box<FlaggedPayment>>,
        ctx: &mut Ctx,
        input: &Input,
    ) -> Outcome<State> {
        let _ = method;
        match &input.event {
            Event::PaymentReceived {
                payment: received,
                differences,
                placement,
            } => self.take_payment(
                ctx,
                input,
                received,
                differences,
                placement.as_ref(),
                Some(proof.as_ref()),
            ),
            Event::Approve { placement } => {
                let by = match Self::check_admin(input.actor) {
                    Ok(by) => by,
                    Err(r) => return ctx.reject(r),
                };
                let target = match placement {
                    Placement::Target { target } => target,
                    Placement::NoServer { reason } => {
                        return ctx.reject(Rejection::NoServer {
                            reason: reason.clone(),
                        });
                    }
                };
                self.review = Some(Review {
                    outcome: ReviewOutcome::Approved,
                    by,
                    at: input.at,
                });
                if let Some(flagged) = payment {
                    self.payment = Some(flagged.payment.clone());
                }
                self.provision = Some(self.provision_request(target, 1, input.at));
                self.updated_at = input.at;
                ctx.emit(DiscordEffect::CloseReview {
                    order: self.id,
                    outcome: ReviewOutcome::Approved,
                    by,
                });
                ctx.accept(Transition(State::Provisioning {
                    server: target.choice.server.clone(),
                    attempt: 1,
                }))
            }
            Event::Decline { reason } => {
                let by = match Self::check_admin(input.actor) {
                    Ok(by) => by,
                    Err(r) => return ctx.reject(r),
                };
                let reason = reason.trim();
                if reason.is_empty() || reason.chars().count() > ctx.rules.max_reason_chars {
                    return ctx.reject(Rejection::BadReason {
                        max: ctx.rules.max_reason_chars,
                    });
                }
                self.review = Some(Review {
                    outcome: ReviewOutcome::Declined,
                    by,
                    at: input.at,
                });
                self.updated_at = input.at;
                ctx.emit(DiscordEffect::CloseReview {
                    order: self.id,
                    outcome: ReviewOutcome::Declined,
                    by,
                });
                ctx.accept(Transition(State::Declined {
                    reason: reason.to_owned(),
                    by,
                }))
            }
            _ => Super,
        }
    }

    #[action]
    fn enter_under_review(
        &mut self,
        method: &MethodId,
        proof: &Option<Proof>,
        payment: &Option<Box<FlaggedPayment>>,
        ctx: &mut Ctx,
    ) {
        let method_label = self
            .offers
            .methods
            .iter()
            .find(|m| &m.id == method)
            .map_or_else(|| method.to_string(), |m| m.label.clone());
        ctx.emit(DiscordEffect::RequestReview {
            order: OrderSummary::of(self),
            method: method.clone(),
            method_label,
            proof: proof.clone(),
            payment: payment.clone(),
        });
        ctx.emit(self.notify(match payment {
            Some(flagged) => Notice::PaymentNeedsReview {
                provider: flagged.payment.provider,
                differences: flagged.differences.clone(),
            },
            None => Notice::UnderReview,
        }));
    }

    #[state(superstate = "decided", entry_action = "enter_provisioning")]
    fn provisioning(
        &mut self,
        server: &ServerId,
        attempt: &u32,
        ctx: &mut Ctx,
        input: &Input,
    ) -> Outcome<State> {
        let _ = server;
        let (Event::Provisioned { attempt: got, .. } | Event::ProvisionFailed { attempt: got, .. }) =
            &input.event
        else {
            return Super;
        };
        if let Err(r) = Self::check_system(input.actor) {
            return ctx.reject(r);
        }
        if got != attempt {
            return ctx.reject(Rejection::StaleAttempt {
                expected: *attempt,
                got: *got,
            });
        }
        let Some(request) = self.provision.clone() else {
            // Approve and Retry always set the request before entering this state.
            return ctx.reject(Rejection::StaleAttempt {
                expected: 0,
                got: *got,
            });
        };
        self.updated_at = input.at;
        match &input.event {
            Event::Provisioned { access, also, .. } => {
                if also.len() != request.also.len() {
                    return ctx.reject(Rejection::IncompleteProvisioning {
                        expected: request.also.len() + 1,
                        got: also.len() + 1,
                    });
                }
                let also = request
                    .also
                    .iter()
                    .zip(also)
                    .map(|(target, access)| ServerLink {
                        server: target.server.clone(),
                        region: target.region.clone(),
                        link: access.access.clone(),
                    })
                    .collect();
                ctx.emit(DiscordEffect::DeliverAccess {
                    order: self.id,
                    shopper: self.shopper,
                    access: AccessDetails {
                        subscription: request.subscription,
                        plan_name: self.plan.name.clone(),
                        server: request.server.clone(),
                        region: request.region.clone(),
                        expires_at: access.expires_at,
                        traffic: self.plan.traffic,
                        device_limit: self.plan.device_limit,
                        link: access.access.clone(),
                        alternatives: access.alternatives.clone(),
                        subscription_url: access.subscription_url.clone(),
                        renewal: matches!(self.kind, OrderKind::Renewal { .. }),
                        also,
                    },
                });
                ctx.accept(Transition(State::Fulfilled {
                    subscription: request.subscription,
                }))
            }
            Event::ProvisionFailed { error, .. } => ctx.accept(Transition(State::Failed {
                error: error.clone(),
                attempts: *attempt,
            })),
            _ => unreachable!("matched above"),
        }
    }

    #[action]
    fn enter_provisioning(&mut self, ctx: &mut Ctx) {
        if let Some(request) = self.provision.clone() {
            ctx.emit(Scheduled::now(crate::effect::Effect::Provision { request }));
        }
    }

    #[state(superstate = "decided", entry_action = "enter_fulfilled")]
    fn fulfilled(&mut self, subscription: &SubscriptionId, input: &Input) -> Outcome<State> {
        let _ = (subscription, input);
        Super
    }

    #[action]
    fn enter_fulfilled(&mut self, ctx: &mut Ctx) {
        self.close_channel(ctx);
    }

    #[state(superstate = "decided", entry_action = "enter_failed")]
    fn failed(
        &mut self,
        error: &String,
        attempts: &u32,
        ctx: &mut Ctx,
        input: &Input,
    ) -> Outcome<State> {
        let _ = error;
        match &input.event {
            Event::Retry { placement } => {
                if let Err(r) = Self::check_admin(input.actor) {
                    return ctx.reject(r);
                }
                let target = match placement {
                    Placement::Target { target } => target,
                    Placement::NoServer { reason } => {
                        return ctx.reject(Rejection::NoServer {
                            reason: reason.clone(),
                        });
                    }
                };
                let attempt = attempts + 1;
                self.provision = Some(self.provision_request(target, attempt, input.at));
                self.updated_at = input.at;
                ctx.accept(Transition(State::Provisioning {
                    server: target.choice.server.clone(),
                    attempt,
                }))
            }
            _ => Super,
        }
    }

    #[action]
    fn enter_failed(&mut self, error: &str, attempts: &u32, ctx: &mut Ctx) {
        ctx.emit(DiscordEffect::AlertAdmins {
            alert: Alert::about(
                crate::alert::AlertKind::ProvisioningFailed {
                    code: self.code(),
                    attempts: *attempts,
                    error: error.to_owned(),
                },
                Some(self.id),
                true,
            ),
        });
        ctx.emit(self.notify(Notice::ProvisioningDelayed));
    }

    #[state(superstate = "decided", entry_action = "enter_declined")]
    fn declined(&mut self, reason: &String, by: &UserId, input: &Input) -> Outcome<State> {
        let _ = (reason, by, input);
        Super
    }

    #[action]
    fn enter_declined(&mut self, reason: &str, ctx: &mut Ctx) {
        ctx.emit(self.notify(Notice::Declined {
            reason: reason.to_owned(),
        }));
        self.close_channel(ctx);
    }

    /// Orders an admin has decided on: a second decision is refused with who made the first.
    #[superstate]
    fn decided(&mut self, ctx: &mut Ctx, input: &Input) -> Outcome<State> {
        match (&input.event, self.review) {
            (Event::Approve { .. } | Event::Decline { .. }, Some(review)) => {
                ctx.reject(Rejection::AlreadyDecided {
                    outcome: review.outcome,
                    by: review.by,
                })
            }
            _ => Super,
        }
    }

    #[state(entry_action = "enter_cancelled")]
    fn cancelled(&mut self, by: &Actor, input: &Input) -> Outcome<State> {
        let _ = (by, input);
        Super
    }

    #[action]
    fn enter_cancelled(&mut self, by: &Actor, ctx: &mut Ctx) {
        ctx.emit(self.notify(Notice::Cancelled {
            by_admin: by.is_admin(),
        }));
        self.close_channel(ctx);
    }

    #[state(entry_action = "enter_timed_out")]
    fn timed_out(&mut self, input: &Input) -> Outcome<State> {
        let _ = input;
        Super
    }

    #[action]
    fn enter_timed_out(&mut self, ctx: &mut Ctx) {
        ctx.emit(self.notify(Notice::TimedOut));
        self.close_channel(ctx);
    }
}
