//! The voice plugin (document 000): `logic` is the plugin's behaviour as
//! plain functions, `socket` the WebSocket around it, `echo` the echo
//! terminal's paced playback, `speech` the scripted talking terminals.

mod echo;
mod logic;
mod socket;
mod speech;

pub use logic::{
    ConnId, EchoPlan, Outgoing, SessionAudio, VoiceAudio, VoiceMemberState, VoiceSessionState,
    VoiceWorld,
};
pub(crate) use socket::{routes, Sockets};
pub use speech::TalkScript;
