//! In-meeting management (document 002).

use crate::client::{post_json, request, start, start_default, Sse};
use proto::call::percent_encode;
use proto::meeting::token_query;
use proto::meeting::{
    decode_check_join, decode_event, decode_reply, MeetingEvent, NewSessionResult, Participant,
    RefreshResult, Role,
};
use serde_json::{json, Value};
use sim::{Deployment, SimConfig};
use std::net::SocketAddr;

const BASE: &str = "/api/services/1061";

async fn session(addr: SocketAddr, pin: &str, name: &str) -> NewSessionResult {
    let r = post_json(
        addr,
        &format!("{BASE}/new_session"),
        &[("pin", pin)],
        &json!({"display_name": name, "hideme": "no"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    decode_reply(&r.text(), NewSessionResult::decode)
        .unwrap()
        .into_result()
        .unwrap()
}

async fn command(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut headers = vec![("token", token)];
    if !body.is_empty() {
        headers.push(("Content-Type", "application/json"));
    }
    let r = request(
        addr,
        method,
        &format!("{BASE}/{path}"),
        &headers,
        body.as_bytes(),
    )
    .await;
    (r.status, r.json())
}

#[tokio::test]
async fn check_join_finds_the_node_without_a_scheme() {
    let (addr, _sim) = start_default().await;
    let body = json!({"joinAccount":"1061","joinPwd":"123456","participantName":"调度员"});
    let r = post_json(addr, "/api/v3/meet/checkJoin.shtml", &[], &body).await;
    assert_eq!(r.json()["code"], "200");
    let res = decode_check_join(&r.text()).unwrap().into_result().unwrap();
    assert_eq!(res.mcu_host, addr.to_string());
    assert_eq!(res.role_type, Some(Role::Host));
    assert_eq!(res.alias, "zjvmr@myvmr.cn");
    assert_eq!(r.json()["results"]["roleType"], "host");

    let form = "joinAccount=zjvmr%40myvmr.cn&joinPwd=654321&participantName=guest";
    let r = request(
        addr,
        "POST",
        "/api/v3/meet/checkJoin.shtml",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        form.as_bytes(),
    )
    .await;
    assert_eq!(r.json()["results"]["roleType"], "guest");

    let bad = json!({"joinAccount":"1061","joinPwd":"000000","participantName":"x"});
    let r = post_json(addr, "/api/v3/meet/checkJoin.shtml", &[], &bad)
        .await
        .json();
    assert_eq!(
        (r["code"].as_str(), r["message"].as_str()),
        (Some("401"), Some("入会密码错误"))
    );
    let bad = json!({"joinAccount":"9999","joinPwd":"123456","participantName":"x"});
    assert_eq!(
        post_json(addr, "/api/v3/meet/checkJoin.shtml", &[], &bad)
            .await
            .json()["code"],
        "404"
    );
}

#[tokio::test]
async fn tokens_are_issued_refreshed_and_expire() {
    let (addr, sim) = start_default().await;
    let r = post_json(
        addr,
        &format!("{BASE}/new_session"),
        &[("pin", "123456")],
        &json!({"display_name":"调度员","hideme":"no"}),
    )
    .await;
    assert_eq!(r.json()["result"]["expires"], "120");
    assert_eq!(r.json()["result"]["role"], "HOST");
    let s = decode_reply(&r.text(), NewSessionResult::decode)
        .unwrap()
        .into_result()
        .unwrap();
    assert!(
        s.token.contains('/') && s.token.contains('+') && s.token.contains('%'),
        "{}",
        s.token
    );

    let (status, v) = command(addr, "POST", "refresh_session", &s.token, None).await;
    assert_eq!(status, 200);
    let refreshed = RefreshResult::decode(&v["result"]).unwrap();
    assert_ne!(refreshed.token, s.token);
    assert_eq!(v["result"]["expires"], "120");

    // The alias works as the conference too, percent-encoded.
    let r = request(
        addr,
        "GET",
        &format!(
            "/api/services/{}/service_status",
            percent_encode("zjvmr@myvmr.cn")
        ),
        &[("token", &refreshed.token)],
        b"",
    )
    .await;
    assert_eq!(r.json()["status"], "success");

    let r = post_json(
        addr,
        &format!("{BASE}/new_session"),
        &[("pin", "000")],
        &json!({"display_name":"x"}),
    )
    .await;
    assert_eq!(r.status, 403);

    sim.expire_meeting_tokens();
    for token in [&s.token, &refreshed.token] {
        let (status, v) = command(addr, "POST", "refresh_session", token, None).await;
        assert_eq!(
            (status, v),
            (403, json!({"status":"failed","result":"invalid token"}))
        );
    }
    // The session left the meeting with its last token.
    assert!(sim.snapshot().meeting.sessions.is_empty());

    sim.set_faults(sim::Faults {
        meeting_token_ttl_secs: Some(1),
        ..Default::default()
    });
    let s = session(addr, "123456", "short").await;
    assert_eq!(s.expires, 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(
        command(addr, "GET", "participants", &s.token, None).await.0,
        403
    );
}

#[tokio::test]
async fn commands_results_and_host_only_refusals() {
    let (addr, _sim) = start_default().await;
    let host = session(addr, "123456", "主持人").await;
    let guest = session(addr, "654321", "访客").await;
    assert_eq!(guest.role, Role::Guest);

    let (status, v) = command(addr, "POST", "lock", &guest.token, None).await;
    assert_eq!(status, 403, "{v}");
    assert_eq!(
        command(addr, "POST", "lock", &host.token, None).await.1,
        json!({"status":"success","result":"true"})
    );
    let (_, v) = command(addr, "GET", "service_status", &guest.token, None).await;
    assert_eq!(v["result"]["locked"], true);
    let (_, v) = command(
        addr,
        "POST",
        "message",
        &guest.token,
        Some(json!({"type":"text/plain","payload":"你好"})),
    )
    .await;
    assert_eq!(v["status"], "success");
    assert_eq!(command(addr, "GET", "lock", &host.token, None).await.0, 405);
    assert_eq!(command(addr, "POST", "fly", &host.token, None).await.0, 404);
    assert_eq!(
        command(addr, "POST", "dial", &host.token, Some(json!({"bad":1})))
            .await
            .0,
        400
    );

    let (_, v) = command(addr, "GET", "participants", &host.token, None).await;
    let list: Vec<Participant> = serde_json::from_value(v["result"].clone()).unwrap();
    assert_eq!(list.len(), 5);
    let phone = list
        .iter()
        .find(|p| p.protocol.as_deref() == Some("phone"))
        .unwrap();
    let path = format!("participants/{}/mute", phone.uuid);
    assert_eq!(
        command(addr, "POST", &path, &guest.token, None).await.0,
        403
    );
    assert_eq!(
        command(addr, "POST", &path, &host.token, None).await.1["result"],
        "true"
    );
    let path = format!("participants/{}/spotlighton", phone.uuid);
    assert_eq!(
        command(addr, "POST", &path, &host.token, None).await.1["result"],
        true
    );
    assert_eq!(
        command(addr, "POST", "participants/nobody/mute", &host.token, None)
            .await
            .0,
        404
    );

    let r = request(
        addr,
        "GET",
        &format!("{BASE}/presentation.jpeg"),
        &[("token", &guest.token)],
        b"",
    )
    .await;
    assert_eq!(
        (r.status, r.header("content-type")),
        (200, Some("image/jpeg"))
    );
    assert_eq!(&r.body[..2], &[0xFF, 0xD8]);
    assert_eq!(
        request(addr, "GET", &format!("{BASE}/presentation.jpeg"), &[], b"")
            .await
            .status,
        403
    );
    assert_eq!(command(addr, "GET", "participants", "", None).await.0, 403);
    // end_session: the guest leaves the list and its token stops working.
    assert_eq!(
        command(addr, "POST", "end_session", &guest.token, None)
            .await
            .0,
        200
    );
    assert_eq!(
        command(addr, "GET", "participants", &guest.token, None)
            .await
            .0,
        403
    );
    let (_, v) = command(addr, "GET", "participants", &host.token, None).await;
    assert_eq!(v["result"].as_array().map(Vec::len), Some(4));
    assert_eq!(
        request(
            addr,
            "GET",
            "/api/services/9999/participants",
            &[("token", &host.token)],
            b""
        )
        .await
        .status,
        404
    );
}

fn decoded(events: &[(String, String)]) -> Vec<MeetingEvent> {
    events
        .iter()
        .map(|(n, d)| decode_event(n, d).unwrap_or_else(|e| panic!("{e}: {n} {d}")))
        .collect()
}

#[tokio::test]
async fn the_event_stream_syncs_then_follows() {
    let (addr, sim) = start_default().await;
    let host = session(addr, "123456", "主持人").await;
    // The token is already URL-encoded ('%2B') and also has a raw '+' (a
    // space in a query). As written, the '+' reads as a space: refused.
    let sse = Sse::open(addr, &format!("{BASE}/events?token={}", host.token)).await;
    assert_eq!(sse.status, 403);
    // Encoded again, '%2B' arrives as '%2B' instead of '+': refused too.
    assert!(host.token.contains("%2B"));
    let sse = Sse::open(
        addr,
        &format!("{BASE}/events?token={}", percent_encode(&host.token)),
    )
    .await;
    assert_eq!(sse.status, 403, "a twice-encoded token is not the token");
    // The console's reading: as written, only what a query cannot hold escaped.
    let mut sse = Sse::open(
        addr,
        &format!("{BASE}/events?token={}", token_query(&host.token)),
    )
    .await;
    assert_eq!(sse.status, 200);
    assert!(sse
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/event-stream")));
    let sync = decoded(&sse.until("participant_sync_end").await);
    assert_eq!(sync.first(), Some(&MeetingEvent::ParticipantSyncBegin));
    assert_eq!(
        sync.iter()
            .filter(|e| matches!(e, MeetingEvent::ParticipantCreate(_)))
            .count(),
        4
    );

    command(addr, "POST", "lock", &host.token, None).await;
    match &decoded(&sse.until("service_update").await)[..] {
        [MeetingEvent::ServiceUpdate(s)] => assert!(s.locked),
        other => panic!("{other:?}"),
    }
    let (_, v) = command(
        addr,
        "POST",
        "dial",
        &host.token,
        Some(json!({"role":"guest","destination":"bob@example.com","protocol":"sip"})),
    )
    .await;
    let uuid = v["result"][0].as_str().unwrap().to_owned();
    match &decoded(&sse.until("participant_create").await)[..] {
        [MeetingEvent::ParticipantCreate(p)] => {
            assert_eq!(p.uuid, uuid);
            assert_eq!(
                p.service_type,
                Some(proto::meeting::ServiceType::Connecting)
            );
        }
        other => panic!("{other:?}"),
    }
    match &decoded(&sse.until("participant_update").await)[..] {
        [MeetingEvent::ParticipantUpdate(p)] => assert_eq!(
            p.service_type,
            Some(proto::meeting::ServiceType::Conference)
        ),
        other => panic!("{other:?}"),
    }
    let layout = json!({"layouts":[{"audience":"hosts","actors":[],"vad_backfill":true,"layout":"2:21","plus_n":"auto","actors_overlay_text":"auto"}]});
    command(addr, "POST", "override_layout", &host.token, Some(layout)).await;
    match &decoded(&sse.until("layout").await)[..] {
        [MeetingEvent::Layout(l)] => assert_eq!(l.view, "2:21"),
        other => panic!("{other:?}"),
    }
    sim.meeting_present(Some("Bob".into()));
    let names: Vec<String> = sse
        .until("presentation_frame")
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert_eq!(names, ["presentation_start", "presentation_frame"]);

    // Disconnecting the meeting ends this session: a disconnect event, then the end.
    command(addr, "POST", "disconnect", &host.token, None).await;
    let rest = sse.until("disconnect").await;
    assert!(rest.iter().any(|e| e.0 == "participant_delete"));
    assert_eq!(sse.next().await, None);
    assert_eq!(
        command(addr, "GET", "participants", &host.token, None)
            .await
            .0,
        403
    );
}

#[tokio::test]
async fn the_enterprise_cloud_lacks_commands_and_events() {
    let cfg = SimConfig {
        deployment: Deployment::Enterprise,
        ..SimConfig::default()
    };
    let (addr, _sim) = start(cfg).await;
    let r = post_json(
        addr,
        &format!("{BASE}/new_session"),
        &[("pin", "123456")],
        &json!({"display_name":"h"}),
    )
    .await;
    assert!(r.json()["result"].get("allow_1080p").is_none());
    let host = decode_reply(&r.text(), NewSessionResult::decode)
        .unwrap()
        .into_result()
        .unwrap();
    let layout = json!({"layouts":[{"audience":"","actors":[],"vad_backfill":true,"layout":"1:7","plus_n":"auto","actors_overlay_text":"auto"}]});
    let (status, v) = command(addr, "POST", "override_layout", &host.token, Some(layout)).await;
    assert_eq!(
        (status, v),
        (400, json!({"status":"failed","result":"unsupported"}))
    );
    let (status, v) = command(addr, "POST", "start_service", &host.token, None).await;
    assert_eq!((status, v["status"].as_str()), (200, Some("success")));

    let mut sse = Sse::open(
        addr,
        &format!("{BASE}/events?token={}", token_query(&host.token)),
    )
    .await;
    let names: Vec<String> = sse
        .until("participant_sync_end")
        .await
        .into_iter()
        .map(|e| e.0)
        .collect();
    assert!(
        !names.iter().any(|n| n == "participant_create"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == "participant_update"));
}

#[tokio::test]
async fn scripted_joins_wait_while_locked_and_leaves_go() {
    let (addr, sim) = start_default().await;
    let host = session(addr, "123456", "host").await;
    let (status, _) = command(addr, "POST", "lock", &host.token, None).await;
    assert_eq!(status, 200);
    let r = post_json(
        addr,
        "/_sim/meeting/join",
        &[],
        &json!({"name": "Carol", "role": "guest"}),
    )
    .await;
    let carol = r.json()["uuid"].as_str().unwrap().to_owned();
    let chair = sim.meeting_join("Dave", Role::Host);
    let info = |uuid: &str| {
        sim.snapshot()
            .meeting
            .participants
            .into_iter()
            .find(|p| p.uuid == uuid)
    };
    assert_eq!(info(&carol).unwrap().service_type, "waiting_room");
    assert_eq!(info(&carol).unwrap().protocol, "sip");
    assert_eq!(info(&chair).unwrap().service_type, "conference");

    let r = post_json(addr, "/_sim/meeting/leave", &[], &json!({"uuid": carol})).await;
    assert_eq!(r.status, 200);
    assert!(info(&carol).is_none());
    let r = post_json(addr, "/_sim/meeting/leave", &[], &json!({"uuid": carol})).await;
    assert_eq!(r.status, 404);
    // A session's own participant leaving ends the session.
    assert!(sim.meeting_leave(&host.participant_uuid));
    assert!(sim.snapshot().meeting.sessions.is_empty());
}

#[tokio::test]
async fn a_moved_meeting_is_on_another_node_and_the_old_one_refuses() {
    let (addr, sim) = start_default().await;
    let old = session(addr, "123456", "host").await;
    let r = post_json(addr, "/_sim/meeting/move", &[], &json!({})).await;
    assert_eq!(r.json()["node"], 1);
    // The old session is gone, the old node knows the meeting no more.
    assert!(sim.snapshot().meeting.sessions.is_empty());
    let (status, _) = command(addr, "GET", "service_status", &old.token, None).await;
    assert_eq!(status, 404);
    // checkJoin names the new node, where a session works.
    let body = json!({"joinAccount":"1061","joinPwd":"123456","participantName":"x"});
    let r = post_json(addr, "/api/v3/meet/checkJoin.shtml", &[], &body).await;
    let host = decode_check_join(&r.text()).unwrap().into_result().unwrap();
    assert_eq!(host.mcu_host, format!("{addr}/nodes/1"));
    let node = "/nodes/1/api/services/1061";
    let r = post_json(
        addr,
        &format!("{node}/new_session"),
        &[("pin", "123456")],
        &json!({}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let token = decode_reply(&r.text(), NewSessionResult::decode)
        .unwrap()
        .into_result()
        .unwrap()
        .token;
    let r = request(
        addr,
        "GET",
        &format!("{node}/service_status"),
        &[("token", &token)],
        b"",
    )
    .await;
    assert_eq!(r.status, 200);
    let r = post_json(
        addr,
        "/nodes/7/api/services/1061/new_session",
        &[("pin", "123456")],
        &json!({}),
    )
    .await;
    assert_eq!(r.status, 404);
    assert_eq!(sim.snapshot().meeting.node, 1);
}

#[tokio::test]
async fn streams_can_be_silenced_or_dropped_and_refreshes_failed() {
    let (addr, sim) = start_default().await;
    let host = session(addr, "123456", "host").await;
    let path = format!("{BASE}/events?token={}", token_query(&host.token));
    let mut sse = Sse::open(addr, &path).await;
    sse.until("participant_sync_end").await;
    let r = post_json(
        addr,
        "/_sim/meeting/streams",
        &[],
        &json!({"action": "silence"}),
    )
    .await;
    assert_eq!(r.status, 200);
    command(addr, "POST", "lock", &host.token, None).await;
    assert_eq!(sse.next().await, None, "a silenced stream says nothing");
    // A stream opened after it is not silenced; a drop ends it.
    let mut fresh = Sse::open(addr, &path).await;
    fresh.until("participant_sync_end").await;
    command(addr, "POST", "unlock", &host.token, None).await;
    fresh.until("service_update").await;
    sim.meeting_drop_streams();
    assert_eq!(fresh.next().await, None);

    sim.set_faults(sim::Faults {
        meeting_refresh_status: Some(503),
        ..Default::default()
    });
    let (status, v) = command(addr, "POST", "refresh_session", &host.token, None).await;
    assert_eq!((status, v["status"].as_str()), (503, Some("failed")));
    sim.set_faults(sim::Faults::default());
    let (status, _) = command(addr, "POST", "refresh_session", &host.token, None).await;
    assert_eq!(status, 200);
}
