//! The gateway's fuzz targets on every input of their checked-in corpora and on every crash a
//! fuzzer found (`fuzz/README.md`): the fuzzers' findings stay fixed.

use nebula_common::fuzz_inputs::replay;
use nebula_gateway::panel::fuzzing::panel_response;
use nebula_gateway::server::fuzzing::gateway_request;

#[test]
fn every_request_input_found_so_far_is_answered() {
    assert!(
        replay(
            env!("CARGO_MANIFEST_DIR"),
            "gateway_request",
            gateway_request
        ) > 0
    );
}

#[test]
fn every_panel_answer_found_so_far_is_read() {
    assert!(replay(env!("CARGO_MANIFEST_DIR"), "panel_response", panel_response) > 0);
}
