//! The console in a portal: the portal's commands go to the shells, and the
//! shells' state goes back to it as events (protocol in `proto::embed`,
//! transport in `io::embed`). Credentials the portal hands over go into the
//! configuration in force, in memory only.

use super::active::{Active, Restart};
use super::console::{Desk, Shells};
use super::status_light::LightState;
use crate::config::Config;
use crate::i18n::{I18n, Key};
use crate::io::embed::{microphone_allowed, Bridge, Responder};
use crate::io::ivr::IvrOutcome;
use crate::reactive::{effect, Memo, StoredValue};
use proto::call::{CallState, Phase, Target};
use proto::embed::{Command, EmbedError, ErrorCode, Event, Member, Request};
use proto::ivr::{PlayVoice, SERVICE};
use proto::meeting::{Command as MeetingCommand, ParticipantCommand};
use proto::voice::{MemberCallState, Talker};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Starts the bridge for the console's lifetime: commands in, events out,
/// `ready` once the console is mounted.
pub fn connect(shells: Shells, active: StoredValue<Active>, desk: Desk, i18n: I18n) {
    let origins = active.with_value(|a| a.config.embed.origins.clone());
    let restart = crate::reactive::expect_context::<Restart>();
    let bridge = Bridge::start(&origins, move |request, responder| {
        dispatch(request, responder, shells, active, desk, i18n, restart)
    });
    if !bridge.connected() {
        return;
    }
    let bridge = StoredValue::new(bridge);
    let send = move |event: Event| bridge.with_value(|b| b.send(&event));
    // Effects run after mounting: from here commands are served.
    effect(move || bridge.with_value(Bridge::announce_ready));
    if desk.microphone_blocked {
        send(Event::Error {
            message: i18n.t(Key::MicrophoneBlocked).to_owned(),
        });
    }
    forward_lights(shells, send);
    forward_ptt(shells, send);
    forward_calls(shells, send);
    let meeting = shells.meeting.view();
    let roster = Memo::new(move |_| {
        meeting.with(|v| {
            v.conference
                .participants
                .iter()
                .map(|p| serde_json::to_value(p).unwrap_or(Value::Null))
                .collect::<Vec<_>>()
        })
    });
    effect(move || {
        send(Event::MeetingRoster {
            participants: roster.get(),
        })
    });
}

/// Whether the page is framed without `allow="microphone"`.
pub fn microphone_blocked() -> bool {
    crate::io::embed::framed() && microphone_allowed() == Some(false)
}

fn forward_lights(shells: Shells, send: impl Fn(Event) + Copy + 'static) {
    let voice = shells.voice.view();
    let meeting = shells.meeting.view();
    let calls = shells.calls.view();
    let ivr = shells.ivr.health();
    let lights: [(&'static str, Memo<LightState>); 4] = [
        (
            "voice",
            Memo::new(move |_| voice.with(|v| LightState::of_link(&v.link))),
        ),
        (
            "meeting",
            Memo::new(move |_| meeting.with(|v| LightState::of_meeting(&v.link))),
        ),
        (
            "calls",
            Memo::new(move |_| calls.with(|v| LightState::of_health(v.health))),
        ),
        ("ivr", Memo::new(move |_| LightState::of_health(ivr.get()))),
    ];
    for (service, light) in lights {
        effect(move || {
            send(Event::Light {
                service,
                state: light.get().state,
            })
        });
    }
}

fn forward_ptt(shells: Shells, send: impl Fn(Event) + Copy + 'static) {
    let ptt = shells.voice.ptt();
    let floor = Memo::new(move |_| {
        // The selected session's talker: the one the talk key speaks in.
        ptt.with(
            |p| match p.selected_session().and_then(|s| s.talker.as_ref()) {
                None => (None, false),
                Some(Talker::Me) => (None, true),
                Some(Talker::Member { id, name }) => (Some((*id, name.clone())), false),
            },
        )
    });
    effect(move || {
        let (talker, me) = floor.get();
        send(Event::PttFloor { talker, me })
    });
    let members = Memo::new(move |_| {
        ptt.with(|p| {
            p.selected_session().map(|s| {
                let members = s
                    .members
                    .iter()
                    .map(|m| Member {
                        id: m.id,
                        name: m.name.clone(),
                        state: member_state(m.state),
                    })
                    .collect::<Vec<_>>();
                (s.id.to_string(), members)
            })
        })
    });
    let mut was_in_call = false;
    effect(move || {
        let now = members.get();
        let in_call = now.is_some();
        // One event when the call ends, none before the first call.
        if in_call || was_in_call {
            let (session_id, members) = now.map_or((None, Vec::new()), |(id, m)| (Some(id), m));
            send(Event::PttMembers {
                session_id,
                members,
            });
        }
        was_in_call = in_call;
    });
}

fn member_state(state: MemberCallState) -> &'static str {
    match state {
        MemberCallState::Idle => "idle",
        MemberCallState::Busy => "busy",
        MemberCallState::Calling => "calling",
        MemberCallState::Ringing => "ringing",
        MemberCallState::Answered => "answered",
    }
}

