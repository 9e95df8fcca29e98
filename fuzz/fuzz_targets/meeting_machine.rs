//! The meeting machine fed a sequence of inputs. See `proto::fuzzing::meeting_machine`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::meeting_machine(data));
