//! The triage view over real lab reports (tests/fixtures/reports), changed where a test says.

use std::path::{Path, PathBuf};

use clap::Parser;
use serde_json::{Value, json};

use super::*;
use crate::cli::{Cli, Command};
use crate::report::model::Cause;

fn lab(name: &str) -> Value {
    let text = match name {
        "no-vpn" => include_str!("../../../../tests/fixtures/reports/lab-01-home-no-vpn.json"),
        "hms-vpn" => include_str!("../../../../tests/fixtures/reports/lab-02-hms-vpn.json"),
        "hospital" => include_str!("../../../../tests/fixtures/reports/lab-03-hospital-vpn.json"),
        "portal" => include_str!("../../../../tests/fixtures/reports/lab-08-captive-portal.json"),
        "mars-stopped" => {
            include_str!("../../../../tests/fixtures/reports/lab-09-mars-stopped.json")
        }
        "harvard" => include_str!("../../../../tests/fixtures/reports/lab-24-harvard-vpn.json"),
        "clock" => {
            include_str!("../../../../tests/fixtures/reports/lab-29-clock-400-days-behind.json")
        }
        other => panic!("no lab report {other}"),
    };
    serde_json::from_str(text).unwrap()
}

/// A copy of a lab report as if from computer `n` (its own Wi-Fi address), written at `time`.
fn from(name: &str, n: u8, time: &str) -> Value {
    let mut v = lab(name);
    v["report_id"] = format!("HMS-TEST-{n:04}-{}", time.replace([':', '-'], "")).into();
    v["started_at"] = time.into();
    for i in v["interfaces"].as_array_mut().unwrap() {
        if i["name"] == "eth0" {
            i["addresses"] = json!([format!("192.168.{n}.20/24")]);
        }
    }
    v
}

/// MARS answers 503 through the HMS VPN (the lab's HMS VPN report, MARS's answer changed).
fn mars_503(n: u8, time: &str) -> Value {
    let mut v = from("hms-vpn", n, time);
    for p in v["probes"].as_array_mut().unwrap() {
        if p["id"] == "https:mars:443" {
            p["http"]["status"] = 503.into();
        }
    }
    v
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(v).unwrap()).unwrap();
    path
}

fn args(extra: &[&str], files: &[PathBuf]) -> ExplainArgs {
    let mut argv: Vec<String> = ["hmsaccess", "explain", "--summary"]
        .iter()
        .chain(extra)
        .map(|s| (*s).to_owned())
        .collect();
    argv.extend(files.iter().map(|f| f.display().to_string()));
    let Some(Command::Explain(e)) = Cli::try_parse_from(argv).unwrap().command else {
        panic!("not explain")
    };
    e
}

/// The output of `explain --summary EXTRA FILES` at 80 columns, and its tally.
fn summary(extra: &[&str], files: &[PathBuf]) -> (String, Tally) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    // Styles are the caller's stream's business: stripped, as for a pipe.
    let mut plain = anstream::StripStream::new(&mut out);
    let tally = run(&args(extra, files), 80, &mut plain, &mut err).unwrap();
    (String::from_utf8(out).unwrap(), tally)
}

fn minutes(start: u32, n: u32) -> String {
    let m = start + n;
    format!("2026-11-23T{:02}:{:02}:00Z", 14 + m / 60, m % 60)
}

#[test]
fn five_mars_down_reports_from_five_computers_in_half_an_hour_are_one_incident() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = (0..5u8)
        .map(|i| {
            let time = minutes(0, u32::from(i) * 7);
            let v = if i % 2 == 0 {
                from("mars-stopped", i, &time) // connections refused
            } else {
                mars_503(i, &time) // a server error
            };
            write(dir.path(), &format!("down-{i}.json"), &v)
        })
        .collect();
    // Other tickets the same afternoon.
    files.push(write(
        dir.path(),
        "home.json",
        &from("no-vpn", 9, &minutes(5, 0)),
    ));
    let (out, tally) = summary(&[], &files);
    assert_eq!(tally.incidents.len(), 1, "{out}");
    let i = &tally.incidents[0];
    assert_eq!((i.reports, i.computers), (5, 5), "{out}");
    assert_eq!(i.causes.get(&Cause::MarsDown), Some(&5));
    // Flagged first: what, since when, how many.
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("HMS incident: MARS is failing"), "{out}");
    let words = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains(
            "since 2026-11-23 14:00 UTC (last report 14:28): 5 reports from 5 different computers"
        ),
        "{out}"
    );
}

