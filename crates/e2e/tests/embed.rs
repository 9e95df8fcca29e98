//! The console embedded in a portal (docs/embed.md): the example portal on
//! a second origin drives it through postMessage; a page on a third origin
//! gets nothing; the layout fits each window size.

use e2e::{repo_root, Harness};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A portal origin served from `examples/portal/` on a port of its own.
async fn portal_origin() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    let dir = repo_root().join("examples/portal");
    tokio::spawn(
        async move { sim::portal::serve_portal(listener, &dir, std::future::pending()).await },
    );
    origin
}

/// The repository's config.json with `origins` as the listed portals and
/// none of the credentials: the portal hands them over.
fn config_for(origins: &[&str]) -> String {
    let mut config: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join("config.json")).unwrap())
            .unwrap();
    config["embed"] = json!({ "origins": origins });
    config["voice"]["password"] = json!("");
    config["calls"]["accessToken"] = json!("");
    config["ivr"]["token"] = json!("");
    config.to_string()
}

/// Sends a command from the portal and returns its answer.
async fn command(h: &Harness, name: &str, args: Value) -> Value {
    h.eval(&format!(
        "window.__answer = null; window.deskCommand({name:?}, {args}).then(a => window.__answer = a); return true"
    ))
    .await;
    h.wait_js(
        &format!("the answer to {name}"),
        "return window.__answer",
        |v| !v.is_null(),
    )
    .await
}

/// The first event named `event` whose data satisfies `want`.
async fn wait_event(h: &Harness, event: &str, want: impl Fn(&Value) -> bool) -> Value {
    let js =
        format!("return window.deskMessages.filter(m => m.event === {event:?}).map(m => m.data)");
    let found = h
        .wait_js(&format!("event {event}"), &js, |list| {
            list.as_array().is_some_and(|l| l.iter().any(&want))
        })
        .await;
    found
        .as_array()
        .unwrap()
        .iter()
        .find(|d| want(d))
        .unwrap()
        .clone()
}

#[tokio::test]
async fn a_portal_on_a_listed_origin_configures_logs_in_and_hears_the_group_call() {
    let portal = portal_origin().await;
    let h = Harness::start(Some(config_for(&[&portal]))).await;
    h.client
        .goto(&format!("{portal}/index.html?console={}/", h.base))
        .await
        .unwrap();

    let ready = wait_event(&h, "ready", |_| true).await;
    assert_eq!(ready["version"], 1);
    for name in [
        "configure",
        "voice.login",
        "ptt.start",
        "ptt.talk",
        "layout",
        "ivr.play",
    ] {
        assert!(
            ready["commands"].as_array().unwrap().contains(&json!(name)),
            "{name}"
        );
    }
    // Events are posted only after ready: ready is the first message.
    assert_eq!(h.eval("return window.deskMessages[0].event").await, "ready");

    // Credentials from the portal, then a login without a password in it.
    let answer = command(
        &h,
        "configure",
        json!({ "voice": { "password": "123456" }, "calls": { "accessToken": "demo-token" } }),
    )
    .await;
    assert_eq!(answer["ok"], true, "{answer}");
    let answer = command(&h, "voice.login", json!({ "account": "zydd" })).await;
    assert_eq!(answer["ok"], true, "{answer}");
    wait_event(&h, "light", |d| {
        d["service"] == "voice" && d["state"] == "online"
    })
    .await;
    h.wait_sim("zydd logged in", |s| s.voice_accounts == ["zydd"])
        .await;

    // A group call: the members come as events, then the floor.
    let answer = command(&h, "ptt.start", json!({ "terminals": [169918, "169919"] })).await;
    assert_eq!(answer["ok"], true, "{answer}");
    let members = wait_event(&h, "ptt.members", |d| {
        d["members"]
            .as_array()
            .is_some_and(|m| m.len() == 2 && m.iter().all(|m| m["state"] == "answered"))
    })
    .await;
    let sid = h.sim.snapshot().voice_sessions[0].session_id.clone();
    assert_eq!(members["sessionId"], json!(sid));
    wait_event(&h, "ptt.floor", |d| d["me"] == true).await;

    // The portal's own talk key gives the floor back; a terminal takes it.
    let answer = command(&h, "ptt.talk", json!({ "pressed": false })).await;
    assert_eq!(answer["ok"], true, "{answer}");
    h.wait_sim("the floor is free", |s| s.voice_sessions[0].floor.is_none())
        .await;
    assert!(h.sim.terminal_talk(169918, true));
    let floor = wait_event(&h, "ptt.floor", |d| d["talker"]["id"] == 169918).await;
    assert_eq!(floor["talker"]["name"], "ptcs11");
    assert_eq!(floor["me"], false);

    // Unknown commands and bad arguments get an error answer, never silence.
    let answer = command(&h, "ptt.fly", json!({})).await;
    assert_eq!(answer["ok"], false);
    assert_eq!(answer["error"]["code"], "unknownCommand");
    let answer = command(&h, "configure", json!({ "embed": { "origins": ["*"] } })).await;
    assert_eq!(answer["error"]["code"], "badArguments", "{answer}");
    let answer = command(&h, "ptt.start", json!({ "terminals": "all" })).await;
    assert_eq!(answer["error"]["code"], "badArguments", "{answer}");

    // The portal forces compact mode: one panel at a time, with tabs.
    let answer = command(&h, "layout", json!({ "mode": "compact" })).await;
    assert_eq!(answer["ok"], true, "{answer}");
    h.screenshot("embed-portal").await;
    h.finish().await;
}

