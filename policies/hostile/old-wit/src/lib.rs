//! A pricing policy built against an older version of the WIT package (`nebula:policy@0.9.0`),
//! for the host's tests: it must be refused with a message naming both versions.

wit_bindgen::generate!({ world: "pricing", path: "wit" });

use exports::nebula::policy::pricing_policy::{Guest, PricingInput, PricingOutcome, PricingVector};

struct Policy;

impl Guest for Policy {
    fn decide(_input: PricingInput) -> PricingOutcome {
        PricingOutcome::Adjust(vec![])
    }

    fn test_vectors() -> Vec<PricingVector> {
        vec![]
    }
}

export!(Policy);
