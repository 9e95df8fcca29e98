//! The meeting shell: the event streams (EventSource) and the REST requests
//! of `proto::meeting::machine::MeetingMachine`, under the driver.
//! Components call [`Meeting::join`], [`Meeting::command`] and friends and
//! read [`Meeting::view`]; they never see a stream or a token.

use super::driver::{Driver, Feed, Handles, Shell};
use super::http;
use crate::journal::{Journal, Kind, Source};
use leptos::prelude::*;
use proto::machine::Output;
use proto::meeting::machine::{
    redact, MeetingInput, MeetingMachine, MeetingNote, MeetingSend, MeetingView, EVENT_NAMES,
};
use proto::meeting::{Command, Deployment};
use wasm_bindgen::prelude::*;
use web_sys::{Event, EventSource, MessageEvent};

/// The meeting shell's handle, cheap to copy into components.
#[derive(Clone, Copy)]
pub struct Meeting {
    driver: Driver<Streams>,
    deployment: Deployment,
    journal: Journal,
}

impl Meeting {
    /// `api_server`: the absolute address of checkJoin's server.
    pub fn new(api_server: String, deployment: Deployment, journal: Journal) -> Self {
        let scheme = web_sys::window()
            .and_then(|w| w.location().protocol().ok())
            .map(|p| p.trim_end_matches(':').to_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "https".to_owned());
        let machine = MeetingMachine::new(api_server, scheme, deployment);
        let driver = Driver::new(machine, |feed| Streams {
            streams: Handles::new(),
            handlers: handlers(feed.clone()),
            feed,
            journal,
        });
        Self {
            driver,
            deployment,
            journal,
        }
    }

    pub fn view(&self) -> ReadSignal<MeetingView> {
        self.driver.view()
    }

    pub fn deployment(&self) -> Deployment {
        self.deployment
    }

    /// Whether the configured cloud has `cmd` (else the machine refuses it locally).
    pub fn supports(&self, cmd: &Command) -> bool {
        cmd.supported_on(self.deployment)
    }

    pub fn join(&self, account: String, pin: String, name: String) {
        self.journal.remember_secret(&pin);
        self.driver.input(MeetingInput::Join { account, pin, name });
    }

    pub fn leave(&self) {
        self.driver.input(MeetingInput::Leave);
    }

    pub fn command(&self, cmd: Command) {
        self.driver.input(MeetingInput::Command(cmd));
    }

    pub fn dismiss(&self) {
        self.driver.input(MeetingInput::DismissNotice);
    }
}

struct Streams {
    streams: Handles<EventSource>,
    handlers: Handlers,
    feed: Feed<Streams>,
    journal: Journal,
}

/// One set of stream callbacks for every stream of the shell; each event
/// names its stream through `event.target`.
struct Handlers {
    open: Closure<dyn FnMut(Event)>,
    error: Closure<dyn FnMut(Event)>,
    named: Closure<dyn FnMut(MessageEvent)>,
}

/// What a stream reported, before its number is known.
enum Reported {
    Opened,
    Failed,
    Named { name: String, data: String },
}

fn handlers(feed: Feed<Streams>) -> Handlers {
    let on = |feed: Feed<Streams>, make: fn(&Event) -> Option<Reported>| {
        move |e: &Event| {
            if let Some(r) = make(e) {
                feed.report(e, r);
            }
        }
    };
    let open = on(feed.clone(), |_| Some(Reported::Opened));
    let error = on(feed.clone(), |_| Some(Reported::Failed));
    let named = on(feed, |e| {
        let data = e.dyn_ref::<MessageEvent>()?.data().as_string();
        Some(Reported::Named {
            name: e.type_(),
            data: data.unwrap_or_default(),
        })
    });
    Handlers {
        open: Closure::new(move |e: Event| open(&e)),
        error: Closure::new(move |e: Event| error(&e)),
        named: Closure::new(move |e: MessageEvent| named(&e)),
    }
}

impl Feed<Streams> {
    fn report(&self, e: &Event, r: Reported) {
        self.input_with(|s: &Streams| {
            let conn = s.streams.conn_of(e)?;
            Some(match r {
                Reported::Opened => MeetingInput::StreamOpened { conn },
                Reported::Failed => {
                    s.journal.log(
                        Source::Meeting,
                        Kind::Error,
                        "event stream: closed or failed",
                    );
                    MeetingInput::StreamFailed { conn }
                }
                Reported::Named { name, data } => {
                    s.journal
                        .log(Source::Meeting, Kind::Received, format!("{name} {data}"));
                    MeetingInput::StreamEvent { conn, name, data }
                }
            })
        });
    }
}

impl Shell for Streams {
    type M = MeetingMachine;

    fn perform(&mut self, send: MeetingSend) -> Option<MeetingInput> {
        match send {
            MeetingSend::Request(req) => {
                let feed = self.feed.clone();
                http::start(req, "", self.journal, Source::Meeting, redact, move |r| {
                    feed.input(MeetingInput::Reply(r))
                })
                .map(MeetingInput::Reply)
            }
            MeetingSend::OpenStream {
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
                        let h = &self.handlers;
                        es.set_onopen(Some(h.open.as_ref().unchecked_ref()));
                        es.set_onerror(Some(h.error.as_ref().unchecked_ref()));
                        for name in EVENT_NAMES {
                            let _ = es.add_event_listener_with_callback(
                                name,
                                h.named.as_ref().unchecked_ref(),
                            );
                        }
                        self.streams.add(conn, es);
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
            MeetingSend::CloseStream { conn } => {
                self.close(|c| c == conn);
                None
            }
        }
    }

    fn event(&mut self, note: MeetingNote) {
        let j = self.journal;
        match note {
            MeetingNote::LinkChanged(link) => {
                let (phrase, detail) = super::notes::meeting_link(&link);
                j.note(Source::Meeting, Kind::Info, phrase, detail);
            }
            MeetingNote::Undecodable { name, reason } => j.log(
                Source::Meeting,
                Kind::Error,
                format!("skipped an event ({name}): {reason}"),
            ),
            MeetingNote::Info(text) => j.log(Source::Meeting, Kind::Info, text),
            MeetingNote::NewToken(token) => j.remember_secret(&token),
        }
    }

    /// The panel went away: end the session (its request outlives us) and
    /// close the streams.
    fn shutdown(&mut self, machine: &mut MeetingMachine) {
        use proto::machine::Machine;
        machine.handle(crate::time::now_ms(), MeetingInput::Leave);
        while let Some(out) = machine.poll_output() {
            if let Output::Send(send @ MeetingSend::Request(_)) = out {
                self.perform(send);
            }
        }
        self.close(|_| true);
    }
}

impl Streams {
    /// Closes the streams `which` names, listeners off first so closing
    /// reports nothing.
    fn close(&mut self, which: impl Fn(u32) -> bool) {
        let h = &self.handlers;
        self.streams.remove(which, |es| {
            es.set_onopen(None);
            es.set_onerror(None);
            for name in EVENT_NAMES {
                let _ =
                    es.remove_event_listener_with_callback(name, h.named.as_ref().unchecked_ref());
            }
            es.close();
        });
    }
}
