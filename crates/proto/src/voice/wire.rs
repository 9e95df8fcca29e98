//! Messages of the voice plugin, as its examples show them (the tables
//! disagree in places; see seeds/README.md).
//!
//! Requests go from the console to the plugin; everything else comes back.
//! Both directions encode and decode, because the simulator speaks the other
//! side with the same types.

use crate::id::{BigId, JS_SAFE_MAX};
use crate::lenient::{value_to_i64, value_to_string, value_to_u64, ListOf};
use crate::DecodeError;
use serde_json::{json, Map, Value};

/// A terminal (radio or phone user) id. Small enough to travel as a number.
pub type TerminalId = u64;

/// What the console sends to the plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceRequest {
    /// Tells the plugin which voice server to use; must precede `Connect`.
    InitServer {
        base_url: String,
    },
    /// Login. The request's `type` is `connect`; the reply's is `login`.
    Connect {
        account: String,
        password: String,
    },
    /// Without a session: creates one with `to_ids` and takes the floor
    /// (reply `createGroup`). With a session: asks for the floor (reply `requestMic`).
    RequestMic {
        to_ids: Vec<TerminalId>,
        transaction: u64,
        session_id: Option<BigId>,
    },
    ReleaseMic,
    AddGroupMember {
        session_id: BigId,
        members: Vec<TerminalId>,
    },
    KickGroupMember {
        session_id: BigId,
        ids: Vec<TerminalId>,
    },
    TempCallHangup {
        session_id: BigId,
    },
    /// Logout; spelled `loginOut` on the wire.
    LoginOut,
}

impl VoiceRequest {
    pub fn to_json(&self) -> String {
        crate::lenient::json_text(&self.to_value(false))
    }

    /// The same message with the password masked, for the journal.
    pub fn redacted(&self) -> String {
        crate::lenient::json_text(&self.to_value(true))
    }

