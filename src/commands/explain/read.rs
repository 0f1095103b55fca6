//! Reading saved reports for `explain`: bounded in size, any schema version up to this build's,
//! values this build does not know kept as written ([`crate::report::lenient`]), a cut-short
//! file called so. Every problem is one line naming the file.

use std::path::Path;

use crate::report::lenient::{self, AsWritten};
use crate::report::model::{Report, SCHEMA_VERSION};

/// Largest saved report read.
const MAX_REPORT_BYTES: u64 = 16 * 1024 * 1024;

/// A report read from a file.
pub struct Loaded {
    /// The file as the person named it (`<stdin>` for `-`).
    pub file: String,
    /// The report, with stand-ins where values were unknown.
    pub report: Report,
    /// The unknown values as written.
    pub as_written: AsWritten,
}

impl Loaded {
    /// The verdict code as the report wrote it.
    #[must_use]
    pub fn code(&self) -> &str {
        self.as_written
            .verdict_code
            .as_deref()
            .unwrap_or(self.report.verdict.code.as_str())
    }
}

/// Reads and checks a saved report.
///
/// # Errors
/// A one-line message naming the file and the problem.
pub fn load(path: &Path) -> Result<Loaded, String> {
    let name = if path.as_os_str() == "-" {
        "<stdin>".to_owned()
    } else {
        path.display().to_string()
    };
    let bytes =
        crate::input::read_capped(path, MAX_REPORT_BYTES).map_err(|e| format!("{name}: {e}"))?;
    // Windows tools save UTF-8 with a BOM or UTF-16 (PowerShell 5.1's `>`).
    let text = crate::input::decode_text(&bytes).map_err(|e| format!("{name}: {e}"))?;
    let (report, as_written) = parse_report(&text, &name)?;
    Ok(Loaded {
        file: name,
        report,
        as_written,
    })
}

/// The line for a file with nothing in it (or only blank space): not a report cut short, a
/// report never written or never attached.
fn empty(name: &str, nothing: bool) -> String {
    let what = if nothing {
        "is empty (0 bytes)"
    } else {
        "holds only blank space"
    };
    format!(
        "{name}: the file {what}, so there is no report in it; ask for the report again (hmsaccess diagnose --save writes it)"
    )
}

/// Parses and checks report bytes; `name` labels errors.
///
/// # Errors
/// A one-line message naming the input and the problem.
pub fn parse_report(bytes: &[u8], name: &str) -> Result<(Report, AsWritten), String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(empty(name, bytes.is_empty()));
    }
    // Most reports hold only values this build knows: read straight into the model (twice as
    // fast as through a JSON tree). Anything else, errors included, takes the careful path.
    if let Ok(report) = serde_json::from_slice::<Report>(bytes)
        && report.schema_version <= SCHEMA_VERSION
    {
        return Ok((report, AsWritten::default()));
    }
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        if e.is_eof() {
            return format!(
                "{name}:{}:{}: the report is cut short (the file ends in the middle of the JSON); ask for the whole file again",
                e.line(),
                e.column()
            );
        }
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
    let as_written = lenient::normalise(&mut value);
    let report = serde_json::from_value(value)
        .map_err(|e| format!("{name}: not a valid hmsaccess report: {e}"))?;
    Ok((report, as_written))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EXAMPLE: &str = include_str!("../../../docs/examples/needs-hms-vpn.json");

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
    fn an_empty_file_is_called_empty_not_cut_short() {
        for (bytes, words) in [(&b""[..], "is empty (0 bytes)"), (b"  \r\n", "blank space")] {
            let e = parse_report(bytes, "r.json").unwrap_err();
            assert!(
                e.starts_with("r.json: the file ") && e.contains(words),
                "{e}"
            );
            assert!(!e.contains("cut short") && !e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn a_truncated_report_is_called_cut_short() {
        for cut in [EXAMPLE.len() / 2, EXAMPLE.len() - 3, 40] {
            let e = parse_report(&EXAMPLE.as_bytes()[..cut], "r.json").unwrap_err();
            assert!(e.contains("the report is cut short"), "{cut}: {e}");
            assert!(!e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn the_fast_and_the_careful_reading_agree_on_known_reports() {
        for text in [
            EXAMPLE,
            include_str!("../../../docs/examples/conflicting-vpns.json"),
            include_str!("../../../tests/fixtures/reports/lab-24-harvard-vpn.json"),
            include_str!("../../../tests/fixtures/reports/lab-29-clock-400-days-behind.json"),
        ] {
            let (fast, written) = parse_report(text.as_bytes(), "r.json").unwrap();
            assert!(written.is_empty());
            let mut value: serde_json::Value = serde_json::from_str(text).unwrap();
            assert!(lenient::normalise(&mut value).is_empty());
            let careful: Report = serde_json::from_value(value).unwrap();
            assert_eq!(
                serde_json::to_value(&fast).unwrap(),
                serde_json::to_value(&careful).unwrap()
            );
        }
        // A newer schema that happens to fit the model is still refused.
        let mut value: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        value["schema_version"] = 2.into();
        let e = parse_report(value.to_string().as_bytes(), "r.json").unwrap_err();
        assert!(e.contains("newer"), "{e}");
    }

    #[test]
    fn unknown_values_of_schema_1_are_read_and_kept_as_written() {
        let mut value: serde_json::Value = serde_json::from_str(EXAMPLE).unwrap();
        value["verdict"]["code"] = "proxy-blocked".into();
        value["probes"][2]["outcome"] = "filtered".into();
        let id = value["probes"][2]["id"].as_str().unwrap().to_owned();
        let (report, written) =
            parse_report(value.to_string().as_bytes(), "r.json").expect("read, not refused");
        assert_eq!(written.verdict_code.as_deref(), Some("proxy-blocked"));
        assert_eq!(written.outcomes[&id], "filtered");
        assert_eq!(
            report.probes.len(),
            value["probes"].as_array().unwrap().len()
        );
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
