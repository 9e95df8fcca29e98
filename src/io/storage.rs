//! The dispatcher's settings in localStorage. Only [`Settings`] goes there,
//! and it has no field for a secret.

use crate::config::{Settings, SETTINGS_KEY};

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Saved settings; unreadable ones count as none (they are only preferences).
pub fn load_settings() -> Settings {
    storage()
        .and_then(|s| s.get_item(SETTINGS_KEY).ok().flatten())
        .and_then(|text| proto::from_json(&text).ok())
        .unwrap_or_default()
}

pub fn save_settings(settings: &Settings) -> Result<(), String> {
    let s = storage().ok_or("localStorage is not available")?;
    let text = serde_json::to_string(settings).map_err(|e| e.to_string())?;
    s.set_item(SETTINGS_KEY, &text)
        .map_err(|e| format!("{e:?}"))
}

pub fn clear_settings() {
    if let Some(s) = storage() {
        let _ = s.remove_item(SETTINGS_KEY);
    }
}
