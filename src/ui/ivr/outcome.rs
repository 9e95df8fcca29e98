//! The outcome of the last IVR call sent: the server's `desc` on success,
//! its message on refusal.

use super::text::IvrText;
use super::IvrState;
use crate::i18n::use_i18n;
use crate::io::ivr::IvrOutcome;
use crate::ui::markup::Wired;

/// Wires `#ivr-result` and `#ivr-error` of the panel's markup.
pub fn wire(w: &Wired, state: IvrState) {
    let i18n = use_i18n();
    let last = move || state.history.with(|h| h.first().map(|s| s.outcome.clone()));
    w.text("ivr-result", move || match last() {
        Some(IvrOutcome::Sent { desc }) => desc,
        _ => String::new(),
    });
    w.text("ivr-error", move || match last() {
        None | Some(IvrOutcome::Sent { .. }) => String::new(),
        Some(IvrOutcome::Refused { message }) => {
            format!("{}{message}", i18n.t(IvrText::ServerSaid))
        }
        Some(IvrOutcome::NoReply) => i18n.t(IvrText::NoReply).to_owned(),
        Some(IvrOutcome::BadReply) => i18n.t(IvrText::BadReply).to_owned(),
    });
}
