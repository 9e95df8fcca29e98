//! The voice shell: the plugin WebSocket under the driver. It opens, closes
//! and writes sockets as `proto::voice::VoiceMachine` asks, journals the
//! traffic, and feeds back what the sockets report. Components call
//! [`VoiceLink::login`] and friends and read [`VoiceLink::view`].

use super::audio::AudioPort;
use super::driver::{Driver, Feed, Handles, Shell};
use crate::journal::{Journal, Kind, Source};
use crate::reactive::{Memo, ReadSignal, StoredValue};
use proto::id::BigId;
use proto::voice::{
    PttCommand, PttState, TerminalId, VoiceEvent, VoiceInput, VoiceMachine, VoiceSend, VoiceView,
};
use wasm_bindgen::prelude::*;
use web_sys::{CloseEvent, Event, MessageEvent, WebSocket};

#[derive(Clone, Copy)]
pub struct VoiceLink {
    driver: Driver<Sockets>,
    ptt: Memo<PttState>,
    journal: Journal,
    /// Push-to-talk audio frames on the same socket (docs/audio.md).
    audio: StoredValue<AudioPort>,
}

impl VoiceLink {
    /// `plugin_url` is the resolved ws(s):// address; `server_base_url` is what
    /// initServer tells the plugin.
    pub fn new(plugin_url: String, server_base_url: String, journal: Journal) -> Self {
        let audio = AudioPort::default();
        let port = audio.clone();
        let driver = Driver::new(VoiceMachine::new(server_base_url), |feed| Sockets {
            url: plugin_url,
            sockets: Handles::new(),
            handlers: handlers(feed, port.clone()),
            journal,
            audio: port,
        });
        let view = driver.view();
        Self {
            driver,
            ptt: Memo::new(move |_| view.with(|v| v.ptt.clone())),
            journal,
            audio: StoredValue::new(audio),
        }
    }

    /// Where audio frames are written and read.
    pub fn audio_port(&self) -> AudioPort {
        self.audio.get_value()
    }

    pub fn view(&self) -> ReadSignal<VoiceView> {
        self.driver.view()
    }

    /// The group call, floor and last refusal.
    pub fn ptt(&self) -> Memo<PttState> {
        self.ptt
    }

    pub fn login(&self, account: String, password: String) {
        self.journal.remember_secret(&password);
        self.driver.input(VoiceInput::Login { account, password });
    }

    pub fn logout(&self) {
        self.driver.input(VoiceInput::Logout);
    }

    /// Creates a temporary group call with `to_ids`; the floor it grants is
    /// given back at once (the talk key is not held).
    pub fn start_call(&self, to_ids: Vec<TerminalId>) {
        self.ptt_command(PttCommand::StartCall { to_ids });
    }

    /// The talk key went down: the floor in the selected call, or a new call
    /// with `to_ids` and the floor in one gesture.
    pub fn key_down(&self, to_ids: Vec<TerminalId>) {
        self.ptt_command(PttCommand::TalkKeyDown { to_ids });
    }

    /// The talk key came up: the floor goes back.
    pub fn key_up(&self) {
        self.ptt_command(PttCommand::TalkKeyUp);
    }

    /// Chooses the call the talk key speaks in.
    pub fn select(&self, session: BigId) {
        self.ptt_command(PttCommand::Select { session });
    }

    /// Adds terminals to the selected call.
    pub fn add_members(&self, ids: Vec<TerminalId>) {
        self.ptt_command(PttCommand::AddMembers { ids });
    }

    /// Removes terminals from the selected call.
    pub fn kick(&self, ids: Vec<TerminalId>) {
        self.ptt_command(PttCommand::KickMembers { ids });
    }

    /// Ends one call; the others go on.
    pub fn hang_up(&self, session: BigId) {
        self.ptt_command(PttCommand::HangUp { session });
    }

    fn ptt_command(&self, cmd: PttCommand) {
        self.driver.input(VoiceInput::Ptt(cmd));
    }
}

struct Sockets {
    url: String,
    sockets: Handles<WebSocket>,
    handlers: Handlers,
    journal: Journal,
    audio: AudioPort,
}

