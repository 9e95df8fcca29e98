//! The meeting shell: owns the event streams (EventSource) and a timer,
//! makes the machine's REST requests through [`super::http`], feeds
//! `proto::meeting::machine::MeetingMachine`, journals the traffic (tokens
//! masked) and publishes a [`MeetingView`] and the meeting status light.
//! Components call [`Meeting::join`], [`Meeting::command`] and friends and
//! read [`Meeting::view`]; they never see a stream or a token.

use super::http::{self, Body, HttpRequest};
use super::timer::Timer;
use crate::i18n::Key;
use crate::journal::{Journal, Kind, Source};
use crate::time::now_ms;
use crate::ui::status_light::LightState;
use gloo_net::http::Method as HttpMethod;
use leptos::prelude::*;
use proto::meeting::machine::{
    redact, ConferenceState, HttpAnswer, HttpCall, MeetingInput, MeetingLink, MeetingMachine,
    MeetingNote, MeetingOutput, Notice, EVENT_NAMES,
};
use proto::meeting::{Command, Deployment, Method, Role};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use web_sys::{Event, EventSource, MessageEvent};

/// What the UI shows of the meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingView {
    pub link: MeetingLink,
    pub conference: ConferenceState,
    pub notice: Option<Notice>,
    /// This console's own participant uuid.
    pub me: Option<String>,
    pub role: Option<Role>,
    /// The conference joined or being joined.
    pub account: Option<String>,
}

impl MeetingView {
    fn idle() -> Self {
        Self {
            link: MeetingLink::Idle,
            conference: ConferenceState::default(),
            notice: None,
            me: None,
            role: None,
            account: None,
        }
    }
}

/// The meeting shell's handle, cheap to copy into components.
#[derive(Clone, Copy)]
pub struct Meeting {
    view: RwSignal<MeetingView>,
    deployment: Deployment,
    shell: StoredValue<Rc<RefCell<Shell>>, LocalStorage>,
}

struct Shell {
    machine: MeetingMachine,
    streams: Vec<(u32, EventSource)>,
    timer: Option<Timer>,
    handlers: Option<Handlers>,
    weak: Weak<RefCell<Shell>>,
    journal: Journal,
    view: RwSignal<MeetingView>,
    light: Option<RwSignal<LightState>>,
}

/// One set of stream callbacks for every stream of the shell; each event
/// names its stream through `event.target`.
struct Handlers {
    open: Closure<dyn FnMut(Event)>,
    error: Closure<dyn FnMut(Event)>,
    named: Closure<dyn FnMut(MessageEvent)>,
}

impl Meeting {
    /// `api_server`: the absolute address of checkJoin's server. `light`:
    /// the meeting status light to drive, if any.
    pub fn new(
        api_server: String,
        deployment: Deployment,
        journal: Journal,
        light: Option<RwSignal<LightState>>,
    ) -> Self {
        let view = RwSignal::new(MeetingView::idle());
        let scheme = web_sys::window()
            .and_then(|w| w.location().protocol().ok())
            .map(|p| p.trim_end_matches(':').to_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "https".to_owned());
        let shell = Rc::new_cyclic(|weak: &Weak<RefCell<Shell>>| {
            RefCell::new(Shell {
                machine: MeetingMachine::new(api_server, scheme, deployment),
                streams: Vec::new(),
                timer: Some(Timer::new({
                    let weak = weak.clone();
                    move || {
                        if let Some(rc) = weak.upgrade() {
                            rc.borrow_mut().machine.handle_timeout(now_ms());
                            pump(&rc);
                        }
                    }
                })),
                handlers: Some(handlers(weak.clone())),
                weak: weak.clone(),
                journal,
                view,
                light,
            })
        });
        if let Some(light) = light {
            light.set(LightState::IDLE);
        }
        Self {
            view,
            deployment,
            shell: StoredValue::new_local(shell),
        }
    }

    pub fn view(&self) -> RwSignal<MeetingView> {
        self.view
    }

    pub fn deployment(&self) -> Deployment {
        self.deployment
    }

    /// Whether the configured cloud has `cmd` (else the machine refuses it locally).
    pub fn supports(&self, cmd: &Command) -> bool {
        cmd.supported_on(self.deployment)
    }

    pub fn join(&self, account: String, pin: String, name: String) {
        self.input(MeetingInput::Join { account, pin, name });
    }

