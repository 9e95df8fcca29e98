//! The roster: every participant with what the document says of it (role,
//! service, muted, presenting, spotlight, protocol, encryption, audio-only,
//! direction, time in the meeting), who speaks now, search, sort, and
//! "admit all" for the waiting room. One row a participant, keyed by uuid,
//! each reading its own memo: a speaking indicator re-renders one row.

use super::text::MeetingText;
use crate::i18n::{use_i18n, I18n};
use crate::io::meeting::Meeting;
use crate::time::now_ms;
use crate::ui::call::duration_text;
use leptos::prelude::*;
use proto::meeting::machine::MeetingView;
use proto::meeting::roster::{self, RosterSort};
use proto::meeting::{Command, Participant, ParticipantCommand, Role, ServiceType};
use std::collections::HashMap;
use std::sync::Arc;

/// What one row shows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    /// Shared with the view: unchanged rows compare by pointer.
    p: Arc<Participant>,
    speaking: bool,
    me: bool,
    /// This console is a host: the row offers host actions.
    host_tools: bool,
}

/// Every row by uuid, rebuilt once per change of the meeting: each row
/// finds its own in it at once.
type Rows = Arc<HashMap<String, Row>>;

fn sort_label(sort: RosterSort) -> MeetingText {
    match sort {
        RosterSort::Joined => MeetingText::SortJoined,
        RosterSort::Name => MeetingText::SortName,
        RosterSort::Role => MeetingText::SortRole,
        RosterSort::Stage => MeetingText::SortStage,
    }
}

/// "Admit" for one participant: `unlock` on its uuid.
fn admit(uuid: String) -> Command {
    Command::Participant {
        uuid,
        command: ParticipantCommand::Unlock,
    }
}

/// The view as of the last frame. A sync of a thousand participants is a
/// thousand events; the roster is rebuilt once a frame rather than once an
/// event, which would cost a thousand times the last one.
fn throttled(view: ReadSignal<MeetingView>) -> ReadSignal<MeetingView> {
    let shown = RwSignal::new(view.get_untracked());
    let due = StoredValue::new(false);
    Effect::new(move |_| {
        view.track();
        if !due.get_value() {
            due.set_value(true);
            request_animation_frame(move || {
                due.set_value(false);
                if let Some(v) = view.try_get_untracked() {
                    shown.try_set(v);
                }
            });
        }
    });
    shown.read_only()
}

#[component]
pub fn ParticipantList() -> impl IntoView {
    let i18n = use_i18n();
    let meeting = expect_context::<Meeting>();
    let state = throttled(meeting.view());
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new(RosterSort::default());
    let rows: Memo<Rows> = Memo::new(move |_| {
        state.with(|v| {
            let rows = v.conference.participants.iter().map(|p| {
                let row = Row {
                    host_tools: v.is_host(),
                    speaking: v.conference.is_speaking(&p.uuid),
                    me: v.me.as_deref() == Some(p.uuid.as_str()),
                    p: p.clone(),
                };
                (p.uuid.clone(), row)
            });
            Arc::new(rows.collect())
        })
    });
    let uuids = Memo::new(move |_| {
        let (q, s) = (query.get(), sort.get());
        state.with(|v| roster::order(&v.conference, &q, s))
    });
    let waiting = Memo::new(move |_| state.with(|v| roster::waiting(&v.conference)));
    let total = move || state.with(|v| v.conference.participants.len());
    let host = move || state.with(|v| v.is_host());
    let admit_supported = meeting.supports(&admit(String::new()));
    let admit_all = move |_| {
        for uuid in waiting.get_untracked() {
            meeting.command(admit(uuid));
        }
    };
    // One clock for every row's time in the meeting.
    let now = RwSignal::new(now_ms() / 1_000);
    let timer = set_interval_with_handle(
        move || now.set(now_ms() / 1_000),
        std::time::Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(t) = timer {
            t.clear();
        }
    });
    view! {
        <section class="meeting-participants">
            <h3>{i18n.tr(MeetingText::Participants)}" "<span id="meeting-participant-count" class="count">{total}</span></h3>
            <div class="roster-tools">
                <input id="meeting-roster-search" type="search"
                    aria-label=move || i18n.t(MeetingText::Search)
                    placeholder=move || i18n.t(MeetingText::Search)
                    prop:value=query on:input=move |ev| query.set(event_target_value(&ev)) />
                <select id="meeting-roster-sort" aria-label=move || i18n.t(MeetingText::SortBy)
                    on:change=move |ev| sort.set(RosterSort::parse(&event_target_value(&ev)).unwrap_or_default())>
                    {RosterSort::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || sort.get() == k>{i18n.tr(sort_label(k))}</option>
                    }).collect_view()}
                </select>
                <Show when=move || host() && !waiting.with(Vec::is_empty)>
                    <button id="meeting-admit-all" class="small" type="button" disabled=!admit_supported
                        title=(!admit_supported).then(|| i18n.t(MeetingText::UnsupportedHint))
                        on:click=admit_all>
                        {i18n.tr(MeetingText::AdmitAll)}" ("{move || waiting.with(Vec::len)}")"
                    </button>
                </Show>
            </div>
            <Show when=move || total() == 0>
                <p class="empty">{i18n.tr(MeetingText::NoParticipants)}</p>
            </Show>
            <Show when=move || { total() != 0 && uuids.with(Vec::is_empty) }>
                <p id="meeting-roster-none" class="empty">{i18n.tr(MeetingText::NoMatch)}</p>
            </Show>
            <ul id="meeting-participants" class="participants">
                <For each=move || uuids.get() key=|uuid| uuid.clone() let(uuid)>
                    <ParticipantRow uuid rows now=now.read_only() />
                </For>
            </ul>
        </section>
    }
}