    /// The `type` on the wire.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::InitServer { .. } => "initServer",
            Self::Connect { .. } => "connect",
            Self::RequestMic { .. } => "requestMic",
            Self::ReleaseMic => "releaseMic",
            Self::AddGroupMember { .. } => "addGroupMember",
            Self::KickGroupMember { .. } => "kickGroupMember",
            Self::TempCallHangup { .. } => "tempCallHangup",
            Self::LoginOut => "loginOut",
        }
    }

    fn to_value(&self, redact: bool) -> Value {
        let kind = self.kind();
        match self {
            Self::InitServer { base_url } => json!({"type": kind, "data": {"baseUrl": base_url}}),
            Self::Connect { account, password } => {
                let password = if redact { "***" } else { password.as_str() };
                json!({"type": kind, "data": {"account": account, "password": password}})
            }
            Self::RequestMic {
                to_ids,
                transaction,
                session_id,
            } => {
                let mut v = json!({"type": kind, "toIds": to_ids, "transaction": transaction});
                if let Some(s) = session_id {
                    v["sessionId"] = json!(s);
                }
                v
            }
            Self::ReleaseMic | Self::LoginOut => json!({"type": kind}),
            Self::AddGroupMember {
                session_id,
                members,
            } => {
                let members: Vec<Value> = members.iter().map(|id| json!({"id": id})).collect();
                json!({"type": kind, "sessionId": session_id, "data": {"groupId": session_id, "members": members}})
            }
            Self::KickGroupMember { session_id, ids } => {
                json!({"type": kind, "sessionId": session_id, "data": {"groupId": session_id, "ids": ids}})
            }
            Self::TempCallHangup { session_id } => json!({"type": kind, "sessionId": session_id}),
        }
    }

    /// Decodes a request (the simulator's side). Refuses what the document
    /// marks required but is missing.
    pub fn decode(text: &str) -> Result<Self, DecodeError> {
        let v: Value = serde_json::from_str(text)?;
        let o = v
            .as_object()
            .ok_or_else(|| DecodeError::new("request is not a JSON object"))?;
        let data = o.get("data").and_then(Value::as_object);
        let data_str = |key: &str| -> Result<String, DecodeError> {
            data.and_then(|d| d.get(key))
                .and_then(value_to_string)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| DecodeError::new(format!("data.{key} is required")))
        };
        let session = || -> Result<BigId, DecodeError> {
            o.get("sessionId")
                .and_then(value_to_string)
                .and_then(|s| BigId::parse(&s))
                .ok_or_else(|| DecodeError::new("sessionId is required"))
        };
        let ids = |v: Option<&Value>, what: &str| -> Result<Vec<TerminalId>, DecodeError> {
            let list = v
                .and_then(Value::as_array)
                .ok_or_else(|| DecodeError::new(format!("{what} is required")))?;
            list.iter()
                .map(|x| {
                    let x = x.get("id").unwrap_or(x);
                    value_to_u64(x).ok_or_else(|| {
                        let x = crate::lenient::json_text(x);
                        DecodeError::new(format!("{what} holds a non-numeric id: {x}"))
                    })
                })
                .collect()
        };
        match kind_of(o)? {
            "initServer" => Ok(Self::InitServer {
                base_url: data_str("baseUrl")?,
            }),
            "connect" => Ok(Self::Connect {
                account: data_str("account")?,
                password: data_str("password")?,
            }),
            "requestMic" => {
                let session_id = o
                    .get("sessionId")
                    .and_then(value_to_string)
                    .and_then(|s| BigId::parse(&s));
                let to_ids = match o.get("toIds") {
                    None if session_id.is_some() => Vec::new(),
                    v => ids(v, "toIds")?,
                };
                let transaction = o.get("transaction").and_then(value_to_u64);
                let transaction = match (transaction, &session_id) {
                    (Some(t), _) => t,
                    (None, Some(_)) => 0,
                    (None, None) => {
                        return Err(DecodeError::new(
                            "transaction is required for a new session",
                        ))
                    }
                };
                Ok(Self::RequestMic {
                    to_ids,
                    transaction,
                    session_id,
                })
            }
            "releaseMic" => Ok(Self::ReleaseMic),
            "addGroupMember" => Ok(Self::AddGroupMember {
                session_id: session()?,
                members: ids(data.and_then(|d| d.get("members")), "data.members")?,
            }),
            "kickGroupMember" => Ok(Self::KickGroupMember {
                session_id: session()?,
                ids: ids(data.and_then(|d| d.get("ids")), "data.ids")?,
            }),
            "tempCallHangup" => Ok(Self::TempCallHangup {
                session_id: session()?,
            }),
            "loginOut" => Ok(Self::LoginOut),
            other => Err(DecodeError::new(format!("unknown request type {other:?}"))),
        }
    }
}

/// `code` and `message` of a plain reply. Success is 1 for most replies and
/// 2 for a granted floor; 0 is failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    pub code: i64,
    pub message: String,
}

impl Ack {
    pub fn ok(&self) -> bool {
        self.code > 0
    }
}

/// `result` inside audioResp replies and `hangupReason` in notifications:
/// 0 is success there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultCode {
    pub code: i64,
    pub message: String,
}

/// One line of the addGroupMember reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberResult {
    pub id: TerminalId,
    pub name: String,
    /// 0 is success.
    pub code: i64,
    pub message: String,
}

/// A member's state in a temporary call (`callState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberCallState {
    Idle,
    Busy,
    Calling,
    Ringing,
    Answered,
}

impl MemberCallState {
    pub fn from_code(c: i64) -> Option<Self> {
        Some(match c {
            0 => Self::Idle,
            1 => Self::Busy,
            2 => Self::Calling,
            3 => Self::Ringing,
            4 => Self::Answered,
            _ => return None,
        })
    }

