//! The push-to-talk panel's words.

crate::catalogue! { pub enum PttText {
    GroupCall => "临时组呼", "Group call";
    Pick => "选择终端", "Choose terminals";
    StartCall => "发起组呼", "Start group call";
    AddMembers => "添加所选终端", "Add chosen terminals";
    HangUp => "挂断", "Hang up";
    Kick => "移出", "Remove";
    Session => "会话：", "Session: ";
    NoSession => "当前没有组呼", "No group call";
    Members => "成员", "Members";
    Me => "我在讲话", "I am talking";
    Talking => " 正在讲话", " is talking";
    Idle => "空闲", "Idle";
    TalkButton => "按住讲话（空格）", "Hold to talk (Space)";
    StateIdle => "空闲", "Idle";
    StateBusy => "忙", "Busy";
    StateCalling => "呼叫中", "Calling";
    StateRinging => "响铃中", "Ringing";
    StateAnswered => "已接听", "Answered";
    NotOnline => "请先登录语音服务", "Log in to the voice service first";
    NoSessionError => "没有正在进行的组呼", "There is no group call";
    InCall => "已有组呼在进行，请先挂断", "A group call is running; hang up first";
    NoTerminals => "请先选择终端", "Choose terminals first";
    Refused => "服务器拒绝：", "Refused by the server: ";
}}
