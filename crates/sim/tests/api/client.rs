//! Just enough HTTP/1.1 for the tests: one request per connection
//! (`Connection: close`), chunked bodies decoded, and an SSE reader.

use serde_json::Value;
use sim::{Sim, SimConfig};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

pub const WAIT: Duration = Duration::from_secs(5);

/// A simulator on 127.0.0.1 with a free port, running until the test ends.
pub async fn start(cfg: SimConfig) -> (SocketAddr, Sim) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let sim = Sim::new(cfg);
    tokio::spawn(sim::serve(listener, sim.clone(), std::future::pending()));
    (addr, sim)
}

pub async fn start_default() -> (SocketAddr, Sim) {
    start(SimConfig::default()).await
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

async fn send_head(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> TcpStream {
    let mut s = TcpStream::connect(addr).await.expect("connect");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).await.expect("write");
    s.write_all(body).await.expect("write body");
    s
}

async fn read_head(r: &mut BufReader<TcpStream>) -> (u16, Vec<(String, String)>) {
    let mut line = String::new();
    r.read_line(&mut line).await.expect("status line");
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let mut headers = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line).await.expect("header");
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    (status, headers)
}

/// One chunk of a chunked body; `None` at the end.
async fn read_chunk(r: &mut BufReader<TcpStream>) -> Option<Vec<u8>> {
    let mut line = String::new();
    r.read_line(&mut line).await.ok()?;
    let size = usize::from_str_radix(line.trim(), 16).ok()?;
    let mut buf = vec![0; size + 2];
    r.read_exact(&mut buf).await.ok()?;
    buf.truncate(size);
    (size > 0).then_some(buf)
}

pub async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let s = send_head(addr, method, path, headers, body).await;
    let mut r = BufReader::new(s);
    let (status, headers) = tokio::time::timeout(WAIT, read_head(&mut r))
        .await
        .expect("head in time");
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let mut body = Vec::new();
    if chunked {
        while let Some(c) = read_chunk(&mut r).await {
            body.extend(c);
        }
    } else {
        tokio::time::timeout(WAIT, r.read_to_end(&mut body))
            .await
            .expect("body in time")
            .expect("body");
    }
    Resp {
        status,
        headers,
        body,
    }
}

pub async fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[], b"").await
}

pub async fn post_json(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: &Value,
) -> Resp {
    let mut h = vec![("Content-Type", "application/json")];
    h.extend_from_slice(headers);
    request(addr, "POST", path, &h, body.to_string().as_bytes()).await
}

/// A Server-Sent Events stream being read.
pub struct Sse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    reader: BufReader<TcpStream>,
    text: String,
}