    pub fn code(self) -> i64 {
        self as i64
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallMember {
    pub member_id: TerminalId,
    pub member_name: String,
    pub call_state: MemberCallState,
}

/// Everything the plugin sends: replies and notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceMessage {
    InitServer(Ack),
    Login(Ack),
    /// A new session was created and the floor granted (code 1).
    CreateGroup {
        transaction: u64,
        session_id: Option<BigId>,
        ack: Ack,
    },
    /// The floor in an existing session (code 2).
    RequestMic {
        transaction: Option<u64>,
        session_id: Option<BigId>,
        ack: Ack,
    },
    ReleaseMic(Ack),
    LogoutResp(Ack),
    /// `audioResp` / `addGroupMember`.
    AddGroupMemberResp {
        transaction: Option<u64>,
        group_id: BigId,
        results: Vec<MemberResult>,
    },
    /// `audioResp` / `tempCallHangup`.
    HangupResp {
        call_id: BigId,
        result: ResultCode,
    },
    /// `audioResp` / `kickGroupMember`: undocumented, so only what can be read
    /// is kept; a missing result counts as success.
    KickGroupMemberResp {
        group_id: Option<BigId>,
        result: Option<ResultCode>,
    },
    MemberGetMic {
        group_id: BigId,
        member_id: TerminalId,
        member_name: String,
    },
    MemberLostMic {
        group_id: BigId,
        member_id: TerminalId,
    },
    TempCallRing {
        call_id: BigId,
        from_id: TerminalId,
        message: String,
    },
    TempCallAnswer {
        call_id: BigId,
        from_id: TerminalId,
        message: String,
    },
    TempCallMemberUpdate {
        call_id: BigId,
        from_id: TerminalId,
        members: Vec<CallMember>,
    },
    TempCallHangup {
        call_id: BigId,
        from_id: TerminalId,
        reason: ResultCode,
    },
}

/// The id names a notification may use: examples say `tempCallId`, tables `groupId`.
const CALL_ID_NAMES: &[&str] = &["tempCallId", "groupId"];
const GROUP_ID_NAMES: &[&str] = &["groupId", "tempCallId"];

/// A decoded message and the list elements left out of it (a member whose
/// id or `callState` does not decode, ...), one line each for the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedMessage {
    pub message: VoiceMessage,
    pub skipped: Vec<String>,
}

impl VoiceMessage {
    /// [`VoiceMessage::decode_reporting`] without the report.
    pub fn decode(text: &str) -> Result<Self, DecodeError> {
        Self::decode_reporting(text).map(|d| d.message)
    }

    /// Decodes a message; one bad element of a list in it (members,
    /// addGroupMember results) is skipped and reported, not the whole message.
    pub fn decode_reporting(text: &str) -> Result<DecodedMessage, DecodeError> {
        let mut skipped = Vec::new();
        let message = Self::decode_into(text, &mut skipped)?;
        Ok(DecodedMessage { message, skipped })
    }

    fn decode_into(text: &str, skipped: &mut Vec<String>) -> Result<Self, DecodeError> {
        let v: Value = serde_json::from_str(text)?;
        let o = v
            .as_object()
            .ok_or_else(|| DecodeError::new("message is not a JSON object"))?;
        let ack = || Ack {
            code: int(o, "code").unwrap_or(0),
            message: string(o, "message"),
        };
        let kind = kind_of(o)?;
        let msg = match kind {
            "initServer" => Self::InitServer(ack()),
            "login" => Self::Login(ack()),
            "createGroup" => Self::CreateGroup {
                transaction: o.get("transaction").and_then(value_to_u64).unwrap_or(0),
                session_id: session_id(o)?,
                ack: ack(),
            },
            "requestMic" => Self::RequestMic {
                transaction: o.get("transaction").and_then(value_to_u64),
                session_id: session_id(o)?,
                ack: ack(),
            },
            "releaseMic" => Self::ReleaseMic(ack()),
            "logoutResp" => Self::LogoutResp(ack()),
            "audioResp" => decode_audio_resp(o, skipped)?,
            "notify" => decode_notify(o, skipped)?,
            other => return Err(DecodeError::new(format!("unknown message type {other:?}"))),
        };
        Ok(msg)
    }

