//! What the console may send, decided from the floor alone: frames are
//! held from the press until the grant (bounded), sent with the granted
//! session's exact id while the floor is held and the key is down, dropped
//! on a refusal, and none after the release. Never a frame without the
//! floor: only [`UplinkMode::Send`] writes to the wire.
//!
//! Capture runs while the key is up too, so a transmission opens with the
//! last 20 ms before the press (the pre-roll): a syllable begun with the
//! press is whole, and the first frame is ready the moment the floor is.

use super::capture::Framer;
use super::frame::{Codec, Frame, FrameHeader, FrameKind, FRAME_MS};
use super::hold::HoldBuffer;
use super::mulaw;
use crate::id::BigId;
use crate::voice::{Floor, PttState, FLOOR_REPLY_MS};

/// As much audio as the floor's reply may take: a grant the machine
/// accepts never finds the start of the transmission gone.
pub const HOLD_FRAMES: usize = (FLOOR_REPLY_MS / FRAME_MS) as usize;
/// The pre-roll is used only if capture delivered this recently: older
/// audio is not what the dispatcher was saying at the press.
const PREROLL_FRESH_MS: u64 = 100;

/// What captured audio is for right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UplinkMode {
    /// Key up, or the floor refused: captured audio is thrown away.
    Off,
    /// Key down, floor asked for: captured audio is held.
    Hold,
    /// Key down, floor held in this session: captured audio is sent.
    Send(BigId),
}

impl UplinkMode {
    /// The mode the group call's state calls for.
    pub fn of(ptt: &PttState) -> Self {
        match (&ptt.floor, ptt.key_held) {
            (Floor::Held { session }, true) => Self::Send(session.clone()),
            (Floor::Requesting { .. }, true) => Self::Hold,
            _ => Self::Off,
        }
    }
}

#[derive(Debug)]
pub struct Uplink {
    mode: UplinkMode,
    framer: Framer,
    input_rate: u32,
    hold: HoldBuffer<Vec<u8>>,
    /// Sequence of the next frame of this transmission.
    seq: u32,
    /// Capture time of the transmission's first sample.
    start_ms: Option<u64>,
    /// When the newest captured sample was taken.
    last_ms: Option<u64>,
    /// Frames written to the wire since the console started.
    pub sent: u64,
    /// Frames thrown away: held then refused or released, or over the bound.
    pub discarded: u64,
}

impl Uplink {
    /// `input_rate` is the capture rate in Hz.
    pub fn new(input_rate: u32) -> Self {
        Self {
            mode: UplinkMode::Off,
            framer: Framer::new(input_rate),
            input_rate: input_rate.max(1),
            hold: HoldBuffer::new(HOLD_FRAMES),
            seq: 0,
            start_ms: None,
            last_ms: None,
            sent: 0,
            discarded: 0,
        }
    }

    pub fn mode(&self) -> &UplinkMode {
        &self.mode
    }

    /// Follows the floor at `now_ms`; returns the frames to send now (the
    /// held ones on a grant).
    pub fn follow(&mut self, now_ms: u64, mode: UplinkMode) -> Vec<Vec<u8>> {
        if mode == self.mode {
            return Vec::new();
        }
        let was = std::mem::replace(&mut self.mode, mode.clone());
        let pressed = was == UplinkMode::Off;
        match (was, mode) {
            (UplinkMode::Hold, UplinkMode::Send(session)) => {
                let held = self.hold.drain();
                held.into_iter()
                    .map(|pcm| self.frame(&session, &pcm))
                    .collect()
            }
            (UplinkMode::Hold, UplinkMode::Off) => {
                self.discarded += self.hold.len() as u64;
                self.hold.clear();
                Vec::new()
            }
            (_, UplinkMode::Off) => Vec::new(),
            // A new transmission, numbered from 0: from the pre-roll on if
            // capture is live, else from the next sample.
            (_, mode) => {
                self.seq = 0;
                self.start_ms = None;
                self.hold.clear();
                let fresh = self
                    .last_ms
                    .is_some_and(|t| now_ms.saturating_sub(t) <= PREROLL_FRESH_MS);
                let recent = (pressed && fresh)
                    .then(|| self.framer.take_recent())
                    .flatten();
                let Some(pcm) = recent else {
                    self.framer.reset();
                    return Vec::new();
                };
                self.start_ms = self.last_ms.map(|t| t.saturating_sub(FRAME_MS));
                let payload = encode(&pcm);
                match mode {
                    UplinkMode::Send(session) => vec![self.frame(&session, &payload)],
                    _ => {
                        self.hold.push(payload);
                        Vec::new()
                    }
                }
            }
        }
    }

