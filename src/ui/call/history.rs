//! The shift's history of calls and IVR requests (kept across reloads):
//! filter by words and kind, redial a call, export what is shown as CSV.
//! Rows are keyed, each with a memo of its own: a callback that amends one
//! entry redraws that row only.

use super::item::duration_text;
use super::text::CallText;
use crate::i18n::{use_i18n, I18n};
use crate::io::calls::CallDesk;
use crate::io::history::{download_csv, History};
use crate::reactive::{Memo, RwSignal};
use crate::time::clock_text;
use crate::ui::keyed::keyed_list;
use crate::ui::markup::{markup, value_of, Markup, Wired};
use crate::ui::panel::{older, PAGE};
use leptos::prelude::*;
use proto::history::{self, redial_target, Entry, Kind, Outcome};

pub fn outcome_word(outcome: Outcome) -> CallText {
    match outcome {
        Outcome::HungUp => CallText::OutcomeHungUp,
        Outcome::NotAnswered => CallText::OutcomeNotAnswered,
        Outcome::Cancelled => CallText::OutcomeCancelled,
        Outcome::Failed => CallText::OutcomeFailed,
        Outcome::Unknown => CallText::OutcomeUnknown,
        Outcome::Sent => CallText::OutcomeSent,
    }
}

/// An entry's `extension` (`20280003 answer`: the extension a key press
/// reached, and its state) as the screen says it, with the state's name.
pub fn extension_text(i18n: I18n, extension: &str) -> Option<(&'static str, String)> {
    let (number, state) = extension.rsplit_once(' ').unwrap_or(("", extension));
    let (state, word) = match state {
        "ring" => ("ring", CallText::ExtensionRing),
        "answer" => ("answer", CallText::ExtensionAnswer),
        "hangup" => ("hangup", CallText::ExtensionHangup),
        _ => return None,
    };
    let text = format!("{} {number} {}", i18n.t(CallText::Extension), i18n.t(word));
    Some((state, text))
}

/// What tells an entry apart for as long as it is kept: callbacks change
/// its outcome, duration and detail, never these.
type EntryKey = (u64, Kind, String, String);

fn key_of(e: &Entry) -> EntryKey {
    (e.start_ms, e.kind, e.target.clone(), e.customuuid.clone())
}

/// The history's filters and paging, made with the panel.
#[derive(Clone, Copy)]
pub(super) struct Filters {
    store: History,
    query: RwSignal<String>,
    kind: RwSignal<Option<Kind>>,
    matching: Memo<Vec<EntryKey>>,
    pages: RwSignal<usize>,
    hidden: Signal<usize>,
}

impl Filters {
    pub(super) fn new() -> Self {
        let store = crate::reactive::expect_context::<History>();
        let query = RwSignal::new(String::new());
        let kind = RwSignal::new(None::<Kind>);
        let matching = Memo::new(move |_| {
            let (q, k) = (query.get(), kind.get());
            store.entries().with(|all| {
                all.iter()
                    .filter(|e| e.matches(&q, k))
                    .map(key_of)
                    .collect::<Vec<EntryKey>>()
            })
        });
        // A page at a time (see `PAGE`); the export has every match.
        let pages = RwSignal::new(PAGE);
        let hidden = Signal::derive(move || matching.with(Vec::len).saturating_sub(pages.get()));
        Self {
            store,
            query,
            kind,
            matching,
            pages,
            hidden,
        }
    }

    /// Wires the history's tools and fills `#call-history`.
    pub(super) fn wire(self, w: &Wired) {
        let Self {
            store,
            query,
            kind,
            matching,
            pages,
            hidden,
        } = self;
        let root = w.root().clone();
        w.on("history-filter", "input", move |_| {
            query.set(value_of(&root, "history-filter"))
        });
        let root = w.root().clone();
        w.on("history-kind", "change", move |_| {
            kind.set(match value_of(&root, "history-kind").as_str() {
                "call" => Some(Kind::Call),
                "ivr" => Some(Kind::Ivr),
                _ => None,
            })
        });
        w.on("history-export", "click", move |_| {
            let text = matching.with_untracked(|keys| {
                store.entries().with_untracked(|all| {
                    let rows: Vec<Entry> = all
                        .iter()
                        .filter(|e| keys.contains(&key_of(e)))
                        .cloned()
                        .collect();
                    history::csv(&rows)
                })
            });
            let _ = download_csv("dispatch-history.csv", &text);
        });
        w.on("history-clear", "click", move |_| store.clear());
        let shown = move || {
            matching.with(|keys| keys.iter().take(pages.get()).cloned().collect::<Vec<_>>())
        };
        keyed_list(w, &w.el("call-history"), shown, |key| {
            Some(history_row(key))
        });
        older(
            w,
            &w.el("history-older-slot"),
            "history-older",
            hidden,
            pages,
        );
        w.hidden("history-none", move || !matching.with(Vec::is_empty));
    }
}

