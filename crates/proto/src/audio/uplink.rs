//! What the console may send, decided from the floor alone: frames are
//! held from the press until the grant (bounded), sent with the granted
//! session's exact id while the floor is held and the key is down, dropped
//! on a refusal, and none after the release. Never a frame without the
//! floor: only [`UplinkMode::Send`] writes to the wire.
//!
//! Encoding is the caller's, and may be asynchronous (Opus through
//! WebCodecs answers a few ms later): captured audio comes out as [`Pcm`]
//! frames, each with a [`Ticket`] (its transmission, codec, number and
//! capture time), and goes back in encoded through [`Uplink::encoded`],
//! which decides then, from the floor at that moment, whether it is held,
//! sent or thrown away. An encoder keeps the order of its frames, so held
//! frames and those encoded after the grant leave in order; one that comes
//! back after the release, or from an earlier transmission, is dropped.
//!
//! Capture streams only while the key is down. With the key up the capture
//! worklet keeps its last samples in a ring and posts nothing, so an idle
//! microphone costs the page nothing. The press ([`Stream::From`]) asks it
//! for its samples from 20 ms before the key went down on (the pre-roll): a
//! syllable begun with the press is whole, and the first frame is ready as
//! soon as the floor is. The release, a refusal or a lost floor stops it
//! ([`Stream::Stop`]). Samples are counted on the capture clock (the audio
//! context's frames); the press reads it beside the page's clock, which
//! times the frames, and a sample already framed is never framed again.
//!
//! Freshness: the pre-roll must be what was captured just before the press.
//! The worklet's ring holds only samples contiguous on the capture clock (a
//! microphone that stopped delivering starts it over, so its samples then
//! begin after the stall). And a clock that stood still (the audio context
//! suspended) shows as samples arriving more than `PREROLL_FRESH_MS`
//! later than the capture clock says: those captured before the press are
//! then stale and dropped, and the transmission is timed from their arrival.
//! Nor is a frame timed after it reached the page: a capture clock read
//! ahead of its samples at the press gives way to their arrival.

use super::capture::Framer;
use super::frame::{Codec, Frame, FrameHeader, FrameKind, FRAME_MS};
use super::hold::HoldBuffer;
use super::mulaw::SAMPLE_RATE;
use crate::id::BigId;
use crate::voice::{Floor, PttState, FLOOR_REPLY_MS};

/// As much audio as the floor's reply may take: a grant the machine
/// accepts never finds the start of the transmission gone.
pub const HOLD_FRAMES: usize = (FLOOR_REPLY_MS / FRAME_MS) as usize;
/// The rate Opus is fed at: wideband speech, which the framer reaches from
/// a 44.1 or 48 kHz capture by plain decimation.
pub const OPUS_INPUT_RATE: u32 = 16_000;
/// The pre-roll: this much from before the press opens a transmission.
const PREROLL_MS: u64 = FRAME_MS;
/// Samples arriving later than this after the capture clock says they
/// were taken come from a clock that stood still: what it had before the
/// press is not what the dispatcher was saying then.
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

/// What capture is told when the mode changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Post the samples from this capture frame on (the pre-roll first).
    From(u64),
    /// Post nothing more.
    Stop,
}

/// What a change of mode calls for.
#[derive(Debug, Default)]
pub struct Followed {
    /// Frames to send now (the held ones on a grant).
    pub frames: Vec<Vec<u8>>,
    /// What capture is told, when that changes.
    pub stream: Option<Stream>,
}

/// Where a frame being encoded belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    /// Counts the transmissions: a frame of an earlier one is stale.
    transmission: u64,
    /// The codec to encode it in (its samples are at that codec's rate).
    pub codec: Codec,
    seq: u32,
    capture_ms: u64,
}

/// One 20 ms frame captured for a transmission, to be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pcm {
    pub ticket: Ticket,
    /// At 8 kHz for G.711, [`OPUS_INPUT_RATE`] for Opus.
    pub samples: Vec<i16>,
}

