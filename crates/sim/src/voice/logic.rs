//! The voice plugin's behaviour without sockets: requests in, messages out.
//! [`VoiceWorld::on_text`] is what a socket calls for each text message;
//! everything it returns is addressed to a connection, so tests can drive
//! several dispatchers without a network.
//!
//! Choices the document leaves open (all documented where they are made):
//! terminals answer at once (ring, answer and member update arrive together
//! with the createGroup reply); a session outlives its dispatcher's socket,
//! so a reconnected console can go on using it; releaseMic without the floor
//! still answers code 1.

use crate::{Terminal, User};
use proto::id::BigId;
use proto::lenient::value_to_u64;
use proto::voice::{
    Ack, CallMember, MemberCallState, MemberResult, ResultCode, TerminalId, VoiceMessage,
    VoiceRequest,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Identifies one open WebSocket.
pub type ConnId = u64;

/// A message for one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub conn: ConnId,
    pub msg: VoiceMessage,
}

/// Session ids start where the document's first example does, above 2^53,
/// so a client that trusts the rounded numeric copy breaks at once.
const FIRST_SESSION_ID: u64 = 50_351_257_998_589_953;

/// The plugin's messages. The document gives only the success texts; the
/// failures are worded in the same style.
mod text {
    pub const INIT_OK: &str = "服务器地址初始化成功";
    pub const INIT_EMPTY: &str = "服务器地址不能为空";
    pub const INIT_BAD: &str = "服务器地址格式错误,应以http://或https://开头";
    pub const LOGIN_OK: &str = "登录成功";
    pub const LOGIN_NO_INIT: &str = "请先初始化服务器地址";
    pub const LOGIN_BAD: &str = "账号或密码错误";
    pub const LOGIN_EMPTY: &str = "账号和密码不能为空";
    pub const NOT_LOGGED_IN: &str = "未登录";
    pub const GROUP_OK: &str = "建立会话组成功";
    pub const GROUP_NO_MEMBERS: &str = "建立会话组失败,没有可呼叫的终端";
    pub const BAD_REQUEST: &str = "请求参数错误";
    pub const MIC_OK: &str = "麦克风打开成功";
    pub const MIC_NO_SESSION: &str = "麦克风打开失败,会话不存在";
    pub const MIC_OFF_OK: &str = "麦克风关闭成功";
    pub const NO_SESSION: &str = "会话不存在";
    pub const NO_TERMINAL: &str = "终端不存在";
    pub const RINGING: &str = "用户正在响铃";
    pub const ANSWERED: &str = "用户已接受";
    pub const LOGOUT_OK: &str = "登录注销成功";
}

#[derive(Debug, Default)]
struct Conn {
    initialized: bool,
    account: Option<String>,
}

#[derive(Debug)]
struct Session {
    id: BigId,
    /// The dispatcher account that created it; its sockets get the notifications.
    owner: String,
    dispatcher: User,
    /// The createGroup transaction, echoed when a later request sends none.
    transaction: u64,
    members: Vec<Terminal>,
    /// Who holds the floor: the dispatcher's id or a member's.
    floor: Option<TerminalId>,
    /// Members not (or no longer) answered; absent means answered.
    states: BTreeMap<TerminalId, MemberCallState>,
}

impl Session {
    fn member_list(&self) -> Vec<CallMember> {
        let answered = |id, name: &str| CallMember {
            member_id: id,
            member_name: name.to_owned(),
            call_state: MemberCallState::Answered,
        };
        std::iter::once(answered(self.dispatcher.id, &self.dispatcher.name))
            .chain(self.members.iter().map(|m| CallMember {
                call_state: self.state_of(m.id),
                ..answered(m.id, &m.name)
            }))
            .collect()
    }

    fn state_of(&self, id: TerminalId) -> MemberCallState {
        self.states
            .get(&id)
            .copied()
            .unwrap_or(MemberCallState::Answered)
    }

    fn name_of(&self, id: TerminalId) -> String {
        if id == self.dispatcher.id {
            return self.dispatcher.name.clone();
        }
        self.members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.name.clone())
            .unwrap_or_default()
    }
}