#[tokio::test]
async fn a_page_on_an_unlisted_origin_gets_nothing_and_commands_nothing() {
    let listed = portal_origin().await;
    let stranger = portal_origin().await;
    let h = Harness::start(Some(config_for(&[&listed]))).await;
    h.client
        .goto(&format!("{stranger}/index.html?console={}/", h.base))
        .await
        .unwrap();
    h.wait_js(
        "the frame to load",
        "return window.deskFrameLoaded === true",
        |v| *v == json!(true),
    )
    .await;
    // Commands sent at once: a console that heard them would log in.
    h.eval(
        "for (const [c, a] of [['configure', {voice: {password: '123456'}}], ['voice.login', {account: 'zydd', password: '123456'}]]) window.deskCommand(c, a); return true",
    )
    .await;
    // A bounded watch: nothing may arrive, nobody may log in.
    let until = Instant::now() + Duration::from_secs(3);
    while Instant::now() < until {
        assert_eq!(h.eval("return window.deskMessages.length").await, 0);
        assert!(h.sim.snapshot().voice_accounts.is_empty());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The simulator's frame-ancestors is what refused the frame.
    let errors = h.console_errors().await;
    assert!(
        errors.iter().all(|e| e.contains("frame-ancestors")),
        "{errors:#?}"
    );
    assert!(!errors.is_empty(), "the browser reported no refused frame");
    h.finish().await;
}

#[tokio::test]
async fn a_frame_without_the_microphone_says_so() {
    let portal = portal_origin().await;
    let h = Harness::start(Some(config_for(&[&portal]))).await;
    h.client
        .goto(&format!(
            "{portal}/index.html?allow=none&console={}/",
            h.base
        ))
        .await
        .unwrap();
    let error = wait_event(&h, "error", |_| true).await;
    assert!(
        error["message"].as_str().unwrap().contains("microphone"),
        "{error}"
    );
    h.client.enter_frame(0).await.unwrap();
    h.wait_for("#microphone-blocked").await;
    h.client.enter_parent_frame().await.unwrap();
    h.finish().await;
}

/// The document's scroll size beyond the window, in CSS pixels.
async fn page_overflow(h: &Harness) -> Value {
    h.eval(
        "const d = document.documentElement; return [d.scrollWidth - innerWidth, d.scrollHeight - innerHeight]",
    )
    .await
}

#[tokio::test]
async fn the_desk_fits_each_window_and_every_panel_is_reachable_when_narrow() {
    let h = Harness::start(None).await;
    for (width, height) in [(1920, 1080), (1366, 768)] {
        h.client.set_window_size(width, height).await.unwrap();
        h.open("/").await;
        h.wait_for("#journal-panel").await;
        h.wait_for("#ivr-panel").await;
        assert_eq!(page_overflow(&h).await, json!([0, 0]), "{width}×{height}");
        // Every panel is on screen, none below the fold.
        let off = h
            .eval("return [...document.querySelectorAll('.panel')].filter(p => p.getBoundingClientRect().bottom > innerHeight + 1).map(p => p.id)")
            .await;
        assert_eq!(off, json!([]), "{width}×{height}");
        h.screenshot(&format!("layout-{width}x{height}")).await;
    }

    h.client.set_window_size(360, 480).await.unwrap();
    h.open("/").await;
    h.wait_for("#ptt-tab").await;
    assert_eq!(page_overflow(&h).await, json!([0, 0]), "360×480");
    // The header keeps its items whole: the title and each light one line high.
    let tall = h
        .eval("return [...document.querySelectorAll('#app-title, .light')].filter(e => e.getBoundingClientRect().height >= 2 * parseFloat(getComputedStyle(e).fontSize) * 1.2).map(e => e.id || e.textContent)")
        .await;
    assert_eq!(tall, json!([]), "wrapped header items");
    for panel in ["ptt", "meeting", "calls", "ivr", "journal", "settings"] {
        h.click(&format!("#{panel}-tab")).await;
        let shown = h
            .eval(&format!(
                "const r = document.getElementById('{panel}-panel').getBoundingClientRect(); return r.height > 0 && r.top < innerHeight && r.left >= 0 && r.right <= innerWidth + 1"
            ))
            .await;
        assert_eq!(shown, json!(true), "{panel}");
        let visible = h
            .eval("return [...document.querySelectorAll('.panel')].filter(p => p.getBoundingClientRect().height > 0).length")
            .await;
        assert_eq!(visible, json!(1), "{panel}");
    }
    h.screenshot("layout-360x480").await;
    h.finish().await;
}

/// WCAG 2.1 A and AA violations axe-core finds on the page, one line each.
async fn audit(h: &Harness) -> Vec<String> {
    let axe =
        std::fs::read_to_string(repo_root().join(".tools/node/node_modules/axe-core/axe.min.js"))
            .expect("axe-core is installed (cargo xtask setup)");
    assert_eq!(
        h.eval(&format!("{axe}\n; return typeof axe")).await,
        "object"
    );
    let found = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                .then(r => done(r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
                .catch(e => done(['axe failed: ' + e]));",
            vec![],
        )
        .await
        .expect("the audit runs");
    serde_json::from_value(found).unwrap()
}

#[tokio::test]
async fn the_accessibility_audit_finds_nothing_at_any_size() {
    let h = Harness::start(None).await;
    for (width, height) in [(1920, 1080), (1366, 768), (360, 480)] {
        h.client.set_window_size(width, height).await.unwrap();
        h.open("/").await;
        h.wait_for("#settings-panel").await;
        let violations = audit(&h).await;
        assert!(violations.is_empty(), "{width}×{height}: {violations:#?}");
    }
    // The audit does see: an image without a text alternative is reported.
    h.eval("const i = document.createElement('img'); i.src = 'data:,'; document.body.append(i); return true")
        .await;
    let violations = audit(&h).await;
    assert!(
        violations.iter().any(|v| v.starts_with("image-alt")),
        "{violations:#?}"
    );
    h.finish().await;
}

#[tokio::test]
async fn a_portal_drives_the_meeting_calls_and_ivr_and_moves_a_service() {
    let portal = portal_origin().await;
    let h = Harness::start(Some(config_for(&[&portal]))).await;
    h.sim.set_faults(sim::Faults {
        calls_manual: true,
        ..Default::default()
    });
    h.client
        .goto(&format!("{portal}/index.html?console={}/", h.base))
        .await
        .unwrap();
    wait_event(&h, "ready", |_| true).await;
    let answer = command(
        &h,
        "configure",
        json!({ "calls": { "accessToken": "demo-token" }, "ivr": { "token": "ABCDEFG" } }),
    )
    .await;
    assert_eq!(answer["result"]["restarted"], false, "{answer}");

    // The meeting: join with config.json's PIN, lock, mute someone.
    let answer = command(&h, "meeting.join", json!({ "conference": "1061" })).await;
    assert_eq!(answer["ok"], true, "{answer}");
    let roster = wait_event(&h, "meeting.roster", |d| {
        d["participants"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["display_name"] == "现场单兵01"))
    })
    .await;
    let field = roster["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["display_name"] == "现场单兵01")
        .unwrap()["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let answer = command(&h, "meeting.lock", json!({ "locked": true })).await;
    assert_eq!(answer["ok"], true, "{answer}");
    h.wait_sim("the meeting locked", |s| s.meeting.locked).await;
    let answer = command(
        &h,
        "meeting.mute",
        json!({ "participant": field, "muted": true }),
    )
    .await;
    assert_eq!(answer["ok"], true, "{answer}");
    h.wait_sim("the field unit muted", |s| {
        s.meeting
            .participants
            .iter()
            .any(|p| p.uuid == field && p.is_muted)
    })
    .await;
    wait_event(&h, "meeting.roster", |d| {
        d["participants"].as_array().is_some_and(|p| {
            p.iter()
                .any(|p| p["uuid"] == field.as_str() && p["is_muted"] == "YES")
        })
    })
    .await;

    // A call with the portal's token: its states come as events; cancel ends it.
    let answer = command(&h, "call.dial", json!({ "userId": 169918 })).await;
    assert_eq!(answer["ok"], true, "{answer}");
    h.wait_sim("the call was placed", |s| s.calls.len() == 1)
        .await;
    let sid = h.sim.snapshot().calls[0].call_sid.clone();
    h.sim.advance_call(&sid);
    wait_event(&h, "call.state", |d| {
        d["callSid"] == sid.as_str() && d["state"] == "ringing"
    })
    .await;
    let answer = command(&h, "call.cancel", json!({ "callSid": sid })).await;
    assert_eq!(answer["ok"], true, "{answer}");
    h.wait_sim("the call ended", |s| s.calls[0].state_type == 4)
        .await;
    wait_event(&h, "call.state", |d| {
        d["callSid"] == sid.as_str() && d["state"] == "cancelled"
    })
    .await;
    let answer = command(&h, "call.cancel", json!({ "callSid": "no-such-call" })).await;
    assert_eq!(answer["error"]["code"], "refused", "{answer}");

    // The voice menu with the portal's token, field for field.
    let answer = command(
        &h,
        "ivr.play",
        json!({ "destnumber": "13333333333", "voicetype": 2, "voicefile": "welcome.wav", "customuuid": "case-9" }),
    )
    .await;
    assert_eq!(answer["ok"], true, "{answer}");
    let record = h.sim.snapshot().ivr_requests[0].clone();
    assert!(record.accepted, "{record:?}");
    // Accepted means the simulator checked the portal's token (it keeps it masked).
    assert_eq!(
        record.fields.get("customuuid").map(String::as_str),
        Some("case-9")
    );

    // A new plugin address restarts the console: a second ready, and the
    // password typed for the old address does not follow it.
    let answer = command(
        &h,
        "configure",
        json!({ "voice": { "password": "123456" } }),
    )
    .await;
    assert_eq!(answer["result"]["restarted"], false, "{answer}");
    let plugin = format!("{}/voice", h.base.replacen("http", "ws", 1));
    let answer = command(&h, "configure", json!({ "voice": { "pluginUrl": plugin } })).await;
    assert_eq!(answer["result"]["restarted"], true, "{answer}");
    h.wait_js(
        "a second ready",
        "return window.deskMessages.filter(m => m.event === 'ready').length",
        |n| *n == json!(2),
    )
    .await;
    // The old shells are gone: the meeting session ended with them.
    h.wait_sim("the old meeting session ended", |s| {
        s.meeting.sessions.is_empty()
    })
    .await;
    let answer = command(&h, "voice.login", json!({ "account": "zydd" })).await;
    assert_eq!(answer["error"]["code"], "badArguments", "{answer}");
    let answer = command(
        &h,
        "voice.login",
        json!({ "account": "zydd", "password": "123456" }),
    )
    .await;
    assert_eq!(answer["ok"], true, "{answer}");
    h.wait_sim("zydd logged in at the new address", |s| {
        s.voice_accounts == ["zydd"]
    })
    .await;
    h.finish().await;
}
