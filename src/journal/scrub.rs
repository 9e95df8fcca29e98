//! Masks secrets in text before the journal (or the crash screen) keeps it.
//! Pure: no browser, no clock, so it is the same everywhere it is used.
//!
//! Two nets, because callers forget: every secret the page knows is masked
//! wherever it appears (as is, percent-encoded, JSON-escaped), and the value
//! of any field named like a credential is masked even when the secret
//! itself was never registered (a token the server just handed out).

/// What a masked value becomes.
pub const MASK: &str = "***";

/// Shorter secrets are not remembered: masking every "12" would make the
/// journal unreadable. Six-digit PINs are kept.
pub const MIN_SECRET_CHARS: usize = 4;

/// Names whose values are credentials, in a query, a form, a JSON object or
/// a header (compared ignoring case). Longer names first, so `access_token`
/// wins over `token`.
const SECRET_NAMES: &[&str] = &[
    "access_token",
    "accesstoken",
    "password",
    "joinpwd",
    "token",
    "pwd",
    "pin",
];

/// The secrets known to this page, with the forms they travel in.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Secrets {
    /// Every form of every secret, longest first so that a secret containing
    /// another is masked whole.
    forms: Vec<String>,
}

impl Secrets {
    /// Remembers `secret`; false when it is too short or already known.
    pub fn add(&mut self, secret: &str) -> bool {
        if secret.trim().chars().count() < MIN_SECRET_CHARS
            || self.forms.iter().any(|f| f == secret)
        {
            return false;
        }
        let json = serde_json::to_string(secret).unwrap_or_default();
        let json = json[1..json.len() - 1].to_owned();
        for form in [secret.to_owned(), proto::url::percent_encode(secret), json] {
            if !self.forms.contains(&form) {
                // Longest first; placed, not sorted (a sort is 3 KB of wasm).
                let at = self.forms.iter().position(|f| f.len() < form.len());
                self.forms.insert(at.unwrap_or(self.forms.len()), form);
            }
        }
        true
    }

    /// `text` with every known secret and every credential field masked.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for form in &self.forms {
            if out.contains(form.as_str()) {
                out = out.replace(form.as_str(), MASK);
            }
        }
        mask_named_values(&out)
    }
}

/// Masks the values of credential fields: `?token=…`, `&pin=…`,
/// `"joinPwd": "…"` (also inside an escaped JSON string), `token: …` headers.
pub fn mask_named_values(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some((start, end)) = value_at(bytes, i) {
            out.push_str(&text[copied..start]);
            out.push_str(MASK);
            copied = end;
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// If a credential name starts at `i`, the byte range of its value.
fn value_at(bytes: &[u8], i: usize) -> Option<(usize, usize)> {
    if i > 0 && is_word(bytes[i - 1]) {
        return None;
    }
    let name = SECRET_NAMES.iter().find(|n| {
        bytes.len() >= i + n.len() && bytes[i..i + n.len()].eq_ignore_ascii_case(n.as_bytes())
    })?;
    let mut j = i + name.len();
    if j < bytes.len() && is_word(bytes[j]) {
        return None;
    }
    // A JSON key: `"name"`, or `\"name\"` inside an escaped JSON string.
    let escaped_key = i >= 2 && &bytes[i - 2..i] == b"\\\"";
    let quoted_key = i >= 1 && bytes[i - 1] == b'"';
    if escaped_key && bytes[j..].starts_with(b"\\\"") {
        j += 2;
    } else if quoted_key && bytes.get(j) == Some(&b'"') {
        j += 1;
    }
    let quoted_key = quoted_key && j > i + name.len();
    j = skip_blanks(bytes, j);
    match bytes.get(j) {
        Some(b'=') => {
            let start = j + 1;
            let end = until(bytes, start, b"&#\"'<>,;) \t\r\n");
            (end > start).then_some((start, end))
        }
        Some(b':') => {
            let start = skip_blanks(bytes, j + 1);
            if bytes[start..].starts_with(b"\\\"") {
                let end = find(bytes, start + 2, b"\\\"");
                (end > start + 2).then_some((start + 2, end))
            } else if bytes.get(start) == Some(&b'"') {
                let end = json_string_end(bytes, start + 1);
                (end > start + 1).then_some((start + 1, end))
            } else if quoted_key {
                let end = until(bytes, start, b",}] \t\r\n");
                (end > start).then_some((start, end))
            } else {
                // A header: the value runs to the end of the line (tokens
                // may contain spaces).
                let end = until(bytes, start, b"\r\n\",;}]");
                (end > start).then_some((start, end))
            }
        }
        _ => None,
    }
}

fn skip_blanks(bytes: &[u8], mut j: usize) -> usize {
    while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
        j += 1;
    }
    j
}

/// The first index from `start` holding one of `stops` (or the end).
fn until(bytes: &[u8], start: usize, stops: &[u8]) -> usize {
    (start..bytes.len())
        .find(|&k| stops.contains(&bytes[k]))
        .unwrap_or(bytes.len())
}

/// The index of `needle` from `start` (or the end).
fn find(bytes: &[u8], start: usize, needle: &[u8]) -> usize {
    (start..bytes.len())
        .find(|&k| bytes[k..].starts_with(needle))
        .unwrap_or(bytes.len())
}

/// The index of the quote closing a JSON string whose content starts at
/// `start` (or the end, when the text was cut).
fn json_string_end(bytes: &[u8], start: usize) -> usize {
    let mut k = start;
    while k < bytes.len() {
        match bytes[k] {
            b'\\' => k += 2,
            b'"' => return k,
            _ => k += 1,
        }
    }
    bytes.len()
}
