//! `cargo xtask demo`: the release app and the simulated back ends on one port.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use crate::dist;
use crate::ws::Workspace;
use crate::Result;

/// The simulator's documented demo login for the voice plugin.
const DEMO_ACCOUNT: &str = "zydd";
const DEMO_PASSWORD: &str = "123456";

#[derive(Debug, PartialEq)]
pub struct Options {
    pub host: String,
    pub port: u16,
}

impl Options {
    /// `[--host H] [--port N]`, also as `--host=H` / `--port=N`.
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut options = Options {
            host: "127.0.0.1".into(),
            port: 8080,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) => (flag, Some(value.to_owned())),
                None => (arg.as_str(), None),
            };
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| args.next().cloned())
                    .ok_or(format!("{flag} needs a value"))
            };
            match flag {
                "--host" => options.host = value()?,
                "--port" => {
                    let text = value()?;
                    options.port = text
                        .parse()
                        .map_err(|_| format!("--port {text:?} is not a port number"))?;
                }
                other => {
                    return Err(format!(
                        "unknown option {other:?} (demo takes --host H and --port N)"
                    ))
                }
            }
        }
        Ok(options)
    }
}

pub fn run(ws: &Workspace, options: &Options) -> Result<()> {
    dist::setup_and_build(ws)?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| format!("cannot start tokio: {e}"))?;
    runtime.block_on(serve(ws, options))
}

async fn serve(ws: &Workspace, options: &Options) -> Result<()> {
    let listener = tokio::net::TcpListener::bind((options.host.as_str(), options.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", options.host, options.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    // The example portal on the next port: a second origin, listed in embed.origins.
    let portal =
        tokio::net::TcpListener::bind((options.host.as_str(), addr.port().wrapping_add(1)))
            .await
            .map_err(|e| format!("cannot listen for the example portal: {e}"))?;
    let portal_addr = browsable(portal.local_addr().map_err(|e| e.to_string())?);
    let portal_origin = format!("http://{portal_addr}");
    let sim = sim::Sim::new(sim::SimConfig {
        dist_dir: Some(ws.dist_dir()),
        config_json: Some(with_portal(
            &ws.dist_dir().join("config.json"),
            &portal_origin,
        )?),
        ..Default::default()
    });
    let portal_dir = ws.root.join("examples/portal");
    tokio::spawn(async move {
        sim::portal::serve_portal(portal, &portal_dir, std::future::pending()).await
    });

    println!();
    println!("Dispatch Desk: http://{}/", browsable(addr));
    println!("demo login: voice account {DEMO_ACCOUNT}, password {DEMO_PASSWORD}");
    println!(
        "example portal (docs/embed.md): {portal_origin}/index.html?console=http://{}/",
        browsable(addr)
    );
    if !addr.ip().is_loopback() {
        // Browsers grant the microphone and WebCodecs only to secure contexts.
        println!("note: over plain http only localhost is a secure context; other hosts get no microphone or WebCodecs");
    }
    println!("Ctrl-C stops the simulator.");

    let shutdown = async {
        // If the signal handler cannot be installed, run until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    sim::serve(listener, sim, shutdown)
        .await
        .map_err(|e| format!("simulator stopped: {e}"))?;
    println!("stopped");
    Ok(())
}

/// The app's config.json with `origin` as the one embedding portal.
fn with_portal(config: &std::path::Path, origin: &str) -> Result<String> {
    let text = std::fs::read_to_string(config)
        .map_err(|e| format!("cannot read {}: {e}", config.display()))?;
    let mut json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", config.display()))?;
    json["embed"] = serde_json::json!({ "origins": [origin] });
    Ok(json.to_string())
}

/// The address to type into a browser: a wildcard bind is reachable as 127.0.0.1.
fn browsable(addr: SocketAddr) -> SocketAddr {
    if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), addr.port())
    } else {
        addr
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options> {
        Options::parse(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn defaults_to_localhost_8080() {
        assert_eq!(
            parse(&[]).unwrap(),
            Options {
                host: "127.0.0.1".into(),
                port: 8080
            }
        );
    }

    #[test]
    fn takes_port_and_host_in_both_spellings() {
        assert_eq!(
            parse(&["--port", "9000", "--host=0.0.0.0"]).unwrap(),
            Options {
                host: "0.0.0.0".into(),
                port: 9000
            }
        );
        assert_eq!(parse(&["--port=1"]).unwrap().port, 1);
    }

    #[test]
    fn refuses_bad_options() {
        assert!(parse(&["--port", "http"]).is_err());
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
    }

    #[test]
    fn the_demo_lists_its_portal_and_keeps_the_rest() {
        let file = std::env::temp_dir().join(format!("demo-config-{}.json", std::process::id()));
        std::fs::write(&file, r#"{"voice":{"pluginUrl":"/voice"}}"#).unwrap();
        let json: serde_json::Value =
            serde_json::from_str(&with_portal(&file, "http://127.0.0.1:8081").unwrap()).unwrap();
        std::fs::remove_file(&file).unwrap();
        assert_eq!(
            json["embed"]["origins"],
            serde_json::json!(["http://127.0.0.1:8081"])
        );
        assert_eq!(json["voice"]["pluginUrl"], "/voice");
    }

    #[test]
    fn a_wildcard_bind_is_shown_as_localhost() {
        assert_eq!(
            browsable("0.0.0.0:8080".parse().unwrap()).to_string(),
            "127.0.0.1:8080"
        );
        assert_eq!(
            browsable("127.0.0.1:1".parse().unwrap()).to_string(),
            "127.0.0.1:1"
        );
    }
}
