//! Click-to-call REST API (document 001): call a user or customer service,
//! cancel a call and poll its state. Every request is a GET carrying the
//! logged-in user's `access_token` in the query; every reply is
//! `{"data":{...},"returnCode":200,"returnMsg":"success"}` (the document's
//! examples add a stray `}` after `data`), and an error reply carries only
//! `returnCode` and a `returnMsg` written for the user, which the UI shows.

use crate::fields::Fields;
use crate::{lenient, DecodeError};
use serde::{Serialize, Serializer};
use serde_json::Value;
use std::fmt;

use crate::url::path_segment;
pub use crate::url::percent_encode;

/// A request of the click-to-call API. All are GETs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallRequest {
    /// `/v1/app/call/{targetId}`: call the user with this id (a Java `Long`).
    /// Replies [`CallStarted`].
    CallUser { target_id: u64 },
    /// `/v1/app/callService`: call customer service. Replies [`CallStarted`].
    CallService,
    /// `/v1/app/callCancel/{callSid}`. Replies [`CancelResult`].
    Cancel { call_sid: String },
    /// `/v1/app/callState/{callSid}`. Replies [`CallStatus`].
    State { call_sid: String },
}

impl CallRequest {
    /// Path and query relative to the configured service address.
    pub fn path_and_query(&self, access_token: &str) -> String {
        format!(
            "{}?access_token={}",
            self.path(),
            percent_encode(access_token)
        )
    }

    /// The same path with the token hidden, for logs.
    pub fn redacted(&self) -> String {
        format!("{}?access_token=***", self.path())
    }

    /// The request's path (no query: the shell adds the `access_token`).
    pub fn path(&self) -> String {
        match self {
            // A number: nothing in it to escape.
            Self::CallUser { target_id } => format!("/v1/app/call/{target_id}"),
            Self::CallService => "/v1/app/callService".to_owned(),
            Self::Cancel { call_sid } => format!("/v1/app/callCancel/{}", path_segment(call_sid)),
            Self::State { call_sid } => format!("/v1/app/callState/{}", path_segment(call_sid)),
        }
    }
}

/// A reply: `data` is present when `returnCode` is 200. A reply to any
/// other code keeps only the code and the message, whatever `data` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallReply<T> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    pub return_code: u64,
    pub return_msg: String,
}

impl<T> CallReply<T> {
    /// A success reply as the server sends it.
    pub fn ok(data: T) -> Self {
        Self {
            data: Some(data),
            return_code: 200,
            return_msg: "success".to_owned(),
        }
    }

    /// An error reply; `message` is shown to the user as is.
    pub fn error(code: u64, message: impl Into<String>) -> Self {
        Self {
            data: None,
            return_code: code,
            return_msg: message.into(),
        }
    }

    pub fn into_result(self) -> Result<T, CallError> {
        match self.data {
            Some(data) if self.return_code == 200 => Ok(data),
            _ => Err(CallError {
                code: self.return_code,
                message: self.return_msg,
            }),
        }
    }
}

impl<T> CallReply<T> {
    /// Reads a reply; `data` of a success is read by `decode`, and the
    /// `data` of any other code is ignored, whatever its shape.
    pub fn decode(
        v: &Value,
        decode: fn(&Value) -> Result<T, DecodeError>,
    ) -> Result<Self, DecodeError> {
        let (return_code, return_msg, data) = envelope(v)?;
        let data = data
            .map(decode)
            .transpose()
            .map_err(|e| DecodeError::new(format!("data: {e}")))?;
        Ok(Self {
            data,
            return_code,
            return_msg,
        })
    }
}

/// `returnCode`, `returnMsg` and, when the code is 200, the `data` that
/// must then be there.
fn envelope(v: &Value) -> Result<(u64, String, Option<&Value>), DecodeError> {
    let f = Fields::of(v)?;
    let return_code = f.u64_any("returnCode")?;
    let return_msg = f.string_any_or_empty("returnMsg")?;
    let data = match (return_code, f.get("data")) {
        (200, Some(data)) => Some(data),
        (200, None) => return Err(DecodeError::new("returnCode 200 without data")),
        _ => None,
    };
    Ok((return_code, return_msg, data))
}

/// Decodes any reply of this API; `decode` reads the `data` of the
/// request's success (`CallStarted::decode`, ...).
pub fn decode_reply<T>(
    text: &str,
    decode: fn(&Value) -> Result<T, DecodeError>,
) -> Result<CallReply<T>, DecodeError> {
    CallReply::decode(&serde_json::from_str(text)?, decode)
}

/// A refusal from the server. `message` (`returnMsg`) is meant for the user,
/// e.g. "用户未绑定手机号,请手动拨打010-56469588!".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    pub code: u64,
    pub message: String,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CallError {}

/// `data` of call and callService.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallStarted {
    pub call_sid: String,
}

impl CallStarted {
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        Ok(Self {
            call_sid: Fields::of(v)?.string_any("callSid")?,
        })
    }
}

/// `data` of callCancel: `{"isSuccess":"success"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelResult {
    pub is_success: String,
}

impl CancelResult {
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        Ok(Self {
            is_success: Fields::of(v)?.string_any("isSuccess")?,
        })
    }

    pub fn success() -> Self {
        Self {
            is_success: "success".to_owned(),
        }
    }

    pub fn succeeded(&self) -> bool {
        self.is_success.eq_ignore_ascii_case("success")
            || self.is_success.eq_ignore_ascii_case("true")
    }
}

/// `data` of callState.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallStatus {
    pub state_type: CallState,
}

impl CallStatus {
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        Ok(Self {
            state_type: CallState::decode(Fields::of(v)?.need("stateType")?)?,
        })
    }
}

/// `stateType`, sent as a string `"1"`..`"4"` (numbers are accepted too).
/// A value the document does not list (`"7"`, `""`) is kept as sent in
/// [`CallState::Unknown`] instead of failing the reply.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CallState {
    Requesting,
    Ringing,
    Connected,
    Ended,
    Unknown(String),
}

impl CallState {
    /// `stateType` as sent: a known code, else the value as text; only a
    /// value that is no text at all (a list, an object) is an error.
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        if let Some(state) = lenient::value_to_u64(v).and_then(Self::from_code) {
            return Ok(state);
        }
        lenient::value_to_string(v)
            .map(Self::Unknown)
            .ok_or_else(|| {
                let v = lenient::json_text(v);
                DecodeError::new(format!("stateType {v} is no state"))
            })
    }

    pub fn from_code(code: u64) -> Option<Self> {
        Some(match code {
            1 => Self::Requesting,
            2 => Self::Ringing,
            3 => Self::Connected,
            4 => Self::Ended,
            _ => return None,
        })
    }

    /// The document's code; `None` for [`CallState::Unknown`].
    pub fn code(&self) -> Option<u8> {
        Some(match self {
            Self::Requesting => 1,
            Self::Ringing => 2,
            Self::Connected => 3,
            Self::Ended => 4,
            Self::Unknown(_) => return None,
        })
    }

    /// Polling stops here. An unknown state is not final: the next poll
    /// may bring one the client knows.
    pub fn is_final(&self) -> bool {
        *self == Self::Ended
    }
}

/// As on the wire: the code, or an unknown value as it came.
impl fmt::Display for CallState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(raw) => f.write_str(raw),
            known => write!(f, "{}", known.code().unwrap_or_default()),
        }
    }
}

impl Serialize for CallState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
