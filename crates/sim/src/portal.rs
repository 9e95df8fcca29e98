//! Embedding in portals: the example portal (`examples/portal/`), served on
//! an origin of its own, and the `frame-ancestors` policy that lets only the
//! portals of `embed.origins` (config.json) frame the console.

use axum::Router;
use std::path::Path;
use tower_http::services::ServeDir;

/// The example portal's files, to serve on a listener of its own (a second
/// origin: the browser then treats the portal and the console as strangers).
pub fn portal_app(examples_portal_dir: &Path) -> Router {
    Router::new().fallback_service(ServeDir::new(examples_portal_dir))
}

/// The portals the served config.json lists (`SimConfig::config_json`, else
/// the built app's file).
pub(crate) fn configured_origins(cfg: &crate::SimConfig) -> Vec<String> {
    cfg.config_json
        .clone()
        .or_else(|| {
            let dist = cfg.dist_dir.as_ref()?;
            std::fs::read_to_string(dist.join("config.json")).ok()
        })
        .map(|json| embed_origins(&json))
        .unwrap_or_default()
}

/// Serves the example portal on `listener` until `shutdown` resolves.
pub async fn serve_portal(
    listener: tokio::net::TcpListener,
    examples_portal_dir: &Path,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, portal_app(examples_portal_dir))
        .with_graceful_shutdown(shutdown)
        .await
}

/// `embed.origins` of a config.json, none when absent or unreadable.
pub fn embed_origins(config_json: &str) -> Vec<String> {
    serde_json::from_str::<serde_json::Value>(config_json)
        .ok()
        .and_then(|v| {
            v.pointer("/embed/origins")?.as_array().map(|list| {
                list.iter()
                    .filter_map(|o| o.as_str().map(str::to_owned))
                    .collect()
            })
        })
        .unwrap_or_default()
}

/// The listed origins fit for `frame-ancestors`: one with a space, quote or
/// `;` (not an origin at all) is left out rather than widening the policy.
pub fn ancestor_sources(origins: &[String]) -> impl Iterator<Item = &str> {
    origins
        .iter()
        .map(String::as_str)
        .filter(|o| !o.contains([' ', ';', '\'', '"', ',', '*']) && o.contains("://"))
}

/// `frame-ancestors 'self' <origins>`: only this origin and the listed
/// portals may frame the console.
pub fn frame_ancestors(origins: &[String]) -> String {
    std::iter::once("frame-ancestors 'self'")
        .chain(ancestor_sources(origins))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_origins_from_config_json() {
        assert_eq!(
            embed_origins(r#"{"embed":{"origins":["http://a:1","https://b"]}}"#),
            ["http://a:1", "https://b"]
        );
        assert!(embed_origins(r#"{"voice":{}}"#).is_empty());
        assert!(embed_origins("not json").is_empty());
    }

    #[test]
    fn the_policy_lists_only_real_origins() {
        assert_eq!(frame_ancestors(&[]), "frame-ancestors 'self'");
        assert_eq!(
            frame_ancestors(&[
                "http://127.0.0.1:9000".into(),
                "*".into(),
                "https://x; script-src *".into()
            ]),
            "frame-ancestors 'self' http://127.0.0.1:9000"
        );
    }
}
