//! The IVR call-record callback. See `proto::fuzzing::ivr_call_record`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::ivr_call_record(data));