/// A voice session as the snapshot shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceSessionState {
    /// Exact id, as `sessionId` / `*Str` carry it.
    pub session_id: String,
    pub owner: String,
    /// The dispatcher first, then the terminals.
    pub members: Vec<VoiceMemberState>,
    /// Who holds the floor.
    pub floor: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceMemberState {
    pub id: u64,
    pub name: String,
    /// `callState` of the document: 4 is answered.
    pub call_state: i64,
}

/// All voice plugin state: connections, logins, sessions, counters.
#[derive(Debug)]
pub struct VoiceWorld {
    users: Vec<User>,
    terminals: Vec<Terminal>,
    conns: BTreeMap<ConnId, Conn>,
    sessions: Vec<Session>,
    next_session: u64,
    /// Text messages not understood (malformed, unknown type, missing field).
    pub rejected: u64,
    /// Binary messages (push-to-talk audio) received.
    pub audio_frames: u64,
    /// Terminals that ring and never answer (see `script`).
    no_answer: Vec<TerminalId>,
    /// A dispatcher may run several sessions at once (see `script`).
    several_sessions: bool,
    /// Audio counts and echo terminals (see `audio`).
    audio: audio::AudioBook,
}

impl VoiceWorld {
    pub fn new(users: Vec<User>, terminals: Vec<Terminal>) -> Self {
        Self {
            users,
            terminals,
            conns: BTreeMap::new(),
            sessions: Vec::new(),
            next_session: FIRST_SESSION_ID,
            rejected: 0,
            audio_frames: 0,
            no_answer: Vec::new(),
            several_sessions: false,
            audio: audio::AudioBook::default(),
        }
    }

    /// A socket opened: neither initialized nor logged in.
    pub fn open(&mut self, conn: ConnId) {
        self.conns.insert(conn, Conn::default());
    }

    /// A socket closed: its login ends, its sessions stay.
    pub fn close(&mut self, conn: ConnId) {
        let account = self.conns.remove(&conn).and_then(|c| c.account);
        self.release_floor_of_gone(account);
    }

    /// A text message from `conn`. What cannot be decoded is counted in
    /// [`rejected`](Self::rejected); if its type is one whose reply carries a
    /// code (initServer, connect, requestMic) it also gets a code-0 reply,
    /// otherwise nothing (the document has no error message).
    pub fn on_text(&mut self, conn: ConnId, text: &str) -> Vec<Outgoing> {
        let raw: Option<Value> = serde_json::from_str(text).ok();
        // Read here because proto's request type keeps no transaction for
        // addGroupMember, whose reply echoes one.
        let transaction = raw
            .as_ref()
            .and_then(|v| v.get("transaction"))
            .and_then(value_to_u64);
        match VoiceRequest::decode(text) {
            Ok(req) => match raw.as_ref().and_then(|v| wrongly_typed(&req, v)) {
                Some(message) => {
                    self.rejected += 1;
                    vec![Outgoing {
                        conn,
                        msg: refusal(req, transaction, &message),
                    }]
                }
                None => self.on_request(conn, req, transaction),
            },
            Err(_) => {
                self.rejected += 1;
                let fail = |message: &str| Ack {
                    code: 0,
                    message: message.to_owned(),
                };
                let msg = match raw
                    .as_ref()
                    .and_then(|v| v.get("type"))
                    .and_then(Value::as_str)
                {
                    Some("initServer") => VoiceMessage::InitServer(fail(text::INIT_EMPTY)),
                    Some("connect") => VoiceMessage::Login(fail(text::LOGIN_EMPTY)),
                    Some("requestMic") => VoiceMessage::RequestMic {
                        transaction,
                        session_id: None,
                        ack: fail(text::BAD_REQUEST),
                    },
                    _ => return Vec::new(),
                };
                vec![Outgoing { conn, msg }]
            }
        }
    }

