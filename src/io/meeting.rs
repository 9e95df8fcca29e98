//! The meeting shell: the event streams (EventSource) and the REST requests
//! of `proto::meeting::machine::MeetingMachine`, under the driver.
//! Components call [`Meeting::join`], [`Meeting::command`] and friends and
//! read [`Meeting::view`]; they never see a stream or a token.

use super::driver::{Driver, Feed, Handles, Shell};
use crate::journal::{Journal, Kind, Source};
use crate::reactive::{ReadSignal, RwSignal};
use proto::machine::Output;
use proto::meeting::machine::{
    redact, MeetingInput, MeetingMachine, MeetingNote, MeetingSend, MeetingView, EVENT_NAMES,
};
use proto::meeting::{Command, Deployment};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Event, EventSource, MessageEvent};

/// The meeting shell's handle, cheap to copy into components.
#[derive(Clone, Copy)]
pub struct Meeting {
    driver: Driver<Streams>,
    deployment: Deployment,
    journal: Journal,
    frame: RwSignal<Option<String>>,
}

impl Meeting {
    /// `api_server`: the absolute address of checkJoin's server;
    /// `stream_silent_secs`: the event stream's silence limit, if not the default.
    pub fn new(
        api_server: String,
        deployment: Deployment,
        stream_silent_secs: Option<u64>,
        journal: Journal,
    ) -> Self {
        let scheme = web_sys::window()
            .and_then(|w| w.location().protocol().ok())
            .map(|p| p.trim_end_matches(':').to_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "https".to_owned());
        let mut machine = MeetingMachine::new(api_server, scheme, deployment);
        if let Some(secs) = stream_silent_secs {
            machine.set_stream_silent_ms(secs.saturating_mul(1_000));
        }
        let frame = RwSignal::new(None);
        let driver = Driver::new(machine, |feed| Streams {
            streams: Handles::new(),
            handlers: handlers(feed.clone()),
            unload: on_unload(feed.clone()),
            frame,
            frame_generation: Rc::new(Cell::new(0)),
            synced: Cell::new(None),
            feed,
            journal,
        });
        Self {
            driver,
            deployment,
            journal,
            frame,
        }
    }

    /// The newest presentation frame, as an object URL for an `<img>`.
    pub fn frame(&self) -> ReadSignal<Option<String>> {
        self.frame.read_only()
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
    /// `pagehide` on the window: closing the tab leaves the meeting.
    unload: Closure<dyn FnMut()>,
    /// The object URL of the frame shown; revoked when replaced.
    frame: RwSignal<Option<String>>,
    /// Moves on at each clear, so a fetch that ends after it shows nothing.
    frame_generation: Rc<Cell<u32>>,
    /// Participants in the participant_sync under way: a snapshot is
    /// journaled as one line with its count, not one line a participant
    /// (a thousand of them would push everything else out of the journal).
    synced: Cell<Option<u32>>,
    feed: Feed<Streams>,
    journal: Journal,
}

/// The page is going away (tab closed, navigated off): leave, so the
/// session ends now rather than lingering on the roster until its token
/// dies. The end_session goes out as a [`MeetingSend::Farewell`], which
/// outlives the page.
fn on_unload(feed: Feed<Streams>) -> Closure<dyn FnMut()> {
    let f: Closure<dyn FnMut()> = Closure::new(move || feed.input(MeetingInput::Leave));
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback(UNLOAD_EVENT, f.as_ref().unchecked_ref());
    }
    f
}

const UNLOAD_EVENT: &str = "pagehide";

