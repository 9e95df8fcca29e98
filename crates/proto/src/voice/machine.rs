//! The voice link as a sans-IO machine: login (initServer, then connect),
//! logout, and reconnection with back-off after a dropped socket.
//!
//! It keeps the [`Machine`] contract: the driver feeds [`VoiceInput`]s with
//! the current time, carries out [`VoiceSend`]s (open, close, send text),
//! journals [`VoiceEvent`]s, publishes the [`VoiceView`] and sleeps until
//! `poll_timeout`. Each socket the machine asks
//! for carries a number, and inputs from an older socket are ignored, so a
//! late close event can never tear down its successor.

use super::session::{PttCommand, PttState};
use super::wire::{VoiceMessage, VoiceRequest};
use crate::backoff::Backoff;
use crate::machine::{Machine, Outbox, Output};

/// How long a login step may wait for its reply before the attempt counts as failed.
pub const REPLY_TIMEOUT_MS: u64 = 10_000;

/// The state of the link, as the status light shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// Not logged in, by choice.
    Offline,
    /// First login under way.
    Connecting,
    Online,
    /// Lost; the next attempt is due at `retry_at` (ms).
    Reconnecting {
        attempt: u32,
        retry_at: u64,
    },
    /// The server said no (wrong password, bad server address): the message
    /// is the server's own. No retry until the dispatcher logs in again.
    Refused {
        message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceInput {
    Login {
        account: String,
        password: String,
    },
    Logout,
    SocketOpened {
        conn: u32,
    },
    SocketClosed {
        conn: u32,
    },
    Text {
        conn: u32,
        text: String,
    },
    /// A group-call command; refused locally unless the link is online.
    Ptt(PttCommand),
}

/// What the machine reports besides its link state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceEvent {
    LinkChanged(Link),
    /// A decoded message, for the features above the link (floor, members).
    Message(VoiceMessage),
    /// A message that could not be used; logged and skipped.
    Undecodable {
        text: String,
        reason: String,
    },
}

/// What the socket shell carries out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceSend {
    /// Open a new socket numbered `conn` (closing any older one).
    Open {
        conn: u32,
    },
    Close {
        conn: u32,
    },
    /// Send `text`; `logged` is the same with secrets masked, for the journal.
    Text {
        conn: u32,
        text: String,
        logged: String,
    },
}

pub type VoiceOutput = Output<VoiceSend, VoiceEvent>;

/// What the screen shows of the voice plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceView {
    pub link: Link,
    /// The account in use or last refused (never the password).
    pub account: Option<String>,
    /// The group call: session, members, floor, last refusal.
    pub ptt: PttState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Idle,
    Opening,
    AwaitInit,
    AwaitLogin,
    Online,
    AwaitLogout,
}

#[derive(Debug)]
pub struct VoiceMachine {
    server_base_url: String,
    backoff: Backoff,
    link: Link,
    step: Step,
    conn: u32,
    // Kept in memory only, to log in again after a drop; never persisted.
    credentials: Option<(String, String)>,
    attempt: u32,
    deadline: Option<u64>,
    ptt: PttState,
    out: Outbox<VoiceSend, VoiceEvent>,
}

impl VoiceMachine {
    /// `server_base_url` is what initServer tells the plugin.
    pub fn new(server_base_url: impl Into<String>) -> Self {
        Self {
            server_base_url: server_base_url.into(),
            backoff: Backoff::default(),
            link: Link::Offline,
            step: Step::Idle,
            conn: 0,
            credentials: None,
            attempt: 0,
            deadline: None,
            ptt: PttState::default(),
            out: Outbox::default(),
        }
    }

    pub fn link(&self) -> &Link {
        &self.link
    }

    /// The group call: session, members, floor, last refusal.
    pub fn ptt(&self) -> &PttState {
        &self.ptt
    }

    pub fn account(&self) -> Option<&str> {
        self.credentials.as_ref().map(|(a, _)| a.as_str())
    }

    fn handle_input(&mut self, now: u64, input: VoiceInput) {
        match input {
            VoiceInput::Login { account, password } => {
                self.credentials = Some((account, password));
                self.attempt = 0;
                self.set_link(Link::Connecting);
                self.open(now);
            }
            VoiceInput::Logout => self.logout(now),
            VoiceInput::Ptt(cmd) => self.ptt_command(now, cmd),
            VoiceInput::SocketOpened { conn }
                if conn == self.conn && self.step == Step::Opening =>
            {
                self.step = Step::AwaitInit;
                self.deadline = Some(now.saturating_add(REPLY_TIMEOUT_MS));
                self.send(VoiceRequest::InitServer {
                    base_url: self.server_base_url.clone(),
                });
            }
            VoiceInput::SocketClosed { conn } if conn == self.conn && self.step != Step::Idle => {
                self.lost(now)
            }
            VoiceInput::Text { conn, text } if conn == self.conn && self.step != Step::Idle => {
                self.receive(now, text)
            }
            // Stale socket or nothing open: ignore.
            VoiceInput::SocketOpened { .. }
            | VoiceInput::SocketClosed { .. }
            | VoiceInput::Text { .. } => {}
        }
    }

    fn next_timeout(&self) -> Option<u64> {
        match self.link {
            Link::Reconnecting { retry_at, .. } if self.step == Step::Idle => Some(retry_at),
            _ if self.step == Step::Online => self.ptt.next_deadline(),
            _ => self.deadline,
        }
    }

    fn timeout(&mut self, now: u64) {
        if let Link::Reconnecting { retry_at, .. } = self.link {
            if self.step == Step::Idle && now >= retry_at {
                self.open(now);
                return;
            }
        }
        if self.step == Step::Online {
            // A group-call request unanswered in time: the plugin is gone.
            let before = self.ptt.clone();
            if self.ptt.expire(now).is_some() {
                self.ptt_changed(before);
                self.lost(now);
            }
            return;
        }
        if self.deadline.is_some_and(|d| now >= d) {
            self.deadline = None;
            if self.step == Step::AwaitLogout {
                self.finish_logout();
            } else {
                self.lost(now);
            }
        }
    }

    fn receive(&mut self, now: u64, text: String) {
        let msg = match VoiceMessage::decode_reporting(&text) {
            Ok(decoded) => {
                for reason in decoded.skipped {
                    self.emit(VoiceEvent::Undecodable {
                        text: text.clone(),
                        reason,
                    });
                }
                decoded.message
            }
            Err(e) => {
                self.emit(VoiceEvent::Undecodable {
                    text,
                    reason: e.reason,
                });
                return;
            }
        };
        match (&msg, self.step) {
            (VoiceMessage::InitServer(ack), Step::AwaitInit) => {
                if ack.ok() {
                    self.step = Step::AwaitLogin;
                    self.deadline = Some(now.saturating_add(REPLY_TIMEOUT_MS));
                    let (account, password) = self.credentials.clone().unwrap_or_default();
                    self.send(VoiceRequest::Connect { account, password });
                } else {
                    self.refuse(ack.message.clone());
                }
            }
            (VoiceMessage::Login(ack), Step::AwaitLogin) => {
                if ack.ok() {
                    self.step = Step::Online;
                    self.deadline = None;
                    self.attempt = 0;
                    self.set_link(Link::Online);
                    // After a drop: release a floor it may hold, recheck sessions.
                    let before = self.ptt.clone();
                    for req in self.ptt.relogged(now) {
                        self.send(req);
                    }
                    self.ptt_changed(before);
                } else {
                    self.refuse(ack.message.clone());
                }
            }
            (VoiceMessage::LogoutResp(_), Step::AwaitLogout) => self.finish_logout(),
            (_, Step::Online) => {
                let before = self.ptt.clone();
                for req in self.ptt.receive(now, &msg) {
                    self.send(req);
                }
                self.ptt_changed(before);
            }
            _ => {}
        }
        self.emit(VoiceEvent::Message(msg));
    }

    fn ptt_command(&mut self, now: u64, cmd: PttCommand) {
        let before = self.ptt.clone();
        if self.step == Step::Online {
            for req in self.ptt.command(now, cmd) {
                self.send(req);
            }
        } else {
            self.ptt.refuse_offline(&cmd);
        }
        self.ptt_changed(before);
    }

