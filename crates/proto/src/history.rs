//! The shift's history of phone calls and IVR requests: what is kept across
//! reloads (no token, no password: only whom, when, how long and how it
//! went), filtering, and the CSV export. The app stores it; this is the
//! pure part, tested natively.

use crate::call::{Call, Phase, Problem, Target};
use crate::fields::Fields;
use crate::ivr::{CallRecord, ExtensionState, ExtensionStatus};
use crate::DecodeError;
use serde::Serialize;
use serde_json::Value;

/// Entries kept, newest first; older ones are dropped.
pub const MAX_ENTRIES: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Click-to-call (document 001).
    Call,
    /// IVR voice menu (document 003).
    Ivr,
}

/// How it went, as a word the screen translates and the CSV writes as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Answered, then hung up at the phones.
    HungUp,
    /// Ended without being answered.
    NotAnswered,
    /// Cancelled by the dispatcher.
    Cancelled,
    /// Refused by the server, or never placed.
    Failed,
    /// The request got no answer: it may or may not have rung.
    Unknown,
    /// An IVR request the server accepted.
    Sent,
}

impl Outcome {
    const ALL: [Self; 6] = [
        Self::HungUp,
        Self::NotAnswered,
        Self::Cancelled,
        Self::Failed,
        Self::Unknown,
        Self::Sent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::HungUp => "hung-up",
            Self::NotAnswered => "not-answered",
            Self::Cancelled => "cancelled",
            Self::Failed => "failed",
            Self::Unknown => "unknown",
            Self::Sent => "sent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub kind: Kind,
    /// A user id, `service`, or a phone number.
    pub target: String,
    /// The name the directory gives the target, if any.
    pub who: String,
    /// When it was placed (ms since the epoch).
    pub start_ms: u64,
    /// Talk time when answered, else from placing to the end (ms).
    pub duration_ms: Option<u64>,
    pub outcome: Outcome,
    /// The server's own words, a hang-up cause, a key pressed.
    pub detail: String,
    /// IVR: the `customuuid` callbacks are matched by.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub customuuid: String,
    /// IVR: the extension a key press was routed to and its last state
    /// (`20280003 answer`), from the extension-status callbacks.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub extension: String,
    /// IVR: the service's id of the call (`uuid` in its callbacks), once an
    /// extension-status callback named it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub call_uuid: String,
}

impl Entry {
    /// An entry as [`encode`] stored it: the IVR fields are left out when
    /// empty, so missing they are empty.
    fn decode(v: &Value) -> Result<Self, DecodeError> {
        let f = Fields::of(v)?;
        Ok(Self {
            kind: [Kind::Call, Kind::Ivr][f.need_one_of("kind", &["call", "ivr"])?],
            target: f.str("target")?,
            who: f.str("who")?,
            start_ms: f.u64("start_ms")?,
            duration_ms: f.opt_u64("duration_ms")?,
            outcome: Outcome::ALL[f.need_one_of("outcome", &Outcome::ALL.map(Outcome::as_str))?],
            detail: f.str("detail")?,
            customuuid: f.str_or_empty("customuuid")?,
            extension: f.str_or_empty("extension")?,
            call_uuid: f.str_or_empty("call_uuid")?,
        })
    }
}

/// The target as the history writes it: the user id, or `service`.
pub fn target_text(target: Target) -> String {
    match target {
        Target::User(id) => id.to_string(),
        Target::Service => "service".to_owned(),
    }
}

/// The target a history entry redials, if it is a call.
pub fn redial_target(entry: &Entry) -> Option<Target> {
    if entry.kind != Kind::Call {
        return None;
    }
    match entry.target.as_str() {
        "service" => Some(Target::Service),
        id => id.parse().ok().map(Target::User),
    }
}

impl Entry {
    /// The history entry of a call that settled. `problem_text` puts a
    /// problem in the dispatcher's words (a refusal is the server's own).
    pub fn of_call(call: &Call, who: String, problem_text: impl Fn(&Problem) -> String) -> Self {
        let outcome = match call.phase {
            Phase::Ended { cancelled: true } => Outcome::Cancelled,
            Phase::Ended { cancelled: false } if call.connected_at.is_some() => Outcome::HungUp,
            Phase::Ended { cancelled: false } => Outcome::NotAnswered,
            Phase::Failed => Outcome::Failed,
            Phase::Placing | Phase::Live(_) | Phase::Unconfirmed { .. } | Phase::Unknown => {
                Outcome::Unknown
            }
        };
        Self {
            kind: Kind::Call,
            target: target_text(call.target),
            who,
            start_ms: call.placed_at,
            duration_ms: call.ended_at.map(|end| call.duration_ms(end)),
            outcome,
            detail: call.problem.as_ref().map(problem_text).unwrap_or_default(),
            customuuid: String::new(),
            extension: String::new(),
            call_uuid: String::new(),
        }
    }

