//! One status light per back end: colour and word, so it reads without colour too.

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
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

#[component]
pub fn StatusLight(
    id: &'static str,
    service: Key,
    #[prop(into)] light: Signal<LightState>,
) -> impl IntoView {
    let i18n = use_i18n();
    let label = move || format!("{}: {}", i18n.t(service), i18n.t(light.get().label));
    view! {
        <span id=id class=move || format!("light light-{}", light.get().state) data-state=move || light.get().state title=label>
            <span class="lamp" aria-hidden="true"></span>
            <span class="light-name">{i18n.tr(service)}</span>
            <span class="light-word">{move || i18n.t(light.get().label)}</span>
        </span>
    }
}
