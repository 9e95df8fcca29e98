//! The release build of the app (trunk) and the size of what a browser downloads.

use std::path::{Path, PathBuf};

use crate::layout;
use crate::setup;
use crate::shrink;
use crate::ws::{run, Workspace};
use crate::Result;

/// One built file and its size as served, raw and gzipped (its `.gz`).
pub struct Artifact {
    pub path: PathBuf,
    pub raw: u64,
    pub gzipped: u64,
}

/// `cargo xtask dist`: install the build tools if needed, build, print sizes.
pub fn setup_and_build(ws: &Workspace) -> Result<Vec<Artifact>> {
    setup::app_tools(ws)?;
    build(ws)
}

/// The file the loader trunk writes inline is moved to, beside index.html.
const LOADER: &str = "boot.js";

/// `trunk build --release` into dist/, the inline loader moved out of
/// index.html (see [`move_inline_loader`]), the wasm's functions laid out
/// for gzip (see [`layout`]), the files made smaller (see
/// [`shrink`]), every file precompressed (see
/// [`precompress`]), then the sizes of the wasm and its JS glue (wasm
/// first). Assumes the tools are installed.
pub fn build(ws: &Workspace) -> Result<Vec<Artifact>> {
    let dist = ws.dist_dir();
    run(ws.command("trunk").args(["build", "--release"]))?;
    externalize_loader(&dist)?;
    let files = app_files(&dist)?;
    shrink::drop_dead_exports(&files[0])?;
    layout::lay_out(ws, &files[0])?;
    shrink::shrink(ws, &dist, &files[0], &files[1])?;
    precompress(&dist)?;
    let artifacts = files
        .into_iter()
        .map(|path| measure(&path).map(|(raw, gzipped)| Artifact { path, raw, gzipped }))
        .collect::<Result<Vec<_>>>()?;
    for a in &artifacts {
        let name = a.path.file_name().unwrap_or_default().to_string_lossy();
        println!(
            "dist: {name:<40} {:>9} raw, {:>9} gzipped",
            kb(a.raw),
            kb(a.gzipped)
        );
    }
    Ok(artifacts)
}

/// Rewrites `dist/index.html` so it has no inline script, writing the loader
/// to `dist/boot.js`.
fn externalize_loader(dist: &Path) -> Result<()> {
    let index = dist.join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|e| format!("cannot read {}: {e}", index.display()))?;
    let (html, loader) = move_inline_loader(&html)?;
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(dist.join(LOADER), &loader)?;
    write(index, &html)
}

/// Trunk 0.21 loads the app with an inline `<script type="module">` (it has
/// no option to write it to a file), which a Content-Security-Policy without
/// 'unsafe-inline' blocks. This takes that script's text out and puts a
/// `<script type="module" src="{base}boot.js">` in its place, `{base}` being
/// the prefix trunk gave the JS glue it imports. The modulepreload and
/// preload links (with their `integrity`) name the glue and the wasm, which
/// stay as they are, so they stay valid. Returns the new page and the loader.
pub fn move_inline_loader(html: &str) -> Result<(String, String)> {
    let mut from = 0;
    while let Some(found) = html[from..].find("<script") {
        let start = from + found;
        let tag_end = html[start..]
            .find('>')
            .map(|i| start + i + 1)
            .ok_or("index.html: a <script> tag does not end")?;
        let tag = &html[start..tag_end];
        let body_end = html[tag_end..]
            .find("</script>")
            .map(|i| tag_end + i)
            .ok_or("index.html: a <script> is not closed")?;
        from = body_end;
        if !tag.contains("type=\"module\"") || tag.contains(" src=") {
            continue;
        }
        let loader = html[tag_end..body_end].trim();
        let base = import_base(loader)
            .ok_or("index.html: the inline module imports no .js file from trunk")?;
        let replacement = format!("<script type=\"module\" src=\"{base}{LOADER}\"></script>");
        let page = format!(
            "{}{replacement}{}",
            &html[..start],
            &html[body_end + "</script>".len()..]
        );
        let loader = start_after_config(loader)?;
        return Ok((page, format!("{PREFETCH}\n{loader}\n")));
    }
    Err("index.html: no inline <script type=\"module\"> loader from trunk".into())
}

/// The first lines of the loader, run while the wasm downloads and compiles
/// rather than after. config.json is asked for, same path and cache mode as
/// the app's own request; the answer is left in `window.ddConfigReady` as
/// `{status, statusText, text}` (the app takes it synchronously at start) and
/// `window.ddConfig` is its promise (taken when the wasm was quicker; see
/// `src/io/config_file.rs`). localStorage and sessionStorage are opened: the
/// first access in a new profile blocks for about 10 ms, which the app's first
/// read of its settings would otherwise pay.
const PREFETCH: &str = r#"window.ddConfig = fetch("config.json", { cache: "no-cache" }).then(async (r) => (window.ddConfigReady = { status: r.status, statusText: r.statusText, text: await r.text() })); // read by src/io/config_file.rs
try { localStorage.length; sessionStorage.length; } catch (_) {} // opens storage early (xtask/src/dist.rs)"#;

