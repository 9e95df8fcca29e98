//! Messages to everyone in the meeting, and the ones received.

use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use crate::ui::show::cond;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::meeting::{Command, TextMessage};

#[component]
pub fn Chat() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = super::shown();
    let text = RwSignal::new(String::new());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let t = text.get_untracked().trim().to_owned();
        if !t.is_empty() {
            meeting.command(Command::Message(TextMessage::plain(t)));
            text.set(String::new());
        }
    };
    let messages = move || state.with(|v| v.conference.messages.clone());
    view! {
        <section class="meeting-chat">
            <h3>{i18n.tr(MeetingText::Chat)}</h3>
            <Show when=cond(move || state.with(|v| v.conference.messages.is_empty()))>
                <p class="empty">{i18n.tr(MeetingText::NoMessages)}</p>
            </Show>
            <ul id="meeting-messages" class="messages">
                {move || messages().into_iter().map(|m| view! {
                    <li><strong>{m.origin}</strong>": "{m.payload}</li>
                }).collect_view()}
            </ul>
            <form id="meeting-message-form" class="login" on:submit=submit>
                <label>
                    {i18n.tr(MeetingText::MessageText)}
                    <input id="meeting-message-input" prop:value=text
                        on:input=move |ev| text.set(event_target_value(&ev)) />
                </label>
                <button id="meeting-message-send" type="submit">{i18n.tr(MeetingText::Send)}</button>
            </form>
        </section>
    }
}
