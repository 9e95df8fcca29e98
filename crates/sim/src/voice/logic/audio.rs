//! Push-to-talk audio as docs/audio.md defines it: each binary message is
//! decoded and checked (an uplink frame of a session whose floor its
//! sender holds; an Opus packet well formed and 20 ms long, RFC 6716
//! section 3, not decoded), then counted per session with its codec and,
//! for G.711, its energy. Echo terminals
//! record what they hear and, once the dispatcher lets the floor go, are
//! handed out as [`EchoPlan`]s for the socket layer to play back.

use super::{ConnId, VoiceWorld};
use proto::audio::{mulaw_decode, opus_check, rms, Codec, Frame, FrameKind};
use proto::id::BigId;
use proto::voice::TerminalId;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A frame whose RMS is above this share of full scale has sound in it.
const VOICED_RMS: f32 = 0.01;
/// Transit times kept per session (the newest).
const TRANSITS_KEPT: usize = 1_000;

/// What the simulated plugin has heard (`GET /_sim/voice/audio`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoiceAudio {
    pub sessions: Vec<SessionAudio>,
    /// Binary messages that do not decode, are not uplink frames, or
    /// carry a malformed Opus packet.
    pub invalid: u64,
    /// Well-formed frames from a sender without the floor in their session.
    pub refused: u64,
}

/// The accepted frames of one session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionAudio {
    /// Exact id, as in the frames.
    pub session_id: String,
    pub frames: u64,
    /// Of them, in Opus (the rest are G.711 mu-law).
    pub opus_frames: u64,
    /// G.711 frames with sound (RMS above 1 % of full scale); Opus is not
    /// decoded here, so its sound is heard at the console's speaker instead.
    pub voiced: u64,
    /// The loudest G.711 frame's RMS, in thousandths of full scale.
    pub peak_rms_permille: u32,
    /// Transmissions seen (frames numbered 0).
    pub transmissions: u64,
    /// Frames that did not follow the one before (a gap or disorder).
    pub out_of_sequence: u64,
    /// Capture time of frame 0 of the latest transmission (sender's clock, ms).
    pub first_capture_ms: Option<u64>,
    /// Capture time of the latest frame.
    pub last_capture_ms: Option<u64>,
    /// Per frame, arrival (this machine's clock, ms since the epoch) minus
    /// capture time: the uplink half of mouth-to-ear when the sender's
    /// clock is this machine's (a browser's `timeOrigin + now()` is).
    pub transit_ms: Vec<i64>,
    #[serde(skip)]
    next_seq: u32,
}

/// An echo terminal's playback, due now: it takes the floor, sends `frames`
/// as downlink frames to `owner`'s sockets, then lets the floor go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EchoPlan {
    pub owner: String,
    pub session: BigId,
    pub terminal: TerminalId,
    pub frames: Vec<Frame>,
}

/// The audio side of the plugin: counts, echo terminals and what they heard.
#[derive(Debug, Default)]
pub struct AudioBook {
    counts: VoiceAudio,
    echo: Vec<TerminalId>,
    /// Per session: the frames of the dispatcher's transmission in progress.
    heard: BTreeMap<BigId, Vec<Frame>>,
}

impl VoiceWorld {
    /// A binary message from `conn`, arrived at `arrival_ms` (ms since the
    /// epoch): checked, counted, recorded for an echo.
    pub fn on_audio(&mut self, conn: ConnId, bytes: &[u8], arrival_ms: u64) {
        self.audio_frames += 1;
        let frame = match Frame::decode(bytes) {
            Ok(f)
                if f.header.kind == FrameKind::Uplink
                    && (f.header.codec != Codec::Opus || opus_check(&f.payload).is_ok()) =>
            {
                f
            }
            _ => {
                self.audio.counts.invalid += 1;
                return;
            }
        };
        let account = self.conns.get(&conn).and_then(|c| c.account.clone());
        let session = account.and_then(|account| {
            self.sessions.iter().find(|s| {
                s.owner == account
                    && s.id == frame.header.session
                    && s.floor == Some(s.dispatcher.id)
            })
        });
        let Some(session) = session else {
            self.audio.counts.refused += 1;
            return;
        };
        let echoes = session
            .members
            .iter()
            .any(|m| self.audio.echo.contains(&m.id));
        let id = session.id.clone();
        self.audio.count(&frame, arrival_ms);
        if echoes {
            self.audio.heard.entry(id).or_default().push(frame);
        }
    }

    /// From now on `terminal` plays back what it hears (`on`), or not.
    pub fn set_echo(&mut self, terminal: TerminalId, on: bool) {
        self.audio.echo.retain(|t| *t != terminal);
        if on {
            self.audio.echo.push(terminal);
        }
    }

