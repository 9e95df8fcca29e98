//! In-meeting management (document 002): checkJoin on the API server finds
//! the meeting node (`mcuHost`); on that node `new_session` gives a token
//! valid 120 s (header `token`, refreshed by `refresh_session`), conference
//! and participant commands act on the meeting, and an EventSource stream
//! (`?token=` in the query, since EventSource cannot send headers) reports it.
//! Replies are `{"status":"success","result":...}`.
//!
//! The public and the enterprise cloud differ: see [`Deployment`].

mod command;
mod conference;
mod event;
pub mod machine;
mod participant;
pub mod roster;
mod session;

pub use command::{
    Audience, CallsResult, Command, Dial, DialCallType, DialProtocol, Flag, KeepConferenceAlive,
    LayoutOverride, Method, OverrideLayout, ParticipantCommand, Present, ServiceStatus, SubCall,
    TextMessage, Transfer,
};
pub use event::{
    decode_event, CallDisconnected, ChatMessage, Disconnect, Layout, MeetingEvent,
    ParticipantDelete, PresentationStart, StageEntry,
};
pub use participant::{Participant, ServiceType};
pub use session::{NewSession, NewSessionResult, RefreshResult, Version};

use crate::fields::Fields;
use crate::lenient::{self, ListOf};
use crate::url::path_segment;
use crate::DecodeError;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::fmt;

/// Which cloud the console talks to. The enterprise cloud lacks several
/// commands, events and `new_session` fields (table at the end of the
/// document); see [`Command::supported_on`] and [`MeetingEvent::sent_on`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Deployment {
    Public,
    Enterprise,
}

/// A meeting role. The document spells it three ways: `HOST`/`GUEST` from
/// new_session, `chair`/`guest` on participants and in commands,
/// `host`/`guest` from checkJoin. All are accepted, in any case; the plain
/// serialization is the command spelling, the other places use
/// [`Role::as_session`] and [`Role::as_check_join`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Host,
    Guest,
}

impl Role {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "host" | "chair" => Some(Self::Host),
            "guest" => Some(Self::Guest),
            _ => None,
        }
    }

    /// Participants and commands: `chair` / `guest`.
    pub fn as_wire(self) -> &'static str {
        match self {
            Self::Host => "chair",
            Self::Guest => "guest",
        }
    }

    /// new_session and refresh_session: `HOST` / `GUEST`.
    pub fn as_session(self) -> &'static str {
        match self {
            Self::Host => "HOST",
            Self::Guest => "GUEST",
        }
    }

    /// checkJoin: `host` / `guest`.
    pub fn as_check_join(self) -> &'static str {
        match self {
            Self::Host => "host",
            Self::Guest => "guest",
        }
    }

    /// Field `name` of `f` in any spelling [`Role::parse`] knows; `None`
    /// when missing or `null`.
    fn opt_field(f: &Fields, name: &str) -> Result<Option<Self>, DecodeError> {
        f.opt_str(name)?
            .map(|s| {
                Self::parse(&s)
                    .ok_or_else(|| DecodeError::new(format!("field `{name}`: unknown role {s:?}")))
            })
            .transpose()
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_wire())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).ok_or_else(|| de::Error::custom(format!("unknown role {s:?}")))
    }
}

/// Serializers for the places that spell things differently.
mod spell {
    use super::Role;
    use serde::Serializer;

    pub fn session_role<S: Serializer>(r: &Role, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(r.as_session())
    }

    pub fn opt_session_role<S: Serializer>(r: &Option<Role>, s: S) -> Result<S::Ok, S::Error> {
        match r {
            Some(r) => session_role(r, s),
            None => s.serialize_none(),
        }
    }

    /// checkJoin's `roleType`: `""` for none.
    pub fn check_join_role<S: Serializer>(r: &Option<Role>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(r.map_or("", Role::as_check_join))
    }

    /// `"yes"` / `"no"` (hideme, dial's streaming, allowGuest).
    pub fn yes_no<S: Serializer>(b: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(if *b { "yes" } else { "no" })
    }

    pub fn opt_yes_no<S: Serializer>(b: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match b {
            Some(b) => yes_no(b, s),
            None => s.serialize_none(),
        }
    }

    /// `"YES"` / `"NO"` (the participant's `is_muted` and friends).
    pub fn opt_upper_yes_no<S: Serializer>(b: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match b {
            Some(b) => s.serialize_str(if *b { "YES" } else { "NO" }),
            None => s.serialize_none(),
        }
    }
}

/// Turns `mcuHost` into a base URL. checkJoin sends it without a scheme
/// (`"xxx.xxx.cn"`, `"127.0.0.1:8080"`), so `default_scheme` (`"https"`)
/// is added when none is given. A trailing `/` is dropped. `None` when there
/// is no host.
pub fn base_url(mcu_host: &str, default_scheme: &str) -> Option<String> {
    let host = mcu_host.trim();
    let (scheme, rest) = match host.split_once("://") {
        Some((scheme, rest)) => (scheme, rest),
        None => (
            default_scheme.trim_end_matches("://").trim_end_matches(':'),
            host.trim_start_matches("//"),
        ),
    };
    let rest = rest.trim_end_matches('/');
    (!scheme.is_empty() && !rest.is_empty() && !rest.contains(char::is_whitespace))
        .then(|| format!("{scheme}://{rest}"))
}

