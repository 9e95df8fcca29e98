//! The meeting machine on a fake clock.

use super::*;
use crate::machine::Output;
use crate::meeting::{Dial, DialProtocol, MeetingEvent, ParticipantCommand};
use crate::rest::{Body, Failure, Reply};
use serde_json::json;

const API: &str = "http://api.example:9000";
const NODE: &str = "http://mcu.example:8080";
const TOKEN: &str = "tok/1+a= b";

/// Every output but `State` (the view is checked through the accessors).
fn drain(m: &mut MeetingMachine) -> Vec<MeetingOutput> {
    crate::machine::drain(m)
        .into_iter()
        .filter(|o| *o != Output::State)
        .collect()
}

/// When a retry of attempt `attempt` decided at `now` is due.
fn retry_at(attempt: u32, now: u64) -> u64 {
    now + crate::backoff::Backoff::default().jittered_ms(attempt, now)
}

fn requests(out: &[MeetingOutput]) -> Vec<rest::Request> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send(MeetingSend::Request(r)) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// The end_session requests sent to outlive the page.
fn farewells(out: &[MeetingOutput]) -> Vec<rest::Request> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send(MeetingSend::Farewell(r)) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// Answers checkJoin, new_session and the probe of a rejoin that has just
/// sent its checkJoin (in `out`), on node `host`; returns the stream opened.
fn rejoin_via(
    m: &mut MeetingMachine,
    now: u64,
    out: &[MeetingOutput],
    host: &str,
    token: &str,
    uuid: &str,
) -> u32 {
    let r = only_request(out);
    assert!(r.url.ends_with("/checkJoin.shtml"), "{}", r.url);
    let mut cj = check_join_ok();
    cj["results"]["mcuHost"] = json!(host);
    answer(m, now, r.id, 200, cj);
    let r = only_request(&drain(m));
    assert_eq!(
        r.url,
        format!("http://{host}/api/services/1061/new_session")
    );
    answer(m, now, r.id, 200, session_ok(token, "120", uuid));
    let r = only_request(&drain(m));
    assert!(r.url.ends_with("/service_status"), "{}", r.url);
    answer(m, now, r.id, 200, status_ok(false));
    let (conn, url, _) = opened_conn(&drain(m));
    assert!(url.starts_with(&format!("http://{host}/")), "{url}");
    m.handle(now, MeetingInput::StreamOpened { conn });
    // The participants list asked for as the stream opened.
    let r = only_request(&drain(m));
    answer(m, now, r.id, 200, json!({"status":"success","result":[]}));
    drain(m);
    conn
}

fn only_request(out: &[MeetingOutput]) -> rest::Request {
    let r = requests(out);
    assert_eq!(r.len(), 1, "{out:#?}");
    r[0].clone()
}

fn answer(m: &mut MeetingMachine, now: u64, id: u32, status: u16, body: Value) {
    m.handle(
        now,
        MeetingInput::Reply(Reply::answered(id, status, body.to_string())),
    );
}

fn no_reply(m: &mut MeetingMachine, now: u64, id: u32) {
    m.handle(
        now,
        MeetingInput::Reply(Reply::failed(id, Failure::Network("NetworkError".into()))),
    );
}

/// The dispatcher asks to join conference 1061.
fn join(m: &mut MeetingMachine, now: u64) {
    m.handle(
        now,
        MeetingInput::Join {
            account: "1061".into(),
            pin: "1".into(),
            name: "n".into(),
        },
    );
}

fn check_join_ok() -> Value {
    json!({"code":"200","timeStamp":"t","results":{"sipkey":"1061","alias":"zjvmr@myvmr.cn",
        "mcuHost":"mcu.example:8080","roleType":"host","password":"123456"}})
}

fn session_ok(token: &str, expires: &str, uuid: &str) -> Value {
    json!({"status":"success","result":{"token":token,"expires":expires,
        "participant_uuid":uuid,"role":"HOST"}})
}

fn status_ok(locked: bool) -> Value {
    json!({"status":"success","result":{"locked":locked,"guests_muted":false}})
}

fn opened_conn(out: &[MeetingOutput]) -> (u32, String, String) {
    out.iter()
        .find_map(|o| match o {
            Output::Send(MeetingSend::OpenStream {
                conn,
                url,
                logged_url,
            }) => Some((*conn, url.clone(), logged_url.clone())),
            _ => None,
        })
        .expect("a stream is opened")
}

fn event(m: &mut MeetingMachine, conn: u32, name: &str, data: Value) {
    m.handle(
        0,
        MeetingInput::StreamEvent {
            conn,
            name: name.into(),
            data: data.to_string(),
        },
    );
}

/// The roster's uuids, in order.
fn roster(m: &MeetingMachine) -> Vec<String> {
    m.conference()
        .participants
        .iter()
        .map(|p| p.uuid.to_string())
        .collect()
}

fn participant(uuid: &str, name: &str, role: &str) -> Value {
    json!({"uuid":uuid,"display_name":name,"role":role,"is_muted":"NO","service_type":"conference"})
}

/// Joins fully at t=0..40 and returns the machine online with the stream's
/// number; the outputs are drained.
fn online(deployment: Deployment) -> (MeetingMachine, u32) {
    let mut m = MeetingMachine::new(API, "http", deployment);
    m.handle(
        0,
        MeetingInput::Join {
            account: "1061".into(),
            pin: "123456".into(),
            name: "调度台".into(),
        },
    );
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 10, id, 200, check_join_ok());
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 20, id, 200, session_ok(TOKEN, "120", "me"));
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 30, id, 200, status_ok(false));
    let (conn, ..) = opened_conn(&drain(&mut m));
    m.handle(40, MeetingInput::StreamOpened { conn });
    // The participants list asked for as the stream opened: none yet.
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 40, id, 200, json!({"status":"success","result":[]}));
    drain(&mut m);
    (m, conn)
}

#[test]
fn join_runs_check_join_new_session_probe_then_the_stream() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    m.handle(
        0,
        MeetingInput::Join {
            account: " 1061 ".into(),
            pin: "123456".into(),
            name: "调度台".into(),
        },
    );
    assert_eq!(m.link(), &MeetingLink::Joining);
    let r = only_request(&drain(&mut m));
    assert_eq!(r.method, rest::Method::Post);
    assert_eq!(r.url, format!("{API}/api/v3/meet/checkJoin.shtml"));
    let body: Value = serde_json::from_str(json_body(&r).unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"joinAccount":"1061","joinPwd":"123456","participantName":"调度台"})
    );

    answer(&mut m, 10, r.id, 200, check_join_ok());
    let r = only_request(&drain(&mut m));
    // mcuHost came without a scheme: the page's is used.
    assert_eq!(r.url, format!("{NODE}/api/services/1061/new_session"));
    assert_eq!(r.headers, [("pin".to_owned(), "123456".to_owned())]);
    let body: Value = serde_json::from_str(json_body(&r).unwrap()).unwrap();
    assert_eq!(body, json!({"display_name":"调度台","hideme":"no"}));

    answer(&mut m, 20, r.id, 200, session_ok(TOKEN, "120", "me"));
    assert_eq!(m.me(), Some("me"));
    assert_eq!(m.role(), Some(Role::Host));
    let r = only_request(&drain(&mut m));
    assert_eq!(
        (r.method, r.url.as_str()),
        (
            rest::Method::Get,
            "http://mcu.example:8080/api/services/1061/service_status"
        )
    );
    assert_eq!(r.headers, [("token".to_owned(), TOKEN.to_owned())]);

    answer(&mut m, 30, r.id, 200, status_ok(true));
    assert!(
        m.conference().locked,
        "the probe re-syncs the service state"
    );
    let (conn, url, logged) = opened_conn(&drain(&mut m));
    assert_eq!(
        url,
        format!("{NODE}/api/services/1061/events?token=tok/1%2Ba%3D%20b")
    );
    assert_eq!(logged, format!("{NODE}/api/services/1061/events?token=***"));
    assert_eq!(
        m.link(),
        &MeetingLink::Joining,
        "online only with the stream"
    );

    m.handle(40, MeetingInput::StreamOpened { conn });
    let out = drain(&mut m);
    assert!(out.contains(&Output::Event(MeetingNote::LinkChanged(
        MeetingLink::Online
    ))));
    let r = only_request(&out);
    assert_eq!(r.url, format!("{NODE}/api/services/1061/participants"));
}

