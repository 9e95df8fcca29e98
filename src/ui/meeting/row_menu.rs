//! A participant's host actions, opened from its row so the roster stays
//! compact: mute, presentation receiving, spotlight, admit, role, DTMF to a
//! dialled phone, transfer to another meeting, disconnect.

use super::command_button;
use super::text::MeetingText;
use crate::i18n::use_i18n;
use crate::io::meeting::Meeting;
use crate::reactive::Memo;
use crate::ui::markup::{markup, Markup, Wired};
use proto::meeting::{Command, Participant, ParticipantCommand, Role, ServiceType, Transfer};
use wasm_bindgen::JsCast;
use web_sys::Element;

/// `command` on the participant `uuid`.
pub fn on(uuid: &str, command: ParticipantCommand) -> Command {
    Command::Participant {
        uuid: uuid.to_owned(),
        command,
    }
}

/// Whether DTMF makes sense: a phone, or a call the meeting dialled out.
fn takes_dtmf(p: &Participant) -> bool {
    p.protocol.as_deref() == Some("phone") || p.call_direction.as_deref() == Some("out")
}

/// The value of the input or select `el` as it is now.
fn value(el: &Element) -> String {
    if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        input.value()
    } else {
        el.dyn_ref::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
            .unwrap_or_default()
    }
}

/// A button, whether its participant is so, its labels and commands.
type Toggle = (
    Element,
    fn(&Participant) -> bool,
    [MeetingText; 2],
    [ParticipantCommand; 2],
);

