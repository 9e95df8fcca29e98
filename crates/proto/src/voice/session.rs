//! The temporary group call (document 000, 2.3–2.7 and 3.1–3.6): the
//! session, its members, who holds the floor, and the last refusal.
//!
//! [`PttState`] is owned by the [`VoiceMachine`](super::VoiceMachine): it
//! turns the dispatcher's commands into requests and folds the replies and
//! notifications in. It holds no clock and no socket.

use super::wire::{CallMember, MemberCallState, TerminalId, VoiceMessage, VoiceRequest};
use crate::id::BigId;

/// A command of the push-to-talk panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PttCommand {
    /// Creates a session with these terminals and takes the floor (requestMic
    /// without a session; the reply is createGroup).
    StartCall {
        to_ids: Vec<TerminalId>,
    },
    /// Asks for the floor in the current session (requestMic with sessionId).
    Talk,
    /// Gives the floor back (releaseMic).
    ReleaseFloor,
    AddMembers {
        ids: Vec<TerminalId>,
    },
    KickMembers {
        ids: Vec<TerminalId>,
    },
    /// Ends the session (tempCallHangup).
    HangUp,
}

/// Who holds the floor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Talker {
    /// The dispatcher at this console.
    Me,
    Member {
        id: TerminalId,
        name: String,
    },
}

/// Why the last command did not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PttError {
    /// Refused locally: the link is not online.
    NotOnline,
    /// Refused locally: there is no session to talk in, add to or hang up.
    NoSession,
    /// Refused locally: a session is already running.
    InCall,
    /// Refused locally: no terminal was chosen.
    NoTerminals,
    /// The server's own words (code 0 / a non-zero result).
    Server(String),
}

/// The running call as the panel shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallSession {
    /// Exact, from `sessionId` / `*Str`.
    pub id: BigId,
    /// From tempCallMemberUpdate, updated by ring and answer notifications.
    pub members: Vec<CallMember>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PttState {
    pub session: Option<CallSession>,
    pub talker: Option<Talker>,
    pub error: Option<PttError>,
    /// The dispatcher's own member id, learned from the memberGetMic that
    /// follows a granted floor, so later notifications about it read "me".
    my_id: Option<TerminalId>,
    /// A floor was just granted; the next memberGetMic names the dispatcher.
    awaiting_my_mic: bool,
}

impl PttState {
    /// The dispatcher's own member id, once a granted floor has revealed it.
    pub fn my_id(&self) -> Option<TerminalId> {
        self.my_id
    }

    pub fn session_id(&self) -> Option<&BigId> {
        self.session.as_ref().map(|s| &s.id)
    }

    /// The request for `cmd` while online, or the local refusal (stored in
    /// `error`). `now` is the transaction of a new session.
    pub fn command(&mut self, now: u64, cmd: PttCommand) -> Option<VoiceRequest> {
        if cmd != PttCommand::ReleaseFloor {
            self.error = None;
        }
        let sid = self.session_id().cloned();
        let req = match (cmd, sid) {
            (PttCommand::StartCall { .. }, Some(_)) => Err(PttError::InCall),
            (PttCommand::StartCall { to_ids }, None) if to_ids.is_empty() => {
                Err(PttError::NoTerminals)
            }
            (PttCommand::StartCall { to_ids }, None) => Ok(VoiceRequest::RequestMic {
                to_ids,
                transaction: now,
                session_id: None,
            }),
            (PttCommand::Talk, Some(id)) => Ok(VoiceRequest::RequestMic {
                to_ids: self.member_ids(),
                transaction: now,
                session_id: Some(id),
            }),
            (PttCommand::ReleaseFloor, _) => Ok(VoiceRequest::ReleaseMic),
            (PttCommand::AddMembers { ids } | PttCommand::KickMembers { ids }, _)
                if ids.is_empty() =>
            {
                Err(PttError::NoTerminals)
            }
            (PttCommand::AddMembers { ids }, Some(session_id)) => {
                Ok(VoiceRequest::AddGroupMember {
                    session_id,
                    members: ids,
                })
            }
            (PttCommand::KickMembers { ids }, Some(session_id)) => {
                Ok(VoiceRequest::KickGroupMember { session_id, ids })
            }
            (PttCommand::HangUp, Some(session_id)) => {
                Ok(VoiceRequest::TempCallHangup { session_id })
            }
            (PttCommand::Talk | PttCommand::AddMembers { .. }, None)
            | (PttCommand::KickMembers { .. } | PttCommand::HangUp, None) => {
                Err(PttError::NoSession)
            }
        };
        req.map_err(|e| self.error = Some(e)).ok()
    }

