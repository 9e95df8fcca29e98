//! One running group call: its talker, what is under way, its members (each
//! state with its own mark and colour, not only a word), a button to talk in
//! it, its volume and mute (when the console plays the audio), one to hang it
//! up, and its recent transmissions, each replayable while its audio is kept.
//! The line, its members and its transmissions are markup (see `ui::markup`),
//! their ids set when built; each part is written only when what it shows
//! changes, so a new talker touches the talker line alone, never the members
//! (a kick button the dispatcher may be on) or the volume slider.

use super::group_call::request_word;
use super::sessions::{member_look, shown_talker, talker_text};
use super::text::PttText;
use crate::config::Terminal;
use crate::i18n::{use_i18n, I18n};
use crate::io::audio::{AudioDesk, MicStatus, Volume};
use crate::io::voice::VoiceLink;
use crate::reactive::{Memo, StoredValue};
use crate::time::clock_text;
use crate::ui::call::duration_text;
use crate::ui::keyed::keyed_list;
use crate::ui::markup::{markup, Markup, Wired};
use leptos::prelude::*;
use proto::id::BigId;
use proto::voice::{CallSession, MemberCallState, Talker, Transmission};
use wasm_bindgen::JsCast;

/// A call's line; its ids and what it shows are set when it is built.
const LINE: &str = r#"<li class="session"><p class="session-head"><button type="button" class="small"></button> <span class="session-id"></span> <button type="button" class="small" data-t="HangUp"></button> <label class="volume"><span data-t="Volume"></span> <input type="range" min="0" max="1" step="0.05"></label> <label class="mute"><input type="checkbox"> <span data-t="Mute"></span></label></p><p class="talker"><strong></strong></p><p class="pending" aria-live="polite"></p><ul class="members"></ul><p class="transmissions-head" data-t="Transmissions"></p><ol class="transmissions"></ol></li>"#;

/// A member's line: the text between its parts (its id, the reason it hung
/// up) is filled in too.
const MEMBER: &str = r#"<li class="member"><span class="mark" aria-hidden="true"></span> <span class="terminal-name"></span> · · <span class="call-state"></span> <button class="small" type="button" data-t="Kick"></button></li>"#;

/// A turn at the floor: when, who (the text after the time), how long, and
/// the replay button with the space before it.
const TURN: &str = r#"<li class="transmission"><time></time> · · <span class="length"></span> <button type="button" class="small"></button></li>"#;

