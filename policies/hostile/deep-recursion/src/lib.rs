//! A hostile pricing policy, for the host's tests: deep recursion (the stack cap must stop it).
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

/// Recurses on scalars only, so every frame lives on the wasm stack (not Rust's shadow stack in
/// linear memory), and uses the result after the call, so it cannot become a loop.
#[inline(never)]
#[allow(unconditional_recursion)] // On purpose: the stack cap must stop it.
fn descend(a: u64, b: u64, c: u64) -> u64 {
    let r = descend(
        std::hint::black_box(a.wrapping_add(1)),
        b ^ a,
        c.wrapping_mul(3),
    );
    r.rotate_left((c & 63) as u32) ^ b
}

impl Guest for Policy {
    fn decide(input: PricingInput) -> PricingOutcome {
        if triggered(&input) {
            let n = descend(0, 1, 7);
            return PricingOutcome::Adjust(vec![Adjustment {
                label: "never".into(),
                amount_minor: n as i64,
            }]);
        }
        PricingOutcome::Adjust(vec![])
    }

    fn test_vectors() -> Vec<PricingVector> {
        vec![]
    }
}

export!(Policy);
