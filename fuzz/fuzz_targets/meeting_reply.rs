//! A meeting reply body (checkJoin, new_session, refresh, commands). See `proto::fuzzing::meeting_reply`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| proto::fuzzing::meeting_reply(data));
