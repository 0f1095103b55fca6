//! `explain --summary --csv` read by Python's `csv` module, as a desk's script would.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::reports;

/// Reads CSV on stdin with `csv.DictReader`; prints the header and the rows as JSON.
const READER: &str = r#"
import csv, json, sys
reader = csv.DictReader(sys.stdin)
rows = list(reader)
print(json.dumps({"header": reader.fieldnames, "rows": rows}))
"#;

pub fn csv_opens_in_pythons_csv_module_with_the_new_columns() {
    let dir = tempfile::tempdir().unwrap();
    let folder = reports::folder(dir.path());
    let mut command = reports::hmsaccess();
    command.args(["explain", "--summary", "--csv"]).arg(&folder);
    let out = reports::run_bounded(command, Duration::from_secs(60));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut python = Command::new("python3")
        .args(["-c", READER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    python.stdin.take().unwrap().write_all(&out.stdout).unwrap();
    let parsed = python.wait_with_output().unwrap();
    assert!(
        parsed.status.success(),
        "python3 could not read the CSV: {}",
        String::from_utf8_lossy(&parsed.stderr)
    );
    let data: Value = serde_json::from_slice(&parsed.stdout).unwrap();
    let header: Vec<&str> = data["header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    for column in [
        "file",
        "verdict",
        "cause",
        "acts",
        "vpn_networks",
        "time",
        "clock_offset_s",
        "computer",
    ] {
        assert!(header.contains(&column), "no {column} column: {header:?}");
    }
    let rows = data["rows"].as_array().unwrap();
    let files = std::fs::read_dir(&folder).unwrap().count();
    assert_eq!(rows.len(), files, "a row per report");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains(reports::FORGED),
        "the CSV carries no stored steps"
    );

    let harvard: Vec<&Value> = rows
        .iter()
        .filter(|r| r["vpn_networks"] == "Harvard University VPN")
        .collect();
    assert_eq!(harvard.len(), 5, "{rows:?}");
    assert!(
        harvard
            .iter()
            .all(|r| r["cause"] == "other-vpn" && r["acts"] == "you"),
        "{harvard:?}"
    );

    // The laptop 400 days behind: dated by the corrected clock, the offset given.
    let clock = rows
        .iter()
        .find(|r| r["started_at"].as_str().unwrap().starts_with("2025-"))
        .expect("the clock report");
    let offset: i64 = clock["clock_offset_s"].as_str().unwrap().parse().unwrap();
    assert!((offset - 400 * 86_400).abs() < 120, "{clock}");
    assert!(
        clock["time"].as_str().unwrap().starts_with("2026-12-04"),
        "{clock}"
    );

    let down = rows.iter().filter(|r| r["cause"] == "mars-down").count();
    assert_eq!(down, 5, "{rows:?}");
    assert!(
        rows.iter()
            .filter(|r| r["cause"] == "mars-down")
            .all(|r| r["acts"] == "hms-it")
    );
}
