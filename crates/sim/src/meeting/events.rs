//! The event stream `GET /api/services/<conf>/events?token=`: Server-Sent
//! Events named in lower case, JSON data from `proto`'s event types. It opens
//! with participant_sync_begin, the participants, participant_sync_end, then
//! follows the meeting live. It ends when its session ends, on reset, when
//! the `meeting_down` fault is set, when the meeting moves to another node,
//! and at shutdown; silenced, it stays open and says nothing more.

use crate::Sim;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use proto::meeting::{MeetingEvent, Role};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::time::{interval, Interval, MissedTickBehavior};

/// Who an event is for, by session (participant) uuid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum To {
    All,
    Session(String),
    Sessions(Vec<String>),
    /// Only before sending: resolved into `Sessions` by the meeting.
    Role(Role),
}

impl To {
    fn includes(&self, me: &str) -> bool {
        match self {
            Self::All => true,
            Self::Session(u) => u == me,
            Self::Sessions(us) => us.iter().any(|u| u == me),
            Self::Role(_) => false,
        }
    }
}

/// What the meeting broadcasts to its open streams.
#[derive(Debug, Clone)]
pub(crate) enum Pushed {
    /// Boxed: events are large and the end marker tiny.
    Event { to: To, event: Box<MeetingEvent> },
    /// Ends the stream of one session, or of all.
    End { session: Option<String> },
    /// Streams open now deliver nothing more, and stay open.
    Silence,
}

/// How often an idle stream checks whether tokens have expired, so that a
/// session nobody refreshes leaves even if no request comes.
const PURGE_EVERY: Duration = Duration::from_secs(2);

struct StreamState {
    sim: Sim,
    me: String,
    rx: broadcast::Receiver<Pushed>,
    queue: VecDeque<MeetingEvent>,
    ended: bool,
    silent: bool,
    tick: Interval,
}

pub(crate) fn stream(
    sim: Sim,
    me: String,
    initial: Vec<MeetingEvent>,
    rx: broadcast::Receiver<Pushed>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut tick = interval(PURGE_EVERY);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let state = StreamState {
        sim,
        me,
        rx,
        queue: initial.into(),
        ended: false,
        silent: false,
        tick,
    };
    let events = futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(e) = st.queue.pop_front() {
                let event = Event::default().event(e.event_name()).data(e.data_json());
                return Some((Ok(event), st));
            }
            if st.ended {
                return None;
            }
            tokio::select! {
                pushed = st.rx.recv() => match pushed {
                    Ok(Pushed::Event { to, event }) => {
                        if to.includes(&st.me) && !st.silent {
                            st.queue.push_back(*event);
                        }
                    }
                    Ok(Pushed::Silence) => {
                        st.silent = true;
                        st.queue.clear();
                    }
                    Ok(Pushed::End { session }) => {
                        if session.is_none_or(|s| s == st.me) {
                            st.ended = true;
                        }
                    }
                    // Fell behind: send the participant list again rather than a wrong one.
                    Err(RecvError::Lagged(_)) if !st.silent => st.queue.extend(st.sim.with(|s| s.meeting.sync_events())),
                    Err(RecvError::Lagged(_)) => {}
                    Err(RecvError::Closed) => st.ended = true,
                },
                _ = st.tick.tick() => st.sim.with(|s| s.meeting.purge()),
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}
