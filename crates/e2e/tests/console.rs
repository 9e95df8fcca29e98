//! The console in a real browser against the simulator: voice login and
//! logout, a refused password, a dropped socket, the language switch and a
//! broken config.json.

use e2e::Harness;
use serde_json::json;
use sim::Faults;

const LIGHT: &str = "#voice-light";

async fn log_in(h: &Harness, password: &str) {
    h.fill("#voice-account", "zydd").await;
    h.fill("#voice-password", password).await;
    h.click("#voice-login-button").await;
}

#[tokio::test]
async fn login_turns_the_voice_light_green_and_logout_turns_it_off() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.wait_attr(LIGHT, "data-state", "off").await;
    h.wait_text("#identity", "未登录").await;

    log_in(&h, "123456").await;
    h.wait_attr(LIGHT, "data-state", "online").await;
    h.wait_text("#identity", "zydd").await;
    h.wait_sim("zydd logged in", |s| {
        s.voice_accounts.iter().any(|a| a == "zydd")
    })
    .await;
    // The journal shows the exchange, with the password masked.
    let journal = h.wait_text("#journal", "initServer").await;
    assert!(
        journal.contains("connect") && journal.contains("login"),
        "{journal}"
    );
    assert!(
        !journal.contains("123456"),
        "the password leaked into the journal"
    );
    h.screenshot("console").await;
    // Signed in, the login form folds to its logout button; signed out, it is back.
    let fields_shown = "return ['#voice-account', '#voice-password'].map(f => document.querySelector(f).getClientRects().length > 0)";
    h.wait_js("the fields folded", fields_shown, |v| {
        *v == json!([false, false])
    })
    .await;

    h.click("#voice-logout-button").await;
    h.wait_attr(LIGHT, "data-state", "off").await;
    h.wait_js("the fields back", fields_shown, |v| {
        *v == json!([true, true])
    })
    .await;
    h.wait_sim("zydd logged out", |s| s.voice_accounts.is_empty())
        .await;
    h.wait_text("#journal", "loginOut").await;
    // Nothing secret was stored.
    let stored = h.eval("return JSON.stringify(localStorage)").await;
    assert!(!stored.to_string().contains("123456"), "{stored}");
    h.finish().await;
}

#[tokio::test]
async fn a_wrong_password_shows_the_servers_message() {
    let h = Harness::start(None).await;
    h.open("/").await;
    log_in(&h, "wrong").await;
    h.wait_attr(LIGHT, "data-state", "refused").await;
    h.wait_text("#voice-error", "账号或密码错误").await;
    h.finish().await;
}

#[tokio::test]
async fn a_dropped_socket_turns_the_light_amber_and_the_console_logs_in_again() {
    let h = Harness::start(None).await;
    h.open("/").await;
    log_in(&h, "123456").await;
    h.wait_attr(LIGHT, "data-state", "online").await;

    // A plugin that accepts the socket but never answers keeps the link amber.
    h.sim.set_faults(Faults {
        voice_silent: true,
        ..Default::default()
    });
    h.sim.drop_voice_sockets();
    h.wait_attr(LIGHT, "data-state", "reconnecting").await;
    h.wait_text("#voice-status", "重连").await;
    h.wait_sim("the console tried again", |s| s.voice_sockets >= 1)
        .await;

    // The plugin recovers: the next attempt logs in again by itself.
    h.sim.set_faults(Faults::default());
    h.sim.drop_voice_sockets();
    h.wait_attr(LIGHT, "data-state", "online").await;
    h.wait_sim("zydd logged in again", |s| {
        s.voice_accounts.iter().any(|a| a == "zydd")
    })
    .await;
    h.finish().await;
}

#[tokio::test]
async fn the_language_switch_changes_every_text_and_is_remembered() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.wait_text("#app-title", "调度台").await;
    h.wait_attr("html", "lang", "zh-CN").await;
    h.wait_text("#ptt-panel h2", "对讲").await;

    h.click("#lang-switch").await;
    h.wait_text("#app-title", "Dispatch Desk").await;
    h.wait_attr("html", "lang", "en").await;
    h.wait_text("#ptt-panel h2", "Push-to-talk").await;
    h.wait_text("#voice-light", "Off").await;

    h.client.refresh().await.unwrap();
    h.wait_text("#app-title", "Dispatch Desk").await;
    h.screenshot("console-en").await;
    h.finish().await;
}

#[tokio::test]
async fn a_broken_config_gets_a_screen_saying_what_is_wrong() {
    let config = r#"{"voice":{"pluginUrl":"voice","serverBaseUrl":"/"},"deployment":"public"}"#;
    let h = Harness::start(Some(config.into())).await;
    h.open("/").await;
    h.wait_text("#config-error", "voice.pluginUrl").await;
    h.wait_text("#config-error h1", "配置文件有误").await;
    h.finish().await;
}

#[tokio::test]
async fn settings_are_kept_in_this_browser_without_secrets() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.fill("#voice-password", "123456").await;
    h.fill("#credential-ivr-token", "typed-ivr").await;
    h.click("#credentials-apply").await;
    h.fill("#settings-voice-account", "ddy2").await;
    h.fill("#settings-calls", &format!("{}/elsewhere", h.base))
        .await;
    h.eval("window.beforeSave = true; return true").await;
    h.click("#settings-save").await;
    // Saving restarts the console with the override in force: the journal
    // stays, and so does a credential whose service did not move; the calls
    // token from config.json does not follow its service to a new address.
    h.wait_value("#voice-account", "ddy2").await;
    h.wait_text("#credential-ivr-token-state", "已设置").await;
    h.wait_text("#credential-calls-token-state", "未设置").await;
    assert_eq!(
        h.eval("return window.beforeSave === true").await,
        true,
        "the page was reloaded"
    );
    let stored = h
        .eval("return localStorage.getItem('dispatch-desk.settings')")
        .await;
    let stored = stored.as_str().unwrap_or_default().to_owned();
    assert!(stored.contains("ddy2"), "{stored}");
    for secret in [
        "123456",
        "demo-token",
        "ABCDEFG",
        "typed-ivr",
        "password",
        "token",
    ] {
        assert!(!stored.contains(secret), "{secret} stored: {stored}");
    }
    // The override logs in as that dispatcher.
    h.fill("#voice-password", "654321").await;
    h.click("#voice-login-button").await;
    h.wait_attr(LIGHT, "data-state", "online").await;
    h.wait_text("#identity", "ddy2").await;

    h.click("#settings-reset").await;
    h.wait_value("#voice-account", "zydd").await;
    h.wait_text("#credential-calls-token-state", "已设置").await;
    h.finish().await;
}
