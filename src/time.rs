//! The one place the app reads the clock; machines get the time as an argument.

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// `HH:MM:SS.mmm` in local time, for the journal.
pub fn clock_text(ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
        d.get_milliseconds()
    )
}
