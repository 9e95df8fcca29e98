//! Dispatch Desk (调度台): the browser console. `proto` holds the protocols,
//! `io` the browser I/O shells, `ui` the components.

pub mod config;
pub mod i18n;
pub mod io;
pub mod journal;
pub mod time;
pub mod ui;

/// Mounts the console on the page's body.
pub fn start() {
    leptos::mount::mount_to_body(ui::app::App);
}
