//! Browser suite: the journal's scrubber, its bounds, its export, and the
//! crash screen.

use dispatch_desk::crash::{self, CrashText};
use dispatch_desk::i18n::{I18n, Key, Lang, Phrase};
use dispatch_desk::journal::{Journal, Kind, Source, BYTE_BUDGET, CAPACITY, ENTRY_LIMIT};
use dispatch_desk::reactive::Memo;
use dispatch_desk::ui::journal::journal_panel;
use dispatch_desk::ui::panel::PAGE;
use dispatch_desk::ui::status_light::{status_light, LightState};
use leptos::prelude::*;
use proto::url::percent_encode;
use wasm_bindgen_test::*;

mod common;

use common::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Every text of `journal`, in both languages and as exported.
fn everything_in(journal: Journal) -> String {
    let mut all = String::new();
    for entry in journal.entries() {
        all += &entry.render(Lang::Zh);
        all += &entry.render(Lang::En);
    }
    all + &journal.export(Lang::En)
}

/// The forms a secret travels in.
fn forms(secret: &str) -> Vec<String> {
    let json = serde_json::to_string(secret).unwrap();
    vec![
        secret.to_owned(),
        percent_encode(secret),
        json[1..json.len() - 1].to_owned(),
    ]
}

/// Feeds `secret` through every way a text reaches the journal.
fn leak_everywhere(journal: Journal, secret: &str) {
    let enc = percent_encode(secret);
    let json = serde_json::json!({ "echo": secret }).to_string();
    journal.log(Source::Voice, Kind::Sent, format!("login zydd {secret}"));
    journal.note(
        Source::Voice,
        Kind::Info,
        Key::ServerSaid,
        format!("bad login {secret}"),
    );
    journal.log(
        Source::Calls,
        Kind::Error,
        format!("POST http://10.0.0.2/v1/app/callService?access_token={enc}: TypeError: Failed to fetch"),
    );
    journal.log(
        Source::Meeting,
        Kind::Error,
        format!(
            "event stream failed: http://10.0.0.3/api/client/v2/conferences/c/events?token={enc}"
        ),
    );
    journal.log(
        Source::Ivr,
        Kind::Received,
        format!("500 <html><body>bad request: {secret}</body></html>"),
    );
    journal.log(Source::Ivr, Kind::Received, format!("200 {json}"));
    journal.log(Source::App, Kind::Info, format!("form data: x={enc}"));
}

#[wasm_bindgen_test]
fn a_remembered_secret_never_shows_whichever_way_it_comes() {
    let owner = Owner::new();
    owner.with(|| {
        let journal = Journal::new();
        let secrets = [
            "Pa55 word/+%\"é",                                       // voice password
            "246810",                                                // meeting PIN
            "JGyCszPq/CnFVz7Pe/259Wp%2Br5ExBG9myOlMA s6KRlXjSik%3D", // session token
            "acc-9f8e7d6c5b4a",                                      // calls access token
        ];
        for secret in secrets {
            journal.remember_secret(secret);
            leak_everywhere(journal, secret);
        }
        let all = everything_in(journal);
        for secret in secrets {
            for form in forms(secret) {
                assert!(!all.contains(&form), "{form:?} leaked: {all}");
            }
        }
        assert!(all.contains("login zydd ***"), "{all}");
        assert!(all.contains("服务器返回：bad login ***"), "{all}");
    });
}

#[wasm_bindgen_test]
fn remembering_a_secret_scrubs_what_is_already_kept() {
    let owner = Owner::new();
    owner.with(|| {
        let journal = Journal::new();
        let token = "fresh-session-token-0042";
        journal.log(Source::Meeting, Kind::Received, format!("200 echo {token}"));
        assert!(everything_in(journal).contains(token));
        journal.remember_secret(token);
        let all = everything_in(journal);
        assert!(
            !all.contains(token) && all.contains("200 echo ***"),
            "{all}"
        );
    });
}

