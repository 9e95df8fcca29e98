//! Call a user by an id typed in.

use super::text::CallText;
use crate::i18n::I18n;
use crate::io::calls::CallDesk;
use crate::reactive::RwSignal;
use crate::ui::markup::{value_of, Wired};
use proto::call::Target;

/// The id as the API takes it (a Java `Long`): digits only.
pub fn parse_id(text: &str) -> Option<u64> {
    let t = text.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok().filter(|&id| id <= i64::MAX as u64)
}

/// The dial form's state: the id as typed, and whether it was refused.
#[derive(Clone, Copy)]
pub(super) struct Dial {
    id: RwSignal<String>,
    bad: RwSignal<bool>,
}

impl Dial {
    pub(super) fn new() -> Self {
        Self {
            id: RwSignal::new(String::new()),
            bad: RwSignal::new(false),
        }
    }

    /// Wires `#call-dial` and `#call-dial-error`.
    pub(super) fn wire(self, w: &Wired, desk: CallDesk, i18n: I18n) {
        let Self { id, bad } = self;
        let dialling = move || {
            id.with(|t| parse_id(t))
                .is_some_and(|target| desk.dialling(Target::User(target)))
        };
        let form = w.root().clone();
        w.on("call-dial-id", "input", move |_| {
            id.set(value_of(&form, "call-dial-id"))
        });
        w.attr("call-dial-id", "aria-invalid", move || {
            Some(bad.get().to_string())
        });
        w.attr("call-dial-button", "disabled", move || {
            dialling().then(String::new)
        });
        w.text("call-dial-button", move || {
            i18n.t(if dialling() {
                CallText::Dialling
            } else {
                CallText::Dial
            })
            .to_owned()
        });
        w.text("call-dial-error", move || {
            if bad.get() {
                i18n.t(CallText::BadId).to_owned()
            } else {
                String::new()
            }
        });
        w.on("call-dial", "submit", move |ev| {
            ev.prevent_default();
            match parse_id(&id.get_untracked()) {
                Some(target) => {
                    bad.set(false);
                    desk.place(Target::User(target));
                }
                None => bad.set(true),
            }
        });
    }
}
