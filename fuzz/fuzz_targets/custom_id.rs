#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nebula_bot::fuzzing::custom_id(data));
