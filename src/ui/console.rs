//! The console once configured: starts the shells, shares them through
//! context, lays out the panels (one at a time, with tabs, in a narrow or
//! compact frame) and connects an embedding portal.

use super::active::Active;
use super::call::call_panel;
use super::embed;
use super::header::header;
use super::ivr::ivr_panel;
use super::journal::journal_panel;
use super::markup::{markup, Markup, Wired};
use super::meeting::meeting_panel;
use super::ptt::ptt_panel;
use super::settings::settings_panel;
use crate::config::{resolve, Config, Deployment};
use crate::i18n::{use_i18n, Key};
use crate::io::audio::AudioDesk;
use crate::io::calls::CallDesk;
use crate::io::history::History;
use crate::io::ivr::IvrDesk;
use crate::io::meeting::Meeting;
use crate::io::page_origin;
use crate::io::voice::VoiceLink;
use crate::journal::Journal;
use crate::reactive::{RwSignal, StoredValue};
use leptos::prelude::*;
use proto::embed::LayoutMode;

pub fn console(file: Config, config: Config) -> Vec<Markup> {
    let i18n = use_i18n();
    let journal = crate::reactive::expect_context::<Journal>();
    let shells = provide_shells(&config, journal);
    let active = StoredValue::new(Active { file, config });
    provide_context(active);
    let desk = Desk {
        mode: RwSignal::new(LayoutMode::Full),
        panel: RwSignal::new(TABS[0].0),
        microphone_blocked: embed::microphone_blocked(),
    };
    embed::connect(shells, active, desk, i18n);
    let notice = desk.microphone_blocked.then(|| {
        markup(
            r#"<p id="microphone-blocked" class="frame-notice" role="alert" data-t="MicrophoneBlocked"></p>"#,
            &[Key::named],
            |_| {},
        )
    });
    let tabs = markup(TABS_HTML, &[Key::named], move |w: &Wired| {
        for (name, _) in TABS {
            let id = format!("{name}-tab");
            let selected = move || desk.panel.get() == name;
            w.attr(&id, "aria-selected", move || Some(selected().to_string()));
            w.class(&id, "selected", selected);
            w.on(&id, "click", move |_| desk.show(name));
        }
    });
    let panels = markup(
        r#"<main id="console" class="console"></main>"#,
        &[],
        move |w: &Wired| {
            w.class("console", "compact", move || {
                desk.mode.get() == LayoutMode::Compact
            });
            w.attr("console", "data-panel", move || {
                Some(desk.panel.get().to_owned())
            });
            for panel in [
                ptt_panel,
                meeting_panel,
                call_panel,
                ivr_panel,
                journal_panel,
                settings_panel,
            ] {
                w.mount("console", panel());
            }
        },
    );
    [Some(header()), notice, Some(tabs), Some(panels)]
        .into_iter()
        .flatten()
        .collect()
}

/// The tabs, in [`TABS`] order; each one's state is wired by its id.
const TABS_HTML: &str = r#"<nav class="tabs" role="tablist" data-t-aria-label="Panels"><button role="tab" id="ptt-tab" aria-controls="ptt-panel" data-t="PanelPtt"></button><button role="tab" id="meeting-tab" aria-controls="meeting-panel" data-t="PanelMeeting"></button><button role="tab" id="calls-tab" aria-controls="calls-panel" data-t="PanelCalls"></button><button role="tab" id="ivr-tab" aria-controls="ivr-panel" data-t="PanelIvr"></button><button role="tab" id="journal-tab" aria-controls="journal-panel" data-t="PanelJournal"></button><button role="tab" id="settings-tab" aria-controls="settings-panel" data-t="PanelSettings"></button></nav>"#;

/// The panels by protocol name (`show`), in tab order.
const TABS: [(&str, Key); 6] = [
    ("ptt", Key::PanelPtt),
    ("meeting", Key::PanelMeeting),
    ("calls", Key::PanelCalls),
    ("ivr", Key::PanelIvr),
    ("journal", Key::PanelJournal),
    ("settings", Key::PanelSettings),
];

/// How the desk is laid out, and which panel leads.
#[derive(Clone, Copy)]
pub struct Desk {
    /// Compact: one panel at a time, as in a narrow frame.
    pub mode: RwSignal<LayoutMode>,
    /// The panel shown when only one fits (a name from [`TABS`]).
    pub panel: RwSignal<&'static str>,
    /// Framed without `allow="microphone"`: talking cannot work.
    pub microphone_blocked: bool,
}

impl Desk {
    /// Brings panel `name` forward: the one shown when one fits, else
    /// scrolled into view.
    pub fn show(&self, name: &str) {
        let Some(&(name, _)) = TABS.iter().find(|(n, _)| *n == name) else {
            return;
        };
        self.panel.set(name);
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("{name}-panel")))
        {
            el.scroll_into_view();
        }
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
            config.meeting.stream_silent_secs,
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
    provide_context(AudioDesk::start(shells.voice, &config.audio, journal));
    provide_context(shells.meeting);
    provide_context(shells.calls);
    provide_context(shells.ivr);
    let relay_url = config.ivr.relay_url.trim();
    if !relay_url.is_empty() {
        let stream = crate::io::relay::listen(&at(relay_url), history, journal);
        // Kept, and closed, with the console.
        let stream = StoredValue::new(stream);
        on_cleanup(move || drop(stream.try_update_value(Option::take)));
    }
    shells
}