#[derive(Debug)]
pub struct Uplink {
    mode: UplinkMode,
    /// The codec of transmissions from the next one on.
    codec: Codec,
    /// The transmission under way: its codec, at whose rate it frames.
    current: Codec,
    framer: Framer,
    input_rate: u32,
    hold: HoldBuffer<(Ticket, Vec<u8>)>,
    transmission: u64,
    /// Sequence of the next frame of this transmission.
    seq: u32,
    /// Capture time of the transmission's first sample.
    start_ms: Option<u64>,
    /// The page's clock (ms) and the capture clock (frame) read together.
    anchor: (u64, u64),
    /// The first capture frame not framed yet: earlier samples are skipped.
    next: u64,
    /// Frames written to the wire since the console started.
    pub sent: u64,
    /// Frames thrown away: held then refused or released, over the bound,
    /// or encoded too late (after the release, or for an earlier transmission).
    pub discarded: u64,
}

/// The rate a codec's frames are captured at.
fn rate_of(codec: Codec) -> u32 {
    match codec {
        Codec::Mulaw => SAMPLE_RATE,
        Codec::Opus => OPUS_INPUT_RATE,
    }
}

impl Uplink {
    /// `input_rate` is the capture rate in Hz; transmissions are in `codec`.
    pub fn new(input_rate: u32, codec: Codec) -> Self {
        Self {
            mode: UplinkMode::Off,
            codec,
            current: codec,
            framer: Framer::new(input_rate, rate_of(codec)),
            input_rate: input_rate.max(1),
            hold: HoldBuffer::new(HOLD_FRAMES),
            transmission: 0,
            seq: 0,
            start_ms: None,
            anchor: (0, 0),
            next: 0,
            sent: 0,
            discarded: 0,
        }
    }

    pub fn mode(&self) -> &UplinkMode {
        &self.mode
    }

    /// Transmissions from the next one on are in `codec` (the encoder of
    /// the one under way failed, say: its frames are lost, not re-encoded).
    pub fn set_codec(&mut self, codec: Codec) {
        self.codec = codec;
    }

    /// Follows the floor at `now_ms`, when the capture clock is at `frame`;
    /// a press went down at `pressed_ms` (`PttState::key_down_at`).
    pub fn follow(
        &mut self,
        now_ms: u64,
        frame: u64,
        pressed_ms: u64,
        mode: UplinkMode,
    ) -> Followed {
        if mode == self.mode {
            return Followed::default();
        }
        let was = std::mem::replace(&mut self.mode, mode.clone());
        match (was, mode) {
            (UplinkMode::Hold, UplinkMode::Send(session)) => {
                let held = self.hold.drain();
                let frames = held
                    .into_iter()
                    .map(|(ticket, payload)| self.frame(&session, ticket, payload))
                    .collect();
                Followed {
                    frames,
                    stream: None,
                }
            }
            (was, UplinkMode::Off) => {
                if was == UplinkMode::Hold {
                    self.discarded += self.hold.len() as u64;
                    self.hold.clear();
                }
                Followed {
                    frames: Vec::new(),
                    stream: Some(Stream::Stop),
                }
            }
            // A new transmission, numbered from 0: on a press from the
            // pre-roll on, else (the floor moved with the key held) from
            // the next sample.
            (was, _) => {
                self.transmission += 1;
                self.seq = 0;
                self.start_ms = None;
                self.hold.clear();
                self.current = self.codec;
                self.framer = Framer::new(self.input_rate, rate_of(self.current));
                if was != UplinkMode::Off {
                    return Followed::default();
                }
                self.anchor = (now_ms, frame);
                let since = now_ms.saturating_sub(pressed_ms) + PREROLL_MS;
                self.next = frame.saturating_sub(u64::from(self.input_rate) * since / 1_000);
                Followed {
                    frames: Vec::new(),
                    stream: Some(Stream::From(self.next)),
                }
            }
        }
    }

