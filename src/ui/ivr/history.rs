//! The IVR calls sent lately, newest first, with time and outcome.

use super::text::IvrText;
use super::IvrState;
use crate::i18n::use_i18n;
use crate::io::ivr::IvrOutcome;
use crate::time::clock_text;
use crate::ui::keyed::keyed_list;
use crate::ui::markup::{markup, Wired};

/// Wires `#ivr-history` of the panel's markup and the line saying it is empty.
pub fn wire(w: &Wired, state: IvrState) {
    let i18n = use_i18n();
    w.hidden("ivr-history-empty", move || {
        !state.history.with(Vec::is_empty)
    });
    keyed_list(
        w,
        &w.el("ivr-history"),
        move || {
            state
                .history
                .with(|h| h.iter().map(|s| u64::from(s.seq)).collect())
        },
        move |seq| {
            let sent = state
                .history
                .with_untracked(|h| h.iter().find(|s| u64::from(s.seq) == seq).cloned())?;
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
            Some(markup(ROW, &[], move |w: &Wired| {
                let _ = w.root().set_attribute("data-outcome", name);
                w.part("time")
                    .set_text_content(Some(time.get(..8).unwrap_or(&time)));
                w.part(".ivr-dest").set_text_content(Some(&sent.destnumber));
                w.part(".ivr-detail").set_text_content(Some(&detail));
                w.text_el(w.part("strong"), Box::new(move || i18n.t(word).to_owned()));
            }))
        },
    );
}

/// One request sent; its parts are filled when it is built.
const ROW: &str = r#"<li class="ivr-sent"><time></time> <span class="ivr-dest"></span> <strong></strong> <span class="ivr-detail"></span></li>"#;
