//! Device choice in the settings (`browser` mode): the microphone, and the
//! speaker where the browser can choose one. A choice applies at once
//! (capture re-opens on the new microphone) and is kept in this browser.
//! Until the microphone is allowed the browser gives no names: the devices
//! are numbered then, and listed again once it is.

use super::text::AudioText;
use crate::i18n::use_i18n;
use crate::io::audio::{devices, AudioDesk, MicStatus};
use crate::io::storage;
use leptos::prelude::*;

#[component]
pub fn DeviceChoice() -> impl IntoView {
    let i18n = use_i18n();
    let Some(desk) =
        use_context::<AudioDesk>().filter(|d| d.mic.get_untracked() != MicStatus::PluginOwned)
    else {
        return ().into_any();
    };
    let found = RwSignal::new(None::<(Vec<devices::Device>, Vec<devices::Device>)>);
    Effect::new(move |_| {
        desk.mic.track();
        leptos::task::spawn_local(async move {
            found.try_set(Some(devices::list().await));
        });
    });
    let settings = storage::load_settings();
    let select = move |id: &'static str, chosen: Option<String>, speaker: bool| {
        let chosen = RwSignal::new(chosen.unwrap_or_default());
        let (label, each) = if speaker {
            (AudioText::Speaker, AudioText::SpeakerN)
        } else {
            (AudioText::Microphone, AudioText::MicrophoneN)
        };
        let listed = move || {
            found.with(|f| {
                f.as_ref()
                    .map(|(mics, outs)| if speaker { outs.clone() } else { mics.clone() })
            })
        };
        let options = move || {
            listed()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, d)| {
                    let name = if d.label.is_empty() {
                        format!("{}{}", i18n.t(each), i + 1)
                    } else {
                        d.label
                    };
                    let on = chosen.get_untracked() == d.id;
                    view! { <option value=d.id selected=on>{name}</option> }
                })
                .collect_view()
        };
        // A device kept from before that the browser no longer offers.
        let gone = move || {
            let c = chosen.get();
            !c.is_empty() && listed().is_some_and(|l| !l.iter().any(|d| d.id == c))
        };
        view! {
            <label>
                {i18n.tr(label)}
                <select id=id on:change=move |ev| {
                    let v = event_target_value(&ev);
                    chosen.set(v.clone());
                    desk.choose_device(speaker, v);
                }>
                    <option value="" selected=move || chosen.get().is_empty()>{i18n.tr(AudioText::DefaultDevice)}</option>
                    {options}
                </select>
            </label>
            <Show when=gone>
                <p class="warning" role="status">{i18n.tr(AudioText::DeviceGone)}</p>
            </Show>
        }
    };
    view! {
        {select("settings-mic-device", settings.mic_device, false)}
        {devices::sink_choice().then(|| select("settings-speaker-device", settings.speaker_device, true))}
    }
    .into_any()
}
