//! `hmsaccess diagnose`: run the probes, print the verdict, write the report; `--watch` repeats.

mod config;
mod save;
mod watch;

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use super::{choice, finish_output, unicode_ok};
use crate::cli::{ColorWhen, DiagnoseArgs};
use crate::exit::{Exit, Failure};
use crate::progress::Progress;
use crate::report::human;
use crate::report::model::Report;
use crate::run::Diagnosis;
use config::DiagnoseConfig;

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
    // Blocking helpers (trust store, interface scan) must not hold the exit back.
    runtime.shutdown_background();
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
        human::render(&report, config.verbose, &mut out).and_then(|()| out.flush())
    };
    finish_output(result)?;
    write_files(&report, config)?;
    Ok(Exit::Verdict(report.verdict.code))
}

/// `--output` and `--save`, after the verdict has been shown.
fn write_files(report: &Report, config: &DiagnoseConfig) -> Result<(), Failure> {
    if let Some(path) = &config.output {
        save::write_report_file(report, path)?;
    }
    if config.save {
        let path = save::save(report)?;
        // With --json, stdout carries only the report: the sending hint goes to stderr.
        let hint = save::send_hint(report, &path);
        let written = if config.json {
            writeln!(io::stderr().lock(), "{hint}")
        } else {
            writeln!(io::stdout().lock(), "\n{hint}")
        };
        finish_output(written)?;
    }
    Ok(())
}
