//! Phone calls (document 001) in a real browser against the simulator:
//! a call to a terminal through its states, cancelling it, the server's own
//! refusal, customer service, and the access token kept out of the journal;
//! one call for a double click, a live call through an outage, and the
//! history across a reload and as CSV.

use e2e::Harness;
use sim::{Backend, Faults, Outage};
use std::time::Duration;

const LIGHT: &str = "#calls-light";
const NO_PHONE: &str = "用户未绑定手机号,请手动拨打010-56469588!";

/// Opens the console with calls frozen in their state until advanced.
async fn start_manual() -> Harness {
    let h = Harness::start(None).await;
    h.sim.set_faults(Faults {
        calls_manual: true,
        ..Default::default()
    });
    h.open("/").await;
    h
}

#[tokio::test]
async fn a_call_to_ptcs11_rings_connects_and_is_cancelled() {
    let h = start_manual().await;
    h.wait_attr(LIGHT, "data-state", "idle").await;
    h.click("#call-terminal-169918").await;

    h.wait_attr("#call-1", "data-state", "requesting").await;
    h.wait_text("#call-1 .call-state", "请求中").await;
    h.wait_text("#call-1 .call-target", "ptcs11").await;
    h.wait_attr(LIGHT, "data-state", "online").await;
    h.wait_sim("the call was placed", |s| s.calls.len() == 1)
        .await;
    let call = h.sim.snapshot().calls[0].clone();
    assert_eq!(call.target, Some(169918));
    h.wait_attr("#call-1", "data-sid", &call.call_sid).await;

    assert_eq!(h.sim.advance_call(&call.call_sid), Some(2));
    h.wait_attr("#call-1", "data-state", "ringing").await;
    h.wait_text("#call-1 .call-state", "响铃中").await;

    assert_eq!(h.sim.advance_call(&call.call_sid), Some(3));
    h.wait_attr("#call-1", "data-state", "connected").await;
    h.wait_text("#call-1 .call-state", "通话中").await;

    h.click("#call-cancel-1").await;
    h.wait_attr("#call-1", "data-state", "ended").await;
    h.wait_text("#call-1 .call-state", "已结束").await;
    h.wait_sim("the simulator ended the call", |s| {
        s.calls[0].state_type == 4
    })
    .await;
    assert!(
        h.client
            .find(fantoccini::Locator::Css("#call-cancel-1"))
            .await
            .is_err(),
        "an ended call has no cancel button"
    );

    // The journal shows the traffic with the token masked.
    h.wait_text("#journal", "/v1/app/callCancel/").await;
    // All of it, also the entries scrolled out of the panel's view.
    let journal = h
        .eval("return document.getElementById('journal').textContent")
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        journal.contains("/v1/app/call/169918?access_token=***"),
        "{journal}"
    );
    assert!(journal.contains("/v1/app/callState/"), "{journal}");
    assert!(
        !journal.contains("demo-token"),
        "the token leaked into the journal"
    );
    h.screenshot("calls").await;
    h.finish().await;
}

#[tokio::test]
async fn calling_a_user_without_a_phone_shows_the_documents_message() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.fill("#call-dial-id", "16991x").await;
    h.click("#call-dial-button").await;
    h.wait_text("#call-dial-error", "数字").await;

    h.fill("#call-dial-id", "169999").await;
    h.click("#call-dial-button").await;
    h.wait_attr("#call-1", "data-state", "failed").await;
    h.wait_text("#call-1 .call-error", NO_PHONE).await;
    h.wait_text("#call-1 .call-state", "呼叫失败").await;
    h.wait_attr("#call-1 .call-error", "role", "alert").await;
    // The server answered: the light is green, and the dial error is gone.
    h.wait_attr(LIGHT, "data-state", "online").await;
    let dial_error = h.wait_for("#call-dial-error").await.text().await.unwrap();
    assert!(dial_error.is_empty(), "{dial_error}");
    assert!(h.sim.snapshot().calls.is_empty());
    h.finish().await;
}

#[tokio::test]
async fn customer_service_is_called_and_its_call_moves_on_by_itself() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.click("#call-service").await;
    h.wait_text("#call-1 .call-target", "客服").await;
    // The simulator moves the call one state a second; the console polls.
    h.wait_attr("#call-1", "data-state", "ringing").await;
    h.wait_attr("#call-1", "data-state", "connected").await;
    h.wait_sim("a customer-service call", |s| {
        s.calls.len() == 1 && s.calls[0].target.is_none()
    })
    .await;
    h.finish().await;
}

#[tokio::test]
async fn a_failing_service_shows_its_own_message_and_english_follows_the_switch() {
    let h = Harness::start(None).await;
    h.sim.set_faults(Faults {
        calls_error: Some("系统内部异常!".into()),
        ..Default::default()
    });
    h.open("/").await;
    h.click("#call-terminal-169920").await;
    h.wait_text("#call-1 .call-error", "系统内部异常!").await;
    h.wait_attr("#call-1", "data-state", "failed").await;

    h.click("#lang-switch").await;
    h.wait_text("#call-1 .call-state", "Call failed").await;
    h.wait_text("#call-service", "Call customer service").await;
    h.finish().await;
}

