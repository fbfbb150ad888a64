#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nebula_engine::fuzzing::stored_value(data));
