//! The control API, `/config.json` and the static files.

use crate::client::ws::login;
use crate::client::{get, post_json, request, start, start_default};
use serde_json::json;
use sim::{Faults, SimConfig, SimState};

#[tokio::test]
async fn reset_forgets_everything() {
    let (addr, sim) = start_default().await;
    let mut ws = login(addr, "zydd", "123456").await;
    crate::client::ws::send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169918],"transaction":1}),
    )
    .await;
    get(addr, "/v1/app/callService?access_token=demo-token").await;
    let r = post_json(
        addr,
        "/_sim/faults",
        &[],
        &json!({"calls_error":"boom","meeting_down":true}),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(sim.faults().calls_error.as_deref(), Some("boom"));
    assert_eq!(
        get(addr, "/api/services/1061/participants").await.status,
        503
    );

    let before: SimState = serde_json::from_slice(&get(addr, "/_sim/state").await.body).unwrap();
    assert_eq!(before.calls.len(), 1);
    assert!(before.faults.meeting_down);
    for _ in 0..50 {
        if !sim.snapshot().voice_sessions.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        request(addr, "POST", "/_sim/reset", &[], b"").await.status,
        200
    );
    // What was sent before the reset may still be read; then the socket is closed.
    let mut left = 0;
    while crate::client::ws::recv(&mut ws).await.is_some() {
        left += 1;
        assert!(left < 20, "socket not closed by reset");
    }
    let after = sim.snapshot();
    assert!(
        after.calls.is_empty()
            && after.voice_sessions.is_empty()
            && after.voice_accounts.is_empty()
    );
    assert_eq!(after.faults, Faults::default());
    assert_eq!(after.meeting.participants.len(), 3);
    assert_eq!(get(addr, "/_sim/nothing").await.status, 404);
}

#[tokio::test]
async fn config_json_and_the_app() {
    let dist = std::env::temp_dir().join(format!("sim-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html>app</html>").unwrap();
    std::fs::write(dist.join("app.js"), "console.log(1)").unwrap();
    std::fs::write(dist.join("config.json"), r#"{"from":"dist"}"#).unwrap();
    let cfg = SimConfig {
        dist_dir: Some(dist.clone()),
        ..SimConfig::default()
    };
    let (addr, _sim) = start(cfg).await;
    assert_eq!(get(addr, "/").await.text(), "<html>app</html>");
    assert_eq!(get(addr, "/app.js").await.text(), "console.log(1)");
    let r = get(addr, "/ptt/some/route").await;
    assert_eq!((r.status, r.text()), (200, "<html>app</html>".to_owned()));
    assert_eq!(
        get(addr, "/config.json").await.json(),
        json!({"from":"dist"})
    );

    let cfg = SimConfig {
        dist_dir: Some(dist.clone()),
        config_json: Some(r#"{"from":"sim"}"#.into()),
        ..SimConfig::default()
    };
    let (addr, _sim) = start(cfg).await;
    let r = get(addr, "/config.json").await;
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.json(), json!({"from":"sim"}));
    let _ = std::fs::remove_dir_all(&dist);

    let (addr, _sim) = start_default().await;
    let r = get(addr, "/").await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("cargo xtask demo"));
}

#[tokio::test]
async fn a_precompressed_file_goes_to_browsers_that_accept_gzip() {
    let dist = std::env::temp_dir().join(format!("sim-dist-gz-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), "<html>app</html>").unwrap();
    std::fs::write(dist.join("app_bg.wasm"), b"\0asm plain").unwrap();
    // Not real gzip: the test only needs to tell which file was sent.
    std::fs::write(dist.join("app_bg.wasm.gz"), b"gz bytes").unwrap();
    let cfg = SimConfig {
        dist_dir: Some(dist.clone()),
        ..SimConfig::default()
    };
    let (addr, _sim) = start(cfg).await;
    let gzip = [("Accept-Encoding", "gzip, deflate, br")];
    let r = request(addr, "GET", "/app_bg.wasm", &gzip, b"").await;
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("content-type"), Some("application/wasm"));
    assert_eq!(r.body, b"gz bytes");
    let r = get(addr, "/app_bg.wasm").await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.body, b"\0asm plain");
    // Without a .gz, the file itself, even to a browser that accepts gzip.
    let r = request(addr, "GET", "/", &gzip, b"").await;
    assert_eq!(
        (r.header("content-encoding"), r.text()),
        (None, "<html>app</html>".to_owned())
    );
    let _ = std::fs::remove_dir_all(&dist);
}

#[tokio::test]
async fn shutdown_closes_long_lived_connections() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let sim = sim::Sim::new(SimConfig::default());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(sim::serve(listener, sim.clone(), async move {
        let _ = stopped.await;
    }));
    let _ws = login(addr, "zydd", "123456").await;
    let r = post_json(
        addr,
        "/api/services/1061/new_session",
        &[("pin", "123456")],
        &json!({"display_name":"h"}),
    )
    .await;
    let token = r.json()["result"]["token"].as_str().unwrap().to_owned();
    let mut sse = crate::client::Sse::open(
        addr,
        &format!(
            "/api/services/1061/events?token={}",
            proto::meeting::token_query(&token)
        ),
    )
    .await;
    sse.until("participant_sync_end").await;
    let _ = stop.send(());
    let done = tokio::time::timeout(std::time::Duration::from_secs(5), server).await;
    assert!(matches!(done, Ok(Ok(Ok(())))), "{done:?}");
}

/// The security headers (crate `headers`) on the app's page and on the APIs.
#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (addr, _sim) = start_default().await;
    for path in ["/", "/v1/app/callService", "/_sim/state"] {
        let r = get(addr, path).await;
        let csp = r
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert_eq!(
            csp,
            sim::headers::content_security_policy(sim::headers::SELF_ONLY)
        );
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
                "{path}: {directive} in {csp}"
            );
        }
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            r.header("permissions-policy"),
            Some("microphone=(self), camera=(), geolocation=()"),
            "{path}"
        );
    }
}
