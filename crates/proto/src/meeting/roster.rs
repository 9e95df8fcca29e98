//! The roster as the dispatcher asks to see it: searched, sorted, and who
//! waits to be let in. Pure functions over [`ConferenceState`], so the
//! panel only renders what they return.

use super::conference::ConferenceState;
use super::{Participant, Role, ServiceType};
use crate::fold::{contains_folded, fold_case};
use std::sync::Arc;

/// The orders the roster offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RosterSort {
    /// By `start_time`, earliest first; then in order of arrival.
    #[default]
    Joined,
    /// By shown name, case-insensitively.
    Name,
    /// Hosts first, then in order of arrival.
    Role,
    /// Speaking now first, then by place on the stage (latest speaker
    /// first), then the rest in order of arrival.
    Stage,
}

impl RosterSort {
    pub const ALL: [Self; 4] = [Self::Joined, Self::Name, Self::Role, Self::Stage];

    /// A stable name (form values, tests).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Joined => "joined",
            Self::Name => "name",
            Self::Role => "role",
            Self::Stage => "stage",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The name the roster shows: display name, else overlay text, else
/// address, else the uuid.
pub fn shown_name(p: &Participant) -> &str {
    [&p.display_name, &p.overlay_text, &p.uri]
        .into_iter()
        .flatten()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .unwrap_or(&p.uuid)
}

/// Whether `p` answers the search `query` (case-insensitive as [`fold_case`] folds, surrounding
/// blanks ignored): its name, overlay text, address, alias or protocol
/// contains it. An empty query matches everyone.
pub fn matches(p: &Participant, query: &str) -> bool {
    let q = fold_case(query.trim());
    q.is_empty() || contains(p, &q)
}

/// Whether a field [`matches`] looks at contains `q`, already lower case.
fn contains(p: &Participant, q: &str) -> bool {
    [
        &p.display_name,
        &p.overlay_text,
        &p.uri,
        &p.local_alias,
        &p.protocol,
    ]
    .into_iter()
    .flatten()
    .any(|s| contains_folded(s, q))
}

/// The participants to show, searched and sorted (shared, not copied).
pub fn order(state: &ConferenceState, query: &str, sort: RosterSort) -> Vec<Arc<Participant>> {
    // Lowered once, not once a participant.
    let q = fold_case(query.trim());
    let mut rows: Vec<&Arc<Participant>> = state
        .participants
        .iter()
        .filter(|p| q.is_empty() || contains(p, &q))
        .collect();
    let key = |p: &Arc<Participant>| match sort {
        RosterSort::Joined => (p.start_time.unwrap_or(u64::MAX), 0),
        RosterSort::Role => (u64::from(p.role != Some(Role::Host)), 0),
        _ => {
            let place = state.stage.iter().position(|u| *u == p.uuid);
            let quiet = u64::from(!state.is_speaking(&p.uuid));
            (quiet, place.unwrap_or(usize::MAX))
        }
    };
    match sort {
        RosterSort::Name => {
            // Stable: equal names stay in the order they joined.
            rows.sort_by_cached_key(|p| fold_case(shown_name(p)));
            rows.into_iter().cloned().collect()
        }
        _ => positions_by_key(rows.iter().map(|p| key(p)))
            .into_iter()
            .map(|i| rows[i].clone())
            .collect(),
    }
}

/// The positions of `keys` in the order of the keys, equal keys in the
/// order given (each key ends with its position, so no stable sort is
/// needed). The numeric orders of the meeting all go through here, so the
/// wasm carries one copy of the sort for them: each sort of another
/// element type is a copy of quicksort of its own.
pub(crate) fn positions_by_key(keys: impl Iterator<Item = (u64, usize)>) -> Vec<usize> {
    let mut keyed: Vec<(u64, usize, usize)> =
        keys.enumerate().map(|(i, (a, b))| (a, b, i)).collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

/// Those in the waiting room of a locked meeting, in order of arrival:
/// what "admit all" lets in.
pub fn waiting(state: &ConferenceState) -> Vec<String> {
    state
        .participants
        .iter()
        .filter(|p| p.service_type == Some(ServiceType::WaitingRoom))
        .map(|p| p.uuid.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(uuid: &str, name: &str, role: Role, start: u64) -> Participant {
        let mut p = Participant::new(uuid);
        p.display_name = Some(name.into());
        p.role = Some(role);
        p.start_time = Some(start);
        p
    }

    /// The uuids [`order`] gives.
    fn uuids(state: &ConferenceState, query: &str, sort: RosterSort) -> Vec<String> {
        order(state, query, sort)
            .iter()
            .map(|p| p.uuid.clone())
            .collect()
    }

    fn state() -> ConferenceState {
        let mut a = p("a", "zed", Role::Guest, 30);
        a.protocol = Some("sip".into());
        a.service_type = Some(ServiceType::WaitingRoom);
        let mut b = p("b", "Alice", Role::Host, 10);
        b.uri = Some("tel:13800138000".into());
        let c = p("c", "bob", Role::Guest, 20);
        let mut d = Participant::new("d");
        d.service_type = Some(ServiceType::WaitingRoom);
        ConferenceState {
            participants: [a, b, c, d].map(Arc::new).to_vec(),
            speaking: vec!["c".into()],
            stage: vec!["b".into(), "c".into()],
            ..Default::default()
        }
    }

    #[test]
    fn each_sort_orders_the_roster() {
        let s = state();
        let by = |k| uuids(&s, "", k);
        assert_eq!(by(RosterSort::Joined), ["b", "c", "a", "d"]);
        // "d" has no name: its uuid stands for it.
        assert_eq!(by(RosterSort::Name), ["b", "c", "d", "a"]);
        assert_eq!(by(RosterSort::Role), ["b", "a", "c", "d"]);
        // Speaking first, then the stage, then arrival.
        assert_eq!(by(RosterSort::Stage), ["c", "b", "a", "d"]);
    }

    #[test]
    fn search_looks_at_name_address_and_protocol_ignoring_case() {
        let s = state();
        assert_eq!(uuids(&s, " ALI ", RosterSort::Joined), ["b"]);
        assert_eq!(uuids(&s, "13800", RosterSort::Joined), ["b"]);
        assert_eq!(uuids(&s, "sip", RosterSort::Joined), ["a"]);
        assert!(uuids(&s, "nobody", RosterSort::Joined).is_empty());
        assert_eq!(uuids(&s, "", RosterSort::Joined).len(), 4);
    }

    #[test]
    fn waiting_lists_the_waiting_room_in_arrival_order() {
        assert_eq!(waiting(&state()), ["a", "d"]);
        assert!(waiting(&ConferenceState::default()).is_empty());
    }

    #[test]
    fn stage_events_give_the_stage_in_index_order_and_leaves_drop_out() {
        use crate::meeting::conference::Conference;
        use crate::meeting::{MeetingEvent, ParticipantDelete, StageEntry};
        let mut c = Conference::default();
        for u in ["a", "b"] {
            c.apply(MeetingEvent::ParticipantCreate(Participant::new(u)));
        }
        let entry = |i, u: &str, vad| StageEntry {
            stage_index: i,
            participant_uuid: u.into(),
            vad,
        };
        c.apply(MeetingEvent::Stage(
            vec![entry(1, "a", 0), entry(0, "b", 100)].into(),
        ));
        assert_eq!(c.state().stage, ["b", "a"]);
        assert_eq!(c.state().speaking, ["b"]);
        assert_eq!(uuids(c.state(), "", RosterSort::Stage), ["b", "a"]);
        c.apply(MeetingEvent::ParticipantDelete(ParticipantDelete {
            uuid: "b".into(),
        }));
        assert_eq!(c.state().stage, ["a"]);
        assert!(c.state().speaking.is_empty());
    }

    #[test]
    fn positions_follow_the_keys_and_equal_keys_keep_their_order() {
        let keys = [(2, 0), (1, 5), (2, 0), (1, 3), (0, usize::MAX), (2, 0)];
        assert_eq!(positions_by_key(keys.into_iter()), [4, 3, 1, 0, 2, 5]);
        assert!(positions_by_key(std::iter::empty()).is_empty());
    }

    #[test]
    fn sort_names_round_trip() {
        for k in RosterSort::ALL {
            assert_eq!(RosterSort::parse(k.as_str()), Some(k));
        }
        assert_eq!(RosterSort::parse("bogus"), None);
    }

    #[test]
    fn the_shown_name_falls_back_to_overlay_address_then_uuid() {
        let mut x = Participant::new("u1");
        assert_eq!(shown_name(&x), "u1");
        x.uri = Some("sip:x@y".into());
        assert_eq!(shown_name(&x), "sip:x@y");
        x.overlay_text = Some("X".into());
        assert_eq!(shown_name(&x), "X");
        x.display_name = Some(" ".into());
        assert_eq!(shown_name(&x), "X");
    }
}
