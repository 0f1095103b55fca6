//! What each command does. `diagnose` and `explain` are the contract's; `interfaces`, `setup`,
//! `completions` and `man` help people and packagers. `hmsaccess` alone prints a short hint.

mod diagnose;
pub mod double_click;
mod explain;
pub mod interfaces;
mod man;
mod setup;

use std::io::{self, Write};
use std::sync::OnceLock;
use std::time::Instant;

use clap::CommandFactory;

use crate::cli::{Cli, ColorWhen, Command};
use crate::exit::{Exit, Failure};

/// What `hmsaccess` alone prints: what the tool is for and the one command most people need.
/// Not the whole usage (that is `--help`), and not a diagnosis: a command that probes the
/// network should be asked for by name, and scripts calling the bare name get a usage error.
pub const HINT: &str = "\
hmsaccess tells you why MARS cannot be reached from this computer, and what to do.

  hmsaccess diagnose          check now (takes a few seconds)
  hmsaccess diagnose --save   check, and save a report for the HMS IT Service Desk
  hmsaccess --help            every command and option
";

/// Runs a parsed command line.
///
/// # Errors
/// A [`Failure`] for bad input or a broken tool; a finished diagnosis is never an error.
pub fn run(cli: Cli, process_start: Instant) -> Result<Exit, Failure> {
    let color = cli.color.unwrap_or(ColorWhen::Auto);
    let Some(command) = cli.command else {
        if double_click::detected(false) {
            return double_click::run(color, process_start);
        }
        let _ = io::stderr().lock().write_all(HINT.as_bytes());
        return Ok(Exit::Usage);
    };
    match command {
        Command::Diagnose(args) => diagnose::run(&args, color, cli.verbose, process_start),
        Command::Explain(args) => explain::run(&args, color, cli.verbose),
        Command::Interfaces { json } => interfaces::run(json),
        Command::Setup => setup::run(color),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "hmsaccess", &mut buf);
            finish_output(io::stdout().lock().write_all(&buf))?;
            Ok(Exit::Success)
        }
        Command::Man => {
            let mut buf = Vec::new();
            man::render(&mut buf)
                .map_err(|e| Failure::internal(format!("cannot render the manual page: {e}")))?;
            finish_output(io::stdout().lock().write_all(&buf))?;
            Ok(Exit::Success)
        }
    }
}

/// The colour decision for a stream, from `--color` (anstream applies NO_COLOR/CLICOLOR_FORCE).
fn choice(color: ColorWhen) -> anstream::ColorChoice {
    match color {
        ColorWhen::Auto => anstream::ColorChoice::Auto,
        ColorWhen::Always => anstream::ColorChoice::Always,
        ColorWhen::Never => anstream::ColorChoice::Never,
    }
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

/// True when the terminal likely shows Unicode symbols (UTF-8 locale; Windows Terminal).
#[must_use]
pub fn unicode_ok() -> bool {
    if std::env::var_os("WT_SESSION").is_some() {
        return true;
    }
    ["LC_ALL", "LC_CTYPE", "LANG"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
        .is_some_and(|v| v.to_ascii_uppercase().replace('-', "").contains("UTF8"))
}

/// The local time zone's offset from UTC, read once at start ([`capture_local_offset`]).
static LOCAL_OFFSET: OnceLock<Option<time::UtcOffset>> = OnceLock::new();

/// Reads the local time zone's offset. Call first thing in `main`: on Unix the offset can be
/// read soundly only while the process has one thread, and later calls then reuse it.
pub fn capture_local_offset() {
    LOCAL_OFFSET.get_or_init(|| time::UtcOffset::current_local_offset().ok());
}

/// The clock time (`13:06:04`) of an RFC 3339 timestamp in the local time zone, or in UTC
/// (`18:06:04 UTC`) when the local offset is unknown.
#[must_use]
pub fn local_clock(rfc3339: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let Ok(t) = time::OffsetDateTime::parse(rfc3339, &Rfc3339) else {
        return rfc3339.get(11..19).unwrap_or(rfc3339).to_owned();
    };
    let hms =
        |t: time::OffsetDateTime| format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second());
    match LOCAL_OFFSET.get().copied().flatten() {
        Some(offset) => hms(t.to_offset(offset)),
        None => format!("{} UTC", hms(t.to_offset(time::UtcOffset::UTC))),
    }
}