    /// One decoded request. `transaction` is the request's own, if it sent one.
    pub fn on_request(
        &mut self,
        conn: ConnId,
        req: VoiceRequest,
        transaction: Option<u64>,
    ) -> Vec<Outgoing> {
        let reply = |msg| vec![Outgoing { conn, msg }];
        let c = self.conns.entry(conn).or_default();
        match req {
            VoiceRequest::InitServer { base_url } => {
                let ok = is_http_url(&base_url);
                c.initialized |= ok;
                let (code, message) = if ok {
                    (1, text::INIT_OK)
                } else {
                    (0, text::INIT_BAD)
                };
                reply(VoiceMessage::InitServer(Ack {
                    code,
                    message: message.to_owned(),
                }))
            }
            VoiceRequest::Connect { account, password } => {
                let (code, message) = if !c.initialized {
                    (0, text::LOGIN_NO_INIT)
                } else if self
                    .users
                    .iter()
                    .any(|u| u.account == account && u.password == password)
                {
                    c.account = Some(account);
                    (1, text::LOGIN_OK)
                } else {
                    (0, text::LOGIN_BAD)
                };
                reply(VoiceMessage::Login(Ack {
                    code,
                    message: message.to_owned(),
                }))
            }
            other => {
                let user = c
                    .account
                    .as_ref()
                    .and_then(|a| self.users.iter().find(|u| &u.account == a))
                    .cloned();
                let Some(user) = user else {
                    return reply(refusal(other, transaction, text::NOT_LOGGED_IN));
                };
                match other {
                    VoiceRequest::RequestMic {
                        to_ids,
                        transaction: tx,
                        session_id: None,
                    } => self.create_group(conn, &user, &to_ids, tx),
                    VoiceRequest::RequestMic {
                        session_id: Some(id),
                        ..
                    } => self.request_floor(conn, &user, id, transaction),
                    VoiceRequest::ReleaseMic => self.release_floor(conn, &user),
                    VoiceRequest::AddGroupMember {
                        session_id,
                        members,
                    } => self.add_members(conn, &user, session_id, &members, transaction),
                    VoiceRequest::KickGroupMember { session_id, ids } => {
                        self.kick_members(conn, &user, session_id, &ids)
                    }
                    VoiceRequest::TempCallHangup { session_id } => {
                        self.hang_up(conn, &user, session_id)
                    }
                    VoiceRequest::LoginOut => {
                        if let Some(c) = self.conns.get_mut(&conn) {
                            c.account = None;
                        }
                        reply(VoiceMessage::LogoutResp(Ack {
                            code: 1,
                            message: text::LOGOUT_OK.to_owned(),
                        }))
                    }
                    // Handled above; listed so a new request kind is a compile error here.
                    VoiceRequest::InitServer { .. } | VoiceRequest::Connect { .. } => Vec::new(),
                }
            }
        }
    }

    /// A simulated terminal presses (`on`) or releases its talk key in every
    /// session it belongs to. It cannot take a floor someone else holds.
    pub fn terminal_talk(&mut self, terminal: TerminalId, on: bool) -> Vec<Outgoing> {
        let mut notes = Vec::new();
        for s in self
            .sessions
            .iter_mut()
            .filter(|s| s.members.iter().any(|m| m.id == terminal))
        {
            let msg = match (on, s.floor) {
                (true, None) => {
                    s.floor = Some(terminal);
                    VoiceMessage::MemberGetMic {
                        group_id: s.id.clone(),
                        member_id: terminal,
                        member_name: s.name_of(terminal),
                    }
                }
                (false, Some(holder)) if holder == terminal => {
                    s.floor = None;
                    VoiceMessage::MemberLostMic {
                        group_id: s.id.clone(),
                        member_id: terminal,
                    }
                }
                _ => continue,
            };
            notes.push((s.owner.clone(), msg));
        }
        notes
            .into_iter()
            .flat_map(|(owner, msg)| self.to_account(&owner, [msg]))
            .collect()
    }

    /// Whether `conn` is logged in.
    pub fn is_logged_in(&self, conn: ConnId) -> bool {
        self.conns.get(&conn).is_some_and(|c| c.account.is_some())
    }

    /// Accounts logged in on at least one socket, sorted, each once.
    pub fn logged_in_accounts(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .conns
            .values()
            .filter_map(|c| c.account.clone())
            .collect();
        v.sort();
        v.dedup();
        v
    }

    pub fn sessions(&self) -> Vec<VoiceSessionState> {
        self.sessions
            .iter()
            .map(|s| VoiceSessionState {
                session_id: s.id.to_string(),
                owner: s.owner.clone(),
                members: s
                    .member_list()
                    .into_iter()
                    .map(|m| VoiceMemberState {
                        id: m.member_id,
                        name: m.member_name,
                        call_state: m.call_state.code(),
                    })
                    .collect(),
                floor: s.floor,
            })
            .collect()
    }

