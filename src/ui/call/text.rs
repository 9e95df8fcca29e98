//! The phone-call panel's words.

crate::catalogue! { pub enum CallText {
    Directory => "终端目录", "Terminal directory";
    Call => "呼叫", "Call";
    DialLabel => "按用户 ID 呼叫", "Call by user id";
    DialPlaceholder => "例如 169918", "e.g. 169918";
    Dial => "拨打", "Dial";
    BadId => "请输入数字形式的用户 ID", "Enter a user id made of digits";
    CallService => "呼叫客服", "Call customer service";
    CustomerService => "客服", "Customer service";
    Calls => "当前与最近的呼叫", "Current and recent calls";
    NoCalls => "暂无呼叫", "No calls yet";
    Requesting => "请求中", "Requesting";
    Ringing => "响铃中", "Ringing";
    Connected => "通话中", "Connected";
    Ended => "已结束", "Ended";
    Cancelled => "（已取消）", " (cancelled)";
    Failed => "呼叫失败", "Call failed";
    Unknown => "状态未知", "State unknown";
    Cancel => "取消呼叫", "Cancel call";
    Cancelling => "正在取消…", "Cancelling…";
    NoReply => "电话服务无响应，请检查网络", "The call service did not answer; check the network";
    BadReply => "电话服务的回复无法识别", "The call service's reply could not be read";
    ServiceAddress => "电话接口地址", "Calls API address";
}}
