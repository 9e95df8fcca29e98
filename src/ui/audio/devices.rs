//! Device choice in the settings (`browser` mode): the microphone, and the
//! speaker where the browser can choose one. A choice applies at once
//! (capture re-opens on the new microphone) and is kept in this browser.
//! Until the microphone is allowed the browser gives no names: the devices
//! are numbered then, and listed again once it is. A chosen device that is
//! gone shows in the audio status line (`AudioDesk::device_gone`).

use super::text::AudioText;
use crate::i18n::use_i18n;
use crate::io::audio::{devices, AudioDesk, MicStatus};
use leptos::prelude::*;

#[component]
pub fn DeviceChoice() -> impl IntoView {
    let i18n = use_i18n();
    let Some(desk) =
        use_context::<AudioDesk>().filter(|d| d.mic.get_untracked() != MicStatus::PluginOwned)
    else {
        return ().into_any();
    };
    let found = RwSignal::new((Vec::new(), Vec::new()));
    Effect::new(move |_| {
        desk.mic.track();
        leptos::task::spawn_local(async move {
            found.try_set(devices::list().await);
        });
    });
    let select = move |speaker: bool| {
        let chosen = RwSignal::new(devices::chosen(speaker));
        let (id, label, each) = if speaker {
            (
                "settings-speaker-device",
                AudioText::Speaker,
                AudioText::SpeakerN,
            )
        } else {
            (
                "settings-mic-device",
                AudioText::Microphone,
                AudioText::MicrophoneN,
            )
        };
        let options = move || {
            found.with(|(mics, speakers)| {
                let list = if speaker { speakers } else { mics };
                list.iter()
                    .enumerate()
                    .map(|(i, d)| {
                        let name = if d.label.is_empty() {
                            format!("{}{}", i18n.t(each), i + 1)
                        } else {
                            d.label.clone()
                        };
                        let on = chosen.with_untracked(|c| *c == d.id);
                        view! { <option value=d.id.clone() selected=on>{name}</option> }
                    })
                    .collect_view()
            })
        };
        view! {
            <label>
                {i18n.tr(label)}
                <select id=id on:change=move |ev| {
                    let v = event_target_value(&ev);
                    chosen.set(v.clone());
                    desk.choose_device(speaker, v);
                }>
                    <option value="">{i18n.tr(AudioText::DefaultDevice)}</option>
                    {options}
                </select>
            </label>
        }
    };
    view! { {select(false)} {devices::sink_choice().then(|| select(true))} }.into_any()
}
