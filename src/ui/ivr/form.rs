//! The voice-menu call form: checked before sending, sent once.

use super::check::{build, IvrField, IvrFields};
use super::text::IvrText;
use super::{IvrSent, IvrState, HISTORY};
use crate::i18n::use_i18n;
use crate::io::ivr::IvrDesk;
use crate::time::now_ms;
use crate::ui::active::{use_active, Active};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::ivr::VoiceType;

#[component]
pub fn IvrForm() -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<IvrState>();
    let desk = expect_context::<IvrDesk>();
    let active = expect_context::<StoredValue<Active>>();
    let config = use_active().config.ivr;
    let destnumber = RwSignal::new(String::new());
    let voicetype = RwSignal::new(VoiceType::Offline);
    let voicefile = RwSignal::new(String::new());
    let userid = RwSignal::new(String::new());
    let disnumber = RwSignal::new(config.disnumber);
    let customuuid = RwSignal::new(String::new());
    let seq = StoredValue::new(0u32);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if state.sending.get_untracked() {
            return;
        }
        // Callbacks are matched by customuuid: one is made when none is given,
        // and shown in the form.
        if customuuid.with_untracked(|c| c.trim().is_empty()) {
            customuuid.set(format!("dd{}{}", now_ms(), seq.get_value() + 1));
        }
        let fields = IvrFields {
            destnumber: destnumber.get_untracked(),
            voicetype: voicetype.get_untracked(),
            voicefile: voicefile.get_untracked(),
            userid: userid.get_untracked(),
            disnumber: disnumber.get_untracked(),
            customuuid: customuuid.get_untracked(),
        };
        // Read when sent: the dispatcher or the portal may give it later.
        let token = active.with_value(|a| a.config.ivr.token.clone());
        let play = match build(&fields, &token) {
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
    view! {
        <form id="ivr-form" class="login ivr-form" on:submit=submit>
            {text_input("ivr-destnumber", "destnumber", IvrText::Destnumber, destnumber)}
            <label>
                {i18n.tr(IvrText::Voicetype)}
                <select id="ivr-voicetype" name="voicetype"
                    on:change=move |ev| voicetype.set(VoiceType::parse(&event_target_value(&ev)).unwrap_or(VoiceType::Offline))>
                    <option value="1" selected=move || voicetype.get() == VoiceType::Offline>{i18n.tr(IvrText::VoiceOffline)}</option>
                    <option value="2" selected=move || voicetype.get() == VoiceType::Url>{i18n.tr(IvrText::VoiceUrl)}</option>
                </select>
            </label>
            {text_input("ivr-voicefile", "voicefile", IvrText::Voicefile, voicefile)}
            {text_input("ivr-userid", "userid", IvrText::Userid, userid)}
            {text_input("ivr-disnumber", "disnumber", IvrText::Disnumber, disnumber)}
            {text_input("ivr-customuuid", "customuuid", IvrText::Customuuid, customuuid)}
            <button id="ivr-send" type="submit" prop:disabled=move || state.sending.get()>
                {move || i18n.t(if state.sending.get() { IvrText::Sending } else { IvrText::Send })}
            </button>
        </form>
        <p id="ivr-field-error" class="error" role="alert"
            data-field=move || state.field_error.with(|f| f.as_ref().map(IvrField::name).unwrap_or_default())>
            {move || state.field_error.get().map(|f| match f {
                IvrField::Destnumber => i18n.t(IvrText::BadDestnumber).to_owned(),
                IvrField::Voicefile => i18n.t(IvrText::BadVoicefile).to_owned(),
                IvrField::Userid => i18n.t(IvrText::BadUserid).to_owned(),
                IvrField::Disnumber => i18n.t(IvrText::BadDisnumber).to_owned(),
                IvrField::Token => i18n.t(IvrText::NoToken).to_owned(),
                IvrField::Other(why) => format!("{}{why}", i18n.t(IvrText::BadRequest)),
            })}
        </p>
    }
}
