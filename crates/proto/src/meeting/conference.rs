//! The conference as the event stream describes it: a pure reducer beside
//! the session machine (`machine.rs`), the way `voice/session.rs` sits
//! beside the voice link. It knows nothing of tokens, requests or time.

use super::roster::positions_by_key;
use super::{ChatMessage, Layout, MeetingEvent, Participant, PresentationStart, ServiceStatus};
use std::collections::HashMap;
use std::sync::Arc;

/// Chat messages kept for the panel.
pub const MAX_MESSAGES: usize = 200;

/// The conference as the events describe it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConferenceState {
    /// In order of arrival. Shared, so the view handed out after every
    /// event (a 1000-participant sync is 1000 events) copies pointers, not
    /// participants; a change replaces the one it changes.
    pub participants: Vec<Arc<Participant>>,
    /// Uuids speaking now (stage `vad` above 0).
    pub speaking: Vec<String>,
    /// Uuids on the stage, latest speaker first.
    pub stage: Vec<String>,
    pub locked: bool,
    pub guests_muted: bool,
    pub layout: Option<Layout>,
    pub presentation: Option<PresentationStart>,
    /// presentation_frame events seen since the presentation started.
    pub frames: u64,
    /// Oldest first, at most [`MAX_MESSAGES`].
    pub messages: Vec<ChatMessage>,
}

impl ConferenceState {
    pub fn participant(&self, uuid: &str) -> Option<&Participant> {
        self.participants
            .iter()
            .find(|p| p.uuid == uuid)
            .map(|p| &**p)
    }

    pub fn is_speaking(&self, uuid: &str) -> bool {
        self.speaking.iter().any(|u| u == uuid)
    }

    /// Adds the participant, or updates the one with its uuid: fields the
    /// update leaves out (or sends as `null`) keep their value.
    fn upsert(&mut self, p: Participant) {
        match self.participants.iter_mut().find(|o| o.uuid == p.uuid) {
            Some(old) => *old = updated(old, p),
            None => self.participants.push(Arc::new(p)),
        }
    }

    /// The roster becomes `gathered`: those already on it keep their place
    /// (and their shared copy, when nothing changed, so their rows stay),
    /// the others follow in the order they came. One pass, however long
    /// the list: a thousand upserts would each search the roster.
    fn replace(&mut self, gathered: Gathered) {
        let Gathered {
            participants,
            index,
        } = gathered;
        let mut fresh: Vec<Option<Participant>> = participants.into_iter().map(Some).collect();
        let mut roster = Vec::with_capacity(fresh.len());
        for old in &self.participants {
            if let Some(p) = index.get(&old.uuid).and_then(|&i| fresh[i].take()) {
                roster.push(updated(old, p));
            }
        }
        roster.extend(fresh.into_iter().flatten().map(Arc::new));
        self.participants = roster;
        self.speaking.retain(|u| index.contains_key(u));
        self.stage.retain(|u| index.contains_key(u));
    }
    fn remove(&mut self, uuid: &str) {
        self.participants.retain(|p| p.uuid != uuid);
        self.speaking.retain(|u| u != uuid);
        self.stage.retain(|u| u != uuid);
    }

    fn status(&mut self, s: &ServiceStatus) {
        self.locked = s.locked;
        self.guests_muted = s.guests_muted;
    }
}

/// `old` with the update `new` laid over it; the same shared copy when the
/// update changes nothing (a reconnect's snapshot resends everyone).
fn updated(old: &Arc<Participant>, new: Participant) -> Arc<Participant> {
    let p = new.over(old);
    if p == **old {
        old.clone()
    } else {
        Arc::new(p)
    }
}

/// Participants gathered for a new roster (a participant_sync, a
/// participants reply): in order of arrival, each uuid once, a later
/// update laid over an earlier one.
#[derive(Debug, Default)]
struct Gathered {
    participants: Vec<Participant>,
    /// Where each uuid is in `participants`.
    index: HashMap<String, usize>,
}

impl Gathered {
    fn add(&mut self, p: Participant) {
        match self.index.get(&p.uuid) {
            Some(&i) => self.participants[i] = p.over(&self.participants[i]),
            None => {
                self.index.insert(p.uuid.clone(), self.participants.len());
                self.participants.push(p);
            }
        }
    }

    fn remove(&mut self, uuid: &str) {
        if self.index.remove(uuid).is_some() {
            self.participants.retain(|p| p.uuid != uuid);
            for (i, p) in self.participants.iter().enumerate() {
                self.index.insert(p.uuid.clone(), i);
            }
        }
    }
}

/// What an event means beyond the conference state, for the session machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The cloud put this console out (`disconnect`).
    Disconnected { reason: String },
    /// Worth a journal line (`call_disconnected`).
    Note(String),
    /// Held for the participant_sync's end: nothing shown changed yet.
    Held,
}