#[wasm_bindgen_test]
fn credential_fields_are_masked_even_when_the_secret_is_unknown() {
    let owner = Owner::new();
    owner.with(|| {
        let journal = Journal::new();
        let cases = [
            (
                "GET /v1/app/callState/7?access_token=unknownA1&x=1",
                "GET /v1/app/callState/7?access_token=***&x=1",
            ),
            (
                "error: http://h/events?TOKEN=unknownB2%2F#frag",
                "error: http://h/events?TOKEN=***#frag",
            ),
            (
                r#"200 {"token": "unknown C3\"x", "expires": 120}"#,
                r#"200 {"token": "***", "expires": 120}"#,
            ),
            (
                r#"{"role":"guest","pin":135791,"x":1}"#,
                r#"{"role":"guest","pin":***,"x":1}"#,
            ),
            (
                r#"echo "{\"joinPwd\":\"unknownD4\",\"Password\":\"unknownE5\"}""#,
                r#"echo "{\"joinPwd\":\"***\",\"Password\":\"***\"}""#,
            ),
            ("token : unknown F6 with space", "token : ***"),
            ("Token: unknownG7\nnext line", "Token: ***\nnext line"),
            ("password=unknownH8&pwd=unknownI9", "password=***&pwd=***"),
            // Names inside other words are not credentials.
            ("spin=3 tokens=4 pinned", "spin=3 tokens=4 pinned"),
        ];
        for (line, _) in cases {
            journal.log(Source::App, Kind::Info, line);
        }
        let kept: Vec<String> = journal
            .entries()
            .iter()
            .rev()
            .map(|e| e.render(Lang::En))
            .collect();
        let expected: Vec<&str> = cases.iter().map(|(_, masked)| *masked).collect();
        assert_eq!(kept, expected);
    });
}

#[wasm_bindgen_test]
fn too_short_secrets_are_not_remembered() {
    let owner = Owner::new();
    owner.with(|| {
        let journal = Journal::new();
        journal.remember_secret("");
        journal.remember_secret("ab1");
        journal.log(Source::App, Kind::Info, "call ab1 at 12");
        assert_eq!(journal.entries()[0].render(Lang::En), "call ab1 at 12");
    });
}

#[wasm_bindgen_test]
fn a_long_text_is_cut_with_a_marker() {
    let owner = Owner::new();
    owner.with(|| {
        let journal = Journal::new();
        journal.log(Source::App, Kind::Received, "x".repeat(10_000));
        let entry = &journal.entries()[0];
        assert_eq!(entry.text.size(), ENTRY_LIMIT);
        assert_eq!(entry.cut, 10_000 - ENTRY_LIMIT);
        assert!(entry.render(Lang::En).ends_with("x… [5904 bytes cut]"));
        assert!(entry.render(Lang::Zh).ends_with("x… [已截去 5904 字节]"));

        // Cut on a character boundary: 1365 three-byte characters fit.
        journal.note(Source::App, Kind::Info, Key::ServerSaid, "调".repeat(2_000));
        let entry = &journal.entries()[0];
        assert_eq!(entry.text.size(), 1_365 * 3);
        assert_eq!(entry.cut, 6_000 - 1_365 * 3);
        assert!(entry.render(Lang::En).starts_with("Server said: 调"));
    });
}

#[wasm_bindgen_test]
fn the_whole_journal_stays_within_its_byte_budget() {
    let owner = Owner::new();
    owner.with(|| {
        let journal = Journal::new();
        for i in 0..600 {
            journal.log(
                Source::App,
                Kind::Received,
                format!("{i:04}{}", "y".repeat(ENTRY_LIMIT)),
            );
        }
        let entries = journal.entries();
        assert!(journal.bytes() <= BYTE_BUDGET);
        assert_eq!(
            journal.bytes(),
            entries.iter().map(|e| e.text.size()).sum::<usize>()
        );
        assert_eq!(entries.len(), BYTE_BUDGET / ENTRY_LIMIT);
        assert!(
            entries[0].render(Lang::En).starts_with("0599"),
            "newest kept"
        );
        let oldest_kept = 600 - BYTE_BUDGET / ENTRY_LIMIT;
        assert!(entries
            .last()
            .unwrap()
            .render(Lang::En)
            .starts_with(&format!("{oldest_kept:04}")));
        journal.clear();
        assert_eq!(journal.bytes(), 0);
    });
}

