//! The only code that touches the browser's I/O: sockets, fetch, storage and
//! timers. One shell per transport owns its handles, feeds its machine from
//! `proto`, and publishes the machine's state to signals.

pub mod calls;
pub mod config_file;
pub mod http;
pub mod ivr;
pub mod meeting;
pub mod storage;
pub mod timer;
pub mod voice;

/// `http://host:port` of the page, to resolve relative service addresses.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
