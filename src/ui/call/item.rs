//! One call: whom, since when, its state in words, a cancel button and the
//! server's message when something went wrong.

use super::text::CallText;
use crate::config::Terminal;
use crate::i18n::{use_i18n, I18n};
use crate::io::calls::CallDesk;
use crate::time::{clock_text, now_ms};
use crate::ui::active::use_active;
use crate::ui::show::cond;
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

#[component]
pub fn CallItem(id: u32) -> impl IntoView {
    let i18n = use_i18n();
    let desk = expect_context::<CallDesk>();
    let calls = desk.calls();
    let terminals = use_active().config.terminals;
    let call = Memo::new(move |_| calls.with(|c| c.iter().find(|c| c.id == id).cloned()));
    let with =
        move |f: fn(&Call) -> String| move || call.with(|c| c.as_ref().map(f).unwrap_or_default());
    let (target, placed_at) = call
        .get_untracked()
        .map(|c| (c.target, c.placed_at))
        .unwrap_or((Target::Service, 0));
    let state = move || call.with(|c| c.as_ref().map(|c| c.phase.clone()));
    let words = move || {
        state().map(|p| {
            let cancelled = matches!(p, Phase::Ended { cancelled: true });
            format!(
                "{}{}",
                i18n.t(state_word(&p)),
                if cancelled {
                    i18n.t(CallText::Cancelled)
                } else {
                    ""
                }
            )
        })
    };
    let problem = move || {
        call.with(|c| c.as_ref().and_then(|c| c.problem.clone()))
            .map(|p| match p {
                Problem::Refused(message) => message,
                Problem::NoReply => i18n.t(CallText::NoReply).to_owned(),
                Problem::Server(status) => format!("{}{status}", i18n.t(CallText::ServerFailed)),
                Problem::BadReply => i18n.t(CallText::BadReply).to_owned(),
            })
    };
    let can_cancel = move || call.with(|c| c.as_ref().is_some_and(Call::can_cancel));
    let cancelling = move || call.with(|c| c.as_ref().is_some_and(|c| c.cancelling));
    let time = clock_text(placed_at);
    let hint = move || {
        call.with(|c| c.as_ref().and_then(state_hint))
            .map(|h| i18n.t(h))
    };
    let stale = move || {
        call.with(|c| c.as_ref().is_some_and(|c| c.stale))
            .to_string()
    };
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
    let duration = move || {
        let now = tick.get();
        call.with(|c| c.as_ref().map(|c| duration_text(c.duration_ms(now))))
    };
    view! {
        <li id=format!("call-{id}") class=move || format!("call call-{}", state().as_ref().map(state_name).unwrap_or("unknown"))
            data-state=move || state().as_ref().map(state_name).unwrap_or("unknown")
            data-sid=with(|c| c.sid.clone().unwrap_or_default())
            data-stale=stale>
            <time class="call-time">{time.get(..8).unwrap_or(&time).to_owned()}</time>" "
            <span class="call-target">{target_name(target, &terminals, i18n)}</span>" "
            <strong class="call-state">{words}</strong>" "
            <span class="call-duration" title=i18n.tr(CallText::Duration)>{duration}</span>" "
            <span class="call-hint">{hint}</span>" "
            <Show when=cond(can_cancel)>
                <button id=format!("call-cancel-{id}") class="small call-cancel" type="button"
                    on:click=move |_| desk.cancel(id)>{i18n.tr(CallText::Cancel)}</button>
            </Show>
            <Show when=cond(cancelling)>
                <span class="call-cancelling">{i18n.tr(CallText::Cancelling)}</span>
            </Show>
            <p class="error call-error" role="alert">{problem}</p>
        </li>
    }
}
