//! The simulated meeting: one conference, its participants, the sessions
//! (tokens) of the consoles that manage it, and the events every change
//! sends. Commands arrive already parsed into `proto::meeting::Command`.
//!
//! Choices the document leaves open:
//! - A session that does not hide itself (`hideme` no) is a participant with
//!   protocol `api`; when all its tokens expire, or it ends, it leaves.
//!   A refreshed token does not revoke the old one: each lives its own 120 s.
//! - Results: the commands whose examples print `'true'`/`"true"` and that
//!   the brief calls out (lock, unlock, start_service, muteguests,
//!   unmuteguests, message, mute, unmute) answer the string `"true"`; the
//!   other plain actions the JSON `true`. Clients must take both.
//! - The enterprise cloud sends no participant_create (a new participant
//!   appears as participant_update) and no presentation_frame; its muteguests
//!   mutes everyone but chairs and the current speaker.

use super::events::{Pushed, To};
use crate::{clock, ids, Conference, SimConfig};
use proto::meeting::{
    Audience, CallDisconnected, CallsResult, ChatMessage, Command, Deployment, Dial, Disconnect,
    Flag, Layout, LayoutOverride, MeetingEvent, NewSessionResult, Participant, ParticipantCommand,
    ParticipantDelete, Present, PresentationStart, RefreshResult, Role, ServiceStatus, ServiceType,
    StageEntry, SubCall, Transfer, Version,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// The document's token lifetime.
pub const TOKEN_TTL_SECS: u64 = 120;

/// A refusal: HTTP status and the `result` text of `{"status":"failed",...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub result: String,
}

impl Refusal {
    fn new(status: u16, result: impl Into<String>) -> Self {
        Self {
            status,
            result: result.into(),
        }
    }

    pub fn invalid_token() -> Self {
        Self::new(403, "invalid token")
    }
}

/// Who is calling: the session behind a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub uuid: String,
    pub role: Role,
    pub display_name: String,
}

/// A command's result and any dialled participants still connecting (the
/// HTTP layer finishes their call after a second).
#[derive(Debug)]
pub struct Outcome {
    pub result: Value,
    pub dialled: Vec<String>,
}

impl Outcome {
    fn of(result: Value) -> Self {
        Self {
            result,
            dialled: Vec::new(),
        }
    }
}

#[derive(Debug)]
struct Session {
    uuid: String,
    role: Role,
    display_name: String,
    hidden: bool,
}

#[derive(Debug)]
struct Token {
    token: String,
    session: String,
    expires_at: Instant,
}

#[derive(Debug)]
struct SubCallRec {
    call_uuid: String,
    participant: String,
    presenting: bool,
}

/// The meeting as the snapshot shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingState {
    pub deployment: Deployment,
    /// The node hosting the meeting: 0 answers at `/api/services/…`, node n
    /// at `/nodes/<n>/api/services/…` (checkJoin's `mcuHost` says which).
    #[serde(default)]
    pub node: u32,
    pub conference: String,
    pub alias: String,
    pub locked: bool,
    pub guests_muted: bool,
    pub started: bool,
    pub presenter: Option<String>,
    pub participants: Vec<ParticipantInfo>,
    pub sessions: Vec<SessionInfo>,
    /// Chat messages sent, oldest first: (origin, payload).
    pub messages: Vec<(String, String)>,
    /// Every dial's body, oldest first.
    #[serde(default)]
    pub dials: Vec<Dial>,
    /// DTMF sent, oldest first: (participant uuid, digits).
    #[serde(default)]
    pub dtmf: Vec<(String, String)>,
    /// Participants transferred away, oldest first: (uuid, the transfer).
    #[serde(default)]
    pub transfers: Vec<(String, Transfer)>,
    /// The layouts of the last override_layout.
    #[serde(default)]
    pub layouts: Vec<LayoutOverride>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantInfo {
    pub uuid: String,
    pub display_name: String,
    /// `chair` / `guest`.
    pub role: String,
    pub service_type: String,
    pub is_muted: bool,
    pub protocol: String,
    pub is_presenting: bool,
    /// Put in the spotlight (a non-zero `spotlight` time).
    pub spotlight: bool,
    /// `ALLOW` / `DENY`.
    pub rx_presentation_policy: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub participant_uuid: String,
    /// `HOST` / `GUEST`.
    pub role: String,
    pub display_name: String,
    pub hidden: bool,
    /// Tokens still valid.
    pub tokens: Vec<String>,
}

