//! One driver under every shell. It owns a [`Machine`], its one timer, the
//! pump (drain the outputs, carry them out, publish the view, re-arm the
//! timer) and the wake-ups a throttled tab needs; a shell only adapts its
//! transport: it carries out the machine's sends and feeds back what the
//! browser reports through a [`Feed`].
//!
//! Background tabs and frames get one timer wake a minute, longer than a
//! meeting token's margin, so the driver also wakes its machine on
//! `visibilitychange` and `online`: a tab that was hidden catches up at once.

use super::timer::Timer;
use crate::reactive::{ReadSignal, RwSignal, StoredValue};
use crate::time::now_ms;
use proto::machine::{Machine, Output};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;

pub type InputOf<S> = <<S as Shell>::M as Machine>::Input;
pub type ViewOf<S> = <<S as Shell>::M as Machine>::View;

/// The transport side of a driver.
pub trait Shell: Sized + 'static {
    type M: Machine;

    /// Carries out one send; returns an input when the browser refused at
    /// once (it cannot be fed back while the driver is busy).
    fn perform(&mut self, send: <Self::M as Machine>::Send) -> Option<InputOf<Self>>;

    /// Journals (or forwards) what the machine reports.
    fn event(&mut self, event: <Self::M as Machine>::Event);

    /// The driver is going away: last words (end a session, close sockets,
    /// detach listeners). The machine may still be asked for outputs.
    fn shutdown(&mut self, machine: &mut Self::M);
}

struct Core<S: Shell> {
    machine: S::M,
    shell: S,
    timer: Option<Timer>,
    view: RwSignal<ViewOf<S>>,
    wake: Option<Closure<dyn FnMut()>>,
}

/// Feeds inputs to a driver from browser callbacks and futures; does
/// nothing once the driver is gone.
pub struct Feed<S: Shell>(Weak<RefCell<Core<S>>>);

impl<S: Shell> Clone for Feed<S> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<S: Shell> Feed<S>
where
    ViewOf<S>: Send + Sync,
{
    pub fn input(&self, input: InputOf<S>) {
        if let Some(rc) = self.0.upgrade() {
            feed(&rc, input);
        }
    }

    /// Feeds what `make` reads off the shell (e.g. which socket an event
    /// came from), if anything.
    pub fn input_with(&self, make: impl FnOnce(&S) -> Option<InputOf<S>>) {
        let Some(rc) = self.0.upgrade() else { return };
        let input = match rc.try_borrow() {
            Ok(core) => make(&core.shell),
            Err(_) => return,
        };
        if let Some(input) = input {
            feed(&rc, input);
        }
    }

    /// `Shell::perform` of a REST request: starts it (`http::start`) and
    /// gives its reply to the machine as `wrap(reply)`, later through this
    /// feed, or at once as the return value when it cannot be sent at all.
    pub fn request(
        &self,
        req: proto::rest::Request,
        secret: &str,
        journal: crate::journal::Journal,
        source: crate::journal::Source,
        shown: fn(&str) -> String,
        wrap: fn(proto::rest::Reply) -> InputOf<S>,
    ) -> Option<InputOf<S>> {
        let feed = self.clone();
        super::http::start(req, secret, journal, source, shown, move |r| {
            feed.input(wrap(r))
        })
        .map(wrap)
    }
}

/// A machine at work in the browser. Copy, and disposed with its owner
/// (the component that made it): then the shell's `shutdown` runs.
pub struct Driver<S: Shell> {
    core: StoredValue<Rc<RefCell<Core<S>>>>,
    view: RwSignal<ViewOf<S>>,
}

impl<S: Shell> Clone for Driver<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: Shell> Copy for Driver<S> {}

impl<S: Shell> Driver<S>
where
    ViewOf<S>: Send + Sync,
{
    /// `make_shell` gets the feed its callbacks will use.
    pub fn new(machine: S::M, make_shell: impl FnOnce(Feed<S>) -> S) -> Self {
        let view = RwSignal::new(machine.view());
        let core = Rc::new_cyclic(|weak: &Weak<RefCell<Core<S>>>| {
            let wake_up = {
                let weak = weak.clone();
                move || {
                    if let Some(rc) = weak.upgrade() {
                        rc.borrow_mut().machine.handle_timeout(now_ms());
                        pump(&rc);
                    }
                }
            };
            RefCell::new(Core {
                machine,
                shell: make_shell(Feed(weak.clone())),
                timer: Some(Timer::new(wake_up.clone())),
                view,
                wake: Some(Closure::new(wake_up)),
            })
        });
        listen_for_wakes(&core.borrow());
        Self {
            core: StoredValue::new(core),
            view,
        }
    }

    /// What the machine shows, read-only.
    pub fn view(&self) -> ReadSignal<ViewOf<S>> {
        self.view.read_only()
    }

    pub fn input(&self, input: InputOf<S>) {
        if let Some(rc) = self.core.try_get_value() {
            feed(&rc, input);
        }
    }

    /// Reads the machine itself (for what the view does not carry).
    pub fn with_machine<T>(&self, f: impl FnOnce(&S::M) -> T) -> Option<T> {
        let rc = self.core.try_get_value()?;
        let core = rc.borrow();
        Some(f(&core.machine))
    }
}

