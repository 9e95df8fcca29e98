//! `cargo xtask fuzz [--secs N] [--target T]`: runs each libFuzzer target of
//! `fuzz/` (cargo fuzz, on nightly) for N seconds and prints how many inputs
//! it tried. Inputs it finds beyond the committed seeds go to the ignored
//! `fuzz/corpus-found/`; a crash fails the command and names the saved input
//! (under `fuzz/artifacts/`), which belongs in `fuzz/regressions/<target>/`
//! once fixed, where the stable replay test keeps checking it.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::ws::{probe, run as run_command, spawn_error, Workspace};
use crate::Result;

/// Without `--secs`, each target runs exactly this many inputs (libFuzzer's
/// `-runs`), however long it takes: measured on 2 busy cores, decoders do
/// 2 500 to 11 000 inputs a second, the meeting and voice machines under 1 000.
const DEFAULT_RUNS: u64 = 1_000_000;
/// Per-input limits: a slow input or a runaway allocation is a finding too.
const LIBFUZZER_LIMITS: &[&str] = &["-rss_limit_mb=2048", "-malloc_limit_mb=512", "-timeout=5"];

#[derive(Debug, PartialEq)]
pub struct Options {
    /// A time limit per target instead of [`DEFAULT_RUNS`] inputs.
    secs: Option<u64>,
    target: Option<String>,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Self> {
        let mut options = Options {
            secs: None,
            target: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--secs" => {
                    let secs = value()?;
                    options.secs =
                        Some(secs.parse().ok().filter(|&s| s > 0).ok_or_else(|| {
                            format!("--secs takes a positive number, got {secs:?}")
                        })?);
                }
                "--target" => options.target = Some(value()?.clone()),
                other => return Err(format!("`fuzz` does not know {other:?}")),
            }
        }
        Ok(options)
    }
}

pub fn run(ws: &Workspace, options: &Options) -> Result<()> {
    let fuzz = ws.root.join("fuzz");
    let mut targets = targets(&fuzz)?;
    if let Some(only) = &options.target {
        if !targets.contains(only) {
            return Err(format!(
                "no fuzz target {only:?}; there are: {}",
                targets.join(", ")
            ));
        }
        targets = vec![only.clone()];
    }
    install_cargo_fuzz(ws)?;
    run_command(&mut cargo_fuzz(ws, "build", &[]))?;
    let logs = ws.root.join("target").join("fuzz");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let mut crashed = Vec::new();
    for target in &targets {
        let log = logs.join(format!("{target}.log"));
        match fuzz_one(ws, &fuzz, target, options.secs, &log)? {
            Ok(summary) => println!(
                "fuzz: {target}: {} executions, {} s, ok",
                summary.executions, summary.secs
            ),
            Err(artifact) => {
                print_tail(&log);
                println!(
                    "fuzz: {target}: CRASHED, input saved at {artifact} (log {})",
                    log.display()
                );
                crashed.push(target.as_str());
            }
        }
    }
    if crashed.is_empty() {
        Ok(())
    } else {
        Err(format!("crashed: {}", crashed.join(", ")))
    }
}

/// The targets are the files of `fuzz/fuzz_targets/`.
fn targets(fuzz: &Path) -> Result<Vec<String>> {
    let dir = fuzz.join("fuzz_targets");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "rs").then(|| path.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    names.sort();
    Ok(names)
}

fn install_cargo_fuzz(ws: &Workspace) -> Result<()> {
    if probe(&mut ws.cargo(&["fuzz", "--version"])).is_some() {
        return Ok(());
    }
    run_command(&mut ws.cargo(&["install", "cargo-fuzz", "--locked"])).or_else(|locked| {
        println!("xtask: {locked}; trying without --locked");
        run_command(&mut ws.cargo(&["install", "cargo-fuzz"]))
    })
}

/// `cargo +nightly fuzz <verb>` with the build options every run shares:
/// debug assertions on, so an arithmetic overflow is a finding too.
fn cargo_fuzz(ws: &Workspace, verb: &str, args: &[&str]) -> Command {
    let mut command = ws.cargo(&["+nightly", "fuzz", verb, "--debug-assertions"]);
    command.args(args);
    command
}

struct Summary {
    executions: u64,
    secs: u64,
}

