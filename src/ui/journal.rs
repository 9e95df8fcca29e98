//! The journal panel: newest first, with time, source and direction, a page
//! at a time; the whole journal downloads as JSON lines.

use super::markup::{markup, Markup, Wired};
use super::panel::{older, PAGE};
use crate::i18n::{use_i18n, Key, Lang, Phrase};
use crate::journal::{Entry, Journal, Kind, Source};
use crate::reactive::{effect, RwSignal, StoredValue};
use crate::time::{clock_text, now_ms};
use crate::ui::keyed::keyed_list;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

pub fn journal_panel() -> Markup {
    let i18n = use_i18n();
    let journal = crate::reactive::expect_context::<Journal>();
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
    // One object URL alive at a time: the previous download's goes when the
    // next one starts (a download may still be reading it right after the click).
    let blob_url = StoredValue::new(None::<String>);
    let forget_url = move || {
        if let Some(url) = blob_url.try_update_value(Option::take).flatten() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    };
    on_cleanup(forget_url);
    markup(HTML, &[Key::named], move |w: &Wired| {
        let anchor = w.el("journal-download");
        w.on("journal-export", "click", move |_| {
            forget_url();
            match object_url(&journal.export(i18n.lang.get_untracked())) {
                Ok(url) => {
                    let _ = anchor.set_attribute("href", &url);
                    let _ = anchor.set_attribute("download", &file_name(now_ms()));
                    blob_url.set_value(Some(url));
                    if let Some(a) = anchor.dyn_ref::<web_sys::HtmlElement>() {
                        a.click();
                    }
                }
                Err(e) => journal.log(Source::App, Kind::Error, format!("journal export: {e:?}")),
            }
        });
        w.on("journal-clear", "click", move |_| {
            journal.clear();
            drawn.notify()
        });
        // How many lines are kept, shown or not.
        w.attr("journal", "data-lines", move || Some(lines().to_string()));
        keyed_list(
            w,
            &w.el("journal"),
            move || {
                drawn.track();
                let n = shown.get();
                untrack(|| journal.seqs(n))
            },
            move |seq| journal.entry(seq).map(|entry| row(entry, i18n.lang)),
        );
        let panel = w.el("journal-panel");
        older(w, &panel, "journal-older", hidden, shown);
        w.show(
            &panel,
            move || lines() == 0,
            || markup(EMPTY, &[Key::named], |_| {}),
        );
    })
}

const EMPTY: &str = r#"<p class="empty" data-t="JournalEmpty"></p>"#;

const HTML: &str = r#"<section id="journal-panel" class="panel" tabindex="0" aria-labelledby="journal-panel-title"><h2 id="journal-panel-title" data-t="PanelJournal"></h2><div class="journal-actions"><button id="journal-export" class="small" data-t-title="JournalExportTitle" data-t="JournalExport"></button><button id="journal-clear" class="small" data-t="JournalClear"></button><a id="journal-download" hidden></a></div><ol id="journal" class="journal"></ol></section>"#;

/// One line of the journal: when, from where, which way, and what.
fn row(entry: Entry, lang: RwSignal<Lang>) -> Markup {
    const ROW: &str = r#"<li class="journal-entry"><time></time><span class="source"></span><span class="kind"></span><code class="text"></code></li>"#;
    markup(ROW, &[], move |w: &Wired| {
        let li = w.root().clone();
        let kind = format!("{:?}", entry.kind).to_ascii_lowercase();
        li.set_class_name(&format!("journal-entry kind-{kind}"));
        let _ = li.set_attribute("data-kind", &kind);
        let part = move |class: &str| li.query_selector(class).ok().flatten();
        if let Some(time) = part("time") {
            time.set_text_content(Some(&clock_text(entry.at_ms)));
        }
        let (source, kind, text) = (part(".source"), part(".kind"), part(".text"));
        w.effect(Box::new(move || {
            let lang = lang.get();
            for (el, words) in [
                (&source, source_key(entry.source).text(lang)),
                (&kind, kind_key(entry.kind).text(lang)),
                (&text, &entry.render(lang)),
            ] {
                if let Some(el) = el {
                    el.set_text_content(Some(words));
                }
            }
        }));
    })
}

fn kind_key(k: Kind) -> Key {
    match k {
        Kind::Sent => Key::JournalSent,
        Kind::Received => Key::JournalReceived,
        Kind::Error => Key::JournalError,
        Kind::Info => Key::JournalInfo,
    }
}

fn source_key(s: Source) -> Key {
    match s {
        Source::App => Key::AppTitle,
        Source::Voice => Key::ServiceVoice,
        Source::Meeting => Key::ServiceMeeting,
        Source::Calls => Key::ServiceCalls,
        Source::Ivr => Key::ServiceIvr,
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
    effect(move || {
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
