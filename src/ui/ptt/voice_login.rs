//! Login to and logout from the voice plugin, with the link's state in words
//! and the server's own message when it refuses.

use crate::i18n::{use_i18n, Key};
use crate::io::voice::VoiceLink;
use crate::reactive::{Memo, RwSignal};
use crate::ui::active::use_active;
use crate::ui::markup::{value_of, Wired};
use proto::voice::Link;

/// The login form, the link's state and the refusal, in the panel's markup.
/// Signed in, the form folds to its logout button: the panel's room goes to talking.
macro_rules! voice_login_html {
    () => {
        r#"<form id="voice-login" class="login"><label><span data-t="Account"></span><input id="voice-account" autocomplete="username"></label><label><span data-t="Password"></span><input id="voice-password" type="password" autocomplete="current-password"></label><button id="voice-login-button" type="submit" data-t="Login"></button><button id="voice-logout-button" class="small" type="button" data-t="Logout"></button></form><p id="voice-status" class="status" aria-live="polite"></p><p id="voice-error" class="error" role="alert"></p>"#
    };
}
pub(super) use voice_login_html;

/// The login form's state, set up with the panel; the returned wiring is
/// run on its markup.
pub(super) fn voice_login() -> impl FnOnce(&Wired) + Send {
    let i18n = use_i18n();
    let voice = crate::reactive::expect_context::<VoiceLink>();
    let view_state = voice.view();
    // The password lives in this form and the machine's memory only.
    let prefill = use_active().config.voice;
    let missing = RwSignal::new(false);

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
    let error = move || {
        let mut text = match link() {
            Link::Refused { message } => format!("{}{message}", i18n.t(Key::LoginRefused)),
            _ => String::new(),
        };
        if missing.get() {
            text.push_str(i18n.t(Key::AccountRequired));
        }
        text
    };

    move |w: &Wired| {
        w.set_value("voice-account", &prefill.account);
        w.set_value("voice-password", &prefill.password);
        w.class("voice-login", "signed-in", move || logged_in.get());
        let off = move || logged_in.get().then(String::new);
        w.attr("voice-account", "disabled", off);
        w.attr("voice-password", "disabled", off);
        w.hidden("voice-login-button", move || logged_in.get());
        w.hidden("voice-logout-button", move || !logged_in.get());
        w.on("voice-logout-button", "click", move |_| voice.logout());
        let form = w.root().clone();
        w.on("voice-login", "submit", move |ev| {
            ev.prevent_default();
            let (a, p) = (
                value_of(&form, "voice-account").trim().to_owned(),
                value_of(&form, "voice-password"),
            );
            missing.set(a.is_empty() || p.is_empty());
            if !missing.get_untracked() {
                voice.login(a, p);
            }
        });
        w.text("voice-status", status);
        w.text("voice-error", error);
    }
}
