//! Join and leave the configured conference (prefilled, editable), with the
//! link's state in words.

use super::text::MeetingText;
use crate::i18n::{I18n, Key};
use crate::io::meeting::Meeting;
use crate::reactive::{RwSignal, StoredValue};
use crate::ui::active::Active;
use crate::ui::markup::{value_of, Wired};
use proto::meeting::machine::MeetingLink;

/// Wires the join form, its status line and its error line of the panel's
/// markup: `account` prefilled, `name` the one to join as (the app's title
/// if blank).
pub fn wire(w: &Wired, meeting: Meeting, i18n: I18n, account: &str, name: String) {
    let state = super::shown();
    let missing = RwSignal::new(false);
    // The PIN stays in the configuration in force and the machine's memory;
    // read when joining, as the dispatcher or the portal may give it later.
    let active_config = crate::reactive::expect_context::<StoredValue<Active>>();
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

    w.set_value("meeting-conference", account);
    let input = w.el("meeting-conference");
    w.effect(Box::new(move || {
        let _ = input.toggle_attribute_with_force("disabled", active());
    }));
    let root = w.root().clone();
    w.on("meeting-join-form", "submit", move |ev| {
        ev.prevent_default();
        submit(value_of(&root, "meeting-conference"));
    });
    w.on("meeting-leave", "click", move |_| meeting.leave());
    // Join, or leave once joined: one of them at a time.
    let form = w.el("meeting-join-form");
    for (id, shown) in [("meeting-join", false), ("meeting-leave", true)] {
        w.present(
            form.clone(),
            vec![w.el(id).into()],
            Vec::new(),
            Box::new(move || active() == shown),
        );
    }
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
}

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