#[wasm_bindgen_test]
async fn the_export_button_downloads_json_lines_in_the_current_language() {
    let config = dispatch_desk::config::Config::parse(DEMO_CONFIG).unwrap();
    let mounted = mount_panel(config, journal_panel);
    let journal = mounted.journal;
    journal.remember_secret("export-secret-77");
    journal.log(Source::Voice, Kind::Sent, "first export-secret-77");
    journal.note(Source::Meeting, Kind::Info, Key::LightOnline, "");
    leptos::task::tick().await;
    assert_eq!(text_of("journal-export"), "导出");

    click("journal-export");
    let href = || {
        by_id("journal-download")
            .get_attribute("href")
            .unwrap_or_default()
    };
    wait_for("the download link", 5_000, || href().starts_with("blob:")).await;
    let name = by_id("journal-download").get_attribute("download").unwrap();
    assert!(
        name.starts_with("dispatch-desk-journal-") && name.ends_with(".jsonl"),
        "{name}"
    );
    let body = gloo_net::http::Request::get(&href())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<serde_json::Value> = body
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{body}");
    assert_eq!(lines[0]["source"], "voice");
    assert_eq!(lines[0]["kind"], "sent");
    assert_eq!(lines[0]["text"], "first ***");
    assert_eq!(lines[1]["text"], "在线", "the current language");
    let ms = lines[0]["ms"].as_u64().unwrap();
    assert_eq!(lines[0]["time"], iso(ms));
    assert!(!body.contains("export-secret-77"));
}

fn iso(ms: u64) -> String {
    js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64))
        .to_iso_string()
        .into()
}

#[wasm_bindgen_test]
fn the_crash_screen_greys_the_lights_shows_the_message_and_reaches_the_next_journal() {
    let el = container();
    let _handle = dispatch_desk::ui::markup::mount_to(&el, move || {
        provide_context(I18n::new(Lang::En));
        status_light(
            "crash-test-light",
            Key::ServiceVoice,
            Memo::new(|_| LightState::ONLINE),
        )
    });
    let root = doc().document_element().unwrap();
    let lang_before = root.get_attribute("lang");
    root.set_attribute("lang", "en").unwrap();
    let owner = Owner::new();
    owner.with(|| Journal::new().remember_secret("crash-pass-31"));

    crash::show("panicked at src/x.rs:1:2:\nboom with crash-pass-31 and ?access_token=crashtok9");

    let message = text_of("crash-message");
    assert!(
        message.contains("boom with *** and ?access_token=***"),
        "{message}"
    );
    assert_eq!(text_of("crash-title"), CrashText::Title.text(Lang::En));
    assert_eq!(
        by_id("crash-reload").get_attribute("onclick").as_deref(),
        Some("location.reload()")
    );
    assert!(doc().body().unwrap().has_attribute("data-crashed"));
    assert_eq!(
        by_id("crash-test-light")
            .get_attribute("data-state")
            .as_deref(),
        Some("stopped")
    );
    let storage = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    let stored = storage.get_item("dispatch-desk.crash").unwrap().unwrap();
    assert!(!stored.contains("crash-pass-31") && !stored.contains("crashtok9"));
    assert!(stored.contains("boom"));

    owner.with(|| {
        let after_reload = Journal::new();
        let entries = after_reload.entries();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].kind, Kind::Error);
        let text = entries[0].render(Lang::En);
        assert!(
            text.starts_with("The console crashed: panicked at src/x.rs"),
            "{text}"
        );
        assert!(entries[0]
            .render(Lang::Zh)
            .starts_with(CrashText::Crashed.text(Lang::Zh)));
        assert!(Journal::new().entries().is_empty(), "read once");
    });
    assert!(storage.get_item("dispatch-desk.crash").unwrap().is_none());

    by_id("crash-screen").remove();
    doc()
        .body()
        .unwrap()
        .remove_attribute("data-crashed")
        .unwrap();
    match lang_before {
        Some(lang) => root.set_attribute("lang", &lang).unwrap(),
        None => root.remove_attribute("lang").unwrap(),
    }
    el.remove();
}

