//! What simulated terminals and the plugin do on their own, steered from
//! `/_sim/`: a member hangs up, a terminal never answers and rings out, the
//! plugin restarts and forgets its sessions, a dispatcher may run several
//! sessions, and a floor whose holder's sockets are all gone is released.

use super::{Outgoing, Session, VoiceWorld};
use crate::Terminal;
use proto::voice::{MemberCallState, ResultCode, TerminalId, VoiceMessage};
use std::collections::BTreeMap;

/// The hang-up reason of a terminal that rang out.
pub const NO_ANSWER: &str = "无人接听";

impl VoiceWorld {
    /// From now on `terminal` rings and never answers (`on`), or answers at once.
    pub fn set_no_answer(&mut self, terminal: TerminalId, on: bool) {
        self.no_answer.retain(|t| *t != terminal);
        if on {
            self.no_answer.push(terminal);
        }
    }

    /// Whether a dispatcher may start a new session while one runs. Document
    /// 000 (2.3) only says a requestMic naming a session asks for its floor;
    /// by default this plugin refuses a second createGroup, the strict reading.
    pub fn set_several_sessions(&mut self, on: bool) {
        self.several_sessions = on;
    }

    /// Initial states of a new session's members: those that never answer ring.
    pub(super) fn ringing_states(
        &self,
        members: &[Terminal],
    ) -> BTreeMap<TerminalId, MemberCallState> {
        members
            .iter()
            .filter(|m| self.no_answer.contains(&m.id))
            .map(|m| (m.id, MemberCallState::Ringing))
            .collect()
    }

    /// `terminal` hangs up in every session where it is still in the call:
    /// it goes idle (state 0); the session goes on for the others.
    pub fn member_hang_up(&mut self, terminal: TerminalId, reason: &str) -> Vec<Outgoing> {
        self.member_leaves(terminal, reason, |state| state != MemberCallState::Idle)
    }

    /// A ringing `terminal` stops ringing unanswered (无人接听).
    pub fn ring_out(&mut self, terminal: TerminalId) -> Vec<Outgoing> {
        self.member_leaves(terminal, NO_ANSWER, |state| {
            state == MemberCallState::Ringing
        })
    }

    /// The plugin restarts: every socket's login and every session is gone.
    /// The caller closes the sockets.
    pub fn restart(&mut self) {
        self.conns.clear();
        self.sessions.clear();
    }

    /// The last socket of `account` closed: a floor it held in its sessions
    /// is released, so the terminals can talk.
    pub(super) fn release_floor_of_gone(&mut self, account: Option<String>) {
        let Some(account) = account else { return };
        let still_here = self
            .conns
            .values()
            .any(|c| c.account.as_deref() == Some(account.as_str()));
        if still_here {
            return;
        }
        for s in self.sessions.iter_mut().filter(|s| s.owner == account) {
            if s.floor == Some(s.dispatcher.id) {
                s.floor = None;
            }
        }
    }

    fn member_leaves(
        &mut self,
        terminal: TerminalId,
        reason: &str,
        applies: impl Fn(MemberCallState) -> bool,
    ) -> Vec<Outgoing> {
        let mut notes: Vec<(String, VoiceMessage)> = Vec::new();
        for s in self.sessions.iter_mut() {
            if !s.members.iter().any(|m| m.id == terminal) || !applies(s.state_of(terminal)) {
                continue;
            }
            s.states.insert(terminal, MemberCallState::Idle);
            for msg in leave_notes(s, terminal, reason) {
                notes.push((s.owner.clone(), msg));
            }
        }
        notes
            .into_iter()
            .flat_map(|(owner, msg)| self.to_account(&owner, [msg]))
            .collect()
    }
}

/// What the dispatcher hears when `terminal` leaves `s`: its floor lost (if
/// it held it), its tempCallHangup, and the member list.
fn leave_notes(s: &mut Session, terminal: TerminalId, reason: &str) -> Vec<VoiceMessage> {
    let mut notes = Vec::new();
    if s.floor == Some(terminal) {
        s.floor = None;
        notes.push(VoiceMessage::MemberLostMic {
            group_id: s.id.clone(),
            member_id: terminal,
        });
    }
    notes.push(VoiceMessage::TempCallHangup {
        call_id: s.id.clone(),
        from_id: terminal,
        reason: ResultCode {
            code: 0,
            message: reason.to_owned(),
        },
    });
    notes.push(VoiceMessage::TempCallMemberUpdate {
        call_id: s.id.clone(),
        from_id: s.dispatcher.id,
        members: s.member_list(),
    });
    notes
}

#[cfg(test)]
mod tests {
    use super::super::tests::{json, login, world};
    use super::*;

    #[test]
    fn a_member_hangs_up_and_the_session_goes_on() {
        let mut w = world();
        login(&mut w, 1);
        w.on_text(
            1,
            r#"{"type":"requestMic","toIds":[169918,169919],"transaction":5}"#,
        );
        let out = json(&w.member_hang_up(169918, "对方挂断"));
        assert_eq!(out[0]["cmd"], "tempCallHangup");
        assert_eq!(out[0]["data"]["fromId"], 169918);
        assert_eq!(out[0]["data"]["hangupReason"]["message"], "对方挂断");
        assert_eq!(out[1]["cmd"], "tempCallMemberUpdate");
        let s = &w.sessions()[0];
        let states: Vec<(u64, i64)> = s.members.iter().map(|m| (m.id, m.call_state)).collect();
        assert_eq!(states, [(169905, 4), (169918, 0), (169919, 4)]);
        assert!(w.member_hang_up(169918, "").is_empty(), "only once");
    }

    #[test]
    fn a_terminal_that_never_answers_rings_then_rings_out() {
        let mut w = world();
        login(&mut w, 1);
        w.set_no_answer(169919, true);
        let out = json(&w.on_text(
            1,
            r#"{"type":"requestMic","toIds":[169918,169919],"transaction":5}"#,
        ));
        let answers: Vec<&Value> = out
            .iter()
            .filter(|v| v["cmd"] == "tempCallAnswer")
            .collect();
        assert_eq!(answers.len(), 1);
        assert_eq!(answers[0]["data"]["fromId"], 169918);
        assert_eq!(w.sessions()[0].members[2].call_state, 3);
        assert!(
            w.ring_out(169918).is_empty(),
            "an answered member does not ring out"
        );
        let out = json(&w.ring_out(169919));
        assert_eq!(out[0]["data"]["hangupReason"]["message"], NO_ANSWER);
        assert_eq!(w.sessions()[0].members[2].call_state, 0);
    }

    #[test]
    fn a_restart_forgets_sessions_and_a_closed_holder_frees_the_floor() {
        let mut w = world();
        login(&mut w, 1);
        w.on_text(
            1,
            r#"{"type":"requestMic","toIds":[169918],"transaction":5}"#,
        );
        assert_eq!(w.sessions()[0].floor, Some(169905));
        w.close(1);
        assert_eq!(w.sessions()[0].floor, None, "its only socket closed");
        login(&mut w, 2);
        w.restart();
        assert!(w.sessions().is_empty());
        assert!(w.logged_in_accounts().is_empty());
    }

    use serde_json::Value;
}
