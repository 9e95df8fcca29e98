//! The IVR extension-status callback. See `proto::fuzzing::ivr_extension_status`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::ivr_extension_status(data));