    pub fn leave(&self) {
        self.input(MeetingInput::Leave);
    }

    pub fn command(&self, cmd: Command) {
        self.input(MeetingInput::Command(cmd));
    }

    pub fn dismiss(&self) {
        self.input(MeetingInput::DismissNotice);
    }

    fn input(&self, input: MeetingInput) {
        if let Some(rc) = self.shell.try_get_value() {
            feed(&rc, input);
        }
    }
}

/// The light for a link state.
pub fn light_of(link: &MeetingLink) -> LightState {
    match link {
        MeetingLink::Idle => LightState::IDLE,
        MeetingLink::Joining => LightState::CONNECTING,
        MeetingLink::Online => LightState::ONLINE,
        MeetingLink::Reconnecting { .. } => LightState::RECONNECTING,
        MeetingLink::Unreachable { .. } => LightState::UNREACHABLE,
        MeetingLink::Refused { .. } => LightState::REFUSED,
    }
}

fn feed(rc: &Rc<RefCell<Shell>>, input: MeetingInput) {
    rc.borrow_mut().machine.handle(now_ms(), input);
    pump(rc);
}

fn handlers(weak: Weak<RefCell<Shell>>) -> Handlers {
    let on = |weak: Weak<RefCell<Shell>>,
              make: fn(u32, &Event, &Journal) -> Option<MeetingInput>| {
        move |e: &Event| {
            let Some(rc) = weak.upgrade() else { return };
            let (conn, journal) = {
                let s = rc.borrow();
                (s.conn_of(e), s.journal)
            };
            if let Some(input) = conn.and_then(|c| make(c, e, &journal)) {
                feed(&rc, input);
            }
        }
    };
    let open = on(weak.clone(), |conn, _, _| {
        Some(MeetingInput::StreamOpened { conn })
    });
    let error = on(weak.clone(), |conn, _, journal| {
        journal.log(
            Source::Meeting,
            Kind::Error,
            "event stream: closed or failed",
        );
        Some(MeetingInput::StreamFailed { conn })
    });
    let named = on(weak, |conn, e, journal| {
        let name = e.type_();
        let data = e
            .dyn_ref::<MessageEvent>()?
            .data()
            .as_string()
            .unwrap_or_default();
        journal.log(Source::Meeting, Kind::Received, format!("{name} {data}"));
        Some(MeetingInput::StreamEvent { conn, name, data })
    });
    Handlers {
        open: Closure::new(move |e: Event| open(&e)),
        error: Closure::new(move |e: Event| error(&e)),
        named: Closure::new(move |e: MessageEvent| named(&e)),
    }
}

impl Shell {
    fn conn_of(&self, e: &Event) -> Option<u32> {
        let target = e.target()?;
        self.streams
            .iter()
            .find(|(_, es)| js_sys::Object::is(es, &target))
            .map(|(c, _)| *c)
    }

    /// Carries out one output; returns an input when the browser refused at once.
    fn perform(&mut self, out: MeetingOutput) -> Option<MeetingInput> {
        match out {
            MeetingOutput::Request(call) => {
                self.request(call);
                None
            }
            MeetingOutput::OpenStream {
                conn,
                url,
                logged_url,
            } => {
                self.journal.log(
                    Source::Meeting,
                    Kind::Sent,
                    format!("GET {logged_url} (EventSource)"),
                );
                match EventSource::new(&url) {
                    Ok(es) => {
                        if let Some(h) = &self.handlers {
                            es.set_onopen(Some(h.open.as_ref().unchecked_ref()));
                            es.set_onerror(Some(h.error.as_ref().unchecked_ref()));
                            for name in EVENT_NAMES {
                                let _ = es.add_event_listener_with_callback(
                                    name,
                                    h.named.as_ref().unchecked_ref(),
                                );
                            }
                        }
                        self.streams.push((conn, es));
                        None
                    }
                    Err(e) => {
                        self.journal.log(
                            Source::Meeting,
                            Kind::Error,
                            format!("EventSource {logged_url}: {e:?}"),
                        );
                        Some(MeetingInput::StreamFailed { conn })
                    }
                }
            }
            MeetingOutput::CloseStream { conn } => {
                self.close_stream(conn);
                None
            }
            MeetingOutput::Note(note) => {
                self.note(note);
                None
            }
        }
    }

