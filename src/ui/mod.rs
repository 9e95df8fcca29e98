//! Components: small, one per file, grouped by feature. They read state from
//! signals and send typed commands to the shells in `io`; none touches a socket.

pub mod active;
pub mod app;
pub mod audio;
pub mod call;
pub mod config_error;
pub mod console;
pub mod credentials;
pub mod embed;
pub mod header;
pub mod ivr;
pub mod journal;
pub mod keyed;
pub mod lang_switch;
pub mod markup;
pub mod meeting;
pub mod panel;
pub mod ptt;
pub mod settings;
pub mod status_light;
