//! The only code that touches the browser's I/O: sockets, fetch, storage and
//! timers. One [`driver`] runs each machine from `proto`; one shell per
//! transport adapts it and publishes the machine's view as a read-only signal.

pub mod audio;
pub mod broadcast;
pub mod calls;
pub mod config_file;
pub mod driver;
pub mod embed;
pub mod groups;
pub mod history;
pub mod http;
pub mod ivr;
pub mod meeting;
mod notes;
pub mod relay;
pub mod storage;
pub mod timer;
pub mod voice;

/// `http://host:port` of the page, to resolve relative service addresses.
pub fn page_origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}
