//! The default pricing policy: the plan's base price, coupons, a first-order discount and a
//! loyalty discount, each a labelled line the shopper sees.
//!
//! Config (all optional):
//! - `coupon.<CODE>` = `percent=20` or `fixed=5000` (minor units), plus `until=YYYY-MM-DD`
//!   (last valid day, UTC) and `first-order-only`, separated by `;`. Codes ignore case.
//! - `first-order.percent` = N: off a shopper's first new order.
//! - `loyalty.after` = N and `loyalty.percent` = P: off every order once N orders were paid.
//! - `plan.<plan-id>.roles` = role ids, comma-separated: the plan is only sold to those roles.
//!
//! How many times a coupon was used is the shop's business, not this policy's.

wit_bindgen::generate!({ world: "pricing", path: "../wit" });

use exports::nebula::policy::pricing_policy::{
    Adjustment, Guest, PricingInput, PricingOutcome, PricingVector, Purchase,
};
use nebula::policy::types::{Money, Plan, Shopper};
use policy_logic::pricing::{self, Priced};

struct Policy;

fn price(input: &PricingInput) -> PricingOutcome {
    let priced = pricing::price(&pricing::Order {
        config: &input.config,
        plan_id: &input.plan.id,
        base: input.plan.price.minor,
        paid_orders: input.shopper.paid_orders,
        role_ids: &input.shopper.role_ids,
        coupon: input.coupon.as_deref(),
        new_order: input.purchase == Purchase::NewOrder,
        now_ms: input.now,
    });
    match priced {
        Priced::Adjust(lines) => PricingOutcome::Adjust(
            lines
                .into_iter()
                .map(|(label, amount_minor)| Adjustment {
                    label,
                    amount_minor,
                })
                .collect(),
        ),
        Priced::Reject(reason) => PricingOutcome::Reject(reason),
    }
}

impl Guest for Policy {
    fn decide(input: PricingInput) -> PricingOutcome {
        price(&input)
    }

    fn test_vectors() -> Vec<PricingVector> {
        let config = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<Vec<_>>()
        };
        let shop = config(&[
            ("coupon.WELCOME", "percent=20; first-order-only"),
            ("coupon.FIVER", "fixed=500"),
            ("coupon.OLD", "percent=50; until=2020-01-31"),
            ("first-order.percent", "10"),
            ("loyalty.after", "3"),
            ("loyalty.percent", "5"),
            ("plan.vip.roles", "42"),
        ]);
        let input =
            |plan: &str, paid: u32, coupon: Option<&str>, purchase: Purchase| PricingInput {
                config: shop.clone(),
                plan: Plan {
                    id: plan.into(),
                    name: "Month".into(),
                    duration_days: 30,
                    traffic_bytes: Some(50_000_000_000),
                    device_limit: 2,
                    price: Money {
                        minor: 25_000,
                        currency: "EGP".into(),
                    },
                },
                shopper: Shopper {
                    id: 7,
                    paid_orders: paid,
                    first_seen: None,
                    role_ids: vec![],
                },
                coupon: coupon.map(Into::into),
                purchase,
                now: 1_795_000_000_000, // 2026-11-18
            };
        let adj = |label: &str, minor: i64| Adjustment {
            label: label.into(),
            amount_minor: minor,
        };
        vec![
            PricingVector {
                input: input("month", 1, None, Purchase::NewOrder),
                expected: PricingOutcome::Adjust(vec![]),
            },
            PricingVector {
                input: input("month", 0, Some("welcome"), Purchase::NewOrder),
                expected: PricingOutcome::Adjust(vec![
                    adj("Coupon WELCOME (-20%)", -5_000),
                    adj("First order (-10%)", -2_500),
                ]),
            },
            PricingVector {
                input: input("month", 3, Some("FIVER"), Purchase::Renewal),
                expected: PricingOutcome::Adjust(vec![
                    adj("Coupon FIVER", -500),
                    adj("Loyalty (-5%)", -1_250),
                ]),
            },
            PricingVector {
                input: input("month", 2, Some("WELCOME"), Purchase::NewOrder),
                expected: PricingOutcome::Reject("Coupon WELCOME is for first orders only.".into()),
            },
            PricingVector {
                input: input("month", 0, Some("OLD"), Purchase::NewOrder),
                expected: PricingOutcome::Reject("Coupon OLD expired on 2020-01-31.".into()),
            },
            PricingVector {
                input: input("month", 0, Some("NOPE"), Purchase::NewOrder),
                expected: PricingOutcome::Reject("Unknown coupon NOPE.".into()),
            },
            PricingVector {
                input: input("vip", 1, None, Purchase::NewOrder),
                expected: PricingOutcome::Reject("This plan is not offered to you.".into()),
            },
        ]
    }
}

export!(Policy);
