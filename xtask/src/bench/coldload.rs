//! The console's cold load in headless Chromium: `dist/` served by the
//! simulator in-process, and for every load a new browser with a fresh
//! profile (empty HTTP cache, no compiled-wasm cache), so each one downloads,
//! compiles and starts everything as a first-time visitor does.
//!
//! A load is timed by the browser itself: from navigation start (the page's
//! `performance.timeOrigin`) to the `dd-ready` mark the app sets once the
//! console's panels are mounted with their handlers attached (src/ui/app.rs).
//! WebDriver round trips only poll for the mark; they are not in the number.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::Value;
use tokio::sync::oneshot;

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
}

/// Reads the timings once the mark exists; `null` until then. Resource
/// entries are matched by the end of their URL (trunk hashes the names).
const READ_TIMINGS: &str = r#"
const ready = performance.getEntriesByName('dd-ready', 'mark')[0];
if (!ready) return null;
const start = performance.getEntriesByName('dd-start', 'mark')[0];
const nav = performance.getEntriesByType('navigation')[0];
const res = (suffix) => performance.getEntriesByType('resource')
    .find((e) => new URL(e.name).pathname.endsWith(suffix));
const wasm = res('_bg.wasm');
const config = res('/config.json');
return {
    html: nav.responseEnd,
    wasm: wasm ? wasm.responseEnd : -1,
    start: start ? start.startTime : -1,
    config_start: config ? config.startTime : -1,
    config_end: config ? config.responseEnd : -1,
    ready: ready.startTime,
};
"#;

/// Serves `dist` and loads it `LOADS` times, each in a new browser.
pub fn measure(dist: &Path, chromium: &str, chromedriver: &str) -> Result<Vec<Load>> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start tokio: {e}"))?;
    runtime.block_on(measure_async(dist, chromium, chromedriver))
}

async fn measure_async(dist: &Path, chromium: &str, chromedriver: &str) -> Result<Vec<Load>> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("cannot listen on 127.0.0.1: {e}"))?;
    let base = format!(
        "http://{}/",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let sim = sim::Sim::new(sim::SimConfig {
        dist_dir: Some(dist.to_path_buf()),
        ..Default::default()
    });
    let (stop_server, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(sim::serve(listener, sim, async move {
        let _ = stopped.await;
    }));

    let driver = Driver::start(chromedriver)?;
    let profiles = Profiles::new()?;
    let mut loads = Vec::with_capacity(LOADS);
    let mut outcome = Ok(());
    for i in 0..=LOADS {
        match load_once(&driver, chromium, &profiles.fresh(i)?, &base).await {
            Ok(load) if i > 0 => loads.push(load),
            Ok(_) => {}
            Err(e) => {
                outcome = Err(format!("cold load {i}: {e}"));
                break;
            }
        }
    }
    let _ = stop_server.send(());
    let _ = server.await;
    outcome.map(|()| loads)
}

/// One load in a new browser session whose profile is the empty `profile`.
async fn load_once(driver: &Driver, chromium: &str, profile: &Path, base: &str) -> Result<Load> {
    let client = driver.session(chromium, profile).await?;
    let measured = navigate_and_wait(&client, base).await;
    // Closing the session also ends this Chromium.
    let _ = client.close().await;
    measured
}

async fn navigate_and_wait(client: &Client, url: &str) -> Result<Load> {
    client
        .goto(url)
        .await
        .map_err(|e| format!("cannot open {url}: {e}"))?;
    let deadline = Instant::now() + LOAD_DEADLINE;
    loop {
        let timings = client
            .execute(READ_TIMINGS, vec![])
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
    })
}

/// chromedriver on a free port, killed when dropped.
pub(super) struct Driver {
    url: String,
    child: Child,
}

impl Driver {
    pub(super) fn start(program: &str) -> Result<Self> {
        let port = StdListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port for chromedriver: {e}"))?
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {program}: {e}"))?;
        Ok(Driver {
            url: format!("http://127.0.0.1:{port}"),
            child,
        })
    }

    /// A new headless Chromium on `profile`, with the end-to-end suite's flags.
    pub(super) async fn session(&self, chromium: &str, profile: &Path) -> Result<Client> {
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    format!("--user-data-dir={}", profile.display()),
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                    "--autoplay-policy=no-user-gesture-required",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic",
                    "--window-size=1400,1000",
                ],
            },
        });
        let Value::Object(caps) = caps else {
            unreachable!("a JSON object literal")
        };
        let deadline = Instant::now() + LOAD_DEADLINE;
        loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&self.url)
                .await
            {
                Ok(client) => return Ok(client),
                // chromedriver takes a moment to listen.
                Err(_) if Instant::now() < deadline => tokio::time::sleep(POLL).await,
                Err(e) => return Err(format!("no browser session from chromedriver: {e}")),
            }
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One temporary folder holding every load's profile, removed when dropped.
pub(super) struct Profiles {
    root: PathBuf,
}

impl Profiles {
    pub(super) fn new() -> Result<Self> {
        let root = std::env::temp_dir().join(format!("xtask-coldload-{}", std::process::id()));
        std::fs::create_dir_all(&root)
            .map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        Ok(Profiles { root })
    }

    /// An empty profile folder of its own for load `i`.
    pub(super) fn fresh(&self, i: usize) -> Result<PathBuf> {
        let dir = self.root.join(format!("load-{i}"));
        std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(dir)
    }
}

impl Drop for Profiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_step_of_a_load() {
        let timings = serde_json::json!({
            "html": 3.5, "wasm": 60.0, "start": 80.0, "config_start": 90.0, "config_end": 92.5, "ready": 120.25,
        });
        let load = parse_load(&timings).unwrap();
        assert_eq!(load.html, 3.5);
        assert_eq!(load.config_end, 92.5);
        assert_eq!(load.ready, 120.25);
    }

    #[test]
    fn a_missing_resource_is_an_error_not_a_zero() {
        let timings = serde_json::json!({
            "html": 3.5, "wasm": -1, "start": 80.0, "config_start": 90.0, "config_end": 92.5, "ready": 120.0,
        });
        let err = parse_load(&timings).unwrap_err();
        assert!(err.contains("wasm"), "{err}");
    }
}
