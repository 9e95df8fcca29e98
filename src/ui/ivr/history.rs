//! The IVR calls sent lately, newest first, with time and outcome.

use super::text::IvrText;
use super::IvrState;
use crate::i18n::use_i18n;
use crate::io::ivr::IvrOutcome;
use crate::time::clock_text;
use crate::ui::keyed::keyed_list;
use crate::ui::markup::Wired;
use leptos::prelude::*;

/// Wires `#ivr-history` of the panel's markup and the line saying it is empty.
pub fn wire(w: &Wired, state: IvrState) {
    let i18n = use_i18n();
    w.hidden("ivr-history-empty", move || {
        !state.history.with(Vec::is_empty)
    });
    w.mount(
        "ivr-history",
        keyed_list(
            move || {
                state
                    .history
                    .with(|h| h.iter().map(|s| u64::from(s.seq)).collect())
            },
            move |seq| {
                let sent = state
                    .history
                    .with_untracked(|h| h.iter().find(|s| u64::from(s.seq) == seq).cloned());
                sent.map(|sent| {
                    let (word, name) = match &sent.outcome {
                        IvrOutcome::Sent { .. } => (IvrText::Accepted, "sent"),
                        IvrOutcome::Refused { .. } => (IvrText::Refused, "refused"),
                        IvrOutcome::NoReply | IvrOutcome::BadReply => (IvrText::Failed, "failed"),
                    };
                    let detail = match &sent.outcome {
                        IvrOutcome::Sent { desc } => desc.clone(),
                        IvrOutcome::Refused { message } => message.clone(),
                        IvrOutcome::NoReply => i18n.t(IvrText::NoReply).to_owned(),
                        IvrOutcome::BadReply => i18n.t(IvrText::BadReply).to_owned(),
                    };
                    let time = clock_text(sent.at_ms);
                    view! {
                        <li class="ivr-sent" data-outcome=name>
                            <time>{time.get(..8).unwrap_or(&time).to_owned()}</time>" "
                            <span class="ivr-dest">{sent.destnumber.clone()}</span>" "
                            <strong>{i18n.tr(word)}</strong>" "
                            <span class="ivr-detail">{detail}</span>
                        </li>
                    }
                })
                .into_any()
            },
        ),
    );
}
