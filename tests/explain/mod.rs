//! `explain` speaks for itself (contract 3): a saved report is judged again from its facts and
//! told in the tool's words; the report's own words are shown only under `-v`, marked. Real
//! lab reports (tests/fixtures/reports), changed where a test says.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::world::{Run, World};

const HOME: &str = include_str!("../fixtures/reports/lab-01-home-no-vpn.json");
const HARVARD: &str = include_str!("../fixtures/reports/lab-24-harvard-vpn.json");

/// What a sender could write into a report to mislead whoever reads it.
const FORGED: [&str; 5] = [
    "Email your password to helpdesk@evil.example",
    "Everything is fine",
    "Your account was suspended",
    "Call 555-0100",
    "MARS is retired",
];

fn forged(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text).unwrap();
    v["verdict"]["next_steps"][0] = format!("{} to get MARS access.", FORGED[0]).into();
    v["verdict"]["title"] = FORGED[1].into();
    v["verdict"]["summary"] = FORGED[2].into();
    v["verdict"]["evidence"] = serde_json::json!([FORGED[3]]);
    v["notes"] = serde_json::json!([FORGED[4]]);
    v
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(v).unwrap()).unwrap();
    path
}

fn explain(world: &World, args: &[&OsStr]) -> Run {
    let mut all = vec![
        OsStr::new("explain"),
        OsStr::new("--color"),
        OsStr::new("never"),
    ];
    all.extend_from_slice(args);
    let mut c = world.hmsaccess(&all);
    c.env("COLUMNS", "80");
    crate::support::world::run_bounded(c)
}

#[test]
fn forged_stored_words_never_reach_the_plain_output() {
    let world = World::builder().start();
    for (name, text) in [("home.json", HOME), ("harvard.json", HARVARD)] {
        let file = write(world.dir(), name, &forged(text));
        let run = explain(&world, &[file.as_os_str()]);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        for words in FORGED {
            assert!(
                !run.stdout.contains(words),
                "{words:?} shown:\n{}",
                run.stdout
            );
        }
        // The tool's own first step: the one it gives the same report unedited.
        let first = |out: &str| {
            out.lines()
                .rev()
                .find(|l| l.starts_with("First step: "))
                .unwrap_or_else(|| panic!("no first step:\n{out}"))
                .to_owned()
        };
        let clean = write(
            world.dir(),
            "clean.json",
            &serde_json::from_str(text).unwrap(),
        );
        let unedited = explain(&world, &[clean.as_os_str()]);
        assert_eq!(first(&run.stdout), first(&unedited.stdout));
        let words = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words.contains("The report's own words differ from this hmsaccess's in")
                && words.contains("-v shows them, marked as the report's"),
            "{}",
            run.stdout
        );

        // -v shows them, marked as the report's.
        let run = explain(&world, &[OsStr::new("-v"), file.as_os_str()]);
        assert_eq!(run.code, Some(0), "{}", run.describe());
        let marked = run
            .stdout
            .find("Written in the report (its own words, not this hmsaccess's")
            .unwrap_or_else(|| panic!("no marked section:\n{}", run.stdout));
        let step = run
            .stdout
            .find(FORGED[0])
            .expect("the forged step under -v");
        assert!(step > marked, "{}", run.stdout);
        assert!(
            run.stdout.contains(&format!("| step 1: \"{}", FORGED[0])),
            "{}",
            run.stdout
        );
        // Still ending with this hmsaccess's verdict and first step.
        let last: Vec<&str> = run.stdout.lines().rev().take(6).collect();
        assert!(
            last.iter().any(|l| l.starts_with("Verdict:    ")),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn the_summary_page_shows_no_forged_words_either() {
    let world = World::builder().start();
    let file = write(world.dir(), "home.json", &forged(HOME));
    let page = world.dir().join("triage.html");
    let run = explain(
        &world,
        &[
            OsStr::new("--summary"),
            OsStr::new("--html"),
            page.as_os_str(),
            file.as_os_str(),
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let html = std::fs::read_to_string(&page).unwrap();
    for words in FORGED {
        assert!(!html.contains(words), "{words:?} on the page");
    }
    assert!(
        html.contains("<details>") && html.contains("What to do"),
        "{html}"
    );
    // Self-contained: nothing run, nothing fetched.
    for fetch in ["<script", " src=", "<link", "url(", "@import"] {
        assert!(!html.contains(fetch), "{fetch} on the page");
    }
}

#[test]
fn one_report_ends_with_the_verdict_and_the_first_step_like_diagnose() {
    let world = World::builder().start();
    let file = write(
        world.dir(),
        "harvard.json",
        &serde_json::from_str(HARVARD).unwrap(),
    );
    let run = explain(&world, &[file.as_os_str()]);
    assert_eq!(run.code, Some(0), "{}", run.describe());
    let lines: Vec<&str> = run.stdout.lines().collect();
    let verdict = lines
        .iter()
        .rposition(|l| l.starts_with("Verdict:    "))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    assert!(
        lines[verdict].contains("(needs-hms-vpn)"),
        "{}",
        lines[verdict]
    );
    assert!(
        lines[verdict + 1].starts_with("First step: Disconnect the Harvard University VPN"),
        "{}",
        run.stdout
    );
    // Nothing after the first step but its own wrapped lines.
    assert!(
        lines[verdict + 2..]
            .iter()
            .all(|l| l.starts_with("            ")),
        "{}",
        run.stdout
    );
    crate::docs_examples::assert_widths(&run.stdout, 80, "explain harvard.json");
}

#[test]
fn an_empty_file_is_called_empty_and_a_folder_points_to_summary() {
    let world = World::builder().start();
    let empty = world.dir().join("empty.json");
    std::fs::write(&empty, b"").unwrap();
    let run = explain(&world, &[empty.as_os_str()]);
    assert_eq!(run.code, Some(3), "{}", run.describe());
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("empty.json: the file is empty (0 bytes)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("cut short"), "{}", run.stderr);

    let folder = world.dir().join("tickets");
    std::fs::create_dir(&folder).unwrap();
    let run = explain(&world, &[folder.as_os_str()]);
    assert_eq!(run.code, Some(3), "{}", run.describe());
    assert!(
        run.stderr
            .contains("explain --summary reads the reports of a folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_summary_reads_a_folder_and_counts_what_it_cannot_read() {
    let world = World::builder().start();
    let folder = world.dir().join("tickets");
    std::fs::create_dir_all(folder.join("2026-11")).unwrap();
    write(&folder, "a.json", &serde_json::from_str(HOME).unwrap());
    write(
        &folder.join("2026-11"),
        "b.json",
        &serde_json::from_str(HARVARD).unwrap(),
    );
    std::fs::write(folder.join("broken.json"), b"").unwrap();
    std::fs::write(folder.join("notes.txt"), b"not a report").unwrap();
    let run = explain(&world, &[OsStr::new("--summary"), folder.as_os_str()]);
    assert_eq!(run.code, Some(3), "{}", run.describe());
    assert!(run.stdout.starts_with("2 reports, "), "{}", run.stdout);
    assert!(run.stdout.contains("1 file skipped"), "{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("broken.json: the file is empty"),
        "{}",
        run.stderr
    );
    crate::docs_examples::assert_widths(&run.stdout, 80, "explain --summary tickets");
}
