//! The simulator through real sockets: one test binary (one link) with a
//! module per back end. `client` holds the tiny HTTP, SSE and WebSocket
//! helpers.

mod audio;
mod calls;
mod client;
mod control;
mod ivr;
mod meeting;
mod outage;
mod voice;
mod voice_script;
