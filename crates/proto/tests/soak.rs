//! Soak: the three machines through hours of fake time against scripted
//! back ends that misbehave as real ones do: a socket or stream dropped every
//! 30 s, tokens that expire, bursts of 5xx, and silence. What each machine
//! holds must stay bounded (at most one socket or stream, no request piling
//! up, outputs drained), and at the end its view must equal the back end's
//! truth.
//!
//! CI runs one hour of fake time; `SOAK_HOURS=12 cargo test -p proto --test
//! soak --release` runs a whole shift.

use proto::call::{CallInput, CallMachine, Phase, Target};
use proto::machine::{Machine, Output};
use proto::meeting::machine::{MeetingInput, MeetingLink, MeetingMachine, MeetingSend};
use proto::meeting::Deployment;
use proto::rest::{Failure, Reply, Request};
use proto::voice::{Ack, Link, VoiceInput, VoiceMachine, VoiceMessage, VoiceRequest, VoiceSend};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const MIN: u64 = 60_000;
const HOUR: u64 = 60 * MIN;

fn hours() -> u64 {
    std::env::var("SOAK_HOURS")
        .ok()
        .and_then(|h| h.parse().ok())
        .unwrap_or(1)
}

/// Inputs on their way to a machine, by due time.
struct Wire<I> {
    due: BTreeMap<(u64, u64), I>,
    seq: u64,
}

impl<I> Wire<I> {
    fn new() -> Self {
        Self {
            due: BTreeMap::new(),
            seq: 0,
        }
    }
    fn at(&mut self, at: u64, input: I) {
        self.seq += 1;
        self.due.insert((at, self.seq), input);
    }
    fn next_at(&self) -> Option<u64> {
        self.due.keys().next().map(|(at, _)| *at)
    }
    fn pop_due(&mut self, now: u64) -> Option<I> {
        let key = *self.due.keys().next().filter(|(at, _)| *at <= now)?;
        self.due.remove(&key)
    }
}

/// Runs `m` until `end`: each step goes to the earliest of the machine's
/// own timeout, a delivery on the wire, or the script's next tick.
/// `peer` is the back end's truth, shared by the script's `tick` and the
/// `carry_out` that answers the machine.
#[allow(clippy::too_many_arguments)]
fn run<M: Machine, P>(
    m: &mut M,
    wire: &mut Wire<M::Input>,
    peer: &mut P,
    end: u64,
    tick_every: u64,
    tick: impl Fn(u64, &mut P, &mut Wire<M::Input>),
    carry_out: impl Fn(u64, M::Send, &mut P, &mut Wire<M::Input>),
    check: impl Fn(&M),
) {
    let mut now = 0;
    let mut next_tick = tick_every;
    while now < end {
        let next = [m.poll_timeout(), wire.next_at(), Some(next_tick)]
            .into_iter()
            .flatten()
            .min()
            .unwrap()
            .max(now);
        now = next;
        if now >= next_tick {
            tick(now, peer, wire);
            next_tick += tick_every;
        }
        if m.poll_timeout().is_some_and(|t| t <= now) {
            m.handle_timeout(now);
        }
        while let Some(input) = wire.pop_due(now) {
            m.handle(now, input);
        }
        while let Some(out) = m.poll_output() {
            if let Output::Send(s) = out {
                carry_out(now, s, peer, wire);
            }
        }
        check(m);
    }
}

#[test]
fn voice_survives_drops_and_silence_and_ends_logged_in() {
    let end = hours() * HOUR;
    let mut m = VoiceMachine::new("http://voice.example/");
    let mut wire = Wire::new();
    wire.at(
        0,
        VoiceInput::Login {
            account: "zydd".into(),
            password: "123456".into(),
        },
    );
    // The plugin's truth: the open socket and whether it is logged in on it.
    #[derive(Default)]
    struct Plugin {
        open: Option<u32>,
        logged_in_on: Option<u32>,
        opened: u64,
    }
    let mut p = Plugin::default();
    let silent = |now: u64| now % HOUR >= 20 * MIN && now % HOUR < 21 * MIN;
    run(
        &mut m,
        &mut wire,
        &mut p,
        end,
        30_000,
        |now, p, wire| {
            // A drop every 30 s, but none in the last 5 minutes.
            if let Some(conn) = p.open.filter(|_| now + 5 * MIN < end) {
                p.open = None;
                p.logged_in_on = None;
                wire.at(now + 1, VoiceInput::SocketClosed { conn });
            }
        },
        |now, send, p, wire| match send {
            VoiceSend::Open { conn } => {
                p.opened += 1;
                p.open = Some(conn);
                wire.at(now + 5, VoiceInput::SocketOpened { conn });
            }
            VoiceSend::Close { conn } => {
                if p.open == Some(conn) {
                    p.open = None;
                    p.logged_in_on = None;
                }
            }
            VoiceSend::Text { conn, text, .. } => {
                if silent(now) || p.open != Some(conn) {
                    return;
                }
                let reply = match VoiceRequest::decode(&text).expect("the machine sends requests") {
                    VoiceRequest::InitServer { .. } => VoiceMessage::InitServer(ok()),
                    VoiceRequest::Connect { .. } => {
                        p.logged_in_on = Some(conn);
                        VoiceMessage::Login(ok())
                    }
                    other => panic!("unexpected {other:?}"),
                };
                wire.at(
                    now + 20,
                    VoiceInput::Text {
                        conn,
                        text: reply.to_json(),
                    },
                );
            }
        },
        |_| {},
    );
    assert_eq!(m.link(), &Link::Online, "back online at the end");
    assert!(
        p.logged_in_on.is_some() && p.logged_in_on == p.open,
        "the plugin agrees"
    );
    assert!(m.poll_output().is_none());
    // About one socket per 30 s drop, a few more for the silent minutes: no storm.
    let drops = end / 30_000;
    let opened = p.opened;
    assert!(opened > drops / 2, "the script ran: {opened} sockets");
    assert!(
        opened <= drops + drops / 10 + 20,
        "{opened} sockets for {drops} drops"
    );
}