    fn ptt_changed(&mut self, before: PttState) {
        if self.ptt != before {
            self.out.changed();
        }
    }

    fn logout(&mut self, now: u64) {
        if self.step == Step::Online {
            self.step = Step::AwaitLogout;
            self.deadline = Some(now.saturating_add(REPLY_TIMEOUT_MS));
            self.send(VoiceRequest::LoginOut);
        } else {
            self.finish_logout();
        }
    }

    fn finish_logout(&mut self) {
        self.credentials = None;
        self.close();
        self.set_link(Link::Offline);
    }

    /// The server refused: show its words, forget the password, do not retry.
    fn refuse(&mut self, message: String) {
        if let Some((account, _)) = self.credentials.take() {
            // Keep the account so the form can stay filled; drop the password.
            self.credentials = Some((account, String::new()));
        }
        self.close();
        self.set_link(Link::Refused { message });
    }

    /// The socket dropped or a reply never came: schedule a retry.
    fn lost(&mut self, now: u64) {
        self.close();
        self.attempt = self.attempt.saturating_add(1);
        let retry_at = now.saturating_add(self.backoff.jittered_ms(self.attempt, now));
        let before = self.ptt.clone();
        self.ptt.link_lost(now);
        self.ptt_changed(before);
        self.set_link(Link::Reconnecting {
            attempt: self.attempt,
            retry_at,
        });
    }

    fn open(&mut self, now: u64) {
        if self.step != Step::Idle {
            self.out.send(VoiceSend::Close { conn: self.conn });
        }
        self.conn = self.conn.wrapping_add(1);
        self.step = Step::Opening;
        self.deadline = Some(now.saturating_add(REPLY_TIMEOUT_MS));
        self.out.send(VoiceSend::Open { conn: self.conn });
    }

    fn close(&mut self) {
        if self.step != Step::Idle {
            self.out.send(VoiceSend::Close { conn: self.conn });
        }
        self.step = Step::Idle;
        self.deadline = None;
    }

    fn send(&mut self, req: VoiceRequest) {
        self.out.send(VoiceSend::Text {
            conn: self.conn,
            text: req.to_json(),
            logged: req.redacted(),
        });
    }

    fn set_link(&mut self, link: Link) {
        if self.link != link {
            self.link = link.clone();
            self.out.changed();
            self.emit(VoiceEvent::LinkChanged(link));
            let before = self.ptt.clone();
            match &self.link {
                // A drop is folded in by `lost`, which knows the time.
                Link::Online | Link::Connecting | Link::Reconnecting { .. } => {}
                Link::Offline | Link::Refused { .. } => self.ptt.reset(),
            }
            self.ptt_changed(before);
        }
    }

    fn emit(&mut self, e: VoiceEvent) {
        self.out.event(e);
    }
}

impl Machine for VoiceMachine {
    type Input = VoiceInput;
    type Send = VoiceSend;
    type Event = VoiceEvent;
    type View = VoiceView;

    fn handle(&mut self, now: u64, input: VoiceInput) {
        self.handle_input(now, input);
    }

    fn poll_timeout(&self) -> Option<u64> {
        self.next_timeout()
    }

    fn handle_timeout(&mut self, now: u64) {
        self.timeout(now);
    }

    fn poll_output(&mut self) -> Option<VoiceOutput> {
        self.out.pop()
    }

