//! The roster: every participant with what the document says of it (role,
//! service, muted, presenting, spotlight, protocol, encryption, audio-only,
//! direction, time in the meeting), who speaks now, search, sort, and
//! "admit all" for the waiting room.
//!
//! A thousand rows arrive in one burst, so a row is static: it is built for
//! one version of what it shows and replaced by a new one when that changes
//! (keyed by the participant's shared pointer, see [`Row`]). Only its time
//! in the meeting follows a clock. The list is kept by [`Placed`] rather
//! than a `<For>`: every new row of an update is one piece of one HTML
//! string, parsed by the browser in one go, and rows that did not change
//! keep their elements (and the keyboard focus in them). A row's host menu
//! is an item of its own under the row, a markup keyed by uuid, so it
//! outlives the row's versions (what is typed into it stays).

use super::command_button;
use super::row_menu::{on, row_menu};
use super::text::MeetingText;
use crate::i18n::{Lang, Phrase};
use crate::io::meeting::Meeting;
use crate::reactive::{Memo, RwSignal};
use crate::ui::call::duration_text;
use crate::ui::markup::{value_of, Wired};
use leptos::prelude::*;
use proto::meeting::roster::{self, RosterSort};
use proto::meeting::{Participant, ParticipantCommand, Role, ServiceType};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// One version of a row: everything it shows but the clock. Equal (and
/// so kept by the list) only while it is the same shared participant and
/// the same flags; the participant is held, so its pointer is never reused
/// while the row is on screen.
#[derive(Debug, Clone)]
struct Row {
    p: Arc<Participant>,
    speaking: bool,
    me: bool,
    /// This console is a host: the row offers host actions.
    host_tools: bool,
    /// Its menu is open.
    open: bool,
    lang: Lang,
}

impl Row {
    fn flags(&self) -> (bool, bool, bool, bool, Lang) {
        (
            self.speaking,
            self.me,
            self.host_tools,
            self.open,
            self.lang,
        )
    }
}

impl PartialEq for Row {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.p, &other.p) && self.flags() == other.flags()
    }
}

impl Eq for Row {}

impl Hash for Row {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::ptr::hash(Arc::as_ptr(&self.p), state);
    }
}

/// What the list holds: rows, each followed by its menu when open.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Item {
    Row(Row),
    /// The open host menu of the participant with this uuid.
    Menu(String),
}

/// The uuid of the row whose menu button a click is on (the row's id is
/// [`ROW_ID`] and its uuid).
fn menu_clicked(ev: &web_sys::Event) -> Option<String> {
    let target = ev.target()?.dyn_into::<Element>().ok()?;
    let row = target.closest("button.menu").ok()??.closest("li").ok()??;
    Some(row.get_attribute("id")?.strip_prefix(ROW_ID)?.to_owned())
}

/// What a row's id starts with; its participant's uuid follows.
const ROW_ID: &str = "meeting-p-";

