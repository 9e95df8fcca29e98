//! Document 002 (in-meeting management): every example message, kept under
//! tests/fixtures/meeting/ as printed, repaired only where it is not JSON:
//! - typographic quotes “” ‘’ (and the full-width colons of
//!   call_disconnected) made straight;
//! - `'true'` became the string `"'true'"`, keeping its quote marks, so the
//!   lenient decoding of exactly what is printed is tested;
//! - checkJoin's non-JSON placeholders got values of their kind: `isDot`
//!   false, `companyId` 1001, `isRecord` true, `isLive` false, and `roleType`
//!   (`"xxxx"`, not a role) `"host"`; the string placeholders stay;
//! - participants and override_layout's `[...]` became `[]`;
//! - participant_create got its missing commas, and its `vendor`, wrapped
//!   across two lines by the page, is joined with a space;
//! - call_disconnected got its missing `{`.
//!
//! Not from the document (the product it clones, Pexip Infinity's client
//! REST API, sends more than it prints):
//! - participant_pexip_node: a participant as a Pexip node sends it, with
//!   fractional `start_time` and `spotlight` and fields the document does
//!   not list (`buzz_time`, `call_tag`, `transfer_supported`, ...);
//! - participants_reply_one_bad and event_stage_one_bad: lists with one
//!   element that cannot be used (no uuid).
//!
//! Not fixtures: override_layout's template `{'layouts':[layout1, layout2]}`
//! (the example under it is one).

use proto::lenient::ListOf;
use proto::meeting::*;
use proto::DecodeError;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("fixtures/meeting/", $name, ".json"))
    };
}

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn success<T>(text: &str, decode: fn(&Value) -> Result<T, DecodeError>) -> T {
    decode_reply(text, decode).unwrap().into_result().unwrap()
}

/// A result the console does not read, decoded by serde's derive as the
/// simulator's tests would.
fn serde<T: DeserializeOwned>(v: &Value) -> Result<T, DecodeError> {
    Ok(T::deserialize(v)?)
}

const CONF: &str = "zjvmr@myvmr.cn";
const UUID: &str = "50b956c8-9a63-4711-8630-3810f8666b04";

// ---- checkJoin ----

#[test]
fn check_join_reply() {
    let reply = decode_check_join(fixture!("check_join_reply")).unwrap();
    assert_eq!(
        (reply.code, reply.time_stamp.as_str()),
        (200, "2017-05-24 15:41:30")
    );
    let r = reply.into_result().unwrap();
    assert!(!r.is_dot && r.is_record && !r.is_live);
    assert_eq!(r.alias, "xxx@xxx.com");
    assert_eq!(r.role_type, Some(Role::Host));
    assert_eq!(r.company_id, Some(1001));
    assert_eq!(r.mcu_host, "xxx.xxx.cn");
    assert_eq!(r.base_url("https").as_deref(), Some("https://xxx.xxx.cn"));
}

#[test]
fn check_join_tolerates_strings_and_empty_role() {
    let text = r#"{"code":200,"timeStamp":"t","results":{"isDot":"true","isRecord":"false","isLive":"true",
        "companyId":"42","roleType":"","mcuHost":"127.0.0.1:8080","allowGuest":"no"}}"#;
    let r = decode_check_join(text).unwrap().into_result().unwrap();
    assert!(r.is_dot && !r.is_record && r.is_live);
    assert_eq!(
        (r.company_id, r.role_type, r.allow_guest),
        (Some(42), None, Some(false))
    );
    assert_eq!(r.base_url("http").as_deref(), Some("http://127.0.0.1:8080"));
    let out = serde_json::to_value(&r).unwrap();
    assert_eq!(
        (&out["roleType"], &out["allowGuest"]),
        (&json!(""), &json!("no"))
    );
}

