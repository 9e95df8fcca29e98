//! `cargo xtask test`: every suite, its output streamed, its counts summed.

use std::io::{BufRead, BufReader};
use std::process::{Command, ExitCode, Stdio};

use crate::ws::{describe, spawn_error, Workspace};
use crate::{dist, setup, Result};

/// Native crates with tests; everything but the wasm app (browser suite) and e2e.
const NATIVE_CRATES: &[&str] = &["proto", "sim", "xtask"];
/// Seconds wasm-bindgen-test-runner waits for the browser's tests to finish.
const BROWSER_TEST_TIMEOUT: &str = "120";

#[derive(Debug, Default, PartialEq)]
struct Counts {
    passed: u64,
    failed: u64,
    ignored: u64,
}

struct Outcome {
    name: &'static str,
    counts: Counts,
    /// Why the suite failed beyond its failed tests (exit status, no tests, no build).
    problem: Option<String>,
}

pub fn run_all(ws: &Workspace) -> Result<ExitCode> {
    setup::everything(ws)?;
    let outcomes = [native(ws), browser(ws), end_to_end(ws)];
    Ok(summarise(&outcomes))
}

fn native(ws: &Workspace) -> Outcome {
    let mut args = vec!["test"];
    for name in NATIVE_CRATES {
        args.extend(["-p", name]);
    }
    run_suite("native", &mut ws.cargo(&args))
}

/// wasm-bindgen-test in headless Chromium: the runner starts chromedriver and
/// reads webdriver.json from the crate root (the fake-media flags live there).
fn browser(ws: &Workspace) -> Outcome {
    let mut command = ws.cargo(&[
        "test",
        "-p",
        "dispatch-desk",
        "--target",
        "wasm32-unknown-unknown",
    ]);
    command
        .env("CHROMEDRIVER", setup::CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", BROWSER_TEST_TIMEOUT)
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            ws.root.join("webdriver.json"),
        );
    run_suite("browser", &mut command)
}

/// The release app from dist/ against the simulator, driven through chromedriver.
fn end_to_end(ws: &Workspace) -> Outcome {
    println!("\n==> e2e: release build first");
    if let Err(e) = dist::build(ws) {
        return Outcome {
            name: "e2e",
            counts: Counts::default(),
            problem: Some(format!("release build failed: {e}")),
        };
    }
    let mut command = ws.cargo(&["test", "-p", "e2e"]);
    command
        .env("DIST_DIR", ws.dist_dir())
        .env("CHROMEDRIVER", setup::CHROMEDRIVER);
    run_suite("e2e", &mut command)
}

/// Runs one suite, echoing its stdout line by line while adding up its
/// `test result:` lines. A suite fails if its command fails, a test fails,
/// or it ran no test at all.
fn run_suite(name: &'static str, command: &mut Command) -> Outcome {
    let shown = describe(command);
    println!("\n==> {name}: {shown}");
    let mut counts = Counts::default();
    let status = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
            let mut line = Vec::new();
            while stdout.read_until(b'\n', &mut line)? > 0 {
                let text = String::from_utf8_lossy(&line);
                print!("{text}");
                if let Some(found) = parse_result_line(&text) {
                    counts.add(&found);
                }
                line.clear();
            }
            child.wait()
        });
    let problem = match status {
        Err(e) => Some(spawn_error(&shown, &e)),
        Ok(status) if !status.success() => Some(format!("`{shown}` failed ({status})")),
        Ok(_) if counts.passed + counts.failed == 0 => Some("ran no tests".into()),
        Ok(_) => None,
    };
    Outcome {
        name,
        counts,
        problem,
    }
}

/// Prints one line per suite, the problems, and last the total line CI reads.
fn summarise(outcomes: &[Outcome]) -> ExitCode {
    println!("\n==> summary");
    let mut total = Counts::default();
    for outcome in outcomes {
        let Counts {
            passed,
            failed,
            ignored,
        } = outcome.counts;
        let ignored = if ignored > 0 {
            format!(", {ignored} ignored")
        } else {
            String::new()
        };
        println!(
            "{}: {passed} passed, {failed} failed{ignored}",
            outcome.name
        );
        total.add(&outcome.counts);
    }
    let mut ok = true;
    for outcome in outcomes {
        if let Some(problem) = &outcome.problem {
            println!("FAILED {}: {problem}", outcome.name);
            ok = false;
        } else if outcome.counts.failed > 0 {
            println!("FAILED {}: {} failed", outcome.name, outcome.counts.failed);
            ok = false;
        }
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
}

/// Reads libtest's (and wasm-bindgen-test-runner's) summary line:
/// `test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; ...`
fn parse_result_line(line: &str) -> Option<Counts> {
    let plain = strip_ansi(line);
    let (_, rest) = plain.split_once("test result:")?;
    let count = |word: &str| -> Option<u64> {
        rest.split(';').find_map(|part| {
            let words: Vec<&str> = part.split_whitespace().collect();
            let at = words.iter().position(|w| *w == word)?;
            words.get(at.checked_sub(1)?)?.parse().ok()
        })
    };
    Some(Counts {
        passed: count("passed")?,
        failed: count("failed")?,
        ignored: count("ignored").unwrap_or(0),
    })
}

/// Drops terminal colour codes (ESC [ ... letter) in case a tool colours its summary.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_passing_summary() {
        let line = "test result: ok. 57 passed; 0 failed; 2 ignored; 0 measured; 0 filtered out; finished in 0.31s\n";
        assert_eq!(
            parse_result_line(line),
            Some(Counts {
                passed: 57,
                failed: 0,
                ignored: 2
            })
        );
    }

    #[test]
    fn reads_a_failing_coloured_summary() {
        let line = "test result: \u{1b}[31mFAILED\u{1b}[0m. 3 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out";
        assert_eq!(
            parse_result_line(line),
            Some(Counts {
                passed: 3,
                failed: 1,
                ignored: 0
            })
        );
    }

    fn shell(script: &str) -> Outcome {
        run_suite("fake", Command::new("sh").args(["-c", script]))
    }

    #[test]
    fn a_suite_sums_its_result_lines() {
        let outcome = shell(
            "echo 'test result: ok. 2 passed; 0 failed; 1 ignored; 0 measured'; \
             echo 'test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured'",
        );
        assert_eq!(
            outcome.counts,
            Counts {
                passed: 5,
                failed: 0,
                ignored: 1
            }
        );
        assert_eq!(outcome.problem, None);
    }

    #[test]
    fn a_suite_fails_on_a_failed_command_or_no_tests() {
        let failed = shell("echo 'test result: FAILED. 1 passed; 1 failed; 0 ignored'; exit 101");
        assert_eq!(
            failed.counts,
            Counts {
                passed: 1,
                failed: 1,
                ignored: 0
            }
        );
        assert!(failed.problem.is_some());
        let empty = shell("echo 'test result: ok. 0 passed; 0 failed; 0 ignored'");
        assert_eq!(empty.problem.as_deref(), Some("ran no tests"));
    }

    #[test]
    fn ignores_other_lines() {
        assert_eq!(parse_result_line("test voice::login ... ok"), None);
        assert_eq!(parse_result_line("running 3 tests"), None);
        assert_eq!(parse_result_line("test result: garbled"), None);
    }
}
