//! Configuration: `config.json` beside index.html, written by hand by each
//! deployment (every key is in docs/config.md), then the dispatcher's own
//! overrides from the settings panel, kept in localStorage. Secrets —
//! passwords and tokens — come from config.json or, in a portal, from the
//! embedding page (`configure`, held in memory only), and are never stored.

use crate::i18n::Lang;
use proto::fields::Fields;
use proto::DecodeError;
use serde::Serialize;

pub const CONFIG_PATH: &str = "config.json";
pub const SETTINGS_KEY: &str = "dispatch-desk.settings";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Deployment {
    #[default]
    Public,
    Enterprise,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    pub deployment: Deployment,
    /// "zh-CN" (default) or "en".
    pub language: Option<String>,
    pub voice: VoiceConfig,
    pub meeting: MeetingConfig,
    pub calls: CallsConfig,
    pub ivr: IvrConfig,
    pub terminals: Vec<Terminal>,
    pub embed: EmbedConfig,
    pub audio: AudioConfig,
}

/// Push-to-talk audio (docs/audio.md).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AudioConfig {
    pub mode: AudioMode,
    /// When the microphone is asked for (`browser` mode).
    pub microphone: MicAsk,
    /// What the console sends in (`browser` mode).
    pub codec: AudioCodec,
}

/// The codec of the console's own frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AudioCodec {
    /// Opus where the browser encodes it (WebCodecs), G.711 mu-law otherwise.
    #[default]
    Auto,
    /// G.711 mu-law only, for plugin installations that take nothing else.
    Mulaw,
}

/// When the console asks for the microphone: once, either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MicAsk {
    /// When the voice login succeeds: ready before the first press.
    #[default]
    Login,
    /// At the first press of the talk key (that press's start is lost).
    Talk,
}

/// Who owns the microphone and the speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AudioMode {
    /// The console captures, sends and plays.
    #[default]
    Browser,
    /// The plugin installation does; the console sends and plays nothing.
    Plugin,
}

