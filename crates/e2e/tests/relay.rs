//! IVR callbacks through the relay (docs/callbacks.md) in a real browser:
//! with `ivr.relayUrl` set, the call record the service posts after each
//! request reaches the console, which finds the request by its customuuid
//! and shows the answer, talk time, key pressed and hang-up cause in the
//! history and in the broadcast table; the extension-status callbacks show
//! the extension the key press reached.

use e2e::{repo_root, Harness};

/// The demo configuration with the relay's stream configured.
fn with_relay() -> String {
    let text = std::fs::read_to_string(repo_root().join("config.json")).unwrap();
    let mut config: serde_json::Value = serde_json::from_str(&text).unwrap();
    config["ivr"]["relayUrl"] = "/relay/events".into();
    config.to_string()
}

#[tokio::test]
async fn callbacks_reach_the_console_through_the_relay_and_update_the_rows() {
    let h = Harness::start(Some(with_relay())).await;
    h.open("/").await;
    h.wait_text("#journal", "/relay/events").await;
    h.fill("#ivr-destnumber", "13333333333").await;
    h.fill("#ivr-voicefile", "menu.wav").await;
    h.click("#ivr-route-add").await;
    h.fill("#ivr-route-group-1", "extGroup-1").await;
    h.fill("#ivr-customuuid", "case-relay").await;
    h.click("#ivr-send").await;
    h.wait_text("#ivr-result", "播放命令发送成功").await;

    // Sent at first; the call record then says answered, 10 s, key 1.
    let row = "#call-history li[data-customuuid=case-relay]";
    h.wait_attr(row, "data-outcome", "hung-up").await;
    h.wait_text(&format!("{row} .history-duration"), "0:10")
        .await;
    h.wait_text(&format!("{row} .history-detail"), "key 1")
        .await;
    h.wait_text(&format!("{row} .history-detail"), "cause 10001")
        .await;
    // The extension-status callbacks (no customuuid) found it by the
    // callee's number and the call's uuid: the key press reached the
    // extension, which answered and then hung up.
    let extension = format!("{row} .history-extension");
    h.wait_attr(&extension, "data-extension-state", "hangup")
        .await;
    h.wait_text(&extension, "分机").await;

    // A broadcast's rows are completed the same way.
    h.fill("#broadcast-numbers", "13500000001\n13500000002")
        .await;
    h.click("#broadcast-start").await;
    h.wait_attr("#broadcast", "data-run", "done").await;
    for n in 1..=2 {
        let cell = format!("#broadcast-row-{n} .broadcast-callback");
        h.wait_attr(&cell, "data-outcome", "hung-up").await;
        h.wait_text(&cell, "key 1").await;
        h.wait_attr(
            &format!("{cell} .broadcast-extension"),
            "data-extension-state",
            "hangup",
        )
        .await;
    }
    h.finish().await;
}
