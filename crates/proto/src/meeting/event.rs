//! Events of the EventSource stream `/api/services/<conference>/events?token=`.
//! The SSE event name says which event; the SSE data is its JSON body.

use super::command::{to_json, ServiceStatus};
use super::participant::Participant;
use super::Deployment;
use crate::fields::Fields;
use crate::lenient::ListOf;
use crate::DecodeError;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeetingEvent {
    PresentationStart(PresentationStart),
    PresentationStop,
    /// A new presentation frame: fetch `presentation.jpeg` (see [`super::presentation_path`]).
    PresentationFrame,
    ParticipantCreate(Participant),
    ParticipantUpdate(Participant),
    ParticipantDelete(ParticipantDelete),
    /// The participant list is resent between these two.
    ParticipantSyncBegin,
    ParticipantSyncEnd,
    ServiceUpdate(ServiceStatus),
    Layout(Layout),
    Message(ChatMessage),
    /// Who is on stage, latest speaker first; entries that do not decode
    /// are skipped and listed in its `skipped`.
    Stage(ListOf<StageEntry>),
    /// A participant's sub-call ended, e.g. a screen share taken over.
    CallDisconnected(CallDisconnected),
    /// This participant was put out of the meeting.
    Disconnect(Disconnect),
}

impl MeetingEvent {
    /// The SSE event name, lower case as on the wire.
    pub fn event_name(&self) -> &'static str {
        match self {
            Self::PresentationStart(_) => "presentation_start",
            Self::PresentationStop => "presentation_stop",
            Self::PresentationFrame => "presentation_frame",
            Self::ParticipantCreate(_) => "participant_create",
            Self::ParticipantUpdate(_) => "participant_update",
            Self::ParticipantDelete(_) => "participant_delete",
            Self::ParticipantSyncBegin => "participant_sync_begin",
            Self::ParticipantSyncEnd => "participant_sync_end",
            Self::ServiceUpdate(_) => "service_update",
            Self::Layout(_) => "layout",
            Self::Message(_) => "message",
            Self::Stage(_) => "stage",
            Self::CallDisconnected(_) => "call_disconnected",
            Self::Disconnect(_) => "disconnect",
        }
    }

    /// Elements of the event's lists that could not be read and were left
    /// out (the rest of the event is used), one line each.
    pub fn skipped_elements(&self) -> &[String] {
        match self {
            Self::Stage(entries) => &entries.skipped,
            Self::Layout(l) => &l.participants.skipped,
            _ => &[],
        }
    }

    /// The SSE data. Events without a body give `{}`: an EventSource drops
    /// an event whose data is empty.
    pub fn data_json(&self) -> String {
        let value = match self {
            Self::PresentationStart(e) => to_json(e),
            Self::ParticipantCreate(p) | Self::ParticipantUpdate(p) => to_json(p),
            Self::ParticipantDelete(e) => to_json(e),
            Self::ServiceUpdate(e) => to_json(e),
            Self::Layout(e) => to_json(e),
            Self::Message(e) => to_json(e),
            Self::Stage(e) => to_json(e),
            Self::CallDisconnected(e) => to_json(e),
            Self::Disconnect(e) => to_json(e),
            Self::PresentationStop
            | Self::PresentationFrame
            | Self::ParticipantSyncBegin
            | Self::ParticipantSyncEnd => {
                serde_json::json!({})
            }
        };
        crate::lenient::json_text(&value)
    }

    /// The support table: the enterprise cloud sends neither
    /// presentation_frame nor participant_create (a new participant first
    /// shows up in a participant_update there).
    pub fn sent_on(&self, deployment: Deployment) -> bool {
        deployment == Deployment::Public
            || !matches!(self, Self::PresentationFrame | Self::ParticipantCreate(_))
    }
}

