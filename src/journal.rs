//! The journal: every message sent and received and every error, newest
//! first, with time. Secrets never reach it: callers pass redacted text.

use crate::i18n::{Lang, Phrase};
use crate::time::now_ms;
use leptos::prelude::*;
use std::collections::VecDeque;

/// Enough for a shift's troubleshooting without growing without bound.
pub const CAPACITY: usize = 1_000;

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
}

#[derive(Debug, Clone, Copy)]
pub struct Journal {
    entries: RwSignal<VecDeque<Entry>>,
    next_seq: StoredValue<u64>,
}

impl Default for Journal {
    fn default() -> Self {
        Self::new()
    }
}

impl Journal {
    pub fn new() -> Self {
        Self {
            entries: RwSignal::new(VecDeque::new()),
            next_seq: StoredValue::new(0),
        }
    }

    /// Logs wire text or an error message as it is.
    pub fn log(&self, source: Source, kind: Kind, text: impl Into<String>) {
        self.push(source, kind, Text::Raw(text.into()));
    }

    /// Logs the journal's own words: a catalogue key and a detail.
    pub fn note(&self, source: Source, kind: Kind, phrase: impl Phrase, detail: impl Into<String>) {
        let both = [phrase.text(Lang::Zh), phrase.text(Lang::En)];
        self.push(source, kind, Text::Note(both, detail.into()));
    }

    fn push(&self, source: Source, kind: Kind, text: Text) {
        let Some(seq) = self.next_seq.try_get_value() else {
            return;
        };
        self.next_seq.set_value(seq + 1);
        let entry = Entry {
            seq,
            at_ms: now_ms(),
            source,
            kind,
            text,
        };
        self.entries.try_update(|e| {
            e.push_front(entry);
            e.truncate(CAPACITY);
        });
    }

    /// Newest first.
    pub fn entries(&self) -> Vec<Entry> {
        self.entries.with(|e| e.iter().cloned().collect())
    }

    pub fn clear(&self) {
        self.entries.update(VecDeque::clear);
    }
}
