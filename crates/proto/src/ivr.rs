//! IVR voice menu (document 003): call a number, play a voice file or URL,
//! and route a key press to an extension group. The request is a multipart
//! form POSTed to the configured service address itself (the document gives
//! only a base URL, no path). The two callbacks go to a server the
//! deployment configures, not to the browser; their tables say "string" for
//! fields the examples send as numbers, so both are accepted.

use crate::fields::Fields;
use crate::{lenient, DecodeError};
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::str::FromStr;

/// The `service` field of a PlayVoice request.
pub const SERVICE: &str = "App.Sip_Call.PlayVoice";

/// What `voicefile` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoiceType {
    /// 1: the name of a voice file stored on the server.
    Offline = 1,
    /// 2: a URL (the example has no scheme: `wwww.baidu.com/test.mp3`).
    Url = 2,
}

impl VoiceType {
    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "1" => Some(Self::Offline),
            "2" => Some(Self::Url),
            _ => None,
        }
    }
}

/// `userid`: the key the callee presses and the extension group it leads
/// to, written `1@extGroup-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyRoute {
    /// A telephone key: `0`-`9`, `*` or `#`.
    pub key: char,
    pub group: String,
}

impl FromStr for KeyRoute {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (key, group) = s
            .trim()
            .split_once('@')
            .ok_or_else(|| format!("userid {s:?} is not key@group"))?;
        let mut chars = key.chars();
        let key = match (chars.next(), chars.next()) {
            (Some(k), None) if k.is_ascii_digit() || k == '*' || k == '#' => k,
            _ => return Err(format!("userid {s:?}: the key must be one of 0-9, * or #")),
        };
        if group.is_empty() || group.contains(|c: char| c == '@' || c.is_whitespace()) {
            return Err(format!("userid {s:?}: bad extension group"));
        }
        Ok(Self {
            key,
            group: group.to_owned(),
        })
    }
}

impl fmt::Display for KeyRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.key, self.group)
    }
}

/// `userid` as the form builds it: one key route a row, each key once. The
/// document shows a single route (`1@extGroup-1`) and says nothing of more;
/// several are sent joined by `,` (`1@extGroup-1,2@extGroup-2`), the one
/// way a single form field can carry them. A deployment whose service takes
/// only one route gets one when the dispatcher adds one row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyRoutes(pub Vec<KeyRoute>);

impl FromStr for KeyRoutes {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let routes = s
            .split(',')
            .map(str::parse)
            .collect::<Result<Vec<KeyRoute>, _>>()?;
        Self::new(routes)
    }
}

impl KeyRoutes {
    /// At least one route, and no key routed twice.
    pub fn new(routes: Vec<KeyRoute>) -> Result<Self, String> {
        if routes.is_empty() {
            return Err("userid: no key route".to_owned());
        }
        for (i, r) in routes.iter().enumerate() {
            if routes[..i].iter().any(|o| o.key == r.key) {
                return Err(format!("userid: key {} is routed twice", r.key));
            }
        }
        Ok(Self(routes))
    }
}

impl fmt::Display for KeyRoutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{r}")?;
        }
        Ok(())
    }
}

/// The field that makes a PlayVoice request invalid: what the form marks
/// and the simulator names, never a sentence to match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Invalid {
    /// Not [`SERVICE`].
    Service,
    /// Missing.
    Token,
    /// Missing, or not only digits.
    Destnumber,
    /// Missing, or not 1 or 2.
    Voicetype,
    /// Missing.
    Voicefile,
    /// Given, and not only digits.
    Disnumber,
    /// Not `key@group` with a key of 0-9, * or #, or a key routed twice.
    Userid,
}

impl Invalid {
    /// The form field's name.
    pub fn field(self) -> &'static str {
        match self {
            Self::Service => "service",
            Self::Token => "token",
            Self::Destnumber => "destnumber",
            Self::Voicetype => "voicetype",
            Self::Voicefile => "voicefile",
            Self::Disnumber => "disnumber",
            Self::Userid => "userid",
        }
    }
}

