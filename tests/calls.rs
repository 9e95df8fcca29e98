//! Browser suite for the phone-call panel: its words, and the panel with
//! its shell against a calls service that does not answer.

use dispatch_desk::config::Config;
use dispatch_desk::i18n::{Lang, Phrase};
use dispatch_desk::ui::call::text::CallText;
use dispatch_desk::ui::call::{call_panel, parse_id, state_name, state_word};
use dispatch_desk::ui::status_light::LightState;
use leptos::prelude::*;
use proto::call::{CallState, Health, Phase};
use wasm_bindgen_test::*;

mod common;

use common::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_call_phrase_has_both_languages() {
    for key in CallText::ALL {
        for lang in [Lang::Zh, Lang::En] {
            assert!(!key.text(lang).trim().is_empty(), "{key:?} {lang:?}");
        }
    }
}

#[wasm_bindgen_test]
fn states_read_as_the_dispatcher_expects() {
    let zh = |p: Phase| state_word(&p).text(Lang::Zh);
    assert_eq!(zh(Phase::Placing), "请求中");
    assert_eq!(zh(Phase::Live(CallState::Requesting)), "请求中");
    assert_eq!(zh(Phase::Live(CallState::Ringing)), "响铃中");
    assert_eq!(zh(Phase::Live(CallState::Connected)), "通话中");
    assert_eq!(zh(Phase::Ended { cancelled: true }), "已结束");
    assert_eq!(zh(Phase::Ended { cancelled: false }), "已结束");
    assert_eq!(state_name(&Phase::Live(CallState::Ringing)), "ringing");
    assert_eq!(state_name(&Phase::Failed), "failed");
    assert_eq!(LightState::of_health(Health::Online).state, "online");
    assert_eq!(
        LightState::of_health(Health::Retrying { attempt: 1 }).state,
        "reconnecting"
    );
    assert_eq!(
        LightState::of_health(Health::Unreachable).state,
        "unreachable"
    );
}

#[wasm_bindgen_test]
fn ids_typed_in_must_be_digits() {
    assert_eq!(parse_id(" 169918 "), Some(169918));
    assert_eq!(parse_id(""), None);
    assert_eq!(parse_id("16991a"), None);
    assert_eq!(parse_id("-1"), None);
    assert_eq!(parse_id("99999999999999999999"), None);
}

#[wasm_bindgen_test]
async fn an_unanswered_call_is_unknown_turns_the_light_red_hides_the_token_and_is_kept() {
    clear_history();
    let mut config = Config::parse(DEMO_CONFIG).unwrap();
    // Port 9 (discard) is closed here: the request fails at once.
    config.calls.base_url = "http://127.0.0.1:9".into();
    config.calls.access_token = "secret-token".into();
    let mounted = mount_panel(config, call_panel);
    let journal = mounted.journal;

    // A bad id is refused before anything is sent.
    type_into("call-dial-id", "abc");
    click("call-dial-button");
    leptos::task::tick().await;
    assert!(by_id("call-dial-error")
        .text_content()
        .unwrap()
        .contains("数字"));
    assert!(journal.entries().is_empty());
    assert!(doc().get_element_by_id("call-1").is_none());

    click("call-terminal-169918");
    leptos::task::tick().await;
    assert!(by_id("call-1").text_content().unwrap().contains("ptcs11"));
    // The network failed: the request may have reached the service (a
    // CORS refusal looks the same), so the outcome is unknown, not failed.
    wait_for("the call to settle", 20_000, || {
        by_id("call-1").get_attribute("data-state").as_deref() == Some("unknown")
    })
    .await;
    let row = by_id("call-1").text_content().unwrap();
    assert!(
        row.contains("状态未知") && row.contains("结果未知") && row.contains("无响应"),
        "{row}"
    );
    assert_eq!(mounted.calls_light().state, "unreachable");
    assert!(
        doc().get_element_by_id("call-cancel-1").is_none(),
        "nothing to cancel"
    );
    let lines: Vec<String> = journal
        .entries()
        .iter()
        .map(|e| e.text.render(Lang::En))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("/v1/app/call/169918?access_token=***")),
        "{lines:?}"
    );
    assert!(
        lines.iter().all(|l| !l.contains("secret-token")),
        "{lines:?}"
    );

    // The history has it, and keeps it across a reload, without the token.
    wait_for("the history row", 5_000, || {
        doc()
            .query_selector("#call-history li[data-outcome=unknown]")
            .ok()
            .flatten()
            .is_some()
    })
    .await;
    let stored = stored_history();
    assert!(
        stored.contains("169918") && stored.contains("ptcs11"),
        "{stored}"
    );
    assert!(!stored.contains("secret-token"), "{stored}");
    mounted.root.remove();
    drop(mounted);

    let mut config = Config::parse(DEMO_CONFIG).unwrap();
    config.calls.base_url = "http://127.0.0.1:9".into();
    let mounted = mount_panel(config, call_panel);
    leptos::task::tick().await;
    let row = doc()
        .query_selector("#call-history li[data-kind=call]")
        .unwrap()
        .expect("kept across the reload");
    let text = row.text_content().unwrap();
    assert!(
        text.contains("169918") && text.contains("结果未知"),
        "{text}"
    );
    // Filtering hides what does not match.
    type_into("history-filter", "169919");
    leptos::task::tick().await;
    assert!(doc().query_selector("#call-history li").unwrap().is_none());
    type_into("history-filter", "ptcs11");
    leptos::task::tick().await;
    assert!(doc().query_selector("#call-history li").unwrap().is_some());
    // Redial places the call again.
    let redial: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(
        doc()
            .query_selector("#call-history .history-redial")
            .unwrap()
            .unwrap(),
    );
    redial.click();
    leptos::task::tick().await;
    assert!(by_id("call-1").text_content().unwrap().contains("ptcs11"));
    mounted.root.remove();
    clear_history();
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn stored_history() -> String {
    local_storage()
        .get_item("dispatch-desk.history")
        .unwrap()
        .unwrap_or_default()
}

