//! Browser suite: components and shells in headless Chromium
//! (wasm-bindgen-test). The end-to-end suite in crates/e2e drives the whole
//! release app against the simulator; this one checks the pieces.

use dispatch_desk::config::{resolve, AudioCodec, AudioMode, Config, Deployment, MicAsk, Settings};
use dispatch_desk::i18n::{I18n, Key, Lang, Phrase};
use dispatch_desk::io::voice::VoiceLink;
use dispatch_desk::journal::{Journal, Kind, Source, Text, CAPACITY};
use dispatch_desk::reactive::{Memo, RwSignal};
use dispatch_desk::ui::config_error::config_error;
use dispatch_desk::ui::status_light::{status_light, LightState};
use leptos::prelude::*;
use proto::voice::Link;
use wasm_bindgen_test::*;

mod common;

use common::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_key_has_text_in_both_languages() {
    for key in Key::ALL {
        for lang in [Lang::Zh, Lang::En] {
            assert!(
                !key.text(lang).trim().is_empty(),
                "{key:?} has no {lang:?} text"
            );
        }
    }
    assert_eq!(Key::AppTitle.text(Lang::Zh), "调度台");
    assert_eq!(Lang::from_tag("zh-CN"), Some(Lang::Zh));
    assert_eq!(Lang::from_tag("fr"), None);
}

#[wasm_bindgen_test]
fn the_shipped_demo_config_is_valid() {
    let cfg = Config::parse(DEMO_CONFIG).expect("config.json parses");
    assert_eq!(cfg.deployment, Deployment::Public);
    assert_eq!(cfg.lang(), Lang::Zh);
    assert_eq!(cfg.voice.plugin_url, "/voice");
    assert!(!cfg.terminals.is_empty());
}

/// What boot.js leaves on `window` (see xtask/src/dist.rs).
fn boot_answer(status: u16, text: &str) -> wasm_bindgen::JsValue {
    let answer = js_sys::Object::new();
    let set = |k: &str, v: wasm_bindgen::JsValue| {
        js_sys::Reflect::set(&answer, &k.into(), &v).unwrap();
    };
    set("status", f64::from(status).into());
    set(
        "statusText",
        if status == 200 { "OK" } else { "Not Found" }.into(),
    );
    set("text", text.into());
    answer.into()
}

#[wasm_bindgen_test]
async fn the_config_boot_js_fetched_is_taken_at_once_or_awaited_and_only_once() {
    use dispatch_desk::io::config_file::{arrived, load};
    let window: wasm_bindgen::JsValue = web_sys::window().unwrap().into();
    let put = |key: &str, value: &wasm_bindgen::JsValue| {
        js_sys::Reflect::set(&window, &key.into(), value).unwrap();
    };
    let demo = DEMO_CONFIG;
    // Arrived while the wasm compiled: taken synchronously, then gone.
    put("ddConfigReady", &boot_answer(200, demo));
    let config = arrived().expect("taken").expect("valid");
    assert_eq!(config.voice.account, "zydd");
    assert!(arrived().is_none(), "read once");
    // An error page is a failure with its status, not a configuration.
    put("ddConfigReady", &boot_answer(404, "<html>nope</html>"));
    let problems = arrived().unwrap().unwrap_err();
    assert!(problems[0].contains("HTTP 404"), "{problems:?}");
    // Still under way at start: the promise is awaited.
    let promise = js_sys::Promise::resolve(&boot_answer(200, demo));
    put("ddConfig", &promise.into());
    assert_eq!(load().await.expect("valid").voice.account, "zydd");
}

