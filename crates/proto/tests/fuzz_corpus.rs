//! Replays every fuzz corpus file on stable, through the same functions the
//! libFuzzer targets call (`proto::fuzzing`), so `cargo test -p proto`
//! catches a regression of any seed or of any crash once found
//! (`fuzz/regressions/<target>/`).

use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn every_corpus_file_goes_through_its_target_without_a_panic() {
    let fuzz = fuzz_dir();
    for (target, run) in proto::fuzzing::TARGETS {
        let seeds = files(&fuzz.join("corpus").join(target));
        assert!(
            !seeds.is_empty(),
            "no seeds in fuzz/corpus/{target}: was the corpus moved?"
        );
        // Inputs that once crashed a target, kept after the fix.
        let found = files(&fuzz.join("regressions").join(target));
        for file in seeds.iter().chain(&found) {
            let data = std::fs::read(file).expect("readable corpus file");
            let result = std::panic::catch_unwind(|| run(&data));
            assert!(result.is_ok(), "{target} panicked on {}", file.display());
        }
    }
}

#[test]
fn every_target_has_a_libfuzzer_entry_point() {
    let fuzz = fuzz_dir();
    let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).expect("fuzz/Cargo.toml");
    for (target, _) in proto::fuzzing::TARGETS {
        let source = fuzz.join("fuzz_targets").join(format!("{target}.rs"));
        let text = std::fs::read_to_string(&source)
            .unwrap_or_else(|e| panic!("{}: {e}", source.display()));
        assert!(
            text.contains(&format!("proto::fuzzing::{target}(")),
            "{} does not call proto::fuzzing::{target}",
            source.display()
        );
        assert!(
            manifest.contains(&format!("name = \"{target}\"")),
            "fuzz/Cargo.toml has no [[bin]] {target}"
        );
    }
    let entry_points = files(&fuzz.join("fuzz_targets")).len();
    assert_eq!(
        entry_points,
        proto::fuzzing::TARGETS.len(),
        "a fuzz target outside proto::fuzzing::TARGETS would not be replayed"
    );
}
