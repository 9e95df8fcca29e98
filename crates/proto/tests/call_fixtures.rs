//! Document 001 (click-to-call): its example replies, kept verbatim under
//! tests/fixtures/call/. Only repair: the stray `}` after `data` in the
//! success bodies is removed. Not from the document: `state_unknown`, a
//! state reply with a `stateType` the document does not list.

use proto::call::{
    decode_reply, percent_encode, CallError, CallReply, CallRequest, CallStarted, CallState,
    CallStatus, CancelResult,
};
use serde_json::{json, Value};

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("fixtures/call/", $name, ".json"))
    };
}

const SID: &str = "16090510160925480001030600243044";

/// (fixture, returnCode, returnMsg) of every error example of call and callService.
const CALL_ERRORS: [(&str, u64, &str); 10] = [
    (fixture!("call_error_system"), 500, "系统内部异常!"),
    (
        fixture!("call_error_no_phone"),
        400,
        "用户未绑定手机号,请手动拨打010-56469588!",
    ),
    (
        fixture!("call_error_no_service_phone"),
        400,
        "客服电话不存在,请联系管理员!",
    ),
    (
        fixture!("call_error_no_subaccount"),
        400,
        "无通讯子账户,请联系管理员!",
    ),
    (
        fixture!("call_error_bad_params"),
        400,
        "呼叫请求的参数有误,请联系管理员!",
    ),
    (fixture!("service_error_system"), 500, "系统内部异常!"),
    (
        fixture!("service_error_no_phone"),
        400,
        "用户未绑定手机号,请手动拨打010-56469588!",
    ),
    (
        fixture!("service_error_no_service_phone"),
        400,
        "客服电话不存在,请联系管理员!",
    ),
    (
        fixture!("service_error_no_subaccount"),
        400,
        "无通讯子账户,请联系管理员!",
    ),
    (
        fixture!("service_error_bad_params"),
        400,
        "呼叫请求的参数有误,请联系管理员!",
    ),
];

#[test]
fn call_and_call_service_success_give_the_call_sid() {
    for text in [fixture!("call_success"), fixture!("service_success")] {
        let started = decode_reply(text, CallStarted::decode)
            .unwrap()
            .into_result()
            .unwrap();
        assert_eq!(started.call_sid, SID);
    }
}

#[test]
fn error_replies_carry_the_message_for_the_user() {
    for (text, code, message) in CALL_ERRORS {
        let err = decode_reply(text, CallStarted::decode)
            .unwrap()
            .into_result()
            .unwrap_err();
        assert_eq!(
            err,
            CallError {
                code,
                message: message.to_owned()
            }
        );
        assert_eq!(err.to_string(), message);
    }
}

#[test]
fn cancel_replies() {
    let ok = decode_reply(fixture!("cancel_success"), CancelResult::decode)
        .unwrap()
        .into_result()
        .unwrap();
    assert!(ok.succeeded());
    for (text, message) in [
        (fixture!("cancel_error_user"), "用户信息有误!"),
        (fixture!("cancel_error_failed"), "取消呼叫失败!"),
    ] {
        let err = decode_reply(text, CancelResult::decode)
            .unwrap()
            .into_result()
            .unwrap_err();
        assert_eq!((err.code, err.message.as_str()), (400, message));
    }
}

#[test]
fn state_replies_in_order() {
    let states = [
        (fixture!("state_1_requesting"), CallState::Requesting),
        (fixture!("state_2_ringing"), CallState::Ringing),
        (fixture!("state_3_connected"), CallState::Connected),
        (fixture!("state_4_ended"), CallState::Ended),
    ];
    for (text, want) in states {
        let status = decode_reply(text, CallStatus::decode)
            .unwrap()
            .into_result()
            .unwrap();
        assert_eq!(status.state_type, want);
        assert_eq!(status.state_type.is_final(), want == CallState::Ended);
    }
    let err = decode_reply(fixture!("state_error_system"), CallStatus::decode)
        .unwrap()
        .into_result()
        .unwrap_err();
    assert_eq!(err.code, 500);
}

#[test]
fn state_type_as_a_number_is_accepted() {
    let text = r#"{"data":{"stateType":3},"returnCode":"200","returnMsg":"success"}"#;
    assert_eq!(
        decode_reply(text, CallStatus::decode)
            .unwrap()
            .into_result()
            .unwrap()
            .state_type,
        CallState::Connected
    );
}