#[test]
fn no_vpn_reports_or_one_computer_retrying_are_no_incident() {
    let dir = tempfile::tempdir().unwrap();
    let no_vpn: Vec<PathBuf> = (0..5u8)
        .map(|i| {
            let v = from("no-vpn", i, &minutes(0, u32::from(i) * 5));
            write(dir.path(), &format!("home-{i}.json"), &v)
        })
        .collect();
    let (out, tally) = summary(&[], &no_vpn);
    assert_eq!(tally.reports, 5);
    assert!(
        tally.incidents.is_empty() && !out.contains("HMS incident"),
        "{out}"
    );
    // MARS down five times, but from one laptop: one person retrying.
    let retries: Vec<PathBuf> = (0..5u8)
        .map(|i| {
            let v = from("mars-stopped", 1, &minutes(0, u32::from(i) * 5));
            write(dir.path(), &format!("retry-{i}.json"), &v)
        })
        .collect();
    let (out, tally) = summary(&[], &retries);
    assert_eq!(tally.reports, 5);
    assert!(tally.incidents.is_empty(), "{out}");
}

#[test]
fn a_clock_400_days_behind_is_corrected_and_said() {
    let dir = tempfile::tempdir().unwrap();
    // As the lab wrote it: started_at by the laptop's clock, 400 days behind.
    let clock = lab("clock");
    assert!(
        clock["started_at"]
            .as_str()
            .unwrap()
            .starts_with("2025-10-30")
    );
    let files = [
        write(dir.path(), "clock.json", &clock),
        write(dir.path(), "home.json", &lab("no-vpn")),
    ];
    let (out, tally) = summary(&["--json"], &files);
    let rows: Vec<Value> = serde_json::from_str(&out).unwrap();
    let row = rows
        .iter()
        .find(|r| r["file"].as_str().unwrap().ends_with("clock.json"))
        .unwrap();
    let offset = row["clock_offset_s"].as_i64().unwrap();
    assert!((offset - 400 * 86_400).abs() < 120, "{row}");
    assert!(
        row["time"].as_str().unwrap().starts_with("2026-12-04"),
        "{row}"
    );
    assert_eq!(row["started_at"], clock["started_at"]);
    assert_eq!(tally.corrected, 1);
    // The date range is the corrected one, and --since keeps the report.
    let (out, _) = summary(&[], &files);
    assert!(
        out.starts_with("2 reports, 2026-12-04 to 2026-12-04 (UTC); 1 time corrected"),
        "{out}"
    );
    assert!(out.contains("2026-12-04 20:36*"), "{out}");
    assert!(
        out.contains("* corrected: that computer's clock was off"),
        "{out}"
    );
    let (_, kept) = summary(&["--since", "2026-12-01"], &files);
    assert_eq!(kept.reports, 2);
    let (_, early) = summary(&["--until", "2025-12-31"], &files);
    assert_eq!((early.reports, early.filtered), (0, 2));
}