#[wasm_bindgen_test]
async fn a_full_journal_shows_a_page_newest_first_older_ones_on_demand_and_new_lines_add_rows_a_moment_later(
) {
    let config = dispatch_desk::config::Config::parse(DEMO_CONFIG).unwrap();
    let mounted = mount_panel(config, journal_panel);
    let journal = mounted.journal;
    for i in 0..CAPACITY + 5 {
        journal.log(Source::App, Kind::Info, format!("line {i:04}"));
    }
    let rows = || {
        let list = by_id("journal")
            .query_selector_all("li.journal-entry")
            .unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| n.text_content().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    let older = || doc().get_element_by_id("journal-older");
    wait_for("the list to draw the burst", 5_000, || rows().len() == PAGE).await;
    let shown = rows();
    assert_eq!(
        shown.len(),
        PAGE,
        "a page at first, whatever the journal holds"
    );
    assert!(
        shown[0].ends_with(&format!("line {:04}", CAPACITY + 4)),
        "{}",
        shown[0]
    );
    assert_eq!(
        older().unwrap().text_content().unwrap(),
        format!("显示更早的 {PAGE} 条")
    );

    // Each press shows a page more, down to the oldest line kept.
    let mut presses = 0;
    while older().is_some() {
        click("journal-older");
        leptos::task::tick().await;
        presses += 1;
        assert_eq!(rows().len(), (PAGE * (presses + 1)).min(CAPACITY));
        assert!(presses < CAPACITY, "the button never went");
    }
    let shown = rows();
    assert_eq!(shown.len(), CAPACITY, "the oldest five went");
    assert!(
        shown[CAPACITY - 1].ends_with("line 0005"),
        "{}",
        shown[CAPACITY - 1]
    );
    let seqs = journal.seqs(CAPACITY);
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert_eq!(journal.seqs(3), seqs[..3]);
    assert_eq!(journal.entry(seqs[7]).unwrap().seq, seqs[7]);
    assert!(journal.entry(seqs[0] + 1).is_none(), "no such line");

    // New lines: drawn together a moment later (not in the frame of
    // whatever logged them), at the top, the other rows left as they were.
    let oldest_row = by_id("journal").last_element_child().unwrap();
    journal.log(Source::App, Kind::Info, "one more");
    journal.log(Source::App, Kind::Info, "and another");
    leptos::task::tick().await;
    assert!(
        rows()[0].ends_with(&format!("line {:04}", CAPACITY + 4)),
        "drawn at once: {}",
        rows()[0]
    );
    wait_for("the new lines drawn", 5_000, || {
        rows()[0].ends_with("and another")
    })
    .await;
    let now = rows();
    assert_eq!(now.len(), CAPACITY);
    assert!(now[1].ends_with("one more"), "{}", now[1]);
    assert!(now[2].ends_with(&format!("line {:04}", CAPACITY + 4)));
    assert!(
        !oldest_row.is_connected(),
        "the oldest line's row went with it"
    );

    // Clearing is the dispatcher's own act: the list empties at once.
    click("journal-clear");
    leptos::task::tick().await;
    assert!(rows().is_empty(), "{:?}", rows());
    assert_eq!(
        by_id("journal").get_attribute("data-lines").as_deref(),
        Some("0")
    );
    assert!(by_id("journal-panel")
        .query_selector(".empty")
        .unwrap()
        .is_some());
}
