//! The frame every panel of the console shares.

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;

#[component]
pub fn Panel(id: &'static str, title: Key, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section id=id class="panel">
            <h2>{i18n.tr(title)}</h2>
            {children()}
        </section>
    }
}