/// For logs: `destnumber is invalid`.
impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is missing or invalid", self.field())
    }
}

impl std::error::Error for Invalid {}

/// A PlayVoice request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayVoice {
    /// Always [`SERVICE`].
    pub service: String,
    pub token: String,
    /// The number to call: digits only.
    pub destnumber: String,
    pub voicetype: VoiceType,
    /// File name or URL, per `voicetype`.
    pub voicefile: String,
    /// Undocumented: the table's whole description is "1", and the example sends 1.
    pub chengshudu: Option<String>,
    pub userid: Option<KeyRoutes>,
    /// The calling number; empty or absent picks one at random.
    pub disnumber: Option<String>,
    /// Returned as is in the call-record callback.
    pub customuuid: Option<String>,
}

impl PlayVoice {
    pub fn new(
        token: impl Into<String>,
        destnumber: impl Into<String>,
        voicetype: VoiceType,
        voicefile: impl Into<String>,
    ) -> Self {
        Self {
            service: SERVICE.to_owned(),
            token: token.into(),
            destnumber: destnumber.into(),
            voicetype,
            voicefile: voicefile.into(),
            chengshudu: None,
            userid: None,
            disnumber: None,
            customuuid: None,
        }
    }

    /// The multipart form fields, in the document's order; absent optional
    /// fields are left out.
    pub fn form_fields(&self) -> Vec<(&'static str, String)> {
        let mut fields = vec![
            ("service", self.service.clone()),
            ("token", self.token.clone()),
            ("voicetype", self.voicetype.code().to_string()),
            ("destnumber", self.destnumber.clone()),
            ("voicefile", self.voicefile.clone()),
        ];
        let optional = [
            ("chengshudu", self.chengshudu.clone()),
            ("userid", self.userid.as_ref().map(KeyRoutes::to_string)),
            ("disnumber", self.disnumber.clone()),
            ("customuuid", self.customuuid.clone()),
        ];
        fields.extend(optional.into_iter().filter_map(|(k, v)| Some((k, v?))));
        fields
    }

    /// The document's "required" column is empty; service, token,
    /// destnumber, voicetype and voicefile are evidently required. The
    /// first invalid field, in the document's order.
    pub fn validate(&self) -> Result<(), Invalid> {
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if self.service != SERVICE {
            return Err(Invalid::Service);
        }
        if self.token.trim().is_empty() {
            return Err(Invalid::Token);
        }
        if !digits(&self.destnumber) {
            return Err(Invalid::Destnumber);
        }
        if self.voicefile.trim().is_empty() {
            return Err(Invalid::Voicefile);
        }
        match &self.disnumber {
            Some(n) if !n.is_empty() && !digits(n) => Err(Invalid::Disnumber),
            _ => Ok(()),
        }
    }

    /// Reads a request from its form fields (the simulator's side) and validates it.
    pub fn from_form<'a>(
        fields: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, Invalid> {
        let mut form = Self {
            service: String::new(),
            ..Self::new("", "", VoiceType::Offline, "")
        };
        let mut voicetype = None;
        for (name, value) in fields {
            let value = value.to_owned();
            match name {
                "service" => form.service = value,
                "token" => form.token = value,
                "destnumber" => form.destnumber = value,
                "voicetype" => {
                    voicetype = Some(VoiceType::parse(&value).ok_or(Invalid::Voicetype)?)
                }
                "voicefile" => form.voicefile = value,
                "chengshudu" => form.chengshudu = Some(value),
                "userid" => {
                    form.userid = (!value.is_empty())
                        .then(|| value.parse().map_err(|_| Invalid::Userid))
                        .transpose()?
                }
                "disnumber" => form.disnumber = Some(value),
                "customuuid" => form.customuuid = Some(value),
                _ => {}
            }
        }
        form.voicetype = voicetype.ok_or(Invalid::Voicetype)?;
        form.validate()?;
        Ok(form)
    }
}

