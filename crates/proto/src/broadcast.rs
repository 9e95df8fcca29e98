//! Broadcast: the same IVR voice menu (document 003) to a list of numbers,
//! as a sans-IO [`Machine`]. One request at a time, at most one every
//! `interval_ms` (the vendor bills and throttles per call); pause, resume,
//! cancel; retry of the numbers that failed. Each number gets its own
//! `customuuid` (`<batch>-<n>`) so callbacks can be matched to it.
//!
//! A request with no reply is [`Status::Unknown`], never retried by itself:
//! the number may have been called. Only refused or unreadable requests
//! (and 5xx but a gateway timeout) are [`Status::Failed`] and retried on
//! demand. The whole batch is a [`Snapshot`] the app stores; restored after
//! a reload it comes back paused, and a request that was under way is
//! unknown, since its reply was lost with the page.

use crate::history::csv_field;
use crate::ivr::{decode_reply, PlayVoice};
use crate::machine::{Machine, Outbox, Output};
use crate::rest::{self, Body, Credential, Failure, Method, Pending, Reply};

/// The shortest gap allowed between two requests.
pub const MIN_INTERVAL_MS: u64 = 200;

/// The first line of a stored [`Snapshot`].
const STORE_VERSION: &str = "broadcast 1";

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Waiting,
    Sending,
    /// Accepted: the server's `desc`.
    Sent {
        desc: String,
    },
    /// Refused (the server's words), unreadable, or a server failure.
    Failed {
        detail: String,
    },
    /// No reply: it may have been called.
    Unknown,
    /// Cancelled before it was sent.
    Skipped,
}

impl Status {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Sending => "sending",
            Self::Sent { .. } => "sent",
            Self::Failed { .. } => "failed",
            Self::Unknown => "unknown",
            Self::Skipped => "skipped",
        }
    }

    fn is_done(&self) -> bool {
        !matches!(self, Self::Waiting | Self::Sending)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub number: String,
    pub customuuid: String,
    pub status: Status,
    pub attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Run {
    Running,
    Paused,
    Cancelled,
    /// Every number has an outcome.
    Done,
}

/// Everything a reload must not lose; no token (the shell adds it).
/// Stored as text of its own ([`Snapshot::encode`]): a derived decoder of
/// these types would weigh on the app's bundle far more.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub batch: String,
    /// The voice menu, `token` and `destnumber` empty.
    pub form: Vec<(String, String)>,
    pub interval_ms: u64,
    pub run: Run,
    pub recipients: Vec<Recipient>,
}

impl Snapshot {
    /// A batch of `template` (its token, destnumber and customuuid left
    /// out) to `numbers`, running.
    pub fn of_batch(
        batch: String,
        template: &PlayVoice,
        numbers: Vec<String>,
        interval_ms: u64,
    ) -> Self {
        let form = template
            .form_fields()
            .into_iter()
            .filter(|(k, _)| !matches!(*k, "token" | "destnumber" | "customuuid"))
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let recipients = numbers
            .into_iter()
            .enumerate()
            .map(|(i, number)| Recipient {
                number,
                customuuid: format!("{batch}-{}", i + 1),
                status: Status::Waiting,
                attempts: 0,
            })
            .collect();
        Self {
            batch,
            form,
            interval_ms: interval_ms.max(MIN_INTERVAL_MS),
            run: Run::Running,
            recipients,
        }
    }

