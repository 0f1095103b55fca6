//! `--watch`: run, then again and again, printing one line per run ("13:06:04  still
//! needs-hms-vpn", or what changed), until MARS can be reached or Ctrl-C. A run starts every
//! interval, counted from the start of the one before, so "every 3 s" means every 3 s; after a
//! run that took longer, a short pause still keeps the network from being probed back to back.

use std::io::Write;
use std::time::{Duration, Instant};

use super::config::DiagnoseConfig;
use super::once::{probe, render_options, write_files};

/// The least pause between the end of one run and the start of the next.
const MIN_PAUSE: Duration = Duration::from_millis(500);
use crate::commands::output::{choice, finish_output, local_clock};
use crate::exit::{Exit, Failure};
use crate::report::human;
use crate::report::model::Report;

/// Watches until a run says MARS can be reached, or Ctrl-C; then writes the last whole run's
/// report where `--output`/`--save` ask, and exits with its verdict.
pub(super) fn watch(
    runtime: &tokio::runtime::Runtime,
    config: &DiagnoseConfig,
) -> Result<Exit, Failure> {
    let interval = config.watch.unwrap_or_default();
    let began = Instant::now();
    let mut out = anstream::AutoStream::new(std::io::stdout(), choice(config.color));
    let mut run_started = Instant::now();
    let first = probe(runtime, config, config.verbose, run_started);
    let mut previous = first.report;
    let opts = render_options(config);
    finish_output(human::render(&previous, &opts, &mut out).and_then(|()| out.flush()))?;
    if first.interrupted || previous.verdict.code.is_success() {
        return finish_watch(&previous, config);
    }
    let announce = format!(
        "Watching: checking again every {} s until MARS can be reached (Ctrl-C stops).",
        format!("{:.1}", interval.as_secs_f64()).trim_end_matches(".0")
    );
    finish_output(writeln!(
        out,
        "\n{}",
        human::wrap_to(&announce, opts.width, "  ", "")
    ))?;
    loop {
        let next = next_start(run_started, interval, Instant::now());
        let stop = runtime.block_on(async {
            tokio::select! {
                () = tokio::time::sleep_until(next.into()) => false,
                _ = tokio::signal::ctrl_c() => true,
            }
        });
        if stop {
            return finish_watch(&previous, config);
        }
        run_started = Instant::now();
        let current = probe(runtime, config, false, run_started);
        if current.interrupted {
            // Ctrl-C in the middle of a run: its half is no news; the last whole run stands.
            return finish_watch(&previous, config);
        }
        let clock = local_clock(&current.report.started_at);
        for line in changes(&previous, &current.report, &clock, began.elapsed()) {
            let line = human::wrap_to(&line, opts.width, "          ", "");
            finish_output(writeln!(out, "{line}").and_then(|()| out.flush()))?;
        }
        previous = current.report;
        if previous.verdict.code.is_success() {
            finish_output(writeln!(out))?;
            finish_output(human::render(&previous, &opts, &mut out))?;
            return finish_watch(&previous, config);
        }
    }
}

/// When the next run starts: one interval after the last one started, but never sooner than
/// [`MIN_PAUSE`] after it ended (`now`).
fn next_start(last_started: Instant, interval: Duration, now: Instant) -> Instant {
    (last_started + interval).max(now + MIN_PAUSE)
}

fn finish_watch(last: &Report, config: &DiagnoseConfig) -> Result<Exit, Failure> {
    write_files(last, config)?;
    Ok(Exit::Verdict(last.verdict.code))
}

/// One run's lines for the person watching: each host whose state changed, and the verdict
/// (what it is now, or that it is still the same, so the watch is seen to be alive).
#[must_use]
pub fn changes(before: &Report, after: &Report, clock: &str, since_start: Duration) -> Vec<String> {
    let old = human::host_states(before);
    let mut lines = Vec::new();
    for now in human::host_states(after) {
        let Some(was) = old.iter().find(|h| h.host == now.host) else {
            continue;
        };
        // "Not needed this time" is no news: the verdict was clear sooner.
        let quiet = |s: &str| s.starts_with("not needed") || s == "not checked";
        if was.state != now.state && !quiet(&was.state) && !quiet(&now.state) {
            lines.push(format!(
                "{clock}  {}: {} -> {}",
                now.host, was.state, now.state
            ));
        }
    }
    if before.verdict.code == after.verdict.code {
        lines.push(format!("{clock}  still {}", after.verdict.code));
    } else {
        let verb = if after.verdict.code.is_success() {
            "now"
        } else {
            "changed"
        };
        lines.push(format!(
            "{clock}  {verb}: {} ({}, was {}) after {} s",
            after.verdict.title,
            after.verdict.code,
            before.verdict.code,
            since_start.as_secs()
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::{Outcome, VerdictCode};

    fn report() -> Report {
        serde_json::from_str(include_str!("../../../docs/examples/needs-hms-vpn.json")).unwrap()
    }

    #[test]
    fn runs_start_every_interval_with_a_short_pause_after_a_long_run() {
        let t0 = Instant::now();
        let every = Duration::from_secs(3);
        // A 1 s run: the next starts 3 s after this one started, not 3 s after it ended.
        assert_eq!(
            next_start(t0, every, t0 + Duration::from_secs(1)),
            t0 + every
        );
        // A 5 s run: the next follows after the short pause.
        let end = t0 + Duration::from_secs(5);
        assert_eq!(next_start(t0, every, end), end + MIN_PAUSE);
    }

    #[test]
    fn an_unchanged_run_says_it_is_still_the_same() {
        let r = report();
        let lines = changes(&r, &r, "13:06:04", Duration::from_secs(9));
        assert_eq!(lines, ["13:06:04  still needs-hms-vpn"]);
    }

    #[test]
    fn a_change_names_the_host_in_plain_words_and_the_new_verdict() {
        let before = report();
        let mut after = report();
        for p in after
            .probes
            .iter_mut()
            .filter(|p| p.id.starts_with("tcp:mars"))
        {
            p.outcome = Outcome::Refused;
        }
        after.verdict.code = VerdictCode::Offline;
        let lines = changes(&before, &after, "13:06:04", Duration::from_secs(9));
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("13:06:04  MARS: no answer")
                && lines[0].ends_with("-> connection refused"),
            "{lines:?}"
        );
        assert!(
            lines[1].contains("changed:")
                && lines[1].contains("(offline, was needs-hms-vpn) after 9 s"),
            "{lines:?}"
        );
    }
}
