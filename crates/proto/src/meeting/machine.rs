//! The meeting seen from the host's seat, as a sans-IO machine: join
//! (checkJoin → `mcuHost` → new_session), keep the token fresh
//! (refresh_session at two thirds of `expires`, retried with back-off, a new
//! session when the token is refused), keep the event stream open (reopened
//! with back-off after a probe of `service_status`, the participant list
//! re-synced), hold the conference state the events describe, send the host's
//! commands, and leave (end_session, its reply ignored).
//!
//! The shell does the I/O: it carries out [`MeetingOutput::Request`]s and
//! answers each with [`MeetingInput::Reply`] under the same id, opens and
//! closes EventSources numbered like the voice machine's sockets (inputs from
//! an older stream are ignored), and sleeps until [`MeetingMachine::poll_timeout`].
//! Each session gets an epoch; a reply from an older epoch is ignored, so a
//! late answer never undoes a leave or a re-join.

use super::{
    decode_check_join, decode_event, decode_reply, events_path, ChatMessage, CheckJoin, Command,
    Deployment, Layout, MeetingEvent, Method, NewSession, NewSessionResult, Participant,
    PresentationStart, RefreshResult, Reply, Role, ServiceStatus,
};
use crate::backoff::Backoff;
use serde_json::Value;
use std::collections::{HashSet, VecDeque};

/// How long an event stream may take to open before it counts as failed.
pub const STREAM_OPEN_TIMEOUT_MS: u64 = 10_000;
/// Chat messages kept for the panel.
pub const MAX_MESSAGES: usize = 200;
/// Every event name of the stream, lower case as on the wire: the shell
/// listens for each, since named events never reach `onmessage`.
pub const EVENT_NAMES: &[&str] = &[
    "presentation_start",
    "presentation_stop",
    "presentation_frame",
    "participant_create",
    "participant_update",
    "participant_delete",
    "participant_sync_begin",
    "participant_sync_end",
    "service_update",
    "layout",
    "message",
    "stage",
    "call_disconnected",
    "disconnect",
];
/// What stands for a secret in logged text.
pub const MASK: &str = "***";

/// The state of the meeting link, as the status light shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingLink {
    /// Not joined, by choice (or never).
    Idle,
    /// First join under way.
    Joining,
    /// Session and event stream up.
    Online,
    /// Something dropped (stream, token); the next attempt is due at `retry_at` (ms).
    Reconnecting { attempt: u32, retry_at: u64 },
    /// The server could not be reached (no reply, or HTTP 5xx); retrying at `retry_at`.
    Unreachable { attempt: u32, retry_at: u64 },
    /// checkJoin or new_session said no; the message is the server's own.
    /// No retry until the dispatcher joins again.
    Refused { message: String },
}

impl MeetingLink {
    /// Joined or trying to be.
    pub fn is_active(&self) -> bool {
        !matches!(self, Self::Idle | Self::Refused { .. })
    }
}

/// Something for the dispatcher to read about the last action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A command while not joined.
    NotJoined,
    /// The configured cloud lacks this command; nothing was sent.
    Unsupported { command: &'static str },
    /// The server refused (its own message) or no reply came.
    Failed {
        command: &'static str,
        message: String,
    },
    /// The cloud put this console out of the meeting.
    Disconnected { reason: String },
}

/// The conference as the events describe it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConferenceState {
    /// In order of arrival.
    pub participants: Vec<Participant>,
    /// Uuids speaking now (stage `vad` above 0).
    pub speaking: Vec<String>,
    pub locked: bool,
    pub guests_muted: bool,
    pub layout: Option<Layout>,
    pub presentation: Option<PresentationStart>,
    /// presentation_frame events seen since the presentation started.
    pub frames: u64,
    /// Oldest first, at most [`MAX_MESSAGES`].
    pub messages: Vec<ChatMessage>,
}

impl ConferenceState {
    pub fn participant(&self, uuid: &str) -> Option<&Participant> {
        self.participants.iter().find(|p| p.uuid == uuid)
    }

    pub fn is_speaking(&self, uuid: &str) -> bool {
        self.speaking.iter().any(|u| u == uuid)
    }

