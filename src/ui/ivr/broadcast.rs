//! Broadcast: the voice menu of the form above (voice file, key routes,
//! calling number) to a list of numbers, pasted or read from a CSV file,
//! one request at a time at a bounded rate; progress, pause / resume /
//! cancel, retry of the failed ones, the results as CSV. The table of
//! results is [`super::broadcast_results`].

use super::broadcast_results::BroadcastResults;
use super::check::build;
use super::form::Draft;
use super::text::IvrText;
use super::IvrState;
use crate::i18n::use_i18n;
use crate::io::broadcast::BroadcastDesk;
use crate::io::history::download_csv;
use crate::ui::active::Active;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use proto::broadcast::{parse_numbers, BroadcastInput, Run, Status, MIN_INTERVAL_MS};
use wasm_bindgen::JsCast;

/// Seconds typed in, as the gap between two requests (ms), at least the minimum.
fn interval_ms(text: &str) -> Option<u64> {
    let secs: f64 = text.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| ((secs * 1_000.0) as u64).max(MIN_INTERVAL_MS))
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

#[component]
pub fn BroadcastSection() -> impl IntoView {
    let i18n = use_i18n();
    let desk = expect_context::<BroadcastDesk>();
    let draft = expect_context::<Draft>();
    let state = expect_context::<IvrState>();
    let active = expect_context::<StoredValue<Active>>();
    let list = RwSignal::new(String::new());
    let interval = RwSignal::new("1".to_owned());
    let parsed = Memo::new(move |_| list.with(|t| parse_numbers(t)));
    let no_numbers = RwSignal::new(false);
    let bad_interval = RwSignal::new(false);
    let batch = desk.view();
    let run = Memo::new(move |_| batch.with(|b| (!b.recipients.is_empty()).then_some(b.run)));
    let busy = move || matches!(run.get(), Some(Run::Running | Run::Paused));

    let start = move |ev: SubmitEvent| {
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
    };
    let load_file = move |ev: leptos::ev::Event| {
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
    };
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
    // Shown or hidden rather than mounted and unmounted: lighter in the bundle.
    let button = move |id: &'static str,
                       word: IvrText,
                       input: fn() -> BroadcastInput,
                       shown: fn(Option<Run>, usize) -> bool| {
        view! {
            <button id=id class="small" type="button" prop:hidden=move || !shown(run.get(), failed.get())
                on:click=move |_| desk.input(input())>{i18n.tr(word)}</button>" "
        }
    };
    let export = move |_| {
        let _ = download_csv("broadcast-results.csv", &desk.csv());
    };
    view! {
        <section id="broadcast" class="broadcast" data-run=move || run.get().map(|r| run_name(r)).unwrap_or("none")>
            <h3>{i18n.tr(IvrText::Broadcast)}</h3>
            <p class="hint">{i18n.tr(IvrText::BroadcastHint)}</p>
            <form id="broadcast-form" class="login" on:submit=start>
                <label>
                    {i18n.tr(IvrText::BroadcastNumbers)}
                    <textarea id="broadcast-numbers" rows="4" autocomplete="off"
                        aria-invalid=move || no_numbers.get().to_string()
                        prop:value=list on:input=move |ev| list.set(event_target_value(&ev))></textarea>
                </label>
                <label>
                    {i18n.tr(IvrText::BroadcastFile)}
                    <input id="broadcast-file" type="file" accept=".csv,.txt,text/csv,text/plain" on:change=load_file />
                </label>
                <p id="broadcast-count" class="hint" data-count=move || parsed.with(|(n, _)| n.len())>
                    {move || format!("{}{}", i18n.t(IvrText::BroadcastCount), parsed.with(|(n, _)| n.len()))}
                    {move || parsed.with(|(_, bad)| (!bad.is_empty()).then(|| format!(" · {}{}", i18n.t(IvrText::BroadcastRejected), bad.join(", "))))}
                </p>
                <label>
                    {i18n.tr(IvrText::BroadcastInterval)}
                    // Not written back while typing: a number input reads "" half-typed ("0.").
                    <input id="broadcast-interval" type="number" min="0.2" step="0.1" inputmode="decimal" value="1"
                        aria-invalid=move || bad_interval.get().to_string()
                        on:input=move |ev| interval.set(event_target_value(&ev)) />
                </label>
                <button id="broadcast-start" type="submit" prop:disabled=busy>{i18n.tr(IvrText::BroadcastStart)}</button>
            </form>
            <p id="broadcast-error" class="error" role="alert">
                {move || no_numbers.get().then(|| i18n.t(IvrText::BroadcastNoNumbers))}
                {move || bad_interval.get().then(|| i18n.t(IvrText::BroadcastBadInterval))}
            </p>
            <div prop:hidden=move || run.get().is_none()>
                <p class="broadcast-progress">
                    <progress id="broadcast-progress" max=move || total.get() value=move || done.get()
                        aria-label=move || i18n.t(IvrText::BroadcastProgress)></progress>" "
                    <span id="broadcast-progress-text">{move || format!("{}/{}", done.get(), total.get())}</span>" "
                    <strong id="broadcast-run">{move || run.get().map(|r| i18n.t(run_word(r)))}</strong>
                </p>
                <p class="broadcast-tools">
                    {button("broadcast-pause", IvrText::Pause, || BroadcastInput::Pause, |run, _| run == Some(Run::Running))}
                    {button("broadcast-resume", IvrText::Resume, || BroadcastInput::Resume, |run, _| run == Some(Run::Paused))}
                    {button("broadcast-cancel", IvrText::CancelBatch, || BroadcastInput::Cancel,
                        |run, _| matches!(run, Some(Run::Running | Run::Paused)))}
                    {button("broadcast-retry", IvrText::RetryFailed, || BroadcastInput::RetryFailed,
                        |run, failed| failed > 0 && run != Some(Run::Cancelled))}
                    <button id="broadcast-export" class="small" type="button" on:click=export>{i18n.tr(IvrText::ExportResults)}</button>
                </p>
                <BroadcastResults />
            </div>
        </section>
    }
}

/// The run for CSS and tests (`data-run`).
fn run_name(run: Run) -> &'static str {
    match run {
        Run::Running => "running",
        Run::Paused => "paused",
        Run::Cancelled => "cancelled",
        Run::Done => "done",
    }
}
