//! The phone-call panel (document 001): call a terminal from the directory,
//! by id or customer service, watch each call's state, cancel it. The panel
//! starts the calls shell and shares it with its components through context.

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

use super::panel::Panel;
use crate::config::resolve;
use crate::i18n::{use_i18n, Key};
use crate::io::page_origin;
use crate::ui::active::use_active;
use dial::DialById;
use directory::TerminalDirectory;
use history::CallHistory;
use leptos::prelude::*;
use list::CallList;
use service::ServiceButton;
use text::CallText;

#[component]
pub fn CallPanel() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_active().config.calls;
    let origin = page_origin();
    let base = resolve(&config.base_url, &origin, false);
    view! {
        <Panel id="calls-panel" title=Key::PanelCalls>
            <dl class="facts">
                <dt>{i18n.tr(CallText::ServiceAddress)}</dt>
                <dd id="call-address">{base}</dd>
            </dl>
            <TerminalDirectory />
            <DialById />
            <ServiceButton />
            <CallList />
            <CallHistory />
        </Panel>
    }
}
