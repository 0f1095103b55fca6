//! What each command does. `diagnose` and `explain` are the contract's; `interfaces`, `setup`,
//! `completions` and `man` help people and packagers.

mod diagnose;
mod explain;
pub mod interfaces;
mod setup;

use std::io::{self, Write};
use std::time::Instant;

use clap::CommandFactory;

use crate::cli::{Cli, ColorWhen, Command};
use crate::exit::{Exit, Failure};

/// Runs a parsed command line.
///
/// # Errors
/// A [`Failure`] for bad input or a broken tool; a finished diagnosis is never an error.
pub fn run(cli: Cli, process_start: Instant) -> Result<Exit, Failure> {
    let color = cli.color.unwrap_or(ColorWhen::Auto);
    match cli.command {
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
            clap_mangen::Man::new(Cli::command())
                .render(&mut buf)
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
