//! When the console panics. The release build aborts on panic, so the
//! Leptos runtime is dead by the time the hook runs: everything here goes
//! straight through the DOM. The screen greys the status lights (they no
//! longer tell the truth), says the console stopped with the panic message
//! (scrubbed), offers a reload, and leaves the message in sessionStorage for
//! the journal after the reload.

use crate::i18n::{Lang, Phrase};
use crate::journal::scrub;

crate::catalogue! { pub enum CrashText {
    Title => "调度台已停止运行", "The console has stopped";
    Help => "发生了内部错误，本页面已不再响应。请重新加载（需要重新登录）。错误信息已记入日志。", "An internal error stopped the console; this page no longer responds. Reload it (you will log in again). The error is kept in the journal.";
    Reload => "重新加载", "Reload";
    Crashed => "调度台上次崩溃：", "The console crashed: ";
}}

/// Where the message waits for the next page load (this tab only).
const REPORT_KEY: &str = "dispatch-desk.crash";

/// Installs the panic hook; call before mounting anything.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        let message = scrub(&info.to_string());
        web_sys::console::error_1(&message.as_str().into());
        show(&message);
    }));
}

/// The hook's work, callable on its own (tests): grey lights, the crash
/// screen, and the report for the next journal. Never panics.
pub fn show(message: &str) {
    let message = scrub(message);
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Some(document) = window.document() {
        grey_lights(&document);
        let _ = overlay(&document, &message);
    }
    if let Ok(Some(storage)) = window.session_storage() {
        let _ = storage.set_item(REPORT_KEY, &message);
    }
}

/// The message a crash left before this page load, once.
pub fn take_report() -> Option<String> {
    let storage = web_sys::window()?.session_storage().ok()??;
    let report = storage.get_item(REPORT_KEY).ok()??;
    let _ = storage.remove_item(REPORT_KEY);
    Some(report)
}

/// Marks the body (CSS greys every lamp under it, whatever a still-running
/// effect writes) and each light's state.
fn grey_lights(document: &web_sys::Document) {
    if let Some(body) = document.body() {
        let _ = body.set_attribute("data-crashed", "");
    }
    if let Ok(lights) = document.query_selector_all(".light") {
        for i in 0..lights.length() {
            if let Some(light) = lights
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            {
                let _ = light.set_attribute("data-state", "stopped");
                let _ = light.set_attribute("class", "light light-stopped");
            }
        }
    }
}

/// The full-screen notice, in the page's language (`<html lang>`).
fn overlay(document: &web_sys::Document, message: &str) -> Result<(), wasm_bindgen::JsValue> {
    let lang = document
        .document_element()
        .and_then(|root| root.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default();
    if let Some(old) = document.get_element_by_id("crash-screen") {
        old.remove();
    }
    let element = |tag: &str, id: &str, text: &str| {
        let el = document.create_element(tag)?;
        if !id.is_empty() {
            el.set_id(id);
        }
        el.set_text_content(Some(text));
        Ok::<_, wasm_bindgen::JsValue>(el)
    };
    let screen = document.create_element("div")?;
    screen.set_id("crash-screen");
    screen.set_class_name("crash-screen");
    screen.set_attribute("role", "alertdialog")?;
    screen.set_attribute("aria-modal", "true")?;
    screen.set_attribute("aria-labelledby", "crash-title")?;
    let dialog = document.create_element("div")?;
    dialog.set_class_name("crash-dialog");
    for (tag, id, text) in [
        ("h2", "crash-title", CrashText::Title.text(lang)),
        ("p", "", CrashText::Help.text(lang)),
        ("pre", "crash-message", message),
    ] {
        let part: web_sys::Element = element(tag, id, text)?;
        dialog.append_child(&part)?;
    }
    let reload: web_sys::Element = element("button", "crash-reload", CrashText::Reload.text(lang))?;
    reload.set_attribute("type", "button")?;
    // Plain JavaScript: the wasm instance may no longer run any closure.
    reload.set_attribute("onclick", "location.reload()")?;
    dialog.append_child(&reload)?;
    screen.append_child(&dialog)?;
    document
        .body()
        .ok_or_else(|| wasm_bindgen::JsValue::from_str("no body"))?
        .append_child(&screen)?;
    Ok(())
}