    /// The echo playbacks due: sessions where an echo terminal heard a
    /// transmission and the dispatcher no longer holds the floor.
    pub fn echoes_due(&mut self) -> Vec<EchoPlan> {
        let mut due = Vec::new();
        for s in &self.sessions {
            if s.floor == Some(s.dispatcher.id) || !self.audio.heard.contains_key(&s.id) {
                continue;
            }
            let terminal = s.members.iter().find(|m| self.audio.echo.contains(&m.id));
            let frames = self.audio.heard.remove(&s.id).unwrap_or_default();
            if let Some(t) = terminal {
                due.push(EchoPlan {
                    owner: s.owner.clone(),
                    session: s.id.clone(),
                    terminal: t.id,
                    frames,
                });
            }
        }
        // Sessions that ended take their recordings with them.
        let alive: Vec<BigId> = self.sessions.iter().map(|s| s.id.clone()).collect();
        self.audio.heard.retain(|id, _| alive.contains(id));
        due
    }

    /// Who holds the floor in `session` (if it exists).
    pub fn floor_of(&self, session: &BigId) -> Option<TerminalId> {
        self.sessions
            .iter()
            .find(|s| &s.id == session)
            .and_then(|s| s.floor)
    }

    /// The sessions whose floor `terminal` holds, with their dispatcher's account.
    pub fn held_by(&self, terminal: TerminalId) -> Vec<(String, BigId)> {
        self.sessions
            .iter()
            .filter(|s| s.floor == Some(terminal))
            .map(|s| (s.owner.clone(), s.id.clone()))
            .collect()
    }

    /// The open sockets logged in as `account`.
    pub fn conns_of(&self, account: &str) -> Vec<ConnId> {
        self.conns
            .iter()
            .filter(|(_, c)| c.account.as_deref() == Some(account))
            .map(|(id, _)| *id)
            .collect()
    }

    pub fn audio(&self) -> VoiceAudio {
        self.audio.counts.clone()
    }
}

