//! The release build of the app (trunk) and the size of what a browser downloads.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::setup;
use crate::ws::{run, Workspace};
use crate::Result;

/// One built file and its size as served, raw and gzipped.
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

/// `trunk build --release` into dist/, then the sizes of the wasm and its JS glue
/// (wasm first). Assumes the tools are installed.
pub fn build(ws: &Workspace) -> Result<Vec<Artifact>> {
    run(ws.command("trunk").args(["build", "--release"]))?;
    let artifacts = app_files(&ws.dist_dir())?
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

/// Raw size and gzip size at the best compression, as a server would send it.
fn measure(path: &Path) -> Result<(u64, u64)> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok((bytes.len() as u64, gzipped_len(&bytes)))
}

fn gzipped_len(bytes: &[u8]) -> u64 {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    // Writing into a Vec cannot fail.
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory").len() as u64
}

pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_shrinks_repetitive_input() {
        let text = "memberGetMic ".repeat(1000);
        let gz = gzipped_len(text.as_bytes());
        assert!(gz > 0 && gz < text.len() as u64 / 10, "{gz}");
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

    #[test]
    fn kilobytes_have_one_decimal() {
        assert_eq!(kb(72_704), "71.0 KB");
    }
}
