//! The dispatcher's phone calls as a sans-IO machine: place a call (to a
//! user id or to customer service), learn its `callSid`, poll `callState`
//! every second until it ends (4), cancel it.
//!
//! It keeps the [`Machine`] contract. The driver performs each
//! [`rest::Request`] as a GET (adding the `access_token` itself, as the
//! request's [`Credential`] asks: the machine never sees a secret) and feeds
//! back the [`Reply`]; a request unanswered at its deadline fails here.
//!
//! One request per intent: placing is never retried, and a second place to
//! a target whose first request is still open does nothing (a repeated call
//! request rings a phone twice). A place request unanswered after
//! [`rest::REPLY_TIMEOUT_MS`] is not "failed": the phone may be ringing. The
//! call becomes [`Phase::Unconfirmed`] while the request stays open up to
//! [`PLACE_WAIT_MS`] (a late callSid still brings it to life); after that
//! the document offers no way to find the call without its callSid.
//!
//! Polling never gives up on a call that may be live: failures back off
//! (up to [`POLL_BACKOFF`]'s cap), the call is marked `stale` until a state
//! comes again, and Cancel stays. Replies the server refuses
//! [`REFUSALS_BEFORE_GIVING_UP`] times in a row make the state
//! [`Phase::Unknown`], still polled slowly and still cancellable.

use super::wire::{decode_reply, CallRequest, CallStarted, CallState, CallStatus, CancelResult};
use crate::backoff::Backoff;
use crate::machine::{Machine, Outbox, Output};
use crate::rest::{self, Body, Credential, Failure, Method, Pending, Reply};

/// The polling cadence of `callState` while a call is live.
pub const POLL_MS: u64 = 1_000;
/// Failed polls are retried after 1 s, 2 s, 4 s, then every 5 s: a live
/// call is not left unchecked for long.
pub const POLL_BACKOFF: Backoff = Backoff {
    first_ms: 1_000,
    max_ms: 5_000,
};
/// How long a place request is kept open for a late callSid.
pub const PLACE_WAIT_MS: u64 = 60_000;
/// Network failures in a row before the light turns red.
pub const UNREACHABLE_AFTER: u32 = 3;
/// Refused or unreadable state replies in a row before the state is shown
/// as unknown (e.g. the server no longer knows the callSid).
pub const REFUSALS_BEFORE_GIVING_UP: u32 = 5;
/// The slow cadence of polling a call whose state is unknown.
pub const UNKNOWN_POLL_MS: u64 = 30_000;
/// Finished calls kept for the dispatcher to look back at.
pub const MAX_RECENT: usize = 20;

/// Whom a call goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A user (terminal) id, a Java `Long` on the server.
    User(u64),
    /// The customer-service line (`callService`).
    Service,
}

/// Where a call stands, as the dispatcher sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Asked for; no callSid yet (shown as "requesting").
    Placing,
    /// The server's `stateType` 1, 2 or 3.
    Live(CallState),
    /// `stateType` 4, or cancelled by the dispatcher. Not cancelled: the
    /// call ended at the phones (the far end hung up, or never answered).
    Ended { cancelled: bool },
    /// Never placed: the server refused, or failed (5xx).
    Failed,
    /// The place request got no answer in time: the phone may be ringing,
    /// and without a callSid the call cannot be looked up. `waiting`: the
    /// request is still open, so a late callSid would still come.
    Unconfirmed { waiting: bool },
    /// The server keeps refusing the state; still polled, slowly.
    Unknown,
}

/// What went wrong last, for the dispatcher.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Problem {
    /// The server's own message (`returnMsg`), shown as is.
    Refused(String),
    /// No reply came (network, timeout).
    NoReply,
    /// The server or a proxy failed with this HTTP status (5xx).
    Server(u16),
    /// A reply came that could not be read.
    BadReply,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Call {
    /// Local number, from 1 in the order placed.
    pub id: u32,
    pub target: Target,
    pub sid: Option<String>,
    pub phase: Phase,
    /// When the dispatcher placed it (ms).
    pub placed_at: u64,
    /// When a poll first saw it connected (3).
    pub connected_at: Option<u64>,
    /// When it was seen ended, failed or given up on.
    pub ended_at: Option<u64>,
    /// The state shown was not confirmed by the last poll (an outage).
    pub stale: bool,
    pub problem: Option<Problem>,
    /// A cancel is under way.
    pub cancelling: bool,
    cancel_wanted: bool,
    /// When an open place request turns the call [`Phase::Unconfirmed`].
    unsure_at: Option<u64>,
    next_poll: Option<u64>,
    polling: bool,
    /// Polls in a row that brought no state (for the back-off).
    misses: u32,
    /// Refused or unreadable state replies in a row.
    bad_replies: u32,
    /// `problem` came from polling, so a good poll clears it.
    poll_trouble: bool,
    /// [`CallEvent::Settled`] was sent.
    settled: bool,
}

impl Call {
    /// Whether the dispatcher may still cancel it: it may be live, and
    /// either its callSid is known or a late one may still come.
    pub fn can_cancel(&self) -> bool {
        !self.cancelling
            && match self.phase {
                Phase::Placing | Phase::Unconfirmed { waiting: true } => true,
                Phase::Live(_) | Phase::Unknown => self.sid.is_some(),
                _ => false,
            }
    }

    /// The place request is still open: placing again would ring twice.
    pub fn is_dialling(&self) -> bool {
        matches!(
            self.phase,
            Phase::Placing | Phase::Unconfirmed { waiting: true }
        )
    }

    pub fn is_finished(&self) -> bool {
        matches!(
            self.phase,
            Phase::Ended { .. }
                | Phase::Failed
                | Phase::Unconfirmed { waiting: false }
                | Phase::Unknown
        )
    }

