//! Browser suite for the IVR panel: the form check, the reply's reading,
//! the journal's copy of the fields, and the panel against a service that
//! does not answer.

use dispatch_desk::config::Config;
use dispatch_desk::i18n::{Lang, Phrase};
use dispatch_desk::io::ivr::{outcome_of, redacted_fields, IvrOutcome};
use dispatch_desk::journal::Kind;
use dispatch_desk::ui::ivr::check::{build, IvrField, IvrFields};
use dispatch_desk::ui::ivr::ivr_panel;
use dispatch_desk::ui::ivr::text::IvrText;
use proto::ivr::{KeyRoute, KeyRoutes, VoiceType};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;

use common::*;

wasm_bindgen_test_configure!(run_in_browser);

const REPLY: &str = include_str!("../crates/proto/tests/fixtures/ivr/reply.json");

fn fields() -> IvrFields {
    IvrFields {
        destnumber: "13333333333".into(),
        voicetype: VoiceType::Url,
        voicefile: "wwww.baidu.com/test.mp3".into(),
        routes: vec![
            ("1".into(), "extGroup-1".into()),
            ("2".into(), " extGroup-2 ".into()),
        ],
        disnumber: String::new(),
        customuuid: " 13333333333 ".into(),
    }
}

#[wasm_bindgen_test]
fn every_ivr_phrase_has_both_languages() {
    for key in IvrText::ALL {
        for lang in [Lang::Zh, Lang::En] {
            assert!(!key.text(lang).trim().is_empty(), "{key:?} {lang:?}");
        }
    }
}

#[wasm_bindgen_test]
fn a_good_form_becomes_the_documents_request() {
    let play = build(&fields(), "ABCDEFG").unwrap();
    let form = play.form_fields();
    let get = |k: &str| form.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("service"), Some("App.Sip_Call.PlayVoice"));
    assert_eq!(get("token"), Some("ABCDEFG"));
    assert_eq!(get("voicetype"), Some("2"));
    assert_eq!(get("chengshudu"), Some("1"));
    assert_eq!(get("userid"), Some("1@extGroup-1,2@extGroup-2"));
    assert_eq!(get("customuuid"), Some("13333333333"));
    assert_eq!(get("disnumber"), None, "blank: the service picks one");
    assert_eq!(
        play.userid.unwrap().0[0],
        KeyRoute {
            key: '1',
            group: "extGroup-1".into()
        }
    );
    let mut no_routes = fields();
    no_routes.routes.clear();
    let play = build(&no_routes, "ABCDEFG").unwrap();
    assert_eq!(play.userid, None::<KeyRoutes>, "no rows: no userid");
}

#[wasm_bindgen_test]
fn the_wrong_field_is_named() {
    let with = |f: fn(&mut IvrFields)| {
        let mut fields = fields();
        f(&mut fields);
        build(&fields, "ABCDEFG").unwrap_err()
    };
    assert_eq!(with(|f| f.destnumber.clear()), IvrField::Destnumber);
    assert_eq!(
        with(|f| f.destnumber = "133-333".into()),
        IvrField::Destnumber
    );
    assert_eq!(with(|f| f.voicefile = "  ".into()), IvrField::Voicefile);
    assert_eq!(with(|f| f.routes[0].1.clear()), IvrField::Route(0));
    assert_eq!(
        with(|f| f.routes[1].1 = "ext group".into()),
        IvrField::Route(1)
    );
    assert_eq!(with(|f| f.routes[1].0 = "1".into()), IvrField::Route(1));
    assert_eq!(IvrField::Route(1).name(), "userid");
    assert_eq!(with(|f| f.disnumber = "abc".into()), IvrField::Disnumber);
    assert_eq!(build(&fields(), " ").unwrap_err(), IvrField::Token);
}