#[test]
fn the_token_is_refreshed_at_two_thirds_of_its_life() {
    let (mut m, conn) = online(Deployment::Public);
    // The session began at t=20 with 120 s.
    assert_eq!(m.token_expires_at(), Some(120_020));
    assert_eq!(m.poll_timeout(), Some(80_020));
    m.handle_timeout(80_019);
    assert!(requests(&drain(&mut m)).is_empty(), "not before");
    m.handle_timeout(80_020);
    let r = only_request(&drain(&mut m));
    assert_eq!(r.url, format!("{NODE}/api/services/1061/refresh_session"));
    assert_eq!(r.headers, [("token".to_owned(), TOKEN.to_owned())]);
    assert_eq!(
        m.poll_timeout(),
        Some(80_020 + rest::REPLY_TIMEOUT_MS),
        "only the refresh's reply deadline while refreshing"
    );

    answer(
        &mut m,
        80_100,
        r.id,
        200,
        json!({"status":"success","result":{"token":"tok2","expires":"120"}}),
    );
    assert_eq!(m.token_expires_at(), Some(200_100));
    assert_eq!(m.poll_timeout(), Some(160_100));
    // The stream stays as it is; the journal learns the new token's value.
    assert_eq!(
        drain(&mut m),
        [Output::Event(MeetingNote::NewToken("tok2".into()))]
    );
    assert_eq!(m.link(), &MeetingLink::Online);

    // Commands now carry the new token.
    m.handle(90_000, MeetingInput::Command(Command::Lock));
    let r = only_request(&drain(&mut m));
    assert_eq!(r.headers, [("token".to_owned(), "tok2".to_owned())]);
    let _ = conn;
}

#[test]
fn a_short_token_life_is_honoured() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    join(&mut m, 0);
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 0, id, 200, check_join_ok());
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 1_000, id, 200, session_ok("t", "3", "me"));
    assert_eq!(m.poll_timeout(), Some(3_000));
}

#[test]
fn a_failed_refresh_is_retried_with_back_off_and_a_refused_one_rejoins() {
    let (mut m, conn) = online(Deployment::Public);
    m.handle_timeout(80_020);
    let r = only_request(&drain(&mut m));
    no_reply(&mut m, 80_100, r.id);
    assert_eq!(m.poll_timeout(), Some(81_100), "first retry after 1 s");
    m.handle_timeout(81_100);
    let r = only_request(&drain(&mut m));
    assert!(r.url.ends_with("/refresh_session"));
    answer(&mut m, 81_200, r.id, 503, json!("down"));
    assert_eq!(m.poll_timeout(), Some(83_200), "then after 2 s");
    m.handle_timeout(83_200);
    let r = only_request(&drain(&mut m));

    // The node says the token is no good: the old session is ended and a
    // new one starts at once, from checkJoin.
    answer(
        &mut m,
        83_300,
        r.id,
        403,
        json!({"status":"failed","result":"invalid token"}),
    );
    let out = drain(&mut m);
    assert!(out.contains(&Output::Send(MeetingSend::CloseStream { conn })));
    let bye = farewells(&out);
    assert_eq!(bye.len(), 1, "{out:#?}");
    assert!(bye[0].url.ends_with("/end_session"));
    assert_eq!(bye[0].headers, [("token".to_owned(), TOKEN.to_owned())]);
    assert!(matches!(m.link(), MeetingLink::Reconnecting { .. }));
    let conn2 = rejoin_via(&mut m, 83_400, &out, "mcu.example:8080", "fresh", "me2");
    assert!(conn2 > conn);
    assert_eq!(m.link(), &MeetingLink::Online);
    assert_eq!(m.me(), Some("me2"));
}

#[test]
fn a_refresh_retried_past_the_expiry_becomes_a_new_session() {
    let (mut m, _) = online(Deployment::Public);
    let mut now = 80_020;
    m.handle_timeout(now);
    loop {
        let r = only_request(&drain(&mut m));
        if r.url.ends_with("/checkJoin.shtml") {
            break;
        }
        assert!(r.url.ends_with("/refresh_session"));
        no_reply(&mut m, now, r.id);
        now = m.poll_timeout().unwrap();
        m.handle_timeout(now);
    }
    assert!(now >= 120_020, "rejoined only once the token had run out");
}

#[test]
fn a_dropped_stream_is_probed_after_back_off_reopened_and_resynced() {
    let (mut m, conn) = online(Deployment::Public);
    event(
        &mut m,
        conn,
        "participant_create",
        participant("a", "A", "chair"),
    );
    event(
        &mut m,
        conn,
        "participant_create",
        participant("b", "B", "guest"),
    );

    m.handle(1_000, MeetingInput::StreamFailed { conn });
    let out = drain(&mut m);
    assert!(out.contains(&Output::Send(MeetingSend::CloseStream { conn })));
    assert_eq!(
        m.link(),
        &MeetingLink::Reconnecting {
            attempt: 1,
            retry_at: retry_at(1, 1_000)
        }
    );
    m.handle_timeout(retry_at(1, 1_000) - 1);
    assert!(drain(&mut m).is_empty());
    m.handle_timeout(retry_at(1, 1_000));
    let r = only_request(&drain(&mut m));
    assert!(r.url.ends_with("/service_status"));
    // The node is down: unreachable, and the delay doubles.
    answer(&mut m, 2_100, r.id, 503, json!("<html>503</html>"));
    assert_eq!(
        m.link(),
        &MeetingLink::Unreachable {
            attempt: 2,
            retry_at: retry_at(2, 2_100)
        }
    );
    m.handle_timeout(retry_at(2, 2_100));
    let r = only_request(&drain(&mut m));
    answer(&mut m, 4_200, r.id, 200, status_ok(true));
    let (conn2, ..) = opened_conn(&drain(&mut m));
    assert_eq!(conn2, conn + 1);
    // A late event from the old stream changes nothing.
    event(&mut m, conn, "participant_delete", json!({"uuid":"a"}));
    assert_eq!(m.conference().participants.len(), 2);

    m.handle(4_300, MeetingInput::StreamOpened { conn: conn2 });
    assert_eq!(m.link(), &MeetingLink::Online);
    assert!(m.conference().locked);
    // The stream resends the list: B left while we were away, C came.
    event(&mut m, conn2, "participant_sync_begin", json!({}));
    event(
        &mut m,
        conn2,
        "participant_create",
        participant("a", "A", "chair"),
    );
    event(
        &mut m,
        conn2,
        "participant_create",
        participant("c", "C", "guest"),
    );
    let uuids = |m: &MeetingMachine| -> Vec<String> {
        m.conference()
            .participants
            .iter()
            .map(|p| p.uuid.clone())
            .collect()
    };
    assert_eq!(
        uuids(&m),
        ["a", "b"],
        "no flicker during the sync: the roster changes at its end"
    );
    event(&mut m, conn2, "participant_sync_end", json!({}));
    assert_eq!(uuids(&m), ["a", "c"]);

    // The participants GET made on opening is older news now: ignored.
    let r = only_request(&drain(&mut m));
    answer(
        &mut m,
        4_400,
        r.id,
        200,
        json!({"status":"success","result":[participant("z","Z","guest")]}),
    );
    assert!(m.conference().participant("z").is_none());
}