    /// Adds the participant, or updates the one with its uuid: fields the
    /// update leaves out (or sends as `null`) keep their value.
    fn upsert(&mut self, p: Participant) {
        match self.participants.iter_mut().find(|o| o.uuid == p.uuid) {
            Some(old) => *old = merge(old, p),
            None => self.participants.push(p),
        }
    }

    fn remove(&mut self, uuid: &str) {
        self.participants.retain(|p| p.uuid != uuid);
        self.speaking.retain(|u| u != uuid);
    }
}

fn merge(old: &Participant, new: Participant) -> Participant {
    let (Ok(Value::Object(mut base)), Ok(Value::Object(update))) =
        (serde_json::to_value(old), serde_json::to_value(&new))
    else {
        return new;
    };
    for (k, v) in update {
        if !v.is_null() {
            base.insert(k, v);
        }
    }
    serde_json::from_value(Value::Object(base)).unwrap_or(new)
}

/// What the shell hands back for a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    pub status: u16,
    pub text: String,
}

/// A request for the shell to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpCall {
    pub id: u32,
    pub method: Method,
    pub url: String,
    /// The URL as the journal may show it.
    pub logged_url: String,
    /// `token` or `pin` when needed; never logged.
    pub headers: Vec<(String, String)>,
    /// JSON text.
    pub body: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingInput {
    Join {
        /// The conference: short number or address.
        account: String,
        /// The host (or guest) password: checkJoin's joinPwd and new_session's pin.
        pin: String,
        /// The name the others see.
        name: String,
    },
    Leave,
    Command(Command),
    /// The answer to request `id`; `Err` when no reply came (network, timeout).
    Reply {
        id: u32,
        outcome: Result<HttpAnswer, String>,
    },
    StreamOpened {
        conn: u32,
    },
    StreamEvent {
        conn: u32,
        name: String,
        data: String,
    },
    /// The stream failed or ended (EventSource `error`).
    StreamFailed {
        conn: u32,
    },
    DismissNotice,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingNote {
    LinkChanged(MeetingLink),
    /// An event that could not be used; logged and skipped.
    Undecodable {
        name: String,
        reason: String,
    },
    /// Something worth a journal line that changes no state shown elsewhere.
    Info(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingOutput {
    Request(HttpCall),
    /// Open an EventSource on `url` numbered `conn`; `logged_url` has the token masked.
    OpenStream {
        conn: u32,
        url: String,
        logged_url: String,
    },
    CloseStream {
        conn: u32,
    },
    Note(MeetingNote),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    CheckJoin,
    NewSession,
    Refresh,
    /// service_status before (re)opening the stream: proves the token and
    /// re-syncs locked / guests_muted.
    Probe,
    Participants {
        conn: u32,
    },
    Command {
        name: &'static str,
    },
    EndSession,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    CheckJoin,
    NewSession,
    Probe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Closed,
    Opening { deadline: u64 },
    Open,
}

#[derive(Debug, Clone)]
struct JoinDetails {
    account: String,
    pin: String,
    name: String,
}

#[derive(Debug, Clone)]
struct Session {
    token: String,
    expires_at: u64,
    uuid: String,
    role: Role,
}

/// How a reply came back.
enum Outcome {
    /// No reply, or HTTP 5xx without a meeting reply in it.
    Unreachable(String),
    Answer(HttpAnswer),
}

#[derive(Debug)]
pub struct MeetingMachine {
    api_server: String,
    default_scheme: String,
    deployment: Deployment,
    backoff: Backoff,
    link: MeetingLink,
    join: Option<JoinDetails>,
    node: Option<String>,
    room: String,
    session: Option<Session>,
    epoch: u32,
    next_id: u32,
    pending: Vec<(u32, Purpose, u32)>,
    conn: u32,
    stream: Stream,
    /// Uuids seen since participant_sync_begin on the current stream.
    sync: Option<HashSet<String>>,
    /// A sync came on the current stream: a participants reply is older news.
    synced: bool,
    attempt: u32,
    retry: Option<(u64, Retry)>,
    refresh_at: Option<u64>,
    refresh_attempt: u32,
    refreshing: bool,
    conference: ConferenceState,
    notice: Option<Notice>,
    out: VecDeque<MeetingOutput>,
}

impl MeetingMachine {
    /// `api_server`: absolute base URL of checkJoin (`http://host:port`);
    /// `default_scheme`: for an `mcuHost` without one (the page's, e.g. `http`).
    pub fn new(
        api_server: impl Into<String>,
        default_scheme: impl Into<String>,
        deployment: Deployment,
    ) -> Self {
        Self {
            api_server: api_server.into().trim_end_matches('/').to_owned(),
            default_scheme: default_scheme.into(),
            deployment,
            backoff: Backoff::default(),
            link: MeetingLink::Idle,
            join: None,
            node: None,
            room: String::new(),
            session: None,
            epoch: 0,
            next_id: 0,
            pending: Vec::new(),
            conn: 0,
            stream: Stream::Closed,
            sync: None,
            synced: false,
            attempt: 0,
            retry: None,
            refresh_at: None,
            refresh_attempt: 0,
            refreshing: false,
            conference: ConferenceState::default(),
            notice: None,
            out: VecDeque::new(),
        }
    }

    pub fn link(&self) -> &MeetingLink {
        &self.link
    }

    pub fn conference(&self) -> &ConferenceState {
        &self.conference
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn deployment(&self) -> Deployment {
        self.deployment
    }

    /// Whether the configured cloud has `cmd`.
    pub fn supports(&self, cmd: &Command) -> bool {
        cmd.supported_on(self.deployment)
    }

    /// This console's own participant uuid, while it has a session.
    pub fn me(&self) -> Option<&str> {
        self.session.as_ref().map(|s| s.uuid.as_str())
    }

    pub fn role(&self) -> Option<Role> {
        self.session.as_ref().map(|s| s.role)
    }

    /// The conference joined (or being joined), as typed.
    pub fn account(&self) -> Option<&str> {
        self.join.as_ref().map(|j| j.account.as_str())
    }

    /// When the current token expires (ms), for tests and the journal.
    pub fn token_expires_at(&self) -> Option<u64> {
        self.session.as_ref().map(|s| s.expires_at)
    }

    pub fn poll_output(&mut self) -> Option<MeetingOutput> {
        self.out.pop_front()
    }

    /// When the machine next needs [`handle_timeout`](Self::handle_timeout).
    pub fn poll_timeout(&self) -> Option<u64> {
        let stream = match self.stream {
            Stream::Opening { deadline } => Some(deadline),
            _ => None,
        };
        let refresh = self.refresh_at.filter(|_| !self.refreshing);
        [self.retry.map(|(at, _)| at), refresh, stream]
            .into_iter()
            .flatten()
            .min()
    }

    pub fn handle(&mut self, now: u64, input: MeetingInput) {
        match input {
            MeetingInput::Join { account, pin, name } => self.join(now, account, pin, name),
            MeetingInput::Leave => self.leave(),
            MeetingInput::Command(cmd) => self.command(cmd),
            MeetingInput::Reply { id, outcome } => self.reply(now, id, outcome),
            MeetingInput::StreamOpened { conn } => {
                if conn == self.conn && matches!(self.stream, Stream::Opening { .. }) {
                    self.stream = Stream::Open;
                    self.attempt = 0;
                    self.sync = None;
                    self.synced = false;
                    self.set_link(MeetingLink::Online);
                    // In case the stream does not resend the list by itself.
                    self.send_node(
                        Method::Get,
                        Command::Participants,
                        Purpose::Participants { conn },
                    );
                }
            }
            MeetingInput::StreamEvent { conn, name, data } => {
                if conn == self.conn && self.stream != Stream::Closed {
                    self.event(name, data);
                }
            }
            MeetingInput::StreamFailed { conn } => {
                if conn == self.conn && self.stream != Stream::Closed {
                    self.stream_lost(now);
                }
            }
            MeetingInput::DismissNotice => self.notice = None,
        }
    }

    pub fn handle_timeout(&mut self, now: u64) {
        if let Some((at, what)) = self.retry {
            if now >= at {
                self.retry = None;
                match what {
                    Retry::CheckJoin => self.send_check_join(),
                    Retry::NewSession => self.send_new_session(),
                    Retry::Probe => {
                        if self.token_expired(now) {
                            self.rejoin(now);
                        } else {
                            self.send_probe();
                        }
                    }
                }
            }
        }
        if let Some(at) = self.refresh_at {
            if now >= at && !self.refreshing && self.session.is_some() {
                self.refresh_at = None;
                if self.token_expired(now) {
                    self.rejoin(now);
                } else {
                    self.refreshing = true;
                    self.send_node(Method::Post, Command::RefreshSession, Purpose::Refresh);
                }
            }
        }
        if let Stream::Opening { deadline } = self.stream {
            if now >= deadline {
                self.stream_lost(now);
            }
        }
    }

    // ---- joining and leaving ----

    fn join(&mut self, _now: u64, account: String, pin: String, name: String) {
        if self.join.is_some() {
            self.leave();
        }
        self.reset();
        self.join = Some(JoinDetails {
            account: account.trim().to_owned(),
            pin,
            name,
        });
        self.notice = None;
        self.set_link(MeetingLink::Joining);
        self.send_check_join();
    }

    fn leave(&mut self) {
        if self.join.is_none() && self.link == MeetingLink::Idle {
            return;
        }
        self.close_stream();
        if self.session.is_some() {
            // Its reply is to be ignored, and it is: the epoch moves on below.
            self.send_node(Method::Post, Command::EndSession, Purpose::EndSession);
        }
        self.reset();
        self.set_link(MeetingLink::Idle);
    }

    /// Back to nothing: no session, no timers, no stale replies.
    fn reset(&mut self) {
        self.drop_session();
        self.join = None;
        self.node = None;
        self.room.clear();
        self.attempt = 0;
        self.refresh_attempt = 0;
        self.conference = ConferenceState::default();
    }

    /// Forgets the token and everything tied to it: the stream, the timers,
    /// and (by moving the epoch on) any reply still on its way.
    fn drop_session(&mut self) {
        self.close_stream();
        self.epoch = self.epoch.wrapping_add(1);
        self.pending.clear();
        self.session = None;
        self.retry = None;
        self.refresh_at = None;
        self.refreshing = false;
    }

    /// The cloud put us out: no end_session, nothing to retry.
    fn disconnected(&mut self, reason: String) {
        self.reset();
        self.notice = Some(Notice::Disconnected { reason });
        self.set_link(MeetingLink::Idle);
    }

    fn refuse(&mut self, message: String) {
        self.drop_session();
        // Keep the details so the form stays filled, but stop.
        self.set_link(MeetingLink::Refused { message });
    }

    /// The token was refused or has run out: a new session, keeping the node
    /// and the conference state until the stream re-syncs it.
    fn rejoin(&mut self, now: u64) {
        self.drop_session();
        self.refresh_attempt = 0;
        self.attempt = self.attempt.saturating_add(1);
        self.set_link(MeetingLink::Reconnecting {
            attempt: self.attempt,
            retry_at: now,
        });
        self.send_new_session();
    }

    /// Something failed: try `what` again after the back-off.
    fn trouble(&mut self, now: u64, what: Retry, unreachable: bool) {
        self.attempt = self.attempt.saturating_add(1);
        let retry_at = now + self.backoff.delay_ms(self.attempt);
        self.retry = Some((retry_at, what));
        let attempt = self.attempt;
        self.set_link(if unreachable {
            MeetingLink::Unreachable { attempt, retry_at }
        } else {
            MeetingLink::Reconnecting { attempt, retry_at }
        });
    }

    fn token_expired(&self, now: u64) -> bool {
        self.session.as_ref().is_none_or(|s| now >= s.expires_at)
    }

    // ---- the event stream ----

    fn open_stream(&mut self, now: u64) {
        let (Some(node), Some(token)) = (
            self.node.clone(),
            self.session.as_ref().map(|s| s.token.clone()),
        ) else {
            return;
        };
        self.close_stream();
        self.conn = self.conn.wrapping_add(1);
        let url = format!("{node}{}", events_path(&self.room, &token));
        let logged_url = format!("{node}{}{MASK}", events_path(&self.room, ""));
        self.stream = Stream::Opening {
            deadline: now + STREAM_OPEN_TIMEOUT_MS,
        };
        self.out.push_back(MeetingOutput::OpenStream {
            conn: self.conn,
            url,
            logged_url,
        });
    }

    fn close_stream(&mut self) {
        if self.stream != Stream::Closed {
            self.out
                .push_back(MeetingOutput::CloseStream { conn: self.conn });
        }
        self.stream = Stream::Closed;
        self.sync = None;
    }

    fn stream_lost(&mut self, now: u64) {
        self.close_stream();
        self.trouble(now, Retry::Probe, false);
    }

    fn event(&mut self, name: String, data: String) {
        let event = match decode_event(&name, &data) {
            Ok(e) => e,
            Err(e) => {
                self.note(MeetingNote::Undecodable {
                    name,
                    reason: e.reason,
                });
                return;
            }
        };
        let c = &mut self.conference;
        match event {
            MeetingEvent::ParticipantCreate(p) | MeetingEvent::ParticipantUpdate(p) => {
                // On the enterprise cloud an update may be the first news of someone.
                if let Some(seen) = self.sync.as_mut() {
                    seen.insert(p.uuid.clone());
                }
                c.upsert(p);
            }
            MeetingEvent::ParticipantDelete(d) => c.remove(&d.uuid),
            MeetingEvent::ParticipantSyncBegin => {
                self.sync = Some(HashSet::new());
                self.synced = true;
            }
            MeetingEvent::ParticipantSyncEnd => {
                if let Some(seen) = self.sync.take() {
                    c.participants.retain(|p| seen.contains(&p.uuid));
                    c.speaking.retain(|u| seen.contains(u));
                }
            }
            MeetingEvent::ServiceUpdate(s) => {
                c.locked = s.locked;
                c.guests_muted = s.guests_muted;
            }
            MeetingEvent::Layout(l) => c.layout = Some(l),
            MeetingEvent::Stage(entries) => {
                c.speaking = entries
                    .into_iter()
                    .filter(|e| e.vad > 0)
                    .map(|e| e.participant_uuid)
                    .collect();
            }
            MeetingEvent::PresentationStart(p) => {
                c.presentation = Some(p);
                c.frames = 0;
            }
            MeetingEvent::PresentationStop => {
                c.presentation = None;
                c.frames = 0;
            }
            MeetingEvent::PresentationFrame => c.frames = c.frames.saturating_add(1),
            MeetingEvent::Message(m) => {
                c.messages.push(m);
                let extra = c.messages.len().saturating_sub(MAX_MESSAGES);
                c.messages.drain(..extra);
            }
            MeetingEvent::CallDisconnected(d) => {
                let line = format!("call_disconnected {} {}", d.call_uuid, d.reason);
                self.note(MeetingNote::Info(line));
            }
            MeetingEvent::Disconnect(d) => self.disconnected(d.reason),
        }
    }

    // ---- commands ----

    fn command(&mut self, cmd: Command) {
        if matches!(cmd, Command::RefreshSession | Command::EndSession) {
            return; // The machine's own business.
        }
        if self.session.is_none() {
            self.notice = Some(Notice::NotJoined);
            return;
        }
        if !cmd.supported_on(self.deployment) {
            self.notice = Some(Notice::Unsupported {
                command: cmd.name(),
            });
            return;
        }
        self.notice = None;
        let name = cmd.name();
        self.send_node(cmd.method(), cmd, Purpose::Command { name });
    }

    // ---- requests ----

    fn request(
        &mut self,
        method: Method,
        url: String,
        headers: Vec<(String, String)>,
        body: Option<Value>,
        purpose: Purpose,
    ) {
        self.next_id = self.next_id.wrapping_add(1);
        let id = self.next_id;
        self.pending.push((id, purpose, self.epoch));
        self.out.push_back(MeetingOutput::Request(HttpCall {
            id,
            method,
            logged_url: url.clone(),
            url,
            headers,
            body: body.map(|b| b.to_string()),
        }));
    }

    fn send_check_join(&mut self) {
        let Some(j) = self.join.clone() else { return };
        let body = CheckJoin {
            join_account: j.account,
            join_pwd: j.pin,
            participant_name: j.name,
        }
        .body();
        let url = format!("{}{}", self.api_server, CheckJoin::PATH);
        self.request(
            Method::Post,
            url,
            Vec::new(),
            Some(body),
            Purpose::CheckJoin,
        );
    }

    fn send_new_session(&mut self) {
        let (Some(j), Some(node)) = (self.join.clone(), self.node.clone()) else {
            return;
        };
        let ns = NewSession {
            display_name: j.name,
            hideme: false,
            pin: (!j.pin.is_empty()).then_some(j.pin),
        };
        let url = format!("{node}{}", ns.path(&self.room));
        let headers = ns
            .headers()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        self.request(
            Method::Post,
            url,
            headers,
            Some(ns.body()),
            Purpose::NewSession,
        );
    }

    fn send_probe(&mut self) {
        self.send_node(Method::Get, Command::ServiceStatus, Purpose::Probe);
    }

    /// A request to the node with the token header.
    fn send_node(&mut self, method: Method, cmd: Command, purpose: Purpose) {
        let (Some(node), Some(session)) = (&self.node, &self.session) else {
            return;
        };
        let url = format!("{node}{}", cmd.path(&self.room));
        let headers = vec![("token".to_owned(), session.token.clone())];
        self.request(method, url, headers, cmd.body(), purpose);
    }

    // ---- replies ----

    fn reply(&mut self, now: u64, id: u32, outcome: Result<HttpAnswer, String>) {
        let Some(pos) = self.pending.iter().position(|(i, ..)| *i == id) else {
            return; // Stale: from before a leave, a re-join or a refusal.
        };
        let (_, purpose, epoch) = self.pending.remove(pos);
        if epoch != self.epoch {
            return;
        }
        let outcome = match outcome {
            Err(e) => Outcome::Unreachable(e),
            Ok(a) if a.status >= 500 && decode_reply::<Value>(&a.text).is_err() => {
                Outcome::Unreachable(format!("HTTP {}", a.status))
            }
            Ok(a) => Outcome::Answer(a),
        };
        match purpose {
            Purpose::CheckJoin => self.check_join_reply(now, outcome),
            Purpose::NewSession => self.new_session_reply(now, outcome),
            Purpose::Refresh => self.refresh_reply(now, outcome),
            Purpose::Probe => self.probe_reply(now, outcome),
            Purpose::Participants { conn } => {
                if conn != self.conn || self.synced {
                    return;
                }
                if let Outcome::Answer(a) = outcome {
                    if let Ok(Reply::Success(list)) = decode_reply::<Vec<Participant>>(&a.text) {
                        let c = &mut self.conference;
                        c.participants.clear();
                        for p in list {
                            c.upsert(p);
                        }
                        let present: HashSet<&str> =
                            c.participants.iter().map(|p| p.uuid.as_str()).collect();
                        c.speaking.retain(|u| present.contains(u.as_str()));
                    }
                }
            }
            Purpose::Command { name } => self.command_reply(name, outcome),
            Purpose::EndSession => {}
        }
    }

    fn check_join_reply(&mut self, now: u64, outcome: Outcome) {
        let a = match outcome {
            Outcome::Unreachable(_) => return self.trouble(now, Retry::CheckJoin, true),
            Outcome::Answer(a) => a,
        };
        // The reply's `message` is meant for the user; the type does not keep it.
        let message = serde_json::from_str::<Value>(&a.text)
            .ok()
            .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
            .filter(|m| !m.trim().is_empty());
        let results = match decode_check_join(&a.text) {
            Ok(reply) => reply.into_result().map_err(|e| e.to_string()),
            Err(e) => Err(format!("HTTP {}: {}", a.status, e.reason)),
        };
        match results {
            Ok(r) => match r.base_url(&self.default_scheme) {
                Some(node) => {
                    let account = self.join.as_ref().map(|j| j.account.clone());
                    self.room = [Some(r.sipkey), Some(r.alias), account]
                        .into_iter()
                        .flatten()
                        .find(|s| !s.trim().is_empty())
                        .unwrap_or_default();
                    self.node = Some(node);
                    self.send_new_session();
                }
                None => self.refuse(format!("mcuHost {:?}", r.mcu_host)),
            },
            Err(e) => self.refuse(message.unwrap_or(e)),
        }
    }

    fn new_session_reply(&mut self, now: u64, outcome: Outcome) {
        let a = match outcome {
            Outcome::Unreachable(_) => return self.trouble(now, Retry::NewSession, true),
            Outcome::Answer(a) => a,
        };
        match decode_reply::<NewSessionResult>(&a.text) {
            Ok(Reply::Success(r)) => {
                let life = r.expires.saturating_mul(1_000);
                self.session = Some(Session {
                    token: r.token,
                    expires_at: now + life,
                    uuid: r.participant_uuid,
                    role: r.role,
                });
                self.refresh_at = Some(now + life * 2 / 3);
                self.refresh_attempt = 0;
                self.send_probe();
            }
            Ok(failed @ Reply::Failed { .. }) => {
                let e = failed.into_result().err().map(|e| e.message);
                self.refuse(
                    e.filter(|m| !m.is_empty())
                        .unwrap_or(format!("HTTP {}", a.status)),
                );
            }
            Err(e) => self.refuse(format!("HTTP {}: {}", a.status, e.reason)),
        }
    }

    fn refresh_reply(&mut self, now: u64, outcome: Outcome) {
        self.refreshing = false;
        let decoded = match outcome {
            Outcome::Unreachable(e) => Err(e),
            Outcome::Answer(a) => match decode_reply::<RefreshResult>(&a.text) {
                Ok(Reply::Success(r)) => Ok(r),
                // The token is refused: start a new session.
                Ok(Reply::Failed { .. }) => return self.rejoin(now),
                Err(e) => Err(format!("HTTP {}: {}", a.status, e.reason)),
            },
        };
        match decoded {
            Ok(r) => {
                if let Some(s) = self.session.as_mut() {
                    let life = r.expires.saturating_mul(1_000);
                    s.token = r.token;
                    s.expires_at = now + life;
                    if let Some(role) = r.role {
                        s.role = role;
                    }
                    self.refresh_at = Some(now + life * 2 / 3);
                    self.refresh_attempt = 0;
                }
            }
            Err(e) => {
                self.refresh_attempt = self.refresh_attempt.saturating_add(1);
                let at = now + self.backoff.delay_ms(self.refresh_attempt);
                self.refresh_at = Some(at);
                self.note(MeetingNote::Info(format!(
                    "refresh_session #{}: {e}",
                    self.refresh_attempt
                )));
            }
        }
    }

    fn probe_reply(&mut self, now: u64, outcome: Outcome) {
        let a = match outcome {
            Outcome::Unreachable(_) => return self.trouble(now, Retry::Probe, true),
            Outcome::Answer(a) => a,
        };
        match decode_reply::<ServiceStatus>(&a.text) {
            Ok(Reply::Success(s)) => {
                self.conference.locked = s.locked;
                self.conference.guests_muted = s.guests_muted;
                self.open_stream(now);
            }
            Ok(Reply::Failed { .. }) => self.rejoin(now),
            Err(_) => self.trouble(now, Retry::Probe, false),
        }
    }

    fn command_reply(&mut self, name: &'static str, outcome: Outcome) {
        let failed = |message: String| Notice::Failed {
            command: name,
            message,
        };
        let a = match outcome {
            Outcome::Unreachable(e) => {
                self.notice = Some(failed(e));
                return;
            }
            Outcome::Answer(a) => a,
        };
        match decode_reply::<Value>(&a.text) {
            Ok(Reply::Success(v)) => {
                if crate::lenient::value_to_bool(&v) == Some(false) {
                    self.notice = Some(failed(v.to_string()));
                } else if name == "service_status" {
                    if let Ok(s) = serde_json::from_value::<ServiceStatus>(v) {
                        self.conference.locked = s.locked;
                        self.conference.guests_muted = s.guests_muted;
                    }
                }
            }
            Ok(refused) => {
                let message = refused.into_result().err().map(|e| e.message);
                self.notice = Some(failed(
                    message
                        .filter(|m| !m.is_empty())
                        .unwrap_or(format!("HTTP {}", a.status)),
                ));
            }
            Err(e) => self.notice = Some(failed(format!("HTTP {}: {}", a.status, e.reason))),
        }
    }

    fn set_link(&mut self, link: MeetingLink) {
        if self.link != link {
            self.link = link.clone();
            self.note(MeetingNote::LinkChanged(link));
        }
    }

    fn note(&mut self, n: MeetingNote) {
        self.out.push_back(MeetingOutput::Note(n));
    }
}

/// A reply as the journal may show it: the values of `token`, `password`,
/// `pin` and `joinPwd` masked wherever they are. Text that is not JSON is
/// returned as it is.
pub fn redact(text: &str) -> String {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    let secret = matches!(
                        k.to_ascii_lowercase().as_str(),
                        "token" | "password" | "pin" | "joinpwd"
                    );
                    if secret && !v.is_null() {
                        *v = Value::String(MASK.to_owned());
                    } else {
                        walk(v);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    match serde_json::from_str::<Value>(text) {
        Ok(mut v) => {
            walk(&mut v);
            v.to_string()
        }
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests;
