//! The binary side of the voice plugin socket (docs/audio.md), shared by
//! the voice shell, which opens and closes the sockets, and the audio desk,
//! which writes and reads the frames.

use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{BinaryType, MessageEvent, WebSocket};

type Listener = Box<dyn FnMut(&[u8])>;

#[derive(Clone, Default)]
pub struct AudioPort(Rc<RefCell<Port>>);

#[derive(Default)]
struct Port {
    /// The newest socket; frames go there only.
    socket: Option<WebSocket>,
    listener: Option<Listener>,
}

impl AudioPort {
    /// The voice shell opened `ws`: binary messages arrive as ArrayBuffers
    /// and frames are written there from now on.
    pub fn attach(&self, ws: &WebSocket) {
        ws.set_binary_type(BinaryType::Arraybuffer);
        self.0.borrow_mut().socket = Some(ws.clone());
    }

    /// The voice shell closed `ws`.
    pub fn detach(&self, ws: &WebSocket) {
        let mut p = self.0.borrow_mut();
        if p.socket.as_ref().is_some_and(|s| s == ws) {
            p.socket = None;
        }
    }

    /// Writes one frame; false if no socket is open.
    pub fn send(&self, frame: &[u8]) -> bool {
        let p = self.0.borrow();
        match &p.socket {
            Some(ws) if ws.ready_state() == WebSocket::OPEN => ws.send_with_u8_array(frame).is_ok(),
            _ => false,
        }
    }

    /// Who receives the frames the plugin sends.
    pub fn listen(&self, listener: impl FnMut(&[u8]) + 'static) {
        self.0.borrow_mut().listener = Some(Box::new(listener));
    }

    /// A message event of a voice socket: true if it was a binary frame
    /// (handed to the listener when it came from the newest socket).
    pub fn take_binary(&self, e: &MessageEvent) -> bool {
        let Some(buf) = e.data().dyn_ref::<js_sys::ArrayBuffer>().cloned() else {
            return false;
        };
        let current = {
            let p = self.0.borrow();
            let from = e.target();
            p.socket
                .as_ref()
                .zip(from)
                .is_some_and(|(ws, t)| js_sys::Object::is(ws, &t))
        };
        if !current {
            return true;
        }
        // Taken out while it runs, so it may use the port itself.
        let listener = self.0.borrow_mut().listener.take();
        if let Some(mut f) = listener {
            f(&js_sys::Uint8Array::new(&buf).to_vec());
            self.0.borrow_mut().listener.get_or_insert(f);
        }
        true
    }
}
