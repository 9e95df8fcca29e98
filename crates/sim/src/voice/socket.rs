//! `GET /voice`: the WebSocket around [`super::VoiceWorld`]. Each socket task
//! reads frames and writes what the world addresses to it; the world is
//! only touched under the lock, between awaits.

use super::ConnId;
use crate::{Backend, Outage, Sim};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::mpsc;

pub(crate) fn routes() -> Router<Sim> {
    Router::new().route("/voice", get(upgrade))
}

/// What a socket task is told to do.
#[derive(Debug)]
pub(crate) enum SocketCmd {
    Text(String),
    /// An audio frame (docs/audio.md).
    Binary(Vec<u8>),
    /// Close without a close frame, as a broken network would.
    Drop,
}

/// The open sockets by connection id.
#[derive(Debug, Default)]
pub(crate) struct Sockets {
    open: HashMap<ConnId, mpsc::UnboundedSender<SocketCmd>>,
}

/// Connection ids stay unique across resets, so a socket still closing from
/// before a reset can never unregister a newer one.
static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

impl Sockets {
    fn add(&mut self, tx: mpsc::UnboundedSender<SocketCmd>) -> ConnId {
        let id = NEXT_CONN.fetch_add(1, Ordering::Relaxed);
        self.open.insert(id, tx);
        id
    }

    fn remove(&mut self, id: ConnId) {
        self.open.remove(&id);
    }

    pub fn send(&self, id: ConnId, text: String) {
        if let Some(tx) = self.open.get(&id) {
            // A closed receiver means the task is ending; nothing to do.
            let _ = tx.send(SocketCmd::Text(text));
        }
    }

    pub fn send_binary(&self, id: ConnId, bytes: Vec<u8>) {
        if let Some(tx) = self.open.get(&id) {
            let _ = tx.send(SocketCmd::Binary(bytes));
        }
    }

    pub fn drop_all(&mut self) {
        for (_, tx) in self.open.drain() {
            let _ = tx.send(SocketCmd::Drop);
        }
    }

    pub fn len(&self) -> usize {
        self.open.len()
    }
}

async fn upgrade(State(sim): State<Sim>, ws: WebSocketUpgrade) -> Response {
    if sim.with(|s| s.faults.voice_refuse_connections) {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "voice service unavailable (simulated fault)",
        )
            .into_response();
    }
    ws.on_upgrade(move |socket| run(sim, socket))
}

async fn run(sim: Sim, socket: WebSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let conn = sim.with(|s| {
        let conn = s.sockets.add(tx);
        s.voice.open(conn);
        conn
    });
    let (mut sink, mut stream) = socket.split();
    loop {
        tokio::select! {
            cmd = rx.recv() => match cmd {
                Some(SocketCmd::Text(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Some(SocketCmd::Binary(bytes)) => {
                    if sink.send(Message::Binary(bytes.into())).await.is_err() {
                        break;
                    }
                }
                Some(SocketCmd::Drop) | None => break,
            },
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(text))) if floor_delay(&sim, text.as_str()).is_some() => {
                    let delay = floor_delay(&sim, text.as_str()).unwrap_or_default();
                    let sim = sim.clone();
                    tokio::spawn(async move {
                        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
                        sim.with(|s| {
                            let out = s.voice.on_text(conn, text.as_str());
                            s.deliver(out);
                        });
                    });
                }
                Some(Ok(Message::Text(text))) => sim.with(|s| {
                    let silent_now = s.outages.current(Backend::Voice).is_some_and(|(o, _)| {
                        o == Outage::SilentAfterLogin && s.voice.is_logged_in(conn)
                    });
                    if s.faults.voice_silent || silent_now {
                        return;
                    }
                    let out = s.voice.on_text(conn, text.as_str());
                    s.deliver(out);
                    super::echo::spawn(&sim, s.voice.echoes_due());
                }),
                Some(Ok(Message::Binary(bytes))) => {
                    let arrival_ms = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_millis() as u64);
                    sim.with(|s| s.voice.on_audio(conn, &bytes, arrival_ms))
                }
                // Pings are answered by the WebSocket layer itself.
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                Some(Ok(Message::Close(_)) | Err(_)) | None => break,
            },
        }
    }
    sim.with(|s| {
        s.sockets.remove(conn);
        s.voice.close(conn);
    });
}

/// The delay set for floor requests, if `text` is one (`Faults::voice_floor_delay_ms`).
fn floor_delay(sim: &Sim, text: &str) -> Option<u64> {
    let delay = sim.with(|s| s.faults.voice_floor_delay_ms)?;
    let kind: serde_json::Value = serde_json::from_str(text).ok()?;
    (kind["type"] == "requestMic").then_some(delay)
}