/// Embedding in portals (docs/embed.md). Only config.json sets it: the
/// portal's `configure` cannot.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbedConfig {
    /// The origins (`https://portal.example:8443`) allowed to frame, drive
    /// and hear the console; empty: none.
    pub origins: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VoiceConfig {
    /// The plugin's WebSocket: `ws://…`, `wss://…`, or a path on this origin.
    pub plugin_url: String,
    /// What initServer tells the plugin: `http(s)://…` or a path on this origin.
    pub server_base_url: String,
    /// Pre-filled login, if the deployment chooses to.
    pub account: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingConfig {
    /// Where checkJoin lives; empty means this origin.
    pub api_server: String,
    pub join_account: String,
    pub join_pwd: String,
    pub participant_name: String,
    /// Seconds an event stream may stay silent before it is reopened
    /// (default 180, at least 5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stream_silent_secs: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallsConfig {
    /// Prefix of `/v1/app/...`; empty means this origin.
    pub base_url: String,
    pub access_token: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IvrConfig {
    /// The PlayVoice endpoint (the document gives only a base URL).
    pub url: String,
    pub token: String,
    /// Caller number shown to the callee; empty lets the service choose.
    pub disnumber: String,
    /// The callback relay's event stream (docs/callbacks.md); empty: none.
    pub relay_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Terminal {
    pub id: u64,
    pub name: String,
}

/// The dispatcher's overrides from the settings panel. Only addresses and
/// preferences: nothing secret may be added here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub language: Option<String>,
    pub deployment: Option<Deployment>,
    pub voice_plugin_url: Option<String>,
    pub voice_server_base_url: Option<String>,
    pub voice_account: Option<String>,
    pub meeting_api_server: Option<String>,
    pub calls_base_url: Option<String>,
    pub ivr_url: Option<String>,
    /// The push-to-talk key (a `KeyboardEvent.code`); none: Space.
    pub talk_key: Option<String>,
    pub audio_mode: Option<AudioMode>,
    pub microphone: Option<MicAsk>,
    pub audio_codec: Option<AudioCodec>,
}

// Decoded by hand (proto::fields), not by serde's derive: a third of the
// wasm. Each object refuses keys it does not know, as docs/config.md says.

/// `section`'s error with the section named.
fn within(section: &'static str) -> impl Fn(DecodeError) -> DecodeError {
    move |e| DecodeError::new(format!("{section}: {e}"))
}

impl Config {
    fn decode(v: &serde_json::Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        f.only(&[
            "deployment",
            "language",
            "voice",
            "meeting",
            "calls",
            "ivr",
            "terminals",
            "embed",
            "audio",
        ])?;
        let section = |name: &'static str| {
            f.get(name)
                .map(Fields::of)
                .transpose()
                .map_err(within(name))
        };
        let voice = Fields::of(f.need("voice")?).map_err(within("voice"))?;
        Ok(Self {
            deployment: Deployment::decode(&f, "deployment")?.unwrap_or_default(),
            language: f.opt_str("language")?,
            voice: VoiceConfig::decode(voice).map_err(within("voice"))?,
            meeting: section("meeting")?
                .map(MeetingConfig::decode)
                .transpose()
                .map_err(within("meeting"))?
                .unwrap_or_default(),
            calls: section("calls")?
                .map(CallsConfig::decode)
                .transpose()
                .map_err(within("calls"))?
                .unwrap_or_default(),
            ivr: section("ivr")?
                .map(IvrConfig::decode)
                .transpose()
                .map_err(within("ivr"))?
                .unwrap_or_default(),
            terminals: f
                .list_or_empty("terminals")?
                .iter()
                .map(Terminal::decode)
                .collect::<Result<_, _>>()
                .map_err(within("terminals"))?,
            embed: section("embed")?
                .map(EmbedConfig::decode)
                .transpose()
                .map_err(within("embed"))?
                .unwrap_or_default(),
            audio: section("audio")?
                .map(AudioConfig::decode)
                .transpose()
                .map_err(within("audio"))?
                .unwrap_or_default(),
        })
    }
}

impl Deployment {
    fn decode(f: &Fields, name: &str) -> Result<Option<Self>, DecodeError> {
        let all = [Self::Public, Self::Enterprise];
        Ok(f.one_of(name, &["public", "enterprise"])?.map(|i| all[i]))
    }
}

impl AudioMode {
    fn decode(f: &Fields, name: &str) -> Result<Option<Self>, DecodeError> {
        let all = [Self::Browser, Self::Plugin];
        Ok(f.one_of(name, &["browser", "plugin"])?.map(|i| all[i]))
    }
}

impl MicAsk {
    fn decode(f: &Fields, name: &str) -> Result<Option<Self>, DecodeError> {
        let all = [Self::Login, Self::Talk];
        Ok(f.one_of(name, &["login", "talk"])?.map(|i| all[i]))
    }
}

impl AudioCodec {
    fn decode(f: &Fields, name: &str) -> Result<Option<Self>, DecodeError> {
        let all = [Self::Auto, Self::Mulaw];
        Ok(f.one_of(name, &["auto", "mulaw"])?.map(|i| all[i]))
    }
}

impl AudioConfig {
    fn decode(f: Fields) -> Result<Self, DecodeError> {
        f.only(&["mode", "microphone", "codec"])?;
        Ok(Self {
            mode: AudioMode::decode(&f, "mode")?.unwrap_or_default(),
            microphone: MicAsk::decode(&f, "microphone")?.unwrap_or_default(),
            codec: AudioCodec::decode(&f, "codec")?.unwrap_or_default(),
        })
    }
}

impl EmbedConfig {
    fn decode(f: Fields) -> Result<Self, DecodeError> {
        f.only(&["origins"])?;
        let origins = f.list_or_empty("origins")?;
        let origins = origins
            .iter()
            .map(|o| o.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or_else(|| DecodeError::new("field `origins`: a list of strings belongs"))?;
        Ok(Self { origins })
    }
}

impl VoiceConfig {
    fn decode(f: Fields) -> Result<Self, DecodeError> {
        f.only(&["pluginUrl", "serverBaseUrl", "account", "password"])?;
        Ok(Self {
            plugin_url: f.str("pluginUrl")?,
            server_base_url: f.str("serverBaseUrl")?,
            account: f.str_or_empty("account")?,
            password: f.str_or_empty("password")?,
        })
    }
}

impl MeetingConfig {
    fn decode(f: Fields) -> Result<Self, DecodeError> {
        f.only(&[
            "apiServer",
            "joinAccount",
            "joinPwd",
            "participantName",
            "streamSilentSecs",
        ])?;
        Ok(Self {
            api_server: f.str_or_empty("apiServer")?,
            join_account: f.str_or_empty("joinAccount")?,
            join_pwd: f.str_or_empty("joinPwd")?,
            participant_name: f.str_or_empty("participantName")?,
            stream_silent_secs: f.opt_u64("streamSilentSecs")?,
        })
    }
}

impl CallsConfig {
    fn decode(f: Fields) -> Result<Self, DecodeError> {
        f.only(&["baseUrl", "accessToken"])?;
        Ok(Self {
            base_url: f.str_or_empty("baseUrl")?,
            access_token: f.str_or_empty("accessToken")?,
        })
    }
}

impl IvrConfig {
    fn decode(f: Fields) -> Result<Self, DecodeError> {
        f.only(&["url", "token", "disnumber", "relayUrl"])?;
        Ok(Self {
            url: f.str_or_empty("url")?,
            token: f.str_or_empty("token")?,
            disnumber: f.str_or_empty("disnumber")?,
            relay_url: f.str_or_empty("relayUrl")?,
        })
    }
}

impl Terminal {
    fn decode(v: &serde_json::Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        f.only(&["id", "name"])?;
        Ok(Self {
            id: f.u64("id")?,
            name: f.str("name")?,
        })
    }
}

impl Settings {
    /// The settings kept in this browser; a key that does not read is
    /// dropped with the rest (see `io::storage::load_settings`).
    pub fn decode(v: &serde_json::Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            language: f.opt_str("language")?,
            deployment: Deployment::decode(&f, "deployment")?,
            voice_plugin_url: f.opt_str("voicePluginUrl")?,
            voice_server_base_url: f.opt_str("voiceServerBaseUrl")?,
            voice_account: f.opt_str("voiceAccount")?,
            meeting_api_server: f.opt_str("meetingApiServer")?,
            calls_base_url: f.opt_str("callsBaseUrl")?,
            ivr_url: f.opt_str("ivrUrl")?,
            talk_key: f.opt_str("talkKey")?,
            audio_mode: AudioMode::decode(&f, "audioMode")?,
            microphone: MicAsk::decode(&f, "microphone")?,
            audio_codec: AudioCodec::decode(&f, "audioCodec")?,
        })
    }
}

