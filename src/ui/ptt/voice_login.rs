//! Login to and logout from the voice plugin, with the link's state in words
//! and the server's own message when it refuses.

use crate::i18n::{use_i18n, Key};
use crate::io::voice::VoiceLink;
use crate::ui::active::use_active;
use crate::ui::show::cond;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::voice::Link;

#[component]
pub fn VoiceLogin() -> impl IntoView {
    let i18n = use_i18n();
    let voice = expect_context::<VoiceLink>();
    let view_state = voice.view();
    let prefill = use_active().config.voice;
    let account = RwSignal::new(prefill.account);
    // The password lives in this form and the machine's memory only.
    let password = RwSignal::new(prefill.password);
    let missing = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (a, p) = (
            account.get_untracked().trim().to_owned(),
            password.get_untracked(),
        );
        missing.set(a.is_empty() || p.is_empty());
        if !missing.get_untracked() {
            voice.login(a, p);
        }
    };
    let link = move || view_state.with(|v| v.link.clone());
    // A memo: the view changes at every push-to-talk step (each press and
    // grant), which must not write the form's fields again.
    let logged_in = Memo::new(move |_| {
        view_state.with(|v| {
            matches!(
                v.link,
                Link::Online | Link::Reconnecting { .. } | Link::Connecting
            )
        })
    });
    let logged_in = move || logged_in.get();
    let status = move || match link() {
        Link::Online => format!(
            "{}{}",
            i18n.t(Key::OnlineAs),
            view_state.with(|v| v.account.clone().unwrap_or_default())
        ),
        Link::Reconnecting { attempt, .. } => crate::i18n::reconnecting(i18n.lang.get(), attempt),
        Link::Connecting => i18n.t(Key::LightConnecting).to_owned(),
        Link::Offline | Link::Refused { .. } => String::new(),
    };
    let refusal = move || match link() {
        Link::Refused { message } => Some(format!("{}{message}", i18n.t(Key::LoginRefused))),
        _ => None,
    };

    view! {
        // Signed in, the form folds to its logout button: the panel's room goes to talking.
        <form id="voice-login" class="login" class:signed-in=logged_in on:submit=submit>
            <label>
                {i18n.tr(Key::Account)}
                <input id="voice-account" autocomplete="username" prop:value=account
                    on:input=move |ev| account.set(event_target_value(&ev)) prop:disabled=logged_in />
            </label>
            <label>
                {i18n.tr(Key::Password)}
                <input id="voice-password" type="password" autocomplete="current-password" prop:value=password
                    on:input=move |ev| password.set(event_target_value(&ev)) prop:disabled=logged_in />
            </label>
            <Show
                when=cond(logged_in)
                fallback=move || view! { <button id="voice-login-button" type="submit">{i18n.tr(Key::Login)}</button> }
            >
                <button id="voice-logout-button" class="small" type="button" on:click=move |_| voice.logout()>{i18n.tr(Key::Logout)}</button>
            </Show>
        </form>
        <p id="voice-status" class="status" aria-live="polite">{status}</p>
        <p id="voice-error" class="error" role="alert">
            {refusal}
            {move || missing.get().then(|| i18n.t(Key::AccountRequired))}
        </p>
    }
}
