//! Access control: new_session (token from the `pin`), refresh_session.
//! end_session is [`super::Command::EndSession`].

use super::command::to_json;
use super::participant::ServiceType;
use super::{service_path, spell, Role};
use crate::fields::Fields;
use crate::lenient;
use crate::DecodeError;
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSessionResult {
    pub token: String,
    /// Seconds, sent as a string (`"120"`); read saturating (see
    /// [`lenient::seconds_any`]): schedule by [`crate::clamp::server_seconds_to_ms`].
    #[serde(serialize_with = "lenient::as_string")]
    pub expires: u64,
    pub participant_uuid: String,
    /// `HOST` / `GUEST`.
    #[serde(serialize_with = "spell::session_role")]
    pub role: Role,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Version>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chat_enabled: Option<bool>,
    /// `conference` or `gateway` (point-to-point).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_type: Option<ServiceType>,
    /// STUN servers for WebRTC; the document gives no shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stun: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analytics_enabled: Option<bool>,
    /// `conference`, `gateway`, `waiting_room` (locked, waiting for a host) or `ivr` (waiting for a pin).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_service_type: Option<ServiceType>,
    // Public cloud only from here on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_1080p: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_in: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bandwidth_out: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fecc_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub guests_can_present: Option<bool>,
    /// IP address of the MCU WebRTC actually uses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rtmp_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
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

    /// The reply's `result`; flags may be `"true"`/`'true'`, numbers numeric strings.
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        // A service type the document does not list is kept as sent.
        let service = |name| f.opt_str(name).map(|s| s.map(ServiceType::from));
        Ok(Self {
            token: f.str("token")?,
            expires: f.seconds_any("expires")?,
            participant_uuid: f.str("participant_uuid")?,
            role: Role::opt_field(&f, "role")?
                .ok_or_else(|| DecodeError::new("missing field `role`"))?,
            version: f.get("version").map(Version::decode).transpose()?,
            chat_enabled: f.opt_bool_any("chat_enabled")?,
            service_type: service("service_type")?,
            stun: f.get("stun").cloned(),
            display_name: f.opt_str("display_name")?,
            analytics_enabled: f.opt_bool_any("analytics_enabled")?,
            current_service_type: service("current_service_type")?,
            allow_1080p: f.opt_bool_any("allow_1080p")?,
            bandwidth_in: f.opt_u64_any("bandwidth_in")?,
            bandwidth_out: f.opt_u64_any("bandwidth_out")?,
            call_type: f.opt_str("call_type")?,
            fecc_enabled: f.opt_bool_any("fecc_enabled")?,
            guests_can_present: f.opt_bool_any("guests_can_present")?,
            owner: f.opt_str("owner")?,
            rtmp_enabled: f.opt_bool_any("rtmp_enabled")?,
            rtsp_enabled: f.opt_bool_any("rtsp_enabled")?,
        })
    }
}

/// The meeting node's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Version {
    pub pseudo_version: String,
    pub version_id: String,
}

impl Version {
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v).map_err(|e| DecodeError::new(format!("field `version`: {e}")))?;
        Ok(Self {
            pseudo_version: f.string_any_or_empty("pseudo_version")?,
            version_id: f.string_any_or_empty("version_id")?,
        })
    }
}

/// refresh_session's result: a new token. The table lists a `Role` the
/// example lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefreshResult {
    pub token: String,
    /// As [`NewSessionResult::expires`].
    #[serde(serialize_with = "lenient::as_string")]
    pub expires: u64,
    #[serde(
        serialize_with = "spell::opt_session_role",
        skip_serializing_if = "Option::is_none"
    )]
    pub role: Option<Role>,
}

impl RefreshResult {
    /// The reply's `result`.
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        // The table capitalizes `Role`, the example has neither spelling.
        let role = match Role::opt_field(&f, "role")? {
            Some(role) => Some(role),
            None => Role::opt_field(&f, "Role")?,
        };
        Ok(Self {
            token: f.str("token")?,
            expires: f.seconds_any("expires")?,
            role,
        })
    }
}
