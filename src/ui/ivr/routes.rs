//! The key-to-extension-group routing (`userid`), built row by row: a key
//! chosen from the telephone keys, the extension group typed, rows added and
//! removed. Rows are keyed by a number of their own so typing in one never
//! rebuilds another.

use super::check::IvrField;
use super::text::IvrText;
use super::IvrState;
use crate::reactive::{Memo, RwSignal, StoredValue};
use crate::ui::keyed::keyed_list;
use crate::ui::markup::{markup, value_of, Markup, Wired};

/// The telephone keys, in the order a new row takes the first unused one.
const KEYS: [&str; 12] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#"];

/// One row of the routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteRow {
    pub id: u32,
    pub key: RwSignal<String>,
    pub group: RwSignal<String>,
}

/// Wires the routing of the form's markup: the rows in `#ivr-routes-list`,
/// the button that adds one.
pub fn wire(w: &Wired, rows: RwSignal<Vec<RouteRow>>, state: IvrState) {
    let next_id = StoredValue::new(0u32);
    w.on("ivr-route-add", "click", move |_| {
        let id = next_id.get_value() + 1;
        next_id.set_value(id);
        let used: Vec<String> =
            rows.with_untracked(|r| r.iter().map(|r| r.key.get_untracked()).collect());
        let key = KEYS
            .iter()
            .find(|k| !used.iter().any(|u| u == *k))
            .unwrap_or(&KEYS[0]);
        rows.update(|r| {
            r.push(RouteRow {
                id,
                key: RwSignal::new((*key).to_owned()),
                group: RwSignal::new(String::new()),
            })
        });
    });
    keyed_list(
        w,
        &w.el("ivr-routes-list"),
        move || rows.with(|r| r.iter().map(|x| u64::from(x.id)).collect()),
        move |id| route_row(rows, state, id),
    );
}

/// The row numbered `id`: its ids are numbered too, set once it is cloned.
fn route_row(rows: RwSignal<Vec<RouteRow>>, state: IvrState, id: u64) -> Option<Markup> {
    let row = rows.with_untracked(|r| r.iter().find(|x| u64::from(x.id) == id).copied())?;
    let id = row.id;
    let wrong = Memo::new(move |_| {
        let at = rows.with(|r| r.iter().position(|x| x.id == id));
        state
            .field_error
            .with(|f| matches!((f, at), (Some(IvrField::Route(i)), Some(at)) if *i == at))
    });
    Some(markup(ROW, &[IvrText::named], move |w: &Wired| {
        let root = w.root();
        let _ = root.set_attribute("data-route", &id.to_string());
        let name = |tag: &str, prefix: &str| {
            let named = format!("{prefix}{id}");
            if let Ok(Some(el)) = root.query_selector(tag) {
                el.set_id(&named);
            }
            named
        };
        let key = name("select", "ivr-route-key-");
        let group = name("input", "ivr-route-group-");
        let remove = name("button", "ivr-route-remove-");
        // Each set by its own control alone: shown once, read as changed.
        w.set_value(&key, &row.key.get_untracked());
        w.set_value(&group, &row.group.get_untracked());
        for field in [&key, &group] {
            w.attr(field, "aria-invalid", move || Some(wrong.get().to_string()));
        }
        let form = root.clone();
        let key_id = key.clone();
        w.on(&key, "change", move |_| {
            row.key.set(value_of(&form, &key_id))
        });
        let form = root.clone();
        let group_id = group.clone();
        w.on(&group, "input", move |_| {
            row.group.set(value_of(&form, &group_id))
        });
        w.on(&remove, "click", move |_| {
            rows.update(|r| r.retain(|x| x.id != id))
        });
    }))
}

/// One row of the routing, its ids set when it is built.
const ROW: &str = r##"<li class="ivr-route"><label><span data-t="RouteKey"></span> <select><option value="1">1</option><option value="2">2</option><option value="3">3</option><option value="4">4</option><option value="5">5</option><option value="6">6</option><option value="7">7</option><option value="8">8</option><option value="9">9</option><option value="0">0</option><option value="*">*</option><option value="#">#</option></select></label> <label><span data-t="RouteGroup"></span> <input autocomplete="off" placeholder="extGroup-1"></label> <button class="small" type="button" data-t="RouteRemove"></button></li>"##;
