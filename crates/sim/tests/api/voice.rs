//! The voice plugin WebSocket (document 000).

use crate::client::ws::{self, connect, login, recv, recv_within, send, send_raw};
use crate::client::{get, post_json, start_default};
use futures_util::SinkExt;
use proto::voice::VoiceMessage;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const JS_SAFE_MAX: u64 = (1 << 53) - 1;

fn init() -> Value {
    json!({"type":"initServer","data":{"baseUrl":"http://127.0.0.1:8080"}})
}

fn connect_msg(account: &str, password: &str) -> Value {
    json!({"type":"connect","data":{"account":account,"password":password}})
}

#[tokio::test]
async fn a_wrong_password_is_refused_with_the_message() {
    let (addr, sim) = start_default().await;
    let mut ws = connect(addr).await;
    send(&mut ws, init()).await;
    let r = recv(&mut ws).await.unwrap();
    assert_eq!(
        r,
        json!({"type":"initServer","code":1,"message":"服务器地址初始化成功"})
    );
    send(&mut ws, connect_msg("zydd", "nope")).await;
    let r = recv(&mut ws).await.unwrap();
    assert_eq!(
        r,
        json!({"type":"login","code":0,"message":"账号或密码错误"})
    );
    send(&mut ws, connect_msg("nobody", "123456")).await;
    assert_eq!(recv(&mut ws).await.unwrap()["message"], "账号或密码错误");
    assert!(sim.snapshot().voice_accounts.is_empty());
}

#[tokio::test]
async fn connect_before_init_server_is_refused() {
    let (addr, _sim) = start_default().await;
    let mut ws = connect(addr).await;
    send(&mut ws, connect_msg("zydd", "123456")).await;
    let r = recv(&mut ws).await.unwrap();
    assert_eq!(
        r,
        json!({"type":"login","code":0,"message":"请先初始化服务器地址"})
    );
    // A base URL without http(s) is refused and does not count as initialized.
    send(
        &mut ws,
        json!({"type":"initServer","data":{"baseUrl":"10.0.0.1:8080"}}),
    )
    .await;
    let r = recv(&mut ws).await.unwrap();
    assert_eq!(
        (r["type"].as_str(), r["code"].as_i64()),
        (Some("initServer"), Some(0))
    );
    send(&mut ws, connect_msg("zydd", "123456")).await;
    assert_eq!(
        recv(&mut ws).await.unwrap()["message"],
        "请先初始化服务器地址"
    );
}

#[tokio::test]
async fn requests_before_login_are_answered_not_logged_in() {
    let (addr, _sim) = start_default().await;
    let mut ws = connect(addr).await;
    send(&mut ws, json!({"type":"releaseMic"})).await;
    assert_eq!(
        recv(&mut ws).await.unwrap(),
        json!({"type":"releaseMic","code":0,"message":"未登录"})
    );
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169918],"transaction":1}),
    )
    .await;
    let r = recv(&mut ws).await.unwrap();
    assert_eq!(
        (
            r["type"].as_str(),
            r["code"].as_i64(),
            r["message"].as_str()
        ),
        (Some("requestMic"), Some(0), Some("未登录"))
    );
}

