//! Push-to-talk: the voice plugin login, then the temporary group calls
//! with floor control, and the microphone and speaker state (`ui::audio`).

mod directory;
mod group_call;
mod session_item;
mod sessions;
mod talk;
pub mod text;
mod voice_login;

pub use group_call::{error_text, notice_text};
pub use sessions::{call_state_word, member_look, talker_text};
pub use talk::TalkKeyField;

use super::panel::Panel;
use crate::i18n::Key;
use group_call::GroupCall;
use leptos::prelude::*;
use voice_login::VoiceLogin;

#[component]
pub fn PttPanel() -> impl IntoView {
    view! {
        <Panel id="ptt-panel" title=Key::PanelPtt>
            <VoiceLogin />
            <super::audio::AudioStatus />
            <GroupCall />
        </Panel>
    }
}