#[test]
fn every_filter_keeps_what_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(
            dir.path(),
            "a.json",
            &from("no-vpn", 1, "2026-11-20T10:00:00Z"),
        ),
        write(
            dir.path(),
            "b.json",
            &from("harvard", 2, "2026-11-21T10:00:00Z"),
        ),
        write(
            dir.path(),
            "c.json",
            &from("mars-stopped", 3, "2026-11-22T10:00:00Z"),
        ),
        write(
            dir.path(),
            "d.json",
            &from("portal", 4, "2026-11-23T10:00:00Z"),
        ),
        write(
            dir.path(),
            "e.json",
            &from("hospital", 5, "2026-11-24T10:00:00Z"),
        ),
    ];
    let kept = |extra: &[&str]| {
        let (_, t) = summary(extra, &files);
        let mut names: Vec<String> = t
            .rows
            .iter()
            .map(|r| {
                Path::new(&r.file)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        assert_eq!(t.reports + t.filtered, 5, "{extra:?}");
        names
    };
    assert_eq!(kept(&["--verdict", "needs-hms-vpn"]), ["a.json", "b.json"]);
    assert_eq!(
        kept(&["--verdict", "captive-portal,inside-lma"]),
        ["d.json", "e.json"]
    );
    assert_eq!(kept(&["--since", "2026-11-23"]), ["d.json", "e.json"]);
    assert_eq!(kept(&["--until", "2026-11-21"]), ["a.json", "b.json"]);
    assert_eq!(
        kept(&[
            "--since",
            "2026-11-21T12:00:00Z",
            "--until",
            "2026-11-23T09:00:00Z"
        ]),
        ["c.json"]
    );
    assert_eq!(kept(&["--cause", "mars-down"]), ["c.json"]);
    assert_eq!(
        kept(&["--cause", "other-vpn,login-page"]),
        ["b.json", "d.json"]
    );
    assert_eq!(kept(&["--acts", "hms-it"]), ["c.json"]);
    // The lab's laptop has no HMS VPN app (OpenVPN and WireGuard only): the desk acts for a.
    assert_eq!(kept(&["--acts", "service-desk"]), ["a.json"]);
    assert_eq!(
        kept(&["--acts", "you", "--verdict", "needs-hms-vpn"]),
        ["b.json"]
    );
}

#[test]
fn a_report_counts_once_and_the_table_keeps_its_cap_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = (0..30u8)
        .map(|i| {
            let v = from("no-vpn", i, &format!("2026-11-{:02}T09:00:00Z", i % 28 + 1));
            write(dir.path(), &format!("r{i:02}.json"), &v)
        })
        .collect();
    files.push(files[3].clone()); // the same file twice
    let copy = std::fs::read(&files[4]).unwrap();
    std::fs::write(dir.path().join("copy-of-r04.json"), copy).unwrap(); // same report ID
    files.push(dir.path().join("copy-of-r04.json"));
    let (out, tally) = summary(&["--rows", "5"], &files);
    assert_eq!((tally.reports, tally.duplicates), (30, 2), "{out}");
    assert_eq!(tally.rows.len(), 5);
    // Newest first: the 28th, then the 27th (r27 and r00's day, 1, come last).
    let days: Vec<&str> = tally.rows.iter().map(|r| &r.time[..10]).collect();
    assert_eq!(
        days,
        [
            "2026-11-28",
            "2026-11-27",
            "2026-11-26",
            "2026-11-25",
            "2026-11-24"
        ]
    );
    assert!(out.contains("and 25 more reports not shown"), "{out}");
    let (_, oldest) = summary(&["--rows", "2", "--sort", "oldest"], &files);
    let days: Vec<&str> = oldest.rows.iter().map(|r| &r.time[..10]).collect();
    assert_eq!(days, ["2026-11-01", "2026-11-01"]);
    let (_, by_file) = summary(&["--rows", "3", "--sort", "file"], &files);
    assert!(
        by_file.rows[0].file.ends_with("copy-of-r04.json")
            || by_file.rows[0].file.ends_with("r00.json")
    );
    // A folder is its reports: the same 30 (the copy is a duplicate).
    let (_, folder) = summary(&[], &[dir.path().to_path_buf()]);
    assert_eq!((folder.reports, folder.duplicates), (30, 1));
}

#[test]
fn json_and_csv_carry_cause_acts_and_the_vpn_network() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(
            dir.path(),
            "harvard.json",
            &from("harvard", 1, "2026-11-21T10:00:00Z"),
        ),
        write(
            dir.path(),
            "down.json",
            &from("mars-stopped", 2, "2026-11-22T10:00:00Z"),
        ),
    ];
    let (json, _) = summary(&["--json"], &files);
    let rows: Vec<Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(rows.len(), 2);
    // In the order read.
    assert!(rows[0]["file"].as_str().unwrap().ends_with("harvard.json"));
    assert_eq!(rows[0]["vpn_networks"], json!(["Harvard University VPN"]));
    assert_eq!(rows[0]["vpn_clients"], json!(["OpenVPN"]));
    assert_eq!(rows[0]["cause"], "other-vpn");
    assert_eq!(rows[0]["acts"], "you");
    assert_eq!(rows[1]["cause"], "mars-down");
    assert_eq!(rows[1]["acts"], "hms-it");
    assert_eq!(rows[1]["vpn_networks"], json!(["HMS VPN"]));
    assert_ne!(rows[0]["computer"], rows[1]["computer"]);

    let (csv, _) = summary(&["--csv"], &files);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), export::CSV_COLUMNS);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&records[0][13], "Harvard University VPN");
    assert_eq!(&records[1][11], "mars-down");
    assert_eq!(&records[1][12], "hms-it");
}