#[test]
fn without_a_sync_event_the_participants_get_resyncs_the_list() {
    let (mut m, conn) = online(Deployment::Public);
    event(
        &mut m,
        conn,
        "participant_create",
        participant("gone", "G", "guest"),
    );
    m.handle(1_000, MeetingInput::StreamFailed { conn });
    m.handle_timeout(2_000);
    let r = only_request(&drain(&mut m));
    answer(&mut m, 2_100, r.id, 200, status_ok(false));
    let (conn2, ..) = opened_conn(&drain(&mut m));
    m.handle(2_200, MeetingInput::StreamOpened { conn: conn2 });
    let r = only_request(&drain(&mut m));
    assert!(r.url.ends_with("/participants"));
    answer(
        &mut m,
        2_300,
        r.id,
        200,
        json!({"status":"success","result":[participant("x","X","chair"), participant("y","Y","guest")]}),
    );
    let uuids = roster(&m);
    assert_eq!(uuids, ["x", "y"]);
}

#[test]
fn a_stream_that_never_opens_counts_as_dropped() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    join(&mut m, 0);
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 0, id, 200, check_join_ok());
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 0, id, 200, session_ok("t", "120", "me"));
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 0, id, 200, status_ok(false));
    let (conn, ..) = opened_conn(&drain(&mut m));
    assert_eq!(m.poll_timeout(), Some(STREAM_OPEN_TIMEOUT_MS));
    m.handle_timeout(STREAM_OPEN_TIMEOUT_MS);
    assert!(drain(&mut m).contains(&Output::Send(MeetingSend::CloseStream { conn })));
    assert!(matches!(
        m.link(),
        MeetingLink::Reconnecting { attempt: 1, .. }
    ));
}

#[test]
fn a_probe_refused_after_a_drop_starts_a_new_session() {
    let (mut m, conn) = online(Deployment::Public);
    m.handle(1_000, MeetingInput::StreamFailed { conn });
    m.handle_timeout(2_000);
    let r = only_request(&drain(&mut m));
    answer(
        &mut m,
        2_100,
        r.id,
        403,
        json!({"status":"failed","result":"invalid token"}),
    );
    let out = drain(&mut m);
    assert_eq!(farewells(&out).len(), 1, "the refused session is ended");
    let r = only_request(&out);
    assert!(r.url.ends_with("/checkJoin.shtml"));
}

#[test]
fn participants_are_created_updated_and_deleted() {
    let (mut m, conn) = online(Deployment::Public);
    event(
        &mut m,
        conn,
        "participant_create",
        participant("a", "Alice", "chair"),
    );
    event(
        &mut m,
        conn,
        "participant_update",
        json!({"uuid":"a","is_muted":"YES","display_name":null}),
    );
    let a = m.conference().participant("a").unwrap().clone();
    assert_eq!(a.is_muted, Some(true));
    assert_eq!(
        a.display_name.as_deref(),
        Some("Alice"),
        "kept when not sent"
    );
    assert_eq!(a.role, Some(Role::Host));
    event(
        &mut m,
        conn,
        "stage",
        json!([{"stage_index":0,"participant_uuid":"a","vad":100}]),
    );
    assert!(m.conference().is_speaking("a"));
    event(&mut m, conn, "participant_delete", json!({"uuid":"a"}));
    assert!(m.conference().participants.is_empty());
    assert!(!m.conference().is_speaking("a"));
}

#[test]
fn on_the_enterprise_cloud_an_update_for_an_unknown_uuid_is_a_new_participant() {
    let (mut m, conn) = online(Deployment::Enterprise);
    event(
        &mut m,
        conn,
        "participant_update",
        participant("n", "New", "guest"),
    );
    let p = m.conference().participant("n").unwrap();
    assert_eq!(p.display_name.as_deref(), Some("New"));
    assert_eq!(p.role, Some(Role::Guest));
}

#[test]
fn service_layout_presentation_messages_are_kept() {
    let (mut m, conn) = online(Deployment::Public);
    event(
        &mut m,
        conn,
        "service_update",
        json!({"locked":"true","guests_muted":true}),
    );
    assert!(m.conference().locked && m.conference().guests_muted);
    event(
        &mut m,
        conn,
        "layout",
        json!({"view":"1:7","participants":["a"]}),
    );
    assert_eq!(m.conference().layout.as_ref().unwrap().view, "1:7");
    event(
        &mut m,
        conn,
        "presentation_start",
        json!({"presenter_name":"Bob","presenter_uri":"b"}),
    );
    event(&mut m, conn, "presentation_frame", json!({}));
    assert_eq!(
        m.conference().presentation.as_ref().unwrap().presenter_name,
        "Bob"
    );
    assert_eq!(m.conference().frames, 1);
    event(&mut m, conn, "presentation_stop", json!({}));
    assert!(m.conference().presentation.is_none());
    for i in 0..(MAX_MESSAGES + 5) {
        event(
            &mut m,
            conn,
            "message",
            json!({"origin":"A","type":"text/plain","payload":format!("m{i}"),"uuid":"a"}),
        );
    }
    let msgs = &m.conference().messages;
    assert_eq!(msgs.len(), MAX_MESSAGES);
    assert_eq!(
        msgs.last().unwrap().payload,
        format!("m{}", MAX_MESSAGES + 4)
    );
}

#[test]
fn garbage_events_are_reported_and_skipped() {
    let (mut m, conn) = online(Deployment::Public);
    event(
        &mut m,
        conn,
        "participant_create",
        participant("a", "A", "chair"),
    );
    m.handle(
        0,
        MeetingInput::StreamEvent {
            conn,
            name: "participant_update".into(),
            data: "{not json".into(),
        },
    );
    event(&mut m, conn, "weird_event", json!({}));
    let out = drain(&mut m);
    assert_eq!(out.len(), 2);
    assert!(out
        .iter()
        .all(|o| matches!(o, Output::Event(MeetingNote::Undecodable { .. }))));
    assert_eq!(m.link(), &MeetingLink::Online);
    assert_eq!(m.conference().participants.len(), 1);
}