fn ok() -> Ack {
    Ack {
        code: 1,
        message: "ok".into(),
    }
}

/// The meeting node's truth.
struct Node {
    token_n: u32,
    token_expires: u64,
    roster: BTreeSet<String>,
    /// Live sessions by token, with their expiry: the node forgets a token
    /// when it runs out.
    sessions: BTreeMap<String, u64>,
    stream: Option<u32>,
    streams_open: i32,
    max_streams: i32,
    churn: u64,
}

impl Node {
    fn token(&self) -> String {
        format!("tok+{}/=", self.token_n)
    }
    fn participant(uuid: &str) -> Value {
        json!({"uuid": uuid, "display_name": uuid, "role": "guest", "service_type": "conference"})
    }
    fn answer(&mut self, now: u64, req: &Request) -> (u16, Value) {
        let path = req.url.rsplit('/').next().unwrap_or_default().to_owned();
        if path == "checkJoin.shtml" {
            return (
                200,
                json!({"code":"200","timeStamp":"t","results":{"sipkey":"1061",
                "alias":"a@b","mcuHost":"mcu.example","roleType":"host"}}),
            );
        }
        if path == "new_session" {
            self.token_n += 1;
            self.token_expires = now + 120_000;
            self.sessions.insert(self.token(), self.token_expires);
            self.roster.insert("me".into());
            return (
                200,
                json!({"status":"success","result":{"token":self.token(),
                "expires":"120","participant_uuid":"me","role":"HOST"}}),
            );
        }
        let token = req
            .headers
            .iter()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        if token != self.token() || now >= self.token_expires {
            return (403, json!({"status":"failed","result":"Invalid token"}));
        }
        match path.as_str() {
            "refresh_session" => {
                self.sessions.remove(&token);
                self.token_n += 1;
                self.token_expires = now + 120_000;
                self.sessions.insert(self.token(), self.token_expires);
                (
                    200,
                    json!({"status":"success","result":{"token":self.token(),"expires":"120"}}),
                )
            }
            "end_session" => {
                self.sessions.remove(&token);
                (200, json!({"status":"success","result":true}))
            }
            "service_status" => (
                200,
                json!({"status":"success","result":{"locked":false,"guests_muted":false}}),
            ),
            "participants" => {
                let list: Vec<Value> = self.roster.iter().map(|u| Self::participant(u)).collect();
                (200, json!({"status":"success","result":list}))
            }
            other => panic!("unexpected request {other}"),
        }
    }
}

