//! Push-to-talk audio (docs/audio.md) in Chromium with its fake microphone
//! against the simulator: holding the talk key puts frames at the plugin,
//! in G.711 (with sound, as the plugin measures) or in Opus (every packet
//! well formed), from the 20 ms before the press on although the grant
//! comes late, none without the floor or after the release; the echo
//! terminal's playback, in the codec it heard, is heard (the speaker
//! meter's analyser sees energy) while its name shows, an Opus one
//! replayed too, and not while its call is muted; a scripted talking terminal is named
//! when its sound plays, not at its floor notification, until its last
//! frame has played, and its transmission can be replayed;
//! in `plugin` mode the console sends nothing and shows the plugin's words
//! on its microphone.

use e2e::{repo_root, Harness, WAIT};
use serde_json::{json, Value};
use sim::{Faults, SessionAudio};
use std::time::{Duration, Instant};

const ME: u64 = 169905;
const ECHO: u64 = 169919;

async fn login(h: &Harness) {
    h.open("/").await;
    h.fill("#voice-account", "zydd").await;
    h.fill("#voice-password", "123456").await;
    h.click("#voice-login-button").await;
    h.wait_attr("#voice-light", "data-state", "online").await;
    h.wait_attr("#ptt-talk", "data-state", "idle").await;
}

/// Starts a call to `to`; returns its session id once the floor is free.
async fn start_call(h: &Harness, to: &[u64]) -> String {
    for t in to {
        h.click(&format!("#ptt-pick-{t}")).await;
    }
    h.click("#ptt-start").await;
    h.wait_sim("a session with a free floor", |s| {
        s.voice_sessions.len() == 1 && s.voice_sessions[0].floor.is_none()
    })
    .await;
    h.sim.snapshot().voice_sessions[0].session_id.clone()
}

/// Space on the page; returns the page's clock (ms, as the frames' capture
/// timestamps count) just before and just after the key event. The console
/// handles the key within the dispatch and reads the clock then, on a busy
/// machine a few ms after the first reading.
async fn space(h: &Harness, kind: &str) -> (u64, u64) {
    let js = format!(
        "const clock = () => performance.timeOrigin + performance.now(); \
         const t0 = clock(); \
         document.body.dispatchEvent(new KeyboardEvent('{kind}', {{code: 'Space', key: ' ', bubbles: true, cancelable: true}})); \
         return [Math.floor(t0), Math.ceil(clock())];"
    );
    let at = h.eval(&js).await;
    let read = |i: usize| at[i].as_u64().expect("a time");
    (read(0), read(1))
}