    /// Nothing more will be learnt about it.
    pub fn is_settled(&self) -> bool {
        matches!(
            self.phase,
            Phase::Ended { .. } | Phase::Failed | Phase::Unconfirmed { waiting: false }
        )
    }

    /// Ended at the phones, not by the dispatcher, after being answered.
    pub fn hung_up_by_phone(&self) -> bool {
        self.phase == (Phase::Ended { cancelled: false }) && self.connected_at.is_some()
    }

    /// How long it has lasted at `now`: from the answer if it was answered,
    /// else from the placing, to its end if it ended.
    pub fn duration_ms(&self, now: u64) -> u64 {
        let from = self.connected_at.unwrap_or(self.placed_at);
        self.ended_at.unwrap_or(now).saturating_sub(from)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallInput {
    Place(Target),
    Cancel {
        id: u32,
    },
    /// What became of a request.
    Reply(Reply),
}

/// The click-to-call service as the status light shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// Nothing asked yet.
    Idle,
    /// The last request got a reply.
    Online,
    /// Polls failed `attempt` times in a row and are being retried.
    Retrying { attempt: u32 },
    /// No reply, repeatedly or with nothing to retry.
    Unreachable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallEvent {
    HealthChanged(Health),
    /// A reply that could not be used: logged and skipped.
    Skipped {
        reason: String,
    },
    /// A call reached its end (ended, failed, or lost track of): once per
    /// call, for the history.
    Settled(Call),
}

pub type CallOutput = Output<rest::Request, CallEvent>;

/// What the screen shows: every call kept, oldest first, and the service's health.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallView {
    pub calls: Vec<Call>,
    pub health: Health,
}

impl CallView {
    /// A place request to `target` is still open (the button waits).
    pub fn dialling(&self, target: Target) -> bool {
        self.calls
            .iter()
            .any(|c| c.target == target && c.is_dialling())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Place,
    Cancel,
    Poll,
}

#[derive(Debug)]
pub struct CallMachine {
    calls: Vec<Call>,
    next_id: u32,
    /// `http(s)://host[:port][/prefix]`, without a trailing slash.
    base: String,
    /// Requests awaiting a reply: (call id, purpose).
    pending: Pending<(u32, Purpose)>,
    health: Health,
    net_failures: u32,
    out: Outbox<rest::Request, CallEvent>,
}

impl CallMachine {
    /// `base`: the service address (`calls.baseUrl`, resolved).
    pub fn new(base: impl Into<String>) -> Self {
        Self {
            calls: Vec::new(),
            next_id: 1,
            base: base.into().trim().trim_end_matches('/').to_owned(),
            pending: Pending::default(),
            health: Health::Idle,
            net_failures: 0,
            out: Outbox::default(),
        }
    }

    /// Every call kept, oldest first.
    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    pub fn health(&self) -> Health {
        self.health
    }

    fn handle_input(&mut self, now: u64, input: CallInput) {
        match input {
            CallInput::Place(target) => self.place(now, target),
            CallInput::Cancel { id } => self.cancel(now, id),
            CallInput::Reply(Reply { id: req, outcome }) => {
                let Some((id, purpose)) = self.pending.take(req) else {
                    return;
                };
                match outcome {
                    Ok(answer) => {
                        self.net_failures = 0;
                        self.set_health(Health::Online);
                        self.reply(now, id, purpose, &answer.text);
                    }
                    Err(failure) => self.no_reply(now, id, purpose, &failure),
                }
            }
        }
        self.settle(now);
        self.trim();
        self.out.changed();
    }

    fn next_timeout(&self) -> Option<u64> {
        let polls = self
            .calls
            .iter()
            .filter(|c| !c.polling)
            .filter_map(|c| c.next_poll);
        let unsure = self.calls.iter().filter_map(|c| c.unsure_at);
        polls
            .chain(unsure)
            .chain(self.pending.next_deadline())
            .min()
    }

    /// Fails the requests past their deadline, marks unanswered place
    /// requests unconfirmed, then sends the polls that are due.
    fn timeout(&mut self, now: u64) {
        for (_, (id, purpose)) in self.pending.expired(now) {
            self.no_reply(now, id, purpose, &Failure::Timeout);
            self.out.changed();
        }
        for call in &mut self.calls {
            if call.unsure_at.is_some_and(|t| now >= t) {
                call.unsure_at = None;
                if call.phase == Phase::Placing {
                    call.phase = Phase::Unconfirmed { waiting: true };
                    call.problem = Some(Problem::NoReply);
                    self.out.changed();
                }
            }
        }
        let due: Vec<(u32, String)> = self
            .calls
            .iter_mut()
            .filter(|c| !c.polling && c.next_poll.is_some_and(|t| now >= t))
            .filter_map(|c| {
                c.next_poll = None;
                let sid = c.sid.clone()?;
                c.polling = true;
                Some((c.id, sid))
            })
            .collect();
        for (id, call_sid) in due {
            self.send(now, id, Purpose::Poll, CallRequest::State { call_sid });
        }
        self.settle(now);
        self.trim();
    }

    fn place(&mut self, now: u64, target: Target) {
        if self
            .calls
            .iter()
            .any(|c| c.target == target && c.is_dialling())
        {
            // The first request for this target is still open.
            return;
        }
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        self.calls.push(Call {
            id,
            target,
            sid: None,
            phase: Phase::Placing,
            placed_at: now,
            connected_at: None,
            ended_at: None,
            stale: false,
            problem: None,
            cancelling: false,
            cancel_wanted: false,
            unsure_at: Some(now.saturating_add(rest::REPLY_TIMEOUT_MS)),
            next_poll: None,
            polling: false,
            misses: 0,
            bad_replies: 0,
            poll_trouble: false,
            settled: false,
        });
        let request = match target {
            Target::User(target_id) => CallRequest::CallUser { target_id },
            Target::Service => CallRequest::CallService,
        };
        self.send(now, id, Purpose::Place, request);
    }

