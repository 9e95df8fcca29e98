//! Switches between Chinese and English and remembers the choice.

use super::markup::Wired;
use crate::i18n::{I18n, Lang};
use crate::io::storage;

/// Makes button `id` of the markup the language switch.
pub fn lang_switch(w: &Wired, id: &str, i18n: I18n) {
    // Each language is offered in its own words.
    w.text(id, move || {
        match i18n.lang.get() {
            Lang::Zh => "English",
            Lang::En => "中文",
        }
        .to_owned()
    });
    w.on(id, "click", move |_| {
        let next = match i18n.lang.get_untracked() {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        };
        i18n.lang.set(next);
        let mut settings = storage::load_settings();
        settings.language = Some(next.tag().to_owned());
        // A preference only: if storage is unavailable the switch still works.
        let _ = storage::save_settings(&settings);
    });
}