#[tokio::test]
async fn login_session_floor_and_logout() {
    let (addr, sim) = start_default().await;
    let mut ws = login(addr, "zydd", "123456").await;
    assert_eq!(sim.snapshot().voice_accounts, ["zydd"]);

    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169918,169919],"transaction":1671006883842u64}),
    )
    .await;
    let created = recv(&mut ws).await.unwrap();
    assert_eq!(created["type"], "createGroup");
    assert_eq!(created["code"], 1);
    assert_eq!(created["transaction"], 1671006883842u64);
    let sid = created["sessionId"]
        .as_str()
        .expect("sessionId is a string")
        .to_owned();
    let sid_n: u64 = sid.parse().unwrap();
    assert!(sid_n > JS_SAFE_MAX, "{sid}");

    let mut notes = Vec::new();
    for _ in 0..6 {
        notes.push(recv(&mut ws).await.unwrap());
    }
    let cmds: Vec<&str> = notes
        .iter()
        .map(|n| n["cmd"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(
        cmds,
        [
            "tempCallRing",
            "tempCallRing",
            "tempCallAnswer",
            "tempCallAnswer",
            "tempCallMemberUpdate",
            "memberGetMic"
        ]
    );
    assert_eq!(notes[0]["data"]["fromId"], 169918);
    assert_eq!(notes[0]["message"], "用户正在响铃");
    assert_eq!(notes[0]["data"]["tempCallIdStr"], sid.as_str());
    // The numeric copy is rounded the way a JavaScript server rounds it.
    assert_ne!(notes[0]["data"]["tempCallId"].as_u64(), Some(sid_n));
    let members = notes[4]["data"]["members"].as_array().unwrap();
    assert_eq!(members.len(), 3);
    assert_eq!(
        members[0],
        json!({"memberId":169905,"memberName":"zydd","callState":4})
    );
    assert_eq!(notes[5]["data"]["memberId"], 169905);
    assert_eq!(notes[5]["data"]["groupIdStr"], sid.as_str());
    // Everything decodes with the console's own decoder.
    for n in &notes {
        VoiceMessage::decode(&n.to_string()).unwrap_or_else(|e| panic!("{e}: {n}"));
    }

    send(&mut ws, json!({"type":"releaseMic"})).await;
    assert_eq!(
        recv(&mut ws).await.unwrap(),
        json!({"type":"releaseMic","code":1,"message":"麦克风关闭成功"})
    );
    assert_eq!(recv(&mut ws).await.unwrap()["cmd"], "memberLostMic");

    send(
        &mut ws,
        json!({"type":"requestMic","sessionId":sid,"transaction":7}),
    )
    .await;
    let r = recv(&mut ws).await.unwrap();
    assert_eq!(
        (
            r["type"].as_str(),
            r["code"].as_i64(),
            r["message"].as_str()
        ),
        (Some("requestMic"), Some(2), Some("麦克风打开成功"))
    );
    assert_eq!(recv(&mut ws).await.unwrap()["cmd"], "memberGetMic");

    send(
        &mut ws,
        json!({"type":"requestMic","sessionId":"12345","transaction":8}),
    )
    .await;
    assert_eq!(recv(&mut ws).await.unwrap()["code"], 0);

    let state = sim.snapshot();
    assert_eq!(state.voice_sessions.len(), 1);
    assert_eq!(state.voice_sessions[0].session_id, sid);
    assert_eq!(state.voice_sessions[0].floor, Some(169905));

    send(&mut ws, json!({"type":"loginOut"})).await;
    assert_eq!(
        recv(&mut ws).await.unwrap(),
        json!({"type":"logoutResp","code":1,"message":"登录注销成功"})
    );
    assert!(sim.snapshot().voice_accounts.is_empty());
    send(&mut ws, json!({"type":"releaseMic"})).await;
    assert_eq!(recv(&mut ws).await.unwrap()["message"], "未登录");
}

#[tokio::test]
async fn garbage_is_ignored_and_counted_and_audio_is_counted() {
    let (addr, sim) = start_default().await;
    let mut ws = login(addr, "zydd", "123456").await;
    send_raw(&mut ws, "{not json").await;
    send_raw(&mut ws, r#"{"type":"teleport"}"#).await;
    ws.send(Message::Binary(vec![1u8, 2, 3].into()))
        .await
        .unwrap();
    ws.send(Message::Binary(vec![4u8; 320].into()))
        .await
        .unwrap();
    assert_eq!(recv_within(&mut ws, Duration::from_millis(300)).await, None);
    // The socket still works.
    send(&mut ws, json!({"type":"releaseMic"})).await;
    assert_eq!(recv(&mut ws).await.unwrap()["code"], 1);
    let s = sim.snapshot();
    assert_eq!((s.voice_rejected, s.voice_audio_frames), (2, 2));
}

#[tokio::test]
async fn terminals_talk_on_command_and_sockets_drop_on_command() {
    let (addr, sim) = start_default().await;
    let mut ws = login(addr, "zydd", "123456").await;
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169920],"transaction":1}),
    )
    .await;
    for _ in 0..5 {
        recv(&mut ws).await.unwrap();
    }
    send(&mut ws, json!({"type":"releaseMic"})).await;
    recv(&mut ws).await.unwrap();
    recv(&mut ws).await.unwrap();

    let r = post_json(
        addr,
        "/_sim/voice/talk",
        &[],
        &json!({"terminalId":169920,"on":true}),
    )
    .await;
    assert_eq!(r.json()["changed"], true);
    let n = recv(&mut ws).await.unwrap();
    assert_eq!(
        (n["cmd"].as_str(), n["data"]["memberId"].as_u64()),
        (Some("memberGetMic"), Some(169920))
    );
    assert_eq!(n["data"]["memberName"], "ptcs13");
    assert!(sim.terminal_talk(169920, false));
    assert_eq!(recv(&mut ws).await.unwrap()["cmd"], "memberLostMic");

    assert_eq!(sim.snapshot().voice_sockets, 1);
    let r = post_json(addr, "/_sim/voice/drop", &[], &json!({})).await;
    assert_eq!(r.status, 200);
    assert_eq!(recv(&mut ws).await, None);
    for _ in 0..50 {
        if sim.snapshot().voice_sockets == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let s = sim.snapshot();
    assert_eq!(s.voice_sockets, 0);
    assert!(s.voice_accounts.is_empty());
    // The session outlives the socket: a reconnected console can go on.
    assert_eq!(s.voice_sessions.len(), 1);
    let _ = get(addr, "/_sim/state").await;
}

