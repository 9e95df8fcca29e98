//! The click-to-call shell: the GETs of `proto::call::CallMachine` under
//! the driver, with the `access_token` added by [`super::http`] (the machine
//! never holds it). Components call [`CallDesk::place`] and
//! [`CallDesk::cancel`] and read [`CallDesk::view`].

use super::driver::{Driver, Feed, Shell};
use super::history::History;
use crate::config::Terminal;
use crate::journal::{Journal, Kind, Source};
use crate::reactive::{Memo, ReadSignal, StoredValue};
use proto::call::{Call, CallEvent, CallInput, CallMachine, CallView, Problem, Target};
use proto::history::Entry;
use proto::rest;

#[derive(Clone, Copy)]
pub struct CallDesk {
    driver: Driver<CallHttp>,
    calls: Memo<Vec<Call>>,
    access_token: StoredValue<String>,
}

impl CallDesk {
    /// `base_url` is the resolved service address (`calls.baseUrl`, or this
    /// origin when empty).
    /// Settled calls go to `history`, named after the `terminals`.
    pub fn new(
        base_url: String,
        access_token: String,
        journal: Journal,
        history: History,
        terminals: Vec<Terminal>,
    ) -> Self {
        let access_token = StoredValue::new(access_token);
        let driver = Driver::new(CallMachine::new(base_url), |feed| CallHttp {
            access_token,
            journal,
            history,
            terminals,
            feed,
        });
        let view = driver.view();
        Self {
            driver,
            calls: Memo::new(move |_| view.with(|v| v.calls.clone())),
            access_token,
        }
    }

    /// A token handed over at run time (by an embedding portal); kept in memory only.
    pub fn set_access_token(&self, token: String) {
        self.access_token.set_value(token);
    }

    /// Every call kept, oldest first.
    pub fn calls(&self) -> Memo<Vec<Call>> {
        self.calls
    }

    /// Every call kept, oldest first, and the service's health.
    pub fn view(&self) -> ReadSignal<CallView> {
        self.driver.view()
    }

    /// A place request to `target` is open: its button waits (tracked).
    pub fn dialling(&self, target: Target) -> bool {
        self.driver.view().with(|v| v.dialling(target))
    }

    pub fn place(&self, target: Target) {
        self.driver.input(CallInput::Place(target));
    }

    pub fn cancel(&self, id: u32) {
        self.driver.input(CallInput::Cancel { id });
    }
}

struct CallHttp {
    access_token: StoredValue<String>,
    journal: Journal,
    history: History,
    terminals: Vec<Terminal>,
    feed: Feed<CallHttp>,
}

impl Shell for CallHttp {
    type M = CallMachine;

    fn perform(&mut self, req: rest::Request) -> Option<CallInput> {
        self.feed.request(
            req,
            &self.access_token.get_value(),
            self.journal,
            Source::Calls,
            str::to_owned,
            CallInput::Reply,
        )
    }

    fn event(&mut self, event: CallEvent) {
        match event {
            CallEvent::HealthChanged(health) => {
                let phrase = super::notes::call_health(health);
                self.journal.note(Source::Calls, Kind::Info, phrase, "");
            }
            CallEvent::Skipped { reason } => self.journal.log(
                Source::Calls,
                Kind::Error,
                format!("skipped a reply: {reason}"),
            ),
            CallEvent::Settled(call) => {
                let who = match call.target {
                    Target::User(id) => self.terminals.iter().find(|t| t.id == id),
                    Target::Service => None,
                };
                let who = who.map(|t| t.name.clone()).unwrap_or_default();
                self.history
                    .record(Entry::of_call(&call, who, problem_detail));
            }
        }
    }

    fn shutdown(&mut self, _machine: &mut CallMachine) {}
}

/// A problem as the history keeps it: the server's own words, or a status.
/// Other problems are said by the outcome itself.
fn problem_detail(problem: &Problem) -> String {
    match problem {
        Problem::Refused(message) => message.clone(),
        Problem::Server(status) => format!("HTTP {status}"),
        Problem::NoReply | Problem::BadReply => String::new(),
    }
}
