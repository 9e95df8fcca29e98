//! Dispatch Desk (调度台): the browser console. `proto` holds the protocols,
//! `io` the browser I/O shells, `ui` the components.

pub mod config;
pub mod crash;
pub mod i18n;
pub mod io;
pub mod journal;
pub mod reactive;
pub mod time;
pub mod ui;

/// Mounts the console on the page's body, the crash screen ready first.
pub fn start() {
    // `cargo xtask bench` splits the cold load here: before, download and compile; after, mounting.
    time::mark("dd-start");
    crash::install();
    ui::markup::mount_to_body(ui::app::app);
}
