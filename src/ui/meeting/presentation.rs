//! The presentation: who presents, and the newest frame the shell fetched
//! (presentation.jpeg needs the token header, so it comes as an object URL).

use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use leptos::prelude::*;

#[component]
pub fn Presentation() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = super::shown();
    let frame = meeting.frame();
    let presenter = move || {
        state.with(|v| {
            v.conference
                .presentation
                .as_ref()
                .map(|p| p.presenter_name.clone())
        })
    };
    view! {
        {move || presenter().map(|name| view! {
            <figure id="meeting-presentation" class="presentation">
                <figcaption class="status">{i18n.t(MeetingText::Presenting)}{name.clone()}</figcaption>
                {move || frame.get().map(|url| view! {
                    <img id="meeting-presentation-image" src=url alt=name.clone() />
                })}
            </figure>
        })}
    }
}
