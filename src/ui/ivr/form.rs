//! The voice-menu call form: checked before sending, sent once. Its fields
//! are a [`Draft`] the broadcast reuses as its voice menu.

use super::check::{build, IvrField, IvrFields};
use super::routes::{KeyRouteRows, RouteRow};
use super::text::IvrText;
use super::{IvrSent, IvrState, HISTORY};
use crate::i18n::{use_i18n, I18n};
use crate::io::ivr::IvrDesk;
use crate::time::now_ms;
use crate::ui::active::Active;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::ivr::VoiceType;

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

#[component]
pub fn IvrForm() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<IvrState>();
    let desk = expect_context::<IvrDesk>();
    let draft = expect_context::<Draft>();
    let active = expect_context::<StoredValue<Active>>();
    let seq = StoredValue::new(0u32);

    let submit = move |ev: SubmitEvent| {
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
    };

    let invalid = move |name: &'static str| {
        move || {
            state
                .field_error
                .with(|f| f.as_ref().is_some_and(|f| f.name() == name))
                .to_string()
        }
    };
    let text_input =
        move |id: &'static str, name: &'static str, label: IvrText, value: RwSignal<String>| {
            view! {
                <label>
                    {i18n.tr(label)}
                    <input id=id name=name autocomplete="off" aria-invalid=invalid(name)
                        prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
                </label>
            }
        };
    let voicetype = draft.voicetype;
    view! {
        <form id="ivr-form" class="login ivr-form" on:submit=submit>
            {text_input("ivr-destnumber", "destnumber", IvrText::Destnumber, draft.destnumber)}
            <label>
                {i18n.tr(IvrText::Voicetype)}
                <select id="ivr-voicetype" name="voicetype"
                    on:change=move |ev| voicetype.set(VoiceType::parse(&event_target_value(&ev)).unwrap_or(VoiceType::Offline))>
                    <option value="1" selected=move || voicetype.get() == VoiceType::Offline>{i18n.tr(IvrText::VoiceOffline)}</option>
                    <option value="2" selected=move || voicetype.get() == VoiceType::Url>{i18n.tr(IvrText::VoiceUrl)}</option>
                </select>
            </label>
            {text_input("ivr-voicefile", "voicefile", IvrText::Voicefile, draft.voicefile)}
            <KeyRouteRows rows=draft.routes />
            {text_input("ivr-disnumber", "disnumber", IvrText::Disnumber, draft.disnumber)}
            {text_input("ivr-customuuid", "customuuid", IvrText::Customuuid, draft.customuuid)}
            <button id="ivr-send" type="submit" prop:disabled=move || state.sending.get()>
                {move || i18n.t(if state.sending.get() { IvrText::Sending } else { IvrText::Send })}
            </button>
        </form>
        <p id="ivr-field-error" class="error" role="alert"
            data-field=move || state.field_error.with(|f| f.as_ref().map(IvrField::name).unwrap_or_default())>
            {move || state.field_error.with(|f| f.as_ref().map(|f| field_error_text(f, i18n)))}
        </p>
    }
}
