//! The push-to-talk directory's pure part: which terminals a search shows,
//! and the dispatcher's saved groups (a name and a list of terminal ids,
//! nothing else: no secret can end up in the browser's storage through them).

use super::wire::TerminalId;
use crate::fields::Fields;
use crate::fold::fold_case;
use crate::DecodeError;
use serde::Serialize;
use serde_json::Value;

/// At most this many groups are kept; saving one more drops the oldest.
pub const MAX_GROUPS: usize = 50;
/// A group's name is cut to this many characters.
pub const MAX_NAME_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedGroup {
    pub name: String,
    pub ids: Vec<TerminalId>,
}

impl SavedGroup {
    /// A group as [`encode`] stored it.
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        let ids = match f.need("ids")? {
            Value::Array(ids) => ids.iter().map(Value::as_u64).collect(),
            _ => None,
        };
        Ok(Self {
            name: f.str("name")?,
            ids: ids
                .ok_or_else(|| DecodeError::new("field `ids`: a list of terminal ids belongs"))?,
        })
    }
}

/// Whether a terminal shows for `query`: every word of it is found in the
/// name (ignoring case) or in the id's digits. An empty query shows all.
pub fn matches(query: &str, id: TerminalId, name: &str) -> bool {
    let name = fold_case(name);
    let id = id.to_string();
    query
        .split_whitespace()
        .map(fold_case)
        .all(|word| name.contains(&word) || id.contains(&word))
}

/// Saves `ids` as `name` (trimmed, cut to [`MAX_NAME_CHARS`]), replacing a
/// group of the same name, newest first. Refused (false) without a name or
/// without a terminal.
pub fn save(groups: &mut Vec<SavedGroup>, name: &str, ids: &[TerminalId]) -> bool {
    let name: String = name.trim().chars().take(MAX_NAME_CHARS).collect();
    let mut unique: Vec<TerminalId> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(id) {
            unique.push(*id);
        }
    }
    if name.is_empty() || unique.is_empty() {
        return false;
    }
    groups.retain(|g| g.name != name);
    groups.insert(0, SavedGroup { name, ids: unique });
    groups.truncate(MAX_GROUPS);
    true
}

pub fn remove(groups: &mut Vec<SavedGroup>, name: &str) {
    groups.retain(|g| g.name != name);
}

/// What localStorage held; anything unreadable counts as no groups, and a
/// group without a name or a terminal is dropped.
pub fn decode(text: &str) -> Vec<SavedGroup> {
    let stored: Vec<SavedGroup> = match serde_json::from_str(text) {
        Ok(Value::Array(groups)) => groups
            .iter()
            .map(SavedGroup::decode)
            .collect::<Result<_, _>>()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut groups = Vec::new();
    for g in stored.iter().rev() {
        save(&mut groups, &g.name, &g.ids);
    }
    groups
}

pub fn encode(groups: &[SavedGroup]) -> String {
    serde_json::to_string(groups).unwrap_or_else(|_| "[]".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_finds_by_name_or_id_in_any_case() {
        assert!(matches("", 169918, "ptcs11"));
        assert!(matches("PTCS", 169918, "ptcs11"));
        assert!(matches("9918", 169918, "ptcs11"));
        assert!(matches("  ptcs 918 ", 169918, "ptcs11"));
        assert!(!matches("ptcs12", 169918, "ptcs11"));
        assert!(!matches("ptcs 919", 169918, "ptcs11"));
        assert!(matches("东区", 7, "东区一号车"));
    }

    #[test]
    fn saving_replaces_a_group_of_the_same_name_newest_first() {
        let mut g = Vec::new();
        assert!(save(&mut g, " 东区 ", &[1, 2, 2, 3]));
        assert!(save(&mut g, "west", &[4]));
        assert_eq!(g[0].name, "west");
        assert_eq!(g[1].ids, vec![1, 2, 3], "duplicates dropped");
        assert!(save(&mut g, "东区", &[5]));
        assert_eq!(g.len(), 2);
        assert_eq!(
            g[0],
            SavedGroup {
                name: "东区".into(),
                ids: vec![5]
            }
        );
        remove(&mut g, "west");
        assert_eq!(g.len(), 1);
    }

    #[test]
    fn a_group_needs_a_name_and_a_terminal_and_the_list_is_bounded() {
        let mut g = Vec::new();
        assert!(!save(&mut g, "  ", &[1]));
        assert!(!save(&mut g, "x", &[]));
        assert!(g.is_empty());
        let long = "长".repeat(100);
        assert!(save(&mut g, &long, &[1]));
        assert_eq!(g[0].name.chars().count(), MAX_NAME_CHARS);
        for i in 0..(MAX_GROUPS as u64 + 5) {
            save(&mut g, &format!("g{i}"), &[i + 1]);
        }
        assert_eq!(g.len(), MAX_GROUPS);
        assert_eq!(g[0].name, format!("g{}", MAX_GROUPS + 4));
    }

    #[test]
    fn stored_groups_come_back_as_saved_and_bad_ones_are_dropped() {
        let mut g = Vec::new();
        save(&mut g, "a", &[1, 2]);
        save(&mut g, "b", &[3]);
        assert_eq!(decode(&encode(&g)), g);
        assert!(decode("not json").is_empty());
        assert!(decode(r#"{"name":"a"}"#).is_empty());
        let mixed = r#"[{"name":"ok","ids":[1]},{"name":"","ids":[2]},{"name":"none","ids":[]}]"#;
        assert_eq!(
            decode(mixed),
            vec![SavedGroup {
                name: "ok".into(),
                ids: vec![1]
            }]
        );
    }

    #[test]
    fn nothing_but_names_and_ids_is_stored() {
        let mut g = Vec::new();
        save(&mut g, "a", &[1]);
        assert_eq!(encode(&g), r#"[{"name":"a","ids":[1]}]"#);
    }
}
