//! One browser timeout that can be moved: each shell keeps one and points it
//! at its machine's next deadline. The callback is created once and lives as
//! long as the timer, so rescheduling from inside it is safe.

use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

pub struct Timer {
    callback: Closure<dyn FnMut()>,
    /// The pending timeout; cleared when it fires.
    handle: Rc<Cell<Option<i32>>>,
    /// When the pending timeout was pointed at by [`Timer::set_at`].
    due: Option<u64>,
}

impl Timer {
    pub fn new(mut callback: impl FnMut() + 'static) -> Self {
        let handle = Rc::new(Cell::new(None));
        let fired = handle.clone();
        Self {
            callback: Closure::new(move || {
                fired.set(None);
                callback();
            }),
            handle,
            due: None,
        }
    }

    /// Points the timeout at `at_ms` (Unix milliseconds). A deadline that
    /// has not moved keeps its pending timeout: a machine is asked for its
    /// deadline after every input, a thousand times in a burst.
    pub fn set_at(&mut self, at_ms: u64) {
        if self.handle.get().is_some() && self.due == Some(at_ms) {
            return;
        }
        self.set(at_ms.saturating_sub(crate::time::now_ms()));
        self.due = Some(at_ms);
    }

    /// Replaces any pending timeout with one `delay_ms` from now.
    pub fn set(&mut self, delay_ms: u64) {
        self.cancel();
        let Some(window) = web_sys::window() else {
            return;
        };
        let delay = delay_ms.min(i32::MAX as u64) as i32;
        self.handle.set(
            window
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    self.callback.as_ref().unchecked_ref(),
                    delay,
                )
                .ok(),
        );
    }

    pub fn cancel(&mut self) {
        self.due = None;
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
