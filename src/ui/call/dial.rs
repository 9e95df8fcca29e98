//! Call a user by an id typed in.

use super::text::CallText;
use crate::i18n::use_i18n;
use crate::io::calls::CallDesk;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::call::Target;

/// The id as the API takes it (a Java `Long`): digits only.
pub fn parse_id(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|&id| id <= i64::MAX as u64)
}

#[component]
pub fn DialById() -> impl IntoView {
    let i18n = use_i18n();
    let desk = expect_context::<CallDesk>();
    let id = RwSignal::new(String::new());
    let bad = RwSignal::new(false);
    let dialling = move || {
        id.with(|t| parse_id(t))
            .is_some_and(|target| desk.dialling(Target::User(target)))
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        match parse_id(&id.get_untracked()) {
            Some(target) => {
                bad.set(false);
                desk.place(Target::User(target));
            }
            None => bad.set(true),
        }
    };
    view! {
        <form id="call-dial" class="login call-dial" on:submit=submit>
            <label>
                {i18n.tr(CallText::DialLabel)}
                <input id="call-dial-id" inputmode="numeric" autocomplete="off"
                    placeholder=i18n.tr(CallText::DialPlaceholder)
                    aria-invalid=move || bad.get().to_string()
                    prop:value=id on:input=move |ev| id.set(event_target_value(&ev)) />
            </label>
            <button id="call-dial-button" type="submit" prop:disabled=dialling>
                {move || i18n.t(if dialling() { CallText::Dialling } else { CallText::Dial })}
            </button>
        </form>
        <p id="call-dial-error" class="error" role="alert">
            {move || bad.get().then(|| i18n.t(CallText::BadId))}
        </p>
    }
}
