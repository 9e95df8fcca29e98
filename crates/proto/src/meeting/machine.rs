//! The meeting seen from the host's seat, as a sans-IO machine: join
//! (checkJoin → `mcuHost` → new_session), keep the token fresh
//! (refresh_session at two thirds of `expires`, retried with back-off, a new
//! session when the token is refused), keep the event stream open (reopened
//! with back-off after a probe of `service_status`, the participant list
//! re-synced), hold the conference state the events describe, send the host's
//! commands, and leave (end_session, its reply ignored).
//!
//! It keeps the [`Machine`] contract: the driver carries out each
//! [`MeetingSend`] (a [`rest::Request`], answered by a [`MeetingInput::Reply`]
//! under the same id, or an EventSource to open or close, numbered like the
//! voice machine's sockets so inputs from an older stream are ignored) and
//! sleeps until `poll_timeout`. Reply deadlines are kept here. The
//! conference itself is the pure reducer in `conference.rs`.
//! Each session gets an epoch; a reply from an older epoch is ignored, so a
//! late answer never undoes a leave or a re-join.

use super::conference::{Conference, Effect};
use super::{
    decode_check_join, decode_event, decode_participants, decode_reply, events_path,
    presentation_path, CheckJoin, Command, Deployment, MeetingEvent, Method, NewSession,
    NewSessionResult, RefreshResult, Reply, Role, ServiceStatus, ServiceType,
};
use crate::backoff::Backoff;
use crate::machine::{Machine, Outbox, Output};
use crate::rest::{self, Body, Credential, Failure, Pending};
use serde_json::Value;

pub use super::conference::{ConferenceState, MAX_MESSAGES};

/// How long an event stream may take to open before it counts as failed.
pub const STREAM_OPEN_TIMEOUT_MS: u64 = 10_000;
/// A stream that delivers no event for this long is taken as dead and
/// reopened. The document names no keep-alive, and the comment lines an SSE
/// server sends to keep a connection open never reach an `EventSource`'s
/// listeners, so a half-open connection shows only as silence; reopening
/// costs one `participant_sync` snapshot, which changes nothing shown.
/// The default; a deployment may set its own
/// ([`MeetingMachine::set_stream_silent_ms`]).
pub const STREAM_SILENT_MS: u64 = 180_000;
/// The shortest silence limit taken, so a stream is never reopened in a loop.
pub const MIN_STREAM_SILENT_MS: u64 = 5_000;
/// Commands held while the token is being renewed; more are refused.
pub const MAX_WAITING_COMMANDS: usize = 16;
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
    /// A rejoin was refused (its own message); it is retried with back-off.
    RejoinRefused { message: String },
    /// Too many commands waiting for a new token; this one was dropped.
    Busy { command: &'static str },
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
    /// What became of a request.
    Reply(rest::Reply),
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
    /// A [`MeetingSend::FetchFrame`] is done (shown or failed).
    FrameFetched,
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
    /// A new session token: the journal must never show it.
    NewToken(String),
}

/// What the shell carries out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingSend {
    Request(rest::Request),
    /// Open an EventSource on `url` numbered `conn`; `logged_url` has the token masked.
    OpenStream {
        conn: u32,
        url: String,
        logged_url: String,
    },
    CloseStream {
        conn: u32,
    },
    /// end_session, to be sent so that it survives the page going away
    /// (`fetch` with `keepalive`); nothing answers it, its reply is ignored.
    Farewell(rest::Request),
    /// Fetch the newest presentation frame (`presentation.jpeg`, bytes, with
    /// the token header) and show it in place of the last; answered by
    /// [`MeetingInput::FrameFetched`], whatever came of it.
    FetchFrame(rest::Request),
    /// The presentation ended (or the meeting did): no frame to show.
    ClearFrame,
}

pub type MeetingOutput = Output<MeetingSend, MeetingNote>;

/// What the screen shows of the meeting.
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
    /// Where this console is: its own participant's service type on the
    /// roster, else new_session's `current_service_type` (waiting room,
    /// PIN prompt, conference).
    pub service: Option<ServiceType>,
}

