//! Choosing the terminals of a group call: the configured directory with a
//! search by name or id, ids typed in that the directory lacks, select all
//! (shown) or none, and saved groups that start a call in one click.

use super::text::PttText;
use crate::i18n::use_i18n;
use crate::io::groups::SavedGroups;
use crate::io::voice::VoiceLink;
use crate::ui::active::use_active;
use crate::ui::call::parse_id;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::voice::groups::{matches, SavedGroup};
use proto::voice::TerminalId;

#[component]
pub fn Directory(picked: RwSignal<Vec<TerminalId>>) -> impl IntoView {
    let i18n = use_i18n();
    let terminals = StoredValue::new(use_active().config.terminals);
    let query = RwSignal::new(String::new());
    // Ids typed in that the directory does not have, shown after it.
    let extra = RwSignal::new(Vec::<TerminalId>::new());
    let typed = RwSignal::new(String::new());
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
    let row = move |(id, name): (TerminalId, Option<String>)| {
        let label = match name {
            Some(name) => format!("{name} · {id}"),
            None => format!("{id} · {}", i18n.t(PttText::NotInDirectory)),
        };
        view! {
            <li>
                <label>
                    <input type="checkbox" id=format!("ptt-pick-{id}")
                        prop:checked=move || picked.with(|p| p.contains(&id))
                        on:change=move |ev| pick(id, event_target_checked(&ev)) />
                    " "{label}
                </label>
            </li>
        }
    };
    let all = move |_| {
        for (id, _) in untrack(shown) {
            pick(id, true);
        }
    };
    let add_typed = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Some(id) = parse_id(&typed.get_untracked()) else {
            bad_id.set(true);
            return;
        };
        bad_id.set(false);
        typed.set(String::new());
        if name_of(id).is_none() && !extra.with_untracked(|e| e.contains(&id)) {
            extra.update(|e| e.push(id));
        }
        pick(id, true);
    };

    view! {
        <p>{i18n.tr(PttText::Pick)}</p>
        <p class="directory-tools">
            <input id="ptt-search" type="search" autocomplete="off"
                aria-label=i18n.tr(PttText::Search) placeholder=i18n.tr(PttText::Search)
                prop:value=query on:input=move |ev| query.set(event_target_value(&ev)) />
            " "
            <button id="ptt-all" type="button" class="small" on:click=all>{i18n.tr(PttText::SelectAll)}</button>
            " "
            <button id="ptt-none" type="button" class="small" on:click=move |_| picked.set(Vec::new())>
                {i18n.tr(PttText::SelectNone)}
            </button>
        </p>
        <ul id="ptt-picker" class="terminals">
            {move || {
                let rows = shown();
                if rows.is_empty() {
                    view! { <li class="note">{i18n.t(PttText::NoMatch)}</li> }.into_any()
                } else {
                    rows.into_iter().map(row).collect_view().into_any()
                }
            }}
        </ul>
        <form id="ptt-add-id" class="login" on:submit=add_typed>
            <label>
                {i18n.tr(PttText::TypeId)}
                <input id="ptt-id" inputmode="numeric" autocomplete="off"
                    aria-invalid=move || bad_id.get().to_string()
                    prop:value=typed on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            <button id="ptt-id-add" type="submit" class="small">{i18n.tr(PttText::AddId)}</button>
        </form>
        <p id="ptt-id-error" class="error" role="alert">
            {move || bad_id.get().then(|| i18n.t(PttText::BadId))}
        </p>
        <SavedGroupList picked=picked />
    }
}

/// The saved groups: save the chosen terminals under a name; one click on a
/// group starts a call with its terminals.
#[component]
fn SavedGroupList(picked: RwSignal<Vec<TerminalId>>) -> impl IntoView {
    let i18n = use_i18n();
    let voice = expect_context::<VoiceLink>();
    let store = SavedGroups::load();
    let name = RwSignal::new(String::new());
    let refused = RwSignal::new(false);
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let saved = store.save(&name.get_untracked(), &picked.get_untracked());
        refused.set(!saved);
        if saved {
            name.set(String::new());
        }
    };
    let group_row = move |(i, g): (usize, SavedGroup)| {
        let SavedGroup { name, ids } = g;
        let label = format!("{name} ({})", ids.len());
        let title = ids
            .iter()
            .map(TerminalId::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <li>
                <button id=format!("ptt-group-{i}") type="button" class="small" title=title
                    on:click=move |_| voice.start_call(ids.clone())>
                    {i18n.t(PttText::CallGroup)}" "{label}
                </button>
                " "
                <button id=format!("ptt-group-delete-{i}") type="button" class="small"
                    on:click=move |_| store.remove(&name)>{i18n.t(PttText::DeleteGroup)}</button>
            </li>
        }
    };
    view! {
        <h4>{i18n.tr(PttText::SavedGroups)}</h4>
        <ul id="ptt-groups" class="groups">
            {move || store.list().get().into_iter().enumerate().map(group_row).collect_view()}
        </ul>
        <form id="ptt-group-form" class="login" on:submit=save>
            <label>
                {i18n.tr(PttText::GroupName)}
                <input id="ptt-group-name" autocomplete="off" prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev)) />
            </label>
            <button id="ptt-group-save" type="submit" class="small">{i18n.tr(PttText::SaveGroup)}</button>
        </form>
        <p id="ptt-group-error" class="error" role="alert">
            {move || refused.get().then(|| i18n.t(PttText::GroupNeeds))}
        </p>
    }
}
