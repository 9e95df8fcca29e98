//! Serde helpers for fields whose type the vendor documents do not keep
//! straight: a number in one place is a numeric string in another, `true`
//! arrives as `"true"` or `'true'`. Each helper accepts every spelling seen in
//! the documents and rejects anything else with a clear error. [`ListOf`]
//! keeps one bad element of a list from costing the whole message.

use crate::DecodeError;
use serde::de::{self, DeserializeOwned, Deserializer, Unexpected};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// A list from a server, decoded element by element: an element that does
/// not decode is left out and described in `skipped`, so a message with
/// one odd participant still delivers the others. The machine journals each
/// `skipped` line. Reads like a slice of the decoded items; serializes as
/// the plain list of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOf<T> {
    pub items: Vec<T>,
    /// One line per element left out: its index in the list and why.
    pub skipped: Vec<String>,
}

impl<T> ListOf<T> {
    /// Decodes each of `values` with `decode`, keeping what decodes.
    pub fn decode_each(
        values: &[Value],
        decode: impl FnMut(&Value) -> Result<T, DecodeError>,
    ) -> Self {
        Self::kept(values.iter().map(decode))
    }

    /// What decoded, in order, and a line for each element that did not.
    fn kept(decoded: impl Iterator<Item = Result<T, DecodeError>>) -> Self {
        let mut list = Self::default();
        for (i, item) in decoded.enumerate() {
            match item {
                Ok(item) => list.items.push(item),
                Err(e) => list.skipped.push(format!("element {i} skipped: {e}")),
            }
        }
        list
    }
}

impl<T> ListOf<T> {
    /// The list that is the JSON `text`, each element cut out as text
    /// ([`crate::json_parts`]) and decoded from it by `decode`: no tree is
    /// built for the list (a roster of a thousand comes this way; see
    /// [`crate::fields`] for the usual path). Anything but a list is an
    /// error, and so is text that is not JSON.
    pub fn from_text(
        text: &str,
        decode: fn(&str) -> Result<T, DecodeError>,
    ) -> Result<Self, DecodeError> {
        let elements = crate::json_parts::elements(text)?;
        Ok(Self::kept(elements.into_iter().map(decode)))
    }
}

impl<T> Default for ListOf<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

impl<T> From<Vec<T>> for ListOf<T> {
    fn from(items: Vec<T>) -> Self {
        Self {
            items,
            skipped: Vec::new(),
        }
    }
}

impl<T> FromIterator<T> for ListOf<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Vec::from_iter(iter).into()
    }
}

impl<T> std::ops::Deref for ListOf<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<T> IntoIterator for ListOf<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<T: Serialize> Serialize for ListOf<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(s)
    }
}

/// Anything but a list is still an error: only elements are forgiven.
impl<'de, T: DeserializeOwned> Deserialize<'de> for ListOf<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let values = Vec::<Value>::deserialize(d)?;
        Ok(Self::decode_each(&values, |v| {
            T::deserialize(v).map_err(|e| DecodeError::new(e.to_string()))
        }))
    }
}

/// An integer sent as a JSON number or as a numeric string.
pub fn u64_any<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    value_to_u64(&v)
        .ok_or_else(|| de::Error::invalid_type(unexpected(&v), &"an integer or numeric string"))
}

/// Like [`u64_any`] for an optional field (use with `#[serde(default)]`).
pub fn opt_u64_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    // `null` is a `Value` too: no `Option<Value>` decoder is compiled for
    // each source besides the `Value` one.
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => value_to_u64(&v).map(Some).ok_or_else(|| {
            de::Error::invalid_type(unexpected(&v), &"an integer or numeric string")
        }),
    }
}

/// A count of seconds (a lifetime, a UNIX time) sent as an integer, a
/// fraction (`1700484383.846972`) or a numeric string of either, read
/// saturating: the fraction is cut, negative and NaN give 0, and anything
/// beyond `u64` gives `u64::MAX`. Callers that schedule by it clamp it (see
/// [`crate::clamp`]). Only text that is no number at all is an error.
pub fn seconds_any<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let v = Value::deserialize(d)?;
    value_to_seconds(&v)
        .ok_or_else(|| de::Error::invalid_type(unexpected(&v), &"a number of seconds"))
}

