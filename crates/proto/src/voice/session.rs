//! The temporary group calls (document 000, 2.3–2.7 and 3.1–3.6): the
//! sessions, their members, who holds each floor, the requests waiting for
//! a reply, and what the dispatcher must be told.
//!
//! [`PttState`] is owned by the [`VoiceMachine`](super::VoiceMachine): it
//! turns the dispatcher's commands into requests and folds the replies and
//! notifications in, returning any request they call for. It reads no
//! clock: times come in as `now` and leave as reply deadlines.
//!
//! Floor rules: the floor is only ever kept while the talk key is held. A
//! `createGroup` grants it; without the key held it is released at once.
//! A key let go while the request is under way releases the floor as soon
//! as it is granted. A lost reply never leaves a floor marked held: the
//! machine reconnects, and after login the floor is released at the plugin.
//!
//! A session the console does not know (a page reload while the plugin
//! kept the call): asked to create a call, a plugin that already has one
//! "只请求话语权" (2.3) and answers with a requestMic reply instead of a
//! createGroup. The console takes that session over when the reply names
//! it (the reply's field table lists `sessionId`), and gives the floor back
//! when it does not (the document's example has none).

use super::wire::{CallMember, MemberCallState, TerminalId, VoiceMessage, VoiceRequest};
use crate::id::BigId;

/// How long requestMic and releaseMic may wait for their reply: the floor
/// is the dispatcher's most urgent action, a silent plugin must show soon.
pub const FLOOR_REPLY_MS: u64 = 5_000;
/// How long add, kick and hang-up may wait for their reply.
pub const COMMAND_REPLY_MS: u64 = 10_000;
/// Transmissions kept per session, newest first; older ones are dropped.
pub const MAX_TRANSMISSIONS: usize = 20;

/// A command of the push-to-talk panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PttCommand {
    /// Creates a session with these terminals (requestMic without a
    /// session; the reply is createGroup). The floor it grants is given
    /// back at once unless the talk key is held.
    StartCall { to_ids: Vec<TerminalId> },
    /// The talk key went down: the floor in the selected session, or, with
    /// no session, a new one with `to_ids` and the floor in one gesture.
    TalkKeyDown { to_ids: Vec<TerminalId> },
    /// The talk key came up: the floor goes back (now, or once granted).
    TalkKeyUp,
    /// Chooses the session the talk key speaks in.
    Select { session: BigId },
    /// Adds terminals to the selected session.
    AddMembers { ids: Vec<TerminalId> },
    /// Removes terminals from the selected session.
    KickMembers { ids: Vec<TerminalId> },
    /// Ends one session (tempCallHangup); the others go on.
    HangUp { session: BigId },
}

/// Who holds a session's floor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Talker {
    /// The dispatcher at this console.
    Me,
    Member {
        id: TerminalId,
        name: String,
    },
}

/// One turn at a session's floor, from the floor notifications (memberGetMic
/// to memberLostMic) and the dispatcher's own grants and releases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmission {
    /// Unique among this console's transmissions, so what is recorded of
    /// one can be tied to it.
    pub id: u64,
    pub talker: Talker,
    /// When it began (ms, the machine's clock).
    pub started: u64,
    /// When it ended; `None` while under way.
    pub ended: Option<u64>,
}

impl Transmission {
    /// How long it lasted, or has lasted by `now`.
    pub fn duration_ms(&self, now: u64) -> u64 {
        self.ended.unwrap_or(now).saturating_sub(self.started)
    }
}

/// The dispatcher's own floor, as far as the plugin has answered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Floor {
    #[default]
    Free,
    /// requestMic sent (`session` is `None` for a new session), no reply yet.
    Requesting {
        session: Option<BigId>,
    },
    Held {
        session: BigId,
    },
    /// releaseMic sent, no reply yet.
    Releasing,
}

/// Why the last command did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PttError {
    /// Refused locally, at once: the link is not online. Never queued.
    NotOnline,
    /// Refused locally: there is no session to talk in, add to or hang up.
    NoSession,
    /// Refused locally: no terminal was chosen.
    NoTerminals,
    /// The server's own words (code 0 / a non-zero result).
    Server(String),
}

