//! The voice shell: owns the plugin WebSocket and a timer, feeds
//! `proto::voice::VoiceMachine`, journals the traffic, and publishes the link
//! state to a signal. Components call [`VoiceLink::login`] and friends and
//! read [`VoiceLink::view`]; they never see the socket.

use super::timer::Timer;
use crate::i18n::Key;
use crate::journal::{Journal, Kind, Source};
use crate::time::now_ms;
use leptos::prelude::*;
use proto::voice::{
    Link, PttCommand, PttState, TerminalId, VoiceEvent, VoiceInput, VoiceMachine, VoiceOutput,
};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

/// What the UI shows of the voice link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceView {
    pub link: Link,
    /// The account being used or last refused (never the password).
    pub account: Option<String>,
}

/// What the push-to-talk panel shows of the group call: the session (exact
/// id and members), who holds the floor, and the last refusal.
pub type PttView = PttState;

#[derive(Clone, Copy)]
pub struct VoiceLink {
    view: RwSignal<VoiceView>,
    ptt: RwSignal<PttView>,
    shell: StoredValue<Rc<RefCell<Shell>>, LocalStorage>,
}

struct Shell {
    machine: VoiceMachine,
    url: String,
    sockets: Vec<(u32, WebSocket)>,
    timer: Option<Timer>,
    handlers: Option<Handlers>,
    journal: Journal,
    view: RwSignal<VoiceView>,
    ptt: RwSignal<PttView>,
}

/// One set of socket callbacks for every socket of the shell; each event
/// names its socket through `event.target`.
struct Handlers {
    open: Closure<dyn FnMut(Event)>,
    message: Closure<dyn FnMut(MessageEvent)>,
    close: Closure<dyn FnMut(CloseEvent)>,
}

impl VoiceLink {
    /// `plugin_url` is the resolved ws(s):// address; `server_base_url` is what
    /// initServer tells the plugin.
    pub fn new(plugin_url: String, server_base_url: String, journal: Journal) -> Self {
        let view = RwSignal::new(VoiceView {
            link: Link::Offline,
            account: None,
        });
        let ptt = RwSignal::new(PttView::default());
        let shell = Rc::new(RefCell::new(Shell {
            machine: VoiceMachine::new(server_base_url),
            url: plugin_url,
            sockets: Vec::new(),
            timer: None,
            handlers: None,
            journal,
            view,
            ptt,
        }));
        let weak = Rc::downgrade(&shell);
        {
            let mut s = shell.borrow_mut();
            s.timer = Some(Timer::new({
                let weak = weak.clone();
                move || {
                    if let Some(rc) = weak.upgrade() {
                        rc.borrow_mut().machine.handle_timeout(now_ms());
                        pump(&rc);
                    }
                }
            }));
            s.handlers = Some(handlers(weak));
        }
        Self {
            view,
            ptt,
            shell: StoredValue::new_local(shell),
        }
    }

    pub fn view(&self) -> RwSignal<VoiceView> {
        self.view
    }

    pub fn login(&self, account: String, password: String) {
        self.input(VoiceInput::Login { account, password });
    }

    pub fn logout(&self) {
        self.input(VoiceInput::Logout);
    }

    /// The group call, floor and last refusal.
    pub fn ptt(&self) -> RwSignal<PttView> {
        self.ptt
    }

    /// Creates a temporary group call with `to_ids`; the dispatcher gets the floor.
    pub fn start_call(&self, to_ids: Vec<TerminalId>) {
        self.input(VoiceInput::Ptt(PttCommand::StartCall { to_ids }));
    }

    /// Asks for the floor in the current call (the talk key went down).
    pub fn talk(&self) {
        self.input(VoiceInput::Ptt(PttCommand::Talk));
    }

    /// Gives the floor back (the talk key came up).
    pub fn release(&self) {
        self.input(VoiceInput::Ptt(PttCommand::ReleaseFloor));
    }

    pub fn add_members(&self, ids: Vec<TerminalId>) {
        self.input(VoiceInput::Ptt(PttCommand::AddMembers { ids }));
    }

    pub fn kick(&self, ids: Vec<TerminalId>) {
        self.input(VoiceInput::Ptt(PttCommand::KickMembers { ids }));
    }

    pub fn hang_up(&self) {
        self.input(VoiceInput::Ptt(PttCommand::HangUp));
    }

    fn input(&self, input: VoiceInput) {
        if let Some(rc) = self.shell.try_get_value() {
            feed(&rc, input);
        }
    }
}

fn feed(rc: &Rc<RefCell<Shell>>, input: VoiceInput) {
    if let VoiceInput::Text { text, .. } = &input {
        rc.borrow()
            .journal
            .log(Source::Voice, Kind::Received, text.clone());
    }
    rc.borrow_mut().machine.handle(now_ms(), input);
    pump(rc);
}

