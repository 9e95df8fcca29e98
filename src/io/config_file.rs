//! Loads config.json from beside index.html.

use crate::config::{Config, CONFIG_PATH};
use gloo_net::http::{Request, Response};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The parsed configuration, or every reason it cannot be used.
pub async fn load() -> Result<Config, Vec<String>> {
    let failed = |e: String| vec![format!("{CONFIG_PATH}: {e}")];
    let resp = match prefetched() {
        Some(promise) => JsFuture::from(promise)
            .await
            .map_err(|e| failed(format!("{e:?}")))?
            .dyn_into::<web_sys::Response>()
            .map(Response::from)
            .map_err(|_| failed("not a response".into()))?,
        // `no-cache`: a deployment that edits the file expects a reload to see it.
        None => Request::get(CONFIG_PATH)
            .cache(web_sys::RequestCache::NoCache)
            .send()
            .await
            .map_err(|e| failed(e.to_string()))?,
    };
    if !resp.ok() {
        return Err(failed(format!(
            "HTTP {} {}",
            resp.status(),
            resp.status_text()
        )));
    }
    let text = resp.text().await.map_err(|e| failed(e.to_string()))?;
    Config::parse(&text)
}

/// The request boot.js started before the wasm was ready (`cargo xtask
/// dist` writes it), taken once; none when the page was loaded otherwise.
fn prefetched() -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str("ddConfig");
    let value = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    value.dyn_into::<js_sys::Promise>().ok()
}
