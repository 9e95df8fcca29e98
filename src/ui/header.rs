//! The header: title, the dispatcher's identity, a light per back end, language.

use super::lang_switch::lang_switch;
use super::markup::{markup, Markup, Wired};
use super::status_light::{show_light, LightState};
use crate::i18n::{use_i18n, Key};
use crate::io::calls::CallDesk;
use crate::io::ivr::IvrDesk;
use crate::io::meeting::Meeting;
use crate::io::voice::VoiceLink;
use crate::reactive::Memo;
use proto::voice::Link;

pub fn header() -> Markup {
    let i18n = use_i18n();
    let voice = crate::reactive::expect_context::<VoiceLink>().view();
    let identity = move || match voice.with(|v| {
        (v.link == Link::Online)
            .then(|| v.account.clone())
            .flatten()
    }) {
        Some(account) => format!("{} {account}", i18n.t(Key::Dispatcher)),
        None => i18n.t(Key::NotLoggedIn).to_owned(),
    };
    let voice_light = Memo::new(move |_| voice.with(|v| LightState::of_link(&v.link)));
    let meeting = crate::reactive::expect_context::<Meeting>().view();
    let meeting_light = Memo::new(move |_| meeting.with(|v| LightState::of_meeting(&v.link)));
    let calls = crate::reactive::expect_context::<CallDesk>().view();
    let calls_light = Memo::new(move |_| calls.with(|v| LightState::of_health(v.health)));
    let ivr = crate::reactive::expect_context::<IvrDesk>().health();
    let ivr_light = Memo::new(move |_| LightState::of_health(ivr.get()));
    let lights = [
        ("voice-light", Key::ServiceVoice, voice_light),
        ("meeting-light", Key::ServiceMeeting, meeting_light),
        ("calls-light", Key::ServiceCalls, calls_light),
        ("ivr-light", Key::ServiceIvr, ivr_light),
    ];
    markup(HTML, &[Key::named], move |w: &Wired| {
        w.text("identity", identity);
        for (id, service, light) in lights {
            show_light(w, id, service, light, i18n.lang);
        }
        lang_switch(w, "lang-switch", i18n);
    })
}

/// `elementtiming`: `cargo xtask bench` reads when the console is first painted.
/// The lights are made like [`super::status_light::LIGHT_HTML`].
const HTML: &str = r#"<header class="top"><h1 id="app-title" elementtiming="dd-console" data-t="AppTitle"></h1><span id="identity" class="identity"></span><nav class="lights" aria-live="polite"><span id="voice-light" class="light"><span class="lamp" aria-hidden="true"></span><span class="light-name"></span><span class="light-word"></span></span><span id="meeting-light" class="light"><span class="lamp" aria-hidden="true"></span><span class="light-name"></span><span class="light-word"></span></span><span id="calls-light" class="light"><span class="lamp" aria-hidden="true"></span><span class="light-name"></span><span class="light-word"></span></span><span id="ivr-light" class="light"><span class="lamp" aria-hidden="true"></span><span class="light-name"></span><span class="light-word"></span></span></nav><button id="lang-switch" class="lang-switch"></button></header>"#;
