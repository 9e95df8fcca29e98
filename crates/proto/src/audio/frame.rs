//! The binary frame of docs/audio.md: a small header (version, kind, codec,
//! the exact session id, sequence, capture timestamp, talker) before one
//! 20 ms frame of audio. Big-endian throughout.

use crate::id::BigId;
use crate::DecodeError;

/// The only version this code writes and reads.
pub const FRAME_VERSION: u8 = 1;
/// Every frame carries 20 ms of audio.
pub const FRAME_MS: u64 = 20;
/// A G.711 payload: 20 ms at 8 kHz, one byte a sample.
pub const MULAW_FRAME_BYTES: usize = 160;
/// The largest Opus packet (RFC 6716).
const OPUS_MAX_BYTES: usize = 1_275;

/// Which way a frame travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameKind {
    /// The console's voice to the group.
    Uplink,
    /// A member's voice to the console.
    Downlink,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// G.711 mu-law, 8 kHz mono.
    Mulaw,
    /// Opus, 48 kHz mono, one packet (WebCodecs).
    Opus,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameHeader {
    pub kind: FrameKind,
    pub codec: Codec,
    /// Exact, as `sessionId` / `groupIdStr` carry it.
    pub session: BigId,
    /// From 0 at the first frame of a transmission.
    pub seq: u32,
    /// Sender's monotonic clock (ms) when the first sample was captured.
    pub capture_ms: u64,
    /// The member speaking (downlink); 0 on uplink.
    pub talker: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub header: FrameHeader,
    pub payload: Vec<u8>,
}

impl Frame {
    /// The bytes of one binary WebSocket message.
    pub fn encode(&self) -> Vec<u8> {
        let h = &self.header;
        let id = h.session.as_str().as_bytes();
        let mut out = Vec::with_capacity(24 + id.len() + self.payload.len());
        out.push(FRAME_VERSION);
        out.push(match h.kind {
            FrameKind::Uplink => 1,
            FrameKind::Downlink => 2,
        });
        out.push(match h.codec {
            Codec::Mulaw => 0,
            Codec::Opus => 1,
        });
        // BigId holds at most 20 digits, so the length fits a byte.
        out.push(id.len() as u8);
        out.extend_from_slice(id);
        out.extend_from_slice(&h.seq.to_be_bytes());
        out.extend_from_slice(&h.capture_ms.to_be_bytes());
        out.extend_from_slice(&h.talker.to_be_bytes());
        out.extend_from_slice(&self.payload);
        out
    }

    /// Reads one binary message; anything malformed is an error, never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader(bytes);
        let version = r.u8()?;
        if version != FRAME_VERSION {
            return Err(DecodeError::new(format!("audio frame version {version}")));
        }
        let kind = match r.u8()? {
            1 => FrameKind::Uplink,
            2 => FrameKind::Downlink,
            k => return Err(DecodeError::new(format!("audio frame kind {k}"))),
        };
        let codec = match r.u8()? {
            0 => Codec::Mulaw,
            1 => Codec::Opus,
            c => return Err(DecodeError::new(format!("audio codec {c}"))),
        };
        let len = usize::from(r.u8()?);
        let id = r.take(len)?;
        let session = std::str::from_utf8(id)
            .ok()
            .filter(|s| s.len() == len && s.trim() == *s)
            .and_then(BigId::parse)
            .ok_or_else(|| DecodeError::new("audio frame session id is not a decimal id"))?;
        let seq = u32::from_be_bytes(r.array()?);
        let capture_ms = u64::from_be_bytes(r.array()?);
        let talker = u64::from_be_bytes(r.array()?);
        let payload = r.0.to_vec();
        let fits = match codec {
            Codec::Mulaw => payload.len() == MULAW_FRAME_BYTES,
            Codec::Opus => (1..=OPUS_MAX_BYTES).contains(&payload.len()),
        };
        if !fits {
            return Err(DecodeError::new(format!(
                "audio payload of {} bytes for {codec:?}",
                payload.len()
            )));
        }
        Ok(Self {
            header: FrameHeader {
                kind,
                codec,
                session,
                seq,
                capture_ms,
                talker,
            },
            payload,
        })
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.0.len() < n {
            return Err(DecodeError::new("audio frame too short"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame {
        Frame {
            header: FrameHeader {
                kind: FrameKind::Uplink,
                codec: Codec::Mulaw,
                session: BigId::parse("50351257998589953").unwrap(),
                seq: 0x0102_0304,
                capture_ms: 0x0000_0102_0304_0506,
                talker: 0,
            },
            payload: vec![0xFF; MULAW_FRAME_BYTES],
        }
    }

    #[test]
    fn the_layout_is_the_documented_one() {
        let bytes = frame().encode();
        assert_eq!(&bytes[..4], &[1, 1, 0, 17]);
        assert_eq!(&bytes[4..21], b"50351257998589953", "exact, above 2^53");
        assert_eq!(&bytes[21..25], &[1, 2, 3, 4]);
        assert_eq!(&bytes[25..33], &[0, 0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(&bytes[33..41], &[0; 8]);
        assert_eq!(bytes.len(), 41 + MULAW_FRAME_BYTES);
        assert_eq!(Frame::decode(&bytes), Ok(frame()));
    }

    #[test]
    fn opus_and_downlink_round_trip() {
        let mut f = frame();
        f.header.kind = FrameKind::Downlink;
        f.header.codec = Codec::Opus;
        f.header.talker = 169_918;
        f.payload = vec![0xFC, 0xFF, 0xFE];
        assert_eq!(Frame::decode(&f.encode()), Ok(f));
    }

    #[test]
    fn malformed_frames_are_errors() {
        let good = frame().encode();
        // Every truncation, including inside the header.
        for n in 0..good.len() {
            assert!(Frame::decode(&good[..n]).is_err(), "cut at {n}");
        }
        let with = |at: usize, b: u8| {
            let mut v = good.clone();
            v[at] = b;
            Frame::decode(&v)
        };
        assert!(with(0, 2).is_err(), "version");
        assert!(with(1, 3).is_err(), "kind");
        assert!(with(2, 9).is_err(), "codec");
        assert!(with(4, b'x').is_err(), "a non-digit in the id");
        assert!(with(4, b' ').is_err(), "a space in the id");
        assert!(with(3, 0).is_err(), "an empty id");
        let mut long = good.clone();
        long.push(0);
        assert!(
            Frame::decode(&long).is_err(),
            "a mu-law payload is 160 bytes"
        );
        let mut opus = frame();
        opus.header.codec = Codec::Opus;
        opus.payload = vec![0; OPUS_MAX_BYTES + 1];
        assert!(Frame::decode(&opus.encode()).is_err());
    }
}
