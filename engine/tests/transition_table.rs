//! The order state machine as a table: every state against every event.
//!
//! Each event is sent by the actor allowed to send it, with valid data, so the state alone
//! decides. A cell is either the next state with the effects it asks for, or a rejection; a
//! rejection leaves the order and its state exactly as they were and asks for nothing.

use jiff::{SignedDuration, Timestamp};
use nebula_engine::actor::Actor;
use nebula_engine::effect::Scheduled;
use nebula_engine::error::Rejection;
use nebula_engine::ids::{OrderId, ServerId, SubscriptionId, UserId};
use nebula_engine::machine::{self, Rules};
use nebula_engine::order::{
    EVENT_NAMES, Event, Input, Order, OrderKind, Placement, Proof, ProvisionTarget,
    ProvisionedAccess, Review, ReviewOutcome, State, StateKind,
};
use nebula_engine::payment::{Paid, Provider, ReceivedPayment};
use nebula_engine::policy::{MethodOffer, MethodOffers, PolicyStamp, ServerChoice};
use nebula_engine::quote::Quote;
use nebula_engine::subscription::AccessLink;
use nebula_engine::testing::{month_plan, wallet_method};
use nebula_engine::trial::Trial;
use ulid::Ulid;

const SHOPPER: UserId = UserId(100);
const STRANGER: UserId = UserId(101);
const ADMIN: UserId = UserId(900);
const OTHER_ADMIN: UserId = UserId(901);

fn t0() -> Timestamp {
    "2026-11-24T10:00:00Z".parse().unwrap()
}

fn sub_id() -> SubscriptionId {
    SubscriptionId(Ulid(7))
}

fn order() -> Order {
    let plan = month_plan();
    let method = wallet_method();
    Order {
        id: OrderId(Ulid(42)),
        shopper: SHOPPER,
        kind: OrderKind::New,
        quote: Quote::enforce(plan.price, vec![], None, PolicyStamp::native("test")).unwrap(),
        plan,
        offers: MethodOffers {
            methods: vec![
                MethodOffer {
                    id: method.id.clone(),
                    label: method.label.clone(),
                    kind: method.kind,
                    instructions: method.instructions.clone(),
                    provider: None,
                },
                MethodOffer {
                    id: "btcpay".parse().unwrap(),
                    label: "BTCPay".into(),
                    kind: nebula_engine::payment_method::MethodKind::Crypto,
                    instructions: "Pay {amount} on the page below.".into(),
                    provider: Some(Provider::Btcpay),
                },
            ],
            policy: PolicyStamp::native("test"),
        },
        first_order: true,
        preferred_region: None,
        created_at: t0(),
        updated_at: t0(),
        deadline: t0() + SignedDuration::from_mins(30),
        review: None,
        provision: None,
        events: 1,
        purged_at: None,
        payment: None,
    }
}

fn proof() -> Proof {
    Proof {
        filename: "receipt.png".into(),
        content_type: "image/png".into(),
        size: 20_000,
        sha256: "ab".repeat(32),
        duplicate_of: None,
    }
}

fn btcpay_payment() -> ReceivedPayment {
    ReceivedPayment {
        provider: Provider::Btcpay,
        reference: "inv-1".into(),
        paid: Paid::Money {
            amount: month_plan().price,
        },
        paid_at: t0(),
        late: false,
    }
}

fn target() -> ProvisionTarget {
    ProvisionTarget {
        choice: ServerChoice {
            server: ServerId::new("fra-1").unwrap(),
            policy: PolicyStamp::native("test"),
            fallback: false,
        },
        region: "eu".into(),
        subscription: sub_id(),
        client_email: OrderId(Ulid(42)).client_email(),
        current_end: None,
        also: Vec::new(),
    }
}

