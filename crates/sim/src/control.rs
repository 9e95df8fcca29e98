//! The control API under `/_sim/`, for tests and the demo. Not part of any
//! vendor API; the console never calls it.
//!
//! | route | body | effect |
//! |---|---|---|
//! | `GET /_sim/state` | | [`crate::SimState`] as JSON |
//! | `POST /_sim/reset` | | [`crate::Sim::reset`] |
//! | `GET`/`POST /_sim/faults` | [`crate::Faults`] | read / replace the faults |
//! | `POST /_sim/voice/drop` | | [`crate::Sim::drop_voice_sockets`] |
//! | `POST /_sim/voice/talk` | `{"terminalId":169918,"on":true}` | [`crate::Sim::terminal_talk`] |
//! | `POST /_sim/voice/hangup` | `{"terminalId":169918,"reason":"…"}` | [`crate::Sim::voice_member_hang_up`] |
//! | `POST /_sim/voice/no-answer` | `{"terminalId":169918,"on":true}` | [`crate::Sim::voice_no_answer`] |
//! | `POST /_sim/voice/ring-out` | `{"terminalId":169918}` | [`crate::Sim::voice_ring_out`] |
//! | `POST /_sim/voice/restart` | | [`crate::Sim::voice_restart`] |
//! | `POST /_sim/voice/several-sessions` | `{"on":true}` | [`crate::Sim::voice_several_sessions`] |
//! | `GET /_sim/voice/audio` | | [`crate::VoiceAudio`]: audio frames per session (docs/audio.md) |
//! | `POST /_sim/voice/echo` | `{"terminalId":169918,"on":true}` | [`crate::Sim::voice_echo`] |
//! | `POST /_sim/voice/speak` | `{"terminalId":169918,"talkMs":1500,"turns":1,"gapMs":1000}` | [`crate::Sim::voice_speak`]: talks with generated speech; `changed` is false when it could not take the floor |
//! | `POST /_sim/calls/{callSid}/advance` | | [`crate::Sim::advance_call`] |
//! | `POST /_sim/meeting/expire` | | [`crate::Sim::expire_meeting_tokens`] |
//! | `POST /_sim/meeting/deployment` | `{"deployment":"enterprise"}` | [`crate::Sim::set_deployment`] |
//! | `POST /_sim/meeting/present` | `{"presenter":"Bob"}` or `{"presenter":null}` | [`crate::Sim::meeting_present`] |
//! | `POST /_sim/meeting/speak` | `{"uuid":"…"}` | [`crate::Sim::meeting_speak`] |
//! | `POST /_sim/meeting/join` | `{"name":"Carol","role":"guest"}` | [`crate::Sim::meeting_join`], answers its `uuid` |
//! | `POST /_sim/meeting/leave` | `{"uuid":"…"}` | [`crate::Sim::meeting_leave`] |
//! | `POST /_sim/meeting/move` | | [`crate::Sim::meeting_move_node`], answers the new `node` |
//! | `POST /_sim/meeting/streams` | `{"action":"drop"}` or `{"action":"silence"}` | [`crate::Sim::meeting_drop_streams`] / [`crate::Sim::meeting_silence_streams`] |
//! | `POST /_sim/meeting/lock-quietly` | `{"locked":true}` | [`crate::Sim::meeting_lock_quietly`] |
//!
//! Refreshes fail with the `meeting_refresh_status` fault (`/_sim/faults`).
//! | `POST /_sim/outage` | [`SetOutage`] | [`crate::Sim::set_outage`] / [`crate::Sim::clear_outage`] |
//! | `GET /_sim/ivr/last` | | the last IVR request received: `{"ok":true,"request":`[`crate::IvrRecord`]`}`, 404 before any |
//!
//! Outages (`backend` is `voice`, `calls`, `meeting` or `ivr`; `for_ms`
//! left out means until cleared or reset):
//!
//! | body | effect |
//! |---|---|
//! | `{"backend":"calls","outage":{"kind":"html_error","status":502},"for_ms":3000}` | HTML 5xx page (`<html>502 Bad Gateway</html>`) for every request |
//! | `{"backend":"meeting","outage":{"kind":"slow","delay_ms":800}}` | every reply 800 ms late |
//! | `{"backend":"ivr","outage":{"kind":"hang"}}` | requests held unanswered until the outage ends |
//! | `{"backend":"voice","outage":{"kind":"silent_after_login"}}` | logged-in voice sockets get no answer |
//! | `{"backend":"calls","outage":null}` | ends the back end's outage |
//!
//! Answers are JSON: `{"ok":true,…}`, or HTTP 404 `{"ok":false}` when the
//! thing named does not exist, or HTTP 400 `{"ok":false,"error":…}` for an
//! outage the back end cannot have.

