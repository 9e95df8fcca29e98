//! What each fuzz target does with its bytes, in one place: the libFuzzer
//! targets in `fuzz/` call these, and `tests/fuzz_corpus.rs` replays every
//! corpus file through them on stable, so a crash the fuzzer once found
//! stays fixed. Only built with the `fuzzing` feature.
//!
//! Decoder targets take the bytes as server text (invalid UTF-8 replaced, so
//! every input reaches the decoder) and check only that nothing panics.
//! Machine targets read the bytes as a sequence of [`Step`]s and check that
//! the machine never asks to be woken at a time already handled.

use crate::call::{self, CallInput, CallMachine, CallStarted, CallStatus, CancelResult, Target};
use crate::machine::Machine;
use crate::meeting::machine::{MeetingInput, MeetingMachine, MAX_MESSAGES};
use crate::meeting::{
    self, decode_check_join, decode_event, CallsResult, Deployment, Flag, NewSessionResult,
    RefreshResult, ServiceStatus,
};
use crate::rest::{Failure, Reply};
use crate::voice::{PttCommand, VoiceInput, VoiceMachine, VoiceMessage, VoiceRequest};
use crate::{ivr, DecodeError};
use serde_json::Value;
use std::borrow::Cow;

/// A target: what it does with one input.
pub type FuzzTarget = fn(&[u8]);

/// Every target by name; `fuzz/fuzz_targets/<name>.rs` and
/// `fuzz/corpus/<name>/` exist for each.
pub const TARGETS: &[(&str, FuzzTarget)] = &[
    ("voice_text", voice_text),
    ("meeting_reply", meeting_reply),
    ("meeting_event", meeting_event),
    ("call_reply", call_reply),
    ("ivr_reply", ivr_reply),
    ("ivr_extension_status", ivr_extension_status),
    ("ivr_call_record", ivr_call_record),
    ("voice_machine", voice_machine),
    ("meeting_machine", meeting_machine),
    ("call_machine", call_machine),
    ("audio_frame", audio_frame),
];

fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// A text message from the voice plugin (and, for the simulator's side, a
/// request from a client).
pub fn voice_text(data: &[u8]) {
    let text = text(data);
    if let Ok(message) = VoiceMessage::decode(&text) {
        message.to_json();
    }
    if let Ok(request) = VoiceRequest::decode(&text) {
        request.to_json();
        request.redacted();
    }
}

/// A meeting reply body, decoded as each reply the machine expects:
/// checkJoin, new_session, refresh_session, service_status, participants,
/// dial, calls and the plain command results.
pub fn meeting_reply(data: &[u8]) {
    let text = text(data);
    if let Ok(Ok(results)) = decode_check_join(&text).map(|r| r.into_result()) {
        results.base_url("https");
    }
    fn reply<T>(text: &str, decode: fn(&Value) -> Result<T, DecodeError>) {
        if let Ok(reply) = meeting::decode_reply(text, decode) {
            let _ = reply.into_result().map_err(|e| e.to_string());
        }
    }
    // Results the console does not read, as serde's derive decodes them.
    fn derived<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, DecodeError> {
        Ok(T::deserialize(v)?)
    }
    reply(&text, NewSessionResult::decode);
    reply(&text, RefreshResult::decode);
    reply(&text, ServiceStatus::decode);
    let _ = meeting::decode_participants(&text).map(|r| r.into_result());
    reply(&text, derived::<Vec<String>>);
    reply(&text, derived::<CallsResult>);
    reply(&text, derived::<Flag>);
    reply(&text, |v| Ok(v.clone()));
}

/// A meeting stream event: the event name, a newline, then its data.
pub fn meeting_event(data: &[u8]) {
    let text = text(data);
    let (name, data) = text.split_once('\n').unwrap_or((&text, ""));
    if let Ok(event) = decode_event(name, data) {
        event.event_name();
        event.data_json();
        event.sent_on(Deployment::Enterprise);
    }
}