    /// Encodes as the plugin does, numeric id copies included (rounded the way
    /// a JavaScript server rounds them, so clients that trust them are caught).
    pub fn to_json(&self) -> String {
        let ack_json =
            |kind: &str, a: &Ack| json!({"type": kind, "code": a.code, "message": a.message});
        let v = match self {
            Self::InitServer(a) => ack_json("initServer", a),
            Self::Login(a) => ack_json("login", a),
            Self::ReleaseMic(a) => ack_json("releaseMic", a),
            Self::LogoutResp(a) => ack_json("logoutResp", a),
            Self::CreateGroup {
                transaction,
                session_id,
                ack,
            } => {
                let mut v = ack_json("createGroup", ack);
                v["transaction"] = json!(transaction);
                if let Some(s) = session_id {
                    v["sessionId"] = json!(s);
                }
                v
            }
            Self::RequestMic {
                transaction,
                session_id,
                ack,
            } => {
                let mut v = ack_json("requestMic", ack);
                if let Some(t) = transaction {
                    v["transaction"] = json!(t);
                }
                if let Some(s) = session_id {
                    v["sessionId"] = json!(s);
                }
                v
            }
            Self::AddGroupMemberResp {
                transaction,
                group_id,
                results,
            } => {
                let results: Vec<Value> = results
                    .iter()
                    .map(|r| json!({"id": r.id, "name": r.name, "code": r.code, "message": r.message}))
                    .collect();
                let mut data = Map::new();
                put_id(&mut data, "groupId", group_id);
                data.insert("results".into(), json!(results));
                let mut v = json!({"type": "audioResp", "cmd": "addGroupMember", "data": data});
                if let Some(t) = transaction {
                    v["transaction"] = json!(t.to_string());
                }
                v
            }
            Self::HangupResp { call_id, result } => {
                let mut data = Map::new();
                data.insert(
                    "result".into(),
                    json!({"code": result.code, "message": result.message}),
                );
                put_id(&mut data, "tempCallId", call_id);
                json!({"type": "audioResp", "cmd": "tempCallHangup", "data": data})
            }
            Self::KickGroupMemberResp { group_id, result } => {
                let mut data = Map::new();
                if let Some(r) = result {
                    data.insert(
                        "result".into(),
                        json!({"code": r.code, "message": r.message}),
                    );
                }
                if let Some(g) = group_id {
                    put_id(&mut data, "groupId", g);
                }
                json!({"type": "audioResp", "cmd": "kickGroupMember", "data": data})
            }
            Self::MemberGetMic {
                group_id,
                member_id,
                member_name,
            } => {
                let mut data = Map::new();
                put_id(&mut data, "groupId", group_id);
                data.insert("memberId".into(), json!(member_id));
                data.insert("memberName".into(), json!(member_name));
                notify("memberGetMic", data, None)
            }
            Self::MemberLostMic {
                group_id,
                member_id,
            } => {
                let mut data = Map::new();
                put_id(&mut data, "groupId", group_id);
                data.insert("memberId".into(), json!(member_id));
                notify("memberLostMic", data, None)
            }
            Self::TempCallRing {
                call_id,
                from_id,
                message,
            }
            | Self::TempCallAnswer {
                call_id,
                from_id,
                message,
            } => {
                let mut data = Map::new();
                put_id(&mut data, "tempCallId", call_id);
                data.insert("fromId".into(), json!(from_id));
                let cmd = if matches!(self, Self::TempCallRing { .. }) {
                    "tempCallRing"
                } else {
                    "tempCallAnswer"
                };
                notify(cmd, data, Some(message))
            }
            Self::TempCallMemberUpdate {
                call_id,
                from_id,
                members,
            } => {
                let mut data = Map::new();
                put_id(&mut data, "tempCallId", call_id);
                data.insert("fromId".into(), json!(from_id));
                let members: Vec<Value> = members
                    .iter()
                    .map(|m| json!({"memberId": m.member_id, "memberName": m.member_name, "callState": m.call_state.code()}))
                    .collect();
                data.insert("members".into(), json!(members));
                notify("tempCallMemberUpdate", data, None)
            }
            Self::TempCallHangup {
                call_id,
                from_id,
                reason,
            } => {
                let mut data = Map::new();
                data.insert(
                    "hangupReason".into(),
                    json!({"code": reason.code, "message": reason.message}),
                );
                put_id(&mut data, "tempCallId", call_id);
                data.insert("fromId".into(), json!(from_id));
                notify("tempCallHangup", data, None)
            }
        };
        crate::lenient::json_text(&v)
    }
}

