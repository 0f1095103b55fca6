//! `hmsaccess diagnose`: run the probes, print the verdict, write the report; `--watch` repeats.

mod config;
mod save;
mod watch;

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use super::{choice, finish_output, unicode_ok};
use crate::cli::{ColorWhen, DiagnoseArgs};
use crate::exit::{Exit, Failure};
use crate::profile::Profile;
use crate::progress::Progress;
use crate::report::human::{self, Options};
use crate::report::model::Report;
use crate::run::Diagnosis;
use config::DiagnoseConfig;

/// How long the end of a run may wait for blocking helpers still running (a scan, a trust-store
/// load) before the process exits without them.
const EXIT_GRACE: std::time::Duration = std::time::Duration::from_millis(100);

pub(super) fn run(
    args: &DiagnoseArgs,
    color: ColorWhen,
    verbose: bool,
    process_start: Instant,
) -> Result<Exit, Failure> {
    let config = DiagnoseConfig::build(args, color, verbose)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::internal(format!("cannot start the async runtime: {e}")))?;
    let result = if config.watch.is_some() {
        watch::watch(&runtime, &config)
    } else {
        once(&runtime, &config, process_start)
    };
    // Blocking helpers (trust store, interface scan) must not hold the exit back for long, but
    // the tasks (and their sockets, some with connects still pending) are closed before the
    // process exits: exiting with them open crashed 2 of 15 runs under Wine (exit 139), and
    // none of 30 once they were closed first. 100 ms stays inside the contract's +0.3 s.
    runtime.shutdown_timeout(EXIT_GRACE);
    result
}

/// One diagnosis, bounded by the configured budget counted from `start`.
fn probe(
    runtime: &tokio::runtime::Runtime,
    config: &DiagnoseConfig,
    verbose: bool,
    start: Instant,
) -> Diagnosis {
    let terminal = !config.json && io::stderr().is_terminal();
    let mut progress = Progress::new(terminal, verbose && !config.json, !unicode_ok());
    let deadline = tokio::time::Instant::from_std(start + config.budget);
    let mut diagnosis = runtime.block_on(crate::run::diagnose(
        &config.profile,
        start,
        deadline,
        &mut |p| progress.update(p),
    ));
    progress.finish();
    if config.redact {
        diagnosis.report = crate::report::redact::redact(&diagnosis.report);
    }
    diagnosis
}

/// How a fresh diagnosis is shown: verdict and first step repeated last; the footer only when
/// it helps (a failed diagnosis that writes no file).
fn render_options(config: &DiagnoseConfig) -> Options<'static> {
    Options {
        verbose: config.verbose,
        recap: true,
        footer: !config.save && config.output.is_none(),
        charset: human::charset(),
        ..Options::new(human::terminal_width())
    }
}

fn once(
    runtime: &tokio::runtime::Runtime,
    config: &DiagnoseConfig,
    start: Instant,
) -> Result<Exit, Failure> {
    let report = probe(runtime, config, config.verbose, start).report;
    // The diagnosis is shown first: a file that cannot be written must not cost the person it.
    let result = if config.json {
        let mut out = io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, &report)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out))
            .and_then(|()| out.flush())
    } else {
        let mut out = anstream::AutoStream::new(io::stdout().lock(), choice(config.color));
        human::render(&report, &render_options(config), &mut out).and_then(|()| out.flush())
    };
    finish_output(result)?;
    write_files(&report, config)?;
    Ok(Exit::Verdict(report.verdict.code))
}

/// `--output` and `--save`, after the verdict has been shown: says where each file went. A
/// file that cannot be written is one line on stderr; the verdict's exit status stays (the
/// caller returns it), so a script still learns the diagnosis.
fn write_files(report: &Report, config: &DiagnoseConfig) -> Result<(), Failure> {
    let width = human::terminal_width();
    let mut told = Vec::new();
    let mut failed = Vec::new();
    if let Some(path) = &config.output {
        match save::write_output(report, path) {
            // With --json, a script chose the file: said only to a person at a terminal.
            Ok(path) if !config.json || io::stderr().is_terminal() => {
                told.push(format!(
                    "Wrote the report to:\n{}",
                    human::wrap_path("  ", &path.display().to_string(), width)
                ));
            }
            Ok(_) => {}
            Err(e) => failed.push(e),
        }
    }
    if config.save {
        match save::save(report) {
            Ok(path) => {
                // A profile without its own desk sends people to HMS's.
                let desk = config
                    .profile
                    .service_desk
                    .clone()
                    .or_else(|| Profile::embedded().service_desk)
                    .expect("the embedded profile names its service desk");
                told.push(save::send_hint(report, &path, &desk, width));
            }
            Err(e) => failed.push(e),
        }
    }
    for message in &failed {
        let _ = writeln!(io::stderr().lock(), "hmsaccess: error: {message}");
    }
    if told.is_empty() {
        return Ok(());
    }
    // With --json, stdout carries only the report: where the files went goes to stderr.
    let text = told.join("\n");
    let written = if config.json {
        writeln!(io::stderr().lock(), "{text}")
    } else {
        writeln!(io::stdout().lock(), "\n{text}")
    };
    finish_output(written)
}
