//! The journal's line for each link change, in the dispatcher's language.

use crate::i18n::Key;
use crate::time::now_ms;
use proto::call::Health;
use proto::meeting::machine::MeetingLink;
use proto::voice::Link;

fn retry(attempt: u32, retry_at: u64) -> String {
    format!(" #{attempt} +{} ms", retry_at.saturating_sub(now_ms()))
}

pub fn voice_link(link: &Link) -> (Key, String) {
    match link {
        Link::Offline => (Key::LightOff, String::new()),
        Link::Connecting => (Key::LightConnecting, String::new()),
        Link::Online => (Key::LightOnline, String::new()),
        Link::Reconnecting { attempt, retry_at } => {
            (Key::LightReconnecting, retry(*attempt, *retry_at))
        }
        Link::Refused { message } => (Key::LightRefused, format!(" {message}")),
    }
}

pub fn meeting_link(link: &MeetingLink) -> (Key, String) {
    match link {
        MeetingLink::Idle => (Key::LightIdle, String::new()),
        MeetingLink::Joining => (Key::LightConnecting, String::new()),
        MeetingLink::Online => (Key::LightOnline, String::new()),
        MeetingLink::Reconnecting { attempt, retry_at } => {
            (Key::LightReconnecting, retry(*attempt, *retry_at))
        }
        MeetingLink::Unreachable { attempt, retry_at } => {
            (Key::LightUnreachable, retry(*attempt, *retry_at))
        }
        MeetingLink::Refused { message } => (Key::LightRefused, format!(" {message}")),
    }
}

pub fn call_health(health: Health) -> Key {
    match health {
        Health::Idle => Key::LightIdle,
        Health::Online => Key::LightOnline,
        Health::Retrying { .. } => Key::LightReconnecting,
        Health::Unreachable => Key::LightUnreachable,
    }
}
