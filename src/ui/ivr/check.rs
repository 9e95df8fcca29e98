//! The form as the dispatcher filled it, checked before anything is sent:
//! each key-route row with proto's `KeyRoute`, the rows together with
//! `KeyRoutes` (each key once), the whole request with
//! `PlayVoice::validate`, and the first wrong field named.

use proto::ivr::{Invalid, KeyRoute, KeyRoutes, PlayVoice, VoiceType};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IvrFields {
    pub destnumber: String,
    pub voicetype: VoiceType,
    pub voicefile: String,
    /// Key-route rows: (key, extension group), in the order shown.
    pub routes: Vec<(String, String)>,
    pub disnumber: String,
    pub customuuid: String,
}

/// Which input is wrong; `Other` carries proto's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IvrField {
    Destnumber,
    Voicefile,
    /// The key-route row at this index (from 0): no group, a bad group, or
    /// a key already routed by an earlier row.
    Route(usize),
    Disnumber,
    Token,
    Other(String),
}

impl IvrField {
    /// The form field's name, as `data-field` shows it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Destnumber => "destnumber",
            Self::Voicefile => "voicefile",
            Self::Route(_) => "userid",
            Self::Disnumber => "disnumber",
            Self::Token => "token",
            Self::Other(_) => "other",
        }
    }
}

/// The rows as `userid`: none is no route; the first wrong row is named.
pub fn key_routes(rows: &[(String, String)]) -> Result<Option<KeyRoutes>, IvrField> {
    let mut routes: Vec<KeyRoute> = Vec::with_capacity(rows.len());
    for (i, (key, group)) in rows.iter().enumerate() {
        let route: KeyRoute = format!("{}@{}", key.trim(), group.trim())
            .parse()
            .map_err(|_| IvrField::Route(i))?;
        if routes.iter().any(|r| r.key == route.key) {
            return Err(IvrField::Route(i));
        }
        routes.push(route);
    }
    Ok(KeyRoutes::new(routes).ok())
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
    play.userid = key_routes(&fields.routes)?;
    play.disnumber = trimmed(&fields.disnumber);
    play.customuuid = trimmed(&fields.customuuid);
    play.validate().map_err(|invalid| match invalid {
        Invalid::Token => IvrField::Token,
        Invalid::Destnumber => IvrField::Destnumber,
        Invalid::Voicefile => IvrField::Voicefile,
        Invalid::Disnumber => IvrField::Disnumber,
        other => IvrField::Other(other.to_string()),
    })?;
    Ok(play)
}
