//! One running group call: its talker, what is under way, its members (each
//! state with its own mark and colour, not only a word), a button to talk in
//! it, its volume and mute (when the console plays the audio), one to hang it
//! up, and its recent transmissions, each replayable while its audio is kept.
//! Each part follows its own memo, so a new talker does not rebuild the
//! members or the volume controls.

use super::group_call::request_word;
use super::sessions::{member_look, shown_talker, talker_text};
use super::text::PttText;
use crate::config::Terminal;
use crate::i18n::{use_i18n, I18n};
use crate::io::audio::{AudioDesk, MicStatus, Volume};
use crate::io::voice::VoiceLink;
use crate::time::clock_text;
use crate::ui::call::duration_text;
use crate::ui::keyed::keyed_list;
use crate::ui::show::cond;
use leptos::prelude::*;
use proto::id::BigId;
use proto::voice::{MemberCallState, SessionMember, Talker, Transmission};

#[component]
pub fn SessionItem(sid: BigId, terminals: StoredValue<Vec<Terminal>>) -> impl IntoView {
    let i18n = use_i18n();
    let voice = expect_context::<VoiceLink>();
    let ptt = voice.ptt();
    let desk = use_context::<AudioDesk>()
        .filter(|desk| desk.mic.get_untracked() != MicStatus::PluginOwned);
    let here = StoredValue::new(sid.clone());
    let session = Memo::new(move |_| ptt.with(|p| here.with_value(|id| p.session(id).cloned())));
    let selected =
        Memo::new(move |_| ptt.with(|p| here.with_value(|id| p.selected.as_ref() == Some(id))));
    let me = Memo::new(move |_| ptt.with(|p| p.my_id()));
    let waiting = Memo::new(move |_| {
        ptt.with(|p| {
            here.with_value(|id| {
                p.pending
                    .iter()
                    .filter(|r| r.session.as_ref() == Some(id))
                    .map(|r| request_word(r.kind))
                    .collect::<Vec<_>>()
            })
        })
    });
    let talker = Memo::new(move |_| session.with(|s| s.as_ref().and_then(shown_talker)));
    let members = Memo::new(move |_| {
        session.with(|s| s.as_ref().map(|s| s.members.clone()).unwrap_or_default())
    });
    // A transmission's line changes once, when it ends: keyed by both
    // (its id shifted left, and one bit for ended).
    let turns = Memo::new(move |_| {
        session.with(|s| {
            s.as_ref().map_or_else(Vec::new, |s| {
                s.transmissions
                    .iter()
                    .map(|t| (t.id << 1) | u64::from(t.ended.is_some()))
                    .collect::<Vec<_>>()
            })
        })
    });

    let waiting_text = move || {
        waiting.with(|w| {
            (!w.is_empty()).then(|| {
                let words: Vec<&str> = w.iter().map(|k| i18n.t(*k)).collect();
                format!("{} {}", i18n.t(PttText::Waiting), words.join(", "))
            })
        })
    };
    let talker_state = move || match talker.get() {
        Some(Talker::Me) => "me",
        Some(Talker::Member { .. }) => "other",
        None => "idle",
    };
    let member_rows = move || {
        let (selected, me) = (selected.get(), me.get());
        members.with(|ms| {
            terminals.with_value(|terminals| {
                ms.iter()
                    .map(|m| member_row(m, selected, me, terminals, i18n, voice))
                    .collect_view()
            })
        })
    };
    let turn_row = move |turn: u64| {
        let id = turn >> 1;
        session
            .with_untracked(|s| {
                let s = s.as_ref()?;
                let t = s.transmissions.iter().find(|t| t.id == id)?;
                Some(transmission_row(t, &s.id, desk, i18n))
            })
            .into_any()
    };
    let volume = desk.map(|desk| volume_controls(desk, sid.clone(), i18n));
    let (pick, hang) = (sid.clone(), sid.clone());
    let turns_id = format!("ptt-turns-{sid}");
    view! {
        <li id=format!("ptt-call-{sid}") class="session" class:selected=selected>
            <p class="session-head">
                <button id=format!("ptt-select-{sid}") type="button" class="small"
                    aria-pressed=move || selected.get().to_string()
                    on:click=move |_| voice.select(pick.clone())>
                    {move || i18n.t(if selected.get() { PttText::Selected } else { PttText::Select })}
                </button>
                " "<span class="session-id">{sid.to_string()}</span>" "
                <button id=format!("ptt-hangup-{sid}") type="button" class="small"
                    on:click=move |_| voice.hang_up(hang.clone())>{i18n.tr(PttText::HangUp)}</button>
                {volume}
            </p>
            <p class="talker" data-state=talker_state id=format!("ptt-talker-{sid}")>
                <strong>{move || talker.with(|t| talker_text(t.as_ref(), i18n))}</strong>
            </p>
            <p class="pending" aria-live="polite">{waiting_text}</p>
            <ul class="members" id=move || selected.get().then_some("ptt-members")>{member_rows}</ul>
            <Show when=cond(move || turns.with(|t| !t.is_empty()))>
                <p class="transmissions-head">{i18n.tr(PttText::Transmissions)}</p>
                <ol class="transmissions" id=turns_id.clone()>
                    {keyed_list(move || turns.get(), turn_row)}
                </ol>
            </Show>
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
    let replay = desk.filter(|_| t.ended.is_some()).map(|d| {
        let sid = sid.clone();
        let on = move || d.replaying.get() == Some(id);
        // Offered while its audio is kept: ten minutes in all, oldest first.
        let kept = move || {
            d.replays_dropped.track();
            d.can_replay(id)
        };
        move || {
            let sid = sid.clone();
            kept().then(|| {
                view! {
                    " "<button id=format!("ptt-replay-{id}") type="button" class="small"
                        aria-pressed=move || on().to_string()
                        on:click=move |_| d.replay(&sid, id)>
                        {move || i18n.t(if on() { PttText::StopReplay } else { PttText::Replay })}
                    </button>
                }
            })
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
