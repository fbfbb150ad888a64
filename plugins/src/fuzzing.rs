//! Fuzz entry point: whatever a policy might answer (it is an operator's code, or a stranger's),
//! as the host converts it, and then as the engine applies it. A bad answer is a
//! `BadOutput` or a policy error that fails the call; nothing panics; what is accepted keeps the
//! engine's rules (a total at zero or above in the plan's currency; only offered methods; only
//! candidate servers with room).

use arbitrary::{Arbitrary, Unstructured};
use nebula_engine::ids::ServerId;
use nebula_engine::money::{Currency, Money};
use nebula_engine::payment_method::{MethodKind, PaymentMethod};
use nebula_engine::policy::{
    self as engine, Candidate, MethodsDecision, PolicyStamp, PricingOutcome, SelectionDecision,
};
use nebula_engine::quote::Quote;
use nebula_engine::server::ServerStatus;

use crate::bindings::{payment_methods as pm, pricing as pr, server_selection as ss};
use crate::convert;

#[derive(Arbitrary, Debug)]
enum Pricing {
    Reject(String),
    Adjust(Vec<(String, i64)>),
}

#[derive(Arbitrary, Debug)]
enum MethodOp {
    Hide(String),
    Rename(String, String),
    MoveTo(String, u32),
    ReplaceInstructions(String, String),
}

#[derive(Arbitrary, Debug)]
enum Selection {
    NoServer(String),
    Ranked(Vec<(String, u32)>),
}

#[derive(Arbitrary, Debug)]
enum Output {
    Pricing {
        base_minor: i64,
        answer: Pricing,
    },
    Methods(Vec<MethodOp>),
    Selection {
        answer: Selection,
        count: u8,
        spread: bool,
    },
}

fn methods() -> Vec<PaymentMethod> {
    ["wallet", "bank", "crypto"]
        .into_iter()
        .map(|id| PaymentMethod {
            id: id.parse().unwrap(),
            label: id.to_owned(),
            kind: MethodKind::MobileWallet,
            instructions: format!("Pay {{amount}} for {{order}} by {id}."),
            min: None,
            max: None,
            enabled: true,
            provider: None,
        })
        .collect()
}

fn candidates() -> Vec<Candidate> {
    [
        ("fra-1", "eu", 10, 3),
        ("fra-2", "eu", 5, 5),
        ("nyc-1", "us", 8, 0),
    ]
    .into_iter()
    .map(|(id, region, capacity, active)| Candidate {
        id: ServerId::new(id).unwrap(),
        region: region.into(),
        capacity,
        active_clients: active,
        status: ServerStatus::Up,
        load_permille: engine::load_permille(active, capacity),
        tags: vec![],
    })
    .collect()
}

fn pricing(base_minor: i64, answer: Pricing) {
    use pr::exports::nebula::policy::pricing_policy::{Adjustment, PricingOutcome as W};
    let wire = match answer {
        Pricing::Reject(reason) => W::Reject(reason),
        Pricing::Adjust(list) => W::Adjust(
            list.into_iter()
                .map(|(label, amount_minor)| Adjustment {
                    label,
                    amount_minor,
                })
                .collect(),
        ),
    };
    let _ = convert::pricing_output_size(&wire);
    let currency = Currency::from_code("EUR").unwrap();
    let Ok(outcome) = convert::pricing_outcome(wire, currency) else {
        return;
    };
    let PricingOutcome::Adjust { adjustments } = outcome else {
        return;
    };
    let base = Money::new(base_minor.checked_abs().unwrap_or(i64::MAX), currency);
    if let Ok(quote) = Quote::enforce(base, adjustments, None, PolicyStamp::native("fuzz")) {
        assert!(!quote.total.is_negative(), "a negative total: {quote:?}");
        assert_eq!(quote.total.currency, currency);
        let sum = quote
            .adjustments
            .iter()
            .try_fold(quote.base, |t, a| t.checked_add(a.amount));
        assert_eq!(
            sum.ok(),
            Some(quote.total),
            "the lines do not add up: {quote:?}"
        );
    }
}

fn payment_methods(ops: Vec<MethodOp>) {
    use pm::exports::nebula::policy::payment_methods_policy::{
        InstructionsOp, MethodOp as W, MoveOp, RenameOp,
    };
    let wire: Vec<W> = ops
        .into_iter()
        .map(|op| match op {
            MethodOp::Hide(id) => W::Hide(id),
            MethodOp::Rename(id, label) => W::Rename(RenameOp { id, label }),
            MethodOp::MoveTo(id, position) => W::MoveTo(MoveOp { id, position }),
            MethodOp::ReplaceInstructions(id, instructions) => {
                W::ReplaceInstructions(InstructionsOp { id, instructions })
            }
        })
        .collect();
    let _ = convert::methods_output_size(&wire);
    let Ok(ops) = convert::method_ops(wire) else {
        return;
    };
    let methods = methods();
    let decision = MethodsDecision {
        ops,
        stamp: PolicyStamp::native("fuzz"),
    };
    if let Ok(offers) = engine::apply_method_ops(&methods, decision) {
        for offer in &offers.methods {
            assert!(
                methods.iter().any(|m| m.id == offer.id),
                "offered a method that does not exist: {offer:?}"
            );
        }
        let mut ids: Vec<_> = offers.methods.iter().map(|m| &m.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), offers.methods.len(), "a method offered twice");
    }
}

fn selection(answer: Selection, count: u8, spread: bool) {
    use ss::exports::nebula::policy::server_selection_policy::{Ranked, SelectionOutcome as W};
    let wire = match answer {
        Selection::NoServer(reason) => W::NoServer(reason),
        Selection::Ranked(list) => W::Ranked(
            list.into_iter()
                .map(|(id, weight)| Ranked { id, weight })
                .collect(),
        ),
    };
    let _ = convert::selection_output_size(&wire);
    let Ok(outcome) = convert::selection_outcome(wire) else {
        return;
    };
    let candidates = candidates();
    let decision = SelectionDecision {
        outcome,
        stamp: PolicyStamp::native("fuzz"),
    };
    let count = usize::from(count % 4) + 1;
    if let Ok(ids) = engine::choose_servers(&candidates, &decision, count, spread) {
        assert_eq!(ids.len(), count, "asked for {count} servers, got {ids:?}");
        for id in &ids {
            let c = candidates.iter().find(|c| &c.id == id);
            assert!(
                c.is_some_and(|c| c.active_clients < c.capacity),
                "chose {id}, which is not a candidate with room"
            );
        }
    }
}

/// One policy answer.
pub fn policy_output(data: &[u8]) {
    let Ok(output) = Output::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    match output {
        Output::Pricing { base_minor, answer } => pricing(base_minor, answer),
        Output::Methods(ops) => payment_methods(ops),
        Output::Selection {
            answer,
            count,
            spread,
        } => selection(answer, count, spread),
    }
}
