//! The structure of one Opus packet (RFC 6716 section 3), checked without
//! decoding: the TOC byte, the frame count code and the frame lengths it
//! implies. A frame of docs/audio.md carries exactly 20 ms, so a packet
//! whose frames add up to another duration is refused too. The simulated
//! plugin checks every Opus frame with it; the console checks downlink
//! packets before its decoder sees them (WebCodecs' decoder closes on a
//! malformed one).

use super::frame::FRAME_MS;

/// The most bytes one frame may take (R2).
const MAX_FRAME_BYTES: usize = 1_275;
/// The most audio one packet may carry, in microseconds (R5).
const MAX_PACKET_US: u32 = 120_000;

/// Why a packet is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpusError {
    Empty,
    /// Code 1 with an odd number of frame bytes.
    UnequalHalves,
    /// A frame length that runs past the end of the packet.
    Truncated,
    /// A frame over 1275 bytes.
    FrameTooLong,
    /// Code 3 with no frames, or more than 120 ms of them.
    FrameCount(u8),
    /// Code 3 CBR whose bytes do not split evenly between its frames.
    UnevenFrames,
    /// Well formed, but not one 20 ms frame of audio (in microseconds).
    Duration(u32),
}

/// Checks `packet`; `Ok` with its frame count when it is well formed and
/// carries 20 ms in all.
pub fn check(packet: &[u8]) -> Result<usize, OpusError> {
    let (&toc, rest) = packet.split_first().ok_or(OpusError::Empty)?;
    let frame_us = frame_us(toc >> 3);
    let lengths = match toc & 0x03 {
        0 => vec![rest.len()],
        1 => {
            if rest.len() % 2 != 0 {
                return Err(OpusError::UnequalHalves);
            }
            vec![rest.len() / 2; 2]
        }
        2 => {
            let (first, used) = frame_length(rest)?;
            let second = (rest.len() - used)
                .checked_sub(first)
                .ok_or(OpusError::Truncated)?;
            vec![first, second]
        }
        _ => signalled(rest, frame_us)?,
    };
    if lengths.iter().any(|&n| n > MAX_FRAME_BYTES) {
        return Err(OpusError::FrameTooLong);
    }
    let total = frame_us * lengths.len() as u32;
    if u64::from(total) != FRAME_MS * 1_000 {
        return Err(OpusError::Duration(total));
    }
    Ok(lengths.len())
}

/// The duration of each frame for a TOC configuration (RFC 6716 table 2).
fn frame_us(config: u8) -> u32 {
    match config {
        // SILK: narrow-, medium-, wideband at 10, 20, 40, 60 ms.
        0..=11 => [10_000, 20_000, 40_000, 60_000][usize::from(config % 4)],
        // Hybrid: super-wide-, fullband at 10, 20 ms.
        12..=15 => [10_000, 20_000][usize::from(config % 2)],
        // CELT: four bandwidths at 2.5, 5, 10, 20 ms.
        _ => [2_500, 5_000, 10_000, 20_000][usize::from(config % 4)],
    }
}

/// A frame length coded in one or two bytes (section 3.2.1); returns the
/// length and the bytes it took.
fn frame_length(bytes: &[u8]) -> Result<(usize, usize), OpusError> {
    match bytes {
        [b @ 0..=251, ..] => Ok((usize::from(*b), 1)),
        [b, second, ..] => Ok((usize::from(*second) * 4 + usize::from(*b), 2)),
        _ => Err(OpusError::Truncated),
    }
}

