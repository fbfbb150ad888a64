//! The default payment-methods policy: hides the methods whose min/max excludes the price (or
//! that are bounded in another currency) and puts the rest in the operator's order.
//!
//! Config (optional): `order` = method ids, comma-separated, first shown first. Methods not
//! named keep their place after the named ones.

wit_bindgen::generate!({ world: "payment-methods", path: "../wit" });

use exports::nebula::policy::payment_methods_policy::{
    Guest, Method, MethodKind, MethodOp, MethodsInput, MethodsVector, MoveOp,
};
use nebula::policy::types::{Money, Plan, Shopper};
use policy_logic::methods::{self, Op};

struct Policy;

fn decide(input: &MethodsInput) -> Vec<MethodOp> {
    fn bound(m: &Option<Money>) -> Option<(i64, &str)> {
        m.as_ref().map(|m| (m.minor, m.currency.as_str()))
    }
    let views: Vec<methods::Method<'_>> = input
        .methods
        .iter()
        .map(|m| methods::Method {
            id: &m.id,
            min: bound(&m.min),
            max: bound(&m.max),
        })
        .collect();
    methods::decide(
        &input.config,
        (input.price.minor, &input.price.currency),
        &views,
    )
    .into_iter()
    .map(|op| match op {
        Op::Hide(id) => MethodOp::Hide(id),
        Op::MoveTo(id, position) => MethodOp::MoveTo(MoveOp { id, position }),
    })
    .collect()
}

impl Guest for Policy {
    fn decide(input: MethodsInput) -> Vec<MethodOp> {
        decide(&input)
    }

    fn test_vectors() -> Vec<MethodsVector> {
        let egp = |minor| Money {
            minor,
            currency: "EGP".into(),
        };
        let method = |id: &str, min: Option<Money>, max: Option<Money>| Method {
            id: id.into(),
            label: id.into(),
            kind: MethodKind::MobileWallet,
            min,
            max,
        };
        let input = |price: i64, order: Option<&str>| MethodsInput {
            config: order
                .map(|o| vec![("order".to_string(), o.to_string())])
                .unwrap_or_default(),
            plan: Plan {
                id: "month".into(),
                name: "Month".into(),
                duration_days: 30,
                traffic_bytes: None,
                device_limit: 0,
                price: egp(price),
            },
            price: egp(price),
            shopper: Shopper {
                id: 7,
                paid_orders: 0,
                first_seen: None,
                role_ids: vec![],
            },
            methods: vec![
                method("wallet", None, Some(egp(100_000))),
                method("bank", Some(egp(20_000)), None),
                method(
                    "usd-card",
                    Some(Money {
                        minor: 100,
                        currency: "USD".into(),
                    }),
                    None,
                ),
            ],
        };
        let mv = |id: &str, position| {
            MethodOp::MoveTo(MoveOp {
                id: id.into(),
                position,
            })
        };
        vec![
            MethodsVector {
                input: input(25_000, None),
                expected: vec![MethodOp::Hide("usd-card".into())],
            },
            MethodsVector {
                input: input(10_000, Some("bank, wallet")),
                expected: vec![
                    MethodOp::Hide("bank".into()),
                    MethodOp::Hide("usd-card".into()),
                    mv("wallet", 0),
                ],
            },
            MethodsVector {
                input: input(25_000, Some("bank,wallet")),
                expected: vec![
                    MethodOp::Hide("usd-card".into()),
                    mv("bank", 0),
                    mv("wallet", 1),
                ],
            },
        ]
    }
}

export!(Policy);