    /// Lines of tab-separated fields (tabs, line breaks and backslashes
    /// escaped): a version, the batch, the voice menu's fields, then one
    /// line a number.
    pub fn encode(&self) -> String {
        let run = match self.run {
            Run::Running => "running",
            Run::Paused => "paused",
            Run::Cancelled => "cancelled",
            Run::Done => "done",
        };
        let mut out = format!(
            "{STORE_VERSION}\n{}\t{}\t{run}\n",
            escape(&self.batch),
            self.interval_ms
        );
        let form: Vec<String> = self
            .form
            .iter()
            .flat_map(|(k, v)| [escape(k), escape(v)])
            .collect();
        out.push_str(&form.join("\t"));
        for r in &self.recipients {
            let detail = match &r.status {
                Status::Sent { desc } => desc.as_str(),
                Status::Failed { detail } => detail.as_str(),
                _ => "",
            };
            out.push_str(&format!(
                "\n{}\t{}\t{}\t{}\t{}",
                escape(&r.number),
                escape(&r.customuuid),
                r.status.as_str(),
                r.attempts,
                escape(detail)
            ));
        }
        out
    }

    /// What [`Snapshot::encode`] wrote; `None` for anything else.
    pub fn decode(text: &str) -> Option<Self> {
        let mut lines = text.split('\n');
        if lines.next()? != STORE_VERSION {
            return None;
        }
        let head: Vec<String> = lines.next()?.split('\t').map(unescape).collect();
        let [batch, interval, run] = <[String; 3]>::try_from(head).ok()?;
        let run = match run.as_str() {
            "running" => Run::Running,
            "paused" => Run::Paused,
            "cancelled" => Run::Cancelled,
            "done" => Run::Done,
            _ => return None,
        };
        let form_line = lines.next()?;
        let form_fields: Vec<String> = if form_line.is_empty() {
            Vec::new()
        } else {
            form_line.split('\t').map(unescape).collect()
        };
        if !form_fields.len().is_multiple_of(2) {
            return None;
        }
        let form = form_fields
            .chunks(2)
            .map(|kv| (kv[0].clone(), kv[1].clone()))
            .collect();
        let recipients = lines
            .map(|line| {
                let fields: Vec<String> = line.split('\t').map(unescape).collect();
                let [number, customuuid, status, attempts, detail] =
                    <[String; 5]>::try_from(fields).ok()?;
                let status = match status.as_str() {
                    "waiting" => Status::Waiting,
                    "sending" => Status::Sending,
                    "sent" => Status::Sent { desc: detail },
                    "failed" => Status::Failed { detail },
                    "unknown" => Status::Unknown,
                    "skipped" => Status::Skipped,
                    _ => return None,
                };
                Some(Recipient {
                    number,
                    customuuid,
                    status,
                    attempts: attempts.parse().ok()?,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Self {
            batch,
            form,
            interval_ms: interval.parse().ok()?,
            run,
            recipients,
        })
    }

    /// No batch: nothing to send, nothing to show.
    pub fn none() -> Self {
        Self {
            batch: String::new(),
            form: Vec::new(),
            interval_ms: MIN_INTERVAL_MS,
            run: Run::Done,
            recipients: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BroadcastInput {
    /// A new batch (see [`Broadcast::new`]); ignored while one is running
    /// or paused. Replies still due for the batch it replaces are dropped.
    Start {
        batch: String,
        template: Box<PlayVoice>,
        numbers: Vec<String>,
        interval_ms: u64,
    },
    Pause,
    Resume,
    Cancel,
    /// Failed numbers wait again; the run resumes.
    RetryFailed,
    Reply(Reply),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BroadcastView {
    pub run: Run,
    pub recipients: Vec<Recipient>,
}

impl BroadcastView {
    /// (numbers with an outcome, all numbers).
    pub fn progress(&self) -> (usize, usize) {
        let done = self
            .recipients
            .iter()
            .filter(|r| r.status.is_done())
            .count();
        (done, self.recipients.len())
    }
}

#[derive(Debug)]
pub struct Broadcast {
    url: String,
    snap: Snapshot,
    next_send_at: u64,
    pending: Pending<usize>,
    out: Outbox<rest::Request, Recipient>,
}

impl Broadcast {
    /// A batch to `numbers` of the voice menu `template` (its token and
    /// destnumber are ignored), posted to `url`, one every `interval_ms`
    /// from `now`. `batch` names it (a time is enough) in each customuuid.
    pub fn new(
        url: impl Into<String>,
        batch: impl Into<String>,
        template: &PlayVoice,
        numbers: Vec<String>,
        interval_ms: u64,
        now: u64,
    ) -> Self {
        Self::restored(
            url,
            Snapshot::of_batch(batch.into(), template, numbers, interval_ms),
            now,
        )
    }

    /// No batch yet: waits for [`BroadcastInput::Start`].
    pub fn idle(url: impl Into<String>, now: u64) -> Self {
        Self::restored(url, Snapshot::none(), now)
    }

    /// A batch stored by an earlier page: paused, and a request that was
    /// under way is unknown (its reply went with the page).
    pub fn restore(url: impl Into<String>, mut snap: Snapshot, now: u64) -> Self {
        for r in &mut snap.recipients {
            if r.status == Status::Sending {
                r.status = Status::Unknown;
            }
        }
        if snap.run == Run::Running {
            snap.run = Run::Paused;
        }
        Self::restored(url, snap, now)
    }

    fn restored(url: impl Into<String>, snap: Snapshot, now: u64) -> Self {
        let mut b = Self {
            url: url.into(),
            snap,
            next_send_at: now,
            pending: Pending::default(),
            out: Outbox::default(),
        };
        b.finish_if_done();
        b
    }

    /// What to store now.
    pub fn snapshot(&self) -> &Snapshot {
        &self.snap
    }

    fn finish_if_done(&mut self) {
        if self.snap.run == Run::Running && self.snap.recipients.iter().all(|r| r.status.is_done())
        {
            self.snap.run = Run::Done;
        }
    }

    fn send_due(&mut self, now: u64) {
        if self.snap.run != Run::Running || !self.pending.is_empty() || now < self.next_send_at {
            return;
        }
        let Some(i) = self
            .snap
            .recipients
            .iter()
            .position(|r| r.status == Status::Waiting)
        else {
            return;
        };
        let r = &mut self.snap.recipients[i];
        r.status = Status::Sending;
        r.attempts += 1;
        let mut fields = self.snap.form.clone();
        fields.push(("destnumber".to_owned(), r.number.clone()));
        fields.push(("customuuid".to_owned(), r.customuuid.clone()));
        let id = self.pending.start(now, i);
        self.next_send_at = now.saturating_add(self.snap.interval_ms);
        self.out.send(rest::Request {
            id,
            method: Method::Post,
            logged_url: format!("{} [destnumber={}]", self.url, r.number),
            url: self.url.clone(),
            headers: Vec::new(),
            body: Body::Form(fields),
            credential: Credential::TokenField,
            timeout_ms: rest::REPLY_TIMEOUT_MS,
        });
        self.out.changed();
    }

    fn replied(&mut self, i: usize, outcome: Result<rest::Answer, Failure>) {
        let status = match outcome {
            Ok(answer) => match decode_reply(&answer.text).map(|r| r.into_result()) {
                Ok(Ok(data)) => Status::Sent { desc: data.desc },
                Ok(Err(e)) => Status::Failed { detail: e.message },
                Err(e) => Status::Failed { detail: e.reason },
            },
            Err(Failure::Server { status }) if status != 504 => Status::Failed {
                detail: format!("HTTP {status}"),
            },
            Err(Failure::Invalid(why)) => Status::Failed { detail: why },
            Err(_) => Status::Unknown,
        };
        if let Some(r) = self.snap.recipients.get_mut(i) {
            r.status = status;
            self.out.event(r.clone());
        }
        self.finish_if_done();
        self.out.changed();
    }

    /// The per-number results as CSV.
    pub fn csv(&self) -> String {
        let mut out = String::from("number,status,attempts,detail,customuuid\r\n");
        for r in &self.snap.recipients {
            let detail = match &r.status {
                Status::Sent { desc } => desc.as_str(),
                Status::Failed { detail } => detail.as_str(),
                _ => "",
            };
            out.push_str(&format!(
                "{},{},{},{},{}\r\n",
                csv_field(&r.number),
                r.status.as_str(),
                r.attempts,
                csv_field(detail),
                csv_field(&r.customuuid)
            ));
        }
        out
    }
}

impl Machine for Broadcast {
    type Input = BroadcastInput;
    type Send = rest::Request;
    /// A number whose request settled (sent, failed or unknown), for the history.
    type Event = Recipient;
    type View = BroadcastView;

    fn handle(&mut self, now: u64, input: BroadcastInput) {
        match input {
            BroadcastInput::Pause if self.snap.run == Run::Running => self.snap.run = Run::Paused,
            BroadcastInput::Resume if self.snap.run == Run::Paused => {
                self.snap.run = Run::Running;
                self.finish_if_done();
            }
            BroadcastInput::Cancel if matches!(self.snap.run, Run::Running | Run::Paused) => {
                self.snap.run = Run::Cancelled;
                for r in &mut self.snap.recipients {
                    if r.status == Status::Waiting {
                        r.status = Status::Skipped;
                    }
                }
            }
            BroadcastInput::RetryFailed if self.snap.run != Run::Cancelled => {
                for r in &mut self.snap.recipients {
                    if matches!(r.status, Status::Failed { .. }) {
                        r.status = Status::Waiting;
                    }
                }
                self.snap.run = Run::Running;
                self.finish_if_done();
            }
            BroadcastInput::Start {
                batch,
                template,
                numbers,
                interval_ms,
            } if matches!(self.snap.run, Run::Done | Run::Cancelled) => {
                self.pending.retain(|_| false);
                self.snap = Snapshot::of_batch(batch, &template, numbers, interval_ms);
                self.next_send_at = now;
                self.finish_if_done();
            }
            BroadcastInput::Reply(Reply { id, outcome }) => {
                if let Some(i) = self.pending.take(id) {
                    self.replied(i, outcome);
                }
            }
            _ => return,
        }
        self.out.changed();
        self.send_due(now);
    }

    fn poll_timeout(&self) -> Option<u64> {
        let next_send = (self.snap.run == Run::Running
            && self.pending.is_empty()
            && self
                .snap
                .recipients
                .iter()
                .any(|r| r.status == Status::Waiting))
        .then_some(self.next_send_at);
        next_send
            .into_iter()
            .chain(self.pending.next_deadline())
            .min()
    }

    fn handle_timeout(&mut self, now: u64) {
        for (_, i) in self.pending.expired(now) {
            self.replied(i, Err(Failure::Timeout));
        }
        self.send_due(now);
    }

    fn poll_output(&mut self) -> Option<Output<rest::Request, Recipient>> {
        self.out.pop()
    }

    fn view(&self) -> BroadcastView {
        BroadcastView {
            run: self.snap.run,
            recipients: self.snap.recipients.clone(),
        }
    }
}

/// The numbers of a pasted list or a CSV file: on each line, the first
/// field (split on `,`, `;`, tabs or spaces; quotes dropped) made only of
/// digits, once each. Lines with none (a header) are skipped; lines with
/// something else are returned as rejected.
pub fn parse_numbers(text: &str) -> (Vec<String>, Vec<String>) {
    let mut numbers: Vec<String> = Vec::new();
    let mut rejected = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let fields: Vec<&str> = line
            .split([',', ';', '\t', ' '])
            .map(|f| f.trim().trim_matches('"'))
            .filter(|f| !f.is_empty())
            .collect();
        match fields
            .iter()
            .find(|f| f.bytes().all(|b| b.is_ascii_digit()))
        {
            Some(n) if !numbers.iter().any(|x| x == n) => numbers.push((*n).to_owned()),
            Some(_) => {}
            None if fields.iter().any(|f| f.bytes().any(|b| b.is_ascii_digit())) => {
                rejected.push(line.to_owned())
            }
            None => {}
        }
    }
    (numbers, rejected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ivr::{IvrReply, IvrReplyData, VoiceType};
    use crate::machine::drain;

    const URL: &str = "http://ivr.example/ivr";

    fn template() -> PlayVoice {
        let mut p = PlayVoice::new("SECRET", "", VoiceType::Offline, "welcome.wav");
        p.userid = Some("1@extGroup-1".parse().unwrap());
        p
    }

    fn numbers(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("1333333{i:04}")).collect()
    }

    fn sent(b: &mut Broadcast) -> Vec<rest::Request> {
        drain(b)
            .into_iter()
            .filter_map(|o| match o {
                Output::Send(r) => Some(r),
                _ => None,
            })
            .collect()
    }

    fn field<'a>(r: &'a rest::Request, name: &str) -> Option<&'a str> {
        let Body::Form(f) = &r.body else { return None };
        f.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn ok() -> String {
        serde_json::to_string(&IvrReply::ok(IvrReplyData {
            status: 0,
            desc: "播放命令发送成功".into(),
            reqtime: 1,
            rsptime: 1,
        }))
        .unwrap()
    }

    fn refused() -> String {
        serde_json::to_string(&IvrReply::error(400, "号码无效")).unwrap()
    }

    /// Runs the clock to the next send and answers it with `reply`.
    fn step(b: &mut Broadcast, reply: impl FnOnce(u32) -> Reply) -> (u64, rest::Request) {
        let at = b.poll_timeout().expect("a send is due");
        b.handle_timeout(at);
        let r = sent(b).pop().expect("one request");
        b.handle(at + 10, BroadcastInput::Reply(reply(r.id)));
        (at, r)
    }

    #[test]
    fn sends_one_at_a_time_at_the_bounded_rate_with_its_own_customuuid() {
        let mut b = Broadcast::new(URL, "b7", &template(), numbers(3), 1_000, 0);
        assert_eq!(b.poll_timeout(), Some(0));
        let mut times = Vec::new();
        for n in 1..=3 {
            let (at, r) = step(&mut b, |id| Reply::answered(id, 200, ok()));
            times.push(at);
            assert_eq!(
                r.credential,
                Credential::TokenField,
                "the shell adds the token"
            );
            assert_eq!(field(&r, "token"), None);
            assert_eq!(field(&r, "customuuid"), Some(format!("b7-{n}").as_str()));
            assert_eq!(field(&r, "destnumber"), Some(numbers(3)[n - 1].as_str()));
            assert_eq!(field(&r, "userid"), Some("1@extGroup-1"));
            assert_eq!(field(&r, "voicefile"), Some("welcome.wav"));
        }
        assert_eq!(times, [0, 1_000, 2_000], "never faster than the interval");
        assert_eq!(b.view().run, Run::Done);
        assert_eq!(b.view().progress(), (3, 3));
        assert_eq!(b.poll_timeout(), None);
    }

    #[test]
    fn a_slow_reply_holds_the_next_send() {
        let mut b = Broadcast::new(URL, "b", &template(), numbers(2), 1_000, 0);
        b.handle_timeout(0);
        let first = sent(&mut b).pop().unwrap();
        b.handle_timeout(5_000);
        assert!(sent(&mut b).is_empty(), "one request at a time");
        b.handle(
            5_000,
            BroadcastInput::Reply(Reply::answered(first.id, 200, ok())),
        );
        assert_eq!(
            sent(&mut b).len(),
            1,
            "the next goes once the gap has passed"
        );
    }

    #[test]
    fn failures_are_kept_apart_from_unknowns_and_retried_on_demand() {
        let mut b = Broadcast::new(URL, "b", &template(), numbers(4), 500, 0);
        step(&mut b, |id| Reply::answered(id, 200, refused()));
        step(&mut b, |id| Reply::answered(id, 502, "<html>".into()));
        step(&mut b, |id| {
            Reply::failed(id, Failure::Network("down".into()))
        });
        step(&mut b, |id| Reply::answered(id, 200, ok()));
        let v = b.view();
        let statuses: Vec<&str> = v.recipients.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses, ["failed", "failed", "unknown", "sent"]);
        assert_eq!(
            v.recipients[0].status,
            Status::Failed {
                detail: "号码无效".into()
            },
            "the server's words"
        );
        assert_eq!(v.run, Run::Done);

        b.handle(10_000, BroadcastInput::RetryFailed);
        let r = sent(&mut b).pop().expect("the first failed goes again");
        assert_eq!(field(&r, "destnumber"), Some(numbers(4)[0].as_str()));
        b.handle(
            10_010,
            BroadcastInput::Reply(Reply::answered(r.id, 200, ok())),
        );
        let (_, r) = step(&mut b, |id| Reply::answered(id, 200, ok()));
        assert_eq!(field(&r, "destnumber"), Some(numbers(4)[1].as_str()));
        assert_eq!(
            b.poll_timeout(),
            None,
            "the unknown one is not called again"
        );
        let v = b.view();
        assert_eq!(v.recipients[0].attempts, 2);
        assert_eq!(v.recipients[2].status, Status::Unknown);
        assert_eq!(v.run, Run::Done);
        assert!(b.csv().contains(&format!(
            "\r\n{},sent,2,播放命令发送成功,b-1\r\n",
            numbers(4)[0]
        )));
    }

    #[test]
    fn pause_resume_and_cancel() {
        let mut b = Broadcast::new(URL, "b", &template(), numbers(3), 1_000, 0);
        b.handle_timeout(0);
        let r = sent(&mut b).pop().unwrap();
        b.handle(10, BroadcastInput::Pause);
        b.handle(20, BroadcastInput::Reply(Reply::answered(r.id, 200, ok())));
        assert_eq!(
            b.view().recipients[0].status.as_str(),
            "sent",
            "the reply still counts"
        );
        assert_eq!(b.poll_timeout(), None, "paused: nothing more goes");
        b.handle(5_000, BroadcastInput::Resume);
        assert_eq!(sent(&mut b).len(), 1, "resumed, the gap long passed");
        b.handle(5_001, BroadcastInput::Cancel);
        let v = b.view();
        assert_eq!(v.run, Run::Cancelled);
        assert_eq!(v.recipients[2].status, Status::Skipped);
        assert_eq!(v.recipients[1].status, Status::Sending, "in flight already");
        b.handle(5_002, BroadcastInput::Resume);
        assert_eq!(b.view().run, Run::Cancelled);
    }

    #[test]
    fn a_reload_restores_the_batch_paused_with_the_lost_request_unknown() {
        let mut b = Broadcast::new(URL, "b", &template(), numbers(3), 1_000, 0);
        step(&mut b, |id| Reply::answered(id, 200, ok()));
        b.handle_timeout(b.poll_timeout().unwrap());
        sent(&mut b);
        let stored = b.snapshot().encode();
        assert!(!stored.contains("SECRET"), "no token stored");

        let snap = Snapshot::decode(&stored).unwrap();
        assert_eq!(&snap, b.snapshot());
        let mut b = Broadcast::restore(URL, snap, 60_000);
        let v = b.view();
        assert_eq!(v.run, Run::Paused);
        let statuses: Vec<&str> = v.recipients.iter().map(|r| r.status.as_str()).collect();
        assert_eq!(statuses, ["sent", "unknown", "waiting"]);
        assert_eq!(b.poll_timeout(), None);
        b.handle(60_000, BroadcastInput::Resume);
        let r = sent(&mut b).pop().unwrap();
        assert_eq!(field(&r, "destnumber"), Some(numbers(3)[2].as_str()));
        assert_eq!(field(&r, "customuuid"), Some("b-3"));
    }

    #[test]
    fn a_request_with_no_reply_in_time_is_unknown() {
        let mut b = Broadcast::new(URL, "b", &template(), numbers(2), 1_000, 0);
        b.handle_timeout(0);
        sent(&mut b);
        b.handle_timeout(rest::REPLY_TIMEOUT_MS);
        assert_eq!(b.view().recipients[0].status, Status::Unknown);
        assert_eq!(sent(&mut b).len(), 1, "and the next goes");
    }

    #[test]
    fn an_idle_desk_starts_one_batch_at_a_time_and_reports_each_number_settled() {
        let mut b = Broadcast::idle(URL, 0);
        assert_eq!(b.view().progress(), (0, 0));
        assert_eq!(b.poll_timeout(), None);
        let start = |batch: &str, n| BroadcastInput::Start {
            batch: batch.into(),
            template: Box::new(template()),
            numbers: numbers(n),
            interval_ms: 0,
        };
        b.handle(100, start("b1", 2));
        let first = sent(&mut b).pop().expect("sent at once");
        assert_eq!(field(&first, "customuuid"), Some("b1-1"));
        b.handle(150, start("b2", 5));
        assert_eq!(b.view().recipients.len(), 2, "one batch at a time");
        b.handle(
            200,
            BroadcastInput::Reply(Reply::answered(first.id, 200, refused())),
        );
        let settled: Vec<Recipient> = drain(&mut b)
            .into_iter()
            .filter_map(|o| match o {
                Output::Event(r) => Some(r),
                _ => None,
            })
            .collect();
        assert_eq!(settled.len(), 1);
        assert_eq!(settled[0].customuuid, "b1-1");
        assert_eq!(settled[0].status.as_str(), "failed");

        // The interval is at least MIN_INTERVAL_MS.
        assert_eq!(b.poll_timeout(), Some(100 + MIN_INTERVAL_MS));
        b.handle_timeout(100 + MIN_INTERVAL_MS);
        let second = sent(&mut b).pop().unwrap();
        b.handle(400, BroadcastInput::Cancel);
        b.handle(500, start("b2", 3));
        assert_eq!(b.snapshot().batch, "b2", "a cancelled batch is replaced");
        let next = sent(&mut b).pop().unwrap();
        assert_eq!(field(&next, "customuuid"), Some("b2-1"));
        b.handle(
            510,
            BroadcastInput::Reply(Reply::answered(second.id, 200, ok())),
        );
        assert_eq!(
            b.view().recipients[1].status,
            Status::Waiting,
            "a reply of the old batch changes nothing"
        );
    }

    #[test]
    fn a_snapshot_reads_back_whatever_its_text_holds() {
        let mut snap = Snapshot::of_batch("b\t1".into(), &template(), numbers(3), 500);
        snap.form.push(("voicefile".into(), "a\\b\nc\td\r".into()));
        snap.run = Run::Cancelled;
        snap.recipients[0].status = Status::Sent {
            desc: "播放命令发送成功".into(),
        };
        snap.recipients[0].attempts = 2;
        snap.recipients[1].status = Status::Failed {
            detail: "line\nbreak\\".into(),
        };
        snap.recipients[2].status = Status::Skipped;
        assert_eq!(Snapshot::decode(&snap.encode()), Some(snap.clone()));
        let none = Snapshot::none();
        assert_eq!(Snapshot::decode(&none.encode()), Some(none));
        for bad in [
            "",
            "broadcast 2\nb\t1\tdone\n",
            "[]",
            "broadcast 1\nb\tx\tdone\n",
        ] {
            assert_eq!(Snapshot::decode(bad), None, "{bad:?}");
        }
        let mut text = snap.encode();
        text.push_str("\n1\tb-9\tlost\t1\t");
        assert_eq!(Snapshot::decode(&text), None, "an unknown status");
    }

    #[test]
    fn numbers_come_from_pasted_text_or_csv() {
        let text = "phone,name\n13333333333, 张三\n\"13444444444\";李四\n13333333333\n133-4444\n\n13555555555\n";
        let (numbers, rejected) = parse_numbers(text);
        assert_eq!(numbers, ["13333333333", "13444444444", "13555555555"]);
        assert_eq!(rejected, ["133-4444"]);
    }
}
