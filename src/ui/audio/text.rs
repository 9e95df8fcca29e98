//! The audio status line's words, and the settings' audio mode.

crate::catalogue! { pub enum AudioText {
    Mode => "语音通道", "Audio";
    ModeBrowser => "浏览器采集和播放", "Captured and played by the browser";
    ModePlugin => "由语音插件管理麦克风和扬声器", "Microphone and speaker owned by the voice plugin";
    MicNotAsked => "登录语音服务后将申请使用麦克风", "The microphone is asked for at voice login";
    MicNotAskedTalk => "第一次讲话时将申请使用麦克风", "The microphone is asked for at the first talk";
    MicAsk => "何时申请麦克风", "Ask for the microphone";
    Codec => "发送编码", "Send audio as";
    CodecAuto => "Opus（浏览器支持时），否则 G.711", "Opus where the browser has it, else G.711";
    CodecMulaw => "仅 G.711 μ-law（插件只接收 G.711 时）", "G.711 mu-law only (for plugins that take nothing else)";
    MicAskLogin => "登录语音服务时", "At voice login";
    MicAskTalk => "第一次讲话时", "At the first talk";
    MicAsking => "正在申请使用麦克风…", "Asking for the microphone…";
    MicReady => "麦克风就绪", "Microphone ready";
    MicRefused => "麦克风被拒绝：请在浏览器地址栏允许本页面使用麦克风，然后刷新", "Microphone refused: allow this page to use the microphone (address bar), then reload";
    MicBlockedByFrame => "麦克风被禁止：调度台嵌在未授权麦克风的框架中（需要 allow=\"microphone\"）", "Microphone blocked: the console is in a frame without allow=\"microphone\"";
    MicMissing => "未找到麦克风：请连接麦克风后刷新", "No microphone found: connect one, then reload";
    MicUnavailable => "此页面无法使用麦克风（需要 https）", "No microphone on this page (it needs https)";
    MicFailed => "麦克风无法打开（可能被其他程序占用），详情见日志", "The microphone could not be opened (in use elsewhere?); see the journal";
    PluginSays => "语音插件：", "Voice plugin: ";
    LevelIn => "麦克风电平", "Microphone level";
    LevelOut => "扬声器电平", "Speaker level";
    Microphone => "麦克风", "Microphone";
    MicrophoneN => "麦克风 ", "Microphone ";
    Speaker => "扬声器", "Speaker";
    SpeakerN => "扬声器 ", "Speaker ";
    DefaultDevice => "系统默认", "System default";
    DeviceGone => "所选设备已不可用，正在使用系统默认设备", "The chosen device is gone: the system default is used";
} }
