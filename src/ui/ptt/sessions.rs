//! The running group calls: one line each with its talker, what is under
//! way, its members (each state with its own mark and colour, not only a
//! word), a button to talk in it, its volume and mute (when the console
//! plays the audio), one to hang it up, and its recent transmissions, each
//! replayable while its audio is kept.

use super::group_call::request_word;
use super::text::PttText;
use crate::config::Terminal;
use crate::i18n::{use_i18n, I18n};
use crate::io::audio::{AudioDesk, MicStatus, Volume};
use crate::io::voice::VoiceLink;
use crate::time::clock_text;
use crate::ui::call::duration_text;
use leptos::prelude::*;
use proto::id::BigId;
use proto::voice::{CallSession, MemberCallState, PttState, SessionMember, Talker, Transmission};

/// A member's call state in the dispatcher's words.
pub fn call_state_word(state: MemberCallState) -> PttText {
    match state {
        MemberCallState::Idle => PttText::StateIdle,
        MemberCallState::Busy => PttText::StateBusy,
        MemberCallState::Calling => PttText::StateCalling,
        MemberCallState::Ringing => PttText::StateRinging,
        MemberCallState::Answered => PttText::StateAnswered,
    }
}

/// What a member's line shows: its word, a CSS class and a mark, so the six
/// states differ at a glance (and without colour).
pub fn member_look(m: &SessionMember) -> (PttText, &'static str, &'static str) {
    if m.state == MemberCallState::Idle && m.no_answer {
        return (PttText::StateNoAnswer, "no-answer", "✕");
    }
    let (class, mark) = match m.state {
        MemberCallState::Idle => ("idle", "○"),
        MemberCallState::Busy => ("busy", "⊘"),
        MemberCallState::Calling => ("calling", "…"),
        MemberCallState::Ringing => ("ringing", "♪"),
        MemberCallState::Answered => ("answered", "●"),
    };
    (call_state_word(m.state), class, mark)
}

/// The talker `s` shows: in step with its sound where the console plays
/// it (docs/audio.md), else as the plugin's notifications say.
pub fn shown_talker(s: &CallSession) -> Option<Talker> {
    let heard = use_context::<AudioDesk>().and_then(|d| {
        d.shown
            .with(|v| v.iter().find(|(id, _)| *id == s.id).map(|(_, t)| t.clone()))
    });
    heard.unwrap_or_else(|| s.talker.clone())
}

/// Who holds a call's floor, in words (name and id).
pub fn talker_text(talker: Option<&Talker>, i18n: I18n) -> String {
    match talker {
        Some(Talker::Me) => i18n.t(PttText::Me).to_owned(),
        Some(Talker::Member { id, name }) => format!("{name} ({id}){}", i18n.t(PttText::Talking)),
        None => i18n.t(PttText::Idle).to_owned(),
    }
}

#[component]
pub fn SessionList(terminals: Vec<Terminal>) -> impl IntoView {
    let i18n = use_i18n();
    let voice = expect_context::<VoiceLink>();
    let ptt = voice.ptt();
    let rows = move || {
        let p = ptt.get();
        p.sessions
            .iter()
            .map(|s| session_row(&p, s, &terminals, i18n, voice))
            .collect_view()
    };
    view! {
        <h4>{i18n.tr(PttText::Sessions)}</h4>
        <ul id="ptt-sessions" class="sessions">{rows}</ul>
    }
}

fn session_row(
    p: &PttState,
    s: &CallSession,
    terminals: &[Terminal],
    i18n: I18n,
    voice: VoiceLink,
) -> impl IntoView {
    let selected = p.selected.as_ref() == Some(&s.id);
    let sid = s.id.clone();
    let waiting: Vec<&str> = p
        .pending
        .iter()
        .filter(|r| r.session.as_ref() == Some(&s.id))
        .map(|r| i18n.t(request_word(r.kind)))
        .collect();
    let waiting = (!waiting.is_empty())
        .then(|| format!("{} {}", i18n.t(PttText::Waiting), waiting.join(", ")));
    let talker = shown_talker(s);
    let talker_state = match &talker {
        Some(Talker::Me) => "me",
        Some(Talker::Member { .. }) => "other",
        None => "idle",
    };
    let members = s
        .members
        .iter()
        .map(|m| member_row(m, selected, p.my_id(), terminals, i18n, voice))
        .collect_view();
    let desk = use_context::<AudioDesk>()
        .filter(|desk| desk.mic.get_untracked() != MicStatus::PluginOwned);
    let turns = (!s.transmissions.is_empty()).then(|| {
        let rows = s
            .transmissions
            .iter()
            .map(|t| transmission_row(t, &s.id, desk, i18n))
            .collect_view();
        view! {
            <p class="transmissions-head">{i18n.t(PttText::Transmissions)}</p>
            <ol class="transmissions" id=format!("ptt-turns-{sid}")>{rows}</ol>
        }
    });
    let volume = desk.map(|desk| volume_controls(desk, s.id.clone(), i18n));
    let (pick, hang) = (sid.clone(), sid.clone());
    view! {
        <li id=format!("ptt-call-{sid}") class="session" class:selected=selected>
            <p class="session-head">
                <button id=format!("ptt-select-{sid}") type="button" class="small"
                    aria-pressed=selected.to_string()
                    on:click=move |_| voice.select(pick.clone())>
                    {if selected { i18n.t(PttText::Selected) } else { i18n.t(PttText::Select) }}
                </button>
                " "<span class="session-id">{sid.to_string()}</span>" "
                <button id=format!("ptt-hangup-{sid}") type="button" class="small"
                    on:click=move |_| voice.hang_up(hang.clone())>{i18n.t(PttText::HangUp)}</button>
                {volume}
            </p>
            <p class="talker" data-state=talker_state id=format!("ptt-talker-{sid}")>
                <strong>{talker_text(talker.as_ref(), i18n)}</strong>
            </p>
            <p class="pending" aria-live="polite">{waiting}</p>
            <ul class="members" id=selected.then_some("ptt-members")>{members}</ul>
            {turns}
        </li>
    }
}

