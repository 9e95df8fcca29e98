//! The embedding protocol: what a portal page and the console framed in it
//! say to each other through `postMessage` (docs/embed.md).
//!
//! Every message is a JSON object marked `"dispatchDesk": VERSION`. The
//! portal sends commands `{id, command, args}`; the console answers each one
//! exactly once (`ok` with a `result`, or an `error`) and posts events
//! `{event, data}`, `ready` first. This module only parses and builds
//! messages: origins and dispatching belong to the browser shell.

use serde_json::{json, Map, Value};

/// The protocol version, the value of the `dispatchDesk` mark.
pub const VERSION: u64 = 1;
/// The key that marks a message as ours.
pub const MARK: &str = "dispatchDesk";

/// Every command name, in the order `ready` lists them.
pub const COMMANDS: &[&str] = &[
    "configure",
    "voice.login",
    "voice.logout",
    "ptt.start",
    "ptt.talk",
    "ptt.hangUp",
    "meeting.join",
    "meeting.leave",
    "meeting.mute",
    "meeting.lock",
    "call.dial",
    "call.cancel",
    "ivr.play",
    "show",
    "layout",
];

/// The panels `show` can bring forward.
pub const PANELS: &[&str] = &["ptt", "meeting", "calls", "ivr", "journal", "settings"];

/// A command from the portal, its arguments checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// config.json keys (everything but `embed`), to apply at run time.
    Configure(Map<String, Value>),
    /// `password` may be absent when `configure` gave `voice.password`.
    VoiceLogin {
        account: String,
        password: Option<String>,
    },
    VoiceLogout,
    PttStart {
        terminals: Vec<u64>,
    },
    PttTalk {
        pressed: bool,
    },
    PttHangUp,
    /// `pin` may be absent when `configure` gave `meeting.joinPwd`.
    MeetingJoin {
        conference: String,
        pin: Option<String>,
    },
    MeetingLeave,
    MeetingMute {
        participant: String,
        muted: bool,
    },
    MeetingLock {
        locked: bool,
    },
    CallDial {
        user_id: u64,
    },
    CallCancel {
        call_sid: String,
    },
    /// The PlayVoice form's fields as given (the token may come from `configure`).
    IvrPlay {
        fields: Vec<(String, String)>,
    },
    Show {
        panel: String,
    },
    Layout {
        mode: LayoutMode,
    },
}

/// How much of the desk a frame shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LayoutMode {
    /// Chosen by the frame's size.
    #[default]
    Full,
    /// One panel at a time, whatever the size.
    Compact,
}

impl LayoutMode {
    pub fn name(self) -> &'static str {
        match self {
            Self::Full => "full",
            Self::Compact => "compact",
        }
    }
}

/// A command with the id its answer must carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: String,
    pub command: Command,
}

/// Why a command was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    /// The protocol version is not ours.
    UnsupportedVersion,
    UnknownCommand,
    BadArguments,
    /// Accepted but impossible now (e.g. not logged in, no such call).
    Refused,
}

impl ErrorCode {
    pub fn name(&self) -> &'static str {
        match self {
            Self::UnsupportedVersion => "unsupportedVersion",
            Self::UnknownCommand => "unknownCommand",
            Self::BadArguments => "badArguments",
            Self::Refused => "refused",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedError {
    pub code: ErrorCode,
    pub message: String,
}

impl EmbedError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    fn bad(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::BadArguments, message)
    }
}

/// What a message from the portal turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// Not marked as ours (another library's message): ignore it silently.
    Foreign,
    Command(Request),
    /// Marked as ours but unusable; answer with this error. `id` is empty
    /// when the message had none (the answer then cannot be matched, but
    /// the portal still hears why).
    Refused {
        id: String,
        error: EmbedError,
    },
}

/// Reads one message posted by the portal.
pub fn parse(message: &Value) -> Incoming {
    let Some(object) = message.as_object() else {
        return Incoming::Foreign;
    };
    let Some(mark) = object.get(MARK) else {
        return Incoming::Foreign;
    };
    let id = match object.get("id") {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let refuse = |error| Incoming::Refused {
        id: id.clone(),
        error,
    };
    if mark.as_u64() != Some(VERSION) {
        return refuse(EmbedError::new(
            ErrorCode::UnsupportedVersion,
            format!(
                "dispatchDesk {} is not version {VERSION}",
                crate::lenient::json_text(mark)
            ),
        ));
    }
    if id.is_empty() {
        return refuse(EmbedError::bad("a command needs a string id"));
    }
    let Some(name) = object.get("command").and_then(Value::as_str) else {
        return refuse(EmbedError::bad("a command needs a string \"command\""));
    };
    let empty = Map::new();
    let args = match object.get("args") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(args)) => args,
        Some(_) => return refuse(EmbedError::bad("args must be an object")),
    };
    match command(name, &Args(args)) {
        Ok(command) => Incoming::Command(Request { id, command }),
        Err(error) => refuse(error),
    }
}