/// Like [`seconds_any`] for a time of a record that is useful without it
/// (a participant's `start_time`): `None` when missing or no number.
pub fn opt_seconds_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(value_to_seconds(&Value::deserialize(d)?))
}

/// A boolean sent as `true`, `"true"`, `'true'` (after quote repair), `"yes"`/`"no"`, or 0/1.
pub fn bool_any<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v = Value::deserialize(d)?;
    value_to_bool(&v)
        .ok_or_else(|| de::Error::invalid_type(unexpected(&v), &"a boolean or \"true\"/\"false\""))
}

/// Like [`bool_any`] for an optional field (use with `#[serde(default)]`).
pub fn opt_bool_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => value_to_bool(&v).map(Some).ok_or_else(|| {
            de::Error::invalid_type(unexpected(&v), &"a boolean or \"true\"/\"false\"")
        }),
    }
}

/// A flag of a record that is useful without it (a participant's `is_muted`,
/// ...): the spellings of [`bool_any`], and `None` for anything else (`""`,
/// `"UNKNOWN"`), so an odd flag costs that flag, not the record.
pub fn opt_bool_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(value_to_bool(&Value::deserialize(d)?))
}

/// A text field of a record that is useful without it: a string, a number
/// or a boolean as text, `None` for anything else (`null`, an object).
pub fn opt_string_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(value_into_string(Value::deserialize(d)?))
}

/// A text field that some servers send as a number (`"starttime": 1581124302`).
pub fn string_any<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let v = Value::deserialize(d)?;
    value_to_string(&v)
        .ok_or_else(|| de::Error::invalid_type(unexpected(&v), &"a string or number"))
}

/// Like [`string_any`] for an optional field (use with `#[serde(default)]`).
pub fn opt_string_any<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => value_to_string(&v)
            .map(Some)
            .ok_or_else(|| de::Error::invalid_type(unexpected(&v), &"a string or number")),
    }
}

/// The other direction, for producing replies as the documents print them:
/// a number or boolean written as a string (`"expires": "120"`, `"isbleg": "true"`).
pub fn as_string<T: std::fmt::Display, S: serde::Serializer>(
    v: &T,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

pub fn value_to_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn value_to_seconds(v: &Value) -> Option<u64> {
    // `as` from f64 is the saturating conversion wanted here: it truncates,
    // maps NaN and negatives to 0 and caps at u64::MAX.
    match v {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f as u64)),
        Value::String(s) => {
            let s = s.trim();
            match scaled_decimal(s, 0) {
                Some((negative, whole)) => Some(if negative { 0 } else { whole }),
                // The words `f64` reads: NaN is 0, infinity saturates.
                None => {
                    let (negative, word) = match s.strip_prefix('-') {
                        Some(rest) => (true, rest),
                        None => (false, s.strip_prefix('+').unwrap_or(s)),
                    };
                    let infinite = ["inf", "infinity"]
                        .iter()
                        .any(|w| word.eq_ignore_ascii_case(w));
                    if word.eq_ignore_ascii_case("nan") || (infinite && negative) {
                        Some(0)
                    } else {
                        infinite.then_some(u64::MAX)
                    }
                }
            }
        }
        _ => None,
    }
}

