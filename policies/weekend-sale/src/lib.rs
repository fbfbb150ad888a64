//! Example pricing policy: a percentage off on chosen days of the week (UTC). Shows operators
//! that a policy can look at the time of the order.
//!
//! Config (optional): `percent` (default 15), `days` (default `sat,sun`), `label`
//! (default `Weekend sale`).

wit_bindgen::generate!({ world: "pricing", path: "../wit" });

use exports::nebula::policy::pricing_policy::{
    Adjustment, Guest, PricingInput, PricingOutcome, PricingVector, Purchase,
};
use nebula::policy::types::{Money, Plan, Shopper};
use policy_logic::{DAY_MS, days_from_civil, get, list, parse_weekday, percent_of, weekday};

struct Policy;

fn decide(input: &PricingInput) -> PricingOutcome {
    let percent = get(&input.config, "percent")
        .and_then(|p| p.parse::<u32>().ok())
        .unwrap_or(15);
    let days: Vec<u32> = list(get(&input.config, "days").unwrap_or("sat,sun"))
        .filter_map(parse_weekday)
        .collect();
    let label = get(&input.config, "label").unwrap_or("Weekend sale");
    if percent == 0 || !days.contains(&weekday(input.now)) {
        return PricingOutcome::Adjust(vec![]);
    }
    PricingOutcome::Adjust(vec![Adjustment {
        label: format!("{label} (-{percent}%)"),
        amount_minor: -percent_of(input.plan.price.minor, percent),
    }])
}

impl Guest for Policy {
    fn decide(input: PricingInput) -> PricingOutcome {
        decide(&input)
    }

    fn test_vectors() -> Vec<PricingVector> {
        let at = |y, m, d| days_from_civil(y, m, d) * DAY_MS + 12 * 3_600_000;
        let input = |now, config: Vec<(String, String)>| PricingInput {
            config,
            plan: Plan {
                id: "month".into(),
                name: "Month".into(),
                duration_days: 30,
                traffic_bytes: None,
                device_limit: 0,
                price: Money {
                    minor: 20_000,
                    currency: "EGP".into(),
                },
            },
            shopper: Shopper {
                id: 7,
                paid_orders: 0,
                first_seen: None,
                role_ids: vec![],
            },
            coupon: None,
            purchase: Purchase::NewOrder,
            now,
        };
        vec![
            // Saturday 2026-11-28.
            PricingVector {
                input: input(at(2026, 11, 28), vec![]),
                expected: PricingOutcome::Adjust(vec![Adjustment {
                    label: "Weekend sale (-15%)".into(),
                    amount_minor: -3_000,
                }]),
            },
            // Tuesday 2026-11-24.
            PricingVector {
                input: input(at(2026, 11, 24), vec![]),
                expected: PricingOutcome::Adjust(vec![]),
            },
            PricingVector {
                input: input(
                    at(2026, 11, 24),
                    vec![
                        ("days".into(), "tue".into()),
                        ("percent".into(), "30".into()),
                    ],
                ),
                expected: PricingOutcome::Adjust(vec![Adjustment {
                    label: "Weekend sale (-30%)".into(),
                    amount_minor: -6_000,
                }]),
            },
        ]
    }
}

export!(Policy);
