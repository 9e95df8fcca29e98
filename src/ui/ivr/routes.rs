//! The key-to-extension-group routing (`userid`), built row by row: a key
//! chosen from the telephone keys, the extension group typed, rows added and
//! removed. Rows are keyed by a number of their own so typing in one never
//! rebuilds another.

use super::check::IvrField;
use super::text::IvrText;
use super::IvrState;
use crate::i18n::use_i18n;
use crate::ui::keyed::keyed_list;
use leptos::prelude::*;

/// The telephone keys, in the order a new row takes the first unused one.
const KEYS: [&str; 12] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "*", "#"];

/// One row of the routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteRow {
    pub id: u32,
    pub key: RwSignal<String>,
    pub group: RwSignal<String>,
}

#[component]
pub fn KeyRouteRows(rows: RwSignal<Vec<RouteRow>>) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<IvrState>();
    let next_id = StoredValue::new(0u32);
    let add = move |_| {
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
    };
    let row = move |id: u64| {
        let Some(row) = rows.with_untracked(|r| r.iter().find(|x| u64::from(x.id) == id).copied())
        else {
            return ().into_any();
        };
        let id = row.id;
        let wrong = Memo::new(move |_| {
            let at = rows.with(|r| r.iter().position(|x| x.id == id));
            state
                .field_error
                .with(|f| matches!((f, at), (Some(IvrField::Route(i)), Some(at)) if *i == at))
        });
        view! {
            <li class="ivr-route" data-route=id>
                <label>
                    {i18n.tr(IvrText::RouteKey)}" "
                    <select id=format!("ivr-route-key-{id}") aria-invalid=move || wrong.get().to_string()
                        on:change=move |ev| row.key.set(event_target_value(&ev))>
                        {KEYS.iter().map(|k| view! {
                            <option value=*k selected=move || row.key.with(|v| v == k)>{*k}</option>
                        }).collect_view()}
                    </select>
                </label>" "
                <label>
                    {i18n.tr(IvrText::RouteGroup)}" "
                    <input id=format!("ivr-route-group-{id}") autocomplete="off" placeholder="extGroup-1"
                        aria-invalid=move || wrong.get().to_string()
                        prop:value=row.group on:input=move |ev| row.group.set(event_target_value(&ev)) />
                </label>" "
                <button id=format!("ivr-route-remove-{id}") class="small" type="button"
                    on:click=move |_| rows.update(|r| r.retain(|x| x.id != id))>
                    {i18n.tr(IvrText::RouteRemove)}
                </button>
            </li>
        }
        .into_any()
    };
    view! {
        <fieldset id="ivr-routes" class="ivr-routes">
            <legend>{i18n.tr(IvrText::Routes)}</legend>
            <ol>
                {keyed_list(move || rows.with(|r| r.iter().map(|x| u64::from(x.id)).collect()), row)}
            </ol>
            <button id="ivr-route-add" class="small" type="button" on:click=add>
                {i18n.tr(IvrText::RouteAdd)}
            </button>
        </fieldset>
    }
}
