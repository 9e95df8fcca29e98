//! The outcome of the last IVR call sent: the server's `desc` on success,
//! its message on refusal.

use super::text::IvrText;
use super::IvrState;
use crate::i18n::use_i18n;
use crate::io::ivr::IvrOutcome;
use leptos::prelude::*;

#[component]
pub fn IvrResult() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<IvrState>();
    let last = move || state.history.with(|h| h.first().map(|s| s.outcome.clone()));
    let success = move || match last() {
        Some(IvrOutcome::Sent { desc }) => Some(desc),
        _ => None,
    };
    let failure = move || match last()? {
        IvrOutcome::Sent { .. } => None,
        IvrOutcome::Refused { message } => {
            Some(format!("{}{message}", i18n.t(IvrText::ServerSaid)))
        }
        IvrOutcome::NoReply => Some(i18n.t(IvrText::NoReply).to_owned()),
        IvrOutcome::BadReply => Some(i18n.t(IvrText::BadReply).to_owned()),
    };
    view! {
        <p id="ivr-result" class="status" aria-live="polite">{success}</p>
        <p id="ivr-error" class="error" role="alert">{failure}</p>
    }
}