/// A request waiting for its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestKind {
    CreateGroup,
    RequestMic,
    ReleaseMic,
    AddMembers,
    /// addGroupMember with the members already in, sent after a reconnect
    /// to learn whether the plugin still knows the session.
    Recheck,
    KickMembers,
    HangUp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRequest {
    pub kind: RequestKind,
    pub session: Option<BigId>,
    /// Reply deadline (ms); past it the plugin counts as gone.
    pub due: u64,
}

/// Why a session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndReason {
    /// The dispatcher hung up.
    HungUp,
    /// The plugin ended it (tempCallHangup notification).
    EndedByPlugin { message: String },
    /// Every member hung up or did not answer.
    NoMemberLeft,
    /// The plugin does not know it (restarted, or it ended unseen).
    Forgotten { message: String },
    /// A hang-up the plugin refused or never answered: cleared here anyway.
    HangUpUnconfirmed { message: String },
}

/// Something the dispatcher must be told that is not a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PttNotice {
    Ended {
        session: BigId,
        reason: EndReason,
    },
    /// A request got no reply in time: the plugin counts as gone.
    NoReply {
        kind: RequestKind,
    },
    /// Asked to start a call, the plugin answered for a session it already
    /// had (one this console did not know, e.g. after a page reload): the
    /// console took it over. Its members show as the plugin reports them.
    TakenOver {
        session: BigId,
    },
    /// Asked to start a call, the plugin granted the floor in a session it
    /// already had without naming it: the floor was given back at once,
    /// since audio and every command need the session's id.
    UnnamedSession,
}

/// After a reconnect: which sessions the plugin still has.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReconnectReport {
    pub survived: Vec<BigId>,
    pub lost: Vec<BigId>,
    /// Asked about, no answer yet.
    pub checking: Vec<BigId>,
}

/// A member of a session as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionMember {
    pub id: TerminalId,
    /// Empty until the plugin names it.
    pub name: String,
    pub state: MemberCallState,
    /// Answered at some point of this call.
    pub answered: bool,
    /// Went idle without ever answering after being called.
    pub no_answer: bool,
    /// The plugin's hangupReason when this member hung up.
    pub reason: Option<String>,
}

impl SessionMember {
    fn called(id: TerminalId) -> Self {
        Self {
            id,
            name: String::new(),
            state: MemberCallState::Calling,
            answered: false,
            no_answer: false,
            reason: None,
        }
    }

    fn set_state(&mut self, state: MemberCallState) {
        if state == MemberCallState::Idle && self.state != MemberCallState::Idle {
            self.no_answer = !self.answered;
        } else if state != MemberCallState::Idle {
            self.no_answer = false;
            self.reason = None;
        }
        self.answered |= state == MemberCallState::Answered;
        self.state = state;
    }
}

/// One running group call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSession {
    /// Exact, from `sessionId` / `*Str`.
    pub id: BigId,
    pub members: Vec<SessionMember>,
    pub talker: Option<Talker>,
    /// Who talked, when and how long; newest first, at most [`MAX_TRANSMISSIONS`].
    pub transmissions: Vec<Transmission>,
    /// The terminals called into it; any other member is the dispatcher.
    invited: Vec<TerminalId>,
    /// Taken over from the plugin ([`PttNotice::TakenOver`]): its terminals
    /// were called by someone else, so every member seen that is not the
    /// dispatcher is added to `invited`.
    taken_over: bool,
}

impl CallSession {
    /// A new talker (or none): the transmission under way ends at `now`, and
    /// with `counter` a new one begins, its id the next count. Without it
    /// the talker is shown but no transmission begins (a grant given back
    /// at once, the talk key not held).
    fn set_talker(&mut self, talker: Option<Talker>, now: u64, counter: Option<&mut u64>) {
        if self.talker == talker {
            return;
        }
        if let Some(open) = self.transmissions.first_mut().filter(|t| t.ended.is_none()) {
            open.ended = Some(now);
        }
        if let (Some(who), Some(counter)) = (&talker, counter) {
            *counter += 1;
            self.transmissions.insert(
                0,
                Transmission {
                    id: *counter,
                    talker: who.clone(),
                    started: now,
                    ended: None,
                },
            );
            self.transmissions.truncate(MAX_TRANSMISSIONS);
        }
        self.talker = talker;
    }

    fn is_terminal(&self, id: TerminalId) -> bool {
        self.invited.contains(&id)
    }

