//! `--json` and `--csv`: a row per report, written as each report is read (so a year of tickets
//! never sits in memory), in the order read. JSON is one array, an object per line; CSV has a
//! header line, lists joined with `; `, and cells that a spreadsheet would take for a formula
//! defused.

use std::io::{self, Write};

use super::row::Row;
use crate::cli::ExplainArgs;

/// The CSV columns, in order: the first eleven as before contract 3, then the added ones.
pub const CSV_COLUMNS: [&str; 17] = [
    "file",
    "report_id",
    "started_at",
    "os",
    "os_version",
    "arch",
    "tool_version",
    "verdict",
    "verdict_today",
    "vpn_clients",
    "causes",
    "cause",
    "acts",
    "vpn_networks",
    "time",
    "clock_offset_s",
    "computer",
];

/// Where the rows go while reports are read.
pub enum Export {
    /// The table or the page only: rows are not written as they come.
    None,
    /// A JSON array; true once a row was written.
    Json(bool),
    /// CSV lines.
    Csv,
}

impl Export {
    /// Starts the output `args` ask for (the CSV header, the array's bracket).
    ///
    /// # Errors
    /// The writer's.
    pub fn start(args: &ExplainArgs, out: &mut dyn Write) -> io::Result<Export> {
        if args.json {
            write!(out, "[")?;
            Ok(Export::Json(false))
        } else if args.csv {
            csv_line(CSV_COLUMNS.map(str::to_owned), out)?;
            Ok(Export::Csv)
        } else {
            Ok(Export::None)
        }
    }

    /// Writes one row.
    ///
    /// # Errors
    /// The writer's.
    pub fn row(&mut self, row: &Row, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Export::None => Ok(()),
            Export::Json(any) => {
                writeln!(out, "{}", if *any { "," } else { "" })?;
                *any = true;
                serde_json::to_writer(&mut *out, row).map_err(io::Error::other)
            }
            Export::Csv => csv_line(csv_record(row).map(|c| cell(&c)), out),
        }
    }

    /// Ends the output (the array's bracket).
    ///
    /// # Errors
    /// The writer's.
    pub fn finish(self, out: &mut dyn Write) -> io::Result<()> {
        match self {
            Export::Json(any) => writeln!(out, "{}]", if any { "\n" } else { "" }),
            Export::None | Export::Csv => Ok(()),
        }
    }
}

/// One CSV line (RFC 4180 quoting), written at once.
fn csv_line(cells: [String; 17], out: &mut dyn Write) -> io::Result<()> {
    let mut csv = csv::WriterBuilder::new()
        .buffer_capacity(1024)
        .from_writer(&mut *out);
    csv.write_record(&cells)?;
    csv.flush()
}

/// A row's CSV cells, in [`CSV_COLUMNS`] order.
fn csv_record(r: &Row) -> [String; 17] {
    [
        r.file.clone(),
        r.report_id.clone(),
        r.started_at.clone(),
        r.os.clone(),
        r.os_version.clone(),
        r.arch.clone(),
        r.tool_version.clone(),
        r.verdict.clone(),
        r.verdict_today.clone(),
        r.vpn_clients.join("; "),
        r.causes.join("; "),
        r.cause.map(|c| c.as_str().to_owned()).unwrap_or_default(),
        r.acts.map(|a| a.as_str().to_owned()).unwrap_or_default(),
        r.vpn_networks.join("; "),
        r.time.clone(),
        r.clock_offset_s.map(|s| s.to_string()).unwrap_or_default(),
        r.computer.clone(),
    ]
}

/// A CSV cell that a spreadsheet must not take for a formula (OWASP "CSV injection"): text
/// from a report starting with `=`, `+`, `-`, `@` or a control character gets a leading `'`.
/// A negative clock offset is a number, not text from the report, and stays as it is.
fn cell(text: &str) -> String {
    let number = text.parse::<i64>().is_ok();
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !number => format!("'{text}"),
        _ => text.to_owned(),
    }
}
