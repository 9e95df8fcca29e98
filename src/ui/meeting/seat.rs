//! Where this console sits in the meeting, when it is not simply in it as
//! a host: a guest (no host tools), in the waiting room, at the PIN prompt.

use super::text::MeetingText;
use crate::i18n::{Lang, Phrase};
use crate::reactive::RwSignal;
use crate::ui::markup::Wired;
use proto::meeting::{Role, ServiceType};

/// Wires `#meeting-seat`: each line there only while it applies.
pub fn wire(w: &Wired, lang: RwSignal<Lang>) {
    let state = super::shown();
    let service = move || {
        state.with(|v| match v.service {
            Some(ServiceType::WaitingRoom) => Some(("waiting_room", MeetingText::InWaitingRoom)),
            Some(ServiceType::Ivr) => Some(("ivr", MeetingText::AtPinPrompt)),
            _ => None,
        })
    };
    let (seat, waiting, guest) = (
        w.el("meeting-seat"),
        w.el("meeting-waiting"),
        w.el("meeting-guest"),
    );
    w.attr_el(
        waiting.clone(),
        "data-service",
        Box::new(move || service().map(|(which, _)| which.to_owned())),
    );
    w.text_el(
        waiting.clone(),
        Box::new(move || {
            service()
                .map(|(_, text)| text.text(lang.get()))
                .unwrap_or_default()
                .to_owned()
        }),
    );
    w.present(
        seat.clone(),
        vec![waiting.into()],
        vec![guest.clone().into()],
        Box::new(move || service().is_some()),
    );
    w.present(
        seat,
        vec![guest.into()],
        Vec::new(),
        Box::new(move || state.with(|v| v.role == Some(Role::Guest))),
    );
}
