//! IVR voice menu (document 003).

use crate::client::{request, start_default};
use serde_json::Value;

fn multipart(fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----simtestboundary";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

const GOOD: &[(&str, &str)] = &[
    ("service", "App.Sip_Call.PlayVoice"),
    ("token", "ABCDEFG"),
    ("voicetype", "2"),
    ("destnumber", "13333333333"),
    ("voicefile", "wwww.baidu.com/test.mp3"),
    ("chengshudu", "1"),
    ("userid", "1@extGroup-1"),
    ("disnumber", "13333333333"),
    ("customuuid", "13333333333"),
];

async fn post_multipart(addr: std::net::SocketAddr, fields: &[(&str, &str)]) -> Value {
    let (ct, body) = multipart(fields);
    request(addr, "POST", "/ivr", &[("Content-Type", &ct)], &body)
        .await
        .json()
}

#[tokio::test]
async fn the_documents_example_is_accepted_and_recorded() {
    let (addr, sim) = start_default().await;
    let r = post_multipart(addr, GOOD).await;
    assert_eq!(r["ret"], 200);
    assert_eq!(r["data"]["status"], 0);
    assert_eq!(r["data"]["desc"], "播放命令发送成功");
    assert!(r["data"]["reqtime"].as_u64().unwrap() > 1_500_000_000);
    assert_eq!(r["msg"], "");
    let rec = &sim.snapshot().ivr_requests[0];
    assert!(rec.accepted);
    assert_eq!(rec.fields["token"], "***");
    let kinds: Vec<&str> = rec.callbacks.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "extension_status",
            "extension_status",
            "extension_status",
            "call_record"
        ]
    );
    assert_eq!(rec.callbacks[0].body["status"], "ring");
    assert_eq!(rec.callbacks[3].body["customuuid"], "13333333333");
    assert_eq!(rec.callbacks[3].body["userkey"], "1");
    assert_eq!(rec.callbacks[3].body["destnumber"], "13333333333");
    // The callbacks read with the console side's decoders, and the reply too.
    for c in &rec.callbacks[..3] {
        proto::ivr::decode_extension_status(&c.body.to_string()).unwrap();
    }
    proto::ivr::decode_call_record(&rec.callbacks[3].body.to_string()).unwrap();
    proto::ivr::decode_reply(&rec.reply.to_string())
        .unwrap()
        .into_result()
        .unwrap();
}

/// "POST,form-data格式": a url-encoded or JSON body is refused, in the
/// refusal shape, and recorded as not accepted.
#[tokio::test]
async fn only_multipart_form_data_is_accepted() {
    let (addr, sim) = start_default().await;
    let urlencoded = "service=App.Sip_Call.PlayVoice&token=ABCDEFG&voicetype=1&destnumber=10086&voicefile=menu.wav";
    let json_body = r#"{"service":"App.Sip_Call.PlayVoice","token":"ABCDEFG","voicetype":1,"destnumber":"10086","voicefile":"menu.wav"}"#;
    for (ct, body) in [
        ("application/x-www-form-urlencoded", urlencoded),
        ("application/json", json_body),
        ("text/plain", urlencoded),
    ] {
        let r = request(
            addr,
            "POST",
            "/ivr",
            &[("Content-Type", ct)],
            body.as_bytes(),
        )
        .await
        .json();
        assert_eq!(r["ret"], 400, "{ct}: {r}");
        assert_eq!(r["data"]["status"], 1, "{ct}");
        assert!(
            r["msg"].as_str().unwrap().contains("multipart/form-data"),
            "{ct}: {r}"
        );
    }
    let records = sim.snapshot().ivr_requests;
    assert_eq!(records.len(), 3);
    assert!(records
        .iter()
        .all(|r| !r.accepted && r.callbacks.is_empty()));
    // The same fields as multipart are fine.
    let r = post_multipart(
        addr,
        &[
            ("service", "App.Sip_Call.PlayVoice"),
            ("token", "ABCDEFG"),
            ("voicetype", "1"),
            ("destnumber", "10086"),
            ("voicefile", "menu.wav"),
        ],
    )
    .await;
    assert_eq!(r["ret"], 200, "{r}");
}

