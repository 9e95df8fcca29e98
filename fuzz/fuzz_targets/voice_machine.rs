//! The voice machine fed a sequence of inputs. See `proto::fuzzing::voice_machine`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::voice_machine(data));
