//! The voice plugin (document 000): `logic` is the plugin's behaviour as
//! plain functions, `socket` the WebSocket around it.

mod logic;
mod socket;

pub use logic::{ConnId, Outgoing, VoiceMemberState, VoiceSessionState, VoiceWorld};
pub(crate) use socket::{routes, Sockets};
