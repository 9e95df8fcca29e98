//! The shift's history of calls and IVR requests (kept across reloads):
//! filter by words and kind, redial a call, export what is shown as CSV.
//! Rows are keyed, each with a memo of its own: a callback that amends one
//! entry redraws that row only.

use super::item::duration_text;
use super::text::CallText;
use crate::i18n::{use_i18n, I18n};
use crate::io::calls::CallDesk;
use crate::io::history::{download_csv, History};
use crate::time::clock_text;
use crate::ui::keyed::keyed_list;
use crate::ui::panel::{Older, PAGE};
use crate::ui::show::cond;
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

#[component]
pub fn CallHistory() -> impl IntoView {
    let i18n = use_i18n();
    let store = expect_context::<History>();
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
    let shown =
        move || matching.with(|keys| keys.iter().take(pages.get()).cloned().collect::<Vec<_>>());
    let hidden = Signal::derive(move || matching.with(Vec::len).saturating_sub(pages.get()));
    let export = move |_| {
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
    };
    view! {
        <h3>{i18n.tr(CallText::History)}</h3>
        <div class="history-tools">
            <label>
                {i18n.tr(CallText::HistoryFilter)}" "
                <input id="history-filter" type="search" autocomplete="off"
                    prop:value=query on:input=move |ev| query.set(event_target_value(&ev)) />
            </label>" "
            <select id="history-kind" aria-label=move || i18n.t(CallText::HistoryKind) on:change=move |ev| kind.set(match event_target_value(&ev).as_str() {
                "call" => Some(Kind::Call),
                "ivr" => Some(Kind::Ivr),
                _ => None,
            })>
                <option value="">{i18n.tr(CallText::HistoryAll)}</option>
                <option value="call">{i18n.tr(CallText::HistoryCalls)}</option>
                <option value="ivr">{i18n.tr(CallText::HistoryIvr)}</option>
            </select>" "
            <button id="history-export" class="small" type="button" on:click=export>{i18n.tr(CallText::ExportCsv)}</button>" "
            <button id="history-clear" class="small" type="button" on:click=move |_| store.clear()>{i18n.tr(CallText::ClearHistory)}</button>
        </div>
        <ol id="call-history" class="call-history">
            {keyed_list(shown, |key| view! { <HistoryRow key /> }.into_any())}
        </ol>
        <Older id="history-older" hidden shown=pages />
        <Show when=cond(move || matching.with(Vec::is_empty))>
            <p id="history-none" class="empty">{i18n.tr(CallText::HistoryEmpty)}</p>
        </Show>
    }
}

/// One entry, redrawn from its own memo when a callback amends it.
#[component]
fn HistoryRow(key: EntryKey) -> impl IntoView {
    let i18n = use_i18n();
    let desk = expect_context::<CallDesk>();
    let store = expect_context::<History>();
    let (start_ms, kind, target, customuuid) = key.clone();
    let entry = Memo::new(move |_| {
        store
            .entries()
            .with(|all| all.iter().find(|e| key_of(e) == key).cloned())
    });
    let with = move |f: fn(&Entry) -> String| {
        move || entry.with(|e| e.as_ref().map(f).unwrap_or_default())
    };
    let redial = entry.with_untracked(|e| e.as_ref().and_then(redial_target));
    let time = clock_text(start_ms);
    let kind_word = match kind {
        Kind::Call => CallText::HistoryCalls,
        Kind::Ivr => CallText::HistoryIvr,
    };
    let outcome = move || entry.with(|e| e.as_ref().map(|e| e.outcome));
    let extension = move || entry.with(|e| extension_text(i18n, &e.as_ref()?.extension));
    view! {
        <li class="history-entry" data-kind=match kind { Kind::Call => "call", Kind::Ivr => "ivr" }
            data-outcome=move || outcome().map(Outcome::as_str).unwrap_or_default() data-customuuid=customuuid>
            <time>{time.get(..8).unwrap_or(&time).to_owned()}</time>" "
            <span class="history-kind">{i18n.tr(kind_word)}</span>" "
            <span class="history-target">{target}</span>" "
            <span class="history-who">{with(|e| e.who.clone())}</span>" "
            <strong class="history-outcome">{move || outcome().map(|o| i18n.t(outcome_word(o)))}</strong>" "
            <span class="history-duration">{with(|e| e.duration_ms.map(duration_text).unwrap_or_default())}</span>" "
            <span class="history-detail">{with(|e| e.detail.clone())}</span>
            {move || extension().map(|(state, text)| view! {
                " "<span class="history-extension" data-extension-state=state>{text}</span>
            })}
            {redial.map(|target| view! {
                " "<button class="small history-redial" type="button"
                    prop:disabled=move || desk.dialling(target)
                    on:click=move |_| desk.place(target)>{i18n.tr(CallText::Redial)}</button>
            })}
        </li>
    }
}
