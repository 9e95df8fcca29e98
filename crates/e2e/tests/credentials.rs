//! A deployment whose config.json holds no credential: the dispatcher types
//! the meeting PIN, the calls access token and the IVR token in settings,
//! and each service works with them, while none reaches localStorage.

use e2e::{repo_root, Harness};
use serde_json::{json, Value};

fn config_without_secrets() -> String {
    let mut config: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("config.json")).unwrap())
            .unwrap();
    config["meeting"]["joinPwd"] = json!("");
    config["calls"]["accessToken"] = json!("");
    config["ivr"]["token"] = json!("");
    config.to_string()
}

/// The settings' credential fields, by id.
const FIELDS: [&str; 3] = [
    "credential-meeting-pin",
    "credential-calls-token",
    "credential-ivr-token",
];

#[tokio::test]
async fn credentials_typed_in_settings_reach_every_service_and_no_storage() {
    let h = Harness::start(Some(config_without_secrets())).await;
    h.open("/").await;
    for id in FIELDS {
        h.wait_text(&format!("#{id}-state"), "未设置").await;
    }
    h.fill("#credential-meeting-pin", "123456").await;
    h.fill("#credential-calls-token", "demo-token").await;
    h.fill("#credential-ivr-token", "ABCDEFG").await;
    h.click("#credentials-apply").await;
    for id in FIELDS {
        h.wait_text(&format!("#{id}-state"), "已设置").await;
        h.wait_value(&format!("#{id}"), "").await;
    }

    // The meeting with the typed PIN.
    h.click("#meeting-join").await;
    h.wait_sim("joined with the typed PIN", |s| {
        s.meeting.sessions.len() == 1
    })
    .await;
    // A call with the typed access token.
    h.click("#call-terminal-169918").await;
    h.wait_sim("the call was placed", |s| s.calls.len() == 1)
        .await;
    // The voice menu with the typed token.
    h.fill("#ivr-destnumber", "13333333333").await;
    h.fill("#ivr-voicefile", "welcome.wav").await;
    h.click("#ivr-send").await;
    h.wait_sim("the IVR accepted the request", |s| {
        s.ivr_requests.len() == 1 && s.ivr_requests[0].accepted
    })
    .await;

    // Nothing typed is kept in the browser's storage.
    let stored = h
        .eval("return JSON.stringify(Object.assign({}, localStorage, sessionStorage))")
        .await;
    let stored = stored.as_str().unwrap();
    for secret in ["123456", "demo-token", "ABCDEFG"] {
        assert!(!stored.contains(secret), "{secret} in storage: {stored}");
    }
    h.finish().await;
}