impl AudioBook {
    fn count(&mut self, frame: &Frame, arrival_ms: u64) {
        let h = &frame.header;
        let sessions = &mut self.counts.sessions;
        let at = match sessions
            .iter()
            .position(|s| s.session_id == h.session.as_str())
        {
            Some(i) => i,
            None => {
                sessions.push(SessionAudio {
                    session_id: h.session.to_string(),
                    ..Default::default()
                });
                sessions.len() - 1
            }
        };
        let s = &mut sessions[at];
        s.frames += 1;
        if h.seq == 0 {
            s.transmissions += 1;
            s.first_capture_ms = Some(h.capture_ms);
        } else if h.seq != s.next_seq {
            s.out_of_sequence += 1;
        }
        s.next_seq = h.seq.wrapping_add(1);
        s.last_capture_ms = Some(h.capture_ms);
        if s.transit_ms.len() == TRANSITS_KEPT {
            s.transit_ms.remove(0);
        }
        s.transit_ms.push(arrival_ms as i64 - h.capture_ms as i64);
        if h.codec == Codec::Opus {
            s.opus_frames += 1;
            return;
        }
        let pcm: Vec<i16> = frame.payload.iter().map(|&c| mulaw_decode(c)).collect();
        let level = rms(&pcm);
        if level > VOICED_RMS {
            s.voiced += 1;
        }
        s.peak_rms_permille = s.peak_rms_permille.max((level * 1_000.0) as u32);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{json, login, world};
    use super::*;
    use proto::audio::{mulaw_encode, FrameHeader, MULAW_FRAME_BYTES};

    fn frame(session: &str, seq: u32, loud: bool) -> Vec<u8> {
        let sample = if loud { 8_000 } else { 0 };
        Frame {
            header: FrameHeader {
                kind: FrameKind::Uplink,
                codec: Codec::Mulaw,
                session: BigId::parse(session).unwrap(),
                seq,
                capture_ms: 1_000 + u64::from(seq) * 20,
                talker: 0,
            },
            payload: vec![mulaw_encode(sample); MULAW_FRAME_BYTES],
        }
        .encode()
    }

    /// A session of zydd on `conn` with 169918 and 169919; its id.
    fn session(w: &mut VoiceWorld, conn: ConnId) -> String {
        let out = w.on_text(
            conn,
            r#"{"type":"requestMic","toIds":[169918,169919],"transaction":1}"#,
        );
        json(&out)[0]["sessionId"].as_str().unwrap().to_owned()
    }

    #[test]
    fn frames_are_counted_only_with_the_floor_and_with_their_energy() {
        let mut w = world();
        login(&mut w, 1);
        let sid = session(&mut w, 1);
        // createGroup granted the floor.
        w.on_audio(1, &frame(&sid, 0, true), 1_030);
        w.on_audio(1, &frame(&sid, 1, false), 1_030);
        w.on_audio(1, &frame(&sid, 3, true), 1_030);
        w.on_audio(1, b"\x01\x01", 1_030);
        w.on_audio(1, &frame("123", 0, true), 1_030);
        w.on_text(1, r#"{"type":"releaseMic"}"#);
        w.on_audio(1, &frame(&sid, 4, true), 1_030);
        w.open(2);
        w.on_audio(2, &frame(&sid, 0, true), 1_030);
        let a = w.audio();
        assert_eq!((a.invalid, a.refused), (1, 3), "{a:?}");
        let s = &a.sessions[0];
        assert_eq!(s.session_id, sid);
        assert_eq!((s.frames, s.voiced, s.transmissions), (3, 2, 1));
        assert_eq!(s.out_of_sequence, 1);
        assert_eq!(
            (s.first_capture_ms, s.last_capture_ms),
            (Some(1_000), Some(1_060))
        );
        assert!(
            (240..250).contains(&s.peak_rms_permille),
            "{}",
            s.peak_rms_permille
        );
        assert_eq!(w.audio_frames, 7);
        assert_eq!(s.transit_ms, [30, 10, -30], "arrival minus capture");
    }

    #[test]
    fn an_echo_terminal_plays_back_the_transmission_once_the_floor_is_free() {
        let mut w = world();
        w.set_echo(169919, true);
        login(&mut w, 1);
        let sid = session(&mut w, 1);
        w.on_audio(1, &frame(&sid, 0, true), 1_030);
        w.on_audio(1, &frame(&sid, 1, true), 1_030);
        assert!(w.echoes_due().is_empty(), "still talking");
        w.on_text(1, r#"{"type":"releaseMic"}"#);
        let plans = w.echoes_due();
        assert_eq!(plans.len(), 1);
        assert_eq!(
            (
                plans[0].owner.as_str(),
                plans[0].session.as_str(),
                plans[0].terminal
            ),
            ("zydd", sid.as_str(), 169919)
        );
        assert_eq!(plans[0].frames.len(), 2);
        assert!(w.echoes_due().is_empty(), "once");
        assert_eq!(w.conns_of("zydd"), [1]);
        assert_eq!(w.floor_of(&BigId::parse(&sid).unwrap()), None);
    }

    fn opus(session: &str, seq: u32, packet: &[u8]) -> Vec<u8> {
        let mut f = Frame::decode(&frame(session, seq, false)).unwrap();
        f.header.codec = Codec::Opus;
        f.payload = packet.to_vec();
        f.encode()
    }

    #[test]
    fn opus_frames_are_checked_counted_and_echoed_in_opus() {
        let mut w = world();
        w.set_echo(169919, true);
        login(&mut w, 1);
        let sid = session(&mut w, 1);
        // SILK wideband 20 ms (code 0); CELT 10 ms twice (code 1).
        w.on_audio(1, &opus(&sid, 0, &[0x48, 0x0b, 0xe4]), 1_030);
        w.on_audio(1, &opus(&sid, 1, &[0x91, 7, 7]), 1_050);
        // 40 ms in one packet; code 1 with unequal halves; code 3 with no frames.
        w.on_audio(1, &opus(&sid, 2, &[0x50, 1]), 1_070);
        w.on_audio(1, &opus(&sid, 2, &[0x91, 7]), 1_070);
        w.on_audio(1, &opus(&sid, 2, &[0x83, 0]), 1_070);
        w.on_audio(1, &frame(&sid, 2, true), 1_070);
        let a = w.audio();
        assert_eq!((a.invalid, a.refused), (3, 0), "{a:?}");
        let s = &a.sessions[0];
        assert_eq!((s.frames, s.opus_frames, s.out_of_sequence), (3, 2, 0));
        assert_eq!(s.voiced, 1, "the G.711 frame only: Opus is not decoded");
        w.on_text(1, r#"{"type":"releaseMic"}"#);
        let echoed = &w.echoes_due()[0].frames;
        let codecs: Vec<_> = echoed.iter().map(|f| f.header.codec).collect();
        assert_eq!(codecs, [Codec::Opus, Codec::Opus, Codec::Mulaw], "as heard");
        assert_eq!(echoed[1].payload, [0x91, 7, 7]);
    }
}
