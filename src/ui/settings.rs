//! The settings panel: service addresses, deployment and account, kept in
//! this browser. Saving restarts the console so every shell starts afresh
//! with the new addresses (the journal, and the credentials of services that
//! stay where they were, are kept); nothing secret is stored.

use super::active::{use_active, Active, Restart};
use super::audio::device_choice;
use super::audio::text::AudioText;
use super::credentials::credentials;
use super::markup::{markup, value_of, Markup, Wired};
use crate::config::{AudioCodec, AudioMode, Deployment, MicAsk, Settings};
use crate::i18n::Key;
use crate::io::storage;
use crate::reactive::{RwSignal, StoredValue};
use crate::ui::ptt::talk_key_field;

pub fn settings_panel() -> Markup {
    let active = use_active();
    let secrets = active.file.secrets_in_file().join(", ");
    let config = active.config;
    let talk_key = RwSignal::new(storage::load_settings().talk_key.unwrap_or_default());
    let in_force = crate::reactive::expect_context::<StoredValue<Active>>();
    let restart = crate::reactive::expect_context::<Restart>();
    let secure = crate::io::page_origin().starts_with("https:");
    let restart_with = move |s: &Settings| {
        let (file, current) = in_force.with_value(|a| (a.file.clone(), a.config.clone()));
        restart.with(file.with_settings(s, secure).with_secrets_of(&current));
    };
    markup(HTML, &[Key::named, AudioText::named], move |w: &Wired| {
        for (id, value) in [
            ("settings-voice-plugin", &config.voice.plugin_url),
            ("settings-voice-server", &config.voice.server_base_url),
            ("settings-voice-account", &config.voice.account),
            ("settings-meeting-api", &config.meeting.api_server),
            ("settings-calls", &config.calls.base_url),
            ("settings-ivr", &config.ivr.url),
        ] {
            w.set_value(id, value);
        }
        w.set_value(
            "settings-deployment",
            match config.deployment {
                Deployment::Public => "public",
                Deployment::Enterprise => "enterprise",
            },
        );
        w.set_value(
            "settings-audio-mode",
            match config.audio.mode {
                AudioMode::Browser => "browser",
                AudioMode::Plugin => "plugin",
            },
        );
        w.set_value(
            "settings-microphone",
            match config.audio.microphone {
                MicAsk::Login => "login",
                MicAsk::Talk => "talk",
            },
        );
        w.set_value(
            "settings-audio-codec",
            match config.audio.codec {
                AudioCodec::Auto => "auto",
                AudioCodec::Mulaw => "mulaw",
            },
        );
        w.mount("settings-talk-key-slot", talk_key_field(talk_key));
        device_choice(w, "settings-devices-slot");
        w.mount("settings-credentials-slot", credentials());
        if secrets.is_empty() {
            w.el("settings-secrets").remove();
        } else {
            w.el("settings-secret-keys")
                .set_text_content(Some(&secrets));
        }
        let error = w.el("settings-error");
        let form = w.root().clone();
        w.on("settings-form", "submit", move |ev| {
            ev.prevent_default();
            let read = |id: &str| value_of(&form, id);
            let keep = |id: &str| Some(read(id).trim().to_owned()).filter(|v| !v.is_empty());
            let s = Settings {
                voice_plugin_url: keep("settings-voice-plugin"),
                voice_server_base_url: keep("settings-voice-server"),
                voice_account: keep("settings-voice-account"),
                meeting_api_server: keep("settings-meeting-api"),
                calls_base_url: keep("settings-calls"),
                ivr_url: keep("settings-ivr"),
                talk_key: Some(talk_key.get_untracked()).filter(|v| !v.is_empty()),
                deployment: Some(if read("settings-deployment") == "enterprise" {
                    Deployment::Enterprise
                } else {
                    Deployment::Public
                }),
                audio_mode: Some(if read("settings-audio-mode") == "plugin" {
                    AudioMode::Plugin
                } else {
                    AudioMode::Browser
                }),
                microphone: Some(if read("settings-microphone") == "talk" {
                    MicAsk::Talk
                } else {
                    MicAsk::Login
                }),
                audio_codec: Some(if read("settings-audio-codec") == "mulaw" {
                    AudioCodec::Mulaw
                } else {
                    AudioCodec::Auto
                }),
                ..storage::load_settings()
            };
            match storage::save_settings(&s) {
                Ok(()) => restart_with(&s),
                Err(e) => error.set_text_content(Some(&e)),
            }
        });
        w.on("settings-reset", "click", move |_| {
            storage::clear_settings();
            restart_with(&storage::load_settings());
        });
    })
}

/// The panel's fixed part; what it shows of the configuration is set when it is built.
const HTML: &str = r#"<section id="settings-panel" class="panel" tabindex="0" aria-labelledby="settings-panel-title"><h2 id="settings-panel-title" data-t="PanelSettings"></h2><form id="settings-form" class="settings"><label><span data-t="VoicePluginUrl"></span><input id="settings-voice-plugin"></label><label><span data-t="VoiceServerUrl"></span><input id="settings-voice-server"></label><label><span data-t="Account"></span><input id="settings-voice-account"></label><label><span data-t="MeetingApiServer"></span><input id="settings-meeting-api"></label><label><span data-t="CallsBaseUrl"></span><input id="settings-calls"></label><label><span data-t="IvrUrl"></span><input id="settings-ivr"></label><div id="settings-talk-key-slot" class="slot"></div><label><span data-t="Deployment"></span><select id="settings-deployment"><option value="public" data-t="DeploymentPublic"></option><option value="enterprise" data-t="DeploymentEnterprise"></option></select></label><label><span data-t="Mode"></span><select id="settings-audio-mode"><option value="browser" data-t="ModeBrowser"></option><option value="plugin" data-t="ModePlugin"></option></select></label><label><span data-t="MicAsk"></span><select id="settings-microphone"><option value="login" data-t="MicAskLogin"></option><option value="talk" data-t="MicAskTalk"></option></select></label><label><span data-t="Codec"></span><select id="settings-audio-codec"><option value="auto" data-t="CodecAuto"></option><option value="mulaw" data-t="CodecMulaw"></option></select></label><div id="settings-devices-slot" class="slot"></div><p class="note" data-t="SettingsNote"></p><p id="settings-secrets" class="warning" role="note"><span data-t="SecretsInFile"></span><code id="settings-secret-keys"></code>. <span data-t="SecretsInFileWhy"></span></p><p id="settings-error" class="error" role="alert"></p><div class="buttons"><button id="settings-save" type="submit" data-t="Save"></button><button id="settings-reset" type="button" data-t="ResetSettings"></button></div></form><div id="settings-credentials-slot" class="slot"></div></section>"#;
