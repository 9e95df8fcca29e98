//! In-meeting management (document 002) over HTTP: checkJoin on the "API
//! server", and the "meeting node" under `/api/services/<conf>/` (both on
//! this one port; `mcuHost` is this server's own Host header, without a
//! scheme, as the quirk goes). `model` holds the meeting, `events` the
//! event stream. After a move (`Sim::meeting_move_node`) the meeting is on
//! node n, under `/nodes/<n>/api/services/<conf>/`, and `mcuHost` says so;
//! the old node answers 404 `conference not found`.
//!
//! Failures of the node are `{"status":"failed","result":"<why>"}` with an
//! HTTP status: 403 `invalid token` (wrong, expired or ended token; also a
//! wrong pin), 403 `permission denied: host only`, 400 `unsupported` (a
//! command the enterprise cloud lacks), 400 `invalid body: …`, 404 for an
//! unknown conference, participant or command, 405 for a wrong method, 503
//! while the `meeting_down` fault is set. Dialled participants connect after
//! [`DIAL_CONNECT_DELAY`] (a destination containing `busy` refuses instead).

mod events;
mod model;

pub(crate) use events::Pushed;
pub(crate) use model::Meeting;
pub use model::{MeetingState, ParticipantInfo, SessionInfo};

use crate::{clock, form, Sim};
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, HOST};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use model::{Caller, Refusal, TOKEN_TTL_SECS};
use proto::meeting::{
    CheckJoinReply, CheckJoinResults, Command, OverrideLayout, ParticipantCommand, Reply, Role,
    SubCall, Transfer,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;

/// How long a dialled participant stays `connecting`.
pub const DIAL_CONNECT_DELAY: Duration = Duration::from_secs(1);

/// The presentation frame: a 64×36 baseline JPEG of a "slide".
const PRESENTATION_JPEG: &[u8] = include_bytes!("../../assets/presentation.jpeg");

pub(crate) fn routes() -> Router<Sim> {
    Router::new()
        .route("/api/v3/meet/checkJoin.shtml", post(check_join))
        .route("/api/services/{conf}/{cmd}", any(conference))
        .route(
            "/api/services/{conf}/participants/{uuid}/{cmd}",
            any(participant),
        )
        .route("/nodes/{node}/api/services/{conf}/{cmd}", any(conference))
        .route(
            "/nodes/{node}/api/services/{conf}/participants/{uuid}/{cmd}",
            any(participant),
        )
        // Unknown API paths answer JSON, not the app's index.html.
        .route(
            "/api/{*rest}",
            any(|| async {
                refused(Refusal {
                    status: 404,
                    result: "not found".into(),
                })
            }),
        )
}

fn success(result: Value) -> Response {
    Json(Reply::Success(result)).into_response()
}

fn refused(r: Refusal) -> Response {
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST);
    let body: Reply<Value> = Reply::Failed {
        status: "failed".into(),
        result: json!(r.result),
    };
    (status, Json(body)).into_response()
}

fn down() -> Refusal {
    Refusal {
        status: 503,
        result: "service unavailable".into(),
    }
}

/// The path's parameters: `conf`, `cmd`, and `node` and `uuid` where the
/// route has them.
type Params = HashMap<String, String>;

fn param<'a>(p: &'a Params, name: &str) -> &'a str {
    p.get(name).map_or("", String::as_str)
}

