//! A hostile pricing policy, for the host's tests: an oversized output (the output cap must refuse it).
//! It behaves until an order carries the coupon `TRIGGER`, so it passes its (empty) test
//! vectors and can be activated, then misbehaves at call time.

wit_bindgen::generate!({ world: "pricing", path: "../../wit" });

use exports::nebula::policy::pricing_policy::{
    Adjustment, Guest, PricingInput, PricingOutcome, PricingVector,
};

struct Policy;

fn triggered(input: &PricingInput) -> bool {
    input.coupon.as_deref() == Some("TRIGGER")
}

impl Guest for Policy {
    fn decide(input: PricingInput) -> PricingOutcome {
        if triggered(&input) {
            // Two megabytes of label: inside the memory cap, far over the output cap.
            let label = "x".repeat(2 << 20);
            return PricingOutcome::Adjust(vec![Adjustment {
                label,
                amount_minor: -1,
            }]);
        }
        PricingOutcome::Adjust(vec![])
    }

    fn test_vectors() -> Vec<PricingVector> {
        vec![]
    }
}

export!(Policy);
