//! IVR voice menu (document 003): `POST /ivr` with form fields as
//! multipart/form-data, the only encoding the document names ("POST,form-data格式";
//! its PHP example posts an array, which curl sends as multipart). Any other
//! body is refused like a malformed one.
//!
//! The real service calls the number and later POSTs extension-status and
//! call-record callbacks to a server the deployment configures, never to the
//! browser. The simulator records each request with the callbacks it would
//! have sent, for tests and the demo's status page.

use crate::{clock, form, ids, relay, Sim};
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use proto::ivr::{
    CallRecord, ExtensionState, ExtensionStatus, IvrReply, IvrReplyData, KeyRoutes, PlayVoice,
    VoiceType, SERVICE,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The refusal of a number in `Faults::ivr_refused`.
pub const REFUSED_NUMBER: &str = "被叫号码无效";

pub(crate) fn routes() -> Router<Sim> {
    Router::new().route("/ivr", post(play_voice))
}

/// One request the IVR received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IvrRecord {
    /// UNIX seconds.
    pub received_at: u64,
    /// The form fields as sent (the token masked).
    pub fields: BTreeMap<String, String>,
    pub accepted: bool,
    /// The reply body sent.
    pub reply: Value,
    /// What the service would POST to the deployment's callback addresses:
    /// extension-status callbacks (ring, answer, hangup; only when `userid`
    /// routes a key press to an extension group) and the call record.
    pub callbacks: Vec<Callback>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Callback {
    /// `extension_status` or `call_record`.
    pub kind: String,
    pub body: Value,
}

async fn play_voice(State(sim): State<Sim>, req: Request) -> Response {
    let fields = if form::is_multipart(&req) {
        form::read_fields(req)
            .await
            .map_err(|_| "非法请求:无法解析表单数据".to_owned())
    } else {
        Err("非法请求:请求体应为multipart/form-data格式".to_owned())
    };
    let now = clock::unix_secs();
    let token = sim.config().ivr_token.clone();
    let reply = sim.with(|s| {
        let outcome = match (&s.faults.ivr_error, &fields) {
            (Some(msg), _) => Err((500, msg.clone())),
            (None, Err(e)) => Err((400, e.clone())),
            (None, Ok(f)) => validate(f, &token).and_then(|play| {
                if s.faults.ivr_refused.contains(&play.destnumber) {
                    Err((400, REFUSED_NUMBER.to_owned()))
                } else {
                    Ok(play)
                }
            }),
        };
        let (reply, callbacks) = match &outcome {
            Ok(play) => {
                let data = IvrReplyData {
                    status: 0,
                    desc: "播放命令发送成功".into(),
                    reqtime: now,
                    rsptime: now,
                };
                (IvrReply::ok(data), callbacks(play, now))
            }
            // The error format is undocumented: the success shape with status 1.
            Err((ret, msg)) => {
                let data = IvrReplyData {
                    status: 1,
                    desc: msg.clone(),
                    reqtime: now,
                    rsptime: now,
                };
                let reply = IvrReply {
                    ret: *ret,
                    data: Some(data),
                    msg: msg.clone(),
                };
                (reply, Vec::new())
            }
        };
        let mut shown = fields.clone().unwrap_or_default();
        if let Some(t) = shown.get_mut("token") {
            *t = "***".into();
        }
        let reply = serde_json::to_value(&reply).unwrap_or_default();
        s.ivr.push(IvrRecord {
            received_at: now,
            fields: shown,
            accepted: outcome.is_ok(),
            reply: reply.clone(),
            callbacks,
        });
        (reply, callbacks_of_last(s))
    });
    let (reply, callbacks) = reply;
    post_to_relay(&sim, callbacks);
    Json(reply).into_response()
}

fn callbacks_of_last(s: &crate::state::Inner) -> Vec<Callback> {
    s.ivr
        .last()
        .map(|r| r.callbacks.clone())
        .unwrap_or_default()
}

/// Posts the callbacks to the relay one after the other, after the reply,
/// as the real service would to the deployment's callback addresses.
fn post_to_relay(sim: &Sim, callbacks: Vec<Callback>) {
    if callbacks.is_empty() {
        return;
    }
    let relay = sim.relay().clone();
    tokio::spawn(async move {
        for cb in callbacks {
            tokio::time::sleep(relay::CALLBACK_GAP).await;
            let kind = match cb.kind.as_str() {
                "extension_status" => relay::EXTENSION_STATUS,
                _ => relay::CALL_RECORD,
            };
            relay.publish(kind, cb.body.to_string());
        }
    });
}

/// The document marks nothing required; service, token, destnumber,
/// voicetype and voicefile evidently are. The messages name the field, in
/// Chinese as the service would; `proto`'s reader then builds the request.
fn validate(f: &BTreeMap<String, String>, token: &str) -> Result<PlayVoice, (u64, String)> {
    let get = |k: &str| f.get(k).map(|v| v.trim()).filter(|v| !v.is_empty());
    let missing = |k: &str| (400, format!("非法请求:缺少必要参数{k}"));
    let invalid = |k: &str, why: &str| (400, format!("非法请求:参数{k}{why}"));
    let digits = |v: &str| v.bytes().all(|b| b.is_ascii_digit());

    let service = get("service").ok_or_else(|| missing("service"))?;
    if service != SERVICE {
        return Err(invalid("service", &format!("应为{SERVICE}")));
    }
    let t = get("token").ok_or_else(|| missing("token"))?;
    if t != token {
        return Err((400, "非法请求:token无效或已过期".to_owned()));
    }
    let dest = get("destnumber").ok_or_else(|| missing("destnumber"))?;
    if !digits(dest) {
        return Err(invalid("destnumber", "只能是数字"));
    }
    let voicetype = get("voicetype").ok_or_else(|| missing("voicetype"))?;
    if VoiceType::parse(voicetype).is_none() {
        return Err(invalid("voicetype", "只能是1(离线语音文件)或2(在线语音)"));
    }
    get("voicefile").ok_or_else(|| missing("voicefile"))?;
    if get("disnumber").is_some_and(|d| !digits(d)) {
        return Err(invalid("disnumber", "只能是数字"));
    }
    if get("userid").is_some_and(|u| u.parse::<KeyRoutes>().is_err()) {
        return Err(invalid("userid", "格式应为 按键@分机组,如1@extGroup-1"));
    }
    PlayVoice::from_form(f.iter().map(|(k, v)| (k.as_str(), v.trim())))
        .map_err(|e| (400, format!("非法请求:{}有误", e.field())))
}

/// The callbacks the real service would send for this accepted request:
/// extension status (ring, answer, hangup) when `userid` routes a key press
/// to an extension group, then the call record. Numbers are made up in the
/// document's style.
fn callbacks(play: &PlayVoice, now: u64) -> Vec<Callback> {
    let disnumber = play
        .disnumber
        .clone()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "2120280001".into());
    let uuid = ids::uuid();
    let ext = "20280003";
    let (answer, end) = (now + 13, now + 23);
    let mut out = Vec::new();
    if play.userid.is_some() {
        let buuid = ids::uuid();
        let states = [
            (ExtensionState::Ring, now + 15),
            (ExtensionState::Answer, now + 17),
            (ExtensionState::Hangup, end),
        ];
        for (status, starttime) in states {
            let body = ExtensionStatus {
                buuid: buuid.clone(),
                callee: play.destnumber.clone(),
                caller: ext.into(),
                companycode: "2028".into(),
                direction: "callout".into(),
                disnumber: disnumber.clone(),
                extnumber: ext.into(),
                isbleg: true,
                method: 3,
                starttime,
                status,
                uuid: uuid.clone(),
                ip: "127.0.0.1".into(),
            };
            out.push(Callback {
                kind: "extension_status".into(),
                body: serde_json::to_value(body).unwrap_or_default(),
            });
        }
    }
    let record = CallRecord {
        answertime: clock::china_time(answer),
        hangupcause: 10001,
        duration: 13,
        id: 220739,
        extnumber: if play.userid.is_some() {
            ext.into()
        } else {
            String::new()
        },
        uuid: uuid.clone(),
        downloadip: "127.0.0.1".into(),
        customuuid: play.customuuid.clone().unwrap_or_default(),
        chengshudu: play.chengshudu.clone().unwrap_or_else(|| "0".into()),
        callmethod: 6,
        recordfilename: format!("{uuid}.mp3"),
        companycode: 2028,
        memberid: "0".into(),
        hangupdirection: 10040,
        billsec: 10,
        endtime: clock::china_time(end),
        starttime: clock::china_time(now),
        call_type: "callout".into(),
        disnumber,
        crmid: "0".into(),
        userkey: play
            .userid
            .as_ref()
            .and_then(|r| r.0.first())
            .map(|r| r.key.to_string())
            .unwrap_or_default(),
        destnumber: play.destnumber.clone(),
    };
    out.push(Callback {
        kind: "call_record".into(),
        body: serde_json::to_value(record).unwrap_or_default(),
    });
    out
}
