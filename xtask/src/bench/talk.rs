//! Push-to-talk latency in headless Chromium with its fake microphone,
//! against the simulator in-process (docs/audio.md), over `SPURTS` talk
//! spurts to the echo terminal:
//!
//! - press to first frame: from just before the talk key's event to the
//!   console handing the transmission's first frame to the socket (the
//!   app's `dd-audio-first-frame` mark), on the page's clock;
//! - mouth to ear, as its two halves measured where each happens: the
//!   uplink, from a frame's capture time (its samples reaching the page) to
//!   its arrival at the plugin (the simulator's wall clock, the page's
//!   `timeOrigin + now()` corrected by its measured offset from the page's
//!   `Date.now()`), plus the playout, from the echoed
//!   transmission's first frame arriving at the console to the time the
//!   jitter buffer schedules it to play.

use super::stage::{self, Stage};
use crate::Result;
use fantoccini::{Client, Locator};
use std::path::Path;
use std::time::{Duration, Instant};

pub const SPURTS: usize = 50;
/// How long each spurt holds the key.
const HOLD: Duration = Duration::from_millis(300);
const WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(2);
const ECHO: u64 = 169919;

/// The samples of each measure, in ms.
pub struct Talk {
    pub press_to_first_frame: Vec<f64>,
    pub uplink: Vec<f64>,
    pub playout: Vec<f64>,
}

pub fn measure(dist: &Path, chromium: &str, chromedriver: &str) -> Result<Talk> {
    stage::run(dist, chromedriver, async |stage: &Stage| {
        stage.sim.voice_echo(ECHO, true);
        let client = stage.browser(chromium, 0).await?;
        let measured = spurts(&client, &stage.sim, &stage.base).await;
        let _ = client.close().await;
        measured
    })
}

async fn spurts(c: &Client, sim: &sim::Sim, base: &str) -> Result<Talk> {
    c.goto(base)
        .await
        .map_err(|e| format!("cannot open {base}: {e}"))?;
    fill(c, "#voice-account", "zydd").await?;
    fill(c, "#voice-password", "123456").await?;
    click(c, "#voice-login-button").await?;
    until(
        c,
        "the microphone",
        "return document.querySelector('#audio-status')?.dataset.mic === 'ready'",
    )
    .await?;
    click(c, &format!("#ptt-pick-{ECHO}")).await?;
    click(c, "#ptt-start").await?;
    until_sim("a call with a free floor", || {
        let s = sim.snapshot();
        s.voice_sessions.len() == 1 && s.voice_sessions[0].floor.is_none()
    })
    .await?;

    let mut talk = Talk {
        press_to_first_frame: Vec::new(),
        uplink: Vec::new(),
        playout: Vec::new(),
    };
    for i in 0..SPURTS {
        let first = c
            .execute_async(PRESS, vec![])
            .await
            .map_err(|e| format!("spurt {i}: {e}"))?;
        talk.press_to_first_frame.push(
            first
                .as_f64()
                .ok_or_else(|| format!("spurt {i}: no time in {first}"))?,
        );
        tokio::time::sleep(HOLD).await;
        js(c, RELEASE).await?;
        let heard = format!(
            "const m = document.querySelector('#audio-level-out'); \
             return Number(m?.dataset.playouts) > {i} ? Number(m.dataset.playoutMs) : null"
        );
        let playout = until(c, &format!("the echo of spurt {i}"), &heard)
            .await?
            .as_f64()
            .unwrap_or(0.0);
        talk.playout.push(playout);
        until_sim("the echo's end", || {
            sim.snapshot().voice_sessions[0].floor.is_none()
        })
        .await?;
    }
    // The page's clock (timeOrigin + now) may stand apart from the wall
    // clock the simulator reads; the transits are corrected by the offset.
    let offset = js(c, CLOCK_OFFSET).await?.as_f64().unwrap_or(0.0);
    let audio = sim.voice_audio();
    let session = audio.sessions.first().ok_or("the plugin heard nothing")?;
    talk.uplink = session
        .transit_ms
        .iter()
        .map(|&t| t as f64 + offset)
        .collect();
    Ok(talk)
}

/// Presses the talk key and calls back with the milliseconds from just
/// before its `keydown` to the first frame handed to the socket (the app's
/// `dd-audio-first-frame` mark), both on the page's clock; nothing polls
/// the page meanwhile.
const PRESS: &str = r#"
const done = arguments[0];
performance.clearMarks('dd-audio-first-frame');
let t0 = 0;
const seen = new PerformanceObserver((list) => {
  const mark = list.getEntriesByName('dd-audio-first-frame')[0];
  if (mark) {
    seen.disconnect();
    done(mark.startTime - t0);
  }
});
seen.observe({type: 'mark'});
t0 = performance.now();
document.body.dispatchEvent(new KeyboardEvent('keydown', {code: 'Space', key: ' ', bubbles: true, cancelable: true}));
"#;

/// Milliseconds the page's `timeOrigin + now()` runs ahead of `Date.now()`
/// (the wall clock), the median of 21 readings.
const CLOCK_OFFSET: &str = "const d = []; for (let i = 0; i < 21; i++) \
    d.push(performance.timeOrigin + performance.now() - Date.now()); \
    d.sort((a, b) => a - b); return d[10];";

const RELEASE: &str = "document.body.dispatchEvent(new KeyboardEvent('keyup', \
    {code: 'Space', key: ' ', bubbles: true, cancelable: true})); return true;";

async fn js(c: &Client, script: &str) -> Result<serde_json::Value> {
    c.execute(script, vec![])
        .await
        .map_err(|e| format!("script failed: {e}"))
}

/// Polls `script` until it returns something other than null or false.
async fn until(c: &Client, what: &str, script: &str) -> Result<serde_json::Value> {
    let deadline = Instant::now() + WAIT;
    loop {
        let v = js(c, script).await?;
        if !v.is_null() && v != false {
            return Ok(v);
        }
        if Instant::now() > deadline {
            return Err(format!("no {what} within {WAIT:?}"));
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn until_sim(what: &str, mut cond: impl FnMut() -> bool) -> Result<()> {
    let deadline = Instant::now() + WAIT;
    while !cond() {
        if Instant::now() > deadline {
            return Err(format!("the simulator saw no {what} within {WAIT:?}"));
        }
        tokio::time::sleep(POLL).await;
    }
    Ok(())
}

async fn fill(c: &Client, css: &str, text: &str) -> Result<()> {
    let el = find(c, css).await?;
    el.clear().await.map_err(|e| e.to_string())?;
    el.send_keys(text).await.map_err(|e| e.to_string())
}

async fn click(c: &Client, css: &str) -> Result<()> {
    find(c, css)
        .await?
        .click()
        .await
        .map_err(|e| format!("click {css}: {e}"))
}

async fn find(c: &Client, css: &str) -> Result<fantoccini::elements::Element> {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Ok(el) = c.find(Locator::Css(css)).await {
            return Ok(el);
        }
        if Instant::now() > deadline {
            return Err(format!("no {css} on the page"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
