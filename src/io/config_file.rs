//! Loads config.json from beside index.html. boot.js (written by `cargo xtask
//! dist`) asks for it while the wasm downloads and compiles, leaves
//! `{status, statusText, text}` in `window.ddConfigReady` once it has the
//! whole body, and starts the app then (or after 3 s without it): so it is
//! there at start, and the console is built in the first render, without
//! waiting on a promise.

use crate::config::{Config, CONFIG_PATH};
use gloo_net::http::Request;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub type Loaded = Result<Config, Vec<String>>;

/// The configuration if boot.js already has it; taken once.
pub fn arrived() -> Option<Loaded> {
    take_global("ddConfigReady").map(|answer| read_answer(&answer))
}

/// The parsed configuration, or every reason it cannot be used: from boot.js's
/// request when there is one (still under way), else asked for now.
pub async fn load() -> Loaded {
    match take_global("ddConfig").and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        Some(promise) => match JsFuture::from(promise).await {
            Ok(answer) => read_answer(&answer),
            Err(e) => Err(failed(&js_text(&e))),
        },
        None => fetch().await,
    }
}

/// `no-cache`: a deployment that edits the file expects a reload to see it
/// (boot.js asks the same way).
async fn fetch() -> Loaded {
    let resp = Request::get(CONFIG_PATH)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| failed(&e.to_string()))?;
    let text = resp.text().await.map_err(|e| failed(&e.to_string()))?;
    parse(resp.status(), &resp.status_text(), &text)
}

/// boot.js's `{status, statusText, text}`.
fn read_answer(answer: &JsValue) -> Loaded {
    let field = |key: &str| js_sys::Reflect::get(answer, &JsValue::from_str(key)).ok();
    let status = field("status").and_then(|v| v.as_f64()).unwrap_or(0.0) as u16;
    let status_text = field("statusText")
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    let text = field("text")
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    parse(status, &status_text, &text)
}

fn parse(status: u16, status_text: &str, text: &str) -> Loaded {
    if !(200..300).contains(&status) {
        return Err(failed(&format!("HTTP {status} {status_text}")));
    }
    Config::parse(text)
}

fn failed(e: &str) -> Vec<String> {
    vec![format!("{CONFIG_PATH}: {e}")]
}

fn js_text(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// `window[key]`, removed so it is read once.
fn take_global(key: &str) -> Option<JsValue> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(key);
    let value = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    (!value.is_undefined() && !value.is_null()).then_some(value)
}
