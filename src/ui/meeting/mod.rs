//! The video meeting panel, from the host's seat: join and leave, the
//! meeting's state, the participants and what a host does to them, dialling
//! out, and messages. The shell ([`crate::io::meeting::Meeting`]) is created
//! here and shared with the panel's parts through context.

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

use text::MeetingText;

use super::markup::{markup, Markup, Wired};
use crate::config::{resolve, Deployment};
use crate::i18n::{use_i18n, Key, Phrase};
use crate::io::meeting::Meeting;
use crate::io::page_origin;
use crate::reactive::{effect, ReadSignal, RwSignal, StoredValue};
use crate::time::now_ms;
use crate::ui::active::use_active;
use leptos::prelude::*;
use proto::meeting::machine::MeetingView;

pub fn meeting_panel() -> Markup {
    let i18n = use_i18n();
    let config = use_active().config;
    let deployment_key = match config.deployment {
        Deployment::Public => Key::DeploymentPublic,
        Deployment::Enterprise => Key::DeploymentEnterprise,
    };
    let meeting = crate::reactive::expect_context::<Meeting>();
    let state = throttled(meeting.view());
    provide_context(Shown(state));
    let active = move || state.with(|v| v.link.is_active());
    let api_server = resolve(&config.meeting.api_server, &page_origin(), false);
    let (account, name) = (config.meeting.join_account, config.meeting.participant_name);
    markup(HTML, &[Key::named, MeetingText::named], move |w: &Wired| {
        let deployment = w.el("meeting-deployment");
        let lang = i18n.lang;
        w.effect(Box::new(move || {
            deployment.set_text_content(Some(deployment_key.text(lang.get())))
        }));
        w.el("meeting-api").set_text_content(Some(&api_server));
        join::wire(w, meeting, i18n, &account, name);
        notice::wire(w, meeting, lang);
        // The rest is there while joined, made anew each time.
        w.show(w.root(), active, joined);
    })
}

/// The panel's frame and facts, the join form and the notice.
const HTML: &str = r#"<section id="meeting-panel" class="panel" tabindex="0" aria-labelledby="meeting-panel-title"><h2 id="meeting-panel-title" data-t="PanelMeeting"></h2><dl class="facts"><dt data-t="Deployment"></dt><dd id="meeting-deployment"></dd><dt data-t="MeetingApiServer"></dt><dd id="meeting-api"></dd></dl><form id="meeting-join-form" class="login"><label><span data-t="Conference"></span><input id="meeting-conference"></label><button id="meeting-join" type="submit" data-t="Join"></button><button id="meeting-leave" type="button" data-t="Leave"></button></form><p id="meeting-status" class="status" aria-live="polite"></p><p id="meeting-join-error" class="error" role="alert"></p><p id="meeting-error" class="error" role="alert"><span id="meeting-error-text"></span> <button id="meeting-error-dismiss" class="small" type="button" data-t="Dismiss"></button></p></section>"#;

/// What the panel shows while joined: where this console sits, the
/// presentation, the host's controls, the roster, dialling out, messages.
fn joined() -> Markup {
    let lang = use_i18n().lang;
    let meeting = crate::reactive::expect_context::<Meeting>();
    let state = shown();
    // A guest's host commands would all be refused: it gets none.
    let host = move || state.with(|v| v.is_host());
    markup(JOINED, &[MeetingText::named], move |w: &Wired| {
        seat::wire(w, lang);
        presentation::wire(w, meeting, lang);
        controls::wire(w, meeting, lang);
        participants::wire(w, meeting, lang);
        dial::wire(w, meeting, lang);
        chat::wire(w, meeting);
        let root = w.root().clone();
        for (part, next) in [
            ("meeting-state", ".meeting-participants"),
            ("meeting-dial-form", ".meeting-chat"),
        ] {
            w.present(
                root.clone(),
                vec![w.el(part).into()],
                vec![w.part(next).into()],
                Box::new(host),
            );
        }
    })
}