    /// Captured samples whose last one was taken at `now_ms`; returns the
    /// frames to send now.
    pub fn captured(&mut self, now_ms: u64, samples: &[f32]) -> Vec<Vec<u8>> {
        self.last_ms = Some(now_ms);
        if self.mode == UplinkMode::Off {
            // Framed all the same, for the next press's pre-roll.
            self.framer.push(samples);
            return Vec::new();
        }
        if self.start_ms.is_none() {
            let span = samples.len() as u64 * 1_000 / u64::from(self.input_rate);
            self.start_ms = Some(now_ms.saturating_sub(span));
        }
        let mut out = Vec::new();
        for pcm in self.framer.push(samples) {
            let payload = encode(&pcm);
            match self.mode.clone() {
                UplinkMode::Send(session) => out.push(self.frame(&session, &payload)),
                UplinkMode::Hold => {
                    let before = self.hold.dropped();
                    self.hold.push(payload);
                    self.discarded += self.hold.dropped() - before;
                    // A dropped oldest frame takes its number with it.
                    self.seq += (self.hold.dropped() - before) as u32;
                }
                UplinkMode::Off => {}
            }
        }
        out
    }

    fn frame(&mut self, session: &BigId, payload: &[u8]) -> Vec<u8> {
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        self.sent += 1;
        Frame {
            header: FrameHeader {
                kind: FrameKind::Uplink,
                codec: Codec::Mulaw,
                session: session.clone(),
                seq,
                capture_ms: self.start_ms.unwrap_or(0) + u64::from(seq) * FRAME_MS,
                talker: 0,
            },
            payload: payload.to_vec(),
        }
        .encode()
    }
}

