//! The shift's history of calls and IVR requests (kept across reloads):
//! filter by words and kind, redial a call, export what is shown as CSV.

use super::item::duration_text;
use super::text::CallText;
use crate::i18n::use_i18n;
use crate::io::calls::CallDesk;
use crate::io::history::{download_csv, History};
use crate::time::clock_text;
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

#[component]
pub fn CallHistory() -> impl IntoView {
    let i18n = use_i18n();
    let desk = expect_context::<CallDesk>();
    let store = expect_context::<History>();
    let query = RwSignal::new(String::new());
    let kind = RwSignal::new(None::<Kind>);
    let shown = Memo::new(move |_| {
        let (q, k) = (query.get(), kind.get());
        store.entries().with(|all| {
            all.iter()
                .filter(|e| e.matches(&q, k))
                .cloned()
                .collect::<Vec<Entry>>()
        })
    });
    let export = move |_| {
        let text = shown.with_untracked(|rows| history::csv(rows));
        let _ = download_csv("dispatch-history.csv", &text);
    };
    let row = move |(n, e): (usize, Entry)| {
        let redial = redial_target(&e);
        let time = clock_text(e.start_ms);
        let kind_word = match e.kind {
            Kind::Call => CallText::HistoryCalls,
            Kind::Ivr => CallText::HistoryIvr,
        };
        view! {
            <li class="history-entry" data-n=n data-kind=match e.kind { Kind::Call => "call", Kind::Ivr => "ivr" }
                data-outcome=e.outcome.as_str() data-customuuid=e.customuuid.clone()>
                <time>{time.get(..8).unwrap_or(&time).to_owned()}</time>" "
                <span class="history-kind">{i18n.tr(kind_word)}</span>" "
                <span class="history-target">{e.target.clone()}</span>" "
                <span class="history-who">{e.who.clone()}</span>" "
                <strong class="history-outcome">{i18n.tr(outcome_word(e.outcome))}</strong>" "
                <span class="history-duration">{e.duration_ms.map(duration_text)}</span>" "
                <span class="history-detail">{e.detail.clone()}</span>
                {redial.map(|target| view! {
                    " "<button class="small history-redial" type="button"
                        prop:disabled=move || desk.dialling(target)
                        on:click=move |_| desk.place(target)>{i18n.tr(CallText::Redial)}</button>
                })}
            </li>
        }
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
            {move || shown.get().into_iter().enumerate().map(row).collect_view()}
        </ol>
        <Show when=move || shown.with(Vec::is_empty)>
            <p id="history-none" class="empty">{i18n.tr(CallText::HistoryEmpty)}</p>
        </Show>
    }
}
