//! The IVR panel's words.

crate::catalogue! { pub enum IvrText {
    ServiceAddress => "语音菜单接口地址", "IVR API address";
    Destnumber => "目标号码", "Number to call";
    Voicetype => "语音类型", "Voice type";
    VoiceOffline => "离线语音文件", "Voice file on the server";
    VoiceUrl => "在线语音（URL）", "Voice at a URL";
    Voicefile => "语音文件名或 URL", "Voice file name or URL";
    Routes => "按键转接分机组（可不填）", "Key routes to extension groups (optional)";
    RouteKey => "按键", "Key";
    RouteGroup => "分机组", "Extension group";
    RouteAdd => "添加按键转接", "Add a key route";
    RouteRemove => "删除", "Remove";
    Disnumber => "主叫号码（留空则随机）", "Caller number (empty: any)";
    Customuuid => "自定义数据（可留空）", "Custom data (optional)";
    Send => "发起语音菜单呼叫", "Place the IVR call";
    Sending => "正在发送…", "Sending…";
    BadDestnumber => "目标号码必须填写，且只能是数字", "The number to call is required and must be digits";
    BadVoicefile => "请填写语音文件名或 URL", "Enter the voice file name or URL";
    BadUserid => "每条按键转接都要填写分机组（不含空格和 @），且每个按键只能用一次", "Each key route needs an extension group (no spaces or @), and each key can be used once";
    BadDisnumber => "主叫号码只能是数字", "The caller number must be digits";
    NoToken => "配置中缺少语音菜单令牌（ivr.token）", "The configuration has no IVR token (ivr.token)";
    BadRequest => "请求无效：", "Invalid request: ";
    ServerSaid => "服务器返回：", "Server said: ";
    NoReply => "语音菜单服务无响应，请检查网络", "The IVR service did not answer; check the network";
    BadReply => "语音菜单服务的回复无法识别", "The IVR service's reply could not be read";
    History => "最近发送的语音菜单呼叫", "Recent IVR calls";
    NoHistory => "暂无", "None yet";
    Accepted => "已受理", "Accepted";
    Refused => "被拒绝", "Refused";
    Failed => "失败", "Failed";
}}
