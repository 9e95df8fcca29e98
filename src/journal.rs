//! The journal: every message sent and received and every error, newest
//! first, with time. It scrubs every text it keeps ([`scrub`]): callers
//! should still pass redacted text, but a path nobody thought of (an error
//! quoting a full URL, an echoed body) cannot leak a secret the page knows
//! or a credential field. It is bounded by count and by bytes.

pub mod scrub;

use crate::i18n::{Key, Lang, Phrase};
use crate::reactive::{RwSignal, StoredValue};
use crate::time::now_ms;
use scrub::Secrets;
use std::cell::RefCell;
use std::collections::VecDeque;

/// Enough for a shift's troubleshooting without growing without bound.
pub const CAPACITY: usize = 1_000;
/// The longest text an entry keeps; a longer one is cut with a marker.
pub const ENTRY_LIMIT: usize = 4 * 1024;
/// The most bytes of text the whole journal keeps; oldest entries go first.
pub const BYTE_BUDGET: usize = 2 * 1024 * 1024;

thread_local! {
    /// The secrets this page knows (memory only, never stored): one set for
    /// every journal and the crash screen.
    static SECRETS: RefCell<Secrets> = RefCell::default();
}

/// `text` with every known secret and credential field masked. Safe to call
/// from a panic hook: if the set is busy it still masks credential fields.
pub fn scrub(text: &str) -> String {
    SECRETS
        .try_with(|s| match s.try_borrow() {
            Ok(secrets) => secrets.scrub(text),
            Err(_) => scrub::mask_named_values(text),
        })
        .unwrap_or_else(|_| scrub::mask_named_values(text))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    App,
    Voice,
    Meeting,
    Calls,
    Ivr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sent,
    Received,
    Error,
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub seq: u64,
    pub at_ms: u64,
    pub source: Source,
    pub kind: Kind,
    pub text: Text,
    /// Bytes cut from the end of the text to keep it within [`ENTRY_LIMIT`].
    pub cut: usize,
}

impl Entry {
    /// The text as the dispatcher reads it, with the cut marker if any.
    pub fn render(&self, lang: Lang) -> String {
        let text = self.text.render(lang);
        if self.cut == 0 {
            return text;
        }
        let marker = Key::JournalCut
            .text(lang)
            .replace("{n}", &self.cut.to_string());
        format!("{text}{marker}")
    }

    /// One line of the export: a JSON object with the time (ISO and ms),
    /// source, kind and text in `lang`.
    pub fn to_json_line(&self, lang: Lang) -> String {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(self.at_ms as f64));
        proto::lenient::json_text(&serde_json::json!({
            "time": String::from(date.to_iso_string()),
            "ms": self.at_ms,
            "source": format!("{:?}", self.source).to_ascii_lowercase(),
            "kind": format!("{:?}", self.kind).to_ascii_lowercase(),
            "text": self.render(lang),
        }))
    }
}