/// Fault and conference checks shared by every node request: the meeting
/// must be on the node asked.
fn node_check(sim: &Sim, p: &Params) -> Result<(), Refusal> {
    let node = p.get("node").map_or(Some(0), |n| n.parse::<u32>().ok());
    sim.with(|s| {
        if s.faults.meeting_down {
            Err(down())
        } else if !s.meeting.is_conference(param(p, "conf")) || node != Some(s.meeting.node()) {
            Err(Refusal {
                status: 404,
                result: "conference not found".into(),
            })
        } else {
            Ok(())
        }
    })
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn caller(sim: &Sim, token: Option<&str>) -> Result<Caller, Refusal> {
    let token = token.ok_or_else(Refusal::invalid_token)?;
    sim.with(|s| s.meeting.caller(token))
}

/// checkJoin: JSON or form body. Answers HTTP 200 with `code` "200" and the
/// results, or a code ("400", "401", "404") and a `message` for the user.
async fn check_join(State(sim): State<Sim>, req: Request) -> Response {
    let host = req
        .headers()
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let fields = form::read_fields(req).await.unwrap_or_default();
    let now = clock::china_time(clock::unix_secs());
    let fail = |code: &str, message: &str| {
        Json(json!({"code": code, "timeStamp": now, "message": message})).into_response()
    };
    let get = |k: &str| {
        fields
            .get(k)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    let (down, conf, node) = sim.with(|s| {
        (
            s.faults.meeting_down,
            s.meeting.conference().clone(),
            s.meeting.node(),
        )
    });
    if down {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            fail("503", "服务暂不可用,请稍后重试"),
        )
            .into_response();
    }
    let Some(account) = get("joinAccount") else {
        return fail("400", "入会短号不能为空");
    };
    let Some(name) = get("participantName") else {
        return fail("400", "参会者名称不能为空");
    };
    if account != conf.id && !account.eq_ignore_ascii_case(&conf.alias) {
        return fail("404", "会议室不存在");
    }
    let pwd = get("joinPwd").unwrap_or_default();
    let role = sim.with(|s| s.meeting.role_for_pin(&pwd));
    let Some(role) = role else {
        return fail("401", "入会密码错误");
    };
    let results = CheckJoinResults {
        is_dot: false,
        sipkey: conf.id.clone(),
        alias: conf.alias.clone(),
        password: pwd,
        participant_name: name,
        role_type: Some(role),
        mcu_host: match node {
            0 => host,
            n => format!("{host}/nodes/{n}"),
        },
        company_id: Some(1001),
        is_record: true,
        is_live: false,
        conference_name: Some(conf.name.clone()),
        allow_guest: Some(true),
    };
    Json(CheckJoinReply::ok(now, results)).into_response()
}

/// Everything under `/api/services/<conf>/<cmd>`.
async fn conference(
    State(sim): State<Sim>,
    Path(params): Path<Params>,
    method: Method,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    if let Err(r) = node_check(&sim, &params) {
        return refused(r);
    }
    let cmd = param(&params, "cmd");
    let result = match (cmd, &method) {
        ("new_session", &Method::POST) => new_session(&sim, &headers, &body),
        ("events", &Method::GET) => return events(&sim, query.get("token").map(String::as_str)),
        ("presentation.jpeg", &Method::GET) => {
            return presentation(&sim, header(&headers, "token"))
        }
        ("new_session" | "events" | "presentation.jpeg", _) => Err(wrong_method()),
        _ => {
            parse_command(cmd, &body).and_then(|c| run(&sim, &method, header(&headers, "token"), c))
        }
    };
    result.map_or_else(refused, success)
}

/// `/api/services/<conf>/participants/<uuid>/<cmd>`.
async fn participant(
    State(sim): State<Sim>,
    Path(params): Path<Params>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(r) = node_check(&sim, &params) {
        return refused(r);
    }
    let uuid = param(&params, "uuid").to_owned();
    parse_participant_command(param(&params, "cmd"), &body)
        .map(|command| Command::Participant { uuid, command })
        .and_then(|c| run(&sim, &method, header(&headers, "token"), c))
        .map_or_else(refused, success)
}

fn wrong_method() -> Refusal {
    Refusal {
        status: 405,
        result: "method not allowed".into(),
    }
}

fn ttl(sim: &Sim) -> u64 {
    sim.with(|s| s.faults.meeting_token_ttl_secs)
        .unwrap_or(TOKEN_TTL_SECS)
}

/// new_session: the `pin` header picks the role; the body (JSON, possibly
/// empty) gives display_name and hideme.
fn new_session(sim: &Sim, headers: &HeaderMap, body: &[u8]) -> Result<Value, Refusal> {
    let pin = header(headers, "pin").unwrap_or_default().trim().to_owned();
    let role = sim.with(|s| s.meeting.role_for_pin(&pin));
    let role = role.ok_or(Refusal {
        status: 403,
        result: "invalid pin".into(),
    })?;
    let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        serde_json::from_slice(body).map_err(|e| invalid_body(&e))?
    };
    let name = body
        .get("display_name")
        .and_then(proto::lenient::value_to_string)
        .unwrap_or_default();
    let hidden = body
        .get("hideme")
        .and_then(proto::lenient::value_to_bool)
        .unwrap_or(false);
    let ttl = ttl(sim);
    let r = sim.with(|s| s.meeting.new_session(role, &name, hidden, ttl));
    Ok(json!(r))
}

