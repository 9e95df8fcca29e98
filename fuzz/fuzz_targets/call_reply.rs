//! A click-to-call reply body. See `proto::fuzzing::call_reply`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::call_reply(data));
