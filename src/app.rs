//! What each command does: load input, run, render, write, and decide the exit status.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::cli::{Cli, ColorWhen, Command, DiagnoseArgs};
use crate::exit::{Exit, Failure};
use crate::profile::Profile;
use crate::report::model::{Report, SCHEMA_VERSION};
use crate::report::{self, human};

/// A run without `--timeout` ends within this (contract: 10 s), bookkeeping included.
const DEFAULT_BUDGET: Duration = Duration::from_millis(9_500);
/// Time kept back from `--timeout` for writing the report after the probes stop.
const BOOKKEEPING: Duration = Duration::from_millis(60);
/// Largest saved report `explain` reads.
const MAX_REPORT_BYTES: u64 = 16 * 1024 * 1024;

/// Runs a parsed command line.
///
/// # Errors
/// A [`Failure`] for bad input or a broken tool; a finished diagnosis is never an error.
pub fn run(cli: Cli, process_start: Instant) -> Result<Exit, Failure> {
    let color = cli.color.unwrap_or(ColorWhen::Auto);
    match cli.command {
        Command::Diagnose(args) => diagnose(&args, color, cli.verbose, process_start),
        Command::Explain { file } => explain(&file, color, cli.verbose),
    }
}

fn choice(color: ColorWhen) -> anstream::ColorChoice {
    match color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    }
}

fn diagnose(
    args: &DiagnoseArgs,
    color: ColorWhen,
    verbose: bool,
    process_start: Instant,
) -> Result<Exit, Failure> {
    let profile = match &args.profile {
        Some(path) => Profile::load(path).map_err(|e| Failure::input(e.to_string()))?,
        None => Profile::embedded(),
    };
    let budget = args
        .timeout
        .map_or(DEFAULT_BUDGET, |t| t.saturating_sub(BOOKKEEPING));
    let show_progress = !args.json && (verbose || io::stderr().is_terminal());
    if show_progress {
        let mut err = anstream::AutoStream::new(io::stderr().lock(), choice(color));
        let _ = writeln!(
            err,
            "hmsaccess: checking {} hosts (at most {:.1} s)…",
            profile.targets.len(),
            args.timeout
                .unwrap_or(Duration::from_secs(10))
                .as_secs_f64()
        );
    }
    let started_at = report::now_rfc3339();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::internal(format!("cannot start the async runtime: {e}")))?;
    let deadline = tokio::time::Instant::from_std(process_start + budget);
    let observed = runtime.block_on(crate::probe::run::run(&profile, deadline));
    // Blocking helpers (trust store, interface scan) must not hold the exit back.
    runtime.shutdown_background();
    let report = report::assemble(&profile, observed, started_at, process_start.elapsed());
    let exit = Exit::Verdict(report.verdict.code);

    if let Some(path) = &args.output {
        write_report_file(&report, path)?;
    }
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
    Ok(exit)
}

/// A closed pipe (`| head -1`) is a normal end; other write errors are failures.
fn finish_output(result: io::Result<()>) -> Result<(), Failure> {
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::internal(format!(
            "cannot write the output: {}",
            crate::input::io_message(&e)
        ))),
    }
}

fn write_report_file(report: &Report, path: &Path) -> Result<(), Failure> {
    let json = serde_json::to_vec_pretty(report)
        .map_err(|e| Failure::internal(format!("cannot encode the report: {e}")))?;
    std::fs::write(path, [json.as_slice(), b"\n"].concat()).map_err(|e| Failure {
        exit: Exit::BadInput,
        message: format!(
            "{}: cannot write the report: {}; choose another --output path",
            path.display(),
            crate::input::io_message(&e)
        ),
    })
}

/// Reads and checks a saved report.
///
/// # Errors
/// A one-line message naming the file and the problem.
pub fn load_report(path: &Path) -> Result<Report, String> {
    let name = path.display().to_string();
    let bytes =
        crate::input::read_capped(path, MAX_REPORT_BYTES).map_err(|e| format!("{name}: {e}"))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        format!("{name}:{}:{}: not a JSON report ({}); expected the output of hmsaccess diagnose --json", e.line(), e.column(), first_words(&e))
    })?;
    let version = value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64);
    match version {
        None => {
            return Err(format!(
                "{name}: not an hmsaccess report (no schema_version); expected the output of hmsaccess diagnose --json"
            ));
        }
        Some(v) if v > u64::from(SCHEMA_VERSION) => {
            return Err(format!(
                "{name}: report schema version {v} is newer than this hmsaccess reads ({SCHEMA_VERSION}); update hmsaccess"
            ));
        }
        Some(_) => {}
    }
    serde_json::from_value(value).map_err(|e| format!("{name}: not a valid hmsaccess report: {e}"))
}

fn first_words(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

fn explain(path: &Path, color: ColorWhen, verbose: bool) -> Result<Exit, Failure> {
    let report = load_report(path).map_err(Failure::input)?;
    let mut out = anstream::AutoStream::new(io::stdout().lock(), choice(color));
    finish_output(human::render(&report, verbose, &mut out).and_then(|()| out.flush()))?;
    Ok(Exit::Success)
}
