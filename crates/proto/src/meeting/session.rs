//! Access control: new_session (token from the `pin`), refresh_session.
//! end_session is [`super::Command::EndSession`].

use super::command::to_json;
use super::participant::ServiceType;
use super::{service_path, spell, Role};
use crate::lenient;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// new_session: POST `{"display_name":"jiang","hideme":"no"}` with the
/// meeting's host or guest password in the `pin` header. The only request
/// without a `token` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSession {
    pub display_name: String,
    /// Keep this participant out of the participant list; `"yes"`/`"no"` on the wire.
    #[serde(
        default,
        deserialize_with = "lenient::bool_any",
        serialize_with = "spell::yes_no"
    )]
    pub hideme: bool,
    /// Sent as the `pin` header, not in the body.
    #[serde(skip)]
    pub pin: Option<String>,
}

impl NewSession {
    pub fn path(&self, conference: &str) -> String {
        service_path(conference, "new_session")
    }

    pub fn body(&self) -> Value {
        to_json(self)
    }

    pub fn headers(&self) -> Vec<(&'static str, String)> {
        self.pin.iter().map(|pin| ("pin", pin.clone())).collect()
    }
}

/// new_session's result. Fields marked public-cloud-only in the document
/// are missing on the enterprise cloud; fields the document promises on both
/// are still optional (except the ones the console cannot do without), since
/// the enterprise cloud is said to lack "some fields" of version 2.2.0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSessionResult {
    pub token: String,
    /// Seconds, sent as a string (`"120"`); read saturating (see
    /// [`lenient::seconds_any`]): schedule by [`crate::clamp::server_seconds_to_ms`].
    #[serde(
        deserialize_with = "lenient::seconds_any",
        serialize_with = "lenient::as_string"
    )]
    pub expires: u64,
    pub participant_uuid: String,
    /// `HOST` / `GUEST`.
    #[serde(serialize_with = "spell::session_role")]
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Version>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub chat_enabled: Option<bool>,
    /// `conference` or `gateway` (point-to-point).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<ServiceType>,
    /// STUN servers for WebRTC; the document gives no shape.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stun: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub analytics_enabled: Option<bool>,
    /// `conference`, `gateway`, `waiting_room` (locked, waiting for a host) or `ivr` (waiting for a pin).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_service_type: Option<ServiceType>,
    // Public cloud only from here on.
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub allow_1080p: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub bandwidth_in: Option<u64>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_u64_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub bandwidth_out: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub fecc_enabled: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub guests_can_present: Option<bool>,
    /// IP address of the MCU WebRTC actually uses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub rtmp_enabled: Option<bool>,
    #[serde(
        default,
        deserialize_with = "lenient::opt_bool_any",
        skip_serializing_if = "Option::is_none"
    )]
    pub rtsp_enabled: Option<bool>,
}

impl NewSessionResult {
    /// The fields both clouds send; the rest are `None`.
    pub fn new(
        token: impl Into<String>,
        expires: u64,
        participant_uuid: impl Into<String>,
        role: Role,
    ) -> Self {
        Self {
            token: token.into(),
            expires,
            participant_uuid: participant_uuid.into(),
            role,
            version: None,
            chat_enabled: None,
            service_type: None,
            stun: None,
            display_name: None,
            analytics_enabled: None,
            current_service_type: None,
            allow_1080p: None,
            bandwidth_in: None,
            bandwidth_out: None,
            call_type: None,
            fecc_enabled: None,
            guests_can_present: None,
            owner: None,
            rtmp_enabled: None,
            rtsp_enabled: None,
        }
    }
}

/// The meeting node's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version {
    #[serde(default, deserialize_with = "lenient::string_any")]
    pub pseudo_version: String,
    #[serde(default, deserialize_with = "lenient::string_any")]
    pub version_id: String,
}

/// refresh_session's result: a new token. The table lists a `Role` the
/// example lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefreshResult {
    pub token: String,
    /// As [`NewSessionResult::expires`].
    #[serde(
        deserialize_with = "lenient::seconds_any",
        serialize_with = "lenient::as_string"
    )]
    pub expires: u64,
    #[serde(
        default,
        alias = "Role",
        serialize_with = "spell::opt_session_role",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<Role>,
}
