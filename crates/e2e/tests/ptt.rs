//! Push-to-talk group calls in a real browser against the simulator: a
//! call started from the button leaves the floor free, the talk key works
//! from anywhere but a text field and starts a call in one gesture, a
//! member hanging up or ringing out keeps the call for the others, a
//! session a restarted plugin forgot is cleared without logging out, and
//! one the plugin kept across a page reload is taken over.

use e2e::Harness;

const ME: u64 = 169905;

async fn login(h: &Harness) {
    h.open("/").await;
    h.fill("#voice-account", "zydd").await;
    h.fill("#voice-password", "123456").await;
    h.click("#voice-login-button").await;
    h.wait_attr("#voice-light", "data-state", "online").await;
    h.wait_attr("#ptt-talk", "data-state", "idle").await;
}

/// Starts a call to `to` with the start button; returns its session id.
async fn start_call(h: &Harness, to: &[u64]) -> String {
    for t in to {
        h.click(&format!("#ptt-pick-{t}")).await;
    }
    h.click("#ptt-start").await;
    for t in to {
        h.wait_for(&format!("#ptt-member-{t}")).await;
    }
    h.wait_sim("a session", |s| s.voice_sessions.len() == 1)
        .await;
    h.sim.snapshot().voice_sessions[0].session_id.clone()
}

/// A key event with `code` dispatched on the element `css` (or the body);
/// returns whether the page took it as the talk key (default prevented).
async fn key(h: &Harness, kind: &str, code: &str, css: Option<&str>) -> bool {
    let target = css.map_or("document.body".to_owned(), |c| {
        format!("document.querySelector({c:?})")
    });
    let js = format!(
        "const t = {target}; return !t.dispatchEvent(new KeyboardEvent('{kind}', {{code: '{code}', bubbles: true, cancelable: true}}));"
    );
    h.eval(&js).await.as_bool() == Some(true)
}

async fn space(h: &Harness, kind: &str, css: Option<&str>) -> bool {
    key(h, kind, "Space", css).await
}

#[tokio::test]
async fn a_call_started_without_talking_leaves_the_floor_free_and_space_talks_from_anywhere() {
    let h = Harness::start(None).await;
    login(&h).await;
    let sid = start_call(&h, &[169918, 169919]).await;
    h.wait_text("#ptt-member-169918", "已接听").await;
    h.wait_text("#ptt-session", &sid).await;
    // createGroup granted the floor; the console gave it back at once.
    h.wait_sim("the floor is free", |s| s.voice_sessions[0].floor.is_none())
        .await;
    h.wait_text("#ptt-talker", "空闲").await;
    h.wait_attr("#ptt-talk", "aria-pressed", "false").await;

    // So a terminal can talk, and is shown with its name and id.
    assert!(h.sim.terminal_talk(169918, true));
    h.wait_text(&format!("#ptt-talker-{sid}"), "ptcs11 (169918)")
        .await;
    h.wait_attr("#ptt-talk", "data-state", "other").await;
    h.screenshot("ptt-terminal-talking").await;
    assert!(h.sim.terminal_talk(169918, false));
    h.wait_attr("#ptt-talk", "data-state", "idle").await;

    // Space on the page (no focus on the button) is the talk key.
    assert!(space(&h, "keydown", None).await);
    h.wait_text("#ptt-talker", "我在讲话").await;
    h.wait_attr("#ptt-talk", "aria-pressed", "true").await;
    h.wait_sim("the floor is mine", |s| {
        s.voice_sessions[0].floor == Some(ME)
    })
    .await;
    h.wait_text("#ptt-timer", "0:0").await;
    assert!(space(&h, "keyup", None).await);
    h.wait_sim("the floor is free again", |s| {
        s.voice_sessions[0].floor.is_none()
    })
    .await;
    h.wait_attr("#ptt-talk", "aria-pressed", "false").await;

    // In a text field Space is a space.
    let field = "#call-dial-id";
    h.wait_for(field).await;
    assert!(!space(&h, "keydown", Some(field)).await);
    assert!(!space(&h, "keyup", Some(field)).await);

    // Hang up; then holding the key with terminals chosen starts a call and talks.
    h.click("#ptt-hangup").await;
    h.wait_text("#ptt-session", "当前没有组呼").await;
    h.wait_sim("no session", |s| s.voice_sessions.is_empty())
        .await;
    h.click("#ptt-pick-169920").await;
    assert!(space(&h, "keydown", None).await);
    h.wait_sim("a new session with my floor", |s| {
        s.voice_sessions.len() == 1 && s.voice_sessions[0].floor == Some(ME)
    })
    .await;
    h.wait_text("#ptt-talker", "我在讲话").await;
    assert!(space(&h, "keyup", None).await);
    h.wait_sim("released", |s| s.voice_sessions[0].floor.is_none())
        .await;
    h.finish().await;
}