fn forward_calls(shells: Shells, send: impl Fn(Event) + Copy + 'static) {
    let calls = shells.calls.calls();
    let states = Memo::new(move |_| {
        calls.with(|calls| {
            calls
                .iter()
                .filter_map(|c| Some((c.sid.clone()?, phase_name(&c.phase))))
                .collect::<Vec<_>>()
        })
    });
    // Only the calls whose state changed since the last run.
    let mut sent = HashMap::<String, String>::new();
    effect(move || {
        for (call_sid, state) in states.get() {
            if sent.get(&call_sid) != Some(&state) {
                sent.insert(call_sid.clone(), state.clone());
                send(Event::CallState { call_sid, state });
            }
        }
    });
}

fn phase_name(phase: &Phase) -> String {
    match phase {
        Phase::Placing => "requesting".into(),
        Phase::Live(CallState::Requesting) => "requesting".into(),
        Phase::Live(CallState::Ringing) => "ringing".into(),
        Phase::Live(CallState::Connected) => "connected".into(),
        Phase::Live(CallState::Ended) | Phase::Ended { cancelled: false } => "ended".into(),
        Phase::Ended { cancelled: true } => "cancelled".into(),
        Phase::Live(CallState::Unknown(code)) => format!("unknown:{code}"),
        Phase::Failed => "failed".into(),
        Phase::Unconfirmed { .. } | Phase::Unknown => "unknown".into(),
    }
}

fn refused(message: impl Into<String>) -> EmbedError {
    EmbedError::new(ErrorCode::Refused, message)
}

fn dispatch(
    Request { command, .. }: Request,
    responder: Responder,
    shells: Shells,
    active: StoredValue<Active>,
    desk: Desk,
    i18n: I18n,
    restart: Restart,
) {
    let config = active.with_value(|a| a.config.clone());
    let done = Ok(Value::Null);
    let outcome = match command {
        Command::Configure(patch) => configure(&patch, &config, active, shells, i18n, restart),
        Command::VoiceLogin { account, password } => {
            match password.or_else(|| Some(config.voice.password.clone()).filter(|p| !p.is_empty()))
            {
                Some(password) => {
                    shells.voice.login(account, password);
                    done
                }
                None => Err(EmbedError::new(
                    ErrorCode::BadArguments,
                    "password is required (in voice.login or configure's voice.password)",
                )),
            }
        }
        Command::VoiceLogout => {
            shells.voice.logout();
            done
        }
        Command::PttStart { terminals } => {
            shells.voice.start_call(terminals);
            done
        }
        Command::PttTalk { pressed: true } => {
            // With no call yet, the portal's pedal starts one in the same gesture
            // only if it chose terminals with ptt.start first: no terminals here.
            shells.voice.key_down(Vec::new());
            done
        }
        Command::PttTalk { pressed: false } => {
            shells.voice.key_up();
            done
        }
        Command::PttHangUp => match shells.voice.ptt().with_untracked(|p| p.selected.clone()) {
            Some(session) => {
                shells.voice.hang_up(session);
                done
            }
            None => Err(refused("no group call to hang up")),
        },
        Command::MeetingJoin { conference, pin } => {
            let pin = pin.unwrap_or(config.meeting.join_pwd);
            let name = Some(config.meeting.participant_name)
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| i18n.t(Key::AppTitle).to_owned());
            shells.meeting.join(conference, pin, name);
            done
        }
        Command::MeetingLeave => {
            shells.meeting.leave();
            done
        }
        Command::MeetingMute { participant, muted } => meeting_command(
            shells,
            MeetingCommand::Participant {
                uuid: participant,
                command: if muted {
                    ParticipantCommand::Mute
                } else {
                    ParticipantCommand::Unmute
                },
            },
        ),
        Command::MeetingLock { locked } => meeting_command(
            shells,
            if locked {
                MeetingCommand::Lock
            } else {
                MeetingCommand::Unlock
            },
        ),
        Command::CallDial { user_id } => {
            shells.calls.place(Target::User(user_id));
            done
        }
        Command::CallCancel { call_sid } => {
            let id = shells.calls.calls().with_untracked(|calls| {
                calls
                    .iter()
                    .find(|c| c.sid.as_deref() == Some(call_sid.as_str()))
                    .map(|c| c.id)
            });
            match id {
                Some(id) => {
                    shells.calls.cancel(id);
                    done
                }
                None => Err(refused(format!("no call {call_sid:?}"))),
            }
        }
        Command::IvrPlay { fields } => return play(fields, &config, shells, responder),
        Command::Show { panel } => {
            desk.show(&panel);
            done
        }
        Command::Layout { mode } => {
            desk.mode.set(mode);
            Ok(json!({ "mode": mode.name() }))
        }
    };
    responder.answer(outcome);
}

