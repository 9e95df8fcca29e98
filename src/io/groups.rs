//! The dispatcher's saved push-to-talk groups, kept in localStorage: a
//! name and terminal ids each, nothing secret (`proto::voice::groups`).

use super::storage;
use crate::reactive::{ReadSignal, RwSignal};
use proto::voice::groups::{self, SavedGroup};
use proto::voice::TerminalId;

const KEY: &str = "dispatch-desk.ptt-groups";

#[derive(Clone, Copy)]
pub struct SavedGroups {
    groups: RwSignal<Vec<SavedGroup>>,
}

impl SavedGroups {
    /// The groups saved by earlier pages of this browser.
    pub fn load() -> Self {
        let stored = storage::read(KEY)
            .map(|text| groups::decode(&text))
            .unwrap_or_default();
        Self {
            groups: RwSignal::new(stored),
        }
    }

    /// Newest first.
    pub fn list(&self) -> ReadSignal<Vec<SavedGroup>> {
        self.groups.read_only()
    }

    /// Saves (or replaces) the group `name`; false without a name or a terminal.
    pub fn save(&self, name: &str, ids: &[TerminalId]) -> bool {
        let mut all = self.groups.get_untracked();
        let saved = groups::save(&mut all, name, ids);
        if saved {
            self.update(|stored| *stored = all);
        }
        saved
    }

    pub fn remove(&self, name: &str) {
        self.update(|all| groups::remove(all, name));
    }

    fn update(&self, change: impl FnOnce(&mut Vec<SavedGroup>)) {
        self.groups.try_update(change);
        let text = self.groups.with_untracked(|all| groups::encode(all));
        storage::write(KEY, &text);
    }
}
