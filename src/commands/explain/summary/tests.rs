use clap::Parser;

use super::super::read::{Loaded, parse_report};
use super::*;
use crate::cli::{Cli, Command};
use crate::report::model::{Outcome, VerdictCode};

fn example(code: &str) -> &'static str {
    match code {
        "needs-hms-vpn" => include_str!("../../../../docs/examples/needs-hms-vpn.json"),
        "offline" => include_str!("../../../../docs/examples/offline.json"),
        "dns-failure" => include_str!("../../../../docs/examples/dns-failure.json"),
        "hms-vpn" => include_str!("../../../../docs/examples/hms-vpn.json"),
        "conflicting-vpns" => include_str!("../../../../docs/examples/conflicting-vpns.json"),
        "inconclusive" => include_str!("../../../../docs/examples/inconclusive.json"),
        other => panic!("no example {other}"),
    }
}

fn loaded(code: &str, file: &str) -> Loaded {
    let (report, as_written) = parse_report(example(code).as_bytes(), file).unwrap();
    Loaded {
        file: file.into(),
        report,
        as_written,
    }
}

fn args(extra: &[&str]) -> ExplainArgs {
    let cli = Cli::try_parse_from([&["hmsaccess", "explain", "--summary"], extra, &["x"]].concat())
        .unwrap();
    let Some(Command::Explain(e)) = cli.command else {
        panic!("not explain")
    };
    e
}

fn output(args: &ExplainArgs, loaded: &[Loaded], skipped: usize) -> String {
    let mut out = Vec::new();
    run(args, loaded, skipped, 80, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn causes_are_counted_per_cause_not_per_probe() {
    let dns = loaded("dns-failure", "d.json");
    assert_eq!(
        causes(&dns.report).into_iter().collect::<Vec<_>>(),
        ["no name could be looked up (servfail)"]
    );
    let offline = loaded("offline", "o.json");
    assert_eq!(
        causes(&offline.report).into_iter().collect::<Vec<_>>(),
        ["every host: connection refused"]
    );
    let mut needs = loaded("needs-hms-vpn", "n.json").report;
    let want = [
        "MARS: no answer (connecting timed out)",
        "affiliate portal: no answer (connecting timed out)",
    ];
    assert_eq!(causes(&needs).into_iter().collect::<Vec<_>>(), want);
    // Every HTTPS host, public ones too, with an untrusted certificate: one cause.
    let inconclusive = loaded("inconclusive", "i.json");
    assert_eq!(
        causes(&inconclusive.report).into_iter().collect::<Vec<_>>(),
        ["its certificate is not trusted here (public HMS hosts too)"]
    );
    // No IPv6 route is normal on an IPv4-only network: not a cause.
    for p in needs.probes.iter_mut().filter(|p| p.id == "route:ipv6") {
        p.outcome = Outcome::Unreachable;
        p.duration_ms = Some(1);
    }
    assert_eq!(causes(&needs).into_iter().collect::<Vec<_>>(), want);
}

#[test]
fn a_report_counts_once_and_filters_apply() {
    let reports = [
        loaded("needs-hms-vpn", "a.json"),
        loaded("needs-hms-vpn", "copy-of-a.json"),
        loaded("offline", "b.json"),
        loaded("dns-failure", "c.json"),
    ];
    let all = select(&args(&[]), &reports);
    assert_eq!((all.rows.len(), all.duplicates, all.filtered), (3, 1, 0));
    let some = select(&args(&["--verdict", "offline,dns-failure"]), &reports);
    assert_eq!((some.rows.len(), some.filtered), (2, 1));
    assert!(some.rows.iter().all(|r| r.verdict != "needs-hms-vpn"));
    // The examples were written on 2026-11-22.
    let later = select(&args(&["--since", "2026-11-23"]), &reports);
    assert_eq!((later.rows.len(), later.filtered), (0, 3));
    let same_day = select(&args(&["--since", "2026-11-22T16:00:00Z"]), &reports);
    assert_eq!(same_day.rows.len(), 3);
}

#[test]
fn json_and_csv_have_a_row_per_report() {
    let reports = [
        loaded("needs-hms-vpn", "a.json"),
        loaded("hms-vpn", "b.json"),
        loaded("conflicting-vpns", "c.json"),
    ];
    let json: serde_json::Value =
        serde_json::from_str(&output(&args(&["--json"]), &reports, 0)).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let c = rows.iter().find(|r| r["file"] == "c.json").unwrap();
    assert_eq!(c["verdict"], "conflicting-vpns");
    assert_eq!(
        c["vpn_clients"],
        serde_json::json!(["Pulse Secure", "Cisco AnyConnect"])
    );
    assert_eq!(c["os"], "linux");

    let csv = output(&args(&["--csv"]), &reports, 0);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "file");
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 3, "{csv}");
    let c = records.iter().find(|r| &r[0] == "c.json").unwrap();
    assert_eq!(&c[9], "Pulse Secure; Cisco AnyConnect");
}

#[test]
fn csv_quotes_what_needs_quoting_and_defuses_formulas() {
    let mut odd = loaded("needs-hms-vpn", "a, \"quoted\"\nname.json");
    odd.report.tool.version = "=HYPERLINK(\"x\")".into();
    let csv = output(&args(&["--csv"]), &[odd], 0);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let record = reader.records().next().unwrap().unwrap();
    assert_eq!(&record[0], "a, \"quoted\"\nname.json", "{csv}");
    assert_eq!(&record[6], "'=HYPERLINK(\"x\")", "{csv}");
}

#[test]
fn the_table_fits_80_columns_and_counts_skipped_files() {
    let reports = [
        loaded(
            "needs-hms-vpn",
            "tickets/2026/4411/hmsaccess-report-20261122T165250Z.json",
        ),
        loaded("offline", "b.json"),
        loaded("dns-failure", "c.json"),
        loaded("conflicting-vpns", "d.json"),
    ];
    let out = output(&args(&[]), &reports, 2);
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "{line:?}\n{out}");
    }
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("4 reports, 2026-11-22 to 2026-11-22 (UTC); 2 files skipped"),
        "{out}"
    );
    assert!(out.contains("Written by hmsaccess 0.1.0 (4)"), "{out}");
    assert!(
        out.contains("no name could be looked up (servfail)"),
        "{out}"
    );
    assert!(!out.contains("route:ipv6"), "{out}");
    assert!(
        out.contains("hmsaccess-report-20261122T165250Z.json"),
        "{out}"
    );
    for code in [VerdictCode::NeedsHmsVpn, VerdictCode::Offline] {
        assert!(out.contains(code.as_str()), "{code}");
    }
}
