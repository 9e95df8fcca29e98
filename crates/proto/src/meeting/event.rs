//! Events of the EventSource stream `/api/services/<conference>/events?token=`.
//! The SSE event name says which event; the SSE data is its JSON body.

use super::command::{to_json, ServiceStatus};
use super::participant::Participant;
use super::Deployment;
use crate::lenient::{self, ListOf};
use crate::DecodeError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

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
        value.to_string()
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
    fn body<T: DeserializeOwned>(name: &str, data: &str) -> Result<T, DecodeError> {
        crate::from_json(data).map_err(|e| DecodeError::new(format!("{name} event: {e}")))
    }
    // Straight from the text, as in the participants reply
    // (`super::decode_participants`): a sync is a thousand of these.
    fn participant(name: &str, data: &str) -> Result<Participant, DecodeError> {
        serde_json::from_str(data).map_err(|e| DecodeError::new(format!("{name} event: {e}")))
    }
    Ok(match name.trim().to_ascii_lowercase().as_str() {
        "presentation_start" => MeetingEvent::PresentationStart(body(name, data)?),
        "presentation_stop" => MeetingEvent::PresentationStop,
        "presentation_frame" => MeetingEvent::PresentationFrame,
        "participant_create" => MeetingEvent::ParticipantCreate(participant(name, data)?),
        "participant_update" => MeetingEvent::ParticipantUpdate(participant(name, data)?),
        "participant_delete" => MeetingEvent::ParticipantDelete(body(name, data)?),
        "participant_sync_begin" => MeetingEvent::ParticipantSyncBegin,
        "participant_sync_end" => MeetingEvent::ParticipantSyncEnd,
        "service_update" => MeetingEvent::ServiceUpdate(body(name, data)?),
        "layout" => MeetingEvent::Layout(body(name, data)?),
        "message" => MeetingEvent::Message(body(name, data)?),
        "stage" => MeetingEvent::Stage(body(name, data)?),
        "call_disconnected" => MeetingEvent::CallDisconnected(body(name, data)?),
        "disconnect" => MeetingEvent::Disconnect(body(name, data)?),
        _ => return Err(DecodeError::new(format!("unknown meeting event {name:?}"))),
    })
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentationStart {
    #[serde(default)]
    pub presenter_name: String,
    #[serde(default)]
    pub presenter_uri: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantDelete {
    pub uuid: String,
}

/// The video layout changed. It names no audience: it is the layout the
/// stream's own participant sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layout {
    /// `1:0`, `1:7`, `1:21`, ...
    pub view: String,
    /// Uuids on screen, current speaker first; an element that is no
    /// uuid is skipped and listed in its `skipped`.
    #[serde(default)]
    pub participants: ListOf<String>,
}

/// A chat message sent to everyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// The sender's display name.
    #[serde(default)]
    pub origin: String,
    #[serde(rename = "type", default)]
    pub mime_type: String,
    pub payload: String,
    /// The sender's participant uuid.
    #[serde(default)]
    pub uuid: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageEntry {
    /// 0 is the latest speaker, 1 the one before, ...
    #[serde(deserialize_with = "lenient::u64_any")]
    pub stage_index: u64,
    pub participant_uuid: String,
    /// 0 silent, 100 speaking.
    #[serde(default, deserialize_with = "lenient::u64_any")]
    pub vad: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallDisconnected {
    pub call_uuid: String,
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disconnect {
    #[serde(default)]
    pub reason: String,
}
