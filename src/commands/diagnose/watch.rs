//! `--watch`: run, then every interval print only what changed, until MARS can be reached.

use std::io::Write;
use std::time::{Duration, Instant};

use super::{DiagnoseConfig, probe, write_files};
use crate::commands::{choice, finish_output};
use crate::exit::{Exit, Failure};
use crate::report::human;
use crate::report::model::{Outcome, Report};

/// Watches until a run says MARS can be reached, or Ctrl-C; then writes the last report where
/// `--output`/`--save` ask.
pub(super) fn watch(
    runtime: &tokio::runtime::Runtime,
    config: &DiagnoseConfig,
) -> Result<Exit, Failure> {
    let interval = config.watch.unwrap_or_default();
    let verbose = config.verbose;
    let began = Instant::now();
    let mut out = anstream::AutoStream::new(std::io::stdout(), choice(config.color));
    let first = probe(runtime, config, verbose, Instant::now());
    let mut previous = first.report;
    finish_output(human::render(&previous, verbose, &mut out).and_then(|()| out.flush()))?;
    if first.interrupted || previous.verdict.code.is_success() {
        return finish_watch(&previous, config);
    }
    finish_output(writeln!(
        out,
        "\nWatching: checking again every {} s until MARS can be reached (Ctrl-C stops).",
        format!("{:.1}", interval.as_secs_f64()).trim_end_matches(".0")
    ))?;
    loop {
        let stop = runtime.block_on(async {
            tokio::select! {
                () = tokio::time::sleep(interval) => false,
                _ = tokio::signal::ctrl_c() => true,
            }
        });
        if stop {
            return finish_watch(&previous, config);
        }
        let current = probe(runtime, config, false, Instant::now());
        for line in &changes(&previous, &current.report, began.elapsed()) {
            finish_output(writeln!(out, "{line}"))?;
        }
        previous = current.report;
        if current.interrupted || previous.verdict.code.is_success() {
            if previous.verdict.code.is_success() {
                finish_output(writeln!(out))?;
                finish_output(human::render(&previous, verbose, &mut out))?;
            }
            return finish_watch(&previous, config);
        }
    }
}

fn finish_watch(last: &Report, config: &DiagnoseConfig) -> Result<Exit, Failure> {
    write_files(last, config)?;
    Ok(Exit::Verdict(last.verdict.code))
}

/// What changed between two runs, as lines for the person watching.
#[must_use]
pub fn changes(before: &Report, after: &Report, since_start: Duration) -> Vec<String> {
    let clock = after.started_at.get(11..19).unwrap_or(&after.started_at);
    let mut lines = Vec::new();
    for p in &after.probes {
        let Some(old) = before.probes.iter().find(|o| o.id == p.id) else {
            continue;
        };
        let significant = |o: Outcome| !o.is_not_run();
        // A step that ran both times and ended differently; "not needed this time" is no news.
        if old.outcome != p.outcome && significant(old.outcome) && significant(p.outcome) {
            lines.push(format!(
                "{clock}  {}: {} -> {}",
                p.id, old.outcome, p.outcome
            ));
        }
    }
    if before.verdict.code != after.verdict.code {
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