/// Code 3 (section 3.2.5): a frame count byte, optional padding, then
/// frames of one size (CBR) or each with its length (VBR) but the last.
fn signalled(bytes: &[u8], frame_us: u32) -> Result<Vec<usize>, OpusError> {
    let (&count_byte, mut rest) = bytes.split_first().ok_or(OpusError::Truncated)?;
    let vbr = count_byte & 0x80 != 0;
    let padded = count_byte & 0x40 != 0;
    let count = count_byte & 0x3F;
    if count == 0 || frame_us * u32::from(count) > MAX_PACKET_US {
        return Err(OpusError::FrameCount(count));
    }
    let mut padding = 0usize;
    if padded {
        loop {
            let (&p, after) = rest.split_first().ok_or(OpusError::Truncated)?;
            rest = after;
            padding += usize::from(p.min(254));
            if p != 255 {
                break;
            }
        }
    }
    let count = usize::from(count);
    if !vbr {
        let data = rest
            .len()
            .checked_sub(padding)
            .ok_or(OpusError::Truncated)?;
        if data % count != 0 {
            return Err(OpusError::UnevenFrames);
        }
        return Ok(vec![data / count; count]);
    }
    let mut lengths = Vec::with_capacity(count);
    for _ in 1..count {
        let (n, used) = frame_length(rest)?;
        rest = &rest[used..];
        lengths.push(n);
    }
    let coded: usize = lengths.iter().sum::<usize>() + padding;
    let last = rest.len().checked_sub(coded).ok_or(OpusError::Truncated)?;
    lengths.push(last);
    Ok(lengths)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Silence as Chromium's WebCodecs encoder wrote it (16 kHz in, SILK
    /// wideband 20 ms, code 0).
    const CHROMIUM_SILENCE: [u8; 8] = [0x48, 0x0b, 0xe4, 0xc1, 0x36, 0xec, 0xc5, 0x80];

    fn toc(config: u8, code: u8) -> u8 {
        config << 3 | code
    }

    #[test]
    fn twenty_ms_packets_of_every_code_are_accepted() {
        assert_eq!(check(&CHROMIUM_SILENCE), Ok(1));
        // Code 0: one 20 ms frame (SILK NB; CELT FB), or no frame bytes (DTX).
        assert_eq!(check(&[toc(1, 0), 1, 2, 3]), Ok(1));
        assert_eq!(check(&[toc(31, 0), 0xFF, 0xFE]), Ok(1));
        assert_eq!(check(&[toc(9, 0)]), Ok(1));
        // Code 1: two equal 10 ms frames (CELT NB 10 ms).
        assert_eq!(check(&[toc(18, 1), 1, 2, 3, 4]), Ok(2));
        // Code 2: 10 ms frames of 3 and 2 bytes (Hybrid SWB 10 ms); and a
        // first length in two bytes (252 + 4 * 1 = 256).
        assert_eq!(check(&[toc(12, 2), 3, 7, 7, 7, 9, 9]), Ok(2));
        let mut two = vec![toc(0, 2), 252, 1];
        two.extend([0; 256 + 10]);
        assert_eq!(check(&two), Ok(2));
        // Code 3 CBR: eight 2.5 ms frames of 2 bytes.
        let mut cbr = vec![toc(16, 3), 8];
        cbr.extend([0; 16]);
        assert_eq!(check(&cbr), Ok(8));
        // Code 3 VBR with padding (255 + 1 bytes: 254 + 1): four 5 ms
        // frames of 1, 2, 3 and the rest (4) bytes.
        let mut vbr = vec![toc(17, 3), 0x80 | 0x40 | 4, 255, 1, 1, 2, 3];
        vbr.extend([0; 1 + 2 + 3 + 4]);
        vbr.extend([0; 255]);
        assert_eq!(check(&vbr), Ok(4));
    }

    #[test]
    fn malformed_packets_are_refused() {
        assert_eq!(check(&[]), Err(OpusError::Empty));
        assert_eq!(check(&[toc(18, 1), 1, 2, 3]), Err(OpusError::UnequalHalves));
        assert_eq!(check(&[toc(12, 2)]), Err(OpusError::Truncated));
        assert_eq!(
            check(&[toc(12, 2), 252]),
            Err(OpusError::Truncated),
            "a two-byte length cut short"
        );
        assert_eq!(
            check(&[toc(12, 2), 5, 1, 2]),
            Err(OpusError::Truncated),
            "the first frame runs past the end"
        );
        assert_eq!(check(&[toc(16, 3)]), Err(OpusError::Truncated));
        assert_eq!(check(&[toc(16, 3), 0]), Err(OpusError::FrameCount(0)));
        assert_eq!(
            check(&[toc(3, 3), 3]),
            Err(OpusError::FrameCount(3)),
            "three 60 ms frames: over 120 ms"
        );
        assert_eq!(
            check(&[toc(16, 3), 8, 1, 2, 3]),
            Err(OpusError::UnevenFrames)
        );
        assert_eq!(
            check(&[toc(16, 3), 0x40 | 8, 200, 1]),
            Err(OpusError::Truncated),
            "more padding than packet"
        );
        assert_eq!(
            check(&[toc(16, 3), 0x40 | 8, 255]),
            Err(OpusError::Truncated),
            "padding whose next length byte is missing"
        );
        assert_eq!(
            check(&[toc(17, 3), 0x80 | 4, 9, 1, 1, 0]),
            Err(OpusError::Truncated),
            "VBR lengths longer than the packet"
        );
        let mut long = vec![toc(1, 0)];
        long.extend([0; MAX_FRAME_BYTES + 1]);
        assert_eq!(check(&long), Err(OpusError::FrameTooLong));
    }

    #[test]
    fn packets_of_another_duration_are_refused() {
        assert_eq!(check(&[toc(10, 0), 1]), Err(OpusError::Duration(40_000)));
        assert_eq!(check(&[toc(19, 1), 1, 1]), Err(OpusError::Duration(40_000)));
        assert_eq!(check(&[toc(18, 0), 1]), Err(OpusError::Duration(10_000)));
        let mut six = vec![toc(16, 3), 6];
        six.extend([0; 6]);
        assert_eq!(check(&six), Err(OpusError::Duration(15_000)));
    }

    #[test]
    fn any_bytes_are_checked_without_a_panic() {
        for a in 0..=255u8 {
            check(&[a]).ok();
            for b in 0..=255u8 {
                check(&[a, b]).ok();
                check(&[a, b, 255, 255, 1]).ok();
            }
        }
        // Longer packets from a simple generator (xorshift).
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 1_400) as usize;
            let packet: Vec<u8> = (0..len).map(|i| (x >> (i % 56)) as u8).collect();
            check(&packet).ok();
        }
    }
}
