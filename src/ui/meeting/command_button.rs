//! The one way the panel sends a command: a button that is disabled, with
//! the reason as its title, when the configured cloud lacks the command
//! (the document's last table), so nothing unsupported is sent.

use super::text::MeetingText;
use crate::i18n::{Lang, Phrase};
use crate::io::meeting::Meeting;
use crate::reactive::RwSignal;
use crate::ui::markup::Wired;
use leptos::prelude::*;
use proto::meeting::{Command, Deployment};
use web_sys::Element;

/// Makes button `el` of the markup send `command()`. `label` may follow the
/// state (mute / unmute); `None` leaves the button's own text (`data-t`).
/// Whether the cloud has the command is decided by its kind, once (read
/// untracked: a markup is wired while its parent's view is being built).
pub fn wire(
    w: &Wired,
    meeting: Meeting,
    lang: RwSignal<Lang>,
    el: Element,
    label: Option<Box<dyn Fn() -> MeetingText>>,
    command: Box<dyn Fn() -> Command>,
) {
    if !meeting.supports(&untrack(&command)) {
        disable(w, lang, &el);
    }
    if let Some(label) = label {
        w.text_el(
            el.clone(),
            Box::new(move || label().text(lang.get()).to_owned()),
        );
    }
    w.on_el(el, "click", Box::new(move |_| meeting.command(command())));
}

/// Disables `el`, a control the cloud lacks, with the reason as its title.
pub fn disable(w: &Wired, lang: RwSignal<Lang>, el: &Element) {
    let _ = el.set_attribute("disabled", "");
    w.attr_el(
        el.clone(),
        "title",
        Box::new(move || Some(MeetingText::UnsupportedHint.text(lang.get()).to_owned())),
    );
}

/// The note said once under a group of buttons on the enterprise cloud (why
/// some are greyed out), `el`: removed on the public cloud, which lacks nothing.
pub fn unsupported_note(meeting: Meeting, el: Element) {
    if meeting.deployment() != Deployment::Enterprise {
        el.remove();
    }
}
