//! Browser suite for the push-to-talk group call: its words, and the panel
//! with a voice shell that is not logged in (commands refused locally).

use dispatch_desk::config::Config;
use dispatch_desk::i18n::{Lang, Phrase};
use dispatch_desk::io::voice::VoiceLink;
use dispatch_desk::journal::Journal;
use dispatch_desk::ui::ptt::text::PttText;
use dispatch_desk::ui::ptt::{call_state_word, member_look, ptt_panel};
use dispatch_desk::ui::settings::settings_panel;
use leptos::prelude::*;
use proto::voice::{MemberCallState, SessionMember};
use wasm_bindgen::JsCast;
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

fn panel() -> dispatch_desk::ui::markup::Markup {
    let journal = dispatch_desk::reactive::expect_context::<Journal>();
    // Port 9 (discard) is closed: never online.
    provide_context(VoiceLink::new(
        "ws://127.0.0.1:9/voice".into(),
        "http://127.0.0.1:9".into(),
        journal,
    ));
    ptt_panel()
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

fn checked(id: &str) -> bool {
    doc()
        .get_element_by_id(id)
        .map(|e| e.unchecked_into::<web_sys::HtmlInputElement>().checked())
        .unwrap_or(false)
}

fn stored_groups() -> Option<String> {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("dispatch-desk.ptt-groups")
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_directory_searches_takes_typed_ids_and_selects_all_or_none() {
    let config = Config::parse(DEMO_CONFIG).unwrap();
    let _m = mount_panel(config, panel);
    wait_for("the picker", 5_000, || {
        doc().get_element_by_id("ptt-pick-169918").is_some()
    })
    .await;

    // By name, in any case; then by a piece of the id.
    type_into("ptt-search", "PTCS12");
    wait_for("the search by name", 5_000, || {
        doc().get_element_by_id("ptt-pick-169918").is_none()
    })
    .await;
    assert!(doc().get_element_by_id("ptt-pick-169919").is_some());
    type_into("ptt-search", "9921");
    wait_for("the search by id", 5_000, || {
        doc().get_element_by_id("ptt-pick-169921").is_some()
            && doc().get_element_by_id("ptt-pick-169919").is_none()
    })
    .await;
    type_into("ptt-search", "nobody");
    wait_for("no match", 5_000, || {
        text_of("ptt-picker").contains("没有匹配的终端")
    })
    .await;

    // Select all takes what the search shows, only that.
    type_into("ptt-search", "ptcs1");
    wait_for("four shown", 5_000, || {
        doc().get_element_by_id("ptt-pick-169921").is_some()
    })
    .await;
    type_into("ptt-search", "169919");
    wait_for("one shown", 5_000, || {
        doc().get_element_by_id("ptt-pick-169918").is_none()
    })
    .await;
    click("ptt-all");
    type_into("ptt-search", "");
    wait_for("all shown", 5_000, || {
        doc().get_element_by_id("ptt-pick-169918").is_some()
    })
    .await;
    assert!(checked("ptt-pick-169919"));
    assert!(!checked("ptt-pick-169918"));
    click("ptt-all");
    wait_for("all picked", 5_000, || {
        ["169918", "169919", "169920", "169921"]
            .iter()
            .all(|id| checked(&format!("ptt-pick-{id}")))
    })
    .await;
    click("ptt-none");
    wait_for("none picked", 5_000, || {
        !checked("ptt-pick-169918") && !checked("ptt-pick-169919")
    })
    .await;

    // An id the directory lacks: refused when not digits, else listed and chosen.
    type_into("ptt-id", "12a");
    click("ptt-id-add");
    wait_for("the bad id", 5_000, || {
        text_of("ptt-id-error").contains("只能是数字")
    })
    .await;
    type_into("ptt-id", " 170001 ");
    click("ptt-id-add");
    wait_for("the typed id", 5_000, || checked("ptt-pick-170001")).await;
    assert!(text_of("ptt-picker").contains("170001 · 不在通讯录中"));
    assert_eq!(text_of("ptt-id-error"), "");
    // Typing a directory id picks its row, adding no second one.
    type_into("ptt-id", "169920");
    click("ptt-id-add");
    wait_for("the directory id picked", 5_000, || {
        checked("ptt-pick-169920")
    })
    .await;
    assert_eq!(
        doc()
            .query_selector_all("#ptt-picker input")
            .unwrap()
            .length(),
        5
    );
}

#[wasm_bindgen_test]
async fn a_saved_group_is_kept_without_secrets_and_starts_a_call_in_one_click() {
    let store = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    store.remove_item("dispatch-desk.ptt-groups").unwrap();
    let config = Config::parse(DEMO_CONFIG).unwrap();
    let m = mount_panel(config.clone(), panel);
    wait_for("the picker", 5_000, || {
        doc().get_element_by_id("ptt-pick-169918").is_some()
    })
    .await;

    // A name and terminals are both needed.
    type_into("ptt-group-name", "东区");
    click("ptt-group-save");
    wait_for("the refusal", 5_000, || {
        text_of("ptt-group-error").contains("请输入组名")
    })
    .await;
    assert_eq!(stored_groups(), None);

    click("ptt-pick-169918");
    click("ptt-pick-169920");
    click("ptt-group-save");
    wait_for("the saved group", 5_000, || {
        text_of("ptt-groups").contains("东区 (2)")
    })
    .await;
    assert_eq!(text_of("ptt-group-error"), "");
    assert_eq!(
        stored_groups().as_deref(),
        Some(r#"[{"name":"东区","ids":[169918,169920]}]"#)
    );
    drop(m);

    // Another page of this browser has it; one click starts its call (here
    // refused at once: the panel is not connected).
    let _m = mount_panel(config, panel);
    wait_for("the group after a reload", 5_000, || {
        text_of("ptt-groups").contains("东区 (2)")
    })
    .await;
    click("ptt-group-0");
    wait_for("the call attempt", 5_000, || {
        text_of("ptt-error").contains("未连接语音服务")
    })
    .await;
    click("ptt-group-delete-0");
    wait_for("the group deleted", 5_000, || {
        !text_of("ptt-groups").contains("东区")
    })
    .await;
    assert_eq!(stored_groups().as_deref(), Some("[]"));
}

/// Dispatches a key event with `code` on the element `#id` (or the body);
/// returns whether the page took it (default prevented).
fn key(kind: &str, code: &str, id: Option<&str>) -> bool {
    let target = id.map_or("document.body".to_owned(), |i| {
        format!("document.getElementById({i:?})")
    });
    let js = format!(
        "!{target}.dispatchEvent(new KeyboardEvent({kind:?}, {{code: {code:?}, bubbles: true, cancelable: true}}))"
    );
    js_sys::eval(&js).unwrap().as_bool().unwrap()
}

fn set_settings(json: Option<&str>) {
    let store = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    match json {
        Some(j) => store.set_item("dispatch-desk.settings", j).unwrap(),
        None => store.remove_item("dispatch-desk.settings").unwrap(),
    }
}

#[wasm_bindgen_test]
async fn the_talk_key_is_the_one_set_in_settings() {
    set_settings(Some(r#"{"talkKey":"F8"}"#));
    let config = Config::parse(DEMO_CONFIG).unwrap();
    let _m = mount_panel(config, panel);
    set_settings(None);
    wait_for("the talk button", 5_000, || {
        doc().get_element_by_id("ptt-talk").is_some()
    })
    .await;
    assert!(
        text_of("ptt-talk").contains("按住讲话：F8"),
        "{}",
        text_of("ptt-talk")
    );
    // Space is no longer the talk key; F8 is (refused at once: offline).
    assert!(!key("keydown", "Space", None));
    assert!(!key("keyup", "Space", None));
    tick(50).await;
    assert_eq!(text_of("ptt-error"), "");
    assert!(key("keydown", "F8", None));
    wait_for("the refused press", 5_000, || {
        text_of("ptt-error").contains("未连接语音服务")
    })
    .await;
    assert!(key("keyup", "F8", None));
    // Still a letter in a text field.
    assert!(!key("keydown", "F8", Some("ptt-search")));
}

#[wasm_bindgen_test]
async fn the_settings_field_takes_the_key_pressed_in_it() {
    set_settings(None);
    let config = Config::parse(DEMO_CONFIG).unwrap();
    let _m = mount_panel(config, settings_panel);
    wait_for("the field", 5_000, || {
        doc().get_element_by_id("settings-talk-key").is_some()
    })
    .await;
    let field = || by_id("settings-talk-key").unchecked_into::<web_sys::HtmlInputElement>();
    wait_for("Space by default", 5_000, || field().value() == "空格").await;
    assert!(key("keydown", "F8", Some("settings-talk-key")));
    wait_for("F8", 5_000, || field().value() == "F8").await;
    assert_eq!(field().get_attribute("data-code").as_deref(), Some("F8"));
    assert!(key("keydown", "KeyT", Some("settings-talk-key")));
    wait_for("T", 5_000, || field().value() == "T").await;
    // Tab still moves on; Escape goes back to Space.
    assert!(!key("keydown", "Tab", Some("settings-talk-key")));
    assert!(key("keydown", "Escape", Some("settings-talk-key")));
    wait_for("Space again", 5_000, || field().value() == "空格").await;
    assert_eq!(field().get_attribute("data-code").as_deref(), Some(""));
}
