//! The app itself: `/config.json` (from [`crate::SimConfig::config_json`]
//! when set) and the files of `dist/`, with `index.html` for any unknown
//! path so the app's own routes survive a reload. A file's `.gz` beside it
//! (`cargo xtask dist` writes them) is sent instead to a browser that
//! accepts gzip, as nginx's `gzip_static` does. Without a built app, a short
//! page says how to build it.

use crate::{Sim, SimConfig};
use axum::http::header::CONTENT_TYPE;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub(crate) fn routes(cfg: &SimConfig) -> Router<Sim> {
    let mut router = Router::new();
    if let Some(json) = cfg.config_json.clone() {
        router = router.route(
            "/config.json",
            get(move || {
                let json = json.clone();
                async move { ([(CONTENT_TYPE, "application/json")], json) }
            }),
        );
    }
    match cfg
        .dist_dir
        .as_ref()
        .filter(|d| d.join("index.html").is_file())
    {
        Some(dist) => {
            let index = ServeFile::new(dist.join("index.html")).precompressed_gzip();
            let files = ServeDir::new(dist).precompressed_gzip().fallback(index);
            router.fallback_service(files)
        }
        None => router.fallback(not_built),
    }
}

async fn not_built(uri: Uri) -> Response {
    if uri.path() != "/" && uri.path() != "/index.html" {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    Html(concat!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>调度台 Dispatch Desk</title>",
        "<body style=\"font-family:sans-serif;max-width:40em;margin:3em auto\">",
        "<h1>调度台 Dispatch Desk</h1>",
        "<p>The app is not built yet, so only the simulated back ends are served here.</p>",
        "<p>Build and serve everything with <code>cargo xtask demo</code>.</p>",
        "<p>Simulator state: <a href=\"/_sim/state\">/_sim/state</a></p>",
        "</body></html>"
    ))
    .into_response()
}
