//! One rendered report per cause (contract 3): `docs/examples/<cause>.json` is a report the lab
//! made (`scripts/lab examples`: real namespaces, real tunnels, root), and `<cause>.txt` is what
//! `hmsaccess explain` prints for it in an 80-column UTF-8 terminal. `docs/examples/causes.txt`
//! says which scenario makes each, or why none does yet.
//!
//! No root here: the committed reports are re-rendered by the binary and compared exactly (on
//! Linux, where the examples are written: `explain` names the next steps of the OS it runs on),
//! so the words are pinned by committed facts, never by what this machine has installed.
//! `UPDATE_DOCS=1 cargo test --test main docs_examples` rewrites the texts (after a change of
//! the renderer or the rules); `scripts/lab examples [CAUSE…]` rewrites the reports.

use std::path::Path;
use std::process::Command;

use hmsaccess::report::model::{Cause, Report};

use super::committed::{EXAMPLES_OS, WIDTH, committed, docs_dir, updating};
use super::{assert_widths, way_line};

/// One line of `docs/examples/causes.txt`.
struct Entry {
    cause: Cause,
    /// The scenario that makes it; None when the lab has none yet.
    scenario: Option<String>,
    /// The rest of the line: why there is no scenario (empty when there is one).
    rest: String,
}

fn entries() -> Vec<Entry> {
    let list = std::fs::read_to_string(docs_dir().join("causes.txt")).expect("causes.txt");
    list.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let word = |s: &str| {
                let s = s.trim_start();
                let (first, rest) = s.split_once(char::is_whitespace).unwrap_or((s, ""));
                (first.to_owned(), rest.trim().to_owned())
            };
            let (name, after) = word(l);
            let (scenario, rest) = word(&after);
            let cause: Cause = serde_json::from_value(serde_json::Value::from(name.as_str()))
                .unwrap_or_else(|_| panic!("causes.txt: {name:?} is not a cause of the contract"));
            Entry {
                cause,
                scenario: (scenario != "-").then_some(scenario),
                rest,
            }
        })
        .collect()
}

/// What `hmsaccess explain` prints for `docs/examples/<cause>.json`, as a person sees it in an
/// 80-column UTF-8 terminal (the command `scripts/lab examples` writes the text with).
fn explain(cause: &str) -> String {
    let bin = assert_cmd::cargo::cargo_bin!("hmsaccess");
    let out = Command::new(bin)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["explain", "--color", "never"])
        .arg(format!("docs/examples/{cause}.json"))
        .env("COLUMNS", WIDTH.to_string())
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_CTYPE")
        .output()
        .expect("run hmsaccess explain");
    assert!(out.status.success(), "explain {cause}.json: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn every_cause_of_the_contract_has_one_line_and_a_real_scenario() {
    let entries = entries();
    for cause in Cause::ALL {
        let n = entries.iter().filter(|e| e.cause == cause).count();
        assert_eq!(n, 1, "docs/examples/causes.txt lists {cause} {n} times");
    }
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lab/scenarios");
    for e in &entries {
        match &e.scenario {
            Some(s) => {
                assert!(
                    scenarios.join(format!("{s}.sh")).is_file(),
                    "causes.txt: {}: no scenario tests/lab/scenarios/{s}.sh",
                    e.cause
                );
                // The scenario alone makes the example, as `scripts/lab run` runs it.
                assert!(
                    e.rest.is_empty(),
                    "causes.txt: {}: {:?} after the scenario: a scenario says everything \
                     about its world (INSTALLED=… for the HMS VPN apps)",
                    e.cause,
                    e.rest
                );
            }
            None => assert!(
                !e.rest.is_empty(),
                "causes.txt: {}: a cause without a scenario says why",
                e.cause
            ),
        }
    }
}

#[test]
fn every_cause_example_is_what_explain_prints_at_80_columns() {
    let mut missing = Vec::new();
    let mut pending = Vec::new();
    for e in entries() {
        let cause = e.cause.as_str();
        if e.scenario.is_none() {
            pending.push(cause);
            continue;
        }
        let Some(report) = committed(cause) else {
            missing.push(cause);
            continue;
        };
        check_example(e.cause, &report);
    }
    // The examples the lab cannot make yet are listed (the rest of their line says why).
    eprintln!("cause examples pending a lab scenario: {pending:?}");
    assert!(
        missing.is_empty(),
        "causes with a scenario but no example: {missing:?}; run scripts/lab examples {}",
        missing.join(" ")
    );
}

/// The example of `cause`: a report of that cause (and so of its verdict), and exactly what
/// `explain` prints for it.
fn check_example(cause: Cause, report: &Report) {
    let name = cause.as_str();
    assert_eq!(
        report.verdict.code,
        cause.verdict(),
        "docs/examples/{name}.json is not a report of {}",
        cause.verdict()
    );
    assert_eq!(
        report.verdict.cause,
        Some(cause),
        "docs/examples/{name}.json is not a report of {name}"
    );
    let path = docs_dir().join(format!("{name}.txt"));
    let got = explain(name);
    if updating() {
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_widths(&got, WIDTH, name);
    assert!(
        got.starts_with(&format!("File: docs/examples/{name}.json\n")),
        "{got}"
    );
    assert!(
        way_line(&got).is_some(),
        "{name}: no picture of the way to MARS:\n{got}"
    );
    if std::env::consts::OS == EXAMPLES_OS {
        assert_eq!(
            want,
            got,
            "{} is not what explain prints for {name}.json; run UPDATE_DOCS=1 cargo test \
             --test main docs_examples and review the diff",
            path.display()
        );
    } else {
        // Elsewhere explain names this OS's steps: the verdict line must still be the same.
        let verdict = |t: &str| t.lines().find(|l| l.starts_with('[')).map(str::to_owned);
        assert_eq!(verdict(&want), verdict(&got), "{name}");
    }
}

/// The lab's laptop has exactly the HMS VPN apps a scenario's `INSTALLED` names, whatever the
/// machine has: `tests/lab/laptop_apps.sh` adds or hides them where hmsaccess looks, so its
/// paths must be the catalogue's (the HMS apps' Linux install locations).
#[test]
fn the_labs_hms_app_paths_are_the_catalogues() {
    let script = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lab/laptop_apps.sh"),
    )
    .expect("tests/lab/laptop_apps.sh");
    let table = script
        .split("declare -A APP_PATHS=(")
        .nth(1)
        .and_then(|rest| rest.split("\n)").next())
        .expect("declare -A APP_PATHS=( … ) in tests/lab/laptop_apps.sh");
    // `[app]="path path"` lines: every path, in order.
    let mut got: Vec<&str> = table
        .lines()
        .filter_map(|l| l.split_once('=').map(|(_, v)| v.trim().trim_matches('"')))
        .flat_map(str::split_whitespace)
        .collect();
    let mut want: Vec<&str> = hmsaccess::clients::CLIENTS
        .iter()
        .filter(|c| c.hms)
        .flat_map(|c| c.installs.iter())
        .filter(|(os, _)| *os == "linux")
        .map(|(_, path)| *path)
        .collect();
    got.sort_unstable();
    want.sort_unstable();
    assert!(
        !want.is_empty(),
        "the catalogue lists no Linux install of an HMS app"
    );
    assert_eq!(got, want, "tests/lab/laptop_apps.sh: APP_PATHS");
}