/// One set of socket callbacks for every socket of the shell; each event
/// names its socket through `event.target`, and the shell looks up its number.
struct Handlers {
    open: Closure<dyn FnMut(Event)>,
    message: Closure<dyn FnMut(MessageEvent)>,
    close: Closure<dyn FnMut(CloseEvent)>,
}

fn handlers(feed: Feed<Sockets>, audio: AudioPort) -> Handlers {
    let on = |feed: Feed<Sockets>, make: fn(&Event) -> Option<Reported>| {
        move |e: &Event| {
            if let Some(r) = make(e) {
                feed.report(e, r);
            }
        }
    };
    let open = on(feed.clone(), |_| Some(Reported::Opened));
    let message = on(feed.clone(), |e| {
        let text = e.dyn_ref::<MessageEvent>()?.data().as_string()?;
        Some(Reported::Text(text))
    });
    let close = on(feed, |_| Some(Reported::Closed));
    Handlers {
        open: Closure::new(move |e: Event| open(&e)),
        message: Closure::new(move |e: MessageEvent| {
            if !audio.take_binary(&e) {
                message(&e)
            }
        }),
        close: Closure::new(move |e: CloseEvent| close(&e)),
    }
}

/// What a socket reported, before its number is known.
enum Reported {
    Opened,
    Text(String),
    Closed,
}

impl Feed<Sockets> {
    fn report(&self, e: &Event, r: Reported) {
        self.input_with(|sockets: &Sockets| {
            let conn = sockets.sockets.conn_of(e)?;
            Some(match r {
                Reported::Opened => VoiceInput::SocketOpened { conn },
                Reported::Text(text) => {
                    sockets
                        .journal
                        .log(Source::Voice, Kind::Received, text.clone());
                    VoiceInput::Text { conn, text }
                }
                Reported::Closed => VoiceInput::SocketClosed { conn },
            })
        });
    }
}

impl Shell for Sockets {
    type M = VoiceMachine;

    fn perform(&mut self, send: VoiceSend) -> Option<VoiceInput> {
        match send {
            VoiceSend::Open { conn } => match WebSocket::new(&self.url) {
                Ok(ws) => {
                    let h = &self.handlers;
                    ws.set_onopen(Some(h.open.as_ref().unchecked_ref()));
                    ws.set_onmessage(Some(h.message.as_ref().unchecked_ref()));
                    ws.set_onclose(Some(h.close.as_ref().unchecked_ref()));
                    self.audio.attach(&ws);
                    self.sockets.add(conn, ws);
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
            VoiceSend::Close { conn } => {
                self.close(|c| c == conn);
                None
            }
            VoiceSend::Text { conn, text, logged } => {
                let sent = self.sockets.get(conn).map(|ws| ws.send_with_str(&text));
                if let Some(Ok(())) = sent {
                    self.journal.log(Source::Voice, Kind::Sent, logged);
                    None
                } else {
                    self.journal
                        .log(Source::Voice, Kind::Error, format!("not sent: {logged}"));
                    Some(VoiceInput::SocketClosed { conn })
                }
            }
        }
    }

    fn event(&mut self, event: VoiceEvent) {
        match event {
            VoiceEvent::LinkChanged(link) => {
                let (phrase, detail) = super::notes::voice_link(&link);
                self.journal.note(Source::Voice, Kind::Info, phrase, detail);
            }
            VoiceEvent::Undecodable { reason, .. } => self.journal.log(
                Source::Voice,
                Kind::Error,
                format!("skipped a message: {reason}"),
            ),
            // The machine folds what the group call needs into its view.
            VoiceEvent::Message(_) => {}
        }
    }

    fn shutdown(&mut self, _machine: &mut VoiceMachine) {
        self.close(|_| true);
    }
}

impl Sockets {
    /// Closes the sockets `which` names, their listeners off first so
    /// closing reports nothing.
    fn close(&mut self, which: impl Fn(u32) -> bool) {
        let audio = &self.audio;
        self.sockets.remove(which, |ws| {
            audio.detach(ws);
            ws.set_onopen(None);
            ws.set_onmessage(None);
            ws.set_onclose(None);
            let _ = ws.close();
        });
    }
}