#[tokio::test]
async fn a_double_click_places_one_call() {
    let h = start_manual().await;
    h.wait_for("#call-terminal-169918").await;
    // Two clicks in one go, before the page can redraw the button.
    h.eval("const b = document.getElementById('call-terminal-169918'); b.click(); b.click(); return true")
        .await;
    h.wait_sim("the call was placed", |s| s.calls.len() == 1)
        .await;
    let sid = h.sim.snapshot().calls[0].call_sid.clone();
    h.wait_attr("#call-1", "data-sid", &sid).await;
    // The same with the dial form, sent twice at once.
    h.fill("#call-dial-id", "169919").await;
    h.eval("const f = document.getElementById('call-dial'); f.requestSubmit(); f.requestSubmit(); return true")
        .await;
    h.wait_sim("the second call was placed", |s| s.calls.len() == 2)
        .await;
    let sid = h.sim.snapshot().calls[1].call_sid.clone();
    h.wait_attr("#call-2", "data-sid", &sid).await;
    assert!(
        h.client
            .find(fantoccini::Locator::Css("#call-3"))
            .await
            .is_err(),
        "one call per intent"
    );
    assert_eq!(h.sim.snapshot().calls.len(), 2);
    h.finish().await;
}

#[tokio::test]
async fn a_20_s_outage_keeps_the_live_call_cancellable_and_stale_then_it_recovers() {
    let h = start_manual().await;
    h.click("#call-terminal-169918").await;
    h.wait_sim("the call was placed", |s| s.calls.len() == 1)
        .await;
    let sid = h.sim.snapshot().calls[0].call_sid.clone();
    h.sim.advance_call(&sid);
    h.sim.advance_call(&sid);
    h.wait_attr("#call-1", "data-state", "connected").await;
    h.wait_attr("#call-1", "data-stale", "false").await;

    // The proxy in front of the service answers 502 pages for 20 s.
    let outage = serde_json::json!({
        "backend": "calls",
        "outage": {"kind": "html_error", "status": 502},
        "for_ms": 20_000,
    });
    let set = h
        .eval(&format!(
            "return fetch('/_sim/outage', {{method: 'POST', headers: {{'Content-Type': 'application/json'}}, body: JSON.stringify({outage})}}).then(r => r.json())"
        ))
        .await;
    assert_eq!(set["ok"], true, "{set}");
    assert_eq!(
        h.sim.snapshot().outages.get(&Backend::Calls),
        Some(&Outage::HtmlError { status: 502 })
    );
    h.wait_attr("#call-1", "data-stale", "true").await;
    h.wait_text("#call-1 .call-hint", "状态未确认").await;
    // Still live as far as anyone knows: it stays, and so does Cancel.
    h.wait_attr("#call-1", "data-state", "connected").await;
    h.wait_for("#call-cancel-1").await;
    h.wait_attr_within("#call-1", "data-stale", "false", Duration::from_secs(40))
        .await;
    h.wait_attr("#call-1", "data-state", "connected").await;
    h.click("#call-cancel-1").await;
    h.wait_attr("#call-1", "data-state", "ended").await;
    h.wait_sim("the simulator ended the call", |s| {
        s.calls[0].state_type == 4
    })
    .await;
    // The browser logs each 502 page it got; those, and only those.
    for e in h.console_errors().await {
        assert!(
            e.contains("/v1/app/callState/") && e.contains("status of 502"),
            "{e}"
        );
    }
    h.finish().await;
}

#[tokio::test]
async fn the_history_survives_a_reload_and_exports_csv() {
    let h = Harness::start(None).await;
    h.open("/").await;
    // 169930 rings and ends unanswered by itself.
    h.fill("#call-dial-id", "169930").await;
    h.click("#call-dial-button").await;
    h.wait_attr("#call-1", "data-state", "ended").await;
    h.wait_attr("#call-history li", "data-outcome", "not-answered")
        .await;
    h.client.refresh().await.unwrap();
    h.wait_attr("#call-history li", "data-outcome", "not-answered")
        .await;
    h.wait_text("#call-history li .history-target", "169930")
        .await;
    let stored = h
        .eval("return localStorage.getItem('dispatch-desk.history')")
        .await;
    assert!(
        !stored.as_str().unwrap_or_default().contains("demo-token"),
        "{stored}"
    );
    h.catch_download().await;
    h.click("#history-export").await;
    let csv = h.downloaded().await;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "kind,target,who,start_utc,duration_s,outcome,detail,customuuid,extension"
    );
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(
        lines[1].starts_with("call,169930,,") && lines[1].contains(",not-answered,"),
        "{csv}"
    );
    h.finish().await;
}
