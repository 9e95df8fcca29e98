//! Text the dispatcher reads: Chinese (zh-CN) by default, English
//! available. The shell's catalogue is [`Key`] below; a feature keeps its own
//! catalogue beside its components with the same [`catalogue!`] macro, so
//! features never edit each other's files. Every entry must have both
//! languages: a missing translation is a compile error.

use crate::reactive::RwSignal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    // The order indexes a phrase's pair of texts in the journal.
    #[default]
    Zh = 0,
    En = 1,
}

impl Lang {
    /// The BCP 47 tag, as `<html lang>` and config.json spell it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Self> {
        match tag.to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh-hans" => Some(Lang::Zh),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A phrase of some catalogue, in either language.
pub trait Phrase: Copy + Send + Sync + 'static {
    fn text(self, lang: Lang) -> &'static str;
}

/// Declares a catalogue: `catalogue! { pub enum Name { Key => "中文", "English"; … } }`.
#[macro_export]
macro_rules! catalogue {
    ($vis:vis enum $name:ident { $($key:ident => $zh:expr, $en:expr;)* }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name { $($key),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$key),*];
            /// The phrase called `name` (its variant's name), for markup
            /// (`data-t="Name"`, see src/ui/markup.rs). The names are one
            /// string, in the order of [`Self::ALL`].
            pub fn named(name: &str, lang: $crate::i18n::Lang) -> Option<&'static str> {
                const NAMES: &str = concat!($(stringify!($key), "\n"),*);
                let i = NAMES.lines().position(|n| n == name)?;
                Some($crate::i18n::Phrase::text(Self::ALL[i], lang))
            }
        }

        impl $crate::i18n::Phrase for $name {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                // One string in the data, the phrases in variant order, each
                // in both languages, split at U+0001: as a `match`, each
                // catalogue compiled to a branch per phrase, and as a table
                // of `&str` it carried 16 bytes of pointers per phrase.
                const TEXTS: &str = concat!($($zh, "\u{1}", $en, "\u{1}"),*);
                // A text with the separator in it would shift every later one.
                const _: () = assert!(
                    $crate::i18n::separators(TEXTS) == 2 * $name::ALL.len(),
                    "a catalogue text holds U+0001"
                );
                TEXTS
                    .split('\u{1}')
                    .nth(self as usize * 2 + lang as usize)
                    .unwrap_or_default()
            }
        }
    };
}

/// How many U+0001 `text` holds: [`catalogue!`] checks at compile time
/// that its texts do not.
pub const fn separators(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < bytes.len() {
        n += (bytes[i] == 1) as usize;
        i += 1;
    }
    n
}

