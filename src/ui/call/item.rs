//! One call: whom, since when, its state in words, a cancel button and the
//! server's message when something went wrong.

use super::text::CallText;
use crate::config::Terminal;
use crate::i18n::{use_i18n, I18n};
use crate::io::calls::CallDesk;
use crate::reactive::{Memo, RwSignal};
use crate::time::{clock_text, now_ms};
use crate::ui::active::use_active;
use crate::ui::markup::{markup, Markup, Wired};
use leptos::prelude::*;
use proto::call::{Call, CallState, Phase, Problem, Target};

/// The state in the dispatcher's words.
pub fn state_word(phase: &Phase) -> CallText {
    match phase {
        Phase::Placing | Phase::Live(CallState::Requesting) => CallText::Requesting,
        Phase::Live(CallState::Ringing) => CallText::Ringing,
        Phase::Live(CallState::Connected) => CallText::Connected,
        Phase::Live(CallState::Ended) | Phase::Ended { .. } => CallText::Ended,
        Phase::Failed => CallText::Failed,
        Phase::Live(CallState::Unknown(_)) | Phase::Unknown | Phase::Unconfirmed { .. } => {
            CallText::Unknown
        }
    }
}

/// The state for CSS and tests (`data-state`).
pub fn state_name(phase: &Phase) -> &'static str {
    match state_word(phase) {
        CallText::Requesting => "requesting",
        CallText::Ringing => "ringing",
        CallText::Connected => "connected",
        CallText::Ended => "ended",
        CallText::Failed => "failed",
        _ => "unknown",
    }
}

/// What more the row says about how it stands: who ended it, why its
/// outcome is unknown, that its state is not confirmed.
pub fn state_hint(call: &Call) -> Option<CallText> {
    Some(match call.phase {
        Phase::Unconfirmed { waiting: true } => CallText::Unconfirmed,
        Phase::Unconfirmed { waiting: false } => CallText::UnconfirmedLost,
        Phase::Ended { cancelled: false } if call.hung_up_by_phone() => CallText::HungUp,
        Phase::Ended { cancelled: false } => CallText::NotAnswered,
        _ if call.stale => CallText::Stale,
        _ => return None,
    })
}

