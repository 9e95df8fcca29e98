//! Conference and participant commands, their bodies and results. Every
//! command carries the session token in the `token` header.

use super::{service_path, spell, Deployment, Role};
use crate::fields::Fields;
use crate::lenient;
use crate::url::path_segment;
use crate::DecodeError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// Serializing these plain wire structs cannot fail.
pub(super) fn to_json<T: Serialize>(v: &T) -> Value {
    serde_json::to_value(v).expect("wire types serialize to JSON")
}

pub use crate::rest::Method;

/// A command sent to the meeting node with the `token` header. The result
/// type of each is noted; results of plain actions are a [`Flag`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Result [`super::RefreshResult`]. Send before the token expires (120 s).
    RefreshSession,
    /// Releases the token; its reply is to be ignored.
    EndSession,
    /// Call a device or user into the meeting (host only). Result: the new
    /// participants' uuids (`Vec<String>`).
    Dial(Dial),
    /// GET. Result [`ServiceStatus`].
    ServiceStatus,
    Lock,
    Unlock,
    /// Starts the meeting for waiting guests. Public cloud only (the
    /// enterprise cloud answers 200 OK and does nothing).
    StartService,
    MuteGuests,
    UnmuteGuests,
    /// Ends the meeting for everyone, the caller included.
    Disconnect,
    Message(TextMessage),
    /// GET. Result `Vec<Participant>`.
    Participants,
    /// Public cloud only. Result: per the document, the participant list.
    OverrideLayout(OverrideLayout),
    /// `/participants/<uuid>/<command>`.
    Participant {
        uuid: String,
        command: ParticipantCommand,
    },
}

impl Command {
    pub fn method(&self) -> Method {
        match self {
            Self::ServiceStatus | Self::Participants => Method::Get,
            _ => Method::Post,
        }
    }

    /// The command's name in the path.
    pub fn name(&self) -> &'static str {
        match self {
            Self::RefreshSession => "refresh_session",
            Self::EndSession => "end_session",
            Self::Dial(_) => "dial",
            Self::ServiceStatus => "service_status",
            Self::Lock => "lock",
            Self::Unlock => "unlock",
            Self::StartService => "start_service",
            Self::MuteGuests => "muteguests",
            Self::UnmuteGuests => "unmuteguests",
            Self::Disconnect => "disconnect",
            Self::Message(_) => "message",
            Self::Participants => "participants",
            Self::OverrideLayout(_) => "override_layout",
            Self::Participant { command, .. } => command.name(),
        }
    }

    /// Path relative to the meeting node's base URL, conference alias and
    /// participant uuid escaped as path segments.
    pub fn path(&self, conference: &str) -> String {
        match self {
            Self::Participant { uuid, command } => service_path(
                conference,
                &format!("participants/{}/{}", path_segment(uuid), command.name()),
            ),
            _ => service_path(conference, self.name()),
        }
    }

    /// The JSON body; `None` for the commands the document sends empty.
    pub fn body(&self) -> Option<Value> {
        match self {
            Self::Dial(dial) => Some(to_json(dial)),
            Self::Message(message) => Some(to_json(message)),
            Self::OverrideLayout(layout) => Some(to_json(layout)),
            Self::Participant { command, .. } => command.body(),
            _ => None,
        }
    }

    /// The support table at the end of the document. A command the table
    /// does not list (message, muteguests, unmuteguests, dtmf) is taken as
    /// supported on both, the table listing differences; a blank cell
    /// (allow/denyrxpresentation on the enterprise cloud) as not supported.
    pub fn supported_on(&self, deployment: Deployment) -> bool {
        let public_only = match self {
            Self::StartService | Self::OverrideLayout(_) => true,
            Self::Participant { command, .. } => command.public_only(),
            Self::Dial(d) => !d.protocol.on_enterprise(),
            _ => false,
        };
        deployment == Deployment::Public || !public_only
    }
}

/// A command on one participant (host only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParticipantCommand {
    Disconnect,
    /// On the enterprise cloud mute/unmute act on everyone but the chair and
    /// the current speaker.
    Mute,
    Unmute,
    AllowRxPresentation,
    DenyRxPresentation,
    SpotlightOn,
    SpotlightOff,
    /// Lets a guest into a locked meeting.
    Unlock,
    /// Not described beyond its name; the body is `{"digits": ...}`.
    Dtmf {
        digits: String,
    },
    /// Adds a WebRTC or RTMP media channel. Result [`CallsResult`].
    Calls(SubCall),
    /// `{"role":"chair"|"guest"}`.
    Role(Role),
    Transfer(Transfer),
}