    fn view(&self) -> VoiceView {
        VoiceView {
            link: self.link.clone(),
            account: self.account().map(str::to_owned),
            ptt: self.ptt.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::drain as drain_all;
    use crate::voice::Ack;

    const BASE: &str = "http://voice.example:8080";

    fn drain(m: &mut VoiceMachine) -> Vec<VoiceOutput> {
        drain_all(m)
    }

    /// When a reconnect of attempt `attempt` decided at `now` is due.
    fn retry_at(attempt: u32, now: u64) -> u64 {
        now + Backoff::default().jittered_ms(attempt, now)
    }

    fn sent(out: &[VoiceOutput]) -> Vec<VoiceRequest> {
        out.iter()
            .filter_map(|o| match o {
                Output::Send(VoiceSend::Text { text, .. }) => {
                    Some(VoiceRequest::decode(text).unwrap())
                }
                _ => None,
            })
            .collect()
    }

    fn reply(m: &mut VoiceMachine, now: u64, msg: VoiceMessage) {
        let conn = m.conn;
        m.handle(
            now,
            VoiceInput::Text {
                conn,
                text: msg.to_json(),
            },
        );
    }

    fn ok(code: i64) -> Ack {
        Ack {
            code,
            message: "ok".into(),
        }
    }

    /// Logs in fully and returns the machine online.
    fn online() -> VoiceMachine {
        let mut m = VoiceMachine::new(BASE);
        m.handle(
            0,
            VoiceInput::Login {
                account: "zydd".into(),
                password: "pw".into(),
            },
        );
        m.handle(10, VoiceInput::SocketOpened { conn: 1 });
        reply(&mut m, 20, VoiceMessage::InitServer(ok(1)));
        reply(&mut m, 30, VoiceMessage::Login(ok(1)));
        drain(&mut m);
        m
    }

    #[test]
    fn login_sends_init_server_then_connect_then_goes_online() {
        let mut m = VoiceMachine::new(BASE);
        m.handle(
            0,
            VoiceInput::Login {
                account: "zydd".into(),
                password: "pw".into(),
            },
        );
        assert_eq!(
            drain(&mut m)[1..],
            [Output::Send(VoiceSend::Open { conn: 1 }), Output::State]
        );
        assert_eq!(m.link(), &Link::Connecting);

        m.handle(5, VoiceInput::SocketOpened { conn: 1 });
        assert_eq!(
            sent(&drain(&mut m)),
            [VoiceRequest::InitServer {
                base_url: BASE.into()
            }]
        );

        reply(&mut m, 6, VoiceMessage::InitServer(ok(1)));
        let out = drain(&mut m);
        assert_eq!(
            sent(&out),
            [VoiceRequest::Connect {
                account: "zydd".into(),
                password: "pw".into()
            }]
        );
        let logged = out.iter().find_map(|o| match o {
            Output::Send(VoiceSend::Text { logged, .. }) => Some(logged.clone()),
            _ => None,
        });
        assert!(
            !logged.unwrap().contains("pw\""),
            "the journal copy hides the password"
        );

        reply(&mut m, 7, VoiceMessage::Login(ok(1)));
        assert!(drain(&mut m).contains(&Output::Event(VoiceEvent::LinkChanged(Link::Online))));
        assert_eq!(m.poll_timeout(), None, "nothing to wake for while online");
    }

    #[test]
    fn wrong_password_shows_the_server_message_and_does_not_retry() {
        let mut m = VoiceMachine::new(BASE);
        m.handle(
            0,
            VoiceInput::Login {
                account: "zydd".into(),
                password: "bad".into(),
            },
        );
        m.handle(1, VoiceInput::SocketOpened { conn: 1 });
        reply(&mut m, 2, VoiceMessage::InitServer(ok(1)));
        reply(
            &mut m,
            3,
            VoiceMessage::Login(Ack {
                code: 0,
                message: "密码错误".into(),
            }),
        );
        let out = drain(&mut m);
        assert!(out.contains(&Output::Send(VoiceSend::Close { conn: 1 })));
        assert_eq!(
            m.link(),
            &Link::Refused {
                message: "密码错误".into()
            }
        );
        assert_eq!(m.poll_timeout(), None);
        assert_eq!(m.account(), Some("zydd"));
    }

    #[test]
    fn a_refused_server_address_is_shown_too() {
        let mut m = VoiceMachine::new("");
        m.handle(
            0,
            VoiceInput::Login {
                account: "a".into(),
                password: "b".into(),
            },
        );
        m.handle(1, VoiceInput::SocketOpened { conn: 1 });
        reply(
            &mut m,
            2,
            VoiceMessage::InitServer(Ack {
                code: 0,
                message: "服务器地址无效".into(),
            }),
        );
        assert_eq!(
            m.link(),
            &Link::Refused {
                message: "服务器地址无效".into()
            }
        );
    }

    #[test]
    fn a_dropped_socket_is_retried_with_growing_back_off_and_logs_in_again() {
        let mut m = online();
        m.handle(1_000, VoiceInput::SocketClosed { conn: 1 });
        let due = retry_at(1, 1_000);
        assert!((1_750..=2_000).contains(&due), "1 s less the jitter");
        assert_eq!(
            m.link(),
            &Link::Reconnecting {
                attempt: 1,
                retry_at: due
            }
        );
        assert_eq!(m.poll_timeout(), Some(due));
        drain(&mut m);

        m.handle_timeout(due - 1);
        assert!(drain(&mut m).is_empty(), "not before the back-off");
        m.handle_timeout(due);
        assert_eq!(drain(&mut m), [Output::Send(VoiceSend::Open { conn: 2 })]);

        // The plugin is still down: the next delay doubles.
        m.handle(2_100, VoiceInput::SocketClosed { conn: 2 });
        assert_eq!(
            m.link(),
            &Link::Reconnecting {
                attempt: 2,
                retry_at: retry_at(2, 2_100)
            }
        );
        m.handle_timeout(retry_at(2, 2_100));
        m.handle(4_200, VoiceInput::SocketOpened { conn: 3 });
        drain(&mut m);
        reply(&mut m, 4_300, VoiceMessage::InitServer(ok(1)));
        let out = drain(&mut m);
        assert_eq!(
            sent(&out),
            [VoiceRequest::Connect {
                account: "zydd".into(),
                password: "pw".into()
            }]
        );
        reply(&mut m, 4_400, VoiceMessage::Login(ok(1)));
        assert_eq!(m.link(), &Link::Online);

        // And the back-off starts over after a success.
        m.handle(9_000, VoiceInput::SocketClosed { conn: 3 });
        assert_eq!(
            m.link(),
            &Link::Reconnecting {
                attempt: 1,
                retry_at: retry_at(1, 9_000)
            }
        );
    }

    #[test]
    fn a_late_close_from_an_old_socket_is_ignored() {
        let mut m = online();
        m.handle(100, VoiceInput::SocketClosed { conn: 1 });
        m.handle_timeout(1_100);
        drain(&mut m);
        m.handle(1_150, VoiceInput::SocketClosed { conn: 1 });
        assert!(matches!(m.link(), Link::Reconnecting { attempt: 1, .. }));
        assert!(drain(&mut m).is_empty());
    }

    #[test]
    fn a_silent_server_counts_as_a_drop() {
        let mut m = VoiceMachine::new(BASE);
        m.handle(
            0,
            VoiceInput::Login {
                account: "a".into(),
                password: "b".into(),
            },
        );
        m.handle(1, VoiceInput::SocketOpened { conn: 1 });
        assert_eq!(m.poll_timeout(), Some(1 + REPLY_TIMEOUT_MS));
        m.handle_timeout(1 + REPLY_TIMEOUT_MS);
        assert!(matches!(m.link(), Link::Reconnecting { attempt: 1, .. }));
        assert!(drain(&mut m).contains(&Output::Send(VoiceSend::Close { conn: 1 })));
    }

    #[test]
    fn logout_sends_login_out_and_closes_on_the_reply() {
        let mut m = online();
        m.handle(100, VoiceInput::Logout);
        assert_eq!(sent(&drain(&mut m)), [VoiceRequest::LoginOut]);
        reply(&mut m, 110, VoiceMessage::LogoutResp(ok(1)));
        let out = drain(&mut m);
        assert!(out.contains(&Output::Send(VoiceSend::Close { conn: 1 })));
        assert_eq!(m.link(), &Link::Offline);
        assert_eq!(m.account(), None);
        // A close after logout does not bring the link back.
        m.handle(120, VoiceInput::SocketClosed { conn: 1 });
        assert_eq!(m.link(), &Link::Offline);
        assert_eq!(m.poll_timeout(), None);
    }

    #[test]
    fn logout_without_a_reply_still_ends_after_the_timeout() {
        let mut m = online();
        m.handle(100, VoiceInput::Logout);
        m.handle_timeout(100 + REPLY_TIMEOUT_MS);
        assert_eq!(m.link(), &Link::Offline);
    }

    #[test]
    fn logout_while_reconnecting_stops_the_retries() {
        let mut m = online();
        m.handle(100, VoiceInput::SocketClosed { conn: 1 });
        m.handle(200, VoiceInput::Logout);
        assert_eq!(m.link(), &Link::Offline);
        assert_eq!(m.poll_timeout(), None);
    }

    #[test]
    fn garbage_from_the_server_is_reported_and_skipped() {
        let mut m = online();
        m.handle(
            100,
            VoiceInput::Text {
                conn: 1,
                text: "{not json".into(),
            },
        );
        m.handle(
            101,
            VoiceInput::Text {
                conn: 1,
                text: r#"{"type":"weird"}"#.into(),
            },
        );
        let out = drain(&mut m);
        assert_eq!(out.len(), 2);
        assert!(out
            .iter()
            .all(|o| matches!(o, Output::Event(VoiceEvent::Undecodable { .. }))));
        assert_eq!(m.link(), &Link::Online);
    }

    #[test]
    fn notifications_are_passed_up() {
        let mut m = online();
        let note = VoiceMessage::MemberLostMic {
            group_id: crate::id::BigId::parse("5").unwrap(),
            member_id: 7,
        };
        reply(&mut m, 100, note.clone());
        assert_eq!(drain(&mut m), [Output::Event(VoiceEvent::Message(note))]);
    }

    // ---- the temporary group calls ----

    use crate::id::BigId;
    use crate::voice::{
        CallMember, EndReason, Floor, MemberCallState, MemberResult, PttCommand, PttError,
        PttNotice, RequestKind, ResultCode, Talker, COMMAND_REPLY_MS, FLOOR_REPLY_MS,
        MAX_TRANSMISSIONS,
    };

    const SID: &str = "50351257998589953";
    const SID2: &str = "50351257998589954";
    const ME: u64 = 169905;

    fn id(s: &str) -> BigId {
        BigId::parse(s).unwrap()
    }

    fn sid() -> BigId {
        id(SID)
    }

    fn cmd(m: &mut VoiceMachine, now: u64, c: PttCommand) -> Vec<VoiceRequest> {
        m.handle(now, VoiceInput::Ptt(c));
        sent(&drain(m))
    }

    fn replied(m: &mut VoiceMachine, now: u64, msg: VoiceMessage) -> Vec<VoiceRequest> {
        reply(m, now, msg);
        sent(&drain(m))
    }

    fn member(id: u64, name: &str, state: MemberCallState) -> CallMember {
        CallMember {
            member_id: id,
            member_name: name.into(),
            call_state: state,
        }
    }

    fn created(session: &str, transaction: u64) -> VoiceMessage {
        VoiceMessage::CreateGroup {
            transaction,
            session_id: Some(id(session)),
            ack: ok(1),
        }
    }

    fn granted(transaction: u64) -> VoiceMessage {
        VoiceMessage::RequestMic {
            transaction: Some(transaction),
            session_id: None,
            ack: ok(2),
        }
    }

    fn hangup_note(session: &str, from: u64, why: &str) -> VoiceMessage {
        VoiceMessage::TempCallHangup {
            call_id: id(session),
            from_id: from,
            reason: ResultCode {
                code: 0,
                message: why.into(),
            },
        }
    }

    fn state_of(
        m: &VoiceMachine,
        session: &str,
        who: u64,
    ) -> (MemberCallState, bool, Option<String>) {
        let s = m.ptt().session(&id(session)).expect("session");
        let x = s.members.iter().find(|x| x.id == who).expect("member");
        (x.state, x.no_answer, x.reason.clone())
    }

    /// Starts a call to `to` from the button (talk key not held), with the
    /// notifications a plugin sends, and the floor given back.
    fn call(m: &mut VoiceMachine, now: u64, session: &str, to: &[u64]) {
        cmd(
            m,
            now,
            PttCommand::StartCall {
                to_ids: to.to_vec(),
            },
        );
        assert_eq!(
            replied(m, now + 10, created(session, now)),
            [VoiceRequest::ReleaseMic]
        );
        let mut members = vec![member(ME, "zydd", MemberCallState::Answered)];
        for t in to {
            reply(
                m,
                now + 11,
                VoiceMessage::TempCallRing {
                    call_id: id(session),
                    from_id: *t,
                    message: String::new(),
                },
            );
            reply(
                m,
                now + 12,
                VoiceMessage::TempCallAnswer {
                    call_id: id(session),
                    from_id: *t,
                    message: String::new(),
                },
            );
            members.push(member(*t, &format!("ptcs{t}"), MemberCallState::Answered));
        }
        reply(
            m,
            now + 13,
            VoiceMessage::TempCallMemberUpdate {
                call_id: id(session),
                from_id: ME,
                members,
            },
        );
        reply(m, now + 14, VoiceMessage::ReleaseMic(ok(1)));
        drain(m);
        assert_eq!(m.ptt().floor, Floor::Free);
    }

    fn in_call() -> VoiceMachine {
        let mut m = online();
        call(&mut m, 1_000, SID, &[169918, 169919]);
        m
    }

    #[test]
    fn the_plugins_words_on_the_microphone_are_kept() {
        assert_eq!(online().ptt().mic_message, None);
        let mut m = in_call();
        assert_eq!(
            m.ptt().mic_message.as_deref(),
            Some("ok"),
            "the release after createGroup"
        );
        cmd(&mut m, 2_000, PttCommand::TalkKeyDown { to_ids: vec![] });
        // Document 000's own example of a granted requestMic.
        let opened = VoiceMessage::RequestMic {
            transaction: Some(2_000),
            session_id: None,
            ack: Ack {
                code: 2,
                message: "麦克风打开成功".into(),
            },
        };
        reply(&mut m, 2_010, opened);
        assert_eq!(m.ptt().mic_message.as_deref(), Some("麦克风打开成功"));
        cmd(&mut m, 2_500, PttCommand::TalkKeyUp);
        let closed = Ack {
            code: 1,
            message: "麦克风关闭成功".into(),
        };
        reply(&mut m, 2_510, VoiceMessage::ReleaseMic(closed));
        assert_eq!(m.ptt().mic_message.as_deref(), Some("麦克风关闭成功"));
        // A reply without words leaves the last ones.
        cmd(&mut m, 3_000, PttCommand::TalkKeyDown { to_ids: vec![] });
        let silent = VoiceMessage::RequestMic {
            transaction: Some(3_000),
            session_id: None,
            ack: Ack {
                code: 2,
                message: String::new(),
            },
        };
        reply(&mut m, 3_010, silent);
        assert_eq!(m.ptt().mic_message.as_deref(), Some("麦克风关闭成功"));
    }

    #[test]
    fn a_call_started_without_the_talk_key_gives_the_floor_back_at_once() {
        let mut m = online();
        let reqs = cmd(
            &mut m,
            1_671_006_883_842,
            PttCommand::StartCall {
                to_ids: vec![169918, 169919],
            },
        );
        assert_eq!(
            reqs,
            [VoiceRequest::RequestMic {
                to_ids: vec![169918, 169919],
                transaction: 1_671_006_883_842,
                session_id: None,
            }]
        );
        assert_eq!(m.ptt().floor, Floor::Requesting { session: None });
        assert!(m.ptt().is_pending(RequestKind::CreateGroup, None));
        // The numeric copy a JavaScript server sends is rounded; only the string counts.
        let text = format!(
            r#"{{"transaction":1671006883842,"sessionId":"{SID}","type":"createGroup","code":1,"message":"建立会话组成功"}}"#
        );
        m.handle(1_671_006_883_900, VoiceInput::Text { conn: 1, text });
        assert_eq!(sent(&drain(&mut m)), [VoiceRequest::ReleaseMic]);
        assert_eq!(m.ptt().selected, Some(sid()));
        assert_eq!(m.ptt().floor, Floor::Releasing, "a visible pending release");
        let s = m.ptt().selected_session().unwrap();
        assert_eq!(
            s.members.iter().map(|x| x.id).collect::<Vec<_>>(),
            [169918, 169919]
        );
        assert!(s
            .members
            .iter()
            .all(|x| x.state == MemberCallState::Calling));

        reply(&mut m, 1_671_006_883_910, VoiceMessage::ReleaseMic(ok(1)));
        assert_eq!(m.ptt().floor, Floor::Free);
        assert!(m.ptt().pending.is_empty());
        assert_eq!(m.ptt().selected_session().unwrap().talker, None);
        // A terminal can now take the floor.
        reply(
            &mut m,
            1_671_006_884_000,
            VoiceMessage::MemberGetMic {
                group_id: sid(),
                member_id: 169918,
                member_name: "ptcs11".into(),
            },
        );
        assert_eq!(
            m.ptt().selected_session().unwrap().talker,
            Some(Talker::Member {
                id: 169918,
                name: "ptcs11".into()
            })
        );
    }

    #[test]
    fn holding_the_key_with_terminals_and_no_session_starts_the_call_and_talks() {
        let mut m = online();
        let reqs = cmd(
            &mut m,
            1_000,
            PttCommand::TalkKeyDown {
                to_ids: vec![169918],
            },
        );
        assert!(matches!(
            &reqs[..],
            [VoiceRequest::RequestMic {
                session_id: None,
                ..
            }]
        ));
        assert!(m.ptt().key_held);
        assert!(
            replied(&mut m, 1_010, created(SID, 1_000)).is_empty(),
            "the key is held: keep the floor"
        );
        assert_eq!(m.ptt().floor, Floor::Held { session: sid() });
        assert_eq!(m.ptt().selected_session().unwrap().talker, Some(Talker::Me));
        // My own memberGetMic reveals my id and still reads "me".
        reply(
            &mut m,
            1_020,
            VoiceMessage::MemberGetMic {
                group_id: sid(),
                member_id: ME,
                member_name: "zydd".into(),
            },
        );
        assert_eq!(m.ptt().my_id(), Some(ME));
        assert_eq!(m.ptt().selected_session().unwrap().talker, Some(Talker::Me));

        assert_eq!(
            cmd(&mut m, 2_000, PttCommand::TalkKeyUp),
            [VoiceRequest::ReleaseMic]
        );
        assert_eq!(m.ptt().floor, Floor::Releasing);
        reply(&mut m, 2_010, VoiceMessage::ReleaseMic(ok(1)));
        reply(
            &mut m,
            2_011,
            VoiceMessage::MemberLostMic {
                group_id: sid(),
                member_id: ME,
            },
        );
        assert_eq!(m.ptt().floor, Floor::Free);
        assert_eq!(m.ptt().selected_session().unwrap().talker, None);
    }

    #[test]
    fn a_key_let_go_before_the_grant_releases_the_floor_when_it_comes() {
        let mut m = in_call();
        let reqs = cmd(&mut m, 2_000, PttCommand::TalkKeyDown { to_ids: vec![] });
        assert_eq!(
            reqs,
            [VoiceRequest::RequestMic {
                to_ids: vec![169918, 169919],
                transaction: 2_000,
                session_id: Some(sid())
            }]
        );
        assert_eq!(
            m.ptt().floor,
            Floor::Requesting {
                session: Some(sid())
            }
        );
        assert!(
            cmd(&mut m, 2_050, PttCommand::TalkKeyUp).is_empty(),
            "nothing to release yet"
        );
        assert_eq!(
            replied(&mut m, 2_100, granted(2_000)),
            [VoiceRequest::ReleaseMic]
        );
        assert_eq!(m.ptt().floor, Floor::Releasing);
        // A repeated key-down (auto-repeat) while held sends nothing more.
        let mut m = in_call();
        cmd(&mut m, 3_000, PttCommand::TalkKeyDown { to_ids: vec![] });
        assert!(cmd(&mut m, 3_001, PttCommand::TalkKeyDown { to_ids: vec![] }).is_empty());
        assert_eq!(m.ptt().key_down_at, 3_000, "the press, not its repeat");
    }

    #[test]
    fn a_refused_floor_shows_the_servers_words_and_frees_the_key() {
        let mut m = in_call();
        reply(
            &mut m,
            1_900,
            VoiceMessage::MemberGetMic {
                group_id: sid(),
                member_id: 169918,
                member_name: "ptcs11".into(),
            },
        );
        cmd(&mut m, 2_000, PttCommand::TalkKeyDown { to_ids: vec![] });
        reply(
            &mut m,
            2_010,
            VoiceMessage::RequestMic {
                transaction: Some(2_000),
                session_id: Some(sid()),
                ack: Ack {
                    code: 0,
                    message: "麦克风打开失败,ptcs11正在讲话".into(),
                },
            },
        );
        assert_eq!(
            m.ptt().error,
            Some(PttError::Server("麦克风打开失败,ptcs11正在讲话".into()))
        );
        assert_eq!(m.ptt().floor, Floor::Free);
        assert!(!m.ptt().key_held);
        assert!(matches!(
            m.ptt().selected_session().unwrap().talker,
            Some(Talker::Member { id: 169918, .. })
        ));
        assert!(cmd(&mut m, 2_100, PttCommand::TalkKeyUp).is_empty());
        assert!(
            m.ptt().error.is_some(),
            "letting go keeps the refusal visible"
        );
        reply(
            &mut m,
            2_300,
            VoiceMessage::MemberLostMic {
                group_id: sid(),
                member_id: 169918,
            },
        );
        assert_eq!(m.ptt().selected_session().unwrap().talker, None);
    }

    #[test]
    fn a_press_while_disconnected_is_refused_at_once_and_never_sent_later() {
        let mut m = in_call();
        m.handle(5_000, VoiceInput::SocketClosed { conn: 1 });
        assert!(cmd(&mut m, 5_100, PttCommand::TalkKeyDown { to_ids: vec![] }).is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NotOnline));
        assert!(!m.ptt().key_held);
        m.handle_timeout(7_000);
        m.handle(7_010, VoiceInput::SocketOpened { conn: 2 });
        reply(&mut m, 7_020, VoiceMessage::InitServer(ok(1)));
        reply(&mut m, 7_030, VoiceMessage::Login(ok(1)));
        let reqs = sent(&drain(&mut m));
        assert!(
            !reqs
                .iter()
                .any(|r| matches!(r, VoiceRequest::RequestMic { .. })),
            "the old press is not replayed: {reqs:?}"
        );
        // Before any login at all, too.
        let mut m = VoiceMachine::new(BASE);
        assert!(cmd(
            &mut m,
            1,
            PttCommand::StartCall {
                to_ids: vec![169918]
            }
        )
        .is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NotOnline));
    }

