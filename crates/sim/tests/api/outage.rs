//! Timed outages per back end (`POST /_sim/outage`).

use crate::client::ws::{connect, login, recv, recv_within, send};
use crate::client::{get, request, set_outage, start_default};
use serde_json::json;
use sim::{Backend, Outage};
use std::time::{Duration, Instant};

const CALL: &str = "/v1/app/callService?access_token=demo-token";
const CHECK_JOIN: &str = "/api/v3/meet/checkJoin.shtml";

#[tokio::test]
async fn html_error_pages_for_a_while_then_json_again() {
    let (addr, sim) = start_default().await;
    let html = Outage::HtmlError { status: 502 };
    assert_eq!(
        set_outage(addr, Backend::Calls, Some(html.clone()), Some(400))
            .await
            .status,
        200
    );
    let r = get(addr, CALL).await;
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert_eq!(r.text(), "<html>502 Bad Gateway</html>");
    assert_eq!(sim.snapshot().outages.get(&Backend::Calls), Some(&html));
    // Only that back end: the meeting still answers JSON.
    let r = request(addr, "POST", CHECK_JOIN, &[], b"").await;
    assert_ne!(r.status, 502);
    assert!(r.header("content-type").unwrap().contains("json"));
    // Over by itself.
    tokio::time::sleep(Duration::from_millis(450)).await;
    let r = get(addr, CALL).await;
    assert_eq!(
        (r.status, r.json()["returnCode"].as_i64()),
        (200, Some(200))
    );
    assert!(sim.snapshot().outages.is_empty());

    // 503 on the meeting until cleared.
    let down = Outage::HtmlError { status: 503 };
    set_outage(addr, Backend::Meeting, Some(down), None).await;
    let r = request(addr, "POST", CHECK_JOIN, &[], b"").await;
    assert_eq!(
        (r.status, r.text().as_str()),
        (503, "<html>503 Service Unavailable</html>")
    );
    set_outage(addr, Backend::Meeting, None, None).await;
    assert_ne!(
        request(addr, "POST", CHECK_JOIN, &[], b"").await.status,
        503
    );
}

#[tokio::test]
async fn slow_replies_come_late() {
    let (addr, _sim) = start_default().await;
    set_outage(
        addr,
        Backend::Calls,
        Some(Outage::Slow { delay_ms: 400 }),
        None,
    )
    .await;
    let started = Instant::now();
    let r = get(addr, CALL).await;
    assert!(
        started.elapsed() >= Duration::from_millis(400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(r.json()["returnCode"], 200);
}

#[tokio::test]
async fn hung_requests_wait_until_the_outage_ends() {
    let (addr, sim) = start_default().await;
    set_outage(addr, Backend::Ivr, Some(Outage::Hang), None).await;
    let held = tokio::spawn(async move { request(addr, "POST", "/ivr", &[], b"").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!held.is_finished(), "a hung request was answered");
    // The other back ends answer meanwhile.
    assert_eq!(get(addr, CALL).await.status, 200);
    set_outage(addr, Backend::Ivr, None, None).await;
    let r = tokio::time::timeout(Duration::from_secs(2), held)
        .await
        .expect("answered once cleared")
        .unwrap();
    assert_eq!(r.json()["ret"], 400);

    // Reset ends it too; a timed one ends by itself.
    set_outage(addr, Backend::Calls, Some(Outage::Hang), None).await;
    let held = tokio::spawn(async move { get(addr, CALL).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!held.is_finished());
    sim.reset();
    assert_eq!(held.await.unwrap().status, 200);
    // The hang ends 300 ms after it is set, so the clock starts before it
    // is set: started after, it could read less than 300 ms.
    let started = Instant::now();
    set_outage(addr, Backend::Calls, Some(Outage::Hang), Some(300)).await;
    assert_eq!(get(addr, CALL).await.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn the_voice_plugin_falls_silent_after_login() {
    let (addr, _sim) = start_default().await;
    assert_eq!(
        set_outage(addr, Backend::Voice, Some(Outage::SilentAfterLogin), None)
            .await
            .status,
        200
    );
    // Logging in still works...
    let mut ws = login(addr, "zydd", "123456").await;
    // ...then nothing is answered.
    send(&mut ws, json!({"type":"releaseMic"})).await;
    assert_eq!(recv_within(&mut ws, Duration::from_millis(300)).await, None);
    // A socket not logged in is still answered.
    let mut fresh = connect(addr).await;
    send(&mut fresh, json!({"type":"releaseMic"})).await;
    assert_eq!(recv(&mut fresh).await.unwrap()["message"], "未登录");
    set_outage(addr, Backend::Voice, None, None).await;
    send(&mut ws, json!({"type":"releaseMic"})).await;
    assert_eq!(recv(&mut ws).await.unwrap()["code"], 1);
}

#[tokio::test]
async fn an_outage_the_back_end_cannot_have_is_refused() {
    let (addr, sim) = start_default().await;
    for (backend, outage) in [
        (Backend::Voice, Outage::Hang),
        (Backend::Calls, Outage::SilentAfterLogin),
        (Backend::Ivr, Outage::HtmlError { status: 200 }),
    ] {
        let r = set_outage(addr, backend, Some(outage), None).await;
        assert_eq!(r.status, 400);
        assert!(r.json()["error"].is_string());
    }
    assert!(sim.snapshot().outages.is_empty());
}
