//! The console's views: the fixed part of each written as HTML, parsed
//! once into a `<template>` and cloned, with its few live parts wired by id;
//! and the mounting of them on the page. Leptos's reactive graph (signals,
//! memos, effects, owners) drives them; its view layer is not used.
//!
//! Why: a `view!` element is a type of its own, and each one compiles to
//! its own build, rebuild, mount and drop code (about 450 bytes of wasm an
//! element), and Leptos's keyed lists, `Show` and type-erased views added
//! about 17 KB gzipped of their own. Chromium compiles wasm lazily, function
//! by function, on first call, so that code is also what the cold load
//! spends most of its time compiling. A form of forty fields written here
//! costs its HTML text and one call per live part, all through the shared,
//! non-generic code below.
//!
//! How: `markup(HTML, &[Catalogue::named…], |w| { w.on("save", "click", …); … })`.
//! - Text from the catalogues is named in the HTML and follows the language:
//!   `data-t="Key"` sets the element's text, `data-t-placeholder`,
//!   `data-t-title` and `data-t-aria-label` those attributes.
//! - Live parts are found by `id` (every id the console uses is unique on
//!   the page, which tests and the embedding portal rely on already).
//! - A markup inside another is mounted with [`Wired::mount`]; one that
//!   comes and goes with [`Wired::show`]; one made anew as a signal changes
//!   with [`Wired::region`]; a list keyed by id with `keyed::keyed_list`.
//!   Each is built under the owner current where it is wired, and disposed
//!   with it (a region's and a row's parts under owners of their own).
//!
//! The markup's HTML must have one root element.

use crate::i18n::{use_i18n, Lang};
use crate::reactive::{Memo, RwSignal};
use leptos::prelude::*;
use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A catalogue's phrases by name: `named` of each `catalogue!`.
pub type Texts = fn(&str, Lang) -> Option<&'static str>;

/// A view made of `html`, its text from `texts`, wired by `wire` when built.
pub fn markup(
    html: &'static str,
    texts: &'static [Texts],
    wire: impl FnOnce(&Wired) + Send + 'static,
) -> Markup {
    Markup {
        html,
        texts,
        lang: use_i18n().lang,
        wire: Box::new(wire),
    }
}

/// See [`markup`].
pub struct Markup {
    html: &'static str,
    texts: &'static [Texts],
    lang: RwSignal<Lang>,
    wire: Box<dyn FnOnce(&Wired) + Send>,
}

/// The live parts of one built markup; they last as long as it does.
pub struct Wired {
    root: web_sys::Element,
    listeners: RefCell<Vec<Listener>>,
    effects: RefCell<Vec<RenderEffect<()>>>,
    views: RefCell<Vec<Wired>>,
    parts: RefCell<Vec<Rc<dyn Any>>>,
}

struct Listener {
    target: web_sys::Element,
    event: &'static str,
    handler: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Wired {
    fn drop(&mut self) {
        for l in self.listeners.get_mut().drain(..) {
            let _ = l
                .target
                .remove_event_listener_with_callback(l.event, l.handler.as_ref().unchecked_ref());
        }
    }
}

impl Wired {
    /// `root` as a place to wire: an element of the page (the body, a
    /// test's container) or of a markup being built.
    pub fn host(root: web_sys::Element) -> Wired {
        Wired {
            root,
            listeners: RefCell::default(),
            effects: RefCell::default(),
            views: RefCell::default(),
            parts: RefCell::default(),
        }
    }

    /// The root element of the markup.
    pub fn root(&self) -> &web_sys::Element {
        &self.root
    }

    /// The element of the markup with this `id` (the root included). A
    /// missing id is a mistake in the markup's own HTML, which the browser
    /// tests mount, so it stops here with the id named.
    pub fn el(&self, id: &str) -> web_sys::Element {
        if self.root.id() == id {
            return self.root.clone();
        }
        self.root
            .query_selector(&format!("#{id}"))
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("markup has no element #{id}"))
    }

