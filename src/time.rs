//! The one place the app reads the clock; machines get the time as an argument.

thread_local! {
    /// Looked up once, with its `timeOrigin` (fixed for the page): a burst
    /// of events reads the clock a thousand times.
    static PERFORMANCE: Option<(web_sys::Performance, f64)> = web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| {
            let origin = p.time_origin();
            (p, origin)
        });
}

/// `f` of the page's `performance` and its `timeOrigin`, if it has one.
fn with_performance<T>(f: impl FnOnce(&web_sys::Performance, f64) -> T) -> Option<T> {
    PERFORMANCE.with(|p| p.as_ref().map(|(p, origin)| f(p, *origin)))
}

/// Milliseconds since the epoch, on a clock that never goes back: the page's
/// start plus the monotonic `performance.now()`, so deadlines and refreshes
/// survive the system clock being set back or forward mid-shift.
pub fn now_ms() -> u64 {
    with_performance(|p, origin| origin + p.now()).unwrap_or_else(js_sys::Date::now) as u64
}

/// A named point in the page's timeline (`cargo xtask bench` reads them).
/// Only the newest of each name is kept, so a shift of presses does not
/// fill the timeline.
pub fn mark(name: &str) {
    with_performance(|p, _| {
        p.clear_marks_with_mark_name(name);
        let _ = p.mark(name);
    });
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
