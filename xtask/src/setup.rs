//! Installs whatever is missing, one line per piece. Fast when all is present:
//! every piece is probed first and installed only when absent or the wrong version.

use std::path::Path;

use crate::ws::{probe, run, Workspace};
use crate::Result;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// 0.22 needs a newer rustc than we pin (see TOOLCHAIN.md).
const TRUNK_VERSION: &str = "0.21.14";
/// npm's binaryen; Debian's wasm-opt 108 builds a wasm that dies at start-up.
const BINARYEN_NPM: &str = "binaryen@132.0.0";
/// The accessibility audit the end-to-end suite injects into the page.
const AXE_NPM: &str = "axe-core@4.14.1";
const WASM_OPT_VERSION: &str = "version 132";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Everything: the app-building pieces plus the browser the tests drive.
pub fn everything(ws: &Workspace) -> Result<()> {
    app_tools(ws)?;
    browser(ws)?;
    axe(ws)
}

/// axe-core from npm, beside wasm-opt: `crates/e2e/tests/embed.rs` reads
/// `axe.min.js` from there.
fn axe(ws: &Workspace) -> Result<()> {
    npm_packages(ws, "accessibility audit", &[AXE_NPM])
}

/// The minifiers `dist` runs on the JS glue and the CSS (`shrink.rs`);
/// plain JavaScript, nothing downloaded from elsewhere.
const MINIFIERS_NPM: &[&str] = &["terser@5.51.4", "csso-cli@4.0.2"];

fn minifiers(ws: &Workspace) -> Result<()> {
    npm_packages(ws, "minifiers", MINIFIERS_NPM)
}

/// Installs those of `specs` (`name@version`) that are not in our npm
/// prefix at that version, in one `npm install`.
fn npm_packages(ws: &Workspace, piece: &str, specs: &[&str]) -> Result<()> {
    let piece = format!("{piece} ({})", specs.join(", "));
    let missing: Vec<&str> = specs
        .iter()
        .copied()
        .filter(|spec| {
            let (name, version) = spec.rsplit_once('@').unwrap_or((spec, ""));
            let manifest = ws
                .node_tools()
                .join("node_modules")
                .join(name)
                .join("package.json");
            let wanted = format!("\"version\": \"{version}\"");
            !std::fs::read_to_string(manifest).is_ok_and(|text| text.contains(&wanted))
        })
        .collect();
    if missing.is_empty() {
        report(&piece, false);
        return Ok(());
    }
    let prefix = ws.node_tools();
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    let prefix = prefix.to_string_lossy().into_owned();
    let mut args = vec!["install", "--prefix", &prefix, "--no-audit", "--no-fund"];
    args.extend(missing);
    run(ws.command("npm").args(args)).map_err(|e| {
        format!("{e}\n(install Node.js and npm, e.g. `apt-get install -y nodejs npm`)")
    })?;
    report(&piece, true);
    Ok(())
}

/// What building the app needs: target, trunk, wasm-bindgen, wasm-opt, and the
/// crates on disk (trunk runs cargo with --offline).
pub fn app_tools(ws: &Workspace) -> Result<()> {
    wasm_target(ws)?;
    trunk(ws)?;
    wasm_bindgen(ws)?;
    wasm_opt(ws)?;
    minifiers(ws)?;
    crates(ws)
}

fn report(piece: &str, installed: bool) {
    let state = if installed { "installed" } else { "present" };
    println!("setup: {piece:<34} {state}");
}

fn wasm_target(ws: &Workspace) -> Result<()> {
    let piece = format!("{WASM_TARGET} target");
    // Look in the sysroot rather than ask rustup, so a non-rustup toolchain works too.
    let sysroot = probe(ws.command("rustc").args(["--print", "sysroot"]))
        .ok_or("cannot run `rustc --print sysroot`: is Rust installed?")?;
    let target_lib = Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(WASM_TARGET);
    if target_lib.is_dir() {
        report(&piece, false);
        return Ok(());
    }
    run(ws.command("rustup").args(["target", "add", WASM_TARGET])).map_err(|e| {
        format!("{e}\n(the {WASM_TARGET} target is missing; install it for your toolchain)")
    })?;
    report(&piece, true);
    Ok(())
}

fn trunk(ws: &Workspace) -> Result<()> {
    let piece = format!("trunk {TRUNK_VERSION}");
    if tool_version(ws, "trunk").as_deref() == Some(TRUNK_VERSION) {
        report(&piece, false);
        return Ok(());
    }
    // Trunk's own release profile asks for fat LTO in one codegen unit: a
    // serial link of some 400 crates. Without it the install is minutes
    // shorter on two cores (13.5 min before, 10.5 min after), and a build
    // tool loses nothing that matters.
    run(&mut ws.cargo(&[
        "install",
        "trunk",
        "--version",
        TRUNK_VERSION,
        "--locked",
        "--config",
        "profile.release.lto=false",
        "--config",
        "profile.release.codegen-units=16",
    ]))?;
    report(&piece, true);
    Ok(())
}