/// The line of call `sid`, for `#ptt-sessions`.
pub(super) fn session_item(sid: BigId, terminals: StoredValue<Vec<Terminal>>) -> Markup {
    let i18n = use_i18n();
    let voice = crate::reactive::expect_context::<VoiceLink>();
    let ptt = voice.ptt();
    let desk = use_context::<AudioDesk>()
        .filter(|desk| desk.mic.get_untracked() != MicStatus::PluginOwned);
    let here = StoredValue::new(sid.clone());
    let session = Memo::new(move |_| ptt.with(|p| here.with_value(|id| p.session(id).cloned())));
    let selected =
        Memo::new(move |_| ptt.with(|p| here.with_value(|id| p.selected.as_ref() == Some(id))));
    let me = Memo::new(move |_| ptt.with(|p| p.my_id()));
    // Keyed by id: a member's state redraws that member's parts only.
    let member_ids = Memo::new(move |_| {
        session.with(|s| {
            s.as_ref()
                .map(|s| s.members.iter().map(|m| m.id).collect::<Vec<u64>>())
                .unwrap_or_default()
        })
    });
    // A transmission's line changes once, when it ends: keyed by both
    // (its id shifted left, and one bit for ended).
    let turns = Memo::new(move |_| {
        session.with(|s| {
            s.as_ref().map_or_else(Vec::new, |s| {
                s.transmissions
                    .iter()
                    .map(|t| (t.id << 1) | u64::from(t.ended.is_some()))
                    .collect::<Vec<_>>()
            })
        })
    });

    // Each part is an effect that writes only when its text changes, so
    // the parts read the call itself: a memo each would cost more wasm.
    let waiting_text = move || {
        ptt.with(|p| {
            let words: Vec<&str> = here.with_value(|id| {
                p.pending
                    .iter()
                    .filter(|r| r.session.as_ref() == Some(id))
                    .map(|r| i18n.t(request_word(r.kind)))
                    .collect()
            });
            if words.is_empty() {
                return String::new();
            }
            format!("{} {}", i18n.t(PttText::Waiting), words.join(", "))
        })
    };
    let talker = move || session.with(|s| s.as_ref().and_then(shown_talker));
    let talker_state = move || match talker() {
        Some(Talker::Me) => "me",
        Some(Talker::Member { .. }) => "other",
        None => "idle",
    };
    let member = move |id: u64| {
        let line = MemberLine {
            id,
            session,
            selected,
            me,
            terminals,
            voice,
        };
        Some(member_row(line))
    };
    let turn_row = move |turn: u64| {
        let id = turn >> 1;
        session.with_untracked(|s| {
            let s = s.as_ref()?;
            let t = s.transmissions.iter().find(|t| t.id == id)?;
            Some(transmission_row(t.clone(), s.id.clone(), desk, i18n))
        })
    };

    markup(LINE, &[PttText::named], move |w: &Wired| {
        let line = format!("ptt-call-{sid}");
        w.root().set_id(&line);
        w.class(&line, "selected", move || selected.get());

        let select = w.part(".session-head > button");
        select.set_id(&format!("ptt-select-{sid}"));
        w.attr_el(
            select.clone(),
            "aria-pressed",
            Box::new(move || Some(selected.get().to_string())),
        );
        w.text_el(
            select.clone(),
            Box::new(move || {
                let word = if selected.get() {
                    PttText::Selected
                } else {
                    PttText::Select
                };
                i18n.t(word).to_owned()
            }),
        );
        let pick = sid.clone();
        w.on_el(
            select,
            "click",
            Box::new(move |_| voice.select(pick.clone())),
        );
        w.part(".session-id")
            .set_text_content(Some(&sid.to_string()));
        let hang_up = w.part("[data-t=HangUp]");
        hang_up.set_id(&format!("ptt-hangup-{sid}"));
        let hang = sid.clone();
        w.on_el(
            hang_up,
            "click",
            Box::new(move |_| voice.hang_up(hang.clone())),
        );
        volume_controls(w, desk, &sid);

        let talker_line = w.part(".talker");
        talker_line.set_id(&format!("ptt-talker-{sid}"));
        w.attr_el(
            talker_line,
            "data-state",
            Box::new(move || Some(talker_state().to_owned())),
        );
        w.text_el(
            w.part(".talker > strong"),
            Box::new(move || talker_text(talker().as_ref(), i18n)),
        );
        w.text_el(w.part(".pending"), Box::new(waiting_text));

        let list = w.part(".members");
        keyed_list(w, &list, move || member_ids.get(), member);
        // Only the selected call's list is `#ptt-members`, its rows `#ptt-member-{id}`.
        w.attr_el(
            list,
            "id",
            Box::new(move || selected.get().then(|| "ptt-members".to_owned())),
        );

        let none = move || turns.with(Vec::is_empty);
        w.attr_el(
            w.part(".transmissions-head"),
            "hidden",
            Box::new(move || none().then(String::new)),
        );
        let list = w.part(".transmissions");
        list.set_id(&format!("ptt-turns-{sid}"));
        keyed_list(w, &list, move || turns.get(), turn_row);
        w.attr_el(list, "hidden", Box::new(move || none().then(String::new)));
    })
}

