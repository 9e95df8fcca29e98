//! The meeting panel's own catalogue (zh-CN default, en).

use crate::catalogue;

catalogue! { pub enum MeetingText {
    Join => "入会", "Join";
    Leave => "退出会议", "Leave";
    Joining => "正在入会…", "Joining…";
    InMeeting => "已入会：", "In meeting: ";
    JoinRefused => "入会被拒绝：", "Join refused: ";
    ConferenceRequired => "请输入会议室号", "Enter the conference";
    Locked => "已锁会", "Locked";
    Unlocked => "未锁会", "Unlocked";
    GuestsMuted => "访客已静音", "Guests muted";
    GuestsUnmuted => "访客可发言", "Guests may speak";
    Lock => "锁会", "Lock";
    Unlock => "解锁", "Unlock";
    MuteGuests => "静音全部访客", "Mute guests";
    UnmuteGuests => "取消访客静音", "Unmute guests";
    Participants => "参会者", "Participants";
    NoParticipants => "暂无参会者", "No participants";
    RoleHost => "主持人", "Host";
    RoleGuest => "访客", "Guest";
    Muted => "已静音", "Muted";
    Speaking => "正在讲话", "Speaking";
    Connecting => "呼叫中", "Connecting";
    WaitingRoom => "等待主持人准许", "Waiting room";
    Ivr => "等待输入密码", "Entering PIN";
    Me => "（本台）", " (this console)";
    Mute => "静音", "Mute";
    Unmute => "取消静音", "Unmute";
    Kick => "移出会议", "Disconnect";
    MakeHost => "设为主持人", "Make host";
    MakeGuest => "设为访客", "Make guest";
    SpotlightOn => "设为焦点", "Spotlight";
    SpotlightOff => "取消焦点", "Remove spotlight";
    Spotlit => "焦点", "Spotlight";
    Admit => "准许入会", "Admit";
    DialTitle => "呼叫终端入会", "Call a device in";
    Dial => "外呼", "Dial";
    Destination => "号码或地址", "Number or address";
    Protocol => "协议", "Protocol";
    Role => "角色", "Role";
    DestinationRequired => "请输入号码或地址", "Enter a number or an address";
    Chat => "文字消息", "Messages";
    NoMessages => "暂无消息", "No messages";
    MessageText => "消息内容", "Message";
    Send => "发送给全体", "Send to all";
    Presenting => "正在演示：", "Presenting: ";
    Layout => "布局：", "Layout: ";
    Unsupported => "企业专属云不支持此操作：", "The enterprise cloud does not support this: ";
    UnsupportedHint => "企业专属云不支持", "Not supported on the enterprise cloud";
    NotJoined => "请先入会", "Join the meeting first";
    Disconnected => "已被移出会议：", "Put out of the meeting: ";
    Dismiss => "知道了", "Dismiss";
    RejoinRefused => "重新入会被拒绝，稍后自动重试：", "Rejoin refused, retrying shortly: ";
    Busy => "等待令牌更新的操作过多，已放弃：", "Too many actions waiting for a new token, dropped: ";
    GuestNoTools => "本台以访客身份入会：主持人操作不可用", "Joined as a guest: host tools are not available";
    InWaitingRoom => "在等候室中，等待主持人准许入会", "In the waiting room, waiting for a host to admit this console";
    AtPinPrompt => "等待输入会议密码", "At the PIN prompt, waiting for the meeting PIN";
    ConferenceState => "会议状态", "Meeting state";
    Search => "搜索参会者", "Search participants";
    SortBy => "排序", "Sort";
    SortJoined => "按入会时间", "By time joined";
    SortName => "按名称", "By name";
    SortRole => "主持人优先", "Hosts first";
    SortStage => "发言者优先", "Speakers first";
    AdmitAll => "全部准许入会", "Admit all";
    NoMatch => "没有符合条件的参会者", "No participant matches";
    Gateway => "点对点", "Point-to-point";
    PresentingNow => "演示中", "Presenting";
    DirectionIn => "呼入", "Called in";
    DirectionOut => "呼出", "Dialled out";
    Encrypted => "已加密", "Encrypted";
    Unencrypted => "未加密", "Not encrypted";
    AudioOnly => "仅音频", "Audio only";
    RxDenied => "不接收演示", "Presentation blocked";
    TimeInMeeting => "入会时长", "Time in the meeting";
}}

crate::phrase! {
    pub fn unreachable(n: u32) => "无法连接会议服务器，正在重试（第 {n} 次）…", "Meeting server unreachable, retrying (attempt {n})…";
}

crate::phrase! {
    pub fn command_failed(cmd: &str) => "操作被拒绝（{cmd}）：", "Refused ({cmd}): ";
}
