//! Call customer service (`callService`).

use super::text::CallText;
use crate::i18n::I18n;
use crate::io::calls::CallDesk;
use crate::ui::markup::Wired;
use proto::call::Target;

/// Wires `#call-service`.
pub(super) fn wire(w: &Wired, desk: CallDesk, i18n: I18n) {
    let target = Target::Service;
    w.attr("call-service", "disabled", move || {
        desk.dialling(target).then(String::new)
    });
    w.text("call-service", move || {
        i18n.t(if desk.dialling(target) {
            CallText::Dialling
        } else {
            CallText::CallService
        })
        .to_owned()
    });
    w.on("call-service", "click", move |_| desk.place(target));
}
