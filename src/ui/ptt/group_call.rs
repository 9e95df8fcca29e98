//! The temporary group calls: choose terminals, start a call (or hold the
//! talk key to start and talk at once), the list of calls with their
//! members and talker, add and remove members, hang up, and what the
//! plugin's replies meant.

use super::directory::Directory;
use super::sessions::SessionList;
use super::talk::TalkButton;
use super::text::PttText;
use crate::i18n::{use_i18n, I18n};
use crate::io::voice::VoiceLink;
use crate::ui::active::use_active;
use leptos::prelude::*;
use proto::id::BigId;
use proto::voice::{EndReason, PttError, PttNotice, PttState, RequestKind, TerminalId};

pub fn error_text(error: &PttError, i18n: I18n) -> String {
    match error {
        PttError::NotOnline => i18n.t(PttText::NotOnline).to_owned(),
        PttError::NoSession => i18n.t(PttText::NoSessionError).to_owned(),
        PttError::NoTerminals => i18n.t(PttText::NoTerminals).to_owned(),
        PttError::Server(m) => format!("{}{m}", i18n.t(PttText::Refused)),
    }
}

pub fn request_word(kind: RequestKind) -> PttText {
    match kind {
        RequestKind::CreateGroup => PttText::ReqCreate,
        RequestKind::RequestMic => PttText::ReqFloor,
        RequestKind::ReleaseMic => PttText::ReqRelease,
        RequestKind::AddMembers => PttText::ReqAdd,
        RequestKind::Recheck => PttText::ReqRecheck,
        RequestKind::KickMembers => PttText::ReqKick,
        RequestKind::HangUp => PttText::ReqHangUp,
    }
}

pub fn notice_text(notice: &PttNotice, i18n: I18n) -> String {
    match notice {
        PttNotice::NoReply { kind } => {
            format!(
                "{}{}",
                i18n.t(PttText::NoReply),
                i18n.t(request_word(*kind))
            )
        }
        PttNotice::TakenOver { session } => format!("{}{session}", i18n.t(PttText::TakenOver)),
        PttNotice::UnnamedSession => i18n.t(PttText::UnnamedSession).to_owned(),
        PttNotice::Ended { session, reason } => {
            let (lead, words) = match reason {
                EndReason::HungUp => (PttText::EndedHungUp, ""),
                EndReason::EndedByPlugin { message } => (PttText::EndedByPlugin, message.as_str()),
                EndReason::NoMemberLeft => (PttText::EndedNoMember, ""),
                EndReason::Forgotten { message } => (PttText::EndedForgotten, message.as_str()),
                EndReason::HangUpUnconfirmed { message } => {
                    (PttText::EndedUnconfirmed, message.as_str())
                }
            };
            let words = if words.is_empty() {
                String::new()
            } else {
                format!(" ({words})")
            };
            format!("{}{session}{words}", i18n.t(lead))
        }
    }
}

fn ids(list: &[BigId]) -> String {
    list.iter()
        .map(BigId::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which sessions came through the last reconnect, in words.
fn reconnect_text(p: &PttState, i18n: I18n) -> Option<String> {
    let r = p.reconnect.as_ref()?;
    let parts = [
        (PttText::ReconnectKept, &r.survived),
        (PttText::ReconnectLost, &r.lost),
        (PttText::ReconnectChecking, &r.checking),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter(|(_, l)| !l.is_empty())
        .map(|(k, l)| format!("{}{}", i18n.t(*k), ids(l)))
        .collect();
    Some(text.join("; "))
}

#[component]
pub fn GroupCall() -> impl IntoView {
    let i18n = use_i18n();
    let voice = expect_context::<VoiceLink>();
    let ptt = voice.ptt();
    let terminals = use_active().config.terminals;
    let picked = RwSignal::new(Vec::<TerminalId>::new());
    let selected = move || ptt.with(|p| p.selected.clone());

    let take_picked = move || {
        let ids = picked.get_untracked();
        picked.set(Vec::new());
        ids
    };
    let creating = move || ptt.with(|p| p.is_pending(RequestKind::CreateGroup, None));

    view! {
        <section id="ptt-group-call" class="group-call">
            <h3>{i18n.tr(PttText::GroupCall)}</h3>
            <p id="ptt-session" class="status">
                {move || match selected() {
                    Some(id) => format!("{}{id}", i18n.t(PttText::Session)),
                    None => i18n.t(PttText::NoSession).to_owned(),
                }}
            </p>
            <TalkButton picked=picked />
            <p id="ptt-error" class="error" role="alert">
                {move || ptt.with(|p| p.error.as_ref().map(|e| error_text(e, i18n)))}
            </p>
            <p id="ptt-notice" class="status" aria-live="polite">
                {move || ptt.with(|p| p.notice.as_ref().map(|n| notice_text(n, i18n)))}
            </p>
            <p id="ptt-reconnect" class="status" aria-live="polite">
                {move || ptt.with(|p| reconnect_text(p, i18n))}
            </p>
            <Directory picked=picked />
            <p class="buttons">
                <button id="ptt-start" type="button" prop:disabled=creating aria-busy=move || creating().to_string()
                    on:click=move |_| voice.start_call(take_picked())>{i18n.tr(PttText::StartCall)}</button>
                " "
                <button id="ptt-add" type="button" prop:disabled=move || selected().is_none()
                    on:click=move |_| voice.add_members(take_picked())>{i18n.tr(PttText::AddMembers)}</button>
                " "
                <button id="ptt-hangup" type="button" prop:disabled=move || selected().is_none()
                    on:click=move |_| if let Some(s) = selected() { voice.hang_up(s) }>{i18n.tr(PttText::HangUp)}</button>
            </p>
            <SessionList terminals=terminals />
        </section>
    }
}
