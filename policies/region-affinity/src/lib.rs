//! Example server-selection policy: keeps shoppers in their region, and plans on tagged servers.
//! Shows operators that a policy may refuse (the shop then keeps the order waiting and tells the
//! admin why).
//!
//! Config (optional): `fallback-region` (used when the shopper has no preferred region), and
//! `plan.<plan-id>.tag` (the plan only goes to servers with that tag).

wit_bindgen::generate!({ world: "server-selection", path: "../wit" });

use exports::nebula::policy::server_selection_policy::{
    Candidate, Guest, Health, Ranked, SelectionInput, SelectionOutcome, SelectionVector,
};
use nebula::policy::types::{Money, Plan};
use policy_logic::get;

struct Policy;

fn decide(input: &SelectionInput) -> SelectionOutcome {
    let region = input
        .preferred_region
        .as_deref()
        .or_else(|| get(&input.config, "fallback-region"));
    let tag = get(&input.config, &format!("plan.{}.tag", input.plan.id));
    let mut fit: Vec<&Candidate> = input
        .candidates
        .iter()
        .filter(|c| c.health == Health::Up && c.active_clients < c.capacity)
        .filter(|c| region.is_none_or(|r| c.region == r))
        .filter(|c| tag.is_none_or(|t| c.tags.iter().any(|x| x == t)))
        .collect();
    if fit.is_empty() {
        let mut reason = String::from("No server with room");
        if let Some(r) = region {
            reason.push_str(&format!(" in region {r}"));
        }
        if let Some(t) = tag {
            reason.push_str(&format!(" tagged {t}"));
        }
        reason.push('.');
        return SelectionOutcome::NoServer(reason);
    }
    fit.sort_by(|a, b| a.load_permille.cmp(&b.load_permille).then(a.id.cmp(&b.id)));
    SelectionOutcome::Ranked(
        fit.into_iter()
            .map(|c| Ranked {
                id: c.id.clone(),
                weight: 1000 - c.load_permille.min(1000),
            })
            .collect(),
    )
}

impl Guest for Policy {
    fn decide(input: SelectionInput) -> SelectionOutcome {
        decide(&input)
    }

    fn test_vectors() -> Vec<SelectionVector> {
        let server = |id: &str, region: &str, load: u32, tags: &[&str]| Candidate {
            id: id.into(),
            region: region.into(),
            capacity: 1000,
            active_clients: load,
            health: Health::Up,
            load_permille: load,
            tags: tags.iter().map(|t| t.to_string()).collect(),
        };
        let input =
            |plan: &str, region: Option<&str>, config: Vec<(String, String)>| SelectionInput {
                config,
                plan: Plan {
                    id: plan.into(),
                    name: "Plan".into(),
                    duration_days: 30,
                    traffic_bytes: None,
                    device_limit: 0,
                    price: Money {
                        minor: 25_000,
                        currency: "EGP".into(),
                    },
                },
                preferred_region: region.map(Into::into),
                candidates: vec![
                    server("fra-1", "eu", 500, &["premium"]),
                    server("ams-1", "eu", 100, &[]),
                    server("nyc-1", "us", 0, &[]),
                ],
            };
        let r = |id: &str, weight| Ranked {
            id: id.into(),
            weight,
        };
        let tagged = vec![("plan.pro.tag".to_string(), "premium".to_string())];
        vec![
            SelectionVector {
                input: input("month", Some("eu"), vec![]),
                expected: SelectionOutcome::Ranked(vec![r("ams-1", 900), r("fra-1", 500)]),
            },
            SelectionVector {
                input: input("pro", Some("eu"), tagged.clone()),
                expected: SelectionOutcome::Ranked(vec![r("fra-1", 500)]),
            },
            SelectionVector {
                input: input("pro", Some("us"), tagged),
                expected: SelectionOutcome::NoServer(
                    "No server with room in region us tagged premium.".into(),
                ),
            },
            SelectionVector {
                input: input("month", None, vec![("fallback-region".into(), "us".into())]),
                expected: SelectionOutcome::Ranked(vec![r("nyc-1", 1000)]),
            },
        ]
    }
}

export!(Policy);
