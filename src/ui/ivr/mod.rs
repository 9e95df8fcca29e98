//! The IVR panel (document 003): a form that places a voice-menu call, the
//! outcome in words, and the recent calls sent. The panel holds the state
//! its components share.

mod broadcast;
mod broadcast_results;
pub mod check;
mod form;
mod history;
mod outcome;
mod routes;
pub mod text;

use super::panel::Panel;
use crate::i18n::{use_i18n, Key};
use crate::io::broadcast::BroadcastDesk;
use crate::io::history::History;
use crate::io::ivr::IvrDesk;
use crate::io::ivr::IvrOutcome;
use crate::journal::Journal;
use crate::ui::active::use_active;
use broadcast::BroadcastSection;
use check::IvrField;
use form::{Draft, IvrForm};
use history::IvrHistory;
use leptos::prelude::*;
use outcome::IvrResult;
use text::IvrText;

/// How many sent calls the panel remembers.
pub const HISTORY: usize = 10;

/// One IVR call sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IvrSent {
    pub seq: u32,
    pub at_ms: u64,
    pub destnumber: String,
    pub outcome: IvrOutcome,
}

/// State shared by the panel's components.
#[derive(Debug, Clone, Copy)]
pub struct IvrState {
    pub sending: RwSignal<bool>,
    /// The field to fix, when the form was refused before sending.
    pub field_error: RwSignal<Option<IvrField>>,
    /// Newest first.
    pub history: RwSignal<Vec<IvrSent>>,
}

#[component]
pub fn IvrPanel() -> impl IntoView {
    let i18n = use_i18n();
    let url = expect_context::<IvrDesk>().url();
    let config = use_active().config.ivr;
    provide_context(IvrState {
        sending: RwSignal::new(false),
        field_error: RwSignal::new(None),
        history: RwSignal::new(Vec::new()),
    });
    provide_context(Draft::new(config.disnumber));
    provide_context(BroadcastDesk::new(
        url.clone(),
        config.token,
        expect_context::<Journal>(),
        expect_context::<History>(),
    ));
    view! {
        <Panel id="ivr-panel" title=Key::PanelIvr>
            <dl class="facts">
                <dt>{i18n.tr(IvrText::ServiceAddress)}</dt>
                <dd id="ivr-address">{url}</dd>
            </dl>
            <IvrForm />
            <IvrResult />
            <IvrHistory />
            <BroadcastSection />
        </Panel>
    }
}
