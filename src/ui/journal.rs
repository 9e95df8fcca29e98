//! The journal panel: newest first, with time, source and direction, a page
//! at a time; the whole journal downloads as JSON lines.

use super::panel::{Older, Panel, PAGE};
use crate::i18n::{use_i18n, Key};
use crate::journal::{Journal, Kind, Source};
use crate::time::{clock_text, now_ms};
use crate::ui::keyed::keyed_list;
use crate::ui::show::cond;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

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
    // A page at a time (see `PAGE`); the journal keeps
    // `journal::CAPACITY` lines and the export has them all.
    let shown = RwSignal::new(PAGE);
    let drawn = redraws(journal);
    // The journal as the list last drew it.
    let lines = move || {
        drawn.track();
        untrack(|| journal.len())
    };
    let hidden = Signal::derive(move || lines().saturating_sub(shown.get()));
    let download = NodeRef::<leptos::html::A>::new();
    // One object URL alive at a time: the previous download's goes when the
    // next one starts (a download may still be reading it right after the click).
    let blob_url = StoredValue::new_local(None::<String>);
    let forget_url = move || {
        if let Some(url) = blob_url.try_update_value(Option::take).flatten() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    };
    on_cleanup(forget_url);
    let export = move |_| {
        forget_url();
        let Some(anchor) = download.get_untracked() else {
            return;
        };
        match object_url(&journal.export(i18n.lang.get_untracked())) {
            Ok(url) => {
                let _ = anchor.set_attribute("href", &url);
                let _ = anchor.set_attribute("download", &file_name(now_ms()));
                blob_url.set_value(Some(url));
                anchor.click();
            }
            Err(e) => journal.log(Source::App, Kind::Error, format!("journal export: {e:?}")),
        }
    };
    view! {
        <Panel id="journal-panel" title=Key::PanelJournal>
            <div class="journal-actions">
                <button id="journal-export" class="small" title=i18n.tr(Key::JournalExportTitle) on:click=export>{i18n.tr(Key::JournalExport)}</button>
                <button id="journal-clear" class="small" on:click=move |_| { journal.clear(); drawn.notify() }>{i18n.tr(Key::JournalClear)}</button>
                <a id="journal-download" node_ref=download hidden></a>
            </div>
            // How many lines are kept, shown or not.
            <ol id="journal" class="journal" data-lines=lines>
                {keyed_list(move || { drawn.track(); let n = shown.get(); untrack(|| journal.seqs(n)) }, move |seq| {
                    journal.entry(seq).map(|entry| view! {
                        <li class=format!("journal-entry kind-{:?}", entry.kind).to_lowercase() data-kind=format!("{:?}", entry.kind).to_lowercase()>
                            <time>{clock_text(entry.at_ms)}</time>
                            <span class="source">{i18n.tr(source_key(entry.source))}</span>
                            <span class="kind">{i18n.tr(kind_key(entry.kind))}</span>
                            <code class="text">{
                                let entry = entry.clone();
                                move || entry.render(i18n.lang.get())
                            }</code>
                        </li>
                    }).into_any()
                })}
            </ol>
            <Older id="journal-older" hidden shown />
            <Show when=cond(move || lines() == 0)>
                <p class="empty">{i18n.tr(Key::JournalEmpty)}</p>
            </Show>
        </Panel>
    }
}

/// How long the list waits after a new line before it draws: every line
/// logged meanwhile is one redraw. A new line shifts the rows below it, a
/// layout and a paint of the whole list; drawn at once, that work landed in
/// the frame that showed the press or the reply that logged it, and the
/// floor's grant waited behind it (`cargo xtask bench`, ptt access).
const REDRAW_MS: u64 = 250;

/// A signal that changes `REDRAW_MS` after the journal does (at most once
/// in that time), for the list to follow; `notify` it to redraw at once.
fn redraws(journal: Journal) -> RwSignal<()> {
    let drawn = RwSignal::new(());
    let due = StoredValue::new(None::<TimeoutHandle>);
    // Its first run draws too: lines logged between the list's first build
    // and this effect's first run (a microtask later) are not lost.
    Effect::new(move |_| {
        journal.len();
        if due.get_value().is_some() {
            return;
        }
        let draw = move || {
            due.try_set_value(None);
            drawn.try_update(|_| ());
        };
        let wait = std::time::Duration::from_millis(REDRAW_MS);
        due.set_value(set_timeout_with_handle(draw, wait).ok());
    });
    on_cleanup(move || {
        if let Some(handle) = due.try_get_value().flatten() {
            handle.clear();
        }
    });
    drawn
}

/// A blob: URL holding `text` as JSON lines.
fn object_url(text: &str) -> Result<String, JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/x-ndjson");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    web_sys::Url::create_object_url_with_blob(&blob)
}

/// `dispatch-desk-journal-2026-11-27T08-15-00Z.jsonl` (UTC, no colons for
/// file systems that refuse them).
fn file_name(ms: u64) -> String {
    let iso = String::from(js_sys::Date::new(&JsValue::from_f64(ms as f64)).to_iso_string());
    let stamp: String = iso
        .chars()
        .take(19)
        .map(|c| if c == ':' { '-' } else { c })
        .collect();
    format!("dispatch-desk-journal-{stamp}Z.jsonl")
}