/// Decodes one SSE event. `name` is matched in any case (the document's
/// tables capitalize some); `data` is ignored for events without a body.
pub fn decode_event(name: &str, data: &str) -> Result<MeetingEvent, DecodeError> {
    let in_event = |e: DecodeError| DecodeError::new(format!("{name} event: {e}"));
    // Straight from the text, as in the participants reply
    // (`super::decode_participants`): a sync is a thousand of these.
    let participant = || Participant::from_text(data).map_err(in_event);
    let body: fn(&Value) -> Result<MeetingEvent, DecodeError> =
        match name.trim().to_ascii_lowercase().as_str() {
            "presentation_stop" => return Ok(MeetingEvent::PresentationStop),
            "presentation_frame" => return Ok(MeetingEvent::PresentationFrame),
            "participant_sync_begin" => return Ok(MeetingEvent::ParticipantSyncBegin),
            "participant_sync_end" => return Ok(MeetingEvent::ParticipantSyncEnd),
            "participant_create" => return participant().map(MeetingEvent::ParticipantCreate),
            "participant_update" => return participant().map(MeetingEvent::ParticipantUpdate),
            "presentation_start" => {
                |v| PresentationStart::decode(v).map(MeetingEvent::PresentationStart)
            }
            "participant_delete" => {
                |v| ParticipantDelete::decode(v).map(MeetingEvent::ParticipantDelete)
            }
            "service_update" => |v| ServiceStatus::decode(v).map(MeetingEvent::ServiceUpdate),
            "layout" => |v| Layout::decode(v).map(MeetingEvent::Layout),
            "message" => |v| ChatMessage::decode(v).map(MeetingEvent::Message),
            "stage" => |v| StageEntry::decode_list(v).map(MeetingEvent::Stage),
            "call_disconnected" => {
                |v| CallDisconnected::decode(v).map(MeetingEvent::CallDisconnected)
            }
            "disconnect" => |v| Disconnect::decode(v).map(MeetingEvent::Disconnect),
            _ => return Err(DecodeError::new(format!("unknown meeting event {name:?}"))),
        };
    serde_json::from_str(data)
        .map_err(DecodeError::from)
        .and_then(|v| body(&v))
        .map_err(in_event)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PresentationStart {
    pub presenter_name: String,
    pub presenter_uri: String,
}

impl PresentationStart {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            presenter_name: f.str_or_empty("presenter_name")?,
            presenter_uri: f.str_or_empty("presenter_uri")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParticipantDelete {
    pub uuid: String,
}

impl ParticipantDelete {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        Ok(Self {
            uuid: Fields::of(v)?.str("uuid")?,
        })
    }
}

/// The video layout changed. It names no audience: it is the layout the
/// stream's own participant sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// `1:0`, `1:7`, `1:21`, ...
    pub view: String,
    /// Uuids on screen, current speaker first; an element that is no
    /// uuid is skipped and listed in its `skipped`.
    pub participants: ListOf<String>,
}

impl Layout {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        let uuid = |v: &Value| {
            v.as_str().map(str::to_owned).ok_or_else(|| {
                DecodeError::new(format!("{} is no uuid", crate::lenient::json_text(v)))
            })
        };
        Ok(Self {
            view: f.str("view")?,
            participants: ListOf::decode_each(f.list_or_empty("participants")?, uuid),
        })
    }
}

/// A chat message sent to everyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChatMessage {
    /// The sender's display name.
    pub origin: String,
    #[serde(rename = "type")]
    pub mime_type: String,
    pub payload: String,
    /// The sender's participant uuid.
    pub uuid: String,
}

impl ChatMessage {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            origin: f.str_or_empty("origin")?,
            mime_type: f.str_or_empty("type")?,
            payload: f.str("payload")?,
            uuid: f.str_or_empty("uuid")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageEntry {
    /// 0 is the latest speaker, 1 the one before, ...
    pub stage_index: u64,
    pub participant_uuid: String,
    /// 0 silent, 100 speaking.
    pub vad: u64,
}

impl StageEntry {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            stage_index: f.u64_any("stage_index")?,
            participant_uuid: f.str("participant_uuid")?,
            vad: f.u64_any_or_zero("vad")?,
        })
    }

    /// The stage event's body: a list, each entry read on its own.
    fn decode_list(v: &Value) -> Result<ListOf<Self>, DecodeError> {
        match v {
            Value::Array(entries) => Ok(ListOf::decode_each(entries, Self::decode)),
            _ => Err(DecodeError::new("no list of stage entries")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallDisconnected {
    pub call_uuid: String,
    pub reason: String,
}

impl CallDisconnected {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            call_uuid: f.str("call_uuid")?,
            reason: f.str_or_empty("reason")?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disconnect {
    pub reason: String,
}

impl Disconnect {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        Ok(Self {
            reason: Fields::of(v)?.str_or_empty("reason")?,
        })
    }
}
