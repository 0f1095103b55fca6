//! One diagnosis: run the probes within the budget, show the verdict, then write the files that
//! `--output` and `--save` ask for. `--watch` ([`super::watch`]) repeats the same steps.

use std::io::{self, IsTerminal, Write};
use std::time::Instant;

use super::config::DiagnoseConfig;
use super::save;
use crate::commands::output::{choice, finish_output, unicode_ok};
use crate::exit::{Exit, Failure};
use crate::profile::Profile;
use crate::progress::Progress;
use crate::report::human::{self, Options};
use crate::report::model::Report;
use crate::run::Diagnosis;

/// One diagnosis, bounded by the configured budget counted from `start`.
pub(super) fn probe(
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
pub(super) fn render_options(config: &DiagnoseConfig) -> Options<'static> {
    Options {
        verbose: config.verbose,
        recap: true,
        footer: !config.save && config.output.is_none(),
        charset: human::charset(),
        ..Options::new(human::terminal_width())
    }
}

/// One diagnosis shown, its files written; the exit status is its verdict's.
pub(super) fn run(
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
pub(super) fn write_files(report: &Report, config: &DiagnoseConfig) -> Result<(), Failure> {
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
