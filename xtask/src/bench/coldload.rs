//! The console's cold load in headless Chromium: `dist/` served by the
//! simulator in-process, and for every load a new browser with a fresh
//! profile (empty HTTP cache, no compiled-wasm cache), so each one downloads,
//! compiles and starts everything as a first-time visitor does. The page is
//! opened once the new browser has settled (`Stage::browser`): a first-time
//! visitor's browser was running before, and Chromium's own start-up work
//! is not the console's.
//!
//! A load is timed by the browser itself: from navigation start (the page's
//! `performance.timeOrigin`) to the `dd-ready` mark the app sets once the
//! console's panels are mounted with their handlers attached (src/ui/app.rs).
//! WebDriver round trips only poll for the mark; they are not in the number.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::Value;

use super::stage::{self, Stage};
use crate::Result;

/// Loads measured; one more runs first, unmeasured, so the first launch's
/// disk reads of Chromium itself are not counted as the app's.
pub const LOADS: usize = 20;
/// How long one load may take before the bench gives up on it.
const LOAD_DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(20);

/// Milliseconds from navigation start to each step of one load.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    /// index.html fully received.
    pub html: f64,
    /// The wasm fully received.
    pub wasm: f64,
    /// The wasm instantiated and its `start` running: the `dd-start` mark.
    pub start: f64,
    /// The app asked for config.json (boot.js does, before the wasm starts).
    pub config_start: f64,
    /// config.json fully received.
    pub config_end: f64,
    /// The console is usable: the `dd-ready` mark.
    pub ready: f64,
    /// The console is on screen: its title's first paint (Element Timing,
    /// `elementtiming="dd-console"` in src/ui/header.rs).
    pub painted: f64,
}

/// Reads the timings once the mark exists and the console has been painted;
/// `null` until then. Resource entries are matched by the end of their URL
/// (trunk hashes the names). Element Timing entries reach observers only, so
/// this one is asynchronous: the buffered entry arrives in the observer's first
/// callback, or there is none yet and the next poll asks again.
const READ_TIMINGS: &str = r#"
const done = arguments[arguments.length - 1];
const ready = performance.getEntriesByName('dd-ready', 'mark')[0];
if (!ready) return done(null);
const start = performance.getEntriesByName('dd-start', 'mark')[0];
const nav = performance.getEntriesByType('navigation')[0];
const res = (suffix) => performance.getEntriesByType('resource')
    .find((e) => new URL(e.name).pathname.endsWith(suffix));
const wasm = res('_bg.wasm');
const config = res('/config.json');
const timings = (painted) => ({
    html: nav.responseEnd,
    wasm: wasm ? wasm.responseEnd : -1,
    start: start ? start.startTime : -1,
    config_start: config ? config.startTime : -1,
    config_end: config ? config.responseEnd : -1,
    ready: ready.startTime,
    painted: painted.renderTime,
});
const observer = new PerformanceObserver((list) => {
    const painted = list.getEntries().find((e) => e.identifier === 'dd-console');
    if (painted) { observer.disconnect(); done(timings(painted)); }
});
observer.observe({ type: 'element', buffered: true });
setTimeout(() => { observer.disconnect(); done(null); }, 50);
"#;

/// Serves `dist` and loads it `LOADS` times, each in a new browser.
pub fn measure(dist: &Path, chromium: &str, chromedriver: &str) -> Result<Vec<Load>> {
    stage::run(dist, chromedriver, async |stage: &Stage| {
        let mut loads = Vec::with_capacity(LOADS);
        for i in 0..=LOADS {
            let client = stage.browser(chromium, i).await?;
            let measured = navigate_and_wait(&client, &stage.base).await;
            // Closing the session also ends this Chromium.
            let _ = client.close().await;
            match measured {
                Ok(load) if i > 0 => loads.push(load),
                Ok(_) => {}
                Err(e) => return Err(format!("cold load {i}: {e}")),
            }
        }
        Ok(loads)
    })
}

/// The browser's own share of a cold load: a page that only loads one module
/// script, which marks `dd-ready` at once, served and loaded exactly as the
/// console is. What the console adds to a load is its figure less this one.
const BLANK_PAGE: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>blank</title>\
    <script type=\"module\" src=\"/blank.js\"></script></head><body></body></html>";
