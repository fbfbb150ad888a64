//! The policy-output fuzz target on every input of its checked-in corpus and on every crash a
//! fuzzer found (`fuzz/README.md`).

use nebula_common::fuzz_inputs::replay;
use nebula_plugins::fuzzing::policy_output;

#[test]
fn every_policy_answer_found_so_far_is_converted_or_refused() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "policy_output", policy_output) > 0);
}