/// The reply: `{"ret":200,"data":{"status":0,"desc":...},"msg":""}`. The
/// error format is not documented: `ret` other than 200 or `status` other
/// than 0 is a failure, whatever `data` then holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IvrReply {
    pub ret: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<IvrReplyData>,
    pub msg: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IvrReplyData {
    pub status: i64,
    pub desc: String,
    /// UNIX seconds.
    pub reqtime: u64,
    pub rsptime: u64,
}

impl IvrReplyData {
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            status: f.i64_any("status")?,
            desc: f.string_any_or_empty("desc")?,
            reqtime: f.u64_any_or_zero("reqtime")?,
            rsptime: f.u64_any_or_zero("rsptime")?,
        })
    }
}

impl IvrReply {
    pub fn ok(data: IvrReplyData) -> Self {
        Self {
            ret: 200,
            data: Some(data),
            msg: String::new(),
        }
    }

    pub fn error(ret: u64, msg: impl Into<String>) -> Self {
        Self {
            ret,
            data: None,
            msg: msg.into(),
        }
    }

    pub fn into_result(self) -> Result<IvrReplyData, IvrError> {
        let status = self.data.as_ref().map(|d| d.status);
        match self.data {
            Some(data) if self.ret == 200 && data.status == 0 => Ok(data),
            data => {
                let desc = data.map(|d| d.desc).unwrap_or_default();
                let message = [self.msg, desc].into_iter().find(|m| !m.is_empty());
                Err(IvrError {
                    ret: self.ret,
                    status,
                    message: message.unwrap_or_else(|| format!("ret {}", self.ret)),
                })
            }
        }
    }
}

impl IvrReply {
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        let ret = f.u64_any("ret")?;
        let data = match (ret, f.get("data")) {
            (200, Some(v)) => {
                let data = IvrReplyData::decode(v);
                Some(data.map_err(|e| DecodeError::new(format!("data: {e}")))?)
            }
            (200, None) => return Err(DecodeError::new("ret 200 without data")),
            // A failure's `data` is kept for its `desc` when it reads.
            (_, v) => v.and_then(|v| IvrReplyData::decode(v).ok()),
        };
        Ok(Self {
            ret,
            data,
            msg: f.string_any_or_empty("msg")?,
        })
    }
}

pub fn decode_reply(text: &str) -> Result<IvrReply, DecodeError> {
    IvrReply::decode(&serde_json::from_str(text)?)
}

/// A refused PlayVoice: `message` is `msg`, else `desc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IvrError {
    pub ret: u64,
    pub status: Option<i64>,
    pub message: String,
}

impl fmt::Display for IvrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IvrError {}

/// Extension-status callback, sent as the extension rings, answers, hangs up.
/// Every field is a string in the example; `isbleg` is `"true"`. Numbers
/// and booleans are read too (the lenient readers of [`Fields`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExtensionStatus {
    /// Id of the B leg.
    pub buuid: String,
    /// The user's number.
    pub callee: String,
    /// The extension's number.
    pub caller: String,
    pub companycode: String,
    /// `callin` or `callout`.
    pub direction: String,
    pub disnumber: String,
    pub extnumber: String,
    #[serde(serialize_with = "lenient::as_string")]
    pub isbleg: bool,
    /// 1 extension, 2 manual, 3 API, 4 two-way call, 5 predictive.
    #[serde(serialize_with = "lenient::as_string")]
    pub method: u64,
    /// UNIX seconds.
    #[serde(serialize_with = "lenient::as_string")]
    pub starttime: u64,
    pub status: ExtensionState,
    /// The call's id.
    pub uuid: String,
    pub ip: String,
}