    /// The first element under the root matching `css`: for the parts of a
    /// row, which appears many times on the page and so has no ids.
    pub fn part(&self, css: &str) -> web_sys::Element {
        self.root
            .query_selector(css)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("markup has no {css}"))
    }

    /// Calls `handler` on each `event` at element `id`.
    pub fn on(&self, id: &str, event: &'static str, handler: impl FnMut(web_sys::Event) + 'static) {
        self.on_el(self.el(id), event, Box::new(handler));
    }

    /// Calls `handler` on each `event` at `target`, an element of the markup.
    pub fn on_el(
        &self,
        target: web_sys::Element,
        event: &'static str,
        handler: Box<dyn FnMut(web_sys::Event)>,
    ) {
        let handler = Closure::wrap(handler);
        let _ = target.add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        self.listeners.borrow_mut().push(Listener {
            target,
            event,
            handler,
        });
    }

    /// Keeps element `id`'s text equal to `text()`.
    pub fn text(&self, id: &str, text: impl Fn() -> String + 'static) {
        self.text_el(self.el(id), Box::new(text));
    }

    /// Keeps `el`'s text equal to `text()`, touched only when it changes (a
    /// duration is read every second, and some parts are live regions).
    pub fn text_el(&self, el: web_sys::Element, text: Box<dyn Fn() -> String>) {
        self.effect(Box::new(move || {
            let text = text();
            if el.text_content().as_deref() != Some(text.as_str()) {
                el.set_text_content(Some(&text));
            }
        }));
    }

    /// Keeps attribute `name` of element `id` equal to `value()`, absent on `None`.
    pub fn attr(&self, id: &str, name: &'static str, value: impl Fn() -> Option<String> + 'static) {
        self.attr_el(self.el(id), name, Box::new(value));
    }

    /// Keeps attribute `name` of `el` equal to `value()`, absent on `None`,
    /// touched only when it changes.
    pub fn attr_el(
        &self,
        el: web_sys::Element,
        name: &'static str,
        value: Box<dyn Fn() -> Option<String>>,
    ) {
        self.effect(Box::new(move || {
            let value = value();
            if el.get_attribute(name) != value {
                match value {
                    Some(v) => drop(el.set_attribute(name, &v)),
                    None => drop(el.remove_attribute(name)),
                }
            }
        }));
    }

    /// Element `id` carries class `name` while `on()`.
    pub fn class(&self, id: &str, name: &'static str, on: impl Fn() -> bool + 'static) {
        let el = self.el(id);
        self.effect(Box::new(move || {
            let _ = el.class_list().toggle_with_force(name, on());
        }));
    }

    /// Element `id` is hidden while `hide()` (the `hidden` attribute).
    pub fn hidden(&self, id: &str, hide: impl Fn() -> bool + 'static) {
        let el = self.el(id);
        self.effect(Box::new(move || {
            let _ = el.toggle_attribute_with_force("hidden", hide());
        }));
    }

    /// Sets the value of the input, select or textarea `id` (its value as
    /// typed, not its `value` attribute).
    pub fn set_value(&self, id: &str, value: &str) {
        let el = self.el(id);
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            input.set_value(value);
        } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
            select.set_value(value);
        } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            area.set_value(value);
        }
    }

    /// Keeps `part` (what a region or a keyed list has built) for as long
    /// as the markup lasts. Their effects hold it weakly: an effect's task
    /// outlives its handle until it next runs, and a part kept there would
    /// run its own effects after its owner is gone.
    pub fn keep(&self, part: Rc<dyn Any>) {
        self.parts.borrow_mut().push(part);
    }

    /// Runs `f` now and again whenever what it reads changes, while the markup lasts.
    pub fn effect(&self, f: Box<dyn Fn()>) {
        self.effects
            .borrow_mut()
            .push(RenderEffect::new(move |_: Option<()>| f()));
    }

    /// Keeps `nodes` in the DOM under `parent` while `on()`, just before the
    /// first of `next` that is there (at the end if none is), and out of it
    /// otherwise: for parts that tests and the accessibility tree expect gone,
    /// not hidden.
    pub fn present(
        &self,
        parent: web_sys::Element,
        nodes: Vec<web_sys::Node>,
        next: Vec<web_sys::Node>,
        on: Box<dyn Fn() -> bool>,
    ) {
        self.effect(Box::new(move || {
            let here = nodes.first().is_some_and(|n| n.parent_node().is_some());
            match (on(), here) {
                (true, false) => {
                    let before = next.iter().find(|n| n.parent_node().is_some());
                    for n in &nodes {
                        let _ = parent.insert_before(n, before);
                    }
                }
                (false, true) => {
                    for n in &nodes {
                        if let Some(p) = n.parent_node() {
                            let _ = p.remove_child(n);
                        }
                    }
                }
                _ => {}
            }
        }));
    }

    /// Mounts `view` as the last child of element `id`.
    pub fn mount(&self, id: &str, view: Markup) {
        self.mount_el(&self.el(id), view);
    }

    /// Mounts `view` as the last child of `parent`, an element of the markup
    /// (of a row, say, which has no ids of its own).
    pub fn mount_el(&self, parent: &web_sys::Element, view: Markup) {
        let built = view.build();
        let _ = parent.append_child(&built.root);
        self.views.borrow_mut().push(built);
    }

    /// Keeps `view()` at the end of `parent` while `when()`: built when it
    /// turns true, taken out and disposed when it turns false.
    pub fn show(
        &self,
        parent: &web_sys::Element,
        when: impl Fn() -> bool + Send + Sync + 'static,
        view: impl Fn() -> Markup + 'static,
    ) {
        let on = Memo::new(move |_| when());
        self.region(
            parent,
            Box::new(move || {
                if on.get() {
                    untrack(|| vec![view()])
                } else {
                    Vec::new()
                }
            }),
        );
    }

    /// Keeps what `content()` makes at the end of `parent`, made anew (and
    /// the old disposed) whenever what it reads changes. What the made
    /// markups read while they are built is theirs, not the region's.
    pub fn region(&self, parent: &web_sys::Element, content: Box<dyn Fn() -> Vec<Markup>>) {
        let anchor = end_marker(parent);
        let kept: Rc<RefCell<Vec<Wired>>> = Rc::default();
        self.keep(kept.clone());
        let shown = Rc::downgrade(&kept);
        let parent = parent.clone();
        self.effect(Box::new(move || {
            let Some(shown) = shown.upgrade() else {
                return;
            };
            for old in shown.borrow_mut().drain(..) {
                old.root.remove();
            }
            let views = content();
            let built: Vec<Wired> = untrack(|| views.into_iter().map(Markup::build).collect());
            for view in &built {
                let _ = parent.insert_before(&view.root, Some(&anchor));
            }
            *shown.borrow_mut() = built;
        }));
    }
}

