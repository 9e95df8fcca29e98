//! Browser suite for the push-to-talk group call: its words, and the panel
//! with a voice shell that is not logged in (commands refused locally).

use dispatch_desk::config::Config;
use dispatch_desk::i18n::{Lang, Phrase};
use dispatch_desk::io::voice::VoiceLink;
use dispatch_desk::journal::Journal;
use dispatch_desk::ui::ptt::text::PttText;
use dispatch_desk::ui::ptt::{call_state_word, PttPanel};
use leptos::prelude::*;
use proto::voice::MemberCallState;
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
    assert_eq!(text_of("ptt-talker"), "空闲");
    assert_eq!(text_of("ptt-session"), "当前没有组呼");
    let talk: web_sys::HtmlButtonElement = wasm_bindgen::JsCast::unchecked_into(by_id("ptt-talk"));
    assert!(talk.disabled(), "no session, nothing to talk in");

    click("ptt-pick-169918");
    click("ptt-start");
    wait_for("the local refusal", 5_000, || {
        text_of("ptt-error").contains("请先登录语音服务")
    })
    .await;
}