const WAKE_EVENTS: [&str; 2] = ["visibilitychange", "online"];

fn listen_for_wakes<S: Shell>(core: &Core<S>) {
    let (Some(window), Some(wake)) = (web_sys::window(), core.wake.as_ref()) else {
        return;
    };
    let f = wake.as_ref().unchecked_ref();
    if let Some(doc) = window.document() {
        let _ = doc.add_event_listener_with_callback(WAKE_EVENTS[0], f);
    }
    let _ = window.add_event_listener_with_callback(WAKE_EVENTS[1], f);
}

impl<S: Shell> Drop for Core<S> {
    fn drop(&mut self) {
        if let (Some(window), Some(wake)) = (web_sys::window(), self.wake.as_ref()) {
            let f = wake.as_ref().unchecked_ref();
            if let Some(doc) = window.document() {
                let _ = doc.remove_event_listener_with_callback(WAKE_EVENTS[0], f);
            }
            let _ = window.remove_event_listener_with_callback(WAKE_EVENTS[1], f);
        }
        self.shell.shutdown(&mut self.machine);
    }
}

fn feed<S: Shell>(rc: &Rc<RefCell<Core<S>>>, input: InputOf<S>)
where
    ViewOf<S>: Send + Sync,
{
    // A callback may fire while the driver is busy (a synchronous browser
    // event): the machine never sees it twice, but it must not panic.
    let Ok(mut core) = rc.try_borrow_mut() else {
        return;
    };
    core.machine.handle(now_ms(), input);
    drop(core);
    pump(rc);
}

/// Drains the machine's outputs, feeding back what the browser refused at
/// once, publishes the view when it changed, then points the timer at the
/// machine's next deadline.
fn pump<S: Shell>(rc: &Rc<RefCell<Core<S>>>)
where
    ViewOf<S>: Send + Sync,
{
    let Ok(mut guard) = rc.try_borrow_mut() else {
        return;
    };
    let core = &mut *guard;
    while let Some(out) = core.machine.poll_output() {
        match out {
            Output::Send(send) => {
                if let Some(input) = core.shell.perform(send) {
                    core.machine.handle(now_ms(), input);
                }
            }
            Output::Event(event) => core.shell.event(event),
            Output::State => {
                let next = core.machine.view();
                if core.view.try_with_untracked(|v| *v != next) == Some(true) {
                    core.view.try_set(next);
                }
            }
        }
    }
    let next = core.machine.poll_timeout();
    if let Some(timer) = core.timer.as_mut() {
        match next {
            Some(at) => timer.set_at(at),
            None => timer.cancel(),
        }
    }
}

/// A shell's numbered browser handles (sockets, event streams). The machine
/// names each by number; a browser event names its handle by `target`.
pub struct Handles<T>(Vec<(u32, T)>);

impl<T: AsRef<JsValue>> Default for Handles<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: AsRef<JsValue>> Handles<T> {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn add(&mut self, conn: u32, handle: T) {
        self.0.push((conn, handle));
    }

    pub fn get(&self, conn: u32) -> Option<&T> {
        self.0.iter().find(|(c, _)| *c == conn).map(|(_, h)| h)
    }

    /// The number of the handle that fired `e`, if it is still ours.
    pub fn conn_of(&self, e: &web_sys::Event) -> Option<u32> {
        let target = e.target()?;
        self.0
            .iter()
            .find(|(_, h)| js_sys::Object::is(h.as_ref(), &target))
            .map(|(c, _)| *c)
    }

    /// Removes the handles `which` names, calling `detach` on each first.
    pub fn remove(&mut self, which: impl Fn(u32) -> bool, mut detach: impl FnMut(&T)) {
        self.0.retain(|(c, h)| {
            if which(*c) {
                detach(h);
            }
            !which(*c)
        });
    }
}