/// An empty comment at the end of `parent`: where a region or a keyed list
/// puts what it shows, so that it stays in place among its siblings.
pub fn end_marker(parent: &web_sys::Element) -> web_sys::Node {
    let marker: web_sys::Node = document().create_comment("").into();
    let _ = parent.append_child(&marker);
    marker
}

/// The value of the input, select or textarea `id` under `root` as it is
/// now (empty if there is none): handlers read a form when it is sent.
pub fn value_of(root: &web_sys::Element, id: &str) -> String {
    let Ok(Some(el)) = root.query_selector(&format!("#{id}")) else {
        return String::new();
    };
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.value()
    } else if let Some(select) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.value()
    } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.value()
    } else {
        String::new()
    }
}

impl Markup {
    /// Builds the markup: its element, with its text named and its live
    /// parts wired. Nothing it reads while wiring is tracked by the caller.
    pub fn build(self) -> Wired {
        let root = element_from_html(self.html);
        let wired = Wired::host(root);
        // Found now, before anything is mounted into the markup: a markup
        // mounted inside names its text from catalogues of its own.
        let named = named_in(&wired.root);
        if !named.is_empty() {
            let (texts, lang) = (self.texts, self.lang);
            wired.effect(Box::new(move || translate(&named, texts, lang.get())));
        }
        untrack(|| (self.wire)(&wired));
        wired
    }
}

