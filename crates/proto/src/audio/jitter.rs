//! The adaptive jitter buffer of playback. It does not hold audio: it says
//! when each received frame should play, on the receiver's clock, and the
//! player schedules it there. Each transmission's first frame fixes the
//! playout delay (the transit it saw plus a target from the measured
//! jitter); a frame whose slot has passed is late, a repeated one is a
//! duplicate, frames out of order play at their own slots, a missing one
//! leaves its 20 ms silent. An in-order frame that comes too late means the
//! delay was too short: the rest of the transmission moves later and the
//! next one starts with more margin, given back slowly over the
//! transmissions that go without.

use super::frame::{FrameHeader, FRAME_MS};
use crate::id::BigId;

/// The shortest playout delay, over the first frame's transit.
pub const MIN_DELAY_MS: u64 = 40;
/// The longest: beyond it conversation suffers more than from gaps.
pub const MAX_DELAY_MS: u64 = 300;
/// No frame for this long and the next one starts a new transmission.
const SPURT_GAP_MS: u64 = 400;
/// How far behind the newest frame a frame may still be placed.
const WINDOW: u32 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Play at `at_ms` on the receiver's clock; `first` opens a transmission.
    Play {
        at_ms: u64,
        first: bool,
    },
    /// Its slot has passed (it came after later frames had played).
    Late,
    Duplicate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JitterStats {
    pub played: u64,
    pub late: u64,
    pub duplicate: u64,
    /// Frames never received (gaps in the sequence).
    pub lost: u64,
    /// In-order frames that came too late, after which the delay grew.
    pub underruns: u64,
}

#[derive(Debug, Clone, Default)]
pub struct JitterBuffer {
    /// play time = capture time + anchor (both clocks folded in).
    anchor: i64,
    /// The transmission under way: its session and talker.
    current: Option<(BigId, u64)>,
    last_arrival: u64,
    last_transit: Option<i64>,
    /// Interarrival jitter in ms, as RFC 3550 estimates it.
    jitter: f64,
    /// Margin added after underruns; it shrinks again over transmissions
    /// that go without one.
    extra_ms: u64,
    /// The transmission under way had an underrun.
    underrun_now: bool,
    highest: u32,
    /// The capture time of frame `highest`, and of the transmission's first.
    highest_capture: u64,
    first_capture: u64,
    /// Bit i: frame `highest - i` has been scheduled.
    seen: u64,
    pub stats: JitterStats,
}

impl JitterBuffer {
    pub fn new() -> Self {
        Self::default()
    }

    /// The playout delay a transmission starting now would get.
    pub fn target_ms(&self) -> u64 {
        let t = FRAME_MS + (3.0 * self.jitter).round() as u64 + self.extra_ms;
        t.clamp(MIN_DELAY_MS, MAX_DELAY_MS)
    }

    /// A frame arrived at `now_ms`.
    pub fn push(&mut self, now_ms: u64, h: &FrameHeader) -> Verdict {
        // Saturating: a sender's timestamp can be anything.
        let transit = (now_ms as i64).saturating_sub(h.capture_ms as i64);
        let who = (h.session.clone(), h.talker);
        // Numbered again from below while captured after the newest frame:
        // the same talker's next transmission, however soon it follows.
        let renumbered = h.seq < self.highest && h.capture_ms > self.highest_capture;
        let new = self.current.as_ref() != Some(&who)
            || now_ms.saturating_sub(self.last_arrival) > SPURT_GAP_MS
            || h.seq.saturating_add(WINDOW) < self.highest
            || renumbered;
        self.last_arrival = now_ms;
        // Transit compares within a transmission only: another talker's
        // clock is another origin.
        if let (Some(last), false) = (self.last_transit, new) {
            let d = transit.saturating_sub(last).unsigned_abs() as f64;
            self.jitter += (d - self.jitter) / 16.0;
        }
        self.last_transit = Some(transit);
        if new {
            if !std::mem::take(&mut self.underrun_now) {
                self.extra_ms = self.extra_ms.saturating_sub(FRAME_MS / 2);
            }
            self.current = Some(who);
            self.anchor = transit.saturating_add(self.target_ms() as i64);
            self.highest = h.seq;
            self.highest_capture = h.capture_ms;
            self.first_capture = h.capture_ms;
            self.seen = 1;
            self.stats.lost += u64::from(h.seq);
            return self.play(h, true);
        }
        if h.capture_ms < self.first_capture {
            // A straggler of the talker's previous transmission.
            self.stats.late += 1;
            return Verdict::Late;
        }
        if h.seq > self.highest {
            let ahead = h.seq - self.highest;
            self.stats.lost += u64::from(ahead - 1);
            self.seen = if ahead >= 64 { 0 } else { self.seen << ahead };
            self.seen |= 1;
            self.highest = h.seq;
            self.highest_capture = h.capture_ms;
            let at = (h.capture_ms as i64).saturating_add(self.anchor);
            if at < now_ms as i64 {
                // Underrun: the delay was too short for this network.
                self.stats.underruns += 1;
                self.underrun_now = true;
                self.extra_ms = (self.extra_ms + FRAME_MS).min(MAX_DELAY_MS);
                self.anchor = transit.saturating_add(self.target_ms() as i64);
            }
            return self.play(h, false);
        }
        let behind = self.highest - h.seq;
        if behind >= 64 || behind >= WINDOW {
            self.stats.late += 1;
            return Verdict::Late;
        }
        let bit = 1u64 << behind;
        if self.seen & bit != 0 {
            self.stats.duplicate += 1;
            return Verdict::Duplicate;
        }
        self.seen |= bit;
        // It was counted lost when a later frame came.
        self.stats.lost = self.stats.lost.saturating_sub(1);
        if (h.capture_ms as i64).saturating_add(self.anchor) < now_ms as i64 {
            self.stats.late += 1;
            return Verdict::Late;
        }
        self.play(h, false)
    }

