//! Loads config.json from beside index.html.

use crate::config::{Config, CONFIG_PATH};
use gloo_net::http::Request;

/// The parsed configuration, or every reason it cannot be used.
pub async fn load() -> Result<Config, Vec<String>> {
    // `no-cache`: a deployment that edits the file expects a reload to see it.
    let resp = Request::get(CONFIG_PATH)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| vec![format!("{CONFIG_PATH}: {e}")])?;
    if !resp.ok() {
        return Err(vec![format!(
            "{CONFIG_PATH}: HTTP {} {}",
            resp.status(),
            resp.status_text()
        )]);
    }
    let text = resp
        .text()
        .await
        .map_err(|e| vec![format!("{CONFIG_PATH}: {e}")])?;
    Config::parse(&text)
}