/// The one element `html` makes, cloned from a `<template>` parsed once per
/// markup (a row's markup is built many times).
pub fn element_from_html(html: &'static str) -> web_sys::Element {
    thread_local! {
        static PARSED: RefCell<Vec<(&'static str, web_sys::HtmlTemplateElement)>> = const { RefCell::new(Vec::new()) };
    }
    PARSED.with_borrow_mut(|parsed| {
        let template = match parsed.iter().find(|(h, _)| *h == html) {
            Some((_, t)) => t.clone(),
            None => {
                let t: web_sys::HtmlTemplateElement = document()
                    .create_element("template")
                    .expect("a template element")
                    .unchecked_into();
                t.set_inner_html(html);
                parsed.push((html, t.clone()));
                t
            }
        };
        template
            .content()
            .first_element_child()
            .and_then(|e| e.clone_node_with_deep(true).ok())
            .expect("markup has one root element")
            .unchecked_into()
    })
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("the console runs in a page")
}

/// A view mounted by [`mount_to`]; dropping it takes it off the page and
/// disposes what it made.
pub struct Mounted {
    wired: Option<Wired>,
    _owner: Owner,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(wired) = self.wired.take() {
            wired.root.remove();
        }
    }
}

/// Builds `view()` under an owner of its own and appends it to `parent`.
pub fn mount_to(parent: &web_sys::Element, view: impl FnOnce() -> Markup) -> Mounted {
    run_effects();
    let owner = Owner::new();
    let wired = owner.with(|| view().build());
    let _ = parent.append_child(&wired.root);
    Mounted {
        wired: Some(wired),
        _owner: owner,
    }
}

/// Effects and tasks run on wasm-bindgen's futures. Set once; a second
/// call finds it set, which is no error.
fn run_effects() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
}

/// Runs `app` on the page's body for as long as the page lasts.
pub fn mount_to_body(app: impl FnOnce(&Wired)) {
    run_effects();
    let owner = Owner::new();
    let body: web_sys::Element = document().body().expect("a body").into();
    let host = Wired::host(body);
    owner.with(|| app(&host));
    std::mem::forget((host, owner));
}

/// The attribute naming a phrase, and what the phrase sets.
const TRANSLATED: [(&str, Option<&str>); 4] = [
    ("data-t", None),
    ("data-t-placeholder", Some("placeholder")),
    ("data-t-title", Some("title")),
    ("data-t-aria-label", Some("aria-label")),
];

/// An element of the markup whose text or attribute is a phrase: the
/// element, the attribute it sets (`None`: its text) and the phrase's name.
type Named = (web_sys::Element, Option<&'static str>, String);

/// Every element under `root` (itself included) naming a phrase.
fn named_in(root: &web_sys::Element) -> Vec<Named> {
    let mut named = Vec::new();
    for (marker, target) in TRANSLATED {
        let Ok(found) = root.query_selector_all(&format!("[{marker}]")) else {
            continue;
        };
        let own = root.has_attribute(marker).then(|| root.clone());
        let nodes = (0..found.length())
            .filter_map(|i| found.item(i))
            .filter_map(|n| n.dyn_into::<web_sys::Element>().ok());
        for el in own.into_iter().chain(nodes) {
            let name = el.get_attribute(marker).unwrap_or_default();
            named.push((el, target, name));
        }
    }
    named
}

/// Sets each named text in `lang`.
fn translate(named: &[Named], texts: &[Texts], lang: Lang) {
    for (el, target, name) in named {
        let text = phrase(texts, name, lang);
        match target {
            None => el.set_text_content(Some(text)),
            Some(attr) => drop(el.set_attribute(attr, text)),
        }
    }
}

/// The phrase called `name` in `texts`. A name no catalogue has is a
/// mistake in the markup: debug builds (the browser tests) stop on it; a
/// release shows the name rather than nothing and says so on the console,
/// which fails the end-to-end tests wherever they build that markup.
fn phrase<'a>(texts: &[Texts], name: &'a str, lang: Lang) -> &'a str {
    texts
        .iter()
        .find_map(|named| named(name, lang))
        .unwrap_or_else(|| {
            debug_assert!(false, "no phrase named {name}");
            let problem = format!("markup: no catalogue given has a phrase named {name}");
            web_sys::console::error_1(&problem.into());
            name
        })
}
