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
            <button id="call-service" type="button" on:click=move |_| desk.place(Target::Service)>
                {i18n.tr(CallText::CallService)}
            </button>
        </p>
    }
}
