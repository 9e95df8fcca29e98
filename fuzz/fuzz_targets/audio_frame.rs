//! A binary audio frame from the voice socket. See `proto::fuzzing::audio_frame`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::audio_frame(data));