fn command(name: &str, args: &Args) -> Result<Command, EmbedError> {
    Ok(match name {
        "configure" => {
            if args.0.contains_key("embed") {
                return Err(EmbedError::bad(
                    "embed.origins comes from config.json only; configure cannot change it",
                ));
            }
            Command::Configure(args.0.clone())
        }
        "voice.login" => Command::VoiceLogin {
            account: args.text("account")?,
            password: args.optional_text("password")?,
        },
        "voice.logout" => Command::VoiceLogout,
        "ptt.start" => {
            let terminals = args.ids("terminals")?;
            if terminals.is_empty() {
                return Err(EmbedError::bad("terminals: at least one id"));
            }
            Command::PttStart { terminals }
        }
        "ptt.talk" => Command::PttTalk {
            pressed: args.flag("pressed")?,
        },
        "ptt.hangUp" => Command::PttHangUp,
        "meeting.join" => Command::MeetingJoin {
            conference: args.text("conference")?,
            pin: args.optional_text("pin")?,
        },
        "meeting.leave" => Command::MeetingLeave,
        "meeting.mute" => Command::MeetingMute {
            participant: args.text("participant")?,
            muted: args.flag("muted")?,
        },
        "meeting.lock" => Command::MeetingLock {
            locked: args.flag("locked")?,
        },
        "call.dial" => Command::CallDial {
            user_id: args.id("userId")?,
        },
        "call.cancel" => Command::CallCancel {
            call_sid: args.text("callSid")?,
        },
        "ivr.play" => Command::IvrPlay {
            fields: args.fields()?,
        },
        "show" => {
            let panel = args.text("panel")?;
            if !PANELS.contains(&panel.as_str()) {
                return Err(EmbedError::bad(format!(
                    "panel {panel:?}: expected one of {}",
                    PANELS.join(", ")
                )));
            }
            Command::Show { panel }
        }
        "layout" => Command::Layout {
            mode: match args.text("mode")?.as_str() {
                "full" => LayoutMode::Full,
                "compact" => LayoutMode::Compact,
                other => {
                    return Err(EmbedError::bad(format!(
                        "mode {other:?}: expected \"full\" or \"compact\""
                    )))
                }
            },
        },
        other => {
            return Err(EmbedError::new(
                ErrorCode::UnknownCommand,
                format!("unknown command {other:?}"),
            ))
        }
    })
}

/// A command's `args`, read with the reason for any refusal.
struct Args<'a>(&'a Map<String, Value>);

impl Args<'_> {
    fn optional_text(&self, key: &str) -> Result<Option<String>, EmbedError> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.clone())),
            Some(_) => Err(EmbedError::bad(format!(
                "{key}: expected a non-empty string"
            ))),
        }
    }

    fn text(&self, key: &str) -> Result<String, EmbedError> {
        self.optional_text(key)?
            .ok_or_else(|| EmbedError::bad(format!("{key} is required")))
    }

    fn flag(&self, key: &str) -> Result<bool, EmbedError> {
        self.0
            .get(key)
            .and_then(Value::as_bool)
            .ok_or_else(|| EmbedError::bad(format!("{key}: expected true or false")))
    }

    /// A terminal or user id: a JSON number, or digits in a string (ids
    /// beyond 2^53 lose precision as JS numbers).
    fn id_of(key: &str, value: &Value) -> Result<u64, EmbedError> {
        match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| EmbedError::bad(format!("{key}: expected a positive integer id")))
    }

    fn id(&self, key: &str) -> Result<u64, EmbedError> {
        let value = self
            .0
            .get(key)
            .ok_or_else(|| EmbedError::bad(format!("{key} is required")))?;
        Self::id_of(key, value)
    }

    fn ids(&self, key: &str) -> Result<Vec<u64>, EmbedError> {
        match self.0.get(key) {
            Some(Value::Array(items)) => items.iter().map(|v| Self::id_of(key, v)).collect(),
            _ => Err(EmbedError::bad(format!("{key}: expected a list of ids"))),
        }
    }

    /// Form fields: strings, or numbers written as the form would send them.
    fn fields(&self) -> Result<Vec<(String, String)>, EmbedError> {
        self.0
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                Value::Number(n) => Ok((k.clone(), n.to_string())),
                _ => Err(EmbedError::bad(format!("{k}: expected a string or number"))),
            })
            .collect()
    }
}

/// The answer to command `id` that succeeded.
pub fn answer_ok(id: &str, result: Value) -> Value {
    json!({ MARK: VERSION, "id": id, "ok": true, "result": result })
}

