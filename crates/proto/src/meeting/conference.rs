//! The conference as the event stream describes it: a pure reducer beside
//! the session machine (`machine.rs`), the way `voice/session.rs` sits
//! beside the voice link. It knows nothing of tokens, requests or time.

use super::{ChatMessage, Layout, MeetingEvent, Participant, PresentationStart, ServiceStatus};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
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
            Some(old) => *old = Arc::new(merge(old, p)),
            None => self.participants.push(Arc::new(p)),
        }
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

fn merge(old: &Participant, new: Participant) -> Participant {
    let (Ok(Value::Object(mut base)), Ok(Value::Object(update))) =
        (serde_json::to_value(old), serde_json::to_value(&new))
    else {
        return new;
    };
    for (k, v) in update {
        if !v.is_null() {
            base.insert(k, v);
        }
    }
    serde_json::from_value(Value::Object(base)).unwrap_or(new)
}

/// What an event means beyond the conference state, for the session machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The cloud put this console out (`disconnect`).
    Disconnected { reason: String },
    /// Worth a journal line (`call_disconnected`).
    Note(String),
}

/// The reducer: the state, and where a `participant_sync` snapshot stands on
/// the current stream.
#[derive(Debug, Default)]
pub struct Conference {
    state: ConferenceState,
    /// Uuids seen since participant_sync_begin on the current stream.
    sync: Option<HashSet<String>>,
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

    /// The stream closed: a half-done snapshot means nothing.
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
        let c = &mut self.state;
        let newer: Vec<Arc<Participant>> = c
            .participants
            .drain(..)
            .filter(|p| touched.get(&p.uuid) == Some(&true))
            .collect();
        for p in list {
            if !touched.contains_key(&p.uuid) {
                c.upsert(p);
            }
        }
        for p in newer {
            c.upsert(Arc::unwrap_or_clone(p));
        }
        let present: HashSet<&str> = c.participants.iter().map(|p| p.uuid.as_str()).collect();
        c.speaking.retain(|u| present.contains(u.as_str()));
        c.stage.retain(|u| present.contains(u.as_str()));
    }

    pub fn apply(&mut self, event: MeetingEvent) -> Option<Effect> {
        let c = &mut self.state;
        match event {
            MeetingEvent::ParticipantCreate(p) | MeetingEvent::ParticipantUpdate(p) => {
                if let Some(t) = self.since_request.as_mut() {
                    t.insert(p.uuid.clone(), true);
                }
                // On the enterprise cloud an update may be the first news of someone.
                if let Some(seen) = self.sync.as_mut() {
                    seen.insert(p.uuid.clone());
                }
                c.upsert(p);
            }
            MeetingEvent::ParticipantDelete(d) => {
                if let Some(t) = self.since_request.as_mut() {
                    t.insert(d.uuid.clone(), false);
                }
                c.remove(&d.uuid);
            }
            MeetingEvent::ParticipantSyncBegin => {
                self.sync = Some(HashSet::new());
                self.synced = true;
            }
            MeetingEvent::ParticipantSyncEnd => {
                if let Some(seen) = self.sync.take() {
                    c.participants.retain(|p| seen.contains(&p.uuid));
                    c.speaking.retain(|u| seen.contains(u));
                    c.stage.retain(|u| seen.contains(u));
                }
            }
            MeetingEvent::ServiceUpdate(s) => {
                c.locked = s.locked;
                c.guests_muted = s.guests_muted;
            }
            MeetingEvent::Layout(l) => c.layout = Some(l),
            MeetingEvent::Stage(entries) => {
                let mut entries = entries.items;
                entries.sort_by_key(|e| e.stage_index);
                c.speaking = entries
                    .iter()
                    .filter(|e| e.vad > 0)
                    .map(|e| e.participant_uuid.clone())
                    .collect();
                c.stage = entries.into_iter().map(|e| e.participant_uuid).collect();
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
