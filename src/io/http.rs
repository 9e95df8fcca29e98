//! How every REST request leaves the browser: a [`proto::rest::Request`]
//! from a machine, the secret its `credential` names added here (never in
//! the machine, the journal or a URL it logs), a fetch aborted at the
//! request's own timeout, and the outcome back as a [`Reply`] (a 5xx is a
//! failure whatever its body). The machine keeps the deadline that counts.

use super::timer::Timer;
use crate::journal::{Journal, Kind, Source};
use gloo_net::http::{Method as HttpMethod, RequestBuilder};
use proto::rest::{self, Body, Credential, Failure, Reply};

/// Starts `req`. `secret` is the value for its credential; `shown` redacts
/// a reply body for the journal; `done` gets the reply later. A request that
/// cannot be built gets its reply at once, as the return value (the caller
/// is busy and feeds it back itself).
pub fn start(
    req: rest::Request,
    secret: &str,
    journal: Journal,
    source: Source,
    shown: fn(&str) -> String,
    done: impl FnOnce(Reply) + 'static,
) -> Option<Reply> {
    let id = req.id;
    let line = format!("{} {}", req.method.as_str(), req.logged_url);
    journal.log(source, Kind::Sent, line.clone());
    let request = match build(req, secret) {
        Ok(r) => r,
        Err(failure) => {
            journal.log(source, Kind::Error, format!("{line}: {failure}"));
            return Some(Reply::failed(id, failure));
        }
    };
    leptos::task::spawn_local(async move {
        let reply = match fetch(request).await {
            Ok((status, text)) => {
                journal.log(source, Kind::Received, format!("{status} {}", shown(&text)));
                Reply::answered(id, status, text)
            }
            Err(failure) => {
                journal.log(source, Kind::Error, format!("{line}: {failure}"));
                Reply::failed(id, failure)
            }
        };
        done(reply);
    });
    None
}

struct Ready {
    request: gloo_net::http::Request,
    abort: web_sys::AbortController,
    timeout_ms: u64,
}

/// Checks every value before anything is sent: a header the browser would
/// refuse throws in `fetch`'s setup, before any deadline could be armed.
fn build(req: rest::Request, secret: &str) -> Result<Ready, Failure> {
    let invalid = |e: String| Failure::Invalid(e);
    for (name, value) in &req.headers {
        proto::url::header_value(value).map_err(|e| invalid(format!("{name}: {e}")))?;
    }
    let url = match req.credential {
        Credential::AccessTokenQuery => rest::with_query(&req.url, "access_token", secret),
        Credential::None | Credential::TokenField => req.url,
    };
    let abort = web_sys::AbortController::new().map_err(|e| invalid(format!("{e:?}")))?;
    let mut builder = RequestBuilder::new(&url)
        .method(match req.method {
            rest::Method::Get => HttpMethod::GET,
            rest::Method::Post => HttpMethod::POST,
        })
        .abort_signal(Some(&abort.signal()));
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    let request = match req.body {
        Body::None => builder.build(),
        Body::Json(text) => builder
            .header("Content-Type", "application/json")
            .body(text),
        Body::Form(mut fields) => {
            if req.credential == Credential::TokenField {
                fields.insert(0, ("token".to_owned(), secret.to_owned()));
            }
            let form = web_sys::FormData::new().map_err(|e| invalid(format!("{e:?}")))?;
            for (k, v) in &fields {
                form.append_with_str(k, v)
                    .map_err(|e| invalid(format!("{e:?}")))?;
            }
            builder.body(form)
        }
    }
    .map_err(|e| invalid(e.to_string()))?;
    Ok(Ready {
        request,
        abort,
        timeout_ms: req.timeout_ms,
    })
}

async fn fetch(ready: Ready) -> Result<(u16, String), Failure> {
    let Ready {
        request,
        abort,
        timeout_ms,
    } = ready;
    // The timer aborts the fetch; dropping it after the reply cancels it.
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let mut timer = Timer::new({
        let timed_out = timed_out.clone();
        move || {
            timed_out.set(true);
            abort.abort();
        }
    });
    timer.set(timeout_ms);
    let outcome = async {
        let resp = request.send().await.map_err(|e| e.to_string())?;
        let text = resp.text().await.map_err(|e| e.to_string())?;
        Ok::<_, String>((resp.status(), text))
    }
    .await;
    drop(timer);
    outcome.map_err(|e| {
        if timed_out.get() {
            Failure::Timeout
        } else {
            Failure::Network(e)
        }
    })
}