/// One entry, redrawn from its own memo when a callback amends it.
fn history_row(key: EntryKey) -> Markup {
    let i18n = use_i18n();
    let desk = crate::reactive::expect_context::<CallDesk>();
    let store = crate::reactive::expect_context::<History>();
    let (start_ms, kind, target, customuuid) = key.clone();
    let entry = Memo::new(move |_| {
        store
            .entries()
            .with(|all| all.iter().find(|e| key_of(e) == key).cloned())
    });
    let redial = entry.with_untracked(|e| e.as_ref().and_then(redial_target));
    markup(ROW, &[CallText::named], move |w: &Wired| {
        let with = move |f: fn(&Entry) -> String| -> Box<dyn Fn() -> String> {
            Box::new(move || entry.with(|e| e.as_ref().map(f).unwrap_or_default()))
        };
        let outcome = move || entry.with(|e| e.as_ref().map(|e| e.outcome));
        let row = w.root().clone();
        let _ = row.set_attribute(
            "data-kind",
            match kind {
                Kind::Call => "call",
                Kind::Ivr => "ivr",
            },
        );
        let _ = row.set_attribute("data-customuuid", &customuuid);
        w.attr_el(
            row.clone(),
            "data-outcome",
            Box::new(move || {
                Some(
                    outcome()
                        .map(Outcome::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                )
            }),
        );
        let time = clock_text(start_ms);
        w.part("time")
            .set_text_content(Some(time.get(..8).unwrap_or(&time)));
        let kind_word = match kind {
            Kind::Call => CallText::HistoryCalls,
            Kind::Ivr => CallText::HistoryIvr,
        };
        w.text_el(
            w.part(".history-kind"),
            Box::new(move || i18n.t(kind_word).to_owned()),
        );
        w.part(".history-target").set_text_content(Some(&target));
        w.text_el(w.part(".history-who"), with(|e| e.who.clone()));
        w.text_el(
            w.part(".history-outcome"),
            Box::new(move || {
                outcome()
                    .map(|o| i18n.t(outcome_word(o)))
                    .unwrap_or_default()
                    .to_owned()
            }),
        );
        w.text_el(
            w.part(".history-duration"),
            with(|e| e.duration_ms.map(duration_text).unwrap_or_default()),
        );
        let detail = w.part(".history-detail");
        w.text_el(detail.clone(), with(|e| e.detail.clone()));
        // The redial button (with the space before it) stays if the entry can be redialled.
        let button = w.part(".history-redial");
        let before_button = button.previous_sibling();
        match redial {
            Some(target) => {
                w.attr_el(
                    button.clone(),
                    "disabled",
                    Box::new(move || desk.dialling(target).then(String::new)),
                );
                w.on_el(
                    button.clone(),
                    "click",
                    Box::new(move |_| desk.place(target)),
                );
            }
            None => {
                if let Some(space) = &before_button {
                    let _ = row.remove_child(space);
                }
                button.remove();
            }
        }
        // The extension (with the space before it) is there while the entry has one.
        let extension = move || entry.with(|e| extension_text(i18n, &e.as_ref()?.extension));
        let span = w.part(".history-extension");
        w.attr_el(
            span.clone(),
            "data-extension-state",
            Box::new(move || extension().map(|(state, _)| state.to_owned())),
        );
        w.text_el(
            span.clone(),
            Box::new(move || extension().map(|(_, text)| text).unwrap_or_default()),
        );
        let nodes = detail
            .next_sibling()
            .into_iter()
            .chain([span.into()])
            .collect();
        let next = before_button
            .filter(|_| redial.is_some())
            .into_iter()
            .collect();
        w.present(row, nodes, next, Box::new(move || extension().is_some()));
    })
}

/// An entry of the history; what it shows is filled in when it is built.
const ROW: &str = r#"<li class="history-entry"><time></time> <span class="history-kind"></span> <span class="history-target"></span> <span class="history-who"></span> <strong class="history-outcome"></strong> <span class="history-duration"></span> <span class="history-detail"></span> <span class="history-extension"></span> <button class="small history-redial" type="button" data-t="Redial"></button></li>"#;
