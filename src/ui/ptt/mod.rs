//! Push-to-talk: the voice plugin login for now; floor control builds on it.

mod voice_login;

use super::panel::Panel;
use crate::i18n::Key;
use leptos::prelude::*;
use voice_login::VoiceLogin;

#[component]
pub fn PttPanel() -> impl IntoView {
    view! {
        <Panel id="ptt-panel" title=Key::PanelPtt>
            <VoiceLogin />
        </Panel>
    }
}