#[test]
fn check_join_failure_and_garbage() {
    let err = decode_check_join(r#"{"code":"500","results":"bad password"}"#)
        .unwrap()
        .into_result()
        .unwrap_err();
    assert_eq!(err.status, "500");
    for text in [
        "",
        "{",
        r#"{"code":"200"}"#,
        r#"{"code":"200","results":{"isDot":false}}"#,
        r#"{"code":[]}"#,
    ] {
        assert!(decode_check_join(text).is_err(), "{text}");
    }
}

#[test]
fn check_join_request_and_reply_shapes() {
    let req = CheckJoin {
        join_account: "1061".into(),
        join_pwd: "123456".into(),
        participant_name: "调度台".into(),
    };
    assert_eq!(CheckJoin::PATH, "/api/v3/meet/checkJoin.shtml");
    assert_eq!(
        req.body(),
        json!({"joinAccount":"1061","joinPwd":"123456","participantName":"调度台"})
    );
    let reply = decode_check_join(fixture!("check_join_reply")).unwrap();
    let out = serde_json::to_value(&reply).unwrap();
    assert_eq!(out, value(fixture!("check_join_reply")));
}

#[test]
fn mcu_host_becomes_a_base_url() {
    let cases = [
        ("xxx.xxx.cn", "https://xxx.xxx.cn"),
        ("127.0.0.1:8080", "https://127.0.0.1:8080"),
        (" https://a.example.cn/ ", "https://a.example.cn"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("//cdn.example.cn", "https://cdn.example.cn"),
    ];
    for (host, want) in cases {
        assert_eq!(base_url(host, "https").as_deref(), Some(want), "{host}");
    }
    assert_eq!(base_url("a.cn", "http://").as_deref(), Some("http://a.cn"));
    for bad in ["", "  ", "https://", "a b.cn"] {
        assert_eq!(base_url(bad, "https"), None, "{bad:?}");
    }
}

// ---- sessions ----

#[test]
fn new_session_request_and_reply() {
    let req: NewSession = serde_json::from_str(fixture!("new_session_request")).unwrap();
    assert_eq!((req.display_name.as_str(), req.hideme), ("jiang", false));
    let ours = NewSession {
        display_name: "jiang".into(),
        hideme: false,
        pin: Some("123456".into()),
    };
    assert_eq!(ours.body(), value(fixture!("new_session_request")));
    assert_eq!(ours.headers(), vec![("pin", "123456".to_owned())]);
    assert_eq!(
        ours.path(CONF),
        "/api/services/zjvmr%40myvmr.cn/new_session"
    );
    assert_eq!(ours.path("1061"), "/api/services/1061/new_session");
    assert!(NewSession { pin: None, ..ours }.headers().is_empty());

    let r: NewSessionResult = success(fixture!("new_session_reply"), NewSessionResult::decode);
    assert_eq!(r.expires, 120);
    assert_eq!(r.role, Role::Host);
    assert_eq!(r.participant_uuid, "11ecc456-808a-485c-96fc-fcdaded72f3e");
    assert!(
        r.token.starts_with("JGyCszPq/CnFVz7Pe/")
            && r.token.ends_with("%3D")
            && r.token.contains(' ')
    );
    assert_eq!(r.version.as_ref().map(|v| v.version_id.as_str()), Some("3"));
    assert_eq!(r.service_type, Some(ServiceType::Conference));
    assert_eq!(
        (r.bandwidth_in, r.owner.as_deref(), r.rtmp_enabled),
        (Some(512), Some("120.132.87.97"), Some(true))
    );
    assert_eq!(
        (r.chat_enabled, r.analytics_enabled),
        (Some(true), Some(false))
    );
    // The simulator sends it back unchanged: role HOST, expires "120".
    assert_eq!(
        serde_json::to_value(Reply::Success(r)).unwrap(),
        value(fixture!("new_session_reply"))
    );
}

#[test]
fn enterprise_new_session_lacks_public_fields() {
    let text = r#"{"status":"success","result":{"token":"t","expires":120,"participant_uuid":"u","role":"GUEST",
        "chat_enabled":"true","service_type":"conference","current_service_type":"waiting_room","display_name":"d"}}"#;
    let r: NewSessionResult = success(text, NewSessionResult::decode);
    assert_eq!(
        (r.role, r.expires, r.chat_enabled),
        (Role::Guest, 120, Some(true))
    );
    assert_eq!(r.current_service_type, Some(ServiceType::WaitingRoom));
    assert_eq!((r.allow_1080p, r.bandwidth_in, r.owner), (None, None, None));
    let minimal = NewSessionResult::new("t", 120, "u", Role::Guest);
    assert_eq!(
        serde_json::to_value(minimal).unwrap(),
        json!({"token":"t","expires":"120","participant_uuid":"u","role":"GUEST"})
    );
}

#[test]
fn refresh_session_reply() {
    let r: RefreshResult = success(fixture!("refresh_session_reply"), RefreshResult::decode);
    assert_eq!(
        (r.token.as_str(), r.expires, r.role),
        ("SE9TVAltZ...etc...jQ4YTVmMzM3MDMwNDFlNjI%3D", 120, None)
    );
    assert_eq!(
        serde_json::to_value(Reply::Success(r)).unwrap(),
        value(fixture!("refresh_session_reply"))
    );
    let with_role: RefreshResult = success(
        r#"{"status":"success","result":{"token":"t","expires":"90","Role":"host"}}"#,
        RefreshResult::decode,
    );
    assert_eq!((with_role.expires, with_role.role), (90, Some(Role::Host)));
    assert_eq!(serde_json::to_value(with_role).unwrap()["role"], "HOST");
}

// ---- conference commands ----

#[test]
fn conference_command_paths_methods_and_bodies() {
    let cases: Vec<(Command, Method, &str)> = vec![
        (Command::RefreshSession, Method::Post, "refresh_session"),
        (Command::EndSession, Method::Post, "end_session"),
        (Command::ServiceStatus, Method::Get, "service_status"),
        (Command::Lock, Method::Post, "lock"),
        (Command::Unlock, Method::Post, "unlock"),
        (Command::StartService, Method::Post, "start_service"),
        (Command::MuteGuests, Method::Post, "muteguests"),
        (Command::UnmuteGuests, Method::Post, "unmuteguests"),
        (Command::Disconnect, Method::Post, "disconnect"),
        (Command::Participants, Method::Get, "participants"),
    ];
    for (cmd, method, name) in cases {
        assert_eq!(cmd.method(), method, "{name}");
        assert_eq!(
            cmd.path(CONF),
            format!("/api/services/zjvmr%40myvmr.cn/{name}")
        );
        assert_eq!(cmd.body(), None, "{name}");
    }
    assert_eq!(Method::Get.as_str(), "GET");
}

#[test]
fn dial_request_and_reply() {
    let parsed: Dial = serde_json::from_str(fixture!("dial_request")).unwrap();
    let mut dial = Dial::new(Role::Guest, "bob@example.com", DialProtocol::Sip);
    dial.source_display_name = Some("Alice".into());
    assert_eq!(parsed, dial);
    let cmd = Command::Dial(dial);
    assert_eq!(
        (cmd.method(), cmd.path("1061")),
        (Method::Post, "/api/services/1061/dial".to_owned())
    );
    assert_eq!(cmd.body(), Some(value(fixture!("dial_request"))));

    let uuids: Vec<String> = success(fixture!("dial_reply"), serde);
    assert_eq!(uuids, ["977fcd1c-8e3c-4dcf-af45-e536b77af088"]);
}

