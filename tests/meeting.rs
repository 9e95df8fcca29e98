//! Browser suite for the meeting panel and its shell (wasm-bindgen-test).
//! The full flows against the simulator are in crates/e2e/tests/meeting.rs.

use dispatch_desk::config::Config;
use dispatch_desk::i18n::{Lang, Phrase};
use dispatch_desk::io::meeting::Meeting;
use dispatch_desk::journal::Journal;
use dispatch_desk::ui::meeting::meeting_panel;
use dispatch_desk::ui::meeting::text::MeetingText;
use dispatch_desk::ui::status_light::LightState;
use leptos::prelude::*;
use proto::meeting::machine::MeetingLink;
use proto::meeting::Deployment;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod common;

use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Port 9 (discard) is closed here: requests fail at once.
const NOWHERE: &str = "http://127.0.0.1:9";

#[wasm_bindgen_test]
fn every_meeting_phrase_has_text_in_both_languages() {
    for key in MeetingText::ALL {
        for lang in [Lang::Zh, Lang::En] {
            assert!(!key.text(lang).trim().is_empty(), "{key:?} {lang:?}");
        }
    }
    assert_eq!(MeetingText::RoleHost.text(Lang::Zh), "主持人");
    assert_eq!(MeetingText::RoleGuest.text(Lang::Zh), "访客");
}

#[wasm_bindgen_test]
fn the_meeting_light_follows_the_link() {
    let at = |l: MeetingLink| LightState::of_meeting(&l).state;
    assert_eq!(at(MeetingLink::Idle), LightState::IDLE.state);
    assert_eq!(at(MeetingLink::Joining), "connecting");
    assert_eq!(at(MeetingLink::Online), "online");
    assert_eq!(
        at(MeetingLink::Reconnecting {
            attempt: 1,
            retry_at: 0
        }),
        "reconnecting"
    );
    assert_eq!(
        at(MeetingLink::Unreachable {
            attempt: 1,
            retry_at: 0
        }),
        "unreachable"
    );
    assert_eq!(
        at(MeetingLink::Refused {
            message: "x".into()
        }),
        "refused"
    );
}

#[wasm_bindgen_test]
async fn an_unreachable_api_server_turns_the_light_red_and_leave_stops_it() {
    let owner = Owner::new();
    let (meeting, journal) = owner.with(|| {
        let journal = Journal::new();
        let m = Meeting::new(NOWHERE.into(), Deployment::Public, None, journal);
        m.join("1061".into(), "123456".into(), "调度台".into());
        (m, journal)
    });
    let light = move || LightState::of_meeting(&meeting.view().get_untracked().link);
    wait_for("the light to go red", 10_000, || {
        light().state == "unreachable"
    })
    .await;
    assert!(matches!(
        meeting.view().get_untracked().link,
        MeetingLink::Unreachable { attempt: 1, .. }
    ));
    let entries = journal.entries();
    assert!(entries
        .iter()
        .any(|e| e.text.render(Lang::En).contains("checkJoin.shtml")));
    assert!(
        entries
            .iter()
            .all(|e| !e.text.render(Lang::En).contains("123456")),
        "no pin in the journal"
    );
    owner.with(|| meeting.leave());
    assert_eq!(meeting.view().get_untracked().link, MeetingLink::Idle);
    assert_eq!(light(), LightState::IDLE);
}

#[wasm_bindgen_test]
async fn the_panel_prefills_the_conference_and_checks_it_before_joining() {
    let mut config = Config::parse(DEMO_CONFIG).unwrap();
    config.meeting.api_server = NOWHERE.into();
    let mounted = mount_panel(config, meeting_panel);
    let input = || -> web_sys::HtmlInputElement {
        doc()
            .get_element_by_id("meeting-conference")
            .unwrap()
            .unchecked_into()
    };
    leptos::task::tick().await;
    assert_eq!(input().value(), "1061");
    assert!(text_of("meeting-deployment").contains("公有云"));
    assert!(doc().get_element_by_id("meeting-participants").is_none());

    // An empty conference is caught here.
    input().set_value("  ");
    input()
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    let join = || -> web_sys::HtmlElement {
        doc()
            .get_element_by_id("meeting-join")
            .unwrap()
            .unchecked_into()
    };
    join().click();
    leptos::task::tick().await;
    assert!(text_of("meeting-join-error").contains("请输入会议室号"));
    assert_eq!(mounted.meeting_light(), LightState::IDLE);

    // A real attempt: the server is unreachable, the panel says it retries.
    input().set_value("1061");
    input()
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    join().click();
    wait_for("the retry notice", 10_000, || {
        text_of("meeting-status").contains("正在重试")
    })
    .await;
    assert_eq!(mounted.meeting_light().state, "unreachable");
    assert!(input().disabled(), "the conference is fixed while joined");
    doc()
        .get_element_by_id("meeting-leave")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    leptos::task::tick().await;
    assert_eq!(mounted.meeting_light(), LightState::IDLE);
    // The panel follows the machine once a burst of events is in.
    wait_for("the join button back", 2_000, || {
        doc().get_element_by_id("meeting-join").is_some()
    })
    .await;
    mounted.root.remove();
}
