//! The microphones and speakers the browser offers (enumerateDevices), the
//! ones chosen, and the speaker playback goes to (`AudioContext.setSinkId`,
//! where the browser has it). A device id is not secret: the choice is
//! kept in this browser's storage, each under its own key.

use crate::io::storage;
use crate::reactive::RwSignal;
use js_sys::{Array, Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn key(speaker: bool) -> &'static str {
    if speaker {
        storage::SPEAKER_DEVICE_KEY
    } else {
        storage::MIC_DEVICE_KEY
    }
}

/// The microphone (or, `speaker`, the speaker) chosen; "" for the default.
pub fn chosen(speaker: bool) -> String {
    storage::read(key(speaker)).unwrap_or_default()
}

pub(super) fn keep(speaker: bool, id: &str) {
    storage::write(key(speaker), id);
}

/// One device: its id and its label (empty until the microphone is allowed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    pub id: String,
    pub label: String,
}

fn text(o: &JsValue, key: &str) -> String {
    Reflect::get(o, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The microphones (`audioinput`) and speakers (`audiooutput`), without
/// the browser's "default" and "communications" aliases.
pub async fn list() -> (Vec<Device>, Vec<Device>) {
    let mut found = (Vec::new(), Vec::new());
    let Some(asked) = web_sys::window()
        .and_then(|w| w.navigator().media_devices().ok())
        .and_then(|d| d.enumerate_devices().ok())
    else {
        return found;
    };
    let Ok(all) = JsFuture::from(asked).await else {
        return found;
    };
    for d in Array::from(&all).iter() {
        let id = text(&d, "deviceId");
        if id.is_empty() || id == "default" || id == "communications" {
            continue;
        }
        let device = Device {
            id,
            label: text(&d, "label"),
        };
        match text(&d, "kind").as_str() {
            "audioinput" => found.0.push(device),
            "audiooutput" => found.1.push(device),
            _ => {}
        }
    }
    found
}

/// Whether this browser can choose the speaker an AudioContext plays to.
pub fn sink_choice() -> bool {
    web_sys::window()
        .and_then(|w| Reflect::get(&w, &"AudioContext".into()).ok())
        .and_then(|c| Reflect::get(&c, &"prototype".into()).ok())
        .is_some_and(|p| Reflect::has(&p, &"setSinkId".into()).unwrap_or(false))
}

/// Plays `ctx` to speaker `id` ("" for the default). A speaker that has
/// gone makes the promise fail: playback stays on the default, and `gone`
/// says so.
pub fn set_sink(ctx: &JsValue, id: &str, gone: RwSignal<bool>) {
    let set = Reflect::get(ctx, &"setSinkId".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(p) = set.and_then(|set| set.call1(ctx, &id.into()).ok()) {
        wasm_bindgen_futures::spawn_local(async move {
            let failed = JsFuture::from(js_sys::Promise::from(p)).await.is_err();
            gone.try_set(failed);
        });
    }
}
