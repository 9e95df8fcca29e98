//! The meeting roster under a 1000-participant sync burst, in headless
//! Chromium: the simulator holds the participants, the console joins, and
//! its new event stream opens with participant_sync_begin, a
//! participant_create for each, participant_sync_end.
//!
//! A burst is timed by the page itself: from the moment the stream opens (a
//! listener added ahead of the app's, through a wrapped `EventSource`) to
//! the end of the first frame that shows every row: looked at once a frame
//! (not by a DOM observer, whose work per change would be measured with the
//! rows), and timed by a task queued from that frame's animation callback,
//! which runs once the frame's style, layout and paint are done. The console
//! also asks
//! for the participants list when the stream opens; whichever of the two
//! fills the roster first is the burst measured. WebDriver round trips only
//! poll for the result.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::Value;

use super::stage::{self, Stage};
use crate::Result;

/// Participants in the meeting, this console included.
pub const PARTICIPANTS: usize = 1000;
/// Bursts measured; one more runs first, unmeasured (a first compile of
/// the page's code is not the roster's).
pub const RUNS: usize = 10;
const DEADLINE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(20);

/// Wraps `EventSource` so the stream's opening is seen before the app sees it,
/// watches the roster's row count, and joins. `arguments[0]`: the rows.
const WATCH_AND_JOIN: &str = r#"
const rows = arguments[0];
const Native = window.EventSource;
const burst = window.__rosterBurst = { start: null, end: null };
window.EventSource = function (url, init) {
    const es = new Native(url, init);
    es.addEventListener('open', () => {
        if (burst.start === null) burst.start = performance.now();
    });
    return es;
};
window.EventSource.prototype = Native.prototype;
// Looked at once a frame: an observer of every DOM change would add its
// own work to each of the thousand rows it waits for.
const frame = () => {
    const list = document.getElementById('meeting-participants');
    if (burst.start !== null && list && list.querySelectorAll(':scope > li.participant').length >= rows) {
        // After this frame's rendering, not before it.
        setTimeout(() => { burst.end = performance.now(); }, 0);
    } else {
        requestAnimationFrame(frame);
    }
};
requestAnimationFrame(frame);
document.getElementById('meeting-join').click();
return true;
"#;

const READ: &str = r#"
const b = window.__rosterBurst;
return b && b.end !== null ? b.end - b.start : null;
"#;

/// Milliseconds from the stream's opening to the last row shown, per burst.
pub fn measure(dist: &Path, chromium: &str, chromedriver: &str) -> Result<Vec<f64>> {
    stage::run(dist, chromedriver, async |stage: &Stage| {
        // The seeded devices and this console are in the meeting already.
        let seeded = stage.sim.snapshot().meeting.participants.len() + 1;
        for i in seeded..PARTICIPANTS {
            stage
                .sim
                .meeting_join(&format!("终端{i:04}"), sim::Role::Guest);
        }
        let client = stage.browser(chromium, 0).await?;
        let mut times = Vec::with_capacity(RUNS);
        let mut outcome = Ok(());
        for i in 0..=RUNS {
            match burst(&client, &stage.base).await {
                Ok(ms) if i > 0 => times.push(ms),
                Ok(_) => {}
                Err(e) => {
                    outcome = Err(format!("roster burst {i}: {e}"));
                    break;
                }
            }
        }
        let _ = client.close().await;
        outcome.map(|()| times)
    })
}

/// A fresh page (the last one's session ends as it goes), a join, the burst.
async fn burst(client: &Client, base: &str) -> Result<f64> {
    client
        .goto(base)
        .await
        .map_err(|e| format!("cannot open {base}: {e}"))?;
    let deadline = Instant::now() + DEADLINE;
    let js = |e: fantoccini::error::CmdError| format!("script failed: {e}");
    while client
        .execute("return !!document.getElementById('meeting-join')", vec![])
        .await
        .map_err(js)?
        != Value::Bool(true)
    {
        if Instant::now() > deadline {
            return Err("the meeting panel's join button never appeared".into());
        }
        tokio::time::sleep(POLL).await;
    }
    client
        .execute(WATCH_AND_JOIN, vec![Value::from(PARTICIPANTS)])
        .await
        .map_err(js)?;
    loop {
        if let Some(ms) = client.execute(READ, vec![]).await.map_err(js)?.as_f64() {
            return Ok(ms);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "the roster never showed {PARTICIPANTS} rows within {DEADLINE:?}"
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}