/// Runs one target with its log in `log`: its summary, or the saved crashing input.
fn fuzz_one(
    ws: &Workspace,
    fuzz: &Path,
    target: &str,
    secs: Option<u64>,
    log: &Path,
) -> Result<std::result::Result<Summary, String>> {
    let found = fuzz.join("corpus-found").join(target);
    std::fs::create_dir_all(&found).map_err(|e| format!("{}: {e}", found.display()))?;
    // libFuzzer writes new inputs into the first folder only.
    let mut corpora: Vec<PathBuf> = vec![found, fuzz.join("corpus").join(target)];
    corpora.extend(Some(fuzz.join("regressions").join(target)).filter(|dir| dir.is_dir()));
    let mut args: Vec<String> = vec![target.to_owned()];
    args.extend(corpora.iter().map(|dir| dir.display().to_string()));
    args.push("--".into());
    args.push(match secs {
        Some(secs) => format!("-max_total_time={secs}"),
        None => format!("-runs={DEFAULT_RUNS}"),
    });
    args.extend(LIBFUZZER_LIMITS.iter().map(|s| s.to_string()));
    args.push("-print_final_stats=1".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();

    let mut command = cargo_fuzz(ws, "run", &args);
    let file = File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let copy = file
        .try_clone()
        .map_err(|e| format!("{}: {e}", log.display()))?;
    command.stdout(Stdio::from(file)).stderr(Stdio::from(copy));
    let shown = crate::ws::describe(&command);
    println!("xtask: $ {shown} (output in {})", log.display());
    let started = Instant::now();
    let status = command.status().map_err(|e| spawn_error(&shown, &e))?;
    let elapsed = started.elapsed().as_secs();
    let output = std::fs::read_to_string(log).map_err(|e| format!("{}: {e}", log.display()))?;
    if !status.success() {
        return Ok(Err(artifact(&output)
            .unwrap_or("(none named; see the log)")
            .to_owned()));
    }
    let executions = executions(&output)
        .ok_or_else(|| format!("`{shown}` succeeded but printed no execution count"))?;
    Ok(Ok(Summary {
        executions,
        secs: run_seconds(&output).unwrap_or(elapsed),
    }))
}

/// `stat::number_of_executed_units: N`, or else the `#N DONE` line.
fn executions(log: &str) -> Option<u64> {
    let stat = log.lines().find_map(|line| {
        line.strip_prefix("stat::number_of_executed_units:")?
            .trim()
            .parse()
            .ok()
    });
    stat.or_else(|| {
        log.lines().rev().find_map(|line| {
            let (count, rest) = line.strip_prefix('#')?.split_once(char::is_whitespace)?;
            rest.trim_start()
                .starts_with("DONE")
                .then(|| count.parse().ok())?
        })
    })
}

/// libFuzzer's last words: `Done 123 runs in 20 second(s)`.
fn run_seconds(log: &str) -> Option<u64> {
    log.lines().rev().find_map(|line| {
        let (_, secs) = line.strip_prefix("Done ")?.split_once(" runs in ")?;
        secs.strip_suffix(" second(s)")?.parse().ok()
    })
}

/// `Test unit written to <path>` (a crash, a timeout or a memory limit).
fn artifact(log: &str) -> Option<&str> {
    log.lines().rev().find_map(|line| {
        line.split_once("Test unit written to ")
            .map(|(_, path)| path.trim())
    })
}

fn print_tail(log: &Path) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    for line in &lines[lines.len().saturating_sub(40)..] {
        println!("  | {line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn options_default_and_explicit() {
        assert_eq!(
            Options::parse(&[]).unwrap(),
            Options {
                secs: None,
                target: None
            }
        );
        assert_eq!(
            Options::parse(&args(&["--target", "voice_text", "--secs", "20"])).unwrap(),
            Options {
                secs: Some(20),
                target: Some("voice_text".into())
            }
        );
        for bad in [
            &["--secs"][..],
            &["--secs", "0"],
            &["--secs", "x"],
            &["--fast"],
        ] {
            assert!(Options::parse(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reads_libfuzzers_final_lines() {
        let log = "\
#1048576\tpulse  cov: 912 ft: 3800 corp: 420/60Kb exec/s: 52428 rss: 80Mb
#1234567\tDONE   cov: 912 ft: 3810 corp: 421/61Kb lim: 4096 exec/s: 61728 rss: 81Mb
Done 1234567 runs in 20 second(s)
stat::number_of_executed_units: 1234568
stat::average_exec_per_sec:     61728
";
        assert_eq!(executions(log), Some(1_234_568));
        assert_eq!(run_seconds(log), Some(20));
        let without_stats = log.replace("stat::number_of_executed_units", "stat::other");
        assert_eq!(executions(&without_stats), Some(1_234_567));
        assert_eq!(executions("INFO: Seed: 1\n"), None);
    }

    #[test]
    fn names_the_crashing_input() {
        let log = "\
==123== ERROR: libFuzzer: deadly signal
artifact_prefix='/w/fuzz/artifacts/voice_text/'; Test unit written to /w/fuzz/artifacts/voice_text/crash-da39a3ee
Base64: e30=
";
        assert_eq!(
            artifact(log),
            Some("/w/fuzz/artifacts/voice_text/crash-da39a3ee")
        );
        assert_eq!(artifact("all good\n"), None);
    }
}
