//! The journal panel: newest first, with time, source and direction.

use super::panel::Panel;
use crate::i18n::{use_i18n, Key};
use crate::journal::{Journal, Kind, Source};
use crate::time::clock_text;
use leptos::prelude::*;

#[component]
pub fn JournalPanel() -> impl IntoView {
    let i18n = use_i18n();
    let journal = expect_context::<Journal>();
    let kind_key = |k: Kind| match k {
        Kind::Sent => Key::JournalSent,
        Kind::Received => Key::JournalReceived,
        Kind::Error => Key::JournalError,
        Kind::Info => Key::JournalInfo,
    };
    let source_key = |s: Source| match s {
        Source::App => Key::AppTitle,
        Source::Voice => Key::ServiceVoice,
        Source::Meeting => Key::ServiceMeeting,
        Source::Calls => Key::ServiceCalls,
        Source::Ivr => Key::ServiceIvr,
    };
    view! {
        <Panel id="journal-panel" title=Key::PanelJournal>
            <button id="journal-clear" class="small" on:click=move |_| journal.clear()>{i18n.tr(Key::JournalClear)}</button>
            <ol id="journal" class="journal">
                <For each=move || journal.entries() key=|e| e.seq let(entry)>
                    <li class=format!("journal-entry kind-{:?}", entry.kind).to_lowercase() data-kind=format!("{:?}", entry.kind).to_lowercase()>
                        <time>{clock_text(entry.at_ms)}</time>
                        <span class="source">{i18n.tr(source_key(entry.source))}</span>
                        <span class="kind">{i18n.tr(kind_key(entry.kind))}</span>
                        <code class="text">{
                            let text = entry.text.clone();
                            move || text.render(i18n.lang.get())
                        }</code>
                    </li>
                </For>
            </ol>
            <Show when=move || journal.entries().is_empty()>
                <p class="empty">{i18n.tr(Key::JournalEmpty)}</p>
            </Show>
        </Panel>
    }
}
