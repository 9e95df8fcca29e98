//! URL pieces and header values the REST back ends need. Everything a server
//! or a dispatcher typed that ends up in a request line or a header goes
//! through here, so no value can change where a request goes or what it says.

use std::fmt;

/// Percent-encodes everything but the unreserved characters of RFC 3986
/// (like JavaScript's `encodeURIComponent`), for a query value. For a path
/// segment use [`path_segment`]. Tokens contain `/`, `+`, `%` and even
/// spaces; conference aliases contain `@`.
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

/// One path segment built from an id (conference alias, participant uuid,
/// callSid, ...): [`percent_encode`]d, so `/`, `\`, `?` and `#` stay inside
/// the segment, and never a dot segment, so `.` and `..` cannot move the
/// request to another path.
///
/// `%2E` is not enough for the dots: the URL parser of browsers (and so of
/// `fetch`) treats `%2E`, `.%2E`, `%2E%2E` case-insensitively exactly like
/// `.` and `..` (URL Standard, "single-dot" and "double-dot URL path
/// segment"). No spelling of a lone dot segment survives that parser, so
/// the dots go out with their `%` encoded as well (`%252E`): the server
/// reads the id `%2E`, finds no such thing and answers under the intended
/// path. `...` and longer are ordinary segments and go out as they are.
pub fn path_segment(s: &str) -> String {
    match s {
        "." => "%252E".to_owned(),
        ".." => "%252E%252E".to_owned(),
        _ => percent_encode(s),
    }
}

/// A header value the browser can send as given: `fetch` throws on a value
/// that is not Latin-1 (a character above U+00FF) and on CR, LF or NUL,
/// which would also split a header on a less careful stack. The value itself
/// (a token or a pin) is secret, so the error names only where and what.
pub fn header_value(s: &str) -> Result<&str, HeaderError> {
    for (i, c) in s.chars().enumerate() {
        let at = i + 1;
        if matches!(c, '\r' | '\n' | '\0') {
            return Err(HeaderError::LineBreakOrNul { at });
        }
        if u32::from(c) > 0xFF {
            return Err(HeaderError::NotLatin1 { at });
        }
    }
    Ok(s)
}

/// Why a value cannot be sent as a header; `at` counts characters from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderError {
    NotLatin1 { at: usize },
    LineBreakOrNul { at: usize },
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotLatin1 { at } => write!(
                f,
                "character {at} of the header value is not Latin-1, which a header cannot carry"
            ),
            Self::LineBreakOrNul { at } => write!(
                f,
                "character {at} of the header value is a line break or NUL, which a header cannot carry"
            ),
        }
    }
}

impl std::error::Error for HeaderError {}

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

    #[test]
    fn path_segments_are_never_dot_segments() {
        assert_eq!(path_segment("."), "%252E");
        assert_eq!(path_segment(".."), "%252E%252E");
        assert_eq!(path_segment("..."), "...");
        assert_eq!(path_segment("a/b"), "a%2Fb");
        assert_eq!(path_segment("%2F"), "%252F");
        assert_eq!(path_segment("%2E%2E"), "%252E%252E");
        assert_eq!(path_segment("a\\b?c#d"), "a%5Cb%3Fc%23d");
        assert_eq!(path_segment("1.2"), "1.2");
    }

    #[test]
    fn latin1_header_values_pass_unchanged() {
        assert_eq!(header_value("ab+c/d= e"), Ok("ab+c/d= e"));
        assert_eq!(header_value("café ÿ"), Ok("café ÿ"));
        assert_eq!(header_value(""), Ok(""));
    }

    #[test]
    fn other_header_values_are_refused_without_showing_them() {
        assert_eq!(header_value("12调4"), Err(HeaderError::NotLatin1 { at: 3 }));
        assert_eq!(header_value("Ā"), Err(HeaderError::NotLatin1 { at: 1 }));
        for (v, at) in [("ab\r\nX: y", 3), ("ab\n", 3), ("\0", 1)] {
            assert_eq!(header_value(v), Err(HeaderError::LineBreakOrNul { at }));
        }
        let text = header_value("s3cret调").unwrap_err().to_string();
        assert!(text.contains("character 7") && text.contains("Latin-1"));
        assert!(!text.contains("s3cret"));
    }
}
