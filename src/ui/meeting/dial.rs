//! Call a device or a phone into the meeting: destination, protocol, role,
//! and, under "more", every other field dial has (call type, presentation
//! URL and streaming for RTMP, DTMF after connecting, source and names,
//! keep-alive). Protocols the cloud cannot dial are offered disabled.

use super::text::MeetingText;
use crate::i18n::{use_i18n, Phrase};
use crate::io::meeting::Meeting;
use crate::ui::markup::{markup, value_of, Wired};
use leptos::prelude::*;
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

/// Text field `id` of the form holds, `None` when blank.
fn given(form: &web_sys::Element, id: &str) -> Option<String> {
    Some(value_of(form, id).trim().to_owned()).filter(|s| !s.is_empty())
}

#[component]
pub fn DialForm() -> impl IntoView {
    let lang = use_i18n().lang;
    let meeting = expect_context::<Meeting>();
    let more = RwSignal::new(false);
    let missing = RwSignal::new(false);
    markup(HTML, &[MeetingText::named], move |w: &Wired| {
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
            let value = wire(p);
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
                CALL_TYPES.iter().copied().map(wire).collect::<Vec<_>>(),
            ),
            (
                "meeting-dial-keep-alive",
                KEEP_ALIVES.iter().copied().map(wire).collect(),
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
    })
}

/// The form; the protocols and the option lists are filled when it is built.
const HTML: &str = r#"<form id="meeting-dial-form" class="login"><h3 data-t="DialTitle"></h3><label><span data-t="Destination"></span><input id="meeting-dial-destination"></label><label><span data-t="Protocol"></span><select id="meeting-dial-protocol"></select></label><label><span data-t="Role"></span><select id="meeting-dial-role"><option value="guest" data-t="RoleGuest"></option><option value="chair" data-t="RoleHost"></option></select></label><button id="meeting-dial-more" class="small" type="button" data-t="MoreOptions"></button><div id="meeting-dial-options" class="slot"><label><span data-t="CallType"></span><select id="meeting-dial-call-type"><option value="" data-t="ByDefault"></option></select></label><label><span data-t="PresentationUrl"></span><input id="meeting-dial-presentation-url"></label><label class="check"><input id="meeting-dial-streaming" type="checkbox"><span data-t="Streaming"></span></label><label><span data-t="DtmfAfterConnect"></span><input id="meeting-dial-dtmf"></label><label><span data-t="Source"></span><input id="meeting-dial-source"></label><label><span data-t="SourceName"></span><input id="meeting-dial-source-name"></label><label><span data-t="RemoteName"></span><input id="meeting-dial-remote-name"></label><label><span data-t="KeepAlive"></span><select id="meeting-dial-keep-alive"><option value="" data-t="ByDefault"></option></select></label></div><button id="meeting-dial-button" type="submit" data-t="Dial"></button><span id="meeting-dial-error" class="error" role="alert"></span></form>"#;