pub(crate) struct Meeting {
    pub deployment: Deployment,
    node: u32,
    conf: Conference,
    tx: broadcast::Sender<Pushed>,
    locked: bool,
    guests_muted: bool,
    started: bool,
    participants: Vec<Participant>,
    sessions: Vec<Session>,
    tokens: Vec<Token>,
    presentation: Option<PresentationStart>,
    /// Participant uuids, latest speaker first.
    stage: Vec<String>,
    subcalls: Vec<SubCallRec>,
    messages: Vec<(String, String)>,
    dials: Vec<Dial>,
    dtmf: Vec<(String, String)>,
    transfers: Vec<(String, Transfer)>,
    layouts: Vec<LayoutOverride>,
}

impl Meeting {
    pub fn new(cfg: &SimConfig, tx: broadcast::Sender<Pushed>) -> Self {
        let mut m = Self {
            deployment: cfg.deployment,
            node: 0,
            conf: cfg.conference.clone(),
            tx,
            locked: false,
            guests_muted: false,
            started: true,
            participants: Vec::new(),
            sessions: Vec::new(),
            tokens: Vec::new(),
            presentation: None,
            stage: Vec::new(),
            subcalls: Vec::new(),
            messages: Vec::new(),
            dials: Vec::new(),
            dtmf: Vec::new(),
            transfers: Vec::new(),
            layouts: Vec::new(),
        };
        // Devices already in the meeting, so the demo has something to manage.
        let seeds = [
            (
                "指挥中心大屏",
                Role::Host,
                "sip",
                "sip:center@myvmr.cn",
                "Polycom RealPresence Group 500",
                false,
            ),
            (
                "现场单兵01",
                Role::Guest,
                "rtmp",
                "rtmp://field01.myvmr.cn",
                "Dispatch Bodycam 2.1",
                false,
            ),
            (
                "李工(手机)",
                Role::Guest,
                "phone",
                "tel:13800138000",
                "PSTN",
                true,
            ),
        ];
        for (name, role, protocol, uri, vendor, audio_only) in seeds {
            let mut p = m.participant(ids::uuid(), name, role, protocol, ServiceType::Conference);
            p.uri = Some(uri.into());
            p.vendor = Some(vendor.into());
            p.has_media = Some(true);
            p.is_audio_only_call = Some(audio_only);
            p.is_video_call = Some(!audio_only);
            p.presentation_supported = Some(!audio_only);
            m.stage.push(p.uuid.clone());
            m.participants.push(p);
        }
        m
    }

    /// Whether `conf` (from the path, percent-decoded) names this conference.
    pub fn is_conference(&self, conf: &str) -> bool {
        conf == self.conf.id || conf.eq_ignore_ascii_case(&self.conf.alias)
    }

    pub fn conference(&self) -> &Conference {
        &self.conf
    }

    /// The role a pin gives, if any.
    pub fn role_for_pin(&self, pin: &str) -> Option<Role> {
        if pin == self.conf.host_pin {
            Some(Role::Host)
        } else if pin == self.conf.guest_pin {
            Some(Role::Guest)
        } else {
            None
        }
    }

    // ---- sessions and tokens ----