    fn cancel(&mut self, now: u64, id: u32) {
        let Some(call) = self.call(id).filter(|c| c.can_cancel()) else {
            return;
        };
        call.cancelling = true;
        match call.sid.clone() {
            Some(call_sid) => self.send(now, id, Purpose::Cancel, CallRequest::Cancel { call_sid }),
            // Sent as soon as the callSid is known.
            None => call.cancel_wanted = true,
        }
    }

    fn reply(&mut self, now: u64, id: u32, purpose: Purpose, text: &str) {
        match purpose {
            Purpose::Place => self.placed(now, id, text),
            Purpose::Cancel => self.cancelled(now, id, text),
            Purpose::Poll => self.polled(now, id, text),
        }
    }

    fn placed(&mut self, now: u64, id: u32, text: &str) {
        let outcome = decode_reply(text, CallStarted::decode);
        if let Err(e) = &outcome {
            self.skipped(format!("call reply: {e}"));
        }
        let Some(call) = self.call(id) else { return };
        call.unsure_at = None;
        match outcome.map(|r| r.into_result()) {
            Ok(Ok(started)) => {
                call.sid = Some(started.call_sid.clone());
                call.phase = Phase::Live(CallState::Requesting);
                call.problem = None;
                call.next_poll = Some(now + POLL_MS);
                if call.cancel_wanted {
                    call.cancel_wanted = false;
                    let call_sid = started.call_sid;
                    self.send(now, id, Purpose::Cancel, CallRequest::Cancel { call_sid });
                }
            }
            Ok(Err(refusal)) => call.fail(now, Problem::Refused(refusal.message)),
            Err(_) => call.fail(now, Problem::BadReply),
        }
    }

    fn cancelled(&mut self, now: u64, id: u32, text: &str) {
        let outcome = decode_reply(text, CancelResult::decode);
        if let Err(e) = &outcome {
            self.skipped(format!("callCancel reply: {e}"));
        }
        let Some(call) = self.call(id) else { return };
        call.cancelling = false;
        call.poll_trouble = false;
        match outcome.map(|r| r.into_result()) {
            Ok(Ok(result)) if result.succeeded() => {
                call.phase = Phase::Ended { cancelled: true };
                call.ended_at.get_or_insert(now);
                call.next_poll = None;
                call.problem = None;
                call.stale = false;
            }
            Ok(Ok(result)) => call.problem = Some(Problem::Refused(result.is_success)),
            Ok(Err(refusal)) => call.problem = Some(Problem::Refused(refusal.message)),
            Err(_) => call.problem = Some(Problem::BadReply),
        }
    }

    fn polled(&mut self, now: u64, id: u32, text: &str) {
        let outcome = decode_reply(text, CallStatus::decode);
        if let Err(e) = &outcome {
            self.skipped(format!("callState reply: {e}"));
        }
        let Some(call) = self.call(id) else { return };
        call.polling = false;
        if call.is_settled() {
            // Cancelled while this poll was on its way.
            return;
        }
        let trouble = match outcome.map(|r| r.into_result()) {
            Ok(Ok(status)) => {
                call.misses = 0;
                call.bad_replies = 0;
                call.stale = false;
                if call.poll_trouble {
                    call.poll_trouble = false;
                    call.problem = None;
                }
                if status.state_type == CallState::Connected {
                    call.connected_at.get_or_insert(now);
                }
                if status.state_type.is_final() {
                    call.phase = Phase::Ended { cancelled: false };
                    call.ended_at = Some(now);
                    call.next_poll = None;
                } else {
                    call.phase = Phase::Live(status.state_type);
                    call.next_poll = Some(now + POLL_MS);
                }
                return;
            }
            Ok(Err(refusal)) => Some(Problem::Refused(refusal.message)),
            // Skipped: the state shown stays as it was.
            Err(_) => None,
        };
        call.misses += 1;
        call.bad_replies += 1;
        call.stale = true;
        if let Some(problem) = trouble {
            call.problem = Some(problem);
            call.poll_trouble = true;
        }
        if call.bad_replies >= REFUSALS_BEFORE_GIVING_UP {
            call.phase = Phase::Unknown;
            call.next_poll = Some(now + UNKNOWN_POLL_MS);
        } else {
            call.next_poll = Some(now + POLL_BACKOFF.delay_ms(call.misses));
        }
    }

    /// No usable reply came (network, deadline, 5xx: the driver journals which).
    fn no_reply(&mut self, now: u64, id: u32, purpose: Purpose, failure: &Failure) {
        self.net_failures = self.net_failures.saturating_add(1);
        let mut retrying = false;
        if let Some(call) = self.call(id) {
            match purpose {
                Purpose::Place => call.unplaced(now, failure),
                Purpose::Cancel => {
                    call.cancelling = false;
                    call.problem = Some(Problem::of(failure));
                    call.poll_trouble = false;
                }
                Purpose::Poll => {
                    call.polling = false;
                    if !call.is_settled() {
                        call.misses += 1;
                        call.stale = true;
                        call.problem = Some(Problem::of(failure));
                        call.poll_trouble = true;
                        call.next_poll = Some(now + POLL_BACKOFF.delay_ms(call.misses));
                        retrying = true;
                    }
                }
            }
        }
        let health = if retrying && self.net_failures < UNREACHABLE_AFTER {
            Health::Retrying {
                attempt: self.net_failures,
            }
        } else {
            Health::Unreachable
        };
        self.set_health(health);
    }

