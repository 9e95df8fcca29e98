//! What every Chromium bench stands on: the simulator serving `dist/` on a
//! free port, chromedriver, and a fresh browser profile for each session.

use std::net::TcpListener as StdListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::Value;
use tokio::sync::oneshot;

use crate::Result;

/// How long chromedriver may take to hand out a browser.
const SESSION_DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(20);

/// The simulator serving `dist` (`base` is its address) and chromedriver.
pub(super) struct Stage {
    pub base: String,
    /// The simulator's state, for benches that steer it or read it.
    pub sim: sim::Sim,
    driver: Driver,
    profiles: Profiles,
}

impl Stage {
    /// A new headless Chromium with an empty profile of its own (number `i`).
    pub async fn browser(&self, chromium: &str, i: usize) -> Result<Client> {
        self.driver
            .session(chromium, &self.profiles.fresh(i)?)
            .await
    }
}

/// Sets up a stage in a runtime of its own, runs `bench` on it, and takes the
/// stage down afterwards, whatever the outcome.
pub(super) fn run<T>(
    dist: &Path,
    chromedriver: &str,
    bench: impl AsyncFnOnce(&Stage) -> Result<T>,
) -> Result<T> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start tokio: {e}"))?;
    runtime.block_on(async {
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
        let server = tokio::spawn(sim::serve(listener, sim.clone(), async move {
            let _ = stopped.await;
        }));
        let outcome = match (Driver::start(chromedriver), Profiles::new()) {
            (Ok(driver), Ok(profiles)) => {
                let stage = Stage {
                    base,
                    sim,
                    driver,
                    profiles,
                };
                bench(&stage).await
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        };
        let _ = stop_server.send(());
        let _ = server.await;
        outcome
    })
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    url: String,
    child: Child,
}

impl Driver {
    fn start(program: &str) -> Result<Self> {
        let port = StdListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port for chromedriver: {e}"))?
            .port();
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            // Its own process group, which its Chromium joins (see `Drop`).
            .process_group(0)
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
    async fn session(&self, chromium: &str, profile: &Path) -> Result<Client> {
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
                    // Chromium 156 preloads its omnibox popup (a WebUI of ~290
                    // files, ~300 ms of CPU) just after launch, over the first
                    // page; a running browser did that long before.
                    "--disable-features=WebUIOmniboxPopup",
                    "--window-size=1400,1000",
                ],
            },
        });
        let Value::Object(caps) = caps else {
            unreachable!("a JSON object literal")
        };
        let deadline = Instant::now() + SESSION_DEADLINE;
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
        // A bench that failed mid-load leaves a browser open: take the
        // whole group down, not chromedriver alone.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One temporary folder holding every session's profile, removed when dropped.
struct Profiles {
    root: PathBuf,
}

impl Profiles {
    fn new() -> Result<Self> {
        let root = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        std::fs::create_dir_all(&root)
            .map_err(|e| format!("cannot create {}: {e}", root.display()))?;
        Ok(Profiles { root })
    }

    /// An empty profile folder of its own for session `i`.
    fn fresh(&self, i: usize) -> Result<PathBuf> {
        let dir = self.root.join(format!("profile-{i}"));
        std::fs::create_dir(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        Ok(dir)
    }
}

impl Drop for Profiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}
