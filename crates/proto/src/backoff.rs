//! Reconnect back-off shared by every machine that keeps a connection open.

/// Doubling delays from `first_ms`, capped at `max_ms`: 1 s, 2 s, 4 s, … 30 s.
/// Reconnects take [`Backoff::jittered_ms`]: after a back end restarts, every
/// console of a site would otherwise come back in the same millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub first_ms: u64,
    pub max_ms: u64,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            first_ms: 1_000,
            max_ms: 30_000,
        }
    }
}

impl Backoff {
    /// The delay before retry number `attempt` (1 for the first retry).
    pub fn delay_ms(&self, attempt: u32) -> u64 {
        let doublings = attempt.saturating_sub(1).min(20);
        self.first_ms
            .saturating_mul(1 << doublings)
            .min(self.max_ms)
    }
}

impl Backoff {
    /// [`Backoff::delay_ms`] less up to a quarter, picked from `entropy` (the
    /// time: machines read no random source, and stay reproducible in tests).
    pub fn jittered_ms(&self, attempt: u32, entropy: u64) -> u64 {
        let delay = self.delay_ms(attempt);
        // splitmix64: spreads neighbouring times over the whole range.
        let mut z = entropy
            .wrapping_add(u64::from(attempt))
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        delay - z % (delay / 4 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_takes_at_most_a_quarter_and_spreads() {
        let b = Backoff::default();
        let delays: Vec<u64> = (0..100).map(|t| b.jittered_ms(3, t)).collect();
        assert!(delays.iter().all(|d| (3_000..=4_000).contains(d)));
        let distinct: std::collections::HashSet<_> = delays.iter().collect();
        assert!(distinct.len() > 50, "neighbouring times spread");
        assert_eq!(b.jittered_ms(3, 7), b.jittered_ms(3, 7), "reproducible");
    }

    #[test]
    fn doubles_then_caps() {
        let b = Backoff::default();
        let delays: Vec<u64> = (1..=7).map(|a| b.delay_ms(a)).collect();
        assert_eq!(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
        assert_eq!(b.delay_ms(u32::MAX), 30_000);
    }
}
