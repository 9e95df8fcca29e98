//! The IVR panel (document 003): a form that places a voice-menu call, the
//! outcome in words, and the recent calls sent. The panel holds the state
//! its components share.
//!
//! The panel's fixed part (the form, the outcome, the history's frame) is
//! one [`markup`]; each part of this module wires its own live parts.

mod broadcast;
mod broadcast_results;
pub mod check;
mod form;
mod history;
mod outcome;
mod routes;
pub mod text;

use crate::i18n::Key;
use crate::io::broadcast::BroadcastDesk;
use crate::io::history::History;
use crate::io::ivr::IvrDesk;
use crate::io::ivr::IvrOutcome;
use crate::journal::Journal;
use crate::reactive::{RwSignal, StoredValue};
use crate::ui::active::{use_active, Active};
use crate::ui::markup::{markup, Markup, Wired};
use check::IvrField;
use form::Draft;
use leptos::prelude::*;
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

pub fn ivr_panel() -> Markup {
    let desk = crate::reactive::expect_context::<IvrDesk>();
    let url = desk.url();
    let config = use_active().config.ivr;
    let state = IvrState {
        sending: RwSignal::new(false),
        field_error: RwSignal::new(None),
        history: RwSignal::new(Vec::new()),
    };
    provide_context(state);
    let draft = Draft::new(config.disnumber);
    provide_context(draft);
    provide_context(BroadcastDesk::new(
        url.clone(),
        config.token,
        crate::reactive::expect_context::<Journal>(),
        crate::reactive::expect_context::<History>(),
    ));
    let active = crate::reactive::expect_context::<StoredValue<Active>>();
    let broadcast = broadcast::section(crate::reactive::expect_context(), draft, state, active);
    markup(HTML, &[Key::named, IvrText::named], move |w: &Wired| {
        w.el("ivr-address").set_text_content(Some(&url));
        form::wire(w, state, desk, draft, active);
        outcome::wire(w, state);
        history::wire(w, state);
        w.mount("ivr-panel", broadcast);
    })
}

/// The panel's fixed part; the broadcast section is mounted at its end.
const HTML: &str = r#"<section id="ivr-panel" class="panel" tabindex="0" aria-labelledby="ivr-panel-title"><h2 id="ivr-panel-title" data-t="PanelIvr"></h2><dl class="facts"><dt data-t="ServiceAddress"></dt><dd id="ivr-address"></dd></dl><form id="ivr-form" class="login ivr-form"><label><span data-t="Destnumber"></span><input id="ivr-destnumber" name="destnumber" autocomplete="off" aria-invalid="false"></label><label><span data-t="Voicetype"></span><select id="ivr-voicetype" name="voicetype"><option value="1" data-t="VoiceOffline"></option><option value="2" data-t="VoiceUrl"></option></select></label><label><span data-t="Voicefile"></span><input id="ivr-voicefile" name="voicefile" autocomplete="off" aria-invalid="false"></label><fieldset id="ivr-routes" class="ivr-routes"><legend data-t="Routes"></legend><ol id="ivr-routes-list"></ol><button id="ivr-route-add" class="small" type="button" data-t="RouteAdd"></button></fieldset><label><span data-t="Disnumber"></span><input id="ivr-disnumber" name="disnumber" autocomplete="off" aria-invalid="false"></label><label><span data-t="Customuuid"></span><input id="ivr-customuuid" name="customuuid" autocomplete="off" aria-invalid="false"></label><button id="ivr-send" type="submit"></button></form><p id="ivr-field-error" class="error" role="alert" data-field=""></p><p id="ivr-result" class="status" aria-live="polite"></p><p id="ivr-error" class="error" role="alert"></p><h3 data-t="History"></h3><ol id="ivr-history" class="ivr-history"></ol><p id="ivr-history-empty" class="empty" data-t="NoHistory"></p></section>"#;