    /// `id` is one of its terminals from now on.
    fn invite(&mut self, id: TerminalId) {
        if !self.invited.contains(&id) {
            self.invited.push(id);
        }
    }

    /// A terminal member still in the call (not idle).
    fn anyone_left(&self) -> bool {
        self.members
            .iter()
            .any(|m| self.is_terminal(m.id) && m.state != MemberCallState::Idle)
    }

    fn member_mut(&mut self, id: TerminalId) -> &mut SessionMember {
        let at = match self.members.iter().position(|m| m.id == id) {
            Some(i) => i,
            None => {
                self.members.push(SessionMember::called(id));
                self.members.len() - 1
            }
        };
        &mut self.members[at]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PttState {
    pub sessions: Vec<CallSession>,
    /// The session the talk key speaks in.
    pub selected: Option<BigId>,
    pub floor: Floor,
    /// The talk key is down (as far as the panel has told).
    pub key_held: bool,
    /// When the talk key last went down (ms): the pre-roll is taken from
    /// before this moment, however late the audio desk learns of it.
    pub key_down_at: u64,
    pub pending: Vec<PendingRequest>,
    pub error: Option<PttError>,
    pub notice: Option<PttNotice>,
    /// Set after a reconnect while sessions were running.
    pub reconnect: Option<ReconnectReport>,
    /// The plugin's own words on the microphone, from its last requestMic
    /// or releaseMic reply ("麦克风打开成功"): where the plugin owns the
    /// devices, they say whether it opened.
    pub mic_message: Option<String>,
    /// The dispatcher's own member id, learned from the session's member
    /// that was not invited.
    my_id: Option<TerminalId>,
    /// The link dropped with the floor held or asked for: release it at
    /// the plugin after the next login.
    release_owed: bool,
    /// The terminals of the createGroup under way.
    invited_next: Vec<TerminalId>,
    /// The id of the last transmission begun.
    last_transmission: u64,
    /// A session taken over while the dispatcher's own id was unknown: the
    /// next memberGetMic in it follows this console's grant (the floor is
    /// exclusive), so it names the dispatcher.
    me_next_in: Option<BigId>,
}

impl PttState {
    pub fn my_id(&self) -> Option<TerminalId> {
        self.my_id
    }

    /// Keeps the plugin's words on the microphone, if it said any.
    fn heard_on_mic(&mut self, message: &str) {
        if !message.trim().is_empty() {
            self.mic_message = Some(message.to_owned());
        }
    }

    pub fn session(&self, id: &BigId) -> Option<&CallSession> {
        self.sessions.iter().find(|s| &s.id == id)
    }

    /// The session the talk key speaks in.
    pub fn selected_session(&self) -> Option<&CallSession> {
        self.selected.as_ref().and_then(|id| self.session(id))
    }

    /// Whether a request of `kind` (for `session`, if given) awaits its reply.
    pub fn is_pending(&self, kind: RequestKind, session: Option<&BigId>) -> bool {
        self.pending
            .iter()
            .any(|p| p.kind == kind && (session.is_none() || p.session.as_ref() == session))
    }

    /// The earliest reply deadline.
    pub fn next_deadline(&self) -> Option<u64> {
        self.pending.iter().map(|p| p.due).min()
    }

    /// The request whose reply is overdue at `now`, if any: the plugin is
    /// gone. Reported; the machine reconnects (which calls [`link_lost`](Self::link_lost)).
    pub fn expire(&mut self, now: u64) -> Option<RequestKind> {
        let late = self.pending.iter().find(|p| now >= p.due)?.clone();
        self.notice = Some(PttNotice::NoReply { kind: late.kind });
        Some(late.kind)
    }

    /// The requests for `cmd` while online, or a local refusal (in `error`).
    pub fn command(&mut self, now: u64, cmd: PttCommand) -> Vec<VoiceRequest> {
        if !matches!(cmd, PttCommand::TalkKeyUp | PttCommand::Select { .. }) {
            self.error = None;
        }
        let mut out = Vec::new();
        match cmd {
            PttCommand::StartCall { to_ids } => self.create(now, to_ids, &mut out),
            PttCommand::TalkKeyDown { to_ids } => {
                if self.key_held {
                    return out;
                }
                self.key_held = true;
                self.key_down_at = now;
                self.error = None;
                match (&self.floor, self.selected.clone()) {
                    (Floor::Requesting { .. }, _) => {}
                    (Floor::Held { session }, Some(sel)) if *session == sel => {}
                    (_, Some(sel)) => {
                        let to_ids = self.terminal_ids(&sel);
                        self.floor = Floor::Requesting {
                            session: Some(sel.clone()),
                        };
                        self.start(now, RequestKind::RequestMic, Some(sel.clone()));
                        out.push(VoiceRequest::RequestMic {
                            to_ids,
                            transaction: now,
                            session_id: Some(sel),
                        });
                    }
                    (_, None) => self.create(now, to_ids, &mut out),
                }
                if self.error.is_some() {
                    // Nothing to talk in: the key does nothing until pressed again.
                    self.key_held = false;
                }
            }
            PttCommand::TalkKeyUp => {
                self.key_held = false;
                if matches!(self.floor, Floor::Held { .. }) {
                    self.release(now, &mut out);
                }
            }
            PttCommand::Select { session } => {
                if self.session(&session).is_some() {
                    self.selected = Some(session);
                }
            }
            PttCommand::AddMembers { ids } | PttCommand::KickMembers { ids } if ids.is_empty() => {
                self.error = Some(PttError::NoTerminals);
            }
            PttCommand::AddMembers { ids } => match self.selected.clone() {
                Some(session_id) => self.call_in(now, session_id, ids, &mut out),
                None => self.error = Some(PttError::NoSession),
            },
            PttCommand::KickMembers { ids } => match self.selected.clone() {
                Some(session_id) => {
                    self.start(now, RequestKind::KickMembers, Some(session_id.clone()));
                    out.push(VoiceRequest::KickGroupMember { session_id, ids });
                }
                None => self.error = Some(PttError::NoSession),
            },
            PttCommand::HangUp { session } => {
                if self.session(&session).is_some() {
                    self.start(now, RequestKind::HangUp, Some(session.clone()));
                    out.push(VoiceRequest::TempCallHangup {
                        session_id: session,
                    });
                } else {
                    self.error = Some(PttError::NoSession);
                }
            }
        }
        out
    }

    /// A command while the link is not online: refused at once, never kept
    /// to fire later. Letting go of the key needs no link.
    pub fn refuse_offline(&mut self, cmd: &PttCommand) {
        self.key_held = false;
        if !matches!(cmd, PttCommand::TalkKeyUp | PttCommand::Select { .. }) {
            self.error = Some(PttError::NotOnline);
        }
    }

    /// The link dropped (or the plugin fell silent): no reply will come on
    /// this socket and nobody is heard through it. Sessions stay (the plugin
    /// keeps them across sockets) until the plugin says otherwise; a floor
    /// held or asked for is owed a release; a hang-up under way is done here.
    pub fn link_lost(&mut self, now: u64) {
        self.release_owed |= self.floor != Floor::Free;
        self.floor = Floor::Free;
        self.key_held = false;
        for p in std::mem::take(&mut self.pending) {
            if let (RequestKind::HangUp, Some(id)) = (p.kind, p.session) {
                self.end(
                    &id,
                    EndReason::HangUpUnconfirmed {
                        message: String::new(),
                    },
                );
            }
        }
        for s in &mut self.sessions {
            s.set_talker(None, now, Some(&mut self.last_transmission));
        }
    }

    /// Logged in again after a drop: release a floor this console may still
    /// hold, and ask the plugin about each session it had.
    pub fn relogged(&mut self, now: u64) -> Vec<VoiceRequest> {
        let mut out = Vec::new();
        if std::mem::take(&mut self.release_owed) {
            self.release(now, &mut out);
        }
        if self.sessions.is_empty() {
            return out;
        }
        let mut report = ReconnectReport::default();
        for s in self.sessions.clone() {
            let members: Vec<TerminalId> = s
                .members
                .iter()
                .filter(|m| s.is_terminal(m.id) && m.state != MemberCallState::Idle)
                .map(|m| m.id)
                .collect();
            report.checking.push(s.id.clone());
            self.start(now, RequestKind::Recheck, Some(s.id.clone()));
            out.push(VoiceRequest::AddGroupMember {
                session_id: s.id,
                members,
            });
        }
        self.reconnect = Some(report);
        out
    }

    /// Logged out or refused: forget everything.
    pub fn reset(&mut self) {
        *self = Self {
            last_transmission: self.last_transmission,
            ..Self::default()
        };
    }

    /// Folds in a reply or notification; returns the requests it calls for.
    pub fn receive(&mut self, now: u64, msg: &VoiceMessage) -> Vec<VoiceRequest> {
        let mut out = Vec::new();
        match msg {
            VoiceMessage::CreateGroup {
                session_id, ack, ..
            } => {
                if self.take(RequestKind::CreateGroup, None).is_none() {
                    return out;
                }
                match session_id.clone().filter(|_| ack.ok()) {
                    Some(id) => {
                        let invited = self.take_invited();
                        self.sessions.push(CallSession {
                            id: id.clone(),
                            members: invited.iter().map(|i| SessionMember::called(*i)).collect(),
                            talker: None,
                            transmissions: Vec::new(),
                            invited,
                            taken_over: false,
                        });
                        self.selected = Some(id.clone());
                        self.granted(now, id, &mut out);
                    }
                    None => {
                        self.take_invited();
                        self.floor_refused(ack.message.clone());
                    }
                }
            }
            VoiceMessage::RequestMic {
                session_id, ack, ..
            } => {
                let Some(asked) = self.take(RequestKind::RequestMic, None) else {
                    // "如果当前存在会话，则只请求话语权" (document 000, 2.3): asked
                    // to create a call, the plugin only asked for the floor
                    // of the session it already had.
                    if self.take(RequestKind::CreateGroup, None).is_some() {
                        self.heard_on_mic(&ack.message);
                        self.take_over(now, session_id.clone(), ack, &mut out);
                    }
                    return out;
                };
                self.heard_on_mic(&ack.message);
                let session = asked.session.or_else(|| session_id.clone());
                match session {
                    Some(id) if ack.ok() => self.granted(now, id, &mut out),
                    Some(id) if says_gone(&ack.message) => {
                        self.floor = Floor::Free;
                        self.key_held = false;
                        self.forgotten(&id, &ack.message);
                    }
                    _ => self.floor_refused(ack.message.clone()),
                }
            }
            VoiceMessage::ReleaseMic(ack) => {
                if self.take(RequestKind::ReleaseMic, None).is_none() {
                    return out;
                }
                self.heard_on_mic(&ack.message);
                if ack.ok() {
                    if self.floor == Floor::Releasing {
                        self.floor = Floor::Free;
                    }
                    for s in &mut self.sessions {
                        if s.talker == Some(Talker::Me) {
                            s.set_talker(None, now, Some(&mut self.last_transmission));
                        }
                    }
                } else {
                    // Still held as far as anyone knows; the key can try again.
                    self.error = Some(PttError::Server(ack.message.clone()));
                }
            }
            VoiceMessage::AddGroupMemberResp {
                group_id, results, ..
            } => {
                if let Some(asked) = self.take(RequestKind::Recheck, Some(group_id)) {
                    let gone = results.iter().any(|r| r.code != 0 && says_gone(&r.message));
                    self.rechecked(asked.session.as_ref().unwrap_or(group_id), !gone);
                    if gone {
                        let message = results
                            .iter()
                            .map(|r| r.message.clone())
                            .next()
                            .unwrap_or_default();
                        self.forgotten(group_id, &message);
                    }
                    return out;
                }
                if self.take(RequestKind::AddMembers, Some(group_id)).is_none() {
                    return out;
                }
                if results.iter().any(|r| r.code != 0 && says_gone(&r.message)) {
                    let message = results[0].message.clone();
                    self.forgotten(group_id, &message);
                    return out;
                }
                let failed: Vec<String> = results
                    .iter()
                    .filter(|r| r.code != 0)
                    .map(|r| {
                        let who = if r.name.is_empty() {
                            r.id.to_string()
                        } else {
                            r.name.clone()
                        };
                        format!("{who}: {}", r.message)
                    })
                    .collect();
                if !failed.is_empty() {
                    self.error = Some(PttError::Server(failed.join("; ")));
                }
            }
            VoiceMessage::KickGroupMemberResp { group_id, result } => {
                let Some(asked) = self.take(RequestKind::KickMembers, group_id.as_ref()) else {
                    return out;
                };
                if let Some(r) = result.as_ref().filter(|r| r.code != 0) {
                    match asked.session.as_ref().filter(|_| says_gone(&r.message)) {
                        Some(id) => self.forgotten(id, &r.message),
                        None => self.error = Some(PttError::Server(r.message.clone())),
                    }
                }
            }
            VoiceMessage::HangupResp { call_id, result } => {
                if self.take(RequestKind::HangUp, Some(call_id)).is_none() {
                    return out;
                }
                let reason = if result.code == 0 {
                    EndReason::HungUp
                } else {
                    // Refused: the plugin has no such session (or cannot end
                    // it); either way nothing is left to hang up from here.
                    EndReason::HangUpUnconfirmed {
                        message: result.message.clone(),
                    }
                };
                self.end(call_id, reason);
            }
            VoiceMessage::TempCallHangup {
                call_id,
                from_id,
                reason,
            } => {
                self.saw_member(call_id, *from_id);
                match self.sessions.iter_mut().find(|s| &s.id == call_id) {
                    Some(s) if s.is_terminal(*from_id) => {
                        let m = s.member_mut(*from_id);
                        m.set_state(MemberCallState::Idle);
                        m.reason = Some(reason.message.clone()).filter(|r| !r.is_empty());
                        if matches!(&s.talker, Some(Talker::Member { id, .. }) if id == from_id) {
                            s.set_talker(None, now, Some(&mut self.last_transmission));
                        }
                        self.end_if_empty(now, call_id, &mut out);
                    }
                    Some(_) => {
                        self.my_id.get_or_insert(*from_id);
                        self.end(
                            call_id,
                            EndReason::EndedByPlugin {
                                message: reason.message.clone(),
                            },
                        );
                    }
                    None => {}
                }
            }
            VoiceMessage::MemberGetMic {
                group_id,
                member_id,
                member_name,
            } => {
                if self.me_next_in.as_ref() == Some(group_id) {
                    self.me_next_in = None;
                    self.learned_me_in(group_id, *member_id);
                }
                self.saw_member(group_id, *member_id);
                let mine = self.floor
                    == Floor::Held {
                        session: group_id.clone(),
                    };
                let Some(s) = self.sessions.iter_mut().find(|s| &s.id == group_id) else {
                    return out;
                };
                if !s.is_terminal(*member_id) {
                    self.my_id.get_or_insert(*member_id);
                    if mine {
                        s.set_talker(Some(Talker::Me), now, Some(&mut self.last_transmission));
                    }
                } else {
                    let who = Talker::Member {
                        id: *member_id,
                        name: member_name.clone(),
                    };
                    s.set_talker(Some(who), now, Some(&mut self.last_transmission));
                }
            }
            VoiceMessage::MemberLostMic {
                group_id,
                member_id,
            } => {
                let me = self.my_id;
                if let Some(s) = self.sessions.iter_mut().find(|s| &s.id == group_id) {
                    let holder = match &s.talker {
                        Some(Talker::Me) => me,
                        Some(Talker::Member { id, .. }) => Some(*id),
                        None => None,
                    };
                    if holder == Some(*member_id) {
                        s.set_talker(None, now, Some(&mut self.last_transmission));
                    }
                }
            }
            VoiceMessage::TempCallMemberUpdate {
                call_id, members, ..
            } => {
                for m in members {
                    self.saw_member(call_id, m.member_id);
                }
                let Some(s) = self.sessions.iter_mut().find(|s| &s.id == call_id) else {
                    return out;
                };
                // Who is not a terminal is the dispatcher, where the console
                // called them all itself.
                let mine = members.iter().find(|m| !s.is_terminal(m.member_id));
                if let Some(me) = mine.filter(|_| !s.taken_over) {
                    self.my_id.get_or_insert(me.member_id);
                }
                s.members = merge_members(&s.members, members);
                self.end_if_empty(now, call_id, &mut out);
            }
            VoiceMessage::TempCallRing {
                call_id, from_id, ..
            } => self.set_member(call_id, *from_id, MemberCallState::Ringing),
            VoiceMessage::TempCallAnswer {
                call_id, from_id, ..
            } => self.set_member(call_id, *from_id, MemberCallState::Answered),
            _ => {}
        }
        out
    }

    fn create(&mut self, now: u64, to_ids: Vec<TerminalId>, out: &mut Vec<VoiceRequest>) {
        if to_ids.is_empty() {
            self.error = Some(PttError::NoTerminals);
            return;
        }
        if self.is_pending(RequestKind::CreateGroup, None) {
            return;
        }
        self.floor = Floor::Requesting { session: None };
        self.invited_next = to_ids.clone();
        self.start(now, RequestKind::CreateGroup, None);
        out.push(VoiceRequest::RequestMic {
            to_ids,
            transaction: now,
            session_id: None,
        });
    }

    /// The plugin answered a createGroup with the floor of a session it
    /// already had: known or not, that session is the call now.
    fn take_over(
        &mut self,
        now: u64,
        session: Option<BigId>,
        ack: &super::wire::Ack,
        out: &mut Vec<VoiceRequest>,
    ) {
        let invited = self.take_invited();
        if !ack.ok() {
            self.floor_refused(ack.message.clone());
            return;
        }
        let Some(id) = session else {
            // Granted somewhere unnamed: nothing can be sent there.
            self.key_held = false;
            self.notice = Some(PttNotice::UnnamedSession);
            self.release(now, out);
            return;
        };
        if self.session(&id).is_none() {
            self.sessions.push(CallSession {
                id: id.clone(),
                members: Vec::new(),
                talker: None,
                transmissions: Vec::new(),
                invited: Vec::new(),
                taken_over: true,
            });
            if self.my_id.is_none() {
                self.me_next_in = Some(id.clone());
            }
            self.notice = Some(PttNotice::TakenOver {
                session: id.clone(),
            });
        }
        self.selected = Some(id.clone());
        self.granted(now, id.clone(), out);
        // The plugin only gave the floor: the terminals the dispatcher chose
        // are called into the session, as the start asked.
        if !invited.is_empty() {
            self.call_in(now, id, invited, out);
        }
    }

    /// addGroupMember: `ids` count as the session's terminals from now on.
    fn call_in(
        &mut self,
        now: u64,
        session: BigId,
        ids: Vec<TerminalId>,
        out: &mut Vec<VoiceRequest>,
    ) {
        if let Some(s) = self.sessions.iter_mut().find(|s| s.id == session) {
            for id in &ids {
                s.invite(*id);
            }
        }
        self.start(now, RequestKind::AddMembers, Some(session.clone()));
        out.push(VoiceRequest::AddGroupMember {
            session_id: session,
            members: ids,
        });
    }

    /// In a session taken over, a member seen who is not the dispatcher (as
    /// far as known) is one of its terminals.
    fn saw_member(&mut self, session: &BigId, id: TerminalId) {
        let me = self.my_id;
        if let Some(s) = self
            .sessions
            .iter_mut()
            .find(|s| &s.id == session && s.taken_over)
        {
            if Some(id) != me {
                s.invite(id);
            }
        }
    }

    /// The dispatcher's own id, learned in a session taken over: until
    /// then every member seen there counted as a terminal.
    fn learned_me_in(&mut self, session: &BigId, me: TerminalId) {
        let me = *self.my_id.get_or_insert(me);
        if let Some(s) = self.sessions.iter_mut().find(|s| &s.id == session) {
            s.invited.retain(|id| *id != me);
        }
    }

    /// The floor is mine in `session`: kept (a transmission) while the key
    /// is held, else given back at once.
    fn granted(&mut self, now: u64, session: BigId, out: &mut Vec<VoiceRequest>) {
        if let Some(s) = self.sessions.iter_mut().find(|s| s.id == session) {
            let counter = self.key_held.then_some(&mut self.last_transmission);
            s.set_talker(Some(Talker::Me), now, counter);
        }
        self.floor = Floor::Held { session };
        if !self.key_held {
            self.release(now, out);
        }
    }

    fn release(&mut self, now: u64, out: &mut Vec<VoiceRequest>) {
        self.floor = Floor::Releasing;
        self.start(now, RequestKind::ReleaseMic, None);
        out.push(VoiceRequest::ReleaseMic);
    }

    fn floor_refused(&mut self, message: String) {
        self.floor = Floor::Free;
        self.key_held = false;
        self.error = Some(PttError::Server(message));
    }

    fn start(&mut self, now: u64, kind: RequestKind, session: Option<BigId>) {
        let wait = match kind {
            RequestKind::RequestMic | RequestKind::ReleaseMic | RequestKind::CreateGroup => {
                FLOOR_REPLY_MS
            }
            _ => COMMAND_REPLY_MS,
        };
        self.pending.push(PendingRequest {
            kind,
            session,
            due: now.saturating_add(wait),
        });
    }

    /// The oldest request of `kind` (for `session`, when the reply names one).
    fn take(&mut self, kind: RequestKind, session: Option<&BigId>) -> Option<PendingRequest> {
        let at = self.pending.iter().position(|p| {
            p.kind == kind
                && (session.is_none() || p.session.is_none() || p.session.as_ref() == session)
        })?;
        Some(self.pending.remove(at))
    }

    fn take_invited(&mut self) -> Vec<TerminalId> {
        std::mem::take(&mut self.invited_next)
    }

    fn rechecked(&mut self, id: &BigId, survived: bool) {
        if let Some(r) = self.reconnect.as_mut() {
            r.checking.retain(|c| c != id);
            if survived {
                r.survived.push(id.clone());
            } else {
                r.lost.push(id.clone());
            }
        }
    }

    /// The plugin says it has no such session.
    fn forgotten(&mut self, id: &BigId, message: &str) {
        self.end(
            id,
            EndReason::Forgotten {
                message: message.to_owned(),
            },
        );
    }

    /// No terminal left in the call: it is over; tell the plugin too, so it
    /// frees the session.
    fn end_if_empty(&mut self, now: u64, id: &BigId, out: &mut Vec<VoiceRequest>) {
        let empty = self.session(id).is_some_and(|s| {
            // A session taken over ends so only once one of its terminals is known.
            let known = !s.taken_over || !s.invited.is_empty();
            known && !s.members.is_empty() && !s.anyone_left()
        });
        if empty {
            self.end(id, EndReason::NoMemberLeft);
            self.start(now, RequestKind::HangUp, Some(id.clone()));
            out.push(VoiceRequest::TempCallHangup {
                session_id: id.clone(),
            });
        }
    }

    fn end(&mut self, id: &BigId, reason: EndReason) {
        let before = self.sessions.len();
        self.sessions.retain(|s| &s.id != id);
        if self.sessions.len() == before {
            return;
        }
        self.pending
            .retain(|p| p.session.as_ref() != Some(id) || p.kind == RequestKind::HangUp);
        if matches!(&self.floor, Floor::Held { session } | Floor::Requesting { session: Some(session) } if session == id)
        {
            self.floor = Floor::Free;
            self.key_held = false;
        }
        if self.selected.as_ref() == Some(id) {
            self.selected = self.sessions.first().map(|s| s.id.clone());
        }
        self.notice = Some(PttNotice::Ended {
            session: id.clone(),
            reason,
        });
    }

    /// The terminals of a session, for requestMic's `toIds`.
    fn terminal_ids(&self, id: &BigId) -> Vec<TerminalId> {
        self.session(id)
            .map(|s| {
                s.members
                    .iter()
                    .filter(|m| s.is_terminal(m.id))
                    .map(|m| m.id)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn set_member(&mut self, call_id: &BigId, id: TerminalId, state: MemberCallState) {
        if let Some(s) = self.sessions.iter_mut().find(|s| &s.id == call_id) {
            s.invite(id);
            s.member_mut(id).set_state(state);
        }
    }
}

/// A member update replaces the list; what the console learned about each
/// member (answered once, the hang-up reason) carries over.
fn merge_members(old: &[SessionMember], new: &[CallMember]) -> Vec<SessionMember> {
    new.iter()
        .map(|m| {
            let mut member = old
                .iter()
                .find(|o| o.id == m.member_id)
                .cloned()
                .unwrap_or_else(|| SessionMember::called(m.member_id));
            member.name.clone_from(&m.member_name);
            member.set_state(m.call_state);
            member
        })
        .collect()
}

/// Whether the plugin's words say the session does not exist (the document
/// gives no code for it; its messages are Chinese).
fn says_gone(message: &str) -> bool {
    let lower = message.to_ascii_lowercase();
    message.contains("会话不存在")
        || lower.contains("session does not exist")
        || lower.contains("no such session")
}
