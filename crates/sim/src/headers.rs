//! Security headers on every response: the Content-Security-Policy the
//! console boots under, and the few headers beside it. `docs/deploy.md`
//! gives the same set for nginx; change both together.
//!
//! The policy allows no inline script or style. Trunk's inline loader is
//! moved into `boot.js` at build time (`xtask/src/dist.rs`), and the app sets
//! no `style` attribute. `connect-src 'self'` covers the voice WebSocket on
//! this origin: CSP Level 3 lets `'self'` match `ws:`/`wss:` of the same host.

use axum::http::header::{
    HeaderName, HeaderValue, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
};
use axum::response::Response;
use axum::Router;
use std::sync::Arc;

/// Who may frame the console today: only this origin. Another task makes
/// the list configurable (config.json's `embed.origins`).
pub const SELF_ONLY: &[&str] = &["'self'"];

const PERMISSIONS_POLICY: HeaderName = HeaderName::from_static("permissions-policy");

/// The Content-Security-Policy, with `frame_ancestors` as the sources
/// allowed to embed the console (`'self'`, `https://portal.example`, …).
pub fn content_security_policy(frame_ancestors: &[&str]) -> String {
    let ancestors = if frame_ancestors.is_empty() {
        "'none'".to_owned()
    } else {
        frame_ancestors.join(" ")
    };
    [
        "default-src 'self'".to_owned(),
        // WebAssembly compilation needs 'wasm-unsafe-eval'; nothing else is evaluated.
        "script-src 'self' 'wasm-unsafe-eval'".to_owned(),
        "connect-src 'self'".to_owned(),
        // blob: for the meeting's presentation image, data: for the empty favicon.
        "img-src 'self' blob: data:".to_owned(),
        "style-src 'self'".to_owned(),
        "object-src 'none'".to_owned(),
        "base-uri 'none'".to_owned(),
        format!("frame-ancestors {ancestors}"),
    ]
    .join("; ")
}

/// Every security header with its value, the policy built for `frame_ancestors`.
pub fn security_headers(frame_ancestors: &[&str]) -> Vec<(HeaderName, String)> {
    vec![
        (
            CONTENT_SECURITY_POLICY,
            content_security_policy(frame_ancestors),
        ),
        (REFERRER_POLICY, "no-referrer".to_owned()),
        (X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (
            PERMISSIONS_POLICY,
            "microphone=(self), camera=(), geolocation=()".to_owned(),
        ),
    ]
}

/// Adds [`security_headers`] to every response of `router`.
pub(crate) fn apply<S>(router: Router<S>, frame_ancestors: &[&str]) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    let headers: Arc<Vec<(HeaderName, HeaderValue)>> = Arc::new(
        security_headers(frame_ancestors)
            .into_iter()
            // Values come from the fixed text above and configured origins;
            // one that is not a valid header value is left out, not sent broken.
            .filter_map(|(name, value)| HeaderValue::from_str(&value).ok().map(|v| (name, v)))
            .collect(),
    );
    router.layer(axum::middleware::map_response(move |mut res: Response| {
        let headers = headers.clone();
        async move {
            for (name, value) in headers.iter() {
                res.headers_mut().insert(name.clone(), value.clone());
            }
            res
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_lists_each_directive_once() {
        let csp = content_security_policy(SELF_ONLY);
        assert_eq!(
            csp,
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; \
             img-src 'self' blob: data:; style-src 'self'; object-src 'none'; \
             base-uri 'none'; frame-ancestors 'self'"
        );
        assert!(!csp.contains("unsafe-inline"));
    }

    #[test]
    fn frame_ancestors_come_from_the_list() {
        let csp = content_security_policy(&["'self'", "https://portal.example"]);
        assert!(csp.ends_with("frame-ancestors 'self' https://portal.example"));
        assert!(content_security_policy(&[]).ends_with("frame-ancestors 'none'"));
    }
}
