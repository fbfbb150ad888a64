//! The shop's fuzz targets on every input of their checked-in corpora and on every crash a
//! fuzzer found (`fuzz/README.md`): the fuzzers' findings stay fixed.

use nebula_bot::fuzzing::{config, custom_id};
use nebula_bot::subscription::fuzzing::shop_listener;
use nebula_common::fuzz_inputs::replay;

#[test]
fn every_custom_id_found_so_far_parses_or_is_refused() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "custom_id", custom_id) > 0);
}

#[test]
fn every_config_found_so_far_resolves_or_says_what_is_wrong() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "config", config) > 0);
}

#[test]
fn every_listener_request_found_so_far_is_answered() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "shop_listener", shop_listener) > 0);
}
