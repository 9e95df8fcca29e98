//! The paging of a panel's long lists.

use crate::i18n::{show_older, use_i18n};
use crate::reactive::RwSignal;
use crate::ui::markup::{markup, Wired};
use leptos::prelude::*;

/// Rows a long list (the journal, the call history) shows at first, and how
/// many more each press of its "older" button adds. A new row goes on top,
/// so every row shown below it is laid out again, in the same frame as what
/// it reports (a floor granted, say): with a shift's worth of rows on the
/// page that cost grew with the shift and delayed the console.
pub const PAGE: usize = 100;

/// The button at the end of `parent` under a long list that shows a page
/// more of its `hidden` rows; gone while none are hidden.
pub fn older(
    w: &Wired,
    parent: &web_sys::Element,
    id: &'static str,
    hidden: Signal<usize>,
    shown: RwSignal<usize>,
) {
    let i18n = use_i18n();
    let more = move || hidden.get().min(PAGE);
    let button = move || {
        markup(OLDER, &[], move |w: &Wired| {
            w.root().set_id(id);
            w.on(id, "click", move |_| shown.update(|n| *n += PAGE));
            w.text(id, move || show_older(i18n.lang.get(), more()));
        })
    };
    w.show(parent, move || more() > 0, button);
}

/// The "older" button; its id and text are set when it is built.
const OLDER: &str = r#"<button class="small" type="button"></button>"#;
