//! The audio status line of the push-to-talk panel: whether the microphone
//! is usable (and why not), and the microphone and speaker meters; in
//! `plugin` mode, what the plugin last said about its microphone.

mod devices;
pub mod text;

pub use devices::device_choice;

use crate::config::MicAsk;
use crate::i18n::use_i18n;
use crate::io::audio::{AudioDesk, MicStatus};
use crate::io::voice::VoiceLink;
use crate::ui::markup::Wired;
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

/// The audio status line, in the push-to-talk panel's markup. The meters
/// sit in a box of no style of its own, to be hidden together.
macro_rules! status_html {
    () => {
        r#"<div id="audio-status" class="audio-status"><p id="audio-mic"></p><p id="audio-device-gone" class="warning" role="status" data-t="DeviceGone"></p><p id="audio-plugin-mic" class="status" role="status"></p><div id="audio-meters"><label><span data-t="LevelIn"></span><meter id="audio-level-in" min="0" max="100"></meter></label><label><span data-t="LevelOut"></span><meter id="audio-level-out" min="0" max="100"></meter></label></div></div>"#
    };
}
pub(crate) use status_html;

/// The audio status line's wiring, made with the panel; without an audio
/// desk (no audio in this console) the line goes.
pub fn audio_status() -> impl FnOnce(&Wired) + Send {
    let i18n = use_i18n();
    let desk = use_context::<AudioDesk>();
    let ptt = crate::reactive::expect_context::<VoiceLink>().ptt();
    move |w: &Wired| {
        let Some(desk) = desk else {
            w.el("audio-status").remove();
            return;
        };
        let status = desk.mic;
        let text = move || {
            let key = mic_text(status.get(), desk.ask);
            i18n.t(key).to_owned()
        };
        let state = move || format!("{:?}", status.get()).to_ascii_lowercase();
        let meters = move || status.get() != MicStatus::PluginOwned;
        let plugin_says = move || {
            ptt.with(|p| p.mic_message.clone())
                .map(|words| format!("{}{words}", i18n.t(AudioText::PluginSays)))
                .unwrap_or_default()
        };
        let some = |v: String| Some(v);
        w.attr("audio-status", "data-mic", move || some(state()));
        w.attr("audio-status", "data-device", move || {
            some(desk.mic_device.get())
        });
        w.attr("audio-status", "data-decoders", move || {
            some(desk.decoders.get().to_string())
        });
        w.class("audio-mic", "error", move || is_problem(status.get()));
        w.attr("audio-mic", "role", move || {
            some(
                if is_problem(status.get()) {
                    "alert"
                } else {
                    "status"
                }
                .to_owned(),
            )
        });
        w.text("audio-mic", text);
        w.hidden("audio-device-gone", move || !desk.device_gone.get());
        w.hidden("audio-plugin-mic", meters);
        w.text("audio-plugin-mic", plugin_says);
        w.hidden("audio-meters", move || !meters());
        w.attr("audio-level-in", "value", move || {
            some(desk.level_in.get().to_string())
        });
        w.attr("audio-level-out", "value", move || {
            some(desk.level_out.get().to_string())
        });
        w.attr("audio-level-out", "data-heard", move || {
            some(desk.heard.get().to_string())
        });
        w.attr("audio-level-out", "data-playouts", move || {
            some(desk.playout.get().0.to_string())
        });
        w.attr("audio-level-out", "data-playout-ms", move || {
            some(desk.playout.get().1.to_string())
        });
    }
}
