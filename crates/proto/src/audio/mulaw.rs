//! G.711 mu-law (ITU-T G.711, the North American law): 14-bit linear
//! samples to 8-bit codes and back. Works on 16-bit PCM as browsers and
//! most code do; the two low bits are below the law's resolution.

/// G.711 is sampled at 8 kHz.
pub const SAMPLE_RATE: u32 = 8_000;

const BIAS: i32 = 0x84;
const CLIP: i32 = 32_635;

/// One 16-bit linear sample to its mu-law code.
pub fn encode(sample: i16) -> u8 {
    let mut s = i32::from(sample);
    let sign = if s < 0 {
        s = -s;
        0x80
    } else {
        0
    };
    let s = s.min(CLIP) + BIAS;
    // The segment is the position of the highest set bit above bit 7.
    let exponent = (31 - (s as u32).leading_zeros()).saturating_sub(7).min(7) as i32;
    let mantissa = (s >> (exponent + 3)) & 0x0F;
    !(sign | (exponent << 4) as u8 as i32 | mantissa) as u8
}

/// A frame of 16-bit samples to its mu-law payload.
pub fn encode_frame(pcm: &[i16]) -> Vec<u8> {
    pcm.iter().map(|&s| encode(s)).collect()
}

/// One mu-law code to its 16-bit linear sample.
pub fn decode(code: u8) -> i16 {
    let c = !code;
    let exponent = i32::from((c >> 4) & 0x07);
    let mantissa = i32::from(c & 0x0F);
    let magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
    if c & 0x80 != 0 {
        -magnitude as i16
    } else {
        magnitude as i16
    }
}

/// Root mean square of 16-bit samples, 0.0 (silence) to 1.0 (full scale).
pub fn rms(samples: &[i16]) -> f32 {
    if samples.is_empty() {
        return 0.0;
    }
    let sum: f64 = samples
        .iter()
        .map(|&s| {
            let x = f64::from(s) / 32_768.0;
            x * x
        })
        .sum();
    (sum / samples.len() as f64).sqrt() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_of_the_law() {
        // G.711 table 2a: code 0xFF is +0, 0x7F is -0, 0x80/0x00 the extremes
        // (8031 in 14-bit units, i.e. 32124 in 16-bit).
        assert_eq!(decode(0xFF), 0);
        assert_eq!(decode(0x7F), 0);
        assert_eq!(decode(0x80), 32_124);
        assert_eq!(decode(0x00), -32_124);
        // Segment 0 steps by 2 (8 in 16-bit); segment 1 starts at 33 (132).
        assert_eq!(decode(0xFE), 8);
        assert_eq!(decode(0xF0), 120);
        assert_eq!(decode(0xEF), 132);
        assert_eq!(decode(0xCE), 988);
        assert_eq!(encode(0), 0xFF);
        assert_eq!(encode(-1), 0x7F);
        assert_eq!(encode(i16::MAX), 0x80);
        assert_eq!(encode(i16::MIN), 0x00);
        assert_eq!(encode(1000), 0xCE);
        assert_eq!(encode(-1000), 0x4E);
    }

    #[test]
    fn every_code_survives_decode_then_encode() {
        for code in 0..=255u8 {
            if code == 0x7F {
                continue; // -0 encodes as +0
            }
            assert_eq!(encode(decode(code)), code, "code {code:#04x}");
        }
    }

    #[test]
    fn the_error_stays_within_half_a_step() {
        for s in (-32_000i32..32_000).step_by(7) {
            let back = i32::from(decode(encode(s as i16)));
            // Segment e covers |s| + 132 below 256 << e, in steps of 8 << e;
            // a code decodes to the middle of its step.
            let segment = (0..8).find(|e| s.abs() + BIAS < 256 << e).unwrap_or(7);
            let half_step = 4 << segment;
            assert!((back - s).abs() <= half_step, "{s} -> {back}");
        }
    }

    #[test]
    fn rms_of_silence_and_of_a_full_square() {
        assert_eq!(rms(&[]), 0.0);
        assert_eq!(rms(&[0; 160]), 0.0);
        let square: Vec<i16> = (0..160)
            .map(|i| if i % 2 == 0 { 16_384 } else { -16_384 })
            .collect();
        assert!((rms(&square) - 0.5).abs() < 1e-6);
    }
}