/// `/api/services/<conference>/<tail>`, the alias (e.g. `zjvmr@myvmr.cn`)
/// escaped as a path segment.
fn service_path(conference: &str, tail: &str) -> String {
    format!("/api/services/{}/{tail}", path_segment(conference))
}

/// The event stream: `/api/services/<conference>/events?token=<token>`.
///
/// The token goes in as the node wrote it, not encoded again. The document
/// prints tokens that are already URL-encoded (`%2B`, `%3D` where base64
/// has `+` and `=`) and writes `events?token=<token>` verbatim, and Pexip's
/// published web client, whose API this one clones, builds the same URL by
/// plain concatenation (`"/events?token=" + self.token`). The node decodes
/// the query once and so reads the token's decoded form; encoding it again
/// would turn `%2B` into `%252B`, which decodes to `%2B`, not `+`: a token
/// the node does not know. Only what cannot stand in a query value as it is
/// gets escaped (see [`token_query`]).
pub fn events_path(conference: &str, token: &str) -> String {
    format!(
        "{}?token={}",
        service_path(conference, "events"),
        token_query(token)
    )
}

/// An already URL-encoded token as a query value: `%XX` sequences, letters,
/// digits and the characters a query allows untouched (`-._~!$'()*,;:@/?`)
/// stay as they are; anything else (a raw `+` that would read as a space,
/// `&`, `#`, `=`, a space, a lone `%`, non-ASCII) is percent-encoded, so the
/// node decodes exactly the token's own decoded form.
pub fn token_query(token: &str) -> String {
    let bytes = token.as_bytes();
    let mut out = String::with_capacity(token.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape_sequence = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        let keep = b.is_ascii_alphanumeric() || b"-._~!$'()*,;:@/?".contains(&b);
        if keep || escape_sequence {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// What the node reads from `events?token=` for a token it issued, under
/// the reading of [`events_path`]: the token percent-decoded once (`+`
/// stays `+`: the query was built with it escaped). For simulators.
pub fn token_decoded(token: &str) -> String {
    let bytes = token.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|&c| char::from(c).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The latest presentation frame. It needs the `token` header, so an `<img>`
/// cannot load it directly: fetch the bytes and show them.
pub fn presentation_path(conference: &str) -> String {
    service_path(conference, "presentation.jpeg")
}

/// checkJoin, POSTed to the API server as JSON: checks the join details and
/// tells which meeting node (`mcuHost`) hosts the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckJoin {
    /// Short number or address of the meeting room.
    pub join_account: String,
    /// Ignored for point-to-point calls; empty when there is none.
    #[serde(default)]
    pub join_pwd: String,
    pub participant_name: String,
}

impl CheckJoin {
    /// Relative to the configured API server.
    pub const PATH: &'static str = "/api/v3/meet/checkJoin.shtml";

    pub fn body(&self) -> Value {
        command::to_json(self)
    }
}

/// checkJoin's reply: `{"code":"200","timeStamp":...,"results":{...}}`.
/// Its error format is not documented: any code but 200 is a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckJoinReply {
    #[serde(serialize_with = "lenient::as_string")]
    pub code: u64,
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<CheckJoinResults>,
}

impl CheckJoinReply {
    pub fn ok(time_stamp: impl Into<String>, results: CheckJoinResults) -> Self {
        Self {
            code: 200,
            time_stamp: time_stamp.into(),
            results: Some(results),
        }
    }

    pub fn into_result(self) -> Result<CheckJoinResults, MeetingError> {
        match self.results {
            Some(results) if self.code == 200 => Ok(results),
            _ => Err(MeetingError {
                status: self.code.to_string(),
                message: format!("checkJoin code {}", self.code),
            }),
        }
    }
}

impl CheckJoinReply {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        let code = f.u64_any("code")?;
        let time_stamp = f.string_any_or_empty("timeStamp")?;
        // Only a success's results are read: a failure's are anything.
        let results = match (code, f.get("results")) {
            (200, Some(results)) => Some(
                CheckJoinResults::decode(results)
                    .map_err(|e| DecodeError::new(format!("results: {e}")))?,
            ),
            (200, None) => return Err(DecodeError::new("checkJoin code 200 without results")),
            _ => None,
        };
        Ok(Self {
            code,
            time_stamp,
            results,
        })
    }
}

pub fn decode_check_join(text: &str) -> Result<CheckJoinReply, DecodeError> {
    CheckJoinReply::decode(&serde_json::from_str(text)?)
}

/// checkJoin's `results`. Only `mcuHost` is required; the rest defaults, as
/// point-to-point calls leave several fields empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckJoinResults {
    /// Point-to-point call rather than a meeting.
    pub is_dot: bool,
    pub sipkey: String,
    /// The meeting room's address (email form): the `<conference>` of later paths.
    pub alias: String,
    pub password: String,
    pub participant_name: String,
    /// `host`, `guest`, or `""` (point-to-point).
    #[serde(serialize_with = "spell::check_join_role")]
    pub role_type: Option<Role>,
    /// The meeting node, possibly without a scheme: see [`base_url`].
    pub mcu_host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<u64>,
    pub is_record: bool,
    pub is_live: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conference_name: Option<String>,
    /// `yes`/`no`, default yes.
    #[serde(
        serialize_with = "spell::opt_yes_no",
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_guest: Option<bool>,
}

