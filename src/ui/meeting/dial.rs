//! Call a device or a phone into the meeting: destination, protocol, role,
//! and, under "more", every other field dial has (call type, presentation
//! URL and streaming for RTMP, DTMF after connecting, source and names,
//! keep-alive). Protocols the cloud cannot dial are offered disabled.

use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use crate::ui::show::cond;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::meeting::{Command, Dial, DialCallType, DialProtocol, KeepConferenceAlive, Role};

const PROTOCOLS: &[DialProtocol] = &[
    DialProtocol::Sip,
    DialProtocol::H323,
    DialProtocol::Rtmp,
    DialProtocol::Mssip,
    DialProtocol::Rtsp,
    DialProtocol::Phone,
    DialProtocol::Auto,
];

const CALL_TYPES: &[DialCallType] = &[
    DialCallType::Video,
    DialCallType::VideoOnly,
    DialCallType::Audio,
];

const KEEP_ALIVES: &[KeepConferenceAlive] = &[
    KeepConferenceAlive::Always,
    KeepConferenceAlive::IfMultiple,
    KeepConferenceAlive::Never,
];

/// The wire spelling (`sip`, `video-only`, …), also the option's value.
fn wire<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// An option's value back to the one of `all` it spells; `None` for ""
/// (the default). Found by spelling each, not by serde's derived decoders,
/// which the console would carry for these alone.
fn from_wire<T: serde::Serialize + Copy>(s: &str, all: &[T]) -> Option<T> {
    all.iter().copied().find(|v| wire(*v) == s)
}

/// Text a field holds, `None` when blank.
fn given(s: RwSignal<String>) -> Option<String> {
    Some(s.get_untracked().trim().to_owned()).filter(|s| !s.is_empty())
}

#[component]
pub fn DialForm() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let destination = RwSignal::new(String::new());
    let protocol = RwSignal::new("sip".to_owned());
    let role = RwSignal::new("guest".to_owned());
    let more = RwSignal::new(false);
    let call_type = RwSignal::new(String::new());
    let presentation_url = RwSignal::new(String::new());
    let streaming = RwSignal::new(false);
    let dtmf = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let source_name = RwSignal::new(String::new());
    let remote_name = RwSignal::new(String::new());
    let keep_alive = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let dest = destination.get_untracked().trim().to_owned();
        missing.set(dest.is_empty());
        if dest.is_empty() {
            return;
        }
        let protocol =
            from_wire(&protocol.get_untracked(), PROTOCOLS).unwrap_or(DialProtocol::Auto);
        let role = Role::parse(&role.get_untracked()).unwrap_or(Role::Guest);
        let mut dial = Dial::new(role, dest, protocol);
        dial.call_type = from_wire(&call_type.get_untracked(), CALL_TYPES);
        dial.presentation_url = given(presentation_url);
        dial.streaming = streaming.get_untracked().then_some(true);
        dial.dtmf_sequence = given(dtmf);
        dial.source = given(source);
        dial.source_display_name = given(source_name);
        dial.remote_display_name = given(remote_name);
        dial.keep_conference_alive = from_wire(&keep_alive.get_untracked(), KEEP_ALIVES);
        meeting.command(Command::Dial(dial));
        destination.set(String::new());
    };
    let text = move |id: &'static str, label: MeetingText, value: RwSignal<String>| {
        view! {
            <label>
                {i18n.tr(label)}
                <input id=id prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    let choice = move |id: &'static str,
                       label: MeetingText,
                       value: RwSignal<String>,
                       options: Vec<String>| {
        view! {
            <label>
                {i18n.tr(label)}
                <select id=id prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    <option value="">{i18n.tr(MeetingText::ByDefault)}</option>
                    {options.into_iter().map(|o| view! { <option value=o.clone()>{o.clone()}</option> }).collect_view()}
                </select>
            </label>
        }
    };
    let call_types: Vec<String> = CALL_TYPES.iter().copied().map(wire).collect();
    let keep_alives: Vec<String> = KEEP_ALIVES.iter().copied().map(wire).collect();
    view! {
        <form id="meeting-dial-form" class="login" on:submit=submit>
            <h3>{i18n.tr(MeetingText::DialTitle)}</h3>
            {text("meeting-dial-destination", MeetingText::Destination, destination)}
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
            <button id="meeting-dial-more" class="small" type="button"
                aria-expanded=move || more.get().to_string()
                on:click=move |_| more.update(|m| *m = !*m)>{i18n.tr(MeetingText::MoreOptions)}</button>
            <Show when=cond(move || more.get())>
                {choice("meeting-dial-call-type", MeetingText::CallType, call_type, call_types.clone())}
                {text("meeting-dial-presentation-url", MeetingText::PresentationUrl, presentation_url)}
                <label class="check">
                    <input id="meeting-dial-streaming" type="checkbox" prop:checked=streaming
                        on:change=move |ev| streaming.set(event_target_checked(&ev)) />
                    {i18n.tr(MeetingText::Streaming)}
                </label>
                {text("meeting-dial-dtmf", MeetingText::DtmfAfterConnect, dtmf)}
                {text("meeting-dial-source", MeetingText::Source, source)}
                {text("meeting-dial-source-name", MeetingText::SourceName, source_name)}
                {text("meeting-dial-remote-name", MeetingText::RemoteName, remote_name)}
                {choice("meeting-dial-keep-alive", MeetingText::KeepAlive, keep_alive, keep_alives.clone())}
            </Show>
            <button id="meeting-dial-button" type="submit">{i18n.tr(MeetingText::Dial)}</button>
            <span class="error" role="alert">
                {move || missing.get().then(|| i18n.t(MeetingText::DestinationRequired))}
            </span>
        </form>
    }
}
