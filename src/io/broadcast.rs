//! The broadcast shell: proto's `Broadcast` under the driver, each request
//! posted by [`super::http`] with the IVR token added to the form (the
//! machine never holds it). The batch — numbers, what became of each, the
//! voice menu without its token — is kept in localStorage after every
//! change, so a reload loses nothing: it comes back paused. Each number
//! settled goes to the history, where the relay's call records complete it.

use super::driver::{Driver, Feed, Shell};
use super::history::History;
use super::storage;
use crate::journal::{Journal, Source};
use crate::reactive::{effect, ReadSignal, StoredValue};
use crate::time::now_ms;
use proto::broadcast::{Broadcast, BroadcastInput, BroadcastView, Recipient, Snapshot, Status};
use proto::history::{Entry, Kind, Outcome};
use proto::ivr::PlayVoice;
use proto::rest;

const KEY: &str = "dispatch-desk.broadcast";

#[derive(Clone, Copy)]
pub struct BroadcastDesk {
    driver: Driver<BroadcastHttp>,
    token: StoredValue<String>,
}

impl BroadcastDesk {
    /// Posts to `url` (the resolved `ivr.url`) with `token`; takes up the
    /// batch an earlier page stored, paused.
    pub fn new(url: String, token: String, journal: Journal, history: History) -> Self {
        let now = now_ms();
        let stored = storage::read(KEY).and_then(|text| Snapshot::decode(&text));
        let machine = match stored {
            Some(snap) => Broadcast::restore(url, snap, now),
            None => Broadcast::idle(url, now),
        };
        let token = StoredValue::new(token);
        let driver = Driver::new(machine, |feed| BroadcastHttp {
            token,
            journal,
            history,
            feed,
        });
        let view = driver.view();
        effect(move || {
            view.track();
            let text = driver.with_machine(|m| m.snapshot().encode());
            if let Some(text) = text {
                storage::write(KEY, &text);
            }
        });
        Self { driver, token }
    }

    /// The IVR token from now on (typed, or from the portal, after mount).
    pub fn set_token(&self, token: String) {
        self.token.set_value(token);
    }

    pub fn view(&self) -> ReadSignal<BroadcastView> {
        self.driver.view()
    }

    /// Sends `template` (validated by the caller) to each of `numbers`, one
    /// every `interval_ms` at most; nothing while a batch runs or is paused.
    pub fn start(&self, template: PlayVoice, numbers: Vec<String>, interval_ms: u64) {
        self.driver.input(BroadcastInput::Start {
            batch: format!("b{}", now_ms()),
            template: Box::new(template),
            numbers,
            interval_ms,
        });
    }

    pub fn input(&self, input: BroadcastInput) {
        self.driver.input(input);
    }

    /// The per-number results as CSV.
    pub fn csv(&self) -> String {
        self.driver.with_machine(Broadcast::csv).unwrap_or_default()
    }
}

struct BroadcastHttp {
    token: StoredValue<String>,
    journal: Journal,
    history: History,
    feed: Feed<BroadcastHttp>,
}

impl Shell for BroadcastHttp {
    type M = Broadcast;

    fn perform(&mut self, req: rest::Request) -> Option<BroadcastInput> {
        self.feed.request(
            req,
            &self.token.get_value(),
            self.journal,
            Source::Ivr,
            str::to_owned,
            BroadcastInput::Reply,
        )
    }

    fn event(&mut self, r: Recipient) {
        let (outcome, detail) = match r.status {
            Status::Sent { desc } => (Outcome::Sent, desc),
            Status::Failed { detail } => (Outcome::Failed, detail),
            _ => (Outcome::Unknown, String::new()),
        };
        self.history.put(Entry {
            kind: Kind::Ivr,
            target: r.number,
            who: String::new(),
            start_ms: now_ms(),
            duration_ms: None,
            outcome,
            detail,
            customuuid: r.customuuid,
            extension: String::new(),
            call_uuid: String::new(),
        });
    }

    fn shutdown(&mut self, _machine: &mut Broadcast) {}
}
