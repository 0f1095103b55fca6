//! What each command does. `diagnose` and `explain` are the contract's; `interfaces`, `setup`,
//! `completions` and `man` help people and packagers. `hmsaccess` alone prints a short hint.

mod diagnose;
pub mod double_click;
mod explain;
pub mod interfaces;
mod man;
mod output;
mod setup;

use std::io::{self, Write};
use std::time::Instant;

use clap::CommandFactory;

use crate::cli::{Cli, ColorWhen, Command};
use crate::exit::{Exit, Failure};
use output::finish_output;
pub use output::{capture_local_offset, local_clock, unicode_ok};

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
