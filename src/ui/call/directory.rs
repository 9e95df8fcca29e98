//! One call button per terminal of the configured directory.

use super::text::CallText;
use crate::config::Terminal;
use crate::i18n::I18n;
use crate::io::calls::CallDesk;
use crate::ui::markup::{element_from_html, Wired};
use proto::call::Target;

/// A terminal's entry; its name, id and button id are filled in.
const ROW: &str = r#"<li><span class="terminal-name"></span> · <span class="terminal-id"></span> <button class="small call-terminal" type="button"></button></li>"#;

/// Fills `#call-directory` with `terminals`.
pub(super) fn wire(w: &Wired, desk: CallDesk, i18n: I18n, terminals: &[Terminal]) {
    let list = w.el("call-directory");
    for t in terminals {
        let id = t.id;
        let row = element_from_html(ROW);
        let _ = row.set_attribute("data-id", &id.to_string());
        let fill = |css: &str, text: &str| {
            if let Ok(Some(el)) = row.query_selector(css) {
                el.set_text_content(Some(text));
            }
        };
        fill(".terminal-name", &t.name);
        fill(".terminal-id", &id.to_string());
        if let Ok(Some(button)) = row.query_selector("button") {
            button.set_id(&format!("call-terminal-{id}"));
        }
        let _ = list.append_child(&row);
        let button = format!("call-terminal-{id}");
        let target = Target::User(id);
        w.attr(&button, "disabled", move || {
            desk.dialling(target).then(String::new)
        });
        w.text(&button, move || {
            i18n.t(if desk.dialling(target) {
                CallText::Dialling
            } else {
                CallText::Call
            })
            .to_owned()
        });
        w.on(&button, "click", move |_| desk.place(target));
    }
}