    #[test]
    fn a_lost_floor_reply_is_reported_and_the_floor_released_after_the_reconnect() {
        for (held, kind) in [
            (false, RequestKind::RequestMic),
            (true, RequestKind::ReleaseMic),
        ] {
            let mut m = in_call();
            cmd(&mut m, 2_000, PttCommand::TalkKeyDown { to_ids: vec![] });
            let mut t = 2_000;
            if held {
                reply(&mut m, 2_010, granted(2_000));
                cmd(&mut m, 3_000, PttCommand::TalkKeyUp);
                t = 3_000;
            }
            assert_eq!(m.poll_timeout(), Some(t + FLOOR_REPLY_MS));
            m.handle_timeout(t + FLOOR_REPLY_MS - 1);
            assert_eq!(m.link(), &Link::Online, "not before the deadline");
            m.handle_timeout(t + FLOOR_REPLY_MS);
            assert!(matches!(m.link(), Link::Reconnecting { .. }), "{kind:?}");
            assert_eq!(m.ptt().notice, Some(PttNotice::NoReply { kind }));
            assert_eq!(m.ptt().floor, Floor::Free, "never left marked held");
            assert!(drain(&mut m).contains(&Output::Send(VoiceSend::Close { conn: 1 })));

            let due = m.poll_timeout().unwrap();
            m.handle_timeout(due);
            m.handle(due + 1, VoiceInput::SocketOpened { conn: 2 });
            reply(&mut m, due + 2, VoiceMessage::InitServer(ok(1)));
            reply(&mut m, due + 3, VoiceMessage::Login(ok(1)));
            let reqs = sent(&drain(&mut m));
            assert_eq!(reqs[2], VoiceRequest::ReleaseMic, "{reqs:?}");
            assert_eq!(m.ptt().floor, Floor::Releasing);
        }
    }

