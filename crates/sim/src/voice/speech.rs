//! Scripted talking terminals (docs/audio.md): a terminal takes the floor,
//! talks for a while with generated speech-like audio in the documented
//! frame format (G.711 mu-law, 20 ms frames, paced in real time) to the
//! dispatchers of every session where it holds the floor, and lets the
//! floor go; a script may repeat that turn.
//!
//! The sound is not a constant tone: a voiced buzz (a pitch with its
//! harmonics, drifting a little) shaped into syllables of 120 to 260 ms with
//! short pauses between them, at varying loudness, over a faint noise
//! floor, so level meters, voice activity and the jitter buffer see what
//! speech gives them.

use crate::Sim;
use proto::audio::{mulaw_encode, Codec, Frame, FrameHeader, FrameKind, FRAME_MS, SAMPLE_RATE};
use std::f32::consts::PI;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SAMPLES_PER_FRAME: usize = (SAMPLE_RATE as u64 * FRAME_MS / 1_000) as usize;
/// The noise floor's peak, in full scale: below the simulator's 1 % RMS
/// line for sound, so the pauses count as silence.
const NOISE: f32 = 0.01;
/// Harmonics of the voiced buzz.
const HARMONICS: u32 = 8;

/// What `/_sim/voice/speak` asks of a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TalkScript {
    /// How long each turn talks.
    pub talk_ms: u64,
    /// Turns in all (at least one).
    pub turns: u32,
    /// The pause between turns, floor free.
    pub gap_ms: u64,
}

/// A deterministic generator of speech-like 8 kHz samples.
#[derive(Debug, Clone)]
pub struct Speech {
    rng: u32,
    /// Samples into the current syllable (its sound, then its pause).
    at: u32,
    sound: u32,
    pause: u32,
    pitch_hz: f32,
    level: f32,
    phase: f32,
}

impl Speech {
    pub fn new(seed: u64) -> Self {
        let mut s = Self {
            rng: (seed as u32) ^ 0x9E37_79B9 | 1,
            at: 0,
            sound: 0,
            pause: 0,
            pitch_hz: 120.0,
            level: 0.0,
            phase: 0.0,
        };
        s.next_syllable();
        s
    }

    /// The next 20 ms, mu-law encoded.
    pub fn frame(&mut self) -> Vec<u8> {
        (0..SAMPLES_PER_FRAME)
            .map(|_| {
                let x = self.sample().clamp(-1.0, 1.0);
                mulaw_encode((x * 32_767.0) as i16)
            })
            .collect()
    }

    fn sample(&mut self) -> f32 {
        if self.at >= self.sound + self.pause {
            self.next_syllable();
        }
        let noise = (self.random() * 2.0 - 1.0) * NOISE;
        let at = self.at;
        self.at += 1;
        if at >= self.sound {
            return noise;
        }
        // A half-sine swell over the syllable, the pitch falling slightly.
        let through = at as f32 / self.sound as f32;
        let envelope = (PI * through).sin();
        let pitch = self.pitch_hz * (1.05 - 0.1 * through);
        self.phase = (self.phase + 2.0 * PI * pitch / SAMPLE_RATE as f32) % (2.0 * PI);
        let buzz: f32 = (1..=HARMONICS)
            .map(|k| (k as f32 * self.phase).sin() / k as f32)
            .sum();
        self.level * envelope * buzz * 0.5 + noise
    }

    fn next_syllable(&mut self) {
        let ms =
            |lo: f32, hi: f32, r: f32| ((lo + (hi - lo) * r) * SAMPLE_RATE as f32 / 1_000.0) as u32;
        self.at = 0;
        let r = self.random();
        self.sound = ms(120.0, 260.0, r);
        let r = self.random();
        self.pause = ms(30.0, 110.0, r);
        self.pitch_hz = 100.0 + 60.0 * self.random();
        self.level = 0.3 + 0.5 * self.random();
    }

    /// 0 to 1, from a xorshift generator.
    fn random(&mut self) -> f32 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.rng = x;
        (x >> 8) as f32 / (1u32 << 24) as f32
    }
}

