//! Call customer service (`callService`).

use super::text::CallText;
use crate::i18n::use_i18n;
use crate::io::calls::CallDesk;
use leptos::prelude::*;
use proto::call::Target;

#[component]
pub fn ServiceButton() -> impl IntoView {
    let i18n = use_i18n();
    let desk = expect_context::<CallDesk>();
    view! {
        <p>
            <button id="call-service" type="button" prop:disabled=move || desk.dialling(Target::Service)
                on:click=move |_| desk.place(Target::Service)>
                {move || i18n.t(if desk.dialling(Target::Service) { CallText::Dialling } else { CallText::CallService })}
            </button>
        </p>
    }
}