/// The order as it is in each state, as the machine would have left it.
fn in_state(name: &str) -> (Order, State) {
    let mut o = order();
    let approved = Review {
        outcome: ReviewOutcome::Approved,
        by: ADMIN,
        at: t0(),
    };
    let provision = |o: &Order, attempt| {
        let mut m = machine::restore(
            o.clone(),
            State::UnderReview {
                method: wallet_method().id,
                proof: Some(proof()),
                payment: None,
            },
        );
        machine::apply(
            &mut m,
            &admin(Event::Approve {
                placement: Placement::Target { target: target() },
            }),
            Rules::default(),
        )
        .unwrap();
        let mut p = m.inner().provision.clone().unwrap();
        p.attempt = attempt;
        p
    };
    let state = match name {
        "awaiting_method" => State::AwaitingMethod,
        "awaiting_proof" => State::AwaitingProof {
            method: wallet_method().id,
        },
        "under_review" => State::UnderReview {
            method: wallet_method().id,
            proof: Some(proof()),
            payment: None,
        },
        "provisioning" => {
            o.provision = Some(provision(&o, 1));
            o.review = Some(approved);
            State::Provisioning {
                server: ServerId::new("fra-1").unwrap(),
                attempt: 1,
            }
        }
        "fulfilled" => {
            o.provision = Some(provision(&o, 1));
            o.review = Some(approved);
            State::Fulfilled {
                subscription: sub_id(),
            }
        }
        "declined" => {
            o.review = Some(Review {
                outcome: ReviewOutcome::Declined,
                by: ADMIN,
                at: t0(),
            });
            State::Declined {
                reason: "blurry".into(),
                by: ADMIN,
            }
        }
        "cancelled" => State::Cancelled {
            by: Actor::Shopper(SHOPPER),
        },
        "timed_out" => State::TimedOut,
        "failed" => {
            o.provision = Some(provision(&o, 1));
            o.review = Some(approved);
            State::Failed {
                error: "panel down".into(),
                attempts: 1,
            }
        }
        other => panic!("unknown state {other}"),
    };
    (o, state)
}

fn at(actor: Actor, event: Event) -> Input {
    // Late enough for the timeout, so that only the state decides.
    Input {
        at: t0() + SignedDuration::from_mins(31),
        actor,
        event,
    }
}

fn admin(event: Event) -> Input {
    at(Actor::Admin(ADMIN), event)
}

/// Each event, from the actor allowed to send it, with valid data.
fn event(name: &str) -> Input {
    let shopper = Actor::Shopper(SHOPPER);
    match name {
        "choose_method" => at(
            shopper,
            Event::ChooseMethod {
                method: wallet_method().id,
            },
        ),
        "submit_proof" => at(shopper, Event::SubmitProof { proof: proof() }),
        "approve" => admin(Event::Approve {
            placement: Placement::Target { target: target() },
        }),
        "decline" => admin(Event::Decline {
            reason: "amount does not match".into(),
        }),
        "cancel" => at(shopper, Event::Cancel),
        "timeout" => at(Actor::System, Event::Timeout),
        "provisioned" => at(
            Actor::System,
            Event::Provisioned {
                attempt: 1,
                access: ProvisionedAccess {
                    access: AccessLink::new("vless://secret@fra-1.vpn.example:443"),
                    alternatives: Vec::new(),
                    subscription_url: None,
                    expires_at: t0() + SignedDuration::from_hours(24 * 30),
                },
                also: Vec::new(),
            },
        ),
        "provision_failed" => at(
            Actor::System,
            Event::ProvisionFailed {
                attempt: 1,
                error: "panel down".into(),
            },
        ),
        "retry" => admin(Event::Retry {
            placement: Placement::Target { target: target() },
        }),
        "payment_received" => at(
            Actor::System,
            Event::PaymentReceived {
                payment: btcpay_payment(),
                differences: Vec::new(),
                placement: Some(Placement::Target { target: target() }),
            },
        ),
        "start_trial" => at(
            Actor::System,
            Event::StartTrial {
                placement: Placement::Target { target: target() },
            },
        ),
        other => panic!("unknown event {other}"),
    }
}

