//! The console once configured: starts the shells, shares them through
//! context, and lays out the panels.

use super::call::CallPanel;
use super::header::Header;
use super::ivr::IvrPanel;
use super::journal::JournalPanel;
use super::meeting::MeetingPanel;
use super::ptt::PttPanel;
use super::settings::SettingsPanel;
use super::status_light::Lights;
use crate::config::{resolve, Config};
use crate::io::page_origin;
use crate::io::voice::VoiceLink;
use crate::journal::Journal;
use leptos::prelude::*;

/// The effective configuration (config.json with the dispatcher's settings),
/// shared read-only.
#[derive(Debug, Clone)]
pub struct Active {
    pub file: Config,
    pub config: Config,
}

#[component]
pub fn Console(file: Config, config: Config) -> impl IntoView {
    let journal = Journal::new();
    for secret in [
        &config.voice.password,
        &config.meeting.join_pwd,
        &config.calls.access_token,
        &config.ivr.token,
    ] {
        journal.remember_secret(secret);
    }
    let origin = page_origin();
    let voice = VoiceLink::new(
        resolve(&config.voice.plugin_url, &origin, true),
        resolve(&config.voice.server_base_url, &origin, false),
        journal,
    );
    provide_context(journal);
    provide_context(voice);
    provide_context(Lights::default());
    provide_context(StoredValue::new(Active { file, config }));
    view! {
        <Header />
        <main class="console">
            <PttPanel />
            <MeetingPanel />
            <CallPanel />
            <IvrPanel />
            <JournalPanel />
            <SettingsPanel />
        </main>
    }
}

/// The configuration in force, for components.
pub fn use_active() -> Active {
    expect_context::<StoredValue<Active>>().get_value()
}
