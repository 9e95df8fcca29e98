//! Choosing the terminals of a group call: the configured directory with a
//! search by name or id, ids typed in that the directory lacks, select all
//! (shown) or none, and saved groups that start a call in one click.

use super::text::PttText;
use crate::i18n::use_i18n;
use crate::io::groups::SavedGroups;
use crate::io::voice::VoiceLink;
use crate::reactive::{ReadSignal, RwSignal, StoredValue};
use crate::ui::active::use_active;
use crate::ui::call::parse_id;
use crate::ui::keyed::keyed_list;
use crate::ui::markup::{markup, Markup, Wired};
use leptos::prelude::*;
use proto::voice::groups::{matches, SavedGroup};
use proto::voice::TerminalId;
use wasm_bindgen::JsCast;

/// The directory's fixed part, in the group call's markup; its rows are
/// mounted into `#ptt-picker` and `#ptt-groups`.
macro_rules! directory_html {
    () => {
        r#"<p data-t="Pick"></p><p class="directory-tools"><input id="ptt-search" type="search" autocomplete="off" data-t-aria-label="Search" data-t-placeholder="Search"> <button id="ptt-all" type="button" class="small" data-t="SelectAll"></button> <button id="ptt-none" type="button" class="small" data-t="SelectNone"></button></p><ul id="ptt-picker" class="terminals"><li class="note" data-t="NoMatch"></li></ul><form id="ptt-add-id" class="login"><label><span data-t="TypeId"></span><input id="ptt-id" inputmode="numeric" autocomplete="off"></label><button id="ptt-id-add" type="submit" class="small" data-t="AddId"></button></form><p id="ptt-id-error" class="error" role="alert"></p><h4 data-t="SavedGroups"></h4><ul id="ptt-groups" class="groups"></ul><form id="ptt-group-form" class="login"><label><span data-t="GroupName"></span><input id="ptt-group-name" autocomplete="off"></label><button id="ptt-group-save" type="submit" class="small" data-t="SaveGroup"></button></form><p id="ptt-group-error" class="error" role="alert"></p>"#
    };
}
pub(super) use directory_html;

/// The input `id` of the markup, to read and to clear.
fn input(w: &Wired, id: &str) -> web_sys::HtmlInputElement {
    w.el(id).unchecked_into()
}

/// The directory's state, set up with the panel; the returned wiring is run
/// on its markup.
pub(super) fn directory(picked: RwSignal<Vec<TerminalId>>) -> impl FnOnce(&Wired) + Send {
    let i18n = use_i18n();
    let terminals = StoredValue::new(use_active().config.terminals);
    let query = RwSignal::new(String::new());
    // Ids typed in that the directory does not have, shown after it.
    let extra = RwSignal::new(Vec::<TerminalId>::new());
    let bad_id = RwSignal::new(false);

    let name_of = move |id: TerminalId| {
        terminals.with_value(|ts| ts.iter().find(|t| t.id == id).map(|t| t.name.clone()))
    };
    // The (id, name) pairs the search shows; `None` names a typed-in id.
    let shown = move || {
        let q = query.get();
        let mut rows: Vec<(TerminalId, Option<String>)> = terminals.with_value(|ts| {
            ts.iter()
                .filter(|t| matches(&q, t.id, &t.name))
                .map(|t| (t.id, Some(t.name.clone())))
                .collect()
        });
        rows.extend(
            extra
                .get()
                .into_iter()
                .filter(|id| matches(&q, *id, ""))
                .map(|id| (id, None)),
        );
        rows
    };
    let pick = move |id: TerminalId, on: bool| {
        picked.update(|p| {
            p.retain(|x| *x != id);
            if on {
                p.push(id);
            }
        });
    };
    let ids = move || shown().into_iter().map(|(id, _)| id).collect::<Vec<_>>();
    let row = move |id: TerminalId| Some(pick_row(id, name_of(id), picked, pick));
    let groups = saved_groups(picked);

    move |w: &Wired| {
        let search = input(w, "ptt-search");
        w.on("ptt-search", "input", move |_| query.set(search.value()));
        w.on("ptt-all", "click", move |_| {
            for (id, _) in untrack(shown) {
                pick(id, true);
            }
        });
        w.on("ptt-none", "click", move |_| picked.set(Vec::new()));
        let picker = w.el("ptt-picker");
        let none = w.part("#ptt-picker > .note");
        keyed_list(w, &picker, ids, row);
        w.present(
            picker,
            vec![none.into()],
            Vec::new(),
            Box::new(move || shown().is_empty()),
        );
        let typed = input(w, "ptt-id");
        w.attr("ptt-id", "aria-invalid", move || {
            Some(bad_id.get().to_string())
        });
        w.on("ptt-add-id", "submit", move |ev| {
            ev.prevent_default();
            let Some(id) = parse_id(&typed.value()) else {
                bad_id.set(true);
                return;
            };
            bad_id.set(false);
            typed.set_value("");
            if name_of(id).is_none() && !extra.with_untracked(|e| e.contains(&id)) {
                extra.update(|e| e.push(id));
            }
            pick(id, true);
        });
        w.text("ptt-id-error", move || {
            if bad_id.get() {
                i18n.t(PttText::BadId).to_owned()
            } else {
                String::new()
            }
        });
        groups(w);
    }
}