/// The reducer: the state, and where a `participant_sync` snapshot stands on
/// the current stream.
#[derive(Debug, Default)]
pub struct Conference {
    state: ConferenceState,
    /// The participant_sync under way on the current stream: its
    /// participants are gathered, and replace the roster in one step at its
    /// end (a thousand of them would otherwise be a thousand new rosters).
    sync: Option<Gathered>,
    /// A sync came on the current stream: a participants reply is older news.
    synced: bool,
    /// Since the participants list was asked for: who the events said is
    /// present (true) or gone (false). The reply is older news for them.
    since_request: Option<HashMap<String, bool>>,
}

impl Conference {
    pub fn state(&self) -> &ConferenceState {
        &self.state
    }

    /// Forgets everything (a leave, a new join).
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// A new stream: its snapshot, if it sends one, is the truth.
    pub fn stream_opened(&mut self) {
        self.sync = None;
        self.synced = false;
    }

    /// The stream closed: a half-done snapshot means nothing (the next
    /// stream sends its own).
    pub fn stream_closed(&mut self) {
        self.sync = None;
    }

    /// service_status, from a probe or a command.
    pub fn status(&mut self, s: &ServiceStatus) {
        self.state.status(s);
    }

    /// The participants list is being asked for.
    pub fn list_requested(&mut self) {
        self.since_request = Some(HashMap::new());
    }

    /// Whether the participants list asked for is still news: not once the
    /// stream sent its own snapshot, which is newer (then the reply need
    /// not even be read; a thousand participants take a while to decode).
    pub fn list_wanted(&mut self) -> bool {
        if self.synced {
            self.since_request = None;
        }
        !self.synced
    }

    /// The participants list asked for when the stream opened; ignored when
    /// the stream already sent its own snapshot (which is newer). Events that
    /// came while the reply was on its way are newer than it, and win.
    pub fn participants(&mut self, list: Vec<Participant>) {
        let touched = self.since_request.take().unwrap_or_default();
        if self.synced {
            return;
        }
        let mut gathered = Gathered::default();
        for p in list {
            if !touched.contains_key(&p.uuid) {
                gathered.add(p);
            }
        }
        for p in &self.state.participants {
            if touched.get(&p.uuid) == Some(&true) {
                gathered.add(Participant::clone(p));
            }
        }
        self.state.replace(gathered);
    }

