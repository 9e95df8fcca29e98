//! Phone calls (document 001) in a real browser against the simulator:
//! a call to a terminal through its states, cancelling it, the server's own
//! refusal, customer service, and the access token kept out of the journal.

use e2e::Harness;
use sim::Faults;

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
