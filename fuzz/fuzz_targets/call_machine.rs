//! The call machine fed a sequence of inputs. See `proto::fuzzing::call_machine`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::call_machine(data));
