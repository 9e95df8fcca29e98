//! The video meeting panel in a real browser against the simulator: join as
//! host, the participant list, lock, mute, dial, messages, presentation,
//! token refresh with a short life, a dropped event stream, leave, a refused
//! pin, and the enterprise cloud's missing commands.

use e2e::{Harness, WAIT};
use sim::{Deployment, Faults, SimState};
use std::time::{Duration, Instant};

const LIGHT: &str = "#meeting-light";

async fn join(h: &Harness) {
    h.wait_attr(LIGHT, "data-state", "idle").await;
    h.click("#meeting-join").await;
    h.wait_attr(LIGHT, "data-state", "online").await;
}

fn uuid_of(s: &SimState, name: &str) -> String {
    s.meeting
        .participants
        .iter()
        .find(|p| p.display_name == name)
        .unwrap_or_else(|| panic!("{name} in the simulator"))
        .uuid
        .clone()
}

/// The console's own session, as the simulator sees it.
fn session_uuid(s: &SimState) -> Option<String> {
    s.meeting
        .sessions
        .first()
        .map(|s| s.participant_uuid.clone())
}

/// The presentation image's object URL.
async fn frame_src(h: &Harness) -> String {
    let js = "return document.querySelector('#meeting-presentation-image').src";
    h.eval(js).await.as_str().unwrap_or_default().to_owned()
}

/// Polls until no element matches `css`.
async fn wait_gone(h: &Harness, css: &str) {
    let deadline = Instant::now() + WAIT;
    let js = format!("return document.querySelector({css:?}) === null");
    while h.eval(&js).await != serde_json::Value::Bool(true) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {css} to go"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_host_joins_locks_mutes_chats_and_leaves() {
    let h = Harness::start(None).await;
    h.open("/").await;
    join(&h).await;
    h.wait_text("#meeting-status", "1061").await;

    // The simulator's participants appear, with roles.
    h.wait_text("#meeting-participants", "现场单兵01").await;
    let s = h.sim.snapshot();
    let field = uuid_of(&s, "现场单兵01");
    let screen = uuid_of(&s, "指挥中心大屏");
    h.wait_text(&format!("#meeting-p-{screen}"), "主持人").await;
    h.wait_text(&format!("#meeting-p-{field}"), "访客").await;
    h.wait_text("#meeting-participants", "调度台").await;

    // Lock: the simulator is locked and the panel shows it from service_update.
    h.wait_attr("#meeting-locked", "data-locked", "false").await;
    h.click("#meeting-lock").await;
    h.wait_sim("locked", |s| s.meeting.locked).await;
    h.wait_attr("#meeting-locked", "data-locked", "true").await;
    h.wait_text("#meeting-locked", "已锁会").await;
    h.wait_text("#meeting-lock", "解锁").await;

    // Mute one participant, from its row's menu.
    h.click(&format!("#meeting-p-{field}-menu")).await;
    h.click(&format!("#meeting-p-{field}-mute")).await;
    h.wait_sim("the field unit muted", |s| {
        s.meeting
            .participants
            .iter()
            .any(|p| p.uuid == field && p.is_muted)
    })
    .await;
    h.wait_attr(&format!("#meeting-p-{field}"), "data-muted", "true")
        .await;

    // Mute all guests.
    h.click("#meeting-mute-guests").await;
    h.wait_sim("guests muted", |s| s.meeting.guests_muted).await;
    h.wait_attr("#meeting-guests-muted", "data-muted", "true")
        .await;

    // Who speaks.
    assert!(h.sim.meeting_speak(&screen));
    h.wait_attr(&format!("#meeting-p-{screen}"), "data-speaking", "true")
        .await;

    // A message to everyone comes back on the stream.
    h.fill("#meeting-message-input", "请各单位注意").await;
    h.click("#meeting-message-send").await;
    h.wait_sim("the message sent", |s| {
        s.meeting.messages.iter().any(|(_, m)| m == "请各单位注意")
    })
    .await;
    h.wait_text("#meeting-messages", "请各单位注意").await;

    // A presentation.
    h.sim.meeting_present(Some("Bob".into()));
    h.wait_text("#meeting-presentation", "Bob").await;
    h.sim.meeting_present(None);
    wait_gone(&h, "#meeting-presentation").await;

    // No token reached the journal.
    let tokens: Vec<String> = h
        .sim
        .snapshot()
        .meeting
        .sessions
        .iter()
        .flat_map(|s| s.tokens.clone())
        .collect();
    assert!(!tokens.is_empty());
    let journal = h.wait_text("#journal", "events?token=***").await;
    for t in &tokens {
        assert!(!journal.contains(t.as_str()), "a token leaked: {t}");
    }
    assert!(!journal.contains("123456"), "the pin leaked");
    h.screenshot("meeting").await;

    // Leave: end_session reaches the simulator, the light goes back to idle.
    h.click("#meeting-leave").await;
    h.wait_sim("the session ended", |s| s.meeting.sessions.is_empty())
        .await;
    h.wait_attr(LIGHT, "data-state", "idle").await;
    h.wait_for("#meeting-join").await;
    h.finish().await;
}