/// The answer to command `id` that failed.
pub fn answer_err(id: &str, error: &EmbedError) -> Value {
    json!({
        MARK: VERSION,
        "id": id,
        "ok": false,
        "error": { "code": error.code.name(), "message": error.message },
    })
}

/// A terminal in a group call, as events report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: u64,
    pub name: String,
    /// `idle`, `busy`, `calling`, `ringing` or `answered`.
    pub state: &'static str,
}

/// What the console tells the portal without being asked.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Commands may be sent from now on.
    Ready,
    /// `service`: voice, meeting, calls or ivr; `state` as the header's light.
    Light {
        service: &'static str,
        state: &'static str,
    },
    /// Who holds the floor: nobody, the dispatcher (`me`), or a terminal.
    PttFloor {
        talker: Option<(u64, String)>,
        me: bool,
    },
    /// The group call's members; `session_id` is `None` once it ended.
    PttMembers {
        session_id: Option<String>,
        members: Vec<Member>,
    },
    CallState {
        call_sid: String,
        state: String,
    },
    /// The meeting's participants, as the meeting service describes them.
    MeetingRoster {
        participants: Vec<Value>,
    },
    Error {
        message: String,
    },
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::Light { .. } => "light",
            Self::PttFloor { .. } => "ptt.floor",
            Self::PttMembers { .. } => "ptt.members",
            Self::CallState { .. } => "call.state",
            Self::MeetingRoster { .. } => "meeting.roster",
            Self::Error { .. } => "error",
        }
    }

    /// The message to post.
    pub fn to_message(&self) -> Value {
        let data = match self {
            Self::Ready => json!({ "version": VERSION, "commands": COMMANDS }),
            Self::Light { service, state } => json!({ "service": service, "state": state }),
            Self::PttFloor { talker, me } => json!({
                "talker": talker.as_ref().map(|(id, name)| json!({ "id": id, "name": name })),
                "me": me,
            }),
            Self::PttMembers {
                session_id,
                members,
            } => json!({
                "sessionId": session_id,
                "members": members
                    .iter()
                    .map(|m| json!({ "id": m.id, "name": m.name, "state": m.state }))
                    .collect::<Vec<_>>(),
            }),
            Self::CallState { call_sid, state } => {
                json!({ "callSid": call_sid, "state": state })
            }
            Self::MeetingRoster { participants } => json!({ "participants": participants }),
            Self::Error { message } => json!({ "message": message }),
        };
        json!({ MARK: VERSION, "event": self.name(), "data": data })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd(name: &str, args: Value) -> Incoming {
        parse(&json!({ "dispatchDesk": 1, "id": "7", "command": name, "args": args }))
    }

    fn ok(name: &str, args: Value) -> Command {
        match cmd(name, args) {
            Incoming::Command(r) => {
                assert_eq!(r.id, "7");
                r.command
            }
            other => panic!("{name}: {other:?}"),
        }
    }

    fn refused(name: &str, args: Value) -> EmbedError {
        match cmd(name, args) {
            Incoming::Refused { id, error } => {
                assert_eq!(id, "7");
                error
            }
            other => panic!("{name}: {other:?}"),
        }
    }

    #[test]
    fn every_listed_command_parses() {
        let samples = [
            ("configure", json!({ "voice": { "password": "p" } })),
            ("voice.login", json!({ "account": "d1", "password": "p" })),
            ("voice.logout", json!({})),
            ("ptt.start", json!({ "terminals": [1, "2"] })),
            ("ptt.talk", json!({ "pressed": true })),
            ("ptt.hangUp", json!({})),
            ("meeting.join", json!({ "conference": "100", "pin": "1" })),
            ("meeting.leave", json!({})),
            ("meeting.mute", json!({ "participant": "u", "muted": true })),
            ("meeting.lock", json!({ "locked": false })),
            ("call.dial", json!({ "userId": 9 })),
            ("call.cancel", json!({ "callSid": "s" })),
            ("ivr.play", json!({ "destnumber": "123", "voicetype": 1 })),
            ("show", json!({ "panel": "ivr" })),
            ("layout", json!({ "mode": "compact" })),
        ];
        assert_eq!(samples.len(), COMMANDS.len());
        for (name, args) in samples {
            assert!(COMMANDS.contains(&name));
            ok(name, args);
        }
    }

    #[test]
    fn arguments_are_typed() {
        assert_eq!(
            ok(
                "ptt.start",
                json!({ "terminals": [1, "18446744073709551615"] })
            ),
            Command::PttStart {
                terminals: vec![1, u64::MAX]
            }
        );
        assert_eq!(
            ok("voice.login", json!({ "account": "d1" })),
            Command::VoiceLogin {
                account: "d1".into(),
                password: None
            }
        );
        assert_eq!(
            ok("ivr.play", json!({ "destnumber": "123", "voicetype": 2 })),
            Command::IvrPlay {
                fields: vec![
                    ("destnumber".into(), "123".into()),
                    ("voicetype".into(), "2".into())
                ]
            }
        );
        assert_eq!(
            ok("layout", json!({ "mode": "full" })),
            Command::Layout {
                mode: LayoutMode::Full
            }
        );
        assert_eq!(ok("ptt.hangUp", Value::Null), Command::PttHangUp);
    }

    #[test]
    fn bad_arguments_are_refused_with_the_reason() {
        for (name, args, says) in [
            ("voice.login", json!({}), "account"),
            ("voice.login", json!({ "account": 5 }), "account"),
            ("ptt.start", json!({ "terminals": [] }), "terminals"),
            ("ptt.start", json!({ "terminals": [-1] }), "terminals"),
            ("ptt.talk", json!({ "pressed": "yes" }), "pressed"),
            ("call.dial", json!({ "userId": 1.5 }), "userId"),
            ("show", json!({ "panel": "map" }), "panel"),
            ("layout", json!({ "mode": "tiny" }), "mode"),
            ("ivr.play", json!({ "destnumber": [1] }), "destnumber"),
            (
                "configure",
                json!({ "embed": { "origins": ["https://evil"] } }),
                "embed",
            ),
        ] {
            let e = refused(name, args);
            assert_eq!(e.code, ErrorCode::BadArguments, "{name}");
            assert!(e.message.contains(says), "{name}: {}", e.message);
        }
    }

    #[test]
    fn unknown_commands_and_versions_are_refused_not_ignored() {
        assert_eq!(
            refused("ptt.fly", json!({})).code,
            ErrorCode::UnknownCommand
        );
        let Incoming::Refused { error, .. } =
            parse(&json!({ "dispatchDesk": 2, "id": "1", "command": "show" }))
        else {
            panic!()
        };
        assert_eq!(error.code, ErrorCode::UnsupportedVersion);
        let Incoming::Refused { id, error } =
            parse(&json!({ "dispatchDesk": 1, "command": "show" }))
        else {
            panic!()
        };
        assert_eq!((id.as_str(), error.code), ("", ErrorCode::BadArguments));
    }

    #[test]
    fn foreign_messages_are_ignored() {
        assert_eq!(parse(&json!("hello")), Incoming::Foreign);
        assert_eq!(parse(&json!({ "type": "webpackOk" })), Incoming::Foreign);
    }

    #[test]
    fn answers_carry_the_id_and_one_outcome() {
        assert_eq!(
            answer_ok("a", json!({ "x": 1 })),
            json!({ "dispatchDesk": 1, "id": "a", "ok": true, "result": { "x": 1 } })
        );
        let e = EmbedError::new(ErrorCode::UnknownCommand, "no");
        assert_eq!(
            answer_err("b", &e),
            json!({ "dispatchDesk": 1, "id": "b", "ok": false,
                    "error": { "code": "unknownCommand", "message": "no" } })
        );
    }

    #[test]
    fn events_have_their_documented_shape() {
        let ready = Event::Ready.to_message();
        assert_eq!(ready["event"], "ready");
        assert_eq!(ready["data"]["version"], 1);
        assert_eq!(
            ready["data"]["commands"].as_array().unwrap().len(),
            COMMANDS.len()
        );
        assert_eq!(
            Event::PttFloor {
                talker: Some((5, "T5".into())),
                me: false
            }
            .to_message(),
            json!({ "dispatchDesk": 1, "event": "ptt.floor",
                    "data": { "talker": { "id": 5, "name": "T5" }, "me": false } })
        );
        assert_eq!(
            Event::PttFloor {
                talker: None,
                me: false
            }
            .to_message()["data"]["talker"],
            Value::Null
        );
        let members = Event::PttMembers {
            session_id: Some("123456789012345678901".into()),
            members: vec![Member {
                id: 2,
                name: "T2".into(),
                state: "ringing",
            }],
        }
        .to_message();
        assert_eq!(members["data"]["sessionId"], "123456789012345678901");
        assert_eq!(members["data"]["members"][0]["state"], "ringing");
        assert_eq!(
            Event::CallState {
                call_sid: "s".into(),
                state: "ringing".into()
            }
            .to_message()["data"],
            json!({ "callSid": "s", "state": "ringing" })
        );
        assert_eq!(
            Event::Light {
                service: "voice",
                state: "online"
            }
            .to_message()["data"],
            json!({ "service": "voice", "state": "online" })
        );
        assert_eq!(
            Event::Error {
                message: "m".into()
            }
            .to_message()["event"],
            "error"
        );
    }
}
