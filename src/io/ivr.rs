//! The IVR voice-menu call (document 003): one multipart POST per call, so a
//! plain async function rather than a machine. It is never retried: a
//! repeated request would call the number twice. The token travels in the
//! form; the journal gets the fields with the token masked.

use super::calls::light_of;
use super::http::{self, Body, HttpRequest};
use crate::journal::{Journal, Kind, Source};
use crate::ui::status_light::LightState;
use gloo_net::http::Method;
use leptos::prelude::*;
use proto::call::Health;
use proto::ivr::{decode_reply, PlayVoice};

/// What became of one PlayVoice request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IvrOutcome {
    /// Accepted: the server's `desc` (播放命令发送成功).
    Sent { desc: String },
    /// Refused: the server's `msg`, else its `desc`.
    Refused { message: String },
    /// A reply came that could not be read.
    BadReply,
    /// No reply came (network, timeout).
    NoReply,
}

/// The form fields for the journal: `name=value` pairs, the token masked.
pub fn redacted_fields(fields: &[(&str, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            if *k == "token" {
                format!("{k}=***")
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads the reply body.
pub fn outcome_of(text: &str) -> Result<IvrOutcome, String> {
    let reply = decode_reply(text).map_err(|e| e.reason)?;
    Ok(match reply.into_result() {
        Ok(data) => IvrOutcome::Sent { desc: data.desc },
        Err(e) => IvrOutcome::Refused { message: e.message },
    })
}

/// POSTs `play` (validated by the caller) to `url` as multipart/form-data,
/// sets the IVR light from whether any reply came, and says what happened.
pub async fn play_voice(
    url: String,
    play: PlayVoice,
    journal: Journal,
    light: RwSignal<LightState>,
) -> IvrOutcome {
    let fields = play.form_fields();
    let logged_url = format!("{url} [{}]", redacted_fields(&fields));
    let req = HttpRequest {
        method: Method::POST,
        url,
        logged_url,
        headers: Vec::new(),
        body: Body::Form(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()),
    };
    match http::send(req, journal, Source::Ivr).await {
        Err(_) => {
            light.try_set(light_of(Health::Unreachable));
            IvrOutcome::NoReply
        }
        Ok(reply) => {
            light.try_set(light_of(Health::Online));
            outcome_of(&reply.text).unwrap_or_else(|reason| {
                journal.log(
                    Source::Ivr,
                    Kind::Error,
                    format!("skipped a reply: {reason}"),
                );
                IvrOutcome::BadReply
            })
        }
    }
}