#[tokio::test]
async fn refused_connections_while_the_fault_is_set() {
    let (addr, sim) = start_default().await;
    sim.set_faults(sim::Faults {
        voice_refuse_connections: true,
        ..Default::default()
    });
    let Err(err) = tokio_tungstenite::connect_async(format!("ws://{addr}/voice")).await else {
        panic!("the upgrade should be refused");
    };
    match err {
        tokio_tungstenite::tungstenite::Error::Http(resp) => assert_eq!(resp.status(), 503),
        other => panic!("unexpected {other}"),
    }
    sim.set_faults(sim::Faults::default());
    let _ws: ws::Ws = login(addr, "ddy2", "654321").await;
}

/// Logs in and starts a group call with ptcs11; returns the socket (all
/// notifications read) and the session id.
async fn with_session(addr: std::net::SocketAddr) -> (ws::Ws, String) {
    let mut ws = login(addr, "zydd", "123456").await;
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169918],"transaction":1}),
    )
    .await;
    let created = recv(&mut ws).await.unwrap();
    assert_eq!(created["code"], 1, "{created}");
    let sid = created["sessionId"].as_str().unwrap().to_owned();
    // ring, answer, member update, memberGetMic
    for _ in 0..4 {
        recv(&mut ws).await.unwrap();
    }
    (ws, sid)
}

/// Document 000 types every `sessionId` of a request as a string
/// ("sessionId	{}	string	必须	会话 id"): a number is refused in the
/// request's own reply, and nothing changes.
#[tokio::test]
async fn a_numeric_session_id_is_refused() {
    let (addr, sim) = start_default().await;
    let (mut ws, sid) = with_session(addr).await;
    send(&mut ws, json!({"type":"releaseMic"})).await;
    recv(&mut ws).await.unwrap();
    recv(&mut ws).await.unwrap();
    // Small enough to be exact as a number: only the type is wrong.
    let n: u64 = 4_503_599_627_370_496;
    let requests = [
        json!({"type":"requestMic","sessionId":n,"transaction":2}),
        json!({"type":"addGroupMember","sessionId":n,"data":{"groupId":n.to_string(),"members":[{"id":169919}]}}),
        json!({"type":"kickGroupMember","sessionId":n,"data":{"groupId":n.to_string(),"ids":[169918]}}),
        json!({"type":"tempCallHangup","sessionId":n}),
    ];
    let mut replies = Vec::new();
    for r in requests {
        send(&mut ws, r).await;
        replies.push(recv(&mut ws).await.unwrap());
    }
    let r = &replies[0];
    assert_eq!(
        (r["type"].as_str(), r["code"].as_i64()),
        (Some("requestMic"), Some(0)),
        "{r}"
    );
    assert!(r["message"].as_str().unwrap().contains("sessionId"), "{r}");
    let r = &replies[1];
    assert_eq!(
        (r["type"].as_str(), r["cmd"].as_str()),
        (Some("audioResp"), Some("addGroupMember"))
    );
    assert_eq!(r["data"]["results"][0]["code"], 1, "{r}");
    assert!(r["data"]["results"][0]["message"]
        .as_str()
        .unwrap()
        .contains("sessionId"));
    assert_eq!(replies[2]["cmd"], "kickGroupMember");
    assert_eq!(replies[2]["data"]["result"]["code"], -1, "{}", replies[2]);
    assert_eq!(replies[3]["cmd"], "tempCallHangup");
    assert_eq!(replies[3]["data"]["result"]["code"], -1, "{}", replies[3]);
    for r in &replies {
        VoiceMessage::decode(&r.to_string()).unwrap_or_else(|e| panic!("{e}: {r}"));
    }
    assert_eq!(recv_within(&mut ws, Duration::from_millis(200)).await, None);
    let s = sim.snapshot();
    assert_eq!(s.voice_rejected, 4);
    assert_eq!(s.voice_sessions.len(), 1);
    assert_eq!(s.voice_sessions[0].members.len(), 2);
    assert_eq!(s.voice_sessions[0].floor, None);
    // The same requests with the id as a string work.
    send(&mut ws, json!({"type":"tempCallHangup","sessionId":sid})).await;
    assert_eq!(recv(&mut ws).await.unwrap()["data"]["result"]["code"], 0);
}