fn wasm_bindgen(ws: &Workspace) -> Result<()> {
    let version = wasm_bindgen_version(&ws.root)?;
    check_trunk_toml(&ws.root, &version)?;
    let piece = format!("wasm-bindgen-cli {version}");
    let have = |tool| tool_version(ws, tool).as_deref() == Some(version.as_str());
    if have("wasm-bindgen") && have("wasm-bindgen-test-runner") {
        report(&piece, false);
        return Ok(());
    }
    // No --locked: the crate's own lock wants a webpki-roots the registry lacks.
    run(&mut ws.cargo(&[
        "install",
        "wasm-bindgen-cli",
        "--version",
        &format!("={version}"),
    ]))?;
    report(&piece, true);
    Ok(())
}

fn wasm_opt(ws: &Workspace) -> Result<()> {
    let piece = format!("wasm-opt ({BINARYEN_NPM})");
    let ours = ws.node_bin().join("wasm-opt");
    let version = probe(ws.command(&ours.to_string_lossy()).arg("--version"));
    if version.is_some_and(|v| v.contains(WASM_OPT_VERSION)) {
        report(&piece, false);
        return Ok(());
    }
    let prefix = ws.node_tools();
    std::fs::create_dir_all(&prefix)
        .map_err(|e| format!("cannot create {}: {e}", prefix.display()))?;
    let prefix = prefix.to_string_lossy().into_owned();
    run(ws.command("npm").args(["install", "--prefix", &prefix, "--no-audit", "--no-fund", BINARYEN_NPM]))
        .map_err(|e| format!("{e}\n(wasm-opt comes from npm: install Node.js and npm, e.g. `apt-get install -y nodejs npm`)"))?;
    report(&piece, true);
    Ok(())
}

fn crates(ws: &Workspace) -> Result<()> {
    run(&mut ws.cargo(&["fetch"]))?;
    println!("setup: {:<34} fetched", "crates (cargo fetch)");
    Ok(())
}

/// A small Chinese font, so the screenshots the suites write read as a
/// dispatcher sees the console (without one Chinese shows as boxes).
const CJK_FONT: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// Chromium, chromedriver and a Chinese font from Debian, for the browser
/// and end-to-end suites.
fn browser(ws: &Workspace) -> Result<()> {
    let piece = "chromium + chromium-driver + font";
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER, CJK_FONT]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        report(piece, false);
        return Ok(());
    }
    if !is_root(ws) {
        return Err(format!(
            "{} missing; install it as root:\n    apt-get update && apt-get install -y chromium chromium-driver fonts-wqy-microhei",
            missing.join(" and ")
        ));
    }
    let apt = |args: &[&str]| {
        let mut command = ws.command("apt-get");
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut command)
    };
    apt(&["update"])?;
    apt(&[
        "install",
        "-y",
        "chromium",
        "chromium-driver",
        "fonts-wqy-microhei",
    ])?;
    report(piece, true);
    Ok(())
}

fn is_root(ws: &Workspace) -> bool {
    probe(ws.command("id").arg("-u")).is_some_and(|uid| uid.trim() == "0")
}

/// The version a tool reports, e.g. `trunk --version` → "trunk 0.21.14" → "0.21.14".
fn tool_version(ws: &Workspace, tool: &str) -> Option<String> {
    let out = probe(ws.command(tool).arg("--version"))?;
    out.split_whitespace().nth(1).map(str::to_owned)
}

/// The wasm-bindgen version in Cargo.lock: the CLI must be exactly that one.
pub fn wasm_bindgen_version(root: &Path) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock ({e}); run `cargo generate-lockfile`"))?;
    locked_version(&lock, "wasm-bindgen")
        .ok_or_else(|| "Cargo.lock has no wasm-bindgen package".into())
}

/// The version of package `name` in a Cargo.lock text (the first one if several).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines().map(str::trim);
    lines.find(|line| *line == wanted)?;
    let version = lines
        .next()?
        .strip_prefix("version = \"")?
        .strip_suffix('"')?;
    Some(version.to_owned())
}

/// Trunk refuses a wasm-bindgen other than the one Trunk.toml names, with a
/// message that does not say why; catch a stale Trunk.toml here instead.
fn check_trunk_toml(root: &Path, version: &str) -> Result<()> {
    let text = std::fs::read_to_string(root.join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    match trunk_tool_version(&text, "wasm_bindgen") {
        Some(named) if named == version => Ok(()),
        named => Err(format!(
            "Trunk.toml names wasm_bindgen {named:?} but Cargo.lock has {version}: make them equal"
        )),
    }
}

/// `key = "value"` in Trunk.toml (keys are unique there, so no section tracking).
fn trunk_tool_version(toml: &str, key: &str) -> Option<String> {
    toml.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_version_under_the_exact_name() {
        let lock = "[[package]]\nname = \"wasm-bindgen-futures\"\nversion = \"0.4.1\"\n\n\
                    [[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"registry\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "js-sys"), None);
    }

    #[test]
    fn trunk_toml_names_the_locked_wasm_bindgen_and_wasm_opt_132() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let version = wasm_bindgen_version(root).unwrap();
        check_trunk_toml(root, &version).unwrap();
        let toml = std::fs::read_to_string(root.join("Trunk.toml")).unwrap();
        assert_eq!(
            trunk_tool_version(&toml, "wasm_opt").as_deref(),
            Some("version_132")
        );
        assert_eq!(
            trunk_tool_version(&toml, "offline").as_deref(),
            Some("true")
        );
    }
}