fn notify(cmd: &str, data: Map<String, Value>, message: Option<&String>) -> Value {
    let mut v = json!({"type": "notify", "cmd": cmd, "data": data});
    if let Some(m) = message {
        v["message"] = json!(m);
    }
    v
}

/// Writes `<name>Str` exactly and `<name>` as the rounded number a
/// JavaScript server would send.
fn put_id(data: &mut Map<String, Value>, name: &str, id: &BigId) {
    if let Ok(n) = id.as_str().parse::<u64>() {
        let rounded = if n > JS_SAFE_MAX {
            (n as f64) as u64
        } else {
            n
        };
        data.insert(name.to_owned(), json!(rounded));
    }
    data.insert(format!("{name}Str"), json!(id));
}

fn kind_of(o: &Map<String, Value>) -> Result<&str, DecodeError> {
    o.get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| DecodeError::new("missing \"type\""))
}

fn int(o: &Map<String, Value>, key: &str) -> Option<i64> {
    o.get(key).and_then(value_to_i64)
}

fn string(o: &Map<String, Value>, key: &str) -> String {
    o.get(key).and_then(value_to_string).unwrap_or_default()
}

fn session_id(o: &Map<String, Value>) -> Result<Option<BigId>, DecodeError> {
    match o.get("sessionId").and_then(value_to_string) {
        None => Ok(None),
        Some(s) => BigId::parse(&s)
            .map(Some)
            .ok_or_else(|| DecodeError::new(format!("sessionId {s:?} is not an id"))),
    }
}

fn data_of(o: &Map<String, Value>) -> Result<&Map<String, Value>, DecodeError> {
    o.get("data")
        .and_then(Value::as_object)
        .ok_or_else(|| DecodeError::new("missing \"data\" object"))
}

fn terminal(d: &Map<String, Value>, key: &str) -> Result<TerminalId, DecodeError> {
    d.get(key)
        .and_then(value_to_u64)
        .ok_or_else(|| DecodeError::new(format!("missing or non-numeric {key}")))
}

fn id_in(d: &Map<String, Value>, names: &[&str]) -> Result<BigId, DecodeError> {
    BigId::from_fields(d, names).map_err(DecodeError::new)
}

fn result_code(v: Option<&Value>) -> Option<ResultCode> {
    let o = v?.as_object()?;
    Some(ResultCode {
        code: int(o, "code").unwrap_or(0),
        message: string(o, "message"),
    })
}

/// Decodes each element of the list `name` with `decode`, noting the ones
/// left out in `skipped`.
fn list_of<T>(
    list: &[Value],
    name: &str,
    skipped: &mut Vec<String>,
    decode: impl FnMut(&Value) -> Result<T, DecodeError>,
) -> Vec<T> {
    let list = ListOf::decode_each(list, decode);
    skipped.extend(list.skipped.iter().map(|s| format!("{name}: {s}")));
    list.items
}

