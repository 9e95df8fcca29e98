//! Push-to-talk audio as the product defines it (docs/audio.md): binary
//! frames on the plugin socket. `frame` is the header and its codec,
//! `mulaw` G.711, `opus` checks an Opus packet's structure, `capture`
//! turns captured samples into 20 ms frames, `uplink` decides what may be
//! sent (held before the grant, never without the floor, whenever the
//! encoder hands a frame back) and when capture streams, `jitter` schedules received frames
//! for playback, `audible` names the talker in step with the sound,
//! `replay` keeps the last transmissions' audio.

mod audible;
mod capture;
mod frame;
mod hold;
mod jitter;
mod mulaw;
mod opus;
mod replay;
mod uplink;

pub use audible::{Audible, SOUND_GRACE_MS};
pub use capture::Framer;
pub use frame::{Codec, Frame, FrameHeader, FrameKind, FRAME_MS, FRAME_VERSION, MULAW_FRAME_BYTES};
pub use hold::HoldBuffer;
pub use jitter::{JitterBuffer, JitterStats, Verdict};
pub use mulaw::{
    decode as mulaw_decode, encode as mulaw_encode, encode_frame as mulaw_frame, rms, SAMPLE_RATE,
};
pub use opus::{check as opus_check, OpusError};
pub use replay::{Recorder, Replay, REPLAY_KEPT_MS};
pub use uplink::{Followed, Pcm, Stream, Ticket, Uplink, UplinkMode, HOLD_FRAMES, OPUS_INPUT_RATE};
