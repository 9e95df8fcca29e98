//! Wire types and sans-IO state machines for the four back ends of Dispatch Desk.
//!
//! Nothing here touches the browser, a socket or a clock: time comes in as
//! `now_ms`, bytes come in as strings, and the machines hand back what to
//! send. That keeps every rule of the protocols testable natively.

pub mod audio;
pub mod backoff;
pub mod broadcast;
pub mod call;
pub mod clamp;
pub mod embed;
pub mod fields;
pub mod fold;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod history;
pub mod id;
pub mod ivr;
pub mod json_parts;
pub mod lenient;
pub mod machine;
pub mod meeting;
pub mod rest;
pub mod url;
pub mod voice;

/// A message a server sent that the client could not use. The shells log it
/// in the journal and carry on; it never stops a machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub reason: String,
}

impl DecodeError {
    pub fn new(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
        }
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for DecodeError {}

impl From<serde_json::Error> for DecodeError {
    fn from(e: serde_json::Error) -> Self {
        Self::new(e.to_string())
    }
}