/// Wires the roster's part of the panel's markup (`.meeting-participants`):
/// the count, search, sort, "admit all", the empty states and the rows.
pub fn wire(w: &Wired, meeting: Meeting, lang: RwSignal<Lang>) {
    let state = super::shown();
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new(RosterSort::default());
    // Uuids whose menu is open.
    let open = RwSignal::new(Vec::<String>::new());
    let items = Memo::new(move |_| {
        let (q, s, lang) = (query.get(), sort.get(), lang.get());
        open.with(|open| {
            state.with(|v| {
                let host_tools = v.is_host();
                let mut items = Vec::with_capacity(v.conference.participants.len());
                for p in roster::order(&v.conference, &q, s) {
                    let me = v.me.as_deref() == Some(p.uuid.as_str());
                    let open = host_tools && !me && open.contains(&p.uuid);
                    let uuid = open.then(|| p.uuid.clone());
                    items.push(Item::Row(Row {
                        speaking: v.conference.is_speaking(&p.uuid),
                        me,
                        host_tools,
                        open,
                        lang,
                        p,
                    }));
                    items.extend(uuid.map(Item::Menu));
                }
                items
            })
        })
    });
    let shown_rows = move || items.with(|i| i.iter().filter(|i| matches!(i, Item::Row(_))).count());
    let waiting = Memo::new(move |_| state.with(|v| roster::waiting(&v.conference)));
    let total = move || state.with(|v| v.conference.participants.len());
    let host = move || state.with(|v| v.is_host());

    let root = w.root().clone();
    w.on("meeting-roster-search", "input", move |_| {
        query.set(value_of(&root, "meeting-roster-search"))
    });
    let root = w.root().clone();
    w.on("meeting-roster-sort", "change", move |_| {
        let picked = value_of(&root, "meeting-roster-sort");
        sort.set(RosterSort::parse(&picked).unwrap_or_default())
    });
    w.text("meeting-participant-count", move || total().to_string());
    let admit_all = w.el("meeting-admit-all");
    if !meeting.supports(&on("", ParticipantCommand::Unlock)) {
        command_button::disable(w, lang, &admit_all);
    }
    w.on_el(
        admit_all.clone(),
        "click",
        Box::new(move |_| {
            for uuid in waiting.get_untracked() {
                meeting.command(on(&uuid, ParticipantCommand::Unlock));
            }
        }),
    );
    w.text_el(
        admit_all.clone(),
        Box::new(move || {
            let n = waiting.with(Vec::len);
            format!("{} ({n})", MeetingText::AdmitAll.text(lang.get()))
        }),
    );
    w.present(
        w.part(".roster-tools"),
        vec![admit_all.into()],
        Vec::new(),
        Box::new(move || host() && !waiting.with(Vec::is_empty)),
    );
    // No one at all, or no one the search finds: absent otherwise.
    let list = w.el("meeting-participants");
    let (section, none) = (w.part(".meeting-participants"), w.el("meeting-roster-none"));
    w.present(
        section.clone(),
        vec![w.part(".meeting-participants > p.empty").into()],
        vec![none.clone().into(), list.clone().into()],
        Box::new(move || total() == 0),
    );
    w.present(
        section,
        vec![none.into()],
        vec![list.clone().into()],
        Box::new(move || total() != 0 && shown_rows() == 0),
    );

    // One listener for every row's menu button.
    w.on("meeting-participants", "click", move |ev| {
        if let Some(uuid) = menu_clicked(&ev) {
            open.update(|o| match o.iter().position(|u| *u == uuid) {
                Some(i) => {
                    o.remove(i);
                }
                None => o.push(uuid),
            });
        }
    });
    // One clock for every row's time in the meeting: once a second it
    // rewrites the shown times in place, rather than a thousand rows each
    // following a clock signal (each tick would wake every one of them).
    let ticked = list.clone();
    let timer = set_interval_with_handle(
        move || tick_times(&ticked),
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });
    // The rows, put in the list by hand (see [`Placed`]).
    // Kept by the markup, so its menus go with it (see `Wired::keep`).
    let kept = Rc::new(RefCell::new(
        Owner::current().map(|owner| Placed::new(list, owner)),
    ));
    w.keep(kept.clone());
    let placed = Rc::downgrade(&kept);
    w.effect(Box::new(move || {
        let Some(placed) = placed.upgrade() else {
            return;
        };
        items.with(|items| {
            if let Some(placed) = placed.borrow_mut().as_mut() {
                placed.show(items);
            }
        })
    }));
}

/// Rewrites each row's time in the meeting (`data-since`, Unix seconds).
fn tick_times(list: &web_sys::Element) {
    let Ok(times) = list.query_selector_all(".since[data-since]") else {
        return;
    };
    let now = wall_clock_secs();
    for i in 0..times.length() {
        let Some(el) = times
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        if let Some(since) = el.get_attribute("data-since").and_then(|s| s.parse().ok()) {
            el.set_text_content(Some(&time_in_meeting(now, since)));
        }
    }
}