const BLANK_SCRIPT: &str = "document.body.textContent = 'blank'; performance.mark('dd-ready');";
const READ_READY: &str = r#"
const ready = performance.getEntriesByName('dd-ready', 'mark')[0];
return ready ? ready.startTime : null;
"#;

/// Loads the blank page `LOADS` times, each in a new browser (one more first,
/// unmeasured, as for the console); milliseconds from navigation start to its mark.
pub fn measure_blank(chromium: &str, chromedriver: &str) -> Result<Vec<f64>> {
    let dir = std::env::temp_dir().join(format!("xtask-blank-page-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let write = |name: &str, text: &str| {
        std::fs::write(dir.join(name), text).map_err(|e| format!("cannot write {name}: {e}"))
    };
    write("index.html", BLANK_PAGE)?;
    write("blank.js", BLANK_SCRIPT)?;
    let measured = stage::run(&dir, chromedriver, async |stage: &Stage| {
        let mut loads = Vec::with_capacity(LOADS);
        for i in 0..=LOADS {
            let client = stage.browser(chromium, i).await?;
            let ready = wait_for_ready(&client, &stage.base).await;
            let _ = client.close().await;
            match ready {
                Ok(ms) if i > 0 => loads.push(ms),
                Ok(_) => {}
                Err(e) => return Err(format!("blank page load {i}: {e}")),
            }
        }
        Ok(loads)
    });
    let _ = std::fs::remove_dir_all(&dir);
    measured
}

async fn wait_for_ready(client: &Client, url: &str) -> Result<f64> {
    client
        .goto(url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let deadline = Instant::now() + LOAD_DEADLINE;
    loop {
        let ready = client
            .execute(READ_READY, vec![])
            .await
            .map_err(|e| format!("cannot read the page's mark: {e}"))?;
        if let Some(ms) = ready.as_f64() {
            return Ok(ms);
        }
        if Instant::now() > deadline {
            return Err(format!("no `dd-ready` mark within {LOAD_DEADLINE:?}"));
        }
        tokio::time::sleep(POLL).await;
    }
}

async fn navigate_and_wait(client: &Client, url: &str) -> Result<Load> {
    client
        .goto(url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let deadline = Instant::now() + LOAD_DEADLINE;
    loop {
        let timings = client
            .execute_async(READ_TIMINGS, vec![])
            .await
            .map_err(|e| format!("cannot read the page's timings: {e}"))?;
        if !timings.is_null() {
            return parse_load(&timings);
        }
        if Instant::now() > deadline {
            return Err(format!(
                "no `dd-ready` mark within {LOAD_DEADLINE:?}: the console never became usable \
                 (does config.json load? run `cargo xtask demo` and look at the browser console)"
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}

fn parse_load(timings: &Value) -> Result<Load> {
    let get = |key: &str| {
        timings[key]
            .as_f64()
            .filter(|ms| *ms >= 0.0)
            .ok_or_else(|| format!("the page reported no {key} time: {timings}"))
    };
    Ok(Load {
        html: get("html")?,
        wasm: get("wasm")?,
        start: get("start")?,
        config_start: get("config_start")?,
        config_end: get("config_end")?,
        ready: get("ready")?,
        painted: get("painted")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_step_of_a_load() {
        let timings = serde_json::json!({
            "html": 3.5, "wasm": 60.0, "start": 80.0, "config_start": 90.0, "config_end": 92.5, "ready": 120.25,
            "painted": 180.5,
        });
        let load = parse_load(&timings).unwrap();
        assert_eq!(load.html, 3.5);
        assert_eq!(load.config_end, 92.5);
        assert_eq!(load.ready, 120.25);
        assert_eq!(load.painted, 180.5);
    }

    #[test]
    fn a_missing_resource_is_an_error_not_a_zero() {
        let timings = serde_json::json!({
            "html": 3.5, "wasm": -1, "start": 80.0, "config_start": 90.0, "config_end": 92.5, "ready": 120.0,
            "painted": 180.0,
        });
        let err = parse_load(&timings).unwrap_err();
        assert!(err.contains("wasm"), "{err}");
    }
}
