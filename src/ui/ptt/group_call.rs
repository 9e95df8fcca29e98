//! The temporary group calls: choose terminals, start a call (or hold the
//! talk key to start and talk at once), the list of calls with their
//! members and talker, add and remove members, hang up, and what the
//! plugin's replies meant.

use super::directory::directory;
use super::sessions::session_rows;
use super::talk::talk_button;
use super::text::PttText;
use crate::i18n::{use_i18n, I18n};
use crate::io::voice::VoiceLink;
use crate::reactive::RwSignal;
use crate::ui::active::use_active;
use crate::ui::markup::Wired;
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

/// The group call section's fixed part, the talk button and the directory
/// within it; its calls are mounted into `#ptt-sessions`.
macro_rules! group_call_html {
    () => {
        concat!(
            r#"<section id="ptt-group-call" class="group-call"><h3 data-t="GroupCall"></h3><p id="ptt-session" class="status"></p>"#,
            $crate::ui::ptt::talk::talk_html!(),
            r#"<p id="ptt-error" class="error" role="alert"></p><p id="ptt-notice" class="status" aria-live="polite"></p><p id="ptt-reconnect" class="status" aria-live="polite"></p>"#,
            $crate::ui::ptt::directory::directory_html!(),
            r#"<p class="buttons"><button id="ptt-start" type="button" data-t="StartCall"></button> <button id="ptt-add" type="button" data-t="AddMembers"></button> <button id="ptt-hangup" type="button" data-t="HangUp"></button></p><h4 data-t="Sessions"></h4><ul id="ptt-sessions" class="sessions"></ul></section>"#
        )
    };
}
pub(super) use group_call_html;

/// The group call section's state, set up with the panel; the returned
/// wiring is run on its markup.
pub(super) fn group_call() -> impl FnOnce(&Wired) + Send {
    let i18n = use_i18n();
    let voice = crate::reactive::expect_context::<VoiceLink>();
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
    let talk = talk_button(picked);
    let directory = directory(picked);

    move |w: &Wired| {
        w.text("ptt-session", move || match selected() {
            Some(id) => format!("{}{id}", i18n.t(PttText::Session)),
            None => i18n.t(PttText::NoSession).to_owned(),
        });
        talk(w);
        w.text("ptt-error", move || {
            ptt.with(|p| p.error.as_ref().map(|e| error_text(e, i18n)))
                .unwrap_or_default()
        });
        w.text("ptt-notice", move || {
            ptt.with(|p| p.notice.as_ref().map(|n| notice_text(n, i18n)))
                .unwrap_or_default()
        });
        w.text("ptt-reconnect", move || {
            ptt.with(|p| reconnect_text(p, i18n)).unwrap_or_default()
        });
        directory(w);
        w.attr("ptt-start", "disabled", move || {
            creating().then(String::new)
        });
        w.attr("ptt-start", "aria-busy", move || {
            Some(creating().to_string())
        });
        w.on("ptt-start", "click", move |_| {
            voice.start_call(take_picked())
        });
        let no_call = move || selected().is_none().then(String::new);
        w.attr("ptt-add", "disabled", no_call);
        w.on("ptt-add", "click", move |_| {
            voice.add_members(take_picked())
        });
        w.attr("ptt-hangup", "disabled", no_call);
        w.on("ptt-hangup", "click", move |_| {
            if let Some(s) = selected() {
                voice.hang_up(s)
            }
        });
        session_rows(w, &w.el("ptt-sessions"), terminals);
    }
}
