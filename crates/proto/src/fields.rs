//! Hand decoding of the JSON objects servers send: [`Fields`] reads one
//! object's fields with the spellings of [`crate::lenient`]. Decoders written
//! with it replace serde's derived ones on the console's paths, because a
//! derived decoder costs the wasm about three times as much (each is a
//! visitor matching every field name, instantiated per type), and the
//! console's bundle has a budget. Nothing here is generic, so each reader
//! is compiled once.
//!
//! The rules, as serde's derive had them: a required field that is missing
//! is an error naming it; `null` counts as missing for an optional field
//! only; a field of the wrong type is an error naming the field and what it
//! should be; fields not named are ignored unless [`Fields::only`] is asked.

use crate::lenient::{
    value_to_bool, value_to_i64, value_to_seconds, value_to_string, value_to_u64,
};
use crate::DecodeError;
use serde_json::{Map, Value};

/// One JSON object's fields.
#[derive(Debug, Clone, Copy)]
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
}

/// What the error text calls a JSON value's type.
fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn missing(name: &str) -> DecodeError {
    DecodeError::new(format!("missing field `{name}`"))
}

fn wrong(name: &str, v: &Value, expected: &str) -> DecodeError {
    DecodeError::new(format!(
        "field `{name}`: {} where {expected} belongs",
        kind(v)
    ))
}

