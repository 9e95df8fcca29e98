//! The outcome of the dispatcher's last action, when it needs saying: a
//! command the cloud lacks, the server's own refusal, being put out.

use super::text::MeetingText;
use crate::i18n::{Lang, Phrase};
use crate::io::meeting::Meeting;
use crate::reactive::RwSignal;
use crate::ui::markup::Wired;
use proto::meeting::machine::Notice;

/// Wires `#meeting-error`: empty, or the notice and a button to dismiss it.
pub fn wire(w: &Wired, meeting: Meeting, lang: RwSignal<Lang>) {
    let state = super::shown();
    let t = move |k: MeetingText| k.text(lang.get());
    w.text("meeting-error-text", move || {
        let Some(notice) = state.with(|v| v.notice.clone()) else {
            return String::new();
        };
        match notice {
            Notice::NotJoined => t(MeetingText::NotJoined).to_owned(),
            Notice::Unsupported { command } => format!("{}{command}", t(MeetingText::Unsupported)),
            Notice::Failed { command, message } => format!(
                "{}{message}",
                super::text::command_failed(lang.get(), command)
            ),
            Notice::Disconnected { reason } => {
                format!("{}{reason}", t(MeetingText::Disconnected))
            }
            Notice::RejoinRefused { message } => {
                format!("{}{message}", t(MeetingText::RejoinRefused))
            }
            Notice::Busy { command } => format!("{}{command}", t(MeetingText::Busy)),
        }
    });
    w.on("meeting-error-dismiss", "click", move |_| meeting.dismiss());
    let line = w.el("meeting-error");
    let parts = line.child_nodes();
    let nodes = (0..parts.length()).filter_map(|i| parts.item(i)).collect();
    w.present(
        line,
        nodes,
        Vec::new(),
        Box::new(move || state.with(|v| v.notice.is_some())),
    );
}
