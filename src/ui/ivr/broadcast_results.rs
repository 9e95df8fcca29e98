//! The broadcast's per-number results: one row per number, keyed by its
//! `customuuid` with a memo of its own, so a reply redraws one row. The last
//! column is what the relay's call record said (answered, talk time, key
//! pressed, hang-up cause), read from the history entry of that customuuid.

use super::text::IvrText;
use crate::i18n::use_i18n;
use crate::io::broadcast::BroadcastDesk;
use crate::io::history::History;
use crate::ui::call::{duration_text, extension_text, outcome_word};
use crate::ui::keyed::keyed_list;
use leptos::prelude::*;
use proto::broadcast::Status;
use proto::history::Outcome;

/// A number's status in words.
fn status_word(status: &Status) -> IvrText {
    match status {
        Status::Waiting => IvrText::StatusWaiting,
        Status::Sending => IvrText::StatusSending,
        Status::Sent { .. } => IvrText::Accepted,
        Status::Failed { .. } => IvrText::Failed,
        Status::Unknown => IvrText::StatusUnknown,
        Status::Skipped => IvrText::StatusSkipped,
    }
}

/// The table's rows, one per number, for `#broadcast-results`'s body.
pub fn result_rows() -> AnyView {
    let batch = expect_context::<BroadcastDesk>().view();
    let keys = Memo::new(move |_| {
        batch.with(|b| {
            b.recipients
                .iter()
                .map(|r| r.customuuid.clone())
                .collect::<Vec<_>>()
        })
    });
    keyed_list(
        move || keys.get(),
        |customuuid| view! { <ResultRow customuuid /> }.into_any(),
    )
}

#[component]
fn ResultRow(customuuid: String) -> impl IntoView {
    let i18n = use_i18n();
    let batch = expect_context::<BroadcastDesk>().view();
    let history = expect_context::<History>().entries();
    let uuid = customuuid.clone();
    let row = Memo::new(move |_| {
        batch.with(|b| {
            b.recipients
                .iter()
                .position(|r| r.customuuid == uuid)
                .map(|i| (i + 1, b.recipients[i].clone()))
        })
    });
    let uuid = customuuid.clone();
    // What a call record said: only outcomes a callback sets.
    let heard = Memo::new(move |_| {
        history.with(|all| {
            all.iter()
                .find(|e| e.customuuid == uuid)
                .filter(|e| matches!(e.outcome, Outcome::HungUp | Outcome::NotAnswered))
                .map(|e| (e.outcome, e.duration_ms, e.detail.clone()))
        })
    });
    let uuid = customuuid.clone();
    // The extension a key press reached, from the extension-status callbacks.
    let extension = Memo::new(move |_| {
        history.with(|all| {
            let e = all.iter().find(|e| e.customuuid == uuid)?;
            extension_text(i18n, &e.extension)
        })
    });
    let n = row.get_untracked().map(|(n, _)| n).unwrap_or_default();
    let number = row
        .get_untracked()
        .map(|(_, r)| r.number)
        .unwrap_or_default();
    let status = move || row.with(|r| r.as_ref().map(|(_, r)| r.status.clone()));
    view! {
        <tr id=format!("broadcast-row-{n}") class="broadcast-row"
            data-status=move || status().map(|s| s.as_str()).unwrap_or_default()
            data-customuuid=customuuid>
            <td>{n}</td>
            <td class="broadcast-number">{number}</td>
            <td class="broadcast-status">{move || status().map(|s| i18n.t(status_word(&s)))}</td>
            <td class="broadcast-attempts">{move || row.with(|r| r.as_ref().map(|(_, r)| r.attempts))}</td>
            <td class="broadcast-detail">{move || status().map(|s| match s {
                Status::Sent { desc } => desc,
                Status::Failed { detail } => detail,
                _ => String::new(),
            })}</td>
            <td class="broadcast-callback" data-outcome=move || heard.with(|h| h.as_ref().map(|(o, _, _)| o.as_str()).unwrap_or_default())>
                {move || heard.get().map(|(outcome, duration, detail)| {
                    let mut words = vec![i18n.t(outcome_word(outcome)).to_owned()];
                    words.extend(duration.map(duration_text));
                    words.extend(Some(detail).filter(|d| !d.is_empty()));
                    words.join(" · ")
                })}
                {move || extension.get().map(|(state, text)| view! {
                    " "<span class="broadcast-extension" data-extension-state=state>{text}</span>
                })}
            </td>
        </tr>
    }
}