#[test]
fn commands_carry_the_token_and_their_bodies() {
    let (mut m, _) = online(Deployment::Public);
    let dial = Dial::new(Role::Guest, "sip:bob@example.com", DialProtocol::Sip);
    m.handle(0, MeetingInput::Command(Command::Dial(dial)));
    let r = only_request(&drain(&mut m));
    assert_eq!(r.url, format!("{NODE}/api/services/1061/dial"));
    let body: Value = serde_json::from_str(json_body(&r).unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"role":"guest","destination":"sip:bob@example.com","protocol":"sip"})
    );
    answer(
        &mut m,
        1,
        r.id,
        200,
        json!({"status":"success","result":["u1"]}),
    );
    assert_eq!(m.notice(), None);

    m.handle(
        2,
        MeetingInput::Command(Command::Participant {
            uuid: "u 1".into(),
            command: ParticipantCommand::Role(Role::Host),
        }),
    );
    let r = only_request(&drain(&mut m));
    assert_eq!(
        r.url,
        format!("{NODE}/api/services/1061/participants/u%201/role")
    );
    assert_eq!(json_body(&r), Some(r#"{"role":"chair"}"#));
}

#[test]
fn results_true_and_string_true_are_success_false_is_not() {
    let (mut m, _) = online(Deployment::Public);
    for result in [json!(true), json!("true"), json!("'true'")] {
        m.handle(0, MeetingInput::Command(Command::Lock));
        let r = only_request(&drain(&mut m));
        answer(
            &mut m,
            1,
            r.id,
            200,
            json!({"status":"success","result":result}),
        );
        assert_eq!(m.notice(), None, "{result}");
    }
    m.handle(0, MeetingInput::Command(Command::MuteGuests));
    let r = only_request(&drain(&mut m));
    answer(
        &mut m,
        1,
        r.id,
        200,
        json!({"status":"success","result":false}),
    );
    assert!(matches!(
        m.notice(),
        Some(Notice::Failed {
            command: "muteguests",
            ..
        })
    ));
}

#[test]
fn a_refused_command_shows_the_servers_message() {
    let (mut m, _) = online(Deployment::Public);
    m.handle(0, MeetingInput::Command(Command::Lock));
    let r = only_request(&drain(&mut m));
    answer(
        &mut m,
        1,
        r.id,
        403,
        json!({"status":"failed","result":"permission denied: host only"}),
    );
    assert_eq!(
        m.notice(),
        Some(&Notice::Failed {
            command: "lock",
            message: "permission denied: host only".into()
        })
    );
    assert_eq!(
        m.link(),
        &MeetingLink::Online,
        "a refused command drops nothing"
    );
    m.handle(2, MeetingInput::DismissNotice);
    assert_eq!(m.notice(), None);
}

#[test]
fn unsupported_commands_are_refused_locally_on_the_enterprise_cloud() {
    let (mut m, _) = online(Deployment::Enterprise);
    let spotlight = Command::Participant {
        uuid: "a".into(),
        command: ParticipantCommand::SpotlightOn,
    };
    assert!(!m.supports(&spotlight));
    m.handle(0, MeetingInput::Command(spotlight));
    assert!(requests(&drain(&mut m)).is_empty(), "nothing is sent");
    assert_eq!(
        m.notice(),
        Some(&Notice::Unsupported {
            command: "spotlighton"
        })
    );
    // What the enterprise cloud has still goes out.
    m.handle(
        1,
        MeetingInput::Command(Command::Participant {
            uuid: "a".into(),
            command: ParticipantCommand::Mute,
        }),
    );
    assert_eq!(requests(&drain(&mut m)).len(), 1);
    assert_eq!(m.notice(), None);
}

#[test]
fn the_enterprise_cloud_dials_only_h323_and_sip() {
    let (mut m, _) = online(Deployment::Enterprise);
    let dial = |p| Command::Dial(Dial::new(Role::Guest, "1001", p));
    for p in [DialProtocol::Sip, DialProtocol::H323] {
        assert!(m.supports(&dial(p)));
        m.handle(0, MeetingInput::Command(dial(p)));
        assert_eq!(requests(&drain(&mut m)).len(), 1, "{p:?} goes out");
    }
    for p in [
        DialProtocol::Rtmp,
        DialProtocol::Mssip,
        DialProtocol::Rtsp,
        DialProtocol::Phone,
        DialProtocol::Auto,
    ] {
        assert!(!m.supports(&dial(p)));
        m.handle(0, MeetingInput::Command(dial(p)));
        assert!(requests(&drain(&mut m)).is_empty(), "{p:?} is not sent");
        assert_eq!(m.notice(), Some(&Notice::Unsupported { command: "dial" }));
        assert!(Command::Dial(Dial::new(Role::Guest, "1001", p)).supported_on(Deployment::Public));
    }
}

#[test]
fn a_command_before_joining_says_so() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    m.handle(0, MeetingInput::Command(Command::Lock));
    assert!(drain(&mut m).is_empty());
    assert_eq!(m.notice(), Some(&Notice::NotJoined));
}

#[test]
fn check_join_refusal_shows_the_servers_message_and_stops() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    m.handle(
        0,
        MeetingInput::Join {
            account: "1061".into(),
            pin: "bad".into(),
            name: "n".into(),
        },
    );
    let r = only_request(&drain(&mut m));
    answer(
        &mut m,
        1,
        r.id,
        200,
        json!({"code":"401","timeStamp":"t","message":"入会密码错误"}),
    );
    assert_eq!(
        m.link(),
        &MeetingLink::Refused {
            message: "入会密码错误".into()
        }
    );
    assert_eq!(m.poll_timeout(), None);
}

#[test]
fn an_unreachable_api_server_is_retried() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    join(&mut m, 0);
    let r = only_request(&drain(&mut m));
    no_reply(&mut m, 5, r.id);
    assert_eq!(
        m.link(),
        &MeetingLink::Unreachable {
            attempt: 1,
            retry_at: retry_at(1, 5)
        }
    );
    m.handle_timeout(retry_at(1, 5));
    let r = only_request(&drain(&mut m));
    assert!(r.url.ends_with("checkJoin.shtml"));
}

#[test]
fn a_wrong_pin_at_new_session_is_a_refusal() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    join(&mut m, 0);
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 0, id, 200, check_join_ok());
    let id = only_request(&drain(&mut m)).id;
    answer(
        &mut m,
        0,
        id,
        403,
        json!({"status":"failed","result":"invalid pin"}),
    );
    assert_eq!(
        m.link(),
        &MeetingLink::Refused {
            message: "invalid pin".into()
        }
    );
}

#[test]
fn leave_closes_the_stream_ends_the_session_and_ignores_late_replies() {
    let (mut m, conn) = online(Deployment::Public);
    m.handle(0, MeetingInput::Command(Command::Lock));
    let lock = only_request(&drain(&mut m));
    m.handle(10, MeetingInput::Leave);
    let out = drain(&mut m);
    let close = out
        .iter()
        .position(|o| *o == Output::Send(MeetingSend::CloseStream { conn }))
        .expect("closed");
    let end = out
        .iter()
        .position(|o| matches!(o, Output::Send(MeetingSend::Farewell(r)) if r.url.ends_with("/end_session")))
        .expect("end_session sent");
    assert!(
        close < end,
        "the stream closes first, so its end is no error"
    );
    assert!(requests(&out).is_empty());
    let end_req = farewells(&out).remove(0);
    assert_eq!(end_req.headers, [("token".to_owned(), TOKEN.to_owned())]);
    assert_eq!(m.link(), &MeetingLink::Idle);
    assert_eq!(m.poll_timeout(), None);
    assert!(m.conference().participants.is_empty());

    // Its reply and the lock's are ignored; a late stream failure too.
    answer(&mut m, 20, end_req.id, 500, json!("whatever"));
    answer(
        &mut m,
        21,
        lock.id,
        403,
        json!({"status":"failed","result":"x"}),
    );
    m.handle(22, MeetingInput::StreamFailed { conn });
    assert!(drain(&mut m).is_empty());
    assert_eq!(m.notice(), None);
    assert_eq!(m.link(), &MeetingLink::Idle);
}

#[test]
fn being_put_out_of_the_meeting_ends_it_with_the_reason() {
    let (mut m, conn) = online(Deployment::Public);
    event(
        &mut m,
        conn,
        "disconnect",
        json!({"reason":"API initiated participant disconnect"}),
    );
    let out = drain(&mut m);
    assert!(out.contains(&Output::Send(MeetingSend::CloseStream { conn })));
    assert!(requests(&out).is_empty());
    assert_eq!(m.link(), &MeetingLink::Idle);
    assert_eq!(
        m.notice(),
        Some(&Notice::Disconnected {
            reason: "API initiated participant disconnect".into()
        })
    );
}

#[test]
fn secrets_are_masked_in_logged_text() {
    let text = session_ok("SECRET-TOKEN", "120", "me").to_string();
    let logged = redact(&text);
    assert!(!logged.contains("SECRET-TOKEN"), "{logged}");
    assert!(logged.contains("participant_uuid"));
    let logged = redact(&check_join_ok().to_string());
    assert!(!logged.contains("123456"), "{logged}");
    assert_eq!(redact("not json"), "not json");

    // No URL the machine logs carries the token.
    let (mut m, _) = online(Deployment::Public);
    m.handle(1_000, MeetingInput::StreamFailed { conn: 1 });
    m.handle_timeout(2_000);
    let r = only_request(&drain(&mut m));
    answer(&mut m, 2_100, r.id, 200, status_ok(false));
    let (_, url, logged) = opened_conn(&drain(&mut m));
    assert!(url.contains("tok/1%2Ba"));
    assert!(
        !logged.contains("tok/1") && logged.ends_with("token=***"),
        "{logged}"
    );
}