impl Sim {
    /// `terminal_id` talks as `script` says: it takes the floor in every
    /// session it is in, sends generated speech paced at 20 ms to their
    /// dispatchers, and lets the floor go; again after each gap. Returns
    /// whether it got the floor for its first turn (it never takes one
    /// someone holds; a later turn that cannot is skipped).
    pub fn voice_speak(&self, terminal_id: u64, script: TalkScript) -> bool {
        if !self.terminal_talk(terminal_id, true) {
            return false;
        }
        tokio::spawn(speak(self.clone(), terminal_id, script));
        true
    }
}

async fn speak(sim: Sim, terminal: u64, script: TalkScript) {
    let mut speech = Speech::new(terminal);
    for turn in 0..script.turns.max(1) {
        if turn > 0 {
            tokio::time::sleep(Duration::from_millis(script.gap_ms)).await;
            if !sim.terminal_talk(terminal, true) {
                continue;
            }
        }
        talk_one_turn(&sim, terminal, script.talk_ms, &mut speech).await;
        sim.terminal_talk(terminal, false);
    }
}

/// One transmission, numbered from 0, its capture times on this machine's
/// clock; it ends early where the terminal lost the floor everywhere.
async fn talk_one_turn(sim: &Sim, terminal: u64, talk_ms: u64, speech: &mut Speech) {
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let mut tick = tokio::time::interval(Duration::from_millis(FRAME_MS));
    for seq in 0..talk_ms.div_ceil(FRAME_MS) as u32 {
        tick.tick().await;
        let payload = speech.frame();
        let holding = sim.with(|s| {
            let held = s.voice.held_by(terminal);
            for (owner, session) in &held {
                let bytes = Frame {
                    header: FrameHeader {
                        kind: FrameKind::Downlink,
                        codec: Codec::Mulaw,
                        session: session.clone(),
                        seq,
                        capture_ms: started + u64::from(seq) * FRAME_MS,
                        talker: terminal,
                    },
                    payload: payload.clone(),
                }
                .encode();
                for conn in s.voice.conns_of(owner) {
                    s.sockets.send_binary(conn, bytes.clone());
                }
            }
            !held.is_empty()
        });
        if !holding {
            return;
        }
    }
    tick.tick().await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proto::audio::{mulaw_decode, rms};

    fn levels(seed: u64, frames: usize) -> Vec<f32> {
        let mut s = Speech::new(seed);
        (0..frames)
            .map(|_| {
                let f = s.frame();
                assert_eq!(f.len(), 160, "20 ms of 8 kHz mu-law");
                rms(&f.iter().map(|&c| mulaw_decode(c)).collect::<Vec<_>>())
            })
            .collect()
    }

    #[test]
    fn speech_comes_in_syllables_with_pauses_not_a_constant_tone() {
        let l = levels(169_918, 250); // five seconds
        let voiced = l.iter().filter(|&&r| r > 0.01).count();
        let quiet = l.iter().filter(|&&r| r < 0.01).count();
        assert!((125..240).contains(&voiced), "mostly sound: {voiced}");
        assert!(quiet >= 10, "pauses between syllables: {quiet}");
        assert!(
            l.iter().all(|&r| r > 0.0),
            "a noise floor, never digital silence"
        );
        let loudest = l.iter().cloned().fold(0.0, f32::max);
        assert!(loudest > 0.1, "loud enough to hear: {loudest}");
        // The level rises and falls within a syllable: many distinct steps.
        let swings = l.windows(2).filter(|w| (w[0] - w[1]).abs() > 0.01).count();
        assert!(swings > 100, "an envelope, not a steady tone: {swings}");
    }

    #[test]
    fn the_pitch_moves_between_syllables() {
        // Zero crossings per voiced frame differ as the pitch does.
        let mut s = Speech::new(7);
        let mut crossings = Vec::new();
        for _ in 0..250 {
            let pcm: Vec<i16> = s.frame().iter().map(|&c| mulaw_decode(c)).collect();
            if rms(&pcm) > 0.05 {
                crossings.push(pcm.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count());
            }
        }
        let (lo, hi) = (
            crossings.iter().min().unwrap(),
            crossings.iter().max().unwrap(),
        );
        assert!(hi > lo, "{crossings:?}");
    }

    #[test]
    fn each_terminal_has_its_own_voice_and_keeps_it() {
        assert_eq!(levels(1, 50), levels(1, 50));
        assert_ne!(levels(1, 50), levels(2, 50));
    }
}