impl ParticipantCommand {
    /// DTMF from what the dispatcher typed: blanks dropped, then only the
    /// keypad's `0-9 * # A-D`; `None` when nothing, or anything else, is left.
    pub fn dtmf(typed: &str) -> Option<Self> {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        let keypad = |c: char| c.is_ascii_digit() || "*#ABCDabcd".contains(c);
        (!digits.is_empty() && digits.chars().all(keypad)).then_some(Self::Dtmf { digits })
    }

    pub fn name(&self) -> &'static str {
        match self {
            Self::Disconnect => "disconnect",
            Self::Mute => "mute",
            Self::Unmute => "unmute",
            Self::AllowRxPresentation => "allowrxpresentation",
            Self::DenyRxPresentation => "denyrxpresentation",
            Self::SpotlightOn => "spotlighton",
            Self::SpotlightOff => "spotlightoff",
            Self::Unlock => "unlock",
            Self::Dtmf { .. } => "dtmf",
            Self::Calls(_) => "calls",
            Self::Role(_) => "role",
            Self::Transfer(_) => "transfer",
        }
    }

    fn body(&self) -> Option<Value> {
        match self {
            Self::Dtmf { digits } => Some(json!({ "digits": digits })),
            Self::Calls(call) => Some(to_json(call)),
            Self::Role(role) => Some(json!({ "role": role })),
            Self::Transfer(transfer) => Some(to_json(transfer)),
            _ => None,
        }
    }

    fn public_only(&self) -> bool {
        matches!(
            self,
            Self::AllowRxPresentation
                | Self::DenyRxPresentation
                | Self::SpotlightOn
                | Self::SpotlightOff
                | Self::Unlock
                | Self::Role(_)
                | Self::Transfer(_)
        )
    }
}

/// dial's body. The table capitalizes the field names; the example (and
/// this) writes them in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dial {
    pub role: Role,
    /// Address, short number or phone number.
    pub destination: String,
    pub protocol: DialProtocol,
    /// RTMP only: where to push the presentation stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presentation_url: Option<String>,
    /// RTMP only: a streaming call. `"yes"`/`"no"` on the wire, default no.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_any",
        serialize_with = "spell::opt_yes_no",
        skip_serializing_if = "Option::is_none"
    )]
    pub streaming: Option<bool>,
    /// DTMF sent as soon as the call connects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dtmf_sequence: Option<String>,
    /// The meeting's name as the called device shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_display_name: Option<String>,
    /// The meeting address or short number to call from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_type: Option<DialCallType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_conference_alive: Option<KeepConferenceAlive>,
    /// The participant's name in the participant list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_display_name: Option<String>,
}

impl Dial {
    pub fn new(role: Role, destination: impl Into<String>, protocol: DialProtocol) -> Self {
        Self {
            role,
            destination: destination.into(),
            protocol,
            presentation_url: None,
            streaming: None,
            dtmf_sequence: None,
            source_display_name: None,
            source: None,
            call_type: None,
            keep_conference_alive: None,
            remote_display_name: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DialProtocol {
    Sip,
    H323,
    Rtmp,
    /// Lync.
    Mssip,
    /// Surveillance cameras.
    Rtsp,
    /// An ordinary telephone.
    Phone,
    /// For the cloud's own devices and users.
    Auto,
}

impl DialProtocol {
    /// The enterprise cloud dials only H.323 and SIP (the document's last
    /// table: "视通目前可以呼叫H323和sip").
    pub fn on_enterprise(self) -> bool {
        matches!(self, Self::Sip | Self::H323)
    }
}

/// Media of a dialled call; default `video` (main and presentation streams).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DialCallType {
    Video,
    VideoOnly,
    Audio,
}

/// Whether the meeting goes on when only automatically dialled participants remain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeepConferenceAlive {
    /// Until this participant leaves (hosts only); the default for ordinary participants.
    #[serde(rename = "keep_conference_alive")]
    Always,
    /// While two or more such participants remain, one of them a host.
    #[serde(rename = "keep_conference_alive_if_multiple")]
    IfMultiple,
    /// End as soon as this participant is the only one; the default for streaming.
    #[serde(rename = "keep_conference_alive_never")]
    Never,
}

/// message's body: `{"type":"text/plain","payload":"Hello World"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextMessage {
    /// MIME type, e.g. `text/plain`.
    #[serde(rename = "type")]
    pub mime_type: String,
    pub payload: String,
}

impl TextMessage {
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            mime_type: "text/plain".to_owned(),
            payload: text.into(),
        }
    }
}

/// override_layout's body: `{"layouts":[...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideLayout {
    pub layouts: Vec<LayoutOverride>,
}

