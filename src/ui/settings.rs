//! The settings panel: service addresses, deployment and account, kept in
//! this browser. Saving restarts the console so every shell starts afresh
//! with the new addresses (the journal, and the credentials of services that
//! stay where they were, are kept); nothing secret is stored.

use super::active::{use_active, Active, Restart};
use super::audio::text::AudioText;
use super::audio::DeviceChoice;
use super::credentials::Credentials;
use super::panel::Panel;
use crate::config::{AudioCodec, AudioMode, Deployment, MicAsk, Settings};
use crate::i18n::{use_i18n, Key};
use crate::io::storage;
use crate::ui::ptt::TalkKeyField;
use crate::ui::show::cond;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

#[component]
pub fn SettingsPanel() -> impl IntoView {
    let i18n = use_i18n();
    let active = use_active();
    let secrets = active.file.secrets_in_file().join(", ");
    let config = active.config;
    let field = |value: &str| RwSignal::new(value.to_owned());
    let plugin = field(&config.voice.plugin_url);
    let server = field(&config.voice.server_base_url);
    let account = field(&config.voice.account);
    let meeting = field(&config.meeting.api_server);
    let calls = field(&config.calls.base_url);
    let ivr = field(&config.ivr.url);
    let talk_key = field(&storage::load_settings().talk_key.unwrap_or_default());
    let deployment = RwSignal::new(config.deployment);
    let audio_mode = RwSignal::new(config.audio.mode);
    let microphone = RwSignal::new(config.audio.microphone);
    let codec = RwSignal::new(config.audio.codec);
    let error = RwSignal::new(None::<String>);
    let in_force = expect_context::<StoredValue<Active>>();
    let restart = expect_context::<Restart>();
    let secure = crate::io::page_origin().starts_with("https:");
    let restart_with = move |s: &Settings| {
        let (file, current) = in_force.with_value(|a| (a.file.clone(), a.config.clone()));
        restart.with(file.with_settings(s, secure).with_secrets_of(&current));
    };

    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut s = storage::load_settings();
        let keep = |v: RwSignal<String>| {
            Some(v.get_untracked().trim().to_owned()).filter(|v| !v.is_empty())
        };
        s = Settings {
            voice_plugin_url: keep(plugin),
            voice_server_base_url: keep(server),
            voice_account: keep(account),
            meeting_api_server: keep(meeting),
            calls_base_url: keep(calls),
            ivr_url: keep(ivr),
            talk_key: keep(talk_key),
            deployment: Some(deployment.get_untracked()),
            audio_mode: Some(audio_mode.get_untracked()),
            microphone: Some(microphone.get_untracked()),
            audio_codec: Some(codec.get_untracked()),
            ..s
        };
        match storage::save_settings(&s) {
            Ok(()) => restart_with(&s),
            Err(e) => error.set(Some(e)),
        }
    };
    let reset = move |_| {
        storage::clear_settings();
        restart_with(&storage::load_settings());
    };
    let text_input = move |id: &'static str, label: Key, value: RwSignal<String>| {
        view! {
            <label>
                {i18n.tr(label)}
                <input id=id prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <Panel id="settings-panel" title=Key::PanelSettings>
            <form id="settings-form" class="settings" on:submit=save>
                {text_input("settings-voice-plugin", Key::VoicePluginUrl, plugin)}
                {text_input("settings-voice-server", Key::VoiceServerUrl, server)}
                {text_input("settings-voice-account", Key::Account, account)}
                {text_input("settings-meeting-api", Key::MeetingApiServer, meeting)}
                {text_input("settings-calls", Key::CallsBaseUrl, calls)}
                {text_input("settings-ivr", Key::IvrUrl, ivr)}
                <TalkKeyField code=talk_key />
                <label>
                    {i18n.tr(Key::Deployment)}
                    <select id="settings-deployment" on:change=move |ev| {
                        deployment.set(if event_target_value(&ev) == "enterprise" { Deployment::Enterprise } else { Deployment::Public })
                    }>
                        <option value="public" selected=move || deployment.get() == Deployment::Public>{i18n.tr(Key::DeploymentPublic)}</option>
                        <option value="enterprise" selected=move || deployment.get() == Deployment::Enterprise>{i18n.tr(Key::DeploymentEnterprise)}</option>
                    </select>
                </label>
                <label>
                    {i18n.tr(AudioText::Mode)}
                    <select id="settings-audio-mode" on:change=move |ev| {
                        audio_mode.set(if event_target_value(&ev) == "plugin" { AudioMode::Plugin } else { AudioMode::Browser })
                    }>
                        <option value="browser" selected=move || audio_mode.get() == AudioMode::Browser>{i18n.tr(AudioText::ModeBrowser)}</option>
                        <option value="plugin" selected=move || audio_mode.get() == AudioMode::Plugin>{i18n.tr(AudioText::ModePlugin)}</option>
                    </select>
                </label>
                <label>
                    {i18n.tr(AudioText::MicAsk)}
                    <select id="settings-microphone" on:change=move |ev| {
                        microphone.set(if event_target_value(&ev) == "talk" { MicAsk::Talk } else { MicAsk::Login })
                    }>
                        <option value="login" selected=move || microphone.get() == MicAsk::Login>{i18n.tr(AudioText::MicAskLogin)}</option>
                        <option value="talk" selected=move || microphone.get() == MicAsk::Talk>{i18n.tr(AudioText::MicAskTalk)}</option>
                    </select>
                </label>
                <label>
                    {i18n.tr(AudioText::Codec)}
                    <select id="settings-audio-codec" on:change=move |ev| {
                        codec.set(if event_target_value(&ev) == "mulaw" { AudioCodec::Mulaw } else { AudioCodec::Auto })
                    }>
                        <option value="auto" selected=move || codec.get() == AudioCodec::Auto>{i18n.tr(AudioText::CodecAuto)}</option>
                        <option value="mulaw" selected=move || codec.get() == AudioCodec::Mulaw>{i18n.tr(AudioText::CodecMulaw)}</option>
                    </select>
                </label>
                <DeviceChoice />
                <p class="note">{i18n.tr(Key::SettingsNote)}</p>
                <Show when={
                    let any = !secrets.is_empty();
                    cond(move || any)
                }>
                    <p id="settings-secrets" class="warning" role="note">
                        {i18n.tr(Key::SecretsInFile)}<code>{secrets.clone()}</code>". "{i18n.tr(Key::SecretsInFileWhy)}
                    </p>
                </Show>
                <p class="error" role="alert">{move || error.get()}</p>
                <div class="buttons">
                    <button id="settings-save" type="submit">{i18n.tr(Key::Save)}</button>
                    <button id="settings-reset" type="button" on:click=reset>{i18n.tr(Key::ResetSettings)}</button>
                </div>
            </form>
            <Credentials />
        </Panel>
    }
}