/// Trunk's loader starts the app as soon as the wasm is compiled. Then
/// config.json, in by then on the network, may still wait behind the
/// compile for the page to read its body: the app would draw "loading" for
/// a frame, then the console. This compiles the wasm (streaming, from the
/// preload) while the page reads config.json, and starts the app once both
/// are in, so the console is the first thing drawn; after
/// `CONFIG_WAIT_MS` without config.json the app starts anyway and waits
/// for it itself. A server that sends the wasm with another MIME type
/// fails the streaming compile: wasm-bindgen is then given the URL, as
/// trunk had it.
fn start_after_config(loader: &str) -> Result<String> {
    const CONFIG_WAIT_MS: u32 = 3_000;
    let line = loader
        .lines()
        .find(|l| l.trim_start().starts_with("const wasm = await init("))
        .ok_or("the loader from trunk has no `const wasm = await init(...)` line")?;
    let url = line
        .split('\'')
        .nth(1)
        .filter(|url| url.ends_with(".wasm"))
        .ok_or_else(|| format!("no wasm URL in the loader's line {line:?}"))?;
    let start = format!(
        "const wasmUrl = '{url}';\n\
         const compiled = WebAssembly.compileStreaming(fetch(wasmUrl)).catch(() => wasmUrl);\n\
         await Promise.race([window.ddConfig.catch(() => {{}}), new Promise((r) => setTimeout(r, {CONFIG_WAIT_MS}))]);\n\
         const wasm = await init({{ module_or_path: await compiled }});"
    );
    Ok(loader.replacen(line, &start, 1))
}

/// `/` from `import init, * as bindings from '/dispatch-desk-1a2b.js';`.
fn import_base(loader: &str) -> Option<&str> {
    let path = loader
        .lines()
        .find_map(|l| l.trim().strip_prefix("import init"))?
        .split(['\'', '"'])
        .nth(1)?;
    Some(&path[..path.rfind('/').map_or(0, |i| i + 1)])
}

/// The release wasm (`*_bg.wasm`) and the JS glue trunk names after it.
fn app_files(dist: &Path) -> Result<Vec<PathBuf>> {
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    let mut wasm: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.to_string_lossy().ends_with("_bg.wasm"))
        .collect();
    let wasm = match (wasm.pop(), wasm.is_empty()) {
        (Some(one), true) => one,
        (None, _) => return Err(format!("no *_bg.wasm in {}", dist.display())),
        (Some(_), false) => return Err(format!("more than one *_bg.wasm in {}", dist.display())),
    };
    let stem = wasm
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .trim_end_matches("_bg.wasm")
        .to_owned();
    let glue = dist.join(format!("{stem}.js"));
    if !glue.is_file() {
        return Err(format!("no JS glue {} beside the wasm", glue.display()));
    }
    Ok(vec![wasm, glue])
}

/// Raw size, and the size of its `.gz` as a server sends it.
fn measure(path: &Path) -> Result<(u64, u64)> {
    let size = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    Ok((size(path)?, size(&gz_path(path))?))
}

/// The files of dist/ a browser downloads: served as their `.gz` when it
/// accepts gzip (the simulator's ServeDir and nginx's `gzip_static` do this;
/// docs/deploy.md). config.json is left alone: deployments edit it.
const PRECOMPRESSED: &[&str] = &["html", "js", "wasm", "css"];

/// Writes `<file>.gz` beside each file of [`PRECOMPRESSED`] kinds, with
/// zopfli: still gzip, about 4 % smaller than gzip -9, compressed once here.
pub fn precompress(dist: &Path) -> Result<()> {
    let entries =
        std::fs::read_dir(dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    for path in entries.filter_map(|entry| entry.ok().map(|e| e.path())) {
        let kind = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or_default();
        if !PRECOMPRESSED.contains(&kind) {
            continue;
        }
        let bytes =
            std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let gz = gzip(&bytes);
        std::fs::write(gz_path(&path), gz)
            .map_err(|e| format!("cannot write {}.gz: {e}", path.display()))?;
    }
    Ok(())
}

/// `bytes` in gzip format, compressed with zopfli.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    // Into memory: cannot fail.
    zopfli::compress(
        zopfli::Options::default(),
        zopfli::Format::Gzip,
        bytes,
        &mut out,
    )
    .expect("gzip into memory");
    out
}

/// `dist/app.wasm` -> `dist/app.wasm.gz`.
pub fn gz_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".gz");
    PathBuf::from(name)
}

pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetitive_input_and_is_gzip() {
        let text = "memberGetMic ".repeat(1000);
        let gz = gzip(text.as_bytes());
        assert!(!gz.is_empty() && gz.len() < text.len() / 10, "{}", gz.len());
        assert_eq!(gz[..2], [0x1f, 0x8b], "the gzip magic");
    }

    #[test]
    fn precompress_writes_a_gz_beside_each_served_file_only() {
        let dir = std::env::temp_dir().join(format!("dd-precompress-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["app_bg.wasm", "app.js", "index.html", "config.json"] {
            std::fs::write(dir.join(name), name.repeat(50)).unwrap();
        }
        precompress(&dir).unwrap();
        for name in ["app_bg.wasm", "app.js", "index.html"] {
            assert!(dir.join(format!("{name}.gz")).is_file(), "{name}.gz");
        }
        assert!(
            !dir.join("config.json.gz").exists(),
            "config.json is edited by deployments"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn finds_the_wasm_and_its_glue() {
        let dir = std::env::temp_dir().join(format!("xtask-dist-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "dispatch-desk-1a2b_bg.wasm",
            "dispatch-desk-1a2b.js",
            "worklet.js",
            "index.html",
        ] {
            std::fs::write(dir.join(name), b"x").unwrap();
        }
        let files = app_files(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["dispatch-desk-1a2b_bg.wasm", "dispatch-desk-1a2b.js"]
        );
    }

    /// What trunk 0.21.14 writes (hashes shortened).
    const TRUNK_INDEX: &str = r#"<!DOCTYPE html><html lang="zh-CN"><head>
<meta charset="utf-8">
<title>调度台 · Dispatch Desk</title>
<script type="module">
import init, * as bindings from '/dispatch-desk-1a2b.js';
const wasm = await init({ module_or_path: '/dispatch-desk-1a2b_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));

</script>
<link rel="stylesheet" href="/main-9f8e.css" integrity="sha384-AAA" crossorigin="anonymous">
<link rel="modulepreload" href="/dispatch-desk-1a2b.js" crossorigin="anonymous" integrity="sha384-BBB"><link rel="preload" href="/dispatch-desk-1a2b_bg.wasm" crossorigin="anonymous" integrity="sha384-CCC" as="fetch" type="application/wasm"></head>
<body></body></html>"#;

    #[test]
    fn the_inline_loader_moves_to_boot_js() {
        let (page, loader) = move_inline_loader(TRUNK_INDEX).unwrap();
        assert!(page.contains(r#"<script type="module" src="/boot.js"></script>"#));
        assert!(!page.contains("import init"));
        // The preloads and their integrity are untouched.
        assert!(page.contains(r#"<link rel="modulepreload" href="/dispatch-desk-1a2b.js" crossorigin="anonymous" integrity="sha384-BBB">"#));
        assert!(page.contains(r#"integrity="sha384-CCC""#));
        // config.json is asked for and storage opened first, while the wasm loads.
        let rest = loader.strip_prefix(PREFETCH).unwrap().trim_start();
        assert!(rest.starts_with("import init, * as bindings from '/dispatch-desk-1a2b.js';"));
        assert!(loader.contains("TrunkApplicationStarted"));
        // The wasm compiles from its preload while config.json is read, and
        // the app starts once both are in.
        assert!(
            loader.contains("WebAssembly.compileStreaming(fetch(wasmUrl)).catch(() => wasmUrl)")
        );
        assert!(loader.contains("const wasmUrl = '/dispatch-desk-1a2b_bg.wasm';"));
        let waits = loader.find("await Promise.race([window.ddConfig").unwrap();
        let starts = loader
            .find("const wasm = await init({ module_or_path: await compiled });")
            .unwrap();
        assert!(waits < starts, "{loader}");
        assert!(
            !loader.contains("module_or_path: '/"),
            "trunk's own start is gone"
        );
        assert!(!loader.contains("<script"));
    }

    #[test]
    fn the_loader_keeps_trunks_public_url() {
        let html = TRUNK_INDEX.replace("'/dispatch-desk", "'/desk/dispatch-desk");
        let (page, _) = move_inline_loader(&html).unwrap();
        assert!(page.contains(r#"src="/desk/boot.js""#));
    }

    #[test]
    fn a_loader_that_starts_the_app_otherwise_is_an_error() {
        let html = TRUNK_INDEX.replace("const wasm = await init(", "const wasm = await start(");
        assert!(move_inline_loader(&html).is_err());
    }

    #[test]
    fn a_page_without_an_inline_loader_is_an_error() {
        let (page, _) = move_inline_loader(TRUNK_INDEX).unwrap();
        assert!(move_inline_loader(&page).is_err());
    }

    #[test]
    fn kilobytes_have_one_decimal() {
        assert_eq!(kb(72_704), "71.0 KB");
    }
}
