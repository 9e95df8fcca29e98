//! One status light per back end: colour and word, so it reads without colour too.

use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;
use proto::voice::Link;

/// What a light shows; `state` is also the CSS class and `data-state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LightState {
    pub state: &'static str,
    pub label: Key,
}

impl LightState {
    pub const IDLE: Self = Self {
        state: "idle",
        label: Key::LightIdle,
    };

    pub fn of_link(link: &Link) -> Self {
        match link {
            Link::Offline => Self {
                state: "off",
                label: Key::LightOff,
            },
            Link::Connecting => Self {
                state: "connecting",
                label: Key::LightConnecting,
            },
            Link::Online => Self {
                state: "online",
                label: Key::LightOnline,
            },
            Link::Reconnecting { .. } => Self {
                state: "reconnecting",
                label: Key::LightReconnecting,
            },
            Link::Refused { .. } => Self {
                state: "refused",
                label: Key::LightRefused,
            },
        }
    }
}

/// The lights of the request/response back ends, shared through context:
/// each feature's shell sets its own from the outcome of its requests.
#[derive(Debug, Clone, Copy)]
pub struct Lights {
    pub meeting: RwSignal<LightState>,
    pub calls: RwSignal<LightState>,
    pub ivr: RwSignal<LightState>,
}

impl Default for Lights {
    fn default() -> Self {
        let idle = || RwSignal::new(LightState::IDLE);
        Self {
            meeting: idle(),
            calls: idle(),
            ivr: idle(),
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
