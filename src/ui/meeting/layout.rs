//! override_layout, opened on demand: for whom (hosts, guests or both),
//! which layout, which participants in which order (picked from the
//! roster), voice-activity backfill, plus-n and the overlay text.

use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use crate::ui::show::cond;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::meeting::roster::shown_name;
use proto::meeting::{Audience, Command, LayoutOverride, OverrideLayout};

/// The layouts the document lists.
const LAYOUTS: [&str; 5] = ["1:0", "4:0", "1:7", "1:21", "2:21"];

fn audiences(which: &str) -> Vec<Audience> {
    match which {
        "hosts" => vec![Audience::Hosts],
        "guests" => vec![Audience::Guests],
        _ => vec![Audience::Hosts, Audience::Guests],
    }
}

#[component]
pub fn LayoutForm() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = super::shown();
    let supported = meeting.supports(&Command::OverrideLayout(OverrideLayout {
        layouts: Vec::new(),
    }));
    let open = RwSignal::new(false);
    let audience = RwSignal::new("both".to_owned());
    let layout = RwSignal::new("1:7".to_owned());
    // Picked in order: the first shown first.
    let actors = RwSignal::new(Vec::<String>::new());
    let vad = RwSignal::new(true);
    let plus_n = RwSignal::new("auto".to_owned());
    let overlay = RwSignal::new("auto".to_owned());
    let everyone = move || {
        state.with(|v| {
            v.conference
                .participants
                .iter()
                .map(|p| (p.uuid.clone(), shown_name(p).to_owned()))
                .collect::<Vec<_>>()
        })
    };
    let toggle = move |uuid: String| {
        actors.update(|a| match a.iter().position(|u| *u == uuid) {
            Some(i) => {
                a.remove(i);
            }
            None => a.push(uuid),
        })
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let layouts = audiences(&audience.get_untracked())
            .into_iter()
            .map(|who| {
                let mut l =
                    LayoutOverride::new(who, layout.get_untracked(), actors.get_untracked());
                l.vad_backfill = vad.get_untracked();
                l.plus_n = plus_n.get_untracked();
                let text = overlay.get_untracked().trim().to_owned();
                l.actors_overlay_text = if text.is_empty() { "auto".into() } else { text };
                l
            })
            .collect();
        meeting.command(Command::OverrideLayout(OverrideLayout { layouts }));
    };
    let select = move |id: &'static str,
                       label: MeetingText,
                       value: RwSignal<String>,
                       options: Vec<(String, String)>| {
        view! {
            <label>
                {i18n.tr(label)}
                <select id=id prop:value=value on:change=move |ev| value.set(event_target_value(&ev))>
                    {options.into_iter().map(|(v, text)| view! {
                        <option value=v.clone() selected=move || value.get() == v>{text}</option>
                    }).collect_view()}
                </select>
            </label>
        }
    };
    let audience_options = vec![
        (
            "both".to_owned(),
            i18n.t(MeetingText::AudienceBoth).to_owned(),
        ),
        ("hosts".to_owned(), i18n.t(MeetingText::RoleHost).to_owned()),
        (
            "guests".to_owned(),
            i18n.t(MeetingText::RoleGuest).to_owned(),
        ),
    ];
    let layout_options: Vec<(String, String)> = LAYOUTS
        .iter()
        .map(|l| (l.to_string(), l.to_string()))
        .collect();
    let plus_options: Vec<(String, String)> = ["auto", "off"]
        .iter()
        .map(|l| (l.to_string(), l.to_string()))
        .collect();
    view! {
        <p>
            <button id="meeting-layout-open" class="small" type="button" disabled=!supported
                title=(!supported).then(|| i18n.t(MeetingText::UnsupportedHint))
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {i18n.tr(MeetingText::LayoutTitle)}
            </button>
        </p>
        <Show when=cond(move || open.get())>
            <form id="meeting-layout-form" class="login" on:submit=submit>
                {select("meeting-layout-audience", MeetingText::Audience, audience, audience_options.clone())}
                {select("meeting-layout-kind", MeetingText::LayoutKind, layout, layout_options.clone())}
                <fieldset id="meeting-layout-actors">
                    <legend>{i18n.tr(MeetingText::Actors)}</legend>
                    {move || everyone().into_iter().map(|(uuid, name)| {
                        let (u, v) = (uuid.clone(), uuid.clone());
                        let place = move || actors.with(|a| a.iter().position(|x| *x == v).map(|i| format!(" #{}", i + 1)));
                        view! {
                            <label class="check">
                                <input type="checkbox" id=format!("meeting-layout-actor-{uuid}")
                                    prop:checked=move || actors.with(|a| a.contains(&uuid))
                                    on:change=move |_| toggle(u.clone()) />
                                {name}{place}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <label class="check">
                    <input id="meeting-layout-vad" type="checkbox" prop:checked=vad
                        on:change=move |ev| vad.set(event_target_checked(&ev)) />
                    {i18n.tr(MeetingText::VadBackfill)}
                </label>
                {select("meeting-layout-plus-n", MeetingText::PlusN, plus_n, plus_options.clone())}
                <label>
                    {i18n.tr(MeetingText::OverlayText)}
                    <input id="meeting-layout-overlay" size="8" prop:value=overlay
                        on:input=move |ev| overlay.set(event_target_value(&ev)) />
                </label>
                <button id="meeting-layout-apply" type="submit">{i18n.tr(MeetingText::ApplyLayout)}</button>
            </form>
        </Show>
    }
}