    fn create_group(
        &mut self,
        conn: ConnId,
        user: &User,
        to_ids: &[TerminalId],
        transaction: u64,
    ) -> Vec<Outgoing> {
        // "如果当前存在会话，则只请求话语权" (document 000, 2.3): while this
        // dispatcher has a session, a requestMic without a sessionId asks
        // for the floor of that session (the newest) and is answered as a
        // requestMic naming it, unless this plugin is set to allow several.
        let existing = self
            .sessions
            .iter()
            .rev()
            .find(|s| s.owner == user.account)
            .map(|s| s.id.clone());
        if let Some(id) = existing.filter(|_| !self.several_sessions) {
            return self.request_floor(conn, user, id, Some(transaction));
        }
        let mut members: Vec<Terminal> = Vec::new();
        for id in to_ids {
            if let Some(t) = self.terminal(*id) {
                if !members.iter().any(|m| m.id == t.id) {
                    members.push(t);
                }
            }
        }
        // A decimal counter always parses as an id.
        let id = BigId::parse(&self.next_session.to_string());
        let Some(id) = id.filter(|_| !members.is_empty()) else {
            let ack = Ack {
                code: 0,
                message: text::GROUP_NO_MEMBERS.to_owned(),
            };
            return vec![Outgoing {
                conn,
                msg: VoiceMessage::CreateGroup {
                    transaction,
                    session_id: None,
                    ack,
                },
            }];
        };
        self.next_session += 1;
        let session = Session {
            id: id.clone(),
            owner: user.account.clone(),
            dispatcher: user.clone(),
            transaction,
            members: members.clone(),
            floor: Some(user.id),
            states: self.ringing_states(&members),
        };
        let update = VoiceMessage::TempCallMemberUpdate {
            call_id: id.clone(),
            from_id: user.id,
            members: session.member_list(),
        };
        self.sessions.push(session);

        let ack = Ack {
            code: 1,
            message: text::GROUP_OK.to_owned(),
        };
        let mut out = vec![Outgoing {
            conn,
            msg: VoiceMessage::CreateGroup {
                transaction,
                session_id: Some(id.clone()),
                ack,
            },
        }];
        let mut notes = ring_and_answer(&id, &members, &self.no_answer);
        notes.push(update);
        notes.push(VoiceMessage::MemberGetMic {
            group_id: id,
            member_id: user.id,
            member_name: user.name.clone(),
        });
        out.extend(self.to_account(&user.account, notes));
        out
    }

    fn request_floor(
        &mut self,
        conn: ConnId,
        user: &User,
        id: BigId,
        transaction: Option<u64>,
    ) -> Vec<Outgoing> {
        let fail = |message: String| {
            let ack = Ack { code: 0, message };
            vec![Outgoing {
                conn,
                msg: VoiceMessage::RequestMic {
                    transaction,
                    session_id: Some(id.clone()),
                    ack,
                },
            }]
        };
        let Some(s) = self.session_mut(&user.account, &id) else {
            return fail(text::MIC_NO_SESSION.to_owned());
        };
        if let Some(holder) = s.floor.filter(|h| *h != user.id) {
            return fail(format!("麦克风打开失败,{}正在讲话", s.name_of(holder)));
        }
        s.floor = Some(user.id);
        let ack = Ack {
            code: 2,
            message: text::MIC_OK.to_owned(),
        };
        let mut out = vec![Outgoing {
            conn,
            msg: VoiceMessage::RequestMic {
                transaction,
                session_id: Some(id.clone()),
                ack,
            },
        }];
        let note = VoiceMessage::MemberGetMic {
            group_id: id,
            member_id: user.id,
            member_name: user.name.clone(),
        };
        out.extend(self.to_account(&user.account, [note]));
        out
    }

    /// releaseMic names no session: the floor is released wherever this
    /// dispatcher holds it. Answered with code 1 even if it held none, so a
    /// talk key released after a refused request does no harm.
    fn release_floor(&mut self, conn: ConnId, user: &User) -> Vec<Outgoing> {
        let mut notes = Vec::new();
        for s in self
            .sessions
            .iter_mut()
            .filter(|s| s.owner == user.account && s.floor == Some(user.id))
        {
            s.floor = None;
            notes.push(VoiceMessage::MemberLostMic {
                group_id: s.id.clone(),
                member_id: user.id,
            });
        }
        let mut out = vec![Outgoing {
            conn,
            msg: VoiceMessage::ReleaseMic(Ack {
                code: 1,
                message: text::MIC_OFF_OK.to_owned(),
            }),
        }];
        out.extend(self.to_account(&user.account, notes));
        out
    }

