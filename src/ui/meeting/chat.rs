//! Messages to everyone in the meeting, and the ones received.

use super::participants::escape_into;
use crate::io::meeting::Meeting;
use crate::ui::markup::{value_of, Wired};
use proto::meeting::{Command, TextMessage};
use std::cell::RefCell;
use wasm_bindgen::JsCast;

/// Wires `.meeting-chat`.
pub fn wire(w: &Wired, meeting: Meeting) {
    let state = super::shown();
    let root = w.root().clone();
    let input = w.el("meeting-message-input");
    w.on("meeting-message-form", "submit", move |ev| {
        ev.prevent_default();
        let t = value_of(&root, "meeting-message-input").trim().to_owned();
        if !t.is_empty() {
            meeting.command(Command::Message(TextMessage::plain(t)));
            if let Some(input) = input.dyn_ref::<web_sys::HtmlInputElement>() {
                input.set_value("");
            }
        }
    });
    // The messages kept are few: written anew, as HTML, when they change.
    let list = w.el("meeting-messages");
    let written = RefCell::new(String::new());
    let shown = list.clone();
    w.effect(Box::new(move || {
        let html = state.with(|v| {
            let mut html = String::new();
            for m in &v.conference.messages {
                html.push_str("<li><strong>");
                escape_into(&mut html, &m.origin);
                html.push_str("</strong>: ");
                escape_into(&mut html, &m.payload);
                html.push_str("</li>");
            }
            html
        });
        if *written.borrow() != html {
            shown.set_inner_html(&html);
            *written.borrow_mut() = html;
        }
    }));
    let section = w.part(".meeting-chat");
    w.present(
        section.clone(),
        vec![w.part(".meeting-chat > .empty").into()],
        vec![list.into()],
        Box::new(move || state.with(|v| v.conference.messages.is_empty())),
    );
}
