//! Made-up identifiers: meeting tokens and uuids, callSids, IVR call uuids.
//! They only need to look like the documents' and not repeat, so a small
//! SplitMix64 generator seeded from the clock does (no `rand` dependency).

use std::sync::atomic::{AtomicU64, Ordering};

static STATE: AtomicU64 = AtomicU64::new(0);

/// The next pseudo-random 64 bits. Seeds itself from the clock on first use.
pub fn next_u64() -> u64 {
    const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
    if STATE.load(Ordering::Relaxed) == 0 {
        let seed = crate::clock::unix_millis() ^ 0x5DEE_CE66_D1CE_4E5B;
        let _ = STATE.compare_exchange(0, seed, Ordering::Relaxed, Ordering::Relaxed);
    }
    let mut z = STATE
        .fetch_add(GOLDEN, Ordering::Relaxed)
        .wrapping_add(GOLDEN);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A version-4-looking uuid: `11ecc456-808a-485c-96fc-fcdaded72f3e`.
pub fn uuid() -> String {
    let (a, b) = (next_u64(), next_u64());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 + (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

/// A session token shaped like the document's example: base64 with raw `/`
/// and `+`, and percent-escaped `+` and `=` (`%2B`, `%3D`). Clients must
/// send it back byte for byte, and percent-encode it in a query string.
pub fn token() -> String {
    const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(200);
    for i in 0..24 {
        let mut r = next_u64();
        for _ in 0..6 {
            out.push(char::from(B64[(r & 63) as usize]));
            r >>= 6;
        }
        // Guarantee each awkward character at least once, wherever the dice fall.
        match i {
            3 => out.push('/'),
            9 => out.push_str("%2B"),
            14 => out.push('+'),
            _ => {}
        }
    }
    out.push_str("%3D");
    out
}

/// A 32-digit callSid like `16090510160925480001030600243044`: the time in
/// milliseconds, a fixed node part and a sequence number.
pub fn call_sid(seq: u64) -> String {
    format!(
        "{:013}{:03}{:016}",
        crate::clock::unix_millis() % 10_000_000_000_000,
        103,
        seq % 10_000_000_000_000_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_the_awkward_characters() {
        let t = token();
        assert!(t.contains('/') && t.contains('+') && t.contains('%'), "{t}");
        assert_ne!(t, token());
    }

    #[test]
    fn call_sids_have_32_digits() {
        let s = call_sid(7);
        assert_eq!(s.len(), 32);
        assert!(s.bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn uuids_look_like_uuids() {
        let u = uuid();
        let parts: Vec<usize> = u.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12], "{u}");
    }
}