#[test]
fn dial_with_every_option() {
    let dial = Dial {
        presentation_url: Some("rtmp://live.example.cn/p".into()),
        streaming: Some(true),
        dtmf_sequence: Some("1234#".into()),
        source_display_name: Some("指挥中心".into()),
        source: Some("1061".into()),
        call_type: Some(DialCallType::VideoOnly),
        keep_conference_alive: Some(KeepConferenceAlive::IfMultiple),
        remote_display_name: Some("直播".into()),
        ..Dial::new(Role::Host, "rtmp://live.example.cn/s", DialProtocol::Rtmp)
    };
    let body = Command::Dial(dial.clone()).body().unwrap();
    assert_eq!(
        body,
        json!({"role":"chair","destination":"rtmp://live.example.cn/s","protocol":"rtmp",
            "presentation_url":"rtmp://live.example.cn/p","streaming":"yes","dtmf_sequence":"1234#",
            "source_display_name":"指挥中心","source":"1061","call_type":"video-only",
            "keep_conference_alive":"keep_conference_alive_if_multiple","remote_display_name":"直播"})
    );
    assert_eq!(serde_json::from_value::<Dial>(body).unwrap(), dial);
    let protocols = [
        DialProtocol::H323,
        DialProtocol::Mssip,
        DialProtocol::Rtsp,
        DialProtocol::Phone,
        DialProtocol::Auto,
    ];
    let names: Vec<Value> = protocols
        .iter()
        .map(|p| serde_json::to_value(p).unwrap())
        .collect();
    assert_eq!(
        names,
        [
            json!("h323"),
            json!("mssip"),
            json!("rtsp"),
            json!("phone"),
            json!("auto")
        ]
    );
}

#[test]
fn service_status_reply() {
    let s: ServiceStatus = success(fixture!("service_status_reply"), ServiceStatus::decode);
    assert_eq!(s, ServiceStatus::new(false, false));
    assert_eq!(
        serde_json::to_value(Reply::Success(s)).unwrap(),
        value(fixture!("service_status_reply"))
    );
    let enterprise: ServiceStatus = success(
        r#"{"status":"success","result":{"guests_muted":"true","locked":true,"started":true,"whiteboard":true,
            "wb_url":"https://wb.example.cn/1","live_status":0,"record_status":"recording"}}"#,
        ServiceStatus::decode,
    );
    assert!(enterprise.guests_muted && enterprise.locked);
    assert_eq!(
        (enterprise.started, enterprise.wb_url.as_deref()),
        (Some(true), Some("https://wb.example.cn/1"))
    );
    assert_eq!(
        (enterprise.live_status, enterprise.record_status),
        (Some(json!(0)), Some(json!("recording")))
    );
}

