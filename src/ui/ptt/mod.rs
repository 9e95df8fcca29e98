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
pub use talk::talk_key_field;

use super::audio::text::AudioText;
use super::markup::{markup, Markup, Wired};
use crate::i18n::Key;
use text::PttText;

pub fn ptt_panel() -> Markup {
    let login = voice_login::voice_login();
    let audio = super::audio::audio_status();
    let group = group_call::group_call();
    markup(
        HTML,
        &[PttText::named, AudioText::named, Key::named],
        move |w: &Wired| {
            login(w);
            audio(w);
            group(w);
        },
    )
}

/// The panel's fixed part: the login, the audio status line and the group
/// call, each written next to its wiring.
const HTML: &str = concat!(
    // Focusable: a panel scrolls inside itself, and the keyboard must reach it.
    r#"<section id="ptt-panel" class="panel" tabindex="0" aria-labelledby="ptt-panel-title"><h2 id="ptt-panel-title" data-t="PanelPtt"></h2>"#,
    voice_login::voice_login_html!(),
    super::audio::status_html!(),
    group_call::group_call_html!(),
    "</section>"
);