    /// Reports each call that reached its end, once.
    fn settle(&mut self, now: u64) {
        for call in &mut self.calls {
            if call.is_settled() && !call.settled {
                call.settled = true;
                call.ended_at.get_or_insert(now);
                self.out.event(CallEvent::Settled(call.clone()));
            }
        }
    }

    /// Drops the oldest finished calls beyond [`MAX_RECENT`].
    fn trim(&mut self) {
        let mut excess = self.calls.len().saturating_sub(MAX_RECENT);
        self.calls.retain(|c| {
            let drop = excess > 0 && c.is_finished();
            if drop {
                excess -= 1;
            }
            !drop
        });
    }

    fn call(&mut self, id: u32) -> Option<&mut Call> {
        self.calls.iter_mut().find(|c| c.id == id)
    }

    fn send(&mut self, now: u64, id: u32, purpose: Purpose, request: CallRequest) {
        let timeout_ms = match purpose {
            Purpose::Place => PLACE_WAIT_MS,
            Purpose::Cancel | Purpose::Poll => rest::REPLY_TIMEOUT_MS,
        };
        let req = self.pending.start_for(now, (id, purpose), timeout_ms);
        let url = format!("{}{}", self.base, request.path());
        self.out.send(rest::Request {
            id: req,
            method: Method::Get,
            // The journal says the token went, never what it is.
            logged_url: format!("{url}?access_token=***"),
            url,
            headers: Vec::new(),
            body: Body::None,
            credential: Credential::AccessTokenQuery,
            timeout_ms,
        });
    }

    fn set_health(&mut self, health: Health) {
        if self.health != health {
            self.health = health;
            self.out.event(CallEvent::HealthChanged(health));
        }
    }

    fn skipped(&mut self, reason: String) {
        self.out.event(CallEvent::Skipped { reason });
    }
}

impl Problem {
    fn of(failure: &Failure) -> Self {
        match failure {
            Failure::Server { status } => Self::Server(*status),
            _ => Self::NoReply,
        }
    }
}

impl Call {
    fn fail(&mut self, now: u64, problem: Problem) {
        self.phase = Phase::Failed;
        self.problem = Some(problem);
        self.cancelling = false;
        self.cancel_wanted = false;
        self.next_poll = None;
        self.ended_at = Some(now);
    }

    /// The place request brought no callSid. A 5xx other than a gateway
    /// timeout, or a request never sent, placed nothing. After a timeout,
    /// a lost connection or a gateway timeout the call may be ringing.
    fn unplaced(&mut self, now: u64, failure: &Failure) {
        self.unsure_at = None;
        match failure {
            Failure::Server { status } if *status != 504 => {
                self.fail(now, Problem::Server(*status))
            }
            Failure::Invalid(_) => self.fail(now, Problem::NoReply),
            _ => {
                self.phase = Phase::Unconfirmed { waiting: false };
                self.problem = Some(Problem::of(failure));
                self.cancelling = false;
                self.cancel_wanted = false;
                self.ended_at = Some(now);
            }
        }
    }
}

impl Machine for CallMachine {
    type Input = CallInput;
    type Send = rest::Request;
    type Event = CallEvent;
    type View = CallView;

    fn handle(&mut self, now: u64, input: CallInput) {
        self.handle_input(now, input);
    }

    fn poll_timeout(&self) -> Option<u64> {
        self.next_timeout()
    }

    fn handle_timeout(&mut self, now: u64) {
        self.timeout(now);
    }

    fn poll_output(&mut self) -> Option<CallOutput> {
        self.out.pop()
    }

