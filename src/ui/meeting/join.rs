//! Join and leave the configured conference (prefilled, editable), with the
//! link's state in words.

use super::text::MeetingText;
use crate::i18n::{use_i18n, Key};
use crate::io::meeting::Meeting;
use crate::ui::active::{use_active, Active};
use crate::ui::markup::{markup, value_of, Wired};
use crate::ui::show::cond;
use leptos::prelude::*;
use proto::meeting::machine::MeetingLink;

#[component]
pub fn JoinForm() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = super::shown();
    let cfg = use_active().config.meeting;
    let initial = cfg.join_account;
    let missing = RwSignal::new(false);
    // The PIN stays in the configuration in force and the machine's memory;
    // read when joining, as the dispatcher or the portal may give it later.
    let active_config = expect_context::<StoredValue<Active>>();
    let name = cfg.participant_name;

    let submit = move |typed: String| {
        let account = typed.trim().to_owned();
        missing.set(account.is_empty());
        if !account.is_empty() {
            let name = if name.trim().is_empty() {
                i18n.t(Key::AppTitle).to_owned()
            } else {
                name.clone()
            };
            let pin = active_config.with_value(|a| a.config.meeting.join_pwd.clone());
            meeting.join(account, pin, name);
        }
    };
    let link = move || state.with(|v| v.link.clone());
    let active = move || link().is_active();
    let status = move || match link() {
        MeetingLink::Joining => i18n.t(MeetingText::Joining).to_owned(),
        MeetingLink::Online => format!(
            "{}{}",
            i18n.t(MeetingText::InMeeting),
            state.with(|v| v.account.clone().unwrap_or_default())
        ),
        MeetingLink::Reconnecting { attempt, .. } => {
            crate::i18n::reconnecting(i18n.lang.get(), attempt)
        }
        MeetingLink::Unreachable { attempt, .. } => {
            super::text::unreachable(i18n.lang.get(), attempt)
        }
        MeetingLink::Idle | MeetingLink::Refused { .. } => String::new(),
    };
    let refusal = move || match link() {
        MeetingLink::Refused { message } => {
            Some(format!("{}{message}", i18n.t(MeetingText::JoinRefused)))
        }
        _ => None,
    };

    markup(HTML, &[Key::named], move |w: &Wired| {
        w.set_value("meeting-conference", &initial);
        let input = w.el("meeting-conference");
        w.effect(Box::new(move || {
            let _ = input.toggle_attribute_with_force("disabled", active());
        }));
        let form = w.root().clone();
        w.on("meeting-join-form", "submit", move |ev| {
            ev.prevent_default();
            submit(value_of(&form, "meeting-conference"));
        });
        w.mount(
            "meeting-join-form",
            view! {
                <Show
                    when=cond(active)
                    fallback=move || view! { <button id="meeting-join" type="submit">{i18n.tr(MeetingText::Join)}</button> }
                >
                    <button id="meeting-leave" type="button" on:click=move |_| meeting.leave()>{i18n.tr(MeetingText::Leave)}</button>
                </Show>
            }
            .into_any(),
        );
        w.text("meeting-status", status);
        w.attr("meeting-status", "data-link", move || {
            Some(link_name(&link()).to_owned())
        });
        w.text("meeting-join-error", move || {
            let mut text = refusal().unwrap_or_default();
            if missing.get() {
                text.push_str(i18n.t(MeetingText::ConferenceRequired));
            }
            text
        });
    })
}

/// The form, its status line and its error line, in one box that takes
/// no room of its own (`slot`).
const HTML: &str = r#"<div class="slot"><form id="meeting-join-form" class="login"><label><span data-t="Conference"></span><input id="meeting-conference"></label></form><p id="meeting-status" class="status" aria-live="polite"></p><p id="meeting-join-error" class="error" role="alert"></p></div>"#;

fn link_name(link: &MeetingLink) -> &'static str {
    match link {
        MeetingLink::Idle => "idle",
        MeetingLink::Joining => "joining",
        MeetingLink::Online => "online",
        MeetingLink::Reconnecting { .. } => "reconnecting",
        MeetingLink::Unreachable { .. } => "unreachable",
        MeetingLink::Refused { .. } => "refused",
    }
}
