//! One way to call a REST back end: journals the request (with the URL as
//! the caller redacted it) and the reply, and gives up after a deadline so a
//! hung server never freezes a panel. Shells for calls, IVR and meetings use
//! it; what the reply means is their machine's business.

use super::timer::Timer;
use crate::journal::{Journal, Kind, Source};
use gloo_net::http::{Method, RequestBuilder};

/// Long enough for a slow vendor, short enough for a dispatcher to act.
pub const TIMEOUT_MS: u64 = 15_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    None,
    Json(String),
    /// multipart/form-data fields.
    Form(Vec<(String, String)>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    /// The URL as the journal may show it (tokens masked).
    pub logged_url: String,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub text: String,
}

/// Sends `req`; `Err` only when no reply came (network, timeout), in words
/// for the journal and the panel.
pub async fn send(req: HttpRequest, journal: Journal, source: Source) -> Result<HttpReply, String> {
    send_redacted(req, journal, source, str::to_owned).await
}

/// [`send`], with the reply journaled as `shown` redacts it (a reply that
/// carries a token).
pub async fn send_redacted(
    req: HttpRequest,
    journal: Journal,
    source: Source,
    shown: impl Fn(&str) -> String,
) -> Result<HttpReply, String> {
    let line = format!("{} {}", req.method, req.logged_url);
    journal.log(source, Kind::Sent, line.clone());
    let result = fetch(req).await;
    match &result {
        Ok(reply) => journal.log(
            source,
            Kind::Received,
            format!("{} {}", reply.status, shown(&reply.text)),
        ),
        Err(e) => journal.log(source, Kind::Error, format!("{line}: {e}")),
    }
    result
}

async fn fetch(req: HttpRequest) -> Result<HttpReply, String> {
    let abort = web_sys::AbortController::new().map_err(|e| format!("{e:?}"))?;
    let mut builder = RequestBuilder::new(&req.url)
        .method(req.method)
        .abort_signal(Some(&abort.signal()));
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    let request = match req.body {
        Body::None => builder.build(),
        Body::Json(text) => builder
            .header("Content-Type", "application/json")
            .body(text),
        Body::Form(fields) => {
            let form = web_sys::FormData::new().map_err(|e| format!("{e:?}"))?;
            for (k, v) in &fields {
                form.append_with_str(k, v).map_err(|e| format!("{e:?}"))?;
            }
            builder.body(form)
        }
    }
    .map_err(|e| e.to_string())?;

    // The timer aborts the fetch; dropping it after the reply cancels it.
    let mut timer = Timer::new(move || abort.abort());
    timer.set(TIMEOUT_MS);
    let outcome = async {
        let resp = request.send().await.map_err(|e| e.to_string())?;
        let text = resp.text().await.map_err(|e| e.to_string())?;
        Ok(HttpReply {
            status: resp.status(),
            text,
        })
    }
    .await;
    drop(timer);
    outcome
}