#[tokio::test]
async fn a_dialled_destination_connects_and_a_busy_one_goes_away() {
    let h = Harness::start(None).await;
    h.open("/").await;
    join(&h).await;

    h.fill("#meeting-dial-destination", "sip:alice@example.com")
        .await;
    h.click("#meeting-dial-button").await;
    h.wait_sim("alice dialled", |s| {
        s.meeting
            .participants
            .iter()
            .any(|p| p.display_name == "sip:alice@example.com")
    })
    .await;
    let alice = uuid_of(&h.sim.snapshot(), "sip:alice@example.com");
    // Connecting first, in the conference a second later.
    h.wait_for(&format!("#meeting-p-{alice}")).await;
    h.wait_attr(&format!("#meeting-p-{alice}"), "data-service", "conference")
        .await;

    h.fill("#meeting-dial-destination", "busy@example.com")
        .await;
    h.click("#meeting-dial-button").await;
    h.wait_text("#meeting-participants", "busy@example.com")
        .await;
    let deadline = Instant::now() + WAIT;
    loop {
        let text = h
            .wait_for("#meeting-participants")
            .await
            .text()
            .await
            .unwrap();
        if !text.contains("busy@example.com") {
            break;
        }
        assert!(Instant::now() < deadline, "the busy call stayed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.finish().await;
}

#[tokio::test]
async fn a_short_token_life_is_refreshed_and_the_console_stays_joined() {
    let h = Harness::start(None).await;
    h.sim.set_faults(Faults {
        meeting_token_ttl_secs: Some(3),
        ..Default::default()
    });
    h.open("/").await;
    join(&h).await;
    let s = h.sim.snapshot();
    let me = session_uuid(&s).expect("a session");
    let first = s.meeting.sessions[0].tokens.clone();

    // The first token runs out after 3 s; the session lives on with newer ones.
    h.wait_sim("the first token expired, the session alive", |s| {
        s.meeting.sessions.iter().any(|x| {
            x.participant_uuid == me
                && !x.tokens.is_empty()
                && x.tokens.iter().all(|t| !first.contains(t))
        })
    })
    .await;
    let second = h.sim.snapshot().meeting.sessions[0].tokens.clone();
    h.wait_sim("refreshed again", |s| {
        s.meeting.sessions.iter().any(|x| {
            x.participant_uuid == me
                && !x.tokens.is_empty()
                && x.tokens.iter().all(|t| !second.contains(t))
        })
    })
    .await;
    assert_eq!(h.sim.snapshot().meeting.sessions.len(), 1, "no re-join");
    h.wait_attr(LIGHT, "data-state", "online").await;
    h.wait_text("#journal", "refresh_session").await;

    // Commands still work with the fresh token.
    h.click("#meeting-lock").await;
    h.wait_sim("locked", |s| s.meeting.locked).await;
    h.wait_attr("#meeting-locked", "data-locked", "true").await;
    h.finish().await;
}

#[tokio::test]
async fn a_dropped_event_stream_is_reopened_and_resynced() {
    let h = Harness::start(None).await;
    h.open("/").await;
    join(&h).await;
    h.wait_text("#meeting-participants", "现场单兵01").await;
    let s = h.sim.snapshot();
    let me = session_uuid(&s).unwrap();
    let screen = uuid_of(&s, "指挥中心大屏");

    // End every event stream (the fault is lifted before the console's first
    // retry, so it sees a dropped stream, not a server error).
    h.sim.set_faults(Faults {
        meeting_down: true,
        ..Default::default()
    });
    h.sim.set_faults(Faults::default());
    h.wait_attr(LIGHT, "data-state", "reconnecting").await;
    h.wait_text("#meeting-status", "重连").await;
    h.wait_attr(LIGHT, "data-state", "online").await;

    // The new stream delivers: a stage event shows who speaks.
    assert!(h.sim.meeting_speak(&screen));
    h.wait_attr(&format!("#meeting-p-{screen}"), "data-speaking", "true")
        .await;
    assert_eq!(
        session_uuid(&h.sim.snapshot()).as_deref(),
        Some(me.as_str())
    );
    h.wait_text("#meeting-participants", "现场单兵01").await;
    h.finish().await;
}

#[tokio::test]
async fn a_wrong_pin_shows_the_servers_message() {
    let config = include_str!("../../../config.json").replace("\"123456\"", "\"000000\"");
    let h = Harness::start(Some(config)).await;
    h.open("/").await;
    h.wait_attr(LIGHT, "data-state", "idle").await;
    h.click("#meeting-join").await;
    h.wait_attr(LIGHT, "data-state", "refused").await;
    h.wait_text("#meeting-join-error", "入会密码错误").await;
    h.finish().await;
}

#[tokio::test]
async fn on_the_enterprise_cloud_unsupported_commands_are_disabled() {
    let config = include_str!("../../../config.json").replace(
        "\"deployment\": \"public\"",
        "\"deployment\": \"enterprise\"",
    );
    assert!(config.contains("enterprise"));
    let h = Harness::start(Some(config)).await;
    h.sim.set_deployment(Deployment::Enterprise);
    h.open("/").await;
    h.wait_text("#meeting-deployment", "企业专属云").await;
    join(&h).await;

    // No participant_create on this cloud: they come as updates.
    h.wait_text("#meeting-participants", "现场单兵01").await;
    let field = uuid_of(&h.sim.snapshot(), "现场单兵01");
    let row = format!("#meeting-p-{field}");
    h.click(&format!("{row}-menu")).await;
    // The document's last table: spotlight, role, transfer and presentation
    // receiving per participant, start and layout for the meeting.
    for css in [
        format!("{row}-spotlight"),
        format!("{row}-role"),
        format!("{row}-rx"),
        format!("{row}-transfer"),
        "#meeting-start".into(),
        "#meeting-layout-open".into(),
    ] {
        h.wait_attr(&css, "disabled", "true").await;
    }
    h.wait_text(&format!("{row}-actions"), "企业专属云不支持")
        .await;
    let mute = h.wait_for(&format!("{row}-mute")).await;
    assert_eq!(mute.attr("disabled").await.unwrap(), None);

    // It dials H.323 and SIP only: the other protocols are offered disabled.
    for p in ["phone", "rtmp", "auto"] {
        h.wait_attr(
            &format!("#meeting-dial-protocol option[value={p}]"),
            "disabled",
            "true",
        )
        .await;
    }
    for p in ["sip", "h323"] {
        let option = h
            .wait_for(&format!("#meeting-dial-protocol option[value={p}]"))
            .await;
        assert_eq!(option.attr("disabled").await.unwrap(), None, "{p}");
    }

    // What the enterprise cloud has still works.
    mute.click().await.unwrap();
    h.wait_attr(&row, "data-muted", "true").await;
    h.finish().await;
}

#[tokio::test]
async fn a_guest_session_shows_no_host_tools() {
    let config = include_str!("../../../config.json").replace("\"123456\"", "\"654321\"");
    let h = Harness::start(Some(config)).await;
    h.open("/").await;
    join(&h).await;
    h.wait_text("#meeting-guest", "访客").await;
    h.wait_text("#meeting-participants", "现场单兵01").await;
    let field = uuid_of(&h.sim.snapshot(), "现场单兵01");
    for css in [
        "#meeting-lock",
        "#meeting-mute-guests",
        "#meeting-dial-form",
        "#meeting-start",
        "#meeting-end",
        "#meeting-layout-open",
        &format!("#meeting-p-{field}-menu"),
        &format!("#meeting-p-{field}-mute"),
        &format!("#meeting-p-{field}-kick"),
    ] {
        wait_gone(&h, css).await;
    }
    // The roster and the presentation are still there for a guest.
    h.sim.meeting_present(Some("Bob".into()));
    h.wait_text("#meeting-presentation", "Bob").await;
    h.finish().await;
}

#[tokio::test]
async fn a_presentation_frame_is_shown_as_an_image_and_stop_clears_it() {
    let h = Harness::start(None).await;
    h.open("/").await;
    join(&h).await;
    h.sim.meeting_present(Some("Bob".into()));
    h.wait_text("#meeting-presentation", "Bob").await;
    h.wait_for("#meeting-presentation-image").await;
    // The bytes fetched with the token header decode as the simulator's JPEG.
    let js = "const i = document.querySelector('#meeting-presentation-image'); \
              return !!i && i.complete && i.naturalWidth > 0 && i.src.startsWith('blob:')";
    let deadline = Instant::now() + WAIT;
    while h.eval(js).await != serde_json::Value::Bool(true) {
        assert!(Instant::now() < deadline, "the frame never showed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A new frame replaces the image with a new object URL.
    let first = frame_src(&h).await;
    assert!(h.sim.meeting_frame());
    let deadline = Instant::now() + WAIT;
    while frame_src(&h).await == first {
        assert!(
            Instant::now() < deadline,
            "the new frame never replaced the old"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.sim.meeting_present(None);
    wait_gone(&h, "#meeting-presentation-image").await;
    wait_gone(&h, "#meeting-presentation").await;
    assert!(!h.sim.meeting_frame(), "no frame without a presentation");
    h.finish().await;
}

#[tokio::test]
async fn a_burst_of_5xx_with_the_token_lost_ends_joined_again_as_one_participant() {
    let h = Harness::start(None).await;
    h.open("/").await;
    join(&h).await;
    let me = session_uuid(&h.sim.snapshot()).unwrap();

    // The node answers 503 to everything, and meanwhile the token dies.
    h.sim.set_faults(Faults {
        meeting_down: true,
        ..Default::default()
    });
    h.wait_attr(LIGHT, "data-state", "unreachable").await;
    h.sim.expire_meeting_tokens();
    h.sim.set_faults(Faults::default());

    // Back: a new session (the old one ended), and only one of ours.
    h.wait_attr(LIGHT, "data-state", "online").await;
    h.wait_sim("rejoined as one", |s| {
        s.meeting.sessions.len() == 1
            && s.meeting.sessions[0].participant_uuid != me
            && s.meeting
                .participants
                .iter()
                .filter(|p| p.display_name == "调度台")
                .count()
                == 1
    })
    .await;
    h.wait_text("#meeting-participants", "现场单兵01").await;
    // The browser itself logs each refused request of the burst; those, and
    // only those, are expected here. Anything after this is checked by finish.
    for e in h.console_errors().await {
        assert!(
            e.contains("/api/services/1061/")
                && e.contains("Failed to load resource")
                && (e.contains("status of 503") || e.contains("status of 403")),
            "{e}"
        );
    }
    h.click("#meeting-lock").await;
    h.wait_sim("locked", |s| s.meeting.locked).await;
    h.finish().await;
}

/// How many roster rows are shown.
async fn row_count(h: &Harness) -> u64 {
    let js = "return document.querySelectorAll('#meeting-participants > li.participant').length";
    h.eval(js).await.as_u64().unwrap_or(0)
}

async fn wait_rows(h: &Harness, want: u64) {
    let deadline = Instant::now() + WAIT;
    while row_count(h).await != want {
        assert!(
            Instant::now() < deadline,
            "timed out: {} rows, want {want}",
            row_count(h).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The uuids of the roster's rows, top to bottom.
async fn row_order(h: &Harness) -> Vec<String> {
    let js = "return [...document.querySelectorAll('#meeting-participants > li.participant')]\
              .map(li => li.id.replace('meeting-p-', ''))";
    let v = h.eval(js).await;
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect()
}

/// Picks `value` in the `<select>` `css` the way a person does.
async fn select(h: &Harness, css: &str, value: &str) {
    let js = format!(
        "const s = document.querySelector({css:?}); s.value = {value:?}; \
         s.dispatchEvent(new Event('change', {{bubbles: true}})); return s.value"
    );
    assert_eq!(h.eval(&js).await, serde_json::Value::String(value.into()));
}

#[tokio::test]
async fn the_roster_shows_every_field_searches_sorts_and_admits_all() {
    let h = Harness::start(None).await;
    h.open("/").await;
    join(&h).await;
    h.wait_text("#meeting-participants", "李工(手机)").await;
    let s = h.sim.snapshot();
    let phone = uuid_of(&s, "李工(手机)");
    let screen = uuid_of(&s, "指挥中心大屏");
    let row = format!("#meeting-p-{phone}");
    // The document's fields: protocol, direction, encryption, audio only,
    // time in the meeting (m:ss since start_time).
    let text = h.wait_text(&row, "phone").await;
    for want in ["访客", "呼入", "已加密", "仅音频"] {
        assert!(text.contains(want), "{want} in {text:?}");
    }
    let since = format!("return document.querySelector('{row} .since').textContent");
    let since = h.eval(&since).await;
    let since = since.as_str().unwrap_or_default();
    assert!(
        since
            .split_once(':')
            .is_some_and(|(m, s)| m.parse::<u32>().is_ok()
                && s.len() == 2
                && s.parse::<u32>().is_ok()),
        "time in the meeting {since:?}"
    );
    // It goes on counting.
    let first = since.to_owned();
    let since = format!("return document.querySelector('{row} .since').textContent");
    let deadline = Instant::now() + WAIT;
    while h.eval(&since).await.as_str() == Some(first.as_str()) {
        assert!(
            Instant::now() < deadline,
            "the time in the meeting stood still"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    h.wait_text("#meeting-participant-count", "4").await;

    // Who speaks: the stage, and "speakers first" puts the speaker on top.
    assert!(h.sim.meeting_speak(&phone));
    h.wait_attr(&row, "data-speaking", "true").await;
    select(&h, "#meeting-roster-sort", "stage").await;
    let deadline = Instant::now() + WAIT;
    while row_order(&h).await.first() != Some(&phone) {
        assert!(Instant::now() < deadline, "the speaker is not first");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(h.sim.meeting_speak(&screen));
    let deadline = Instant::now() + WAIT;
    while row_order(&h).await[..2] != [screen.clone(), phone.clone()] {
        assert!(Instant::now() < deadline, "the stage order is not followed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.wait_attr(&row, "data-speaking", "false").await;
    select(&h, "#meeting-roster-sort", "name").await;

    // Search narrows the rows; clearing it brings them back.
    h.fill("#meeting-roster-search", "李工").await;
    wait_rows(&h, 1).await;
    h.wait_for(&row).await;
    h.fill("#meeting-roster-search", "nobody-here").await;
    h.wait_for("#meeting-roster-none").await;
    h.fill("#meeting-roster-search", "PHONE").await;
    wait_rows(&h, 1).await;
    h.eval(
        "const i = document.querySelector('#meeting-roster-search'); i.value = ''; \
            i.dispatchEvent(new Event('input', {bubbles: true})); return true",
    )
    .await;
    wait_rows(&h, 4).await;

    // Locked: two guests wait; "admit all" lets both in.
    h.click("#meeting-lock").await;
    h.wait_attr("#meeting-locked", "data-locked", "true").await;
    let carol = h.sim.meeting_join("Carol", sim::Role::Guest);
    let dave = h.sim.meeting_join("Dave", sim::Role::Guest);
    for u in [&carol, &dave] {
        h.wait_attr(&format!("#meeting-p-{u}"), "data-service", "waiting_room")
            .await;
    }
    h.wait_text("#meeting-admit-all", "(2)").await;
    h.click("#meeting-admit-all").await;
    h.wait_sim("both admitted", |s| {
        s.meeting
            .participants
            .iter()
            .filter(|p| p.uuid == carol || p.uuid == dave)
            .all(|p| p.service_type == "conference")
    })
    .await;
    for u in [&carol, &dave] {
        h.wait_attr(&format!("#meeting-p-{u}"), "data-service", "conference")
            .await;
    }
    wait_gone(&h, "#meeting-admit-all").await;

    // A leave takes the row away.
    assert!(h.sim.meeting_leave(&carol));
    wait_gone(&h, &format!("#meeting-p-{carol}")).await;
    h.wait_text("#meeting-participant-count", "5").await;

    // A name is shown as text, never read as markup.
    let name = r#"<img src=x id=injected>&amp;"'"#;
    let odd = h.sim.meeting_join(name, sim::Role::Guest);
    let shown =
        format!("return document.querySelector('#meeting-p-{odd} .name')?.textContent ?? null");
    let deadline = Instant::now() + WAIT;
    while h.eval(&shown).await != serde_json::Value::String(name.into()) {
        assert!(Instant::now() < deadline, "the name is not shown as sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        h.eval("return document.getElementById('injected') === null")
            .await
            == true
    );
    h.finish().await;
}

/// The simulator's record of one participant, if still there.
fn info(s: &SimState, uuid: &str) -> Option<sim::ParticipantInfo> {
    s.meeting
        .participants
        .iter()
        .find(|p| p.uuid == uuid)
        .cloned()
}

#[tokio::test]
async fn every_participant_command_changes_the_simulator_and_the_roster() {
    let h = Harness::start(None).await;
    h.open("/").await;
    join(&h).await;
    h.wait_text("#meeting-participants", "李工(手机)").await;
    let s = h.sim.snapshot();
    let field = uuid_of(&s, "现场单兵01");
    let phone = uuid_of(&s, "李工(手机)");
    let row = format!("#meeting-p-{field}");
    let button = |what: &str| format!("{row}-{what}");
    h.click(&button("menu")).await;

    // Each toggle, on and off: the simulator changes, the row follows.
    type Read = fn(&sim::ParticipantInfo) -> String;
    let toggles: [(&str, &str, &str, &str, Read); 3] = [
        ("mute", "data-muted", "true", "false", |p| {
            p.is_muted.to_string()
        }),
        ("rx", "data-rx", "deny", "allow", |p| {
            p.rx_presentation_policy.to_ascii_lowercase()
        }),
        ("spotlight", "data-spotlight", "true", "false", |p| {
            p.spotlight.to_string()
        }),
    ];
    for (what, attr, on, off, read) in toggles {
        for want in [on, off] {
            h.click(&button(what)).await;
            h.wait_sim(&format!("{what} {want}"), |s| {
                info(s, &field).is_some_and(|p| read(&p) == want)
            })
            .await;
            h.wait_attr(&row, attr, want).await;
        }
    }
    // The role, to host and back to guest.
    for (want, role) in [("chair", "主持人"), ("guest", "访客")] {
        h.click(&button("role")).await;
        h.wait_sim(&format!("made {want}"), |s| {
            info(s, &field).is_some_and(|p| p.role == want)
        })
        .await;
        h.wait_attr(&row, "data-role", want).await;
        h.wait_text(&format!("{row} .role"), role).await;
    }

    // DTMF to the phone.
    h.click(&format!("#meeting-p-{phone}-menu")).await;
    h.fill(&format!("#meeting-p-{phone}-dtmf-digits"), "12 34#")
        .await;
    h.click(&format!("#meeting-p-{phone}-dtmf")).await;
    h.wait_sim("digits sent", |s| {
        s.meeting
            .dtmf
            .contains(&(phone.clone(), "1234#".to_owned()))
    })
    .await;

    // Admit one guest from the waiting room, then transfer it elsewhere.
    h.click("#meeting-lock").await;
    h.wait_attr("#meeting-locked", "data-locked", "true").await;
    let carol = h.sim.meeting_join("Carol", sim::Role::Guest);
    let carol_row = format!("#meeting-p-{carol}");
    h.wait_attr(&carol_row, "data-service", "waiting_room")
        .await;
    h.click(&format!("{carol_row}-menu")).await;
    h.click(&format!("{carol_row}-admit")).await;
    h.wait_sim("carol admitted", |s| {
        info(s, &carol).is_some_and(|p| p.service_type == "conference")
    })
    .await;
    h.wait_attr(&carol_row, "data-service", "conference").await;
    h.fill(&format!("{carol_row}-transfer-alias"), "meet@example.com")
        .await;
    select(&h, &format!("{carol_row}-transfer-role"), "chair").await;
    h.fill(&format!("{carol_row}-transfer-pin"), "4321").await;
    h.click(&format!("{carol_row}-transfer")).await;
    h.wait_sim("carol transferred", |s| {
        s.meeting.transfers.iter().any(|(u, t)| {
            *u == carol
                && t.conference_alias == "meet@example.com"
                && t.role == sim::Role::Host
                && t.pin.as_deref() == Some("4321")
        }) && info(s, &carol).is_none()
    })
    .await;
    wait_gone(&h, &carol_row).await;

    // Disconnect.
    h.click(&button("kick")).await;
    h.wait_sim("the field unit gone", |s| info(s, &field).is_none())
        .await;
    wait_gone(&h, &row).await;
    h.finish().await;
}

#[tokio::test]
async fn every_conference_command_changes_the_simulator_and_the_panel() {
    let h = Harness::start(None).await;
    h.open("/").await;
    join(&h).await;
    h.wait_text("#meeting-participants", "现场单兵01").await;
    let s = h.sim.snapshot();
    let field = uuid_of(&s, "现场单兵01");
    let screen = uuid_of(&s, "指挥中心大屏");

    // Guests muted and unmuted again.
    for want in ["true", "false"] {
        h.click("#meeting-mute-guests").await;
        h.wait_sim("guests muted toggled", |s| {
            s.meeting.guests_muted.to_string() == want
        })
        .await;
        h.wait_attr("#meeting-guests-muted", "data-muted", want)
            .await;
    }

    // Start: the waiting guests come in.
    h.click("#meeting-lock").await;
    h.wait_attr("#meeting-locked", "data-locked", "true").await;
    let dave = h.sim.meeting_join("Dave", sim::Role::Guest);
    h.wait_attr(
        &format!("#meeting-p-{dave}"),
        "data-service",
        "waiting_room",
    )
    .await;
    h.click("#meeting-start").await;
    h.wait_sim("dave let in", |s| {
        info(s, &dave).is_some_and(|p| p.service_type == "conference")
    })
    .await;
    h.wait_attr(&format!("#meeting-p-{dave}"), "data-service", "conference")
        .await;

    // Unlock.
    h.click("#meeting-lock").await;
    h.wait_sim("unlocked", |s| !s.meeting.locked).await;
    h.wait_attr("#meeting-locked", "data-locked", "false").await;

    // Status: a lock the stream never reported shows once asked for.
    h.sim.meeting_lock_quietly(true);
    h.click("#meeting-status-refresh").await;
    h.wait_attr("#meeting-locked", "data-locked", "true").await;
    h.sim.meeting_lock_quietly(false);
    h.click("#meeting-status-refresh").await;
    h.wait_attr("#meeting-locked", "data-locked", "false").await;

    // The layout, for hosts: 1:21, two actors in the order ticked, no
    // backfill, plus-n off, an overlay text.
    h.click("#meeting-layout-open").await;
    select(&h, "#meeting-layout-audience", "hosts").await;
    select(&h, "#meeting-layout-kind", "1:21").await;
    h.click(&format!("#meeting-layout-actor-{screen}")).await;
    h.click(&format!("#meeting-layout-actor-{field}")).await;
    h.click("#meeting-layout-vad").await;
    select(&h, "#meeting-layout-plus-n", "off").await;
    h.fill("#meeting-layout-overlay", "名字").await;
    h.click("#meeting-layout-apply").await;
    h.wait_sim("the layout overridden", |s| {
        s.meeting.layouts.len() == 1 && {
            let l = &s.meeting.layouts[0];
            l.audience == proto::meeting::Audience::Hosts
                && l.layout == "1:21"
                && l.actors == [screen.clone(), field.clone()]
                && !l.vad_backfill
                && l.plus_n == "off"
                && l.actors_overlay_text == "名字"
        }
    })
    .await;
    h.wait_text("#meeting-layout", "1:21").await;

    // Dial with every field.
    h.fill("#meeting-dial-destination", "rtmp://live.example.com/app/1")
        .await;
    select(&h, "#meeting-dial-protocol", "rtmp").await;
    select(&h, "#meeting-dial-role", "chair").await;
    h.click("#meeting-dial-more").await;
    select(&h, "#meeting-dial-call-type", "audio").await;
    h.fill(
        "#meeting-dial-presentation-url",
        "rtmp://live.example.com/app/2",
    )
    .await;
    h.click("#meeting-dial-streaming").await;
    h.fill("#meeting-dial-dtmf", "99#").await;
    h.fill("#meeting-dial-source", "1061").await;
    h.fill("#meeting-dial-source-name", "指挥中心").await;
    h.fill("#meeting-dial-remote-name", "直播推流").await;
    select(
        &h,
        "#meeting-dial-keep-alive",
        "keep_conference_alive_never",
    )
    .await;
    h.click("#meeting-dial-button").await;
    let mut want = proto::meeting::Dial::new(
        sim::Role::Host,
        "rtmp://live.example.com/app/1",
        proto::meeting::DialProtocol::Rtmp,
    );
    want.call_type = Some(proto::meeting::DialCallType::Audio);
    want.presentation_url = Some("rtmp://live.example.com/app/2".into());
    want.streaming = Some(true);
    want.dtmf_sequence = Some("99#".into());
    want.source = Some("1061".into());
    want.source_display_name = Some("指挥中心".into());
    want.remote_display_name = Some("直播推流".into());
    want.keep_conference_alive = Some(proto::meeting::KeepConferenceAlive::Never);
    h.wait_sim("dialled with every field", |s| {
        s.meeting.dials.last() == Some(&want)
    })
    .await;
    h.wait_text("#meeting-participants", "直播推流").await;

    // End for everyone: asked first; cancel leaves it be.
    h.click("#meeting-end").await;
    h.wait_text("#meeting-end-confirm-box", "确定").await;
    h.click("#meeting-end-cancel").await;
    wait_gone(&h, "#meeting-end-confirm-box").await;
    assert!(!h.sim.snapshot().meeting.participants.is_empty());
    h.click("#meeting-end").await;
    h.click("#meeting-end-confirm").await;
    h.wait_sim("the meeting ended", |s| {
        s.meeting.participants.is_empty() && s.meeting.sessions.is_empty()
    })
    .await;
    h.wait_attr(LIGHT, "data-state", "idle").await;
    h.wait_text("#meeting-error-text", "已被移出会议").await;
    h.finish().await;
}

/// The browser logs each refused request itself; those with `status` on a
/// path containing `path`, and only those, are expected.
async fn expect_refusals_only(h: &Harness, path: &str, status: &str) {
    for e in h.console_errors().await {
        assert!(
            e.contains(path)
                && e.contains("Failed to load resource")
                && e.contains(&format!("status of {status}")),
            "{e}"
        );
    }
}

#[tokio::test]
async fn a_meeting_moved_to_another_node_is_followed() {
    let h = Harness::start(None).await;
    h.open("/").await;
    join(&h).await;
    h.wait_text("#meeting-participants", "现场单兵01").await;
    let me = session_uuid(&h.sim.snapshot()).unwrap();

    assert_eq!(h.sim.meeting_move_node(), 1);
    // The old node refuses; checkJoin names the new one; one of us there.
    h.wait_sim("joined on the new node", |s| {
        s.meeting.node == 1
            && s.meeting.sessions.len() == 1
            && s.meeting.sessions[0].participant_uuid != me
            && s.meeting
                .participants
                .iter()
                .filter(|p| p.display_name == "调度台")
                .count()
                == 1
    })
    .await;
    h.wait_attr(LIGHT, "data-state", "online").await;
    h.wait_text("#journal", "/nodes/1/api/services/1061/").await;
    h.wait_text("#meeting-participants", "现场单兵01").await;
    expect_refusals_only(&h, "/api/services/1061/", "404").await;
    // Commands go to the new node.
    h.click("#meeting-lock").await;
    h.wait_sim("locked", |s| s.meeting.locked).await;
    h.wait_attr("#meeting-locked", "data-locked", "true").await;
    h.finish().await;
}

#[tokio::test]
async fn a_silent_event_stream_is_reopened() {
    let config = include_str!("../../../config.json").replace(
        "\"participantName\": \"调度台\"",
        "\"participantName\": \"调度台\", \"streamSilentSecs\": 5",
    );
    assert!(config.contains("streamSilentSecs"));
    let h = Harness::start(Some(config)).await;
    h.open("/").await;
    join(&h).await;
    h.wait_text("#meeting-participants", "现场单兵01").await;
    let me = session_uuid(&h.sim.snapshot()).unwrap();

    // Open but mute: a join is not delivered, until the console gives up
    // on the silent stream and opens another, whose snapshot has it.
    h.sim.meeting_silence_streams();
    let erin = h.sim.meeting_join("Erin", sim::Role::Guest);
    h.wait_for(&format!("#meeting-p-{erin}")).await;
    h.wait_text("#journal", "event stream silent").await;
    h.wait_attr(LIGHT, "data-state", "online").await;
    // The same session all along: a reopen, not a rejoin.
    assert_eq!(session_uuid(&h.sim.snapshot()), Some(me));
    assert!(h.sim.meeting_speak(&erin));
    h.wait_attr(&format!("#meeting-p-{erin}"), "data-speaking", "true")
        .await;
    h.finish().await;
}

#[tokio::test]
async fn refused_refreshes_end_in_a_new_session_as_one_participant() {
    let h = Harness::start(None).await;
    h.sim.set_faults(Faults {
        meeting_token_ttl_secs: Some(3),
        meeting_refresh_status: Some(403),
        ..Default::default()
    });
    h.open("/").await;
    join(&h).await;
    let me = session_uuid(&h.sim.snapshot()).unwrap();
    // The refresh at two seconds is refused: the old session ends, a new
    // one starts from checkJoin.
    h.wait_sim("a new session, the old one ended", |s| {
        s.meeting.sessions.len() == 1 && s.meeting.sessions[0].participant_uuid != me
    })
    .await;
    h.sim.set_faults(Faults {
        meeting_token_ttl_secs: Some(3),
        ..Default::default()
    });
    h.wait_attr(LIGHT, "data-state", "online").await;
    // Refreshes work again: a session holds its old token and the new one.
    h.wait_sim("refreshed", |s| {
        s.meeting.sessions.len() == 1 && s.meeting.sessions[0].tokens.len() >= 2
    })
    .await;
    assert_eq!(
        h.sim
            .snapshot()
            .meeting
            .participants
            .iter()
            .filter(|p| p.display_name == "调度台")
            .count(),
        1
    );
    expect_refusals_only(&h, "/api/services/1061/", "403").await;
    h.finish().await;
}