    pub fn apply(&mut self, event: MeetingEvent) -> Option<Effect> {
        let c = &mut self.state;
        match event {
            MeetingEvent::ParticipantCreate(p) | MeetingEvent::ParticipantUpdate(p) => {
                if let Some(t) = self.since_request.as_mut() {
                    t.insert(p.uuid.clone(), true);
                }
                // On the enterprise cloud an update may be the first news of someone.
                match self.sync.as_mut() {
                    Some(gathered) => {
                        gathered.add(p);
                        return Some(Effect::Held);
                    }
                    None => c.upsert(p),
                }
            }
            MeetingEvent::ParticipantDelete(d) => {
                if let Some(t) = self.since_request.as_mut() {
                    t.insert(d.uuid.clone(), false);
                }
                if let Some(gathered) = self.sync.as_mut() {
                    gathered.remove(&d.uuid);
                }
                c.remove(&d.uuid);
            }
            MeetingEvent::ParticipantSyncBegin => {
                self.sync = Some(Gathered::default());
                self.synced = true;
            }
            MeetingEvent::ParticipantSyncEnd => {
                if let Some(gathered) = self.sync.take() {
                    c.replace(gathered);
                }
            }
            MeetingEvent::ServiceUpdate(s) => {
                c.locked = s.locked;
                c.guests_muted = s.guests_muted;
            }
            MeetingEvent::Layout(l) => c.layout = Some(l),
            MeetingEvent::Stage(entries) => {
                let entries = entries.items;
                let order = positions_by_key(entries.iter().map(|e| (e.stage_index, 0)));
                let in_order = || order.iter().map(|&i| &entries[i]);
                c.speaking = in_order()
                    .filter(|e| e.vad > 0)
                    .map(|e| e.participant_uuid.clone())
                    .collect();
                c.stage = in_order().map(|e| e.participant_uuid.clone()).collect();
            }
            MeetingEvent::PresentationStart(p) => {
                c.presentation = Some(p);
                c.frames = 0;
            }
            MeetingEvent::PresentationStop => {
                c.presentation = None;
                c.frames = 0;
            }
            MeetingEvent::PresentationFrame => c.frames = c.frames.saturating_add(1),
            MeetingEvent::Message(m) => {
                c.messages.push(m);
                let extra = c.messages.len().saturating_sub(MAX_MESSAGES);
                c.messages.drain(..extra);
            }
            MeetingEvent::CallDisconnected(d) => {
                return Some(Effect::Note(format!(
                    "call_disconnected {} {}",
                    d.call_uuid, d.reason
                )));
            }
            MeetingEvent::Disconnect(d) => {
                return Some(Effect::Disconnected { reason: d.reason });
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meeting::Role;

    fn p(uuid: &str, name: &str) -> Participant {
        let mut p = Participant::new(uuid);
        p.display_name = Some(name.into());
        p
    }

    fn uuids(c: &Conference) -> Vec<&str> {
        c.state()
            .participants
            .iter()
            .map(|p| p.uuid.as_str())
            .collect()
    }

    /// A participant_sync of `list`.
    fn sync(c: &mut Conference, list: Vec<Participant>) {
        c.apply(MeetingEvent::ParticipantSyncBegin);
        for p in list {
            assert_eq!(
                c.apply(MeetingEvent::ParticipantCreate(p)),
                Some(Effect::Held)
            );
        }
        c.apply(MeetingEvent::ParticipantSyncEnd);
    }

    #[test]
    fn a_resync_keeps_places_and_the_shared_copy_of_whoever_did_not_change() {
        let mut c = Conference::default();
        sync(&mut c, vec![p("a", "A"), p("b", "B"), p("c", "C")]);
        let before = c.state().participants.clone();
        c.stream_opened();
        // Resent in another order; B renamed, C gone, D new.
        sync(&mut c, vec![p("d", "D"), p("b", "B2"), p("a", "A")]);
        assert_eq!(uuids(&c), ["a", "b", "d"]);
        let now = &c.state().participants;
        assert!(
            Arc::ptr_eq(&now[0], &before[0]),
            "A unchanged: its row stays"
        );
        assert!(!Arc::ptr_eq(&now[1], &before[1]));
        assert_eq!(now[1].display_name.as_deref(), Some("B2"));
    }

    #[test]
    fn an_update_in_a_sync_is_laid_over_what_was_known() {
        let mut c = Conference::default();
        let mut a = p("a", "A");
        a.role = Some(Role::Host);
        c.apply(MeetingEvent::ParticipantCreate(a));
        c.apply(MeetingEvent::ParticipantSyncBegin);
        let mut muted = Participant::new("a");
        muted.is_muted = Some(true);
        c.apply(MeetingEvent::ParticipantUpdate(muted));
        let mut renamed = Participant::new("a");
        renamed.display_name = Some("A2".into());
        c.apply(MeetingEvent::ParticipantUpdate(renamed));
        assert_eq!(c.state().participant("a").unwrap().is_muted, None, "held");
        c.apply(MeetingEvent::ParticipantSyncEnd);
        let a = c.state().participant("a").unwrap();
        assert_eq!(a.display_name.as_deref(), Some("A2"));
        assert_eq!(a.is_muted, Some(true));
        assert_eq!(a.role, Some(Role::Host), "kept when not sent");
    }

    #[test]
    fn the_sync_drops_speakers_no_longer_there() {
        let mut c = Conference::default();
        sync(&mut c, vec![p("a", "A"), p("b", "B")]);
        c.state.speaking = vec!["a".into(), "b".into()];
        c.state.stage = vec!["b".into(), "a".into()];
        c.stream_opened();
        sync(&mut c, vec![p("b", "B")]);
        assert_eq!(c.state().speaking, ["b"]);
        assert_eq!(c.state().stage, ["b"]);
    }

    #[test]
    fn the_participants_reply_keeps_newer_events_and_places() {
        let mut c = Conference::default();
        for u in ["a", "b"] {
            c.apply(MeetingEvent::ParticipantCreate(p(u, u)));
        }
        let before = c.state().participants.clone();
        c.list_requested();
        c.apply(MeetingEvent::ParticipantCreate(p("n", "New")));
        c.apply(MeetingEvent::ParticipantDelete(
            crate::meeting::ParticipantDelete { uuid: "b".into() },
        ));
        assert!(c.list_wanted());
        // The reply was made before those two events: it has B, not N.
        c.participants(vec![p("x", "X"), p("b", "b"), p("a", "a")]);
        assert_eq!(uuids(&c), ["a", "n", "x"]);
        assert!(Arc::ptr_eq(&c.state().participants[0], &before[0]));
    }

    #[test]
    fn an_update_keeps_the_fields_it_leaves_out() {
        let mut old = p("a", "A");
        old.start_time = Some(10);
        old.is_muted = Some(false);
        let mut update = Participant::new("a");
        update.is_muted = Some(true);
        let merged = update.over(&old);
        assert_eq!(merged.display_name.as_deref(), Some("A"));
        assert_eq!(merged.start_time, Some(10));
        assert_eq!(merged.is_muted, Some(true));
    }
}
