//! A participant as participant_create / participant_update and the
//! participants command describe it.

use super::{spell, Role};
use crate::lenient::{self, value_into_string};
use crate::DecodeError;
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

    /// Decodes a participant from its JSON text, as the derived decoder
    /// does (an object; `uuid` a string; a field named twice is an error;
    /// every other field lenient, unknown ones skipped unread), member by
    /// member ([`crate::json_parts`]). The app decodes participants only
    /// this way (rosters, events): serde's derived decoder, kept for
    /// the simulator and tests, is 8 KB of wasm.
    pub fn from_text(text: &str) -> Result<Self, DecodeError> {
        let mut p = Participant::new(String::new());
        let (mut seen, mut uuid) = (0u32, false);
        for (key, raw) in crate::json_parts::members(text)? {
            let Some(at) = FIELDS.iter().position(|f| *f == key) else {
                continue;
            };
            if seen & 1 << at != 0 {
                return Err(DecodeError::new(format!("duplicate field `{key}`")));
            }
            seen |= 1 << at;
            if key == "uuid" {
                p.uuid = serde_json::from_str(raw)?;
                uuid = true;
            } else {
                p.set(&key, serde_json::from_str(raw)?);
            }
        }
        if !uuid {
            return Err(DecodeError::new("missing field `uuid`"));
        }
        Ok(p)
    }

    /// Sets the lenient field `name` from `v`, as its `deserialize_with` reads it.
    fn set(&mut self, name: &str, v: Value) {
        let text = || value_into_string(v.clone());
        let flag = || lenient::value_to_bool(&v);
        match name {
            "api_url" => self.api_url = text(),
            "call_direction" => self.call_direction = text(),
            "display_name" => self.display_name = text(),
            "encryption" => self.encryption = text(),
            "has_media" => self.has_media = flag(),
            "is_audio_only_call" => self.is_audio_only_call = flag(),
            "is_external" => self.is_external = flag(),
            "is_muted" => self.is_muted = flag(),
            "is_presenting" => self.is_presenting = flag(),
            "is_streaming_conference" => self.is_streaming_conference = flag(),
            "is_video_call" => self.is_video_call = flag(),
            "local_alias" => self.local_alias = text(),
            "overlay_text" => self.overlay_text = text(),
            "presentation_supported" => self.presentation_supported = flag(),
            "protocol" => self.protocol = text(),
            "role" => self.role = text().and_then(|s| Role::parse(&s)),
            "rx_presentation_policy" => self.rx_presentation_policy = text(),
            "service_type" => self.service_type = service_type(text()),
            "spotlight" => self.spotlight = lenient::value_to_seconds(&v),
            "start_time" => self.start_time = lenient::value_to_seconds(&v),
            "uri" => self.uri = text(),
            "vendor" => self.vendor = text(),
            _ => {}
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

/// The fields of [`Participant`] by their JSON names, for [`Participant::from_text`].
const FIELDS: [&str; 23] = [
    "uuid",
    "api_url",
    "call_direction",
    "display_name",
    "encryption",
    "has_media",
    "is_audio_only_call",
    "is_external",
    "is_muted",
    "is_presenting",
    "is_streaming_conference",
    "is_video_call",
    "local_alias",
    "overlay_text",
    "presentation_supported",
    "protocol",
    "role",
    "rx_presentation_policy",
    "service_type",
    "spotlight",
    "start_time",
    "uri",
    "vendor",
];

/// The participant's role; an empty or unknown one is not known (`None`)
/// rather than a reason to drop the participant.
fn lenient_role<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Role>, D::Error> {
    Ok(value_into_string(Value::deserialize(d)?).and_then(|s| Role::parse(&s)))
}

/// The participant's service: unknown values are kept ([`ServiceType::Other`]),
/// an empty or non-text one is not known.
fn lenient_service_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<ServiceType>, D::Error> {
    Ok(service_type(value_into_string(Value::deserialize(d)?)))
}

fn service_type(text: Option<String>) -> Option<ServiceType> {
    text.filter(|s| !s.trim().is_empty()).map(ServiceType::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde's derived decoder makes of `text`.
    fn derived(text: &str) -> Result<Participant, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn from_text_reads_every_field_as_the_derived_decoder_does() {
        let mut full = Participant::new("u-1");
        full.api_url = Some("/api".into());
        full.call_direction = Some("in".into());
        full.display_name = Some("调度台 \"1\"".into());
        full.encryption = Some("On".into());
        full.has_media = Some(true);
        full.is_audio_only_call = Some(false);
        full.is_external = Some(true);
        full.is_muted = Some(true);
        full.is_presenting = Some(false);
        full.is_streaming_conference = Some(true);
        full.is_video_call = Some(true);
        full.local_alias = Some("alias".into());
        full.overlay_text = Some("overlay".into());
        full.presentation_supported = Some(true);
        full.protocol = Some("webrtc".into());
        full.role = Some(Role::Guest);
        full.rx_presentation_policy = Some("ALLOW".into());
        full.service_type = Some(ServiceType::Other("lecture".into()));
        full.spotlight = Some(12);
        full.start_time = Some(1_700_484_383);
        full.uri = Some("sip:x".into());
        full.vendor = Some("Chrome".into());
        let text = serde_json::to_string(&full).unwrap();
        let keys = serde_json::from_str::<Value>(&text).unwrap();
        assert_eq!(keys.as_object().unwrap().len(), FIELDS.len(), "{text}");
        assert_eq!(Participant::from_text(&text).unwrap(), full);

        for text in [
            r#"{"uuid":"a","buzz_time":0,"call_tag":{"x":[1]}}"#,
            r#"{"uuid":"a","is_muted":"UNKNOWN","has_media":1,"is_presenting":"'true'"}"#,
            r#"{"uuid":"a","role":"","service_type":" ","spotlight":"12.5","start_time":null}"#,
            r#"{"uuid":"a","display_name":7,"protocol":true,"uri":{"a":1},"role":"chair"}"#,
            r#"{"uuid":"a","service_type":"waiting_room","start_time":-3}"#,
        ] {
            assert_eq!(
                Participant::from_text(text).unwrap(),
                derived(text).unwrap(),
                "{text}"
            );
        }
    }

    #[test]
    fn from_text_refuses_what_the_derived_decoder_refuses() {
        for text in [
            r#"{"display_name":"no uuid"}"#,
            r#"{"uuid":5}"#,
            r#"{"uuid":null}"#,
            r#"{"uuid":"a","uuid":"b"}"#,
            r#"{"uuid":"a","is_muted":true,"is_muted":false}"#,
            r#"{"uuid":"a""#,
            "null",
        ] {
            assert!(derived(text).is_err(), "{text}");
            assert!(Participant::from_text(text).is_err(), "{text}");
        }
        // serde also reads a struct from a list of its fields in order; no
        // server sends one, and `from_text` wants an object.
        assert!(derived(r#"["a"]"#).is_ok());
        assert!(Participant::from_text(r#"["a"]"#).is_err());
    }
}