impl MeetingView {
    /// Host tools are for a host only: a guest's would all be refused.
    pub fn is_host(&self) -> bool {
        self.role == Some(Role::Host)
    }
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Retry {
    CheckJoin,
    Probe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stream {
    Closed,
    Opening {
        deadline: u64,
    },
    /// `check_at`: when its silence is next looked at. It stays put while
    /// events come (a thousand in a burst would each move a deadline, and
    /// the shell re-arms its timer at each move); when it passes, the
    /// stream is reopened if it was silent all along, else the check moves
    /// to the end of the allowed silence.
    Open {
        check_at: u64,
    },
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
    /// new_session's `current_service_type`.
    service: Option<ServiceType>,
}

/// presentation.jpeg, one fetch at a time: frames that come while one is
/// on its way make one more fetch when it is done, so the newest is shown
/// without a queue of stale ones.
#[derive(Debug, Default)]
struct FrameFetch {
    in_flight: bool,
    again: bool,
    /// A frame is (or may be) on screen.
    shown: bool,
}

/// Whether an input may have changed the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Changed,
    Unchanged,
}

/// How a reply came back.
enum Outcome {
    /// No reply, or HTTP 5xx whatever its body.
    Unreachable(Failure),
    Answer(rest::Answer),
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
    /// Requests in flight: what for, and the session epoch they belong to.
    pending: Pending<(Purpose, u32)>,
    conn: u32,
    stream: Stream,
    attempt: u32,
    retry: Option<(u64, Retry)>,
    refresh_at: Option<u64>,
    refresh_attempt: u32,
    refreshing: bool,
    /// A session was had and is being replaced: a refusal now is retried.
    rejoining: bool,
    /// Commands issued while no token could carry them, oldest first.
    waiting: Vec<Command>,
    /// When the open stream last delivered anything.
    heard_at: u64,
    /// How long it may stay silent before it is reopened.
    stream_silent_ms: u64,
    frames: FrameFetch,
    conference: Conference,
    notice: Option<Notice>,
    out: Outbox<MeetingSend, MeetingNote>,
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
            pending: Pending::default(),
            conn: 0,
            stream: Stream::Closed,
            attempt: 0,
            retry: None,
            refresh_at: None,
            refresh_attempt: 0,
            refreshing: false,
            rejoining: false,
            waiting: Vec::new(),
            heard_at: 0,
            stream_silent_ms: STREAM_SILENT_MS,
            frames: FrameFetch::default(),
            conference: Conference::default(),
            notice: None,
            out: Outbox::default(),
        }
    }

    /// How long the event stream may stay silent before it is reopened;
    /// at least [`MIN_STREAM_SILENT_MS`].
    pub fn set_stream_silent_ms(&mut self, ms: u64) {
        self.stream_silent_ms = ms.max(MIN_STREAM_SILENT_MS);
        // An open stream is held to the new limit at once.
        if let Stream::Open { check_at } = &mut self.stream {
            *check_at = (*check_at).min(self.heard_at.saturating_add(self.stream_silent_ms));
        }
    }

    pub fn link(&self) -> &MeetingLink {
        &self.link
    }

    pub fn conference(&self) -> &ConferenceState {
        self.conference.state()
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

    /// Where this console is in the meeting (see [`MeetingView::service`]).
    pub fn service(&self) -> Option<ServiceType> {
        let session = self.session.as_ref()?;
        self.conference()
            .participant(&session.uuid)
            .and_then(|p| p.service_type.clone())
            .or_else(|| session.service.clone())
    }

    fn next_timeout(&self) -> Option<u64> {
        let stream = match self.stream {
            Stream::Opening { deadline } => Some(deadline),
            Stream::Open { check_at } => Some(check_at),
            Stream::Closed => None,
        };
        let refresh = self.refresh_at.filter(|_| !self.refreshing);
        [
            self.retry.map(|(at, _)| at),
            refresh,
            stream,
            self.pending.next_deadline(),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    fn handle_input(&mut self, now: u64, input: MeetingInput) {
        match input {
            MeetingInput::Join { account, pin, name } => self.join(now, account, pin, name),
            MeetingInput::Leave => self.leave(),
            MeetingInput::Command(cmd) => self.command(now, cmd),
            MeetingInput::Reply(r) => self.reply(now, r.id, r.outcome),
            MeetingInput::StreamOpened { conn } => {
                if conn == self.conn && matches!(self.stream, Stream::Opening { .. }) {
                    self.stream = Stream::Open {
                        check_at: now.saturating_add(self.stream_silent_ms),
                    };
                    self.heard_at = now;
                    self.attempt = 0;
                    self.rejoining = false;
                    self.conference.stream_opened();
                    self.set_link(MeetingLink::Online);
                    // In case the stream does not resend the list by itself.
                    self.conference.list_requested();
                    self.send_node(
                        now,
                        Method::Get,
                        Command::Participants,
                        Purpose::Participants { conn },
                    );
                }
            }
            MeetingInput::StreamEvent { conn, name, data } => {
                if conn == self.conn && self.stream != Stream::Closed {
                    self.heard_at = now;
                    if self.event(name, data) == Shown::Unchanged {
                        // A sync's participant, held for its end: no new
                        // view for each of a thousand.
                        return;
                    }
                }
            }
            MeetingInput::StreamFailed { conn } => {
                if conn == self.conn && self.stream != Stream::Closed {
                    self.stream_lost(now);
                }
            }
            MeetingInput::FrameFetched => {
                self.frames.in_flight = false;
                if std::mem::take(&mut self.frames.again) {
                    self.fetch_frame();
                }
            }
            MeetingInput::DismissNotice => self.notice = None,
        }
        self.out.changed();
    }

    fn timeout(&mut self, now: u64) {
        for (_, (purpose, epoch)) in self.pending.expired(now) {
            self.answered(now, purpose, epoch, Err(Failure::Timeout));
        }
        if let Some((at, what)) = self.retry {
            if now >= at {
                self.retry = None;
                match what {
                    Retry::CheckJoin => self.send_check_join(now),
                    Retry::Probe => {
                        if self.token_expired(now) {
                            self.rejoin(now);
                        } else {
                            self.send_probe(now);
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
                    self.send_node(now, Method::Post, Command::RefreshSession, Purpose::Refresh);
                }
            }
        }
        match self.stream {
            Stream::Opening { deadline } if now >= deadline => self.stream_lost(now),
            Stream::Open { check_at } if now >= check_at => {
                let silent_until = self.heard_at.saturating_add(self.stream_silent_ms);
                if now >= silent_until {
                    self.note(MeetingNote::Info("event stream silent: reopened".into()));
                    self.stream_lost(now);
                } else {
                    self.stream = Stream::Open {
                        check_at: silent_until,
                    };
                }
            }
            _ => {}
        }
    }

    // ---- joining and leaving ----

    fn join(&mut self, now: u64, account: String, pin: String, name: String) {
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
        // The PIN travels in new_session's `pin` header: refuse it here, in
        // words, rather than fail later in the browser with nothing sent.
        let pin_error = self
            .join
            .as_ref()
            .and_then(|j| crate::url::header_value(&j.pin).err());
        if let Some(e) = pin_error {
            return self.refuse(now, format!("PIN: {e}"));
        }
        self.set_link(MeetingLink::Joining);
        self.send_check_join(now);
    }

    fn leave(&mut self) {
        if self.join.is_none() && self.link == MeetingLink::Idle {
            return;
        }
        self.close_stream();
        self.end_session();
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
        self.rejoining = false;
        self.waiting.clear();
        self.clear_frame();
        self.conference.clear();
    }

    /// Forgets the token and everything tied to it: the stream, the timers,
    /// and (by moving the epoch on) any reply still on its way.
    fn drop_session(&mut self) {
        self.close_stream();
        self.epoch = self.epoch.wrapping_add(1);
        // Answers still on their way are ignored from now on.
        self.pending.retain(|_| false);
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

    /// checkJoin or new_session said no. On a first join that is the end;
    /// during a rejoin (the meeting was joined, the details were good) it is
    /// taken as passing (a node restarting, a meeting moving) and retried
    /// with back-off, the dispatcher told.
    fn refuse(&mut self, now: u64, message: String) {
        if self.rejoining {
            self.notice = Some(Notice::RejoinRefused { message });
            return self.trouble(now, Retry::CheckJoin, false);
        }
        self.drop_session();
        self.waiting.clear();
        // Keep the details so the form stays filled, but stop.
        self.set_link(MeetingLink::Refused { message });
    }

    /// The token was refused or has run out: end the old session (else it
    /// lingers on the roster until its token dies) and start again from
    /// checkJoin, which may name another node. The conference state stays
    /// until the new stream's snapshot replaces it. A rejoin before the last
    /// one got back online waits its back-off.
    fn rejoin(&mut self, now: u64) {
        self.end_session();
        self.drop_session();
        self.refresh_attempt = 0;
        if self.rejoining {
            // The last rejoin never got back online: no lap at network speed.
            return self.trouble(now, Retry::CheckJoin, false);
        }
        self.rejoining = true;
        self.attempt = self.attempt.saturating_add(1);
        self.set_link(MeetingLink::Reconnecting {
            attempt: self.attempt,
            retry_at: now,
        });
        self.send_check_join(now);
    }

    /// end_session for the current token, if any, sent so that it survives
    /// the page; its reply is not awaited.
    fn end_session(&mut self) {
        let Some(req) = self.node_request(0, Method::Post, Command::EndSession) else {
            return;
        };
        self.out.send(MeetingSend::Farewell(req));
    }

    /// Something failed: try `what` again after the back-off.
    fn trouble(&mut self, now: u64, what: Retry, unreachable: bool) {
        self.attempt = self.attempt.saturating_add(1);
        let retry_at = now.saturating_add(self.backoff.jittered_ms(self.attempt, now));
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
            deadline: now.saturating_add(STREAM_OPEN_TIMEOUT_MS),
        };
        self.out.send(MeetingSend::OpenStream {
            conn: self.conn,
            url,
            logged_url,
        });
    }

    fn close_stream(&mut self) {
        if self.stream != Stream::Closed {
            self.out.send(MeetingSend::CloseStream { conn: self.conn });
        }
        self.stream = Stream::Closed;
        self.conference.stream_closed();
    }

    fn stream_lost(&mut self, now: u64) {
        self.close_stream();
        self.trouble(now, Retry::Probe, false);
    }

    /// Applies one event of the stream; says whether what is shown may
    /// have changed.
    fn event(&mut self, name: String, data: String) -> Shown {
        let event = match decode_event(&name, &data) {
            Ok(e) => e,
            Err(e) => {
                self.note(MeetingNote::Undecodable {
                    name,
                    reason: e.reason,
                });
                return Shown::Unchanged;
            }
        };
        for reason in event.skipped_elements() {
            self.out.event(MeetingNote::Undecodable {
                name: name.clone(),
                reason: reason.clone(),
            });
        }
        match &event {
            MeetingEvent::PresentationFrame => self.fetch_frame(),
            MeetingEvent::PresentationStop => self.clear_frame(),
            _ => {}
        }
        match self.conference.apply(event) {
            Some(Effect::Disconnected { reason }) => self.disconnected(reason),
            Some(Effect::Note(line)) => self.note(MeetingNote::Info(line)),
            Some(Effect::Held) => return Shown::Unchanged,
            None => {}
        }
        Shown::Changed
    }

    // ---- the presentation ----

    fn fetch_frame(&mut self) {
        if self.frames.in_flight {
            self.frames.again = true;
            return;
        }
        let (Some(node), Some(session)) = (&self.node, &self.session) else {
            return;
        };
        let url = format!("{node}{}", presentation_path(&self.room));
        let headers = vec![("token".to_owned(), session.token.clone())];
        // Its id is not used: FrameFetched answers it.
        let req = build_request(0, Method::Get, url, headers, None);
        self.frames.in_flight = true;
        self.frames.shown = true;
        self.out.send(MeetingSend::FetchFrame(req));
    }

    fn clear_frame(&mut self) {
        self.frames.again = false;
        if std::mem::take(&mut self.frames.shown) {
            self.out.send(MeetingSend::ClearFrame);
        }
    }

    // ---- commands ----

    fn command(&mut self, now: u64, cmd: Command) {
        if matches!(cmd, Command::RefreshSession | Command::EndSession) {
            return; // The machine's own business.
        }
        if !self.link.is_active() {
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
        // No token to carry it now, or one about to be replaced: it waits.
        if self.session.is_none() || self.refreshing {
            if self.waiting.len() >= MAX_WAITING_COMMANDS {
                self.notice = Some(Notice::Busy {
                    command: cmd.name(),
                });
            } else {
                self.waiting.push(cmd);
            }
            return;
        }
        self.send_command(now, cmd);
    }

    fn send_command(&mut self, now: u64, cmd: Command) {
        let name = cmd.name();
        self.send_node(now, cmd.method(), cmd, Purpose::Command { name });
    }

    /// Sends the commands that waited for a token, with the current one.
    fn send_waiting(&mut self, now: u64) {
        if self.session.is_none() || self.refreshing {
            return;
        }
        for cmd in std::mem::take(&mut self.waiting) {
            self.send_command(now, cmd);
        }
    }

    // ---- requests ----

    fn request(
        &mut self,
        now: u64,
        method: Method,
        url: String,
        headers: Vec<(String, String)>,
        body: Option<Value>,
        purpose: Purpose,
    ) {
        let id = self.pending.start(now, (purpose, self.epoch));
        self.out.send(MeetingSend::Request(build_request(
            id, method, url, headers, body,
        )));
    }

    /// A request to the node with the token header (none without a session).
    fn node_request(&self, id: u32, method: Method, cmd: Command) -> Option<rest::Request> {
        let (node, session) = (self.node.as_ref()?, self.session.as_ref()?);
        let url = format!("{node}{}", cmd.path(&self.room));
        let headers = vec![("token".to_owned(), session.token.clone())];
        Some(build_request(id, method, url, headers, cmd.body()))
    }

    fn send_check_join(&mut self, now: u64) {
        let Some(j) = self.join.clone() else { return };
        let body = CheckJoin {
            join_account: j.account,
            join_pwd: j.pin,
            participant_name: j.name,
        }
        .body();
        let url = format!("{}{}", self.api_server, CheckJoin::PATH);
        self.request(
            now,
            Method::Post,
            url,
            Vec::new(),
            Some(body),
            Purpose::CheckJoin,
        );
    }

    fn send_new_session(&mut self, now: u64) {
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
            now,
            Method::Post,
            url,
            headers,
            Some(ns.body()),
            Purpose::NewSession,
        );
    }

    fn send_probe(&mut self, now: u64) {
        self.send_node(now, Method::Get, Command::ServiceStatus, Purpose::Probe);
    }

    /// A request to the node with the token header.
    fn send_node(&mut self, now: u64, method: Method, cmd: Command, purpose: Purpose) {
        if self.session.is_none() {
            return;
        }
        let id = self.pending.start(now, (purpose, self.epoch));
        if let Some(req) = self.node_request(id, method, cmd) {
            self.out.send(MeetingSend::Request(req));
        }
    }

    // ---- replies ----

    fn reply(&mut self, now: u64, id: u32, outcome: rest::Outcome) {
        // None: stale, from before a leave, a re-join or a refusal.
        if let Some((purpose, epoch)) = self.pending.take(id) {
            self.answered(now, purpose, epoch, outcome);
        }
    }

    /// What request `purpose` came to (an answer, or a failure including
    /// its deadline passing).
    fn answered(&mut self, now: u64, purpose: Purpose, epoch: u32, outcome: rest::Outcome) {
        if epoch != self.epoch {
            return;
        }
        let outcome = match outcome {
            Err(e) => Outcome::Unreachable(e),
            Ok(a) => Outcome::Answer(a),
        };
        match purpose {
            Purpose::CheckJoin => self.check_join_reply(now, outcome),
            Purpose::NewSession => self.new_session_reply(now, outcome),
            Purpose::Refresh => self.refresh_reply(now, outcome),
            Purpose::Probe => self.probe_reply(now, outcome),
            Purpose::Participants { conn } => {
                if conn != self.conn || !self.conference.list_wanted() {
                    return;
                }
                if let Outcome::Answer(a) = outcome {
                    if let Ok(Reply::Success(list)) = decode_participants(&a.text) {
                        for reason in &list.skipped {
                            self.note(MeetingNote::Undecodable {
                                name: "participants".into(),
                                reason: reason.clone(),
                            });
                        }
                        self.conference.participants(list.items);
                    }
                }
            }
            Purpose::Command { name } => self.command_reply(name, outcome),
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
                    self.send_new_session(now);
                }
                None => self.refuse(now, format!("mcuHost {:?}", r.mcu_host)),
            },
            Err(e) => self.refuse(now, message.unwrap_or(e)),
        }
    }

    fn new_session_reply(&mut self, now: u64, outcome: Outcome) {
        let a = match outcome {
            // Back to checkJoin: the node that does not answer may be one the
            // meeting has left.
            Outcome::Unreachable(_) => return self.trouble(now, Retry::CheckJoin, true),
            Outcome::Answer(a) => a,
        };
        match decode_reply(&a.text, NewSessionResult::decode) {
            Ok(Reply::Success(r)) => {
                if let Err(e) = crate::url::header_value(&r.token) {
                    return self.refuse(now, format!("new_session token: {e}"));
                }
                let life = crate::clamp::server_seconds_to_ms(r.expires);
                self.out.event(MeetingNote::NewToken(r.token.clone()));
                self.session = Some(Session {
                    token: r.token,
                    expires_at: now.saturating_add(life),
                    uuid: r.participant_uuid,
                    role: r.role,
                    service: r.current_service_type,
                });
                self.refresh_at = Some(now.saturating_add(life * 2 / 3));
                self.refresh_attempt = 0;
                self.send_probe(now);
            }
            Ok(failed @ Reply::Failed { .. }) => {
                let e = failed.into_result().err().map(|e| e.message);
                self.refuse(
                    now,
                    e.filter(|m| !m.is_empty())
                        .unwrap_or(format!("HTTP {}", a.status)),
                );
            }
            Err(e) => self.refuse(now, format!("HTTP {}: {}", a.status, e.reason)),
        }
    }

    fn refresh_reply(&mut self, now: u64, outcome: Outcome) {
        self.refreshing = false;
        let decoded = match outcome {
            Outcome::Unreachable(e) => Err(e.to_string()),
            Outcome::Answer(a) => match decode_reply(&a.text, RefreshResult::decode) {
                Ok(Reply::Success(r)) => Ok(r),
                // The token is refused: start a new session.
                Ok(Reply::Failed { .. }) => return self.rejoin(now),
                Err(e) => Err(format!("HTTP {}: {}", a.status, e.reason)),
            },
        };
        match decoded {
            Ok(r) if crate::url::header_value(&r.token).is_err() => self.rejoin(now),
            Ok(r) => {
                if let Some(s) = self.session.as_mut() {
                    let life = crate::clamp::server_seconds_to_ms(r.expires);
                    self.out.event(MeetingNote::NewToken(r.token.clone()));
                    s.token = r.token;
                    s.expires_at = now.saturating_add(life);
                    if let Some(role) = r.role {
                        s.role = role;
                    }
                    self.refresh_at = Some(now.saturating_add(life * 2 / 3));
                    self.refresh_attempt = 0;
                }
                self.send_waiting(now);
            }
            Err(e) => {
                self.refresh_attempt = self.refresh_attempt.saturating_add(1);
                let at = now + self.backoff.delay_ms(self.refresh_attempt);
                self.refresh_at = Some(at);
                self.note(MeetingNote::Info(format!(
                    "refresh_session #{}: {e}",
                    self.refresh_attempt
                )));
                // The old token lives on until the retry: it carries them.
                self.send_waiting(now);
            }
        }
    }

    fn probe_reply(&mut self, now: u64, outcome: Outcome) {
        let a = match outcome {
            Outcome::Unreachable(_) => return self.trouble(now, Retry::Probe, true),
            Outcome::Answer(a) => a,
        };
        match decode_reply(&a.text, ServiceStatus::decode) {
            Ok(Reply::Success(s)) => {
                self.conference.status(&s);
                self.open_stream(now);
                self.send_waiting(now);
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
                self.notice = Some(failed(e.to_string()));
                return;
            }
            Outcome::Answer(a) => a,
        };
        match decode_reply(&a.text, |v| Ok(v.clone())) {
            Ok(Reply::Success(v)) => {
                if crate::lenient::value_to_bool(&v) == Some(false) {
                    self.notice = Some(failed(crate::lenient::json_text(&v)));
                } else if name == "service_status" {
                    if let Ok(s) = ServiceStatus::decode(&v) {
                        self.conference.status(&s);
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
        self.out.event(n);
    }
}

impl Machine for MeetingMachine {
    type Input = MeetingInput;
    type Send = MeetingSend;
    type Event = MeetingNote;
    type View = MeetingView;

    fn handle(&mut self, now: u64, input: MeetingInput) {
        self.handle_input(now, input);
    }

    fn poll_timeout(&self) -> Option<u64> {
        self.next_timeout()
    }

    fn handle_timeout(&mut self, now: u64) {
        self.timeout(now);
        self.out.changed();
    }

    fn poll_output(&mut self) -> Option<MeetingOutput> {
        self.out.pop()
    }

    fn view(&self) -> MeetingView {
        MeetingView {
            link: self.link.clone(),
            conference: self.conference().clone(),
            notice: self.notice.clone(),
            me: self.me().map(str::to_owned),
            role: self.role(),
            account: self.account().map(str::to_owned),
            service: self.service(),
        }
    }
}

fn build_request(
    id: u32,
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
) -> rest::Request {
    rest::Request {
        id,
        method,
        logged_url: url.clone(),
        url,
        headers,
        body: body.map_or(Body::None, |b| Body::Json(crate::lenient::json_text(&b))),
        credential: Credential::None,
        timeout_ms: rest::REPLY_TIMEOUT_MS,
    }
}

/// How much of a reply the journal keeps. A 1000-participant list is half
/// a megabyte that no one reads there, and the journal would scrub and show
/// all of it.
pub const JOURNALED_REPLY_BYTES: usize = 2_000;

/// A reply as the journal may show it: the values of `token`, `password`,
/// `pin` and `joinPwd` masked wherever they are, cut to
/// [`JOURNALED_REPLY_BYTES`] (masked first: the cut is no longer JSON).
/// Text that is not JSON is only cut.
pub fn redact(text: &str) -> String {
    // A long reply with no secret's name in it is only cut: reading a
    // 1000-participant list to mask nothing costs more than the list's use.
    // Only the part shown matters: a secret's value comes after its key, so
    // one that would be shown has its key shown too.
    if text.len() > JOURNALED_REPLY_BYTES && !may_name_secrets(journaled_part(text)) {
        return cut_for_journal(text.to_owned());
    }
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    let secret = SECRET_KEYS.contains(&k.to_ascii_lowercase().as_str());
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
    let shown = match serde_json::from_str::<Value>(text) {
        Ok(mut v) => {
            walk(&mut v);
            crate::lenient::json_text(&v)
        }
        Err(_) => text.to_owned(),
    };
    cut_for_journal(shown)
}

/// The keys whose values [`redact`] masks, in lower case.
const SECRET_KEYS: [&str; 4] = ["token", "password", "pin", "joinpwd"];

/// Whether JSON `text` may have a key [`redact`] masks: one of the names
/// quoted, in any case, or an escape that could spell one.
fn may_name_secrets(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("\\u")
        || SECRET_KEYS
            .iter()
            .any(|k| lower.contains(&format!("\"{k}\"")))
}

/// The beginning of `text` the journal keeps.
fn journaled_part(text: &str) -> &str {
    let mut cut = JOURNALED_REPLY_BYTES.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// `text` cut to [`JOURNALED_REPLY_BYTES`], saying how long it was.
fn cut_for_journal(mut text: String) -> String {
    if text.len() > JOURNALED_REPLY_BYTES {
        let whole = text.len();
        let mut cut = JOURNALED_REPLY_BYTES;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str(&format!("… ({whole} bytes)"));
    }
    text
}

#[cfg(test)]
mod tests;
