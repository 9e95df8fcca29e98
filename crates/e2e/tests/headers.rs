//! The console boots under the simulator's security headers: the
//! Content-Security-Policy without inline script or style, and its
//! companions. Any CSP violation is a console error, which fails the test.

use e2e::Harness;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A plain GET of `path` on `base` (`http://host:port`): the status line,
/// the headers (names lower-cased) and the body.
async fn get(base: &str, path: &str) -> (String, Vec<(String, String)>, String) {
    let host = base.trim_start_matches("http://");
    let mut s = TcpStream::connect(host).await.expect("connect");
    let head = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    s.write_all(head.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut raw))
        .await
        .expect("answered in time")
        .expect("read");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head and a body");
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

#[tokio::test]
async fn the_console_boots_under_the_security_headers() {
    let h = Harness::start(None).await;

    let (status, headers, body) = get(&h.base, "/").await;
    assert!(status.contains(" 200 "), "{status}");
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {name} header"))
    };
    let csp = header("content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "connect-src 'self'",
        "img-src 'self' blob: data:",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
    ] {
        assert!(
            csp.split("; ").any(|d| d == directive),
            "{directive}: {csp}"
        );
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(header("referrer-policy"), "no-referrer");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(
        header("permissions-policy"),
        "microphone=(self), camera=(), geolocation=()"
    );
    // The page loads the app from a file, not an inline script.
    assert!(
        body.contains(r#"<script type="module" src="/boot.js"></script>"#),
        "{body}"
    );
    assert!(!body.contains("import init"), "{body}");

    // The app boots, and the voice WebSocket (same origin) connects.
    h.open("/").await;
    h.wait_text("#app-title", "调度台").await;
    h.fill("#voice-account", "zydd").await;
    h.fill("#voice-password", "123456").await;
    h.click("#voice-login-button").await;
    h.wait_attr("#voice-light", "data-state", "online").await;
    let inline = h
        .eval("return document.querySelectorAll('script:not([src])').length")
        .await;
    assert_eq!(inline.as_u64(), Some(0));
    let errors = h.console_errors().await;
    assert!(
        errors.is_empty(),
        "console errors under the CSP: {errors:#?}"
    );

    // The policy is in force: an inline script is refused (and reported).
    let ran = h
        .eval(
            "const s = document.createElement('script'); s.textContent = 'window.inlineRan = true'; \
             document.head.appendChild(s); return window.inlineRan === true",
        )
        .await;
    assert_eq!(ran.as_bool(), Some(false), "an inline script ran");
    let deadline = std::time::Instant::now() + e2e::WAIT;
    loop {
        let errors = h.console_errors().await;
        if errors.iter().any(|e| e.contains("Content Security Policy")) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no CSP report for the inline script: {errors:#?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    h.finish().await;
}
