//! Push-to-talk access time in headless Chromium against the simulator: the
//! release console logs in, starts a group call, then presses and releases
//! the talk key again and again.
//!
//! Each press is timed inside the page, on its clock: from just before the
//! talk key's `keydown` is dispatched to the moment the talk button shows
//! the floor granted (its `data-state` is `me` and its headline says so), as
//! a `MutationObserver` sees the DOM change. So the number holds the key
//! handling, the requestMic round trip through the WebSocket and the
//! simulator, the machine and the rendering, and none of WebDriver's own
//! round trips: one asynchronous script presses and waits, nothing polls
//! the page meanwhile, and nothing sleeps inside the span.
//!
//! Each press is also split in two: the console's share (from the key to
//! the request handed to the WebSocket, plus from the reply's arrival at the
//! page, its `MessageEvent.timeStamp`, to the floor shown) and the round
//! trip outside the page (the browser's network process, loopback and the
//! simulator), so a slow tail says whose it is.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::stage::{self, Stage};
use crate::Result;

/// Presses measured; a few more run first, unmeasured, to warm the page up.
pub const PRESSES: usize = 60;
const WARM_UP: usize = 5;
const DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(5);

/// Presses the talk key and calls back with the milliseconds until the
/// button shows the floor granted: `arguments[0]` is the headline it shows
/// then (`null` on the first press, which learns it), and the callback gets
/// `[ms, headline, sent, arrived]`: the last two are when the first text
/// message after the press was handed to the socket (the request) and when
/// the first one after that reached the page (the reply), or `null`.
/// `send` is wrapped on the prototype, so the socket the console already
/// holds is seen; the wrapper and the listener go when the press is shown.
/// The reply's arrival is its event's `timeStamp`, taken when the page
/// got it, whichever listener reads it.
const PRESS: &str = r#"
const [want, done] = arguments;
const button = document.getElementById('ptt-talk');
const headline = document.getElementById('ptt-talker');
const send = WebSocket.prototype.send;
let t0 = 0, sent = null, arrived = null, socket = null;
const heard = (e) => { if (arrived === null && typeof e.data === 'string') arrived = e.timeStamp - t0; };
WebSocket.prototype.send = function (data) {
  if (sent === null && typeof data === 'string') {
    sent = performance.now() - t0;
    socket = this;
    socket.addEventListener('message', heard);
  }
  return send.call(this, data);
};
const shown = () => button.dataset.state === 'me' && (want === null || headline.textContent === want);
const watch = new MutationObserver(() => {
  if (shown()) {
    const ms = performance.now() - t0;
    watch.disconnect();
    // The console's own listener shows the floor in the microtasks after
    // it, before `heard` runs: answer once this task is over.
    setTimeout(() => {
      WebSocket.prototype.send = send;
      if (socket) socket.removeEventListener('message', heard);
      done([ms, headline.textContent, sent, arrived]);
    });
  }
});
watch.observe(button, {attributes: true, childList: true, characterData: true, subtree: true});
t0 = performance.now();
document.body.dispatchEvent(new KeyboardEvent('keydown', {code: 'Space', key: ' ', bubbles: true, cancelable: true}));
"#;

const RELEASE: &str = r#"
document.body.dispatchEvent(new KeyboardEvent('keyup', {code: 'Space', key: ' ', bubbles: true, cancelable: true}));
return true;
"#;

/// Lines the console's journal holds (`data-lines` of its list).
const JOURNAL_LINES: &str =
    "return Number(document.getElementById('journal')?.dataset.lines ?? 0);";

/// A full journal: its capacity (`dispatch_desk::journal::CAPACITY`). Each
/// press and release logs a handful of lines, so a few hundred presses in a
/// shift fill it; the console is then measured again, as a dispatcher finds
/// it for the rest of the shift.
const FULL_JOURNAL: u64 = 1_000;
/// Presses allowed to fill it before the bench gives up.
const MOST_FILLING_PRESSES: usize = 1_000;

/// The talk button's state (`idle` once the floor is back and free).
const TALK_STATE: &str = "return document.getElementById('ptt-talk')?.dataset.state ?? null;";

/// The presses measured, in milliseconds each.
#[derive(Debug, Default)]
pub struct Access {
    /// From the key to the floor shown granted.
    pub total: Vec<f64>,
    /// The console's share: key to request sent, plus reply at the page to
    /// the floor shown.
    pub console: Vec<f64>,
    /// Request sent to reply at the page: the rest of `total`.
    pub round_trip: Vec<f64>,
    /// `total` again, a shift in: with the journal full.
    pub shift: Vec<f64>,
}

