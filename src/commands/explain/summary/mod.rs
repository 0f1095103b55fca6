//! `explain --summary`: the service desk's triage view of many reports, read one at a time
//! (memory does not grow with their number: [`tally`]). Each report is judged again by this
//! build ([`super::judge`]) and becomes a row ([`row`]): time (corrected by the clock offset the
//! report measured), OS, verdict, the contract's cause and who acts, the VPNs up. The table for
//! a person ([`table`]) flags HMS incidents first ([`incident`]), then counts causes by who acts,
//! operating systems and VPNs; `--json` and `--csv` stream a row per report ([`export`]);
//! `--html` writes one self-contained page ([`html`]).
//!
//! A report counts once however many files hold it (same report ID, or the same file twice).

mod export;
mod html;
mod incident;
mod row;
mod table;
mod tally;

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;

use super::judge::Judge;
use super::read;
use super::source::Files;
use crate::cli::ExplainArgs;
pub use row::{Keep, Row, clock_offset};
pub use table::minute;
pub use tally::Tally;

/// Rows the table shows unless `--rows` says otherwise.
pub const TABLE_ROWS: usize = 50;
/// Rows the page shows unless `--rows` says otherwise.
pub const PAGE_ROWS: usize = 500;

/// Runs `explain --summary`: reads every report named (folders included) and writes the view
/// asked for to `out`. Returns the tally (its `skipped` counts files that could not be read;
/// each was one line on `err`), for the page ([`write_page`]).
///
/// # Errors
/// The writers'.
pub fn run(
    args: &ExplainArgs,
    width: usize,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Tally> {
    let cap = args.rows.unwrap_or(if args.html.is_some() {
        PAGE_ROWS
    } else {
        TABLE_ROWS
    });
    let mut tally = Tally::new(cap, args.sort);
    let mut export = export::Export::start(args, out)?;
    let judge = Judge::new();
    let mut seen = HashSet::new();
    for item in Files::new(&args.files) {
        let loaded = match item.and_then(|path| read::load(&path)) {
            Ok(l) => l,
            Err(e) => {
                tally.skipped += 1;
                writeln!(err, "hmsaccess: error: {e}")?;
                continue;
            }
        };
        // The same report once: by its ID, else by the file it came from.
        let key = loaded.report.report_id.clone().unwrap_or_else(|| {
            std::fs::canonicalize(Path::new(&loaded.file))
                .map_or_else(|_| loaded.file.clone(), |p| p.display().to_string())
        });
        if !seen.insert(key) {
            tally.duplicates += 1;
            continue;
        }
        let today = judge.verdict(&loaded.report);
        let row = row::row(
            &loaded.file,
            &loaded.report,
            loaded.code(),
            &today,
            Keep {
                detail: args.html.is_some(),
                failures: args.json || args.csv,
            },
        );
        if !wanted(args, &row) {
            tally.filtered += 1;
            continue;
        }
        export.row(&row, out)?;
        tally.add(row, &loaded.report);
    }
    export.finish(out)?;
    tally.finish();
    if !(args.json || args.csv) {
        table::write(&tally, args.rows.unwrap_or(TABLE_ROWS), width, out)?;
    }
    Ok(tally)
}

/// Writes the triage page (`--html FILE`), replacing the file.
///
/// # Errors
/// One line naming the file and why it could not be written.
pub fn write_page(tally: &Tally, path: &Path) -> Result<(), String> {
    html::write_file(tally, path)
}

/// The filters: `--verdict`, `--cause`, `--acts` (today's judgement), `--since`, `--until`
/// (the corrected time; a report without a readable time is left out by either).
fn wanted(args: &ExplainArgs, row: &Row) -> bool {
    let verdict = args.verdict.is_empty() || args.verdict.contains(&row.today);
    let cause = args.cause.is_empty() || row.cause.is_some_and(|c| args.cause.contains(&c));
    let acts = args.acts.is_empty() || row.acts.is_some_and(|a| args.acts.contains(&a));
    let since = args
        .since
        .is_none_or(|since| row.moment.is_some_and(|t| t >= since));
    let until = args
        .until
        .is_none_or(|until| row.moment.is_some_and(|t| t < until));
    verdict && cause && acts && since && until
}

#[cfg(test)]
mod tests;
