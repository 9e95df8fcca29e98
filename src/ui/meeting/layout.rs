//! override_layout, opened on demand: for whom (hosts, guests or both),
//! which layout, which participants in which order (picked from the
//! roster), voice-activity backfill, plus-n and the overlay text.

use super::command_button;
use crate::i18n::Lang;
use crate::io::meeting::Meeting;
use crate::reactive::{Memo, RwSignal};
use crate::ui::keyed::keyed_list;
use crate::ui::markup::{markup, value_of, Markup, Wired};
use proto::meeting::roster::shown_name;
use proto::meeting::{Audience, Command, LayoutOverride, OverrideLayout};
use wasm_bindgen::JsCast;

fn audiences(which: &str) -> Vec<Audience> {
    match which {
        "hosts" => vec![Audience::Hosts],
        "guests" => vec![Audience::Guests],
        _ => vec![Audience::Hosts, Audience::Guests],
    }
}

fn checked(el: &web_sys::Element) -> bool {
    el.dyn_ref::<web_sys::HtmlInputElement>()
        .is_some_and(|i| i.checked())
}

/// Wires the layout button and its form (hidden until opened; what was
/// chosen stays while it is closed).
pub fn wire(w: &Wired, meeting: Meeting, lang: RwSignal<Lang>) {
    let state = super::shown();
    let open = RwSignal::new(false);
    // Picked in order: the first shown first.
    let actors = RwSignal::new(Vec::<String>::new());
    if !meeting.supports(&Command::OverrideLayout(OverrideLayout {
        layouts: Vec::new(),
    })) {
        command_button::disable(w, lang, &w.el("meeting-layout-open"));
    }
    w.attr("meeting-layout-open", "aria-expanded", move || {
        Some(open.get().to_string())
    });
    w.on("meeting-layout-open", "click", move |_| {
        open.update(|o| *o = !*o)
    });
    w.hidden("meeting-layout-form", move || !open.get());
    let (root, vad) = (w.root().clone(), w.el("meeting-layout-vad"));
    w.on("meeting-layout-form", "submit", move |ev| {
        ev.prevent_default();
        let read = |id: &str| value_of(&root, id);
        let (layout, plus_n) = (read("meeting-layout-kind"), read("meeting-layout-plus-n"));
        let text = read("meeting-layout-overlay").trim().to_owned();
        let overlay = if text.is_empty() { "auto".into() } else { text };
        let layouts = audiences(&read("meeting-layout-audience"))
            .into_iter()
            .map(|who| {
                let mut l = LayoutOverride::new(who, layout.clone(), actors.get_untracked());
                l.vad_backfill = checked(&vad);
                l.plus_n = plus_n.clone();
                l.actors_overlay_text = overlay.clone();
                l
            })
            .collect();
        meeting.command(Command::OverrideLayout(OverrideLayout { layouts }));
    });
    // Whom to pick from: the roster's uuids and names, while the form is open.
    let everyone = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        state.with(|v| {
            v.conference
                .participants
                .iter()
                .map(|p| (p.uuid.clone(), shown_name(p).to_owned()))
                .collect::<Vec<_>>()
        })
    });
    let uuids = move || everyone.with(|e| e.iter().map(|(uuid, _)| uuid.clone()).collect());
    keyed_list(w, &w.el("meeting-layout-actors"), uuids, move |uuid| {
        Some(actor(uuid, everyone, actors))
    });
}

/// One participant to tick, its place in the order after its name.
fn actor(
    uuid: String,
    everyone: Memo<Vec<(String, String)>>,
    actors: RwSignal<Vec<String>>,
) -> Markup {
    markup(ACTOR, &[], move |w: &Wired| {
        let input = w.part("input");
        input.set_id(&format!("meeting-layout-actor-{uuid}"));
        let shown = input.clone();
        let id = uuid.clone();
        w.effect(Box::new(move || {
            let on = actors.with(|a| a.contains(&id));
            if let Some(input) = shown.dyn_ref::<web_sys::HtmlInputElement>() {
                input.set_checked(on);
            }
        }));
        // The text after the box: name, then " #2" once picked.
        let text = w.root().last_child();
        let id = uuid.clone();
        w.effect(Box::new(move || {
            let name = everyone.with(|e| {
                let found = e.iter().find(|(u, _)| *u == id);
                found.map(|(_, name)| name.clone()).unwrap_or_default()
            });
            let place = actors.with(|a| a.iter().position(|u| *u == id));
            let place = place.map(|i| format!(" #{}", i + 1)).unwrap_or_default();
            if let Some(text) = &text {
                text.set_text_content(Some(&format!("{name}{place}")));
            }
        }));
        w.on_el(
            input,
            "change",
            Box::new(move |_| {
                actors.update(|a| match a.iter().position(|u| *u == uuid) {
                    Some(i) => {
                        a.remove(i);
                    }
                    None => a.push(uuid.clone()),
                })
            }),
        );
    })
}

/// A participant's box; the text after it is its name.
const ACTOR: &str = r#"<label class="check"><input type="checkbox"> </label>"#;
