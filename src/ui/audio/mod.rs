//! The audio status line of the push-to-talk panel: whether the microphone
//! is usable (and why not), and the microphone and speaker meters.

pub mod text;

use crate::i18n::use_i18n;
use crate::io::audio::{AudioDesk, MicStatus};
use leptos::prelude::*;
use text::AudioText;

fn mic_text(status: MicStatus) -> AudioText {
    match status {
        MicStatus::PluginOwned => AudioText::ModePlugin,
        MicStatus::NotAsked => AudioText::MicNotAsked,
        MicStatus::Asking => AudioText::MicAsking,
        MicStatus::Ready => AudioText::MicReady,
        MicStatus::Refused => AudioText::MicRefused,
        MicStatus::BlockedByFrame => AudioText::MicBlockedByFrame,
        MicStatus::Missing => AudioText::MicMissing,
        MicStatus::Unavailable => AudioText::MicUnavailable,
        MicStatus::Failed => AudioText::MicFailed,
    }
}

fn is_problem(status: MicStatus) -> bool {
    !matches!(
        status,
        MicStatus::PluginOwned | MicStatus::NotAsked | MicStatus::Asking | MicStatus::Ready
    )
}

#[component]
pub fn AudioStatus() -> impl IntoView {
    let i18n = use_i18n();
    let Some(desk) = use_context::<AudioDesk>() else {
        return ().into_any();
    };
    let status = desk.mic;
    let text = move || {
        let key = mic_text(status.get());
        i18n.tr(key)()
    };
    let state = move || format!("{:?}", status.get()).to_lowercase();
    let meters = move || status.get() != MicStatus::PluginOwned;
    view! {
        <div id="audio-status" class="audio-status" data-mic=state>
            <p
                id="audio-mic"
                class:error=move || is_problem(status.get())
                role=move || if is_problem(status.get()) { "alert" } else { "status" }
            >
                {text}
            </p>
            <Show when=meters>
                <label>
                    {i18n.tr(AudioText::LevelIn)}
                    <meter id="audio-level-in" min="0" max="100" value=move || desk.level_in.get()></meter>
                </label>
                <label>
                    {i18n.tr(AudioText::LevelOut)}
                    <meter
                        id="audio-level-out"
                        min="0"
                        max="100"
                        value=move || desk.level_out.get()
                        data-heard=move || desk.heard.get()
                        data-playouts=move || desk.playout.get().0
                        data-playout-ms=move || desk.playout.get().1
                    ></meter>
                </label>
            </Show>
        </div>
    }
    .into_any()
}
