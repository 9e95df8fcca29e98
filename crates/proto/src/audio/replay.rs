//! Instant replay (docs/audio.md): the audio of the last transmissions
//! heard and sent, kept in memory under the id the session gave each
//! transmission (`voice::Transmission::id`), bounded by their total
//! duration; the oldest goes first.

use super::frame::{FRAME_MS, MULAW_FRAME_BYTES};
use super::mulaw::decode;
use std::collections::VecDeque;

/// Ten minutes of audio in all.
pub const REPLAY_KEPT_MS: u64 = 10 * 60 * 1_000;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Recording {
    transmission: u64,
    /// Each frame's sequence number and mu-law payload, as they came.
    frames: Vec<(u32, Vec<u8>)>,
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

    /// Frame `seq` (a 20 ms mu-law payload) of `transmission`; the oldest
    /// audio is dropped beyond the bound (within one transmission too,
    /// should a single one outlast it). Other payloads are not kept.
    /// Returns whether a whole transmission went to make room, so whatever
    /// offers it for replay can stop offering it.
    pub fn record(&mut self, transmission: u64, seq: u32, payload: &[u8]) -> bool {
        if payload.len() != MULAW_FRAME_BYTES || self.max_frames == 0 {
            return false;
        }
        let frame = (seq, payload.to_vec());
        match self
            .kept
            .iter_mut()
            .find(|r| r.transmission == transmission)
        {
            Some(r) => r.frames.push(frame),
            None => self.kept.push_back(Recording {
                transmission,
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

    /// `transmission`'s audio as 8 kHz samples in full scale (-1 to 1),
    /// each frame at its sequence number's place from the first kept (so
    /// frames that came out of order play in order, a missing one is 20 ms
    /// of silence).
    pub fn samples(&self, transmission: u64) -> Option<Vec<f32>> {
        let r = self.kept.iter().find(|r| r.transmission == transmission)?;
        let first = r.frames.iter().map(|(s, _)| *s).min()?;
        let last = r.frames.iter().map(|(s, _)| *s).max()?;
        let span = (last - first) as usize + 1;
        let mut out = vec![0.0; span * MULAW_FRAME_BYTES];
        for (seq, payload) in &r.frames {
            let at = (seq - first) as usize * MULAW_FRAME_BYTES;
            for (o, &c) in out[at..at + MULAW_FRAME_BYTES].iter_mut().zip(payload) {
                *o = f32::from(decode(c)) / 32_768.0;
            }
        }
        Some(out)
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
        r.record(4, 1, &payload(8_000));
        r.record(4, 0, &payload(-8_000));
        r.record(4, 3, &payload(8_000));
        r.record(5, 0, &payload(1_000));
        let s = r.samples(4).unwrap();
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
        assert_eq!(r.samples(6), None);
        assert_eq!(r.kept_ms(), 4 * FRAME_MS);
    }

    #[test]
    fn the_oldest_transmissions_go_first_beyond_the_bound() {
        let mut r = Recorder::new(10 * FRAME_MS);
        let mut dropped_at = Vec::new();
        for t in 1..=3 {
            for seq in 0..4 {
                if r.record(t, seq, &payload(100)) {
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
            assert!(!r.record(9, seq, &payload(100)), "only part of it goes");
        }
        assert_eq!(r.kept_ms(), 3 * FRAME_MS);
        assert_eq!(r.samples(9).unwrap().len(), 3 * 160, "frames 2 to 4");
    }

    #[test]
    fn ten_minutes_are_kept_by_default_and_odd_payloads_are_not() {
        let mut r = Recorder::default();
        for seq in 0..(REPLAY_KEPT_MS / FRAME_MS) as u32 + 50 {
            r.record(u64::from(seq / 500), seq, &payload(100));
        }
        let kept = r.kept_ms();
        assert!(
            kept <= REPLAY_KEPT_MS && kept > REPLAY_KEPT_MS - 500 * FRAME_MS,
            "{kept}"
        );
        assert!(!r.has(0) && r.has(1), "the first transmission went, whole");
        r.record(99, 0, &[1, 2, 3]);
        assert!(!r.has(99));
    }
}