fn encode(pcm: &[i16]) -> Vec<u8> {
    pcm.iter().map(|&s| mulaw::encode(s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sid() -> BigId {
        BigId::parse("50351257998589953").unwrap()
    }

    /// 20 ms of a loud tone at 8 kHz.
    fn block() -> Vec<f32> {
        (0..160)
            .map(|i| if i % 4 < 2 { 0.5 } else { -0.5 })
            .collect()
    }

    fn decoded(msgs: &[Vec<u8>]) -> Vec<FrameHeader> {
        msgs.iter()
            .map(|m| Frame::decode(m).unwrap().header)
            .collect()
    }

    #[test]
    fn the_mode_follows_the_floor_and_the_key() {
        let mut ptt = PttState::default();
        assert_eq!(UplinkMode::of(&ptt), UplinkMode::Off);
        ptt.key_held = true;
        ptt.floor = Floor::Requesting { session: None };
        assert_eq!(UplinkMode::of(&ptt), UplinkMode::Hold);
        ptt.floor = Floor::Held { session: sid() };
        assert_eq!(UplinkMode::of(&ptt), UplinkMode::Send(sid()));
        ptt.key_held = false;
        assert_eq!(
            UplinkMode::of(&ptt),
            UplinkMode::Off,
            "released, floor not yet back"
        );
        ptt.key_held = true;
        ptt.floor = Floor::Releasing;
        assert_eq!(UplinkMode::of(&ptt), UplinkMode::Off);
    }

    #[test]
    fn nothing_is_sent_without_the_floor() {
        let mut up = Uplink::new(8_000);
        assert!(up.captured(100, &block()).is_empty(), "key up");
        up.follow(120, UplinkMode::Hold);
        for t in 1..=5 {
            assert!(up.captured(100 + t * 20, &block()).is_empty(), "held");
        }
        assert_eq!(up.sent, 0);
    }

    #[test]
    fn audio_from_the_press_is_sent_on_the_grant_in_order_then_live() {
        let mut up = Uplink::new(8_000);
        up.follow(1_000, UplinkMode::Hold);
        for t in 0..10 {
            up.captured(1_020 + t * 20, &block());
        }
        let held = decoded(&up.follow(1_220, UplinkMode::Send(sid())));
        assert_eq!(held.len(), 10);
        assert!(held.iter().enumerate().all(|(i, h)| h.seq == i as u32));
        assert_eq!(
            held[0].capture_ms, 1_000,
            "the first sample after the press"
        );
        assert_eq!(held[9].capture_ms, 1_180);
        assert!(held
            .iter()
            .all(|h| h.session == sid() && h.kind == FrameKind::Uplink));
        let live = decoded(&up.captured(1_220, &block()));
        assert_eq!((live[0].seq, live[0].capture_ms), (10, 1_200));
        let payload = Frame::decode(&up.captured(1_240, &block())[0])
            .unwrap()
            .payload;
        let pcm: Vec<i16> = payload.iter().map(|&c| mulaw::decode(c)).collect();
        assert!(mulaw::rms(&pcm) > 0.4, "the tone, not silence");
        assert_eq!(up.sent, 12);
        // Released: nothing more, whatever is captured.
        assert!(up.follow(1_260, UplinkMode::Off).is_empty());
        assert!(up.captured(1_260, &block()).is_empty());
        assert_eq!(up.sent, 12);
    }

    #[test]
    fn a_refusal_or_an_early_release_drops_what_was_held() {
        let mut up = Uplink::new(8_000);
        up.follow(0, UplinkMode::Hold);
        for t in 0..3 {
            up.captured(t * 20, &block());
        }
        assert!(up.follow(60, UplinkMode::Off).is_empty());
        assert_eq!((up.sent, up.discarded), (0, 3));
        // The next press is a new transmission: numbered from 0 again.
        up.follow(5_000, UplinkMode::Hold);
        up.captured(5_020, &block());
        let held = decoded(&up.follow(5_020, UplinkMode::Send(sid())));
        assert_eq!((held.len(), held[0].seq, held[0].capture_ms), (1, 0, 5_000));
    }

    #[test]
    fn the_hold_is_bounded_and_keeps_the_newest_with_their_numbers() {
        let mut up = Uplink::new(8_000);
        up.follow(0, UplinkMode::Hold);
        let n = HOLD_FRAMES as u64 + 5;
        for t in 0..n {
            up.captured(20 + t * 20, &block());
        }
        let held = decoded(&up.follow(2_000, UplinkMode::Send(sid())));
        assert_eq!(held.len(), HOLD_FRAMES);
        assert_eq!(up.discarded, 5);
        assert_eq!(
            held[0].seq, 5,
            "the five oldest are gone, a gap the receiver sees"
        );
        assert_eq!(held[0].capture_ms, 100);
    }

    /// 10 ms at 8 kHz, every sample `level`.
    fn level(level: f32) -> Vec<f32> {
        vec![level; 80]
    }

    fn levels(frame: &[u8]) -> Vec<i16> {
        let payload = Frame::decode(frame).unwrap().payload;
        vec![mulaw::decode(payload[0]), mulaw::decode(payload[159])]
    }

    #[test]
    fn a_transmission_opens_with_the_last_twenty_ms_before_the_press() {
        let mut up = Uplink::new(8_000);
        // Capture runs with the key up: 10 ms blocks, each louder.
        for k in 1..=5 {
            assert!(up
                .captured(1_000 + k * 10, &level(k as f32 / 10.0))
                .is_empty());
        }
        // Pressed 4 ms after the last block came: the pre-roll is held...
        assert!(up.follow(1_054, UplinkMode::Hold).is_empty());
        up.captured(1_060, &level(0.6));
        // ...and sent the moment the floor comes, with what followed.
        let sent = up.follow(1_065, UplinkMode::Send(sid()));
        let heads = decoded(&sent);
        assert_eq!(
            heads.len(),
            1,
            "the pre-roll; the next 20 ms are not complete"
        );
        assert_eq!((heads[0].seq, heads[0].capture_ms), (0, 1_030));
        let (block4, block5) = (
            mulaw::decode(mulaw::encode(13_106)),
            mulaw::decode(mulaw::encode(16_383)),
        );
        assert_eq!(levels(&sent[0]), [block4, block5], "the 4th and 5th blocks");
        let next = up.captured(1_070, &level(0.7));
        assert_eq!(decoded(&next)[0].seq, 1);
        assert_eq!(
            decoded(&next)[0].capture_ms,
            1_050,
            "right after the pre-roll"
        );
        let (block6, block7) = (
            mulaw::decode(mulaw::encode(19_660)),
            mulaw::decode(mulaw::encode(22_936)),
        );
        assert_eq!(levels(&next[0]), [block6, block7]);
    }

    #[test]
    fn no_pre_roll_from_stale_capture_nor_on_a_grant_without_hold() {
        let mut up = Uplink::new(8_000);
        for k in 1..=4 {
            up.captured(1_000 + k * 10, &level(0.5));
        }
        // Capture stopped long before this press: nothing from back then.
        up.follow(2_000, UplinkMode::Hold);
        assert!(up.follow(2_010, UplinkMode::Send(sid())).is_empty());
        up.follow(2_020, UplinkMode::Off);
        // A floor already granted at the press (Off to Send): the pre-roll at once.
        for k in 1..=4 {
            up.captured(3_000 + k * 10, &level(0.5));
        }
        let sent = decoded(&up.follow(3_041, UplinkMode::Send(sid())));
        assert_eq!((sent.len(), sent[0].seq, sent[0].capture_ms), (1, 0, 3_020));
    }
}
