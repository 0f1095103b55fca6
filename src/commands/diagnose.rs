//! `hmsaccess diagnose`: run the probes, print the verdict, write the report; `--watch` repeats.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{choice, finish_output, unicode_ok};
use crate::cli::{ColorWhen, DiagnoseArgs};
use crate::exit::{Exit, Failure};
use crate::probe::run::Observed;
use crate::profile::Profile;
use crate::progress::Progress;
use crate::report::model::{Outcome, Report};
use crate::report::{self, human};

/// A run without `--timeout` ends within this (contract: 10 s), bookkeeping included.
const DEFAULT_BUDGET: Duration = Duration::from_millis(9_500);
/// Time kept back from `--timeout` for writing the report after the probes stop.
const BOOKKEEPING: Duration = Duration::from_millis(60);
/// Pause between `--watch` runs unless `--interval` says otherwise.
const DEFAULT_INTERVAL: Duration = Duration::from_secs(3);
/// Where reports go by email.
const SERVICE_DESK: &str = "ITServiceDesk@hms.harvard.edu";

pub(super) fn run(
    args: &DiagnoseArgs,
    color: ColorWhen,
    verbose: bool,
    process_start: Instant,
) -> Result<Exit, Failure> {
    let profile = match &args.profile {
        Some(path) => Profile::load(path).map_err(|e| Failure::input(e.to_string()))?,
        None => Profile::embedded(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::internal(format!("cannot start the async runtime: {e}")))?;
    let result = if args.watch {
        watch(&runtime, &profile, args, color, verbose)
    } else {
        once(&runtime, &profile, args, color, verbose, process_start)
    };
    // Blocking helpers (trust store, interface scan) must not hold the exit back.
    runtime.shutdown_background();
    result
}

/// One diagnosis, bounded by `--timeout` (or 10 s) counted from `start`.
fn probe(
    runtime: &tokio::runtime::Runtime,
    profile: &Profile,
    args: &DiagnoseArgs,
    verbose: bool,
    start: Instant,
) -> (Report, bool) {
    let budget = args
        .timeout
        .map_or(DEFAULT_BUDGET, |t| t.saturating_sub(BOOKKEEPING));
    let terminal = !args.json && io::stderr().is_terminal();
    let mut progress = Progress::new(terminal, verbose && !args.json, !unicode_ok());
    let started_at = report::now_rfc3339();
    let deadline = tokio::time::Instant::from_std(start + budget);
    let observed: Observed =
        runtime.block_on(crate::probe::run::run(profile, deadline, &mut |p| {
            progress.update(p);
        }));
    progress.finish();
    let interrupted = observed.interrupted;
    let report = report::assemble(profile, observed, started_at, start.elapsed());
    let report = if args.redact {
        report::redact::redact(&report)
    } else {
        report
    };
    (report, interrupted)
}

fn once(
    runtime: &tokio::runtime::Runtime,
    profile: &Profile,
    args: &DiagnoseArgs,
    color: ColorWhen,
    verbose: bool,
    start: Instant,
) -> Result<Exit, Failure> {
    let (report, _) = probe(runtime, profile, args, verbose, start);
    // The diagnosis is shown first: a file that cannot be written must not cost the person it.
    let result = if args.json {
        let mut out = io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out))
            .and_then(|()| out.flush())
    } else {
        let mut out = anstream::AutoStream::new(io::stdout().lock(), choice(color));
        human::render(&report, verbose, &mut out).and_then(|()| out.flush())
    };
    finish_output(result)?;
    if let Some(path) = &args.output {
        write_report_file(&report, path)?;
    }
    if args.save {
        let path = save(&report)?;
        // With --json, stdout carries only the report: the sending hint goes to stderr.
        let hint = send_hint(&report, &path);
        let written = if args.json {
            writeln!(io::stderr().lock(), "{hint}")
        } else {
            writeln!(io::stdout().lock(), "\n{hint}")
        };
        finish_output(written)?;
    }
    Ok(Exit::Verdict(report.verdict.code))
}

fn write_report_file(report: &Report, path: &Path) -> Result<(), Failure> {
    let json = serde_json::to_vec_pretty(report)
        .map_err(|e| Failure::internal(format!("cannot encode the report: {e}")))?;
    // A path that cannot be written is a bad argument (exit 2), not bad input or a bug.
    std::fs::write(path, [json.as_slice(), b"\n"].concat()).map_err(|e| Failure {
        exit: Exit::Usage,
        message: format!(
            "{}: cannot write the report: {}; choose another path",
            path.display(),
            crate::input::io_message(&e)
        ),
    })
}

/// `--save`: `hmsaccess-report-<UTC time>.json` in the current folder.
fn save(report: &Report) -> Result<PathBuf, Failure> {
    let stamp: String = report
        .started_at
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let path = PathBuf::from(format!("hmsaccess-report-{stamp}.json"));
    write_report_file(report, &path)?;
    Ok(path)
}

/// Exactly how to send a saved report to the service desk.
#[must_use]
pub fn send_hint(report: &Report, path: &Path) -> String {
    let id = report.report_id.as_deref().unwrap_or("-");
    format!(
        "Saved the report as {} (report ID {id}).\n\
         To get help, email it to {SERVICE_DESK} (or call 617-432-2000 and quote the ID):\n  \
         subject: MARS access: {id} ({})\n  \
         attach:  {}\n  \
         and say where you are (home, hospital, travelling) and which VPN you use.",
        path.display(),
        report.verdict.code,
        path.display()
    )
}

/// `--watch`: run, then every interval print only what changed, until MARS can be reached.
fn watch(
    runtime: &tokio::runtime::Runtime,
    profile: &Profile,
    args: &DiagnoseArgs,
    color: ColorWhen,
    verbose: bool,
) -> Result<Exit, Failure> {
    let interval = args.interval.unwrap_or(DEFAULT_INTERVAL);
    let began = Instant::now();
    let mut out = anstream::AutoStream::new(io::stdout(), choice(color));
    let (mut previous, interrupted) = probe(runtime, profile, args, verbose, Instant::now());
    finish_output(human::render(&previous, verbose, &mut out).and_then(|()| out.flush()))?;
    if interrupted || previous.verdict.code.is_success() {
        return finish_watch(&previous, args);
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
            return finish_watch(&previous, args);
        }
        let (current, interrupted) = probe(runtime, profile, args, false, Instant::now());
        let lines = changes(&previous, &current, began.elapsed());
        for line in &lines {
            finish_output(writeln!(out, "{line}"))?;
        }
        previous = current;
        if interrupted || previous.verdict.code.is_success() {
            if previous.verdict.code.is_success() {
                finish_output(writeln!(out))?;
                finish_output(human::render(&previous, verbose, &mut out))?;
            }
            return finish_watch(&previous, args);
        }
    }
}

fn finish_watch(last: &Report, args: &DiagnoseArgs) -> Result<Exit, Failure> {
    if let Some(path) = &args.output {
        write_report_file(last, path)?;
    }
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