fn clear_history() {
    local_storage()
        .remove_item("dispatch-desk.history")
        .unwrap();
}

thread_local! {
    static HISTORY: std::cell::Cell<Option<dispatch_desk::io::history::History>> =
        const { std::cell::Cell::new(None) };
}

/// The calls panel, keeping the history handle it was given.
fn panel_keeping_history() -> dispatch_desk::ui::markup::Markup {
    HISTORY.with(|h| {
        h.set(Some(dispatch_desk::reactive::expect_context::<
            dispatch_desk::io::history::History,
        >()))
    });
    call_panel()
}

#[wasm_bindgen_test]
async fn a_callback_redraws_its_history_row_in_place() {
    use proto::history::{encode, Entry, Kind as EntryKind, Outcome};
    let entry = |kind, target: &str, start_ms, outcome, customuuid: &str| Entry {
        kind,
        target: target.into(),
        who: String::new(),
        start_ms,
        duration_ms: None,
        outcome,
        detail: String::new(),
        customuuid: customuuid.into(),
        extension: String::new(),
        call_uuid: String::new(),
    };
    local_storage()
        .set_item(
            "dispatch-desk.history",
            &encode(&[
                entry(
                    EntryKind::Ivr,
                    "85781218893",
                    2_000,
                    Outcome::Sent,
                    "110001168",
                ),
                entry(EntryKind::Call, "169918", 1_000, Outcome::Cancelled, ""),
            ]),
        )
        .unwrap();
    let mut config = Config::parse(DEMO_CONFIG).unwrap();
    config.calls.base_url = "http://127.0.0.1:9".into();
    let mounted = mount_panel(config, panel_keeping_history);
    leptos::task::tick().await;
    let find = |css: &str| doc().query_selector(css).unwrap().expect(css);
    let ivr_row = find("#call-history li[data-customuuid='110001168']");
    let call_row = find("#call-history li[data-kind=call]");
    assert_eq!(
        ivr_row.get_attribute("data-outcome").as_deref(),
        Some("sent")
    );

    let record = proto::ivr::decode_call_record(include_str!(
        "../crates/proto/tests/fixtures/ivr/call_record_callback.json"
    ))
    .unwrap();
    let history = HISTORY.with(|h| h.get()).expect("the panel's history");
    history.amend("110001168", |e| e.apply_call_record(&record));
    wait_for("the row to show the call record", 2_000, || {
        ivr_row.get_attribute("data-outcome").as_deref() == Some("hung-up")
    })
    .await;
    let again = find("#call-history li[data-customuuid='110001168']");
    assert!(
        js_sys::Object::is(&again, &ivr_row),
        "the same row, redrawn in place"
    );
    assert!(js_sys::Object::is(
        &find("#call-history li[data-kind=call]"),
        &call_row
    ));
    let text = ivr_row.text_content().unwrap();
    assert!(
        text.contains("0:10") && text.contains("cause 10001"),
        "{text}"
    );
    mounted.root.remove();
    clear_history();
}