/// Serves `dist` with the simulator and returns the access time of each press.
pub fn measure(dist: &Path, chromium: &str, chromedriver: &str) -> Result<Access> {
    stage::run(dist, chromedriver, async |stage: &Stage| {
        let client = stage.browser(chromium, 0).await?;
        let measured = presses(&client, &stage.sim, &stage.base).await;
        let _ = client.close().await;
        measured
    })
}

async fn presses(client: &Client, sim: &sim::Sim, base: &str) -> Result<Access> {
    client
        .goto(base)
        .await
        .map_err(|e| format!("cannot open {base}: {e}"))?;
    type_into(client, "#voice-password", "123456").await?;
    click(client, "#voice-login-button").await?;
    wait_talk_state(client, "idle", "the console online").await?;
    click(client, "#ptt-pick-169918").await?;
    click(client, "#ptt-start").await?;
    let deadline = Deadline::new("a group call with its floor free");
    loop {
        let s = sim.snapshot();
        if s.voice_sessions.len() == 1 && s.voice_sessions[0].floor.is_none() {
            break;
        }
        deadline.wait().await?;
    }
    wait_talk_state(client, "idle", "the call started").await?;

    let mut access = Access::default();
    let mut headline = Value::Null;
    for i in 0..WARM_UP + PRESSES {
        let (total, sent, arrived) = press(client, i, &mut headline).await?;
        if i >= WARM_UP {
            access.total.push(total);
            access.round_trip.push(arrived - sent);
            access.console.push(sent + (total - arrived));
        }
    }
    let mut filling = 0;
    while run(client, JOURNAL_LINES).await?.as_u64().unwrap_or(0) < FULL_JOURNAL {
        if filling == MOST_FILLING_PRESSES {
            return Err(format!(
                "the journal is not full after {filling} more presses"
            ));
        }
        press(client, WARM_UP + PRESSES + filling, &mut headline).await?;
        filling += 1;
    }
    for i in 0..PRESSES {
        let (total, _, _) = press(client, i, &mut headline).await?;
        access.shift.push(total);
    }
    Ok(access)
}

/// Press `i`: presses, waits for the floor shown, releases and waits for it
/// free again. Returns the milliseconds to the floor shown, and when the
/// request left and the reply arrived (see [`PRESS`]).
async fn press(client: &Client, i: usize, headline: &mut Value) -> Result<(f64, f64, f64)> {
    let reply = client
        .execute_async(PRESS, vec![headline.clone()])
        .await
        .map_err(|e| format!("press {i}: {e}"))?;
    let time = |k: usize, what: &str| {
        reply[k]
            .as_f64()
            .ok_or_else(|| format!("press {i}: no {what} in {reply}"))
    };
    let times = (time(0, "time")?, time(2, "request")?, time(3, "reply")?);
    *headline = reply[1].clone();
    run(client, RELEASE).await?;
    wait_talk_state(client, "idle", "the floor given back").await?;
    Ok(times)
}

async fn run(client: &Client, js: &str) -> Result<Value> {
    client
        .execute(js, vec![])
        .await
        .map_err(|e| format!("script failed: {e}"))
}

async fn type_into(client: &Client, css: &str, text: &str) -> Result<()> {
    find(client, css)
        .await?
        .send_keys(text)
        .await
        .map_err(|e| format!("cannot type into {css}: {e}"))
}

async fn click(client: &Client, css: &str) -> Result<()> {
    find(client, css)
        .await?
        .click()
        .await
        .map_err(|e| format!("cannot click {css}: {e}"))
}

async fn find(client: &Client, css: &str) -> Result<fantoccini::elements::Element> {
    let deadline = Deadline::new(css);
    loop {
        if let Ok(el) = client.find(Locator::Css(css)).await {
            return Ok(el);
        }
        deadline.wait().await?;
    }
}

async fn wait_talk_state(client: &Client, want: &str, what: &str) -> Result<()> {
    let deadline = Deadline::new(what);
    while run(client, TALK_STATE).await?.as_str() != Some(want) {
        deadline.wait().await?;
    }
    Ok(())
}

/// A wait for `what` that gives up after [`DEADLINE`].
struct Deadline {
    what: String,
    at: Instant,
}

impl Deadline {
    fn new(what: &str) -> Self {
        Self {
            what: what.to_owned(),
            at: Instant::now() + DEADLINE,
        }
    }

    /// Sleeps one poll, or fails once the deadline has passed.
    async fn wait(&self) -> Result<()> {
        if Instant::now() > self.at {
            return Err(format!("timed out waiting for {}", self.what));
        }
        tokio::time::sleep(POLL).await;
        Ok(())
    }
}
