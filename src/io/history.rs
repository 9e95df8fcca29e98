//! The shift's history of calls and IVR requests, kept in localStorage so a
//! reload loses nothing. Entries hold whom, when, how long and how it went:
//! never a token or a password. The pure part (entries, filter, CSV) is
//! `proto::history`; this is the store and the CSV download.

use super::storage;
use crate::reactive::{ReadSignal, RwSignal};
use leptos::prelude::*;
use proto::history::{self, Entry};
use proto::ivr::ExtensionStatus;
use wasm_bindgen::JsCast;

const KEY: &str = "dispatch-desk.history";

#[derive(Clone, Copy)]
pub struct History {
    entries: RwSignal<Vec<Entry>>,
}

impl History {
    /// The history stored by earlier pages of this browser.
    pub fn load() -> Self {
        let stored = storage::read(KEY)
            .map(|text| history::decode(&text))
            .unwrap_or_default();
        Self {
            entries: RwSignal::new(stored),
        }
    }

    /// Newest first.
    pub fn entries(&self) -> ReadSignal<Vec<Entry>> {
        self.entries.read_only()
    }

    pub fn record(&self, entry: Entry) {
        self.update(|all| history::record(all, entry));
    }

    /// Records `entry`, in place of the one with its `customuuid` if any
    /// (a broadcast number sent again).
    pub fn put(&self, entry: Entry) {
        self.update(|all| {
            if !entry.customuuid.is_empty() {
                all.retain(|e| e.customuuid != entry.customuuid);
            }
            history::record(all, entry);
        });
    }

    /// Changes the entry with this `customuuid` (an IVR callback came).
    /// A callback for no entry kept (another console's, or one long gone)
    /// changes nothing: no list redrawn, no shift's history rewritten to
    /// localStorage.
    pub fn amend(&self, customuuid: &str, change: impl FnOnce(&mut Entry)) {
        if customuuid.is_empty() {
            return;
        }
        let at = self
            .entries
            .with_untracked(|all| all.iter().position(|e| e.customuuid == customuuid));
        if let Some(i) = at {
            self.update(|all| change(&mut all[i]));
        }
    }

    /// Changes the entry an extension-status callback belongs to, if any
    /// (see `history::extension_target`); none, as [`Self::amend`].
    pub fn amend_by_extension(&self, status: &ExtensionStatus, now_ms: u64) {
        let at = self
            .entries
            .with_untracked(|all| history::extension_target(all, status, now_ms));
        if let Some(i) = at {
            self.update(|all| all[i].apply_extension_status(status));
        }
    }

    pub fn clear(&self) {
        self.update(Vec::clear);
    }

    fn update(&self, change: impl FnOnce(&mut Vec<Entry>)) {
        self.entries.try_update(change);
        let text = self.entries.with_untracked(|all| history::encode(all));
        storage::write(KEY, &text);
    }
}

/// Offers `text` as a file download named `name` (a Blob and a link).
pub fn download_csv(name: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let link: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Freed once the browser has surely read it.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}
