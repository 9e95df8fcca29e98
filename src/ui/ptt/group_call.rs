//! The temporary group call: choose terminals, start the call, hold to talk,
//! watch the members and the floor, add and remove members, hang up.

use super::text::PttText;
use crate::config::Terminal;
use crate::i18n::{use_i18n, I18n};
use crate::io::voice::VoiceLink;
use crate::ui::active::use_active;
use leptos::ev::{KeyboardEvent, PointerEvent};
use leptos::prelude::*;
use proto::voice::PttState;
use proto::voice::{MemberCallState, PttError, Talker, TerminalId};

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

/// Who holds the floor, in words.
pub fn talker_text(view: &PttState, i18n: I18n) -> String {
    match &view.talker {
        Some(Talker::Me) => i18n.t(PttText::Me).to_owned(),
        Some(Talker::Member { name, .. }) => format!("{name}{}", i18n.t(PttText::Talking)),
        None => i18n.t(PttText::Idle).to_owned(),
    }
}

pub fn error_text(error: &PttError, i18n: I18n) -> String {
    match error {
        PttError::NotOnline => i18n.t(PttText::NotOnline).to_owned(),
        PttError::NoSession => i18n.t(PttText::NoSessionError).to_owned(),
        PttError::InCall => i18n.t(PttText::InCall).to_owned(),
        PttError::NoTerminals => i18n.t(PttText::NoTerminals).to_owned(),
        PttError::Server(m) => format!("{}{m}", i18n.t(PttText::Refused)),
    }
}

#[component]
pub fn GroupCall() -> impl IntoView {
    let i18n = use_i18n();
    let voice = expect_context::<VoiceLink>();
    let ptt = voice.ptt();
    let terminals = use_active().config.terminals;
    let picked = RwSignal::new(Vec::<TerminalId>::new());
    let in_call = move || ptt.with(|p| p.session.is_some());

    let picker = terminals
        .iter()
        .map(|t| {
            let id = t.id;
            let checked = move || picked.with(|p| p.contains(&id));
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                picked.update(|p| {
                    p.retain(|x| *x != id);
                    if on {
                        p.push(id);
                    }
                });
            };
            view! {
                <li>
                    <label>
                        <input type="checkbox" id=format!("ptt-pick-{id}") prop:checked=checked on:change=toggle />
                        " "{t.name.clone()}" · "{id}
                    </label>
                </li>
            }
        })
        .collect_view();

    let take_picked = move || {
        let ids = picked.get_untracked();
        picked.set(Vec::new());
        ids
    };

    view! {
        <section id="ptt-group-call" class="group-call">
            <h3>{i18n.tr(PttText::GroupCall)}</h3>
            <p>{i18n.tr(PttText::Pick)}</p>
            <ul id="ptt-picker" class="terminals">{picker}</ul>
            <p class="buttons">
                <button id="ptt-start" type="button" prop:disabled=in_call
                    on:click=move |_| voice.start_call(take_picked())>{i18n.tr(PttText::StartCall)}</button>
                " "
                <button id="ptt-add" type="button" prop:disabled=move || !in_call()
                    on:click=move |_| voice.add_members(take_picked())>{i18n.tr(PttText::AddMembers)}</button>
                " "
                <button id="ptt-hangup" type="button" prop:disabled=move || !in_call()
                    on:click=move |_| voice.hang_up()>{i18n.tr(PttText::HangUp)}</button>
            </p>
            <p id="ptt-session" class="status">
                {move || ptt.with(|p| match &p.session {
                    Some(s) => format!("{}{}", i18n.t(PttText::Session), s.id),
                    None => i18n.t(PttText::NoSession).to_owned(),
                })}
            </p>
            <TalkButton />
            <MemberList terminals=terminals />
            <p id="ptt-error" class="error" role="alert">
                {move || ptt.with(|p| p.error.as_ref().map(|e| error_text(e, i18n)))}
            </p>
        </section>
    }
}

/// Press and hold (pointer or Space) to ask for the floor; let go to give it back.
#[component]
fn TalkButton() -> impl IntoView {
    let i18n = use_i18n();
    let voice = expect_context::<VoiceLink>();
    let ptt = voice.ptt();
    // Only a key that went down here lets the floor go when it comes up.
    let pressed = RwSignal::new(false);
    let down = move || {
        if !pressed.get_untracked() {
            pressed.set(true);
            voice.talk();
        }
    };
    let up = move || {
        if pressed.get_untracked() {
            pressed.set(false);
            voice.release();
        }
    };
    let state = move || {
        ptt.with(|p| match &p.talker {
            Some(Talker::Me) => "me",
            Some(Talker::Member { .. }) => "other",
            None => "idle",
        })
    };
    view! {
        <button id="ptt-talk" type="button" class="talk" data-state=state
            prop:disabled=move || ptt.with(|p| p.session.is_none())
            on:pointerdown=move |ev: PointerEvent| { ev.prevent_default(); down() }
            on:pointerup=move |_| up()
            on:pointerleave=move |_| up()
            on:pointercancel=move |_| up()
            on:blur=move |_| up()
            on:keydown=move |ev: KeyboardEvent| if ev.code() == "Space" {
                ev.prevent_default();
                if !ev.repeat() { down() }
            }
            on:keyup=move |ev: KeyboardEvent| if ev.code() == "Space" { ev.prevent_default(); up() }
        >
            <strong id="ptt-talker">{move || ptt.with(|p| talker_text(p, i18n))}</strong>
            <br />
            <small>{i18n.tr(PttText::TalkButton)}</small>
        </button>
    }
}

#[component]
fn MemberList(terminals: Vec<Terminal>) -> impl IntoView {
    let i18n = use_i18n();
    let voice = expect_context::<VoiceLink>();
    let ptt = voice.ptt();
    let rows = move || {
        let (members, me) = ptt.with(|p| {
            (
                p.session
                    .as_ref()
                    .map(|s| s.members.clone())
                    .unwrap_or_default(),
                p.my_id(),
            )
        });
        members
            .into_iter()
            .map(|m| {
                let id = m.member_id;
                let name = if m.member_name.is_empty() {
                    terminals
                        .iter()
                        .find(|t| t.id == id)
                        .map(|t| t.name.clone())
                        .unwrap_or_else(|| id.to_string())
                } else {
                    m.member_name.clone()
                };
                let word = call_state_word(m.call_state);
                let kick = (Some(id) != me).then(|| {
                    view! {
                        <button id=format!("ptt-kick-{id}") class="small" type="button"
                            on:click=move |_| voice.kick(vec![id])>{i18n.tr(PttText::Kick)}</button>
                    }
                });
                view! {
                    <li id=format!("ptt-member-{id}") data-state=m.call_state.code().to_string()>
                        <span class="terminal-name">{name}</span>" · "{id}" · "
                        <span class="call-state">{i18n.tr(word)}</span>" "
                        {kick}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <h4>{i18n.tr(PttText::Members)}</h4>
        <ul id="ptt-members" class="terminals">{rows}</ul>
    }
}
