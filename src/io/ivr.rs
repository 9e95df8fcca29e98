//! The IVR voice-menu call (document 003): one multipart POST per call, so
//! a desk with a health signal rather than a machine. It is never retried:
//! a repeated request would call the number twice. The token travels in the
//! form; the journal gets the fields with the token masked.

use super::history::History;
use super::http;
use crate::journal::{Journal, Source};
use crate::reactive::{ReadSignal, RwSignal, StoredValue};
use futures::channel::oneshot;
use proto::call::Health;
use proto::history::{Entry, Kind, Outcome};
use proto::ivr::{decode_reply, PlayVoice};
use proto::rest::{self, Body, Credential, Method};

/// What became of one PlayVoice request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IvrOutcome {
    /// Accepted: the server's `desc` (播放命令发送成功).
    Sent { desc: String },
    /// Refused: the server's `msg`, else its `desc`.
    Refused { message: String },
    /// A reply came that could not be read.
    BadReply,
    /// No reply came (network, timeout, 5xx).
    NoReply,
}

/// The form fields for the journal: `name=value` pairs, the token masked.
pub fn redacted_fields(fields: &[(&str, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            if *k == "token" {
                format!("{k}=***")
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads the reply body.
pub fn outcome_of(text: &str) -> Result<IvrOutcome, String> {
    let reply = decode_reply(text).map_err(|e| e.reason)?;
    Ok(match reply.into_result() {
        Ok(data) => IvrOutcome::Sent { desc: data.desc },
        Err(e) => IvrOutcome::Refused { message: e.message },
    })
}

/// The IVR service: where to post, and whether it answered last time.
#[derive(Clone, Copy)]
pub struct IvrDesk {
    url: StoredValue<String>,
    journal: Journal,
    health: RwSignal<Health>,
    next_id: StoredValue<u32>,
    history: History,
}

impl IvrDesk {
    /// Each request's outcome goes to `history`.
    pub fn new(url: String, journal: Journal, history: History) -> Self {
        Self {
            url: StoredValue::new(url),
            journal,
            health: RwSignal::new(Health::Idle),
            next_id: StoredValue::new(0),
            history,
        }
    }

    pub fn url(&self) -> String {
        self.url.get_value()
    }

    /// Green when the last request got a reply, red when none came.
    pub fn health(&self) -> ReadSignal<Health> {
        self.health.read_only()
    }

    /// POSTs `play` (validated by the caller) as multipart/form-data and
    /// says what happened.
    pub async fn play(&self, play: PlayVoice) -> IvrOutcome {
        let start_ms = crate::time::now_ms();
        let (destnumber, customuuid) = (play.destnumber.clone(), play.customuuid.clone());
        let outcome = self.post(play).await;
        let (outcome_word, detail) = match &outcome {
            IvrOutcome::Sent { desc } => (Outcome::Sent, desc.clone()),
            IvrOutcome::Refused { message } => (Outcome::Failed, message.clone()),
            IvrOutcome::BadReply => (Outcome::Failed, String::new()),
            // The call may have gone out all the same.
            IvrOutcome::NoReply => (Outcome::Unknown, String::new()),
        };
        self.history.record(Entry {
            kind: Kind::Ivr,
            target: destnumber,
            who: String::new(),
            start_ms,
            duration_ms: None,
            outcome: outcome_word,
            detail,
            customuuid: customuuid.unwrap_or_default(),
            extension: String::new(),
            call_uuid: String::new(),
        });
        outcome
    }

    async fn post(&self, play: PlayVoice) -> IvrOutcome {
        let fields = play.form_fields();
        let url = self.url.get_value();
        let id = self.next_id.get_value().wrapping_add(1);
        self.next_id.set_value(id);
        let req = rest::Request {
            id,
            method: Method::Post,
            logged_url: format!("{url} [{}]", redacted_fields(&fields)),
            url,
            headers: Vec::new(),
            body: Body::Form(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()),
            credential: Credential::None,
            timeout_ms: rest::REPLY_TIMEOUT_MS,
        };
        let (tx, rx) = oneshot::channel();
        let reply = match http::start(req, "", self.journal, Source::Ivr, str::to_owned, |r| {
            let _ = tx.send(r);
        }) {
            Some(now) => now,
            None => match rx.await {
                Ok(r) => r,
                Err(_) => return IvrOutcome::NoReply,
            },
        };
        match reply.outcome {
            Err(_) => {
                self.health.try_set(Health::Unreachable);
                IvrOutcome::NoReply
            }
            Ok(answer) => {
                self.health.try_set(Health::Online);
                outcome_of(&answer.text).unwrap_or_else(|reason| {
                    self.journal.log(
                        Source::Ivr,
                        crate::journal::Kind::Error,
                        format!("skipped a reply: {reason}"),
                    );
                    IvrOutcome::BadReply
                })
            }
        }
    }
}
