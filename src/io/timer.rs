//! One browser timeout that can be moved: each shell keeps one and points it
//! at its machine's next deadline. The callback is created once and lives as
//! long as the timer, so rescheduling from inside it is safe.

use wasm_bindgen::prelude::*;

pub struct Timer {
    callback: Closure<dyn FnMut()>,
    handle: Option<i32>,
}

impl Timer {
    pub fn new(callback: impl FnMut() + 'static) -> Self {
        Self {
            callback: Closure::new(callback),
            handle: None,
        }
    }

    /// Replaces any pending timeout with one `delay_ms` from now.
    pub fn set(&mut self, delay_ms: u64) {
        self.cancel();
        let Some(window) = web_sys::window() else {
            return;
        };
        let delay = delay_ms.min(i32::MAX as u64) as i32;
        self.handle = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                self.callback.as_ref().unchecked_ref(),
                delay,
            )
            .ok();
    }

    pub fn cancel(&mut self) {
        if let (Some(handle), Some(w)) = (self.handle.take(), web_sys::window()) {
            w.clear_timeout_with_handle(handle);
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.cancel();
    }
}