    pub fn new_session(
        &mut self,
        role: Role,
        display_name: &str,
        hidden: bool,
        ttl: u64,
    ) -> NewSessionResult {
        self.purge();
        let uuid = ids::uuid();
        let waiting = role == Role::Guest && self.locked;
        let service = if waiting {
            ServiceType::WaitingRoom
        } else {
            ServiceType::Conference
        };
        self.sessions.push(Session {
            uuid: uuid.clone(),
            role,
            display_name: display_name.to_owned(),
            hidden,
        });
        if !hidden {
            let mut p = self.participant(uuid.clone(), display_name, role, "api", service.clone());
            p.has_media = Some(false);
            p.is_video_call = Some(false);
            p.vendor = Some("Dispatch Desk".into());
            self.add_participant(p);
        }
        let token = self.issue(&uuid, ttl);
        let mut r = NewSessionResult::new(token, ttl, uuid, role);
        r.version = Some(Version {
            pseudo_version: "22112.0.0".into(),
            version_id: "3".into(),
        });
        r.chat_enabled = Some(true);
        r.service_type = Some(ServiceType::Conference);
        r.stun = Some(json!([{"url": "stun:stun.myvmr.cn:3478"}]));
        r.display_name = Some(display_name.to_owned());
        r.analytics_enabled = Some(false);
        r.current_service_type = Some(service);
        if self.deployment == Deployment::Public {
            r.allow_1080p = Some(true);
            r.bandwidth_in = Some(512);
            r.bandwidth_out = Some(512);
            r.call_type = Some("video".into());
            r.fecc_enabled = Some(true);
            r.guests_can_present = Some(true);
            r.owner = Some("127.0.0.1".into());
            r.rtmp_enabled = Some(true);
            r.rtsp_enabled = Some(true);
        }
        r
    }

    /// The session behind a token, after dropping what has expired.
    pub fn caller(&mut self, token: &str) -> Result<Caller, Refusal> {
        self.purge();
        let session = self
            .tokens
            .iter()
            .find(|t| t.token == token)
            .map(|t| t.session.clone());
        let s = session
            .and_then(|u| self.sessions.iter().find(|s| s.uuid == u))
            .ok_or_else(Refusal::invalid_token)?;
        Ok(Caller {
            uuid: s.uuid.clone(),
            role: s.role,
            display_name: s.display_name.clone(),
        })
    }

    /// The session behind the token an event stream names: `decoded` is the
    /// query value as decoded once, to be the issued token's decoded form
    /// (see `proto::meeting::events_path`). A client that encodes the
    /// token again sends `%252B` for its `%2B`, which decodes to `%2B`, and
    /// is refused like a wrong token.
    pub fn stream_caller(&mut self, decoded: &str) -> Result<Caller, Refusal> {
        let issued = self
            .tokens
            .iter()
            .find(|t| proto::meeting::token_decoded(&t.token) == decoded)
            .map(|t| t.token.clone())
            .ok_or_else(Refusal::invalid_token)?;
        self.caller(&issued)
    }

    /// Subscribes an event stream for `caller`: the participant sync to send
    /// first, and the receiver of everything after it (taken under the same
    /// lock, so nothing falls between).
    pub fn subscribe(&self) -> (Vec<MeetingEvent>, broadcast::Receiver<Pushed>) {
        (self.sync_events(), self.tx.subscribe())
    }

    pub fn sync_events(&self) -> Vec<MeetingEvent> {
        let mut v = vec![MeetingEvent::ParticipantSyncBegin];
        v.extend(self.visible().map(|p| self.created(p.clone())));
        v.push(MeetingEvent::ParticipantSyncEnd);
        v
    }

    /// Drops expired tokens; a session left without one leaves the meeting.
    pub fn purge(&mut self) {
        let now = Instant::now();
        self.tokens.retain(|t| t.expires_at > now);
        let gone: Vec<String> = self
            .sessions
            .iter()
            .filter(|s| !self.tokens.iter().any(|t| t.session == s.uuid))
            .map(|s| s.uuid.clone())
            .collect();
        for uuid in gone {
            self.end_session(&uuid, None);
        }
    }

    pub fn expire_all_tokens(&mut self) {
        self.tokens.clear();
        self.purge();
    }

    pub fn end_all_streams(&self) {
        let _ = self.tx.send(Pushed::End { session: None });
    }

    /// Open streams stay open but deliver nothing more (a half-open
    /// connection); streams opened later are not affected.
    pub fn silence_streams(&self) {
        let _ = self.tx.send(Pushed::Silence);
    }

    /// The node now hosting the meeting.
    pub fn node(&self) -> u32 {
        self.node
    }

