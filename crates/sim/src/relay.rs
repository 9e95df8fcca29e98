//! The callback relay (docs/callbacks.md). The IVR service POSTs its two
//! callbacks (extension status, call record: document 003) to servers the
//! deployment configures, never to a browser. The relay takes both bodies
//! unchanged on two POST endpoints and offers them to consoles as a
//! server-sent event stream, event name = callback kind, data = the body as
//! received. A body is checked with `proto`'s readers (strings or numbers
//! alike, empty fields too) and refused with 400 if unreadable, so a
//! console never gets what it cannot read.
//!
//! The simulator's IVR publishes the callbacks of each accepted request
//! here, a little later, as the real service would post them.

use crate::Sim;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::Stream;
use proto::ivr::{decode_call_record, decode_extension_status};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};

pub const EXTENSION_STATUS: &str = "extension-status";
pub const CALL_RECORD: &str = "call-record";

/// How long after the IVR request the simulator posts each callback.
pub const CALLBACK_GAP: Duration = Duration::from_millis(300);

/// Open streams and the callbacks going to them.
#[derive(Debug, Clone)]
pub struct Relay {
    tx: broadcast::Sender<(&'static str, String)>,
}

impl Default for Relay {
    fn default() -> Self {
        Self {
            tx: broadcast::channel(256).0,
        }
    }
}

impl Relay {
    /// Sends a callback body to every open stream; `kind` is
    /// [`EXTENSION_STATUS`] or [`CALL_RECORD`].
    pub fn publish(&self, kind: &'static str, body: String) {
        // No stream open: nobody to tell.
        let _ = self.tx.send((kind, body));
    }
}

pub(crate) fn routes() -> Router<Sim> {
    Router::new()
        .route("/relay/extension-status", post(extension_status))
        .route("/relay/call-record", post(call_record))
        .route("/relay/events", get(events))
}

fn accept(sim: &Sim, kind: &'static str, body: Bytes, ok: bool) -> Response {
    if !ok {
        return (StatusCode::BAD_REQUEST, "unreadable callback body").into_response();
    }
    sim.relay()
        .publish(kind, String::from_utf8_lossy(&body).into_owned());
    StatusCode::NO_CONTENT.into_response()
}

async fn extension_status(State(sim): State<Sim>, body: Bytes) -> Response {
    let ok = std::str::from_utf8(&body).is_ok_and(|t| decode_extension_status(t).is_ok());
    accept(&sim, EXTENSION_STATUS, body, ok)
}

async fn call_record(State(sim): State<Sim>, body: Bytes) -> Response {
    let ok = std::str::from_utf8(&body).is_ok_and(|t| decode_call_record(t).is_ok());
    accept(&sim, CALL_RECORD, body, ok)
}

async fn events(State(sim): State<Sim>) -> Response {
    let rx = sim.relay().tx.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok((kind, body)) => {
                    // One data line: the bodies are JSON, newlines are only spacing.
                    let data = body.replace(['\r', '\n'], " ");
                    return Some((Ok(Event::default().event(kind).data(data)), rx));
                }
                // A console that fell behind misses some; the stream goes on.
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    let stream: std::pin::Pin<Box<dyn Stream<Item = Result<Event, Infallible>> + Send>> =
        Box::pin(stream);
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}
