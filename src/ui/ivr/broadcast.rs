//! Broadcast: the voice menu of the form above (voice file, key routes,
//! calling number) to a list of numbers, pasted or read from a CSV file,
//! one request at a time at a bounded rate; progress, pause / resume /
//! cancel, retry of the failed ones, the results as CSV. The table of
//! results is [`super::broadcast_results`].

use super::broadcast_results::result_rows;
use super::check::build;
use super::form::Draft;
use super::text::IvrText;
use super::IvrState;
use crate::i18n::use_i18n;
use crate::io::broadcast::BroadcastDesk;
use crate::io::history::download_csv;
use crate::reactive::{Memo, RwSignal, StoredValue};
use crate::ui::active::Active;
use crate::ui::markup::{markup, value_of, Markup, Wired};
use proto::broadcast::{parse_numbers, BroadcastInput, Run, Status, MIN_INTERVAL_MS};
use proto::lenient::scaled_decimal;
use wasm_bindgen::JsCast;

/// Seconds typed in, as the gap between two requests (ms), at least the minimum.
fn interval_ms(text: &str) -> Option<u64> {
    match scaled_decimal(text.trim(), 3)? {
        (true, ms) if ms > 0 => None,
        (_, ms) => Some(ms.max(MIN_INTERVAL_MS)),
    }
}

/// The words of a batch's run.
fn run_word(run: Run) -> IvrText {
    match run {
        Run::Running => IvrText::RunRunning,
        Run::Paused => IvrText::RunPaused,
        Run::Cancelled => IvrText::RunCancelled,
        Run::Done => IvrText::RunDone,
    }
}

/// The broadcast section, mounted at the end of the panel.
pub fn section(
    desk: BroadcastDesk,
    draft: Draft,
    state: IvrState,
    active: StoredValue<Active>,
) -> Markup {
    let i18n = use_i18n();
    let list = RwSignal::new(String::new());
    let interval = RwSignal::new("1".to_owned());
    let parsed = Memo::new(move |_| list.with(|t| parse_numbers(t)));
    let no_numbers = RwSignal::new(false);
    let bad_interval = RwSignal::new(false);
    let batch = desk.view();
    let run = Memo::new(move |_| batch.with(|b| (!b.recipients.is_empty()).then_some(b.run)));
    let (done, total) = (
        Memo::new(move |_| batch.with(|b| b.progress().0)),
        Memo::new(move |_| batch.with(|b| b.progress().1)),
    );
    let failed = Memo::new(move |_| {
        batch.with(|b| {
            b.recipients
                .iter()
                .filter(|r| matches!(r.status, Status::Failed { .. }))
                .count()
        })
    });
    markup(HTML, &[IvrText::named], move |w: &Wired| {
        let root = w.root().clone();

        w.attr("broadcast", "data-run", move || {
            Some(run.get().map(run_name).unwrap_or("none").to_owned())
        });
        let numbers = w.el("broadcast-numbers");
        w.effect(Box::new(move || {
            let v = list.get();
            if let Some(area) = numbers.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                if area.value() != v {
                    area.set_value(&v);
                }
            }
        }));
        let form = root.clone();
        w.on("broadcast-numbers", "input", move |_| {
            list.set(value_of(&form, "broadcast-numbers"))
        });
        w.attr("broadcast-numbers", "aria-invalid", move || {
            Some(no_numbers.get().to_string())
        });
        w.on("broadcast-file", "change", move |ev| load_file(ev, list));
        w.attr("broadcast-count", "data-count", move || {
            Some(parsed.with(|(n, _)| n.len()).to_string())
        });
        w.text("broadcast-count", move || {
            parsed.with(|(n, bad)| {
                let mut text = format!("{}{}", i18n.t(IvrText::BroadcastCount), n.len());
                if !bad.is_empty() {
                    text += &format!(
                        " · {}{}",
                        i18n.t(IvrText::BroadcastRejected),
                        bad.join(", ")
                    );
                }
                text
            })
        });
        // Not written back while typing: a number input reads "" half-typed ("0.").
        let form = root.clone();
        w.on("broadcast-interval", "input", move |_| {
            interval.set(value_of(&form, "broadcast-interval"))
        });
        w.attr("broadcast-interval", "aria-invalid", move || {
            Some(bad_interval.get().to_string())
        });
        w.attr("broadcast-start", "disabled", move || {
            matches!(run.get(), Some(Run::Running | Run::Paused)).then(String::new)
        });
        w.text("broadcast-error", move || {
            let mut text = String::new();
            if no_numbers.get() {
                text += i18n.t(IvrText::BroadcastNoNumbers);
            }
            if bad_interval.get() {
                text += i18n.t(IvrText::BroadcastBadInterval);
            }
            text
        });
        w.on("broadcast-form", "submit", move |ev| {
            ev.prevent_default();
            let numbers = parsed.with_untracked(|(n, _)| n.clone());
            no_numbers.set(numbers.is_empty());
            let gap = interval_ms(&interval.get_untracked());
            bad_interval.set(gap.is_none());
            let (Some(first), Some(gap)) = (numbers.first(), gap) else {
                return;
            };
            // The form's voice menu, checked as one request to the first number.
            let mut fields = draft.fields();
            fields.destnumber = first.clone();
            // Read when started: the dispatcher or the portal may give it later.
            let token = active.with_value(|a| a.config.ivr.token.clone());
            match build(&fields, &token) {
                Ok(template) => {
                    state.field_error.set(None);
                    desk.set_token(token);
                    desk.start(template, numbers, gap);
                }
                Err(field) => state.field_error.set(Some(field)),
            }
        });

        w.hidden("broadcast-batch", move || run.get().is_none());
        w.attr("broadcast-progress", "max", move || {
            Some(total.get().to_string())
        });
        w.attr("broadcast-progress", "value", move || {
            Some(done.get().to_string())
        });
        w.text("broadcast-progress-text", move || {
            format!("{}/{}", done.get(), total.get())
        });
        w.text("broadcast-run", move || {
            run.get()
                .map(|r| i18n.t(run_word(r)))
                .unwrap_or_default()
                .to_owned()
        });
        // Shown or hidden rather than mounted and unmounted: lighter in the bundle.
        let buttons: [RunButton; 4] = [
            (
                "broadcast-pause",
                || BroadcastInput::Pause,
                |run, _| run == Some(Run::Running),
            ),
            (
                "broadcast-resume",
                || BroadcastInput::Resume,
                |run, _| run == Some(Run::Paused),
            ),
            (
                "broadcast-cancel",
                || BroadcastInput::Cancel,
                |run, _| matches!(run, Some(Run::Running | Run::Paused)),
            ),
            (
                "broadcast-retry",
                || BroadcastInput::RetryFailed,
                |run, failed| failed > 0 && run != Some(Run::Cancelled),
            ),
        ];
        for (id, input, shown) in buttons {
            w.hidden(id, move || !shown(run.get(), failed.get()));
            w.on(id, "click", move |_| desk.input(input()));
        }
        w.on("broadcast-export", "click", move |_| {
            let _ = download_csv("broadcast-results.csv", &desk.csv());
        });
        result_rows(w, &w.el("broadcast-results-body"));
    })
}