    /// Captured samples that arrived at `now_ms`, the first taken at
    /// capture frame `frame`; returns the frames to encode (then hand to
    /// [`Uplink::encoded`]).
    pub fn captured(&mut self, now_ms: u64, frame: u64, samples: &[f32]) -> Vec<Pcm> {
        if self.mode == UplinkMode::Off {
            // Posted before capture was told to stop.
            return Vec::new();
        }
        let len = samples.len() as u64;
        let seen = self.next.saturating_sub(frame).min(len);
        let (mut frame, mut samples) = (frame + seen, &samples[seen as usize..]);
        if samples.is_empty() {
            return Vec::new();
        }
        let end = frame + samples.len() as u64;
        if self.start_ms.is_none() {
            if now_ms > self.ms_at(end) + PREROLL_FRESH_MS {
                // The capture clock stood still: what it had before the
                // press is stale, and it no longer tells the time.
                let stale = self.anchor.1.saturating_sub(frame).min(end - frame);
                frame += stale;
                samples = &samples[stale as usize..];
                self.anchor = (now_ms, end);
            } else if self.ms_at(end) > now_ms {
                // The clock says the newest sample was taken after it
                // reached the page: the press read a capture clock that ran
                // ahead of its samples. They are timed by their arrival.
                self.anchor = (now_ms, end);
            }
            self.start_ms = Some(self.ms_at(frame));
        }
        self.next = end;
        let start = self.start_ms.unwrap_or(0);
        let mut out = Vec::new();
        for samples in self.framer.push(samples) {
            let seq = self.seq;
            self.seq = self.seq.wrapping_add(1);
            out.push(Pcm {
                ticket: Ticket {
                    transmission: self.transmission,
                    codec: self.current,
                    seq,
                    capture_ms: start + u64::from(seq) * FRAME_MS,
                },
                samples,
            });
        }
        out
    }

    /// The frame of `ticket`, encoded: held, or returned to be sent now,
    /// as the floor says; `None` when it is held or thrown away.
    pub fn encoded(&mut self, ticket: Ticket, payload: Vec<u8>) -> Option<Vec<u8>> {
        match self.mode.clone() {
            _ if ticket.transmission != self.transmission => {}
            UplinkMode::Send(session) => return Some(self.frame(&session, ticket, payload)),
            UplinkMode::Hold => {
                let before = self.hold.dropped();
                self.hold.push((ticket, payload));
                // Over the bound the oldest goes, its number with it.
                self.discarded += self.hold.dropped() - before;
                return None;
            }
            UplinkMode::Off => {}
        }
        self.discarded += 1;
        None
    }

    /// The page's clock when capture frame `frame` was taken.
    fn ms_at(&self, frame: u64) -> u64 {
        let (ms, at) = self.anchor;
        let rate = u64::from(self.input_rate);
        if frame >= at {
            ms + (frame - at) * 1_000 / rate
        } else {
            ms.saturating_sub((at - frame) * 1_000 / rate)
        }
    }

    fn frame(&mut self, session: &BigId, ticket: Ticket, payload: Vec<u8>) -> Vec<u8> {
        self.sent += 1;
        Frame {
            header: FrameHeader {
                kind: FrameKind::Uplink,
                codec: ticket.codec,
                session: session.clone(),
                seq: ticket.seq,
                capture_ms: ticket.capture_ms,
                talker: 0,
            },
            payload,
        }
        .encode()
    }
}

#[cfg(test)]
mod tests {
    use super::super::mulaw;
    use super::*;

