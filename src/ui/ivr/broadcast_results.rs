//! The broadcast's per-number results: one row per number, keyed by its
//! `customuuid` with a memo of its own, so a reply redraws one row. The last
//! column is what the relay's call record said (answered, talk time, key
//! pressed, hang-up cause), read from the history entry of that customuuid.

use super::text::IvrText;
use crate::i18n::use_i18n;
use crate::io::broadcast::BroadcastDesk;
use crate::io::history::History;
use crate::reactive::Memo;
use crate::ui::call::{duration_text, extension_text, outcome_word};
use crate::ui::keyed::keyed_list;
use crate::ui::markup::{markup, Markup, Wired};
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

/// The table's rows, one per number, at the end of `body` (`#broadcast-results`'s).
pub fn result_rows(w: &Wired, body: &web_sys::Element) {
    let batch = crate::reactive::expect_context::<BroadcastDesk>().view();
    let keys = Memo::new(move |_| {
        batch.with(|b| {
            b.recipients
                .iter()
                .map(|r| r.customuuid.clone())
                .collect::<Vec<_>>()
        })
    });
    keyed_list(
        w,
        body,
        move || keys.get(),
        |customuuid| Some(result_row(customuuid)),
    );
}

/// The row of number `customuuid`, each cell following the row's memos.
fn result_row(customuuid: String) -> Markup {
    let i18n = use_i18n();
    let batch = crate::reactive::expect_context::<BroadcastDesk>().view();
    let history = crate::reactive::expect_context::<History>().entries();
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
    let status = move || row.with(|r| r.as_ref().map(|(_, r)| r.status.clone()));
    let callback = move || {
        heard
            .get()
            .map(|(outcome, duration, detail)| {
                let mut words = vec![i18n.t(outcome_word(outcome)).to_owned()];
                words.extend(duration.map(duration_text));
                words.extend(Some(detail).filter(|d| !d.is_empty()));
                words.join(" · ")
            })
            .unwrap_or_default()
    };
    markup(ROW, &[], move |w: &Wired| {
        let tr = w.root().clone();
        let (n, number) = row
            .get_untracked()
            .map(|(n, r)| (n, r.number))
            .unwrap_or_default();
        tr.set_id(&format!("broadcast-row-{n}"));
        let _ = tr.set_attribute("data-customuuid", &customuuid);
        w.attr_el(
            tr,
            "data-status",
            Box::new(move || Some(status().map(|s| s.as_str()).unwrap_or_default().to_owned())),
        );
        w.part("td").set_text_content(Some(&n.to_string()));
        w.part(".broadcast-number").set_text_content(Some(&number));
        w.text_el(
            w.part(".broadcast-status"),
            Box::new(move || {
                status()
                    .map(|s| i18n.t(status_word(&s)))
                    .unwrap_or_default()
                    .to_owned()
            }),
        );
        w.text_el(
            w.part(".broadcast-attempts"),
            Box::new(move || {
                row.with(|r| r.as_ref().map(|(_, r)| r.attempts.to_string()))
                    .unwrap_or_default()
            }),
        );
        w.text_el(
            w.part(".broadcast-detail"),
            Box::new(move || match status() {
                Some(Status::Sent { desc }) => desc,
                Some(Status::Failed { detail }) => detail,
                _ => String::new(),
            }),
        );
        let cell = w.part(".broadcast-callback");
        w.attr_el(
            cell.clone(),
            "data-outcome",
            Box::new(move || {
                Some(
                    heard
                        .with(|h| h.as_ref().map(|(o, _, _)| o.as_str()))
                        .unwrap_or_default()
                        .to_owned(),
                )
            }),
        );
        // The cell's text: what the call record said, then a space and the
        // extension while there is one.
        let span = w.part(".broadcast-extension");
        if let Some(words) = cell.first_child() {
            w.effect(Box::new(move || {
                let space = if extension.with(Option::is_some) {
                    " "
                } else {
                    ""
                };
                words.set_text_content(Some(&format!("{}{space}", callback())));
            }));
        }
        w.attr_el(
            span.clone(),
            "data-extension-state",
            Box::new(move || extension.get().map(|(state, _)| state.to_owned())),
        );
        w.text_el(
            span.clone(),
            Box::new(move || extension.get().map(|(_, text)| text).unwrap_or_default()),
        );
        w.present(
            cell,
            vec![span.into()],
            Vec::new(),
            Box::new(move || extension.with(Option::is_some)),
        );
    })
}

/// A number's row; what it shows is filled in when it is built. The
/// callback cell's first text is the call record's words.
const ROW: &str = r#"<tr class="broadcast-row"><td></td><td class="broadcast-number"></td><td class="broadcast-status"></td><td class="broadcast-attempts"></td><td class="broadcast-detail"></td><td class="broadcast-callback"> <span class="broadcast-extension"></span></td></tr>"#;