/// A decimal number written as text (`12`, `+0.5`, `-5.5`, `.5`, `1.7e9`)
/// times 10^`scale`, truncated toward zero and saturated at `u64::MAX`,
/// with its sign apart: `(negative, magnitude)`. `None` when `text` is not
/// such a number. Exact, where `f64` would round; and written here rather
/// than read through `f64::from_str`, whose tables cost the wasm 16 KB.
pub fn scaled_decimal(text: &str, scale: i32) -> Option<(bool, u64)> {
    let (negative, rest) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    let (mantissa, exponent) = match rest.iter().position(|b| matches!(b, b'e' | b'E')) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let (whole, fraction) = match mantissa.iter().position(|&b| b == b'.') {
        Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
        None => (mantissa, &mantissa[..0]),
    };
    let all_digits = |d: &[u8]| d.iter().all(u8::is_ascii_digit);
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    // The exponent, capped far beyond any u64 so the sums below cannot overflow.
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => {
            let (sign, digits) = match e {
                [b'-', d @ ..] => (-1, d),
                [b'+', d @ ..] => (1, d),
                d => (1, d),
            };
            if digits.is_empty() || !all_digits(digits) {
                return None;
            }
            sign * digits
                .iter()
                .fold(0i64, |n, d| (n * 10 + i64::from(d - b'0')).min(1_000_000))
        }
    };
    // value = digits × 10^shift, where digits are the whole and fraction
    // parts written together.
    let shift = exponent + i64::from(scale) - fraction.len() as i64;
    let kept = (whole.len() + fraction.len()) as i64 + shift.min(0);
    let value = whole
        .iter()
        .chain(fraction)
        .take(kept.max(0) as usize)
        .try_fold(0u64, |v, d| {
            v.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
        .and_then(|v| match v {
            0 => Some(0),
            // Overflows within 20 steps, however large the shift.
            v => (0..shift.max(0)).try_fold(v, |v, _| v.checked_mul(10)),
        })
        .unwrap_or(u64::MAX);
    Some((negative, value))
}

pub fn value_to_i64(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn value_to_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().trim_matches('\'').to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        Value::Number(n) => match n.as_u64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `v` as compact JSON text, as its `to_string` writes it, through the
/// serializer the console uses anyway: `Value`'s `Display` brings a pretty
/// printer of its own into the wasm.
pub fn json_text(v: &Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// [`value_to_string`], the string itself when it is one (not a copy).
pub fn value_into_string(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        v => value_to_string(&v),
    }
}

pub fn value_to_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(_) => Unexpected::Other("number"),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct B {
        #[serde(deserialize_with = "bool_any")]
        b: bool,
    }

    #[test]
    fn bools_in_every_spelling() {
        for (s, want) in [
            (r#"true"#, true),
            (r#""true""#, true),
            (r#""'true'""#, true),
            (r#""false""#, false),
            (r#""no""#, false),
        ] {
            let b: B = serde_json::from_str(&format!(r#"{{"b":{s}}}"#)).unwrap();
            assert_eq!(b.b, want, "{s}");
        }
        assert!(serde_json::from_str::<B>(r#"{"b":"maybe"}"#).is_err());
    }

    #[derive(Deserialize)]
    struct N {
        #[serde(deserialize_with = "u64_any")]
        n: u64,
    }

    #[derive(Deserialize)]
    struct S {
        #[serde(deserialize_with = "seconds_any")]
        s: u64,
    }

    #[test]
    fn seconds_in_any_spelling_saturate() {
        for (text, want) in [
            (r#"120"#, 120),
            (r#""120""#, 120),
            (r#"" 120 ""#, 120),
            (r#"1700484383.846972"#, 1_700_484_383),
            (r#""1700484383.846972""#, 1_700_484_383),
            (r#""0""#, 0),
            (r#"-5"#, 0),
            (r#""-5.5""#, 0),
            (r#""NaN""#, 0),
            (r#""99999999999999999999""#, u64::MAX),
            (r#"99999999999999999999"#, u64::MAX),
            (r#"1e300"#, u64::MAX),
            (r#""inf""#, u64::MAX),
        ] {
            let got = serde_json::from_str::<S>(&format!(r#"{{"s":{text}}}"#));
            assert_eq!(got.map(|s| s.s).ok(), Some(want), "{text}");
        }
        for bad in [r#""soon""#, r#""""#, "true", "null", "[]"] {
            assert!(
                serde_json::from_str::<S>(&format!(r#"{{"s":{bad}}}"#)).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn decimals_scale_truncate_and_saturate_exactly() {
        for (text, scale, want) in [
            ("12", 0, Some((false, 12))),
            ("+0.5", 3, Some((false, 500))),
            ("-5.5", 0, Some((true, 5))),
            (".5", 1, Some((false, 5))),
            ("5.", 0, Some((false, 5))),
            ("1.7e9", 0, Some((false, 1_700_000_000))),
            ("1.2345E+2", 1, Some((false, 1234))),
            ("2500e-3", 0, Some((false, 2))),
            ("0.0001", 3, Some((false, 0))),
            ("9007199254740993", 0, Some((false, 9_007_199_254_740_993))),
            ("18446744073709551615", 0, Some((false, u64::MAX))),
            ("18446744073709551616", 0, Some((false, u64::MAX))),
            ("0e999999999999", 0, Some((false, 0))),
            ("1e99999999999999999999", 0, Some((false, u64::MAX))),
            ("1e-99999999999999999999", 0, Some((false, 0))),
            ("0.000", -2, Some((false, 0))),
        ] {
            assert_eq!(scaled_decimal(text, scale), want, "{text} ×10^{scale}");
        }
        for bad in [
            "", ".", "-", "1e", "1e+", "e5", "1.2.3", "1,5", " 1", "0x10", "inf", "1_000",
        ] {
            assert_eq!(scaled_decimal(bad, 0), None, "{bad:?}");
        }
    }

    #[test]
    fn a_bad_element_is_skipped_and_reported() {
        let list: ListOf<N> =
            serde_json::from_str(r#"[{"n":1},{"n":"x"},{"m":2},{"n":"4"}]"#).unwrap();
        assert_eq!(list.iter().map(|n| n.n).collect::<Vec<_>>(), [1, 4]);
        assert_eq!(list.skipped.len(), 2);
        assert!(
            list.skipped[0].starts_with("element 1 skipped: "),
            "{:?}",
            list.skipped
        );
        assert!(list.skipped[1].contains("element 2") && list.skipped[1].contains("`n`"));
        assert!(serde_json::from_str::<ListOf<N>>(r#"{"n":1}"#).is_err());
        let empty: ListOf<N> = serde_json::from_str("[]").unwrap();
        assert!(empty.is_empty() && empty.skipped.is_empty());
    }

    #[test]
    fn a_list_read_from_its_text_skips_what_the_tree_skips() {
        let text = r#"[{"n":1},{"n":"x"},{"m":2},{"n":"4"},{"n":" 5 "}]"#;
        let from_text = |text| {
            ListOf::<N>::from_text(text, |e| serde_json::from_str(e).map_err(DecodeError::from))
        };
        let fast = from_text(text).unwrap();
        let slow: ListOf<N> = serde_json::from_value(serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(fast.iter().map(|n| n.n).collect::<Vec<_>>(), [1, 4, 5]);
        assert_eq!(
            fast.iter().map(|n| n.n).collect::<Vec<_>>(),
            slow.iter().map(|n| n.n).collect::<Vec<_>>()
        );
        assert_eq!(fast.skipped.len(), 2);
        assert!(fast.skipped[0].starts_with("element 1 skipped: "));
        assert!(
            fast.skipped[1].starts_with("element 2 skipped: ") && fast.skipped[1].contains("`n`")
        );
        for bad in [r#"{"n":1}"#, "[{\"n\":1}", "null", ""] {
            assert!(from_text(bad).is_err(), "{bad}");
        }
        assert!(from_text(" [] ").unwrap().is_empty());
    }

    #[test]
    fn numbers_or_numeric_strings() {
        assert_eq!(serde_json::from_str::<N>(r#"{"n":"120"}"#).unwrap().n, 120);
        assert_eq!(serde_json::from_str::<N>(r#"{"n":120}"#).unwrap().n, 120);
        assert!(serde_json::from_str::<N>(r#"{"n":"soon"}"#).is_err());
    }

    #[test]
    fn json_text_is_the_compact_text_display_writes() {
        let v = serde_json::json!({"b": [1, 2.5, null], "a": "调度\"\n", "c": {"d": false}});
        assert_eq!(json_text(&v), v.to_string());
        assert_eq!(
            json_text(&v),
            r#"{"a":"调度\"\n","b":[1,2.5,null],"c":{"d":false}}"#
        );
    }
}