/// Sends `req` with `keepalive`, so the browser finishes it after the page
/// is gone. `navigator.sendBeacon` would be the other way, but it cannot
/// carry the `token` header end_session needs. Its reply is not awaited.
fn send_keepalive(req: &proto::rest::Request, journal: Journal) {
    let line = format!("{} {} (keepalive)", req.method.as_str(), req.logged_url);
    journal.log(Source::Meeting, Kind::Sent, line.clone());
    let sent = (|| {
        let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
        let init = web_sys::RequestInit::new();
        init.set_method(req.method.as_str());
        let headers = js_sys::Object::new();
        for (k, v) in &req.headers {
            proto::url::header_value(v).map_err(|e| JsValue::from_str(&e.to_string()))?;
            js_sys::Reflect::set(&headers, &k.into(), &v.into())?;
        }
        if let proto::rest::Body::Json(text) = &req.body {
            js_sys::Reflect::set(&headers, &"Content-Type".into(), &"application/json".into())?;
            init.set_body(&text.into());
        }
        init.set_headers(&headers);
        // Not in web-sys's RequestInit yet; the browser reads it all the same.
        js_sys::Reflect::set(&init, &"keepalive".into(), &true.into())?;
        // The promise settles after we may be gone; nothing waits for it.
        let _ = window.fetch_with_str_and_init(&req.url, &init);
        Ok::<_, JsValue>(())
    })();
    if let Err(e) = sent {
        journal.log(Source::Meeting, Kind::Error, format!("{line}: {e:?}"));
    }
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
                Reported::Opened => {
                    s.synced.set(None);
                    MeetingInput::StreamOpened { conn }
                }
                Reported::Failed => {
                    s.synced.set(None);
                    s.journal.log(
                        Source::Meeting,
                        Kind::Error,
                        "event stream: closed or failed",
                    );
                    MeetingInput::StreamFailed { conn }
                }
                Reported::Named { name, data } => {
                    let line = match (name.as_str(), s.synced.get()) {
                        ("participant_sync_begin", _) => {
                            s.synced.set(Some(0));
                            Some(name.clone())
                        }
                        ("participant_sync_end", n) => {
                            s.synced.set(None);
                            Some(format!("{name} ({})", n.unwrap_or(0)))
                        }
                        ("participant_create" | "participant_update", Some(n)) => {
                            s.synced.set(Some(n.saturating_add(1)));
                            None
                        }
                        _ => Some(format!("{name} {data}")),
                    };
                    if let Some(line) = line {
                        s.journal.log(Source::Meeting, Kind::Received, line);
                    }
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
            MeetingSend::Request(req) => self.feed.request(
                req,
                "",
                self.journal,
                Source::Meeting,
                redact,
                MeetingInput::Reply,
            ),
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
            MeetingSend::Farewell(req) => {
                send_keepalive(&req, self.journal);
                None
            }
            MeetingSend::FetchFrame(req) => {
                self.fetch_frame(req);
                None
            }
            MeetingSend::ClearFrame => {
                self.frame_generation
                    .set(self.frame_generation.get().wrapping_add(1));
                show_frame(self.frame, None);
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
            if let Output::Send(send @ MeetingSend::Farewell(_)) = out {
                self.perform(send);
            }
        }
        self.close(|_| true);
        show_frame(self.frame, None);
        if let Some(w) = web_sys::window() {
            let f = self.unload.as_ref().unchecked_ref();
            let _ = w.remove_event_listener_with_callback(UNLOAD_EVENT, f);
        }
    }
}

/// Puts `url` on screen in place of the last frame, whose URL is revoked.
fn show_frame(frame: RwSignal<Option<String>>, url: Option<String>) {
    if let Some(Some(old)) = frame.try_get_untracked() {
        let _ = web_sys::Url::revoke_object_url(&old);
    }
    frame.try_set(url);
}

/// presentation.jpeg's bytes as an object URL.
async fn frame_url(req: proto::rest::Request) -> Result<String, String> {
    let mut builder = gloo_net::http::Request::get(&req.url);
    for (k, v) in &req.headers {
        proto::url::header_value(v).map_err(|e| format!("{k}: {e}"))?;
        builder = builder.header(k, v);
    }
    let resp = builder.send().await.map_err(|e| e.to_string())?;
    if !resp.ok() {
        return Err(format!("HTTP {}", resp.status()));
    }
    let bytes = resp.binary().await.map_err(|e| e.to_string())?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))
}

impl Streams {
    fn fetch_frame(&self, req: proto::rest::Request) {
        let (feed, frame, journal) = (self.feed.clone(), self.frame, self.journal);
        let generation = self.frame_generation.clone();
        let started = generation.get();
        journal.log(
            Source::Meeting,
            Kind::Sent,
            format!("GET {}", req.logged_url),
        );
        leptos::task::spawn_local(async move {
            match frame_url(req).await {
                Ok(url) if generation.get() == started => show_frame(frame, Some(url)),
                // The presentation stopped meanwhile.
                Ok(url) => {
                    let _ = web_sys::Url::revoke_object_url(&url);
                }
                Err(e) => journal.log(
                    Source::Meeting,
                    Kind::Error,
                    format!("presentation.jpeg: {e}"),
                ),
            }
            feed.input(MeetingInput::FrameFetched);
        });
    }

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