use crate::{Backend, Deployment, Faults, Outage, Sim, SimState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::time::Duration;

pub(crate) fn routes() -> Router<Sim> {
    Router::new()
        .route("/_sim/state", get(state))
        .route("/_sim/reset", post(reset))
        .route("/_sim/faults", get(faults).post(set_faults))
        .route("/_sim/voice/drop", post(drop_voice))
        .route("/_sim/voice/talk", post(talk))
        .merge(voice_script_routes())
        .merge(voice_audio_routes())
        .route("/_sim/calls/{sid}/advance", post(advance_call))
        .route("/_sim/meeting/expire", post(expire))
        .route("/_sim/meeting/deployment", post(deployment))
        .route("/_sim/meeting/present", post(present))
        .route("/_sim/meeting/speak", post(speak))
        .merge(meeting_script_routes())
        .route("/_sim/outage", post(outage))
        .route("/_sim/ivr/last", get(last_ivr))
        .route(
            "/_sim/{*rest}",
            any(|| async { found(false, json!({"error": "no such control"})) }),
        )
}

fn ok() -> Response {
    Json(json!({"ok": true})).into_response()
}

fn found(yes: bool, extra: serde_json::Value) -> Response {
    let mut body = json!({"ok": yes});
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        b.extend(e.clone());
    }
    let status = if yes {
        StatusCode::OK
    } else {
        StatusCode::NOT_FOUND
    };
    (status, Json(body)).into_response()
}

async fn state(State(sim): State<Sim>) -> Json<SimState> {
    Json(sim.snapshot())
}

async fn reset(State(sim): State<Sim>) -> Response {
    sim.reset();
    ok()
}

async fn faults(State(sim): State<Sim>) -> Json<Faults> {
    Json(sim.faults())
}

async fn set_faults(State(sim): State<Sim>, Json(f): Json<Faults>) -> Response {
    sim.set_faults(f);
    ok()
}

async fn drop_voice(State(sim): State<Sim>) -> Response {
    sim.drop_voice_sockets();
    ok()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Talk {
    terminal_id: u64,
    on: bool,
}

/// `changed` is false when the terminal is in no session or the floor is taken.
async fn talk(State(sim): State<Sim>, Json(t): Json<Talk>) -> Response {
    let changed = sim.terminal_talk(t.terminal_id, t.on);
    Json(json!({"ok": true, "changed": changed})).into_response()
}

async fn advance_call(State(sim): State<Sim>, Path(sid): Path<String>) -> Response {
    let state = sim.advance_call(&sid);
    found(
        state.is_some(),
        json!({"stateType": state.map(|s| s.to_string())}),
    )
}

async fn last_ivr(State(sim): State<Sim>) -> Response {
    let last = sim.snapshot().ivr_requests.pop();
    found(last.is_some(), json!({ "request": last }))
}

async fn expire(State(sim): State<Sim>) -> Response {
    sim.expire_meeting_tokens();
    ok()
}

#[derive(Deserialize)]
struct SetDeployment {
    deployment: Deployment,
}

async fn deployment(State(sim): State<Sim>, Json(d): Json<SetDeployment>) -> Response {
    sim.set_deployment(d.deployment);
    ok()
}

#[derive(Deserialize)]
struct Present {
    #[serde(default)]
    presenter: Option<String>,
}

async fn present(State(sim): State<Sim>, Json(p): Json<Present>) -> Response {
    sim.meeting_present(p.presenter);
    ok()
}

#[derive(Deserialize)]
struct Speak {
    uuid: String,
}

async fn speak(State(sim): State<Sim>, Json(s): Json<Speak>) -> Response {
    found(sim.meeting_speak(&s.uuid), json!({}))
}

/// The body of `POST /_sim/outage`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetOutage {
    pub backend: Backend,
    /// `None` ends the back end's outage.
    pub outage: Option<Outage>,
    /// How long it lasts; `None` until cleared or reset.
    #[serde(default)]
    pub for_ms: Option<u64>,
}

async fn outage(State(sim): State<Sim>, Json(o): Json<SetOutage>) -> Response {
    let Some(outage) = o.outage else {
        sim.clear_outage(o.backend);
        return ok();
    };
    match sim.set_outage(o.backend, outage, o.for_ms.map(Duration::from_millis)) {
        Ok(()) => ok(),
        Err(why) => (
            StatusCode::BAD_REQUEST,
            Json(json!({"ok": false, "error": why})),
        )
            .into_response(),
    }
}

