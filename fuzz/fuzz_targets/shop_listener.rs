#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nebula_bot::subscription::fuzzing::shop_listener(data));
