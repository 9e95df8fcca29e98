//! `cargo xtask bench`: two measurements, not tests: the size of the release
//! wasm, and how long proto takes to decode a voice notification natively.

use std::hint::black_box;
use std::time::Instant;

use proto::voice::VoiceMessage;

use crate::dist::{self, kb};
use crate::ws::{run as run_command, Workspace};
use crate::Result;

pub const DECODE_COMMAND: &str = "bench-decode";
const MESSAGES: u32 = 100_000;

/// The `memberGetMic` example from the voice plugin's document, verbatim.
const MEMBER_GET_MIC: &str = r#"{
  "type": "notify",
  "cmd": "memberGetMic",
  "data": {
    "groupId": 50354528800735230,
    "groupIdStr": "50354528800735233",
    "memberId": 169918,
    "memberName": "ptcs11"
  }
}"#;

pub fn run(ws: &Workspace) -> Result<()> {
    let artifacts = dist::setup_and_build(ws)?;
    // `cargo xtask` is a dev build, where workspace crates get no optimisation;
    // timing there would measure the compiler's debug code, so time an
    // optimised build (the bench profile, made quick to compile).
    let mut timing = ws.cargo(&[
        "run",
        "--quiet",
        "--profile",
        "bench",
        "-p",
        "xtask",
        "--",
        DECODE_COMMAND,
    ]);
    timing
        .env("CARGO_PROFILE_BENCH_OPT_LEVEL", "3")
        .env("CARGO_PROFILE_BENCH_LTO", "false")
        .env("CARGO_PROFILE_BENCH_CODEGEN_UNITS", "16");
    run_command(&mut timing)?;
    if let Some(wasm) = artifacts.first() {
        println!(
            "bench: release wasm {} raw, {} gzipped",
            kb(wasm.raw),
            kb(wasm.gzipped)
        );
    }
    Ok(())
}

/// Decodes the example `MESSAGES` times and prints the mean time per message.
pub fn decode() -> Result<()> {
    // Check once that the text decodes to what it says, so we time real work.
    match VoiceMessage::decode(MEMBER_GET_MIC) {
        Ok(VoiceMessage::MemberGetMic { .. }) => {}
        other => return Err(format!("the memberGetMic example decoded to {other:?}")),
    }
    for _ in 0..MESSAGES / 10 {
        black_box(VoiceMessage::decode(black_box(MEMBER_GET_MIC)).is_ok());
    }
    let start = Instant::now();
    for _ in 0..MESSAGES {
        black_box(VoiceMessage::decode(black_box(MEMBER_GET_MIC)).is_ok());
    }
    let elapsed = start.elapsed();
    let per_message = elapsed.as_nanos() as f64 / f64::from(MESSAGES);
    let build = if cfg!(debug_assertions) {
        "unoptimised build"
    } else {
        "optimised native build"
    };
    println!(
        "bench: VoiceMessage::decode(notify memberGetMic, {} bytes): {per_message:.0} ns/message \
         ({MESSAGES} messages in {:.1} ms, {build})",
        MEMBER_GET_MIC.len(),
        elapsed.as_secs_f64() * 1000.0,
    );
    Ok(())
}