#[test]
fn the_event_names_cover_every_event() {
    use crate::meeting::{Disconnect, ServiceStatus as S};
    for e in [
        MeetingEvent::PresentationStop,
        MeetingEvent::ParticipantSyncEnd,
        MeetingEvent::ServiceUpdate(S::new(true, false)),
        MeetingEvent::Disconnect(Disconnect { reason: "x".into() }),
    ] {
        assert!(EVENT_NAMES.contains(&e.event_name()));
    }
    assert_eq!(EVENT_NAMES.len(), 14);
}

/// The JSON text of a request's body.
fn json_body(r: &rest::Request) -> Option<&str> {
    match &r.body {
        Body::Json(text) => Some(text),
        _ => None,
    }
}

#[test]
fn server_lifetimes_are_clamped_so_neither_zero_nor_huge_can_hurt() {
    for (expires, life) in [
        ("0", crate::clamp::MIN_SERVER_DURATION_MS),
        ("99999999999999999999", crate::clamp::MAX_SERVER_DURATION_MS),
        ("-5", crate::clamp::MIN_SERVER_DURATION_MS),
        ("120.9", 120_000),
    ] {
        let mut m = MeetingMachine::new(API, "http", Deployment::Public);
        join(&mut m, 0);
        let id = only_request(&drain(&mut m)).id;
        answer(&mut m, 0, id, 200, check_join_ok());
        let id = only_request(&drain(&mut m)).id;
        answer(&mut m, 1_000, id, 200, session_ok("t", expires, "me"));
        assert_eq!(m.token_expires_at(), Some(1_000 + life), "{expires}");
        // The next wake is the probe's reply deadline or the refresh, never now.
        assert!(m.poll_timeout().unwrap() > 1_000, "{expires}");
    }
}

#[test]
fn a_pin_that_cannot_travel_in_a_header_is_refused_before_anything_is_sent() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    m.handle(
        0,
        MeetingInput::Join {
            account: "1061".into(),
            pin: "一二三".into(),
            name: "n".into(),
        },
    );
    assert!(requests(&drain(&mut m)).is_empty(), "nothing sent");
    let MeetingLink::Refused { message } = m.link() else {
        panic!("{:?}", m.link())
    };
    assert!(message.contains("Latin-1"), "{message}");
}

#[test]
fn one_bad_participant_in_the_list_is_reported_and_the_rest_kept() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    join(&mut m, 0);
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 10, id, 200, check_join_ok());
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 20, id, 200, session_ok(TOKEN, "120", "me"));
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 30, id, 200, status_ok(false));
    let (conn, ..) = opened_conn(&drain(&mut m));
    m.handle(40, MeetingInput::StreamOpened { conn });
    let id = only_request(&drain(&mut m)).id;
    let list = json!([participant("a", "A", "chair"), {"display_name": 7}, participant("b", "B", "guest")]);
    answer(
        &mut m,
        50,
        id,
        200,
        json!({"status":"success","result":list}),
    );
    let out = drain(&mut m);
    assert!(
        out.iter().any(|o| matches!(o,
            Output::Event(MeetingNote::Undecodable { name, .. }) if name == "participants")),
        "{out:?}"
    );
    let uuids: Vec<&str> = m
        .conference()
        .participants
        .iter()
        .map(|p| p.uuid.as_str())
        .collect();
    assert_eq!(uuids, ["a", "b"]);
}

#[test]
fn a_5xx_with_a_json_body_is_a_failure_not_an_answer() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    join(&mut m, 0);
    let id = only_request(&drain(&mut m)).id;
    answer(&mut m, 5, id, 503, check_join_ok());
    assert!(
        matches!(m.link(), MeetingLink::Unreachable { attempt: 1, .. }),
        "{:?}",
        m.link()
    );
}

#[test]
fn a_request_without_a_reply_fails_at_its_deadline_in_the_machine() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    join(&mut m, 0);
    drain(&mut m);
    assert_eq!(m.poll_timeout(), Some(rest::REPLY_TIMEOUT_MS));
    m.handle_timeout(rest::REPLY_TIMEOUT_MS);
    assert!(matches!(m.link(), MeetingLink::Unreachable { .. }));
}

#[test]
fn a_tab_hidden_for_ten_minutes_catches_up_at_once_when_woken() {
    // Background tabs get one timer wake a minute or less; the driver also
    // wakes the machine on visibilitychange. Woken late, it must act at once.
    let (mut m, _) = online(Deployment::Public);
    let late = 10 * 60_000;
    m.handle_timeout(late);
    let urls: Vec<String> = requests(&drain(&mut m))
        .into_iter()
        .map(|r| r.url)
        .collect();
    assert!(
        urls.iter()
            .any(|u| u.ends_with("/new_session") || u.ends_with("checkJoin.shtml")),
        "the token died meanwhile: joining again at once, not refreshing: {urls:?}"
    );
    assert!(m.poll_timeout().unwrap() > late, "nothing overdue is left");
}

fn refused_token() -> Value {
    json!({"status":"failed","result":"invalid token"})
}

#[test]
fn a_meeting_moved_to_another_node_is_followed_through_check_join() {
    let (mut m, conn) = online(Deployment::Public);
    m.handle(1_000, MeetingInput::StreamFailed { conn });
    m.handle_timeout(m.poll_timeout().unwrap());
    let r = only_request(&drain(&mut m));
    assert!(r.url.starts_with(NODE));
    // The old node no longer hosts the meeting.
    answer(
        &mut m,
        3_000,
        r.id,
        404,
        json!({"status":"failed","result":"conference not found"}),
    );
    let out = drain(&mut m);
    let bye = farewells(&out);
    assert_eq!(bye.len(), 1, "the old session is ended first");
    assert!(bye[0].url.starts_with(NODE));
    rejoin_via(&mut m, 3_100, &out, "mcu2.example:8081", "tok2", "me2");
    assert_eq!(m.link(), &MeetingLink::Online);
    assert_eq!(m.me(), Some("me2"));
    // Commands now go to the new node with the new token.
    m.handle(3_200, MeetingInput::Command(Command::Lock));
    let r = only_request(&drain(&mut m));
    assert_eq!(r.url, "http://mcu2.example:8081/api/services/1061/lock");
    assert_eq!(r.headers, [("token".to_owned(), "tok2".to_owned())]);
}

#[test]
fn a_refused_rejoin_is_retried_with_back_off_and_the_dispatcher_told() {
    let (mut m, _) = online(Deployment::Public);
    // The token is refused at its refresh: rejoin from checkJoin.
    m.handle_timeout(80_020);
    let r = only_request(&drain(&mut m));
    answer(&mut m, 80_100, r.id, 403, refused_token());
    let out = drain(&mut m);
    assert_eq!(farewells(&out).len(), 1);
    let mut r = only_request(&out);
    let mut now = 80_100;
    let mut waits = Vec::new();
    // checkJoin answers "no such meeting" three times (a node restarting).
    for _ in 0..3 {
        answer(
            &mut m,
            now,
            r.id,
            200,
            json!({"code":"404","timeStamp":"t","message":"会议室不存在"}),
        );
        assert_eq!(
            m.notice(),
            Some(&Notice::RejoinRefused {
                message: "会议室不存在".into()
            })
        );
        assert!(matches!(m.link(), MeetingLink::Reconnecting { .. }));
        let out = drain(&mut m);
        assert!(requests(&out).is_empty(), "not at network speed");
        assert!(farewells(&out).is_empty(), "no session left to end");
        let at = m.poll_timeout().unwrap();
        waits.push(at - now);
        now = at;
        m.handle_timeout(now);
        r = only_request(&drain(&mut m));
        assert!(r.url.ends_with("/checkJoin.shtml"));
    }
    assert!(
        waits[0] >= 500 && waits[1] > waits[0] && waits[2] > waits[1],
        "{waits:?}"
    );
    // Then new_session refuses once (a wrong-looking pin while it restarts).
    let mut cj = check_join_ok();
    cj["results"]["mcuHost"] = json!("mcu.example:8080");
    answer(&mut m, now, r.id, 200, cj);
    let r = only_request(&drain(&mut m));
    answer(&mut m, now, r.id, 403, refused_token());
    assert!(matches!(m.notice(), Some(Notice::RejoinRefused { .. })));
    now = m.poll_timeout().unwrap();
    m.handle_timeout(now);
    let out = drain(&mut m);
    rejoin_via(&mut m, now, &out, "mcu.example:8080", "back", "me3");
    assert_eq!(m.link(), &MeetingLink::Online);
}