/// `Date.now()` in seconds: one call into the browser where `time::now_ms`
/// makes three, and a burst builds a thousand rows.
fn wall_clock_secs() -> u64 {
    (js_sys::Date::now() / 1_000.0) as u64
}

fn time_in_meeting(now_secs: u64, since_secs: u64) -> String {
    duration_text(now_secs.saturating_sub(since_secs) * 1_000)
}

/// The list's items as they are in the DOM, in order, each with its
/// element. [`Placed::show`] keeps the elements of the items still there,
/// moves what moved, and builds the rest: the new rows as one piece of
/// HTML, the menus as markups.
struct Placed {
    list: Element,
    /// Parses a batch of new rows (inert until they are moved out of it).
    template: Option<web_sys::HtmlTemplateElement>,
    /// The list's owner: menus are built under it, for its contexts.
    owner: Owner,
    /// The element is `None` for the rows of a first burst until the next
    /// update, which looks them up by their place: the burst's rows are on
    /// screen without a thousand lookups first.
    shown: Vec<(Item, Option<Element>)>,
    menus: HashMap<String, Menu>,
}

/// A row's open host menu, a markup of its own.
struct Menu {
    view: Wired,
    /// Cleaned up when the menu closes.
    owner: Owner,
}

impl Placed {
    fn new(list: Element, owner: Owner) -> Self {
        let template = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("template").ok())
            .and_then(|t| t.dyn_into().ok());
        Self {
            list,
            template,
            owner,
            shown: Vec::new(),
            menus: HashMap::new(),
        }
    }

    /// Makes the list show `items`, in their order.
    fn show(&mut self, items: &[Item]) {
        if self.shown.iter().any(|(_, el)| el.is_none()) {
            // The list's elements are in the order of `shown`.
            if let Ok(now) = self.list.query_selector_all(":scope > *") {
                for (at, (_, el)) in (0..).zip(&mut self.shown) {
                    *el = now.item(at).and_then(|n| n.dyn_into().ok());
                }
            }
        }
        let wanted: HashMap<&Item, usize> = items.iter().zip(0..).collect();
        // What stays, in its DOM order; the rest leaves the DOM.
        let mut stay = Vec::with_capacity(self.shown.len());
        for (item, el) in std::mem::take(&mut self.shown) {
            if wanted.contains_key(&item) {
                stay.push(Some((item, el)));
                continue;
            }
            if let Some(el) = el {
                el.remove();
            }
            if let Item::Menu(uuid) = &item {
                self.close_menu(uuid);
            }
        }
        // Where each item that stays is in `stay` (keyed by its equal in
        // `items`: `stay` changes below).
        let at: HashMap<&Item, usize> = (0..)
            .zip(&stay)
            .filter_map(|(i, s)| {
                let (item, _) = s.as_ref()?;
                wanted.get_key_value(item).map(|(&k, _)| (k, i))
            })
            .collect();
        let new_rows: Vec<&Row> = items
            .iter()
            .filter_map(|i| match i {
                Item::Row(row) if !at.contains_key(i) => Some(row),
                _ => None,
            })
            .collect();
        if stay.is_empty() && items.iter().all(|i| matches!(i, Item::Row(_))) {
            // All new (the first burst): parsed in place, in one go.
            let html = rows_html(&new_rows);
            let _ = self.list.insert_adjacent_html("beforeend", &html);
            self.shown = items.iter().map(|i| (i.clone(), None)).collect();
            return;
        }
        let mut fresh = self.parse_rows(&new_rows).into_iter();
        // The DOM holds what is placed so far, then what is left in `stay`
        // from `next` on (an item moved up is taken out of it).
        let mut next = 0;
        for item in items {
            while next < stay.len() && stay[next].is_none() {
                next += 1;
            }
            if stay[next..]
                .first()
                .is_some_and(|s| s.as_ref().is_some_and(|(i, _)| i == item))
            {
                self.shown.extend(stay[next].take());
                next += 1;
                continue;
            }
            let el = match (at.get(item), item) {
                (Some(&i), _) => stay[i].take().and_then(|(_, el)| el),
                (None, Item::Row(_)) => fresh.next(),
                (None, Item::Menu(uuid)) => self.open_menu(uuid),
            };
            let Some(el) = el else { continue };
            let before = stay[next..]
                .first()
                .and_then(|s| s.as_ref())
                .and_then(|(_, e)| e.as_ref())
                .map(|e| -> &web_sys::Node { e });
            let _ = self.list.insert_before(&el, before);
            self.shown.push((item.clone(), Some(el)));
        }
    }

    /// The rows' elements, built from one piece of HTML and left in the
    /// template, in order.
    fn parse_rows(&self, rows: &[&Row]) -> Vec<Element> {
        let html = rows_html(rows);
        let Some(t) = self.template.as_ref().filter(|_| !html.is_empty()) else {
            return Vec::new();
        };
        t.set_inner_html(&html);
        let parsed = t.content().children();
        (0..parsed.length())
            .filter_map(|i| parsed.item(i))
            .collect()
    }

    fn open_menu(&mut self, uuid: &str) -> Option<Element> {
        let owner = self.owner.child();
        // Built while the list's effect runs: what the menu reads is its own.
        let view = untrack(|| owner.with(|| row_menu(uuid.to_owned()).build()));
        let el = Some(view.root().clone());
        self.menus.insert(uuid.to_owned(), Menu { view, owner });
        el
    }

    fn close_menu(&mut self, uuid: &str) {
        if let Some(menu) = self.menus.remove(uuid) {
            menu.view.root().remove();
            menu.owner.cleanup();
        }
    }
}