#[component]
fn ParticipantRow(uuid: String, rows: Memo<Rows>, now: ReadSignal<u64>) -> impl IntoView {
    let i18n = use_i18n();
    let key = uuid.clone();
    let row = Memo::new(move |_| rows.with(|r| r.get(&key).cloned()));
    let open = RwSignal::new(false);
    let is = move |f: fn(&Row) -> bool| move || row.with(|r| r.as_ref().is_some_and(f));
    let attr = move |f: fn(&Row) -> &'static str| move || row.with(|r| r.as_ref().map_or("", f));
    let tools = is(|r| r.host_tools && !r.me);
    let (li_id, menu_id) = (
        format!("meeting-p-{uuid}"),
        format!("meeting-p-{uuid}-menu"),
    );
    view! {
        <li id=li_id class="participant"
            class:speaking=is(|r| r.speaking)
            data-role=attr(|r| if r.p.role == Some(Role::Host) { "chair" } else { "guest" })
            data-muted=attr(|r| flag(r.p.is_muted == Some(true)))
            data-speaking=attr(|r| flag(r.speaking))
            data-presenting=attr(|r| flag(r.p.is_presenting == Some(true)))
            data-spotlight=attr(|r| flag(r.p.spotlight.unwrap_or(0) > 0))
            data-rx=attr(|r| if rx_denied(&r.p) { "deny" } else { "allow" })
            data-service=move || row.with(|r| r.as_ref().and_then(|r| r.p.service_type.clone()).map_or_else(|| "conference".to_owned(), String::from))>
            {move || row.get().map(|row| summary(i18n, row, now))}
            <Show when=tools>
                " "
                <button id=menu_id.clone() class="small menu" type="button"
                    aria-expanded=move || flag(open.get())
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {i18n.tr(MeetingText::Actions)}
                </button>
            </Show>
            {move || (tools() && open.get()).then(|| view! {
                <super::row_menu::RowMenu uuid=uuid.clone() row=Signal::derive(move || row.with(|r| r.as_ref().map(|r| r.p.clone()))) />
            })}
        </li>
    }
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
/// presentation blocked.
fn details(i18n: I18n, p: &Participant) -> String {
    let direction = p.call_direction.as_deref().map(|d| match d.trim() {
        "in" => i18n.t(MeetingText::DirectionIn).to_owned(),
        "out" => i18n.t(MeetingText::DirectionOut).to_owned(),
        other => other.to_owned(),
    });
    let encryption = p.encryption.as_deref().map(|e| {
        let on = e.trim().eq_ignore_ascii_case("on");
        i18n.t(if on {
            MeetingText::Encrypted
        } else {
            MeetingText::Unencrypted
        })
        .to_owned()
    });
    let audio_only =
        (p.is_audio_only_call == Some(true)).then(|| i18n.t(MeetingText::AudioOnly).to_owned());
    let denied = rx_denied(p).then(|| i18n.t(MeetingText::RxDenied).to_owned());
    [
        p.protocol.clone(),
        direction,
        encryption,
        audio_only,
        denied,
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.trim().is_empty())
    .collect::<Vec<_>>()
    .join(" · ")
}

fn rx_denied(p: &Participant) -> bool {
    p.rx_presentation_policy
        .as_deref()
        .is_some_and(|s| s.trim().eq_ignore_ascii_case("deny"))
}

/// The row's words: name, role, state chips, and the details line.
fn summary(i18n: I18n, row: Row, now: ReadSignal<u64>) -> impl IntoView {
    let Row {
        p, speaking, me, ..
    } = row;
    let host = p.role == Some(Role::Host);
    let since = p.start_time.filter(|&t| t > 0);
    let duration = move || since.map(|t| duration_text(now.get().saturating_sub(t) * 1_000));
    let chip = |on: bool, class: &'static str, text: MeetingText| {
        on.then(|| view! { " " <span class=class>{i18n.tr(text)}</span> })
    };
    view! {
        <span class="name">{roster::shown_name(&p).to_owned()}{me.then(|| i18n.t(MeetingText::Me))}</span>
        " "
        <span class="role">{i18n.tr(if host { MeetingText::RoleHost } else { MeetingText::RoleGuest })}</span>
        {service_word(p.service_type.as_ref()).map(|w| view! { " " <span class="service">{i18n.tr(w)}</span> })}
        {chip(p.is_muted == Some(true), "muted", MeetingText::Muted)}
        {chip(speaking, "speaking", MeetingText::Speaking)}
        {chip(p.is_presenting == Some(true), "presenting", MeetingText::PresentingNow)}
        {chip(p.spotlight.unwrap_or(0) > 0, "spotlit", MeetingText::Spotlit)}
        <small class="meta">
            {details(i18n, &p)}
            {move || duration().map(|d| view! {
                " · " <span class="since" title=i18n.t(MeetingText::TimeInMeeting)>{d}</span>
            })}
        </small>
    }
}
