//! The IVR callback relay's event stream (docs/callbacks.md): each call
//! record is matched to its request in the history by `customuuid`, which
//! then shows whether it was answered, the talk time, the key pressed and
//! the hang-up cause; each extension-status callback by the callee's number
//! and the call's `uuid` (see `proto::history::extension_target`), which
//! shows the extension ringing, answering, hanging up. The stream lives as
//! long as the console; the browser reconnects an EventSource by itself.

use super::history::History;
use crate::journal::{Journal, Kind, Source};
use crate::time::now_ms;
use proto::ivr::{decode_call_record, decode_extension_status};
use wasm_bindgen::prelude::*;
use web_sys::{EventSource, MessageEvent};

/// Event names of the two callbacks on the relay's stream.
const CALL_RECORD: &str = "call-record";
const EXTENSION_STATUS: &str = "extension-status";

/// The open stream and its listeners; closed when dropped.
pub struct RelayStream {
    source: EventSource,
    _listeners: [Closure<dyn FnMut(MessageEvent)>; 2],
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
    let listen_to = |name: &'static str, apply: fn(&str, History) -> Result<(), String>| {
        let listener = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let text = ev.data().as_string().unwrap_or_default();
            journal.log(Source::Ivr, Kind::Received, format!("{name} {text}"));
            if let Err(e) = apply(&text, history) {
                journal.log(Source::Ivr, Kind::Error, format!("skipped a callback: {e}"));
            }
        });
        let _ = source.add_event_listener_with_callback(name, listener.as_ref().unchecked_ref());
        listener
    };
    let listeners = [
        listen_to(CALL_RECORD, |text, history| {
            let record = decode_call_record(text).map_err(|e| e.to_string())?;
            history.amend(&record.customuuid, |e| e.apply_call_record(&record));
            Ok(())
        }),
        listen_to(EXTENSION_STATUS, |text, history| {
            let status = decode_extension_status(text).map_err(|e| e.to_string())?;
            history.amend_by_extension(&status, now_ms());
            Ok(())
        }),
    ];
    Some(RelayStream {
        source,
        _listeners: listeners,
    })
}
