//! Timed outages of one back end at a time, the failures a real deployment
//! sees in front of the vendors' services: a proxy's HTML error page, slow
//! replies, requests never answered, and a voice plugin that falls silent
//! once logged in. Each lasts a given time or until cleared or reset
//! (`POST /_sim/outage`, [`crate::Sim::set_outage`]).

use crate::Sim;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// A back end the simulator imitates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Voice,
    Calls,
    Meeting,
    Ivr,
}

impl Backend {
    fn is_rest(self) -> bool {
        self != Backend::Voice
    }
}

/// How a back end misbehaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outage {
    /// REST: every request answers this 5xx status with an HTML page
    /// (`<html>502 Bad Gateway</html>`), as a reverse proxy does when the
    /// service behind it is down.
    HtmlError { status: u16 },
    /// REST: every reply comes this many milliseconds late.
    Slow { delay_ms: u64 },
    /// REST: requests are read and not answered while the outage lasts
    /// (forever, if it has no end), then answered as usual.
    Hang,
    /// Voice: the socket stays open and the plugin reads every message, but
    /// answers nothing from a logged-in socket. Logging in still works.
    SilentAfterLogin,
}

impl Outage {
    /// Why `self` cannot be set on `backend`, if it cannot.
    pub fn unfit_for(&self, backend: Backend) -> Option<String> {
        match self {
            Outage::HtmlError { status } if !(500..=599).contains(status) => {
                Some(format!("status {status} is not a 5xx"))
            }
            Outage::SilentAfterLogin if backend.is_rest() => {
                Some("silent_after_login is for the voice plugin only".into())
            }
            Outage::HtmlError { .. } | Outage::Slow { .. } | Outage::Hang if !backend.is_rest() => {
                Some("the voice plugin has only silent_after_login".into())
            }
            _ => None,
        }
    }
}

/// The outages in force, each with its end (`None`: until cleared or reset).
#[derive(Debug, Default)]
pub(crate) struct Outages {
    set: BTreeMap<Backend, (Outage, Option<Instant>)>,
}

impl Outages {
    pub fn set(&mut self, backend: Backend, outage: Outage, lasting: Option<Duration>) {
        let until = lasting.map(|d| Instant::now() + d);
        self.set.insert(backend, (outage, until));
    }

    pub fn clear(&mut self, backend: Backend) {
        self.set.remove(&backend);
    }

    /// The outage of `backend` now, and when it ends. An expired one is forgotten.
    pub fn current(&mut self, backend: Backend) -> Option<(Outage, Option<Instant>)> {
        let (outage, until) = self.set.get(&backend)?.clone();
        if until.is_some_and(|u| u <= Instant::now()) {
            self.set.remove(&backend);
            return None;
        }
        Some((outage, until))
    }

    /// The outages in force now, for the snapshot.
    pub fn active(&mut self) -> BTreeMap<Backend, Outage> {
        let backends: Vec<Backend> = self.set.keys().copied().collect();
        backends
            .into_iter()
            .filter_map(|b| self.current(b).map(|(o, _)| (b, o)))
            .collect()
    }
}

/// Middleware in front of one REST back end's routes.
pub(crate) async fn rest(
    State((sim, backend)): State<(Sim, Backend)>,
    req: Request,
    next: Next,
) -> Response {
    match sim.with(|s| s.outages.current(backend)) {
        None => next.run(req).await,
        Some((Outage::HtmlError { status }, _)) => html_error(status),
        Some((Outage::Slow { delay_ms }, _)) => {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            next.run(req).await
        }
        Some((Outage::Hang, _)) => {
            hold(&sim, backend).await;
            next.run(req).await
        }
        // Refused when set; nothing to do for a REST request.
        Some((Outage::SilentAfterLogin, _)) => next.run(req).await,
    }
}

/// Waits while `backend` hangs: until the outage ends, is cleared or
/// replaced, the simulator is reset, or the server shuts down.
async fn hold(sim: &Sim, backend: Backend) {
    loop {
        let changed = sim.outage_changed();
        tokio::pin!(changed);
        // Registered before the state is read, so no change is missed.
        changed.as_mut().enable();
        let until = match sim.with(|s| s.outages.current(backend)) {
            Some((Outage::Hang, until)) => until,
            _ => return,
        };
        match until {
            Some(end) => {
                tokio::select! {
                    () = &mut changed => {}
                    () = tokio::time::sleep_until(end.into()) => {}
                }
            }
            None => changed.await,
        }
    }
}

fn html_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    let body = format!(
        "<html>{} {}</html>",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    (status, [(CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outage_ends_when_its_time_is_up() {
        let mut o = Outages::default();
        o.set(Backend::Calls, Outage::Hang, Some(Duration::ZERO));
        o.set(Backend::Ivr, Outage::Slow { delay_ms: 5 }, None);
        assert_eq!(o.current(Backend::Calls), None);
        assert_eq!(
            o.active().into_iter().collect::<Vec<_>>(),
            [(Backend::Ivr, Outage::Slow { delay_ms: 5 })]
        );
        o.clear(Backend::Ivr);
        assert!(o.active().is_empty());
    }

    #[test]
    fn each_outage_fits_its_kind_of_back_end() {
        assert!(Outage::Hang.unfit_for(Backend::Meeting).is_none());
        assert!(Outage::Hang.unfit_for(Backend::Voice).is_some());
        assert!(Outage::SilentAfterLogin.unfit_for(Backend::Voice).is_none());
        assert!(Outage::SilentAfterLogin.unfit_for(Backend::Ivr).is_some());
        assert!(Outage::HtmlError { status: 404 }
            .unfit_for(Backend::Calls)
            .is_some());
    }
}