    fn play(&mut self, h: &FrameHeader, first: bool) -> Verdict {
        self.stats.played += 1;
        Verdict::Play {
            at_ms: (h.capture_ms as i64).saturating_add(self.anchor).max(0) as u64,
            first,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::{Codec, FrameKind};

    fn h(seq: u32) -> FrameHeader {
        FrameHeader {
            kind: FrameKind::Downlink,
            codec: Codec::Mulaw,
            session: BigId::parse("50351257998589953").unwrap(),
            seq,
            // The sender's clock is far from ours; only differences matter.
            capture_ms: 900_000 + u64::from(seq) * FRAME_MS,
            talker: 169_918,
        }
    }

    fn at(v: Verdict) -> u64 {
        match v {
            Verdict::Play { at_ms, .. } => at_ms,
            other => panic!("not played: {other:?}"),
        }
    }

    #[test]
    fn a_steady_stream_plays_at_the_minimum_delay_evenly() {
        let mut jb = JitterBuffer::new();
        let first = jb.push(1_000, &h(0));
        assert_eq!(
            first,
            Verdict::Play {
                at_ms: 1_000 + MIN_DELAY_MS,
                first: true
            }
        );
        for seq in 1..50 {
            let v = jb.push(1_000 + u64::from(seq) * 20, &h(seq));
            assert_eq!(at(v), 1_040 + u64::from(seq) * 20);
        }
        assert_eq!(
            jb.stats,
            JitterStats {
                played: 50,
                ..Default::default()
            }
        );
        assert_eq!(jb.target_ms(), MIN_DELAY_MS);
    }

    #[test]
    fn reordered_frames_each_play_at_their_own_slot() {
        let mut jb = JitterBuffer::new();
        jb.push(1_000, &h(0));
        let two = at(jb.push(1_040, &h(2)));
        assert_eq!(jb.stats.lost, 1, "missing for now");
        let one = at(jb.push(1_045, &h(1)));
        let three = at(jb.push(1_060, &h(3)));
        assert_eq!((one, two, three), (1_060, 1_080, 1_100));
        assert_eq!(jb.stats.lost, 0, "it came after all");
        assert_eq!(jb.stats.played, 4);
    }

    #[test]
    fn a_lost_frame_leaves_its_slot_silent() {
        let mut jb = JitterBuffer::new();
        jb.push(1_000, &h(0));
        jb.push(1_020, &h(1));
        let three = at(jb.push(1_060, &h(3)));
        assert_eq!(three, 1_100, "slot 2 (1080) stays empty");
        assert_eq!(jb.stats.lost, 1);
    }

    #[test]
    fn a_frame_after_its_slot_is_late_and_a_repeat_is_a_duplicate() {
        let mut jb = JitterBuffer::new();
        jb.push(1_000, &h(0));
        jb.push(1_040, &h(2));
        jb.push(1_060, &h(3));
        // Frame 1's slot was 1060.
        assert_eq!(jb.push(1_070, &h(1)), Verdict::Late);
        assert_eq!(jb.push(1_075, &h(3)), Verdict::Duplicate);
        assert_eq!(jb.push(1_076, &h(0)), Verdict::Duplicate);
        assert_eq!(
            (
                jb.stats.late,
                jb.stats.duplicate,
                jb.stats.lost,
                jb.stats.played
            ),
            (1, 2, 0, 3)
        );
        // Frame 30 missing, then arriving long after its slot.
        for seq in (4..60).filter(|s| *s != 30) {
            jb.push(1_000 + u64::from(seq) * 20, &h(seq));
        }
        assert_eq!(jb.stats.lost, 1);
        assert_eq!(jb.push(2_400, &h(30)), Verdict::Late);
        assert_eq!((jb.stats.late, jb.stats.lost), (2, 0));
    }

    #[test]
    fn an_underrun_moves_the_rest_later_and_the_next_transmission_starts_with_more_margin() {
        let mut jb = JitterBuffer::new();
        jb.push(1_000, &h(0));
        // Frame 1's slot is 1060; it comes at 1100 in order.
        let one = at(jb.push(1_100, &h(1)));
        assert!(one >= 1_100, "played, later: {one}");
        assert_eq!(jb.stats.underruns, 1);
        let two = at(jb.push(1_101, &h(2)));
        assert_eq!(two, one + 20, "the rest follows evenly");
        let before = jb.target_ms();
        // A new transmission (after a pause) keeps the larger margin.
        let v = jb.push(5_000, &h(0));
        assert!(matches!(v, Verdict::Play { first: true, .. }));
        assert!(before > MIN_DELAY_MS);
        assert_eq!(at(v), 5_000 + jb.target_ms());
    }

    #[test]
    fn the_margin_an_underrun_added_is_given_back_over_clean_transmissions() {
        let mut jb = JitterBuffer::new();
        jb.push(1_000, &h(0));
        jb.push(1_100, &h(1)); // underrun
        let raised = jb.target_ms();
        assert!(raised > MIN_DELAY_MS);
        let mut start = 10_000;
        // Steady transmissions of 20 frames, each after a pause.
        for _ in 0..10 {
            for seq in 0..20u32 {
                let mut f = h(seq);
                f.capture_ms += start;
                jb.push(start + 500 + u64::from(seq) * 20, &f);
            }
            start += 5_000;
        }
        assert_eq!(jb.target_ms(), MIN_DELAY_MS, "from {raised}");
        assert_eq!(jb.stats.underruns, 1);
    }

    #[test]
    fn any_timestamp_is_taken_without_overflow() {
        let mut jb = JitterBuffer::new();
        for (now, capture) in [(0, u64::MAX), (u64::MAX, 0), (5, 1 << 63), (1 << 63, 5)] {
            let mut f = h(0);
            f.capture_ms = capture;
            jb.push(now, &f);
            f.seq = 1;
            jb.push(now, &f);
        }
    }

    #[test]
    fn jitter_raises_the_delay_within_its_bounds() {
        let mut jb = JitterBuffer::new();
        for seq in 0..100u32 {
            // Arrivals swing by ±30 ms around the frame clock.
            let swing = if seq % 2 == 0 { 0 } else { 60 };
            jb.push(1_000 + u64::from(seq) * 20 + swing, &h(seq));
        }
        assert!(jb.target_ms() > 100, "{}", jb.target_ms());
        assert!(jb.target_ms() <= MAX_DELAY_MS);
    }

    #[test]
    fn another_talker_or_numbering_from_zero_starts_a_new_transmission() {
        let mut jb = JitterBuffer::new();
        for seq in 0..100 {
            jb.push(1_000 + u64::from(seq) * 20, &h(seq));
        }
        let mut other = h(0);
        other.talker = 169_919;
        other.capture_ms = 7;
        assert!(matches!(
            jb.push(3_000, &other),
            Verdict::Play {
                at_ms: 3_040,
                first: true
            }
        ));
        let mut again = h(0);
        again.talker = 169_919;
        again.capture_ms = 7;
        // The same talker numbering from 0 again long after frame 99 was newest.
        for seq in 1..100 {
            let mut f = again.clone();
            f.seq = seq;
            f.capture_ms = 7 + u64::from(seq) * 20;
            jb.push(3_000 + u64::from(seq) * 20, &f);
        }
        again.capture_ms = 10_007;
        assert!(matches!(
            jb.push(5_020, &again),
            Verdict::Play { first: true, .. }
        ));
        assert_eq!(jb.stats.lost, 0);
    }

    #[test]
    fn the_same_talker_talking_again_at_once_is_a_new_transmission_not_duplicates() {
        let mut jb = JitterBuffer::new();
        for seq in 0..15 {
            jb.push(1_000 + u64::from(seq) * 20, &h(seq));
        }
        // 100 ms after its last frame, the same member talks again from 0.
        let mut next = h(0);
        next.capture_ms = h(14).capture_ms + 100;
        assert_eq!(
            jb.push(1_380, &next),
            Verdict::Play {
                at_ms: 1_380 + MIN_DELAY_MS,
                first: true
            }
        );
        next.seq = 1;
        next.capture_ms += FRAME_MS;
        assert_eq!(at(jb.push(1_400, &next)), 1_400 + MIN_DELAY_MS);
        // A straggler of the first transmission is still one of its own.
        assert_eq!(jb.push(1_410, &h(3)), Verdict::Late);
        assert_eq!((jb.stats.duplicate, jb.stats.lost), (0, 0));
    }
}
