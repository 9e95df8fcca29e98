//! The IVR panel: where voice-menu calls will be sent.

use super::console::use_active;
use super::meeting::shown_address;
use super::panel::Panel;
use crate::i18n::{use_i18n, Key};
use leptos::prelude::*;

#[component]
pub fn IvrPanel() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_active().config;
    view! {
        <Panel id="ivr-panel" title=Key::PanelIvr>
            <dl class="facts">
                <dt>{i18n.tr(Key::IvrUrl)}</dt>
                <dd>{shown_address(&config.ivr.url)}</dd>
            </dl>
        </Panel>
    }
}
