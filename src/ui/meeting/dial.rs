//! Call a device or a phone into the meeting: destination, protocol, role,
//! and, under "more", every other field dial has (call type, presentation
//! URL and streaming for RTMP, DTMF after connecting, source and names,
//! keep-alive). Protocols the cloud cannot dial are offered disabled.

use super::text::MeetingText;
use crate::i18n::{Lang, Phrase};
use crate::io::meeting::Meeting;
use crate::reactive::RwSignal;
use crate::ui::markup::{value_of, Wired};
use proto::meeting::{Command, Dial, DialCallType, DialProtocol, KeepConferenceAlive, Role};
use wasm_bindgen::JsCast;

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
fn spelling<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// An option's value back to the one of `all` it spells; `None` for ""
/// (the default). Found by spelling each, not by serde's derived decoders,
/// which the console would carry for these alone.
fn from_wire<T: serde::Serialize + Copy>(s: &str, all: &[T]) -> Option<T> {
    all.iter().copied().find(|v| spelling(*v) == s)
}

/// Text field `id` of the form holds, `None` when blank.
fn given(form: &web_sys::Element, id: &str) -> Option<String> {
    Some(value_of(form, id).trim().to_owned()).filter(|s| !s.is_empty())
}

/// Wires `#meeting-dial-form`.
pub fn wire(w: &Wired, meeting: Meeting, lang: RwSignal<Lang>) {
    let more = RwSignal::new(false);
    let missing = RwSignal::new(false);
    let form = w.root().clone();
    w.on("meeting-dial-form", "submit", move |ev| {
        ev.prevent_default();
        let dest = value_of(&form, "meeting-dial-destination")
            .trim()
            .to_owned();
        missing.set(dest.is_empty());
        if dest.is_empty() {
            return;
        }
        let read = |id: &str| value_of(&form, id);
        let protocol =
            from_wire(&read("meeting-dial-protocol"), PROTOCOLS).unwrap_or(DialProtocol::Auto);
        let role = Role::parse(&read("meeting-dial-role")).unwrap_or(Role::Guest);
        let mut dial = Dial::new(role, dest, protocol);
        dial.call_type = from_wire(&read("meeting-dial-call-type"), CALL_TYPES);
        dial.presentation_url = given(&form, "meeting-dial-presentation-url");
        let streaming = form
            .query_selector("#meeting-dial-streaming")
            .ok()
            .flatten()
            .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|el| el.checked());
        dial.streaming = streaming.then_some(true);
        dial.dtmf_sequence = given(&form, "meeting-dial-dtmf");
        dial.source = given(&form, "meeting-dial-source");
        dial.source_display_name = given(&form, "meeting-dial-source-name");
        dial.remote_display_name = given(&form, "meeting-dial-remote-name");
        dial.keep_conference_alive = from_wire(&read("meeting-dial-keep-alive"), KEEP_ALIVES);
        meeting.command(Command::Dial(dial));
        if let Ok(Some(el)) = form.query_selector("#meeting-dial-destination") {
            if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                input.set_value("");
            }
        }
    });
    // What the cloud cannot dial is shown, disabled, with why.
    let protocols = w.el("meeting-dial-protocol");
    for &p in PROTOCOLS {
        let option = web_sys::window()
            .and_then(|win| win.document())
            .and_then(|d| d.create_element("option").ok());
        let Some(option) = option else { continue };
        let value = spelling(p);
        let _ = option.set_attribute("value", &value);
        let supported = meeting.supports(&Command::Dial(Dial::new(Role::Guest, "", p)));
        if supported {
            option.set_text_content(Some(&value));
        } else {
            let _ = option.set_attribute("disabled", "");
            let option = option.clone();
            w.effect(Box::new(move || {
                let hint = MeetingText::UnsupportedHint.text(lang.get());
                option.set_text_content(Some(&format!("{value} ({hint})")));
            }));
        }
        let _ = protocols.append_child(&option);
    }
    w.set_value("meeting-dial-protocol", "sip");
    for (id, values) in [
        (
            "meeting-dial-call-type",
            CALL_TYPES.iter().copied().map(spelling).collect::<Vec<_>>(),
        ),
        (
            "meeting-dial-keep-alive",
            KEEP_ALIVES.iter().copied().map(spelling).collect(),
        ),
    ] {
        let select = w.el(id);
        for value in values {
            if let Some(option) = web_sys::window()
                .and_then(|win| win.document())
                .and_then(|d| d.create_element("option").ok())
            {
                let _ = option.set_attribute("value", &value);
                option.set_text_content(Some(&value));
                let _ = select.append_child(&option);
            }
        }
    }
    w.attr("meeting-dial-more", "aria-expanded", move || {
        Some(more.get().to_string())
    });
    w.on("meeting-dial-more", "click", move |_| {
        more.update(|m| *m = !*m)
    });
    w.hidden("meeting-dial-options", move || !more.get());
    w.text("meeting-dial-error", move || {
        let text = missing
            .get()
            .then(|| MeetingText::DestinationRequired.text(lang.get()));
        text.unwrap_or_default().to_owned()
    });
}
