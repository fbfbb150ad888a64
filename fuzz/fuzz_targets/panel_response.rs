#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nebula_gateway::panel::fuzzing::panel_response(data));
