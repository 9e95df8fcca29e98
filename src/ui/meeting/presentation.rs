//! The presentation: who presents, and the newest frame the shell fetched
//! (presentation.jpeg needs the token header, so it comes as an object URL).

use super::text::MeetingText;
use crate::i18n::{Lang, Phrase};
use crate::io::meeting::Meeting;
use crate::reactive::RwSignal;
use crate::ui::markup::Wired;

/// Wires `#meeting-presentation`, there while someone presents, and its
/// image, there once a frame came.
pub fn wire(w: &Wired, meeting: Meeting, lang: RwSignal<Lang>) {
    let state = super::shown();
    let frame = meeting.frame();
    let presenter = move || {
        state.with(|v| {
            v.conference
                .presentation
                .as_ref()
                .map(|p| p.presenter_name.clone())
        })
    };
    let (figure, image) = (
        w.el("meeting-presentation"),
        w.el("meeting-presentation-image"),
    );
    w.text_el(
        w.part("#meeting-presentation > figcaption"),
        Box::new(move || {
            let name = presenter().unwrap_or_default();
            format!("{}{name}", MeetingText::Presenting.text(lang.get()))
        }),
    );
    w.attr_el(image.clone(), "alt", Box::new(presenter));
    w.attr_el(image.clone(), "src", Box::new(move || frame.get()));
    w.present(
        figure.clone(),
        vec![image.into()],
        Vec::new(),
        Box::new(move || frame.with(Option::is_some)),
    );
    // Before the controls, else the roster (the controls are a host's).
    let next = vec![
        w.el("meeting-state").into(),
        w.part(".meeting-participants").into(),
    ];
    w.present(
        w.root().clone(),
        vec![figure.into()],
        next,
        Box::new(move || presenter().is_some()),
    );
}