/// The menu of the participant `uuid`, following it as it changes.
pub fn row_menu(uuid: String) -> Markup {
    let lang = use_i18n().lang;
    let meeting = crate::reactive::expect_context::<Meeting>();
    let state = super::shown();
    let row = {
        let uuid = uuid.clone();
        Memo::new(move |_| {
            state.with(|v| {
                let found = v.conference.participants.iter().find(|p| p.uuid == uuid);
                found.cloned()
            })
        })
    };
    let is = move |f: fn(&Participant) -> bool| move || row.with(|p| p.as_deref().is_some_and(f));
    markup(MENU, &[MeetingText::named], move |w: &Wired| {
        let part = |id: &str| w.part(&format!("#{id}"));
        let [mute, rx, spotlight, role_button, admit, kick] =
            ["mute", "rx", "spotlight", "role", "admit", "kick"].map(part);
        let [dtmf_form, digits, transfer_form, alias, role, pin, transfer] = [
            "dtmf-form",
            "dtmf-digits",
            "transfer-form",
            "transfer-alias",
            "transfer-role",
            "transfer-pin",
            "transfer",
        ]
        .map(part);
        let (buttons, note) = (w.part(".buttons"), w.part(".hint"));
        // The ids in the HTML name the parts; each becomes the row's id and
        // the part's name, as tests and the portal know them
        // (`meeting-p-{uuid}-mute`). Renamed once the parts are found (a uuid
        // is the server's text, not a selector) and before any is taken out.
        if let Ok(all) = w.root().query_selector_all("[id]") {
            let els = (0..all.length()).filter_map(|i| all.item(i)?.dyn_into::<Element>().ok());
            for el in els.chain([w.root().clone()]) {
                el.set_id(&format!("meeting-p-{uuid}-{}", el.id()));
            }
        }

        // A button whose label and command follow the participant: the first
        // of each pair while `now` holds, the second otherwise.
        use MeetingText as T;
        use ParticipantCommand as C;
        let toggles: [Toggle; 4] = [
            (
                mute,
                |p| p.is_muted == Some(true),
                [T::Unmute, T::Mute],
                [C::Unmute, C::Mute],
            ),
            (
                rx,
                |p| {
                    p.rx_presentation_policy
                        .as_deref()
                        .is_some_and(|s| s.eq_ignore_ascii_case("deny"))
                },
                [T::AllowRx, T::DenyRx],
                [C::AllowRxPresentation, C::DenyRxPresentation],
            ),
            (
                spotlight,
                |p| p.spotlight.unwrap_or(0) > 0,
                [T::SpotlightOff, T::SpotlightOn],
                [C::SpotlightOff, C::SpotlightOn],
            ),
            (
                role_button,
                |p| p.role == Some(Role::Host),
                [T::MakeGuest, T::MakeHost],
                [C::Role(Role::Guest), C::Role(Role::Host)],
            ),
        ];
        for (el, now, labels, commands) in toggles {
            let which = move || usize::from(!is(now)());
            let uuid = uuid.clone();
            command_button::wire(
                w,
                meeting,
                lang,
                el,
                Some(Box::new(move || labels[which()])),
                Box::new(move || on(&uuid, commands[which()].clone())),
            );
        }
        for (el, command) in [(&admit, C::Unlock), (&kick, C::Disconnect)] {
            let uuid = uuid.clone();
            let command = Box::new(move || on(&uuid, command.clone()));
            command_button::wire(w, meeting, lang, el.clone(), None, command);
        }

        let uuid_dtmf = uuid.clone();
        let typed = digits.clone();
        w.on_el(
            dtmf_form.clone(),
            "submit",
            Box::new(move |ev| {
                ev.prevent_default();
                if let Some(dtmf) = C::dtmf(&value(&typed)) {
                    meeting.command(on(&uuid_dtmf, dtmf));
                    if let Some(input) = typed.dyn_ref::<web_sys::HtmlInputElement>() {
                        input.set_value("");
                    }
                }
            }),
        );

        let transfer_to = |role, conference_alias, pin| {
            C::Transfer(Transfer {
                role,
                conference_alias,
                pin,
            })
        };
        if !meeting.supports(&on(&uuid, transfer_to(Role::Guest, String::new(), None))) {
            for el in [&alias, &role, &pin] {
                let _ = el.set_attribute("disabled", "");
            }
            command_button::disable(w, lang, &transfer);
        }
        w.on_el(
            transfer_form.clone(),
            "submit",
            Box::new(move |ev| {
                ev.prevent_default();
                let conference_alias = value(&alias).trim().to_owned();
                if conference_alias.is_empty() {
                    return;
                }
                let pin = Some(value(&pin).trim().to_owned()).filter(|p| !p.is_empty());
                let role = Role::parse(&value(&role)).unwrap_or(Role::Guest);
                meeting.command(on(&uuid, transfer_to(role, conference_alias, pin)));
            }),
        );
        command_button::unsupported_note(meeting, note);

        // Admit only for who waits, DTMF only where it makes sense: absent
        // otherwise.
        w.present(
            buttons,
            vec![admit.into()],
            vec![kick.into()],
            Box::new(is(|p| p.service_type == Some(ServiceType::WaitingRoom))),
        );
        w.present(
            w.root().clone(),
            vec![dtmf_form.into()],
            vec![transfer_form.into()],
            Box::new(is(takes_dtmf)),
        );
    })
}

/// The menu, an item of the roster's list under its row. Its ids are the
/// parts' names until it is wired (see above).
const MENU: &str = r#"<li id="actions" class="row-menu"><p class="buttons"><button id="mute" class="small" type="button"></button><button id="rx" class="small" type="button"></button><button id="spotlight" class="small" type="button"></button><button id="role" class="small" type="button"></button><button id="admit" class="small" type="button" data-t="Admit"></button><button id="kick" class="small" type="button" data-t="Kick"></button></p><form id="dtmf-form" class="inline"><label><span data-t="DtmfDigits"></span><input id="dtmf-digits" inputmode="tel" size="8"></label><button id="dtmf" class="small" type="submit" data-t="SendDtmf"></button></form><form id="transfer-form" class="inline"><label><span data-t="TransferTo"></span><input id="transfer-alias" size="14"></label><label><span data-t="Role"></span><select id="transfer-role"><option value="guest" data-t="RoleGuest"></option><option value="chair" data-t="RoleHost"></option></select></label><label><span data-t="Pin"></span><input id="transfer-pin" type="password" autocomplete="off" size="6"></label><button id="transfer" class="small" type="submit" data-t="Transfer"></button></form><p class="hint" data-t="GreyedOnEnterprise"></p></li>"#;