    #[test]
    fn a_plugin_silent_on_add_kick_or_hang_up_counts_as_gone() {
        for c in [
            PttCommand::AddMembers { ids: vec![169920] },
            PttCommand::KickMembers { ids: vec![169919] },
            PttCommand::HangUp { session: sid() },
        ] {
            let mut m = in_call();
            assert_eq!(cmd(&mut m, 2_000, c.clone()).len(), 1);
            assert_eq!(m.poll_timeout(), Some(2_000 + COMMAND_REPLY_MS));
            m.handle_timeout(2_000 + COMMAND_REPLY_MS);
            assert!(
                matches!(m.link(), Link::Reconnecting { attempt: 1, .. }),
                "{c:?}"
            );
            assert!(matches!(
                m.ptt().notice,
                Some(PttNotice::NoReply { .. }) | Some(PttNotice::Ended { .. })
            ));
        }
        // An unanswered hang-up clears the session anyway.
        let mut m = in_call();
        cmd(&mut m, 2_000, PttCommand::HangUp { session: sid() });
        m.handle_timeout(2_000 + COMMAND_REPLY_MS);
        assert!(m.ptt().sessions.is_empty());
    }

    #[test]
    fn a_member_hanging_up_goes_idle_with_the_reason_and_the_call_goes_on() {
        let mut m = in_call();
        reply(&mut m, 2_000, hangup_note(SID, 169918, "对方挂断"));
        assert_eq!(
            state_of(&m, SID, 169918),
            (MemberCallState::Idle, false, Some("对方挂断".into()))
        );
        assert_eq!(m.ptt().sessions.len(), 1, "the others are still in it");
        assert_eq!(state_of(&m, SID, 169919).0, MemberCallState::Answered);
        // The member update that follows keeps the reason.
        reply(
            &mut m,
            2_010,
            VoiceMessage::TempCallMemberUpdate {
                call_id: sid(),
                from_id: ME,
                members: vec![
                    member(ME, "zydd", MemberCallState::Answered),
                    member(169918, "ptcs11", MemberCallState::Idle),
                    member(169919, "ptcs12", MemberCallState::Answered),
                ],
            },
        );
        assert_eq!(state_of(&m, SID, 169918).2.as_deref(), Some("对方挂断"));
        // The last one leaves: the call is over, and the plugin is told.
        let reqs = replied(&mut m, 2_100, hangup_note(SID, 169919, ""));
        assert_eq!(reqs, [VoiceRequest::TempCallHangup { session_id: sid() }]);
        assert!(m.ptt().sessions.is_empty());
        assert_eq!(
            m.ptt().notice,
            Some(PttNotice::Ended {
                session: sid(),
                reason: EndReason::NoMemberLeft
            })
        );
    }

    #[test]
    fn ringing_that_ends_unanswered_reads_no_answer() {
        let mut m = online();
        cmd(
            &mut m,
            1_000,
            PttCommand::StartCall {
                to_ids: vec![169918, 169919],
            },
        );
        reply(&mut m, 1_010, created(SID, 1_000));
        reply(&mut m, 1_011, VoiceMessage::ReleaseMic(ok(1)));
        for t in [169918, 169919] {
            reply(
                &mut m,
                1_020,
                VoiceMessage::TempCallRing {
                    call_id: sid(),
                    from_id: t,
                    message: String::new(),
                },
            );
        }
        reply(
            &mut m,
            1_030,
            VoiceMessage::TempCallAnswer {
                call_id: sid(),
                from_id: 169918,
                message: String::new(),
            },
        );
        assert_eq!(state_of(&m, SID, 169919).0, MemberCallState::Ringing);
        reply(&mut m, 30_000, hangup_note(SID, 169919, "无人接听"));
        assert_eq!(
            state_of(&m, SID, 169919),
            (MemberCallState::Idle, true, Some("无人接听".into()))
        );
        // By a member update alone too.
        let mut m = online();
        cmd(
            &mut m,
            1_000,
            PttCommand::StartCall {
                to_ids: vec![169918, 169919],
            },
        );
        reply(&mut m, 1_010, created(SID, 1_000));
        reply(
            &mut m,
            1_020,
            VoiceMessage::TempCallMemberUpdate {
                call_id: sid(),
                from_id: ME,
                members: vec![
                    member(169918, "ptcs11", MemberCallState::Ringing),
                    member(169919, "ptcs12", MemberCallState::Answered),
                ],
            },
        );
        reply(
            &mut m,
            30_000,
            VoiceMessage::TempCallMemberUpdate {
                call_id: sid(),
                from_id: ME,
                members: vec![
                    member(169918, "ptcs11", MemberCallState::Idle),
                    member(169919, "ptcs12", MemberCallState::Busy),
                ],
            },
        );
        assert_eq!(
            state_of(&m, SID, 169918),
            (MemberCallState::Idle, true, None)
        );
        assert_eq!(state_of(&m, SID, 169919).0, MemberCallState::Busy);
    }