/// The rows as one piece of HTML.
fn rows_html(rows: &[&Row]) -> String {
    // About what a row takes, so a burst's string is not copied as it grows.
    let mut html = String::with_capacity(rows.len() * 640);
    // One clock read for the batch, not one a row.
    let now = wall_clock_secs();
    for row in rows {
        row_html(&mut html, row, now);
    }
    html
}

/// One version of a row as HTML, all static; its time in the meeting is
/// kept by [`tick_times`]: name, role, service, state chips, the menu
/// button, and the details line. What the server sent (names, addresses,
/// the uuid) is escaped. `now`: the wall clock, Unix seconds.
fn row_html(h: &mut String, row: &Row, now: u64) {
    let Row {
        p,
        speaking,
        me,
        host_tools,
        open,
        lang,
    } = row;
    let t = |k: MeetingText| k.text(*lang);
    let attr = |h: &mut String, name: &str, value: &str| {
        h.push(' ');
        h.push_str(name);
        h.push_str("=\"");
        escape_into(h, value);
        h.push('"');
    };
    h.push_str("<li id=\"");
    h.push_str(ROW_ID);
    escape_into(h, &p.uuid);
    h.push('"');
    attr(
        h,
        "class",
        if *speaking {
            "participant speaking"
        } else {
            "participant"
        },
    );
    let host = p.role == Some(Role::Host);
    attr(h, "data-role", if host { "chair" } else { "guest" });
    attr(h, "data-muted", flag(p.is_muted == Some(true)));
    attr(h, "data-speaking", flag(*speaking));
    attr(h, "data-presenting", flag(p.is_presenting == Some(true)));
    attr(h, "data-spotlight", flag(p.spotlight.unwrap_or(0) > 0));
    attr(h, "data-rx", if rx_denied(p) { "deny" } else { "allow" });
    attr(
        h,
        "data-service",
        p.service_type
            .as_ref()
            .map_or("conference", ServiceType::as_str),
    );
    h.push('>');
    let span = |h: &mut String, class: &str, text: &str| {
        h.push_str("<span class=\"");
        h.push_str(class);
        h.push_str("\">");
        escape_into(h, text);
        h.push_str("</span>");
    };
    h.push_str("<span class=\"name\">");
    escape_into(h, roster::shown_name(p));
    if *me {
        escape_into(h, t(MeetingText::Me));
    }
    h.push_str("</span> ");
    span(
        h,
        "role",
        t(if host {
            MeetingText::RoleHost
        } else {
            MeetingText::RoleGuest
        }),
    );
    let chips = [
        service_word(p.service_type.as_ref()).map(|w| ("service", w)),
        (p.is_muted == Some(true)).then_some(("muted", MeetingText::Muted)),
        speaking.then_some(("speaking", MeetingText::Speaking)),
        (p.is_presenting == Some(true)).then_some(("presenting", MeetingText::PresentingNow)),
        (p.spotlight.unwrap_or(0) > 0).then_some(("spotlit", MeetingText::Spotlit)),
    ];
    for (class, text) in chips.into_iter().flatten() {
        h.push(' ');
        span(h, class, t(text));
    }
    if *host_tools && !me {
        // Its uuid is the row's (see `menu_clicked`).
        h.push_str(" <button class=\"small menu\" type=\"button\" id=\"");
        h.push_str(ROW_ID);
        escape_into(h, &p.uuid);
        h.push_str("-menu\"");
        attr(h, "aria-expanded", flag(*open));
        h.push('>');
        escape_into(h, t(MeetingText::Actions));
        h.push_str("</button>");
    }
    h.push_str("<small class=\"meta\">");
    for (i, detail) in details(*lang, p).enumerate() {
        if i > 0 {
            h.push_str(" · ");
        }
        escape_into(h, detail);
    }
    if let Some(since) = p.start_time.filter(|&t| t > 0) {
        h.push_str(" · <span class=\"since\" data-since=\"");
        let _ = write!(h, "{since}");
        h.push('"');
        attr(h, "title", t(MeetingText::TimeInMeeting));
        h.push('>');
        h.push_str(&time_in_meeting(now, since));
        h.push_str("</span>");
    }
    h.push_str("</small></li>");
}