fn meeting_command(shells: Shells, command: MeetingCommand) -> Result<Value, EmbedError> {
    if !shells.meeting.supports(&command) {
        return Err(refused("not available on this meeting cloud"));
    }
    shells.meeting.command(command);
    Ok(Value::Null)
}

/// Applies config.json keys given at run time. Credentials, names, the
/// directory and the language take effect at once; a change of service
/// address or deployment restarts the console (after this answer, and a new
/// `ready` follows).
fn configure(
    patch: &serde_json::Map<String, Value>,
    config: &Config,
    active: StoredValue<Active>,
    shells: Shells,
    i18n: I18n,
    restart: Restart,
) -> Result<Value, EmbedError> {
    let bad = |problems: Vec<String>| EmbedError::new(ErrorCode::BadArguments, problems.join("; "));
    let next = config.configured(patch).map_err(bad)?;
    if crate::io::page_origin().starts_with("https:") {
        let insecure = next.insecure_addresses();
        if !insecure.is_empty() {
            return Err(bad(insecure));
        }
    }
    if patch.contains_key("language") {
        i18n.lang.set(next.lang());
    }
    if !next.same_services(config) {
        restart.with(next);
        return Ok(json!({ "restarted": true }));
    }
    if next.calls.access_token != config.calls.access_token {
        shells
            .calls
            .set_access_token(next.calls.access_token.clone());
    }
    active.update_value(|a| a.config = next);
    Ok(json!({ "restarted": false }))
}

/// Sends a PlayVoice with the token and caller number from the
/// configuration unless given, and answers with what the service said.
fn play(fields: Vec<(String, String)>, config: &Config, shells: Shells, responder: Responder) {
    let given = |name: &str| fields.iter().any(|(k, _)| k == name);
    let mut form: Vec<(String, String)> = vec![("service".into(), SERVICE.into())];
    if !given("token") {
        form.push(("token".into(), config.ivr.token.clone()));
    }
    if !given("disnumber") && !config.ivr.disnumber.is_empty() {
        form.push(("disnumber".into(), config.ivr.disnumber.clone()));
    }
    form.extend(fields.into_iter().filter(|(k, _)| k != "service"));
    let play = match PlayVoice::from_form(form.iter().map(|(k, v)| (k.as_str(), v.as_str()))) {
        Ok(play) => play,
        Err(reason) => {
            return responder.answer(Err(EmbedError::new(
                ErrorCode::BadArguments,
                reason.to_string(),
            )))
        }
    };
    leptos::task::spawn_local(async move {
        responder.answer(match shells.ivr.play(play).await {
            IvrOutcome::Sent { desc } => Ok(json!({ "desc": desc })),
            IvrOutcome::Refused { message } => Err(refused(message)),
            IvrOutcome::BadReply => Err(refused(
                "the IVR service sent a reply that could not be read",
            )),
            IvrOutcome::NoReply => Err(refused("the IVR service did not answer")),
        })
    });
}
