//! One status light per back end: colour and word, so it reads without colour too.

use super::markup::{markup, Markup, Wired};
use crate::i18n::{use_i18n, Key, Lang, Phrase};
use crate::reactive::{Memo, RwSignal};
use proto::call::Health;
use proto::meeting::machine::MeetingLink;
use proto::voice::Link;

/// What a light shows; `state` is also the CSS class and `data-state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LightState {
    pub state: &'static str,
    pub label: Key,
}

impl LightState {
    /// Not used yet this session.
    pub const IDLE: Self = Self::new("idle", Key::LightIdle);
    /// Logged out by choice.
    pub const OFF: Self = Self::new("off", Key::LightOff);
    pub const CONNECTING: Self = Self::new("connecting", Key::LightConnecting);
    /// Up; for a request/response back end: the last request got an answer
    /// (even a refusal: the server is there).
    pub const ONLINE: Self = Self::new("online", Key::LightOnline);
    /// Trying again after a failure.
    pub const RECONNECTING: Self = Self::new("reconnecting", Key::LightReconnecting);
    /// The server said no and the console will not retry by itself.
    pub const REFUSED: Self = Self::new("refused", Key::LightRefused);
    /// No answer at all.
    pub const UNREACHABLE: Self = Self::new("unreachable", Key::LightUnreachable);

    const fn new(state: &'static str, label: Key) -> Self {
        Self { state, label }
    }

    pub fn of_link(link: &Link) -> Self {
        match link {
            Link::Offline => Self::OFF,
            Link::Connecting => Self::CONNECTING,
            Link::Online => Self::ONLINE,
            Link::Reconnecting { .. } => Self::RECONNECTING,
            Link::Refused { .. } => Self::REFUSED,
        }
    }

    pub fn of_meeting(link: &MeetingLink) -> Self {
        match link {
            MeetingLink::Idle => Self::IDLE,
            MeetingLink::Joining => Self::CONNECTING,
            MeetingLink::Online => Self::ONLINE,
            MeetingLink::Reconnecting { .. } => Self::RECONNECTING,
            MeetingLink::Unreachable { .. } => Self::UNREACHABLE,
            MeetingLink::Refused { .. } => Self::REFUSED,
        }
    }

    /// A request/response back end: green when the last request got a
    /// reply, amber while retried, red when none came.
    pub fn of_health(health: Health) -> Self {
        match health {
            Health::Idle => Self::IDLE,
            Health::Online => Self::ONLINE,
            Health::Retrying { .. } => Self::RECONNECTING,
            Health::Unreachable => Self::UNREACHABLE,
        }
    }
}

/// A light's parts; `id` and state are set by [`show_light`].
pub const LIGHT_HTML: &str = r#"<span class="light"><span class="lamp" aria-hidden="true"></span><span class="light-name"></span><span class="light-word"></span></span>"#;

pub fn status_light(id: &'static str, service: Key, light: Memo<LightState>) -> Markup {
    let lang = use_i18n().lang;
    markup(LIGHT_HTML, &[], move |w: &Wired| {
        w.root().set_id(id);
        show_light(w, id, service, light, lang);
    })
}

/// Keeps light `id` of the markup (made like [`LIGHT_HTML`]) showing
/// `light` for `service`: its class and `data-state`, its words, its title.
pub fn show_light(
    w: &Wired,
    id: &str,
    service: Key,
    light: Memo<LightState>,
    lang: RwSignal<Lang>,
) {
    let el = w.el(id);
    let part = |class: &str| el.query_selector(class).ok().flatten();
    let (name, word) = (part(".light-name"), part(".light-word"));
    w.effect(Box::new(move || {
        let (light, lang) = (light.get(), lang.get());
        el.set_class_name(&format!("light light-{}", light.state));
        let _ = el.set_attribute("data-state", light.state);
        let (service, label) = (service.text(lang), light.label.text(lang));
        let _ = el.set_attribute("title", &format!("{service}: {label}"));
        if let Some(name) = &name {
            name.set_text_content(Some(service));
        }
        if let Some(word) = &word {
            word.set_text_content(Some(label));
        }
    }));
}