/// `m:ss`, or `h:mm:ss` past an hour.
pub fn duration_text(ms: u64) -> String {
    let s = ms / 1_000;
    if s >= 3_600 {
        format!("{}:{:02}:{:02}", s / 3_600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The terminal's name from the directory, else its id.
pub fn target_name(target: Target, terminals: &[Terminal], i18n: I18n) -> String {
    match target {
        Target::Service => i18n.t(CallText::CustomerService).to_owned(),
        Target::User(id) => match terminals.iter().find(|t| t.id == id) {
            Some(t) => format!("{} · {id}", t.name),
            None => id.to_string(),
        },
    }
}

pub fn call_item(id: u32) -> Markup {
    let i18n = use_i18n();
    let desk = crate::reactive::expect_context::<CallDesk>();
    let calls = desk.calls();
    let terminals = use_active().config.terminals;
    let call = Memo::new(move |_| calls.with(|c| c.iter().find(|c| c.id == id).cloned()));
    let (target, placed_at) = call
        .get_untracked()
        .map(|c| (c.target, c.placed_at))
        .unwrap_or((Target::Service, 0));
    // Ticks every second while the call runs, for its duration.
    let tick = RwSignal::new(now_ms());
    let timer = set_interval_with_handle(
        move || tick.set(now_ms()),
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });
    markup(ROW, &[CallText::named], move |w: &Wired| {
        let state = move || {
            call.with(|c| {
                c.as_ref()
                    .map(|c| state_name(&c.phase))
                    .unwrap_or("unknown")
            })
        };
        let row = w.root().clone();
        row.set_id(&format!("call-{id}"));
        w.attr_el(
            row.clone(),
            "class",
            Box::new(move || Some(format!("call call-{}", state()))),
        );
        w.attr_el(
            row.clone(),
            "data-state",
            Box::new(move || Some(state().to_owned())),
        );
        w.attr_el(
            row.clone(),
            "data-sid",
            Box::new(move || {
                Some(call.with(|c| c.as_ref().and_then(|c| c.sid.clone()).unwrap_or_default()))
            }),
        );
        w.attr_el(
            row.clone(),
            "data-stale",
            Box::new(move || {
                Some(
                    call.with(|c| c.as_ref().is_some_and(|c| c.stale))
                        .to_string(),
                )
            }),
        );
        let time = clock_text(placed_at);
        w.part(".call-time")
            .set_text_content(Some(time.get(..8).unwrap_or(&time)));
        w.part(".call-target")
            .set_text_content(Some(&target_name(target, &terminals, i18n)));
        w.text_el(
            w.part(".call-state"),
            Box::new(move || {
                call.with(|c| {
                    let Some(c) = c else { return String::new() };
                    let cancelled = matches!(c.phase, Phase::Ended { cancelled: true });
                    format!(
                        "{}{}",
                        i18n.t(state_word(&c.phase)),
                        if cancelled {
                            i18n.t(CallText::Cancelled)
                        } else {
                            ""
                        }
                    )
                })
            }),
        );
        w.text_el(
            w.part(".call-duration"),
            Box::new(move || {
                let now = tick.get();
                call.with(|c| {
                    c.as_ref()
                        .map(|c| duration_text(c.duration_ms(now)))
                        .unwrap_or_default()
                })
            }),
        );
        w.text_el(
            w.part(".call-hint"),
            Box::new(move || {
                call.with(|c| c.as_ref().and_then(state_hint))
                    .map(|h| i18n.t(h))
                    .unwrap_or_default()
                    .to_owned()
            }),
        );
        let error = w.part(".call-error");
        w.text_el(
            error.clone(),
            Box::new(move || {
                call.with(|c| c.as_ref().and_then(|c| c.problem.clone()))
                    .map(|p| match p {
                        Problem::Refused(message) => message,
                        Problem::NoReply => i18n.t(CallText::NoReply).to_owned(),
                        Problem::Server(status) => {
                            format!("{}{status}", i18n.t(CallText::ServerFailed))
                        }
                        Problem::BadReply => i18n.t(CallText::BadReply).to_owned(),
                    })
                    .unwrap_or_default()
            }),
        );
        // The cancel button and the word that it is being cancelled are
        // there only while they apply (tests look for the button's absence).
        let cancel = w.part(".call-cancel");
        let cancel_id = format!("call-cancel-{id}");
        cancel.set_id(&cancel_id);
        w.on(&cancel_id, "click", move |_| desk.cancel(id));
        w.text_el(
            cancel.clone(),
            Box::new(move || i18n.t(CallText::Cancel).to_owned()),
        );
        let cancelling = w.part(".call-cancelling");
        w.text_el(
            cancelling.clone(),
            Box::new(move || i18n.t(CallText::Cancelling).to_owned()),
        );
        w.present(
            row.clone(),
            vec![cancel.into()],
            vec![cancelling.clone().into(), error.clone().into()],
            Box::new(move || call.with(|c| c.as_ref().is_some_and(Call::can_cancel))),
        );
        w.present(
            row,
            vec![cancelling.into()],
            vec![error.into()],
            Box::new(move || call.with(|c| c.as_ref().is_some_and(|c| c.cancelling))),
        );
    })
}

/// A call's row; what it shows is filled in when it is built.
const ROW: &str = r#"<li class="call"><time class="call-time"></time> <span class="call-target"></span> <strong class="call-state"></strong> <span class="call-duration" data-t-title="Duration"></span> <span class="call-hint"></span> <button class="small call-cancel" type="button"></button><span class="call-cancelling"></span><p class="error call-error" role="alert"></p></li>"#;
