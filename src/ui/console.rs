//! The console once configured: starts the shells, shares them through
//! context, and lays out the panels.

use super::active::Active;
use super::call::CallPanel;
use super::header::Header;
use super::ivr::IvrPanel;
use super::journal::JournalPanel;
use super::meeting::MeetingPanel;
use super::ptt::PttPanel;
use super::settings::SettingsPanel;
use crate::config::{resolve, Config, Deployment};
use crate::io::calls::CallDesk;
use crate::io::history::History;
use crate::io::ivr::IvrDesk;
use crate::io::meeting::Meeting;
use crate::io::page_origin;
use crate::io::voice::VoiceLink;
use crate::journal::Journal;
use leptos::prelude::*;

#[component]
pub fn Console(file: Config, config: Config) -> impl IntoView {
    let journal = Journal::new();
    provide_context(journal);
    provide_shells(&config, journal);
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

/// The shells, one per back end.
#[derive(Clone, Copy)]
pub struct Shells {
    pub voice: VoiceLink,
    pub meeting: Meeting,
    pub calls: CallDesk,
    pub ivr: IvrDesk,
}

/// Starts one shell per back end and shares each through context, for the
/// header and the panels alike.
pub fn provide_shells(config: &Config, journal: Journal) -> Shells {
    for secret in [
        &config.voice.password,
        &config.meeting.join_pwd,
        &config.calls.access_token,
        &config.ivr.token,
    ] {
        journal.remember_secret(secret);
    }
    let origin = page_origin();
    let at = |address: &str| resolve(address, &origin, false);
    let history = History::load();
    provide_context(history);
    let shells = Shells {
        voice: VoiceLink::new(
            resolve(&config.voice.plugin_url, &origin, true),
            at(&config.voice.server_base_url),
            journal,
        ),
        meeting: Meeting::new(
            at(&config.meeting.api_server),
            match config.deployment {
                Deployment::Public => proto::meeting::Deployment::Public,
                Deployment::Enterprise => proto::meeting::Deployment::Enterprise,
            },
            journal,
        ),
        calls: CallDesk::new(
            at(&config.calls.base_url),
            config.calls.access_token.clone(),
            journal,
            history,
            config.terminals.clone(),
        ),
        ivr: IvrDesk::new(at(&config.ivr.url), journal, history),
    };
    provide_context(shells.voice);
    provide_context(shells.meeting);
    provide_context(shells.calls);
    provide_context(shells.ivr);
    let relay_url = config.ivr.relay_url.trim();
    if !relay_url.is_empty() {
        let stream = crate::io::relay::listen(&at(relay_url), history, journal);
        // Kept, and closed, with the console.
        let stream = StoredValue::new_local(stream);
        on_cleanup(move || drop(stream.try_update_value(Option::take)));
    }
    shells
}
