//! Reconnect back-off shared by every machine that keeps a connection open.

/// Doubling delays from `first_ms`, capped at `max_ms`: 1 s, 2 s, 4 s, … 30 s.
/// No jitter: one console talks to each back end, so there is no herd to spread.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_then_caps() {
        let b = Backoff::default();
        let delays: Vec<u64> = (1..=7).map(|a| b.delay_ms(a)).collect();
        assert_eq!(delays, [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
        assert_eq!(b.delay_ms(u32::MAX), 30_000);
    }
}