#[test]
fn an_unknown_state_type_is_kept_not_a_failed_reply() {
    let status = decode_reply(fixture!("state_unknown"), CallStatus::decode)
        .unwrap()
        .into_result()
        .unwrap();
    assert_eq!(status.state_type, CallState::Unknown("7".into()));
    assert!(!status.state_type.is_final());
    assert_eq!(status.state_type.code(), None);
    assert_eq!(
        serde_json::to_value(&status).unwrap(),
        json!({"stateType": "7"})
    );
    for (raw, want) in [("\"\"", ""), ("\"busy\"", "busy"), ("0", "0"), ("9", "9")] {
        let text = format!(r#"{{"data":{{"stateType":{raw}}},"returnCode":200}}"#);
        let state = decode_reply(&text, CallStatus::decode)
            .unwrap()
            .into_result()
            .unwrap()
            .state_type;
        assert_eq!(state, CallState::Unknown(want.into()), "{text}");
    }
    // Not a value at all is still an error, naming it.
    let err = decode_reply(
        r#"{"data":{"stateType":{"x":1}},"returnCode":200}"#,
        CallStatus::decode,
    )
    .unwrap_err();
    assert!(err.reason.contains(r#"{"x":1}"#), "{err}");
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    for text in [
        "",
        "garbage",
        "[]",
        "null",
        r#"{"returnCode":"two hundred"}"#,
        r#"{"returnCode":200,"returnMsg":"success"}"#,
        r#"{"data":{"callSid":["x"]},"returnCode":200}"#,
        r#"{"data":"nope","returnCode":200}"#,
        &fixture!("call_success")[..20],
    ] {
        assert!(decode_reply(text, CallStarted::decode).is_err(), "{text}");
    }
    // What is wrong is named, for the journal.
    let err = decode_reply(r#"{"data":{},"returnCode":200}"#, CallStarted::decode).unwrap_err();
    assert_eq!(err.reason, "data: missing field `callSid`");
    let err = decode_reply(r#"{"returnCode":"two hundred"}"#, CallStarted::decode).unwrap_err();
    assert_eq!(
        err.reason,
        "field `returnCode`: a string where an integer or numeric string belongs"
    );
    // An error reply's data does not matter, whatever its shape.
    let reply = decode_reply(
        r#"{"data":"x","returnCode":403,"returnMsg":"无权限"}"#,
        CallStarted::decode,
    )
    .unwrap();
    assert_eq!(reply.into_result().unwrap_err().message, "无权限");
}

#[test]
fn request_paths_encode_the_token_and_redact_it() {
    let token = "a+b/c=d%e f";
    let cases = [
        (
            CallRequest::CallUser {
                target_id: 1_234_567_890_123,
            },
            "/v1/app/call/1234567890123",
        ),
        (CallRequest::CallService, "/v1/app/callService"),
        (
            CallRequest::Cancel {
                call_sid: SID.to_owned(),
            },
            "/v1/app/callCancel/16090510160925480001030600243044",
        ),
        (
            CallRequest::State {
                call_sid: SID.to_owned(),
            },
            "/v1/app/callState/16090510160925480001030600243044",
        ),
    ];
    for (req, path) in cases {
        assert_eq!(
            req.path_and_query(token),
            format!("{path}?access_token=a%2Bb%2Fc%3Dd%25e%20f")
        );
        assert_eq!(req.redacted(), format!("{path}?access_token=***"));
        assert!(!req.redacted().contains("a%2Bb"));
    }
    assert_eq!(
        CallRequest::State {
            call_sid: "a/b".into()
        }
        .redacted(),
        "/v1/app/callState/a%2Fb?access_token=***"
    );
}

#[test]
fn percent_encoding_keeps_only_unreserved_characters() {
    assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
    assert_eq!(percent_encode("zjvmr@myvmr.cn"), "zjvmr%40myvmr.cn");
    assert_eq!(percent_encode("会"), "%E4%BC%9A");
}

#[test]
fn replies_serialize_as_the_document_shows() {
    let started = serde_json::to_value(CallReply::ok(CallStarted {
        call_sid: SID.to_owned(),
    }))
    .unwrap();
    assert_eq!(
        started,
        json!({"data":{"callSid":SID},"returnCode":200,"returnMsg":"success"})
    );
    let fixture: Value = serde_json::from_str(fixture!("call_success")).unwrap();
    assert_eq!(started, fixture);

    let state = serde_json::to_value(CallReply::ok(CallStatus {
        state_type: CallState::Ringing,
    }))
    .unwrap();
    assert_eq!(
        state,
        serde_json::from_str::<Value>(fixture!("state_2_ringing")).unwrap()
    );

    let cancel = serde_json::to_value(CallReply::ok(CancelResult::success())).unwrap();
    assert_eq!(
        cancel,
        serde_json::from_str::<Value>(fixture!("cancel_success")).unwrap()
    );

    for (text, code, message) in CALL_ERRORS {
        let produced =
            serde_json::to_value(CallReply::<CallStarted>::error(code, message)).unwrap();
        assert_eq!(produced, serde_json::from_str::<Value>(text).unwrap());
    }
}

#[test]
fn replies_round_trip() {
    let reply = CallReply::ok(CallStatus {
        state_type: CallState::Connected,
    });
    let text = serde_json::to_string(&reply).unwrap();
    assert_eq!(decode_reply(&text, CallStatus::decode).unwrap(), reply);
}

#[test]
fn hostile_call_sids_stay_in_their_path_segment() {
    for sid in ["..", ".", "a/b", "%2F", "%2E%2E", "a\\..\\b"] {
        for (req, prefix) in [
            (
                CallRequest::State {
                    call_sid: sid.into(),
                },
                "/v1/app/callState/",
            ),
            (
                CallRequest::Cancel {
                    call_sid: sid.into(),
                },
                "/v1/app/callCancel/",
            ),
        ] {
            let url = url::Url::parse("https://calls.example")
                .unwrap()
                .join(&req.path_and_query("t"))
                .unwrap();
            let segment = url
                .path()
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("{sid:?} left {prefix}: {url}"));
            assert!(!segment.is_empty() && !segment.contains('/'), "{url}");
            assert_eq!(url.query(), Some("access_token=t"));
        }
    }
}