fn decode_audio_resp(
    o: &Map<String, Value>,
    skipped: &mut Vec<String>,
) -> Result<VoiceMessage, DecodeError> {
    let cmd = o
        .get("cmd")
        .and_then(Value::as_str)
        .ok_or_else(|| DecodeError::new("audioResp without \"cmd\""))?;
    let d = data_of(o)?;
    match cmd {
        "addGroupMember" => {
            let results = d
                .get("results")
                .and_then(Value::as_array)
                .ok_or_else(|| DecodeError::new("addGroupMember reply without results"))?;
            let results = list_of(results, "results", skipped, |r| {
                let r = r
                    .as_object()
                    .ok_or_else(|| DecodeError::new("a result is not an object"))?;
                Ok(MemberResult {
                    id: terminal(r, "id")?,
                    name: string(r, "name"),
                    code: int(r, "code").unwrap_or(0),
                    message: string(r, "message"),
                })
            });
            Ok(VoiceMessage::AddGroupMemberResp {
                transaction: o.get("transaction").and_then(value_to_u64),
                group_id: id_in(d, GROUP_ID_NAMES)?,
                results,
            })
        }
        "tempCallHangup" => Ok(VoiceMessage::HangupResp {
            call_id: id_in(d, CALL_ID_NAMES)?,
            result: result_code(d.get("result"))
                .ok_or_else(|| DecodeError::new("tempCallHangup reply without result"))?,
        }),
        "kickGroupMember" => Ok(VoiceMessage::KickGroupMemberResp {
            group_id: BigId::from_fields(d, GROUP_ID_NAMES).ok(),
            result: result_code(d.get("result")),
        }),
        other => Err(DecodeError::new(format!("unknown audioResp cmd {other:?}"))),
    }
}

