//! The click-to-call shell: performs the GETs `proto::call::CallMachine`
//! asks for through [`super::http`] (adding the `access_token` to the query,
//! journaling the URL with it masked), keeps one timer at the machine's next
//! poll, and publishes the calls and the service's health to signals.
//! Components call [`CallDesk::place`] and [`CallDesk::cancel`] and read
//! [`CallDesk::calls`]; they never see a request.

use super::http::{self, Body, HttpRequest};
use super::timer::Timer;
use crate::journal::{Journal, Kind, Source};
use crate::time::now_ms;
use crate::ui::status_light::LightState;
use gloo_net::http::Method;
use leptos::prelude::*;
use proto::call::{Call, CallInput, CallMachine, CallOutput, CallRequest, Health, Target};
use std::cell::RefCell;
use std::rc::{Rc, Weak};

#[derive(Clone, Copy)]
pub struct CallDesk {
    calls: RwSignal<Vec<Call>>,
    shell: StoredValue<Rc<RefCell<Shell>>, LocalStorage>,
}

struct Shell {
    machine: CallMachine,
    /// `http(s)://host[:port][/prefix]`, without a trailing slash.
    base: String,
    access_token: String,
    timer: Option<Timer>,
    journal: Journal,
    calls: RwSignal<Vec<Call>>,
    light: RwSignal<LightState>,
    weak: Weak<RefCell<Shell>>,
}

impl CallDesk {
    /// `base_url` is the resolved service address (`calls.baseUrl`, or this
    /// origin when empty); `light` is the calls light of the header.
    pub fn new(
        base_url: String,
        access_token: String,
        journal: Journal,
        light: RwSignal<LightState>,
    ) -> Self {
        let calls = RwSignal::new(Vec::new());
        let shell = Rc::new_cyclic(|weak: &Weak<RefCell<Shell>>| {
            let timer = Timer::new({
                let weak = weak.clone();
                move || {
                    if let Some(rc) = weak.upgrade() {
                        rc.borrow_mut().machine.handle_timeout(now_ms());
                        pump(&rc);
                    }
                }
            });
            RefCell::new(Shell {
                machine: CallMachine::new(),
                base: base_url.trim().trim_end_matches('/').to_owned(),
                access_token,
                timer: Some(timer),
                journal,
                calls,
                light,
                weak: weak.clone(),
            })
        });
        Self {
            calls,
            shell: StoredValue::new_local(shell),
        }
    }

    /// Every call kept, oldest first.
    pub fn calls(&self) -> RwSignal<Vec<Call>> {
        self.calls
    }

    pub fn place(&self, target: Target) {
        self.input(CallInput::Place(target));
    }

    pub fn cancel(&self, id: u32) {
        self.input(CallInput::Cancel { id });
    }

    fn input(&self, input: CallInput) {
        if let Some(rc) = self.shell.try_get_value() {
            feed(&rc, input);
        }
    }
}

fn feed(rc: &Rc<RefCell<Shell>>, input: CallInput) {
    rc.borrow_mut().machine.handle(now_ms(), input);
    pump(rc);
}

impl Shell {
    fn perform(&mut self, out: CallOutput) {
        match out {
            CallOutput::Send { req, request } => self.send(req, request),
            CallOutput::HealthChanged(health) => {
                let light = light_of(health);
                self.journal
                    .note(Source::Calls, Kind::Info, light.label, String::new());
                self.light.set(light);
            }
            CallOutput::Skipped { reason } => {
                self.journal.log(
                    Source::Calls,
                    Kind::Error,
                    format!("skipped a reply: {reason}"),
                );
            }
        }
    }

    fn send(&self, req: u32, request: CallRequest) {
        let http_req = HttpRequest {
            method: Method::GET,
            url: format!(
                "{}{}",
                self.base,
                request.path_and_query(&self.access_token)
            ),
            logged_url: format!("{}{}", self.base, request.redacted()),
            headers: Vec::new(),
            body: Body::None,
        };
        let (journal, weak) = (self.journal, self.weak.clone());
        leptos::task::spawn_local(async move {
            let input = match http::send(http_req, journal, Source::Calls).await {
                Ok(reply) => CallInput::Reply {
                    req,
                    text: reply.text,
                },
                Err(_) => CallInput::NoReply { req },
            };
            if let Some(rc) = weak.upgrade() {
                feed(&rc, input);
            }
        });
    }
}

/// Drains the machine's outputs, publishes the calls, and points the timer
/// at the machine's next poll.
fn pump(rc: &Rc<RefCell<Shell>>) {
    let mut shell = rc.borrow_mut();
    while let Some(out) = shell.machine.poll_output() {
        shell.perform(out);
    }
    let calls = shell.machine.calls().to_vec();
    if shell.calls.with_untracked(|c| *c != calls) {
        shell.calls.set(calls);
    }
    let next = shell.machine.poll_timeout();
    if let Some(timer) = shell.timer.as_mut() {
        match next {
            Some(at) => timer.set(at.saturating_sub(now_ms())),
            None => timer.cancel(),
        }
    }
}

/// The header light for the service's health: green when the last request
/// got a reply, amber while polls are retried, red when none came.
pub fn light_of(health: Health) -> LightState {
    match health {
        Health::Idle => LightState::IDLE,
        Health::Online => LightState::ONLINE,
        Health::Retrying { .. } => LightState::RECONNECTING,
        Health::Unreachable => LightState::UNREACHABLE,
    }
}