fn run(sim: &Sim, method: &Method, token: Option<&str>, cmd: Command) -> Result<Value, Refusal> {
    if cmd.method().as_str() != method.as_str() {
        return Err(wrong_method());
    }
    let refresh_fails = sim.with(|s| s.faults.meeting_refresh_status);
    if let (Command::RefreshSession, Some(status)) = (&cmd, refresh_fails) {
        return Err(Refusal {
            status,
            result: "refresh failed".into(),
        });
    }
    let who = caller(sim, token)?;
    let ttl = ttl(sim);
    let outcome = sim.with(|s| s.meeting.run(&who, cmd, ttl))?;
    for uuid in outcome.dialled {
        let sim = sim.clone();
        tokio::spawn(async move {
            tokio::time::sleep(DIAL_CONNECT_DELAY).await;
            sim.with(|s| s.meeting.finish_dial(&uuid));
        });
    }
    Ok(outcome.result)
}

fn events(sim: &Sim, token: Option<&str>) -> Response {
    let stream_caller = |t: &str| sim.with(|s| s.meeting.stream_caller(t));
    let who = match token
        .ok_or_else(Refusal::invalid_token)
        .and_then(stream_caller)
    {
        Ok(c) => c,
        Err(r) => return refused(r),
    };
    let (initial, rx) = sim.with(|s| s.meeting.subscribe());
    events::stream(sim.clone(), who.uuid, initial, rx).into_response()
}

/// The frame needs the `token` header, as the real one does.
fn presentation(sim: &Sim, token: Option<&str>) -> Response {
    match caller(sim, token) {
        Ok(_) => (
            [(CONTENT_TYPE, "image/jpeg"), (CACHE_CONTROL, "no-store")],
            PRESENTATION_JPEG,
        )
            .into_response(),
        Err(r) => refused(r),
    }
}

fn invalid_body(e: &serde_json::Error) -> Refusal {
    Refusal {
        status: 400,
        result: format!("invalid body: {e}"),
    }
}

fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Refusal> {
    serde_json::from_slice(body).map_err(|e| invalid_body(&e))
}

fn unknown_command() -> Refusal {
    Refusal {
        status: 404,
        result: "unknown command".into(),
    }
}

fn parse_command(name: &str, body: &[u8]) -> Result<Command, Refusal> {
    Ok(match name {
        "refresh_session" => Command::RefreshSession,
        "end_session" => Command::EndSession,
        "dial" => Command::Dial(parse(body)?),
        "service_status" => Command::ServiceStatus,
        "lock" => Command::Lock,
        "unlock" => Command::Unlock,
        "start_service" => Command::StartService,
        "muteguests" => Command::MuteGuests,
        "unmuteguests" => Command::UnmuteGuests,
        "disconnect" => Command::Disconnect,
        "message" => Command::Message(parse(body)?),
        "participants" => Command::Participants,
        "override_layout" => Command::OverrideLayout(parse::<OverrideLayout>(body)?),
        _ => return Err(unknown_command()),
    })
}

fn parse_participant_command(name: &str, body: &[u8]) -> Result<ParticipantCommand, Refusal> {
    #[derive(Deserialize)]
    struct Digits {
        digits: String,
    }
    #[derive(Deserialize)]
    struct RoleBody {
        role: Role,
    }
    Ok(match name {
        "disconnect" => ParticipantCommand::Disconnect,
        "mute" => ParticipantCommand::Mute,
        "unmute" => ParticipantCommand::Unmute,
        "allowrxpresentation" => ParticipantCommand::AllowRxPresentation,
        "denyrxpresentation" => ParticipantCommand::DenyRxPresentation,
        "spotlighton" => ParticipantCommand::SpotlightOn,
        "spotlightoff" => ParticipantCommand::SpotlightOff,
        "unlock" => ParticipantCommand::Unlock,
        "dtmf" => ParticipantCommand::Dtmf {
            digits: parse::<Digits>(body)?.digits,
        },
        "calls" => ParticipantCommand::Calls(parse::<SubCall>(body)?),
        "role" => ParticipantCommand::Role(parse::<RoleBody>(body)?.role),
        "transfer" => ParticipantCommand::Transfer(parse::<Transfer>(body)?),
        _ => return Err(unknown_command()),
    })
}