#[wasm_bindgen_test]
async fn a_callback_for_no_kept_entry_redraws_nothing_and_stores_nothing() {
    use dispatch_desk::io::history::History;
    use proto::history::{Entry, Kind as EntryKind, Outcome};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    clear_history();
    let owner = Owner::new();
    owner.set();
    let history = History::load();
    history.record(Entry {
        kind: EntryKind::Ivr,
        target: "85781218893".into(),
        who: String::new(),
        start_ms: 1_000,
        duration_ms: None,
        outcome: Outcome::Sent,
        detail: String::new(),
        customuuid: "110001168".into(),
        extension: String::new(),
        call_uuid: "leg-a".into(),
    });
    // Any write from here on replaces this.
    local_storage()
        .set_item("dispatch-desk.history", "untouched")
        .unwrap();
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    dispatch_desk::reactive::effect(move || {
        history.entries().track();
        counted.fetch_add(1, Ordering::SeqCst);
    });
    leptos::task::tick().await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    history.amend("someone-else's", |e| e.outcome = Outcome::Failed);
    let mut status = proto::ivr::decode_extension_status(include_str!(
        "../crates/proto/tests/fixtures/ivr/extension_status_callback.json"
    ))
    .unwrap();
    (status.uuid, status.callee) = ("another-leg".into(), "another-number".into());
    history.amend_by_extension(&status, 2_000);
    leptos::task::tick().await;
    assert_eq!(runs.load(Ordering::SeqCst), 1, "nothing redrawn");
    assert_eq!(stored_history(), "untouched", "nothing stored");

    history.amend("110001168", |e| e.outcome = Outcome::Failed);
    leptos::task::tick().await;
    assert_eq!(runs.load(Ordering::SeqCst), 2);
    assert!(
        stored_history().contains("110001168"),
        "{}",
        stored_history()
    );
    clear_history();
}

#[wasm_bindgen_test]
async fn a_long_history_shows_a_page_and_the_rest_on_demand() {
    use dispatch_desk::ui::panel::PAGE;
    use proto::history::{encode, Entry, Kind as EntryKind, Outcome};
    let entries: Vec<Entry> = (0..PAGE as u64 + 5)
        .map(|i| Entry {
            kind: EntryKind::Call,
            target: format!("{}", 170_000 + i),
            who: String::new(),
            // Newest first, as the store keeps them.
            start_ms: 1_000_000 - i,
            duration_ms: None,
            outcome: Outcome::HungUp,
            detail: String::new(),
            customuuid: String::new(),
            extension: String::new(),
            call_uuid: String::new(),
        })
        .collect();
    local_storage()
        .set_item("dispatch-desk.history", &encode(&entries))
        .unwrap();
    let mut config = Config::parse(DEMO_CONFIG).unwrap();
    config.calls.base_url = "http://127.0.0.1:9".into();
    let mounted = mount_panel(config, call_panel);
    leptos::task::tick().await;
    let rows = || {
        doc()
            .query_selector_all("#call-history li")
            .unwrap()
            .length() as usize
    };
    assert_eq!(rows(), PAGE);
    assert_eq!(
        by_id("history-older").text_content().unwrap(),
        "显示更早的 5 条"
    );
    click("history-older");
    leptos::task::tick().await;
    assert_eq!(rows(), PAGE + 5);
    assert!(doc().get_element_by_id("history-older").is_none());
    let oldest = doc()
        .query_selector("#call-history li:last-child .history-target")
        .unwrap()
        .unwrap();
    assert_eq!(
        oldest.text_content().unwrap(),
        format!("{}", 170_000 + PAGE + 4)
    );

    // A filter pages its own matches: all fit.
    type_into("history-filter", "17010");
    leptos::task::tick().await;
    assert_eq!(rows(), 5);
    assert!(doc().get_element_by_id("history-older").is_none());
    mounted.root.remove();
    clear_history();
}
