//! The talk button: hold (pointer, or the talk key — Space unless settings
//! say otherwise — anywhere on the page but in a text field) to talk in the
//! selected call, or, with terminals chosen and no call, to start one and
//! talk at once. Latch mode: click (or press the key) to talk, again to
//! stop. It shows the floor's state (asking, mine, someone else's, giving
//! back), a talk timer, and refuses at once while not connected.

use super::sessions::{shown_talker, talker_text};
use super::text::PttText;
use crate::i18n::{use_i18n, I18n};
use crate::io::storage;
use crate::io::voice::VoiceLink;
use crate::reactive::{effect, RwSignal, StoredValue};
use crate::time::now_ms;
use crate::ui::call::duration_text;
use crate::ui::markup::{markup, Markup, Wired};
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;
use proto::voice::{Floor, Link, TerminalId};
use std::time::Duration;
use wasm_bindgen::JsCast;

/// The hold-to-talk key (`KeyboardEvent.code`) unless settings name another.
const DEFAULT_TALK_KEY: &str = "Space";

/// A key's name for the dispatcher: `KeyT` is T, `Digit5` is 5.
fn key_label(code: &str, i18n: I18n) -> String {
    if code == DEFAULT_TALK_KEY {
        return i18n.t(PttText::SpaceKey).to_owned();
    }
    code.strip_prefix("Key")
        .or_else(|| code.strip_prefix("Digit"))
        .unwrap_or(code)
        .to_owned()
}

/// The settings field that takes the talk key: press the key in it. Tab
/// still leaves the field; Escape, Backspace or Delete goes back to Space.
pub fn talk_key_field(code: RwSignal<String>) -> Markup {
    let i18n = use_i18n();
    let take = move |ev: KeyboardEvent| {
        let key = ev.code();
        if key == "Tab" || key.is_empty() {
            return;
        }
        ev.prevent_default();
        let cleared = matches!(key.as_str(), "Escape" | "Backspace" | "Delete");
        code.set(if cleared { String::new() } else { key });
    };
    let shown =
        move || code.with(|c| key_label(if c.is_empty() { DEFAULT_TALK_KEY } else { c }, i18n));
    markup(TALK_KEY_FIELD, &[PttText::named], move |w: &Wired| {
        const ID: &str = "settings-talk-key";
        w.attr(ID, "data-code", move || Some(code.get()));
        let field: web_sys::HtmlInputElement = w.el(ID).unchecked_into();
        w.effect(Box::new(move || field.set_value(&shown())));
        w.on(ID, "keydown", move |ev| take(ev.unchecked_into()));
    })
}

const TALK_KEY_FIELD: &str = r#"<label><span data-t="TalkKeySetting"></span><input id="settings-talk-key" readonly></label>"#;

/// Whether a key event comes from a place where typing goes: there Space
/// is a space, not the talk key.
fn in_text_field(ev: &KeyboardEvent) -> bool {
    let Some(el) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    if el.is_content_editable() {
        return true;
    }
    match el.tag_name().as_str() {
        "TEXTAREA" | "SELECT" => true,
        "INPUT" => {
            let kind = el
                .get_attribute("type")
                .unwrap_or_default()
                .to_ascii_lowercase();
            !matches!(
                kind.as_str(),
                "checkbox" | "radio" | "button" | "submit" | "reset" | "range" | "color" | "file"
            )
        }
        _ => false,
    }
}

/// The talk button and the latch box, in the group call's markup.
macro_rules! talk_html {
    () => {
        r#"<button id="ptt-talk" type="button" class="talk"><strong id="ptt-talker"></strong><br><span id="ptt-timer" class="timer"></span><br><small id="ptt-talk-hint"></small></button><label class="latch"><input type="checkbox" id="ptt-latch"> <span data-t="Latch"></span></label>"#
    };
}
pub(super) use talk_html;

