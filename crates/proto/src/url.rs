//! URL pieces the REST back ends need.

/// Percent-encodes everything but the unreserved characters of RFC 3986
/// (like JavaScript's `encodeURIComponent`), for a query value or a path
/// segment. Tokens contain `/`, `+`, `%` and even spaces; conference aliases
/// contain `@`.
pub fn percent_encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.extend([
                '%',
                char::from(HEX[usize::from(b >> 4)]),
                char::from(HEX[usize::from(b & 15)]),
            ]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_encode_uri_component() {
        assert_eq!(percent_encode("zjvmr@myvmr.cn"), "zjvmr%40myvmr.cn");
        assert_eq!(percent_encode("a/b+c%3D d"), "a%2Fb%2Bc%253D%20d");
        assert_eq!(percent_encode("Az09-._~"), "Az09-._~");
        assert_eq!(percent_encode("调"), "%E8%B0%83");
    }
}