/// A phrase with arguments, typed: `phrase!(pub fn name(n: u32) => "…{n}…",
/// "…{n}…");` makes `name(lang, n) -> String`. Each text is a `format!`
/// string, so a placeholder without its argument does not compile.
#[macro_export]
macro_rules! phrase {
    ($(#[$doc:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),*) => $zh:literal, $en:literal;) => {
        $(#[$doc])*
        $vis fn $name(lang: $crate::i18n::Lang, $($arg: $ty),*) -> String {
            match lang {
                $crate::i18n::Lang::Zh => format!($zh),
                $crate::i18n::Lang::En => format!($en),
            }
        }
    };
}

phrase! {
    /// The voice link is down and retried.
    pub fn reconnecting(n: u32) => "连接中断，正在重连（第 {n} 次）…", "Connection lost, reconnecting (attempt {n})…";
}

phrase! {
    /// The button under a long list that shows `n` more of its older rows.
    pub fn show_older(n: usize) => "显示更早的 {n} 条", "Show {n} older";
}

catalogue! { pub enum Key {
    AppTitle => "调度台", "Dispatch Desk";
    Language => "语言", "Language";
    NotLoggedIn => "未登录", "Not logged in";
    Dispatcher => "调度员", "Dispatcher";
    LoadingConfig => "正在加载配置…", "Loading configuration…";
    ConfigErrorTitle => "配置文件有误，调度台无法启动", "The configuration is wrong; the console cannot start";
    ConfigErrorHelp => "请修改 config.json（与 index.html 同目录）后刷新页面。每个配置项的说明见 docs/config.md。", "Fix config.json (next to index.html) and reload. Every key is explained in docs/config.md.";
    Retry => "重新加载", "Reload";
    ServiceVoice => "语音", "Voice";
    ServiceMeeting => "会议", "Meeting";
    ServiceCalls => "电话", "Calls";
    ServiceIvr => "语音菜单", "IVR";
    LightOff => "未连接", "Off";
    LightConnecting => "连接中", "Connecting";
    LightOnline => "在线", "Online";
    LightReconnecting => "重连中", "Reconnecting";
    LightRefused => "被拒绝", "Refused";
    LightIdle => "未使用", "Not in use";
    LightUnreachable => "无法连接", "Unreachable";
    PanelPtt => "对讲", "Push-to-talk";
    PanelMeeting => "视频会议", "Video meeting";
    PanelCalls => "电话呼叫", "Phone calls";
    PanelIvr => "语音菜单呼叫", "IVR calls";
    PanelJournal => "日志", "Journal";
    PanelSettings => "设置", "Settings";
    Panels => "面板", "Panels";
    MicrophoneBlocked => "本页面嵌入在门户框架中，但框架没有麦克风权限：无法对讲。请门户在 iframe 上加 allow=\"microphone; autoplay\"。", "This console is in a portal frame without microphone permission: push-to-talk cannot work. The portal must add allow=\"microphone; autoplay\" to its iframe.";
    Account => "账号", "Account";
    Password => "密码", "Password";
    Login => "登录", "Log in";
    Logout => "注销", "Log out";
    LoginRefused => "登录被拒绝：", "Login refused: ";
    OnlineAs => "已登录：", "Logged in as ";
    AccountRequired => "请输入账号和密码", "Enter the account and the password";
    ServiceAddress => "服务地址", "Service address";
    Deployment => "部署类型", "Deployment";
    DeploymentPublic => "公有云", "Public cloud";
    DeploymentEnterprise => "企业专属云", "Enterprise cloud";
    Conference => "会议室", "Conference";
    Terminals => "终端目录", "Terminal directory";
    JournalEmpty => "暂无记录", "Nothing yet";
    JournalSent => "发送", "Sent";
    JournalReceived => "接收", "Received";
    JournalError => "错误", "Error";
    JournalInfo => "信息", "Info";
    JournalClear => "清空", "Clear";
    JournalExport => "导出", "Export";
    JournalExportTitle => "下载全部日志（JSON Lines，已隐去密码和令牌）", "Download the whole journal (JSON lines, passwords and tokens masked)";
    JournalCut => "… [已截去 {n} 字节]", "… [{n} bytes cut]";
    VoicePluginUrl => "语音插件 WebSocket 地址", "Voice plugin WebSocket";
    VoiceServerUrl => "语音服务器地址（initServer）", "Voice server (initServer)";
    MeetingApiServer => "会议 API 服务器", "Meeting API server";
    CallsBaseUrl => "电话接口地址", "Calls API address";
    IvrUrl => "语音菜单接口地址", "IVR API address";
    Save => "保存并应用", "Save and apply";
    ResetSettings => "恢复 config.json 的设置", "Restore config.json settings";
    SettingsNote => "设置保存在本浏览器中；密码和令牌从不保存。", "Settings are kept in this browser; passwords and tokens never are.";
    SettingsSaved => "设置已保存", "Settings saved";
    SecretsInFile => "config.json 中保存了密钥：", "config.json holds secrets: ";
    SecretsInFileWhy => "config.json 是公开文件，任何能打开调度台的人都能读取。请改为在界面中输入、由嵌入的门户传入，或由反向代理添加（见 docs/deploy.md）。", "config.json is a public file: anyone who can open the console can read it. Type them in the console, let the embedding portal hand them over, or have the reverse proxy add them (see docs/deploy.md).";
    ServerSaid => "服务器返回：", "Server said: ";
}}

/// The current language, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Lang>,
}

impl I18n {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang: RwSignal::new(lang),
        }
    }

    /// Text for `key` in the current language (reactive).
    pub fn t(&self, key: impl Phrase) -> &'static str {
        key.text(self.lang.get())
    }
}

pub fn use_i18n() -> I18n {
    crate::reactive::expect_context::<I18n>()
}