/// A call's volume slider and mute box; they change its playback at once.
/// They hold their own state, shown as the desk has it when the line is
/// made. Without the console's audio they go, with the space before each.
fn volume_controls(w: &Wired, desk: Option<AudioDesk>, sid: &BigId) {
    let (level, mute) = (w.part(".volume > input"), w.part(".mute > input"));
    let Some(desk) = desk else {
        for input in [level, mute] {
            let Some(label) = input.parent_element() else {
                continue;
            };
            if let (Some(space), Some(head)) = (label.previous_sibling(), label.parent_node()) {
                let _ = head.remove_child(&space);
            }
            label.remove();
        }
        return;
    };
    let here = StoredValue::new(sid.clone());
    let set = move |change: &dyn Fn(&mut Volume)| change_volume(desk, here.get_value(), change);
    let now = desk.volume_untracked(sid);
    let level: web_sys::HtmlInputElement = level.unchecked_into();
    level.set_id(&format!("ptt-volume-{sid}"));
    // As a number: the float's text (formatting, parsing) is kilobytes of wasm.
    level.set_value_as_number(f64::from(now.level));
    let mute: web_sys::HtmlInputElement = mute.unchecked_into();
    mute.set_id(&format!("ptt-mute-{sid}"));
    mute.set_checked(now.muted);
    let slider = level.clone();
    w.on_el(
        level.into(),
        "input",
        Box::new(move |_| {
            let level = slider.value_as_number();
            let level = if level.is_nan() { 1.0 } else { level as f32 };
            set(&|v| v.level = level)
        }),
    );
    let check = mute.clone();
    w.on_el(
        mute.into(),
        "change",
        Box::new(move |_| {
            let muted = check.checked();
            set(&|v| v.muted = muted)
        }),
    );
}

/// Changes call `sid`'s volume at the desk: one copy for both controls.
fn change_volume(desk: AudioDesk, sid: BigId, change: &dyn Fn(&mut Volume)) {
    let mut v = desk.volume_untracked(&sid);
    change(&mut v);
    desk.set_volume(sid, v);
}

/// What a member's line reads.
struct Look {
    name: String,
    state: MemberCallState,
    word: PttText,
    class: &'static str,
    mark: &'static str,
    reason: Option<String>,
}

/// How member `id` of `session` looks: named by the plugin, else by the
/// directory, else by its id.
fn look(
    session: Option<&CallSession>,
    id: u64,
    terminals: StoredValue<Vec<Terminal>>,
) -> Option<Look> {
    let m = session?.members.iter().find(|m| m.id == id)?;
    let name = if m.name.is_empty() {
        terminals.with_value(|ts| {
            ts.iter()
                .find(|t| t.id == id)
                .map_or_else(|| id.to_string(), |t| t.name.clone())
        })
    } else {
        m.name.clone()
    };
    let (word, class, mark) = member_look(m);
    Some(Look {
        name,
        state: m.state,
        word,
        class,
        mark,
        reason: m.reason.clone(),
    })
}

/// What a member's line follows.
struct MemberLine {
    id: u64,
    session: Memo<Option<CallSession>>,
    selected: Memo<bool>,
    me: Memo<Option<u64>>,
    terminals: StoredValue<Vec<Terminal>>,
    voice: VoiceLink,
}

