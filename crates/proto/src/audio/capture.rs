//! Captured samples (floats at the audio context's rate, in blocks of any
//! size) to 20 ms frames of 16-bit samples at the codec's rate (8 kHz for
//! G.711, 16 kHz for Opus). Decimation averages the input samples of each
//! output sample: a box filter, enough to keep speech clean and aliasing
//! low at 44.1 or 48 kHz in.

#[derive(Debug, Clone)]
pub struct Framer {
    input_rate: u32,
    output_rate: u32,
    /// Samples in one 20 ms frame out.
    frame_samples: usize,
    /// Output clock against input clock: an output sample is due each time
    /// it passes `input_rate`.
    phase: u32,
    sum: f32,
    count: u32,
    frame: Vec<i16>,
}

impl Framer {
    /// `input_rate` is the capture rate in Hz, `output_rate` the codec's
    /// (at most the capture rate: this only decimates).
    pub fn new(input_rate: u32, output_rate: u32) -> Self {
        let output_rate = output_rate.max(50);
        let frame_samples = (output_rate / 50) as usize;
        Self {
            input_rate: input_rate.max(output_rate),
            output_rate,
            frame_samples,
            phase: 0,
            sum: 0.0,
            count: 0,
            frame: Vec::with_capacity(frame_samples),
        }
    }

    /// Feeds captured samples (-1.0..1.0); returns the frames they complete.
    pub fn push(&mut self, samples: &[f32]) -> Vec<Vec<i16>> {
        let mut done = Vec::new();
        for &x in samples {
            self.sum += if x.is_finite() { x } else { 0.0 };
            self.count += 1;
            self.phase += self.output_rate;
            if self.phase >= self.input_rate {
                self.phase -= self.input_rate;
                let mean = self.sum / self.count as f32;
                self.sum = 0.0;
                self.count = 0;
                self.frame.push((mean.clamp(-1.0, 1.0) * 32_767.0) as i16);
                if self.frame.len() == self.frame_samples {
                    done.push(std::mem::replace(
                        &mut self.frame,
                        Vec::with_capacity(self.frame_samples),
                    ));
                }
            }
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::rms;

    fn sine(rate: u32, hz: f32, n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| 0.5 * (2.0 * std::f32::consts::PI * hz * i as f32 / rate as f32).sin())
            .collect()
    }

    #[test]
    fn one_second_in_is_fifty_frames_out_at_any_rate() {
        for (rate, out) in [
            (8_000, 8_000),
            (16_000, 8_000),
            (44_100, 8_000),
            (48_000, 8_000),
            (16_000, 16_000),
            (44_100, 16_000),
            (48_000, 16_000),
        ] {
            let mut f = Framer::new(rate, out);
            // In blocks of 128, as an AudioWorklet delivers them.
            let frames: Vec<_> = sine(rate, 440.0, rate as usize)
                .chunks(128)
                .flat_map(|b| f.push(b))
                .collect();
            assert_eq!(frames.len(), 50, "{rate} Hz");
            assert!(frames.iter().all(|fr| fr.len() == out as usize / 50));
            // A 440 Hz tone of amplitude 0.5 keeps its level (RMS 0.354).
            let level = rms(&frames[10]);
            assert!((level - 0.354).abs() < 0.02, "{rate} Hz: {level}");
        }
    }

    #[test]
    fn out_of_range_and_invalid_samples_are_tamed() {
        let mut f = Framer::new(8_000, 8_000);
        let mut input = vec![2.0; 80];
        input.extend([f32::NAN; 80]);
        let frames = f.push(&input);
        assert_eq!(frames[0][0], 32_767);
        assert_eq!(frames[0][159], 0);
    }
}
