//! The stored-value fuzz target on every input of its checked-in corpus and on every crash a
//! fuzzer found (`fuzz/README.md`).

use nebula_common::fuzz_inputs::replay;
use nebula_engine::fuzzing::stored_value;

#[test]
fn every_stored_value_found_so_far_decodes_or_is_refused() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "stored_value", stored_value) > 0);
}