/// addGroupMember and kickGroupMember: "groupId	data	string	必须	会话 id".
#[tokio::test]
async fn a_missing_or_numeric_group_id_is_refused() {
    let (addr, sim) = start_default().await;
    let (mut ws, sid) = with_session(addr).await;
    let n: u64 = sid.parse().unwrap();
    let requests = [
        json!({"type":"addGroupMember","sessionId":sid,"data":{"members":[{"id":169919}]}}),
        json!({"type":"addGroupMember","sessionId":sid,"data":{"groupId":n,"members":[{"id":169919}]}}),
        json!({"type":"kickGroupMember","sessionId":sid,"data":{"ids":[169918]}}),
    ];
    let mut replies = Vec::new();
    for r in requests {
        send(&mut ws, r).await;
        replies.push(recv(&mut ws).await.unwrap());
    }
    assert!(replies[0]["data"]["results"][0]["message"]
        .as_str()
        .unwrap()
        .contains("缺少data.groupId"));
    assert_eq!(replies[0]["data"]["groupIdStr"], sid.as_str());
    assert!(replies[1]["data"]["results"][0]["message"]
        .as_str()
        .unwrap()
        .contains("data.groupId应为字符串"));
    assert_eq!(replies[2]["data"]["result"]["code"], -1);
    assert!(replies[2]["data"]["result"]["message"]
        .as_str()
        .unwrap()
        .contains("groupId"));
    assert_eq!(recv_within(&mut ws, Duration::from_millis(200)).await, None);
    let s = sim.snapshot();
    assert_eq!(
        (s.voice_rejected, s.voice_sessions[0].members.len()),
        (3, 2)
    );
}

/// "如果当前存在会话，则只请求话语权" (2.3): while the dispatcher has a
/// session, a requestMic without its id asks for that session's floor and
/// is answered as a requestMic naming the session; no second one is made.
#[tokio::test]
async fn a_second_create_group_asks_for_the_floor_of_the_session_there_is() {
    let (addr, sim) = start_default().await;
    let (mut ws, sid) = with_session(addr).await;
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169919],"transaction":2}),
    )
    .await;
    let r = recv(&mut ws).await.unwrap();
    assert_eq!(
        (
            r["type"].as_str(),
            r["code"].as_i64(),
            r["transaction"].as_u64(),
            r["sessionId"].as_str()
        ),
        (Some("requestMic"), Some(2), Some(2), Some(sid.as_str())),
        "{r}"
    );
    let note = recv(&mut ws).await.unwrap();
    assert_eq!(
        (note["cmd"].as_str(), note["data"]["groupIdStr"].as_str()),
        (Some("memberGetMic"), Some(sid.as_str())),
        "{note}"
    );
    assert_eq!(sim.snapshot().voice_sessions.len(), 1);
    // Another dispatcher may still start its own.
    let mut other = login(addr, "ddy2", "654321").await;
    send(
        &mut other,
        json!({"type":"requestMic","toIds":[169920],"transaction":3}),
    )
    .await;
    assert_eq!(recv(&mut other).await.unwrap()["code"], 1);
    // Once hung up, a new session can be created.
    send(&mut ws, json!({"type":"tempCallHangup","sessionId":sid})).await;
    recv(&mut ws).await.unwrap();
    recv(&mut ws).await.unwrap();
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169919],"transaction":4}),
    )
    .await;
    assert_eq!(recv(&mut ws).await.unwrap()["code"], 1);
}