/// See [`joined`]; its parts are wired by the modules named after them.
const JOINED: &str = concat!(
    r#"<div class="slot">"#,
    r#"<div id="meeting-seat"><p id="meeting-waiting" class="status"></p><p id="meeting-guest" class="status" data-t="GuestNoTools"></p></div>"#,
    r#"<figure id="meeting-presentation" class="presentation"><figcaption class="status"></figcaption><img id="meeting-presentation-image"></figure>"#,
    r#"<section id="meeting-state" class="meeting-state"><h3 data-t="ConferenceState"></h3><p><span id="meeting-locked"></span> · <span id="meeting-guests-muted"></span> · <span id="meeting-layout"></span></p><p class="buttons"><button id="meeting-lock" class="small" type="button"></button><button id="meeting-mute-guests" class="small" type="button"></button><button id="meeting-start" class="small" type="button" data-t="StartService"></button><button id="meeting-status-refresh" class="small" type="button" data-t="RefreshStatus"></button><button id="meeting-end" class="small danger" type="button" data-t="EndMeeting"></button></p><p id="meeting-end-confirm-box" class="confirm" role="alert"><span data-t="EndMeetingAsk"></span> <button id="meeting-end-confirm" class="small danger" type="button" data-t="EndMeetingConfirm"></button> <button id="meeting-end-cancel" class="small" type="button" data-t="Cancel"></button></p>"#,
    r#"<p><button id="meeting-layout-open" class="small" type="button" data-t="LayoutTitle"></button></p><form id="meeting-layout-form" class="login"><label><span data-t="Audience"></span><select id="meeting-layout-audience"><option value="both" data-t="AudienceBoth"></option><option value="hosts" data-t="RoleHost"></option><option value="guests" data-t="RoleGuest"></option></select></label><label><span data-t="LayoutKind"></span><select id="meeting-layout-kind"><option value="1:0">1:0</option><option value="4:0">4:0</option><option value="1:7" selected>1:7</option><option value="1:21">1:21</option><option value="2:21">2:21</option></select></label><fieldset id="meeting-layout-actors"><legend data-t="Actors"></legend></fieldset><label class="check"><input id="meeting-layout-vad" type="checkbox" checked><span data-t="VadBackfill"></span></label><label><span data-t="PlusN"></span><select id="meeting-layout-plus-n"><option value="auto">auto</option><option value="off">off</option></select></label><label><span data-t="OverlayText"></span><input id="meeting-layout-overlay" size="8" value="auto"></label><button id="meeting-layout-apply" type="submit" data-t="ApplyLayout"></button></form>"#,
    r#"<p class="hint" data-t="GreyedOnEnterprise"></p></section>"#,
    r#"<section class="meeting-participants"><h3><span data-t="Participants"></span> <span id="meeting-participant-count" class="count"></span></h3><div class="roster-tools"><input id="meeting-roster-search" type="search" data-t-aria-label="Search" data-t-placeholder="Search"><select id="meeting-roster-sort" data-t-aria-label="SortBy"><option value="joined" data-t="SortJoined" selected></option><option value="name" data-t="SortName"></option><option value="role" data-t="SortRole"></option><option value="stage" data-t="SortStage"></option></select><button id="meeting-admit-all" class="small" type="button"></button></div><p class="empty" data-t="NoParticipants"></p><p id="meeting-roster-none" class="empty" data-t="NoMatch"></p><ul id="meeting-participants" class="participants"></ul></section>"#,
    r#"<form id="meeting-dial-form" class="login"><h3 data-t="DialTitle"></h3><label><span data-t="Destination"></span><input id="meeting-dial-destination"></label><label><span data-t="Protocol"></span><select id="meeting-dial-protocol"></select></label><label><span data-t="Role"></span><select id="meeting-dial-role"><option value="guest" data-t="RoleGuest"></option><option value="chair" data-t="RoleHost"></option></select></label><button id="meeting-dial-more" class="small" type="button" data-t="MoreOptions"></button><div id="meeting-dial-options" class="slot"><label><span data-t="CallType"></span><select id="meeting-dial-call-type"><option value="" data-t="ByDefault"></option></select></label><label><span data-t="PresentationUrl"></span><input id="meeting-dial-presentation-url"></label><label class="check"><input id="meeting-dial-streaming" type="checkbox"><span data-t="Streaming"></span></label><label><span data-t="DtmfAfterConnect"></span><input id="meeting-dial-dtmf"></label><label><span data-t="Source"></span><input id="meeting-dial-source"></label><label><span data-t="SourceName"></span><input id="meeting-dial-source-name"></label><label><span data-t="RemoteName"></span><input id="meeting-dial-remote-name"></label><label><span data-t="KeepAlive"></span><select id="meeting-dial-keep-alive"><option value="" data-t="ByDefault"></option></select></label></div><button id="meeting-dial-button" type="submit" data-t="Dial"></button><span id="meeting-dial-error" class="error" role="alert"></span></form>"#,
    r#"<section class="meeting-chat"><h3 data-t="Chat"></h3><p class="empty" data-t="NoMessages"></p><ul id="meeting-messages" class="messages"></ul><form id="meeting-message-form" class="login"><label><span data-t="MessageText"></span><input id="meeting-message-input"></label><button id="meeting-message-send" type="submit" data-t="Send"></button></form></section>"#,
    "</div>"
);

/// The meeting as the panel shows it, shared by its parts.
#[derive(Clone, Copy)]
struct Shown(ReadSignal<MeetingView>);

/// The meeting as of the last burst of events (see [`throttled`]).
fn shown() -> ReadSignal<MeetingView> {
    crate::reactive::expect_context::<Shown>().0
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
    effect(move || {
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