    #[test]
    fn the_session_ends_when_the_dispatcher_hangs_up_or_the_plugin_ends_it() {
        let mut m = in_call();
        let mut other = in_call();
        assert_eq!(
            cmd(&mut m, 2_000, PttCommand::HangUp { session: sid() }),
            [VoiceRequest::TempCallHangup { session_id: sid() }]
        );
        assert!(
            m.ptt().is_pending(RequestKind::HangUp, Some(&sid())),
            "visible while under way"
        );
        reply(
            &mut m,
            2_010,
            VoiceMessage::HangupResp {
                call_id: sid(),
                result: ResultCode {
                    code: 0,
                    message: String::new(),
                },
            },
        );
        assert!(m.ptt().sessions.is_empty());
        assert_eq!(
            m.ptt().notice,
            Some(PttNotice::Ended {
                session: sid(),
                reason: EndReason::HungUp
            })
        );
        assert!(cmd(&mut m, 3_000, PttCommand::HangUp { session: sid() }).is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NoSession));

        // The plugin's own tempCallHangup, from the dispatcher's side, ends it.
        reply(&mut other, 2_000, hangup_note(SID, ME, "会话已结束"));
        assert!(other.ptt().sessions.is_empty());
        assert_eq!(
            other.ptt().notice,
            Some(PttNotice::Ended {
                session: sid(),
                reason: EndReason::EndedByPlugin {
                    message: "会话已结束".into()
                }
            })
        );
    }

    #[test]
    fn a_session_the_plugin_forgot_is_cleared_and_a_new_call_can_start() {
        let mut m = in_call();
        cmd(&mut m, 2_000, PttCommand::TalkKeyDown { to_ids: vec![] });
        reply(
            &mut m,
            2_010,
            VoiceMessage::RequestMic {
                transaction: Some(2_000),
                session_id: Some(sid()),
                ack: Ack {
                    code: 0,
                    message: "麦克风打开失败,会话不存在".into(),
                },
            },
        );
        assert!(m.ptt().sessions.is_empty());
        assert_eq!(m.ptt().selected, None);
        assert!(matches!(
            &m.ptt().notice,
            Some(PttNotice::Ended {
                reason: EndReason::Forgotten { .. },
                ..
            })
        ));
        cmd(&mut m, 2_050, PttCommand::TalkKeyUp);
        let reqs = cmd(
            &mut m,
            2_100,
            PttCommand::StartCall {
                to_ids: vec![169918],
            },
        );
        assert!(matches!(
            &reqs[..],
            [VoiceRequest::RequestMic {
                session_id: None,
                ..
            }]
        ));

        // A refused hang-up clears the session too.
        let mut m = in_call();
        cmd(&mut m, 2_000, PttCommand::HangUp { session: sid() });
        reply(
            &mut m,
            2_010,
            VoiceMessage::HangupResp {
                call_id: sid(),
                result: ResultCode {
                    code: -1,
                    message: "会话不存在".into(),
                },
            },
        );
        assert!(m.ptt().sessions.is_empty());
        assert_eq!(
            m.ptt().notice,
            Some(PttNotice::Ended {
                session: sid(),
                reason: EndReason::HangUpUnconfirmed {
                    message: "会话不存在".into()
                }
            })
        );

        // So does a kick the plugin refuses for the same reason.
        let mut m = in_call();
        cmd(&mut m, 2_000, PttCommand::KickMembers { ids: vec![169918] });
        reply(
            &mut m,
            2_010,
            VoiceMessage::KickGroupMemberResp {
                group_id: Some(sid()),
                result: Some(ResultCode {
                    code: -1,
                    message: "会话不存在".into(),
                }),
            },
        );
        assert!(m.ptt().sessions.is_empty());
    }

    #[test]
    fn after_a_reconnect_the_floor_is_released_and_each_session_rechecked() {
        let mut m = in_call();
        call(&mut m, 1_500, SID2, &[169920]);
        cmd(&mut m, 2_000, PttCommand::TalkKeyDown { to_ids: vec![] });
        reply(&mut m, 2_010, granted(2_000));
        m.handle(3_000, VoiceInput::SocketClosed { conn: 1 });
        assert_eq!(m.ptt().sessions.len(), 2, "kept across the drop");
        assert!(m.ptt().sessions.iter().all(|s| s.talker.is_none()));
        let due = m.poll_timeout().unwrap();
        m.handle_timeout(due);
        m.handle(due + 1, VoiceInput::SocketOpened { conn: 2 });
        reply(&mut m, due + 2, VoiceMessage::InitServer(ok(1)));
        reply(&mut m, due + 3, VoiceMessage::Login(ok(1)));
        let reqs = sent(&drain(&mut m));
        assert_eq!(
            reqs[2..],
            [
                VoiceRequest::ReleaseMic,
                VoiceRequest::AddGroupMember {
                    session_id: sid(),
                    members: vec![169918, 169919]
                },
                VoiceRequest::AddGroupMember {
                    session_id: id(SID2),
                    members: vec![169920]
                },
            ],
            "after initServer and connect"
        );
        let report = m.ptt().reconnect.clone().unwrap();
        assert_eq!(report.checking, [sid(), id(SID2)]);
        reply(&mut m, due + 10, VoiceMessage::ReleaseMic(ok(1)));
        reply(
            &mut m,
            due + 11,
            VoiceMessage::AddGroupMemberResp {
                transaction: None,
                group_id: sid(),
                results: vec![MemberResult {
                    id: 169918,
                    name: "ptcs11".into(),
                    code: 0,
                    message: String::new(),
                }],
            },
        );
        reply(
            &mut m,
            due + 12,
            VoiceMessage::AddGroupMemberResp {
                transaction: None,
                group_id: id(SID2),
                results: vec![MemberResult {
                    id: 169920,
                    name: String::new(),
                    code: 1,
                    message: "会话不存在".into(),
                }],
            },
        );
        let report = m.ptt().reconnect.clone().unwrap();
        assert_eq!(
            (report.survived, report.lost, report.checking.len()),
            (vec![sid()], vec![id(SID2)], 0)
        );
        assert_eq!(m.ptt().sessions.len(), 1);
        assert_eq!(m.ptt().floor, Floor::Free);
        assert!(m.ptt().pending.is_empty());
    }

    #[test]
    fn several_sessions_at_once_talk_in_the_selected_one_and_hang_up_one() {
        let mut m = in_call();
        call(&mut m, 1_500, SID2, &[169920]);
        assert_eq!(m.ptt().sessions.len(), 2);
        assert_eq!(m.ptt().selected, Some(id(SID2)), "a new call is selected");
        let reqs = cmd(&mut m, 2_000, PttCommand::TalkKeyDown { to_ids: vec![] });
        assert!(
            matches!(&reqs[..], [VoiceRequest::RequestMic { session_id: Some(s), .. }] if s == &id(SID2))
        );
        reply(&mut m, 2_010, granted(2_000));
        cmd(&mut m, 2_100, PttCommand::TalkKeyUp);
        reply(&mut m, 2_110, VoiceMessage::ReleaseMic(ok(1)));

        cmd(&mut m, 3_000, PttCommand::Select { session: sid() });
        let reqs = cmd(&mut m, 3_010, PttCommand::TalkKeyDown { to_ids: vec![] });
        assert!(
            matches!(&reqs[..], [VoiceRequest::RequestMic { session_id: Some(s), .. }] if s == &sid())
        );
        reply(&mut m, 3_020, granted(3_010));
        assert_eq!(m.ptt().session(&sid()).unwrap().talker, Some(Talker::Me));
        assert_eq!(m.ptt().session(&id(SID2)).unwrap().talker, None);
        // Another session's news touches only it.
        reply(
            &mut m,
            3_030,
            VoiceMessage::MemberGetMic {
                group_id: id(SID2),
                member_id: 169920,
                member_name: "ptcs13".into(),
            },
        );
        assert_eq!(m.ptt().session(&sid()).unwrap().talker, Some(Talker::Me));
        cmd(&mut m, 3_100, PttCommand::TalkKeyUp);
        reply(&mut m, 3_110, VoiceMessage::ReleaseMic(ok(1)));

        cmd(&mut m, 4_000, PttCommand::HangUp { session: id(SID2) });
        reply(
            &mut m,
            4_010,
            VoiceMessage::HangupResp {
                call_id: id(SID2),
                result: ResultCode {
                    code: 0,
                    message: String::new(),
                },
            },
        );
        assert_eq!(m.ptt().sessions.len(), 1);
        assert_eq!(m.ptt().selected, Some(sid()));
        // Selecting a session that does not exist changes nothing.
        cmd(&mut m, 4_100, PttCommand::Select { session: id(SID2) });
        assert_eq!(m.ptt().selected, Some(sid()));
    }

    #[test]
    fn add_and_kick_name_the_selected_session_and_show_failures() {
        let mut m = in_call();
        assert_eq!(
            cmd(
                &mut m,
                2_000,
                PttCommand::AddMembers {
                    ids: vec![169920, 5]
                }
            ),
            [VoiceRequest::AddGroupMember {
                session_id: sid(),
                members: vec![169920, 5]
            }]
        );
        assert!(m.ptt().is_pending(RequestKind::AddMembers, Some(&sid())));
        reply(
            &mut m,
            2_010,
            VoiceMessage::AddGroupMemberResp {
                transaction: None,
                group_id: sid(),
                results: vec![
                    MemberResult {
                        id: 169920,
                        name: "ptcs13".into(),
                        code: 0,
                        message: String::new(),
                    },
                    MemberResult {
                        id: 5,
                        name: String::new(),
                        code: 1,
                        message: "终端不存在".into(),
                    },
                ],
            },
        );
        assert_eq!(
            m.ptt().error,
            Some(PttError::Server("5: 终端不存在".into()))
        );
        assert_eq!(
            cmd(&mut m, 3_000, PttCommand::KickMembers { ids: vec![169918] }),
            [VoiceRequest::KickGroupMember {
                session_id: sid(),
                ids: vec![169918]
            }]
        );
        assert_eq!(m.ptt().error, None, "a new command clears the last refusal");
        reply(
            &mut m,
            3_010,
            VoiceMessage::KickGroupMemberResp {
                group_id: Some(sid()),
                result: Some(ResultCode {
                    code: -1,
                    message: "权限不足".into(),
                }),
            },
        );
        assert_eq!(m.ptt().error, Some(PttError::Server("权限不足".into())));
        assert_eq!(m.ptt().sessions.len(), 1);
        assert!(m.ptt().pending.is_empty());
    }

    #[test]
    fn local_refusals_send_nothing() {
        let mut m = online();
        assert!(cmd(&mut m, 1, PttCommand::StartCall { to_ids: vec![] }).is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NoTerminals));
        assert!(cmd(&mut m, 2, PttCommand::TalkKeyDown { to_ids: vec![] }).is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NoTerminals));
        assert!(!m.ptt().key_held);
        assert!(cmd(&mut m, 3, PttCommand::AddMembers { ids: vec![1] }).is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NoSession));
    }

    #[test]
    fn a_refused_create_group_shows_the_servers_words() {
        let mut m = online();
        cmd(&mut m, 1, PttCommand::TalkKeyDown { to_ids: vec![9] });
        reply(
            &mut m,
            2,
            VoiceMessage::CreateGroup {
                transaction: 1,
                session_id: None,
                ack: Ack {
                    code: 0,
                    message: "建立会话组失败,没有可呼叫的终端".into(),
                },
            },
        );
        assert!(m.ptt().sessions.is_empty());
        assert_eq!(m.ptt().floor, Floor::Free);
        assert!(!m.ptt().key_held);
        assert_eq!(
            m.ptt().error,
            Some(PttError::Server("建立会话组失败,没有可呼叫的终端".into()))
        );
    }

    /// The requestMic reply a plugin gives a createGroup when it already
    /// has a session ("如果当前存在会话，则只请求话语权", document 000, 2.3).
    fn floor_of_existing(session: Option<&str>, code: i64, words: &str) -> VoiceMessage {
        VoiceMessage::RequestMic {
            transaction: Some(1_000),
            session_id: session.map(id),
            ack: Ack {
                code,
                message: words.into(),
            },
        }
    }

    #[test]
    fn a_start_answered_for_a_session_the_plugin_already_had_takes_it_over() {
        // After a page reload the console knows no session; the plugin does.
        let mut m = online();
        cmd(
            &mut m,
            1_000,
            PttCommand::StartCall {
                to_ids: vec![169918],
            },
        );
        assert_eq!(
            replied(
                &mut m,
                1_010,
                floor_of_existing(Some(SID), 2, "麦克风打开成功")
            ),
            [
                VoiceRequest::ReleaseMic,
                VoiceRequest::AddGroupMember {
                    session_id: sid(),
                    members: vec![169918]
                }
            ],
            "a start is not a talk: the floor goes back at once; the terminals \
             chosen are called into the session the plugin had"
        );
        assert!(m.ptt().is_pending(RequestKind::AddMembers, Some(&sid())));
        assert_eq!(m.ptt().selected, Some(sid()));
        assert_eq!(
            m.ptt().notice,
            Some(PttNotice::TakenOver { session: sid() })
        );
        assert!(!m.ptt().is_pending(RequestKind::CreateGroup, None));
        // Its members arrive as the plugin reports them; the dispatcher's own
        // id is still unknown, so everyone counts as a terminal for now.
        reply(
            &mut m,
            1_011,
            VoiceMessage::TempCallMemberUpdate {
                call_id: sid(),
                from_id: ME,
                members: vec![
                    member(ME, "zydd", MemberCallState::Answered),
                    member(169920, "ptcs13", MemberCallState::Answered),
                ],
            },
        );
        // The memberGetMic that follows the grant names the dispatcher.
        reply(&mut m, 1_012, get_mic(SID, ME, "zydd"));
        assert_eq!(m.ptt().my_id(), Some(ME));
        let talker = m.ptt().session(&sid()).unwrap().talker.clone();
        assert_ne!(talker, Some(terminal(ME, "zydd")));
        reply(&mut m, 1_013, VoiceMessage::ReleaseMic(ok(1)));
        assert_eq!(m.ptt().floor, Floor::Free);
        reply(
            &mut m,
            1_014,
            VoiceMessage::AddGroupMemberResp {
                transaction: None,
                group_id: sid(),
                results: vec![MemberResult {
                    id: 169918,
                    name: "ptcs11".into(),
                    code: 0,
                    message: String::new(),
                }],
            },
        );
        assert!(m.ptt().pending.is_empty());
        // A terminal the console never called is a member like any other...
        reply(&mut m, 2_000, get_mic(SID, 169920, "ptcs13"));
        assert_eq!(
            m.ptt().session(&sid()).unwrap().talker,
            Some(terminal(169920, "ptcs13"))
        );
        // ...and when the last one hangs up, the call ends (the dispatcher
        // is not counted as a member left).
        assert_eq!(
            replied(&mut m, 3_000, hangup_note(SID, 169920, "对方挂断")),
            [VoiceRequest::TempCallHangup { session_id: sid() }]
        );
        assert!(m.ptt().sessions.is_empty());
    }

    #[test]
    fn a_key_held_over_a_session_taken_over_keeps_the_floor() {
        let mut m = online();
        cmd(
            &mut m,
            1_000,
            PttCommand::TalkKeyDown {
                to_ids: vec![169918],
            },
        );
        assert_eq!(
            replied(
                &mut m,
                1_010,
                floor_of_existing(Some(SID), 2, "麦克风打开成功")
            ),
            [VoiceRequest::AddGroupMember {
                session_id: sid(),
                members: vec![169918]
            }]
        );
        assert_eq!(m.ptt().floor, Floor::Held { session: sid() });
        assert_eq!(turns(&m, SID), [(Talker::Me, 1_010, None)]);
    }

    #[test]
    fn a_floor_granted_in_an_unnamed_session_is_given_back() {
        let mut m = online();
        cmd(
            &mut m,
            1_000,
            PttCommand::TalkKeyDown {
                to_ids: vec![169918],
            },
        );
        // Document 000's example of the reply carries no sessionId: audio
        // and every command need one, so nothing can be done with it.
        assert_eq!(
            replied(&mut m, 1_010, floor_of_existing(None, 2, "麦克风打开成功")),
            [VoiceRequest::ReleaseMic]
        );
        assert!(m.ptt().sessions.is_empty());
        assert!(!m.ptt().key_held);
        assert_eq!(m.ptt().notice, Some(PttNotice::UnnamedSession));
    }

    #[test]
    fn a_floor_refused_in_a_session_the_plugin_already_had_is_a_refusal() {
        let mut m = online();
        cmd(
            &mut m,
            1_000,
            PttCommand::StartCall {
                to_ids: vec![169918],
            },
        );
        let refused = floor_of_existing(Some(SID), 0, "麦克风打开失败,ptcs11正在讲话");
        assert_eq!(replied(&mut m, 1_010, refused), []);
        assert!(m.ptt().sessions.is_empty());
        assert_eq!(m.ptt().floor, Floor::Free);
        assert!(m.ptt().pending.is_empty(), "no reply is still awaited");
        assert_eq!(
            m.ptt().error,
            Some(PttError::Server("麦克风打开失败,ptcs11正在讲话".into()))
        );
    }

    #[test]
    fn replies_nobody_asked_for_change_nothing() {
        let mut m = in_call();
        let before = m.ptt().clone();
        reply(&mut m, 2_000, granted(1));
        reply(&mut m, 2_001, created(SID2, 1));
        reply(
            &mut m,
            2_002,
            VoiceMessage::HangupResp {
                call_id: sid(),
                result: ResultCode {
                    code: 0,
                    message: String::new(),
                },
            },
        );
        assert_eq!(m.ptt(), &before);
    }

    #[test]
    fn logout_forgets_the_calls() {
        let mut m = in_call();
        m.handle(8_000, VoiceInput::Logout);
        reply(&mut m, 8_010, VoiceMessage::LogoutResp(ok(1)));
        assert!(m.ptt().sessions.is_empty());
        assert_eq!(m.ptt().selected, None);
    }

    fn get_mic(session: &str, who: u64, name: &str) -> VoiceMessage {
        VoiceMessage::MemberGetMic {
            group_id: id(session),
            member_id: who,
            member_name: name.into(),
        }
    }

    fn lost_mic(session: &str, who: u64) -> VoiceMessage {
        VoiceMessage::MemberLostMic {
            group_id: id(session),
            member_id: who,
        }
    }

    /// (talker, started, ended) of a session's transmissions, newest first.
    fn turns(m: &VoiceMachine, session: &str) -> Vec<(Talker, u64, Option<u64>)> {
        m.ptt()
            .session(&id(session))
            .expect("session")
            .transmissions
            .iter()
            .map(|t| (t.talker.clone(), t.started, t.ended))
            .collect()
    }

    fn terminal(who: u64, name: &str) -> Talker {
        Talker::Member {
            id: who,
            name: name.into(),
        }
    }

    #[test]
    fn each_turn_at_the_floor_is_listed_with_who_when_and_how_long() {
        let mut m = online();
        // Starting a call without the key (and the plugin's memberGetMic
        // for that grant) is no transmission.
        cmd(
            &mut m,
            1_000,
            PttCommand::StartCall {
                to_ids: vec![169918],
            },
        );
        replied(&mut m, 1_010, created(SID, 1_000));
        let s = m.ptt().selected_session().unwrap();
        assert_eq!(
            s.talker,
            Some(Talker::Me),
            "the grant shows until given back"
        );
        assert!(s.transmissions.is_empty());
        reply(&mut m, 1_011, get_mic(SID, ME, "zydd"));
        reply(&mut m, 1_012, VoiceMessage::ReleaseMic(ok(1)));
        reply(&mut m, 1_013, lost_mic(SID, ME));
        assert_eq!(turns(&m, SID), []);

        reply(&mut m, 2_000, get_mic(SID, 169918, "ptcs11"));
        let t = &m.ptt().selected_session().unwrap().transmissions[0];
        assert_eq!(t.ended, None, "under way");
        assert_eq!(t.duration_ms(2_500), 500);
        reply(&mut m, 4_500, lost_mic(SID, 169918));
        assert_eq!(
            turns(&m, SID),
            [(terminal(169918, "ptcs11"), 2_000, Some(4_500))]
        );
        assert_eq!(
            m.ptt().selected_session().unwrap().transmissions[0].duration_ms(9_000),
            2_500
        );

        // The dispatcher's own turn: from the grant to the confirmed release.
        cmd(&mut m, 5_000, PttCommand::TalkKeyDown { to_ids: vec![] });
        reply(&mut m, 5_040, granted(5_000));
        reply(&mut m, 5_041, get_mic(SID, ME, "zydd"));
        cmd(&mut m, 7_000, PttCommand::TalkKeyUp);
        reply(&mut m, 7_030, VoiceMessage::ReleaseMic(ok(1)));
        reply(&mut m, 7_031, lost_mic(SID, ME));
        assert_eq!(
            turns(&m, SID),
            [
                (Talker::Me, 5_040, Some(7_030)),
                (terminal(169918, "ptcs11"), 2_000, Some(4_500)),
            ]
        );
        let ids: Vec<u64> = m
            .ptt()
            .selected_session()
            .unwrap()
            .transmissions
            .iter()
            .map(|t| t.id)
            .collect();
        assert!(ids[0] > ids[1], "each has its own id: {ids:?}");
    }

    #[test]
    fn a_turn_ends_when_another_takes_the_floor_the_talker_hangs_up_or_the_link_drops() {
        let mut m = in_call();
        reply(&mut m, 2_000, get_mic(SID, 169918, "ptcs11"));
        // No memberLostMic came: the next talker ends the turn.
        reply(&mut m, 3_000, get_mic(SID, 169919, "ptcs12"));
        // The same talker again is the same turn.
        reply(&mut m, 3_100, get_mic(SID, 169919, "ptcs12"));
        reply(&mut m, 4_000, hangup_note(SID, 169919, "对方挂断"));
        assert_eq!(
            turns(&m, SID),
            [
                (terminal(169919, "ptcs12"), 3_000, Some(4_000)),
                (terminal(169918, "ptcs11"), 2_000, Some(3_000)),
            ]
        );
        reply(&mut m, 5_000, get_mic(SID, 169918, "ptcs11"));
        let conn = m.conn;
        m.handle(6_000, VoiceInput::SocketClosed { conn });
        assert_eq!(
            turns(&m, SID)[0],
            (terminal(169918, "ptcs11"), 5_000, Some(6_000))
        );
    }

    #[test]
    fn transmissions_are_kept_per_session_and_bounded() {
        let mut m = in_call();
        call(&mut m, 1_500, SID2, &[169920]);
        reply(&mut m, 1_600, get_mic(SID2, 169920, "ptcs13"));
        for i in 0..(MAX_TRANSMISSIONS as u64 + 5) {
            let at = 2_000 + i * 100;
            reply(&mut m, at, get_mic(SID, 169918, "ptcs11"));
            reply(&mut m, at + 50, lost_mic(SID, 169918));
        }
        let first = turns(&m, SID);
        assert_eq!(first.len(), MAX_TRANSMISSIONS);
        let last_start = 2_000 + (MAX_TRANSMISSIONS as u64 + 4) * 100;
        assert_eq!(first[0].1, last_start, "newest first");
        assert_eq!(first[MAX_TRANSMISSIONS - 1].1, 2_500, "the oldest dropped");
        assert_eq!(turns(&m, SID2), [(terminal(169920, "ptcs13"), 1_600, None)]);
        // Ids stay unique across sessions.
        let mut ids: Vec<u64> = m
            .ptt()
            .sessions
            .iter()
            .flat_map(|s| s.transmissions.iter().map(|t| t.id))
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n);
    }
}
