//! The audio status line of the push-to-talk panel: whether the microphone
//! is usable (and why not), and the microphone and speaker meters; in
//! `plugin` mode, what the plugin last said about its microphone.

mod devices;
pub mod text;

pub use devices::DeviceChoice;

use crate::config::MicAsk;
use crate::i18n::use_i18n;
use crate::io::audio::{AudioDesk, MicStatus};
use crate::io::voice::VoiceLink;
use crate::ui::show::cond;
use leptos::prelude::*;
use text::AudioText;

fn mic_text(status: MicStatus, ask: MicAsk) -> AudioText {
    match status {
        MicStatus::PluginOwned => AudioText::ModePlugin,
        MicStatus::NotAsked if ask == MicAsk::Talk => AudioText::MicNotAskedTalk,
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
        let key = mic_text(status.get(), desk.ask);
        i18n.tr(key)()
    };
    let state = move || format!("{:?}", status.get()).to_lowercase();
    let meters = move || status.get() != MicStatus::PluginOwned;
    let ptt = expect_context::<VoiceLink>().ptt();
    let plugin_says = move || {
        let words = ptt.with(|p| p.mic_message.clone())?;
        Some(format!("{}{words}", i18n.t(AudioText::PluginSays)))
    };
    view! {
        <div id="audio-status" class="audio-status" data-mic=state data-device=move || desk.mic_device.get() data-decoders=move || desk.decoders.get()>
            <p
                id="audio-mic"
                class:error=move || is_problem(status.get())
                role=move || if is_problem(status.get()) { "alert" } else { "status" }
            >
                {text}
            </p>
            <Show when=cond(move || desk.device_gone.get())>
                <p id="audio-device-gone" class="warning" role="status">{i18n.tr(AudioText::DeviceGone)}</p>
            </Show>
            <Show when=cond(move || !meters())>
                <p id="audio-plugin-mic" class="status" role="status">{plugin_says}</p>
            </Show>
            <Show when=cond(meters)>
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