    fn add_members(
        &mut self,
        conn: ConnId,
        user: &User,
        id: BigId,
        ids: &[TerminalId],
        transaction: Option<u64>,
    ) -> Vec<Outgoing> {
        let known: Vec<Option<Terminal>> = ids.iter().map(|i| self.terminal(*i)).collect();
        let no_answer = self.no_answer.clone();
        let Some(s) = self.session_mut(&user.account, &id) else {
            let results = ids
                .iter()
                .map(|i| failed_member(*i, text::NO_SESSION))
                .collect();
            let msg = VoiceMessage::AddGroupMemberResp {
                transaction,
                group_id: id,
                results,
            };
            return vec![Outgoing { conn, msg }];
        };
        let mut results = Vec::new();
        let mut added = Vec::new();
        for (i, t) in ids.iter().zip(known) {
            match t {
                None => results.push(failed_member(*i, text::NO_TERMINAL)),
                Some(t) => {
                    // Already in the session: success, nothing rings again.
                    if !s.members.iter().any(|m| m.id == t.id)
                        && !added.iter().any(|a: &Terminal| a.id == t.id)
                    {
                        added.push(t.clone());
                    }
                    results.push(MemberResult {
                        id: t.id,
                        name: t.name,
                        code: 0,
                        message: String::new(),
                    });
                }
            }
        }
        s.members.extend(added.iter().cloned());
        for t in added.iter().filter(|t| no_answer.contains(&t.id)) {
            s.states.insert(t.id, MemberCallState::Ringing);
        }
        let transaction = transaction.or(Some(s.transaction));
        let update = VoiceMessage::TempCallMemberUpdate {
            call_id: s.id.clone(),
            from_id: user.id,
            members: s.member_list(),
        };
        let mut out = vec![Outgoing {
            conn,
            msg: VoiceMessage::AddGroupMemberResp {
                transaction,
                group_id: id.clone(),
                results,
            },
        }];
        if !added.is_empty() {
            let mut notes = ring_and_answer(&id, &added, &no_answer);
            notes.push(update);
            out.extend(self.to_account(&user.account, notes));
        }
        out
    }

    fn kick_members(
        &mut self,
        conn: ConnId,
        user: &User,
        id: BigId,
        ids: &[TerminalId],
    ) -> Vec<Outgoing> {
        let Some(s) = self.session_mut(&user.account, &id) else {
            let result = Some(ResultCode {
                code: -1,
                message: text::NO_SESSION.to_owned(),
            });
            return vec![Outgoing {
                conn,
                msg: VoiceMessage::KickGroupMemberResp {
                    group_id: Some(id),
                    result,
                },
            }];
        };
        s.members.retain(|m| !ids.contains(&m.id));
        let mut notes = Vec::new();
        if let Some(holder) = s.floor.filter(|h| ids.contains(h) && *h != user.id) {
            s.floor = None;
            notes.push(VoiceMessage::MemberLostMic {
                group_id: s.id.clone(),
                member_id: holder,
            });
        }
        notes.push(VoiceMessage::TempCallMemberUpdate {
            call_id: s.id.clone(),
            from_id: user.id,
            members: s.member_list(),
        });
        let result = Some(ResultCode {
            code: 0,
            message: String::new(),
        });
        let mut out = vec![Outgoing {
            conn,
            msg: VoiceMessage::KickGroupMemberResp {
                group_id: Some(id),
                result,
            },
        }];
        out.extend(self.to_account(&user.account, notes));
        out
    }

    fn hang_up(&mut self, conn: ConnId, user: &User, id: BigId) -> Vec<Outgoing> {
        let before = self.sessions.len();
        self.sessions
            .retain(|s| !(s.owner == user.account && s.id == id));
        let found = self.sessions.len() < before;
        let result = if found {
            ResultCode {
                code: 0,
                message: String::new(),
            }
        } else {
            ResultCode {
                code: -1,
                message: text::NO_SESSION.to_owned(),
            }
        };
        let mut out = vec![Outgoing {
            conn,
            msg: VoiceMessage::HangupResp {
                call_id: id.clone(),
                result,
            },
        }];
        if found {
            let reason = ResultCode {
                code: 0,
                message: String::new(),
            };
            let note = VoiceMessage::TempCallHangup {
                call_id: id,
                from_id: user.id,
                reason,
            };
            out.extend(self.to_account(&user.account, [note]));
        }
        out
    }