#[test]
fn a_probe_refused_again_after_a_rejoin_waits_its_back_off() {
    let (mut m, conn) = online(Deployment::Public);
    m.handle(1_000, MeetingInput::StreamFailed { conn });
    let mut now = m.poll_timeout().unwrap();
    m.handle_timeout(now);
    let mut laps = Vec::new();
    for lap in 0..4 {
        let r = only_request(&drain(&mut m));
        assert!(r.url.ends_with("/service_status"));
        answer(&mut m, now, r.id, 403, refused_token());
        let out = drain(&mut m);
        assert_eq!(farewells(&out).len(), 1, "lap {lap} ends its session");
        let r = match requests(&out).as_slice() {
            [r] => r.clone(),
            [] => {
                let at = m.poll_timeout().unwrap();
                laps.push(at - now);
                now = at;
                m.handle_timeout(now);
                only_request(&drain(&mut m))
            }
            more => panic!("{more:#?}"),
        };
        answer(&mut m, now, r.id, 200, check_join_ok());
        let r = only_request(&drain(&mut m));
        answer(
            &mut m,
            now,
            r.id,
            200,
            session_ok(&format!("t{lap}"), "120", "me"),
        );
    }
    assert_eq!(laps.len(), 3, "only the first rejoin is immediate");
    assert!(laps.iter().all(|&d| d >= 500), "{laps:?}");
}