    /// Whether `query` (any case) appears in the target, the name, the
    /// outcome or the detail; an empty query matches everything.
    pub fn matches(&self, query: &str, kind: Option<Kind>) -> bool {
        if kind.is_some_and(|k| k != self.kind) {
            return false;
        }
        let q = crate::fold::fold_case(query.trim());
        q.is_empty()
            || [
                self.target.as_str(),
                self.who.as_str(),
                self.outcome.as_str(),
                self.detail.as_str(),
                self.customuuid.as_str(),
            ]
            .iter()
            .any(|f| crate::fold::contains_folded(f, &q))
    }
}

impl Entry {
    /// What an IVR call record (document 003) tells about this request:
    /// answered or not, the talk time, the key pressed, the hang-up cause
    /// and the recording. Fields may have come empty or as numbers.
    pub fn apply_call_record(&mut self, record: &CallRecord) {
        let answered = !record.answertime.trim().is_empty() || record.billsec > 0;
        self.outcome = if answered {
            Outcome::HungUp
        } else {
            Outcome::NotAnswered
        };
        self.duration_ms = Some(record.billsec.saturating_mul(1_000));
        let mut detail = Vec::new();
        if !record.userkey.is_empty() {
            detail.push(format!("key {}", record.userkey));
        }
        if record.hangupcause != 0 {
            detail.push(format!("cause {}", record.hangupcause));
        }
        if !record.recordfilename.is_empty() {
            detail.push(record.recordfilename.clone());
        }
        self.detail = detail.join(" · ");
    }

