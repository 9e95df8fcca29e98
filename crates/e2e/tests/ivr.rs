//! IVR voice-menu calls (document 003) in a real browser against the
//! simulator: a valid call accepted and recorded, a missing field named
//! without sending, and the service's own refusal.

use e2e::Harness;
use sim::Faults;

const LIGHT: &str = "#ivr-light";

async fn fill_valid(h: &Harness) {
    h.fill("#ivr-destnumber", "13333333333").await;
    h.wait_for("#ivr-voicetype")
        .await
        .select_by_value("2")
        .await
        .unwrap();
    h.fill("#ivr-voicefile", "wwww.baidu.com/test.mp3").await;
    h.fill("#ivr-userid", "1@extGroup-1").await;
    h.fill("#ivr-customuuid", "case-1").await;
}

#[tokio::test]
async fn a_valid_ivr_call_is_accepted_and_recorded() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.wait_attr(LIGHT, "data-state", "idle").await;
    fill_valid(&h).await;
    h.click("#ivr-send").await;

    h.wait_text("#ivr-result", "播放命令发送成功").await;
    h.wait_attr(LIGHT, "data-state", "online").await;
    h.wait_attr("#ivr-history li", "data-outcome", "sent").await;
    h.wait_text("#ivr-history li", "13333333333").await;
    h.wait_sim("the IVR got the request", |s| s.ivr_requests.len() == 1)
        .await;
    let record = h.sim.snapshot().ivr_requests[0].clone();
    assert!(record.accepted, "{record:?}");
    let field = |k: &str| record.fields.get(k).map(String::as_str);
    assert_eq!(field("service"), Some("App.Sip_Call.PlayVoice"));
    assert_eq!(field("destnumber"), Some("13333333333"));
    assert_eq!(field("voicetype"), Some("2"));
    assert_eq!(field("voicefile"), Some("wwww.baidu.com/test.mp3"));
    assert_eq!(field("userid"), Some("1@extGroup-1"));
    assert_eq!(field("customuuid"), Some("case-1"));
    // A key route means extension callbacks, then the call record.
    assert_eq!(record.callbacks.len(), 4);

    let journal = h.wait_text("#journal", "token=***").await;
    assert!(journal.contains("destnumber=13333333333"), "{journal}");
    assert!(
        !journal.contains("ABCDEFG"),
        "the token leaked into the journal"
    );
    h.screenshot("ivr").await;
    h.finish().await;
}

#[tokio::test]
async fn a_missing_destination_is_named_and_nothing_is_sent() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.fill("#ivr-voicefile", "welcome.wav").await;
    h.click("#ivr-send").await;
    h.wait_attr("#ivr-field-error", "data-field", "destnumber")
        .await;
    h.wait_text("#ivr-field-error", "目标号码").await;
    h.wait_attr("#ivr-destnumber", "aria-invalid", "true").await;

    h.fill("#ivr-destnumber", "13333333333").await;
    h.fill("#ivr-userid", "1extGroup-1").await;
    h.click("#ivr-send").await;
    h.wait_attr("#ivr-field-error", "data-field", "userid")
        .await;
    h.wait_text("#ivr-field-error", "1@extGroup-1").await;
    h.wait_attr("#ivr-destnumber", "aria-invalid", "false")
        .await;

    assert!(h.sim.snapshot().ivr_requests.is_empty(), "nothing was sent");
    let history = h.wait_for("#ivr-history").await.text().await.unwrap();
    assert!(history.is_empty(), "{history}");
    h.wait_attr(LIGHT, "data-state", "idle").await;
    h.finish().await;
}

#[tokio::test]
async fn the_services_refusal_is_shown_in_its_own_words() {
    let h = Harness::start(None).await;
    h.sim.set_faults(Faults {
        ivr_error: Some("账户余额不足".into()),
        ..Default::default()
    });
    h.open("/").await;
    fill_valid(&h).await;
    h.click("#ivr-send").await;
    h.wait_text("#ivr-error", "账户余额不足").await;
    h.wait_attr("#ivr-history li", "data-outcome", "refused")
        .await;
    // The service answered, so it is reachable.
    h.wait_attr(LIGHT, "data-state", "online").await;
    let result = h.wait_for("#ivr-result").await.text().await.unwrap();
    assert!(result.is_empty(), "{result}");
    h.wait_sim("the refusal was recorded", |s| {
        s.ivr_requests.len() == 1 && !s.ivr_requests[0].accepted
    })
    .await;
    h.finish().await;
}
