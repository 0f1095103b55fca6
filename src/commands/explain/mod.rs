//! `hmsaccess explain`: render saved reports (each under its file name, with the OS and tool
//! version that wrote it), re-judged with today's rules; or, with `--summary`, the service
//! desk's triage view across many ([`summary`]). Never touches the network.
//!
//! Exit status: 0 when every file was read, 3 when one could not be (each such file is one
//! line on stderr; the others are still shown).

mod read;
mod summary;

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{choice, finish_output};
use crate::cli::{ColorWhen, ExplainArgs};
use crate::exit::{Exit, Failure};
use crate::profile::{Profile, VerdictText};
use crate::report::human::{self, Options};
use crate::report::model::{Report, VerdictCode};
use crate::verdict::{self, Facts};
use read::Loaded;

/// What today's rules say of a saved report (`texts`: the embedded profile's words).
#[must_use]
pub fn reevaluate(report: &Report, texts: &BTreeMap<VerdictCode, VerdictText>) -> VerdictCode {
    verdict::evaluate(&Facts::from(report), texts).code
}

pub(super) fn run(args: &ExplainArgs, color: ColorWhen, verbose: bool) -> Result<Exit, Failure> {
    let mut loaded = Vec::new();
    let mut skipped = 0;
    for path in &args.files {
        match read::load(path) {
            Ok(l) => loaded.push(l),
            Err(e) => {
                skipped += 1;
                let _ = writeln!(io::stderr().lock(), "hmsaccess: error: {e}");
            }
        }
    }
    // JSON and CSV are for programs: never coloured.
    let color = if args.json || args.csv {
        ColorWhen::Never
    } else {
        color
    };
    let mut out = anstream::AutoStream::new(io::stdout().lock(), choice(color));
    let width = human::terminal_width();
    let result = if args.summary {
        summary::run(args, &loaded, skipped, width, &mut out)
    } else {
        render_all(&loaded, verbose, width, &mut out)
    };
    finish_output(result.and_then(|()| out.flush()))?;
    Ok(if skipped > 0 {
        Exit::BadInput
    } else {
        Exit::Success
    })
}

fn render_all(
    reports: &[Loaded],
    verbose: bool,
    width: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let texts = Profile::embedded().verdicts; // parsed once, not per report
    let charset = human::charset();
    for (i, loaded) in reports.iter().enumerate() {
        if i > 0 {
            writeln!(out, "\n{}\n", "=".repeat(width.min(60)))?;
        }
        let opts = Options {
            verbose,
            source: Some(&loaded.file),
            as_written: Some(&loaded.as_written),
            charset,
            ..Options::new(width)
        };
        human::render(&loaded.report, &opts, out)?;
        let today = reevaluate(&loaded.report, &texts);
        if today.as_str() != loaded.code() {
            let note = format!(
                "Note: with this hmsaccess's rules the verdict would be {today} (the report says {}).",
                loaded.code()
            );
            writeln!(out, "\n{}", human::wrap_to(&note, width, "      ", ""))?;
        }
    }
    Ok(())
}