#[tokio::test]
async fn one_member_hanging_up_keeps_the_call_for_the_others() {
    let h = Harness::start(None).await;
    login(&h).await;
    start_call(&h, &[169918, 169919]).await;
    h.wait_text("#ptt-member-169919", "已接听").await;

    assert!(h.sim.voice_member_hang_up(169918, "对方挂断"));
    h.wait_text("#ptt-member-169918", "对方挂断").await;
    h.wait_attr("#ptt-member-169918", "class", "member state-idle")
        .await;
    h.wait_text("#ptt-member-169918", "空闲").await;
    h.wait_text("#ptt-member-169919", "已接听").await;
    assert_eq!(h.sim.snapshot().voice_sessions.len(), 1);

    // A terminal that never answers rings, then reads "no answer".
    h.sim.voice_no_answer(169920, true);
    h.click("#ptt-pick-169920").await;
    h.click("#ptt-add").await;
    h.wait_attr("#ptt-member-169920", "class", "member state-ringing")
        .await;
    assert!(h.sim.voice_ring_out(169920));
    h.wait_attr("#ptt-member-169920", "class", "member state-no-answer")
        .await;
    h.wait_text("#ptt-member-169920", "无人接听").await;
    h.screenshot("ptt-member-states").await;

    // The last member leaves: the call ends, here and at the plugin.
    assert!(h.sim.voice_member_hang_up(169919, ""));
    h.wait_text("#ptt-notice", "所有成员已离开").await;
    h.wait_text("#ptt-session", "当前没有组呼").await;
    h.wait_sim("the plugin freed it", |s| s.voice_sessions.is_empty())
        .await;
    h.finish().await;
}

#[tokio::test]
async fn a_session_the_plugin_forgot_is_cleared_and_a_new_call_starts_without_logging_out() {
    let h = Harness::start(None).await;
    login(&h).await;
    let sid = start_call(&h, &[169918]).await;
    h.wait_text("#ptt-member-169918", "已接听").await;

    h.sim.voice_restart();
    h.wait_attr("#voice-light", "data-state", "online").await;
    h.wait_text("#ptt-reconnect", &sid).await;
    h.wait_text("#ptt-reconnect", "丢失").await;
    h.wait_text("#ptt-notice", "已不存在该会话").await;
    h.wait_text("#ptt-session", "当前没有组呼").await;

    let again = start_call(&h, &[169919]).await;
    assert_ne!(again, sid);
    h.wait_text("#ptt-member-169919", "已接听").await;
    h.finish().await;
}

/// After a page reload the console knows no call, the plugin still has
/// one: starting a call takes that one over ("如果当前存在会话，则只请求
/// 话语权", document 000, 2.3), calls the terminal chosen into it, gives the
/// floor back, and it hangs up.
#[tokio::test]
async fn after_a_reload_the_call_the_plugin_still_has_is_taken_over() {
    let h = Harness::start(None).await;
    login(&h).await;
    let sid = start_call(&h, &[169918]).await;
    h.wait_text("#ptt-member-169918", "已接听").await;

    login(&h).await;
    h.wait_text("#ptt-session", "当前没有组呼").await;
    h.click("#ptt-pick-169919").await;
    h.click("#ptt-start").await;
    h.wait_text("#ptt-notice", "已接管").await;
    h.wait_text("#ptt-notice", &sid).await;
    h.wait_text("#ptt-session", &sid).await;
    // The terminal chosen is called into it.
    h.wait_text("#ptt-member-169919", "已接听").await;
    h.wait_sim("the floor given back", |s| {
        s.voice_sessions.len() == 1 && s.voice_sessions[0].floor.is_none()
    })
    .await;
    h.wait_attr("#ptt-talk", "data-state", "idle").await;

    h.click("#ptt-hangup").await;
    h.wait_sim("the call hung up", |s| s.voice_sessions.is_empty())
        .await;
    h.wait_text("#ptt-session", "当前没有组呼").await;
    h.finish().await;
}