/// Reads the first file chosen in the file input of `ev` into `list`.
fn load_file(ev: web_sys::Event, list: RwSignal<String>) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    // `files` and `File` are read through JS: the first file is a Blob,
    // and the app enables no web-sys feature for them.
    let first = js_sys::Reflect::get(&input, &"files".into())
        .and_then(|files| js_sys::Reflect::get(&files, &0.into()))
        .ok()
        .filter(|f| f.is_object());
    let Some(file) = first else { return };
    let blob: web_sys::Blob = file.unchecked_into();
    leptos::task::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(blob.text()).await {
            list.try_set(text.as_string().unwrap_or_default());
        }
    });
}

/// The section's fixed part; the table's rows are mounted into its body.
const HTML: &str = r##"<section id="broadcast" class="broadcast" data-run="none"><h3 data-t="Broadcast"></h3><p class="hint" data-t="BroadcastHint"></p><form id="broadcast-form" class="login"><label><span data-t="BroadcastNumbers"></span><textarea id="broadcast-numbers" rows="4" autocomplete="off" aria-invalid="false"></textarea></label><label><span data-t="BroadcastFile"></span><input id="broadcast-file" type="file" accept=".csv,.txt,text/csv,text/plain"></label><p id="broadcast-count" class="hint" data-count="0"></p><label><span data-t="BroadcastInterval"></span><input id="broadcast-interval" type="number" min="0.2" step="0.1" inputmode="decimal" value="1" aria-invalid="false"></label><button id="broadcast-start" type="submit" data-t="BroadcastStart"></button></form><p id="broadcast-error" class="error" role="alert"></p><div id="broadcast-batch" hidden><p class="broadcast-progress"><progress id="broadcast-progress" data-t-aria-label="BroadcastProgress"></progress> <span id="broadcast-progress-text"></span> <strong id="broadcast-run"></strong></p><p class="broadcast-tools"><button id="broadcast-pause" class="small" type="button" data-t="Pause"></button> <button id="broadcast-resume" class="small" type="button" data-t="Resume"></button> <button id="broadcast-cancel" class="small" type="button" data-t="CancelBatch"></button> <button id="broadcast-retry" class="small" type="button" data-t="RetryFailed"></button> <button id="broadcast-export" class="small" type="button" data-t="ExportResults"></button></p><table id="broadcast-results" class="broadcast-results"><thead><tr><th scope="col">#</th><th scope="col" data-t="Destnumber"></th><th scope="col" data-t="ColumnStatus"></th><th scope="col" data-t="ColumnAttempts"></th><th scope="col" data-t="ColumnDetail"></th><th scope="col" data-t="ColumnCallback"></th></tr></thead><tbody id="broadcast-results-body"></tbody></table></div></section>"##;

/// The run for CSS and tests (`data-run`).
fn run_name(run: Run) -> &'static str {
    match run {
        Run::Running => "running",
        Run::Paused => "paused",
        Run::Cancelled => "cancelled",
        Run::Done => "done",
    }
}

/// A run button: its id, what it asks, and whether it shows (from the
/// run's state and the failed count).
type RunButton = (
    &'static str,
    fn() -> BroadcastInput,
    fn(Option<Run>, usize) -> bool,
);