fn decode_notify(
    o: &Map<String, Value>,
    skipped: &mut Vec<String>,
) -> Result<VoiceMessage, DecodeError> {
    let cmd = o
        .get("cmd")
        .and_then(Value::as_str)
        .ok_or_else(|| DecodeError::new("notify without \"cmd\""))?;
    let d = data_of(o)?;
    let message = string(o, "message");
    Ok(match cmd {
        "memberGetMic" => VoiceMessage::MemberGetMic {
            group_id: id_in(d, GROUP_ID_NAMES)?,
            member_id: terminal(d, "memberId")?,
            member_name: string(d, "memberName"),
        },
        "memberLostMic" => VoiceMessage::MemberLostMic {
            group_id: id_in(d, GROUP_ID_NAMES)?,
            member_id: terminal(d, "memberId")?,
        },
        "tempCallRing" => VoiceMessage::TempCallRing {
            call_id: id_in(d, CALL_ID_NAMES)?,
            from_id: terminal(d, "fromId")?,
            message,
        },
        "tempCallAnswer" => VoiceMessage::TempCallAnswer {
            call_id: id_in(d, CALL_ID_NAMES)?,
            from_id: terminal(d, "fromId")?,
            message,
        },
        "tempCallMemberUpdate" => {
            let members = d
                .get("members")
                .and_then(Value::as_array)
                .ok_or_else(|| DecodeError::new("tempCallMemberUpdate without members"))?;
            let members = list_of(members, "members", skipped, |m| {
                let m = m
                    .as_object()
                    .ok_or_else(|| DecodeError::new("a member is not an object"))?;
                let state = m.get("callState");
                Ok(CallMember {
                    member_id: terminal(m, "memberId")?,
                    member_name: string(m, "memberName"),
                    call_state: state
                        .and_then(value_to_i64)
                        .and_then(MemberCallState::from_code)
                        .ok_or_else(|| {
                            let state = state.map_or("none".to_owned(), crate::lenient::json_text);
                            DecodeError::new(format!("unknown callState {state}"))
                        })?,
                })
            });
            VoiceMessage::TempCallMemberUpdate {
                call_id: id_in(d, CALL_ID_NAMES)?,
                from_id: terminal(d, "fromId")?,
                members,
            }
        }
        // The table names this `tempCallAnswer`; the example, which servers follow, `tempCallHangup`.
        "tempCallHangup" => VoiceMessage::TempCallHangup {
            call_id: id_in(d, CALL_ID_NAMES)?,
            from_id: terminal(d, "fromId")?,
            reason: result_code(d.get("hangupReason")).unwrap_or(ResultCode {
                code: 0,
                message: String::new(),
            }),
        },
        other => return Err(DecodeError::new(format!("unknown notify cmd {other:?}"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> BigId {
        BigId::parse(s).unwrap()
    }

    #[test]
    fn requests_round_trip_through_the_simulator_decoder() {
        let all = [
            VoiceRequest::InitServer {
                base_url: "http://10.0.0.1:8080".into(),
            },
            VoiceRequest::Connect {
                account: "zydd".into(),
                password: "pw".into(),
            },
            VoiceRequest::RequestMic {
                to_ids: vec![169918, 169919],
                transaction: 1671006883842,
                session_id: None,
            },
            VoiceRequest::RequestMic {
                to_ids: vec![],
                transaction: 7,
                session_id: Some(id("50351257998589953")),
            },
            VoiceRequest::ReleaseMic,
            VoiceRequest::AddGroupMember {
                session_id: id("50354528800735233"),
                members: vec![169919],
            },
            VoiceRequest::KickGroupMember {
                session_id: id("50354528800735233"),
                ids: vec![169919],
            },
            VoiceRequest::TempCallHangup {
                session_id: id("50354528800735233"),
            },
            VoiceRequest::LoginOut,
        ];
        for r in all {
            assert_eq!(VoiceRequest::decode(&r.to_json()).unwrap(), r);
        }
    }

    #[test]
    fn connect_is_redacted_for_the_journal() {
        let r = VoiceRequest::Connect {
            account: "zydd".into(),
            password: "s3cret".into(),
        };
        assert!(r.to_json().contains("s3cret"));
        assert!(!r.redacted().contains("s3cret"));
        assert!(r.redacted().contains("zydd"));
    }

    #[test]
    fn requests_missing_required_fields_are_refused() {
        assert!(VoiceRequest::decode(r#"{"type":"connect","data":{"account":"a"}}"#).is_err());
        assert!(VoiceRequest::decode(r#"{"type":"initServer","data":{"baseUrl":""}}"#).is_err());
        assert!(VoiceRequest::decode(r#"{"type":"requestMic","toIds":[1]}"#).is_err());
        assert!(VoiceRequest::decode(r#"{"type":"tempCallHangup"}"#).is_err());
        assert!(VoiceRequest::decode(r#"{"type":"fly"}"#).is_err());
    }

    #[test]
    fn messages_round_trip_with_exact_ids() {
        let all = [
            VoiceMessage::Login(Ack {
                code: 1,
                message: "登录成功".into(),
            }),
            VoiceMessage::CreateGroup {
                transaction: 1671006883842,
                session_id: Some(id("50351257998589953")),
                ack: Ack {
                    code: 1,
                    message: "ok".into(),
                },
            },
            VoiceMessage::AddGroupMemberResp {
                transaction: Some(1671008849496),
                group_id: id("50354528800735233"),
                results: vec![MemberResult {
                    id: 169919,
                    name: "ptcs12".into(),
                    code: 0,
                    message: String::new(),
                }],
            },
            VoiceMessage::HangupResp {
                call_id: id("50351257998589953"),
                result: ResultCode {
                    code: 0,
                    message: "".into(),
                },
            },
            VoiceMessage::KickGroupMemberResp {
                group_id: Some(id("9")),
                result: None,
            },
            VoiceMessage::MemberGetMic {
                group_id: id("50354528800735233"),
                member_id: 169918,
                member_name: "ptcs11".into(),
            },
            VoiceMessage::TempCallMemberUpdate {
                call_id: id("50357467464335361"),
                from_id: 169905,
                members: vec![CallMember {
                    member_id: 1,
                    member_name: "a".into(),
                    call_state: MemberCallState::Ringing,
                }],
            },
            VoiceMessage::TempCallHangup {
                call_id: id("50354528800735233"),
                from_id: 169918,
                reason: ResultCode {
                    code: 0,
                    message: String::new(),
                },
            },
        ];
        for m in all {
            let text = m.to_json();
            assert_eq!(VoiceMessage::decode(&text).unwrap(), m, "{text}");
        }
    }

    #[test]
    fn the_simulator_rounds_the_numeric_copy_like_javascript() {
        let m = VoiceMessage::MemberLostMic {
            group_id: id("50354528800735233"),
            member_id: 1,
        };
        let v: Value = serde_json::from_str(&m.to_json()).unwrap();
        assert_ne!(v["data"]["groupId"].as_u64().unwrap(), 50354528800735233);
        assert_eq!(v["data"]["groupIdStr"], "50354528800735233");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in [
            "",
            "null",
            "[]",
            "{}",
            r#"{"type":42}"#,
            r#"{"type":"notify"}"#,
            r#"{"type":"notify","cmd":"memberGetMic","data":{"groupId":50354528800735230}}"#,
            r#"{"type":"notify","cmd":"tempCallMemberUpdate","data":{"tempCallIdStr":"1","fromId":1}}"#,
            r#"{"type":"notify","cmd":"tempCallMemberUpdate","data":{"tempCallIdStr":"1","fromId":1,"members":{}}}"#,
            r#"{"type":"audioResp","cmd":"dance","data":{}}"#,
            r#"{"type":"surprise"}"#,
        ] {
            assert!(VoiceMessage::decode(text).is_err(), "{text}");
        }
    }

    #[test]
    fn a_bad_member_is_skipped_and_reported() {
        let text = r#"{"type":"notify","cmd":"tempCallMemberUpdate","data":{"tempCallIdStr":"1","fromId":1,
            "members":[{"memberId":1,"memberName":"a","callState":9},{"memberId":2,"memberName":"b","callState":"3"},
                       "x",{"memberName":"c","callState":4},{"memberId":5,"callState":""}]}}"#;
        let d = VoiceMessage::decode_reporting(text).unwrap();
        let VoiceMessage::TempCallMemberUpdate { members, .. } = &d.message else {
            panic!("{d:?}")
        };
        assert_eq!(
            members,
            &[CallMember {
                member_id: 2,
                member_name: "b".into(),
                call_state: MemberCallState::Ringing,
            }]
        );
        assert_eq!(d.skipped.len(), 4, "{:?}", d.skipped);
        assert!(d.skipped[0].starts_with("members: element 0 skipped: unknown callState 9"));
        assert!(d.skipped[1].contains("element 2") && d.skipped[1].contains("not an object"));
        assert!(d.skipped[2].contains("element 3") && d.skipped[2].contains("memberId"));
        assert!(
            d.skipped[3].contains(r#"unknown callState """#),
            "{:?}",
            d.skipped
        );
        assert_eq!(VoiceMessage::decode(text).unwrap(), d.message);

        let text = r#"{"type":"audioResp","cmd":"addGroupMember","data":{"groupIdStr":"9",
            "results":[{"id":"x","name":"bad"},{"id":7,"name":"ok","code":0}]}}"#;
        let d = VoiceMessage::decode_reporting(text).unwrap();
        let VoiceMessage::AddGroupMemberResp { results, .. } = &d.message else {
            panic!("{d:?}")
        };
        assert_eq!(results.iter().map(|r| r.id).collect::<Vec<_>>(), [7]);
        assert_eq!(d.skipped.len(), 1);
        assert!(d.skipped[0].starts_with("results: element 0 skipped: missing or non-numeric id"));
    }
}
