//! The dispatcher's active and recent calls, newest first.

use super::item::CallItem;
use crate::io::calls::CallDesk;
use crate::ui::keyed::keyed_list;
use crate::ui::markup::Wired;
use leptos::prelude::*;

/// Fills `#call-list`; `#call-none` shows while it is empty.
pub(super) fn wire(w: &Wired, desk: CallDesk) {
    let calls = desk.calls();
    let ids = move || calls.with(|c| c.iter().rev().map(|c| u64::from(c.id)).collect::<Vec<_>>());
    w.mount(
        "call-list",
        keyed_list(ids, |id| view! { <CallItem id=id as u32 /> }.into_any()),
    );
    w.hidden("call-none", move || !calls.with(Vec::is_empty));
}
