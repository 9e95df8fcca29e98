//! Project tasks for Dispatch Desk, run as `cargo xtask <command>`.
//!
//! Every command installs what it needs first (see `setup`), so a fresh
//! Debian machine with rustup, cargo, node and npm is enough.

mod bench;
mod demo;
mod dist;
mod fuzz;
mod layout;
mod setup;
mod shrink;
mod size;
mod suites;
mod wasm;
mod ws;

use std::process::ExitCode;

/// Errors are messages for a person at a terminal; nothing here recovers from them.
pub type Result<T> = std::result::Result<T, String>;

const USAGE: &str = "\
usage: cargo xtask <command>

  setup                  install whatever is missing (wasm32 target, trunk, wasm-bindgen-cli,
                         wasm-opt, terser and csso from npm, chromium + chromedriver from
                         Debian) and fetch crates
  dist                   build the release app into dist/ (imports renamed short, JS and CSS
                         minified) and print its size
  demo [--host H] [--port N]
                         build, then serve the app and the simulated back ends
                         (default http://127.0.0.1:8080/), until Ctrl-C
  test                   run every suite (native, browser, end-to-end) and print the counts
  bench [PART ...]       the console's cold load in Chromium (p50, p95 of 20), a 1000-participant
                         meeting roster burst there (p50, p95 of 10), push-to-talk access and
                         audio latency, the bundle size, and the time proto takes to decode a
                         voice message; PART picks some: decode coldload roster ptt bundle
  size                   where the release wasm's bytes go, by module of the console (a build
                         with v0 symbol names in target/size)
  fuzz [--secs N] [--target T]
                         run each libFuzzer target of fuzz/ (cargo fuzz, nightly) for N seconds
                         (default: a million inputs each) and print its executions; a crash fails";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode> {
    let Some((command, rest)) = args.split_first() else {
        println!("{USAGE}");
        return Ok(ExitCode::FAILURE);
    };
    if matches!(command.as_str(), "help" | "-h" | "--help") {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    let ws = ws::Workspace::locate()?;
    let done = match command.as_str() {
        // The only command whose outcome is more than done/error: it prints a
        // summary last and fails through its exit code.
        "test" => return no_arguments(command, rest).and_then(|()| suites::run_all(&ws)),
        "setup" => no_arguments(command, rest).and_then(|()| setup::everything(&ws)),
        "dist" => no_arguments(command, rest).and_then(|()| dist::setup_and_build(&ws).map(drop)),
        "demo" => demo::Options::parse(rest).and_then(|options| demo::run(&ws, &options)),
        "bench" => bench::Parts::parse(rest).and_then(|parts| bench::run(&ws, &parts)),
        "size" => no_arguments(command, rest).and_then(|()| size::run_report(&ws)),
        "fuzz" => fuzz::Options::parse(rest).and_then(|options| fuzz::run(&ws, &options)),
        // Internal: `bench` runs these in an optimised build of xtask.
        bench::DECODE_COMMAND => bench::decode(),
        bench::ROSTER_COMMAND => bench::roster_burst(&ws),
        bench::PTT_COMMAND => bench::ptt_latency(&ws),
        other => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    done.map(|()| ExitCode::SUCCESS)
}

fn no_arguments(command: &str, rest: &[String]) -> Result<()> {
    match rest.first() {
        None => Ok(()),
        Some(extra) => Err(format!("`{command}` takes no arguments, got {extra:?}")),
    }
}
