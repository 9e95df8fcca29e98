//! The root: picks the language, loads config.json, then shows either the
//! console or a screen saying what is wrong with the configuration.

use super::active::Restart;
use super::config_error::config_error;
use super::console::console;
use super::markup::{markup, Markup, Wired};
use crate::config::Config;
use crate::i18n::{I18n, Key, Lang};
use crate::io::{config_file, storage};
use crate::journal::Journal;
use crate::reactive::{effect, RwSignal};
use leptos::prelude::*;

/// The console on `page` (the body): the language, then the console or
/// the configuration's problems.
pub fn app(page: &Wired) {
    let settings = storage::load_settings();
    let chosen = settings.language.as_deref().and_then(Lang::from_tag);
    let i18n = I18n::new(chosen.unwrap_or_default());
    provide_context(i18n);
    effect(move || {
        let tag = i18n.lang.get().tag();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("lang", tag);
        }
    });

    // Usually boot.js has config.json by the time the wasm starts; if not, wait for it.
    let config = RwSignal::new(config_file::arrived());
    if config.with_untracked(Option::is_none) {
        leptos::task::spawn_local(async move { config.set(Some(config_file::load().await)) });
    }
    let content = move || {
        let loaded = config.get();
        untrack(|| match loaded {
            None => vec![markup(LOADING, &[Key::named], |_| {})],
            Some(Err(problems)) => vec![config_error(problems)],
            Some(Ok(file))
                if crate::io::page_origin().starts_with("https:")
                    && !file.insecure_addresses().is_empty() =>
            {
                vec![config_error(file.insecure_addresses())]
            }
            Some(Ok(file)) => {
                if chosen.is_none() {
                    i18n.lang.set(file.lang());
                }
                let secure = crate::io::page_origin().starts_with("https:");
                let config = file.clone().with_settings(&settings, secure);
                // Effects run after mounting: the console is usable here (`cargo xtask bench` times to it).
                effect(|| crate::time::mark("dd-ready"));
                vec![running(file, config)]
            }
        })
    };
    page.region(page.root(), Box::new(content));
}

const LOADING: &str = r#"<p class="loading" data-t="LoadingConfig"></p>"#;

/// What holds the console: laid out as if its parts were the body's own.
const RUNNING: &str = r#"<div id="desk" class="desk"></div>"#;

/// The console with the configuration in force; a portal's `configure` that
/// changes a service address restarts it (new shells, same journal).
fn running(file: Config, config: Config) -> Markup {
    provide_context(Journal::new());
    let current = RwSignal::new(config);
    provide_context(Restart(current.write_only()));
    markup(RUNNING, &[], move |w: &Wired| {
        w.region(
            w.root(),
            Box::new(move || {
                let config = current.get();
                untrack(|| console(file.clone(), config))
            }),
        );
    })
}