/// The talk button's state and its key listeners, set up with the panel
/// (they last as long as it does); the returned wiring is run on its markup.
pub(super) fn talk_button(picked: RwSignal<Vec<TerminalId>>) -> impl FnOnce(&Wired) + Send {
    let i18n = use_i18n();
    let voice = crate::reactive::expect_context::<VoiceLink>();
    let ptt = voice.ptt();
    let link = voice.view();
    let talk_key = StoredValue::new(
        storage::load_settings()
            .talk_key
            .unwrap_or_else(|| DEFAULT_TALK_KEY.to_owned()),
    );
    let is_talk_key =
        move |ev: &KeyboardEvent| talk_key.with_value(|k| ev.code() == *k) && !in_text_field(ev);
    let latch = RwSignal::new(false);
    // Only a press that went down here lets the floor go when it comes up.
    let pressed = RwSignal::new(false);
    let down = move || {
        if !pressed.get_untracked() {
            pressed.set(true);
            voice.key_down(picked.get_untracked());
        }
    };
    let up = move || {
        if pressed.get_untracked() {
            pressed.set(false);
            voice.key_up();
        }
    };
    // The machine drops a press it refused (offline, nothing to talk in).
    effect(move || {
        if !ptt.with(|p| p.key_held) {
            pressed.set(false);
        }
    });
    let press = move || {
        if latch.get_untracked() && pressed.get_untracked() {
            up()
        } else {
            down()
        }
    };
    let let_go = move || {
        if !latch.get_untracked() {
            up()
        }
    };

    let keydown = window_event_listener(leptos::ev::keydown, move |ev: KeyboardEvent| {
        if is_talk_key(&ev) {
            ev.prevent_default();
            if !ev.repeat() {
                press();
            }
        }
    });
    let keyup = window_event_listener(leptos::ev::keyup, move |ev: KeyboardEvent| {
        if is_talk_key(&ev) {
            ev.prevent_default();
            let_go();
        }
    });
    // A window that loses focus never sees the key come up.
    let blur = window_event_listener(leptos::ev::blur, move |_| let_go());

    let now = RwSignal::new(now_ms());
    let ticker =
        set_interval_with_handle(move || now.set(now_ms()), Duration::from_millis(250)).ok();
    let since = RwSignal::new(None::<u64>);
    effect(move || {
        let held = ptt.with(|p| matches!(p.floor, Floor::Held { .. }));
        match (held, since.get_untracked()) {
            (true, None) => since.set(Some(now_ms())),
            (false, Some(_)) => since.set(None),
            _ => {}
        }
    });
    on_cleanup(move || {
        keydown.remove();
        keyup.remove();
        blur.remove();
        if let Some(t) = ticker {
            t.clear();
        }
    });

    let online = move || link.with(|v| v.link == Link::Online);
    let state = move || {
        if !online() {
            return "offline";
        }
        ptt.with(|p| match &p.floor {
            Floor::Requesting { .. } => "requesting",
            Floor::Releasing => "releasing",
            Floor::Held { .. } => "me",
            Floor::Free => match p.selected_session().and_then(shown_talker) {
                Some(_) => "other",
                None => "idle",
            },
        })
    };
    let headline = move || {
        if !online() {
            return i18n.t(PttText::TalkOffline).to_owned();
        }
        ptt.with(|p| match &p.floor {
            Floor::Requesting { .. } => i18n.t(PttText::Requesting).to_owned(),
            Floor::Releasing => i18n.t(PttText::Releasing).to_owned(),
            Floor::Held { .. } => i18n.t(PttText::Me).to_owned(),
            Floor::Free => talker_text(p.selected_session().and_then(shown_talker).as_ref(), i18n),
        })
    };
    let aria_pressed = move || ptt.with(|p| p.key_held || matches!(p.floor, Floor::Held { .. }));
    let hint = move || {
        if latch.get() {
            i18n.t(PttText::TalkLatch).to_owned()
        } else {
            let key = talk_key.with_value(|k| key_label(k, i18n));
            format!("{}{key}", i18n.t(PttText::TalkButton))
        }
    };

    move |w: &Wired| {
        w.attr("ptt-talk", "data-state", move || Some(state().to_owned()));
        w.attr("ptt-talk", "aria-pressed", move || {
            Some(aria_pressed().to_string())
        });
        w.text("ptt-talker", headline);
        w.text("ptt-timer", move || {
            since
                .get()
                .map(|s| duration_text(now.get().saturating_sub(s)))
                .unwrap_or_default()
        });
        w.text("ptt-talk-hint", hint);
        w.on("ptt-talk", "pointerdown", move |ev| {
            ev.prevent_default();
            press()
        });
        for event in ["pointerup", "pointerleave", "pointercancel"] {
            w.on("ptt-talk", event, move |_| let_go());
        }
        let latch_box = w.el("ptt-latch");
        w.on("ptt-latch", "change", move |_| {
            up();
            latch.set(
                latch_box
                    .dyn_ref::<web_sys::HtmlInputElement>()
                    .is_some_and(|b| b.checked()),
            )
        });
    }
}
