//! A participant's host actions, opened from its row so the roster stays
//! compact: mute, presentation receiving, spotlight, admit, role, DTMF to a
//! dialled phone, transfer to another meeting, disconnect.

use super::command_button::{CommandButton, UnsupportedNote};
use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use crate::ui::show::cond;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::meeting::{Command, Participant, ParticipantCommand, Role, ServiceType, Transfer};

/// Whether DTMF makes sense: a phone, or a call the meeting dialled out.
fn takes_dtmf(p: &Participant) -> bool {
    p.protocol.as_deref() == Some("phone") || p.call_direction.as_deref() == Some("out")
}

/// The menu of the participant `uuid`, following it as it changes.
#[component]
pub fn RowMenu(uuid: String) -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = super::shown();
    let row = {
        let uuid = uuid.clone();
        Memo::new(move |_| {
            state.with(|v| {
                let found = v.conference.participants.iter().find(|p| p.uuid == uuid);
                found.cloned()
            })
        })
    };
    let id = {
        let uuid = uuid.clone();
        move |suffix: &str| format!("meeting-p-{uuid}-{suffix}")
    };
    let on = {
        let uuid = uuid.clone();
        move |command: ParticipantCommand| Command::Participant {
            uuid: uuid.clone(),
            command,
        }
    };
    let is = move |f: fn(&Participant) -> bool| move || row.with(|p| p.as_deref().is_some_and(f));
    let muted = is(|p| p.is_muted == Some(true));
    let denied = is(|p| {
        p.rx_presentation_policy
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("deny"))
    });
    let spotlit = is(|p| p.spotlight.unwrap_or(0) > 0);
    let host = is(|p| p.role == Some(Role::Host));
    let waiting = is(|p| p.service_type == Some(ServiceType::WaitingRoom));
    let dtmf_ok = is(takes_dtmf);

    let digits = RwSignal::new(String::new());
    let send_dtmf = {
        let on = on.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if let Some(dtmf) = ParticipantCommand::dtmf(&digits.get_untracked()) {
                meeting.command(on(dtmf));
                digits.set(String::new());
            }
        }
    };
    let alias = RwSignal::new(String::new());
    let role = RwSignal::new("guest".to_owned());
    let pin = RwSignal::new(String::new());
    let transfer_supported = meeting.supports(&on(ParticipantCommand::Transfer(Transfer {
        role: Role::Guest,
        conference_alias: String::new(),
        pin: None,
    })));
    let transfer = {
        let on = on.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let conference_alias = alias.get_untracked().trim().to_owned();
            if conference_alias.is_empty() {
                return;
            }
            let pin = Some(pin.get_untracked().trim().to_owned()).filter(|p| !p.is_empty());
            meeting.command(on(ParticipantCommand::Transfer(Transfer {
                role: Role::parse(&role.get_untracked()).unwrap_or(Role::Guest),
                conference_alias,
                pin,
            })));
        }
    };
    // Ids used inside blocks shown on condition.
    let (admit_id, dtmf_form_id, dtmf_digits_id, dtmf_id) =
        (id("admit"), id("dtmf-form"), id("dtmf-digits"), id("dtmf"));
    let (c1, c2, c3, c4, c5, c6) = (
        on.clone(),
        on.clone(),
        on.clone(),
        on.clone(),
        on.clone(),
        on.clone(),
    );
    view! {
        <li id=id("actions") class="row-menu">
            <p class="buttons">
                <CommandButton id=id("mute")
                    label=move || if muted() { MeetingText::Unmute } else { MeetingText::Mute }
                    command=move || c1(if muted() { ParticipantCommand::Unmute } else { ParticipantCommand::Mute }) />
                <CommandButton id=id("rx")
                    label=move || if denied() { MeetingText::AllowRx } else { MeetingText::DenyRx }
                    command=move || c2(if denied() { ParticipantCommand::AllowRxPresentation } else { ParticipantCommand::DenyRxPresentation }) />
                <CommandButton id=id("spotlight")
                    label=move || if spotlit() { MeetingText::SpotlightOff } else { MeetingText::SpotlightOn }
                    command=move || c3(if spotlit() { ParticipantCommand::SpotlightOff } else { ParticipantCommand::SpotlightOn }) />
                <CommandButton id=id("role")
                    label=move || if host() { MeetingText::MakeGuest } else { MeetingText::MakeHost }
                    command=move || c4(ParticipantCommand::Role(if host() { Role::Guest } else { Role::Host })) />
                <Show when=cond(waiting)>
                    <CommandButton id=admit_id.clone() label=|| MeetingText::Admit
                        command={ let c = c5.clone(); move || c(ParticipantCommand::Unlock) } />
                </Show>
                <CommandButton id=id("kick") label=|| MeetingText::Kick
                    command=move || c6(ParticipantCommand::Disconnect) />
            </p>
            <Show when=cond(dtmf_ok)>
                <form id=dtmf_form_id.clone() class="inline" on:submit=send_dtmf.clone()>
                    <label>
                        {i18n.tr(MeetingText::DtmfDigits)}
                        <input id=dtmf_digits_id.clone() inputmode="tel" size="8" prop:value=digits
                            on:input=move |ev| digits.set(event_target_value(&ev)) />
                    </label>
                    <button id=dtmf_id.clone() class="small" type="submit">{i18n.tr(MeetingText::SendDtmf)}</button>
                </form>
            </Show>
            <form id=id("transfer-form") class="inline" on:submit=transfer>
                <label>
                    {i18n.tr(MeetingText::TransferTo)}
                    <input id=id("transfer-alias") size="14" prop:value=alias prop:disabled=!transfer_supported
                        on:input=move |ev| alias.set(event_target_value(&ev)) />
                </label>
                <label>
                    {i18n.tr(MeetingText::Role)}
                    <select id=id("transfer-role") prop:value=role prop:disabled=!transfer_supported
                        on:change=move |ev| role.set(event_target_value(&ev))>
                        <option value="guest">{i18n.tr(MeetingText::RoleGuest)}</option>
                        <option value="chair">{i18n.tr(MeetingText::RoleHost)}</option>
                    </select>
                </label>
                <label>
                    {i18n.tr(MeetingText::Pin)}
                    <input id=id("transfer-pin") type="password" autocomplete="off" size="6" prop:value=pin
                        prop:disabled=!transfer_supported on:input=move |ev| pin.set(event_target_value(&ev)) />
                </label>
                <button id=id("transfer") class="small" type="submit" disabled=!transfer_supported
                    title=(!transfer_supported).then(|| i18n.t(MeetingText::UnsupportedHint))>
                    {i18n.tr(MeetingText::Transfer)}
                </button>
            </form>
            <UnsupportedNote />
        </li>
    }
}
