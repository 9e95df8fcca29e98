//! The video meeting panel, from the host's seat: join and leave, the
//! meeting's state, the participants and what a host does to them, dialling
//! out, and messages. The shell ([`crate::io::meeting::Meeting`]) is created
//! here and shared with the panel's components through context.

mod chat;
mod command_button;
mod controls;
mod dial;
mod join;
mod layout;
mod notice;
mod participants;
mod presentation;
mod row_menu;
mod seat;
pub mod text;

use super::markup::{markup, Wired};
use crate::config::{resolve, Deployment};
use crate::i18n::{use_i18n, Key, Phrase};
use crate::io::meeting::Meeting;
use crate::io::page_origin;
use crate::time::now_ms;
use crate::ui::active::use_active;
use crate::ui::show::cond;
use leptos::prelude::*;
use proto::meeting::machine::MeetingView;

#[component]
pub fn MeetingPanel() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_active().config;
    let deployment_key = match config.deployment {
        Deployment::Public => Key::DeploymentPublic,
        Deployment::Enterprise => Key::DeploymentEnterprise,
    };
    let state = throttled(expect_context::<Meeting>().view());
    provide_context(Shown(state));
    let active = move || state.with(|v| v.link.is_active());
    // A guest's host commands would all be refused: it gets none.
    let host = move || state.with(|v| v.link.is_active() && v.is_host());
    let api_server = resolve(&config.meeting.api_server, &page_origin(), false);
    markup(HTML, &[Key::named], move |w: &Wired| {
        let deployment = w.el("meeting-deployment");
        let lang = i18n.lang;
        w.effect(Box::new(move || {
            deployment.set_text_content(Some(deployment_key.text(lang.get())))
        }));
        w.el("meeting-api").set_text_content(Some(&api_server));
        w.mount("meeting-panel", view! { <join::JoinForm /> }.into_any());
        w.mount(
            "meeting-panel",
            view! { <notice::MeetingNotice /> }.into_any(),
        );
        w.mount(
            "meeting-panel",
            view! {
                <Show when=cond(active)>
                    <seat::Seat />
                    <presentation::Presentation />
                    <Show when=cond(host)>
                        <controls::ServiceControls />
                    </Show>
                    <participants::ParticipantList />
                    <Show when=cond(host)>
                        <dial::DialForm />
                    </Show>
                    <chat::Chat />
                </Show>
            }
            .into_any(),
        );
    })
}

/// The panel's frame and facts; its parts are mounted after them.
const HTML: &str = r#"<section id="meeting-panel" class="panel" tabindex="0" aria-labelledby="meeting-panel-title"><h2 id="meeting-panel-title" data-t="PanelMeeting"></h2><dl class="facts"><dt data-t="Deployment"></dt><dd id="meeting-deployment"></dd><dt data-t="MeetingApiServer"></dt><dd id="meeting-api"></dd></dl></section>"#;

/// The meeting as the panel shows it, shared by its components.
#[derive(Clone, Copy)]
struct Shown(ReadSignal<MeetingView>);

/// The meeting as of the last burst of events (see [`throttled`]).
fn shown() -> ReadSignal<MeetingView> {
    expect_context::<Shown>().0
}

/// The view as of the last burst. A thousand participant updates are a
/// thousand events, each a new view, dispatched back to back; the panel
/// follows once they are all in (a zero timeout runs after them) rather
/// than once an event, when its components would run a thousand times
/// over. A change after a quiet moment (a sync's end, which is one new
/// view however many participants) is shown at once (this effect runs in
/// a microtask): a timeout would let the browser draw a frame first,
/// without it.
/// Not an animation frame: the rows then land before the next frame rather
/// than in it, and a hidden tab still catches up.
fn throttled(view: ReadSignal<MeetingView>) -> ReadSignal<MeetingView> {
    /// How long after a change another one counts as the same burst.
    const BURST_MS: u64 = 16;
    let shown = RwSignal::new(view.get_untracked());
    let due = StoredValue::new(false);
    let last = StoredValue::new(0u64);
    Effect::new(move |_| {
        view.track();
        if due.get_value() {
            return;
        }
        due.set_value(true);
        let show = move || {
            due.set_value(false);
            last.set_value(now_ms());
            if let Some(v) = view.try_get_untracked() {
                shown.try_set(v);
            }
        };
        if now_ms().saturating_sub(last.get_value()) >= BURST_MS {
            show();
        } else {
            set_timeout(show, std::time::Duration::ZERO);
        }
    });
    shown.read_only()
}