/// A call's volume slider and mute box; they change its playback at once.
/// They hold their own state, shown as the desk has it when the row is made.
fn volume_controls(desk: AudioDesk, sid: BigId, i18n: I18n) -> impl IntoView {
    let now = desk.volume_untracked(&sid);
    let id = sid.to_string();
    let here = StoredValue::new(sid);
    let set = move |change: &dyn Fn(&mut Volume)| {
        let sid = here.get_value();
        let mut v = desk.volume_untracked(&sid);
        change(&mut v);
        desk.set_volume(sid, v);
    };
    view! {
        " "<label class="volume">{i18n.t(PttText::Volume)}" "
            <input type="range" id=format!("ptt-volume-{id}") min="0" max="1" step="0.05"
                value=now.level.to_string()
                on:input=move |ev| {
                    let level = event_target_value(&ev).parse().unwrap_or(1.0);
                    set(&|v| v.level = level)
                } />
        </label>
        " "<label class="mute">
            <input type="checkbox" id=format!("ptt-mute-{id}") checked=now.muted
                on:change=move |ev| {
                    let muted = event_target_checked(&ev);
                    set(&|v| v.muted = muted)
                } />
            " "{i18n.t(PttText::Mute)}
        </label>
    }
}

/// One turn at the floor: when it began, who talked, how long (or that it
/// is under way), and a button that replays its audio while it is kept
/// (a second press stops it).
fn transmission_row(
    t: &Transmission,
    sid: &BigId,
    desk: Option<AudioDesk>,
    i18n: I18n,
) -> impl IntoView {
    let id = t.id;
    let replay = desk
        .filter(|d| t.ended.is_some() && d.can_replay(id))
        .map(|d| {
            let sid = sid.clone();
            let on = move || d.replaying.get() == Some(id);
            view! {
                " "<button id=format!("ptt-replay-{id}") type="button" class="small"
                    aria-pressed=move || on().to_string()
                    on:click=move |_| d.replay(&sid, id)>
                    {move || i18n.t(if on() { PttText::StopReplay } else { PttText::Replay })}
                </button>
            }
        });
    let who = match &t.talker {
        Talker::Me => i18n.t(PttText::MeShort).to_owned(),
        Talker::Member { id, name } => format!("{name} ({id})"),
    };
    let length = match t.ended {
        Some(_) => duration_text(t.duration_ms(0)),
        None => i18n.t(PttText::OnAir).to_owned(),
    };
    // HH:MM:SS of the journal's clock, without the milliseconds.
    let mut at = clock_text(t.started);
    at.truncate(8);
    view! {
        <li id=format!("ptt-tx-{}", t.id) class="transmission">
            <time>{at}</time>" · "{who}" · "<span class="length">{length}</span>
            {replay}
        </li>
    }
}

fn member_row(
    m: &SessionMember,
    selected: bool,
    me: Option<u64>,
    terminals: &[Terminal],
    i18n: I18n,
    voice: VoiceLink,
) -> impl IntoView {
    let id = m.id;
    let name = if m.name.is_empty() {
        terminals
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| id.to_string())
    } else {
        m.name.clone()
    };
    let (word, class, mark) = member_look(m);
    let reason = m
        .reason
        .as_ref()
        .map(|r| format!(" · {}{r}", i18n.t(PttText::HungUpBecause)));
    let kick = (selected && Some(id) != me && m.state != MemberCallState::Idle).then(|| {
        view! {
            <button id=format!("ptt-kick-{id}") class="small" type="button"
                on:click=move |_| voice.kick(vec![id])>{i18n.t(PttText::Kick)}</button>
        }
    });
    view! {
        <li id=selected.then(|| format!("ptt-member-{id}")) class=format!("member state-{class}")
            data-state=m.state.code().to_string()>
            <span class="mark" aria-hidden="true">{mark}</span>" "
            <span class="terminal-name">{name}</span>" · "{id}" · "
            <span class="call-state">{i18n.t(word)}</span>
            {reason}" "
            {kick}
        </li>
    }
}
