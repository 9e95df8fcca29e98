//! The frame every panel of the console shares.

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;

#[component]
pub fn Panel(id: &'static str, title: Key, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        // Focusable: a panel scrolls inside itself, and the keyboard must reach it.
        <section id=id class="panel" tabindex="0" aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title")>{i18n.tr(title)}</h2>
            {children()}
        </section>
    }
}