    fn terminal(&self, id: TerminalId) -> Option<Terminal> {
        self.terminals.iter().find(|t| t.id == id).cloned()
    }

    fn session_mut(&mut self, owner: &str, id: &BigId) -> Option<&mut Session> {
        self.sessions
            .iter_mut()
            .find(|s| s.owner == owner && &s.id == id)
    }

    /// Each message to every socket logged in as `account`.
    fn to_account(
        &self,
        account: &str,
        msgs: impl IntoIterator<Item = VoiceMessage>,
    ) -> Vec<Outgoing> {
        let conns: Vec<ConnId> = self
            .conns
            .iter()
            .filter(|(_, c)| c.account.as_deref() == Some(account))
            .map(|(id, _)| *id)
            .collect();
        msgs.into_iter()
            .flat_map(|msg| {
                conns.iter().map(move |conn| Outgoing {
                    conn: *conn,
                    msg: msg.clone(),
                })
            })
            .collect()
    }
}

/// What the document types as a string but `raw` sends otherwise, or
/// requires but `raw` lacks, as the refusal's message. `proto`'s decoder is
/// lenient (the console's side must be); the plugin is not.
fn wrongly_typed(req: &VoiceRequest, raw: &Value) -> Option<String> {
    let not_a_string = |v: Option<&Value>| v.is_some_and(|v| !v.is_string());
    // requestMic:      "sessionId	{}	string	非必须（会话生成后请求话语权必须传）	会话 id"
    // addGroupMember:  "sessionId	{}	string	必须	会话 id"
    // kickGroupMember: "sessionId	{}	string	必须	会话 id"
    // tempCallHangup:  "sessionId	{}	String	必须	当前会话 id"
    let names_a_session = matches!(
        req,
        VoiceRequest::RequestMic { .. }
            | VoiceRequest::AddGroupMember { .. }
            | VoiceRequest::KickGroupMember { .. }
            | VoiceRequest::TempCallHangup { .. }
    );
    if names_a_session && not_a_string(raw.get("sessionId")) {
        return Some(format!("{}:sessionId应为字符串", text::BAD_REQUEST));
    }
    // addGroupMember and kickGroupMember: "groupId	data	string	必须	会话 id"
    if matches!(
        req,
        VoiceRequest::AddGroupMember { .. } | VoiceRequest::KickGroupMember { .. }
    ) {
        let group_id = raw.get("data").and_then(|d| d.get("groupId"));
        if group_id.is_none() {
            return Some(format!("{}:缺少data.groupId", text::BAD_REQUEST));
        }
        if not_a_string(group_id) {
            return Some(format!("{}:data.groupId应为字符串", text::BAD_REQUEST));
        }
    }
    None
}

/// A request refused with `message`, in its own reply type: code 0 where
/// the reply has a code, -1 in a `result`, 1 for each member of an add.
fn refusal(req: VoiceRequest, transaction: Option<u64>, message: &str) -> VoiceMessage {
    let ack = Ack {
        code: 0,
        message: message.to_owned(),
    };
    let result = ResultCode {
        code: -1,
        message: message.to_owned(),
    };
    match req {
        VoiceRequest::RequestMic { session_id, .. } => VoiceMessage::RequestMic {
            transaction,
            session_id,
            ack,
        },
        VoiceRequest::AddGroupMember {
            session_id,
            members,
        } => VoiceMessage::AddGroupMemberResp {
            transaction,
            group_id: session_id,
            results: members.iter().map(|i| failed_member(*i, message)).collect(),
        },
        VoiceRequest::KickGroupMember { session_id, .. } => VoiceMessage::KickGroupMemberResp {
            group_id: Some(session_id),
            result: Some(result),
        },
        VoiceRequest::TempCallHangup { session_id } => VoiceMessage::HangupResp {
            call_id: session_id,
            result,
        },
        VoiceRequest::LoginOut => VoiceMessage::LogoutResp(ack),
        VoiceRequest::ReleaseMic => VoiceMessage::ReleaseMic(ack),
        VoiceRequest::InitServer { .. } => VoiceMessage::InitServer(ack),
        VoiceRequest::Connect { .. } => VoiceMessage::Login(ack),
    }
}

