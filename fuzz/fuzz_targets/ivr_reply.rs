//! The IVR PlayVoice reply. See `proto::fuzzing::ivr_reply`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::ivr_reply(data));
