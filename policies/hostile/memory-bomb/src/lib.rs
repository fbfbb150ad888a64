//! A hostile pricing policy, for the host's tests: a memory bomb (the memory cap must stop it).
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
            // Reserve 8 MiB at a time and touch one byte of each: cheap in fuel, so the
            // memory cap (not the fuel budget) is what stops it.
            let mut hoard: Vec<Vec<u8>> = Vec::new();
            loop {
                let mut chunk = Vec::with_capacity(8 << 20);
                chunk.push(0xA5u8);
                hoard.push(std::hint::black_box(chunk));
            }
        }
        PricingOutcome::Adjust(vec![])
    }

    fn test_vectors() -> Vec<PricingVector> {
        vec![]
    }
}

export!(Policy);
