//! The IVR calls sent lately, newest first, with time and outcome.

use super::text::IvrText;
use super::IvrState;
use crate::i18n::use_i18n;
use crate::io::ivr::IvrOutcome;
use crate::time::clock_text;
use leptos::prelude::*;

#[component]
pub fn IvrHistory() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<IvrState>();
    view! {
        <h3>{i18n.tr(IvrText::History)}</h3>
        <ol id="ivr-history" class="ivr-history">
            <For each=move || state.history.get() key=|s| s.seq let(sent)>
                {
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
                }
            </For>
        </ol>
        <Show when=move || state.history.with(Vec::is_empty)>
            <p class="empty">{i18n.tr(IvrText::NoHistory)}</p>
        </Show>
    }
}
