//! Push-to-talk group call in a real browser against the simulator: start a
//! call, hold and release the floor, a terminal talking, a refused talk,
//! add and remove members, hang up.

use e2e::Harness;

/// Presses (`pointerdown`) or lets go of (`pointerup`) the talk button the
/// way a pointer does.
async fn talk_key(h: &Harness, event: &str) {
    h.wait_for("#ptt-talk:not([disabled])").await;
    h.eval(&format!(
        "document.getElementById('ptt-talk').dispatchEvent(new PointerEvent('{event}', {{bubbles: true, cancelable: true}})); return true"
    ))
    .await;
}

#[tokio::test]
async fn a_group_call_with_floor_control_members_and_hang_up() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.fill("#voice-account", "zydd").await;
    h.fill("#voice-password", "123456").await;
    h.click("#voice-login-button").await;
    h.wait_attr("#voice-light", "data-state", "online").await;
    h.wait_text("#ptt-talker", "空闲").await;

    // Start a call to ptcs11 and ptcs12: they answer, the floor is mine.
    h.click("#ptt-pick-169918").await;
    h.click("#ptt-pick-169919").await;
    h.click("#ptt-start").await;
    h.wait_text("#ptt-member-169918", "已接听").await;
    h.wait_text("#ptt-member-169919", "ptcs12").await;
    h.wait_text("#ptt-member-169919", "已接听").await;
    h.wait_text("#ptt-talker", "我在讲话").await;
    h.wait_sim("the session exists with the floor taken", |s| {
        s.voice_sessions.len() == 1 && s.voice_sessions[0].floor == Some(169905)
    })
    .await;
    // The exact 64-bit id, not the rounded numeric copy.
    let sid = h.sim.snapshot().voice_sessions[0].session_id.clone();
    h.wait_text("#ptt-session", &sid).await;
    h.screenshot("ptt-call").await;

    // Press and let go: the floor goes back.
    talk_key(&h, "pointerdown").await;
    talk_key(&h, "pointerup").await;
    h.wait_text("#ptt-talker", "空闲").await;
    h.wait_sim("the floor is free", |s| s.voice_sessions[0].floor.is_none())
        .await;

    // The Space key on the focused button does the same.
    let space = |kind: &str| {
        format!(
            "const b = document.getElementById('ptt-talk'); b.focus(); b.dispatchEvent(new KeyboardEvent('{kind}', {{code: 'Space', key: ' ', bubbles: true, cancelable: true}})); return true"
        )
    };
    h.eval(&space("keydown")).await;
    h.wait_text("#ptt-talker", "我在讲话").await;
    h.eval(&space("keyup")).await;
    h.wait_text("#ptt-talker", "空闲").await;

    // A terminal takes the floor.
    assert!(h.sim.terminal_talk(169918, true));
    h.wait_text("#ptt-talker", "ptcs11 正在讲话").await;

    // My talk is refused while it holds the floor, in the server's words.
    talk_key(&h, "pointerdown").await;
    h.wait_text("#ptt-error", "ptcs11正在讲话").await;
    talk_key(&h, "pointerup").await;
    h.wait_text("#ptt-talker", "ptcs11 正在讲话").await;
    assert!(h.sim.terminal_talk(169918, false));
    h.wait_text("#ptt-talker", "空闲").await;

    // Add ptcs13, remove ptcs12.
    h.click("#ptt-pick-169920").await;
    h.click("#ptt-add").await;
    h.wait_text("#ptt-member-169920", "已接听").await;
    h.click("#ptt-kick-169919").await;
    h.wait_sim("ptcs12 left, ptcs13 joined", |s| {
        let ids: Vec<u64> = s.voice_sessions[0].members.iter().map(|m| m.id).collect();
        ids.contains(&169920) && !ids.contains(&169919)
    })
    .await;
    h.wait_for("#ptt-members").await;
    let gone = h
        .eval("return document.getElementById('ptt-member-169919') === null")
        .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut gone = gone.as_bool() == Some(true);
    while !gone {
        assert!(std::time::Instant::now() < deadline, "ptcs12 still listed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        gone = h
            .eval("return document.getElementById('ptt-member-169919') === null")
            .await
            .as_bool()
            == Some(true);
    }

    // Hang up: the session is gone here and in the simulator.
    h.click("#ptt-hangup").await;
    h.wait_text("#ptt-session", "当前没有组呼").await;
    h.wait_sim("no session left", |s| s.voice_sessions.is_empty())
        .await;
    let members = h
        .eval("return document.getElementById('ptt-members').children.length")
        .await;
    assert_eq!(members.as_u64(), Some(0));
    h.finish().await;
}

#[tokio::test]
async fn group_call_commands_before_login_are_refused_locally() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.click("#ptt-pick-169918").await;
    h.click("#ptt-start").await;
    h.wait_text("#ptt-error", "请先登录语音服务").await;
    h.finish().await;
}
