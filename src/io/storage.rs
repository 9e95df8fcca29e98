//! localStorage: the one way in and out ([`read`], [`write`]), and the
//! dispatcher's settings. What goes there (settings, saved groups, the call
//! history, a broadcast batch) has no field for a secret.

use crate::config::{Settings, SETTINGS_KEY};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The text stored under `key`, if storage is there and holds it.
pub fn read(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Stores `text` under `key`. A full or missing store keeps the value in
/// this page only: nothing the dispatcher does fails for it.
pub fn write(key: &str, text: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, text);
    }
}

/// Saved settings; unreadable ones count as none (they are only preferences).
pub fn load_settings() -> Settings {
    read(SETTINGS_KEY)
        .and_then(|text| serde_json::from_str(&text).ok())
        .and_then(|v| Settings::decode(&v).ok())
        .unwrap_or_default()
}

pub fn save_settings(settings: &Settings) -> Result<(), String> {
    let s = storage().ok_or("localStorage is not available")?;
    let text = serde_json::to_string(settings).map_err(|e| e.to_string())?;
    s.set_item(SETTINGS_KEY, &text)
        .map_err(|e| format!("{e:?}"))
}

/// The microphone and the speaker chosen for push-to-talk audio
/// (`io/audio/devices.rs`): settings too, so a reset forgets them.
pub const MIC_DEVICE_KEY: &str = "dispatch-desk.mic-device";
pub const SPEAKER_DEVICE_KEY: &str = "dispatch-desk.speaker-device";

/// Forgets every setting kept in this browser, devices included.
pub fn clear_settings() {
    if let Some(s) = storage() {
        for key in [SETTINGS_KEY, MIC_DEVICE_KEY, SPEAKER_DEVICE_KEY] {
            let _ = s.remove_item(key);
        }
    }
}