#[test]
fn the_meeting_survives_drops_expiries_and_5xx_and_ends_with_the_nodes_roster() {
    let end = hours() * HOUR;
    let mut m = MeetingMachine::new("http://api.example", "http", Deployment::Public);
    let mut wire = Wire::new();
    wire.at(
        0,
        MeetingInput::Join {
            account: "1061".into(),
            pin: "123456".into(),
            name: "调度台".into(),
        },
    );
    let mut node = Node {
        token_n: 0,
        token_expires: 0,
        roster: BTreeSet::new(),
        sessions: BTreeMap::new(),
        stream: None,
        streams_open: 0,
        max_streams: 0,
        churn: 0,
    };
    // A 5xx burst of one minute every hour.
    let failing = |now: u64| now % HOUR >= 40 * MIN && now % HOUR < 41 * MIN && now + 5 * MIN < end;
    run(
        &mut m,
        &mut wire,
        &mut node,
        end,
        30_000,
        |now, node, wire| {
            // The last minutes are quiet, so what was sent has arrived at the end.
            let Some(conn) = node.stream.filter(|_| now + 5 * MIN < end) else {
                return;
            };
            node.churn += 1;
            let churn = node.churn;
            // Someone joins, someone leaves; then the stream drops (not at the end).
            let joiner = format!("p{}", churn % 7);
            node.roster.insert(joiner.clone());
            wire.at(
                now,
                MeetingInput::StreamEvent {
                    conn,
                    name: "participant_create".into(),
                    data: Node::participant(&joiner).to_string(),
                },
            );
            let leaver = format!("p{}", (churn + 3) % 7);
            if node.roster.remove(&leaver) {
                wire.at(
                    now + 1,
                    MeetingInput::StreamEvent {
                        conn,
                        name: "participant_delete".into(),
                        data: json!({"uuid": leaver}).to_string(),
                    },
                );
            }
            node.stream = None;
            wire.at(now + 2, MeetingInput::StreamFailed { conn });
        },
        |now, send, node, wire| match send {
            MeetingSend::Request(req) => {
                let reply = if failing(now) {
                    Reply::answered(req.id, 502, r#"{"status":"success","result":true}"#.into())
                } else {
                    let (status, body) = node.answer(now, &req);
                    Reply::answered(req.id, status, body.to_string())
                };
                wire.at(now + 30, MeetingInput::Reply(reply));
            }
            MeetingSend::OpenStream { conn, url, .. } => {
                node.streams_open += 1;
                node.max_streams = node.max_streams.max(node.streams_open);
                let token_ok = url.contains(&proto::meeting::token_query(&node.token()));
                if failing(now) || !token_ok {
                    wire.at(now + 10, MeetingInput::StreamFailed { conn });
                } else {
                    node.stream = Some(conn);
                    wire.at(now + 10, MeetingInput::StreamOpened { conn });
                }
            }
            // end_session on its way out: the node forgets the token; no reply is awaited.
            MeetingSend::Farewell(req) => {
                node.answer(now, &req);
            }
            MeetingSend::FetchFrame(_) => wire.at(now + 30, MeetingInput::FrameFetched),
            MeetingSend::ClearFrame => {}
            MeetingSend::CloseStream { conn } => {
                node.streams_open -= 1;
                if node.stream == Some(conn) {
                    node.stream = None;
                }
            }
        },
        |_| {},
    );
    assert!(
        node.churn > end / MIN,
        "the script ran: {} drops",
        node.churn
    );
    assert!(
        node.max_streams <= 1,
        "{} streams open at once",
        node.max_streams
    );
    assert_eq!(m.link(), &MeetingLink::Online);
    let shown: BTreeSet<String> = m
        .conference()
        .participants
        .iter()
        .map(|p| p.uuid.clone())
        .collect();
    assert_eq!(shown, node.roster, "the roster is the node's");
    node.sessions.retain(|_, expires| *expires > end);
    assert_eq!(
        node.sessions.len(),
        1,
        "live sessions on the node at the end: {:?}",
        node.sessions
    );
}

#[test]
fn calls_survive_5xx_bursts_and_end_as_the_server_ended_them() {
    let end = hours() * HOUR;
    let mut m = CallMachine::new("http://calls.example");
    let mut wire = Wire::new();
    // The server's truth: when each callSid ends.
    #[derive(Default)]
    struct Service {
        ends: BTreeMap<String, u64>,
        next_sid: u64,
        placed: u64,
    }
    let mut svc = Service::default();
    let failing = |now: u64| now % HOUR >= 10 * MIN && now % HOUR < 11 * MIN;
    let silent = |now: u64| now % HOUR >= 30 * MIN && now % HOUR < 31 * MIN;
    run(
        &mut m,
        &mut wire,
        &mut svc,
        end,
        10 * MIN,
        |now, svc, wire| {
            if now + 10 * MIN < end {
                svc.placed += 1;
                wire.at(now, CallInput::Place(Target::User(169_918)));
            }
        },
        |now, req, svc, wire| {
            if silent(now) {
                return; // No reply at all: the machine's deadline must fire.
            }
            let reply = if failing(now) {
                Reply::answered(req.id, 503, "<html>503</html>".into())
            } else if req.url.contains("/call/") {
                svc.next_sid += 1;
                let sid = format!("sid{}", svc.next_sid);
                svc.ends.insert(sid.clone(), now + 3 * MIN);
                let body = json!({"data":{"callSid":sid},"returnCode":200,"returnMsg":"success"});
                Reply::answered(req.id, 200, body.to_string())
            } else if let Some(sid) = req
                .url
                .rsplit('/')
                .next()
                .filter(|_| req.url.contains("callState"))
            {
                let state = if svc.ends.get(sid).is_some_and(|e| now >= *e) {
                    "4"
                } else {
                    "3"
                };
                let body =
                    json!({"data":{"stateType":state},"returnCode":200,"returnMsg":"success"});
                Reply::answered(req.id, 200, body.to_string())
            } else {
                Reply::failed(req.id, Failure::Network(req.url.clone()))
            };
            wire.at(now + 50, CallInput::Reply(reply));
        },
        |m| assert!(m.calls().len() <= proto::call::MAX_RECENT + 2),
    );
    assert!(svc.placed > 0);
    // Every call the server ended is shown ended (none left polling).
    for call in m.calls() {
        if let Some(sid) = &call.sid {
            assert_eq!(call.phase, Phase::Ended { cancelled: false }, "{sid}");
        }
    }
    assert_eq!(m.poll_timeout(), None, "nothing left to poll");
}
