//! The meeting's state (locked, guests muted, layout) and the host's
//! conference commands: lock, mute guests, start, ask for the state again,
//! end for everyone (confirmed first), and the layout.

use super::command_button;
use super::text::MeetingText;
use crate::i18n::{Lang, Phrase};
use crate::io::meeting::Meeting;
use crate::reactive::RwSignal;
use crate::ui::markup::Wired;
use proto::meeting::machine::MeetingView;
use proto::meeting::Command;

/// A state's element, its attribute, its button, whether it holds, its
/// words, the button's labels and commands.
type Toggle = (
    &'static str,
    &'static str,
    &'static str,
    fn(&MeetingView) -> bool,
    [MeetingText; 2],
    [MeetingText; 2],
    [Command; 2],
);

/// Wires `#meeting-state`.
pub fn wire(w: &Wired, meeting: Meeting, lang: RwSignal<Lang>) {
    use MeetingText as T;
    let state = super::shown();
    // Each state shown, and the button that turns it around: the first of
    // each pair while it holds, the second otherwise.
    let toggles: [Toggle; 2] = [
        (
            "meeting-locked",
            "data-locked",
            "meeting-lock",
            |v| v.conference.locked,
            [T::Locked, T::Unlocked],
            [T::Unlock, T::Lock],
            [Command::Unlock, Command::Lock],
        ),
        (
            "meeting-guests-muted",
            "data-muted",
            "meeting-mute-guests",
            |v| v.conference.guests_muted,
            [T::GuestsMuted, T::GuestsUnmuted],
            [T::UnmuteGuests, T::MuteGuests],
            [Command::UnmuteGuests, Command::MuteGuests],
        ),
    ];
    for (shown, attr, button, holds, words, labels, commands) in toggles {
        let now = move || state.with(holds);
        let which = move || usize::from(!now());
        w.attr(shown, attr, move || Some(now().to_string()));
        w.text(shown, move || words[which()].text(lang.get()).to_owned());
        command_button::wire(
            w,
            meeting,
            lang,
            w.el(button),
            Some(Box::new(move || labels[which()])),
            Box::new(move || commands[which()].clone()),
        );
    }
    // service_status: in case an update was missed.
    for (button, command) in [
        ("meeting-start", Command::StartService),
        ("meeting-status-refresh", Command::ServiceStatus),
    ] {
        command_button::wire(
            w,
            meeting,
            lang,
            w.el(button),
            None,
            Box::new(move || command.clone()),
        );
    }
    // The layout, with the separator before it, once the meeting has one.
    let layout = move || state.with(|v| v.conference.layout.as_ref().map(|l| l.view.clone()));
    let shown_layout = w.el("meeting-layout");
    w.text_el(
        shown_layout.clone(),
        Box::new(move || {
            let layout = layout().unwrap_or_default();
            format!("{}{layout}", T::Layout.text(lang.get()))
        }),
    );
    if let Some(line) = shown_layout.parent_element() {
        let nodes = shown_layout
            .previous_sibling()
            .into_iter()
            .chain([shown_layout.into()])
            .collect();
        w.present(
            line,
            nodes,
            Vec::new(),
            Box::new(move || layout().is_some()),
        );
    }

    // Ending the meeting puts everyone out, this console too: asked twice.
    let confirming = RwSignal::new(false);
    w.attr("meeting-end", "aria-expanded", move || {
        Some(confirming.get().to_string())
    });
    w.on("meeting-end", "click", move |_| {
        confirming.update(|c| *c = !*c)
    });
    w.on("meeting-end-confirm", "click", move |_| {
        confirming.set(false);
        meeting.command(Command::Disconnect);
    });
    w.on("meeting-end-cancel", "click", move |_| {
        confirming.set(false)
    });
    let section = w.el("meeting-state");
    let next = w
        .el("meeting-layout-open")
        .parent_node()
        .into_iter()
        .collect();
    w.present(
        section,
        vec![w.el("meeting-end-confirm-box").into()],
        next,
        Box::new(move || confirming.get()),
    );
    super::layout::wire(w, meeting, lang);
    command_button::unsupported_note(meeting, w.part("#meeting-state > .hint"));
}
