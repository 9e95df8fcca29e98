//! Call a device or a phone into the meeting: destination, protocol, role.

use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::meeting::{Command, Dial, DialProtocol, Role};

const PROTOCOLS: &[DialProtocol] = &[
    DialProtocol::Sip,
    DialProtocol::H323,
    DialProtocol::Rtmp,
    DialProtocol::Mssip,
    DialProtocol::Rtsp,
    DialProtocol::Phone,
    DialProtocol::Auto,
];

/// The wire spelling (`sip`, `h323`, …), also the option's value.
fn wire(p: DialProtocol) -> String {
    serde_json::to_value(p)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[component]
pub fn DialForm() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let destination = RwSignal::new(String::new());
    let protocol = RwSignal::new("sip".to_owned());
    let role = RwSignal::new("guest".to_owned());
    let missing = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let dest = destination.get_untracked().trim().to_owned();
        missing.set(dest.is_empty());
        if dest.is_empty() {
            return;
        }
        let protocol = serde_json::from_value::<DialProtocol>(serde_json::Value::String(
            protocol.get_untracked(),
        ))
        .unwrap_or(DialProtocol::Auto);
        let role = Role::parse(&role.get_untracked()).unwrap_or(Role::Guest);
        meeting.command(Command::Dial(Dial::new(role, dest, protocol)));
        destination.set(String::new());
    };
    view! {
        <form id="meeting-dial-form" class="login" on:submit=submit>
            <h3>{i18n.tr(MeetingText::DialTitle)}</h3>
            <label>
                {i18n.tr(MeetingText::Destination)}
                <input id="meeting-dial-destination" prop:value=destination
                    on:input=move |ev| destination.set(event_target_value(&ev)) />
            </label>
            <label>
                {i18n.tr(MeetingText::Protocol)}
                <select id="meeting-dial-protocol" prop:value=protocol
                    on:change=move |ev| protocol.set(event_target_value(&ev))>
                    {PROTOCOLS.iter().map(|&p| {
                        // What the cloud cannot dial is shown, disabled, with why.
                        let cmd = Command::Dial(Dial::new(Role::Guest, "", p));
                        let supported = meeting.supports(&cmd);
                        let label = if supported {
                            wire(p)
                        } else {
                            format!("{} ({})", wire(p), i18n.t(MeetingText::UnsupportedHint))
                        };
                        view! { <option value=wire(p) disabled=!supported>{label}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>
                {i18n.tr(MeetingText::Role)}
                <select id="meeting-dial-role" prop:value=role
                    on:change=move |ev| role.set(event_target_value(&ev))>
                    <option value="guest">{i18n.tr(MeetingText::RoleGuest)}</option>
                    <option value="chair">{i18n.tr(MeetingText::RoleHost)}</option>
                </select>
            </label>
            <button id="meeting-dial-button" type="submit">{i18n.tr(MeetingText::Dial)}</button>
            <span class="error" role="alert">
                {move || missing.get().then(|| i18n.t(MeetingText::DestinationRequired))}
            </span>
        </form>
    }
}
