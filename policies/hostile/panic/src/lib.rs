//! A hostile pricing policy, for the host's tests: a panic (a trap).
//! It behaves until an order carries the coupon `TRIGGER`, so it passes its (empty) test
//! vectors and can be activated, then misbehaves at call time.

wit_bindgen::generate!({ world: "pricing", path: "../../wit" });

use exports::nebula::policy::pricing_policy::{Guest, PricingInput, PricingOutcome, PricingVector};

struct Policy;

fn triggered(input: &PricingInput) -> bool {
    input.coupon.as_deref() == Some("TRIGGER")
}

impl Guest for Policy {
    fn decide(input: PricingInput) -> PricingOutcome {
        if triggered(&input) {
            panic!("the policy gave up");
        }
        PricingOutcome::Adjust(vec![])
    }

    fn test_vectors() -> Vec<PricingVector> {
        vec![]
    }
}

export!(Policy);