    fn close_stream(&mut self, conn: u32) {
        let handlers = self.handlers.as_ref();
        self.streams.retain(|(c, es)| {
            if *c == conn {
                // Listeners off first, so closing reports nothing.
                es.set_onopen(None);
                es.set_onerror(None);
                if let Some(h) = handlers {
                    for name in EVENT_NAMES {
                        let _ = es.remove_event_listener_with_callback(
                            name,
                            h.named.as_ref().unchecked_ref(),
                        );
                    }
                }
                es.close();
            }
            *c != conn
        });
    }

    /// Sends a request; its answer comes back to the machine under its id.
    fn request(&self, call: HttpCall) {
        let HttpCall {
            id,
            method,
            url,
            logged_url,
            headers,
            body,
        } = call;
        let req = HttpRequest {
            method: match method {
                Method::Get => HttpMethod::GET,
                Method::Post => HttpMethod::POST,
            },
            url,
            logged_url,
            headers,
            body: body.map_or(Body::None, Body::Json),
        };
        let journal = self.journal;
        let weak = self.weak.clone();
        leptos::task::spawn_local(async move {
            let outcome = http::send_redacted(req, journal, Source::Meeting, redact)
                .await
                .map(|r| HttpAnswer {
                    status: r.status,
                    text: r.text,
                });
            if let Some(rc) = weak.upgrade() {
                feed(&rc, MeetingInput::Reply { id, outcome });
            }
        });
    }

    fn note(&self, note: MeetingNote) {
        match note {
            MeetingNote::LinkChanged(link) => {
                let (key, detail) = match &link {
                    MeetingLink::Idle => (Key::LightIdle, String::new()),
                    MeetingLink::Joining => (Key::LightConnecting, String::new()),
                    MeetingLink::Online => (Key::LightOnline, String::new()),
                    MeetingLink::Reconnecting { attempt, retry_at } => (
                        Key::LightReconnecting,
                        format!(" #{attempt} +{} ms", retry_at.saturating_sub(now_ms())),
                    ),
                    MeetingLink::Unreachable { attempt, retry_at } => (
                        Key::LightUnreachable,
                        format!(" #{attempt} +{} ms", retry_at.saturating_sub(now_ms())),
                    ),
                    MeetingLink::Refused { message } => (Key::LightRefused, format!(" {message}")),
                };
                self.journal.note(Source::Meeting, Kind::Info, key, detail);
            }
            MeetingNote::Undecodable { name, reason } => self.journal.log(
                Source::Meeting,
                Kind::Error,
                format!("skipped an event ({name}): {reason}"),
            ),
            MeetingNote::Info(text) => self.journal.log(Source::Meeting, Kind::Info, text),
        }
    }

    fn publish(&self) {
        let m = &self.machine;
        let next = MeetingView {
            link: m.link().clone(),
            conference: m.conference().clone(),
            notice: m.notice().cloned(),
            me: m.me().map(str::to_owned),
            role: m.role(),
            account: m.account().map(str::to_owned),
        };
        let changed = self.view.try_with_untracked(|v| *v != next);
        if changed == Some(true) {
            if let Some(light) = self.light {
                let l = light_of(&next.link);
                if light.try_get_untracked() != Some(l) {
                    light.try_set(l);
                }
            }
            self.view.try_set(next);
        }
    }
}

impl Drop for Shell {
    /// The panel went away: close the streams and end the session.
    fn drop(&mut self) {
        self.machine.handle(now_ms(), MeetingInput::Leave);
        while let Some(out) = self.machine.poll_output() {
            if matches!(
                out,
                MeetingOutput::Request(_) | MeetingOutput::CloseStream { .. }
            ) {
                self.perform(out);
            }
        }
        let conns: Vec<u32> = self.streams.iter().map(|(c, _)| *c).collect();
        for conn in conns {
            self.close_stream(conn);
        }
    }
}

/// Drains the machine's outputs, feeding back what the browser refused at
/// once, publishes the view, then points the timer at the next deadline.
fn pump(rc: &Rc<RefCell<Shell>>) {
    let mut shell = rc.borrow_mut();
    while let Some(out) = shell.machine.poll_output() {
        if let Some(input) = shell.perform(out) {
            shell.machine.handle(now_ms(), input);
        }
    }
    shell.publish();
    let next = shell.machine.poll_timeout();
    if let Some(timer) = shell.timer.as_mut() {
        match next {
            Some(at) => timer.set(at.saturating_sub(now_ms())),
            None => timer.cancel(),
        }
    }
}
