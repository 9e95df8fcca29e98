//! The voice-menu call form: checked before sending, sent once. Its fields
//! are a [`Draft`] the broadcast reuses as its voice menu.

use super::check::{build, IvrField, IvrFields};
use super::routes::{self, RouteRow};
use super::text::IvrText;
use super::{IvrSent, IvrState, HISTORY};
use crate::i18n::{use_i18n, I18n};
use crate::io::ivr::IvrDesk;
use crate::reactive::{RwSignal, StoredValue};
use crate::time::now_ms;
use crate::ui::active::Active;
use crate::ui::markup::{value_of, Wired};
use proto::ivr::VoiceType;
use wasm_bindgen::JsCast;

/// The form's fields as the dispatcher is filling them.
#[derive(Debug, Clone, Copy)]
pub struct Draft {
    pub destnumber: RwSignal<String>,
    pub voicetype: RwSignal<VoiceType>,
    pub voicefile: RwSignal<String>,
    pub routes: RwSignal<Vec<RouteRow>>,
    pub disnumber: RwSignal<String>,
    pub customuuid: RwSignal<String>,
}

impl Draft {
    pub fn new(disnumber: String) -> Self {
        Self {
            destnumber: RwSignal::new(String::new()),
            voicetype: RwSignal::new(VoiceType::Offline),
            voicefile: RwSignal::new(String::new()),
            routes: RwSignal::new(Vec::new()),
            disnumber: RwSignal::new(disnumber),
            customuuid: RwSignal::new(String::new()),
        }
    }

    /// What the fields hold now (untracked).
    pub fn fields(&self) -> IvrFields {
        IvrFields {
            destnumber: self.destnumber.get_untracked(),
            voicetype: self.voicetype.get_untracked(),
            voicefile: self.voicefile.get_untracked(),
            routes: self.routes.with_untracked(|rows| {
                rows.iter()
                    .map(|r| (r.key.get_untracked(), r.group.get_untracked()))
                    .collect()
            }),
            disnumber: self.disnumber.get_untracked(),
            customuuid: self.customuuid.get_untracked(),
        }
    }
}

/// The dispatcher's words for a field to fix.
pub fn field_error_text(field: &IvrField, i18n: I18n) -> String {
    let t = |k| i18n.t(k);
    match field {
        IvrField::Destnumber => t(IvrText::BadDestnumber).to_owned(),
        IvrField::Voicefile => t(IvrText::BadVoicefile).to_owned(),
        IvrField::Route(_) => t(IvrText::BadUserid).to_owned(),
        IvrField::Disnumber => t(IvrText::BadDisnumber).to_owned(),
        IvrField::Token => t(IvrText::NoToken).to_owned(),
        IvrField::Other(why) => format!("{}{why}", t(IvrText::BadRequest)),
    }
}

/// Wires the form of the panel's markup: each field follows its [`Draft`]
/// signal both ways, the form is checked when sent and sent once.
pub fn wire(w: &Wired, state: IvrState, desk: IvrDesk, draft: Draft, active: StoredValue<Active>) {
    let i18n = use_i18n();
    let seq = StoredValue::new(0u32);
    for (id, name, value) in [
        ("ivr-destnumber", "destnumber", draft.destnumber),
        ("ivr-voicefile", "voicefile", draft.voicefile),
        ("ivr-disnumber", "disnumber", draft.disnumber),
        ("ivr-customuuid", "customuuid", draft.customuuid),
    ] {
        bind(w, id, value);
        w.attr(id, "aria-invalid", move || {
            Some(
                state
                    .field_error
                    .with(|f| f.as_ref().is_some_and(|f| f.name() == name))
                    .to_string(),
            )
        });
    }
    // Set by this select alone: its first option is the draft's first value.
    let voicetype = draft.voicetype;
    let root = w.root().clone();
    w.on("ivr-voicetype", "change", move |_| {
        voicetype
            .set(VoiceType::parse(&value_of(&root, "ivr-voicetype")).unwrap_or(VoiceType::Offline))
    });
    routes::wire(w, draft.routes, state);
    w.attr("ivr-send", "disabled", move || {
        state.sending.get().then(String::new)
    });
    w.text("ivr-send", move || {
        i18n.t(if state.sending.get() {
            IvrText::Sending
        } else {
            IvrText::Send
        })
        .to_owned()
    });
    w.attr("ivr-field-error", "data-field", move || {
        Some(
            state
                .field_error
                .with(|f| f.as_ref().map(IvrField::name).unwrap_or_default())
                .to_owned(),
        )
    });
    w.text("ivr-field-error", move || {
        state
            .field_error
            .with(|f| f.as_ref().map(|f| field_error_text(f, i18n)))
            .unwrap_or_default()
    });

    w.on("ivr-form", "submit", move |ev| {
        ev.prevent_default();
        if state.sending.get_untracked() {
            return;
        }
        // Callbacks are matched by customuuid: one is made when none is given,
        // and shown in the form.
        if draft.customuuid.with_untracked(|c| c.trim().is_empty()) {
            draft
                .customuuid
                .set(format!("dd{}{}", now_ms(), seq.get_value() + 1));
        }
        // Read when sent: the dispatcher or the portal may give it later.
        let token = active.with_value(|a| a.config.ivr.token.clone());
        let play = match build(&draft.fields(), &token) {
            Ok(play) => play,
            Err(field) => {
                state.field_error.set(Some(field));
                return;
            }
        };
        state.field_error.set(None);
        state.sending.set(true);
        let n = seq.get_value() + 1;
        seq.set_value(n);
        let destnumber = play.destnumber.clone();
        let at_ms = now_ms();
        leptos::task::spawn_local(async move {
            let outcome = desk.play(play).await;
            state.sending.try_set(false);
            state.history.try_update(|h| {
                h.insert(
                    0,
                    IvrSent {
                        seq: n,
                        at_ms,
                        destnumber,
                        outcome,
                    },
                );
                h.truncate(HISTORY);
            });
        });
    });
}

/// The input `id` shows `value` and sets it as typed.
fn bind(w: &Wired, id: &str, value: RwSignal<String>) {
    let el = w.el(id);
    w.effect(Box::new(move || {
        let v = value.get();
        if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            if input.value() != v {
                input.set_value(&v);
            }
        }
    }));
    let root = w.root().clone();
    let id = id.to_owned();
    w.on(&id.clone(), "input", move |_| {
        value.set(value_of(&root, &id))
    });
}
