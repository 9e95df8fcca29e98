//! JSON text cut into its parts, a list into its elements and an object
//! into its members, each part left as text. A part can then be decoded on
//! its own (one bad element costs that element, see
//! [`crate::lenient::ListOf::from_text`]) and straight from text, with no
//! `serde_json::Value` tree for the whole. Each part's extent is found by
//! serde_json itself (a value read and ignored); only the brackets, commas
//! and colons between parts are read here.

use crate::DecodeError;
use serde::de::IgnoredAny;

/// The elements of the JSON list `text`, each as its text.
pub fn elements(text: &str) -> Result<Vec<&str>, DecodeError> {
    let mut parts = Vec::new();
    cut(text, b'[', b']', |rest| {
        let (value, rest) = value(rest)?;
        parts.push(value);
        Ok(rest)
    })?;
    Ok(parts)
}

/// The members of the JSON object `text`: each key, and its value as text.
pub fn members(text: &str) -> Result<Vec<(String, &str)>, DecodeError> {
    let mut parts = Vec::new();
    cut(text, b'{', b'}', |rest| {
        let (key, rest) = value(rest)?;
        let rest = rest.trim_start().strip_prefix(':').ok_or_else(malformed)?;
        let (value, rest) = value(rest)?;
        parts.push((serde_json::from_str(key)?, value));
        Ok(rest)
    })?;
    Ok(parts)
}

/// Reads `open`, then parts (each taken by `part`, which returns what
/// follows it) separated by commas, then `close` and nothing but blanks.
fn cut<'a>(
    text: &'a str,
    open: u8,
    close: u8,
    mut part: impl FnMut(&'a str) -> Result<&'a str, DecodeError>,
) -> Result<(), DecodeError> {
    let expected = || {
        DecodeError::new(if open == b'[' {
            "not a list"
        } else {
            "not an object"
        })
    };
    let mut rest = text
        .trim_start()
        .strip_prefix(char::from(open))
        .ok_or_else(expected)?
        .trim_start();
    if let Some(after) = rest.strip_prefix(char::from(close)) {
        rest = after;
    } else {
        loop {
            rest = part(rest)?.trim_start();
            if let Some(after) = rest.strip_prefix(',') {
                rest = after;
            } else if let Some(after) = rest.strip_prefix(char::from(close)) {
                rest = after;
                break;
            } else {
                return Err(expected());
            }
        }
    }
    if rest.trim_start().is_empty() {
        Ok(())
    } else {
        Err(malformed())
    }
}

/// The JSON value at the start of `text` (read and ignored, to find where
/// it ends) and what follows it.
fn value(text: &str) -> Result<(&str, &str), DecodeError> {
    let mut stream = serde_json::Deserializer::from_str(text).into_iter::<IgnoredAny>();
    match stream.next() {
        Some(Ok(_)) => text
            .split_at_checked(stream.byte_offset())
            .ok_or_else(malformed),
        Some(Err(e)) => Err(e.into()),
        None => Err(malformed()),
    }
}

/// A colon, comma or bracket missing or out of place, or text after the end.
fn malformed() -> DecodeError {
    DecodeError::new("malformed JSON")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_cut_into_its_elements_as_written() {
        let text = r#" [ {"a":[1,"],"]} , "x,y" ,3,null,[ ],true ] "#;
        let parts: Vec<&str> = elements(text).unwrap().iter().map(|p| p.trim()).collect();
        assert_eq!(
            parts,
            [r#"{"a":[1,"],"]}"#, r#""x,y""#, "3", "null", "[ ]", "true"]
        );
        assert!(elements("[]").unwrap().is_empty());
        assert!(elements(" [ ] ").unwrap().is_empty());
        for bad in [
            "",
            "{}",
            "[",
            "[1",
            "[1,]",
            "[,1]",
            "[1 2]",
            "[1]x",
            "[1]]",
            r#"["a]"#,
            "[tru]",
            "[1.]",
            r#"[{"a":}]"#,
        ] {
            assert!(elements(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn an_object_is_cut_into_its_members_with_keys_decoded() {
        let text = r#"{ "status" : "success", "res\u0075lt":[{"x":"}"}], "n":1 }"#;
        let parts = members(text).unwrap();
        let parts: Vec<(&str, &str)> = parts.iter().map(|(k, v)| (k.as_str(), v.trim())).collect();
        assert_eq!(
            parts,
            [
                ("status", r#""success""#),
                ("result", r#"[{"x":"}"}]"#),
                ("n", "1")
            ]
        );
        assert!(members("{}").unwrap().is_empty());
        for bad in [
            "[]",
            "{",
            r#"{"a"}"#,
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            r#"{a:1}"#,
            r#"{"a":1}}"#,
            r#"{1:2}"#,
        ] {
            assert!(members(bad).is_err(), "{bad:?}");
        }
    }
}
