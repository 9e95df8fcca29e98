//! Document 000 (voice plugin): every example message, kept verbatim under
//! tests/fixtures/voice/. Repairs: the tempCallHangup reply and the
//! memberLostMic notification are printed across two code blocks; the
//! fixtures join the two halves, nothing else. Not from the document:
//! notify_temp_call_member_update_one_bad, a member update with a
//! `callState` the document does not list on one member.

use proto::id::BigId;
use proto::voice::{Ack, MemberCallState, ResultCode, VoiceMessage};

macro_rules! decode {
    ($name:literal) => {
        VoiceMessage::decode(include_str!(concat!("fixtures/voice/", $name, ".json")))
            .unwrap_or_else(|e| panic!("{}: {e}", $name))
    };
}

fn id(s: &str) -> BigId {
    BigId::parse(s).unwrap()
}

/// The id the examples print as `50354528800735230` next to its exact string.
const GROUP: &str = "50354528800735233";

#[test]
fn plain_replies() {
    assert_eq!(
        decode!("init_server_reply"),
        VoiceMessage::InitServer(Ack {
            code: 1,
            message: "服务器地址初始化成功".into()
        })
    );
    assert_eq!(
        decode!("login_reply"),
        VoiceMessage::Login(Ack {
            code: 1,
            message: "登录成功".into()
        })
    );
    assert_eq!(
        decode!("release_mic_reply"),
        VoiceMessage::ReleaseMic(Ack {
            code: 1,
            message: "麦克风关闭成功".into()
        })
    );
    assert_eq!(
        decode!("logout_reply"),
        VoiceMessage::LogoutResp(Ack {
            code: 1,
            message: "登录注销成功".into()
        })
    );
}

#[test]
fn request_mic_answers_create_group_for_a_new_session_and_request_mic_for_the_floor() {
    match decode!("create_group_reply") {
        VoiceMessage::CreateGroup {
            transaction,
            session_id,
            ack,
        } => {
            assert_eq!(transaction, 1671006883842);
            assert_eq!(session_id, Some(id("50351257998589953")));
            assert!(ack.ok());
        }
        other => panic!("{other:?}"),
    }
    match decode!("request_mic_reply") {
        VoiceMessage::RequestMic {
            transaction,
            session_id,
            ack,
        } => {
            assert_eq!(transaction, Some(1671006883842));
            assert_eq!(session_id, None);
            assert_eq!(ack.code, 2, "the floor is granted with code 2");
            assert!(ack.ok());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn add_group_member_reply_keeps_the_exact_group_id() {
    match decode!("add_group_member_reply") {
        VoiceMessage::AddGroupMemberResp {
            transaction,
            group_id,
            results,
        } => {
            assert_eq!(
                transaction,
                Some(1671008849496),
                "the transaction arrives as a string"
            );
            assert_eq!(group_id, id(GROUP), "not the rounded 50354528800735230");
            assert_eq!(results.len(), 1);
            assert_eq!(
                (results[0].id, results[0].name.as_str(), results[0].code),
                (169919, "ptcs12", 0)
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn hangup_reply() {
    assert_eq!(
        decode!("temp_call_hangup_reply"),
        VoiceMessage::HangupResp {
            call_id: id("50351257998589953"),
            result: ResultCode {
                code: 0,
                message: String::new()
            }
        }
    );
}

#[test]
fn talk_notifications() {
    assert_eq!(
        decode!("notify_member_get_mic"),
        VoiceMessage::MemberGetMic {
            group_id: id(GROUP),
            member_id: 169918,
            member_name: "ptcs11".into()
        }
    );
    assert_eq!(
        decode!("notify_member_lost_mic"),
        VoiceMessage::MemberLostMic {
            group_id: id(GROUP),
            member_id: 169918
        }
    );
}

#[test]
fn ring_and_answer_carry_temp_call_id_and_from_id_as_the_examples_show() {
    assert_eq!(
        decode!("notify_temp_call_ring"),
        VoiceMessage::TempCallRing {
            call_id: id(GROUP),
            from_id: 169918,
            message: "用户正在响铃".into()
        }
    );
    assert_eq!(
        decode!("notify_temp_call_answer"),
        VoiceMessage::TempCallAnswer {
            call_id: id(GROUP),
            from_id: 169918,
            message: "用户已接受".into()
        }
    );
}

#[test]
fn member_update_lists_every_member_with_its_state() {
    match decode!("notify_temp_call_member_update") {
        VoiceMessage::TempCallMemberUpdate {
            call_id,
            from_id,
            members,
        } => {
            assert_eq!(call_id, id("50357467464335361"));
            assert_eq!(from_id, 169905);
            let summary: Vec<_> = members
                .iter()
                .map(|m| (m.member_id, m.member_name.as_str(), m.call_state))
                .collect();
            assert_eq!(
                summary,
                [
                    (169905, "zydd", MemberCallState::Answered),
                    (169918, "ptcs11", MemberCallState::Answered)
                ]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_hangup_notification_is_cmd_temp_call_hangup_as_in_the_example() {
    assert_eq!(
        decode!("notify_temp_call_hangup"),
        VoiceMessage::TempCallHangup {
            call_id: id(GROUP),
            from_id: 169918,
            reason: ResultCode {
                code: 0,
                message: String::new()
            }
        }
    );
}

#[test]
fn a_member_with_an_unknown_state_is_skipped_and_reported() {
    let text = include_str!("fixtures/voice/notify_temp_call_member_update_one_bad.json");
    let decoded = VoiceMessage::decode_reporting(text).unwrap();
    let VoiceMessage::TempCallMemberUpdate { members, .. } = &decoded.message else {
        panic!("{decoded:?}")
    };
    let ids: Vec<_> = members
        .iter()
        .map(|m| (m.member_id, m.call_state))
        .collect();
    assert_eq!(
        ids,
        [
            (169905, MemberCallState::Answered),
            (169919, MemberCallState::Ringing)
        ]
    );
    assert_eq!(
        decoded.skipped,
        ["members: element 1 skipped: unknown callState 7"]
    );
}
