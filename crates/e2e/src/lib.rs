//! Harness for the end-to-end suite: the simulator in-process on a free
//! port, serving the release app from `DIST_DIR` (default `<repo>/dist`),
//! and a fresh headless Chromium driven through its own chromedriver.
//! Every wait polls a condition against a deadline; nothing sleeps blindly.
//! [`Harness::finish`] fails the test on any error in the browser console.

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use sim::{Sim, SimConfig};
use std::net::TcpListener as StdListener;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

pub const WAIT: Duration = Duration::from_secs(15);

pub struct Harness {
    pub sim: Sim,
    /// `http://127.0.0.1:<port>`
    pub base: String,
    pub client: Client,
    driver: Child,
    stop_server: Option<oneshot::Sender<()>>,
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repo root")
}

fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("DIST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("dist"));
    assert!(
        dir.join("index.html").exists(),
        "no release app in {} — run `cargo xtask dist` first",
        dir.display()
    );
    dir
}

fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Harness {
    /// Starts the simulator (with `config_json` served as /config.json when
    /// given, else the app's own) and a browser session.
    pub async fn start(config_json: Option<String>) -> Self {
        let sim = Sim::new(SimConfig {
            dist_dir: Some(dist_dir()),
            config_json,
            ..Default::default()
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop_server, stopped) = oneshot::channel::<()>();
        tokio::spawn(sim::serve(listener, sim.clone(), async move {
            let _ = stopped.await;
        }));

        let port = free_port();
        let driver = Command::new(
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
        )
        .arg(format!("--port={port}"))
        // Its own process group, which the Chromium it starts joins: a
        // failed test takes the whole group down (see `Drop`).
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts (cargo xtask setup installs it)");
        let client = connect(port).await;
        Self {
            sim,
            base,
            client,
            driver,
            stop_server: Some(stop_server),
        }
    }

    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("page opens");
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.wait_for(css).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    /// Clicks `css` after scrolling it to the middle of the window, where
    /// the sticky header cannot cover it.
    pub async fn click(&self, css: &str) {
        let el = self.wait_for(css).await;
        self.eval(&format!(
            "document.querySelector({css:?}).scrollIntoView({{block: 'center'}}); return true"
        ))
        .await;
        el.click()
            .await
            .unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                return el;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {css}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls until `css`'s attribute `attr` is `want`.
    pub async fn wait_attr(&self, css: &str, attr: &str, want: &str) {
        self.wait_attr_within(css, attr, want, WAIT).await
    }

    /// [`Self::wait_attr`] with a deadline of its own, for what takes longer
    /// than [`WAIT`] by design (an outage, a back-off).
    pub async fn wait_attr_within(&self, css: &str, attr: &str, want: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let value = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.attr(attr).await.ok().flatten(),
                Err(_) => None,
            };
            if value.as_deref() == Some(want) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out: {css}[{attr}] is {value:?}, want {want:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls until the input `css` holds `want` (its live value, not the attribute).
    pub async fn wait_value(&self, css: &str, want: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.prop("value").await.ok().flatten(),
                Err(_) => None,
            };
            if value.as_deref() == Some(want) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out: {css} holds {value:?}, want {want:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls until the text of `css` contains `want`; returns the text.
    pub async fn wait_text(&self, css: &str, want: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let text = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if text.contains(want) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "timed out: {css} reads {text:?}, want it to contain {want:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls the simulator's own state.
    pub async fn wait_sim(&self, what: &str, mut cond: impl FnMut(&sim::SimState) -> bool) {
        let deadline = Instant::now() + WAIT;
        while !cond(&self.sim.snapshot()) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for the simulator: {what}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls the push-to-talk audio the simulated plugin heard (docs/audio.md).
    pub async fn wait_audio(
        &self,
        what: &str,
        mut cond: impl FnMut(&sim::VoiceAudio) -> bool,
    ) -> sim::VoiceAudio {
        let deadline = Instant::now() + WAIT;
        loop {
            let audio = self.sim.voice_audio();
            if cond(&audio) {
                return audio;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for audio: {what}; heard {audio:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Polls the script `js` (a function body returning a value) until
    /// `done` holds; returns that value.
    pub async fn wait_js(
        &self,
        what: &str,
        js: &str,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let value = self.eval(js).await;
            if done(&value) {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: {value}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn eval(&self, js: &str) -> serde_json::Value {
        self.client.execute(js, vec![]).await.expect("script runs")
    }

    /// Makes the next file the app offers for download (a Blob URL, as its
    /// CSV exports make) readable with [`Harness::downloaded`].
    pub async fn catch_download(&self) {
        self.eval(
            "window.__download = null; const make = URL.createObjectURL; \
             URL.createObjectURL = b => { b.text().then(t => window.__download = t); return make(b); }; \
             return true",
        )
        .await;
    }

    /// The text of the download caught since [`Harness::catch_download`].
    pub async fn downloaded(&self) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(text) = self.eval("return window.__download").await.as_str() {
                return text.to_owned();
            }
            assert!(Instant::now() < deadline, "nothing was downloaded");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Writes a screenshot under target/e2e/ for a person to look at.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = repo_root().join("target/e2e");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Every SEVERE entry of the browser console since the last call.
    pub async fn console_errors(&self) -> Vec<String> {
        let log = self
            .client
            .issue_cmd(BrowserLog)
            .await
            .expect("browser log");
        log.as_array()
            .into_iter()
            .flatten()
            .filter(|e| e["level"] == "SEVERE")
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    /// Ends the test: fails on any console error, then closes everything.
    pub async fn finish(mut self) {
        let errors = self.console_errors().await;
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        if let Some(stop) = self.stop_server.take() {
            let _ = stop.send(());
        }
        assert!(
            errors.is_empty(),
            "errors in the browser console: {errors:#?}"
        );
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        // Also on a failed assertion: never leave a chromedriver behind, nor
        // its Chromium (killing chromedriver alone leaves the browser
        // running, which slows every later test on a 2-core machine).
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

async fn connect(port: u16) -> Client {
    let caps = serde_json::json!({
        "goog:loggingPrefs": {"browser": "ALL"},
        "goog:chromeOptions": {
            "binary": std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1400,1000",
                // Chromium 156 preloads its omnibox popup (a WebUI of ~290
                // files) just after launch, competing with the test's page.
                "--disable-features=WebUIOmniboxPopup",
            ],
        },
    });
    let caps: serde_json::Map<String, serde_json::Value> = caps.as_object().unwrap().clone();
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + WAIT;
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => return c,
            // chromedriver takes a moment to listen.
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(50)).await
            }
            Err(e) => panic!("no browser session: {e}"),
        }
    }
}

/// chromedriver's console log endpoint (not in W3C WebDriver).
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(r#"{"type":"browser"}"#.into()))
    }
}
