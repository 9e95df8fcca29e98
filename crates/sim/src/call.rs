//! Click-to-call (document 001): four GETs with `access_token` in the query.
//! Replies are built with `proto::call::CallReply`, so the body is exactly
//! `{"data":{...},"returnCode":200,"returnMsg":"success"}` (no stray brace)
//! and `stateType` a string. Errors use the document's own messages, always
//! with HTTP 200 as such APIs do.
//!
//! A call moves 1 (requesting) → 2 (ringing) → 3 (connected) by itself, one
//! step a second, unless the `calls_manual` fault holds it; `advance_call`
//! steps it by hand. Cancelling ends it (4). Some targets behave otherwise
//! ([`Callee`], `SimConfig::call_callees`): busy, never answering, hanging
//! up after a while, or refused with a documented error.

use crate::{ids, Sim};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use proto::call::{CallReply, CallStarted, CallState, CallStatus, CancelResult};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long each automatic step takes.
const STEP: Duration = Duration::from_secs(1);

mod text {
    pub const INTERNAL: &str = "系统内部异常!";
    pub const BAD_USER: &str = "用户信息有误!";
    pub const NO_PHONE: &str = "用户未绑定手机号,请手动拨打010-56469588!";
    pub const BAD_PARAMS: &str = "呼叫请求的参数有误,请联系管理员!";
    pub const CANCEL_FAILED: &str = "取消呼叫失败!";
    pub const NO_ACCOUNT: &str = "无通讯子账户,请联系管理员!";
}

/// How a simulated callee answers, by target id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Callee {
    /// Rings, answers and stays on the line (every directory terminal).
    Answers,
    /// Rings once and ends without answering (4 after 2).
    Busy,
    /// Rings for ever.
    NeverAnswers,
    /// Answers, then hangs up after this many steps connected.
    HangsUpAfter(u8),
    /// Refused: the calling account has no telephony sub-account.
    NoSubAccount,
}

impl Callee {
    /// The states it goes through, one a step; it stays on the last.
    fn course(self) -> Vec<CallState> {
        use CallState::*;
        match self {
            Self::Answers | Self::NoSubAccount => vec![Requesting, Ringing, Connected],
            Self::Busy => vec![Requesting, Ringing, Ended],
            Self::NeverAnswers => vec![Requesting, Ringing],
            Self::HangsUpAfter(n) => {
                let mut course = vec![Requesting, Ringing];
                course.extend(std::iter::repeat_n(Connected, usize::from(n.max(1))));
                course.push(Ended);
                course
            }
        }
    }
}

pub(crate) fn routes() -> Router<Sim> {
    Router::new()
        .route("/v1/app/call/{target}", get(call_user))
        .route("/v1/app/callService", get(call_service))
        .route("/v1/app/callCancel/{sid}", get(cancel))
        .route("/v1/app/callState/{sid}", get(state))
        // Unknown API paths answer JSON, not the app's index.html.
        .route(
            "/v1/{*rest}",
            any(|| async { Json(CallReply::<()>::error(404, "not found")) }),
        )
}

/// A call as the snapshot shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallInfo {
    pub call_sid: String,
    /// The called user; `None` for customer service.
    pub target: Option<u64>,
    /// 1 requesting, 2 ringing, 3 connected, 4 ended.
    pub state_type: u8,
}

#[derive(Debug)]
struct Call {
    sid: String,
    target: Option<u64>,
    callee: Callee,
    created: Instant,
    /// Steps taken by hand.
    advanced: u8,
    /// The state last reported: never goes back, even if `calls_manual`
    /// is switched on after time moved the call on.
    reached: CallState,
    cancelled: bool,
}

impl Call {
    fn state(&mut self, manual: bool) -> CallState {
        if self.cancelled {
            return CallState::Ended;
        }
        let by_time = if manual {
            0
        } else {
            self.created.elapsed().as_millis() / STEP.as_millis()
        };
        let course = self.callee.course();
        let step = (u128::from(self.advanced) + by_time).min(course.len() as u128 - 1) as usize;
        let now = course[step].clone();
        if now.code() > self.reached.code() {
            self.reached = now;
        }
        self.reached.clone()
    }
}

#[derive(Debug, Default)]
pub(crate) struct CallBook {
    calls: Vec<Call>,
    seq: u64,
}

