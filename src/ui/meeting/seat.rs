//! Where this console sits in the meeting, when it is not simply in it as
//! a host: a guest (no host tools), in the waiting room, at the PIN prompt.

use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::ui::show::cond;
use leptos::prelude::*;
use proto::meeting::{Role, ServiceType};

#[component]
pub fn Seat() -> impl IntoView {
    let i18n = use_i18n();
    let state = super::shown();
    let service = move || {
        state.with(|v| match v.service {
            Some(ServiceType::WaitingRoom) => Some(("waiting_room", MeetingText::InWaitingRoom)),
            Some(ServiceType::Ivr) => Some(("ivr", MeetingText::AtPinPrompt)),
            _ => None,
        })
    };
    let guest = move || state.with(|v| v.role == Some(Role::Guest));
    view! {
        <div id="meeting-seat">
            {move || service().map(|(which, text)| view! {
                <p id="meeting-waiting" class="status" data-service=which>{i18n.tr(text)}</p>
            })}
            <Show when=cond(guest)>
                <p id="meeting-guest" class="status">{i18n.tr(MeetingText::GuestNoTools)}</p>
            </Show>
        </div>
    }
}