fn handlers(weak: Weak<RefCell<Shell>>) -> Handlers {
    let on = |weak: Weak<RefCell<Shell>>, make: fn(u32, &Event) -> Option<VoiceInput>| {
        move |e: &Event| {
            let Some(rc) = weak.upgrade() else { return };
            let conn = rc.borrow().conn_of(e);
            if let Some(input) = conn.and_then(|c| make(c, e)) {
                feed(&rc, input);
            }
        }
    };
    let open = on(weak.clone(), |conn, _| {
        Some(VoiceInput::SocketOpened { conn })
    });
    let message = on(weak.clone(), |conn, e| {
        let text = e.dyn_ref::<MessageEvent>()?.data().as_string()?;
        Some(VoiceInput::Text { conn, text })
    });
    let close = on(weak, |conn, _| Some(VoiceInput::SocketClosed { conn }));
    Handlers {
        open: Closure::new(move |e: Event| open(&e)),
        message: Closure::new(move |e: MessageEvent| message(&e)),
        close: Closure::new(move |e: CloseEvent| close(&e)),
    }
}

impl Shell {
    fn conn_of(&self, e: &Event) -> Option<u32> {
        let target = e.target()?;
        self.sockets
            .iter()
            .find(|(_, ws)| js_sys::Object::is(ws, &target))
            .map(|(c, _)| *c)
    }

    /// Carries out one output; returns an input when the browser refused at once.
    fn perform(&mut self, out: VoiceOutput) -> Option<VoiceInput> {
        match out {
            VoiceOutput::Open { conn } => match WebSocket::new(&self.url) {
                Ok(ws) => {
                    if let Some(h) = &self.handlers {
                        ws.set_onopen(Some(h.open.as_ref().unchecked_ref()));
                        ws.set_onmessage(Some(h.message.as_ref().unchecked_ref()));
                        ws.set_onclose(Some(h.close.as_ref().unchecked_ref()));
                    }
                    self.sockets.push((conn, ws));
                    None
                }
                Err(e) => {
                    self.journal.log(
                        Source::Voice,
                        Kind::Error,
                        format!("WebSocket {}: {e:?}", self.url),
                    );
                    Some(VoiceInput::SocketClosed { conn })
                }
            },
            VoiceOutput::Close { conn } => {
                self.sockets.retain(|(c, ws)| {
                    if *c == conn {
                        ws.set_onopen(None);
                        ws.set_onmessage(None);
                        ws.set_onclose(None);
                        let _ = ws.close();
                    }
                    *c != conn
                });
                None
            }
            VoiceOutput::Send { conn, text, logged } => {
                let sent = self
                    .sockets
                    .iter()
                    .find(|(c, _)| *c == conn)
                    .map(|(_, ws)| ws.send_with_str(&text));
                match sent {
                    Some(Ok(())) => {
                        self.journal.log(Source::Voice, Kind::Sent, logged);
                        None
                    }
                    _ => {
                        self.journal
                            .log(Source::Voice, Kind::Error, format!("not sent: {logged}"));
                        Some(VoiceInput::SocketClosed { conn })
                    }
                }
            }
            VoiceOutput::Event(event) => {
                self.publish(event);
                None
            }
        }
    }

    fn publish(&mut self, event: VoiceEvent) {
        match event {
            VoiceEvent::LinkChanged(link) => {
                let (key, detail) = link_note(&link);
                self.journal.note(Source::Voice, Kind::Info, key, detail);
                let account = self.machine.account().map(str::to_owned);
                self.view.set(VoiceView { link, account });
            }
            VoiceEvent::Undecodable { reason, .. } => {
                self.journal.log(
                    Source::Voice,
                    Kind::Error,
                    format!("skipped a message: {reason}"),
                );
            }
            VoiceEvent::PttChanged(state) => self.ptt.set(state),
            // The machine folds what the group call needs into PttChanged.
            VoiceEvent::Message(_) => {}
        }
    }
}

/// Drains the machine's outputs, feeding back what the browser refused at
/// once, then points the timer at the machine's next deadline.
fn pump(rc: &Rc<RefCell<Shell>>) {
    let mut shell = rc.borrow_mut();
    while let Some(out) = shell.machine.poll_output() {
        if let Some(input) = shell.perform(out) {
            shell.machine.handle(now_ms(), input);
        }
    }
    let next = shell.machine.poll_timeout();
    if let Some(timer) = shell.timer.as_mut() {
        match next {
            Some(at) => timer.set(at.saturating_sub(now_ms())),
            None => timer.cancel(),
        }
    }
}

/// The journal line for a link change, in the dispatcher's language.
fn link_note(link: &Link) -> (Key, String) {
    match link {
        Link::Offline => (Key::LightOff, String::new()),
        Link::Connecting => (Key::LightConnecting, String::new()),
        Link::Online => (Key::LightOnline, String::new()),
        Link::Reconnecting { attempt, retry_at } => (
            Key::LightReconnecting,
            format!(" #{attempt} +{} ms", retry_at.saturating_sub(now_ms())),
        ),
        Link::Refused { message } => (Key::LightRefused, format!(" {message}")),
    }
}