    /// Captured samples, each frame encoded at once in G.711 as the
    /// console does: the frames to send now.
    fn cap(up: &mut Uplink, now_ms: u64, frame: u64, samples: &[f32]) -> Vec<Vec<u8>> {
        let pcm = up.captured(now_ms, frame, samples);
        pcm.into_iter()
            .filter_map(|p| up.encoded(p.ticket, mulaw::encode_frame(&p.samples)))
            .collect()
    }

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
    fn capture_streams_from_the_pre_roll_while_the_key_is_down_only() {
        let mut up = Uplink::new(8_000, Codec::Mulaw);
        // Pressed when the capture clock is at frame 8000: 20 ms before it.
        let press = up.follow(1_000, 8_000, 1_000, UplinkMode::Hold);
        assert_eq!(press.stream, Some(Stream::From(7_840)));
        let grant = up.follow(1_020, 8_160, 1_020, UplinkMode::Send(sid()));
        assert_eq!(grant.stream, None, "the grant: streaming goes on");
        let release = up.follow(1_040, 8_320, 1_040, UplinkMode::Off);
        assert_eq!(release.stream, Some(Stream::Stop));
        up.follow(2_000, 16_000, 2_000, UplinkMode::Hold);
        let refusal = up.follow(2_010, 16_080, 2_010, UplinkMode::Off);
        assert_eq!(refusal.stream, Some(Stream::Stop));
        // A floor already granted at the press; then it moves, the key held.
        let press = up.follow(3_000, 24_000, 3_000, UplinkMode::Send(sid()));
        assert_eq!(press.stream, Some(Stream::From(23_840)));
        assert_eq!(
            up.follow(3_100, 24_800, 3_100, UplinkMode::Hold).stream,
            None
        );
    }

    #[test]
    fn no_frame_is_timed_after_its_samples_reached_the_page() {
        let mut up = Uplink::new(8_000, Codec::Mulaw);
        // At the press the capture clock read 80 ms ahead of its samples:
        // the first 20 ms (the pre-roll on) reach the page at 1 005 ms,
        // which that reading would put at 1 060 to 1 080.
        up.follow(1_000, 8_000, 1_000, UplinkMode::Hold);
        cap(&mut up, 1_005, 8_480, &block());
        cap(&mut up, 1_025, 8_640, &block());
        let held = decoded(
            &up.follow(1_030, 8_800, 1_030, UplinkMode::Send(sid()))
                .frames,
        );
        assert_eq!(held.len(), 2);
        assert_eq!(
            (held[0].capture_ms, held[1].capture_ms),
            (985, 1_005),
            "timed by the first message's arrival: its last sample at 1 005"
        );
    }

    #[test]
    fn nothing_is_sent_without_the_floor() {
        let mut up = Uplink::new(8_000, Codec::Mulaw);
        assert!(cap(&mut up, 100, 0, &block()).is_empty(), "key up");
        up.follow(120, 960, 120, UplinkMode::Hold);
        for t in 0..5 {
            assert!(
                cap(&mut up, 140 + t * 20, 960 + t * 160, &block()).is_empty(),
                "held"
            );
        }
        assert_eq!(up.sent, 0);
    }

    #[test]
    fn audio_from_the_press_is_sent_on_the_grant_in_order_then_live() {
        let mut up = Uplink::new(8_000, Codec::Mulaw);
        up.follow(1_000, 8_000, 1_000, UplinkMode::Hold);
        // Capture had nothing before the press (it had just started).
        for t in 0..10 {
            cap(&mut up, 1_020 + t * 20, 8_000 + t * 160, &block());
        }
        let held = decoded(
            &up.follow(1_220, 9_760, 1_220, UplinkMode::Send(sid()))
                .frames,
        );
        assert_eq!(held.len(), 10);
        assert!(held.iter().enumerate().all(|(i, h)| h.seq == i as u32));
        assert_eq!(held[0].capture_ms, 1_000, "the first sample, at the press");
        assert_eq!(held[9].capture_ms, 1_180);
        assert!(held
            .iter()
            .all(|h| h.session == sid() && h.kind == FrameKind::Uplink));
        let live = decoded(&cap(&mut up, 1_220, 9_600, &block()));
        assert_eq!((live[0].seq, live[0].capture_ms), (10, 1_200));
        let payload = Frame::decode(&cap(&mut up, 1_240, 9_760, &block())[0])
            .unwrap()
            .payload;
        let pcm: Vec<i16> = payload.iter().map(|&c| mulaw::decode(c)).collect();
        assert!(mulaw::rms(&pcm) > 0.4, "the tone, not silence");
        assert_eq!(up.sent, 12);
        // Released: nothing more, whatever capture posted before it stopped.
        assert!(up
            .follow(1_260, 10_080, 1_260, UplinkMode::Off)
            .frames
            .is_empty());
        assert!(cap(&mut up, 1_260, 9_920, &block()).is_empty());
        assert_eq!(up.sent, 12);
    }