#[wasm_bindgen_test]
fn replies_are_read_and_the_token_never_journaled() {
    assert_eq!(
        outcome_of(REPLY),
        Ok(IvrOutcome::Sent {
            desc: "播放命令发送成功".into()
        })
    );
    assert_eq!(
        outcome_of(r#"{"ret":500,"data":{"status":1,"desc":"余额不足"},"msg":""}"#),
        Ok(IvrOutcome::Refused {
            message: "余额不足".into()
        })
    );
    assert_eq!(
        outcome_of(r#"{"ret":400,"msg":"非法请求:token无效或已过期"}"#),
        Ok(IvrOutcome::Refused {
            message: "非法请求:token无效或已过期".into()
        })
    );
    assert!(outcome_of("<html>").is_err());
    let shown = redacted_fields(&build(&fields(), "ABCDEFG").unwrap().form_fields());
    assert!(shown.contains("token=***") && shown.contains("destnumber=13333333333"));
    assert!(!shown.contains("ABCDEFG"));
}

#[wasm_bindgen_test]
async fn the_panel_checks_the_form_then_reports_a_silent_service() {
    let mut config = Config::parse(DEMO_CONFIG).unwrap();
    config.ivr.url = "http://127.0.0.1:9/ivr".into();
    config.ivr.token = "secret-ivr".into();
    config.ivr.disnumber = "2120280001".into();
    let mounted = mount_panel(config, ivr_panel);
    let journal = mounted.journal;
    leptos::task::tick().await;
    let disnumber: web_sys::HtmlInputElement = by_id("ivr-disnumber").unchecked_into();
    assert_eq!(disnumber.value(), "2120280001", "prefilled from config");

    let send = || {
        by_id("ivr-send")
            .unchecked_into::<web_sys::HtmlElement>()
            .click()
    };
    type_into("ivr-voicefile", "welcome.wav");
    send();
    leptos::task::tick().await;
    let error = by_id("ivr-field-error");
    assert_eq!(
        error.get_attribute("data-field").as_deref(),
        Some("destnumber")
    );
    assert!(error.text_content().unwrap().contains("目标号码"));
    assert_eq!(
        by_id("ivr-destnumber")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    assert!(journal.entries().is_empty(), "nothing sent");

    type_into("ivr-destnumber", "13333333333");
    send();
    leptos::task::tick().await;
    assert_eq!(error.get_attribute("data-field").as_deref(), Some(""));
    wait_for("the request to fail", 20_000, || {
        !by_id("ivr-error").text_content().unwrap().is_empty()
    })
    .await;
    assert!(by_id("ivr-error")
        .text_content()
        .unwrap()
        .contains("无响应"));
    assert_eq!(mounted.ivr_light().state, "unreachable");
    let history = by_id("ivr-history");
    assert_eq!(history.children().length(), 1);
    assert!(history.text_content().unwrap().contains("13333333333"));
    let sent: Vec<String> = journal
        .entries()
        .iter()
        .filter(|e| e.kind == Kind::Sent)
        .map(|e| e.text.render(Lang::En))
        .collect();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("token=***") && sent[0].contains("voicefile=welcome.wav"));
    assert!(journal
        .entries()
        .iter()
        .all(|e| !e.text.render(Lang::En).contains("secret-ivr")));
    mounted.root.remove();
}

fn set_text(id: &str, text: &str) {
    let el = by_id(id);
    js_sys::Reflect::set(&el, &"value".into(), &text.into()).unwrap();
    el.dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn stored_batch() -> Option<String> {
    web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("dispatch-desk.broadcast")
        .unwrap()
}

#[wasm_bindgen_test]
async fn a_broadcast_goes_through_every_number_and_is_kept_for_the_next_page() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("dispatch-desk.broadcast").unwrap();
    let config = || {
        let mut config = Config::parse(DEMO_CONFIG).unwrap();
        config.ivr.url = "http://127.0.0.1:9/ivr".into();
        config.ivr.token = "secret-ivr".into();
        config
    };
    let mounted = mount_panel(config(), ivr_panel);
    let journal = mounted.journal;
    leptos::task::tick().await;
    type_into("ivr-voicefile", "welcome.wav");
    set_text(
        "broadcast-numbers",
        "phone\n13300000001\n13300000002\n133-x\n13300000003\n",
    );
    type_into("broadcast-interval", "0.2");
    leptos::task::tick().await;
    assert_eq!(
        by_id("broadcast-count")
            .get_attribute("data-count")
            .as_deref(),
        Some("3")
    );
    assert!(
        text_of("broadcast-count").contains("133-x"),
        "a line not understood is shown"
    );
    click("broadcast-start");
    // The service is unreachable: each number's outcome is unknown, and the
    // next goes all the same.
    wait_for("every number tried", 10_000, || {
        doc()
            .query_selector_all("#broadcast-results tr[data-status=unknown]")
            .unwrap()
            .length()
            == 3
    })
    .await;
    let sent: Vec<String> = journal
        .entries()
        .iter()
        .filter(|e| e.kind == Kind::Sent)
        .map(|e| e.text.render(Lang::En))
        .collect();
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(
        sent[2].contains("destnumber=13300000001"),
        "oldest last: {sent:?}"
    );
    wait_for("the batch stored", 2_000, || {
        stored_batch().is_some_and(|s| s.contains("13300000003") && s.contains("\tdone\n"))
    })
    .await;
    assert!(!stored_batch().unwrap().contains("secret-ivr"));
    mounted.root.remove();
    drop(mounted);

    let mounted = mount_panel(config(), ivr_panel);
    leptos::task::tick().await;
    assert_eq!(
        doc()
            .query_selector_all("#broadcast-results tbody tr")
            .unwrap()
            .length(),
        3,
        "kept for the next page"
    );
    assert_eq!(
        by_id("broadcast").get_attribute("data-run").as_deref(),
        Some("done")
    );
    mounted.root.remove();
    storage.remove_item("dispatch-desk.broadcast").unwrap();
}
