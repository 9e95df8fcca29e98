//! The click-to-call shell: the GETs of `proto::call::CallMachine` under
//! the driver, with the `access_token` added by [`super::http`] (the machine
//! never holds it). Components call [`CallDesk::place`] and
//! [`CallDesk::cancel`] and read [`CallDesk::view`].

use super::driver::{Driver, Feed, Shell};
use super::http;
use crate::journal::{Journal, Kind, Source};
use leptos::prelude::*;
use proto::call::{Call, CallEvent, CallInput, CallMachine, CallView, Target};
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
    pub fn new(base_url: String, access_token: String, journal: Journal) -> Self {
        let access_token = StoredValue::new(access_token);
        let driver = Driver::new(CallMachine::new(base_url), |feed| CallHttp {
            access_token,
            journal,
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
    feed: Feed<CallHttp>,
}

impl Shell for CallHttp {
    type M = CallMachine;

    fn perform(&mut self, req: rest::Request) -> Option<CallInput> {
        let feed = self.feed.clone();
        http::start(
            req,
            &self.access_token.get_value(),
            self.journal,
            Source::Calls,
            str::to_owned,
            move |r| feed.input(CallInput::Reply(r)),
        )
        .map(CallInput::Reply)
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
        }
    }

    fn shutdown(&mut self, _machine: &mut CallMachine) {}
}
