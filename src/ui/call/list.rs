//! The dispatcher's active and recent calls, newest first.

use super::item::CallItem;
use super::text::CallText;
use crate::i18n::use_i18n;
use crate::io::calls::CallDesk;
use crate::ui::keyed::keyed_list;
use crate::ui::show::cond;
use leptos::prelude::*;

#[component]
pub fn CallList() -> impl IntoView {
    let i18n = use_i18n();
    let calls = expect_context::<CallDesk>().calls();
    let ids = move || calls.with(|c| c.iter().rev().map(|c| u64::from(c.id)).collect::<Vec<_>>());
    view! {
        <h3>{i18n.tr(CallText::Calls)}</h3>
        <ol id="call-list" class="call-list" aria-live="polite">
            {keyed_list(ids, |id| view! { <CallItem id=id as u32 /> }.into_any())}
        </ol>
        <Show when=cond(move || calls.with(Vec::is_empty))>
            <p id="call-none" class="empty">{i18n.tr(CallText::NoCalls)}</p>
        </Show>
    }
}
