//! The phone-call panel (document 001): call a terminal from the directory,
//! by id or customer service, watch each call's state, cancel it. The panel
//! starts the calls shell and shares it with its components through context.
//!
//! The panel's fixed part is one markup (see `ui::markup`); each module
//! wires its own part of it. The rows of its lists are markups of their own.

mod dial;
mod directory;
mod history;
mod item;
mod list;
mod service;
pub mod text;

pub use dial::parse_id;
pub use history::{extension_text, outcome_word};
pub use item::{duration_text, state_hint, state_name, state_word, target_name};

use super::markup::{markup, Markup, Wired};
use crate::config::resolve;
use crate::i18n::{use_i18n, Key};
use crate::io::calls::CallDesk;
use crate::io::page_origin;
use crate::ui::active::use_active;
use text::CallText;

pub fn call_panel() -> Markup {
    let i18n = use_i18n();
    let config = use_active().config;
    let base = resolve(&config.calls.base_url, &page_origin(), false);
    let terminals = config.terminals;
    let desk = crate::reactive::expect_context::<CallDesk>();
    let dial = dial::Dial::new();
    let history = history::Filters::new();
    markup(HTML, &[Key::named, CallText::named], move |w: &Wired| {
        w.el("call-address").set_text_content(Some(&base));
        directory::wire(w, desk, i18n, &terminals);
        dial.wire(w, desk, i18n);
        service::wire(w, desk, i18n);
        list::wire(w, desk);
        history.wire(w);
    })
}

/// The panel's fixed part. A list's rows, the "older" button under the
/// history (a view of `ui::panel`) and the terminals of the directory go
/// into it when it is built.
const HTML: &str = r#"<section id="calls-panel" class="panel" tabindex="0" aria-labelledby="calls-panel-title"><h2 id="calls-panel-title" data-t="PanelCalls"></h2><dl class="facts"><dt data-t="ServiceAddress"></dt><dd id="call-address"></dd></dl><h3 data-t="Directory"></h3><ul id="call-directory" class="terminals call-directory"></ul><form id="call-dial" class="login call-dial"><label><span data-t="DialLabel"></span><input id="call-dial-id" inputmode="numeric" autocomplete="off" data-t-placeholder="DialPlaceholder" aria-invalid="false"></label><button id="call-dial-button" type="submit"></button></form><p id="call-dial-error" class="error" role="alert"></p><p><button id="call-service" type="button"></button></p><h3 data-t="Calls"></h3><ol id="call-list" class="call-list" aria-live="polite"></ol><p id="call-none" class="empty" data-t="NoCalls"></p><h3 data-t="History"></h3><div class="history-tools"><label><span data-t="HistoryFilter"></span> <input id="history-filter" type="search" autocomplete="off"></label> <select id="history-kind" data-t-aria-label="HistoryKind"><option value="" data-t="HistoryAll"></option><option value="call" data-t="HistoryCalls"></option><option value="ivr" data-t="HistoryIvr"></option></select> <button id="history-export" class="small" type="button" data-t="ExportCsv"></button> <button id="history-clear" class="small" type="button" data-t="ClearHistory"></button></div><ol id="call-history" class="call-history"></ol><div id="history-older-slot" class="slot"></div><p id="history-none" class="empty" data-t="HistoryEmpty"></p></section>"#;
