//! One REST request type for every machine that talks HTTP (calls, meeting),
//! and the bookkeeping of requests in flight with their reply deadlines.
//!
//! The machine owns the deadline: a request not answered by then counts as
//! [`Failure::Timeout`] and a late answer is ignored, whatever the browser
//! does with the fetch (the shell aborts it at the same deadline to free it).
//! A 5xx is a failure whatever its body: proxies answer 502/503 with JSON or
//! HTML alike, and neither is the back end's word.

/// Long enough for a slow vendor, short enough for a dispatcher to act.
pub const REPLY_TIMEOUT_MS: u64 = 15_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    None,
    Json(String),
    /// multipart/form-data fields, in order.
    Form(Vec<(String, String)>),
}

/// A secret the shell adds to the request, so that the machine, its
/// outputs and the journal never hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    None,
    /// Click-to-call: `access_token` in the query (document 001).
    AccessTokenQuery,
    /// IVR: the `token` form field (document 003).
    TokenField,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Answered by a [`Reply`] with the same id.
    pub id: u32,
    pub method: Method,
    pub url: String,
    /// The URL as the journal may show it.
    pub logged_url: String,
    /// Header values may be session tokens: never journaled.
    pub headers: Vec<(String, String)>,
    pub body: Body,
    pub credential: Credential,
    /// How long the shell lets the fetch run (the machine's own deadline).
    pub timeout_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The network refused (DNS, connection, CORS), in the browser's words.
    Network(String),
    /// No reply within the deadline.
    Timeout,
    /// HTTP 5xx: the server or a proxy in front of it failed.
    Server { status: u16 },
    /// The request could not be built (e.g. a header value that is not
    /// Latin-1); nothing was sent.
    Invalid(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Network(e) => write!(f, "no reply: {e}"),
            Self::Timeout => f.write_str("no reply in time"),
            Self::Server { status } => write!(f, "HTTP {status}"),
            Self::Invalid(e) => write!(f, "not sent: {e}"),
        }
    }
}

pub type Outcome = Result<Answer, Failure>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub id: u32,
    pub outcome: Outcome,
}

impl Reply {
    /// The reply to request `id` that came with HTTP `status`.
    pub fn answered(id: u32, status: u16, text: String) -> Self {
        let outcome = if (500..600).contains(&status) {
            Err(Failure::Server { status })
        } else {
            Ok(Answer { status, text })
        };
        Self { id, outcome }
    }

    pub fn failed(id: u32, failure: Failure) -> Self {
        Self {
            id,
            outcome: Err(failure),
        }
    }
}

/// Requests in flight: what each was for and when it stops being awaited.
#[derive(Debug)]
pub struct Pending<P> {
    next_id: u32,
    items: Vec<(u32, P, u64)>,
}

impl<P> Default for Pending<P> {
    fn default() -> Self {
        Self {
            next_id: 1,
            items: Vec::new(),
        }
    }
}

impl<P> Pending<P> {
    /// Records a request for `purpose` sent at `now`; returns its id.
    pub fn start(&mut self, now: u64, purpose: P) -> u32 {
        self.start_for(now, purpose, REPLY_TIMEOUT_MS)
    }

    /// [`Pending::start`] with a deadline of its own, `timeout_ms` after `now`.
    pub fn start_for(&mut self, now: u64, purpose: P, timeout_ms: u64) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        self.items
            .push((id, purpose, now.saturating_add(timeout_ms)));
        id
    }

    /// The purpose of request `id`, if it is still awaited.
    pub fn take(&mut self, id: u32) -> Option<P> {
        let i = self.items.iter().position(|(r, _, _)| *r == id)?;
        Some(self.items.remove(i).1)
    }

    pub fn next_deadline(&self) -> Option<u64> {
        self.items.iter().map(|(_, _, at)| *at).min()
    }

    /// Removes and returns the requests whose deadline has passed.
    pub fn expired(&mut self, now: u64) -> Vec<(u32, P)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.items.len() {
            if self.items[i].2 <= now {
                let (id, p, _) = self.items.remove(i);
                out.push((id, p));
            } else {
                i += 1;
            }
        }
        out
    }

    /// Forgets the requests `keep` says no to (their answers will be ignored).
    pub fn retain(&mut self, mut keep: impl FnMut(&P) -> bool) {
        self.items.retain(|(_, p, _)| keep(p));
    }

    pub fn iter(&self) -> impl Iterator<Item = &P> {
        self.items.iter().map(|(_, p, _)| p)
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Appends `key=value` (value percent-encoded) to a URL's query.
pub fn with_query(url: &str, key: &str, value: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{key}={}", crate::url::percent_encode(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_5xx_is_a_failure_whatever_its_body() {
        let r = Reply::answered(3, 503, r#"{"status":"success","result":true}"#.into());
        assert_eq!(r.outcome, Err(Failure::Server { status: 503 }));
        let r = Reply::answered(3, 404, "{}".into());
        assert!(r.outcome.is_ok());
    }

    #[test]
    fn requests_expire_at_their_deadline_and_late_answers_find_nothing() {
        let mut p = Pending::default();
        let a = p.start(0, "a");
        let b = p.start(1_000, "b");
        assert_eq!(p.next_deadline(), Some(REPLY_TIMEOUT_MS));
        assert!(p.expired(REPLY_TIMEOUT_MS - 1).is_empty());
        assert_eq!(p.expired(REPLY_TIMEOUT_MS), vec![(a, "a")]);
        assert_eq!(p.take(a), None);
        assert_eq!(p.take(b), Some("b"));
        assert!(p.is_empty());
    }

    #[test]
    fn a_deadline_near_the_end_of_time_saturates() {
        let mut p = Pending::default();
        p.start(u64::MAX - 1, ());
        assert_eq!(p.next_deadline(), Some(u64::MAX));
    }

    #[test]
    fn query_values_are_appended_encoded() {
        assert_eq!(with_query("/a", "k", "x y"), "/a?k=x%20y");
        assert_eq!(with_query("/a?b=1", "k", "+"), "/a?b=1&k=%2B");
    }
}