    /// The meeting moves to another node: the old one knows it no more
    /// (its sessions, tokens and streams end without a word), and checkJoin
    /// names the new one.
    pub fn move_node(&mut self) -> u32 {
        self.node += 1;
        let sessions: Vec<String> = self.sessions.iter().map(|s| s.uuid.clone()).collect();
        for uuid in sessions {
            self.end_session(&uuid, None);
        }
        self.end_all_streams();
        self.node
    }

    fn issue(&mut self, session: &str, ttl: u64) -> String {
        let token = ids::token();
        let expires_at = Instant::now() + Duration::from_secs(ttl);
        self.tokens.push(Token {
            token: token.clone(),
            session: session.to_owned(),
            expires_at,
        });
        token
    }

    /// Removes a session, its tokens and its participant. With a reason, its
    /// stream gets a disconnect event first.
    fn end_session(&mut self, uuid: &str, reason: Option<&str>) {
        self.sessions.retain(|s| s.uuid != uuid);
        self.tokens.retain(|t| t.session != uuid);
        if self.participants.iter().any(|p| p.uuid == uuid) {
            self.remove_participant(uuid);
        }
        if let Some(reason) = reason {
            self.push(
                To::Session(uuid.to_owned()),
                MeetingEvent::Disconnect(Disconnect {
                    reason: reason.into(),
                }),
            );
        }
        let _ = self.tx.send(Pushed::End {
            session: Some(uuid.to_owned()),
        });
    }

    // ---- commands ----

