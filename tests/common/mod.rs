//! Helpers shared by the browser suites: DOM access and polling with a
//! deadline (never a fixed sleep). Each suite uses some of them.
#![allow(dead_code)]

use wasm_bindgen::JsCast;

pub const DEMO_CONFIG: &str = include_str!("../../config.json");

pub fn doc() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A fresh element to mount into, so tests do not see each other's DOM.
pub fn container() -> web_sys::HtmlElement {
    let el = doc().create_element("div").unwrap();
    doc().body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

pub fn by_id(id: &str) -> web_sys::Element {
    doc()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("#{id}"))
}

pub fn text_of(id: &str) -> String {
    doc()
        .get_element_by_id(id)
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// Sets an input's value the way typing does, so the component sees it.
pub fn type_into(id: &str, text: &str) {
    let input: web_sys::HtmlInputElement = by_id(id).unchecked_into();
    input.set_value(text);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

pub fn click(id: &str) {
    by_id(id).unchecked_into::<web_sys::HtmlElement>().click();
}

/// Resolves after `ms` of browser time; only for polling with a deadline.
pub async fn tick(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

/// Polls `cond` until it holds or `deadline_ms` passes.
pub async fn wait_for(what: &str, deadline_ms: u64, mut cond: impl FnMut() -> bool) {
    let start = dispatch_desk::time::now_ms();
    while !cond() {
        assert!(
            dispatch_desk::time::now_ms() - start < deadline_ms,
            "timed out waiting for {what}"
        );
        tick(20).await;
    }
}

/// A feature panel mounted with what the console would give it by context.
/// Dropping it unmounts the panel and disposes its shells.
pub struct Mounted {
    pub journal: dispatch_desk::journal::Journal,
    pub shells: dispatch_desk::ui::console::Shells,
    pub root: web_sys::HtmlElement,
    _handle: dispatch_desk::ui::markup::Mounted,
    _owner: leptos::prelude::Owner,
}

pub fn mount_panel(
    config: dispatch_desk::config::Config,
    panel: fn() -> dispatch_desk::ui::markup::Markup,
) -> Mounted {
    use dispatch_desk::reactive::StoredValue;
    use dispatch_desk::{i18n, journal, ui};
    use leptos::prelude::*;
    let owner = Owner::new();
    let journal = owner.with(journal::Journal::new);
    let shells = StoredValue::new(None);
    let root = container();
    let handle = ui::markup::mount_to(&root, move || {
        provide_context(i18n::I18n::new(i18n::Lang::Zh));
        provide_context(journal);
        shells.set_value(Some(ui::console::provide_shells(&config, journal)));
        provide_context(StoredValue::new(ui::active::Active {
            file: config.clone(),
            config: config.clone(),
        }));
        // Settings restart the console with a new configuration; a mounted
        // panel has no console around it, so the new one is only kept.
        provide_context(ui::active::Restart(
            dispatch_desk::reactive::RwSignal::new(config.clone()).write_only(),
        ));
        panel()
    });
    Mounted {
        journal,
        shells: shells.get_value().expect("mounted"),
        root,
        _handle: handle,
        _owner: owner,
    }
}

/// The header's lights, as it maps each shell's state.
impl Mounted {
    pub fn meeting_light(&self) -> dispatch_desk::ui::status_light::LightState {
        let link = self
            .shells
            .meeting
            .view()
            .with_untracked(|v| v.link.clone());
        dispatch_desk::ui::status_light::LightState::of_meeting(&link)
    }

    pub fn calls_light(&self) -> dispatch_desk::ui::status_light::LightState {
        let health = self.shells.calls.view().with_untracked(|v| v.health);
        dispatch_desk::ui::status_light::LightState::of_health(health)
    }

    pub fn ivr_light(&self) -> dispatch_desk::ui::status_light::LightState {
        dispatch_desk::ui::status_light::LightState::of_health(
            self.shells.ivr.health().get_untracked(),
        )
    }
}