/// The voice plugin's scripted behaviour: members hanging up, ringing out,
/// a plugin restart.
fn voice_script_routes() -> Router<Sim> {
    Router::new()
        .route("/_sim/voice/hangup", post(member_hang_up))
        .route("/_sim/voice/no-answer", post(no_answer))
        .route("/_sim/voice/ring-out", post(ring_out))
        .route("/_sim/voice/restart", post(restart_voice))
        .route("/_sim/voice/several-sessions", post(several_sessions))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Terminal {
    terminal_id: u64,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    on: bool,
}

/// `changed` is false when the terminal was in no call.
async fn member_hang_up(State(sim): State<Sim>, Json(t): Json<Terminal>) -> Response {
    let changed = sim.voice_member_hang_up(t.terminal_id, &t.reason);
    Json(json!({"ok": true, "changed": changed})).into_response()
}

async fn no_answer(State(sim): State<Sim>, Json(t): Json<Terminal>) -> Response {
    sim.voice_no_answer(t.terminal_id, t.on);
    ok()
}

/// `changed` is false when the terminal was ringing nowhere.
async fn ring_out(State(sim): State<Sim>, Json(t): Json<Terminal>) -> Response {
    let changed = sim.voice_ring_out(t.terminal_id);
    Json(json!({"ok": true, "changed": changed})).into_response()
}

#[derive(Deserialize)]
struct Switch {
    on: bool,
}

async fn several_sessions(State(sim): State<Sim>, Json(s): Json<Switch>) -> Response {
    sim.voice_several_sessions(s.on);
    ok()
}

async fn restart_voice(State(sim): State<Sim>) -> Response {
    sim.voice_restart();
    ok()
}

/// The meeting's scripted behaviour: joins and leaves.
fn meeting_script_routes() -> Router<Sim> {
    Router::new()
        .route("/_sim/meeting/join", post(meeting_join))
        .route("/_sim/meeting/leave", post(meeting_leave))
        .route("/_sim/meeting/move", post(meeting_move))
        .route("/_sim/meeting/streams", post(meeting_streams))
        .route("/_sim/meeting/lock-quietly", post(meeting_lock_quietly))
}

#[derive(Deserialize)]
struct QuietLock {
    locked: bool,
}

async fn meeting_lock_quietly(State(sim): State<Sim>, Json(q): Json<QuietLock>) -> Response {
    sim.meeting_lock_quietly(q.locked);
    ok()
}

async fn meeting_move(State(sim): State<Sim>) -> Response {
    let node = sim.meeting_move_node();
    Json(json!({"ok": true, "node": node})).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum StreamAction {
    Drop,
    Silence,
}

#[derive(Deserialize)]
struct Streams {
    action: StreamAction,
}

async fn meeting_streams(State(sim): State<Sim>, Json(s): Json<Streams>) -> Response {
    match s.action {
        StreamAction::Drop => sim.meeting_drop_streams(),
        StreamAction::Silence => sim.meeting_silence_streams(),
    }
    ok()
}

#[derive(Deserialize)]
struct ScriptJoin {
    name: String,
    role: proto::meeting::Role,
}

async fn meeting_join(State(sim): State<Sim>, Json(j): Json<ScriptJoin>) -> Response {
    let uuid = sim.meeting_join(&j.name, j.role);
    Json(json!({"ok": true, "uuid": uuid})).into_response()
}

async fn meeting_leave(State(sim): State<Sim>, Json(s): Json<Speak>) -> Response {
    found(sim.meeting_leave(&s.uuid), json!({}))
}
/// Push-to-talk audio: what the plugin heard, and the echo terminal.
fn voice_audio_routes() -> Router<Sim> {
    Router::new()
        .route(
            "/_sim/voice/audio",
            get(|State(sim): State<Sim>| async move { Json(sim.voice_audio()) }),
        )
        .route("/_sim/voice/echo", post(echo))
        .route("/_sim/voice/speak", post(speak_script))
}

async fn echo(State(sim): State<Sim>, Json(t): Json<Terminal>) -> Response {
    sim.voice_echo(t.terminal_id, t.on);
    ok()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpeakScript {
    terminal_id: u64,
    talk_ms: u64,
    #[serde(default = "one")]
    turns: u32,
    #[serde(default)]
    gap_ms: u64,
}

fn one() -> u32 {
    1
}

async fn speak_script(State(sim): State<Sim>, Json(s): Json<SpeakScript>) -> Response {
    let script = crate::TalkScript {
        talk_ms: s.talk_ms,
        turns: s.turns,
        gap_ms: s.gap_ms,
    };
    let changed = sim.voice_speak(s.terminal_id, script);
    Json(json!({"ok": true, "changed": changed})).into_response()
}