    /// Runs a command for `caller`; refusals carry their HTTP status.
    pub fn run(
        &mut self,
        caller: &Caller,
        cmd: Command,
        token_ttl: u64,
    ) -> Result<Outcome, Refusal> {
        if !cmd.supported_on(self.deployment) {
            // The table: start_service answers 200 OK on the enterprise cloud but does nothing.
            if cmd == Command::StartService {
                return Ok(Outcome::of(json!(Flag(true))));
            }
            return Err(Refusal::new(400, "unsupported"));
        }
        let own = matches!(&cmd, Command::Participant { uuid, command: ParticipantCommand::Calls(_) | ParticipantCommand::Dtmf { .. } } if *uuid == caller.uuid);
        if host_only(&cmd) && !own && caller.role != Role::Host {
            return Err(Refusal::new(403, "permission denied: host only"));
        }
        let yes = json!(true);
        let flag = json!(Flag(true));
        Ok(Outcome::of(match cmd {
            Command::RefreshSession => {
                let token = self.issue(&caller.uuid, token_ttl);
                json!(RefreshResult {
                    token,
                    expires: token_ttl,
                    role: Some(caller.role)
                })
            }
            Command::EndSession => {
                self.end_session(&caller.uuid, None);
                yes
            }
            Command::Dial(d) => {
                self.dials.push(d.clone());
                let uuid = ids::uuid();
                let name = d
                    .remote_display_name
                    .clone()
                    .unwrap_or_else(|| d.destination.clone());
                let protocol = serde_json::to_value(d.protocol)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned));
                let mut p = self.participant(
                    uuid.clone(),
                    &name,
                    d.role,
                    protocol.as_deref().unwrap_or("sip"),
                    ServiceType::Connecting,
                );
                p.call_direction = Some("out".into());
                p.uri = Some(d.destination.clone());
                self.add_participant(p);
                return Ok(Outcome {
                    result: json!([uuid.clone()]),
                    dialled: vec![uuid],
                });
            }
            Command::ServiceStatus => json!(self.status()),
            Command::Lock | Command::Unlock => {
                self.locked = cmd == Command::Lock;
                self.push_status();
                flag
            }
            Command::StartService => {
                self.started = true;
                let waiting: Vec<String> = self
                    .participants
                    .iter()
                    .filter(|p| p.service_type == Some(ServiceType::WaitingRoom))
                    .map(|p| p.uuid.clone())
                    .collect();
                for uuid in waiting {
                    self.update(&uuid, |p| p.service_type = Some(ServiceType::Conference));
                }
                flag
            }
            Command::MuteGuests | Command::UnmuteGuests => {
                let mute = cmd == Command::MuteGuests;
                self.guests_muted = mute;
                let speaker = self.stage.first().cloned();
                let enterprise = self.deployment == Deployment::Enterprise;
                let targets: Vec<String> = self
                    .participants
                    .iter()
                    .filter(|p| {
                        if enterprise {
                            p.role != Some(Role::Host) && Some(&p.uuid) != speaker.as_ref()
                        } else {
                            p.role == Some(Role::Guest)
                        }
                    })
                    .map(|p| p.uuid.clone())
                    .collect();
                for uuid in targets {
                    self.update(&uuid, |p| p.is_muted = Some(mute));
                }
                self.push_status();
                flag
            }
            Command::Disconnect => {
                let sessions: Vec<String> = self.sessions.iter().map(|s| s.uuid.clone()).collect();
                for uuid in sessions {
                    self.end_session(&uuid, Some("API initiated conference disconnect"));
                }
                let rest: Vec<String> = self.participants.iter().map(|p| p.uuid.clone()).collect();
                for uuid in rest {
                    self.remove_participant(&uuid);
                }
                yes
            }
            Command::Message(m) => {
                self.messages
                    .push((caller.display_name.clone(), m.payload.clone()));
                let msg = ChatMessage {
                    origin: caller.display_name.clone(),
                    mime_type: m.mime_type,
                    payload: m.payload,
                    uuid: caller.uuid.clone(),
                };
                self.push(To::All, MeetingEvent::Message(msg));
                flag
            }
            Command::Participants => json!(self.visible().collect::<Vec<_>>()),
            Command::OverrideLayout(o) => {
                self.layouts = o.layouts.clone();
                for l in o.layouts {
                    let participants = if l.actors.is_empty() {
                        self.stage.iter().take(8).cloned().collect()
                    } else {
                        l.actors
                    };
                    let role = if l.audience == Audience::Hosts {
                        Role::Host
                    } else {
                        Role::Guest
                    };
                    self.push(
                        To::Role(role),
                        MeetingEvent::Layout(Layout {
                            view: l.layout,
                            participants: participants.into(),
                        }),
                    );
                }
                // The document says the participant list comes back.
                json!(self.visible().collect::<Vec<_>>())
            }
            Command::Participant { uuid, command } => {
                return self.run_on_participant(&uuid, command)
            }
        }))
    }

    fn run_on_participant(
        &mut self,
        uuid: &str,
        cmd: ParticipantCommand,
    ) -> Result<Outcome, Refusal> {
        if !self.participants.iter().any(|p| p.uuid == uuid) {
            return Err(Refusal::new(404, "participant not found"));
        }
        let yes = json!(true);
        let flag = json!(Flag(true));
        let session = self.sessions.iter().any(|s| s.uuid == uuid);
        Ok(Outcome::of(match cmd {
            ParticipantCommand::Disconnect => {
                if session {
                    self.end_session(uuid, Some("API initiated participant disconnect"));
                } else {
                    self.remove_participant(uuid);
                }
                yes
            }
            ParticipantCommand::Mute | ParticipantCommand::Unmute => {
                let mute = cmd == ParticipantCommand::Mute;
                self.update(uuid, |p| p.is_muted = Some(mute));
                flag
            }
            ParticipantCommand::AllowRxPresentation | ParticipantCommand::DenyRxPresentation => {
                let policy = if cmd == ParticipantCommand::AllowRxPresentation {
                    "ALLOW"
                } else {
                    "DENY"
                };
                self.update(uuid, |p| p.rx_presentation_policy = Some(policy.into()));
                yes
            }
            ParticipantCommand::SpotlightOn | ParticipantCommand::SpotlightOff => {
                let at = if cmd == ParticipantCommand::SpotlightOn {
                    clock::unix_secs()
                } else {
                    0
                };
                self.update(uuid, |p| p.spotlight = Some(at));
                yes
            }
            ParticipantCommand::Unlock => {
                self.update(uuid, |p| {
                    if p.service_type == Some(ServiceType::WaitingRoom) {
                        p.service_type = Some(ServiceType::Conference);
                    }
                });
                yes
            }
            ParticipantCommand::Dtmf { digits } => {
                self.dtmf.push((uuid.to_owned(), digits));
                yes
            }
            ParticipantCommand::Calls(call) => {
                let call_uuid = ids::uuid();
                let presenting = matches!(
                    call,
                    SubCall::Rtmp {
                        present: Some(Present::Send),
                        ..
                    }
                );
                self.subcalls.push(SubCallRec {
                    call_uuid: call_uuid.clone(),
                    participant: uuid.to_owned(),
                    presenting,
                });
                if presenting {
                    let name = self.name_of(uuid);
                    self.start_presentation(PresentationStart {
                        presenter_name: name,
                        presenter_uri: uuid.to_owned(),
                    });
                }
                json!(match call {
                    SubCall::WebRtc { .. } => CallsResult::WebRtc {
                        call_uuid,
                        sdp: answer_sdp()
                    },
                    SubCall::Rtmp { .. } => CallsResult::Rtmp {
                        url: format!("rtmp://127.0.0.1:40002/zjcloud/{call_uuid}"),
                        secure_url: format!("rtmps://127.0.0.1:40003/zjcloud/{call_uuid}"),
                        call_uuid,
                    },
                })
            }
            ParticipantCommand::Role(role) => {
                self.update(uuid, |p| p.role = Some(role));
                if let Some(s) = self.sessions.iter_mut().find(|s| s.uuid == uuid) {
                    s.role = role;
                }
                yes
            }
            ParticipantCommand::Transfer(t) => {
                self.transfers.push((uuid.to_owned(), t.clone()));
                let reason = format!("Transferred to {}", t.conference_alias);
                if session {
                    self.end_session(uuid, Some(&reason));
                } else {
                    self.remove_participant(uuid);
                }
                yes
            }
        }))
    }

    /// The second half of a dial: the far end answers (`conference`), or,
    /// for a destination containing `busy`, refuses and leaves the list.
    pub fn finish_dial(&mut self, uuid: &str) {
        let Some(p) = self.participants.iter().find(|p| p.uuid == uuid) else {
            return;
        };
        if p.service_type != Some(ServiceType::Connecting) {
            return;
        }
        if p.uri.as_deref().is_some_and(|u| u.contains("busy")) {
            self.remove_participant(uuid);
        } else {
            let muted = p.role == Some(Role::Guest) && self.guests_muted;
            self.update(uuid, |p| {
                p.service_type = Some(ServiceType::Conference);
                p.has_media = Some(true);
                p.is_muted = Some(muted);
            });
            self.stage.push(uuid.to_owned());
        }
    }

    // ---- controls ----

    /// A presentation from outside (another participant's device): it takes
    /// over from any presenting sub-call, which is disconnected.
    pub fn present(&mut self, presenter: Option<String>) {
        match presenter {
            Some(name) => {
                let uri = format!("{}@myvmr.cn", name.to_lowercase().replace(' ', "."));
                self.start_presentation(PresentationStart {
                    presenter_name: name,
                    presenter_uri: uri,
                });
            }
            None => {
                if self.presentation.take().is_some() {
                    self.push(To::All, MeetingEvent::PresentationStop);
                }
            }
        }
    }

    /// A device joins: in the waiting room if the meeting is locked and it
    /// is a guest.
    pub fn script_join(&mut self, name: &str, role: Role) -> String {
        let service = if role == Role::Guest && self.locked {
            ServiceType::WaitingRoom
        } else {
            ServiceType::Conference
        };
        let uuid = ids::uuid();
        let p = self.participant(uuid.clone(), name, role, "sip", service);
        self.add_participant(p);
        uuid
    }

    /// A participant hangs up (a session's participant ends its session).
    pub fn script_leave(&mut self, uuid: &str) -> bool {
        if !self.participants.iter().any(|p| p.uuid == uuid) {
            return false;
        }
        if self.sessions.iter().any(|s| s.uuid == uuid) {
            self.end_session(uuid, None);
        } else {
            self.remove_participant(uuid);
        }
        true
    }

    /// Makes a participant the current speaker.
    pub fn speak(&mut self, uuid: &str) -> bool {
        if !self.participants.iter().any(|p| p.uuid == uuid) {
            return false;
        }
        self.stage.retain(|u| u != uuid);
        self.stage.insert(0, uuid.to_owned());
        let entries = self
            .stage
            .iter()
            .enumerate()
            .map(|(i, u)| StageEntry {
                stage_index: i as u64,
                participant_uuid: u.clone(),
                vad: if i == 0 { 100 } else { 0 },
            })
            .collect();
        self.push(To::All, MeetingEvent::Stage(entries));
        true
    }

    pub fn snapshot(&self) -> MeetingState {
        let now = Instant::now();
        MeetingState {
            deployment: self.deployment,
            node: self.node,
            conference: self.conf.id.clone(),
            alias: self.conf.alias.clone(),
            locked: self.locked,
            guests_muted: self.guests_muted,
            started: self.started,
            presenter: self.presentation.as_ref().map(|p| p.presenter_name.clone()),
            participants: self
                .participants
                .iter()
                .map(|p| ParticipantInfo {
                    uuid: p.uuid.clone(),
                    display_name: p.display_name.clone().unwrap_or_default(),
                    role: p.role.map(Role::as_wire).unwrap_or_default().to_owned(),
                    service_type: p.service_type.clone().map(String::from).unwrap_or_default(),
                    is_muted: p.is_muted.unwrap_or(false),
                    protocol: p.protocol.clone().unwrap_or_default(),
                    is_presenting: p.is_presenting.unwrap_or(false),
                    spotlight: p.spotlight.unwrap_or(0) > 0,
                    rx_presentation_policy: p.rx_presentation_policy.clone().unwrap_or_default(),
                })
                .collect(),
            sessions: self
                .sessions
                .iter()
                .map(|s| SessionInfo {
                    participant_uuid: s.uuid.clone(),
                    role: s.role.as_session().to_owned(),
                    display_name: s.display_name.clone(),
                    hidden: s.hidden,
                    tokens: self
                        .tokens
                        .iter()
                        .filter(|t| t.session == s.uuid && t.expires_at > now)
                        .map(|t| t.token.clone())
                        .collect(),
                })
                .collect(),
            messages: self.messages.clone(),
            dials: self.dials.clone(),
            dtmf: self.dtmf.clone(),
            transfers: self.transfers.clone(),
            layouts: self.layouts.clone(),
        }
    }

    // ---- helpers ----

    fn status(&self) -> ServiceStatus {
        let mut s = ServiceStatus::new(self.locked, self.guests_muted);
        s.started = Some(self.started);
        s.whiteboard = Some(false);
        if self.deployment == Deployment::Enterprise {
            s.live_status = Some(json!(false));
            s.record_status = Some(json!(false));
        }
        s
    }

    /// service_update carries what the document's example shows.
    fn push_status(&self) {
        self.push(
            To::All,
            MeetingEvent::ServiceUpdate(ServiceStatus::new(self.locked, self.guests_muted)),
        );
    }

    /// Locks or unlocks the meeting without a service_update on the
    /// streams, as when that event is lost on the way: only asking for
    /// service_status tells the console.
    pub fn set_locked_quietly(&mut self, locked: bool) {
        self.locked = locked;
    }

    /// Another frame of the presentation under way (presentation.jpeg
    /// serves the same picture); false when nobody presents.
    pub fn next_frame(&mut self) -> bool {
        if self.presentation.is_none() {
            return false;
        }
        self.push(To::All, MeetingEvent::PresentationFrame);
        true
    }

    fn start_presentation(&mut self, p: PresentationStart) {
        let taken: Vec<String> = self
            .subcalls
            .iter()
            .filter(|c| c.presenting && c.participant != p.presenter_uri)
            .map(|c| c.call_uuid.clone())
            .collect();
        self.subcalls.retain(|c| !taken.contains(&c.call_uuid));
        for call_uuid in taken {
            let reason = "Presentation taken over by another participant".to_owned();
            self.push(
                To::All,
                MeetingEvent::CallDisconnected(CallDisconnected { call_uuid, reason }),
            );
        }
        self.presentation = Some(p.clone());
        self.push(To::All, MeetingEvent::PresentationStart(p));
        self.push(To::All, MeetingEvent::PresentationFrame);
    }

    fn participant(
        &self,
        uuid: String,
        name: &str,
        role: Role,
        protocol: &str,
        service: ServiceType,
    ) -> Participant {
        let mut p = Participant::new(uuid.clone());
        p.api_url = Some(format!("/participants/{uuid}"));
        p.call_direction = Some("in".into());
        p.display_name = Some(name.to_owned());
        p.encryption = Some("On".into());
        p.has_media = Some(service == ServiceType::Conference);
        p.is_audio_only_call = Some(false);
        p.is_external = Some(false);
        p.is_muted = Some(role == Role::Guest && self.guests_muted);
        p.is_presenting = Some(false);
        p.is_streaming_conference = Some(false);
        p.is_video_call = Some(true);
        p.local_alias = Some(self.conf.alias.clone());
        p.overlay_text = Some(name.to_owned());
        p.presentation_supported = Some(true);
        p.protocol = Some(protocol.to_owned());
        p.role = Some(role);
        p.rx_presentation_policy = Some("ALLOW".into());
        p.service_type = Some(service);
        p.spotlight = Some(0);
        p.start_time = Some(clock::unix_secs());
        p.uri = Some(format!("{}@myvmr.cn", name));
        p.vendor = Some("unknown".into());
        p
    }

    /// Sessions with `hideme` never become participants, so all are listed.
    fn visible(&self) -> impl Iterator<Item = &Participant> {
        self.participants.iter()
    }

    fn name_of(&self, uuid: &str) -> String {
        self.participants
            .iter()
            .find(|p| p.uuid == uuid)
            .and_then(|p| p.display_name.clone())
            .unwrap_or_default()
    }

    /// participant_create, or participant_update on the enterprise cloud.
    fn created(&self, p: Participant) -> MeetingEvent {
        let e = MeetingEvent::ParticipantCreate(p.clone());
        if e.sent_on(self.deployment) {
            e
        } else {
            MeetingEvent::ParticipantUpdate(p)
        }
    }

    fn add_participant(&mut self, p: Participant) {
        self.participants.push(p.clone());
        self.push(To::All, self.created(p));
    }

    fn update(&mut self, uuid: &str, f: impl FnOnce(&mut Participant)) {
        if let Some(p) = self.participants.iter_mut().find(|p| p.uuid == uuid) {
            f(p);
            let p = p.clone();
            self.push(To::All, MeetingEvent::ParticipantUpdate(p));
        }
    }

    fn remove_participant(&mut self, uuid: &str) {
        self.participants.retain(|p| p.uuid != uuid);
        self.stage.retain(|u| u != uuid);
        self.subcalls.retain(|c| c.participant != uuid);
        self.push(
            To::All,
            MeetingEvent::ParticipantDelete(ParticipantDelete {
                uuid: uuid.to_owned(),
            }),
        );
    }

    /// Sends an event to the streams it is for, if this cloud sends it.
    fn push(&self, to: To, event: MeetingEvent) {
        if !event.sent_on(self.deployment) {
            return;
        }
        let to = match to {
            // Resolved now, since a session's role may change later.
            To::Role(role) => {
                let uuids = self
                    .sessions
                    .iter()
                    .filter(|s| s.role == role)
                    .map(|s| s.uuid.clone())
                    .collect();
                To::Sessions(uuids)
            }
            other => other,
        };
        // No receiver is not an error: no stream is open.
        let _ = self.tx.send(Pushed::Event {
            to,
            event: Box::new(event),
        });
    }
}

/// Commands only a host may send (a guest may still use calls and dtmf on itself).
fn host_only(cmd: &Command) -> bool {
    !matches!(
        cmd,
        Command::RefreshSession
            | Command::EndSession
            | Command::ServiceStatus
            | Command::Participants
            | Command::Message(_)
    )
}

/// A minimal SDP answer: enough to look like one, never used for media.
fn answer_sdp() -> String {
    "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 127.0.0.1\r\na=inactive\r\n"
        .to_owned()
}
