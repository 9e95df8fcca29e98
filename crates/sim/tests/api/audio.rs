//! Push-to-talk audio on the voice socket (docs/audio.md): frames counted
//! with their energy only while the sender holds the floor, malformed ones
//! counted apart, and the echo terminal playing a transmission back.

use crate::client::ws::{login, send, Ws};
use crate::client::{get, post_json, start_default};
use futures_util::{SinkExt, StreamExt};
use proto::audio::{mulaw_encode, Codec, Frame, FrameHeader, FrameKind, MULAW_FRAME_BYTES};
use proto::id::BigId;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

fn frame(session: &str, seq: u32) -> Message {
    let bytes = Frame {
        header: FrameHeader {
            kind: FrameKind::Uplink,
            codec: Codec::Mulaw,
            session: BigId::parse(session).unwrap(),
            seq,
            capture_ms: 5_000 + u64::from(seq) * 20,
            talker: 0,
        },
        payload: vec![
            mulaw_encode(if seq.is_multiple_of(2) { 6_000 } else { -6_000 });
            MULAW_FRAME_BYTES
        ],
    }
    .encode();
    Message::Binary(bytes.into())
}

/// The next message, text as JSON or a decoded audio frame.
async fn next(ws: &mut Ws) -> Result<Value, Frame> {
    loop {
        let m = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a message")
            .expect("open")
            .expect("ok");
        match m {
            Message::Text(t) => return Ok(serde_json::from_str(t.as_str()).unwrap()),
            Message::Binary(b) => return Err(Frame::decode(&b).expect("a valid frame")),
            _ => continue,
        }
    }
}

async fn until_cmd(ws: &mut Ws, cmd: &str) -> Value {
    loop {
        if let Ok(m) = next(ws).await {
            if m["cmd"] == cmd || m["type"] == cmd {
                return m;
            }
        }
    }
}

#[tokio::test]
async fn frames_count_with_the_floor_only_and_the_echo_terminal_plays_them_back() {
    let (addr, _sim) = start_default().await;
    let r = post_json(
        addr,
        "/_sim/voice/echo",
        &[],
        &json!({"terminalId":169919,"on":true}),
    )
    .await;
    assert_eq!(r.status, 200);
    let mut ws = login(addr, "zydd", "123456").await;
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169918,169919],"transaction":1}),
    )
    .await;
    let created = until_cmd(&mut ws, "createGroup").await;
    let sid = created["sessionId"].as_str().unwrap().to_owned();

    for seq in 0..10 {
        ws.send(frame(&sid, seq)).await.unwrap();
    }
    ws.send(Message::Binary(vec![1, 9, 9].into()))
        .await
        .unwrap();
    send(&mut ws, json!({"type":"releaseMic"})).await;
    until_cmd(&mut ws, "releaseMic").await;
    // Without the floor: refused.
    ws.send(frame(&sid, 10)).await.unwrap();

    // The echo terminal takes the floor and sends the ten frames back, paced.
    let got = until_cmd(&mut ws, "memberGetMic").await;
    assert_eq!(got["data"]["memberId"], 169919);
    let started = Instant::now();
    let mut echoed = Vec::new();
    let lost = loop {
        match next(&mut ws).await {
            Err(f) => echoed.push(f),
            Ok(m) if m["cmd"] == "memberLostMic" => break m,
            Ok(_) => {}
        }
    };
    assert_eq!(lost["data"]["memberId"], 169919);
    assert!(
        started.elapsed() >= Duration::from_millis(160),
        "paced at 20 ms"
    );
    assert_eq!(echoed.len(), 10);
    for (i, f) in echoed.iter().enumerate() {
        assert_eq!(f.header.kind, FrameKind::Downlink);
        assert_eq!(f.header.talker, 169919);
        assert_eq!(f.header.session.as_str(), sid);
        assert_eq!(f.header.seq, i as u32);
    }

    let audio = get(addr, "/_sim/voice/audio").await.json();
    assert_eq!(audio["invalid"], 1, "{audio}");
    assert_eq!(audio["refused"], 1, "{audio}");
    let s = &audio["sessions"][0];
    assert_eq!(s["sessionId"], sid.as_str());
    assert_eq!(
        (s["frames"].as_u64(), s["voiced"].as_u64()),
        (Some(10), Some(10))
    );
    assert_eq!(s["transmissions"], 1);
    assert_eq!(s["outOfSequence"], 0);
    assert_eq!(s["firstCaptureMs"], 5_000);
    assert!(s["peakRmsPermille"].as_u64().unwrap() > 150, "{s}");
}

#[tokio::test]
async fn a_scripted_terminal_takes_the_floor_talks_paced_speech_and_lets_it_go() {
    let (addr, _sim) = start_default().await;
    let mut ws = login(addr, "zydd", "123456").await;
    send(
        &mut ws,
        json!({"type":"requestMic","toIds":[169918],"transaction":1}),
    )
    .await;
    let sid = until_cmd(&mut ws, "createGroup").await["sessionId"]
        .as_str()
        .unwrap()
        .to_owned();
    send(&mut ws, json!({"type":"releaseMic"})).await;
    until_cmd(&mut ws, "releaseMic").await;

    // Two turns of 400 ms, 300 ms apart.
    let script = json!({"terminalId":169918,"talkMs":400,"turns":2,"gapMs":300});
    let r = post_json(addr, "/_sim/voice/speak", &[], &script).await;
    assert_eq!(r.json()["changed"], true);
    let started = Instant::now();
    for turn in 0..2 {
        let got = until_cmd(&mut ws, "memberGetMic").await;
        assert_eq!(got["data"]["memberId"], 169918, "turn {turn}");
        let mut frames = Vec::new();
        loop {
            match next(&mut ws).await {
                Err(f) => frames.push(f),
                Ok(m) if m["cmd"] == "memberLostMic" => break,
                Ok(_) => {}
            }
        }
        assert_eq!(frames.len(), 20, "400 ms of 20 ms frames");
        let mut levels = Vec::new();
        for (i, f) in frames.iter().enumerate() {
            let h = &f.header;
            assert_eq!(
                (h.kind, h.codec, h.talker, h.seq),
                (FrameKind::Downlink, Codec::Mulaw, 169918, i as u32)
            );
            assert_eq!(h.session.as_str(), sid);
            assert_eq!(h.capture_ms, frames[0].header.capture_ms + 20 * i as u64);
            assert_eq!(f.payload.len(), MULAW_FRAME_BYTES);
            let pcm: Vec<i16> = f
                .payload
                .iter()
                .map(|&c| proto::audio::mulaw_decode(c))
                .collect();
            levels.push(proto::audio::rms(&pcm));
        }
        assert!(levels.iter().any(|&l| l > 0.05), "sound: {levels:?}");
        assert!(
            levels.windows(2).any(|w| w[0] != w[1]),
            "not a constant tone: {levels:?}"
        );
    }
    assert!(
        started.elapsed() >= Duration::from_millis(2 * 380 + 300),
        "paced in real time, with the gap between turns"
    );
    // The floor is free again: the dispatcher can take it.
    let r = post_json(addr, "/_sim/voice/speak", &[], &script).await;
    assert_eq!(r.json()["changed"], true);
    send(
        &mut ws,
        json!({"type":"requestMic","sessionId":sid,"transaction":2}),
    )
    .await;
    let refused = until_cmd(&mut ws, "requestMic").await;
    assert_eq!(
        refused["code"], 0,
        "the talking terminal holds the floor: {refused}"
    );
}
