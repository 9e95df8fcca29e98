//! The voice plugin (MUICALL v0.20.7, document 000): JSON text messages on a
//! WebSocket. `wire` has the messages, `machine` the login/link state machine,
//! `session` the temporary group call it carries, `groups` the directory's
//! search and saved groups.

pub mod groups;
mod machine;
mod session;
mod wire;

pub use machine::{Link, VoiceEvent, VoiceInput, VoiceMachine, VoiceOutput, VoiceSend, VoiceView};
pub use session::{
    CallSession, EndReason, Floor, PendingRequest, PttCommand, PttError, PttNotice, PttState,
    ReconnectReport, RequestKind, SessionMember, Talker, Transmission, COMMAND_REPLY_MS,
    FLOOR_REPLY_MS, MAX_TRANSMISSIONS,
};
pub use wire::*;