    /// What an extension-status callback tells: which extension the key
    /// press reached, and whether it rings, answered or hung up.
    pub fn apply_extension_status(&mut self, status: &ExtensionStatus) {
        let state = match status.status {
            ExtensionState::Ring => "ring",
            ExtensionState::Answer => "answer",
            ExtensionState::Hangup => "hangup",
        };
        let extension = [status.extnumber.as_str(), status.caller.as_str()]
            .into_iter()
            .find(|n| !n.trim().is_empty())
            .unwrap_or_default();
        self.extension = format!("{extension} {state}").trim().to_owned();
        if self.call_uuid.is_empty() {
            self.call_uuid = status.uuid.clone();
        }
    }
}

/// How long after a request an extension-status callback may still be
/// matched to it by the callee's number (an hour of ringing and talking).
pub const EXTENSION_MATCH_MS: u64 = 3_600_000;

/// The entry an extension-status callback belongs to. The callback has no
/// `customuuid` (document 003 lists only the callee's number and the call's
/// `uuid`), so our reading: the entry that already took this call's `uuid`,
/// else the newest IVR request to that number, still without a call record
/// or another call's `uuid`, placed within [`EXTENSION_MATCH_MS`] of `now_ms`.
pub fn extension_target(entries: &[Entry], status: &ExtensionStatus, now_ms: u64) -> Option<usize> {
    if let Some(i) = entries
        .iter()
        .position(|e| !status.uuid.is_empty() && e.call_uuid == status.uuid)
    {
        return Some(i);
    }
    entries.iter().position(|e| {
        e.kind == Kind::Ivr
            && e.outcome == Outcome::Sent
            && e.call_uuid.is_empty()
            && !status.callee.is_empty()
            && e.target == status.callee
            && now_ms.saturating_sub(e.start_ms) <= EXTENSION_MATCH_MS
    })
}

/// Adds `entry` at the front (newest first), keeping at most [`MAX_ENTRIES`].
pub fn record(entries: &mut Vec<Entry>, entry: Entry) {
    entries.insert(0, entry);
    entries.truncate(MAX_ENTRIES);
}

/// Reads stored history; an unreadable store, or one unreadable entry,
/// counts as empty.
pub fn decode(text: &str) -> Vec<Entry> {
    let Ok(Value::Array(entries)) = serde_json::from_str(text) else {
        return Vec::new();
    };
    entries
        .iter()
        .map(Entry::decode)
        .collect::<Result<_, _>>()
        .unwrap_or_default()
}

pub fn encode(entries: &[Entry]) -> String {
    serde_json::to_string(entries).unwrap_or_else(|_| "[]".to_owned())
}

/// `YYYY-MM-DDTHH:MM:SSZ` (UTC) for a time in ms since the epoch.
pub fn utc_text(ms: u64) -> String {
    let secs = ms / 1_000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // Civil from days (Howard Hinnant's algorithm), for days since 1970.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

/// One CSV field, quoted when it must be (RFC 4180). A leading `=`, `+`,
/// `-` or `@` is prefixed with `'` so a spreadsheet does not run it.
pub fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The entries as CSV, a header line first, lines ended with CRLF.
pub fn csv(entries: &[Entry]) -> String {
    let mut out = String::from(
        "kind,target,who,start_utc,duration_s,outcome,detail,customuuid,extension\r\n",
    );
    for e in entries {
        let kind = match e.kind {
            Kind::Call => "call",
            Kind::Ivr => "ivr",
        };
        let duration = e
            .duration_ms
            .map(|d| (d / 1_000).to_string())
            .unwrap_or_default();
        let fields = [
            kind.to_owned(),
            csv_field(&e.target),
            csv_field(&e.who),
            utc_text(e.start_ms),
            duration,
            e.outcome.as_str().to_owned(),
            csv_field(&e.detail),
            csv_field(&e.customuuid),
            csv_field(&e.extension),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: Kind, target: &str, outcome: Outcome, detail: &str) -> Entry {
        Entry {
            kind,
            target: target.into(),
            who: "调度一".into(),
            start_ms: 1_764_633_600_000,
            duration_ms: Some(65_400),
            outcome,
            detail: detail.into(),
            customuuid: String::new(),
            extension: String::new(),
            call_uuid: String::new(),
        }
    }

    #[test]
    fn utc_times_are_civil_dates() {
        assert_eq!(utc_text(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_text(1_764_633_600_000), "2025-12-02T00:00:00Z");
        assert_eq!(
            utc_text(951_782_400_000 + 3_723_000),
            "2000-02-29T01:02:03Z"
        );
    }

    #[test]
    fn csv_quotes_what_must_be_and_defuses_formulas() {
        let rows = [
            entry(Kind::Call, "169918", Outcome::HungUp, ""),
            entry(
                Kind::Ivr,
                "13333333333",
                Outcome::Failed,
                "bad, \"very\"\nbad",
            ),
            entry(Kind::Call, "service", Outcome::Failed, "=cmd()"),
        ];
        let text = csv(&rows);
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "kind,target,who,start_utc,duration_s,outcome,detail,customuuid,extension"
        );
        assert_eq!(
            lines[1],
            "call,169918,调度一,2025-12-02T00:00:00Z,65,hung-up,,,"
        );
        assert_eq!(
            lines[2],
            "ivr,13333333333,调度一,2025-12-02T00:00:00Z,65,failed,\"bad, \"\"very\"\"\nbad\",,"
        );
        assert_eq!(
            lines[3],
            "call,service,调度一,2025-12-02T00:00:00Z,65,failed,'=cmd(),,"
        );
        assert_eq!(lines.len(), 5, "every line ends with CRLF");
    }

    #[test]
    fn filters_by_kind_and_any_field_in_any_case() {
        let e = entry(Kind::Ivr, "13333333333", Outcome::Sent, "播放命令发送成功");
        assert!(e.matches("", None));
        assert!(e.matches(" 3333 ", Some(Kind::Ivr)));
        assert!(!e.matches("3333", Some(Kind::Call)));
        assert!(e.matches("SENT", None));
        assert!(e.matches("发送成功", None));
        assert!(e.matches("调度", None));
        assert!(!e.matches("169918", None));
    }

    #[test]
    fn kept_newest_first_bounded_and_read_back() {
        let mut all = Vec::new();
        for i in 0..MAX_ENTRIES + 3 {
            record(
                &mut all,
                entry(Kind::Call, &i.to_string(), Outcome::Cancelled, ""),
            );
        }
        assert_eq!(all.len(), MAX_ENTRIES);
        assert_eq!(all[0].target, (MAX_ENTRIES + 2).to_string());
        assert_eq!(decode(&encode(&all)), all);
        assert!(decode("{not json").is_empty());
        assert!(!encode(&all).to_lowercase().contains("token"));
    }

    #[test]
    fn a_call_record_with_numbers_or_empty_fields_updates_the_entry() {
        let mut e = entry(Kind::Ivr, "85781218893", Outcome::Sent, "播放命令发送成功");
        let numbers = r#"{"answertime":"2020-02-09 12:32:51","hangupcause":10001,"duration":13,
            "uuid":"u","customuuid":"110001168","billsec":10,"userkey":"1","recordfilename":"1111.mp3"}"#;
        e.apply_call_record(&crate::ivr::decode_call_record(numbers).unwrap());
        assert_eq!(e.outcome, Outcome::HungUp);
        assert_eq!(e.duration_ms, Some(10_000));
        assert_eq!(e.detail, "key 1 · cause 10001 · 1111.mp3");
        let strings = r#"{"answertime":"","hangupcause":"10002","billsec":"0","uuid":"u",
            "customuuid":"110001168","userkey":"","recordfilename":""}"#;
        e.apply_call_record(&crate::ivr::decode_call_record(strings).unwrap());
        assert_eq!(e.outcome, Outcome::NotAnswered);
        assert_eq!(e.duration_ms, Some(0));
        assert_eq!(e.detail, "cause 10002");
    }

    #[test]
    fn redial_reads_the_target_back() {
        assert_eq!(
            redial_target(&entry(Kind::Call, "169918", Outcome::Failed, "")),
            Some(Target::User(169918))
        );
        assert_eq!(
            redial_target(&entry(Kind::Call, "service", Outcome::Failed, "")),
            Some(Target::Service)
        );
        assert_eq!(
            redial_target(&entry(Kind::Ivr, "13333333333", Outcome::Sent, "")),
            None
        );
    }

    #[test]
    fn extension_status_goes_to_the_open_request_to_that_number_then_follows_its_call() {
        let status = |callee: &str, uuid: &str, state: &str| {
            crate::ivr::decode_extension_status(&format!(
                r#"{{"buuid":"b","callee":"{callee}","caller":"20280003","extnumber":"20280003","status":"{state}","uuid":"{uuid}","starttime":"1581124302"}}"#
            ))
            .unwrap()
        };
        let now = 1_764_633_600_000 + 60_000;
        let mut rows = vec![
            entry(Kind::Ivr, "13333333333", Outcome::Sent, ""),
            entry(Kind::Ivr, "13333333333", Outcome::HungUp, ""),
            entry(Kind::Call, "13333333333", Outcome::Sent, ""),
        ];
        // Newest first: the open IVR request to that number, not the settled one.
        let ring = status("13333333333", "call-a", "ring");
        assert_eq!(extension_target(&rows, &ring, now), Some(0));
        rows[0].apply_extension_status(&ring);
        assert_eq!(rows[0].extension, "20280003 ring");
        assert_eq!(rows[0].call_uuid, "call-a");
        // Another call to the same number cannot take that row any more.
        let other = status("13333333333", "call-b", "ring");
        assert_eq!(extension_target(&rows, &other, now), None);
        // The same call's later states find it by uuid, even once settled.
        rows[0].outcome = Outcome::HungUp;
        let hangup = status("13333333333", "call-a", "hangup");
        assert_eq!(extension_target(&rows, &hangup, now), Some(0));
        rows[0].apply_extension_status(&hangup);
        assert_eq!(rows[0].extension, "20280003 hangup");
        // Too old, another number, or no number: no match.
        let mut fresh = vec![entry(Kind::Ivr, "13333333333", Outcome::Sent, "")];
        let late = fresh[0].start_ms + EXTENSION_MATCH_MS + 1;
        assert_eq!(extension_target(&fresh, &ring, late), None);
        assert_eq!(
            extension_target(&fresh, &status("139", "x", "ring"), now),
            None
        );
        assert_eq!(
            extension_target(&fresh, &status("", "x", "ring"), now),
            None
        );
        fresh[0].apply_extension_status(&status("13333333333", "x", "answer"));
        assert!(csv(&fresh)
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(",20280003 answer"));
    }
}