#[test]
fn commands_wait_for_a_token_being_renewed() {
    let (mut m, _) = online(Deployment::Public);
    m.handle_timeout(80_020);
    let refresh = only_request(&drain(&mut m));
    assert!(refresh.url.ends_with("/refresh_session"));
    m.handle(80_030, MeetingInput::Command(Command::Lock));
    m.handle(80_031, MeetingInput::Command(Command::MuteGuests));
    assert!(requests(&drain(&mut m)).is_empty(), "held");
    assert_eq!(m.notice(), None, "not a failure");
    answer(
        &mut m,
        80_100,
        refresh.id,
        200,
        json!({"status":"success","result":{"token":"newer","expires":"120"}}),
    );
    let sent = requests(&drain(&mut m));
    let urls: Vec<_> = sent
        .iter()
        .map(|r| r.url.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(urls, ["lock", "muteguests"], "in order");
    assert!(sent
        .iter()
        .all(|r| r.headers == [("token".to_owned(), "newer".to_owned())]));

    // During a rejoin they wait for the new session.
    m.handle_timeout(160_100);
    let r = only_request(&drain(&mut m));
    answer(&mut m, 160_200, r.id, 403, refused_token());
    let out = drain(&mut m);
    m.handle(160_300, MeetingInput::Command(Command::Unlock));
    assert!(requests(&drain(&mut m)).is_empty());
    let r = only_request(&out);
    answer(&mut m, 160_400, r.id, 200, check_join_ok());
    let r = only_request(&drain(&mut m));
    answer(
        &mut m,
        160_500,
        r.id,
        200,
        session_ok("third", "120", "me2"),
    );
    let r = only_request(&drain(&mut m));
    answer(&mut m, 160_600, r.id, 200, status_ok(true));
    let unlock = requests(&drain(&mut m));
    assert_eq!(unlock.len(), 1);
    assert!(unlock[0].url.ends_with("/unlock"));
    assert_eq!(
        unlock[0].headers,
        [("token".to_owned(), "third".to_owned())]
    );

    // A leave forgets what still waits.
    m.handle_timeout(240_600);
    drain(&mut m);
    m.handle(240_700, MeetingInput::Command(Command::Lock));
    m.handle(240_800, MeetingInput::Leave);
    assert!(requests(&drain(&mut m)).is_empty());
}

#[test]
fn a_silent_stream_is_reopened_and_events_keep_it_open() {
    let (mut m, conn) = online(Deployment::Public);
    // Opened at 40; an event at 100_000 moves the silence deadline.
    m.handle(
        100_000,
        MeetingInput::StreamEvent {
            conn,
            name: "stage".into(),
            data: "[]".into(),
        },
    );
    drain(&mut m);
    let mut now = 0;
    // Refreshes come and go (answered) while the stream stays silent.
    while now < 100_000 + STREAM_SILENT_MS {
        now = m.poll_timeout().unwrap();
        m.handle_timeout(now);
        let out = drain(&mut m);
        if out.contains(&Output::Send(MeetingSend::CloseStream { conn })) {
            break;
        }
        for r in requests(&out) {
            assert!(r.url.ends_with("/refresh_session"), "{}", r.url);
            answer(
                &mut m,
                now,
                r.id,
                200,
                json!({"status":"success","result":{"token":"later","expires":"120"}}),
            );
        }
    }
    assert_eq!(
        now,
        100_000 + STREAM_SILENT_MS,
        "reopened right at the deadline"
    );
    // The reopen probes, then opens with the current (refreshed) token.
    now = m.poll_timeout().unwrap();
    m.handle_timeout(now);
    let r = only_request(&drain(&mut m));
    assert!(r.url.ends_with("/service_status"));
    assert_eq!(r.headers, [("token".to_owned(), "later".to_owned())]);
    answer(&mut m, now, r.id, 200, status_ok(false));
    let (conn2, url, _) = opened_conn(&drain(&mut m));
    assert!(conn2 > conn && url.ends_with("token=later"), "{url}");
}

#[test]
fn a_deployment_may_shorten_the_silence_limit_but_not_below_five_seconds() {
    let (mut m, conn) = online(Deployment::Public);
    m.set_stream_silent_ms(1);
    m.handle(
        1_000,
        MeetingInput::StreamEvent {
            conn,
            name: "stage".into(),
            data: "[]".into(),
        },
    );
    drain(&mut m);
    let closed = |m: &mut MeetingMachine, now| {
        m.handle_timeout(now);
        drain(m).contains(&Output::Send(MeetingSend::CloseStream { conn }))
    };
    assert!(!closed(&mut m, 1_000 + MIN_STREAM_SILENT_MS - 1));
    assert!(closed(&mut m, 1_000 + MIN_STREAM_SILENT_MS));
}

#[test]
fn a_reconnect_snapshot_shows_only_real_joins_and_leaves() {
    let (mut m, conn) = online(Deployment::Public);
    event(&mut m, conn, "participant_sync_begin", json!(null));
    for (u, n) in [("me", "调度台"), ("a", "A"), ("b", "B")] {
        event(
            &mut m,
            conn,
            "participant_create",
            participant(u, n, "chair"),
        );
    }
    event(&mut m, conn, "participant_sync_end", json!(null));
    m.handle(1_000, MeetingInput::StreamFailed { conn });
    m.handle_timeout(m.poll_timeout().unwrap());
    let r = only_request(&drain(&mut m));
    answer(&mut m, 2_000, r.id, 200, status_ok(false));
    let (conn2, ..) = opened_conn(&drain(&mut m));
    m.handle(2_100, MeetingInput::StreamOpened { conn: conn2 });
    drain(&mut m);
    let uuids = |m: &MeetingMachine| -> Vec<String> {
        m.conference()
            .participants
            .iter()
            .map(|p| p.uuid.clone())
            .collect()
    };
    // While the snapshot arrives, nobody disappears.
    event(&mut m, conn2, "participant_sync_begin", json!(null));
    assert_eq!(uuids(&m), ["me", "a", "b"]);
    event(
        &mut m,
        conn2,
        "participant_create",
        participant("me", "调度台", "chair"),
    );
    event(
        &mut m,
        conn2,
        "participant_create",
        participant("a", "A renamed", "chair"),
    );
    event(
        &mut m,
        conn2,
        "participant_create",
        participant("c", "C", "guest"),
    );
    // Held until the snapshot is whole: the roster is still the old one.
    assert_eq!(uuids(&m), ["me", "a", "b"]);
    assert_eq!(
        m.conference().participant("a").unwrap().display_name,
        Some("A".into())
    );
    event(&mut m, conn2, "participant_sync_end", json!(null));
    // B left while the stream was down; C came; A's change is kept.
    assert_eq!(uuids(&m), ["me", "a", "c"]);
    assert_eq!(
        m.conference().participant("a").unwrap().display_name,
        Some("A renamed".into())
    );
}

#[test]
fn the_view_tells_the_role_and_where_this_console_waits() {
    let mut m = MeetingMachine::new(API, "http", Deployment::Public);
    join(&mut m, 0);
    let r = only_request(&drain(&mut m));
    answer(&mut m, 1, r.id, 200, check_join_ok());
    let r = only_request(&drain(&mut m));
    let mut s = session_ok(TOKEN, "120", "me");
    s["result"]["role"] = json!("GUEST");
    s["result"]["current_service_type"] = json!("waiting_room");
    answer(&mut m, 2, r.id, 200, s);
    let v = m.view();
    assert!(!v.is_host());
    assert_eq!(v.service, Some(ServiceType::WaitingRoom));
    let r = only_request(&drain(&mut m));
    answer(&mut m, 3, r.id, 200, status_ok(true));
    let (conn, ..) = opened_conn(&drain(&mut m));
    m.handle(4, MeetingInput::StreamOpened { conn });
    // A host lets us in: our own roster entry says so.
    let mut me = participant("me", "n", "guest");
    me["service_type"] = json!("conference");
    event(&mut m, conn, "participant_update", me);
    assert_eq!(m.view().service, Some(ServiceType::Conference));
    let mut ivr = participant("me", "n", "guest");
    ivr["service_type"] = json!("ivr");
    event(&mut m, conn, "participant_update", ivr);
    assert_eq!(m.view().service, Some(ServiceType::Ivr));
}

#[test]
fn five_minutes_of_5xx_end_joined_again_as_one_participant() {
    // A node that answers 503 to everything from t=100 s to t=400 s. It
    // holds sessions by token until end_session or their expiry (120 s,
    // renewed by refresh_session); an end_session it does not get (down)
    // does nothing.
    let (mut m, conn) = online(Deployment::Public);
    let mut sessions: std::collections::HashMap<String, u64> = [(TOKEN.to_owned(), 120_020)].into();
    let mut issued = 0;
    let mut now = 100_000;
    let down = |now: u64| (100_000..400_000).contains(&now);
    m.handle(now, MeetingInput::StreamFailed { conn });
    for _ in 0..10_000 {
        let out = drain(&mut m);
        let mut opened = None;
        for o in &out {
            match o {
                Output::Send(MeetingSend::Farewell(r)) if !down(now) => {
                    sessions.remove(&r.headers[0].1);
                }
                Output::Send(MeetingSend::Request(r)) => {
                    let tail = r.url.rsplit('/').next().unwrap();
                    let token = r.headers.first().map(|h| h.1.clone()).unwrap_or_default();
                    let (status, body) = if down(now) {
                        (503, json!({"status":"failed","result":"down"}))
                    } else {
                        match tail {
                            "checkJoin.shtml" => (200, check_join_ok()),
                            "new_session" => {
                                issued += 1;
                                let t = format!("t{issued}");
                                sessions.insert(t.clone(), now + 120_000);
                                (200, session_ok(&t, "120", &format!("me{issued}")))
                            }
                            _ if sessions.get(&token).is_none_or(|&e| e <= now) => {
                                (403, refused_token())
                            }
                            "refresh_session" => {
                                sessions.insert(token.clone(), now + 120_000);
                                (
                                    200,
                                    json!({"status":"success","result":{"token":token,"expires":"120"}}),
                                )
                            }
                            "service_status" => (200, status_ok(false)),
                            _ => (200, json!({"status":"success","result":[]})),
                        }
                    };
                    answer(&mut m, now, r.id, status, body);
                }
                Output::Send(MeetingSend::OpenStream { conn, .. }) if !down(now) => {
                    opened = Some(*conn)
                }
                _ => {}
            }
        }
        if let Some(conn) = opened {
            m.handle(now, MeetingInput::StreamOpened { conn });
            continue;
        }
        if m.link() == &MeetingLink::Online && now >= 400_000 {
            break;
        }
        if out.is_empty() {
            now = now.max(m.poll_timeout().expect("always something to wait for"));
            m.handle_timeout(now);
        }
    }
    assert_eq!(m.link(), &MeetingLink::Online);
    sessions.retain(|_, &mut e| e > now);
    assert_eq!(
        sessions.len(),
        1,
        "exactly one session of ours: {sessions:?}"
    );
    assert!(issued >= 1);
    assert!(now < 400_000 + 60_000, "back within a minute: {now}");
}

#[test]
fn the_token_goes_into_the_stream_url_as_the_node_wrote_it() {
    use crate::meeting::{token_decoded, token_query};
    // The document's own token: already URL-encoded, so unchanged.
    let doc = "JGyCszPq/CnFVz7Pe/259Wp%2Br5ExBG9myOlMg0Kv9kpFi4eLNLL6ZisIHKgKg2g%2BDiop%3D";
    assert_eq!(token_query(doc), doc);
    // What a query cannot hold as it is gets escaped: raw '+', '&', '#',
    // '=', a space, a lone '%', non-ASCII.
    assert_eq!(
        token_query("a+b&c#d=e f%g%4"),
        "a%2Bb%26c%23d%3De%20f%25g%254"
    );
    assert_eq!(token_query("é"), "%C3%A9");
    // Decoding the query once gives the token's decoded form, whatever it holds.
    for t in [doc, "a+b&c#d=e f%g%4", "x%2B+y/%3D", "é%C3%A9"] {
        let sent = token_query(t);
        assert_eq!(token_decoded(&sent), token_decoded(t), "{t}");
    }
    assert_eq!(token_decoded("a%2Bb%3D"), "a+b=");
}

fn frame_fetches(out: &[MeetingOutput]) -> Vec<rest::Request> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send(MeetingSend::FetchFrame(r)) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn presentation_frames_are_fetched_one_at_a_time_newest_last_and_stop_clears() {
    let (mut m, conn) = online(Deployment::Public);
    event(
        &mut m,
        conn,
        "presentation_start",
        json!({"presenter_name":"现场单兵01","presenter_uri":"sip:a@b"}),
    );
    drain(&mut m);
    event(&mut m, conn, "presentation_frame", json!({}));
    let out = drain(&mut m);
    let f = frame_fetches(&out);
    assert_eq!(f.len(), 1);
    assert_eq!(
        f[0].url,
        format!("{NODE}/api/services/1061/presentation.jpeg")
    );
    assert_eq!(f[0].method, rest::Method::Get);
    assert_eq!(f[0].headers, [("token".to_owned(), TOKEN.to_owned())]);
    // Three more frames while it is on its way: one more fetch, afterwards.
    for _ in 0..3 {
        event(&mut m, conn, "presentation_frame", json!({}));
    }
    assert!(frame_fetches(&drain(&mut m)).is_empty());
    m.handle(10, MeetingInput::FrameFetched);
    assert_eq!(frame_fetches(&drain(&mut m)).len(), 1);
    m.handle(20, MeetingInput::FrameFetched);
    assert!(frame_fetches(&drain(&mut m)).is_empty(), "nothing newer");
    assert_eq!(
        m.conference()
            .presentation
            .as_ref()
            .map(|p| p.presenter_name.as_str()),
        Some("现场单兵01")
    );
    // Stop clears the image, and a fetch still on its way is not repeated.
    event(&mut m, conn, "presentation_frame", json!({}));
    event(&mut m, conn, "presentation_frame", json!({}));
    drain(&mut m);
    event(&mut m, conn, "presentation_stop", json!({}));
    assert!(drain(&mut m).contains(&Output::Send(MeetingSend::ClearFrame)));
    m.handle(30, MeetingInput::FrameFetched);
    assert!(frame_fetches(&drain(&mut m)).is_empty());
    assert_eq!(m.conference().presentation, None);
    // A leave clears it too.
    event(&mut m, conn, "presentation_frame", json!({}));
    drain(&mut m);
    m.handle(40, MeetingInput::FrameFetched);
    m.handle(50, MeetingInput::Leave);
    assert!(drain(&mut m).contains(&Output::Send(MeetingSend::ClearFrame)));
}

#[test]
fn long_replies_are_cut_for_the_journal_after_masking() {
    let names: Vec<Value> = (0..200)
        .map(|i| json!({"display_name": format!("终端{i:04}")}))
        .collect();
    // The secret first, in the part the journal shows.
    let text = format!(
        r#"{{"token":"SECRET","status":"success","result":{}}}"#,
        Value::from(names.clone())
    );
    assert!(text.len() > JOURNALED_REPLY_BYTES);
    let logged = redact(&text);
    assert!(!logged.contains("SECRET"));
    assert!(logged.ends_with(&format!(
        "… ({} bytes)",
        text.len() - "SECRET".len() + MASK.len()
    )));
    assert!(logged.len() <= JOURNALED_REPLY_BYTES + 20);
    // Spelt with an escape, or in capitals, a secret's name is still found.
    for key in ["\\u0074oken", "TOKEN", "joinPwd"] {
        let text = text.replace("\"token\"", &format!("\"{key}\""));
        assert!(!redact(&text).contains("SECRET"), "{key}");
    }
    // A secret past the part shown is not shown either.
    let last = json!({"status": "success", "token": "SECRET", "result": names}).to_string();
    assert!(last.find("SECRET").unwrap() > JOURNALED_REPLY_BYTES);
    assert!(!redact(&last).contains("SECRET"));
    // With no secret's name, a long reply is only cut.
    let names = json!({"status": "success", "result": names}).to_string();
    assert_eq!(
        redact(&names),
        format!(
            "{}… ({} bytes)",
            &names[..JOURNALED_REPLY_BYTES],
            names.len()
        )
    );
    let plain = "终".repeat(JOURNALED_REPLY_BYTES);
    assert!(redact(&plain).starts_with(&"终".repeat(JOURNALED_REPLY_BYTES / 3)));
}

#[test]
fn the_silence_check_stays_put_while_events_come_and_still_catches_silence() {
    let (mut m, conn) = online(Deployment::Public);
    m.set_stream_silent_ms(MIN_STREAM_SILENT_MS);
    let first = m.poll_timeout().expect("the silence check");
    for now in (1_000..=3_500).step_by(500) {
        m.handle(
            now,
            MeetingInput::StreamEvent {
                conn,
                name: "stage".into(),
                data: "[]".into(),
            },
        );
        drain(&mut m);
        assert_eq!(m.poll_timeout(), Some(first), "moved at {now}");
    }
    let closed = |m: &mut MeetingMachine, now| {
        m.handle_timeout(now);
        drain(m).contains(&Output::Send(MeetingSend::CloseStream { conn }))
    };
    // Heard from since: checked again where the allowed silence ends.
    assert!(!closed(&mut m, first));
    assert_eq!(m.poll_timeout(), Some(3_500 + MIN_STREAM_SILENT_MS));
    assert!(closed(&mut m, 3_500 + MIN_STREAM_SILENT_MS));
}

/// The outputs of one stream event, `State` included.
fn event_outputs(m: &mut MeetingMachine, conn: u32, name: &str, data: Value) -> Vec<MeetingOutput> {
    event(m, conn, name, data);
    crate::machine::drain(m)
}

#[test]
fn a_sync_burst_is_one_new_view_at_its_end() {
    let (mut m, conn) = online(Deployment::Public);
    event(
        &mut m,
        conn,
        "participant_create",
        participant("old", "Old", "guest"),
    );
    drain(&mut m);
    assert!(
        event_outputs(&mut m, conn, "participant_sync_begin", json!({})).contains(&Output::State)
    );
    for i in 0..1_000 {
        let uuid = format!("p{i:04}");
        let out = event_outputs(
            &mut m,
            conn,
            "participant_create",
            participant(&uuid, "P", "guest"),
        );
        assert!(out.is_empty(), "participant {i} of the sync: {out:?}");
    }
    // Another event in the middle shows at once, the roster still the old one.
    let out = event_outputs(
        &mut m,
        conn,
        "service_update",
        json!({"locked":true,"guests_muted":false}),
    );
    assert_eq!(out, [Output::State]);
    assert!(m.view().conference.locked);
    assert_eq!(m.view().conference.participants.len(), 1);
    let out = event_outputs(&mut m, conn, "participant_sync_end", json!({}));
    assert_eq!(out, [Output::State]);
    let v = m.view();
    assert_eq!(v.conference.participants.len(), 1_000);
    assert_eq!(v.conference.participants[0].uuid, "p0000");
    assert_eq!(v.conference.participants[999].uuid, "p0999");
    assert!(
        v.conference.participant("old").is_none(),
        "not in the snapshot: gone"
    );
}

#[test]
fn a_leave_during_a_sync_shows_at_once_and_is_not_undone_by_its_end() {
    let (mut m, conn) = online(Deployment::Public);
    for u in ["a", "b"] {
        event(
            &mut m,
            conn,
            "participant_create",
            participant(u, u, "guest"),
        );
    }
    event(&mut m, conn, "participant_sync_begin", json!({}));
    for u in ["a", "b", "c"] {
        event(
            &mut m,
            conn,
            "participant_create",
            participant(u, u, "guest"),
        );
    }
    let out = event_outputs(&mut m, conn, "participant_delete", json!({"uuid":"b"}));
    assert!(out.contains(&Output::State));
    assert!(m.conference().participant("b").is_none());
    event(&mut m, conn, "participant_sync_end", json!({}));
    let uuids = roster(&m);
    assert_eq!(uuids, ["a", "c"]);
}

#[test]
fn a_sync_cut_short_by_a_dropped_stream_changes_nothing() {
    let (mut m, conn) = online(Deployment::Public);
    event(
        &mut m,
        conn,
        "participant_create",
        participant("a", "A", "guest"),
    );
    event(&mut m, conn, "participant_sync_begin", json!({}));
    event(
        &mut m,
        conn,
        "participant_create",
        participant("z", "Z", "guest"),
    );
    m.handle(1_000, MeetingInput::StreamFailed { conn });
    drain(&mut m);
    let uuids = roster(&m);
    assert_eq!(uuids, ["a"]);
}