/// Appends `text` to the HTML `out`, safe as content and inside a quoted
/// attribute.
pub fn escape_into(out: &mut String, text: &str) {
    // Copied a run at a time: most text has nothing to escape.
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..at]);
        out.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// A participant's service in words, when it is not simply in the conference.
fn service_word(service: Option<&ServiceType>) -> Option<MeetingText> {
    match service? {
        ServiceType::Connecting => Some(MeetingText::Connecting),
        ServiceType::WaitingRoom => Some(MeetingText::WaitingRoom),
        ServiceType::Ivr => Some(MeetingText::Ivr),
        ServiceType::Gateway => Some(MeetingText::Gateway),
        ServiceType::Conference | ServiceType::Other(_) => None,
    }
}

/// The row's second line: protocol, direction, encryption, audio only,
/// presentation blocked (the blank ones left out).
fn details(lang: Lang, p: &Participant) -> impl Iterator<Item = &str> {
    let t = |k: MeetingText| k.text(lang);
    let direction = p.call_direction.as_deref().map(|d| match d.trim() {
        "in" => t(MeetingText::DirectionIn),
        "out" => t(MeetingText::DirectionOut),
        other => other,
    });
    let encryption = p.encryption.as_deref().map(|e| {
        let on = e.trim().eq_ignore_ascii_case("on");
        t(if on {
            MeetingText::Encrypted
        } else {
            MeetingText::Unencrypted
        })
    });
    let audio_only = (p.is_audio_only_call == Some(true)).then(|| t(MeetingText::AudioOnly));
    let denied = rx_denied(p).then(|| t(MeetingText::RxDenied));
    [
        p.protocol.as_deref(),
        direction,
        encryption,
        audio_only,
        denied,
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
}

fn rx_denied(p: &Participant) -> bool {
    p.rx_presentation_policy
        .as_deref()
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("deny"))
}
