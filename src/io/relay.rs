//! The IVR callback relay's event stream (docs/callbacks.md): each call
//! record is matched to its request in the history by `customuuid`, which
//! then shows whether it was answered, the talk time, the key pressed and
//! the hang-up cause. The stream lives as long as the console; the browser
//! reconnects an EventSource by itself.

use super::history::History;
use crate::journal::{Journal, Kind, Source};
use proto::ivr::decode_call_record;
use wasm_bindgen::prelude::*;
use web_sys::{EventSource, MessageEvent};

/// Event name of the call-record callback on the relay's stream.
const CALL_RECORD: &str = "call-record";

/// The open stream and its listener; closed when dropped.
pub struct RelayStream {
    source: EventSource,
    _on_record: Closure<dyn FnMut(MessageEvent)>,
}

impl Drop for RelayStream {
    fn drop(&mut self) {
        self.source.close();
    }
}

/// Opens the relay's stream at `url` (resolved `ivr.relayUrl`).
pub fn listen(url: &str, history: History, journal: Journal) -> Option<RelayStream> {
    journal.log(Source::Ivr, Kind::Sent, format!("GET {url} (EventSource)"));
    let source = match EventSource::new(url) {
        Ok(s) => s,
        Err(e) => {
            journal.log(
                Source::Ivr,
                Kind::Error,
                format!("EventSource {url}: {e:?}"),
            );
            return None;
        }
    };
    let on_record = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let text = ev.data().as_string().unwrap_or_default();
        journal.log(Source::Ivr, Kind::Received, format!("{CALL_RECORD} {text}"));
        match decode_call_record(&text) {
            Ok(record) => history.amend(&record.customuuid, |e| e.apply_call_record(&record)),
            Err(e) => journal.log(Source::Ivr, Kind::Error, format!("skipped a callback: {e}")),
        }
    });
    let _ =
        source.add_event_listener_with_callback(CALL_RECORD, on_record.as_ref().unchecked_ref());
    Some(RelayStream {
        source,
        _on_record: on_record,
    })
}