    /// A command while the link is not online.
    pub fn refuse_offline(&mut self) {
        self.error = Some(PttError::NotOnline);
    }

    /// The link dropped: nobody can be heard through it; the session stays
    /// (the plugin keeps it across sockets).
    pub fn link_lost(&mut self) {
        self.talker = None;
        self.awaiting_my_mic = false;
    }

    /// Logged out or refused: forget everything.
    pub fn reset(&mut self) {
        *self = Self::default();
    }

    /// Folds in a reply or notification.
    pub fn receive(&mut self, msg: &VoiceMessage) {
        match msg {
            VoiceMessage::CreateGroup {
                session_id, ack, ..
            } => match session_id.clone().filter(|_| ack.ok()) {
                Some(id) => {
                    self.session = Some(CallSession {
                        id,
                        members: Vec::new(),
                    });
                    self.grant();
                }
                None => self.error = Some(PttError::Server(ack.message.clone())),
            },
            VoiceMessage::RequestMic { ack, .. } => {
                if ack.ok() {
                    self.grant();
                } else {
                    self.error = Some(PttError::Server(ack.message.clone()));
                }
            }
            VoiceMessage::ReleaseMic(ack) => {
                if ack.ok() {
                    if self.talker == Some(Talker::Me) {
                        self.talker = None;
                    }
                } else {
                    self.error = Some(PttError::Server(ack.message.clone()));
                }
            }
            VoiceMessage::AddGroupMemberResp { results, .. } => {
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
            VoiceMessage::KickGroupMemberResp {
                result: Some(r), ..
            } if r.code != 0 => self.error = Some(PttError::Server(r.message.clone())),
            VoiceMessage::KickGroupMemberResp { .. } => {}
            VoiceMessage::HangupResp { call_id, result } => {
                if result.code == 0 {
                    if self.is_mine(call_id) {
                        self.end();
                    }
                } else {
                    self.error = Some(PttError::Server(result.message.clone()));
                }
            }
            VoiceMessage::TempCallHangup { call_id, .. } if self.is_mine(call_id) => self.end(),
            VoiceMessage::MemberGetMic {
                group_id,
                member_id,
                member_name,
            } if self.is_mine(group_id) => {
                if self.awaiting_my_mic && self.talker == Some(Talker::Me) {
                    self.my_id = Some(*member_id);
                    self.awaiting_my_mic = false;
                } else if self.my_id == Some(*member_id) {
                    self.talker = Some(Talker::Me);
                } else {
                    self.talker = Some(Talker::Member {
                        id: *member_id,
                        name: member_name.clone(),
                    });
                }
            }
            VoiceMessage::MemberLostMic {
                group_id,
                member_id,
            } if self.is_mine(group_id) => {
                let holder = match &self.talker {
                    Some(Talker::Me) => self.my_id,
                    Some(Talker::Member { id, .. }) => Some(*id),
                    None => None,
                };
                if holder == Some(*member_id) {
                    self.talker = None;
                }
            }
            VoiceMessage::TempCallMemberUpdate {
                call_id, members, ..
            } => {
                if let Some(s) = self.session.as_mut().filter(|s| &s.id == call_id) {
                    s.members = members.clone();
                }
            }
            VoiceMessage::TempCallRing {
                call_id, from_id, ..
            } => self.set_state(call_id, *from_id, MemberCallState::Ringing),
            VoiceMessage::TempCallAnswer {
                call_id, from_id, ..
            } => self.set_state(call_id, *from_id, MemberCallState::Answered),
            _ => {}
        }
    }

    fn grant(&mut self) {
        self.talker = Some(Talker::Me);
        self.awaiting_my_mic = true;
    }

    fn end(&mut self) {
        self.session = None;
        self.talker = None;
        self.awaiting_my_mic = false;
    }

    fn is_mine(&self, id: &BigId) -> bool {
        self.session_id() == Some(id)
    }

    fn member_ids(&self) -> Vec<TerminalId> {
        self.session
            .iter()
            .flat_map(|s| s.members.iter().map(|m| m.member_id))
            .filter(|id| Some(*id) != self.my_id)
            .collect()
    }

    fn set_state(&mut self, call_id: &BigId, id: TerminalId, state: MemberCallState) {
        let Some(s) = self.session.as_mut().filter(|s| &s.id == call_id) else {
            return;
        };
        match s.members.iter_mut().find(|m| m.member_id == id) {
            Some(m) => m.call_state = state,
            None => s.members.push(CallMember {
                member_id: id,
                member_name: String::new(),
                call_state: state,
            }),
        }
    }
}