fn failed_member(id: TerminalId, message: &str) -> MemberResult {
    MemberResult {
        id,
        name: String::new(),
        code: 1,
        message: message.to_owned(),
    }
}

/// Simulated terminals answer at once: ringing, then answered, for each.
fn ring_and_answer(
    id: &BigId,
    members: &[Terminal],
    no_answer: &[TerminalId],
) -> Vec<VoiceMessage> {
    let ring = members.iter().map(|m| VoiceMessage::TempCallRing {
        call_id: id.clone(),
        from_id: m.id,
        message: text::RINGING.to_owned(),
    });
    let answer = members
        .iter()
        .filter(|m| !no_answer.contains(&m.id))
        .map(|m| VoiceMessage::TempCallAnswer {
            call_id: id.clone(),
            from_id: m.id,
            message: text::ANSWERED.to_owned(),
        });
    ring.chain(answer).collect()
}

/// `http://` or `https://` followed by something.
fn is_http_url(s: &str) -> bool {
    let s = s.trim().to_ascii_lowercase();
    ["http://", "https://"]
        .iter()
        .any(|p| s.strip_prefix(p).is_some_and(|rest| !rest.is_empty()))
}

mod audio;
mod script;

pub use audio::{EchoPlan, SessionAudio, VoiceAudio};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SimConfig;

    pub(super) fn world() -> VoiceWorld {
        let cfg = SimConfig::default();
        VoiceWorld::new(cfg.users, cfg.terminals)
    }

    pub(super) fn json(out: &[Outgoing]) -> Vec<Value> {
        out.iter()
            .map(|o| serde_json::from_str(&o.msg.to_json()).unwrap_or(Value::Null))
            .collect()
    }

    pub(super) fn login(w: &mut VoiceWorld, conn: ConnId) {
        w.open(conn);
        w.on_text(
            conn,
            r#"{"type":"initServer","data":{"baseUrl":"http://127.0.0.1"}}"#,
        );
        let out = w.on_text(
            conn,
            r#"{"type":"connect","data":{"account":"zydd","password":"123456"}}"#,
        );
        assert_eq!(json(&out)[0]["code"], 1);
    }

    /// Starts a group call with ptcs11 from `conn`; returns its session id.
    fn start_session(w: &mut VoiceWorld, conn: ConnId) -> String {
        let out = w.on_text(
            conn,
            r#"{"type":"requestMic","toIds":[169918],"transaction":5}"#,
        );
        json(&out)[0]["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn init_server_wants_an_http_url() {
        let mut w = world();
        w.open(1);
        let out = json(&w.on_text(1, r#"{"type":"initServer","data":{"baseUrl":"ftp://x"}}"#));
        assert_eq!(out[0]["type"], "initServer");
        assert_eq!(out[0]["code"], 0);
        let out = json(&w.on_text(1, r#"{"type":"initServer","data":{"baseUrl":""}}"#));
        assert_eq!(
            (out[0]["code"].clone(), out[0]["message"].clone()),
            (Value::from(0), Value::from(text::INIT_EMPTY))
        );
        let out = json(&w.on_text(
            1,
            r#"{"type":"initServer","data":{"baseUrl":"https://voice.example"}}"#,
        ));
        assert_eq!(out[0]["code"], 1);
        assert_eq!(out[0]["message"], "服务器地址初始化成功");
    }

    #[test]
    fn the_floor_is_exclusive() {
        let mut w = world();
        login(&mut w, 1);
        let sid = start_session(&mut w, 1);
        // The dispatcher holds the floor, so the terminal cannot take it.
        assert!(w.terminal_talk(169918, true).is_empty());
        w.on_text(1, r#"{"type":"releaseMic"}"#);
        let notes = json(&w.terminal_talk(169918, true));
        assert_eq!(notes[0]["cmd"], "memberGetMic");
        assert_eq!(notes[0]["data"]["memberName"], "ptcs11");
        let req = format!(r#"{{"type":"requestMic","sessionId":"{sid}","transaction":6}}"#);
        let out = json(&w.on_text(1, &req));
        assert_eq!(out[0]["code"], 0);
        assert_eq!(out[0]["message"], "麦克风打开失败,ptcs11正在讲话");
        assert_eq!(
            json(&w.terminal_talk(169918, false))[0]["cmd"],
            "memberLostMic"
        );
        let out = json(&w.on_text(1, &req));
        assert_eq!(out[0]["code"], 2);
        assert_eq!(out[1]["cmd"], "memberGetMic");
    }

    #[test]
    fn add_echoes_the_transaction_as_a_string_and_refuses_unknown_terminals() {
        let mut w = world();
        login(&mut w, 1);
        let sid = start_session(&mut w, 1);
        let req = format!(
            r#"{{"type":"addGroupMember","sessionId":"{sid}","transaction":1671008849496,"data":{{"groupId":"{sid}","members":[{{"id":169919}},{{"id":1}}]}}}}"#
        );
        let out = json(&w.on_text(1, &req));
        assert_eq!(out[0]["type"], "audioResp");
        assert_eq!(out[0]["transaction"], "1671008849496");
        assert_eq!(out[0]["data"]["groupIdStr"], sid.as_str());
        assert_eq!(out[0]["data"]["results"][0]["code"], 0);
        assert_eq!(out[0]["data"]["results"][0]["name"], "ptcs12");
        assert_ne!(out[0]["data"]["results"][1]["code"], 0);
        let cmds: Vec<&str> = out[1..].iter().filter_map(|v| v["cmd"].as_str()).collect();
        assert_eq!(
            cmds,
            ["tempCallRing", "tempCallAnswer", "tempCallMemberUpdate"]
        );
        assert_eq!(out[3]["data"]["members"].as_array().map(Vec::len), Some(3));
    }

    #[test]
    fn kick_and_hang_up() {
        let mut w = world();
        login(&mut w, 1);
        let out = w.on_text(
            1,
            r#"{"type":"requestMic","toIds":[169918,169919],"transaction":5}"#,
        );
        let sid = json(&out)[0]["sessionId"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let req = format!(
            r#"{{"type":"kickGroupMember","sessionId":"{sid}","data":{{"groupId":"{sid}","ids":[169918]}}}}"#
        );
        let out = json(&w.on_text(1, &req));
        assert_eq!(out[0]["cmd"], "kickGroupMember");
        assert_eq!(out[0]["data"]["result"]["code"], 0);
        assert_eq!(out[0]["data"]["groupIdStr"], sid.as_str());
        assert_eq!(out[1]["data"]["members"].as_array().map(Vec::len), Some(2));

        let req = format!(r#"{{"type":"tempCallHangup","sessionId":"{sid}"}}"#);
        let out = json(&w.on_text(1, &req));
        assert_eq!(out[0]["cmd"], "tempCallHangup");
        assert_eq!(out[0]["data"]["result"]["code"], 0);
        assert_eq!(out[0]["data"]["tempCallIdStr"], sid.as_str());
        assert_eq!(
            (out[1]["type"].as_str(), out[1]["cmd"].as_str()),
            (Some("notify"), Some("tempCallHangup"))
        );
        let out = json(&w.on_text(1, &req));
        assert_eq!(out[0]["data"]["result"]["code"], -1);
        assert!(w.sessions().is_empty());
    }

    #[test]
    fn notifications_reach_every_socket_of_the_dispatcher_only() {
        let mut w = world();
        login(&mut w, 1);
        login(&mut w, 2);
        w.open(3);
        let out = w.on_text(
            1,
            r#"{"type":"requestMic","toIds":[169918],"transaction":5}"#,
        );
        assert_eq!(out.iter().filter(|o| o.conn == 1).count(), 5);
        assert_eq!(out.iter().filter(|o| o.conn == 2).count(), 4);
        assert!(out.iter().all(|o| o.conn != 3));
    }

    #[test]
    fn garbage_is_counted_not_answered() {
        let mut w = world();
        w.open(1);
        for t in [
            "",
            "{",
            "[]",
            r#"{"type":"fly"}"#,
            r#"{"type":"tempCallHangup"}"#,
        ] {
            assert!(w.on_text(1, t).is_empty(), "{t}");
        }
        assert_eq!(w.rejected, 5);
    }
}
