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
                } else {
                    self.refuse(ack.message.clone());
                }
            }
            (VoiceMessage::LogoutResp(_), Step::AwaitLogout) => self.finish_logout(),
            (_, Step::Online) => {
                let before = self.ptt.clone();
                self.ptt.receive(&msg);
                self.ptt_changed(before);
            }
            _ => {}
        }
        self.emit(VoiceEvent::Message(msg));
    }

    fn ptt_command(&mut self, now: u64, cmd: PttCommand) {
        let before = self.ptt.clone();
        if self.step == Step::Online {
            if let Some(req) = self.ptt.command(now, cmd) {
                self.send(req);
            }
        } else {
            self.ptt.refuse_offline();
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
                Link::Online | Link::Connecting => {}
                Link::Reconnecting { .. } => self.ptt.link_lost(),
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

    // ---- the temporary group call ----

    use crate::id::BigId;
    use crate::voice::{
        CallMember, MemberCallState, MemberResult, PttCommand, PttError, ResultCode, Talker,
    };

    const SID: &str = "50351257998589953";
    const ME: u64 = 169905;

    fn sid() -> BigId {
        BigId::parse(SID).unwrap()
    }

    fn cmd(m: &mut VoiceMachine, now: u64, c: PttCommand) -> Vec<VoiceRequest> {
        m.handle(now, VoiceInput::Ptt(c));
        sent(&drain(m))
    }

    fn member(id: u64, name: &str, state: MemberCallState) -> CallMember {
        CallMember {
            member_id: id,
            member_name: name.into(),
            call_state: state,
        }
    }

    /// Online, with a session to 169918 created and answered as the simulator does.
    fn in_call() -> VoiceMachine {
        let mut m = online();
        cmd(
            &mut m,
            1_000,
            PttCommand::StartCall {
                to_ids: vec![169918],
            },
        );
        reply(
            &mut m,
            1_010,
            VoiceMessage::CreateGroup {
                transaction: 1_000,
                session_id: Some(sid()),
                ack: ok(1),
            },
        );
        for msg in [
            VoiceMessage::TempCallRing {
                call_id: sid(),
                from_id: 169918,
                message: "用户正在响铃".into(),
            },
            VoiceMessage::TempCallAnswer {
                call_id: sid(),
                from_id: 169918,
                message: "用户已接受".into(),
            },
            VoiceMessage::TempCallMemberUpdate {
                call_id: sid(),
                from_id: ME,
                members: vec![
                    member(ME, "zydd", MemberCallState::Answered),
                    member(169918, "ptcs11", MemberCallState::Answered),
                ],
            },
            VoiceMessage::MemberGetMic {
                group_id: sid(),
                member_id: ME,
                member_name: "zydd".into(),
            },
        ] {
            reply(&mut m, 1_020, msg);
        }
        drain(&mut m);
        m
    }

    #[test]
    fn start_call_sends_request_mic_with_to_ids_and_the_time_as_transaction() {
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
    }

    #[test]
    fn create_group_keeps_the_exact_64_bit_session_id_and_gives_me_the_floor() {
        let mut m = online();
        cmd(
            &mut m,
            1_000,
            PttCommand::StartCall {
                to_ids: vec![169918],
            },
        );
        // The numeric copy a JavaScript server sends is rounded; only the string counts.
        let text = format!(
            r#"{{"transaction":1000,"sessionId":"{SID}","type":"createGroup","code":1,"message":"建立会话组成功"}}"#
        );
        m.handle(1_010, VoiceInput::Text { conn: 1, text });
        let out = drain(&mut m);
        assert!(out.iter().any(|o| matches!(o, Output::State)));
        assert_eq!(m.ptt().session_id().unwrap().as_str(), SID);
        assert_eq!(m.ptt().talker, Some(Talker::Me));
        assert_eq!(m.ptt().error, None);
    }

    #[test]
    fn ring_answer_and_member_update_fill_the_member_list() {
        let mut m = online();
        cmd(
            &mut m,
            1,
            PttCommand::StartCall {
                to_ids: vec![169918],
            },
        );
        reply(
            &mut m,
            2,
            VoiceMessage::CreateGroup {
                transaction: 1,
                session_id: Some(sid()),
                ack: ok(1),
            },
        );
        reply(
            &mut m,
            3,
            VoiceMessage::TempCallRing {
                call_id: sid(),
                from_id: 169918,
                message: String::new(),
            },
        );
        let members = &m.ptt().session.as_ref().unwrap().members;
        assert_eq!(members[0].call_state, MemberCallState::Ringing);
        reply(
            &mut m,
            4,
            VoiceMessage::TempCallMemberUpdate {
                call_id: sid(),
                from_id: ME,
                members: vec![
                    member(ME, "zydd", MemberCallState::Answered),
                    member(169918, "ptcs11", MemberCallState::Calling),
                ],
            },
        );
        reply(
            &mut m,
            5,
            VoiceMessage::TempCallAnswer {
                call_id: sid(),
                from_id: 169918,
                message: String::new(),
            },
        );
        let members = &m.ptt().session.as_ref().unwrap().members;
        assert_eq!(members.len(), 2);
        assert_eq!(members[1].member_name, "ptcs11");
        assert_eq!(members[1].call_state, MemberCallState::Answered);
        // Another session's news changes nothing.
        reply(
            &mut m,
            6,
            VoiceMessage::TempCallMemberUpdate {
                call_id: BigId::parse("7").unwrap(),
                from_id: 1,
                members: vec![],
            },
        );
        assert_eq!(m.ptt().session.as_ref().unwrap().members.len(), 2);
    }

    #[test]
    fn my_own_get_mic_still_reads_me_and_release_frees_the_floor() {
        let mut m = in_call();
        assert_eq!(m.ptt().talker, Some(Talker::Me));
        assert_eq!(
            cmd(&mut m, 2_000, PttCommand::ReleaseFloor),
            [VoiceRequest::ReleaseMic]
        );
        reply(&mut m, 2_010, VoiceMessage::ReleaseMic(ok(1)));
        reply(
            &mut m,
            2_011,
            VoiceMessage::MemberLostMic {
                group_id: sid(),
                member_id: ME,
            },
        );
        assert_eq!(m.ptt().talker, None);

        // Talking again names the session.
        let reqs = cmd(&mut m, 3_000, PttCommand::Talk);
        assert_eq!(
            reqs,
            [VoiceRequest::RequestMic {
                to_ids: vec![169918],
                transaction: 3_000,
                session_id: Some(sid()),
            }]
        );
        reply(
            &mut m,
            3_010,
            VoiceMessage::RequestMic {
                transaction: Some(3_000),
                session_id: None,
                ack: ok(2),
            },
        );
        reply(
            &mut m,
            3_011,
            VoiceMessage::MemberGetMic {
                group_id: sid(),
                member_id: ME,
                member_name: "zydd".into(),
            },
        );
        assert_eq!(m.ptt().talker, Some(Talker::Me));
    }

    #[test]
    fn a_terminal_taking_the_floor_is_shown_and_my_refused_talk_shows_the_servers_words() {
        let mut m = in_call();
        cmd(&mut m, 2_000, PttCommand::ReleaseFloor);
        reply(&mut m, 2_010, VoiceMessage::ReleaseMic(ok(1)));
        reply(
            &mut m,
            2_020,
            VoiceMessage::MemberGetMic {
                group_id: sid(),
                member_id: 169918,
                member_name: "ptcs11".into(),
            },
        );
        assert_eq!(
            m.ptt().talker,
            Some(Talker::Member {
                id: 169918,
                name: "ptcs11".into()
            })
        );

        cmd(&mut m, 2_100, PttCommand::Talk);
        reply(
            &mut m,
            2_110,
            VoiceMessage::RequestMic {
                transaction: Some(2_100),
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
        assert!(matches!(
            m.ptt().talker,
            Some(Talker::Member { id: 169918, .. })
        ));
        // Releasing the key afterwards keeps the refusal visible.
        cmd(&mut m, 2_200, PttCommand::ReleaseFloor);
        reply(&mut m, 2_210, VoiceMessage::ReleaseMic(ok(1)));
        assert!(m.ptt().error.is_some());

        reply(
            &mut m,
            2_300,
            VoiceMessage::MemberLostMic {
                group_id: sid(),
                member_id: 169918,
            },
        );
        assert_eq!(m.ptt().talker, None);
    }

    #[test]
    fn add_and_kick_name_the_session_and_show_failures() {
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
                members: vec![169920, 5],
            }]
        );
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
                ids: vec![169918],
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
                    message: "会话不存在".into(),
                }),
            },
        );
        assert_eq!(m.ptt().error, Some(PttError::Server("会话不存在".into())));
    }

    #[test]
    fn hang_up_clears_the_session_on_the_reply_or_the_notification() {
        let mut m = in_call();
        assert_eq!(
            cmd(&mut m, 2_000, PttCommand::HangUp),
            [VoiceRequest::TempCallHangup { session_id: sid() }]
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
        assert_eq!(m.ptt().session, None);
        assert_eq!(m.ptt().talker, None);

        // Hung up from the other side.
        let mut m = in_call();
        reply(
            &mut m,
            2_000,
            VoiceMessage::TempCallHangup {
                call_id: sid(),
                from_id: 169918,
                reason: ResultCode {
                    code: 0,
                    message: String::new(),
                },
            },
        );
        assert_eq!(m.ptt().session, None);
        // And without a session the commands that need one are refused locally.
        assert!(cmd(&mut m, 3_000, PttCommand::HangUp).is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NoSession));
        assert!(cmd(&mut m, 3_000, PttCommand::Talk).is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NoSession));
    }

    #[test]
    fn local_refusals_send_nothing() {
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

        let mut m = online();
        assert!(cmd(&mut m, 1, PttCommand::StartCall { to_ids: vec![] }).is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NoTerminals));

        let mut m = in_call();
        assert!(cmd(
            &mut m,
            1,
            PttCommand::StartCall {
                to_ids: vec![169919]
            }
        )
        .is_empty());
        assert_eq!(m.ptt().error, Some(PttError::InCall));
    }

    #[test]
    fn a_refused_create_group_shows_the_servers_words() {
        let mut m = online();
        cmd(&mut m, 1, PttCommand::StartCall { to_ids: vec![9] });
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
        assert_eq!(m.ptt().session, None);
        assert_eq!(
            m.ptt().error,
            Some(PttError::Server("建立会话组失败,没有可呼叫的终端".into()))
        );
    }

    #[test]
    fn a_reconnect_keeps_the_session_but_not_the_floor_and_logout_forgets_it() {
        let mut m = in_call();
        m.handle(5_000, VoiceInput::SocketClosed { conn: 1 });
        assert!(matches!(m.link(), Link::Reconnecting { .. }));
        assert_eq!(m.ptt().talker, None);
        assert_eq!(m.ptt().session_id(), Some(&sid()));
        // While reconnecting, commands are refused locally.
        assert!(cmd(&mut m, 5_100, PttCommand::Talk).is_empty());
        assert_eq!(m.ptt().error, Some(PttError::NotOnline));

        m.handle_timeout(6_000);
        m.handle(6_010, VoiceInput::SocketOpened { conn: 2 });
        reply(&mut m, 6_020, VoiceMessage::InitServer(ok(1)));
        reply(&mut m, 6_030, VoiceMessage::Login(ok(1)));
        assert_eq!(m.link(), &Link::Online);
        drain(&mut m);
        let reqs = cmd(&mut m, 7_000, PttCommand::Talk);
        assert!(
            matches!(&reqs[..], [VoiceRequest::RequestMic { session_id: Some(s), .. }] if s == &sid())
        );

        m.handle(8_000, VoiceInput::Logout);
        reply(&mut m, 8_010, VoiceMessage::LogoutResp(ok(1)));
        assert_eq!(m.ptt().session, None);
    }
}
