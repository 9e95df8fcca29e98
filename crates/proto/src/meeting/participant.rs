//! A participant as participant_create / participant_update and the
//! participants command describe it.

use super::{spell, Role};
use crate::lenient::{self, value_into_string};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A participant. Only `uuid` is required: every other field may be
/// missing, `null` or unreadable (then `None`), and fields not listed here
/// (Pexip Infinity, which this API follows, sends `buzz_time`, `call_tag`,
/// `transfer_supported`, ... too) are ignored. Several flags are the strings
/// `"YES"`/`"NO"`, others JSON booleans; each is sent back the way the
/// example shows it. Times may carry a fraction of a second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub uuid: String,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub api_url: Option<String>,
    /// `in` or `out`.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub call_direction: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    /// `On` / `Off`: whether its media is encrypted.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub encryption: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub has_media: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_or_none",
        serialize_with = "spell::opt_upper_yes_no",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_audio_only_call: Option<bool>,
    /// From another system, e.g. Lync.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_external: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_or_none",
        serialize_with = "spell::opt_upper_yes_no",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_muted: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_or_none",
        serialize_with = "spell::opt_upper_yes_no",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_presenting: Option<bool>,
    /// A streaming (recording) participant.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_streaming_conference: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_or_none",
        serialize_with = "spell::opt_upper_yes_no",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_video_call: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub local_alias: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub overlay_text: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_or_none",
        serialize_with = "spell::opt_upper_yes_no",
        skip_serializing_if = "Option::is_none"
    )]
    pub presentation_supported: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub protocol: Option<String>,
    /// `chair` / `guest`; `None` for an empty or unknown role.
    #[serde(
        default,
        deserialize_with = "lenient_role",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<Role>,
    /// `ALLOW` / `DENY`: whether it receives the presentation.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub rx_presentation_policy: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient_service_type",
        skip_serializing_if = "Option::is_none"
    )]
    pub service_type: Option<ServiceType>,
    /// When it was put in the spotlight (UNIX seconds), 0 if not.
    #[serde(
        default,
        deserialize_with = "lenient::opt_seconds_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub spotlight: Option<u64>,
    /// When it joined (UNIX seconds).
    #[serde(
        default,
        deserialize_with = "lenient::opt_seconds_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub start_time: Option<u64>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub uri: Option<String>,
    /// The device's or browser's vendor string.
    #[serde(
        default,
        deserialize_with = "lenient::opt_string_or_none",
        skip_serializing_if = "Option::is_none"
    )]
    pub vendor: Option<String>,
}

impl Participant {
    /// A participant with only its uuid known.
    pub fn new(uuid: impl Into<String>) -> Self {
        Self {
            uuid: uuid.into(),
            api_url: None,
            call_direction: None,
            display_name: None,
            encryption: None,
            has_media: None,
            is_audio_only_call: None,
            is_external: None,
            is_muted: None,
            is_presenting: None,
            is_streaming_conference: None,
            is_video_call: None,
            local_alias: None,
            overlay_text: None,
            presentation_supported: None,
            protocol: None,
            role: None,
            rx_presentation_policy: None,
            service_type: None,
            spotlight: None,
            start_time: None,
            uri: None,
            vendor: None,
        }
    }

    /// This update laid over `old`, the same participant as known: fields
    /// the update leaves out (or sends as `null`) keep their value.
    pub fn over(self, old: &Participant) -> Participant {
        // Every field named, so a new one cannot be forgotten here.
        macro_rules! over {
            ($($field:ident),*) => {{
                let Participant { uuid, $($field),* } = self;
                Participant { uuid, $($field: $field.or_else(|| old.$field.clone())),* }
            }};
        }
        over!(
            api_url,
            call_direction,
            display_name,
            encryption,
            has_media,
            is_audio_only_call,
            is_external,
            is_muted,
            is_presenting,
            is_streaming_conference,
            is_video_call,
            local_alias,
            overlay_text,
            presentation_supported,
            protocol,
            role,
            rx_presentation_policy,
            service_type,
            spotlight,
            start_time,
            uri,
            vendor
        )
    }
}

/// A participant's or session's service. Values the document does not list
/// (the cloud also runs lectures) are kept as sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum ServiceType {
    /// Being dialled out.
    Connecting,
    /// Waiting for a host to let it into a locked meeting.
    WaitingRoom,
    /// Waiting for a pin.
    Ivr,
    Conference,
    /// Point-to-point call.
    Gateway,
    Other(String),
}

impl From<String> for ServiceType {
    fn from(s: String) -> Self {
        match s.as_str() {
            "connecting" => Self::Connecting,
            "waiting_room" => Self::WaitingRoom,
            "ivr" => Self::Ivr,
            "conference" => Self::Conference,
            "gateway" => Self::Gateway,
            _ => Self::Other(s),
        }
    }
}

impl ServiceType {
    /// As sent.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Connecting => "connecting",
            Self::WaitingRoom => "waiting_room",
            Self::Ivr => "ivr",
            Self::Conference => "conference",
            Self::Gateway => "gateway",
            Self::Other(s) => s,
        }
    }
}

impl From<ServiceType> for String {
    fn from(t: ServiceType) -> Self {
        match t {
            ServiceType::Other(s) => s,
            known => known.as_str().to_owned(),
        }
    }
}

/// The participant's role; an empty or unknown one is not known (`None`)
/// rather than a reason to drop the participant.
fn lenient_role<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Role>, D::Error> {
    Ok(value_into_string(Value::deserialize(d)?).and_then(|s| Role::parse(&s)))
}

/// The participant's service: unknown values are kept ([`ServiceType::Other`]),
/// an empty or non-text one is not known.
fn lenient_service_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ServiceType>, D::Error> {
    Ok(value_into_string(Value::deserialize(d)?)
        .filter(|s| !s.trim().is_empty())
        .map(ServiceType::from))
}