/// A click-to-call reply body, decoded as call / callService, callCancel and callState.
pub fn call_reply(data: &[u8]) {
    let text = text(data);
    fn reply<T>(text: &str, decode: fn(&Value) -> Result<T, DecodeError>) {
        if let Ok(reply) = call::decode_reply(text, decode) {
            let _ = reply.into_result().map_err(|e| e.to_string());
        }
    }
    reply(&text, CallStarted::decode);
    reply(&text, CancelResult::decode);
    reply(&text, CallStatus::decode);
}

/// The IVR PlayVoice reply.
pub fn ivr_reply(data: &[u8]) {
    if let Ok(reply) = ivr::decode_reply(&text(data)) {
        let _ = reply.into_result().map_err(|e| e.to_string());
    }
}

/// The IVR extension-status callback.
pub fn ivr_extension_status(data: &[u8]) {
    let _: Result<_, DecodeError> = ivr::decode_extension_status(&text(data));
}

/// The IVR call-record callback.
pub fn ivr_call_record(data: &[u8]) {
    let _: Result<_, DecodeError> = ivr::decode_call_record(&text(data));
}

/// One input of a machine target: four header bytes, then text up to a NUL
/// byte (or the end). `kind` picks the input, `a` and `b` are its numbers
/// (socket, request id, status...), and `wait` moves the clock forward by
/// `2 * wait²` ms (up to 130 s, past every timer the machines set) before it.
struct Step<'a> {
    kind: u8,
    a: u8,
    b: u8,
    wait_ms: u64,
    text: Cow<'a, str>,
}

fn steps(mut data: &[u8]) -> impl Iterator<Item = Step<'_>> {
    std::iter::from_fn(move || {
        let [kind, a, b, wait, rest @ ..] = data else {
            return None;
        };
        let end = rest.iter().position(|&c| c == 0).unwrap_or(rest.len());
        let step = Step {
            kind: *kind,
            a: *a,
            b: *b,
            wait_ms: 2 * u64::from(*wait) * u64::from(*wait),
            text: text(&rest[..end]),
        };
        data = rest.get(end + 1..).unwrap_or_default();
        Some(step)
    })
}

