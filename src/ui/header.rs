//! The header: title, the dispatcher's identity, a light per back end, language.

use super::lang_switch::LangSwitch;
use super::status_light::{LightState, StatusLight};
use crate::i18n::{use_i18n, Key};
use crate::io::calls::CallDesk;
use crate::io::ivr::IvrDesk;
use crate::io::meeting::Meeting;
use crate::io::voice::VoiceLink;
use leptos::prelude::*;
use proto::voice::Link;

#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let voice = expect_context::<VoiceLink>().view();
    let identity = move || match voice.with(|v| {
        (v.link == Link::Online)
            .then(|| v.account.clone())
            .flatten()
    }) {
        Some(account) => format!("{} {account}", i18n.t(Key::Dispatcher)),
        None => i18n.t(Key::NotLoggedIn).to_owned(),
    };
    let voice_light = Memo::new(move |_| voice.with(|v| LightState::of_link(&v.link)));
    let meeting = expect_context::<Meeting>().view();
    let meeting_light = Memo::new(move |_| meeting.with(|v| LightState::of_meeting(&v.link)));
    let calls = expect_context::<CallDesk>().view();
    let calls_light = Memo::new(move |_| calls.with(|v| LightState::of_health(v.health)));
    let ivr = expect_context::<IvrDesk>().health();
    let ivr_light = Memo::new(move |_| LightState::of_health(ivr.get()));
    // `elementtiming`: `cargo xtask bench` reads when the console is first painted.
    view! {
        <header class="top">
            <h1 id="app-title" {..leptos::tachys::html::attribute::custom::custom_attribute("elementtiming", "dd-console")}>{i18n.tr(Key::AppTitle)}</h1>
            <span id="identity" class="identity">{identity}</span>
            <nav class="lights" aria-live="polite">
                <StatusLight id="voice-light" service=Key::ServiceVoice light=voice_light />
                <StatusLight id="meeting-light" service=Key::ServiceMeeting light=meeting_light />
                <StatusLight id="calls-light" service=Key::ServiceCalls light=calls_light />
                <StatusLight id="ivr-light" service=Key::ServiceIvr light=ivr_light />
            </nav>
            <LangSwitch />
        </header>
    }
}
