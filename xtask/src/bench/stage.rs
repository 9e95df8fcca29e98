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
/// A browser is settled when its processes used at most `QUIET_TICKS` of CPU
/// (1/100 s each, as /proc counts) in a window this long.
const QUIET_WINDOW: Duration = Duration::from_millis(200);
const QUIET_TICKS: u64 = 2;
/// How long a new browser may take to settle before the bench goes on anyway.
const SETTLE_DEADLINE: Duration = Duration::from_secs(10);

/// The simulator serving `dist` (`base` is its address) and chromedriver.
pub(super) struct Stage {
    pub base: String,
    /// The simulator's state, for benches that steer it or read it.
    pub sim: sim::Sim,
    driver: Driver,
    profiles: Profiles,
}

impl Stage {
    /// A new headless Chromium with an empty profile of its own (number `i`),
    /// once it has settled (see [`Driver::settled`]).
    pub async fn browser(&self, chromium: &str, i: usize) -> Result<Client> {
        let client = self
            .driver
            .session(chromium, &self.profiles.fresh(i)?)
            .await?;
        self.driver.settled().await;
        Ok(client)
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

impl Driver {
    /// Waits until the browser is done starting up. Just after launch,
    /// Chromium 156 spends a few hundred ms of CPU on its own pages (the
    /// omnibox's WebUI popups, which no flag turns off entirely); on two
    /// cores that lands on whatever page loads first. A dispatcher's browser
    /// did that long before the console is opened.
    async fn settled(&self) {
        let group = self.child.id();
        let deadline = Instant::now() + SETTLE_DEADLINE;
        let mut before = group_cpu_ticks(group);
        while Instant::now() < deadline {
            tokio::time::sleep(QUIET_WINDOW).await;
            let now = group_cpu_ticks(group);
            if now.saturating_sub(before) <= QUIET_TICKS {
                return;
            }
            before = now;
        }
    }
}

/// CPU time (user + system, in clock ticks) of every process in `group`,
/// read from /proc; 0 where /proc cannot be read.
fn group_cpu_ticks(group: u32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
        .filter_map(|stat| parse_stat(&stat))
        .filter(|&(pgrp, _)| pgrp == group)
        .map(|(_, ticks)| ticks)
        .sum()
}

/// (process group, utime + stime) from a /proc/<pid>/stat line. The command
/// name, in parentheses, may hold spaces: fields are counted after its `)`.
fn parse_stat(stat: &str) -> Option<(u32, u64)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let pgrp = fields.get(2)?.parse().ok()?;
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some((pgrp, utime + stime))
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

#[cfg(test)]
mod tests {
    use super::parse_stat;

    #[test]
    fn a_stat_line_gives_its_group_and_cpu_ticks_even_with_spaces_in_the_name() {
        let line = "4242 (chrome (renderer) x) S 4200 4100 4100 0 -1 4194560 1234 0 0 0 \
                    57 13 0 0 20 0 12 0 99 1000 200";
        assert_eq!(parse_stat(line), Some((4100, 70)));
        assert_eq!(parse_stat("4242 (cut short) S 1"), None);
        assert_eq!(parse_stat("no parenthesis"), None);
    }
}