    fn view(&self) -> CallView {
        CallView {
            calls: self.calls.clone(),
            health: self.health,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{CallReply, CallStarted, CallStatus, CancelResult};
    use crate::rest::Failure;

    const SID: &str = "16090510160925480001030600243044";
    const NO_PHONE: &str = "用户未绑定手机号,请手动拨打010-56469588!";

    /// Every output but `State` (the view is checked through `calls()`).
    fn drain(m: &mut CallMachine) -> Vec<CallOutput> {
        crate::machine::drain(m)
            .into_iter()
            .filter(|o| *o != Output::State)
            .collect()
    }

    /// The requests sent, read back as the document's requests.
    fn sent(out: &[CallOutput]) -> Vec<(u32, CallRequest)> {
        out.iter()
            .filter_map(|o| match o {
                Output::Send(r) => Some((r.id, request_of(r))),
                _ => None,
            })
            .collect()
    }

    fn request_of(r: &rest::Request) -> CallRequest {
        assert_eq!(r.credential, Credential::AccessTokenQuery);
        assert_eq!(r.method, Method::Get);
        assert!(
            !r.url.contains("access_token"),
            "the machine holds no token"
        );
        let path = r.url.strip_prefix(BASE).expect("under the base");
        let tail = |p: &str| path.strip_prefix(p).map(str::to_owned);
        if let Some(sid) = tail("/v1/app/callState/") {
            CallRequest::State { call_sid: sid }
        } else if let Some(sid) = tail("/v1/app/callCancel/") {
            CallRequest::Cancel { call_sid: sid }
        } else if path == "/v1/app/callService" {
            CallRequest::CallService
        } else {
            let id = tail("/v1/app/call/").expect("a call path");
            CallRequest::CallUser {
                target_id: id.parse().unwrap(),
            }
        }
    }

    const BASE: &str = "http://calls.example";

    fn json<T: serde::Serialize>(reply: &CallReply<T>) -> String {
        serde_json::to_string(reply).unwrap()
    }

    fn state(code: u64) -> String {
        json(&CallReply::ok(CallStatus {
            state_type: CallState::from_code(code).unwrap(),
        }))
    }

    fn reply(m: &mut CallMachine, now: u64, req: u32, text: String) {
        m.handle(now, CallInput::Reply(Reply::answered(req, 200, text)));
    }

    fn phase(m: &CallMachine) -> Phase {
        m.calls()[0].phase.clone()
    }

    /// Places a call to 169918 at t=0 and answers with the callSid at t=100.
    fn live() -> CallMachine {
        let mut m = CallMachine::new(BASE);
        m.handle(0, CallInput::Place(Target::User(169918)));
        let (req, _) = sent(&drain(&mut m))[0].clone();
        let started = CallStarted {
            call_sid: SID.into(),
        };
        reply(&mut m, 100, req, json(&CallReply::ok(started)));
        drain(&mut m);
        m
    }

    /// Fires the timer at its deadline and returns the poll request sent.
    fn poll_now(m: &mut CallMachine) -> (u64, u32) {
        let at = m.poll_timeout().expect("a poll is due");
        m.handle_timeout(at);
        let polls = sent(&drain(m));
        assert_eq!(
            polls,
            [(
                polls[0].0,
                CallRequest::State {
                    call_sid: SID.into()
                }
            )]
        );
        (at, polls[0].0)
    }

    #[test]
    fn placing_a_call_asks_for_it_and_polls_every_second_until_it_ends() {
        let mut m = CallMachine::new(BASE);
        m.handle(0, CallInput::Place(Target::User(169918)));
        let out = drain(&mut m);
        assert_eq!(
            sent(&out),
            [(1, CallRequest::CallUser { target_id: 169918 })]
        );
        assert_eq!(phase(&m), Phase::Placing);
        assert_eq!(
            m.poll_timeout(),
            Some(rest::REPLY_TIMEOUT_MS),
            "nothing to poll before the callSid: only the reply deadline"
        );

        let started = CallStarted {
            call_sid: SID.into(),
        };
        reply(&mut m, 100, 1, json(&CallReply::ok(started)));
        assert_eq!(
            drain(&mut m),
            [Output::Event(CallEvent::HealthChanged(Health::Online))]
        );
        assert_eq!(m.calls()[0].sid.as_deref(), Some(SID));
        assert_eq!(phase(&m), Phase::Live(CallState::Requesting));
        assert_eq!(m.poll_timeout(), Some(1_100));

        m.handle_timeout(1_099);
        assert!(drain(&mut m).is_empty(), "not before the second is up");

        let mut at = 1_100;
        for code in [1, 2, 3] {
            let (due, req) = poll_now(&mut m);
            assert_eq!(due, at);
            assert_eq!(
                m.poll_timeout(),
                Some(due + rest::REPLY_TIMEOUT_MS),
                "one poll at a time: only its reply deadline"
            );
            reply(&mut m, due + 50, req, state(code));
            assert_eq!(phase(&m), Phase::Live(CallState::from_code(code).unwrap()));
            at = due + 50 + POLL_MS;
            assert_eq!(m.poll_timeout(), Some(at));
        }
        let (_, req) = poll_now(&mut m);
        reply(&mut m, at + 10, req, state(4));
        assert_eq!(phase(&m), Phase::Ended { cancelled: false });
        assert_eq!(m.poll_timeout(), None, "polling stops at state 4");
        assert!(!m.calls()[0].can_cancel());
    }

    #[test]
    fn customer_service_uses_call_service() {
        let mut m = CallMachine::new(BASE);
        m.handle(5, CallInput::Place(Target::Service));
        assert_eq!(sent(&drain(&mut m)), [(1, CallRequest::CallService)]);
        assert_eq!(m.calls()[0].placed_at, 5);
        assert_eq!(m.calls()[0].target, Target::Service);
    }

    #[test]
    fn a_refusal_keeps_the_servers_own_message() {
        let mut m = CallMachine::new(BASE);
        m.handle(0, CallInput::Place(Target::User(169999)));
        drain(&mut m);
        reply(
            &mut m,
            10,
            1,
            json(&CallReply::<CallStarted>::error(400, NO_PHONE)),
        );
        let call = &m.calls()[0];
        assert_eq!(call.phase, Phase::Failed);
        assert_eq!(call.problem, Some(Problem::Refused(NO_PHONE.into())));
        assert_eq!(m.poll_timeout(), None);
        assert_eq!(m.health(), Health::Online, "the server answered");
        // The document's own example body reads the same.
        let mut m = CallMachine::new(BASE);
        m.handle(0, CallInput::Place(Target::User(169999)));
        reply(
            &mut m,
            10,
            1,
            r#"{"returnCode":400,"returnMsg":"用户未绑定手机号,请手动拨打010-56469588!"}"#.into(),
        );
        assert_eq!(
            m.calls()[0].problem,
            Some(Problem::Refused(NO_PHONE.into()))
        );
    }

    #[test]
    fn cancel_sends_call_cancel_and_ends_the_call() {
        let mut m = live();
        m.handle(200, CallInput::Cancel { id: 1 });
        let out = sent(&drain(&mut m));
        assert_eq!(
            out[0].1,
            CallRequest::Cancel {
                call_sid: SID.into()
            }
        );
        assert!(m.calls()[0].cancelling);
        assert!(!m.calls()[0].can_cancel(), "no second cancel meanwhile");
        m.handle(210, CallInput::Cancel { id: 1 });
        assert!(drain(&mut m).is_empty());

        reply(
            &mut m,
            300,
            out[0].0,
            json(&CallReply::ok(CancelResult::success())),
        );
        assert_eq!(phase(&m), Phase::Ended { cancelled: true });
        assert_eq!(m.poll_timeout(), None, "no polling after a cancel");
        assert!(!m.calls()[0].cancelling);
    }

    #[test]
    fn a_poll_answered_after_the_cancel_does_not_bring_the_call_back() {
        let mut m = live();
        let (at, poll) = poll_now(&mut m);
        m.handle(at + 1, CallInput::Cancel { id: 1 });
        let cancel = sent(&drain(&mut m))[0].0;
        reply(
            &mut m,
            at + 2,
            cancel,
            json(&CallReply::ok(CancelResult::success())),
        );
        reply(&mut m, at + 3, poll, state(2));
        assert_eq!(phase(&m), Phase::Ended { cancelled: true });
        assert_eq!(m.poll_timeout(), None);
    }

    #[test]
    fn a_refused_cancel_shows_the_message_and_keeps_polling() {
        let mut m = live();
        m.handle(200, CallInput::Cancel { id: 1 });
        let req = sent(&drain(&mut m))[0].0;
        reply(
            &mut m,
            300,
            req,
            json(&CallReply::<CancelResult>::error(400, "取消呼叫失败!")),
        );
        let call = &m.calls()[0];
        assert_eq!(call.problem, Some(Problem::Refused("取消呼叫失败!".into())));
        assert!(call.can_cancel(), "the dispatcher may try again");
        assert_eq!(phase(&m), Phase::Live(CallState::Requesting));
        // A good poll does not wipe the cancel's message.
        let (at, poll) = poll_now(&mut m);
        reply(&mut m, at + 1, poll, state(2));
        assert_eq!(
            m.calls()[0].problem,
            Some(Problem::Refused("取消呼叫失败!".into()))
        );
    }

    #[test]
    fn cancel_before_the_call_sid_is_sent_once_it_comes() {
        let mut m = CallMachine::new(BASE);
        m.handle(0, CallInput::Place(Target::Service));
        drain(&mut m);
        m.handle(10, CallInput::Cancel { id: 1 });
        assert!(sent(&drain(&mut m)).is_empty());
        assert!(m.calls()[0].cancelling);
        let started = CallStarted {
            call_sid: SID.into(),
        };
        reply(&mut m, 20, 1, json(&CallReply::ok(started)));
        assert_eq!(
            sent(&drain(&mut m))[0].1,
            CallRequest::Cancel {
                call_sid: SID.into()
            }
        );
    }

    #[test]
    fn failed_polls_back_off_turn_the_light_amber_then_red_and_recover() {
        let mut m = live();
        let (at, req) = poll_now(&mut m);
        m.handle(
            at,
            CallInput::Reply(Reply::failed(req, Failure::Network("down".into()))),
        );
        assert_eq!(
            drain(&mut m),
            [Output::Event(CallEvent::HealthChanged(Health::Retrying {
                attempt: 1
            }))]
        );
        assert_eq!(m.calls()[0].problem, Some(Problem::NoReply));
        assert_eq!(phase(&m), Phase::Live(CallState::Requesting));
        assert_eq!(m.poll_timeout(), Some(at + 1_000));

        let (at, req) = poll_now(&mut m);
        m.handle(
            at,
            CallInput::Reply(Reply::failed(req, Failure::Network("down".into()))),
        );
        assert_eq!(m.health(), Health::Retrying { attempt: 2 });
        assert_eq!(m.poll_timeout(), Some(at + 2_000), "the delay doubles");

        let (at, req) = poll_now(&mut m);
        m.handle(
            at,
            CallInput::Reply(Reply::failed(req, Failure::Network("down".into()))),
        );
        assert_eq!(m.health(), Health::Unreachable);
        assert_eq!(m.poll_timeout(), Some(at + 4_000), "still retrying");

        let (at, req) = poll_now(&mut m);
        reply(&mut m, at, req, state(3));
        assert_eq!(m.health(), Health::Online);
        assert_eq!(phase(&m), Phase::Live(CallState::Connected));
        assert_eq!(m.calls()[0].problem, None, "the trouble is over");
        assert_eq!(m.poll_timeout(), Some(at + POLL_MS), "back to the cadence");
    }

    #[test]
    fn a_place_unanswered_is_unconfirmed_not_failed_and_a_late_sid_still_counts() {
        let mut m = CallMachine::new(BASE);
        m.handle(0, CallInput::Place(Target::User(169918)));
        let out = drain(&mut m);
        let Output::Send(req) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(req.timeout_ms, PLACE_WAIT_MS, "the fetch stays open");
        m.handle_timeout(rest::REPLY_TIMEOUT_MS - 1);
        assert_eq!(phase(&m), Phase::Placing, "not before the deadline");
        m.handle_timeout(rest::REPLY_TIMEOUT_MS);
        assert_eq!(phase(&m), Phase::Unconfirmed { waiting: true });
        assert_eq!(m.calls()[0].problem, Some(Problem::NoReply));
        assert!(m.calls()[0].can_cancel(), "a late callSid may still come");
        assert!(m.view().dialling(Target::User(169918)));
        assert_eq!(m.poll_timeout(), Some(PLACE_WAIT_MS));

        // The dispatcher cancels; the cancel goes once the callSid comes.
        m.handle(20_000, CallInput::Cancel { id: 1 });
        assert!(sent(&drain(&mut m)).is_empty());
        let started = CallStarted {
            call_sid: SID.into(),
        };
        reply(&mut m, 30_000, 1, json(&CallReply::ok(started)));
        assert_eq!(phase(&m), Phase::Live(CallState::Requesting));
        assert_eq!(m.calls()[0].problem, None);
        assert_eq!(
            sent(&drain(&mut m))[0].1,
            CallRequest::Cancel {
                call_sid: SID.into()
            }
        );
    }

    #[test]
    fn a_place_never_answered_stays_unconfirmed_and_is_never_placed_twice() {
        let mut m = CallMachine::new(BASE);
        m.handle(0, CallInput::Place(Target::User(169918)));
        drain(&mut m);
        m.handle_timeout(rest::REPLY_TIMEOUT_MS);
        m.handle(16_000, CallInput::Place(Target::User(169918)));
        assert!(
            sent(&drain(&mut m)).is_empty(),
            "still waiting: no second ring"
        );
        m.handle_timeout(PLACE_WAIT_MS);
        let out = drain(&mut m);
        assert!(out.contains(&Output::Event(CallEvent::HealthChanged(
            Health::Unreachable
        ))));
        let settled: Vec<_> = out
            .iter()
            .filter_map(|o| match o {
                Output::Event(CallEvent::Settled(c)) => Some(c.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(settled.len(), 1);
        assert_eq!(settled[0].phase, Phase::Unconfirmed { waiting: false });
        assert_eq!(settled[0].ended_at, Some(PLACE_WAIT_MS));
        let call = &m.calls()[0];
        assert_eq!(call.phase, Phase::Unconfirmed { waiting: false });
        assert_eq!(call.sid, None);
        assert!(!call.can_cancel(), "no callSid, no way to cancel");
        assert_eq!(m.poll_timeout(), None);
        // A later reply finds nothing.
        reply(&mut m, PLACE_WAIT_MS + 1, 1, state(2));
        assert_eq!(phase(&m), Phase::Unconfirmed { waiting: false });
        // Now a new place is a new intent.
        m.handle(PLACE_WAIT_MS + 2, CallInput::Place(Target::User(169918)));
        assert_eq!(sent(&drain(&mut m)).len(), 1);
    }

    #[test]
    fn a_second_place_while_the_first_is_open_sends_nothing() {
        let mut m = CallMachine::new(BASE);
        m.handle(0, CallInput::Place(Target::User(169918)));
        assert_eq!(sent(&drain(&mut m)).len(), 1);
        m.handle(5, CallInput::Place(Target::User(169918)));
        assert!(sent(&drain(&mut m)).is_empty(), "a double click");
        assert_eq!(m.calls().len(), 1);
        assert!(m.view().dialling(Target::User(169918)));
        assert!(!m.view().dialling(Target::User(169919)));
        m.handle(6, CallInput::Place(Target::User(169919)));
        assert_eq!(sent(&drain(&mut m)).len(), 1, "another target goes");
        let started = CallStarted {
            call_sid: SID.into(),
        };
        reply(&mut m, 100, 1, json(&CallReply::ok(started)));
        assert!(!m.view().dialling(Target::User(169918)));
        m.handle(200, CallInput::Place(Target::User(169918)));
        assert_eq!(sent(&drain(&mut m)).len(), 1, "a new intent once placed");
        assert_eq!(m.calls().len(), 3);
    }

    #[test]
    fn a_5xx_to_the_place_fails_it_with_the_status_and_a_gateway_timeout_is_unconfirmed() {
        for (status, want) in [
            (502, Phase::Failed),
            (504, Phase::Unconfirmed { waiting: false }),
        ] {
            let mut m = CallMachine::new(BASE);
            m.handle(0, CallInput::Place(Target::Service));
            drain(&mut m);
            m.handle(
                10,
                CallInput::Reply(Reply::answered(
                    1,
                    status,
                    "<html>Bad Gateway</html>".into(),
                )),
            );
            assert_eq!(phase(&m), want);
            assert_eq!(m.calls()[0].problem, Some(Problem::Server(status)));
        }
    }

    #[test]
    fn an_outage_keeps_the_call_cancellable_and_stale_then_it_recovers() {
        let mut m = live();
        let (at, req) = poll_now(&mut m);
        reply(&mut m, at + 10, req, state(3));
        assert_eq!(m.calls()[0].connected_at, Some(at + 10));
        // A proxy answers 502 with HTML for 20 s.
        let outage_end = at + 20_010;
        let mut delays = Vec::new();
        loop {
            let (at, req) = poll_now(&mut m);
            if at >= outage_end {
                reply(&mut m, at, req, state(3));
                break;
            }
            m.handle(
                at,
                CallInput::Reply(Reply::answered(req, 502, "<html>502</html>".into())),
            );
            let call = &m.calls()[0];
            assert!(call.stale, "shown stale");
            assert!(call.can_cancel(), "Cancel stays during the outage");
            assert_eq!(phase(&m), Phase::Live(CallState::Connected));
            assert_eq!(call.problem, Some(Problem::Server(502)));
            delays.push(m.poll_timeout().unwrap() - at);
        }
        assert_eq!(delays[..4], [1_000, 2_000, 4_000, 5_000]);
        assert!(delays[4..].iter().all(|&d| d == 5_000), "{delays:?}");
        let call = &m.calls()[0];
        assert!(!call.stale);
        assert_eq!(call.problem, None);
        assert_eq!(m.health(), Health::Online);
        assert!(call.can_cancel());
    }

    #[test]
    fn a_cancel_lost_in_an_outage_may_be_tried_again() {
        let mut m = live();
        m.handle(200, CallInput::Cancel { id: 1 });
        let req = sent(&drain(&mut m))[0].0;
        m.handle(
            300,
            CallInput::Reply(Reply::failed(req, Failure::Network("down".into()))),
        );
        let call = &m.calls()[0];
        assert_eq!(call.problem, Some(Problem::NoReply));
        assert!(call.can_cancel());
        m.handle(400, CallInput::Cancel { id: 1 });
        assert_eq!(sent(&drain(&mut m)).len(), 1);
    }

    #[test]
    fn the_far_end_hanging_up_is_told_apart_with_its_duration() {
        let mut m = live();
        let (at, req) = poll_now(&mut m);
        reply(&mut m, at, req, state(3));
        let answered = at;
        assert_eq!(m.calls()[0].duration_ms(answered + 4_000), 4_000, "live");
        let (at, req) = poll_now(&mut m);
        reply(&mut m, at + 7_000, req, state(4));
        let out = drain(&mut m);
        let call = &m.calls()[0];
        assert!(call.hung_up_by_phone());
        assert_eq!(call.phase, Phase::Ended { cancelled: false });
        assert_eq!(
            call.duration_ms(u64::MAX),
            at + 7_000 - answered,
            "frozen at the end"
        );
        assert!(out.contains(&Output::Event(CallEvent::Settled(call.clone()))));
        // Never answered: ended, not hung up.
        let mut m = live();
        let (at, req) = poll_now(&mut m);
        reply(&mut m, at, req, state(4));
        assert!(!m.calls()[0].hung_up_by_phone());
        assert_eq!(m.calls()[0].duration_ms(u64::MAX), at, "from the placing");
    }

    #[test]
    fn garbage_is_skipped_and_polling_goes_on() {
        let mut m = live();
        let (at, req) = poll_now(&mut m);
        m.handle(
            at + 20,
            CallInput::Reply(Reply::answered(req, 200, "<html>not json</html>".into())),
        );
        let out = drain(&mut m);
        assert!(
            matches!(out[..], [Output::Event(CallEvent::Skipped { .. })]),
            "{out:?}"
        );
        assert_eq!(phase(&m), Phase::Live(CallState::Requesting));
        assert_eq!(m.calls()[0].problem, None);
        assert_eq!(m.poll_timeout(), Some(at + 20 + 1_000));
        let (at, req) = poll_now(&mut m);
        reply(
            &mut m,
            at,
            req,
            r#"{"data":{"stateType":{}},"returnCode":200}"#.into(),
        );
        assert!(matches!(
            drain(&mut m)[..],
            [Output::Event(CallEvent::Skipped { .. })]
        ));
        let (at, req) = poll_now(&mut m);
        reply(&mut m, at, req, state(2));
        assert_eq!(phase(&m), Phase::Live(CallState::Ringing));

        // An unreadable reply to the call itself fails that call only.
        let mut m = CallMachine::new(BASE);
        m.handle(0, CallInput::Place(Target::Service));
        reply(&mut m, 1, 1, "{".into());
        assert_eq!(phase(&m), Phase::Failed);
        assert_eq!(m.calls()[0].problem, Some(Problem::BadReply));
    }

    #[test]
    fn a_server_that_keeps_refusing_the_state_is_given_up_on() {
        let mut m = live();
        let refusal = json(&CallReply::<CallStatus>::error(500, "系统内部异常!"));
        for i in 1..=REFUSALS_BEFORE_GIVING_UP {
            let (at, req) = poll_now(&mut m);
            reply(&mut m, at, req, refusal.clone());
            assert_eq!(
                m.calls()[0].problem,
                Some(Problem::Refused("系统内部异常!".into()))
            );
            if i < REFUSALS_BEFORE_GIVING_UP {
                assert_eq!(m.poll_timeout(), Some(at + POLL_BACKOFF.delay_ms(i)));
            }
        }
        assert_eq!(phase(&m), Phase::Unknown);
        assert!(m.calls()[0].can_cancel(), "the call may still be live");
        let at = m.poll_timeout().expect("still polled, slowly");
        m.handle_timeout(at);
        let req = sent(&drain(&mut m))[0].0;
        reply(&mut m, at, req, state(2));
        assert_eq!(
            phase(&m),
            Phase::Live(CallState::Ringing),
            "and it comes back"
        );
    }

    #[test]
    fn replies_to_unknown_requests_are_ignored() {
        let mut m = live();
        reply(&mut m, 500, 99, state(4));
        m.handle(
            500,
            CallInput::Reply(Reply::failed(98, Failure::Network("down".into()))),
        );
        assert!(drain(&mut m).is_empty());
        assert_eq!(phase(&m), Phase::Live(CallState::Requesting));
    }

    #[test]
    fn several_calls_are_polled_each_on_its_own() {
        let mut m = CallMachine::new(BASE);
        for (i, target) in [Target::User(169918), Target::User(169919)]
            .into_iter()
            .enumerate()
        {
            m.handle(i as u64 * 300, CallInput::Place(target));
            let req = sent(&drain(&mut m))[0].0;
            let started = CallStarted {
                call_sid: format!("sid{i}"),
            };
            reply(
                &mut m,
                i as u64 * 300 + 10,
                req,
                json(&CallReply::ok(started)),
            );
        }
        drain(&mut m);
        assert_eq!(m.poll_timeout(), Some(1_010));
        m.handle_timeout(1_010);
        assert_eq!(
            sent(&drain(&mut m))[0].1,
            CallRequest::State {
                call_sid: "sid0".into()
            }
        );
        assert_eq!(m.poll_timeout(), Some(1_310));
    }

    #[test]
    fn only_the_recent_finished_calls_are_kept() {
        let mut m = CallMachine::new(BASE);
        for i in 0..MAX_RECENT as u64 + 5 {
            m.handle(i, CallInput::Place(Target::User(169999)));
            let req = sent(&drain(&mut m))[0].0;
            reply(
                &mut m,
                i,
                req,
                json(&CallReply::<CallStarted>::error(400, NO_PHONE)),
            );
        }
        assert_eq!(m.calls().len(), MAX_RECENT);
        assert_eq!(m.calls()[0].id, 6, "the oldest went first");
    }
}
