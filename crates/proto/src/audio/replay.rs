//! Instant replay (docs/audio.md): the audio of the last transmissions
//! heard and sent, kept in memory under the id the session gave each
//! transmission (`voice::Transmission::id`), bounded by their total
//! duration; the oldest goes first. Frames are kept as they came, in their
//! codec: G.711 is decoded here for a replay, Opus by the browser.

use super::frame::{Codec, FRAME_MS, MULAW_FRAME_BYTES};
use super::mulaw::decode;
use super::opus;
use std::collections::VecDeque;

/// Ten minutes of audio in all.
pub const REPLAY_KEPT_MS: u64 = 10 * 60 * 1_000;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Recording {
    transmission: u64,
    /// The codec of its first frame; frames in another are not kept.
    codec: Codec,
    /// Each frame's sequence number and payload, as they came.
    frames: Vec<(u32, Vec<u8>)>,
}

/// A transmission's audio for a replay: each 20 ms slot from the first
/// frame kept to the last, in sequence order; `None` where a frame is
/// missing (it plays as silence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replay {
    pub codec: Codec,
    pub slots: Vec<Option<Vec<u8>>>,
}

impl Replay {
    /// G.711 slots as 8 kHz samples in full scale (-1 to 1); an Opus one
    /// (not decoded here) is silent.
    pub fn mulaw_samples(&self) -> Vec<f32> {
        let mut out = vec![0.0; self.slots.len() * MULAW_FRAME_BYTES];
        for (slot, payload) in out.chunks_mut(MULAW_FRAME_BYTES).zip(&self.slots) {
            if let (Codec::Mulaw, Some(payload)) = (self.codec, payload) {
                for (o, &c) in slot.iter_mut().zip(payload) {
                    *o = f32::from(decode(c)) / 32_768.0;
                }
            }
        }
        out
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorder {
    /// Oldest first.
    kept: VecDeque<Recording>,
    frames: usize,
    max_frames: usize,
}

impl Default for Recorder {
    fn default() -> Self {
        Self::new(REPLAY_KEPT_MS)
    }
}

impl Recorder {
    /// Keeps at most `kept_ms` of audio.
    pub fn new(kept_ms: u64) -> Self {
        Self {
            kept: VecDeque::new(),
            frames: 0,
            max_frames: (kept_ms / FRAME_MS) as usize,
        }
    }

    /// Frame `seq` (a 20 ms payload in `codec`) of `transmission`; the
    /// oldest audio is dropped beyond the bound (within one transmission
    /// too, should a single one outlast it). A payload that is not one
    /// 20 ms frame, or not in the transmission's codec, is not kept.
    /// Returns whether a whole transmission went to make room, so whatever
    /// offers it for replay can stop offering it.
    pub fn record(&mut self, transmission: u64, codec: Codec, seq: u32, payload: &[u8]) -> bool {
        let fits = match codec {
            Codec::Mulaw => payload.len() == MULAW_FRAME_BYTES,
            Codec::Opus => opus::check(payload).is_ok(),
        };
        if !fits || self.max_frames == 0 {
            return false;
        }
        let frame = (seq, payload.to_vec());
        match self
            .kept
            .iter_mut()
            .find(|r| r.transmission == transmission)
        {
            Some(r) if r.codec != codec => return false,
            Some(r) => r.frames.push(frame),
            None => self.kept.push_back(Recording {
                transmission,
                codec,
                frames: vec![frame],
            }),
        }
        self.frames += 1;
        let mut dropped = false;
        while self.frames > self.max_frames {
            let alone = self.kept.len() == 1;
            let Some(oldest) = self.kept.front_mut() else {
                break;
            };
            if alone {
                oldest.frames.remove(0);
                self.frames -= 1;
            } else if let Some(gone) = self.kept.pop_front() {
                self.frames -= gone.frames.len();
                dropped = true;
            }
        }
        dropped
    }

    /// Whether `transmission` has audio kept.
    pub fn has(&self, transmission: u64) -> bool {
        self.kept.iter().any(|r| r.transmission == transmission)
    }

    /// The audio kept, in ms.
    pub fn kept_ms(&self) -> u64 {
        self.frames as u64 * FRAME_MS
    }

    /// `transmission`'s audio, each frame at its sequence number's place
    /// from the first kept (so frames that came out of order play in
    /// order, a missing one is 20 ms of silence).
    pub fn replay(&self, transmission: u64) -> Option<Replay> {
        let r = self.kept.iter().find(|r| r.transmission == transmission)?;
        let first = r.frames.iter().map(|(s, _)| *s).min()?;
        let last = r.frames.iter().map(|(s, _)| *s).max()?;
        let mut slots = vec![None; (last - first) as usize + 1];
        for (seq, payload) in &r.frames {
            slots[(seq - first) as usize] = Some(payload.clone());
        }
        Some(Replay {
            codec: r.codec,
            slots,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::mulaw_encode;

    fn payload(sample: i16) -> Vec<u8> {
        vec![mulaw_encode(sample); MULAW_FRAME_BYTES]
    }

    #[test]
    fn frames_play_back_in_order_with_gaps_silent() {
        let mut r = Recorder::default();
        r.record(4, Codec::Mulaw, 1, &payload(8_000));
        r.record(4, Codec::Mulaw, 0, &payload(-8_000));
        r.record(4, Codec::Mulaw, 3, &payload(8_000));
        r.record(5, Codec::Mulaw, 0, &payload(1_000));
        let s = r.replay(4).unwrap().mulaw_samples();
        assert_eq!(s.len(), 4 * 160, "frames 0 to 3");
        assert!(
            s[0] < -0.2 && s[160] > 0.2,
            "frame 0 first, though it came second"
        );
        assert!(
            s[320..480].iter().all(|&x| x == 0.0),
            "frame 2 missing: silence"
        );
        assert!(s[480] > 0.2);
        assert!(r.has(5) && !r.has(6));
        assert_eq!(r.replay(6), None);
        assert_eq!(r.kept_ms(), 4 * FRAME_MS);
    }

    #[test]
    fn the_oldest_transmissions_go_first_beyond_the_bound() {
        let mut r = Recorder::new(10 * FRAME_MS);
        let mut dropped_at = Vec::new();
        for t in 1..=3 {
            for seq in 0..4 {
                if r.record(t, Codec::Mulaw, seq, &payload(100)) {
                    dropped_at.push((t, seq));
                }
            }
        }
        assert_eq!(dropped_at, [(3, 2)], "said once, when transmission 1 went");
        assert!(
            !r.has(1),
            "12 frames over 10: the oldest transmission went whole"
        );
        assert!(r.has(2) && r.has(3));
        assert_eq!(r.kept_ms(), 8 * FRAME_MS);
        // One transmission longer than the bound keeps its newest audio.
        let mut r = Recorder::new(3 * FRAME_MS);
        for seq in 0..5 {
            assert!(
                !r.record(9, Codec::Mulaw, seq, &payload(100)),
                "only part of it goes"
            );
        }
        assert_eq!(r.kept_ms(), 3 * FRAME_MS);
        assert_eq!(r.replay(9).unwrap().slots.len(), 3, "frames 2 to 4");
    }

    #[test]
    fn ten_minutes_are_kept_by_default_and_odd_payloads_are_not() {
        let mut r = Recorder::default();
        for seq in 0..(REPLAY_KEPT_MS / FRAME_MS) as u32 + 50 {
            r.record(u64::from(seq / 500), Codec::Mulaw, seq, &payload(100));
        }
        let kept = r.kept_ms();
        assert!(
            kept <= REPLAY_KEPT_MS && kept > REPLAY_KEPT_MS - 500 * FRAME_MS,
            "{kept}"
        );
        assert!(!r.has(0) && r.has(1), "the first transmission went, whole");
        r.record(99, Codec::Mulaw, 0, &[1, 2, 3]);
        assert!(!r.has(99));
    }

    #[test]
    fn opus_frames_are_kept_as_they_came_in_their_slots() {
        let mut r = Recorder::default();
        let packet = |n: u8| vec![0x48, n];
        r.record(7, Codec::Opus, 2, &packet(2));
        r.record(7, Codec::Opus, 0, &packet(0));
        r.record(7, Codec::Opus, 3, &[0x50, 1]);
        r.record(7, Codec::Mulaw, 4, &payload(100));
        r.record(7, Codec::Opus, 5, &packet(5));
        let replay = r.replay(7).unwrap();
        assert_eq!(replay.codec, Codec::Opus);
        assert_eq!(
            replay.slots,
            [
                Some(packet(0)),
                None,
                Some(packet(2)),
                None,
                None,
                Some(packet(5))
            ],
            "1 never came; 3 (40 ms) and 4 (G.711) were not kept"
        );
        assert_eq!(r.kept_ms(), 3 * FRAME_MS);
        assert!(
            replay.mulaw_samples().iter().all(|&x| x == 0.0),
            "not decoded here"
        );
    }
}
