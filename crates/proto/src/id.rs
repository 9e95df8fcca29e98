//! 64-bit ids of the voice plugin. Its servers are JavaScript: the numeric
//! copy of an id above 2^53 arrives already rounded (`50354528800735230` next
//! to `"50354528800735233"`), so the exact `*Str` string is the id.

use serde_json::{Map, Value};
use std::fmt;

/// The largest integer a JavaScript number holds exactly.
pub const JS_SAFE_MAX: u64 = (1 << 53) - 1;

/// An exact 64-bit id as the decimal string the server sent.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct BigId(String);

impl BigId {
    /// Accepts only a plain decimal string: anything else is not an id.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        (!s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Reads the id from an object that carries it under `<name>Str` (exact)
    /// and `<name>` (a number that may be rounded). Several names may be
    /// tried, since the documents' tables and examples disagree
    /// (`groupId` vs `tempCallId`). The number is used only when the string is
    /// absent and the number is small enough to be exact.
    pub fn from_fields(obj: &Map<String, Value>, names: &[&str]) -> Result<Self, String> {
        for name in names {
            if let Some(v) = obj.get(&format!("{name}Str")) {
                let s = crate::lenient::value_to_string(v).unwrap_or_default();
                return Self::parse(&s).ok_or_else(|| {
                    let v = crate::lenient::json_text(v);
                    format!("{name}Str is not a decimal id: {v}")
                });
            }
        }
        for name in names {
            if let Some(n) = obj.get(*name).and_then(Value::as_u64) {
                if n <= JS_SAFE_MAX {
                    return Ok(Self(n.to_string()));
                }
                return Err(format!("{name} {n} exceeds 2^53 and no {name}Str was sent"));
            }
        }
        Err(format!(
            "missing {}Str",
            names.first().copied().unwrap_or("id")
        ))
    }
}

impl fmt::Display for BigId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn the_string_wins_over_the_rounded_number() {
        let o = obj(json!({"groupId": 50354528800735230u64, "groupIdStr": "50354528800735233"}));
        assert_eq!(
            BigId::from_fields(&o, &["groupId"]).unwrap().as_str(),
            "50354528800735233"
        );
    }

    #[test]
    fn a_small_number_alone_is_exact_enough() {
        let o = obj(json!({"tempCallId": 12345}));
        assert_eq!(
            BigId::from_fields(&o, &["groupId", "tempCallId"])
                .unwrap()
                .as_str(),
            "12345"
        );
    }

    #[test]
    fn a_large_number_alone_is_refused() {
        let o = obj(json!({"groupId": 50354528800735230u64}));
        assert!(BigId::from_fields(&o, &["groupId"]).is_err());
    }

    #[test]
    fn garbage_is_not_an_id() {
        assert!(BigId::parse("12a").is_none());
        assert!(BigId::parse("").is_none());
    }
}