#[derive(Debug)]
enum Cell {
    /// Next state and the names of the effects, in order.
    Goes(&'static str, &'static [&'static str]),
    /// Not allowed in this state.
    Refused,
    /// Already decided (approved or declined) by `ADMIN`.
    Decided(ReviewOutcome),
}

use Cell::*;

const APPROVED: Cell = Decided(ReviewOutcome::Approved);
const DECLINED: Cell = Decided(ReviewOutcome::Declined);

/// Rows: states in `StateKind::ALL` order. Columns: events in `EVENT_NAMES` order:
/// choose_method, submit_proof, approve, decline, cancel, timeout, provisioned, provision_failed,
/// retry, payment_received, start_trial (sent for a trial's order: only a trial starts as one).
fn table() -> [[Cell; 11]; 9] {
    let instructions = Goes("awaiting_proof", &["show_payment_instructions"]);
    let cancelled = || Goes("cancelled", &["notify_shopper", "close_order_channel"]);
    let timed_out = || Goes("timed_out", &["notify_shopper", "close_order_channel"]);
    [
        // awaiting_method
        [
            instructions,
            Refused,
            Refused,
            Refused,
            cancelled(),
            timed_out(),
            Refused,
            Refused,
            Refused,
            Goes("provisioning", &["notify_shopper", "provision"]),
            Goes("provisioning", &["provision"]),
        ],
        // awaiting_proof
        [
            Goes("awaiting_proof", &["show_payment_instructions"]),
            Goes("under_review", &["request_review", "notify_shopper"]),
            Refused,
            Refused,
            cancelled(),
            timed_out(),
            Refused,
            Refused,
            Refused,
            Goes("provisioning", &["notify_shopper", "provision"]),
            Refused,
        ],
        // under_review
        [
            Refused,
            Refused,
            Goes("provisioning", &["close_review", "provision"]),
            Goes(
                "declined",
                &["close_review", "notify_shopper", "close_order_channel"],
            ),
            Refused,
            Refused,
            Refused,
            Refused,
            Refused,
            Goes(
                "provisioning",
                &["review_paid", "notify_shopper", "provision"],
            ),
            Refused,
        ],
        // provisioning
        [
            Refused,
            Refused,
            APPROVED,
            APPROVED,
            Refused,
            Refused,
            Goes("fulfilled", &["deliver_access", "close_order_channel"]),
            Goes("failed", &["alert_admins", "notify_shopper"]),
            Refused,
            Refused,
            Refused,
        ],
        // fulfilled
        [
            Refused, Refused, APPROVED, APPROVED, Refused, Refused, Refused, Refused, Refused,
            Refused, Refused,
        ],
        // declined
        [
            Refused, Refused, DECLINED, DECLINED, Refused, Refused, Refused, Refused, Refused,
            Refused, Refused,
        ],
        // cancelled
        [
            Refused, Refused, Refused, Refused, Refused, Refused, Refused, Refused, Refused,
            Refused, Refused,
        ],
        // timed_out
        [
            Refused, Refused, Refused, Refused, Refused, Refused, Refused, Refused, Refused,
            Refused, Refused,
        ],
        // failed
        [
            Refused,
            Refused,
            APPROVED,
            APPROVED,
            Refused,
            Refused,
            Refused,
            Refused,
            Goes("provisioning", &["provision"]),
            Refused,
            Refused,
        ],
    ]
}

fn names(effects: &[Scheduled]) -> Vec<&'static str> {
    effects.iter().map(|s| s.effect.name()).collect()
}

#[test]
fn every_state_against_every_event() {
    let table = table();
    let mut checked = 0;
    for (row, state_name) in StateKind::ALL.iter().map(|k| k.name()).enumerate() {
        for (col, event_name) in EVENT_NAMES.iter().enumerate() {
            let (mut order, state) = in_state(state_name);
            if *event_name == "start_trial" {
                order.plan.trial = Some(Trial::default());
            }
            let mut m = machine::restore(order.clone(), state.clone());
            let input = event(event_name);
            let result = machine::apply(&mut m, &input, Rules::default());
            let cell = &table[row][col];
            let here = format!("{state_name} + {event_name}");
            match (cell, result) {
                (Goes(next, effects), Ok(got)) => {
                    assert_eq!(m.state().name(), *next, "{here}");
                    assert_eq!(names(&got), *effects, "{here}");
                    assert_eq!(
                        m.inner().updated_at,
                        input.at,
                        "{here}: the order records when it moved"
                    );
                }
                (Refused, Err(Rejection::NotAllowedNow { state, event })) => {
                    assert_eq!(state, m.state().kind(), "{here}");
                    assert_eq!(event, input.event.verb(), "{here}");
                }
                (Decided(outcome), Err(Rejection::AlreadyDecided { outcome: got, by })) => {
                    assert_eq!((got, by), (*outcome, ADMIN), "{here}");
                }
                (cell, result) => panic!("{here}: expected {cell:?}, got {result:?}"),
            }
            if !matches!(cell, Goes(..)) {
                assert_eq!(m.state(), &state, "{here}: a rejection keeps the state");
                assert_eq!(m.inner(), &order, "{here}: a rejection keeps the order");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 99);
}

/// The actor rules: the right event in the right state from the wrong actor, and data the
/// machine refuses. Each is rejected with nothing changed.
#[test]
fn wrong_actors_and_bad_data_are_rejected_without_change() {
    let shopper = Actor::Shopper(SHOPPER);
    let stranger = Actor::Shopper(STRANGER);
    let early = t0() + SignedDuration::from_mins(5);
    let big = Proof {
        size: 9 * 1024 * 1024,
        ..proof()
    };
    let pdf = Proof {
        content_type: "application/pdf".into(),
        ..proof()
    };
    let no_server = Placement::NoServer {
        reason: "every server is full".into(),
    };
    let cases: Vec<(&str, Input, Rejection)> = vec![
        (
            "awaiting_proof",
            at(
                shopper,
                Event::PaymentReceived {
                    payment: btcpay_payment(),
                    differences: Vec::new(),
                    placement: Some(Placement::Target { target: target() }),
                },
            ),
            Rejection::SystemOnly,
        ),
        (
            "awaiting_proof",
            at(
                Actor::System,
                Event::PaymentReceived {
                    payment: ReceivedPayment {
                        provider: Provider::Stripe,
                        ..btcpay_payment()
                    },
                    differences: Vec::new(),
                    placement: Some(Placement::Target { target: target() }),
                },
            ),
            Rejection::MethodNotOffered,
        ),
        (
            "awaiting_method",
            at(
                stranger,
                Event::ChooseMethod {
                    method: wallet_method().id,
                },
            ),
            Rejection::NotYourOrder { owner: SHOPPER },
        ),
        (
            "awaiting_method",
            at(
                Actor::Admin(ADMIN),
                Event::ChooseMethod {
                    method: wallet_method().id,
                },
            ),
            Rejection::NotYourOrder { owner: SHOPPER },
        ),
        (
            "awaiting_method",
            at(
                shopper,
                Event::ChooseMethod {
                    method: "crypto".parse().unwrap(),
                },
            ),
            Rejection::MethodNotOffered,
        ),
        (
            "awaiting_proof",
            at(stranger, Event::SubmitProof { proof: proof() }),
            Rejection::NotYourOrder { owner: SHOPPER },
        ),
        (
            "awaiting_proof",
            at(shopper, Event::SubmitProof { proof: pdf }),
            Rejection::ProofNotImage,
        ),
        (
            "awaiting_proof",
            at(shopper, Event::SubmitProof { proof: big }),
            Rejection::ProofTooLarge {
                max_bytes: 8 * 1024 * 1024,
            },
        ),
        (
            "awaiting_proof",
            at(stranger, Event::Cancel),
            Rejection::NotYourOrder { owner: SHOPPER },
        ),
        (
            "awaiting_proof",
            at(shopper, Event::Timeout),
            Rejection::SystemOnly,
        ),
        (
            "awaiting_proof",
            Input {
                at: early,
                actor: Actor::System,
                event: Event::Timeout,
            },
            Rejection::NotDue,
        ),
        (
            "under_review",
            at(
                shopper,
                Event::Approve {
                    placement: Placement::Target { target: target() },
                },
            ),
            Rejection::AdminOnly,
        ),
        (
            "under_review",
            at(
                shopper,
                Event::Decline {
                    reason: "no".into(),
                },
            ),
            Rejection::AdminOnly,
        ),
        (
            "under_review",
            admin(Event::Decline {
                reason: "   ".into(),
            }),
            Rejection::BadReason { max: 500 },
        ),
        (
            "under_review",
            admin(Event::Decline {
                reason: "x".repeat(501),
            }),
            Rejection::BadReason { max: 500 },
        ),
        (
            "under_review",
            admin(Event::Approve {
                placement: no_server.clone(),
            }),
            Rejection::NoServer {
                reason: "every server is full".into(),
            },
        ),
        (
            "under_review",
            at(shopper, Event::Cancel),
            Rejection::NotAllowedNow {
                state: nebula_engine::order::StateKind::UnderReview,
                event: "be cancelled",
            },
        ),
        (
            "provisioning",
            at(
                Actor::Admin(ADMIN),
                Event::ProvisionFailed {
                    attempt: 1,
                    error: "x".into(),
                },
            ),
            Rejection::SystemOnly,
        ),
        (
            "provisioning",
            at(
                Actor::System,
                Event::ProvisionFailed {
                    attempt: 2,
                    error: "x".into(),
                },
            ),
            Rejection::StaleAttempt {
                expected: 1,
                got: 2,
            },
        ),
        (
            "failed",
            at(
                shopper,
                Event::Retry {
                    placement: Placement::Target { target: target() },
                },
            ),
            Rejection::AdminOnly,
        ),
        (
            "failed",
            admin(Event::Retry {
                placement: no_server,
            }),
            Rejection::NoServer {
                reason: "every server is full".into(),
            },
        ),
    ];
    for (state_name, input, expected) in cases {
        let (order, state) = in_state(state_name);
        let mut m = machine::restore(order.clone(), state.clone());
        let got = machine::apply(&mut m, &input, Rules::default());
        assert_eq!(
            got,
            Err(expected.clone()),
            "{state_name} + {:?}",
            input.event.name()
        );
        assert_eq!(
            (m.state(), m.inner()),
            (&state, &order),
            "{state_name}: {expected} changed something"
        );
    }
}

#[test]
fn an_admin_may_cancel_an_open_order_and_the_shopper_is_told_who() {
    let (order, state) = in_state("awaiting_proof");
    let mut m = machine::restore(order, state);
    machine::apply(
        &mut m,
        &at(Actor::Admin(OTHER_ADMIN), Event::Cancel),
        Rules::default(),
    )
    .unwrap();
    assert_eq!(
        m.state(),
        &State::Cancelled {
            by: Actor::Admin(OTHER_ADMIN)
        }
    );
}

#[test]
fn opening_asks_for_the_channel_and_restoring_replays_nothing() {
    let (m, effects) = machine::open(order(), Rules::default());
    assert_eq!(names(&effects), ["open_order_channel"]);
    assert_eq!(m.state(), &State::AwaitingMethod);

    // Restoring any state runs no entry action into the caller's world: the next input's
    // effects are exactly that input's.
    let (o, s) = in_state("under_review");
    let mut m = machine::restore(o, s);
    let effects = machine::apply(&mut m, &event("approve"), Rules::default()).unwrap();
    assert_eq!(names(&effects), ["close_review", "provision"]);
}

#[test]
fn instructions_are_filled_in_and_finished_orders_close_their_channel_later() {
    let (o, s) = in_state("awaiting_method");
    let code = o.code();
    let mut m = machine::restore(o, s);
    let effects = machine::apply(&mut m, &event("choose_method"), Rules::default()).unwrap();
    let nebula_engine::effect::Effect::Discord {
        effect: nebula_engine::effect::DiscordEffect::ShowPaymentInstructions { instructions, .. },
    } = &effects[0].effect
    else {
        panic!("expected instructions, got {effects:?}");
    };
    assert_eq!(
        instructions,
        &format!("Send 250.00 EGP to 0100 000 0000 with reference {code}.")
    );

    let (o, s) = in_state("awaiting_proof");
    let mut m = machine::restore(o, s);
    let input = event("cancel");
    let effects = machine::apply(&mut m, &input, Rules::default()).unwrap();
    assert_eq!(effects[0].not_before, None, "the notice goes now");
    assert_eq!(
        effects[1].not_before,
        Some(input.at + Rules::default().close_channel_after)
    );
}

#[test]
fn a_renewal_extends_from_the_current_end() {
    let mut o = order();
    o.kind = OrderKind::Renewal {
        subscription: sub_id(),
    };
    let current_end = t0() + SignedDuration::from_hours(24 * 10);
    let mut m = machine::restore(
        o,
        State::UnderReview {
            method: wallet_method().id,
            proof: Some(proof()),
            payment: None,
        },
    );
    let mut tgt = target();
    tgt.current_end = Some(current_end);
    machine::apply(
        &mut m,
        &admin(Event::Approve {
            placement: Placement::Target { target: tgt },
        }),
        Rules::default(),
    )
    .unwrap();
    let request = m.inner().provision.clone().unwrap();
    assert_eq!(request.mode, nebula_engine::order::ProvisionMode::Extend);
    assert_eq!(
        request.expires_at,
        current_end + SignedDuration::from_hours(24 * 30)
    );
}

/// Only the System starts a trial, and only an order of a trial plan starts as one.
#[test]
fn a_trial_starts_only_from_the_system_and_only_for_a_trial_plan() {
    let start = |actor| {
        at(
            actor,
            Event::StartTrial {
                placement: Placement::Target { target: target() },
            },
        )
    };
    let (plain, state) = in_state("awaiting_method");
    let mut trial = plain.clone();
    trial.plan.trial = Some(Trial::default());
    let cases = [
        (&plain, start(Actor::System), Rejection::NotATrial),
        (
            &trial,
            start(Actor::Shopper(SHOPPER)),
            Rejection::SystemOnly,
        ),
        (&trial, start(Actor::Admin(ADMIN)), Rejection::SystemOnly),
        (
            &trial,
            at(
                Actor::System,
                Event::StartTrial {
                    placement: Placement::NoServer {
                        reason: "full".into(),
                    },
                },
            ),
            Rejection::NoServer {
                reason: "full".into(),
            },
        ),
    ];
    for (order, input, expected) in cases {
        let mut m = machine::restore(order.clone(), state.clone());
        assert_eq!(
            machine::apply(&mut m, &input, Rules::default()),
            Err(expected)
        );
        assert_eq!(m.state(), &state);
    }
}
