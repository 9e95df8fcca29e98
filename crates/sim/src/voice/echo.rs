//! The echo terminal's playback (docs/audio.md): it takes the floor
//! (memberGetMic), sends what it heard back as downlink frames every 20 ms
//! to its dispatcher's sockets, and lets the floor go (memberLostMic). It
//! stops early if it loses the floor (the session ended, a reset). The
//! fault `voice_echo_malformed_every` spoils some of the frames.

use super::EchoPlan;
use crate::Sim;
use proto::audio::{Codec, Frame, FrameKind, FRAME_MS};
use std::time::Duration;

/// Starts each playback on its own task.
pub(crate) fn spawn(sim: &Sim, plans: Vec<EchoPlan>) {
    for plan in plans {
        tokio::spawn(play(sim.clone(), plan));
    }
}

async fn play(sim: Sim, plan: EchoPlan) {
    if !sim.terminal_talk(plan.terminal, true) {
        return; // The floor is taken: the echo is lost, as on a real radio.
    }
    let mut tick = tokio::time::interval(Duration::from_millis(FRAME_MS));
    for (i, frame) in plan.frames.into_iter().enumerate() {
        tick.tick().await;
        let every = sim.with(|s| s.faults.voice_echo_malformed_every);
        let spoiled = every.is_some_and(|n| n > 0 && (i as u32 + 1).is_multiple_of(n));
        let payload = match (spoiled, frame.header.codec) {
            (false, _) => frame.payload,
            (true, Codec::Opus) => vec![0x83, 0x00],
            (true, Codec::Mulaw) => frame.payload[1..].to_vec(),
        };
        let bytes = Frame {
            header: proto::audio::FrameHeader {
                kind: FrameKind::Downlink,
                talker: plan.terminal,
                ..frame.header
            },
            payload,
        }
        .encode();
        let holding = sim.with(|s| {
            if s.voice.floor_of(&plan.session) != Some(plan.terminal) {
                return false;
            }
            for conn in s.voice.conns_of(&plan.owner) {
                s.sockets.send_binary(conn, bytes.clone());
            }
            true
        });
        if !holding {
            return;
        }
    }
    tick.tick().await;
    sim.terminal_talk(plan.terminal, false);
}