#[tokio::test]
async fn missing_or_bad_fields_are_named() {
    let (addr, sim) = start_default().await;
    let without = |name: &str| {
        GOOD.iter()
            .copied()
            .filter(|(k, _)| *k != name)
            .collect::<Vec<_>>()
    };
    for field in ["service", "token", "destnumber", "voicetype", "voicefile"] {
        let r = post_multipart(addr, &without(field)).await;
        assert_eq!(r["ret"], 400, "{field}");
        assert_eq!(r["data"]["status"], 1);
        assert!(r["msg"].as_str().unwrap().contains(field), "{r}");
        assert_eq!(r["data"]["desc"], r["msg"]);
    }
    let mut bad = without("token");
    bad.push(("token", "nope"));
    let r = post_multipart(addr, &bad).await;
    assert!(r["msg"].as_str().unwrap().contains("token"), "{r}");
    let mut bad = without("voicetype");
    bad.push(("voicetype", "3"));
    assert!(post_multipart(addr, &bad).await["msg"]
        .as_str()
        .unwrap()
        .contains("voicetype"));
    let mut bad = without("userid");
    bad.push(("userid", "extGroup-1"));
    assert!(post_multipart(addr, &bad).await["msg"]
        .as_str()
        .unwrap()
        .contains("userid"));
    assert!(sim.snapshot().ivr_requests.iter().all(|r| !r.accepted));

    sim.set_faults(sim::Faults {
        ivr_error: Some("系统繁忙".into()),
        ..Default::default()
    });
    let r = post_multipart(addr, GOOD).await;
    assert_eq!(
        (r["ret"].as_i64(), r["msg"].as_str()),
        (Some(500), Some("系统繁忙"))
    );
}

#[tokio::test]
async fn callbacks_reach_the_relay_stream_and_posted_bodies_are_relayed_unchanged() {
    use crate::client::Sse;
    let (addr, _sim) = start_default().await;
    let mut sse = Sse::open(addr, "/relay/events").await;
    assert_eq!(sse.status, 200);
    assert!(sse
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/event-stream")));

    // The simulator's IVR posts its callbacks after an accepted request.
    post_multipart(addr, GOOD).await;
    let seen = sse.until("call-record").await;
    let names: Vec<&str> = seen.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "extension-status",
            "extension-status",
            "extension-status",
            "call-record"
        ]
    );
    let record = proto::ivr::decode_call_record(&seen[3].1).unwrap();
    assert_eq!(record.customuuid, "13333333333");
    assert_eq!(record.userkey, "1");

    // A deployment's service posts the document's own bodies, numbers and
    // empty strings as they come.
    let body = include_str!("../../../proto/tests/fixtures/ivr/call_record_callback.json");
    let r = request(
        addr,
        "POST",
        "/relay/call-record",
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
    .await;
    assert_eq!(r.status, 204);
    let (name, data) = sse.next().await.expect("relayed");
    assert_eq!(name, "call-record");
    assert_eq!(
        serde_json::from_str::<Value>(&data).unwrap(),
        serde_json::from_str::<Value>(body).unwrap(),
        "the body unchanged"
    );
    let r = request(addr, "POST", "/relay/extension-status", &[], b"{not json").await;
    assert_eq!(r.status, 400);
}

/// Two key routes in one `userid`; the last request as `/_sim/ivr/last`
/// shows it; a number in `ivr_refused` is refused, the others go on.
#[tokio::test]
async fn two_key_routes_and_refusals_by_number() {
    use crate::client::get;
    let (addr, sim) = start_default().await;
    assert_eq!(get(addr, "/_sim/ivr/last").await.status, 404);
    let mut two = GOOD.to_vec();
    two.retain(|(k, _)| *k != "userid");
    two.push(("userid", "1@extGroup-1,2@extGroup-2"));
    let r = post_multipart(addr, &two).await;
    assert_eq!(r["data"]["status"], 0, "{r}");
    let last = get(addr, "/_sim/ivr/last").await.json();
    assert_eq!(last["ok"], true);
    assert_eq!(
        last["request"]["fields"]["userid"],
        "1@extGroup-1,2@extGroup-2"
    );
    assert_eq!(last["request"]["fields"]["token"], "***");
    assert_eq!(last["request"]["accepted"], true);

    let mut twice = GOOD.to_vec();
    twice.retain(|(k, _)| *k != "userid");
    twice.push(("userid", "1@extGroup-1,1@extGroup-2"));
    let r = post_multipart(addr, &twice).await;
    assert!(r["msg"].as_str().unwrap().contains("userid"), "{r}");

    sim.set_faults(sim::Faults {
        ivr_refused: vec!["13333333333".into()],
        ..Default::default()
    });
    let r = post_multipart(addr, GOOD).await;
    assert_eq!(
        (r["ret"].as_i64(), r["msg"].as_str()),
        (Some(400), Some("被叫号码无效"))
    );
    let mut other = GOOD.to_vec();
    other.retain(|(k, _)| *k != "destnumber");
    other.push(("destnumber", "13444444444"));
    assert_eq!(post_multipart(addr, &other).await["ret"], 200);
    let records = sim.snapshot().ivr_requests;
    assert_eq!(
        records.iter().map(|r| r.accepted).collect::<Vec<_>>(),
        [true, false, false, true]
    );
}