impl CallBook {
    fn start(&mut self, target: Option<u64>, callee: Callee) -> String {
        self.seq += 1;
        let sid = ids::call_sid(self.seq);
        self.calls.push(Call {
            sid: sid.clone(),
            target,
            callee,
            created: Instant::now(),
            advanced: 0,
            reached: CallState::Requesting,
            cancelled: false,
        });
        sid
    }

    fn find(&mut self, sid: &str) -> Option<&mut Call> {
        self.calls.iter_mut().find(|c| c.sid == sid)
    }

    pub fn advance(&mut self, sid: &str, manual: bool) -> Option<u8> {
        let call = self.find(sid)?;
        if !call.cancelled {
            call.advanced = call.advanced.saturating_add(1);
        }
        call.state(manual).code()
    }

    pub fn list(&mut self, manual: bool) -> Vec<CallInfo> {
        self.calls
            .iter_mut()
            .map(|c| CallInfo {
                call_sid: c.sid.clone(),
                target: c.target,
                state_type: c
                    .state(manual)
                    .code()
                    .expect("the simulator only reaches the document's four states"),
            })
            .collect()
    }
}

type Params = Query<HashMap<String, String>>;

/// Checks the fault and the token, then runs `f` under the lock.
fn answer<T: Serialize>(
    sim: &Sim,
    query: &HashMap<String, String>,
    f: impl FnOnce(&mut CallBook, &crate::SimConfig, bool) -> CallReply<T>,
) -> Response {
    let cfg = sim.config();
    let reply = sim.with(|s| {
        if let Some(msg) = &s.faults.calls_error {
            return Err(CallReply::<()>::error(500, msg.clone()));
        }
        if query.get("access_token").map(String::as_str) != Some(cfg.call_token.as_str()) {
            return Err(CallReply::error(400, text::BAD_USER));
        }
        let manual = s.faults.calls_manual;
        Ok(f(&mut s.calls, cfg, manual))
    });
    match reply {
        Ok(r) => Json(r).into_response(),
        Err(e) => Json(e).into_response(),
    }
}

async fn call_user(
    State(sim): State<Sim>,
    Path(target): Path<String>,
    Query(q): Params,
) -> Response {
    answer(&sim, &q, |book, cfg, _| {
        let Ok(id) = target.trim().parse::<u64>() else {
            return CallReply::error(400, text::BAD_PARAMS);
        };
        let callee = cfg
            .call_callees
            .iter()
            .find(|(t, _)| *t == id)
            .map(|(_, c)| *c)
            .or_else(|| {
                cfg.terminals
                    .iter()
                    .any(|t| t.id == id)
                    .then_some(Callee::Answers)
            });
        match callee {
            _ if cfg.call_no_phone.contains(&id) => CallReply::error(400, text::NO_PHONE),
            Some(Callee::NoSubAccount) => CallReply::error(400, text::NO_ACCOUNT),
            Some(callee) => CallReply::ok(CallStarted {
                call_sid: book.start(Some(id), callee),
            }),
            None => CallReply::error(400, text::BAD_PARAMS),
        }
    })
}

async fn call_service(State(sim): State<Sim>, Query(q): Params) -> Response {
    answer(&sim, &q, |book, _, _| {
        CallReply::ok(CallStarted {
            call_sid: book.start(None, Callee::Answers),
        })
    })
}

async fn cancel(State(sim): State<Sim>, Path(sid): Path<String>, Query(q): Params) -> Response {
    answer(&sim, &q, |book, _, _| {
        match book.find(&sid).filter(|c| !c.cancelled) {
            Some(call) => {
                call.cancelled = true;
                CallReply::ok(CancelResult::success())
            }
            _ => CallReply::error(400, text::CANCEL_FAILED),
        }
    })
}

/// The document lists only the system error for callState, so an unknown
/// callSid gets that.
async fn state(State(sim): State<Sim>, Path(sid): Path<String>, Query(q): Params) -> Response {
    answer(&sim, &q, |book, _, manual| match book.find(&sid) {
        Some(call) => CallReply::ok(CallStatus {
            state_type: call.state(manual),
        }),
        None => CallReply::error(500, text::INTERNAL),
    })
}
