//! Durations a server dictates, made safe to schedule by.

/// The shortest lifetime taken from a server. A token said to live 0 s (or
/// any tiny or nonsensical time) would have the machine refresh again the
/// moment each reply arrives, a hot loop against the server. 2 s keeps a
/// genuinely short token working (refreshed every 1.3 s) and bounds the rate.
pub const MIN_SERVER_DURATION_MS: u64 = 2_000;

/// The longest lifetime taken from a server: a day, far beyond the 120 s the
/// meeting document uses. Huge values (`"99999999999999999999"` seconds)
/// would overflow `now + ms`: a panic in a debug build, and in a release
/// build a wrap to an expiry in the past, the same hot loop as 0. With this
/// cap `now + ms` stays far from `u64::MAX` for any clock.
pub const MAX_SERVER_DURATION_MS: u64 = 24 * 60 * 60 * 1_000;

/// A duration in whole seconds from a server (e.g. the meeting token's
/// `expires`, decoded by [`crate::lenient::seconds_any`], which already
/// turned negative and NaN into 0, cut fractions and capped what is beyond
/// `u64`) as milliseconds within
/// [[`MIN_SERVER_DURATION_MS`], [`MAX_SERVER_DURATION_MS`]].
pub fn server_seconds_to_ms(seconds: u64) -> u64 {
    seconds
        .saturating_mul(1_000)
        .clamp(MIN_SERVER_DURATION_MS, MAX_SERVER_DURATION_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_lifetimes_pass_unchanged() {
        assert_eq!(server_seconds_to_ms(120), 120_000);
        assert_eq!(server_seconds_to_ms(3), 3_000, "short but real");
        assert_eq!(server_seconds_to_ms(86_400), 86_400_000);
    }

    #[test]
    fn zero_and_tiny_lifetimes_are_raised() {
        assert_eq!(server_seconds_to_ms(0), MIN_SERVER_DURATION_MS);
        assert_eq!(server_seconds_to_ms(1), MIN_SERVER_DURATION_MS);
    }

    #[test]
    fn huge_lifetimes_are_capped_and_leave_room_for_now() {
        for s in [86_401, u64::MAX / 1_000 + 1, u64::MAX] {
            let ms = server_seconds_to_ms(s);
            assert_eq!(ms, MAX_SERVER_DURATION_MS, "{s}");
            // A clock in the year 2500 plus the longest lifetime still fits.
            assert!(16_725_225_600_000u64.checked_add(ms).is_some());
        }
    }
}
