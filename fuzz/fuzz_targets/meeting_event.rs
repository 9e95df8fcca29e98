//! A meeting stream event: name, newline, data. See `proto::fuzzing::meeting_event`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::meeting_event(data));
