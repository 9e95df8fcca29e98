//! Document 003 (IVR voice menu): its three JSON examples, verbatim under
//! tests/fixtures/ivr/ (they needed no repair). The request example is PHP;
//! its fields are checked against `form_fields` below.

use proto::ivr::*;
use serde_json::Value;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("fixtures/ivr/", $name, ".json"))
    };
}

fn value(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// The PHP example's request.
fn example() -> PlayVoice {
    PlayVoice {
        chengshudu: Some("1".into()),
        userid: Some("1@extGroup-1".parse().unwrap()),
        disnumber: Some("13333333333".into()),
        customuuid: Some("13333333333".into()),
        ..PlayVoice::new(
            "ABCDEFG",
            "13333333333",
            VoiceType::Url,
            "wwww.baidu.com/test.mp3",
        )
    }
}

#[test]
fn form_fields_match_the_php_example() {
    let req = example();
    assert_eq!(req.validate(), Ok(()));
    let fields = req.form_fields();
    let want = [
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
    assert_eq!(fields, want.map(|(k, v)| (k, v.to_owned())));
    let minimal = PlayVoice::new("t", "110", VoiceType::Offline, "welcome.wav").form_fields();
    assert_eq!(minimal.len(), 5);
    assert_eq!(minimal[2], ("voicetype", "1".to_owned()));
}

#[test]
fn a_form_reads_back_into_the_request() {
    let req = example();
    let fields = req.form_fields();
    let parsed = PlayVoice::from_form(fields.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
    assert_eq!(parsed, req);
    assert!(
        PlayVoice::from_form([
            ("service", SERVICE),
            ("token", "t"),
            ("destnumber", "1"),
            ("voicefile", "f")
        ])
        .unwrap_err()
            == Invalid::Voicetype
    );
    assert_eq!(
        PlayVoice::from_form([("voicetype", "3")]),
        Err(Invalid::Voicetype)
    );
    assert_eq!(
        PlayVoice::from_form([("voicetype", "1"), ("userid", "12@g")]),
        Err(Invalid::Userid)
    );
    assert!(
        PlayVoice::from_form([
            ("voicetype", "1"),
            ("token", "t"),
            ("destnumber", "1"),
            ("voicefile", "f")
        ])
        .unwrap_err()
            == Invalid::Service
    );
}

#[test]
fn validation_names_the_field() {
    let bad = |edit: fn(&mut PlayVoice), field: Invalid| {
        let mut req = example();
        edit(&mut req);
        assert_eq!(req.validate(), Err(field));
    };
    bad(|r| r.service = "App.Other".into(), Invalid::Service);
    bad(|r| r.token = " ".into(), Invalid::Token);
    bad(|r| r.destnumber = String::new(), Invalid::Destnumber);
    bad(|r| r.destnumber = "133-3333".into(), Invalid::Destnumber);
    bad(|r| r.voicefile = String::new(), Invalid::Voicefile);
    bad(|r| r.disnumber = Some("abc".into()), Invalid::Disnumber);
    assert_eq!(Invalid::Disnumber.field(), "disnumber");
    let mut random_caller = example();
    random_caller.disnumber = Some(String::new());
    assert_eq!(random_caller.validate(), Ok(()));
}

#[test]
fn key_routes() {
    let route: KeyRoute = "1@extGroup-1".parse().unwrap();
    assert_eq!(
        route,
        KeyRoute {
            key: '1',
            group: "extGroup-1".into()
        }
    );
    assert_eq!(route.to_string(), "1@extGroup-1");
    for ok in ["0@a", "*@sales", "#@g"] {
        assert_eq!(ok.parse::<KeyRoute>().unwrap().to_string(), ok);
    }
    for bad in ["", "1", "@g", "12@g", "a@g", "1@", "1@a b", "1@g@h"] {
        assert!(bad.parse::<KeyRoute>().is_err(), "{bad}");
    }
}

#[test]
fn several_key_routes_go_in_one_field_each_key_once() {
    let routes: KeyRoutes = "1@extGroup-1, 2@extGroup-2".parse().unwrap();
    assert_eq!(routes.0.len(), 2);
    assert_eq!(routes.0[1].key, '2');
    assert_eq!(routes.to_string(), "1@extGroup-1,2@extGroup-2");
    for bad in ["", "1@a,", "1@a,1@b", "1@a;2@b"] {
        assert!(bad.parse::<KeyRoutes>().is_err(), "{bad}");
    }
    let mut req = example();
    req.userid = Some(routes);
    let fields = req.form_fields();
    assert!(fields.contains(&("userid", "1@extGroup-1,2@extGroup-2".to_owned())));
    let parsed = PlayVoice::from_form(fields.iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
    assert_eq!(parsed, req);
    assert_eq!(
        PlayVoice::from_form([("voicetype", "1"), ("userid", "1@a,1@b")]),
        Err(Invalid::Userid)
    );
}

#[test]
fn the_reply() {
    let reply = decode_reply(fixture!("reply")).unwrap();
    let data = reply.clone().into_result().unwrap();
    assert_eq!((data.status, data.desc.as_str()), (0, "播放命令发送成功"));
    assert_eq!((data.reqtime, data.rsptime), (1581307099, 1581307099));
    assert_eq!(
        serde_json::to_value(&reply).unwrap(),
        value(fixture!("reply"))
    );
    assert_eq!(IvrReply::ok(data), reply);
}

#[test]
fn failures_carry_msg_or_desc() {
    let err = decode_reply(r#"{"ret":400,"data":{},"msg":"token无效"}"#)
        .unwrap()
        .into_result()
        .unwrap_err();
    assert_eq!(
        (err.ret, err.status, err.message.as_str()),
        (400, None, "token无效")
    );
    let err = decode_reply(r#"{"ret":"200","data":{"status":"1","desc":"号码格式错误","reqtime":1,"rsptime":1},"msg":""}"#)
        .unwrap()
        .into_result()
        .unwrap_err();
    assert_eq!(
        (err.status, err.message.as_str()),
        (Some(1), "号码格式错误")
    );
    assert_eq!(err.to_string(), "号码格式错误");
    let err = decode_reply(r#"{"ret":500}"#)
        .unwrap()
        .into_result()
        .unwrap_err();
    assert_eq!(err.message, "ret 500");
    let produced = serde_json::to_value(IvrReply::error(401, "unauthorized")).unwrap();
    assert_eq!(
        produced,
        serde_json::json!({"ret":401,"msg":"unauthorized"})
    );
}

#[test]
fn extension_status_callback() {
    let s = decode_extension_status(fixture!("extension_status_callback")).unwrap();
    assert_eq!(s.uuid, "f4ee8e7a-4a0f-11ea-8126-fbc8753285b6");
    assert_eq!(s.buuid, "f4ffad68-4a0f-11ea-812d-fbc8753285b6");
    assert_eq!(
        (s.callee.as_str(), s.caller.as_str(), s.extnumber.as_str()),
        ("85322888486", "20280003", "20280003")
    );
    assert_eq!(
        (
            s.companycode.as_str(),
            s.direction.as_str(),
            s.disnumber.as_str()
        ),
        ("2028", "callout", "2120280001")
    );
    assert!(s.isbleg);
    assert_eq!(
        (s.method, s.starttime, s.status),
        (2, 1581124302, ExtensionState::Ring)
    );
    assert_eq!(s.ip, "149.129.249.47");
    assert_eq!(
        serde_json::to_value(&s).unwrap(),
        value(fixture!("extension_status_callback"))
    );
    // Numbers where the example has strings are accepted too.
    let numeric = r#"{"uuid":"u","companycode":2028,"isbleg":false,"method":3,"starttime":1581124302,"status":"hangup"}"#;
    let n = decode_extension_status(numeric).unwrap();
    assert_eq!(
        (n.companycode.as_str(), n.isbleg, n.method, n.status),
        ("2028", false, 3, ExtensionState::Hangup)
    );
}

#[test]
fn call_record_callback() {
    let r = decode_call_record(fixture!("call_record_callback")).unwrap();
    assert_eq!(
        (r.id, r.hangupcause, r.hangupdirection),
        (220739, 10001, 10040)
    );
    assert_eq!(
        (r.duration, r.billsec, r.callmethod, r.companycode),
        (13, 10, 6, 9017)
    );
    assert_eq!(r.uuid, "3418035c-4af5-11ea-afb2-fbc8753285b6");
    assert_eq!(
        (r.answertime.as_str(), r.endtime.as_str()),
        ("2020-02-09 12:32:51", "2020-02-09 12:33:01")
    );
    assert_eq!(
        (
            r.customuuid.as_str(),
            r.chengshudu.as_str(),
            r.memberid.as_str()
        ),
        ("110001168", "0", "0")
    );
    assert_eq!(
        (r.call_type.as_str(), r.recordfilename.as_str()),
        ("callout", "1111.mp3")
    );
    assert_eq!(
        (
            r.extnumber.as_str(),
            r.userkey.as_str(),
            r.destnumber.as_str()
        ),
        ("", "", "85781218893")
    );
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        value(fixture!("call_record_callback"))
    );
    // The table says string for all of them.
    let strings = r#"{"uuid":"u","id":"220739","duration":"13","billsec":"10","companycode":"9017","customuuid":110001168}"#;
    let s = decode_call_record(strings).unwrap();
    assert_eq!(
        (
            s.id,
            s.duration,
            s.billsec,
            s.companycode,
            s.customuuid.as_str()
        ),
        (220739, 13, 10, 9017, "110001168")
    );
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    for text in [
        "",
        "garbage",
        "[]",
        r#"{"ret":200}"#,
        r#"{"ret":200,"data":{"desc":"no status"}}"#,
        r#"{"ret":"x"}"#,
    ] {
        assert!(decode_reply(text).is_err(), "{text}");
    }
    for text in [
        "",
        "{}",
        r#"{"uuid":"u","status":"dialing"}"#,
        r#"{"uuid":"u","status":"ring","isbleg":"maybe"}"#,
    ] {
        assert!(decode_extension_status(text).is_err(), "{text}");
    }
    for text in [
        "",
        "{}",
        r#"{"uuid":"u","id":-1}"#,
        r#"{"uuid":"u","billsec":"ten"}"#,
    ] {
        assert!(decode_call_record(text).is_err(), "{text}");
    }
}

#[test]
fn a_callback_error_names_its_field() {
    let reason = |r: Result<(), proto::DecodeError>| r.unwrap_err().reason;
    assert_eq!(
        reason(decode_call_record(r#"{"uuid":"u","billsec":"ten"}"#).map(drop)),
        "field `billsec`: a string where an integer or numeric string belongs"
    );
    assert_eq!(
        reason(decode_call_record(r#"{"billsec":10}"#).map(drop)),
        "missing field `uuid`"
    );
    assert_eq!(
        reason(decode_extension_status(r#"{"uuid":"u","status":"dialing"}"#).map(drop)),
        "field `status`: a string where one of `ring`, `answer`, `hangup` belongs"
    );
    // A field the callback leaves out is empty; one it sends as `null` is
    // refused, as it always was.
    let s = decode_extension_status(r#"{"uuid":"u","status":"answer"}"#).unwrap();
    assert_eq!((s.callee.as_str(), s.isbleg, s.method), ("", false, 0));
    assert!(decode_extension_status(r#"{"uuid":"u","status":"answer","callee":null}"#).is_err());
    assert_eq!(
        reason(decode_reply(r#"{"ret":200,"data":{"status":"ok"}}"#).map(drop)),
        "data: field `status`: a string where an integer or numeric string belongs"
    );
}