    #[test]
    fn a_refusal_or_an_early_release_drops_what_was_held() {
        let mut up = Uplink::new(8_000, Codec::Mulaw);
        up.follow(0, 160, 0, UplinkMode::Hold);
        for t in 0..3 {
            cap(&mut up, 20 + t * 20, t * 160, &block());
        }
        assert!(up.follow(60, 640, 60, UplinkMode::Off).frames.is_empty());
        assert_eq!((up.sent, up.discarded), (0, 3));
        // The next press is a new transmission: numbered from 0 again.
        up.follow(5_000, 40_000, 5_000, UplinkMode::Hold);
        cap(&mut up, 5_020, 40_000, &block());
        let held = decoded(
            &up.follow(5_020, 40_160, 5_020, UplinkMode::Send(sid()))
                .frames,
        );
        assert_eq!((held.len(), held[0].seq, held[0].capture_ms), (1, 0, 5_000));
    }

    #[test]
    fn the_hold_is_bounded_and_keeps_the_newest_with_their_numbers() {
        let mut up = Uplink::new(8_000, Codec::Mulaw);
        up.follow(0, 0, 0, UplinkMode::Hold);
        let n = HOLD_FRAMES as u64 + 5;
        for t in 0..n {
            cap(&mut up, 20 + t * 20, t * 160, &block());
        }
        let held = decoded(
            &up.follow(2_000, n * 160, 2_000, UplinkMode::Send(sid()))
                .frames,
        );
        assert_eq!(held.len(), HOLD_FRAMES);
        assert_eq!(up.discarded, 5);
        assert_eq!(
            held[0].seq, 5,
            "the five oldest are gone, a gap the receiver sees"
        );
        assert_eq!(held[0].capture_ms, 100);
    }

    /// `n` samples from capture frame `at`, each telling its frame apart.
    fn ramp(at: u64, n: u64) -> Vec<f32> {
        (at..at + n).map(|f| (f % 1_000) as f32 / 1_000.0).collect()
    }

    /// The sample of capture frame `at` as a frame carries it.
    fn sample(at: u64) -> i16 {
        mulaw::decode(mulaw::encode((ramp(at, 1)[0] * 32_767.0) as i16))
    }

    /// The first and last samples of a frame.
    fn ends(frame: &[u8]) -> [i16; 2] {
        let payload = Frame::decode(frame).unwrap().payload;
        [mulaw::decode(payload[0]), mulaw::decode(payload[159])]
    }

