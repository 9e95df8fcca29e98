//! Click-to-call (document 001).

use crate::client::{get, request, start_default};
use proto::call::{decode_reply, CallStarted, CallState, CallStatus};
use serde_json::json;
use sim::Faults;
use std::time::Duration;

#[tokio::test]
async fn a_call_moves_on_by_hand_and_ends_when_cancelled() {
    let (addr, sim) = start_default().await;
    sim.set_faults(Faults {
        calls_manual: true,
        ..Default::default()
    });
    let r = get(addr, "/v1/app/call/169918?access_token=demo-token").await;
    assert_eq!(r.status, 200);
    // Exactly the documented shape, without the examples' stray brace.
    let body = r.text();
    assert!(body.starts_with(r#"{"data":{"callSid":""#), "{body}");
    assert!(
        body.ends_with(r#""},"returnCode":200,"returnMsg":"success"}"#),
        "{body}"
    );
    let sid = decode_reply(&body, CallStarted::decode)
        .unwrap()
        .into_result()
        .unwrap()
        .call_sid;
    assert_eq!(sid.len(), 32);

    let state = |sid: String| async move {
        let r = get(
            addr,
            &format!("/v1/app/callState/{sid}?access_token=demo-token"),
        )
        .await;
        assert_eq!(
            r.json()["data"]["stateType"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_default()
                .len(),
            1,
            "{}",
            r.text()
        );
        decode_reply(&r.text(), CallStatus::decode)
            .unwrap()
            .into_result()
            .unwrap()
            .state_type
    };
    assert_eq!(state(sid.clone()).await, CallState::Requesting);
    assert_eq!(sim.advance_call(&sid), Some(2));
    assert_eq!(state(sid.clone()).await, CallState::Ringing);
    let r = request(
        addr,
        "POST",
        &format!("/_sim/calls/{sid}/advance"),
        &[],
        b"",
    )
    .await;
    assert_eq!(r.json()["stateType"], "3");
    assert_eq!(state(sid.clone()).await, CallState::Connected);

    let r = get(
        addr,
        &format!("/v1/app/callCancel/{sid}?access_token=demo-token"),
    )
    .await;
    assert_eq!(
        r.json(),
        json!({"data":{"isSuccess":"success"},"returnCode":200,"returnMsg":"success"})
    );
    assert_eq!(state(sid.clone()).await, CallState::Ended);
    let r = get(
        addr,
        &format!("/v1/app/callCancel/{sid}?access_token=demo-token"),
    )
    .await;
    assert_eq!(
        r.json(),
        json!({"returnCode":400,"returnMsg":"取消呼叫失败!"})
    );
    assert_eq!(sim.snapshot().calls[0].state_type, 4);
}

#[tokio::test]
async fn a_call_moves_on_by_itself() {
    let (addr, _sim) = start_default().await;
    let r = get(addr, "/v1/app/callService?access_token=demo-token").await;
    let sid = r.json()["data"]["callSid"].as_str().unwrap().to_owned();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = get(
        addr,
        &format!("/v1/app/callState/{sid}?access_token=demo-token"),
    )
    .await;
    assert_eq!(r.json()["data"]["stateType"], "2");
}

#[tokio::test]
async fn errors_carry_the_documents_messages() {
    let (addr, sim) = start_default().await;
    let cases = [
        (
            "/v1/app/call/169918?access_token=wrong",
            400,
            "用户信息有误!",
        ),
        ("/v1/app/call/169918", 400, "用户信息有误!"),
        (
            "/v1/app/call/424242?access_token=demo-token",
            400,
            "呼叫请求的参数有误,请联系管理员!",
        ),
        (
            "/v1/app/call/abc?access_token=demo-token",
            400,
            "呼叫请求的参数有误,请联系管理员!",
        ),
        (
            "/v1/app/call/169999?access_token=demo-token",
            400,
            "用户未绑定手机号,请手动拨打010-56469588!",
        ),
        (
            "/v1/app/callState/0000?access_token=demo-token",
            500,
            "系统内部异常!",
        ),
        (
            "/v1/app/callCancel/0000?access_token=demo-token",
            400,
            "取消呼叫失败!",
        ),
    ];
    for (path, code, msg) in cases {
        let r = get(addr, path).await;
        assert_eq!(
            r.json(),
            json!({"returnCode": code, "returnMsg": msg}),
            "{path}"
        );
    }
    sim.set_faults(Faults {
        calls_error: Some("系统内部异常!".into()),
        ..Default::default()
    });
    let r = get(addr, "/v1/app/callService?access_token=demo-token").await;
    assert_eq!(
        r.json(),
        json!({"returnCode":500,"returnMsg":"系统内部异常!"})
    );
    let r = get(addr, "/v1/app/nothing").await;
    assert_eq!(r.json()["returnCode"], 404);
}

/// Polls the call state with the hand until `want`, or fails.
async fn state_of(addr: std::net::SocketAddr, sid: &str) -> CallState {
    let r = get(
        addr,
        &format!("/v1/app/callState/{sid}?access_token=demo-token"),
    )
    .await;
    decode_reply(&r.text(), CallStatus::decode)
        .unwrap()
        .into_result()
        .unwrap()
        .state_type
}

#[tokio::test]
async fn targets_answer_busy_never_answer_hang_up_or_are_refused() {
    let (addr, sim) = start_default().await;
    sim.set_faults(Faults {
        calls_manual: true,
        ..Default::default()
    });
    let place = |target: u64| async move {
        let r = get(
            addr,
            &format!("/v1/app/call/{target}?access_token=demo-token"),
        )
        .await;
        decode_reply(&r.text(), CallStarted::decode)
            .unwrap()
            .into_result()
    };
    let course = |sid: String, steps: usize| {
        let sim = sim.clone();
        async move {
            let mut seen = vec![state_of(addr, &sid).await];
            for _ in 0..steps {
                sim.advance_call(&sid);
                seen.push(state_of(addr, &sid).await);
            }
            seen
        }
    };
    use CallState::*;
    let busy = place(169930).await.unwrap().call_sid;
    assert_eq!(course(busy, 3).await, [Requesting, Ringing, Ended, Ended]);
    let never = place(169931).await.unwrap().call_sid;
    assert_eq!(
        course(never, 3).await,
        [Requesting, Ringing, Ringing, Ringing]
    );
    let hangs_up = place(169932).await.unwrap().call_sid;
    assert_eq!(
        course(hangs_up, 6).await,
        [Requesting, Ringing, Connected, Connected, Connected, Ended, Ended]
    );
    let refused = place(169933).await.unwrap_err();
    assert_eq!(refused.message, "无通讯子账户,请联系管理员!");
    let answers = place(169918).await.unwrap().call_sid;
    assert_eq!(
        course(answers, 3).await,
        [Requesting, Ringing, Connected, Connected]
    );
}
