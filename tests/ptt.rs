//! Browser suite for the push-to-talk group call: its words, and the panel
//! with a voice shell that is not logged in (commands refused locally).

use dispatch_desk::config::Config;
use dispatch_desk::i18n::{Lang, Phrase};
use dispatch_desk::io::voice::VoiceLink;
use dispatch_desk::journal::Journal;
use dispatch_desk::ui::ptt::text::PttText;
use dispatch_desk::ui::ptt::{call_state_word, member_look, PttPanel};
use leptos::prelude::*;
use proto::voice::{MemberCallState, SessionMember};
use wasm_bindgen_test::*;

mod common;

use common::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_ptt_phrase_has_both_languages() {
    for key in PttText::ALL {
        for lang in [Lang::Zh, Lang::En] {
            assert!(!key.text(lang).trim().is_empty(), "{key:?} {lang:?}");
        }
    }
}

#[wasm_bindgen_test]
fn member_states_read_as_the_document_names_them() {
    let zh = |s| call_state_word(s).text(Lang::Zh);
    assert_eq!(zh(MemberCallState::Idle), "空闲");
    assert_eq!(zh(MemberCallState::Busy), "忙");
    assert_eq!(zh(MemberCallState::Calling), "呼叫中");
    assert_eq!(zh(MemberCallState::Ringing), "响铃中");
    assert_eq!(zh(MemberCallState::Answered), "已接听");
}

fn panel() -> impl IntoView {
    let journal = expect_context::<Journal>();
    // Port 9 (discard) is closed: never online.
    provide_context(VoiceLink::new(
        "ws://127.0.0.1:9/voice".into(),
        "http://127.0.0.1:9".into(),
        journal,
    ));
    view! { <PttPanel /> }
}

#[wasm_bindgen_test]
async fn the_panel_lists_the_directory_and_refuses_a_call_while_offline() {
    let config = Config::parse(DEMO_CONFIG).unwrap();
    let _m = mount_panel(config, panel);
    wait_for("the picker", 5_000, || {
        doc().get_element_by_id("ptt-pick-169918").is_some()
    })
    .await;
    assert!(doc().get_element_by_id("ptt-pick-169921").is_some());
    assert_eq!(text_of("ptt-talker"), "未连接，无法讲话");
    assert_eq!(text_of("ptt-session"), "当前没有组呼");
    let talk = by_id("ptt-talk");
    assert_eq!(talk.get_attribute("data-state").as_deref(), Some("offline"));
    assert_eq!(talk.get_attribute("aria-pressed").as_deref(), Some("false"));

    // The talk key while offline: refused at once, in words, never queued.
    let down = web_sys::PointerEvent::new("pointerdown").unwrap();
    talk.dispatch_event(&down).unwrap();
    wait_for("the refused press", 5_000, || {
        text_of("ptt-error").contains("未连接语音服务")
    })
    .await;
    assert_eq!(talk.get_attribute("aria-pressed").as_deref(), Some("false"));

    click("ptt-pick-169918");
    click("ptt-start");
    wait_for("the local refusal", 5_000, || {
        text_of("ptt-error").contains("未连接语音服务")
    })
    .await;
}

#[wasm_bindgen_test]
fn the_six_member_states_differ_by_mark_and_class_not_only_by_word() {
    let member = |state, no_answer| SessionMember {
        id: 1,
        name: String::new(),
        state,
        answered: false,
        no_answer,
        reason: None,
    };
    let looks: Vec<_> = [
        member(MemberCallState::Idle, false),
        member(MemberCallState::Busy, false),
        member(MemberCallState::Calling, false),
        member(MemberCallState::Ringing, false),
        member(MemberCallState::Answered, false),
        member(MemberCallState::Idle, true),
    ]
    .iter()
    .map(member_look)
    .collect();
    for (i, a) in looks.iter().enumerate() {
        for b in &looks[i + 1..] {
            assert!(a.0 != b.0 && a.1 != b.1 && a.2 != b.2, "{a:?} vs {b:?}");
        }
    }
    assert_eq!(looks[5].0.text(Lang::En), "No answer");
}
