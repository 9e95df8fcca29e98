//! The root: picks the language, loads config.json, then shows either the
//! console or a screen saying what is wrong with the configuration.

use super::active::Restart;
use super::config_error::ConfigError;
use super::console::Console;
use crate::config::Config;
use crate::i18n::{I18n, Key, Lang};
use crate::io::{config_file, storage};
use crate::journal::Journal;
use crate::reactive::{effect, RwSignal};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
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
    move || match config.get() {
        None => view! { <p class="loading">{i18n.tr(Key::LoadingConfig)}</p> }.into_any(),
        Some(Err(problems)) => view! { <ConfigError problems /> }.into_any(),
        Some(Ok(file))
            if crate::io::page_origin().starts_with("https:")
                && !file.insecure_addresses().is_empty() =>
        {
            let problems = file.insecure_addresses();
            view! { <ConfigError problems /> }.into_any()
        }
        Some(Ok(file)) => {
            if chosen.is_none() {
                i18n.lang.set(file.lang());
            }
            let secure = crate::io::page_origin().starts_with("https:");
            let config = file.clone().with_settings(&settings, secure);
            // Effects run after mounting: the console is usable here (`cargo xtask bench` times to it).
            effect(|| crate::time::mark("dd-ready"));
            view! { <Running file config /> }.into_any()
        }
    }
}

/// The console with the configuration in force; a portal's `configure` that
/// changes a service address restarts it (new shells, same journal).
#[component]
fn Running(file: Config, config: Config) -> impl IntoView {
    provide_context(Journal::new());
    let current = RwSignal::new(config);
    provide_context(Restart(current.write_only()));
    move || {
        let config = current.get();
        view! { <Console file=file.clone() config /> }
    }
}
