//! Shown instead of the console when config.json is missing or wrong: a
//! deployment writes that file by hand and must see what to fix.

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;

#[component]
pub fn ConfigError(problems: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    let reload = |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        <main id="config-error" class="config-error" role="alert">
            <h1>{i18n.tr(Key::ConfigErrorTitle)}</h1>
            <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
            <p>{i18n.tr(Key::ConfigErrorHelp)}</p>
            <button on:click=reload>{i18n.tr(Key::Retry)}</button>
        </main>
    }
}
