//! The dispatcher's active and recent calls, newest first.

use super::item::call_item;
use crate::io::calls::CallDesk;
use crate::ui::keyed::keyed_list;
use crate::ui::markup::Wired;

/// Fills `#call-list`; `#call-none` shows while it is empty.
pub(super) fn wire(w: &Wired, desk: CallDesk) {
    let calls = desk.calls();
    let ids = move || calls.with(|c| c.iter().rev().map(|c| u64::from(c.id)).collect::<Vec<_>>());
    keyed_list(w, &w.el("call-list"), ids, |id| Some(call_item(id as u32)));
    w.hidden("call-none", move || !calls.with(Vec::is_empty));
}