#[test]
fn every_printed_command_result_is_true() {
    // All print `'true'` (stored as "'true'") except message, which prints "true".
    for text in [
        fixture!("lock_reply"),
        fixture!("start_service_reply"),
        fixture!("muteguests_reply"),
        fixture!("disconnect_reply"),
        fixture!("message_reply"),
        fixture!("participant_disconnect_reply"),
        fixture!("participant_mute_reply"),
        fixture!("participant_rxpresentation_reply"),
        fixture!("participant_spotlight_reply"),
        fixture!("participant_unlock_reply"),
        fixture!("participant_role_reply"),
        fixture!("participant_transfer_reply"),
    ] {
        assert_eq!(success(text, serde::<Flag>), Flag(true), "{text}");
    }
    for (text, want) in [
        ("true", true),
        ("false", false),
        (r#""false""#, false),
        (r#""'false'""#, false),
    ] {
        assert_eq!(
            success(
                &format!(r#"{{"status":"success","result":{text}}}"#),
                serde::<Flag>
            ),
            Flag(want)
        );
    }
    assert!(decode_reply(r#"{"status":"success","result":"perhaps"}"#, serde::<Flag>).is_err());
    assert_eq!(
        serde_json::to_string(&Reply::Success(Flag(true))).unwrap(),
        r#"{"status":"success","result":"true"}"#
    );
}

#[test]
fn message_request() {
    let cmd = Command::Message(TextMessage::plain("Hello World"));
    assert_eq!(cmd.body(), Some(value(fixture!("message_request"))));
    assert_eq!(cmd.path("1061"), "/api/services/1061/message");
    let parsed: TextMessage = serde_json::from_str(fixture!("message_request")).unwrap();
    assert_eq!(parsed.mime_type, "text/plain");
}

#[test]
fn participants_and_override_layout_replies() {
    assert!(success(fixture!("participants_reply"), serde::<Vec<Participant>>).is_empty());
    assert!(success(fixture!("override_layout_reply"), serde::<Vec<Participant>>).is_empty());
    let list = format!(
        r#"{{"status":"success","result":[{}]}}"#,
        fixture!("event_participant_create")
    );
    let participants: Vec<Participant> = success(&list, serde);
    assert_eq!(participants[0].uuid, UUID);
}

#[test]
fn override_layout_request() {
    let parsed: OverrideLayout = serde_json::from_str(fixture!("override_layout_request")).unwrap();
    assert_eq!(parsed.layouts[0].audience, Audience::Hosts);
    assert_eq!(parsed.layouts[1].audience, Audience::Guests);
    let ours = OverrideLayout {
        layouts: vec![
            LayoutOverride::new(Audience::Hosts, "2:21", vec![]),
            LayoutOverride::new(Audience::Guests, "2:21", vec![]),
        ],
    };
    assert_eq!(parsed, ours);
    let cmd = Command::OverrideLayout(ours);
    assert_eq!(cmd.body(), Some(value(fixture!("override_layout_request"))));
    assert_eq!(
        cmd.path(CONF),
        "/api/services/zjvmr%40myvmr.cn/override_layout"
    );
    let actors = LayoutOverride::new(Audience::Guests, "1:7", vec![UUID.into()]);
    assert_eq!(actors.plus_n, "off");
}

// ---- participant commands ----

#[test]
fn participant_command_paths_and_bodies() {
    let p = |command| Command::Participant {
        uuid: UUID.to_owned(),
        command,
    };
    let plain = [
        (ParticipantCommand::Disconnect, "disconnect"),
        (ParticipantCommand::Mute, "mute"),
        (ParticipantCommand::Unmute, "unmute"),
        (
            ParticipantCommand::AllowRxPresentation,
            "allowrxpresentation",
        ),
        (ParticipantCommand::DenyRxPresentation, "denyrxpresentation"),
        (ParticipantCommand::SpotlightOn, "spotlighton"),
        (ParticipantCommand::SpotlightOff, "spotlightoff"),
        (ParticipantCommand::Unlock, "unlock"),
    ];
    for (command, name) in plain {
        let cmd = p(command);
        assert_eq!(
            cmd.path(CONF),
            format!("/api/services/zjvmr%40myvmr.cn/participants/{UUID}/{name}")
        );
        assert_eq!((cmd.method(), cmd.body()), (Method::Post, None));
    }
    let role = p(ParticipantCommand::Role(Role::Host));
    assert_eq!(role.body(), Some(value(fixture!("role_request"))));
    assert!(role.path("1061").ends_with("/role"));
    assert_eq!(
        p(ParticipantCommand::Role(Role::Guest)).body(),
        Some(json!({"role":"guest"}))
    );
    assert_eq!(
        p(ParticipantCommand::Dtmf {
            digits: "1#".into()
        })
        .body(),
        Some(json!({"digits":"1#"}))
    );
    assert!(p(ParticipantCommand::Dtmf { digits: "1".into() })
        .path("1061")
        .ends_with("/dtmf"));
}

#[test]
fn transfer_request() {
    let parsed: Transfer = serde_json::from_str(fixture!("transfer_request")).unwrap();
    let ours = Transfer {
        role: Role::Guest,
        conference_alias: "meet@example.com".into(),
        pin: Some("1234".into()),
    };
    assert_eq!(parsed, ours);
    let cmd = Command::Participant {
        uuid: UUID.into(),
        command: ParticipantCommand::Transfer(ours),
    };
    assert_eq!(cmd.body(), Some(value(fixture!("transfer_request"))));
    assert!(cmd.path("1061").ends_with("/transfer"));
}

#[test]
fn calls_requests_and_replies() {
    let parsed: SubCall = serde_json::from_str(fixture!("calls_request")).unwrap();
    assert_eq!(parsed, SubCall::WebRtc { sdp: "...".into() });
    let cmd = Command::Participant {
        uuid: UUID.into(),
        command: ParticipantCommand::Calls(parsed),
    };
    assert_eq!(cmd.body(), Some(value(fixture!("calls_request"))));
    assert!(cmd.path("1061").ends_with("/calls"));
    let rtmp = SubCall::Rtmp {
        present: Some(Present::Send),
        streaming: true,
        bandwidth: Some(1024),
    };
    assert_eq!(
        serde_json::to_value(&rtmp).unwrap(),
        json!({"call_type":"RTMP","present":"send","streaming":true,"bandwidth":1024})
    );
    let lenient: SubCall = serde_json::from_str(r#"{"call_type":"WebRTC","sdp":"v=0"}"#).unwrap();
    assert_eq!(lenient, SubCall::WebRtc { sdp: "v=0".into() });

    let webrtc: CallsResult = success(fixture!("calls_webrtc_reply"), serde);
    assert_eq!(
        webrtc,
        CallsResult::WebRtc {
            call_uuid: "50ed679d-c622-4c0e-b251-e217f2aa030b".into(),
            sdp: "...".into()
        }
    );
    let rtmp: CallsResult = success(fixture!("calls_rtmp_reply"), serde);
    assert_eq!(rtmp.call_uuid(), "50ed679d-c622-4c0e-b251-e217f2aa030b");
    let CallsResult::Rtmp {
        url, secure_url, ..
    } = &rtmp
    else {
        panic!("not RTMP: {rtmp:?}")
    };
    assert!(url.starts_with("rtmp://10.0.0.1:40002/") && secure_url.starts_with("rtmps://"));
    for (result, text) in [
        (webrtc, fixture!("calls_webrtc_reply")),
        (rtmp, fixture!("calls_rtmp_reply")),
    ] {
        assert_eq!(
            serde_json::to_value(Reply::Success(result)).unwrap(),
            value(text)
        );
    }
}

// ---- the two clouds ----

#[test]
fn deployment_support_table() {
    let p = |command| Command::Participant {
        uuid: UUID.to_owned(),
        command,
    };
    let both = [
        Command::RefreshSession,
        Command::EndSession,
        Command::Dial(Dial::new(Role::Guest, "1", DialProtocol::Sip)),
        Command::Dial(Dial::new(Role::Guest, "1", DialProtocol::H323)),
        Command::ServiceStatus,
        Command::Lock,
        Command::Unlock,
        Command::Participants,
        Command::Disconnect,
        Command::MuteGuests,
        Command::UnmuteGuests,
        Command::Message(TextMessage::plain("hi")),
        p(ParticipantCommand::Disconnect),
        p(ParticipantCommand::Mute),
        p(ParticipantCommand::Unmute),
        p(ParticipantCommand::Dtmf { digits: "1".into() }),
        p(ParticipantCommand::Calls(SubCall::WebRtc {
            sdp: String::new(),
        })),
    ];
    let public_only = [
        Command::StartService,
        Command::OverrideLayout(OverrideLayout { layouts: vec![] }),
        p(ParticipantCommand::AllowRxPresentation),
        p(ParticipantCommand::DenyRxPresentation),
        p(ParticipantCommand::SpotlightOn),
        p(ParticipantCommand::SpotlightOff),
        p(ParticipantCommand::Unlock),
        p(ParticipantCommand::Role(Role::Host)),
        p(ParticipantCommand::Transfer(Transfer {
            role: Role::Guest,
            conference_alias: "x".into(),
            pin: None,
        })),
        // The enterprise cloud dials only H.323 and SIP.
        Command::Dial(Dial::new(Role::Guest, "1", DialProtocol::Auto)),
        Command::Dial(Dial::new(Role::Guest, "1", DialProtocol::Phone)),
        Command::Dial(Dial::new(Role::Guest, "1", DialProtocol::Rtmp)),
    ];
    for cmd in &both {
        assert!(
            cmd.supported_on(Deployment::Public) && cmd.supported_on(Deployment::Enterprise),
            "{}",
            cmd.name()
        );
    }
    for cmd in &public_only {
        assert!(
            cmd.supported_on(Deployment::Public) && !cmd.supported_on(Deployment::Enterprise),
            "{}",
            cmd.name()
        );
    }
    assert!(!MeetingEvent::PresentationFrame.sent_on(Deployment::Enterprise));
    assert!(!MeetingEvent::ParticipantCreate(Participant::new("u")).sent_on(Deployment::Enterprise));
    assert!(MeetingEvent::ParticipantUpdate(Participant::new("u")).sent_on(Deployment::Enterprise));
    assert!(MeetingEvent::PresentationFrame.sent_on(Deployment::Public));
    assert_eq!(
        serde_json::to_value(Deployment::Enterprise).unwrap(),
        "enterprise"
    );
}

#[test]
fn role_spellings() {
    for s in ["HOST", "host", "chair", "Chair", " CHAIR "] {
        assert_eq!(Role::parse(s), Some(Role::Host), "{s}");
    }
    for s in ["GUEST", "guest", "Guest"] {
        assert_eq!(Role::parse(s), Some(Role::Guest), "{s}");
    }
    assert_eq!(Role::parse("admin"), None);
    assert_eq!(serde_json::to_value(Role::Host).unwrap(), "chair");
    assert_eq!(
        (Role::Host.as_session(), Role::Guest.as_check_join()),
        ("HOST", "guest")
    );
    assert!(serde_json::from_str::<Role>(r#""owner""#)
        .unwrap_err()
        .to_string()
        .contains("owner"));
}

// ---- events ----

#[test]
fn participant_create_event() {
    let event = decode_event("participant_create", fixture!("event_participant_create")).unwrap();
    let MeetingEvent::ParticipantCreate(p) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(p.uuid, UUID);
    assert_eq!(p.display_name.as_deref(), Some("Alice"));
    assert_eq!(p.role, Some(Role::Host));
    assert_eq!(
        (p.is_muted, p.is_video_call, p.is_presenting),
        (Some(false), Some(true), Some(false))
    );
    assert_eq!(
        (p.has_media, p.is_external, p.is_audio_only_call),
        (Some(false), Some(false), Some(false))
    );
    assert_eq!((p.spotlight, p.start_time), (Some(0), Some(1441720992)));
    assert_eq!(p.service_type, Some(ServiceType::Conference));
    assert_eq!(p.rx_presentation_policy.as_deref(), Some("ALLOW"));
    assert!(p
        .vendor
        .as_deref()
        .unwrap()
        .ends_with("nwjs/0.12.2 Chrome/41.0.2272.76"));
    // Sent back as printed: "YES"/"NO" strings and JSON booleans where each was.
    assert_eq!(
        value(&event.data_json()),
        value(fixture!("event_participant_create"))
    );
    assert_eq!(event.event_name(), "participant_create");
    let update = decode_event("participant_update", fixture!("event_participant_create")).unwrap();
    assert_eq!(update, MeetingEvent::ParticipantUpdate(p.clone()));
}

#[test]
fn participant_tolerates_missing_and_null_fields() {
    let text = r#"{"uuid":"u","display_name":null,"is_muted":"YES","spotlight":"1441720999","service_type":"lecture"}"#;
    let MeetingEvent::ParticipantUpdate(p) = decode_event("participant_update", text).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (p.display_name, p.is_muted, p.spotlight),
        (None, Some(true), Some(1441720999))
    );
    assert_eq!(p.service_type, Some(ServiceType::Other("lecture".into())));
    assert!(decode_event("participant_update", r#"{"display_name":"no uuid"}"#).is_err());
}

#[test]
fn every_printed_event_decodes_and_serializes_back() {
    let printed = [
        ("presentation_start", fixture!("event_presentation_start")),
        ("participant_create", fixture!("event_participant_create")),
        ("participant_delete", fixture!("event_participant_delete")),
        ("service_update", fixture!("event_service_update")),
        ("layout", fixture!("event_layout")),
        ("message", fixture!("event_message")),
        ("stage", fixture!("event_stage")),
        ("call_disconnected", fixture!("event_call_disconnected")),
        ("disconnect", fixture!("event_disconnect")),
    ];
    for (name, data) in printed {
        let event = decode_event(name, data).unwrap();
        assert_eq!(event.event_name(), name);
        assert_eq!(value(&event.data_json()), value(data), "{name}");
        assert_eq!(decode_event(name, &event.data_json()).unwrap(), event);
    }
}

#[test]
fn event_fields() {
    let e = |name, data| decode_event(name, data).unwrap();
    assert_eq!(
        e("presentation_start", fixture!("event_presentation_start")),
        MeetingEvent::PresentationStart(PresentationStart {
            presenter_name: "Bob".into(),
            presenter_uri: "bob@example.com".into()
        })
    );
    assert_eq!(
        e("participant_delete", fixture!("event_participant_delete")),
        MeetingEvent::ParticipantDelete(ParticipantDelete {
            uuid: "65b4af2f-657a-4081-98a8-b17667628ce3".into()
        })
    );
    assert_eq!(
        e("service_update", fixture!("event_service_update")),
        MeetingEvent::ServiceUpdate(ServiceStatus::new(false, false))
    );
    let MeetingEvent::Layout(layout) = e("layout", fixture!("event_layout")) else {
        panic!()
    };
    assert_eq!(
        (layout.view.as_str(), layout.participants.len()),
        ("1:7", 2)
    );
    let MeetingEvent::Message(m) = e("message", fixture!("event_message")) else {
        panic!()
    };
    assert_eq!(
        (m.origin.as_str(), m.mime_type.as_str(), m.payload.as_str()),
        ("Alice", "text/plain", "Hello World")
    );
    assert_eq!(m.uuid, "eca55900-274d-498c-beba-2169aad9ce1f");
    let MeetingEvent::Stage(stage) = e("stage", fixture!("event_stage")) else {
        panic!()
    };
    assert_eq!(
        stage[1],
        StageEntry {
            stage_index: 1,
            participant_uuid: "65b4af2f-657a-4081-98a8-b17667628ce3".into(),
            vad: 0
        }
    );
    assert_eq!(
        e("call_disconnected", fixture!("event_call_disconnected")),
        MeetingEvent::CallDisconnected(CallDisconnected {
            call_uuid: "50ed679d-c622-4c0e-b251-e217f2aa030b".into(),
            reason: "API initiated participant disconnect".into()
        })
    );
    assert_eq!(
        e("disconnect", fixture!("event_disconnect")),
        MeetingEvent::Disconnect(Disconnect {
            reason: "API initiated participant disconnect".into()
        })
    );
}

#[test]
fn events_without_a_body_and_names_in_any_case() {
    for (name, want) in [
        ("presentation_stop", MeetingEvent::PresentationStop),
        ("presentation_frame", MeetingEvent::PresentationFrame),
        ("participant_sync_begin", MeetingEvent::ParticipantSyncBegin),
        ("participant_sync_end", MeetingEvent::ParticipantSyncEnd),
    ] {
        for data in ["", "{}", "null", "garbage"] {
            assert_eq!(decode_event(name, data).unwrap(), want);
        }
        assert_eq!(want.data_json(), "{}");
        assert_eq!(want.event_name(), name);
    }
    assert!(matches!(
        decode_event("Stage", fixture!("event_stage")),
        Ok(MeetingEvent::Stage(_))
    ));
    assert!(matches!(
        decode_event("DISCONNECT", fixture!("event_disconnect")),
        Ok(MeetingEvent::Disconnect(_))
    ));
    assert!(matches!(
        decode_event("Message", fixture!("event_message")),
        Ok(MeetingEvent::Message(_))
    ));
}

#[test]
fn bad_events_are_errors_naming_the_problem() {
    let err = decode_event("presentation_pause", "{}").unwrap_err();
    assert!(err.reason.contains("presentation_pause"), "{err}");
    for (name, data) in [
        ("stage", "{}"),
        ("stage", ""),
        ("layout", r#"{"view":7}"#),
        ("participant_create", "[]"),
        (
            "service_update",
            r#"{"locked":"maybe","guests_muted":false}"#,
        ),
        ("message", "\u{0}"),
        ("call_disconnected", r#"{"reason":"no uuid"}"#),
        ("participant_delete", "{\"uuid\":"),
    ] {
        let err = decode_event(name, data).unwrap_err();
        assert!(err.reason.starts_with(name), "{name}: {err}");
    }
}

// ---- envelopes and URLs ----

#[test]
fn failed_replies_keep_their_message() {
    let reply = decode_reply(
        r#"{"status":"failed","result":"Invalid PIN"}"#,
        NewSessionResult::decode,
    )
    .unwrap();
    let err = reply.clone().into_result().unwrap_err();
    assert_eq!(
        (err.status.as_str(), err.message.as_str()),
        ("failed", "Invalid PIN")
    );
    assert_eq!(err.to_string(), "failed: Invalid PIN");
    assert_eq!(
        serde_json::to_value(reply).unwrap(),
        json!({"status":"failed","result":"Invalid PIN"})
    );
    let err = decode_reply(r#"{"status":"failed","result":false}"#, serde::<Flag>)
        .unwrap()
        .into_result()
        .unwrap_err();
    assert_eq!(err.message, "false");
}

#[test]
fn bad_replies_are_errors_not_panics() {
    for text in [
        "",
        "not json",
        "[]",
        r#"{"result":true}"#,
        r#"{"status":"success"}"#,
        r#"{"status":"success","result":{"token":"t"}}"#,
        r#"{"status":"success","result":{"token":"t","expires":"soon","participant_uuid":"u","role":"HOST"}}"#,
        r#"{"status":"success","result":{"token":"t","expires":"120","participant_uuid":"u","role":"boss"}}"#,
    ] {
        assert!(
            decode_reply(text, NewSessionResult::decode).is_err(),
            "{text}"
        );
    }
    assert!(decode_reply(r#"{"status":"success","result":"x"}"#, serde::<Vec<String>>).is_err());
    assert!(decode_reply(
        r#"{"status":"success","result":{"call_uuid":"c"}}"#,
        serde::<CallsResult>
    )
    .is_err());
}

#[test]
fn hand_decoders_keep_the_derives_defaults_and_spellings() {
    // A defaulted field that is missing takes its default; sent as `null`,
    // it is refused, as serde's derive refused it.
    let check_join = |results: &str| {
        decode_check_join(&format!(r#"{{"code":200,"results":{results}}}"#))
            .map(|r| r.into_result().unwrap())
    };
    let r = check_join(r#"{"mcuHost":"h"}"#).unwrap();
    assert!(!r.is_dot && r.sipkey.is_empty() && r.role_type.is_none());
    assert!(check_join(r#"{"mcuHost":"h","isDot":null}"#).is_err());
    assert!(check_join(r#"{"mcuHost":"h","roleType":"owner"}"#).is_err());
    let stage = decode_event(
        "stage",
        r#"[{"stage_index":"0","participant_uuid":"a"},
        {"stage_index":1,"participant_uuid":"b","vad":null}]"#,
    )
    .unwrap();
    let MeetingEvent::Stage(stage) = stage else {
        panic!("not a stage")
    };
    assert_eq!((stage.len(), stage[0].vad, stage.skipped.len()), (1, 0, 1));
    // refresh_session's role in either spelling; `null` is none.
    for (role, want) in [
        (r#""role":"guest""#, Some(Role::Guest)),
        (r#""Role":"HOST""#, Some(Role::Host)),
        (r#""role":null"#, None),
    ] {
        let text = format!(r#"{{"status":"success","result":{{"token":"t","expires":1,{role}}}}}"#);
        assert_eq!(success(&text, RefreshResult::decode).role, want, "{role}");
    }
    // service_status's flags in any spelling; an enterprise status sent as `null` is none.
    let status = success(
        r#"{"status":"success","result":{"guests_muted":0,"locked":"'false'","live_status":null}}"#,
        ServiceStatus::decode,
    );
    assert_eq!(status, ServiceStatus::new(false, false));
}

#[test]
fn events_and_presentation_urls() {
    assert_eq!(
        events_path(CONF, "ab+c/d%3D e"),
        // As the node wrote it ('/', '%3D' kept), what a query cannot hold escaped.
        "/api/services/zjvmr%40myvmr.cn/events?token=ab%2Bc/d%3D%20e"
    );
    assert_eq!(
        presentation_path("1061"),
        "/api/services/1061/presentation.jpeg"
    );
    let uuid = "a/b";
    let cmd = Command::Participant {
        uuid: uuid.into(),
        command: ParticipantCommand::Mute,
    };
    assert_eq!(
        cmd.path("a b"),
        "/api/services/a%20b/participants/a%2Fb/mute"
    );
}

/// The path a browser actually requests for `path` on a meeting node.
fn resolved(path: &str) -> String {
    url::Url::parse("https://node.example")
        .unwrap()
        .join(path)
        .unwrap()
        .path()
        .to_owned()
}

#[test]
fn hostile_ids_stay_in_their_path_segment() {
    for id in [
        "..", ".", "a/b", "%2F", "%2E%2E", ".%2E", "a\\..\\b", "?x#y",
    ] {
        let cmd = Command::Participant {
            uuid: id.into(),
            command: ParticipantCommand::Disconnect,
        };
        let path = resolved(&cmd.path(CONF));
        let tail = path
            .strip_prefix("/api/services/zjvmr%40myvmr.cn/participants/")
            .unwrap_or_else(|| panic!("{id:?} left the prefix: {path}"));
        let (segment, rest) = tail.split_once('/').unwrap();
        assert_eq!(rest, "disconnect", "{id:?}: {path}");
        assert!(!segment.is_empty(), "{id:?}: {path}");

        let prefix = format!("/api/services/{}/", proto::url::path_segment(id));
        for p in [
            resolved(&events_path(id, "t")),
            resolved(&presentation_path(id)),
            resolved(&Command::Lock.path(id)),
            resolved(
                &NewSession {
                    display_name: "d".into(),
                    hideme: false,
                    pin: None,
                }
                .path(id),
            ),
        ] {
            assert!(p.starts_with(&prefix), "conference {id:?}: {p}");
            assert_eq!(p.matches('/').count(), 4, "conference {id:?}: {p}");
        }
    }
}

#[test]
fn any_expires_decodes_and_clamps_to_a_sane_lifetime() {
    use proto::clamp::{server_seconds_to_ms, MAX_SERVER_DURATION_MS, MIN_SERVER_DURATION_MS};
    for (expires, ms) in [
        (json!("120"), 120_000),
        (json!("120.9"), 120_000),
        (json!("0"), MIN_SERVER_DURATION_MS),
        (json!(-5), MIN_SERVER_DURATION_MS),
        (json!("NaN"), MIN_SERVER_DURATION_MS),
        (json!("99999999999999999999"), MAX_SERVER_DURATION_MS),
    ] {
        let text = json!({"status":"success","result":{"token":"t","expires":expires,
            "participant_uuid":UUID,"role":"HOST"}})
        .to_string();
        let r: NewSessionResult = success(&text, NewSessionResult::decode);
        assert_eq!(server_seconds_to_ms(r.expires), ms, "{expires}");
        let text = json!({"status":"success","result":{"token":"t","expires":expires}}).to_string();
        let r: RefreshResult = success(&text, RefreshResult::decode);
        assert_eq!(server_seconds_to_ms(r.expires), ms, "{expires}");
    }
}

// ---- what a real node sends beyond the document ----

#[test]
fn a_pexip_participant_with_fractions_and_unlisted_fields() {
    let text = fixture!("participant_pexip_node");
    let MeetingEvent::ParticipantUpdate(p) = decode_event("participant_update", text).unwrap()
    else {
        panic!("not an update")
    };
    assert_eq!(p.uuid, "3e3f0b67-1a12-4b0c-9d58-1f3b2b6d2a11");
    assert_eq!(p.start_time, Some(1_700_484_383));
    assert_eq!(p.spotlight, Some(1_700_484_402));
    assert_eq!(p.role, Some(Role::Host));
    assert_eq!(p.service_type, Some(ServiceType::Conference));
    assert_eq!(p.protocol.as_deref(), Some("webrtc"));
    assert_eq!((p.is_muted, p.is_video_call), (Some(false), Some(true)));
    assert_eq!(p.display_name.as_deref(), Some("调度台 1"));
    // Unlisted fields are ignored, not kept: the participant sends back
    // only what it knows.
    let back = serde_json::to_value(&p).unwrap();
    assert!(back.get("buzz_time").is_none() && back.get("call_tag").is_none());
}

#[test]
fn a_participants_list_skips_the_element_it_cannot_use() {
    let list: ListOf<Participant> = success(fixture!("participants_reply_one_bad"), serde);
    let uuids: Vec<&str> = list.iter().map(|p| p.uuid.as_str()).collect();
    assert_eq!(
        uuids,
        [
            "a0196175-b462-48a1-b95c-f322c3af57c1",
            "65b4af2f-657a-4081-98a8-b17667628ce3"
        ]
    );
    assert_eq!(list.skipped.len(), 1, "{:?}", list.skipped);
    assert!(
        list.skipped[0].starts_with("element 1 skipped: ") && list.skipped[0].contains("null"),
        "{:?}",
        list.skipped
    );
    let (first, viewer) = (&list[0], &list[1]);
    assert_eq!(first.start_time, Some(1_700_484_383));
    assert_eq!(first.is_muted, Some(true));
    // Empty and unknown values cost the field, not the participant.
    assert_eq!(viewer.role, None);
    assert_eq!(
        viewer.service_type,
        Some(ServiceType::Other("lecture".into()))
    );
    assert_eq!(viewer.is_presenting, None);
    assert_eq!(viewer.start_time, Some(1_700_484_390));
    // The strict decoding the document's own list needs still works.
    assert!(decode_reply(
        fixture!("participants_reply_one_bad"),
        serde::<Vec<Participant>>
    )
    .is_err());
}

#[test]
fn the_participants_reply_read_from_its_text_is_the_reply_read_through_a_tree() {
    // The app reads the roster with `decode_participants`; it must find
    // what the general `decode_reply` finds, skipped elements included.
    let pexip = format!(
        r#"{{"status":"success","result":[{}, 7, {{"uuid":"w","spotlight":"12.5","start_time":"1700484390","is_muted":1}}]}}"#,
        fixture!("participant_pexip_node")
    );
    for text in [
        fixture!("participants_reply"),
        fixture!("participants_reply_one_bad"),
        &pexip,
    ] {
        let fast = decode_participants(text).unwrap().into_result().unwrap();
        let slow = success(text, serde::<ListOf<Participant>>);
        assert_eq!(fast.items, slow.items, "{text}");
        assert_eq!(fast.skipped.len(), slow.skipped.len(), "{text}");
        for (f, s) in fast.skipped.iter().zip(&slow.skipped) {
            let at = |l: &str| l.split(':').next().unwrap().to_owned();
            assert_eq!(at(f), at(s));
        }
    }
    let list = decode_participants(&pexip).unwrap().into_result().unwrap();
    assert_eq!(list.skipped.len(), 1, "{:?}", list.skipped);
    assert!(list.skipped[0].starts_with("element 1 skipped: "));
    let w = &list[1];
    assert_eq!((w.spotlight, w.start_time), (Some(12), Some(1_700_484_390)));
    assert_eq!(w.is_muted, Some(true));
    // A refusal keeps its result; a success without a list is no roster.
    let refused = decode_participants(r#"{"status":"failed","result":"no such conference"}"#);
    assert_eq!(
        refused.unwrap().into_result().unwrap_err().message,
        "no such conference"
    );
    for bad in [
        r#"{"status":"success"}"#,
        r#"{"status":"success","result":null}"#,
        r#"{"status":"success","result":{"uuid":"a"}}"#,
        r#"{"status":"success","result":[{"uuid":"a"}"#,
        "[]",
    ] {
        assert!(decode_participants(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_participant_survives_odd_values_in_any_field_but_its_uuid() {
    let text = json!({"uuid": "u", "role": "observer", "service_type": 7, "protocol": 5,
        "is_muted": "MAYBE", "has_media": "", "spotlight": "soon", "start_time": -3,
        "display_name": {"first": "x"}, "vendor": null})
    .to_string();
    let MeetingEvent::ParticipantCreate(p) = decode_event("participant_create", &text).unwrap()
    else {
        panic!("not a create")
    };
    let mut want = Participant::new("u");
    want.service_type = Some(ServiceType::Other("7".into()));
    want.protocol = Some("5".into());
    want.start_time = Some(0);
    assert_eq!(p, want);
    for text in [
        r#"{"role":"chair"}"#,
        r#"{"uuid":null}"#,
        r#"{"uuid":["u"]}"#,
    ] {
        assert!(decode_event("participant_update", text).is_err(), "{text}");
    }
}

#[test]
fn a_stage_skips_the_entry_it_cannot_use() {
    let MeetingEvent::Stage(stage) =
        decode_event("stage", fixture!("event_stage_one_bad")).unwrap()
    else {
        panic!("not a stage")
    };
    let who: Vec<&str> = stage.iter().map(|e| e.participant_uuid.as_str()).collect();
    assert_eq!(
        who,
        [
            "a0196175-b462-48a1-b95c-f322c3af57c1",
            "65b4af2f-657a-4081-98a8-b17667628ce3"
        ]
    );
    assert_eq!(stage.skipped.len(), 1);
    assert!(
        stage.skipped[0].contains("element 1") && stage.skipped[0].contains("participant_uuid")
    );
    // Sent back, only what was kept goes out.
    let MeetingEvent::Stage(again) =
        decode_event("stage", &MeetingEvent::Stage(stage.clone()).data_json()).unwrap()
    else {
        panic!("not a stage")
    };
    assert_eq!((again.items, again.skipped.len()), (stage.items, 0));
}

#[test]
fn a_layout_skips_a_participant_that_is_no_uuid() {
    let MeetingEvent::Layout(l) = decode_event(
        "layout",
        r#"{"view":"1:7","participants":["a",null,{"x":1},"b"]}"#,
    )
    .unwrap() else {
        panic!("not a layout")
    };
    assert_eq!(l.participants.items, ["a", "b"]);
    assert_eq!(l.participants.skipped.len(), 2);
}
