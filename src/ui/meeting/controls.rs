//! The meeting's state (locked, guests muted, layout) and the
//! host's switches for it.

use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use leptos::prelude::*;
use proto::meeting::Command;

#[component]
pub fn ServiceControls() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = meeting.view();
    let locked = move || state.with(|v| v.conference.locked);
    let muted = move || state.with(|v| v.conference.guests_muted);
    let layout = move || state.with(|v| v.conference.layout.as_ref().map(|l| l.view.clone()));
    view! {
        <section id="meeting-state" class="meeting-state">
            <h3>{i18n.tr(MeetingText::ConferenceState)}</h3>
            <p>
                <span id="meeting-locked" data-locked=move || locked().to_string()>
                    {move || i18n.t(if locked() { MeetingText::Locked } else { MeetingText::Unlocked })}
                </span>
                " · "
                <span id="meeting-guests-muted" data-muted=move || muted().to_string()>
                    {move || i18n.t(if muted() { MeetingText::GuestsMuted } else { MeetingText::GuestsUnmuted })}
                </span>
                {move || layout().map(|l| view! {
                    " · " <span id="meeting-layout">{i18n.t(MeetingText::Layout)}{l}</span>
                })}
            </p>
            <p class="buttons">
                <button id="meeting-lock" type="button"
                    on:click=move |_| meeting.command(if locked() { Command::Unlock } else { Command::Lock })>
                    {move || i18n.t(if locked() { MeetingText::Unlock } else { MeetingText::Lock })}
                </button>
                " "
                <button id="meeting-mute-guests" type="button"
                    on:click=move |_| meeting.command(if muted() { Command::UnmuteGuests } else { Command::MuteGuests })>
                    {move || i18n.t(if muted() { MeetingText::UnmuteGuests } else { MeetingText::MuteGuests })}
                </button>
            </p>
        </section>
    }
}
