//! The default server-selection policy: weighted least-loaded among the servers that are up and
//! have room, the shopper's region first. Draining and down servers are skipped.
//!
//! Config (optional): `weight.<server-id>` = a whole number multiplying that server's score
//! (default 1; 0 takes it out of rotation).
//!
//! Score = free capacity per thousand × weight. Ranked by region match, then score, then id.

wit_bindgen::generate!({ world: "server-selection", path: "../wit" });

use exports::nebula::policy::server_selection_policy::{
    Candidate, Guest, Health, Ranked, SelectionInput, SelectionOutcome, SelectionVector,
};
use nebula::policy::types::{Money, Plan};
use policy_logic::selection;

struct Policy;

fn decide(input: &SelectionInput) -> SelectionOutcome {
    let views: Vec<selection::Candidate<'_>> = input
        .candidates
        .iter()
        .map(|c| selection::Candidate {
            id: &c.id,
            region: &c.region,
            capacity: c.capacity,
            active_clients: c.active_clients,
            up: c.health == Health::Up,
        })
        .collect();
    match selection::rank(&input.config, input.preferred_region.as_deref(), &views) {
        Ok(ranked) => SelectionOutcome::Ranked(
            ranked
                .into_iter()
                .map(|(id, weight)| Ranked { id, weight })
                .collect(),
        ),
        Err(reason) => SelectionOutcome::NoServer(reason),
    }
}

impl Guest for Policy {
    fn decide(input: SelectionInput) -> SelectionOutcome {
        decide(&input)
    }

    fn test_vectors() -> Vec<SelectionVector> {
        let server = |id: &str, region: &str, capacity, active, health| Candidate {
            id: id.into(),
            region: region.into(),
            capacity,
            active_clients: active,
            health,
            load_permille: active * 1000 / capacity,
            tags: vec![],
        };
        let input =
            |region: Option<&str>, config: Vec<(String, String)>, candidates| SelectionInput {
                config,
                plan: Plan {
                    id: "month".into(),
                    name: "Month".into(),
                    duration_days: 30,
                    traffic_bytes: None,
                    device_limit: 0,
                    price: Money {
                        minor: 25_000,
                        currency: "EGP".into(),
                    },
                },
                preferred_region: region.map(Into::into),
                candidates,
            };
        let fleet = || {
            vec![
                server("fra-1", "eu", 100, 80, Health::Up),
                server("ams-1", "eu", 100, 20, Health::Up),
                server("nyc-1", "us", 100, 10, Health::Up),
                server("lon-1", "eu", 100, 0, Health::Draining),
                server("par-1", "eu", 10, 10, Health::Up),
            ]
        };
        let r = |id: &str, weight| Ranked {
            id: id.into(),
            weight,
        };
        vec![
            SelectionVector {
                input: input(None, vec![], fleet()),
                expected: SelectionOutcome::Ranked(vec![
                    r("nyc-1", 900),
                    r("ams-1", 800),
                    r("fra-1", 200),
                ]),
            },
            SelectionVector {
                input: input(Some("eu"), vec![], fleet()),
                expected: SelectionOutcome::Ranked(vec![
                    r("ams-1", 800),
                    r("fra-1", 200),
                    r("nyc-1", 900),
                ]),
            },
            SelectionVector {
                input: input(
                    Some("eu"),
                    vec![("weight.fra-1".into(), "5".into())],
                    fleet(),
                ),
                expected: SelectionOutcome::Ranked(vec![
                    r("fra-1", 1000),
                    r("ams-1", 800),
                    r("nyc-1", 900),
                ]),
            },
            SelectionVector {
                input: input(
                    None,
                    vec![],
                    vec![server("lon-1", "eu", 100, 0, Health::Draining)],
                ),
                expected: SelectionOutcome::NoServer(
                    "No server that is up has free capacity.".into(),
                ),
            },
        ]
    }
}

export!(Policy);