#[tokio::test]
async fn a_press_before_login_is_refused_at_once() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.wait_attr("#ptt-talk", "data-state", "offline").await;
    h.click("#ptt-pick-169918").await;
    h.click("#ptt-start").await;
    h.wait_text("#ptt-error", "未连接语音服务").await;
    h.finish().await;
}

#[tokio::test]
async fn a_saved_group_starts_a_call() {
    let h = Harness::start(None).await;
    login(&h).await;
    // Found by a search, plus an id typed in.
    h.fill("#ptt-search", "ptcs12").await;
    h.click("#ptt-all").await;
    h.fill("#ptt-id", "169921").await;
    h.click("#ptt-id-add").await;
    h.fill("#ptt-group-name", "东区").await;
    h.click("#ptt-group-save").await;
    h.wait_text("#ptt-groups", "东区 (2)").await;
    h.click("#ptt-none").await;

    // A reload keeps it; one click calls its terminals, the floor left free.
    login(&h).await;
    h.wait_text("#ptt-groups", "东区 (2)").await;
    h.click("#ptt-group-0").await;
    h.wait_sim("the group's call", |s| {
        s.voice_sessions.len() == 1
            && s.voice_sessions[0]
                .members
                .iter()
                .map(|m| m.id)
                .eq([ME, 169919, 169921])
    })
    .await;
    h.wait_text("#ptt-member-169921", "已接听").await;
    h.wait_sim("the floor is free", |s| s.voice_sessions[0].floor.is_none())
        .await;
    h.finish().await;
}

#[tokio::test]
async fn a_talk_key_chosen_in_settings_and_latch_mode() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.wait_for("#settings-talk-key").await;
    assert!(key(&h, "keydown", "F8", Some("#settings-talk-key")).await);
    h.wait_value("#settings-talk-key", "F8").await;
    h.click("#settings-save").await;
    login(&h).await;
    h.wait_text("#ptt-talk", "F8").await;
    start_call(&h, &[169918]).await;
    h.wait_sim("the floor is free", |s| s.voice_sessions[0].floor.is_none())
        .await;

    // F8 is the talk key now; Space is not.
    assert!(!space(&h, "keydown", None).await);
    assert!(!space(&h, "keyup", None).await);
    assert!(key(&h, "keydown", "F8", None).await);
    h.wait_sim("the floor is mine", |s| {
        s.voice_sessions[0].floor == Some(ME)
    })
    .await;
    assert!(key(&h, "keyup", "F8", None).await);
    h.wait_sim("released", |s| s.voice_sessions[0].floor.is_none())
        .await;

    // Latch mode: a click talks and stays talking after the pointer is up;
    // the next click stops.
    h.click("#ptt-latch").await;
    h.wait_text("#ptt-talk", "点击讲话").await;
    h.click("#ptt-talk").await;
    h.wait_sim("latched on", |s| s.voice_sessions[0].floor == Some(ME))
        .await;
    h.wait_text("#ptt-talker", "我在讲话").await;
    h.wait_attr("#ptt-talk", "aria-pressed", "true").await;
    h.wait_text("#ptt-timer", "0:0").await;
    h.click("#ptt-talk").await;
    h.wait_sim("latched off", |s| s.voice_sessions[0].floor.is_none())
        .await;
    h.wait_attr("#ptt-talk", "aria-pressed", "false").await;
    // The talk key latches too: down and up talks, the next press stops.
    assert!(key(&h, "keydown", "F8", None).await);
    assert!(key(&h, "keyup", "F8", None).await);
    h.wait_sim("key latched on", |s| s.voice_sessions[0].floor == Some(ME))
        .await;
    h.wait_attr("#ptt-talk", "aria-pressed", "true").await;
    assert!(key(&h, "keydown", "F8", None).await);
    assert!(key(&h, "keyup", "F8", None).await);
    h.wait_sim("key latched off", |s| s.voice_sessions[0].floor.is_none())
        .await;
    h.finish().await;
}

