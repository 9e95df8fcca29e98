//! Device choice in the settings (`browser` mode): the microphone, and the
//! speaker where the browser can choose one. A choice applies at once
//! (capture re-opens on the new microphone) and is kept in this browser.
//! Until the microphone is allowed the browser gives no names: the devices
//! are numbered then, and listed again once it is. A chosen device that is
//! gone shows in the audio status line (`AudioDesk::device_gone`).

use super::text::AudioText;
use crate::i18n::use_i18n;
use crate::io::audio::{devices, AudioDesk, MicStatus};
use crate::reactive::{effect, RwSignal};
use crate::ui::markup::{markup, Markup, Wired};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The device choices, mounted at the end of element `slot` of `w`; none
/// when the plugin owns the devices.
pub fn device_choice(w: &Wired, slot: &str) {
    let Some(desk) =
        use_context::<AudioDesk>().filter(|d| d.mic.get_untracked() != MicStatus::PluginOwned)
    else {
        return;
    };
    let found = RwSignal::new((Vec::new(), Vec::new()));
    effect(move || {
        desk.mic.track();
        leptos::task::spawn_local(async move {
            found.try_set(devices::list().await);
        });
    });
    w.mount(slot, select(desk, found, false));
    if devices::sink_choice() {
        w.mount(slot, select(desk, found, true));
    }
}

/// The microphones (or the speakers) `found`, listed again whenever they
/// change; the one chosen stays selected while it is there.
fn select(
    desk: AudioDesk,
    found: RwSignal<(Vec<devices::Device>, Vec<devices::Device>)>,
    speaker: bool,
) -> Markup {
    let i18n = use_i18n();
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
    markup(SELECT, &[AudioText::named], move |w: &Wired| {
        w.text_el(w.part("span"), Box::new(move || i18n.t(label).to_owned()));
        let select: web_sys::HtmlSelectElement = w.part("select").unchecked_into();
        select.set_id(id);
        let list = select.clone();
        w.effect(Box::new(move || {
            // The system default (the first option) stays; the rest are new.
            while list.length() > 1 {
                list.remove_with_index(1);
            }
            let chosen = chosen.get_untracked();
            let mut there = false;
            found.with(|(mics, speakers)| {
                let devices = if speaker { speakers } else { mics };
                for (i, d) in devices.iter().enumerate() {
                    let name = if d.label.is_empty() {
                        format!("{}{}", i18n.t(each), i + 1)
                    } else {
                        d.label.clone()
                    };
                    let Ok(option) = document().create_element("option") else {
                        continue;
                    };
                    let _ = option.set_attribute("value", &d.id);
                    option.set_text_content(Some(&name));
                    let _ = list.append_child(&option);
                    there |= d.id == chosen;
                }
            });
            list.set_value(if there { &chosen } else { "" });
        }));
        let read = select.clone();
        w.on(id, "change", move |_| {
            let v = read.value();
            chosen.set(v.clone());
            desk.choose_device(speaker, v);
        });
    })
}

/// A device list; its label and id are set when it is built.
const SELECT: &str = r#"<label><span></span><select><option value="" data-t="DefaultDevice"></option></select></label>"#;
