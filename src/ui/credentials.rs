//! Credentials the dispatcher types for this session, so that config.json
//! need hold none: kept in memory only (gone on reload), never shown back,
//! masked in the journal. The voice password is typed at login instead.

use super::active::Active;
use super::markup::{markup, value_of, Markup, Wired};
use crate::i18n::{use_i18n, Phrase};
use crate::io::calls::CallDesk;
use crate::journal::Journal;
use crate::reactive::{RwSignal, StoredValue};
use wasm_bindgen::JsCast;

crate::catalogue! { pub enum CredentialText {
    Title => "本次会话的凭据（仅保存在内存中，刷新后需重新输入）", "Credentials for this session (in memory only: type them again after a reload)";
    MeetingPin => "会议密码（PIN）", "Meeting PIN";
    CallsToken => "电话接口令牌（access_token）", "Calls access token";
    IvrToken => "语音菜单令牌（token）", "IVR token";
    IsSet => "已设置", "set";
    NotSet => "未设置", "not set";
    Apply => "使用这些凭据", "Use these credentials";
    Applied => "已使用；空白项保持原样。", "In use; blank fields were left as they were.";
}}

/// Which secret of the configuration in force a field replaces.
#[derive(Clone, Copy)]
enum Secret {
    MeetingPin,
    CallsToken,
    IvrToken,
}

impl Secret {
    fn value(self, a: &Active) -> &str {
        match self {
            Secret::MeetingPin => &a.config.meeting.join_pwd,
            Secret::CallsToken => &a.config.calls.access_token,
            Secret::IvrToken => &a.config.ivr.token,
        }
    }

    fn slot(self, a: &mut Active) -> &mut String {
        match self {
            Secret::MeetingPin => &mut a.config.meeting.join_pwd,
            Secret::CallsToken => &mut a.config.calls.access_token,
            Secret::IvrToken => &mut a.config.ivr.token,
        }
    }
}

pub fn credentials() -> Markup {
    let lang = use_i18n().lang;
    let active = crate::reactive::expect_context::<StoredValue<Active>>();
    let calls = crate::reactive::expect_context::<CallDesk>();
    let journal = crate::reactive::expect_context::<Journal>();
    let fields = [
        (Secret::MeetingPin, "credential-meeting-pin"),
        (Secret::CallsToken, "credential-calls-token"),
        (Secret::IvrToken, "credential-ivr-token"),
    ];
    // Bumped on each use, so that "set / not set" is read again.
    let applied = RwSignal::new(0u32);
    markup(HTML, &[CredentialText::named], move |w: &Wired| {
        let form = w.root().clone();
        w.on("credentials-form", "submit", move |ev| {
            ev.prevent_default();
            for (secret, id) in fields {
                let value = value_of(&form, id).trim().to_owned();
                if let Ok(Some(input)) = form.query_selector(&format!("#{id}")) {
                    if let Some(input) = input.dyn_ref::<web_sys::HtmlInputElement>() {
                        input.set_value("");
                    }
                }
                if value.is_empty() {
                    continue;
                }
                journal.remember_secret(&value);
                if let Secret::CallsToken = secret {
                    calls.set_access_token(value.clone());
                }
                active.update_value(|a| *secret.slot(a) = value);
            }
            applied.update(|n| *n += 1);
        });
        for (secret, id) in fields {
            w.text(&format!("{id}-state"), move || {
                applied.track();
                let set = active.with_value(|a| !secret.value(a).is_empty());
                let word = if set {
                    CredentialText::IsSet
                } else {
                    CredentialText::NotSet
                };
                word.text(lang.get()).to_owned()
            });
        }
        w.text("credentials-applied", move || {
            let word = (applied.get() > 0).then(|| CredentialText::Applied.text(lang.get()));
            word.unwrap_or_default().to_owned()
        });
    })
}

/// Each field is the secret's label, its state in brackets, and a password input.
const HTML: &str = r#"<form id="credentials-form" class="settings"><h3 data-t="Title"></h3><label><span><span data-t="MeetingPin"></span> (<span id="credential-meeting-pin-state"></span>)</span><input id="credential-meeting-pin" type="password" autocomplete="off"></label><label><span><span data-t="CallsToken"></span> (<span id="credential-calls-token-state"></span>)</span><input id="credential-calls-token" type="password" autocomplete="off"></label><label><span><span data-t="IvrToken"></span> (<span id="credential-ivr-token-state"></span>)</span><input id="credential-ivr-token" type="password" autocomplete="off"></label><p id="credentials-applied" class="note" role="status"></p><div class="buttons"><button id="credentials-apply" type="submit" data-t="Apply"></button></div></form>"#;