impl CheckJoinResults {
    pub fn base_url(&self, default_scheme: &str) -> Option<String> {
        base_url(&self.mcu_host, default_scheme)
    }

    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        // `roleType` is `""` when there is none (point-to-point).
        let role_type = match f.opt_str("roleType")? {
            Some(s) if !s.trim().is_empty() => Some(
                Role::parse(&s)
                    .ok_or_else(|| DecodeError::new(format!("unknown roleType {s:?}")))?,
            ),
            _ => None,
        };
        Ok(Self {
            is_dot: f.bool_any_or_false("isDot")?,
            sipkey: f.string_any_or_empty("sipkey")?,
            alias: f.str_or_empty("alias")?,
            password: f.str_or_empty("password")?,
            participant_name: f.str_or_empty("participantName")?,
            role_type,
            mcu_host: f.str("mcuHost")?,
            company_id: f.opt_u64_any("companyId")?,
            is_record: f.bool_any_or_false("isRecord")?,
            is_live: f.bool_any_or_false("isLive")?,
            conference_name: f.opt_str("conferenceName")?,
            allow_guest: f.opt_bool_any("allowGuest")?,
        })
    }
}

/// The meeting node's reply envelope `{"status":...,"result":...}`. `result`
/// is decoded as `T` only on success; on failure it is kept as sent (often a
/// message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<T> {
    Success(T),
    Failed { status: String, result: Value },
}

impl<T> Reply<T> {
    pub fn into_result(self) -> Result<T, MeetingError> {
        match self {
            Self::Success(t) => Ok(t),
            Self::Failed { status, result } => {
                let message = match result {
                    Value::String(s) => s,
                    Value::Null => String::new(),
                    other => crate::lenient::json_text(&other),
                };
                Err(MeetingError { status, message })
            }
        }
    }
}

impl<T: Serialize> Serialize for Reply<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Out<'a, R> {
            status: &'a str,
            result: R,
        }
        match self {
            Self::Success(t) => Out {
                status: "success",
                result: t,
            }
            .serialize(s),
            Self::Failed { status, result } => Out { status, result }.serialize(s),
        }
    }
}

/// Decodes a meeting node reply; `decode` reads the request's result (see
/// [`Command`] for which), only on success.
pub fn decode_reply<T>(
    text: &str,
    decode: fn(&Value) -> Result<T, DecodeError>,
) -> Result<Reply<T>, DecodeError> {
    let mut reply: Value = serde_json::from_str(text)?;
    let status = Fields::of(&reply)?.string_any("status")?;
    let result = reply.get_mut("result").map(Value::take).unwrap_or_default();
    if succeeded(&status) {
        decode(&result).map(Reply::Success)
    } else {
        Ok(Reply::Failed { status, result })
    }
}

/// Decodes the participants reply: a [`Reply`] whose list is read
/// straight from its text ([`ListOf::from_text`]), with no tree for the
/// reply or any participant on the way. A roster of a thousand is the
/// largest reply the node sends, and participants are decoded from text
/// only (so are its events), which keeps one decoder of them in the bundle.
pub fn decode_participants(text: &str) -> Result<Reply<ListOf<Participant>>, DecodeError> {
    // A key given twice counts once, its last value (as in a `Value`).
    let (mut status, mut result) = (None, "null");
    for (key, value) in crate::json_parts::members(text)? {
        match key.as_str() {
            "status" => status = Some(value),
            "result" => result = value,
            _ => {}
        }
    }
    let status = status
        .map(serde_json::from_str)
        .transpose()?
        .as_ref()
        .and_then(lenient::value_to_string)
        .ok_or_else(|| DecodeError::new("no status"))?;
    Ok(if succeeded(&status) {
        Reply::Success(ListOf::from_text(result, Participant::from_text)?)
    } else {
        Reply::Failed {
            status,
            result: serde_json::from_str(result)?,
        }
    })
}

/// Whether a reply's `status` says it succeeded.
fn succeeded(status: &str) -> bool {
    status.trim().eq_ignore_ascii_case("success")
}

/// A refusal: a `status` other than `success` (or a checkJoin code other than 200).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingError {
    pub status: String,
    pub message: String,
}

impl fmt::Display for MeetingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            f.write_str(&self.status)
        } else {
            write!(f, "{}: {}", self.status, self.message)
        }
    }
}

impl std::error::Error for MeetingError {}
