//! The phone call panel: the terminal directory calls are placed from.

use super::console::use_active;
use super::meeting::shown_address;
use super::panel::Panel;
use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;

#[component]
pub fn CallPanel() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_active().config;
    view! {
        <Panel id="calls-panel" title=Key::PanelCalls>
            <dl class="facts">
                <dt>{i18n.tr(Key::CallsBaseUrl)}</dt>
                <dd>{shown_address(&config.calls.base_url)}</dd>
            </dl>
            <h3>{i18n.tr(Key::Terminals)}</h3>
            <ul id="terminal-directory" class="terminals">
                {config.terminals.into_iter().map(|t| view! { <li data-id=t.id.to_string()>{t.name}" · "{t.id}</li> }).collect_view()}
            </ul>
        </Panel>
    }
}
