//! The meeting's state (locked, guests muted, layout) and the host's
//! conference commands: lock, mute guests, start, ask for the state again,
//! end for everyone (confirmed first), and the layout.

use super::command_button::{CommandButton, UnsupportedNote};
use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use crate::ui::show::cond;
use leptos::prelude::*;
use proto::meeting::Command;

#[component]
pub fn ServiceControls() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = super::shown();
    let locked = move || state.with(|v| v.conference.locked);
    let muted = move || state.with(|v| v.conference.guests_muted);
    let layout = move || state.with(|v| v.conference.layout.as_ref().map(|l| l.view.clone()));
    // Ending the meeting puts everyone out, this console too: asked twice.
    let confirming = RwSignal::new(false);
    let end = move |_| {
        confirming.set(false);
        meeting.command(Command::Disconnect);
    };
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
                <CommandButton id="meeting-lock"
                    label=move || if locked() { MeetingText::Unlock } else { MeetingText::Lock }
                    command=move || if locked() { Command::Unlock } else { Command::Lock } />
                <CommandButton id="meeting-mute-guests"
                    label=move || if muted() { MeetingText::UnmuteGuests } else { MeetingText::MuteGuests }
                    command=move || if muted() { Command::UnmuteGuests } else { Command::MuteGuests } />
                <CommandButton id="meeting-start" label=|| MeetingText::StartService
                    command=|| Command::StartService />
                // service_status: in case an update was missed.
                <CommandButton id="meeting-status-refresh" label=|| MeetingText::RefreshStatus
                    command=|| Command::ServiceStatus />
                <button id="meeting-end" class="small danger" type="button"
                    aria-expanded=move || confirming.get().to_string()
                    on:click=move |_| confirming.update(|c| *c = !*c)>
                    {i18n.tr(MeetingText::EndMeeting)}
                </button>
            </p>
            <Show when=cond(move || confirming.get())>
                <p id="meeting-end-confirm-box" class="confirm" role="alert">
                    {i18n.tr(MeetingText::EndMeetingAsk)}" "
                    <button id="meeting-end-confirm" class="small danger" type="button" on:click=end>
                        {i18n.tr(MeetingText::EndMeetingConfirm)}
                    </button>" "
                    <button id="meeting-end-cancel" class="small" type="button"
                        on:click=move |_| confirming.set(false)>{i18n.tr(MeetingText::Cancel)}</button>
                </p>
            </Show>
            <super::layout::LayoutForm />
            <UnsupportedNote />
        </section>
    }
}