/// `words` as `` `a`, `b` ``.
fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'a> Fields<'a> {
    /// `v` as an object; anything else is an error saying what it was.
    pub fn of(v: &'a Value) -> Result<Self, DecodeError> {
        match v {
            Value::Object(map) => Ok(Self { map }),
            v => Err(DecodeError::new(format!(
                "{} where an object belongs",
                kind(v)
            ))),
        }
    }

    /// The field as sent, `null` included; `None` when missing.
    pub fn raw(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name)
    }

    /// The field, `None` when missing or `null`.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// The field, which must be there (`null` is there).
    pub fn need(&self, name: &str) -> Result<&'a Value, DecodeError> {
        self.raw(name).ok_or_else(|| missing(name))
    }

    /// Reads a required field with `read`; `expected` names what it must be.
    fn required<T>(
        &self,
        name: &str,
        expected: &str,
        read: fn(&Value) -> Option<T>,
    ) -> Result<T, DecodeError> {
        let v = self.need(name)?;
        read(v).ok_or_else(|| wrong(name, v, expected))
    }

    /// Reads an optional field with `read`: missing or `null` is `None`.
    fn optional<T>(
        &self,
        name: &str,
        expected: &str,
        read: fn(&Value) -> Option<T>,
    ) -> Result<Option<T>, DecodeError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => read(v).map(Some).ok_or_else(|| wrong(name, v, expected)),
        }
    }

    /// A JSON string.
    pub fn str(&self, name: &str) -> Result<String, DecodeError> {
        self.required(name, "a string", |v| v.as_str().map(str::to_owned))
    }

    /// A JSON string, or `None` when missing or `null`.
    pub fn opt_str(&self, name: &str) -> Result<Option<String>, DecodeError> {
        self.optional(name, "a string", |v| v.as_str().map(str::to_owned))
    }

    /// A JSON string, or `""` when missing (`#[serde(default)]`).
    pub fn str_or_empty(&self, name: &str) -> Result<String, DecodeError> {
        match self.raw(name) {
            None => Ok(String::new()),
            Some(_) => self.str(name),
        }
    }

    /// A string, or a number or boolean as text ([`crate::lenient::string_any`]).
    pub fn string_any(&self, name: &str) -> Result<String, DecodeError> {
        self.required(name, "a string or number", value_to_string)
    }

    /// Like [`Self::string_any`], `None` when missing or `null`.
    pub fn opt_string_any(&self, name: &str) -> Result<Option<String>, DecodeError> {
        self.optional(name, "a string or number", value_to_string)
    }

    /// A text a record is useful without: `None` for anything but a
    /// string, number or boolean ([`crate::lenient::opt_string_or_none`]).
    pub fn string_or_none(&self, name: &str) -> Option<String> {
        self.get(name).and_then(value_to_string)
    }

    /// An integer as a number or numeric string ([`crate::lenient::u64_any`]).
    pub fn u64_any(&self, name: &str) -> Result<u64, DecodeError> {
        self.required(name, "an integer or numeric string", value_to_u64)
    }

    /// Like [`Self::u64_any`], `None` when missing or `null`.
    pub fn opt_u64_any(&self, name: &str) -> Result<Option<u64>, DecodeError> {
        self.optional(name, "an integer or numeric string", value_to_u64)
    }

    /// A JSON number that is a non-negative integer.
    pub fn u64(&self, name: &str) -> Result<u64, DecodeError> {
        self.required(name, "a non-negative integer", Value::as_u64)
    }

    /// Like [`Self::u64`], `None` when missing or `null`.
    pub fn opt_u64(&self, name: &str) -> Result<Option<u64>, DecodeError> {
        self.optional(name, "a non-negative integer", Value::as_u64)
    }

    /// A signed integer as a number or numeric string ([`crate::lenient::value_to_i64`]).
    pub fn i64_any(&self, name: &str) -> Result<i64, DecodeError> {
        self.required(name, "an integer or numeric string", value_to_i64)
    }

    /// Seconds, read saturating ([`crate::lenient::seconds_any`]).
    pub fn seconds_any(&self, name: &str) -> Result<u64, DecodeError> {
        self.required(name, "a number of seconds", value_to_seconds)
    }

    /// Seconds a record is useful without: `None` when missing or no number
    /// ([`crate::lenient::opt_seconds_or_none`]).
    pub fn seconds_or_none(&self, name: &str) -> Option<u64> {
        self.get(name).and_then(value_to_seconds)
    }

    /// A JSON boolean.
    pub fn bool(&self, name: &str) -> Result<bool, DecodeError> {
        self.required(name, "a boolean", Value::as_bool)
    }

    /// Like [`Self::bool`], `None` when missing or `null`.
    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, DecodeError> {
        self.optional(name, "a boolean", Value::as_bool)
    }

    /// A boolean in any spelling of [`crate::lenient::bool_any`].
    pub fn bool_any(&self, name: &str) -> Result<bool, DecodeError> {
        self.required(name, "a boolean or \"true\"/\"false\"", value_to_bool)
    }

    /// Like [`Self::bool_any`], `None` when missing or `null`.
    pub fn opt_bool_any(&self, name: &str) -> Result<Option<bool>, DecodeError> {
        self.optional(name, "a boolean or \"true\"/\"false\"", value_to_bool)
    }

    /// A flag a record is useful without: `None` for any other spelling
    /// ([`crate::lenient::opt_bool_or_none`]).
    pub fn bool_or_none(&self, name: &str) -> Option<bool> {
        self.get(name).and_then(value_to_bool)
    }

    /// A JSON list, `&[]` when missing or `null`.
    pub fn list_or_empty(&self, name: &str) -> Result<&'a [Value], DecodeError> {
        match self.get(name) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(v) => Err(wrong(name, v, "a list")),
        }
    }

    /// A JSON object field, as fields of its own.
    pub fn object(&self, name: &str) -> Result<Fields<'a>, DecodeError> {
        let v = self.need(name)?;
        Fields::of(v).map_err(|_| wrong(name, v, "an object"))
    }

    /// A field that is one of `words`, as its index there; `None` when
    /// missing or `null` (an enum of names, `#[serde(rename_all)]`).
    pub fn one_of(&self, name: &str, words: &[&str]) -> Result<Option<usize>, DecodeError> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        match v.as_str().and_then(|s| words.iter().position(|w| *w == s)) {
            Some(i) => Ok(Some(i)),
            None => Err(wrong(name, v, &format!("one of {}", quoted(words)))),
        }
    }

    /// Refuses any field not in `known` (`#[serde(deny_unknown_fields)]`).
    pub fn only(&self, known: &[&str]) -> Result<(), DecodeError> {
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            None => Ok(()),
            Some(k) => Err(DecodeError::new(format!(
                "unknown field `{k}`, expected one of {}",
                quoted(known)
            ))),
        }
    }

    /// Reads a `#[serde(default)]` field with `read`: the default when
    /// missing, and `null` read (and refused) as serde's derive did.
    fn defaulted<T: Default>(
        &self,
        name: &str,
        read: fn(&Self, &str) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        match self.raw(name) {
            None => Ok(T::default()),
            Some(_) => read(self, name),
        }
    }

    /// Like [`Self::string_any`], `""` when missing.
    pub fn string_any_or_empty(&self, name: &str) -> Result<String, DecodeError> {
        self.defaulted(name, Self::string_any)
    }

    /// Like [`Self::u64_any`], 0 when missing.
    pub fn u64_any_or_zero(&self, name: &str) -> Result<u64, DecodeError> {
        self.defaulted(name, Self::u64_any)
    }

    /// Like [`Self::bool_any`], `false` when missing.
    pub fn bool_any_or_false(&self, name: &str) -> Result<bool, DecodeError> {
        self.defaulted(name, Self::bool_any)
    }

    /// Like [`Self::one_of`] for a field that must be there.
    pub fn need_one_of(&self, name: &str, words: &[&str]) -> Result<usize, DecodeError> {
        let v = self.need(name)?;
        self.one_of(name, words)?
            .ok_or_else(|| wrong(name, v, &format!("one of {}", quoted(words))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn with<T>(v: Value, f: impl FnOnce(Fields) -> T) -> T {
        f(Fields::of(&v).unwrap())
    }

    #[test]
    fn only_objects_have_fields() {
        assert_eq!(
            Fields::of(&json!([1])).unwrap_err().reason,
            "a list where an object belongs"
        );
        assert!(Fields::of(&json!({})).is_ok());
    }

    #[test]
    fn a_missing_required_field_is_named() {
        let e = with(json!({}), |f| f.str("token")).unwrap_err();
        assert_eq!(e.reason, "missing field `token`");
        let e = with(json!({"token": null}), |f| f.str("token")).unwrap_err();
        assert_eq!(e.reason, "field `token`: null where a string belongs");
    }

    #[test]
    fn null_is_missing_for_optional_fields_only() {
        assert_eq!(with(json!({"a": null}), |f| f.opt_str("a")), Ok(None));
        assert_eq!(with(json!({}), |f| f.opt_u64_any("a")), Ok(None));
        assert_eq!(
            with(json!({"a": null}), |f| f.list_or_empty("a").map(<[_]>::len)),
            Ok(0)
        );
        assert!(with(json!({"a": null}), |f| f.str_or_empty("a")).is_err());
        assert_eq!(with(json!({}), |f| f.str_or_empty("a")), Ok(String::new()));
    }

    #[test]
    fn a_wrong_type_names_the_field_and_what_belongs() {
        let e = with(json!({"n": "x"}), |f| f.u64_any("n")).unwrap_err();
        assert_eq!(
            e.reason,
            "field `n`: a string where an integer or numeric string belongs"
        );
        let e = with(json!({"n": 5}), |f| f.str("n")).unwrap_err();
        assert_eq!(e.reason, "field `n`: a number where a string belongs");
        let e = with(json!({"o": 1}), |f| f.object("o").map(|_| ())).unwrap_err();
        assert_eq!(e.reason, "field `o`: a number where an object belongs");
    }

    #[test]
    fn the_lenient_spellings_are_read() {
        let v = json!({"n": "42", "b": "'true'", "s": 7, "t": 1700484383.8, "i": "-3"});
        with(v, |f| {
            assert_eq!(f.u64_any("n"), Ok(42));
            assert_eq!(f.bool_any("b"), Ok(true));
            assert_eq!(f.string_any("s"), Ok("7".to_owned()));
            assert_eq!(f.seconds_any("t"), Ok(1_700_484_383));
            assert_eq!(f.i64_any("i"), Ok(-3));
            assert_eq!(
                f.u64("n").unwrap_err().reason,
                "field `n`: a string where a non-negative integer belongs"
            );
        });
    }

    #[test]
    fn records_keep_going_without_an_odd_field() {
        let v = json!({"muted": "UNKNOWN", "name": {}, "start": "soon"});
        with(v, |f| {
            assert_eq!(f.bool_or_none("muted"), None);
            assert_eq!(f.string_or_none("name"), None);
            assert_eq!(f.seconds_or_none("start"), None);
        });
    }

    #[test]
    fn one_of_gives_the_index_of_the_word() {
        let v = json!({"mode": "plugin", "odd": "Plugin"});
        with(v, |f| {
            assert_eq!(f.one_of("mode", &["browser", "plugin"]), Ok(Some(1)));
            assert_eq!(f.one_of("none", &["browser", "plugin"]), Ok(None));
            assert_eq!(
                f.one_of("odd", &["browser", "plugin"]).unwrap_err().reason,
                "field `odd`: a string where one of `browser`, `plugin` belongs"
            );
        });
    }

    #[test]
    fn only_refuses_an_unknown_field_by_name() {
        let v = json!({"a": 1, "zz": 2});
        let e = with(v, |f| f.only(&["a", "b"])).unwrap_err();
        assert_eq!(e.reason, "unknown field `zz`, expected one of `a`, `b`");
        assert_eq!(with(json!({"a": 1}), |f| f.only(&["a", "b"])), Ok(()));
    }

    #[test]
    fn a_defaulted_lenient_field_is_its_default_when_missing_only() {
        let v = json!({"s": 7, "n": "42", "b": "'true'", "null": null});
        with(v, |f| {
            assert_eq!(f.string_any_or_empty("s"), Ok("7".to_owned()));
            assert_eq!(f.u64_any_or_zero("n"), Ok(42));
            assert_eq!(f.bool_any_or_false("b"), Ok(true));
            assert_eq!(f.string_any_or_empty("none"), Ok(String::new()));
            assert_eq!(f.u64_any_or_zero("none"), Ok(0));
            assert_eq!(f.bool_any_or_false("none"), Ok(false));
            assert_eq!(
                f.u64_any_or_zero("null").unwrap_err().reason,
                "field `null`: null where an integer or numeric string belongs"
            );
            assert!(f.string_any_or_empty("null").is_err());
            assert!(f.bool_any_or_false("null").is_err());
        });
    }

    #[test]
    fn need_one_of_refuses_missing_and_null() {
        let v = json!({"state": "answer", "null": null});
        with(v, |f| {
            assert_eq!(f.need_one_of("state", &["ring", "answer"]), Ok(1));
            assert_eq!(
                f.need_one_of("none", &["ring", "answer"])
                    .unwrap_err()
                    .reason,
                "missing field `none`"
            );
            assert_eq!(
                f.need_one_of("null", &["ring", "answer"])
                    .unwrap_err()
                    .reason,
                "field `null`: null where one of `ring`, `answer` belongs"
            );
        });
    }
}
