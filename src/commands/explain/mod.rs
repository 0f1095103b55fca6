//! `hmsaccess explain`: render saved reports (each under its file name, with the OS and tool
//! version that wrote it), judged again by this build from what they observed and told in its
//! own words ([`judge`], [`single`]); or, with `--summary`, the service desk's triage view
//! across many, folders included ([`summary`]). Never touches the network.
//!
//! Exit status: 0 when every file was read, 3 when one could not be (each such file is one
//! line on stderr; the others are still shown), or when the `--html` page cannot be written.

pub mod causes;
pub mod judge;
mod read;
mod single;
mod source;
mod summary;

use std::io::{self, Write};

use super::output::{choice, finish_output};
use crate::cli::{ColorWhen, ExplainArgs};
use crate::exit::{Exit, Failure};
use crate::report::human;

pub(super) fn run(args: &ExplainArgs, color: ColorWhen, verbose: bool) -> Result<Exit, Failure> {
    // JSON and CSV are for programs: never coloured.
    let color = if args.json || args.csv {
        ColorWhen::Never
    } else {
        color
    };
    let mut out = anstream::AutoStream::new(io::stdout().lock(), choice(color));
    let width = human::terminal_width();
    let skipped = if args.summary {
        let mut err = io::stderr().lock();
        match summary::run(args, width, &mut out, &mut err) {
            Ok(tally) => {
                finish_output(out.flush())?;
                if let Some(page) = &args.html {
                    summary::write_page(&tally, page).map_err(Failure::input)?;
                }
                tally.skipped
            }
            Err(e) => {
                finish_output(Err(e))?;
                return Ok(Exit::Success); // a closed pipe: the reader has what it wanted
            }
        }
    } else {
        match render_all(args, verbose, width, &mut out) {
            Ok(skipped) => {
                finish_output(out.flush())?;
                skipped
            }
            Err(e) => {
                finish_output(Err(e))?;
                return Ok(Exit::Success); // a closed pipe: the reader has what it wanted
            }
        }
    };
    Ok(if skipped > 0 {
        Exit::BadInput
    } else {
        Exit::Success
    })
}

/// Renders each report named, in turn; a file that cannot be read is one line on stderr.
/// Returns how many could not be read.
fn render_all(
    args: &ExplainArgs,
    verbose: bool,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<usize> {
    let judge = judge::Judge::new(); // the profile is parsed once, not per report
    let mut skipped = 0;
    let mut shown = 0;
    for path in &args.files {
        let loaded = match read::load(path) {
            Ok(l) => l,
            Err(e) => {
                skipped += 1;
                let folder = path
                    .is_dir()
                    .then_some(" (explain --summary reads the reports of a folder)");
                let _ = writeln!(
                    io::stderr().lock(),
                    "hmsaccess: error: {e}{}",
                    folder.unwrap_or_default()
                );
                continue;
            }
        };
        if shown > 0 {
            writeln!(out, "\n{}\n", "=".repeat(width.min(60)))?;
        }
        shown += 1;
        single::render(&loaded, &judge, verbose, width, out)?;
    }
    Ok(skipped)
}
