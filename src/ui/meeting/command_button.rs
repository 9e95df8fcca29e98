//! The one way the panel sends a command: a button that is disabled, with
//! the reason as its title, when the configured cloud lacks the command
//! (the document's last table), so nothing unsupported is sent.

use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use leptos::prelude::*;
use proto::meeting::Command;

/// `label` and `command` may follow the state (mute / unmute); whether the
/// cloud has the command is decided by its kind, once. Both are boxed so
/// every button is the same code (the bundle is counted in kilobytes).
#[component]
pub fn CommandButton(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<MeetingText>,
    #[prop(into)] command: Callback<(), Command>,
) -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let supported = meeting.supports(&command.run(()));
    view! {
        <button id=id class="small" type="button" disabled=!supported
            title=(!supported).then(|| i18n.t(MeetingText::UnsupportedHint))
            on:click=move |_| meeting.command(command.run(()))>
            {move || i18n.t(label.get())}
        </button>
    }
}

/// Said once under a group of buttons on the enterprise cloud: why some
/// are greyed out.
#[component]
pub fn UnsupportedNote() -> impl IntoView {
    let i18n = use_i18n();
    let enterprise =
        expect_context::<Meeting>().deployment() == proto::meeting::Deployment::Enterprise;
    enterprise.then(|| view! { <p class="hint">{i18n.tr(MeetingText::GreyedOnEnterprise)}</p> })
}