impl Config {
    /// Parses config.json and lists every problem found, so a deployment
    /// fixes them in one go.
    pub fn parse(text: &str) -> Result<Self, Vec<String>> {
        let cfg = serde_json::from_str(text)
            .map_err(DecodeError::from)
            .and_then(|v| Config::decode(&v))
            .map_err(|e| vec![format!("config.json: {e}")])?;
        let problems = cfg.problems();
        if problems.is_empty() {
            Ok(cfg)
        } else {
            Err(problems)
        }
    }

    fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if !is_address(
            &self.voice.plugin_url,
            &["ws://", "wss://", "http://", "https://"],
        ) {
            p.push(format!(
                "voice.pluginUrl {:?}: expected ws://, wss:// or a path starting with /",
                self.voice.plugin_url
            ));
        }
        if !is_address(&self.voice.server_base_url, &["http://", "https://"]) {
            p.push(format!(
                "voice.serverBaseUrl {:?}: expected http://, https:// or a path starting with /",
                self.voice.server_base_url
            ));
        }
        for (key, value) in [
            ("meeting.apiServer", &self.meeting.api_server),
            ("calls.baseUrl", &self.calls.base_url),
            ("ivr.url", &self.ivr.url),
        ] {
            if !value.is_empty() && !is_address(value, &["http://", "https://"]) {
                p.push(format!(
                    "{key} {value:?}: expected http://, https://, a path starting with / or empty"
                ));
            }
        }
        if let Some(secs @ 0..5) = self.meeting.stream_silent_secs {
            p.push(format!(
                "meeting.streamSilentSecs {secs}: expected 5 or more"
            ));
        }
        if let Some(l) = &self.language {
            if Lang::from_tag(l).is_none() {
                p.push(format!("language {l:?}: expected \"zh-CN\" or \"en\""));
            }
        }
        for o in &self.embed.origins {
            if !is_origin(o) {
                p.push(format!(
                    "embed.origins {o:?}: expected an origin such as \"https://portal.example\" (scheme, host, optional port; no path, no *)"
                ));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for t in &self.terminals {
            if !seen.insert(t.id) {
                p.push(format!("terminals: id {} appears twice", t.id));
            }
        }
        p
    }

    /// The config.json keys that hold a secret. config.json is a public file:
    /// anyone who can load the console can read it.
    pub fn secrets_in_file(&self) -> Vec<&'static str> {
        [
            ("voice.password", &self.voice.password),
            ("meeting.joinPwd", &self.meeting.join_pwd),
            ("calls.accessToken", &self.calls.access_token),
            ("ivr.token", &self.ivr.token),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, _)| k)
        .collect()
    }

    /// Addresses a page served over https must not use: plain `http:` and
    /// `ws:` would carry passwords and tokens in clear (and browsers block
    /// them as mixed content anyway).
    pub fn insecure_addresses(&self) -> Vec<String> {
        [
            ("voice.pluginUrl", &self.voice.plugin_url),
            ("voice.serverBaseUrl", &self.voice.server_base_url),
            ("meeting.apiServer", &self.meeting.api_server),
            ("calls.baseUrl", &self.calls.base_url),
            ("ivr.url", &self.ivr.url),
        ]
        .into_iter()
        .filter(|(_, v)| is_insecure(v))
        .map(|(k, v)| format!("{k} {v:?}: an https page needs https:// or wss://"))
        .collect()
    }

    /// Applies the dispatcher's overrides; an override that is not a valid
    /// address (or a plain one on an https page) is ignored rather than
    /// locking the dispatcher out. A secret from config.json is never sent to
    /// an address the dispatcher changed: it has to be typed again.
    pub fn with_settings(mut self, s: &Settings, secure_page: bool) -> Self {
        let before = self.clone();
        let pick = |target: &mut String, value: &Option<String>, schemes: &[&str]| {
            if let Some(v) = value.as_ref().filter(|v| {
                is_address(v, schemes) && !(secure_page && is_insecure(v)) && *v != target
            }) {
                *target = v.clone();
            }
        };
        let http = &["http://", "https://"];
        pick(
            &mut self.voice.plugin_url,
            &s.voice_plugin_url,
            &["ws://", "wss://", "http://", "https://"],
        );
        pick(
            &mut self.voice.server_base_url,
            &s.voice_server_base_url,
            http,
        );
        pick(&mut self.meeting.api_server, &s.meeting_api_server, http);
        pick(&mut self.calls.base_url, &s.calls_base_url, http);
        pick(&mut self.ivr.url, &s.ivr_url, http);
        self.forget_moved_secrets(&before, |_, _| false);
        if let Some(a) = s.voice_account.as_ref().filter(|a| !a.trim().is_empty()) {
            self.voice.account = a.clone();
        }
        if let Some(d) = s.deployment {
            self.deployment = d;
        }
        if let Some(m) = s.audio_mode {
            self.audio.mode = m;
        }
        if let Some(m) = s.microphone {
            self.audio.microphone = m;
        }
        if let Some(c) = s.audio_codec {
            self.audio.codec = c;
        }
        if let Some(l) = s.language.as_ref().filter(|l| Lang::from_tag(l).is_some()) {
            self.language = Some(l.clone());
        }
        self
    }

    /// This configuration with `patch` (config.json keys, nested objects
    /// merged key by key) applied, checked like config.json itself.
    pub fn patched(
        &self,
        patch: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, Vec<String>> {
        let mut merged = serde_json::to_value(self).map_err(|e| vec![e.to_string()])?;
        merge(&mut merged, patch);
        Self::parse(&proto::lenient::json_text(&merged))
    }

    /// This configuration as a portal's `configure` changes it: like
    /// [`Self::patched`], and a secret never follows its service to a new
    /// address unless the patch gives it again.
    pub fn configured(
        &self,
        patch: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<Self, Vec<String>> {
        let mut next = self.patched(patch)?;
        next.forget_moved_secrets(self, |service, key| {
            patch
                .get(service)
                .and_then(serde_json::Value::as_object)
                .is_some_and(|o| o.contains_key(key))
        });
        Ok(next)
    }

    /// `self` (config.json with new settings) with the secrets `current`
    /// holds (typed, or from a portal) for each service whose address stays.
    pub fn with_secrets_of(mut self, current: &Config) -> Self {
        let mut kept = current.clone();
        kept.voice.plugin_url = self.voice.plugin_url.clone();
        kept.voice.server_base_url = self.voice.server_base_url.clone();
        kept.meeting.api_server = self.meeting.api_server.clone();
        kept.calls.base_url = self.calls.base_url.clone();
        kept.ivr.url = self.ivr.url.clone();
        kept.forget_moved_secrets(current, |_, _| false);
        for (mine, theirs) in [
            (&mut self.voice.password, kept.voice.password),
            (&mut self.meeting.join_pwd, kept.meeting.join_pwd),
            (&mut self.calls.access_token, kept.calls.access_token),
            (&mut self.ivr.token, kept.ivr.token),
        ] {
            if !theirs.is_empty() {
                *mine = theirs;
            }
        }
        self
    }

    /// Clears each secret whose service's address differs from `before`,
    /// unless `given(service, key)` says it was just handed over for it.
    fn forget_moved_secrets(&mut self, before: &Config, given: impl Fn(&str, &str) -> bool) {
        let voice_moved = self.voice.plugin_url != before.voice.plugin_url
            || self.voice.server_base_url != before.voice.server_base_url;
        let moves = [
            (voice_moved, "voice", "password", &mut self.voice.password),
            (
                self.meeting.api_server != before.meeting.api_server,
                "meeting",
                "joinPwd",
                &mut self.meeting.join_pwd,
            ),
            (
                self.calls.base_url != before.calls.base_url,
                "calls",
                "accessToken",
                &mut self.calls.access_token,
            ),
            (
                self.ivr.url != before.ivr.url,
                "ivr",
                "token",
                &mut self.ivr.token,
            ),
        ];
        for (moved, service, key, secret) in moves {
            if moved && !given(service, key) {
                secret.clear();
            }
        }
    }

    /// Whether the shells built from `self` would differ from those built
    /// from `other` (addresses, deployment): such changes restart the console.
    pub fn same_services(&self, other: &Self) -> bool {
        self.deployment == other.deployment
            && self.audio == other.audio
            && self.voice.plugin_url == other.voice.plugin_url
            && self.voice.server_base_url == other.voice.server_base_url
            && self.meeting.api_server == other.meeting.api_server
            && self.calls.base_url == other.calls.base_url
            && self.ivr.url == other.ivr.url
    }

    pub fn lang(&self) -> Lang {
        self.language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or_default()
    }
}

fn merge(target: &mut serde_json::Value, patch: &serde_json::Map<String, serde_json::Value>) {
    for (key, value) in patch {
        match (target.get_mut(key), value) {
            (Some(t @ serde_json::Value::Object(_)), serde_json::Value::Object(p)) => merge(t, p),
            _ => {
                if let serde_json::Value::Object(t) = target {
                    t.insert(key.clone(), value.clone());
                }
            }
        }
    }
}

/// `scheme://host[:port]` with nothing after: what `MessageEvent.origin` holds.
pub fn is_origin(v: &str) -> bool {
    let Some((scheme, rest)) = v.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.contains(['/', '*', '?', '#', '@', ' '])
        && v == v.to_ascii_lowercase()
}

/// A path on this origin, or an absolute address with one of `schemes` and
/// no `user:pass@` in it (credentials in a URL end up in logs and history).
fn is_address(v: &str, schemes: &[&str]) -> bool {
    let v = v.trim();
    if v.starts_with('/') {
        return true;
    }
    let lower = v.to_ascii_lowercase();
    let Some(scheme) = schemes
        .iter()
        .find(|s| v.len() > s.len() && lower.starts_with(**s))
    else {
        return false;
    };
    let authority = v[scheme.len()..]
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    !authority.contains('@')
}

fn is_insecure(v: &str) -> bool {
    let lower = v.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("ws://")
}

/// Resolves an address against the page's origin (`http://host:port`):
/// empty means this origin, a path stays on this origin; `ws` selects the
/// WebSocket scheme.
pub fn resolve(address: &str, page_origin: &str, ws: bool) -> String {
    let address = address.trim();
    let absolute = if address.is_empty() {
        page_origin.trim_end_matches('/').to_owned()
    } else if address.starts_with('/') {
        format!("{}{address}", page_origin.trim_end_matches('/'))
    } else {
        address.to_owned()
    };
    if !ws {
        return absolute;
    }
    if let Some(rest) = absolute.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = absolute.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        absolute
    }
}
