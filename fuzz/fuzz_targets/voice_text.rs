//! A text message from the voice plugin. See `proto::fuzzing::voice_text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::voice_text(data));
