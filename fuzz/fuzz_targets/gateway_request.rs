#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nebula_gateway::server::fuzzing::gateway_request(data));
