//! Credentials the dispatcher types for this session, so that config.json
//! need hold none: kept in memory only (gone on reload), never shown back,
//! masked in the journal. The voice password is typed at login instead.

use super::active::Active;
use crate::i18n::use_i18n;
use crate::io::calls::CallDesk;
use crate::journal::Journal;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;

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

#[component]
pub fn Credentials() -> impl IntoView {
    let i18n = use_i18n();
    let active = expect_context::<StoredValue<Active>>();
    let calls = expect_context::<CallDesk>();
    let journal = expect_context::<Journal>();
    let fields = [
        (
            Secret::MeetingPin,
            "credential-meeting-pin",
            CredentialText::MeetingPin,
        ),
        (
            Secret::CallsToken,
            "credential-calls-token",
            CredentialText::CallsToken,
        ),
        (
            Secret::IvrToken,
            "credential-ivr-token",
            CredentialText::IvrToken,
        ),
    ]
    .map(|(secret, id, label)| (secret, id, label, RwSignal::new(String::new())));
    // Bumped on each use, so that "set / not set" is read again.
    let applied = RwSignal::new(0u32);

    let apply = move |ev: SubmitEvent| {
        ev.prevent_default();
        for (secret, _, _, typed) in fields {
            let value = typed.get_untracked().trim().to_owned();
            typed.set(String::new());
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
    };
    let rows = fields
        .into_iter()
        .map(|(secret, id, label, typed)| {
            let set = move || {
                applied.track();
                let set = active.with_value(|a| !secret.value(a).is_empty());
                i18n.t(if set {
                    CredentialText::IsSet
                } else {
                    CredentialText::NotSet
                })
            };
            view! {
                <label>
                    {i18n.tr(label)} " (" <span id=format!("{id}-state")>{set}</span> ")"
                    <input
                        id=id
                        type="password"
                        autocomplete="off"
                        prop:value=typed
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                </label>
            }
        })
        .collect_view();
    view! {
        <form id="credentials-form" class="settings" on:submit=apply>
            <h3>{i18n.tr(CredentialText::Title)}</h3>
            {rows}
            <p class="note" role="status">
                {move || (applied.get() > 0).then(|| i18n.t(CredentialText::Applied))}
            </p>
            <div class="buttons">
                <button id="credentials-apply" type="submit">{i18n.tr(CredentialText::Apply)}</button>
            </div>
        </form>
    }
}
