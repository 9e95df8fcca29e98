//! The outcome of the dispatcher's last action, when it needs saying: a
//! command the cloud lacks, the server's own refusal, being put out.

use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use leptos::prelude::*;
use proto::meeting::machine::Notice;

#[component]
pub fn MeetingNotice() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = super::shown();
    let text = move || {
        state.with(|v| v.notice.clone()).map(|n| match n {
            Notice::NotJoined => i18n.t(MeetingText::NotJoined).to_owned(),
            Notice::Unsupported { command } => {
                format!("{}{command}", i18n.t(MeetingText::Unsupported))
            }
            Notice::Failed { command, message } => format!(
                "{}{message}",
                super::text::command_failed(i18n.lang.get(), command)
            ),
            Notice::Disconnected { reason } => {
                format!("{}{reason}", i18n.t(MeetingText::Disconnected))
            }
            Notice::RejoinRefused { message } => {
                format!("{}{message}", i18n.t(MeetingText::RejoinRefused))
            }
            Notice::Busy { command } => {
                format!("{}{command}", i18n.t(MeetingText::Busy))
            }
        })
    };
    view! {
        <p id="meeting-error" class="error" role="alert">
            {move || text().map(|t| view! {
                <span id="meeting-error-text">{t}</span>
                " "
                <button id="meeting-error-dismiss" class="small" type="button"
                    on:click=move |_| meeting.dismiss()>{i18n.tr(MeetingText::Dismiss)}</button>
            })}
        </p>
    }
}