/// One layout of override_layout, for hosts or for guests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayoutOverride {
    pub audience: Audience,
    /// Participant uuids to show, in order; empty: anyone.
    #[serde(default)]
    pub actors: Vec<String>,
    /// Fill empty places by voice activity.
    #[serde(default, deserialize_with = "lenient::bool_any")]
    pub vad_backfill: bool,
    /// `1:0`, `4:0`, `1:7`, `1:21` or `2:21`.
    pub layout: String,
    /// `off` when actors are given, else `auto`.
    #[serde(default)]
    pub plus_n: String,
    /// Always `auto`.
    #[serde(default)]
    pub actors_overlay_text: String,
}

impl LayoutOverride {
    /// Fills in the fields the document fixes: `plus_n` from `actors`,
    /// `actors_overlay_text` `auto`, backfill on.
    pub fn new(audience: Audience, layout: impl Into<String>, actors: Vec<String>) -> Self {
        let plus_n = if actors.is_empty() { "auto" } else { "off" };
        Self {
            audience,
            actors,
            vad_backfill: true,
            layout: layout.into(),
            plus_n: plus_n.to_owned(),
            actors_overlay_text: "auto".to_owned(),
        }
    }
}

/// Whose layout: `"hosts"`, or `""` for guests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Audience {
    #[serde(rename = "hosts")]
    Hosts,
    #[serde(rename = "")]
    Guests,
}

/// calls' body: a WebRTC offer, or an RTMP channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "call_type")]
pub enum SubCall {
    #[serde(rename = "WEBRTC", alias = "WebRTC")]
    WebRtc { sdp: String },
    #[serde(rename = "RTMP")]
    Rtmp {
        /// Adds a presentation stream rather than a main one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        present: Option<Present>,
        #[serde(default, deserialize_with = "lenient::bool_any")]
        streaming: bool,
        /// Upper limit of the new channel's bandwidth.
        #[serde(
            default,
            deserialize_with = "lenient::opt_u64_any",
            skip_serializing_if = "Option::is_none"
        )]
        bandwidth: Option<u64>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Present {
    Send,
    Receive,
}

/// transfer's body: move the participant to another meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    pub role: Role,
    pub conference_alias: String,
    /// The target meeting's password for that role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
}

/// The result of a plain action: `true` on success, else `false`. The
/// document prints `'true'` and `"true"` as well as `true`; all are
/// accepted, and the string `"true"` is sent, as the examples show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Flag(
    #[serde(
        deserialize_with = "lenient::bool_any",
        serialize_with = "lenient::as_string"
    )]
    pub bool,
);

/// service_status's result, also the body of the service_update event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceStatus {
    pub guests_muted: bool,
    pub locked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub whiteboard: Option<bool>,
    /// Present when `whiteboard` is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wb_url: Option<String>,
    /// Enterprise cloud only; the document gives no type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live_status: Option<Value>,
    /// Enterprise cloud only; the document gives no type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_status: Option<Value>,
}

impl ServiceStatus {
    pub fn new(locked: bool, guests_muted: bool) -> Self {
        Self {
            guests_muted,
            locked,
            started: None,
            whiteboard: None,
            wb_url: None,
            live_status: None,
            record_status: None,
        }
    }

    /// The reply's `result` or the event's body; flags may be `"true"`/`'true'`.
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            guests_muted: f.bool_any("guests_muted")?,
            locked: f.bool_any("locked")?,
            started: f.opt_bool_any("started")?,
            whiteboard: f.opt_bool_any("whiteboard")?,
            wb_url: f.opt_str("wb_url")?,
            live_status: f.get("live_status").cloned(),
            record_status: f.get("record_status").cloned(),
        })
    }
}

/// calls' result: an SDP answer (send an ack to `call_uuid` before media
/// flows), or the RTMP and RTMPS URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CallsResult {
    Rtmp {
        call_uuid: String,
        url: String,
        secure_url: String,
    },
    WebRtc {
        call_uuid: String,
        sdp: String,
    },
}

impl CallsResult {
    pub fn call_uuid(&self) -> &str {
        match self {
            Self::Rtmp { call_uuid, .. } | Self::WebRtc { call_uuid, .. } => call_uuid,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dtmf_takes_the_keypad_only() {
        let digits = |t: &str| match ParticipantCommand::dtmf(t) {
            Some(ParticipantCommand::Dtmf { digits }) => Some(digits),
            _ => None,
        };
        assert_eq!(digits(" 12 34# ").as_deref(), Some("1234#"));
        assert_eq!(digits("*9A").as_deref(), Some("*9A"));
        assert_eq!(digits("  "), None);
        assert_eq!(digits("12x"), None);
        assert_eq!(digits("1;2"), None);
    }
}
