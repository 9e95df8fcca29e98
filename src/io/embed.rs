//! The embedding bridge: the console framed in a portal page hears the
//! portal's commands and posts answers and events back through
//! `postMessage` (the messages are `proto::embed`'s, docs/embed.md).
//!
//! Only the listed origins count: a message from any other origin is
//! dropped unread, and nothing is posted unless the parent's origin is
//! listed (never to `*`). Outside a frame the bridge does nothing.

use js_sys::{Function, Object, Reflect, JSON};
use proto::embed::{answer_err, answer_ok, parse, EmbedError, Event, Incoming, Request};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Window};

/// Where the one answer to a command goes.
pub struct Responder {
    bridge: Rc<Inner>,
    id: String,
}

impl Responder {
    /// Answers the command; consuming `self` makes it exactly once.
    pub fn answer(self, outcome: Result<Value, EmbedError>) {
        let message = match outcome {
            Ok(result) => answer_ok(&self.id, result),
            Err(error) => answer_err(&self.id, &error),
        };
        self.bridge.post(&message);
    }
}

/// The listener and the portal's origin; dropping it stops listening.
pub struct Bridge {
    inner: Rc<Inner>,
    listener: Option<Closure<dyn FnMut(MessageEvent)>>,
}

struct Inner {
    /// The parent frame and its origin, when that origin is listed.
    portal: Option<(Window, String)>,
    /// Events wait here until `ready` has gone out.
    ready: Cell<bool>,
    queued: RefCell<Vec<Value>>,
}

impl Inner {
    fn post(&self, message: &Value) {
        let Some((parent, origin)) = &self.portal else {
            return;
        };
        if let Ok(js) = JSON::parse(&proto::lenient::json_text(message)) {
            let _ = parent.post_message(&js, origin);
        }
    }
}

impl Bridge {
    /// Listens for commands from the parent frame when its origin is in
    /// `origins`; `handle` gets each valid command and its responder.
    pub fn start(origins: &[String], handle: impl Fn(Request, Responder) + 'static) -> Self {
        let portal = parent_frame()
            .and_then(|(parent, origin)| origins.contains(&origin).then_some((parent, origin)));
        let inner = Rc::new(Inner {
            portal,
            ready: Cell::new(false),
            queued: RefCell::new(Vec::new()),
        });
        let listener = inner.portal.clone().map(|(parent, origin)| {
            let bridge = inner.clone();
            let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                // Only the parent window, at its listed origin, may command.
                let from_parent = event
                    .source()
                    .is_some_and(|s| Object::is(&s, parent.as_ref()));
                if !from_parent || event.origin() != origin {
                    return;
                }
                let Some(message) = JSON::stringify(&event.data())
                    .ok()
                    .and_then(|s| s.as_string())
                    .and_then(|s| serde_json::from_str::<Value>(&s).ok())
                else {
                    return;
                };
                match parse(&message) {
                    Incoming::Foreign => {}
                    Incoming::Refused { id, error } => bridge.post(&answer_err(&id, &error)),
                    Incoming::Command(request) => {
                        let responder = Responder {
                            bridge: bridge.clone(),
                            id: request.id.clone(),
                        };
                        handle(request, responder);
                    }
                }
            });
            if let Some(window) = web_sys::window() {
                let _ = window
                    .add_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
            }
            listener
        });
        Self { inner, listener }
    }

    /// Whether a listed portal frames the console.
    pub fn connected(&self) -> bool {
        self.inner.portal.is_some()
    }

    /// Says commands may be sent, then posts the events held back so far.
    pub fn announce_ready(&self) {
        if self.inner.ready.replace(true) {
            return;
        }
        self.inner.post(&Event::Ready.to_message());
        for message in self.inner.queued.take() {
            self.inner.post(&message);
        }
    }

    pub fn send(&self, event: &Event) {
        let message = event.to_message();
        if self.inner.ready.get() {
            self.inner.post(&message);
        } else {
            self.inner.queued.borrow_mut().push(message);
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        if let (Some(listener), Some(window)) = (&self.listener, web_sys::window()) {
            let _ = window
                .remove_event_listener_with_callback("message", listener.as_ref().unchecked_ref());
        }
    }
}

/// The parent window and its origin, when the console is framed.
fn parent_frame() -> Option<(Window, String)> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    if Object::is(parent.as_ref(), window.as_ref()) {
        return None;
    }
    // Chromium and Safari name the framing origins; elsewhere the referrer does.
    let ancestor = Reflect::get(&window.location(), &"ancestorOrigins".into())
        .ok()
        .filter(|list| !list.is_undefined())
        .and_then(|list| Reflect::get(&list, &0.into()).ok())
        .and_then(|o| o.as_string());
    let origin = ancestor.or_else(|| {
        let referrer = window.document()?.referrer();
        web_sys::Url::new(&referrer).ok().map(|u| u.origin())
    })?;
    Some((parent, origin))
}

/// Whether the page is inside a frame at all.
pub fn framed() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    window
        .parent()
        .ok()
        .flatten()
        .is_some_and(|p| !Object::is(p.as_ref(), window.as_ref()))
}

/// Whether the page may use the microphone, per its permissions policy
/// (`allow="microphone"` on the frame); `None` when the browser cannot say.
pub fn microphone_allowed() -> Option<bool> {
    let document = web_sys::window()?.document()?;
    let policy = ["permissionsPolicy", "featurePolicy"]
        .into_iter()
        .filter_map(|name| Reflect::get(&document, &name.into()).ok())
        .find(|p| p.is_object())?;
    let allows = Reflect::get(&policy, &"allowsFeature".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    allows.call1(&policy, &"microphone".into()).ok()?.as_bool()
}