/// Wire traffic is kept as sent; the journal's own words go through the
/// catalogue so they follow the language switch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Raw(String),
    /// A phrase in both languages, and a detail that needs no translation.
    Note([&'static str; 2], String),
}

impl Text {
    pub fn render(&self, lang: Lang) -> String {
        match self {
            Text::Raw(s) => s.clone(),
            Text::Note(both, detail) => format!("{}{detail}", both[lang as usize]),
        }
    }

    /// The bytes this text holds (phrases are static), for the budget.
    pub fn size(&self) -> usize {
        self.free_text().len()
    }

    /// The part that came from outside: what is scrubbed and cut.
    fn free_text(&self) -> &String {
        match self {
            Text::Raw(s) | Text::Note(_, s) => s,
        }
    }

    fn free_text_mut(&mut self) -> &mut String {
        match self {
            Text::Raw(s) | Text::Note(_, s) => s,
        }
    }
}

/// Cuts `text` to at most `limit` bytes on a character boundary; returns
/// how many bytes went.
fn cut_to(text: &mut String, limit: usize) -> usize {
    if text.len() <= limit {
        return 0;
    }
    let mut at = limit;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let cut = text.len() - at;
    text.truncate(at);
    cut
}

#[derive(Debug, Default)]
struct Log {
    /// Newest first.
    entries: VecDeque<Entry>,
    /// Sum of the entries' [`Text::size`].
    bytes: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct Journal {
    log: RwSignal<Log>,
    next_seq: StoredValue<u64>,
}

impl Default for Journal {
    fn default() -> Self {
        Self::new()
    }
}

impl Journal {
    /// A new journal; it opens with the report of a crash before the last
    /// reload, if there was one.
    pub fn new() -> Self {
        let journal = Self {
            log: RwSignal::new(Log::default()),
            next_seq: StoredValue::new(0),
        };
        if let Some(report) = crate::crash::take_report() {
            journal.note(
                Source::App,
                Kind::Error,
                crate::crash::CrashText::Crashed,
                report,
            );
        }
        journal
    }

    /// Logs wire text or an error message (scrubbed).
    pub fn log(&self, source: Source, kind: Kind, text: impl Into<String>) {
        self.push(source, kind, Text::Raw(text.into()));
    }

    /// Logs the journal's own words: a catalogue key and a detail (scrubbed).
    pub fn note(&self, source: Source, kind: Kind, phrase: impl Phrase, detail: impl Into<String>) {
        let both = [phrase.text(Lang::Zh), phrase.text(Lang::En)];
        self.push(source, kind, Text::Note(both, detail.into()));
    }

    /// Remembers a secret (password, PIN, token) so that no entry shows it,
    /// including those already kept. Too short ones are ignored (see
    /// [`scrub::MIN_SECRET_CHARS`]). Memory only.
    pub fn remember_secret(&self, secret: &str) {
        let added = SECRETS.with(|s| s.borrow_mut().add(secret));
        if !added {
            return;
        }
        self.log.try_update(|log| {
            for entry in &mut log.entries {
                let text = entry.text.free_text_mut();
                *text = scrub(text);
            }
            log.bytes = log.entries.iter().map(|e| e.text.size()).sum();
        });
    }

    fn push(&self, source: Source, kind: Kind, mut text: Text) {
        let Some(seq) = self.next_seq.try_get_value() else {
            return;
        };
        self.next_seq.set_value(seq + 1);
        let free = text.free_text_mut();
        *free = scrub(free);
        let cut = cut_to(free, ENTRY_LIMIT);
        let entry = Entry {
            seq,
            at_ms: now_ms(),
            source,
            kind,
            text,
            cut,
        };
        self.log.try_update(|log| {
            log.bytes += entry.text.size();
            log.entries.push_front(entry);
            while log.entries.len() > CAPACITY || log.bytes > BYTE_BUDGET {
                match log.entries.pop_back() {
                    Some(old) => log.bytes -= old.text.size(),
                    None => break,
                }
            }
        });
    }

    /// Newest first.
    pub fn entries(&self) -> Vec<Entry> {
        self.log.with(|l| l.entries.iter().cloned().collect())
    }

    /// The numbers of the newest `at_most` entries, newest first: what the
    /// panel keys its rows by, so a new line costs a list of numbers, not a
    /// copy of a shift's journal.
    pub fn seqs(&self, at_most: usize) -> Vec<u64> {
        self.log
            .with(|l| l.entries.iter().take(at_most).map(|e| e.seq).collect())
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.log.with(|l| l.entries.len())
    }

    /// Entry number `seq`, while it is kept (untracked).
    pub fn entry(&self, seq: u64) -> Option<Entry> {
        self.log.with_untracked(|l| {
            // Newest first: the numbers fall.
            let at = l.entries.binary_search_by(|e| seq.cmp(&e.seq)).ok()?;
            l.entries.get(at).cloned()
        })
    }

    /// Whether nothing is kept (without copying the entries).
    pub fn is_empty(&self) -> bool {
        self.log.with(|l| l.entries.is_empty())
    }

    /// The bytes of text kept, never above [`BYTE_BUDGET`].
    pub fn bytes(&self) -> usize {
        self.log.with(|l| l.bytes)
    }

    /// The whole journal as JSON lines, oldest first, texts in `lang`.
    pub fn export(&self, lang: Lang) -> String {
        self.log.with(|l| {
            l.entries
                .iter()
                .rev()
                .map(|e| e.to_json_line(lang) + "\n")
                .collect()
        })
    }

    pub fn clear(&self) {
        self.log.update(|l| *l = Log::default());
    }
}
