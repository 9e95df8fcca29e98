//! The form as the dispatcher filled it, checked before anything is sent:
//! the key route with proto's `KeyRoute`, the whole request with
//! `PlayVoice::validate`, and the first wrong field named.

use proto::ivr::{Invalid, KeyRoute, PlayVoice, VoiceType};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IvrFields {
    pub destnumber: String,
    pub voicetype: VoiceType,
    pub voicefile: String,
    pub userid: String,
    pub disnumber: String,
    pub customuuid: String,
}

/// Which input is wrong; `Other` carries proto's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IvrField {
    Destnumber,
    Voicefile,
    Userid,
    Disnumber,
    Token,
    Other(String),
}

impl IvrField {
    /// The form field's name, as `data-field` and the element id show it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Destnumber => "destnumber",
            Self::Voicefile => "voicefile",
            Self::Userid => "userid",
            Self::Disnumber => "disnumber",
            Self::Token => "token",
            Self::Other(_) => "other",
        }
    }
}

/// The request to send, or the field to fix. Blank optional fields are left
/// out; `chengshudu` is 1 as the document's example sends it.
pub fn build(fields: &IvrFields, token: &str) -> Result<PlayVoice, IvrField> {
    let trimmed = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let mut play = PlayVoice::new(
        token,
        fields.destnumber.trim(),
        fields.voicetype,
        fields.voicefile.trim(),
    );
    play.chengshudu = Some("1".to_owned());
    play.userid = match trimmed(&fields.userid) {
        Some(u) => Some(u.parse::<KeyRoute>().map_err(|_| IvrField::Userid)?),
        None => None,
    };
    play.disnumber = trimmed(&fields.disnumber);
    play.customuuid = trimmed(&fields.customuuid);
    play.validate().map_err(|invalid| match invalid {
        Invalid::Token => IvrField::Token,
        Invalid::Destnumber => IvrField::Destnumber,
        Invalid::Voicefile => IvrField::Voicefile,
        Invalid::Disnumber => IvrField::Disnumber,
        Invalid::Userid => IvrField::Userid,
        other => IvrField::Other(other.to_string()),
    })?;
    Ok(play)
}
