//! The participant list: role, state, who speaks, and the host's actions on
//! each. Actions the configured cloud lacks are disabled and say why.

use super::text::MeetingText;
use crate::i18n::{use_i18n, I18n};
use crate::io::meeting::Meeting;
use leptos::prelude::*;
use proto::meeting::{Command, Participant, ParticipantCommand, Role, ServiceType};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    p: Participant,
    speaking: bool,
    me: bool,
    /// This console is a host: the row offers host actions.
    host_tools: bool,
}

#[component]
pub fn ParticipantList() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = meeting.view();
    let rows = move || {
        state.with(|v| {
            v.conference
                .participants
                .iter()
                .map(|p| Row {
                    host_tools: v.is_host(),
                    speaking: v.conference.is_speaking(&p.uuid),
                    me: v.me.as_deref() == Some(p.uuid.as_str()),
                    p: p.clone(),
                })
                .collect::<Vec<_>>()
        })
    };
    let empty = move || state.with(|v| v.conference.participants.is_empty());
    view! {
        <section class="meeting-participants">
            <h3>{i18n.tr(MeetingText::Participants)}</h3>
            <Show when=empty>
                <p class="empty">{i18n.tr(MeetingText::NoParticipants)}</p>
            </Show>
            <ul id="meeting-participants" class="participants">
                <For each=rows key=|row| format!("{row:?}") let:row>
                    {participant_row(i18n, meeting, row)}
                </For>
            </ul>
        </section>
    }
}

fn participant_row(i18n: I18n, meeting: Meeting, row: Row) -> impl IntoView {
    let Row {
        p,
        speaking,
        me,
        host_tools,
    } = row;
    let uuid = p.uuid.clone();
    let host = p.role == Some(Role::Host);
    let muted = p.is_muted.unwrap_or(false);
    let spotlit = p.spotlight.unwrap_or(0) > 0;
    let service = p.service_type.clone();
    let service_name = service
        .clone()
        .map(String::from)
        .unwrap_or_else(|| "conference".to_owned());
    let name = p
        .display_name
        .clone()
        .or(p.overlay_text.clone())
        .or(p.uri.clone())
        .unwrap_or_else(|| uuid.clone());
    let state_word = match service {
        Some(ServiceType::Connecting) => Some(MeetingText::Connecting),
        Some(ServiceType::WaitingRoom) => Some(MeetingText::WaitingRoom),
        Some(ServiceType::Ivr) => Some(MeetingText::Ivr),
        _ => None,
    };
    let waiting = state_word == Some(MeetingText::WaitingRoom);

    let action = |suffix: &'static str, label: MeetingText, command: ParticipantCommand| {
        let cmd = Command::Participant {
            uuid: uuid.clone(),
            command,
        };
        let supported = meeting.supports(&cmd);
        let id = format!("meeting-p-{uuid}-{suffix}");
        let title = (!supported).then(|| i18n.t(MeetingText::UnsupportedHint));
        view! {
            <button id=id class="small" type="button" disabled=!supported title=title
                on:click=move |_| meeting.command(cmd.clone())>{i18n.tr(label)}</button>
        }
    };
    let actions = (!me && host_tools).then(|| {
        view! {
            <span class="actions">
                {if muted {
                    action("mute", MeetingText::Unmute, ParticipantCommand::Unmute)
                } else {
                    action("mute", MeetingText::Mute, ParticipantCommand::Mute)
                }}
                {if host {
                    action("role", MeetingText::MakeGuest, ParticipantCommand::Role(Role::Guest))
                } else {
                    action("role", MeetingText::MakeHost, ParticipantCommand::Role(Role::Host))
                }}
                {if spotlit {
                    action("spotlight", MeetingText::SpotlightOff, ParticipantCommand::SpotlightOff)
                } else {
                    action("spotlight", MeetingText::SpotlightOn, ParticipantCommand::SpotlightOn)
                }}
                {waiting.then(|| action("admit", MeetingText::Admit, ParticipantCommand::Unlock))}
                {action("kick", MeetingText::Kick, ParticipantCommand::Disconnect)}
            </span>
        }
    });
    view! {
        <li id=format!("meeting-p-{uuid}") class="participant"
            class:speaking=speaking
            data-role=if host { "chair" } else { "guest" }
            data-muted=muted.to_string()
            data-speaking=speaking.to_string()
            data-service=service_name>
            <span class="name">{name}{me.then(|| i18n.t(MeetingText::Me))}</span>
            " "
            <span class="role">{i18n.tr(if host { MeetingText::RoleHost } else { MeetingText::RoleGuest })}</span>
            {state_word.map(|w| view! { " " <span class="service">{i18n.tr(w)}</span> })}
            {muted.then(|| view! { " " <span class="muted">{i18n.tr(MeetingText::Muted)}</span> })}
            {speaking.then(|| view! { " " <span class="speaking">{i18n.tr(MeetingText::Speaking)}</span> })}
            {spotlit.then(|| view! { " " <span class="spotlit">{i18n.tr(MeetingText::Spotlit)}</span> })}
            " "
            {actions}
        </li>
    }
}