    #[test]
    fn a_transmission_opens_with_the_last_twenty_ms_before_the_press() {
        let mut up = Uplink::new(8_000, Codec::Mulaw);
        // The key went down at 1054 ms; the desk learns of it at 1061 ms,
        // the capture clock then at frame 8488 (so at 8432 at the press).
        assert_eq!(
            up.follow(1_061, 8_488, 1_054, UplinkMode::Hold).stream,
            Some(Stream::From(8_272))
        );
        // Capture's first post: the 20 ms before the press and 11 ms since.
        assert!(cap(&mut up, 1_066, 8_272, &ramp(8_272, 248)).is_empty());
        // Sent the moment the floor comes.
        let sent = up
            .follow(1_070, 8_560, 1_054, UplinkMode::Send(sid()))
            .frames;
        let heads = decoded(&sent);
        assert_eq!(heads.len(), 1, "the pre-roll; the next 20 ms are not whole");
        assert_eq!((heads[0].seq, heads[0].capture_ms), (0, 1_034));
        assert_eq!(ends(&sent[0]), [sample(8_272), sample(8_431)]);
        let next = cap(&mut up, 1_076, 8_520, &ramp(8_520, 80));
        assert_eq!(
            (decoded(&next)[0].seq, decoded(&next)[0].capture_ms),
            (1, 1_054),
            "right after the pre-roll"
        );
        assert_eq!(ends(&next[0]), [sample(8_432), sample(8_591)]);
    }

    #[test]
    fn samples_posted_twice_are_framed_once_in_order() {
        let mut up = Uplink::new(8_000, Codec::Mulaw);
        up.follow(1_000, 8_000, 1_000, UplinkMode::Send(sid()));
        // A post from before the press overlapping this stream's own.
        let first = cap(&mut up, 1_010, 7_840, &ramp(7_840, 240));
        let second = cap(&mut up, 1_020, 8_000, &ramp(8_000, 160));
        let heads = decoded(&[first.clone(), second.clone()].concat());
        assert_eq!(heads.len(), 2, "320 samples, two frames: {heads:?}");
        assert_eq!(ends(&first[0]), [sample(7_840), sample(7_999)]);
        assert_eq!(ends(&second[0]), [sample(8_000), sample(8_159)]);
        assert_eq!((heads[1].seq, heads[1].capture_ms), (1, 1_000));
        assert!(cap(&mut up, 1_025, 8_000, &ramp(8_000, 160)).is_empty());
    }

    #[test]
    fn no_pre_roll_from_a_capture_clock_that_stood_still() {
        let mut up = Uplink::new(8_000, Codec::Mulaw);
        // The capture clock stopped at frame 8000 (a suspended context)
        // and runs again only after the press.
        up.follow(2_000, 8_000, 2_000, UplinkMode::Hold);
        assert!(cap(&mut up, 2_500, 7_840, &ramp(7_840, 240)).is_empty());
        assert!(up
            .follow(2_505, 8_080, 2_505, UplinkMode::Send(sid()))
            .frames
            .is_empty());
        let sent = cap(&mut up, 2_510, 8_080, &ramp(8_080, 80));
        let heads = decoded(&sent);
        assert_eq!(heads.len(), 1);
        assert_eq!(
            ends(&sent[0]),
            [sample(8_000), sample(8_159)],
            "from the press on"
        );
        assert_eq!(
            (heads[0].seq, heads[0].capture_ms),
            (0, 2_490),
            "timed by its arrival, 10 ms of it then"
        );
        // A press whose pre-roll comes in time keeps it.
        up.follow(3_000, 9_000, 3_000, UplinkMode::Off);
        up.follow(4_000, 16_000, 4_000, UplinkMode::Send(sid()));
        let sent = cap(&mut up, 4_100, 15_840, &ramp(15_840, 160));
        assert_eq!(ends(&sent[0]), [sample(15_840), sample(15_999)]);
        assert_eq!(decoded(&sent)[0].capture_ms, 3_980);
    }

    /// An Opus packet standing for the frame (its first sample's low byte).
    fn packet(p: &Pcm) -> Vec<u8> {
        vec![0x48, p.samples[0] as u8]
    }

