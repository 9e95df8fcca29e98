//! The running group calls, one line each (`session_item`), and the words
//! and marks the lines and the talk button share.

use super::session_item::session_item;
use super::text::PttText;
use crate::config::Terminal;
use crate::i18n::I18n;
use crate::io::audio::AudioDesk;
use crate::io::voice::VoiceLink;
use crate::reactive::StoredValue;
use crate::ui::keyed::keyed_list;
use crate::ui::markup::Wired;
use leptos::prelude::*;
use proto::id::BigId;
use proto::voice::{CallSession, MemberCallState, SessionMember, Talker};

/// A member's call state in the dispatcher's words.
pub fn call_state_word(state: MemberCallState) -> PttText {
    match state {
        MemberCallState::Idle => PttText::StateIdle,
        MemberCallState::Busy => PttText::StateBusy,
        MemberCallState::Calling => PttText::StateCalling,
        MemberCallState::Ringing => PttText::StateRinging,
        MemberCallState::Answered => PttText::StateAnswered,
    }
}

/// What a member's line shows: its word, a CSS class and a mark, so the six
/// states differ at a glance (and without colour).
pub fn member_look(m: &SessionMember) -> (PttText, &'static str, &'static str) {
    if m.state == MemberCallState::Idle && m.no_answer {
        return (PttText::StateNoAnswer, "no-answer", "✕");
    }
    let (class, mark) = match m.state {
        MemberCallState::Idle => ("idle", "○"),
        MemberCallState::Busy => ("busy", "⊘"),
        MemberCallState::Calling => ("calling", "…"),
        MemberCallState::Ringing => ("ringing", "♪"),
        MemberCallState::Answered => ("answered", "●"),
    };
    (call_state_word(m.state), class, mark)
}

/// The talker `s` shows: in step with its sound where the console plays
/// it (docs/audio.md), else as the plugin's notifications say.
pub fn shown_talker(s: &CallSession) -> Option<Talker> {
    let heard = use_context::<AudioDesk>().and_then(|d| {
        d.shown
            .with(|v| v.iter().find(|(id, _)| *id == s.id).map(|(_, t)| t.clone()))
    });
    heard.unwrap_or_else(|| s.talker.clone())
}

/// Who holds a call's floor, in words (name and id).
pub fn talker_text(talker: Option<&Talker>, i18n: I18n) -> String {
    match talker {
        Some(Talker::Me) => i18n.t(PttText::Me).to_owned(),
        Some(Talker::Member { id, name }) => format!("{name} ({id}){}", i18n.t(PttText::Talking)),
        None => i18n.t(PttText::Idle).to_owned(),
    }
}

/// The running calls, one line each, at the end of `list` (`#ptt-sessions`).
pub fn session_rows(w: &Wired, list: &web_sys::Element, terminals: Vec<Terminal>) {
    let ptt = crate::reactive::expect_context::<VoiceLink>().ptt();
    let terminals = StoredValue::new(terminals);
    // Keyed by session: a change in one call (a talker, a member's state)
    // updates that call's parts only, and never rebuilds a volume slider
    // the dispatcher may be dragging.
    let ids = move || {
        ptt.with(|p| {
            p.sessions
                .iter()
                .map(|s| s.id.as_str().to_owned())
                .collect::<Vec<_>>()
        })
    };
    keyed_list(w, list, ids, move |id| {
        BigId::parse(&id).map(|sid| session_item(sid, terminals))
    });
}