/// A terminal of the picker, `name` from the directory (`None`: an id typed
/// in), with its box kept as `picked` has it.
fn pick_row(
    id: TerminalId,
    name: Option<String>,
    picked: RwSignal<Vec<TerminalId>>,
    pick: impl Fn(TerminalId, bool) + Copy + Send + 'static,
) -> Markup {
    let i18n = use_i18n();
    markup(PICK, &[], move |w: &Wired| {
        let box_: web_sys::HtmlInputElement = w.part("input").unchecked_into();
        box_.set_id(&format!("ptt-pick-{id}"));
        let shown = box_.clone();
        w.effect(Box::new(move || {
            shown.set_checked(picked.with(|p| p.contains(&id)))
        }));
        let read = box_.clone();
        w.on_el(
            box_.clone().into(),
            "change",
            Box::new(move |_| pick(id, read.checked())),
        );
        if let Some(label) = box_.next_sibling() {
            w.effect(Box::new(move || {
                let text = match &name {
                    Some(name) => format!(" {name} · {id}"),
                    None => format!(" {id} · {}", i18n.t(PttText::NotInDirectory)),
                };
                label.set_text_content(Some(&text));
            }));
        }
    })
}

/// A terminal of the picker; its id and label are set when it is built.
const PICK: &str = r#"<li><label><input type="checkbox"> </label></li>"#;

/// The saved groups: save the chosen terminals under a name; one click on a
/// group starts a call with its terminals.
fn saved_groups(picked: RwSignal<Vec<TerminalId>>) -> impl FnOnce(&Wired) + Send {
    let i18n = use_i18n();
    let voice = crate::reactive::expect_context::<VoiceLink>();
    let store = SavedGroups::load();
    let refused = RwSignal::new(false);
    let list = store.list();
    let ids = move || (0..list.with(Vec::len) as u64).collect::<Vec<u64>>();
    let row = move |i: u64| Some(group_row(i as usize, list, voice, store));
    move |w: &Wired| {
        keyed_list(w, &w.el("ptt-groups"), ids, row);
        let name = input(w, "ptt-group-name");
        w.on("ptt-group-form", "submit", move |ev| {
            ev.prevent_default();
            let saved = store.save(&name.value(), &picked.get_untracked());
            refused.set(!saved);
            if saved {
                name.set_value("");
            }
        });
        w.text("ptt-group-error", move || {
            if refused.get() {
                i18n.t(PttText::GroupNeeds).to_owned()
            } else {
                String::new()
            }
        });
    }
}

/// Saved group `i` of `list`: a button that calls its terminals (named in
/// its title), one that deletes it. Keyed by place, so it reads the group
/// in that place as the list now has it.
fn group_row(
    i: usize,
    list: ReadSignal<Vec<SavedGroup>>,
    voice: VoiceLink,
    store: SavedGroups,
) -> Markup {
    let group = move || list.with(|l| l.get(i).cloned());
    markup(GROUP, &[PttText::named], move |w: &Wired| {
        let call = w.part("button");
        call.set_id(&format!("ptt-group-{i}"));
        w.attr_el(
            call.clone(),
            "title",
            Box::new(move || {
                group().map(|g| {
                    g.ids
                        .iter()
                        .map(TerminalId::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
            }),
        );
        if let Some(label) = w.part("button > span").next_sibling() {
            w.effect(Box::new(move || {
                let text = group()
                    .map(|g| format!(" {} ({})", g.name, g.ids.len()))
                    .unwrap_or_default();
                label.set_text_content(Some(&text));
            }));
        }
        w.on_el(
            call,
            "click",
            Box::new(move |_| {
                if let Some(g) = untrack(group) {
                    voice.start_call(g.ids)
                }
            }),
        );
        let delete = w.part("[data-t=DeleteGroup]");
        delete.set_id(&format!("ptt-group-delete-{i}"));
        w.on_el(
            delete,
            "click",
            Box::new(move |_| {
                if let Some(g) = untrack(group) {
                    store.remove(&g.name)
                }
            }),
        );
    })
}

/// A saved group; its ids, title and label are set when it is built.
const GROUP: &str = r#"<li><button type="button" class="small"><span data-t="CallGroup"></span> </button> <button type="button" class="small" data-t="DeleteGroup"></button></li>"#;