impl Sse {
    pub async fn open(addr: SocketAddr, path: &str) -> Sse {
        let s = send_head(addr, "GET", path, &[("Accept", "text/event-stream")], b"").await;
        let mut reader = BufReader::new(s);
        let (status, headers) = tokio::time::timeout(WAIT, read_head(&mut reader))
            .await
            .expect("head in time");
        Sse {
            status,
            headers,
            reader,
            text: String::new(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The next event (name, data), skipping keep-alive comments; `None`
    /// when the stream ends or nothing comes within [`WAIT`].
    pub async fn next(&mut self) -> Option<(String, String)> {
        loop {
            if let Some(end) = self.text.find("\n\n") {
                let block: String = self.text.drain(..end + 2).collect();
                let (mut name, mut data) = (String::from("message"), String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        name = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim_start());
                    }
                }
                if data.is_empty() && block.lines().all(|l| l.starts_with(':') || l.is_empty()) {
                    continue;
                }
                return Some((name, data));
            }
            let chunk = tokio::time::timeout(WAIT, read_chunk(&mut self.reader))
                .await
                .ok()??;
            self.text.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// Events until one named `name` (inclusive); panics if the stream ends first.
    pub async fn until(&mut self, name: &str) -> Vec<(String, String)> {
        let mut seen = Vec::new();
        loop {
            let e = self
                .next()
                .await
                .unwrap_or_else(|| panic!("stream ended before {name}; saw {seen:?}"));
            let done = e.0 == name;
            seen.push(e);
            if done {
                return seen;
            }
        }
    }
}

pub mod ws {
    use super::WAIT;
    use futures_util::{SinkExt, StreamExt};
    use serde_json::Value;
    use std::net::SocketAddr;
    use tokio::net::TcpStream;
    use tokio_tungstenite::tungstenite::Message;
    use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

    pub type Ws = WebSocketStream<MaybeTlsStream<TcpStream>>;

    pub async fn connect(addr: SocketAddr) -> Ws {
        tokio_tungstenite::connect_async(format!("ws://{addr}/voice"))
            .await
            .expect("ws connect")
            .0
    }

    pub async fn send(ws: &mut Ws, v: Value) {
        ws.send(Message::Text(v.to_string().into()))
            .await
            .expect("ws send");
    }

    pub async fn send_raw(ws: &mut Ws, text: &str) {
        ws.send(Message::Text(text.to_owned().into()))
            .await
            .expect("ws send");
    }

    /// The next text message as JSON; `None` on close or silence.
    pub async fn recv(ws: &mut Ws) -> Option<Value> {
        recv_within(ws, WAIT).await
    }

    pub async fn recv_within(ws: &mut Ws, wait: std::time::Duration) -> Option<Value> {
        loop {
            match tokio::time::timeout(wait, ws.next()).await.ok()?? {
                Ok(Message::Text(t)) => return serde_json::from_str(t.as_str()).ok(),
                Ok(Message::Ping(_) | Message::Pong(_)) => continue,
                _ => return None,
            }
        }
    }

    /// Opens a socket and logs in as `account`.
    pub async fn login(addr: SocketAddr, account: &str, password: &str) -> Ws {
        let mut ws = connect(addr).await;
        send(
            &mut ws,
            serde_json::json!({"type":"initServer","data":{"baseUrl":"http://127.0.0.1"}}),
        )
        .await;
        assert_eq!(recv(&mut ws).await.expect("initServer reply")["code"], 1);
        send(
            &mut ws,
            serde_json::json!({"type":"connect","data":{"account":account,"password":password}}),
        )
        .await;
        let reply = recv(&mut ws).await.expect("login reply");
        assert_eq!(
            (reply["type"].as_str(), reply["code"].as_i64()),
            (Some("login"), Some(1)),
            "{reply}"
        );
        ws
    }
}

/// Sets `backend`'s outage (`None` ends it) for `for_ms` (`None`: until
/// cleared or reset) through `POST /_sim/outage`.
pub async fn set_outage(
    addr: SocketAddr,
    backend: sim::Backend,
    outage: Option<sim::Outage>,
    for_ms: Option<u64>,
) -> Resp {
    let body = sim::control::SetOutage {
        backend,
        outage,
        for_ms,
    };
    let body = serde_json::to_value(body).expect("outage as JSON");
    post_json(addr, "/_sim/outage", &[], &body).await
}

/// Typed calls of the voice plugin's scripted behaviour under `/_sim/voice/`.
pub mod voice_script {
    use super::post_json;
    use serde_json::json;
    use std::net::SocketAddr;

    /// The terminal hangs up in its calls; whether any call changed.
    pub async fn member_hang_up(addr: SocketAddr, terminal: u64, reason: &str) -> bool {
        let body = json!({"terminalId": terminal, "reason": reason});
        post_json(addr, "/_sim/voice/hangup", &[], &body)
            .await
            .json()["changed"]
            == true
    }

    /// The terminal rings and never answers (`on`), or answers at once.
    pub async fn no_answer(addr: SocketAddr, terminal: u64, on: bool) {
        let body = json!({"terminalId": terminal, "on": on});
        let r = post_json(addr, "/_sim/voice/no-answer", &[], &body).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// The ringing terminal rings out; whether it was ringing anywhere.
    pub async fn ring_out(addr: SocketAddr, terminal: u64) -> bool {
        let body = json!({"terminalId": terminal});
        post_json(addr, "/_sim/voice/ring-out", &[], &body)
            .await
            .json()["changed"]
            == true
    }

    /// The plugin restarts, forgetting logins and sessions.
    pub async fn restart(addr: SocketAddr) {
        let r = post_json(addr, "/_sim/voice/restart", &[], &json!({})).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// A dispatcher may start a session while one runs (`on`), or not.
    pub async fn several_sessions(addr: SocketAddr, on: bool) {
        let body = json!({"on": on});
        let r = post_json(addr, "/_sim/voice/several-sessions", &[], &body).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }
}
