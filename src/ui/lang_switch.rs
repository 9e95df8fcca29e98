//! Switches between Chinese and English and remembers the choice.

use crate::i18n::{use_i18n, Lang};
use crate::io::storage;
use leptos::prelude::*;

#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let toggle = move |_| {
        let next = if i18n.lang.get() == Lang::Zh {
            Lang::En
        } else {
            Lang::Zh
        };
        i18n.lang.set(next);
        let mut settings = storage::load_settings();
        settings.language = Some(next.tag().to_owned());
        // A preference only: if storage is unavailable the switch still works.
        let _ = storage::save_settings(&settings);
    };
    // Each language is offered in its own words.
    let other = move || {
        if i18n.lang.get() == Lang::Zh {
            "English"
        } else {
            "中文"
        }
    };
    view! { <button id="lang-switch" class="lang-switch" on:click=toggle>{other}</button> }
}
