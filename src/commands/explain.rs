//! `hmsaccess explain`: render saved reports, re-judge them with today's rules, or summarise many.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use super::{choice, finish_output};
use crate::cli::{ColorWhen, ExplainArgs};
use crate::exit::{Exit, Failure};
use crate::profile::{Profile, VerdictText};
use crate::report::human;
use crate::report::model::{Outcome, Report, SCHEMA_VERSION, VerdictCode};
use crate::verdict::{self, Facts};

/// Largest saved report read.
const MAX_REPORT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads and checks a saved report.
///
/// # Errors
/// A one-line message naming the file and the problem.
pub fn load_report(path: &Path) -> Result<Report, String> {
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    let bytes =
        crate::input::read_capped(path, MAX_REPORT_BYTES).map_err(|e| format!("{name}: {e}"))?;
    let text = crate::input::decode_text(&bytes).map_err(|e| format!("{name}: {e}"))?;
    parse_report(&text, &name)
}

/// Parses and checks report bytes; `name` labels errors.
///
/// # Errors
/// A one-line message naming the input and the problem.
pub fn parse_report(bytes: &[u8], name: &str) -> Result<Report, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        let words = e.to_string();
        let words = words.split(" at line ").next().unwrap_or(&words).to_owned();
        format!(
            "{name}:{}:{}: not a JSON report ({words}); expected the output of hmsaccess diagnose --json",
            e.line(),
            e.column()
        )
    })?;
    match value
        .get("schema_version")
        .and_then(serde_json::Value::as_u64)
    {
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

/// What today's rules say of a saved report (`texts`: the embedded profile's words).
#[must_use]
pub fn reevaluate(report: &Report, texts: &BTreeMap<VerdictCode, VerdictText>) -> VerdictCode {
    verdict::evaluate(&Facts::from(report), texts).code
}

pub(super) fn run(args: &ExplainArgs, color: ColorWhen, verbose: bool) -> Result<Exit, Failure> {
    let mut reports = Vec::new();
    let mut failed = false;
    for path in &args.files {
        match load_report(path) {
            Ok(r) => reports.push(r),
            Err(e) => {
                failed = true;
                let _ = writeln!(io::stderr().lock(), "hmsaccess: error: {e}");
            }
        }
    }
    let mut out = anstream::AutoStream::new(io::stdout().lock(), choice(color));
    let result = if args.summary {
        summary(&reports, &mut out)
    } else {
        render_all(&reports, verbose, &mut out)
    };
    finish_output(result.and_then(|()| out.flush()))?;
    Ok(if failed {
        Exit::BadInput
    } else {
        Exit::Success
    })
}

fn render_all(reports: &[Report], verbose: bool, out: &mut dyn Write) -> io::Result<()> {
    let texts = Profile::embedded().verdicts; // parsed once, not per report
    for (i, report) in reports.iter().enumerate() {
        if i > 0 {
            writeln!(out, "\n{}\n", "=".repeat(60))?;
        }
        human::render(report, verbose, out)?;
        let today = reevaluate(report, &texts);
        if today != report.verdict.code {
            writeln!(
                out,
                "\nNote: with this hmsaccess's rules the verdict would be {today} (the report says {}).",
                report.verdict.code
            )?;
        }
    }
    Ok(())
}

/// One table across many reports: verdicts, most common failing probes, VPN clients.
fn summary(reports: &[Report], out: &mut dyn Write) -> io::Result<()> {
    let mut verdicts: BTreeMap<VerdictCode, usize> = BTreeMap::new();
    let mut failing: BTreeMap<String, usize> = BTreeMap::new();
    let mut clients: BTreeMap<String, usize> = BTreeMap::new();
    for r in reports {
        *verdicts.entry(r.verdict.code).or_default() += 1;
        for p in &r.probes {
            if p.outcome != Outcome::Ok && !p.outcome.is_not_run() {
                *failing
                    .entry(format!("{} {}", p.id, p.outcome))
                    .or_default() += 1;
            }
        }
        for v in &r.vpns {
            let name = v
                .client
                .clone()
                .unwrap_or_else(|| "(unknown client)".into());
            *clients.entry(name).or_default() += 1;
        }
    }
    writeln!(out, "{} report(s)\n", reports.len())?;
    writeln!(out, "{:<20} {:>6}", "verdict", "count")?;
    for (code, n) in &verdicts {
        writeln!(out, "{:<20} {n:>6}", code.as_str())?;
    }
    let mut failing: Vec<(String, usize)> = failing.into_iter().collect();
    failing.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    writeln!(out, "\n{:<44} {:>6}", "most common failing probes", "count")?;
    for (probe, n) in failing.iter().take(10) {
        writeln!(out, "{probe:<44} {n:>6}")?;
    }
    writeln!(out, "\n{:<44} {:>6}", "VPN clients seen", "count")?;
    if clients.is_empty() {
        writeln!(out, "(none)")?;
    }
    for (client, n) in &clients {
        writeln!(out, "{client:<44} {n:>6}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn newer_schema_and_non_reports_are_refused_in_one_line() {
        let e = parse_report(br#"{"schema_version": 2}"#, "r.json").unwrap_err();
        assert!(e.contains("newer") && !e.contains('\n'), "{e}");
        let e = parse_report(b"\x00\xff garbage", "r.json").unwrap_err();
        assert!(e.starts_with("r.json:1:1: not a JSON report"), "{e}");
        let e = parse_report(br#"{"a": 1}"#, "r.json").unwrap_err();
        assert!(e.contains("no schema_version"), "{e}");
        let e = parse_report(br#"{"schema_version": 1, "verdict": 3}"#, "r.json").unwrap_err();
        assert!(e.contains("not a valid hmsaccess report"), "{e}");
    }

    #[test]
    fn deeply_nested_input_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse_report(deep.as_bytes(), "deep.json").is_err());
    }

    proptest! {
        /// Any bytes: an error or a report, never a panic.
        #[test]
        fn prop_any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_report(&bytes, "fuzz.json");
        }

        /// Any JSON with a schema_version of 1: never a panic.
        #[test]
        fn prop_json_shapes_never_panic(text in "\\{\"schema_version\": 1(, \"[a-z_]{1,12}\": (null|[0-9]{1,3}|\"[a-z-]{0,10}\"|\\[\\]|\\{\\}))*\\}") {
            let _ = parse_report(text.as_bytes(), "fuzz.json");
        }
    }
}
