//! The voice plugin's scripted behaviour, steered from `/_sim/voice/`:
//! members hanging up and ringing out, a restart that forgets sessions,
//! several sessions per dispatcher, the floor kept per session.

use crate::client::start_default;
use crate::client::voice_script::{member_hang_up, no_answer, restart, ring_out, several_sessions};
use crate::client::ws::{login, recv, send};
use serde_json::{json, Value};

/// Messages until one with `cmd` comes; returns it.
async fn until_cmd(ws: &mut crate::client::ws::Ws, cmd: &str) -> Value {
    loop {
        let m = recv(ws).await.unwrap_or_else(|| panic!("no {cmd}"));
        if m["cmd"] == cmd {
            return m;
        }
    }
}

#[tokio::test]
async fn members_hang_up_and_ring_out_on_command_and_the_call_goes_on() {
    let (addr, sim) = start_default().await;
    let mut ws = login(addr, "zydd", "123456").await;
    no_answer(addr, 169919, true).await;
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169918,169919],"transaction":1}),
    )
    .await;
    let update = until_cmd(&mut ws, "tempCallMemberUpdate").await;
    assert_eq!(
        update["data"]["members"][2]["callState"], 3,
        "still ringing"
    );

    assert!(ring_out(addr, 169919).await);
    let note = until_cmd(&mut ws, "tempCallHangup").await;
    assert_eq!(note["data"]["fromId"], 169919);
    assert_eq!(note["data"]["hangupReason"]["message"], "无人接听");

    assert!(member_hang_up(addr, 169918, "对方挂断").await);
    let note = until_cmd(&mut ws, "tempCallHangup").await;
    assert_eq!(note["data"]["fromId"], 169918);
    let states: Vec<i64> = sim.snapshot().voice_sessions[0]
        .members
        .iter()
        .map(|m| m.call_state)
        .collect();
    assert_eq!(states, [4, 0, 0], "the session stays, its members idle");
    assert!(!member_hang_up(addr, 169918, "").await, "already idle");
}

#[tokio::test]
async fn a_restart_closes_the_sockets_and_forgets_the_sessions() {
    let (addr, sim) = start_default().await;
    let mut ws = login(addr, "zydd", "123456").await;
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169918],"transaction":1}),
    )
    .await;
    let created = recv(&mut ws).await.unwrap();
    let sid = created["sessionId"].as_str().unwrap().to_owned();
    restart(addr).await;
    // The notifications already sent, then the close.
    while recv(&mut ws).await.is_some() {}
    assert!(sim.snapshot().voice_sessions.is_empty());

    let mut ws = login(addr, "zydd", "123456").await;
    send(&mut ws, json!({"type":"tempCallHangup","sessionId":sid})).await;
    let reply = recv(&mut ws).await.unwrap();
    assert_eq!(reply["data"]["result"]["code"], -1);
    assert_eq!(reply["data"]["result"]["message"], "会话不存在");
}

#[tokio::test]
async fn with_several_sessions_allowed_each_keeps_its_own_floor() {
    let (addr, sim) = start_default().await;
    let mut ws = login(addr, "zydd", "123456").await;
    several_sessions(addr, true).await;
    let mut sids = Vec::new();
    for (to, transaction) in [(169918, 1), (169919, 2)] {
        send(
            &mut ws,
            json!({"type":"requestMic","toIds":[to],"transaction":transaction}),
        )
        .await;
        let created = recv(&mut ws).await.unwrap();
        assert_eq!(created["code"], 1, "{created}");
        sids.push(created["sessionId"].as_str().unwrap().to_owned());
        send(&mut ws, json!({"type":"releaseMic"})).await;
        until_cmd(&mut ws, "memberLostMic").await;
    }
    assert_ne!(sids[0], sids[1]);
    // The floor in the second only.
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169919],"sessionId":sids[1],"transaction":3}),
    )
    .await;
    assert_eq!(recv(&mut ws).await.unwrap()["code"], 2);
    let floors: Vec<(String, Option<u64>)> = sim
        .snapshot()
        .voice_sessions
        .into_iter()
        .map(|s| (s.session_id, s.floor))
        .collect();
    assert_eq!(
        floors,
        [(sids[0].clone(), None), (sids[1].clone(), Some(169905))]
    );
    // Its socket gone, the dispatcher's floor is released.
    drop(ws);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while sim
        .snapshot()
        .voice_sessions
        .iter()
        .any(|s| s.floor.is_some())
    {
        assert!(std::time::Instant::now() < deadline, "the floor stays held");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    // Switched off, a requestMic without a session asks for the floor of
    // the newest session again (document 000, 2.3).
    several_sessions(addr, false).await;
    let mut ws = login(addr, "zydd", "123456").await;
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169920],"transaction":4}),
    )
    .await;
    let r = recv(&mut ws).await.unwrap();
    assert_eq!(
        (
            r["type"].as_str(),
            r["code"].as_i64(),
            r["sessionId"].as_str()
        ),
        (Some("requestMic"), Some(2), Some(sids[1].as_str())),
        "{r}"
    );
}