/// A member's line, keyed by its id, each part written when it changes;
/// its id and kick button are there while its call is the selected one.
fn member_row(line: MemberLine) -> Markup {
    let i18n = use_i18n();
    let MemberLine {
        id,
        session,
        selected,
        me,
        terminals,
        voice,
    } = line;
    let with = move |f: fn(&Look, I18n) -> String| -> Box<dyn Fn() -> Option<String>> {
        Box::new(move || session.with(|s| look(s.as_ref(), id, terminals).map(|l| f(&l, i18n))))
    };
    markup(MEMBER, &[PttText::named], move |w: &Wired| {
        let row = w.root().clone();
        w.attr_el(
            row.clone(),
            "id",
            Box::new(move || selected.get().then(|| format!("ptt-member-{id}"))),
        );
        w.attr_el(
            row.clone(),
            "class",
            with(|l, _| format!("member state-{}", l.class)),
        );
        w.attr_el(
            row.clone(),
            "data-state",
            with(|l, _| l.state.code().to_string()),
        );
        let text = |f: fn(&Look, I18n) -> String| -> Box<dyn Fn() -> String> {
            let f = with(f);
            Box::new(move || f().unwrap_or_default())
        };
        w.text_el(w.part(".mark"), text(|l, _| l.mark.to_owned()));
        let name = w.part(".terminal-name");
        w.text_el(name.clone(), text(|l, _| l.name.clone()));
        if let Some(between) = name.next_sibling() {
            between.set_text_content(Some(&format!(" · {id} · ")));
        }
        let state = w.part(".call-state");
        w.text_el(state.clone(), text(|l, i18n| i18n.t(l.word).to_owned()));
        // The reason it hung up, and the space before the kick button.
        if let Some(after) = state.next_sibling() {
            let reason = text(|l, i18n| {
                l.reason
                    .as_ref()
                    .map(|r| format!(" · {}{r}", i18n.t(PttText::HungUpBecause)))
                    .unwrap_or_default()
            });
            // Written only when it changes: the call changes at every talker.
            w.effect(Box::new(move || {
                let text = format!("{} ", reason());
                if after.text_content().as_deref() != Some(text.as_str()) {
                    after.set_text_content(Some(&text));
                }
            }));
        }
        let kick = w.part("button");
        kick.set_id(&format!("ptt-kick-{id}"));
        w.on_el(
            kick.clone(),
            "click",
            Box::new(move |_| voice.kick(vec![id])),
        );
        w.present(
            row,
            vec![kick.into()],
            Vec::new(),
            Box::new(move || {
                selected.get()
                    && Some(id) != me.get()
                    && session.with(|s| {
                        look(s.as_ref(), id, terminals)
                            .is_some_and(|l| l.state != MemberCallState::Idle)
                    })
            }),
        );
    })
}

/// One turn at the floor of call `sid`: when it began, who talked, how
/// long (or that it is under way), and a button that replays its audio while
/// it is kept (a second press stops it).
fn transmission_row(t: Transmission, sid: BigId, desk: Option<AudioDesk>, i18n: I18n) -> Markup {
    markup(TURN, &[], move |w: &Wired| {
        let id = t.id;
        let row = w.root().clone();
        row.set_id(&format!("ptt-tx-{id}"));
        let time = w.part("time");
        // HH:MM:SS of the journal's clock, without the milliseconds.
        let mut clock = clock_text(t.started);
        clock.truncate(8);
        time.set_text_content(Some(&clock));
        if let Some(who) = time.next_sibling() {
            let talker = t.talker.clone();
            w.effect(Box::new(move || {
                let name = match &talker {
                    Talker::Me => i18n.t(PttText::MeShort).to_owned(),
                    Talker::Member { id, name } => format!("{name} ({id})"),
                };
                who.set_text_content(Some(&format!(" · {name} · ")));
            }));
        }
        let ended = t.ended.is_some();
        let length = t.duration_ms(0);
        w.text_el(
            w.part(".length"),
            Box::new(move || {
                if ended {
                    duration_text(length)
                } else {
                    i18n.t(PttText::OnAir).to_owned()
                }
            }),
        );
        let button = w.part("button");
        let space = button.previous_sibling();
        let nodes: Vec<web_sys::Node> = space.into_iter().chain([button.clone().into()]).collect();
        // Offered once it has ended, while its audio is kept: ten minutes
        // in all, oldest first.
        let Some(d) = desk.filter(|_| ended) else {
            for n in nodes {
                let _ = row.remove_child(&n);
            }
            return;
        };
        button.set_id(&format!("ptt-replay-{id}"));
        let on = move || d.replaying.get() == Some(id);
        w.attr_el(
            button.clone(),
            "aria-pressed",
            Box::new(move || Some(on().to_string())),
        );
        w.text_el(
            button.clone(),
            Box::new(move || {
                i18n.t(if on() {
                    PttText::StopReplay
                } else {
                    PttText::Replay
                })
                .to_owned()
            }),
        );
        w.on_el(button, "click", Box::new(move |_| d.replay(&sid, id)));
        w.present(
            row,
            nodes,
            Vec::new(),
            Box::new(move || {
                d.replays_dropped.track();
                d.can_replay(id)
            }),
        );
    })
}