    #[test]
    fn frames_encoded_later_go_out_in_order_held_or_live() {
        let mut up = Uplink::new(48_000, Codec::Opus);
        up.follow(1_000, 48_000, 1_000, UplinkMode::Hold);
        // 60 ms captured at 48 kHz: three frames of 320 samples at 16 kHz.
        let pcm = up.captured(1_040, 47_040, &ramp(47_040, 2_880));
        assert_eq!(pcm.len(), 3);
        assert!(pcm
            .iter()
            .all(|p| p.samples.len() == 320 && p.ticket.codec == Codec::Opus));
        // The encoder has answered for two when the floor comes.
        assert_eq!(up.encoded(pcm[0].ticket, packet(&pcm[0])), None, "held");
        assert_eq!(up.encoded(pcm[1].ticket, packet(&pcm[1])), None, "held");
        let granted = up
            .follow(1_030, 48_960, 1_000, UplinkMode::Send(sid()))
            .frames;
        let late = up
            .encoded(pcm[2].ticket, packet(&pcm[2]))
            .expect("sent when encoded");
        let sent: Vec<Frame> = granted
            .iter()
            .chain([&late])
            .map(|m| Frame::decode(m).unwrap())
            .collect();
        let heads: Vec<_> = sent
            .iter()
            .map(|f| (f.header.seq, f.header.capture_ms))
            .collect();
        assert_eq!(heads, [(0, 980), (1, 1_000), (2, 1_020)]);
        assert!(sent
            .iter()
            .all(|f| f.header.codec == Codec::Opus && f.header.session == sid()));
        assert_eq!(sent[2].payload, packet(&pcm[2]));
        assert_eq!((up.sent, up.discarded), (3, 0));
    }

    #[test]
    fn frames_encoded_after_the_release_or_for_an_earlier_transmission_are_dropped() {
        let mut up = Uplink::new(16_000, Codec::Opus);
        up.follow(0, 16_000, 0, UplinkMode::Send(sid()));
        let pcm = up.captured(5, 15_680, &ramp(15_680, 640));
        assert_eq!(pcm.len(), 2);
        up.follow(10, 16_160, 0, UplinkMode::Off);
        assert_eq!(up.encoded(pcm[0].ticket, packet(&pcm[0])), None, "released");
        // The next press: the previous transmission's last frame comes
        // back now, neither held nor sent with the new one.
        up.follow(100, 17_600, 100, UplinkMode::Hold);
        assert_eq!(up.encoded(pcm[1].ticket, packet(&pcm[1])), None);
        assert!(up
            .follow(120, 17_920, 100, UplinkMode::Send(sid()))
            .frames
            .is_empty());
        assert_eq!((up.sent, up.discarded), (0, 2));
        // A refusal drops what was held, and what the encoder still had.
        up.follow(200, 19_200, 200, UplinkMode::Off);
        up.follow(300, 20_800, 300, UplinkMode::Hold);
        let pcm = up.captured(305, 20_480, &ramp(20_480, 640));
        up.encoded(pcm[0].ticket, packet(&pcm[0]));
        up.follow(310, 20_960, 300, UplinkMode::Off);
        assert_eq!(up.encoded(pcm[1].ticket, packet(&pcm[1])), None);
        assert_eq!((up.sent, up.discarded), (0, 4));
    }

    #[test]
    fn a_codec_change_applies_from_the_next_transmission() {
        let mut up = Uplink::new(16_000, Codec::Opus);
        up.follow(0, 16_000, 0, UplinkMode::Send(sid()));
        up.set_codec(Codec::Mulaw);
        let under_way = up.captured(5, 15_680, &ramp(15_680, 320));
        assert_eq!(under_way[0].ticket.codec, Codec::Opus);
        up.follow(30, 16_480, 0, UplinkMode::Off);
        up.follow(100, 17_600, 100, UplinkMode::Send(sid()));
        let next = up.captured(105, 17_280, &ramp(17_280, 320));
        assert_eq!(next[0].ticket.codec, Codec::Mulaw);
        assert_eq!(next[0].samples.len(), 160, "8 kHz for G.711");
        let sent = up
            .encoded(next[0].ticket, mulaw::encode_frame(&next[0].samples))
            .unwrap();
        let h = Frame::decode(&sent).unwrap().header;
        assert_eq!((h.codec, h.seq), (Codec::Mulaw, 0));
    }
}