#[test]
fn the_table_fits_80_columns_and_counts_causes_by_who_acts() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        write(
            dir.path(),
            "tickets-2026-4411-hmsaccess-report-20261122T165250Z.json",
            &from("harvard", 1, "2026-11-21T10:00:00Z"),
        ),
        write(
            dir.path(),
            "b.json",
            &from("mars-stopped", 2, "2026-11-22T10:00:00Z"),
        ),
        write(
            dir.path(),
            "c.json",
            &from("no-vpn", 3, "2026-11-22T11:00:00Z"),
        ),
        write(
            dir.path(),
            "d.json",
            &from("no-vpn", 4, "2026-11-22T12:00:00Z"),
        ),
    ];
    let (out, _) = summary(&[], &files);
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "{line:?}\n{out}");
    }
    assert!(out.contains("Causes, by who acts"), "{out}");
    assert!(out.contains("Operating systems"), "{out}");
    assert!(out.contains("linux: 12 (4)"), "{out}");
    assert!(out.contains("Harvard University VPN"), "{out}");
    assert!(!out.contains("affiliate portal: no answer"), "{out}");
    assert!(
        !out.contains("more\n") && !out.contains(" and 7 more"),
        "{out}"
    );
    // Who acts heads its causes, the largest group first: the desk (two laptops without an
    // HMS VPN app), then you (the Harvard VPN) and HMS IT (MARS down), one each.
    let desk = out.find("the HMS IT Service Desk").expect(&out);
    let no_app = out.find("    no-hms-client: ").expect(&out);
    let you = out.find("you (the person at the computer)").expect(&out);
    let other = out.find("    other-vpn: ").expect(&out);
    let hms_it = out.find("HMS IT (MARS's side)").expect(&out);
    assert!(desk < no_app && no_app < you && you < other, "{out}");
    assert!(no_app < hms_it, "{out}");
}

#[test]
fn causes_are_counted_per_cause_not_per_probe() {
    let read = |v: &Value| {
        super::super::read::parse_report(v.to_string().as_bytes(), "r.json")
            .unwrap()
            .0
    };
    let home = read(&lab("no-vpn"));
    assert_eq!(
        row::causes(&home).into_iter().collect::<Vec<_>>(),
        [
            "MARS: no answer (connecting timed out)",
            "affiliate portal: no answer (connecting timed out)"
        ]
    );
    let down = read(&lab("mars-stopped"));
    assert!(
        row::causes(&down).iter().any(|c| c.starts_with("MARS: ")),
        "{:?}",
        row::causes(&down)
    );
}

#[test]
fn the_page_escapes_what_reports_hold_and_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = from("harvard", 1, "2026-11-21T10:00:00Z");
    v["vpns"][0]["interface"] = "<img src=x onerror=alert(1)>".into();
    let files = [
        write(dir.path(), "a<script>&'\".json", &v),
        write(
            dir.path(),
            "b.json",
            &from("mars-stopped", 2, "2026-11-22T10:00:00Z"),
        ),
    ];
    let (_, tally) = summary(&["--html", "unused.html"], &files);
    let page = html::page(&tally);
    assert!(
        page.contains("a&lt;script&gt;&amp;&#39;&quot;.json"),
        "{page}"
    );
    for raw in ["<script", "<img", "onerror=alert(1)>", " src="] {
        assert!(!page.contains(raw), "{raw} on the page");
    }
    // Every row has its details; the chart has a bar per cause of each day.
    assert_eq!(page.matches("<details>").count(), 2);
    assert_eq!(page.matches("<rect ").count(), 2);
    assert!(
        page.contains("mars-down: MARS refuses connections"),
        "{page}"
    );
}

/// The chart's bars stand on the axis and reach at most its top, however many causes share the
/// grey of "other causes" (the lab's example of every cause: more causes than colours).
#[test]
fn every_bar_fits_the_chart_with_more_causes_than_colours() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
    let files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    let (_, tally) = summary(&[], &files);
    assert!(
        html::chart::colours(&tally).len() > 9,
        "fewer causes than colours"
    );
    let svg = html::chart::svg(&tally).unwrap();
    let attr = |rect: &str, name: &str| -> f64 {
        let start = rect.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        rect[start..].split('"').next().unwrap().parse().unwrap()
    };
    // x → (the bar's total height, its highest top)
    let mut bars: std::collections::BTreeMap<String, (f64, f64)> = Default::default();
    for rect in svg.split("<rect").skip(1) {
        let x = rect.split('"').nth(1).unwrap().to_owned();
        let (y, h) = (attr(rect, "y"), attr(rect, "height"));
        let bar = bars.entry(x).or_insert((0.0, f64::MAX));
        bar.0 += h;
        bar.1 = bar.1.min(y);
    }
    let tallest = bars.values().map(|b| b.0).fold(0.0, f64::max);
    let lowest_top = bars.values().map(|b| b.1).fold(f64::MAX, f64::min);
    // The plot is 200 units high and starts 10 below the top.
    assert!(
        (tallest - 200.0).abs() < 0.5,
        "tallest bar {tallest}: {bars:?}"
    );
    assert!(
        lowest_top >= 9.9,
        "a bar rises to y = {lowest_top}: {bars:?}"
    );
}