/// What a fuzz step means to each machine, beside the machine contract.
trait Fuzzed: Machine {
    fn input(step: Step<'_>) -> Self::Input;
    /// Bounds the machine promises whatever it was fed.
    fn check(&self) {}
}

/// Feeds the steps, firing every timer that falls due while the clock moves,
/// as the driver does.
fn run<M: Fuzzed>(mut m: M, data: &[u8]) {
    let mut now = 0;
    for step in steps(data) {
        let until = now + step.wait_ms;
        while let Some(at) = m.poll_timeout().filter(|&at| at <= until) {
            now = now.max(at);
            m.handle_timeout(now);
            while m.poll_output().is_some() {}
            let next = m.poll_timeout();
            assert!(
                next.is_none_or(|next| next > now),
                "woken at {now}, the machine asks again for {next:?}"
            );
        }
        now = until;
        m.handle(now, M::input(step));
        while m.poll_output().is_some() {}
        m.check();
    }
}

/// The voice plugin link: login, socket open/close, and plugin text.
pub fn voice_machine(data: &[u8]) {
    run(VoiceMachine::new("http://127.0.0.1:8080/"), data);
}

impl Fuzzed for VoiceMachine {
    fn input(step: Step<'_>) -> VoiceInput {
        let conn = u32::from(step.a);
        match step.kind % 6 {
            0 => VoiceInput::Text {
                conn,
                text: step.text.into_owned(),
            },
            1 => VoiceInput::SocketOpened { conn },
            2 => VoiceInput::SocketClosed { conn },
            3 => VoiceInput::Login {
                account: step.text.into_owned(),
                password: "123456".into(),
            },
            4 => VoiceInput::Ptt(match step.b % 3 {
                0 => PttCommand::StartCall {
                    to_ids: vec![169_918, u64::from(step.b)],
                },
                1 => PttCommand::TalkKeyDown {
                    to_ids: vec![169_918],
                },
                _ => PttCommand::TalkKeyUp,
            }),
            _ => VoiceInput::Logout,
        }
    }
}

/// The meeting: join, HTTP replies by request id, and the event stream.
pub fn meeting_machine(data: &[u8]) {
    let deployment = match data.first() {
        Some(b) if b % 2 == 1 => Deployment::Enterprise,
        _ => Deployment::Public,
    };
    run(
        MeetingMachine::new("http://127.0.0.1:8080", "http", deployment),
        data.get(1..).unwrap_or_default(),
    );
}

/// HTTP statuses a reply may carry; `None` is no reply at all (network, timeout).
const HTTP_STATUSES: [Option<u16>; 8] = [
    Some(200),
    Some(200),
    Some(400),
    Some(403),
    Some(404),
    Some(500),
    Some(502),
    None,
];

/// A reply to request `id` as the driver would feed it.
fn reply(id: u8, status: u8, text: String) -> Reply {
    match HTTP_STATUSES[usize::from(status % 8)] {
        Some(status) => Reply::answered(u32::from(id), status, text),
        None => Reply::failed(u32::from(id), Failure::Network(text)),
    }
}

impl Fuzzed for MeetingMachine {
    fn input(step: Step<'_>) -> MeetingInput {
        let conn = u32::from(step.a);
        match step.kind % 5 {
            0 => MeetingInput::Reply(reply(step.a, step.b, step.text.into_owned())),
            1 => {
                let (name, data) = step.text.split_once('\n').unwrap_or((&step.text, ""));
                MeetingInput::StreamEvent {
                    conn,
                    name: name.to_owned(),
                    data: data.to_owned(),
                }
            }
            2 => MeetingInput::StreamOpened { conn },
            3 => MeetingInput::StreamFailed { conn },
            _ => MeetingInput::Join {
                account: step.text.into_owned(),
                pin: "123456".into(),
                name: "调度台".into(),
            },
        }
    }
    fn check(&self) {
        assert!(self.conference().messages.len() <= MAX_MESSAGES);
    }
}

/// Click-to-call: place and cancel calls, and replies by request number.
pub fn call_machine(data: &[u8]) {
    run(CallMachine::new("http://127.0.0.1:8080"), data);
}

impl Fuzzed for CallMachine {
    fn input(step: Step<'_>) -> CallInput {
        match step.kind % 4 {
            0 => CallInput::Reply(reply(step.a, 0, step.text.into_owned())),
            1 => CallInput::Reply(reply(step.a, step.b, step.text.into_owned())),
            2 => CallInput::Place(match step.a % 2 {
                0 => Target::Service,
                _ => Target::User(169_918 + u64::from(step.b)),
            }),
            _ => CallInput::Cancel {
                id: u32::from(step.a),
            },
        }
    }
    fn check(&self) {
        let finished = self.calls().iter().filter(|c| c.is_finished()).count();
        assert!(finished <= call::MAX_RECENT);
    }
}

/// A binary message on the voice socket (docs/audio.md): decoded; what
/// decodes must encode to the same bytes and go through a jitter buffer,
/// and its payload through the Opus packet check.
pub fn audio_frame(data: &[u8]) {
    use crate::audio::{opus_check, Frame, JitterBuffer};
    if let Ok(frame) = Frame::decode(data) {
        let _ = opus_check(&frame.payload);
        assert_eq!(
            frame.encode(),
            data,
            "a decoded frame re-encodes to its bytes"
        );
        let mut jitter = JitterBuffer::new();
        jitter.push(frame.header.capture_ms, &frame.header);
        jitter.push(frame.header.capture_ms.wrapping_add(20), &frame.header);
    }
}
