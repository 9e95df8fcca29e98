//! Broadcast (document 003, one voice menu to many numbers) in a real
//! browser against the simulator: 20 numbers read from a CSV file, some
//! refused by the service, a reload in the middle, the failed ones retried,
//! the results exported as CSV. No number is called twice.

use e2e::Harness;
use sim::Faults;
use std::time::{Duration, Instant};

fn numbers() -> Vec<String> {
    (1..=20).map(|i| format!("1350000{i:04}")).collect()
}

/// The rows whose `data-status` is `status`.
async fn rows_with(h: &Harness, status: &str) -> u64 {
    h.eval(&format!(
        "return document.querySelectorAll('#broadcast-results tr[data-status={status}]').length"
    ))
    .await
    .as_u64()
    .unwrap_or_default()
}

/// Polls until the count of `status` rows meets `cond`; on a timeout the
/// failure shows the broadcast section, the journal and console errors.
async fn wait_rows(h: &Harness, what: &str, mut cond: impl FnMut(u64) -> bool, status: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let n = rows_with(h, status).await;
        if cond(n) {
            return;
        }
        if Instant::now() >= deadline {
            let dump = h
                .eval("return document.getElementById('broadcast').textContent + ' | ' + document.getElementById('journal').textContent")
                .await;
            let errors = h.console_errors().await;
            panic!("timed out: {what} ({n} rows {status}): {dump} {errors:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_20_number_broadcast_with_failures_survives_a_reload_retries_and_exports() {
    let h = Harness::start(None).await;
    let all = numbers();
    let refused: Vec<String> = [3, 7, 11, 15].iter().map(|i| all[i - 1].clone()).collect();
    h.sim.set_faults(Faults {
        ivr_refused: refused.clone(),
        ..Default::default()
    });
    h.open("/").await;
    h.fill("#ivr-voicefile", "notice.wav").await;
    h.click("#ivr-route-add").await;
    h.fill("#ivr-route-group-1", "extGroup-1").await;

    let csv: String = std::iter::once("phone,name\n".to_owned())
        .chain(all.iter().map(|n| format!("{n},张三\n")))
        .collect();
    let file = std::env::temp_dir().join(format!("broadcast-{}.csv", std::process::id()));
    std::fs::write(&file, csv).unwrap();
    h.wait_for("#broadcast-file")
        .await
        .send_keys(file.to_str().unwrap())
        .await
        .unwrap();
    h.wait_attr("#broadcast-count", "data-count", "20").await;
    h.fill("#broadcast-interval", "0.4").await;
    h.click("#broadcast-start").await;
    h.wait_attr("#broadcast", "data-run", "running").await;

    // A reload in the middle: the list and what was sent are kept, paused.
    wait_rows(&h, "a few numbers sent", |n| n >= 5, "sent").await;
    h.client.refresh().await.unwrap();
    h.wait_attr("#broadcast", "data-run", "paused").await;
    let kept = rows_with(&h, "sent").await + rows_with(&h, "failed").await;
    assert!(kept >= 5, "{kept} results kept");
    assert_eq!(
        h.eval("return document.querySelectorAll('#broadcast-results tbody tr').length")
            .await,
        20
    );
    assert_eq!(
        rows_with(&h, "sending").await,
        0,
        "nothing under way after a reload"
    );
    let stored = h
        .eval("return localStorage.getItem('dispatch-desk.broadcast')")
        .await;
    assert!(
        !stored.as_str().unwrap_or_default().contains("ABCDEFG"),
        "no token stored"
    );
    h.click("#broadcast-resume").await;
    h.wait_attr("#broadcast", "data-run", "running").await;
    wait_rows(&h, "all numbers settled", |n| n == 0, "waiting").await;
    h.wait_attr("#broadcast", "data-run", "done").await;
    h.wait_text("#broadcast-progress-text", "20/20").await;

    // The refused ones show the service's words.
    assert_eq!(rows_with(&h, "failed").await, 4);
    h.wait_attr("#broadcast-row-3", "data-status", "failed")
        .await;
    h.wait_text("#broadcast-row-3 .broadcast-detail", "被叫号码无效")
        .await;

    // The service takes them now: retry the failed ones, and only them.
    h.sim.set_faults(Faults::default());
    h.click("#broadcast-retry").await;
    wait_rows(&h, "the failed ones retried", |n| n == 0, "failed").await;
    h.wait_attr("#broadcast", "data-run", "done").await;
    h.wait_attr("#broadcast-row-3", "data-status", "sent").await;
    h.wait_text("#broadcast-row-3 .broadcast-attempts", "2")
        .await;
    h.wait_text("#broadcast-row-4 .broadcast-attempts", "1")
        .await;

    // Every number reached the service accepted exactly once: none twice,
    // even the one whose reply the reload lost.
    let state = h.sim.snapshot();
    for n in &all {
        let accepted = state
            .ivr_requests
            .iter()
            .filter(|r| r.accepted && r.fields.get("destnumber") == Some(n))
            .count();
        assert!(accepted <= 1, "{n} called {accepted} times");
    }
    let accepted = state.ivr_requests.iter().filter(|r| r.accepted).count();
    let unknown = rows_with(&h, "unknown").await as usize;
    // A request under way at the reload may or may not have reached it.
    assert!(
        accepted <= 20 && accepted + unknown >= 20,
        "{accepted} accepted, {unknown} unknown"
    );
    let sample = state.ivr_requests.last().unwrap();
    assert_eq!(sample.fields["userid"], "1@extGroup-1");
    assert_eq!(sample.fields["voicefile"], "notice.wav");
    assert!(sample.fields["customuuid"].starts_with('b'));

    h.catch_download().await;
    h.click("#broadcast-export").await;
    let text = h.downloaded().await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "number,status,attempts,detail,customuuid");
    assert_eq!(lines.len(), 21, "{text}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("{},sent,2,", all[2]))),
        "{text}"
    );
    let _ = std::fs::remove_file(file);
    h.finish().await;
}
