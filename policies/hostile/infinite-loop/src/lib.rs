//! A hostile pricing policy, for the host's tests: an infinite loop (fuel must stop it).
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
            let mut n: u64 = 0;
            // `black_box` keeps the compiler from proving the loop pointless and deleting it.
            loop {
                n = std::hint::black_box(n.wrapping_add(1));
            }
        }
        PricingOutcome::Adjust(vec![])
    }

    fn test_vectors() -> Vec<PricingVector> {
        vec![]
    }
}

export!(Policy);