impl ExtensionStatus {
    /// Only `status` and `uuid` must be there; the rest default when
    /// missing (`null` is refused, as the derive this replaces did).
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            buuid: f.string_any_or_empty("buuid")?,
            callee: f.string_any_or_empty("callee")?,
            caller: f.string_any_or_empty("caller")?,
            companycode: f.string_any_or_empty("companycode")?,
            direction: f.str_or_empty("direction")?,
            disnumber: f.string_any_or_empty("disnumber")?,
            extnumber: f.string_any_or_empty("extnumber")?,
            isbleg: f.bool_any_or_false("isbleg")?,
            method: f.u64_any_or_zero("method")?,
            starttime: f.u64_any_or_zero("starttime")?,
            status: ExtensionState::ALL[f.need_one_of("status", &["ring", "answer", "hangup"])?],
            uuid: f.string_any("uuid")?,
            ip: f.str_or_empty("ip")?,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExtensionState {
    Ring,
    Answer,
    Hangup,
}

impl ExtensionState {
    /// In the order of their names on the wire.
    const ALL: [Self; 3] = [Self::Ring, Self::Answer, Self::Hangup];
}

pub fn decode_extension_status(text: &str) -> Result<ExtensionStatus, DecodeError> {
    ExtensionStatus::decode(&serde_json::from_str(text)?)
}

/// Call-record callback, sent when the call ends. Fields the example sends
/// as numbers are numbers here (and sent back as numbers); the others are
/// strings. Times are `YYYY-MM-DD hh:mm:ss`, empty when it did not happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallRecord {
    pub answertime: String,
    pub hangupcause: u64,
    /// Seconds waited for an answer.
    pub duration: u64,
    /// The record's id.
    pub id: u64,
    pub extnumber: String,
    pub uuid: String,
    pub downloadip: String,
    /// The request's `customuuid`, returned as is.
    pub customuuid: String,
    pub chengshudu: String,
    pub callmethod: u64,
    pub recordfilename: String,
    pub companycode: u64,
    pub memberid: String,
    pub hangupdirection: u64,
    /// Seconds talked.
    pub billsec: u64,
    pub endtime: String,
    pub starttime: String,
    /// `callout` / `callin`.
    #[serde(rename = "type")]
    pub call_type: String,
    pub disnumber: String,
    /// The agent's id.
    pub crmid: String,
    /// The key the user pressed.
    pub userkey: String,
    pub destnumber: String,
}

impl CallRecord {
    /// Only `uuid` must be there; the rest default when missing (`null` is
    /// refused, as the derive this replaces did). The table says "string"
    /// for every field, so numbers and numeric strings are both read.
    pub fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            answertime: f.string_any_or_empty("answertime")?,
            hangupcause: f.u64_any_or_zero("hangupcause")?,
            duration: f.u64_any_or_zero("duration")?,
            id: f.u64_any_or_zero("id")?,
            extnumber: f.string_any_or_empty("extnumber")?,
            uuid: f.string_any("uuid")?,
            downloadip: f.string_any_or_empty("downloadip")?,
            customuuid: f.string_any_or_empty("customuuid")?,
            chengshudu: f.string_any_or_empty("chengshudu")?,
            callmethod: f.u64_any_or_zero("callmethod")?,
            recordfilename: f.string_any_or_empty("recordfilename")?,
            companycode: f.u64_any_or_zero("companycode")?,
            memberid: f.string_any_or_empty("memberid")?,
            hangupdirection: f.u64_any_or_zero("hangupdirection")?,
            billsec: f.u64_any_or_zero("billsec")?,
            endtime: f.string_any_or_empty("endtime")?,
            starttime: f.string_any_or_empty("starttime")?,
            call_type: f.str_or_empty("type")?,
            disnumber: f.string_any_or_empty("disnumber")?,
            crmid: f.string_any_or_empty("crmid")?,
            userkey: f.string_any_or_empty("userkey")?,
            destnumber: f.string_any_or_empty("destnumber")?,
        })
    }
}

pub fn decode_call_record(text: &str) -> Result<CallRecord, DecodeError> {
    CallRecord::decode(&serde_json::from_str(text)?)
}