/// Polls until the speaker meter's analyser has seen sound.
async fn wait_heard(h: &Harness) {
    let deadline = Instant::now() + WAIT;
    loop {
        let heard = h
            .eval("return Number(document.querySelector('#audio-level-out')?.dataset.heard ?? 0)")
            .await
            .as_u64()
            .unwrap_or(0);
        if heard > 0 {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the speaker never heard the echo"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn config_with_audio(audio: Value) -> String {
    let text = std::fs::read_to_string(repo_root().join("config.json")).unwrap();
    let mut config: Value = serde_json::from_str(&text).unwrap();
    config["audio"] = audio;
    config.to_string()
}

/// Talks a second and a half to the echo terminal through a grant that
/// comes 400 ms after the press, and hears the echo: what reached the
/// plugin follows every floor rule (the exact session, from the pre-roll
/// on, every frame in order, none after the release). Returns what the
/// plugin counted of the session.
async fn talk_through_a_late_grant_and_hear_the_echo(h: &Harness) -> SessionAudio {
    h.sim.voice_echo(ECHO, true);
    login(h).await;
    h.wait_attr("#audio-status", "data-mic", "ready").await;
    let sid = start_call(h, &[169918, ECHO]).await;
    assert!(
        h.sim.voice_audio().sessions.is_empty(),
        "nothing before a press"
    );

    // The grant comes 400 ms after the press: what is said meanwhile is held.
    h.sim.set_faults(Faults {
        voice_floor_delay_ms: Some(400),
        ..Default::default()
    });
    let pressed = space(h, "keydown").await;
    h.wait_sim("the floor is mine", |s| {
        s.voice_sessions[0].floor == Some(ME)
    })
    .await;
    // A second and a half of speech in all.
    h.wait_audio("75 frames", |a| {
        a.sessions.first().is_some_and(|s| s.frames >= 75)
    })
    .await;
    let released = space(h, "keyup").await;
    h.sim.set_faults(Faults::default());
    h.wait_sim("the floor is free", |s| {
        s.voice_sessions[0].floor != Some(ME)
    })
    .await;

    // The echo terminal plays it back: its name shows while the speaker hears it.
    h.wait_text(&format!("#ptt-talker-{sid}"), "ptcs12 (169919)")
        .await;
    wait_heard(h).await;
    assert!(
        h.sim.snapshot().voice_sessions[0].floor == Some(ECHO),
        "heard while the echo terminal holds the floor"
    );
    h.screenshot("audio-echo-playing").await;
    h.wait_sim("the echo is over", |s| s.voice_sessions[0].floor.is_none())
        .await;

    let audio = h.sim.voice_audio();
    let s = audio.sessions[0].clone();
    assert_eq!(s.session_id, sid, "the exact session id");
    assert_eq!((audio.invalid, audio.refused), (0, 0), "{audio:?}");
    assert_eq!(s.transmissions, 1);
    assert_eq!(s.out_of_sequence, 0, "none lost: {s:?}");
    let first = s.first_capture_ms.unwrap();
    let last = s.last_capture_ms.unwrap();
    // The pre-roll: the transmission opens with the last 20 ms capture had
    // at the press (fresh: delivered within 100 ms of it).
    let (pressed_from, pressed_to) = pressed;
    assert!(
        first + 20 <= pressed_to + 1 && first + 120 >= pressed_from,
        "audio from just before the press on: pressed {pressed:?}, first frame {first}"
    );
    assert_eq!(s.frames, (last - first) / 20 + 1, "every frame in between");
    assert!(
        last <= released.1 + 20,
        "none after the release: {last} vs {released:?}"
    );
    s
}

#[tokio::test]
async fn the_microphone_goes_out_with_the_floor_only_and_the_echo_is_heard() {
    let config = config_with_audio(json!({"mode": "browser", "codec": "mulaw"}));
    let h = Harness::start(Some(config)).await;
    let s = talk_through_a_late_grant_and_hear_the_echo(&h).await;
    assert_eq!(s.opus_frames, 0, "G.711 as configured: {s:?}");
    assert!(s.voiced > 0, "the fake microphone's sound: {s:?}");
    assert!(s.peak_rms_permille >= 10, "{s:?}");
    h.finish().await;
}

#[tokio::test]
async fn in_opus_the_microphone_goes_out_with_the_floor_only_and_the_echo_is_heard_and_replayed() {
    // `audio.codec` left at `auto`: Chromium encodes Opus.
    let h = Harness::start(None).await;
    let s = talk_through_a_late_grant_and_hear_the_echo(&h).await;
    assert!(s.frames >= 75, "{s:?}");
    assert_eq!(
        s.opus_frames, s.frames,
        "every frame in Opus, each well formed: {s:?}"
    );

    // The echo came back in Opus; its replay is decoded and heard too.
    let sid = s.session_id;
    let replay = format!("#ptt-turns-{sid} button[id^='ptt-replay-']");
    h.wait_for(&replay).await;
    let heard_before = heard(&h).await;
    h.click(&replay).await;
    h.wait_attr(&replay, "aria-pressed", "true").await;
    let deadline = Instant::now() + WAIT;
    while heard(&h).await < heard_before + 5 {
        assert!(Instant::now() < deadline, "the Opus replay was never heard");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    h.screenshot("audio-opus-replay").await;

    // The call's decoder lasts as long as the call: a shift sees hundreds.
    h.wait_attr("#audio-status", "data-decoders", "1").await;
    h.click("#ptt-hangup").await;
    h.wait_sim("the call is over", |s| s.voice_sessions.is_empty())
        .await;
    h.wait_attr("#audio-status", "data-decoders", "0").await;
    h.finish().await;
}

#[tokio::test]
async fn g711_chosen_in_the_settings_is_what_the_console_sends() {
    let h = Harness::start(None).await;
    h.open("/").await;
    h.wait_for("#settings-audio-codec").await;
    h.eval(
        "const s = document.querySelector('#settings-audio-codec'); s.value = 'mulaw'; \
         s.dispatchEvent(new Event('change', {bubbles: true})); return true",
    )
    .await;
    h.click("#settings-save").await;
    login(&h).await;
    h.wait_attr("#audio-status", "data-mic", "ready").await;
    start_call(&h, &[169918]).await;
    space(&h, "keydown").await;
    h.wait_audio("a second and a half", |a| {
        a.sessions.first().is_some_and(|s| s.frames >= 75)
    })
    .await;
    space(&h, "keyup").await;
    let s = h.sim.voice_audio().sessions[0].clone();
    assert_eq!(s.opus_frames, 0, "G.711 only, as chosen: {s:?}");
    assert!(s.voiced > 0, "with the fake microphone's sound: {s:?}");
    h.finish().await;
}

#[tokio::test]
async fn a_malformed_opus_packet_is_journaled_and_skipped_and_the_rest_is_heard() {
    let h = Harness::start(None).await;
    h.sim.voice_echo(ECHO, true);
    login(&h).await;
    h.wait_attr("#audio-status", "data-mic", "ready").await;
    let sid = start_call(&h, &[ECHO]).await;
    // Every third frame of the echo comes back malformed.
    h.sim.set_faults(Faults {
        voice_echo_malformed_every: Some(3),
        ..Default::default()
    });
    space(&h, "keydown").await;
    h.wait_audio("a second and a half in Opus", |a| {
        a.sessions.first().is_some_and(|s| s.opus_frames >= 75)
    })
    .await;
    space(&h, "keyup").await;
    // The good two thirds are played: named, and heard.
    h.wait_text(&format!("#ptt-talker-{sid}"), "ptcs12 (169919)")
        .await;
    wait_heard(&h).await;
    h.wait_sim("the echo is over", |s| s.voice_sessions[0].floor.is_none())
        .await;
    h.wait_text("#journal", "Opus packet").await;
    h.finish().await;
}

#[tokio::test]
async fn in_plugin_mode_the_console_sends_no_audio() {
    let h = Harness::start(Some(config_with_audio(json!({"mode": "plugin"})))).await;
    login(&h).await;
    h.wait_attr("#audio-status", "data-mic", "pluginowned")
        .await;
    h.wait_text("#audio-mic", "由语音插件管理").await;
    start_call(&h, &[169918]).await;
    space(&h, "keydown").await;
    h.wait_sim("the floor is mine", |s| {
        s.voice_sessions[0].floor == Some(ME)
    })
    .await;
    h.wait_text("#ptt-talker", "我在讲话").await;
    // The plugin's own words on its microphone (document 000's replies).
    h.wait_text("#audio-plugin-mic", "语音插件：麦克风打开成功")
        .await;
    space(&h, "keyup").await;
    h.wait_sim("released", |s| s.voice_sessions[0].floor.is_none())
        .await;
    h.wait_text("#audio-plugin-mic", "麦克风关闭成功").await;
    let snap = h.sim.snapshot();
    assert_eq!(snap.voice_audio_frames, 0, "no binary message at all");
    h.finish().await;
}

#[tokio::test]
async fn asked_at_the_first_talk_the_microphone_waits_for_the_talk_key() {
    let config = config_with_audio(json!({"mode": "browser", "microphone": "talk"}));
    let h = Harness::start(Some(config)).await;
    login(&h).await;
    h.wait_text("#audio-mic", "第一次讲话时").await;
    start_call(&h, &[169918]).await;
    assert_eq!(
        h.eval("return document.querySelector('#audio-status').dataset.mic")
            .await,
        "notasked",
        "not asked at login"
    );
    space(&h, "keydown").await;
    h.wait_attr("#audio-status", "data-mic", "ready").await;
    h.wait_sim("the floor is mine", |s| {
        s.voice_sessions[0].floor == Some(ME)
    })
    .await;
    h.wait_audio("frames once the microphone is open", |a| {
        a.sessions.first().is_some_and(|s| s.frames >= 5)
    })
    .await;
    space(&h, "keyup").await;
    h.finish().await;
}

/// The speaker analyser's readings with sound so far.
async fn heard(h: &Harness) -> u64 {
    h.eval("return Number(document.querySelector('#audio-level-out')?.dataset.heard ?? 0)")
        .await
        .as_u64()
        .unwrap_or(0)
}

/// Talks until the plugin has frames with sound in them (the fake
/// microphone beeps now and then), then waits for the echo terminal to
/// play the transmission back.
async fn talk_and_hear_the_echo(h: &Harness, sid: &str) {
    let before = h
        .sim
        .voice_audio()
        .sessions
        .first()
        .map(|s| (s.frames, s.voiced));
    let (frames_before, voiced_before) = before.unwrap_or_default();
    space(h, "keydown").await;
    h.wait_sim("the floor is mine", |s| {
        s.voice_sessions[0].floor == Some(ME)
    })
    .await;
    // A second and a half at least, so the echo shows long enough to be
    // seen by a poll on a busy machine.
    h.wait_audio("speech with sound in it", |a| {
        a.sessions
            .first()
            .is_some_and(|s| s.voiced > voiced_before && s.frames >= frames_before + 75)
    })
    .await;
    space(h, "keyup").await;
    h.wait_text(&format!("#ptt-talker-{sid}"), "ptcs12 (169919)")
        .await;
    h.wait_sim("the echo is over", |s| s.voice_sessions[0].floor.is_none())
        .await;
}

#[tokio::test]
async fn a_muted_call_is_not_heard_and_heard_again_unmuted() {
    // G.711, whose energy the plugin measures: the echo has sound in it.
    let config = config_with_audio(json!({"mode": "browser", "codec": "mulaw"}));
    let h = Harness::start(Some(config)).await;
    h.sim.voice_echo(ECHO, true);
    login(&h).await;
    h.wait_attr("#audio-status", "data-mic", "ready").await;
    let sid = start_call(&h, &[ECHO]).await;
    h.click(&format!("#ptt-mute-{sid}")).await;
    talk_and_hear_the_echo(&h, &sid).await;
    assert_eq!(heard(&h).await, 0, "muted: the speaker stays silent");
    h.click(&format!("#ptt-mute-{sid}")).await;
    talk_and_hear_the_echo(&h, &sid).await;
    wait_heard(&h).await;
    h.finish().await;
}

/// The page's clock (ms since the epoch, as the simulator's) at which the
/// text of `#ptt-talker-{sid}` first named `who`, and first stopped naming
/// it after that: recorded in the page by a MutationObserver, so no poll
/// delay enters the times.
async fn watch_talker(h: &Harness, sid: &str, who: &str) {
    let js = format!(
        "window.__talker = {{}}; const w = window.__talker; \
         const look = () => {{ \
           const t = document.querySelector('#ptt-talker-{sid}')?.textContent ?? ''; \
           const at = performance.timeOrigin + performance.now(); \
           if (t.includes('{who}')) {{ w.shown ??= at; }} else if (w.shown) {{ w.cleared ??= at; }} }}; \
         new MutationObserver(look).observe(document.body, {{subtree: true, childList: true, characterData: true}}); \
         return true;"
    );
    h.eval(&js).await;
}

/// `window.__talker[field]` once it is set.
async fn talker_time(h: &Harness, field: &str) -> u64 {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(t) = h
            .eval(&format!("return window.__talker.{field} ?? null"))
            .await
            .as_f64()
        {
            return t as u64;
        }
        assert!(Instant::now() < deadline, "the talker was never {field}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn epoch_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[tokio::test]
async fn a_talking_terminal_is_named_in_step_with_its_sound_and_can_be_replayed() {
    const TALK_MS: u64 = 1_500;
    let h = Harness::start(None).await;
    login(&h).await;
    h.wait_attr("#audio-status", "data-mic", "ready").await;
    let sid = start_call(&h, &[169918]).await;
    watch_talker(&h, &sid, "(169918)").await;

    let before = epoch_ms();
    let script = sim::TalkScript {
        talk_ms: TALK_MS,
        turns: 1,
        gap_ms: 0,
    };
    assert!(h.sim.voice_speak(169918, script), "the floor was free");
    // Its first frame, sent after `before`, plays at least the shortest
    // playout delay (40 ms) after it arrives, where memberGetMic came at
    // once (a margin of 15 ms either side for the two clocks).
    let shown = talker_time(&h, "shown").await;
    assert!(
        shown >= before + 25,
        "named {} ms after the floor was taken: ahead of the sound",
        shown as i64 - before as i64
    );
    wait_heard(&h).await;
    // And cleared once the last frame has played (sent at TALK_MS - 20,
    // played 40 ms later at least, for 20 ms), not at memberLostMic (sent
    // at TALK_MS).
    let cleared = talker_time(&h, "cleared").await;
    assert!(
        cleared >= before + TALK_MS + 20,
        "cleared {} ms after the floor was taken",
        cleared as i64 - before as i64
    );
    h.wait_sim("the floor is free", |s| s.voice_sessions[0].floor.is_none())
        .await;

    // Its transmission's audio is kept: a replay is heard at the speaker.
    let replay = format!("#ptt-turns-{sid} button[id^='ptt-replay-']");
    h.wait_for(&replay).await;
    let heard_before = heard(&h).await;
    h.click(&replay).await;
    h.wait_attr(&replay, "aria-pressed", "true").await;
    h.screenshot("audio-replay").await;
    let deadline = Instant::now() + WAIT;
    while heard(&h).await < heard_before + 5 {
        assert!(Instant::now() < deadline, "the replay was never heard");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A second press stops it.
    h.click(&replay).await;
    h.wait_attr(&replay, "aria-pressed", "false").await;
    let label = h
        .eval(&format!(
            "return document.querySelector(\"{replay}\").textContent.trim()"
        ))
        .await;
    assert_eq!(label, "重放");
    h.finish().await;
}

/// The values of `#settings-mic-device`'s options other than the default,
/// once the browser has given them names (after the microphone is allowed).
async fn named_microphones(h: &Harness) -> Vec<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let found = h
            .eval(
                "const os = [...document.querySelectorAll('#settings-mic-device option')].filter(o => o.value); \
                 return os.every(o => !o.textContent.startsWith('麦克风 ')) ? os.map(o => o.value) : [];",
            )
            .await;
        let ids: Vec<String> = serde_json::from_value(found).unwrap_or_default();
        if ids.len() >= 2 {
            return ids;
        }
        assert!(
            Instant::now() < deadline,
            "the fake microphones were never listed by name"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_microphone_chosen_in_settings_is_opened_at_once_and_a_gone_one_falls_back() {
    let h = Harness::start(None).await;
    login(&h).await;
    h.wait_attr("#audio-status", "data-mic", "ready").await;
    let opened = h
        .eval("return document.querySelector('#audio-status').dataset.device")
        .await;
    let ids = named_microphones(&h).await;
    let other = ids
        .iter()
        .rev()
        .find(|id| Some(id.as_str()) != opened.as_str())
        .unwrap()
        .clone();
    h.eval(&format!(
        "const s = document.querySelector('#settings-mic-device'); s.value = {other:?}; \
         s.dispatchEvent(new Event('change', {{bubbles: true}})); return true"
    ))
    .await;
    // Capture re-opens on it without a reload, and goes on sending.
    h.wait_attr("#audio-status", "data-device", &other).await;
    h.wait_attr("#audio-status", "data-mic", "ready").await;
    let kept = h
        .eval("return localStorage.getItem('dispatch-desk.mic-device')")
        .await;
    assert_eq!(kept.as_str(), Some(other.as_str()), "kept in this browser");
    start_call(&h, &[169918]).await;
    space(&h, "keydown").await;
    h.wait_audio("frames from the chosen microphone", |a| {
        a.sessions.first().is_some_and(|s| s.frames >= 10)
    })
    .await;
    space(&h, "keyup").await;

    // The microphone kept is gone next time: the default, with a word.
    h.eval(
        "localStorage.setItem('dispatch-desk.mic-device', 'a-microphone-unplugged'); return true",
    )
    .await;
    login(&h).await;
    h.wait_attr("#audio-status", "data-mic", "ready").await;
    h.wait_text("#audio-device-gone", "所选设备已不可用").await;

    // Resetting the settings forgets the device chosen.
    h.click("#settings-reset").await;
    let forgotten = h
        .eval("return localStorage.getItem('dispatch-desk.mic-device')")
        .await;
    assert_eq!(forgotten, Value::Null, "reset forgets the microphone");
    h.finish().await;
}
