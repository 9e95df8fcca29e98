//! One call button per terminal of the configured directory.

use super::text::CallText;
use crate::i18n::use_i18n;
use crate::io::calls::CallDesk;
use crate::ui::active::use_active;
use leptos::prelude::*;
use proto::call::Target;

#[component]
pub fn TerminalDirectory() -> impl IntoView {
    let i18n = use_i18n();
    let desk = expect_context::<CallDesk>();
    let terminals = use_active().config.terminals;
    view! {
        <h3>{i18n.tr(CallText::Directory)}</h3>
        <ul id="call-directory" class="terminals call-directory">
            {terminals.into_iter().map(|t| {
                let id = t.id;
                view! {
                    <li data-id=id.to_string()>
                        <span class="terminal-name">{t.name}</span>" · "<span class="terminal-id">{id}</span>" "
                        <button id=format!("call-terminal-{id}") class="small call-terminal" type="button"
                            prop:disabled=move || desk.dialling(Target::User(id))
                            on:click=move |_| desk.place(Target::User(id))>
                            {move || i18n.t(if desk.dialling(Target::User(id)) { CallText::Dialling } else { CallText::Call })}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
