//! Shown instead of the console when config.json is missing or wrong: a
//! deployment writes that file by hand and must see what to fix.

use crate::i18n::Key;
use crate::ui::markup::{markup, Markup, Wired};

pub fn config_error(problems: Vec<String>) -> Markup {
    markup(HTML, &[Key::named], move |w: &Wired| {
        let list = w.el("config-problems");
        for problem in &problems {
            let _ = list.insert_adjacent_html("beforeend", "<li></li>");
            if let Some(li) = list.last_element_child() {
                li.set_text_content(Some(problem));
            }
        }
        w.on("config-retry", "click", |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
    })
}

const HTML: &str = r#"<main id="config-error" class="config-error" role="alert"><h1 data-t="ConfigErrorTitle"></h1><ul id="config-problems"></ul><p data-t="ConfigErrorHelp"></p><button id="config-retry" data-t="Retry"></button></main>"#;
