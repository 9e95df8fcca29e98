//! Click-to-call (document 001): `wire` has the requests and replies,
//! `machine` the dispatcher's calls over time (place, poll the state every
//! second until it ends, cancel).

mod machine;
mod wire;

pub use machine::{
    Call, CallEvent, CallInput, CallMachine, CallOutput, CallView, Health, Phase, Problem, Target,
    MAX_RECENT, PLACE_WAIT_MS, POLL_BACKOFF, POLL_MS, REFUSALS_BEFORE_GIVING_UP, UNKNOWN_POLL_MS,
    UNREACHABLE_AFTER,
};
pub use wire::*;