#[wasm_bindgen_test]
fn a_bad_config_lists_every_problem() {
    let bad = r#"{"deployment":"public","language":"fr","voice":{"pluginUrl":"voice","serverBaseUrl":"ftp://x"},
        "terminals":[{"id":1,"name":"a"},{"id":1,"name":"b"}]}"#;
    let problems = Config::parse(bad).unwrap_err();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("voice.pluginUrl")));
    assert!(problems.iter().any(|p| p.contains("id 1 appears twice")));

    let typo =
        Config::parse(r#"{"voice":{"pluginUrl":"/v","serverBaseUrl":"/"},"deploymnet":"public"}"#)
            .unwrap_err();
    assert!(typo[0].contains("deploymnet"), "{typo:?}");
    assert!(Config::parse("not json").unwrap_err()[0].starts_with("config.json:"));
}

#[wasm_bindgen_test]
fn a_config_error_names_its_section_and_field() {
    let first = |text: &str| Config::parse(text).unwrap_err().remove(0);
    assert_eq!(
        first(r#"{"voice":{"pluginUrl":"/v"}}"#),
        "config.json: voice: missing field `serverBaseUrl`"
    );
    let typo = first(r#"{"voice":{"pluginUrl":"/v","serverBaseUrl":"/"},"ivr":{"tokn":"x"}}"#);
    assert!(
        typo.starts_with("config.json: ivr: unknown field `tokn`"),
        "{typo}"
    );
    let word =
        first(r#"{"voice":{"pluginUrl":"/v","serverBaseUrl":"/"},"audio":{"mode":"Plugin"}}"#);
    assert!(
        word.contains("audio: field `mode`") && word.contains("`plugin`"),
        "{word}"
    );
    let terminal = first(
        r#"{"voice":{"pluginUrl":"/v","serverBaseUrl":"/"},"terminals":[{"id":"7","name":"a"}]}"#,
    );
    assert!(terminal.contains("terminals: field `id`"), "{terminal}");
    assert_eq!(first(r#"{}"#), "config.json: missing field `voice`");
    assert_eq!(first("[]"), "config.json: a list where an object belongs");
}

#[wasm_bindgen_test]
fn settings_read_back_what_was_saved() {
    let s = Settings {
        language: Some("en".into()),
        deployment: Some(Deployment::Enterprise),
        ivr_url: Some("https://ivr.example/play".into()),
        talk_key: Some("F8".into()),
        audio_mode: Some(AudioMode::Plugin),
        microphone: Some(MicAsk::Talk),
        audio_codec: Some(AudioCodec::Mulaw),
        ..Settings::default()
    };
    let saved = serde_json::to_value(&s).unwrap();
    assert_eq!(Settings::decode(&saved), Ok(s));
    // What an older console saved, with a key this one does not know.
    let old = serde_json::json!({"voiceAccount": "zydd", "theme": "dark", "deployment": null});
    let read = Settings::decode(&old).unwrap();
    assert_eq!(read.voice_account.as_deref(), Some("zydd"));
    assert_eq!(read.deployment, None);
}

#[wasm_bindgen_test]
fn embed_origins_must_be_origins() {
    let with = |origins: &str| {
        Config::parse(&format!(
            r#"{{"voice":{{"pluginUrl":"/v","serverBaseUrl":"/"}},"embed":{{"origins":{origins}}}}}"#
        ))
    };
    let cfg = with(r#"["https://portal.example","http://127.0.0.1:9000"]"#).unwrap();
    assert_eq!(cfg.embed.origins.len(), 2);
    for bad in [
        "*",
        "https://portal.example/",
        "portal.example",
        "https://*.example",
        "HTTPS://P.EXAMPLE",
    ] {
        let problems = with(&format!("[{bad:?}]")).unwrap_err();
        assert!(problems[0].contains("embed.origins"), "{bad}: {problems:?}");
    }
}

#[wasm_bindgen_test]
fn a_portal_patch_merges_key_by_key_and_is_checked() {
    let cfg = Config::parse(DEMO_CONFIG).unwrap();
    let patch = |json: &str| {
        cfg.patched(
            serde_json::from_str::<serde_json::Value>(json)
                .unwrap()
                .as_object()
                .unwrap(),
        )
    };
    let next = patch(r#"{"voice":{"password":"s3cret"},"calls":{"accessToken":"t"}}"#).unwrap();
    assert_eq!(next.voice.password, "s3cret");
    assert_eq!(next.voice.account, cfg.voice.account, "siblings kept");
    assert_eq!(next.calls.access_token, "t");
    assert!(next.same_services(&cfg));
    let moved = patch(r#"{"ivr":{"url":"https://elsewhere/ivr"}}"#).unwrap();
    assert!(!moved.same_services(&cfg));
    assert!(patch(r#"{"voice":{"pasword":"x"}}"#).unwrap_err()[0].contains("pasword"));
}

#[wasm_bindgen_test]
fn a_portal_moving_a_service_takes_its_secret_only_when_given_again() {
    let cfg = Config::parse(DEMO_CONFIG).unwrap();
    assert!(!cfg.calls.access_token.is_empty() && !cfg.ivr.token.is_empty());
    let configure = |json: &str| {
        cfg.configured(
            serde_json::from_str::<serde_json::Value>(json)
                .unwrap()
                .as_object()
                .unwrap(),
        )
        .unwrap()
    };
    let moved = configure(r#"{"calls":{"baseUrl":"https://calls.example"}}"#);
    assert!(!moved.same_services(&cfg));
    assert_eq!(moved.calls.access_token, "", "the old token stays behind");
    assert_eq!(moved.ivr.token, cfg.ivr.token, "other services keep theirs");
    let given = configure(r#"{"calls":{"baseUrl":"https://calls.example","accessToken":"new"}}"#);
    assert_eq!(given.calls.access_token, "new");
    let voice = configure(r#"{"voice":{"pluginUrl":"wss://plugin.example/ws","password":"p"}}"#);
    assert_eq!(voice.voice.password, "p");
    let unmoved = configure(r#"{"language":"en"}"#);
    assert_eq!(unmoved.calls.access_token, cfg.calls.access_token);
    assert!(unmoved.same_services(&cfg));
}

#[wasm_bindgen_test]
fn settings_override_addresses_but_never_invalid_ones() {
    let cfg = Config::parse(DEMO_CONFIG).unwrap();
    let s = Settings {
        voice_plugin_url: Some("wss://plugin.example/ws".into()),
        calls_base_url: Some("not an address".into()),
        deployment: Some(Deployment::Enterprise),
        language: Some("en".into()),
        ..Default::default()
    };
    let merged = cfg.clone().with_settings(&s, false);
    assert_eq!(merged.voice.plugin_url, "wss://plugin.example/ws");
    assert_eq!(merged.calls.base_url, cfg.calls.base_url);
    assert_eq!(merged.deployment, Deployment::Enterprise);
    assert_eq!(merged.lang(), Lang::En);
    // Settings have no place for a secret.
    let stored = serde_json::to_string(&s).unwrap();
    assert!(
        !stored.to_lowercase().contains("password") && !stored.to_lowercase().contains("token")
    );
}

#[wasm_bindgen_test]
fn audio_mode_defaults_to_the_browser_and_settings_may_hand_it_to_the_plugin() {
    let cfg = Config::parse(DEMO_CONFIG).unwrap();
    assert_eq!(cfg.audio.mode, AudioMode::Browser);
    let plugin = cfg.patched(&serde_json::from_str(r#"{"audio":{"mode":"plugin"}}"#).unwrap());
    assert_eq!(plugin.unwrap().audio.mode, AudioMode::Plugin);
    let typo = cfg.patched(&serde_json::from_str(r#"{"audio":{"mode":"speaker"}}"#).unwrap());
    assert!(typo.is_err(), "an unknown mode is refused");
    let s = Settings {
        audio_mode: Some(AudioMode::Plugin),
        ..Default::default()
    };
    let merged = cfg.clone().with_settings(&s, false);
    assert_eq!(merged.audio.mode, AudioMode::Plugin);
    assert!(
        !merged.same_services(&cfg),
        "a new mode restarts the shells"
    );
    // The microphone at voice login unless told: at the first talk.
    assert_eq!(cfg.audio.microphone, MicAsk::Login);
    let at_talk = cfg.patched(&serde_json::from_str(r#"{"audio":{"microphone":"talk"}}"#).unwrap());
    assert_eq!(at_talk.unwrap().audio.microphone, MicAsk::Talk);
    let s = Settings {
        microphone: Some(MicAsk::Talk),
        ..Default::default()
    };
    let merged = cfg.clone().with_settings(&s, false);
    assert_eq!(merged.audio.microphone, MicAsk::Talk);
    assert!(!merged.same_services(&cfg), "asked otherwise: restarts");
    // Opus where the browser has it unless told: G.711 only.
    assert_eq!(cfg.audio.codec, AudioCodec::Auto);
    let mulaw = cfg.patched(&serde_json::from_str(r#"{"audio":{"codec":"mulaw"}}"#).unwrap());
    assert_eq!(mulaw.unwrap().audio.codec, AudioCodec::Mulaw);
    let typo = cfg.patched(&serde_json::from_str(r#"{"audio":{"codec":"g711"}}"#).unwrap());
    assert!(typo.is_err(), "an unknown codec is refused");
    let s = Settings {
        audio_codec: Some(AudioCodec::Mulaw),
        ..Default::default()
    };
    let merged = cfg.clone().with_settings(&s, false);
    assert_eq!(merged.audio.codec, AudioCodec::Mulaw);
    assert!(!merged.same_services(&cfg), "another codec: restarts");
    for key in dispatch_desk::ui::audio::text::AudioText::ALL {
        for lang in [Lang::Zh, Lang::En] {
            assert!(!key.text(lang).trim().is_empty(), "{key:?} {lang:?}");
        }
    }
}

#[wasm_bindgen_test]
fn a_secret_from_the_file_never_goes_to_an_address_changed_in_settings() {
    let cfg = Config::parse(DEMO_CONFIG).unwrap();
    assert!(!cfg.calls.access_token.is_empty() && !cfg.ivr.token.is_empty());
    let s = Settings {
        calls_base_url: Some("https://elsewhere.example".into()),
        ..Default::default()
    };
    let merged = cfg.clone().with_settings(&s, false);
    assert_eq!(merged.calls.base_url, "https://elsewhere.example");
    assert_eq!(merged.calls.access_token, "", "typed again, or nothing");
    assert_eq!(
        merged.ivr.token, cfg.ivr.token,
        "the IVR address did not move"
    );
    // The same address again is no change.
    let same = Settings {
        ivr_url: Some(cfg.ivr.url.clone()),
        ..Default::default()
    };
    assert_eq!(
        cfg.clone().with_settings(&same, false).ivr.token,
        cfg.ivr.token
    );
}

#[wasm_bindgen_test]
fn credentials_in_addresses_and_plain_schemes_on_https_are_refused() {
    let with = |url: &str| Config::parse(&DEMO_CONFIG.replace("\"/ivr\"", &format!("{url:?}")));
    assert!(with("https://user:pass@ivr.example/ivr").is_err());
    assert!(
        with("https://ivr.example/ivr?next=a@b").is_ok(),
        "an @ after the host is no login"
    );
    let cfg = with("http://ivr.example/ivr").unwrap();
    assert_eq!(cfg.insecure_addresses().len(), 1);
    let s = Settings {
        calls_base_url: Some("http://calls.example".into()),
        ..Default::default()
    };
    let merged = cfg.clone().with_settings(&s, true);
    assert_eq!(
        merged.calls.base_url, cfg.calls.base_url,
        "refused on https"
    );
    assert_eq!(
        cfg.secrets_in_file(),
        ["meeting.joinPwd", "calls.accessToken", "ivr.token"]
    );
}

#[wasm_bindgen_test]
fn relative_addresses_resolve_against_the_page() {
    assert_eq!(
        resolve(" ", "http://127.0.0.1:8080", false),
        "http://127.0.0.1:8080",
        "empty is this origin"
    );
    assert_eq!(
        resolve("/voice", "http://127.0.0.1:8080", true),
        "ws://127.0.0.1:8080/voice"
    );
    assert_eq!(
        resolve("/voice", "https://desk.example", true),
        "wss://desk.example/voice"
    );
    assert_eq!(
        resolve("/", "http://127.0.0.1:8080", false),
        "http://127.0.0.1:8080/"
    );
    assert_eq!(
        resolve("ws://10.0.0.2:9000", "http://x", true),
        "ws://10.0.0.2:9000"
    );
}

#[wasm_bindgen_test]
fn the_journal_keeps_newest_first_and_is_bounded() {
    let owner = Owner::new();
    owner.with(|| {
        let j = Journal::new();
        j.log(Source::Voice, Kind::Sent, "first");
        j.note(Source::Voice, Kind::Info, Key::LightOnline, "");
        let e = j.entries();
        assert_eq!(e[0].text.render(Lang::En), "Online");
        assert_eq!(e[0].text.render(Lang::Zh), "在线");
        assert_eq!(e[1].text, Text::Raw("first".into()));
        for i in 0..CAPACITY + 10 {
            j.log(Source::App, Kind::Info, i.to_string());
        }
        assert_eq!(j.entries().len(), CAPACITY);
        j.clear();
        assert!(j.entries().is_empty());
    });
}

#[wasm_bindgen_test]
async fn a_status_light_follows_its_signal_and_the_language() {
    let el = container();
    let i18n = I18n::new(Lang::Zh);
    let light = RwSignal::new(LightState::of_link(&Link::Offline));
    let _handle = dispatch_desk::ui::markup::mount_to(&el, move || {
        provide_context(i18n);
        status_light(
            "test-light",
            Key::ServiceVoice,
            Memo::new(move |_| light.get()),
        )
    });
    let lamp = || doc().get_element_by_id("test-light").unwrap();
    assert_eq!(lamp().get_attribute("data-state").as_deref(), Some("off"));
    light.set(LightState::of_link(&Link::Online));
    leptos::task::tick().await;
    assert_eq!(
        lamp().get_attribute("data-state").as_deref(),
        Some("online")
    );
    assert!(lamp().text_content().unwrap().contains("在线"));
    i18n.lang.set(Lang::En);
    leptos::task::tick().await;
    assert!(lamp().text_content().unwrap().contains("Online"));
    el.remove();
}

#[wasm_bindgen_test]
async fn the_config_error_screen_names_each_problem() {
    let el = container();
    let _handle = dispatch_desk::ui::markup::mount_to(&el, move || {
        provide_context(I18n::new(Lang::Zh));
        config_error(vec![
            "voice.pluginUrl \"x\": expected ws://".into(),
            "language \"fr\"".into(),
        ])
    });
    let screen = doc().get_element_by_id("config-error").unwrap();
    assert_eq!(screen.query_selector_all("li").unwrap().length(), 2);
    assert!(screen.text_content().unwrap().contains("config.json"));
    el.remove();
}

#[wasm_bindgen_test]
async fn an_unreachable_plugin_turns_the_link_amber_and_keeps_retrying() {
    let owner = Owner::new();
    let link = owner.with(|| {
        let journal = Journal::new();
        // Port 9 (discard) is closed here: the socket fails at once.
        let link = VoiceLink::new(
            "ws://127.0.0.1:9/voice".into(),
            "http://127.0.0.1:9".into(),
            journal,
        );
        link.login("zydd".into(), "123456".into());
        (link, journal)
    });
    let (voice, journal) = link;
    wait_for("the link to go amber", 10_000, || {
        matches!(
            voice.view().get_untracked().link,
            Link::Reconnecting { attempt: 1, .. }
        )
    })
    .await;
    assert!(
        journal
            .entries()
            .iter()
            .all(|e| !e.text.render(Lang::En).contains("123456")),
        "no password in the journal"
    );
    wait_for("the first retry", 10_000, || {
        matches!(
            voice.view().get_untracked().link,
            Link::Reconnecting { attempt: 2, .. }
        )
    })
    .await;
    owner.with(|| voice.logout());
    assert_eq!(voice.view().get_untracked().link, Link::Offline);
}

thread_local! {
    static AUDIO_DESK: std::cell::Cell<Option<dispatch_desk::io::audio::AudioDesk>> =
        const { std::cell::Cell::new(None) };
}

/// The push-to-talk panel (the audio status line is part of its markup),
/// keeping the desk the console provided for the test.
fn audio_status() -> dispatch_desk::ui::markup::Markup {
    AUDIO_DESK.with(|d| d.set(use_context()));
    dispatch_desk::ui::ptt::ptt_panel()
}

#[wasm_bindgen_test]
async fn a_refused_or_missing_microphone_says_so() {
    use dispatch_desk::io::audio::MicStatus;
    assert_eq!(
        MicStatus::from_refusal("NotAllowedError", false),
        MicStatus::Refused
    );
    assert_eq!(
        MicStatus::from_refusal("NotAllowedError", true),
        MicStatus::BlockedByFrame
    );
    assert_eq!(
        MicStatus::from_refusal("NotFoundError", false),
        MicStatus::Missing
    );
    assert_eq!(
        MicStatus::from_refusal("NotReadableError", false),
        MicStatus::Failed
    );

    let _mounted = mount_panel(Config::parse(DEMO_CONFIG).unwrap(), audio_status);
    let desk = AUDIO_DESK
        .with(|d| d.get())
        .expect("the console provides the audio desk");
    assert!(
        text_of("audio-mic").contains("登录语音服务后"),
        "asked at login"
    );
    for (status, words) in [
        (MicStatus::Refused, "麦克风被拒绝"),
        (MicStatus::BlockedByFrame, "allow=\"microphone\""),
        (MicStatus::Missing, "未找到麦克风"),
    ] {
        desk.mic.set(status);
        leptos::task::tick().await;
        assert!(
            text_of("audio-mic").contains(words),
            "{status:?}: {}",
            text_of("audio-mic")
        );
        assert_eq!(
            by_id("audio-mic").get_attribute("role").as_deref(),
            Some("alert")
        );
    }
}

#[wasm_bindgen_test]
async fn markup_names_its_text_wires_its_parts_and_lets_go_when_dropped() {
    use dispatch_desk::ui::credentials::CredentialText;
    use dispatch_desk::ui::markup::{markup, value_of, Wired};
    use wasm_bindgen::JsCast;
    const HTML: &str = r#"<section id="mk"><h2 id="mk-title" data-t="PanelJournal"></h2><input id="mk-in" data-t-placeholder="Account"><button id="mk-go" type="button" data-t-title="Save" data-t="Login"></button><p id="mk-count"></p><p id="mk-flag" class="x"></p><div id="mk-slot" class="slot"></div></section>"#;
    let el = container();
    let i18n = I18n::new(Lang::Zh);
    let count = RwSignal::new(0u32);
    let read = RwSignal::new(String::new());
    let handle = dispatch_desk::ui::markup::mount_to(&el, move || {
        provide_context(i18n);
        markup(HTML, &[Key::named], move |w: &Wired| {
            w.set_value("mk-in", "zydd");
            w.text("mk-count", move || count.get().to_string());
            w.class("mk-flag", "on", move || count.get() > 1);
            w.hidden("mk-flag", move || count.get() == 0);
            let root = w.root().clone();
            w.on("mk-go", "click", move |_| {
                count.update(|n| *n += 1);
                read.set(value_of(&root, "mk-in"));
            });
            w.mount(
                "mk-slot",
                markup(r#"<span id="mk-child"></span>"#, &[], move |w: &Wired| {
                    w.text("mk-child", move || (count.get() * 10).to_string())
                }),
            );
            // A markup inside names its text from its own catalogue; the outer one leaves it be.
            let inner = markup(
                r#"<b id="mk-inner" data-t="Apply"></b>"#,
                &[CredentialText::named],
                |_| {},
            );
            w.mount("mk-slot", inner);
        })
    });
    // The catalogue's text, in each place the markup names it.
    assert_eq!(text_of("mk-title"), "日志");
    assert_eq!(text_of("mk-go"), "登录");
    assert_eq!(
        by_id("mk-go").get_attribute("title").as_deref(),
        Some("保存并应用")
    );
    assert_eq!(
        by_id("mk-in").get_attribute("placeholder").as_deref(),
        Some("账号")
    );
    assert_eq!(text_of("mk-count"), "0");
    assert!(by_id("mk-flag").has_attribute("hidden"));
    assert_eq!(text_of("mk-child"), "0");
    assert_eq!(text_of("mk-inner"), "使用这些凭据");
    // Live parts follow their signals; handlers read the form as it is now.
    type_into("mk-in", "dispatcher 2");
    click("mk-go");
    click("mk-go");
    leptos::task::tick().await;
    assert_eq!(count.get_untracked(), 2);
    assert_eq!(read.get_untracked(), "dispatcher 2");
    assert_eq!(text_of("mk-count"), "2");
    assert!(!by_id("mk-flag").has_attribute("hidden"));
    assert!(by_id("mk-flag").class_list().contains("on"));
    assert!(by_id("mk-flag").class_list().contains("x"));
    assert_eq!(text_of("mk-child"), "20");
    // The language changes every named text.
    i18n.lang.set(Lang::En);
    leptos::task::tick().await;
    assert_eq!(text_of("mk-title"), "Journal");
    assert_eq!(text_of("mk-go"), "Log in");
    assert_eq!(text_of("mk-inner"), "Use these credentials");
    assert_eq!(
        by_id("mk-in").get_attribute("placeholder").as_deref(),
        Some("Account")
    );
    // Unmounted, its listeners are gone: a click on the kept element does nothing.
    let button = by_id("mk-go").unchecked_into::<web_sys::HtmlElement>();
    drop(handle);
    assert!(doc().get_element_by_id("mk").is_none());
    button.click();
    assert_eq!(count.get_untracked(), 2);
    el.remove();
}

#[wasm_bindgen_test]
async fn a_keyed_list_keeps_a_row_while_its_key_stays_and_makes_a_new_one_when_it_returns() {
    use dispatch_desk::ui::keyed::keyed_list;
    use dispatch_desk::ui::markup::{markup, Wired};
    let el = container();
    let keys = RwSignal::new(vec!["a".to_string(), "b".to_string()]);
    let made = RwSignal::new(0u32);
    // A row's own signal, to see that a row gone is disposed with its owner.
    let row_signals = dispatch_desk::reactive::StoredValue::new(Vec::new());
    let handle = dispatch_desk::ui::markup::mount_to(&el, move || {
        provide_context(I18n::new(Lang::Zh));
        markup(
            r#"<div><ol id="kl"><li id="kl-first">first</li></ol></div>"#,
            &[],
            move |w: &Wired| {
                keyed_list(
                    w,
                    &w.el("kl"),
                    move || keys.get(),
                    move |key: String| {
                        made.update(|n| *n += 1);
                        let own = RwSignal::new(key.clone());
                        row_signals.update_value(|v| v.push(own));
                        Some(markup("<li></li>", &[], move |w: &Wired| {
                            w.root().set_id(&format!("kl-{key}"));
                            w.text_el(w.root().clone(), Box::new(move || own.get()));
                        }))
                    },
                );
            },
        )
    });
    let order = || {
        let list = by_id("kl");
        (0..list.children().length())
            .filter_map(|i| list.children().item(i))
            .map(|li| li.id())
            .collect::<Vec<_>>()
    };
    // The rows go after what the list held already.
    assert_eq!(order(), ["kl-first", "kl-a", "kl-b"]);
    let a = by_id("kl-a");
    // Reordered and grown: "a" is the same element, only "c" is made.
    keys.set(vec!["b".into(), "c".into(), "a".into()]);
    leptos::task::tick().await;
    assert_eq!(order(), ["kl-first", "kl-b", "kl-c", "kl-a"]);
    assert!(by_id("kl-a").is_same_node(Some(&a)));
    assert_eq!(made.get_untracked(), 3);
    // "a" leaves and comes back: a new row, not the old one kept; the row
    // gone is disposed with what it made.
    keys.set(vec!["c".into()]);
    leptos::task::tick().await;
    assert_eq!(order(), ["kl-first", "kl-c"]);
    let first_a = row_signals.with_value(|v| v[0]);
    assert_eq!(first_a.try_get_untracked(), None);
    keys.set(vec!["a".into(), "c".into()]);
    leptos::task::tick().await;
    assert_eq!(order(), ["kl-first", "kl-a", "kl-c"]);
    assert!(!by_id("kl-a").is_same_node(Some(&a)));
    assert_eq!(made.get_untracked(), 4);
    // A row follows its own signals while it stays.
    let c = row_signals.with_value(|v| v[2]);
    c.set("c2".into());
    leptos::task::tick().await;
    assert_eq!(text_of("kl-c"), "c2");
    // A change still pending when the view goes runs nothing of it (a row
    // effect run after its owner is gone would read disposed signals).
    c.set("c3".into());
    drop(handle);
    assert_eq!(c.try_get_untracked(), None);
    leptos::task::tick().await;
    el.remove();
}

#[wasm_bindgen_test]
async fn a_shown_part_is_built_in_place_when_its_condition_turns_true_and_disposed_when_false() {
    use dispatch_desk::ui::markup::{markup, mount_to, Wired};
    let el = container();
    let on = RwSignal::new(false);
    let built = RwSignal::new(0u32);
    let inner = dispatch_desk::reactive::StoredValue::new(None);
    let handle = mount_to(&el, move || {
        provide_context(I18n::new(Lang::Zh));
        markup(
            r#"<div id="sh"><p id="sh-before"></p></div>"#,
            &[],
            move |w: &Wired| {
                w.show(
                    w.root(),
                    move || on.get(),
                    move || {
                        built.update(|n| *n += 1);
                        let own = RwSignal::new(1u32);
                        inner.set_value(Some(own));
                        markup(r#"<p id="sh-part"></p>"#, &[], move |w: &Wired| {
                            w.text("sh-part", move || own.get().to_string())
                        })
                    },
                );
                let after = markup(r#"<p id="sh-after"></p>"#, &[], |_| {});
                w.mount("sh", after);
            },
        )
    });
    let order = || {
        let root = by_id("sh");
        (0..root.children().length())
            .filter_map(|i| root.children().item(i))
            .map(|p| p.id())
            .collect::<Vec<_>>()
    };
    assert_eq!(order(), ["sh-before", "sh-after"]);
    on.set(true);
    leptos::task::tick().await;
    // In its place among its siblings, not at the end.
    assert_eq!(order(), ["sh-before", "sh-part", "sh-after"]);
    let first = inner.get_value().expect("built");
    assert_eq!(first.try_get_untracked(), Some(1));
    // A change that leaves the condition true builds nothing again.
    on.set(true);
    leptos::task::tick().await;
    assert_eq!(built.get_untracked(), 1);
    on.set(false);
    leptos::task::tick().await;
    assert_eq!(order(), ["sh-before", "sh-after"]);
    assert_eq!(first.try_get_untracked(), None);
    on.set(true);
    leptos::task::tick().await;
    assert_eq!(built.get_untracked(), 2);
    assert_eq!(order(), ["sh-before", "sh-part", "sh-after"]);
    // A change still pending when the view goes runs nothing of it.
    let second = inner.get_value().expect("built again");
    second.set(2);
    drop(handle);
    leptos::task::tick().await;
    assert!(doc().get_element_by_id("sh").is_none());
    el.remove();
}
