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
    h.click("#ivr-route-add").await;
    h.fill("#ivr-route-group-1", "extGroup-1").await;
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

/// Two key routes built row by row (a third added and removed) reach the
/// IVR service field for field, as `/_sim/ivr/last` shows what it received.
#[tokio::test]
async fn an_ivr_request_built_with_two_key_routes_reaches_the_service_field_for_field() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.fill("#ivr-destnumber", "13500000001").await;
    h.fill("#ivr-voicefile", "menu.wav").await;
    for _ in 0..3 {
        h.click("#ivr-route-add").await;
    }
    h.wait_value("#ivr-route-key-2", "2").await;
    h.fill("#ivr-route-group-1", "sales").await;
    h.fill("#ivr-route-group-2", "extGroup-2").await;
    h.click("#ivr-route-remove-2").await;
    h.wait_for("#ivr-route-group-3").await;
    assert!(
        h.client
            .find(fantoccini::Locator::Css("#ivr-route-group-2"))
            .await
            .is_err(),
        "the removed row is gone"
    );
    h.wait_for("#ivr-route-key-3")
        .await
        .select_by_value("#")
        .await
        .unwrap();
    h.fill("#ivr-route-group-3", "support").await;
    h.fill("#ivr-disnumber", "2120280001").await;
    h.click("#ivr-send").await;
    h.wait_text("#ivr-result", "播放命令发送成功").await;
    // The customuuid made for it is shown in the form.
    let customuuid = h
        .wait_for("#ivr-customuuid")
        .await
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(customuuid.starts_with("dd"), "{customuuid}");

    let last = h
        .eval("return fetch('/_sim/ivr/last').then(r => r.json())")
        .await;
    assert_eq!(last["ok"], true, "{last}");
    let fields = last["request"]["fields"].as_object().unwrap();
    let want = [
        ("service", "App.Sip_Call.PlayVoice"),
        ("token", "***"),
        ("voicetype", "1"),
        ("destnumber", "13500000001"),
        ("voicefile", "menu.wav"),
        ("chengshudu", "1"),
        ("userid", "1@sales,#@support"),
        ("disnumber", "2120280001"),
        ("customuuid", customuuid.as_str()),
    ];
    assert_eq!(fields.len(), want.len(), "{fields:?}");
    for (k, v) in want {
        assert_eq!(fields[k], v, "{k}");
    }
    assert_eq!(last["request"]["accepted"], true);
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
    // A key route row without its extension group is named.
    h.click("#ivr-route-add").await;
    h.click("#ivr-send").await;
    h.wait_attr("#ivr-field-error", "data-field", "userid")
        .await;
    h.wait_text("#ivr-field-error", "分机组").await;
    h.wait_attr("#ivr-route-group-1", "aria-invalid", "true")
        .await;
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