/// How many releaseMic requests the journal shows the console sent.
async fn releases_sent(h: &Harness) -> usize {
    let journal = h
        .eval("return document.getElementById('journal').textContent")
        .await;
    journal
        .as_str()
        .unwrap_or_default()
        .matches(r#"{"type":"releaseMic"}"#)
        .count()
}

#[tokio::test]
async fn a_socket_dropped_while_talking_comes_back_with_the_floor_released_at_the_plugin() {
    let h = Harness::start(None).await;
    login(&h).await;
    let sid = start_call(&h, &[169918]).await;
    h.wait_text("#ptt-member-169918", "已接听").await;
    h.wait_sim("the floor is free", |s| s.voice_sessions[0].floor.is_none())
        .await;
    // Talking (the key held) when the network drops.
    assert!(space(&h, "keydown", None).await);
    h.wait_sim("the floor is mine", |s| {
        s.voice_sessions[0].floor == Some(ME)
    })
    .await;
    h.wait_text("#ptt-talker", "我在讲话").await;
    let before = releases_sent(&h).await;
    h.sim.drop_voice_sockets();

    // Back online: no longer shown talking, the call kept, and the console
    // itself told the plugin it let the floor go.
    h.wait_text("#ptt-reconnect", "保留").await;
    h.wait_text("#ptt-reconnect", &sid).await;
    h.wait_attr("#voice-light", "data-state", "online").await;
    h.wait_attr("#ptt-talk", "aria-pressed", "false").await;
    h.wait_attr("#ptt-talk", "data-state", "idle").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while releases_sent(&h).await <= before {
        assert!(
            std::time::Instant::now() < deadline,
            "no releaseMic after the reconnect"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    h.wait_sim("the floor free at the plugin", |s| {
        s.voice_sessions.len() == 1 && s.voice_sessions[0].floor.is_none()
    })
    .await;
    // The key still held comes up: nothing more; a terminal can talk.
    assert!(space(&h, "keyup", None).await);
    assert!(h.sim.terminal_talk(169918, true));
    h.wait_text(&format!("#ptt-talker-{sid}"), "ptcs11 (169918)")
        .await;
    assert!(h.sim.terminal_talk(169918, false));
    // And the dispatcher can talk again.
    assert!(space(&h, "keydown", None).await);
    h.wait_sim("the floor is mine again", |s| {
        s.voice_sessions[0].floor == Some(ME)
    })
    .await;
    assert!(space(&h, "keyup", None).await);
    h.wait_sim("released again", |s| s.voice_sessions[0].floor.is_none())
        .await;
    h.finish().await;
}

#[tokio::test]
async fn two_group_calls_at_once_talking_in_the_selected_one() {
    let h = Harness::start(None).await;
    h.sim.voice_several_sessions(true);
    login(&h).await;
    let first = start_call(&h, &[169918]).await;
    h.click("#ptt-pick-169919").await;
    h.click("#ptt-start").await;
    h.wait_sim("two sessions", |s| s.voice_sessions.len() == 2)
        .await;
    let second = h.sim.snapshot().voice_sessions[1].session_id.clone();
    // The new call is the one selected for talking.
    h.wait_attr(&format!("#ptt-select-{second}"), "aria-pressed", "true")
        .await;
    h.wait_attr(&format!("#ptt-select-{first}"), "aria-pressed", "false")
        .await;
    h.wait_sim("both floors free", |s| {
        s.voice_sessions.iter().all(|v| v.floor.is_none())
    })
    .await;

    let floors = |s: &sim::SimState| -> Vec<Option<u64>> {
        s.voice_sessions.iter().map(|v| v.floor).collect()
    };
    assert!(space(&h, "keydown", None).await);
    h.wait_sim("talking in the second", |s| floors(s) == [None, Some(ME)])
        .await;
    assert!(space(&h, "keyup", None).await);
    h.wait_sim("released", |s| floors(s) == [None, None]).await;

    // Select the first: the key talks there, while a terminal talks in the second.
    h.click(&format!("#ptt-select-{first}")).await;
    h.wait_attr(&format!("#ptt-select-{first}"), "aria-pressed", "true")
        .await;
    assert!(h.sim.terminal_talk(169919, true));
    h.wait_text(&format!("#ptt-talker-{second}"), "ptcs12 (169919)")
        .await;
    assert!(space(&h, "keydown", None).await);
    h.wait_sim("talking in the first", |s| {
        floors(s) == [Some(ME), Some(169919)]
    })
    .await;
    h.wait_text(&format!("#ptt-talker-{first}"), "我在讲话")
        .await;
    assert!(space(&h, "keyup", None).await);
    assert!(h.sim.terminal_talk(169919, false));
    h.wait_sim("both free", |s| floors(s) == [None, None]).await;
    // Each call lists its own transmissions.
    h.wait_text(&format!("#ptt-turns-{first}"), "我（调度员）")
        .await;
    h.wait_text(&format!("#ptt-turns-{second}"), "ptcs12 (169919)")
        .await;
    let first_turns = h
        .eval(&format!(
            "return document.getElementById('ptt-turns-{first}').textContent"
        ))
        .await;
    assert!(
        !first_turns.as_str().unwrap_or_default().contains("169919"),
        "{first_turns}"
    );
    // However far the panel is scrolled, the talk button stays in sight.
    for to in ["0", "ptt.scrollHeight"] {
        talk_button_in_sight(&h, to).await;
    }
    h.screenshot("ptt-two-calls").await;

    // Hanging up one leaves the other.
    h.click(&format!("#ptt-hangup-{second}")).await;
    h.wait_sim("one session left", |s| {
        s.voice_sessions.len() == 1 && s.voice_sessions[0].session_id == first
    })
    .await;
    h.wait_text("#ptt-session", &first).await;
    h.finish().await;
}

/// Scrolls the push-to-talk panel to `to` (a JS expression of `ptt`), then
/// waits until the panel does scroll (else the check proves nothing) and the
/// talk button lies wholly inside the panel's box.
async fn talk_button_in_sight(h: &Harness, to: &str) {
    let js = format!(
        "const ptt = document.getElementById('ptt-panel'); ptt.scrollTop = {to}; \
         const p = ptt.getBoundingClientRect(), t = document.getElementById('ptt-talk').getBoundingClientRect(); \
         return [ptt.scrollHeight > ptt.clientHeight + t.height, t.top >= p.top && t.bottom <= p.bottom]"
    );
    h.wait_js("the talk button in sight", &js, |v| {
        *v == serde_json::json!([true, true])
    })
    .await;
}

#[tokio::test]
async fn a_new_talker_touches_only_the_talker_line() {
    let h = Harness::start(None).await;
    login(&h).await;
    let sid = start_call(&h, &[169918, 169919]).await;
    h.wait_text("#ptt-member-169919", "已接听").await;
    // Watch the parts of the call's line that a new talker does not change:
    // the members (a kick button the dispatcher may be on), the volume
    // controls (a slider they may be dragging), the polite live region.
    h.eval(&format!(
        "const line = document.getElementById('ptt-call-{sid}');
         window.__touched = [];
         const watch = new MutationObserver((records) => records.forEach((r) =>
             window.__touched.push(r.type + ' ' + (r.attributeName ?? '') + ' on ' + r.target.nodeName)));
         for (const part of [line.querySelector('.members'), line.querySelector('.session-head'), line.querySelector('.pending')]) {{
             watch.observe(part, {{subtree: true, attributes: true, childList: true, characterData: true}});
         }}
         return true;"
    ))
    .await;
    assert!(h.sim.terminal_talk(169918, true));
    h.wait_text(&format!("#ptt-talker-{sid}"), "ptcs11 (169918)")
        .await;
    assert!(h.sim.terminal_talk(169918, false));
    h.wait_text(&format!("#ptt-turns-{sid}"), "ptcs11 (169918)")
        .await;
    let touched = h.eval("return window.__touched.slice(0, 5);").await;
    assert_eq!(
        touched,
        serde_json::json!([]),
        "a new talker rewrote other parts"
    );
    h.finish().await;
}
