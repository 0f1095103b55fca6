//! Real output for every verdict, pinned at 80 columns: `docs/examples/<code>.json` is a report
//! from a run against the loopback fixtures (this machine's interfaces other than loopback
//! removed, the time fixed), and `docs/examples/<code>.txt` is exactly what `hmsaccess diagnose`
//! prints for it in an 80-column terminal.
//!
//! Three checks keep the docs honest:
//! - each loopback world still gives its verdict, with the committed report's words (title,
//!   summary, steps, evidence; timings and ports filtered);
//! - each committed `.txt` is exactly the renderer's output for the committed `.json` at 80
//!   columns, and no line is wider than 80 (the snapshot);
//! - every verdict code has an example.
//!
//! Refresh after a deliberate change: `UPDATE_DOCS=1 cargo test --test main docs_examples`,
//! and review the diff. blocked-locally's example comes from a real run in a network namespace
//! whose firewall drops every send (root only): `tests/netns_path.rs` checks and writes it
//! (`UPDATE_DOCS=1 cargo test --test netns_path`); here only its snapshot is checked.

use std::ffi::OsStr;
use std::path::PathBuf;

use hmsaccess::report::human::{self, Options};
use hmsaccess::report::model::{Detection, DetectionStatus, Report, VerdictCode, Vpn, VpnRole};
use hmsaccess::verdict::{self, Facts};
use regex::Regex;

use crate::support::dns::Rule;
use crate::support::servers::Behaviour;
use crate::support::world::{Cert, Run, Spec, World, run_bounded};

/// The terminal the examples are pinned for.
const WIDTH: usize = 80;

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/examples")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
}

/// Replaces what changes from run to run in a text: timings, ports, and which secure
/// connections had finished when the verdict was settled (the rest are cut short, and which
/// ones depends on the machine's load).
fn filter(text: &str) -> String {
    let rules = [
        (r"\b\d+ ms\b", "N ms"),
        (r"(127\.0\.0\.1|\.test|[a-z]+):\d{4,5}\b", "$1:PORT"),
        (
            r"^Secure connections to .+? are vouched for",
            "Secure connections to HOSTS are vouched for",
        ),
    ];
    rules.iter().fold(text.to_owned(), |t, (pattern, with)| {
        Regex::new(pattern)
            .unwrap()
            .replace_all(&t, *with)
            .into_owned()
    })
}

/// The verdict's words, filtered: what must not drift between the live run and the docs.
/// The examples are written on Linux (CI); some next steps are for some operating systems only
/// (the profile's `{ os = [...] }` steps), so elsewhere they are left out of the comparison.
const EXAMPLES_OS: &str = "linux";

fn words(report: &Report) -> Vec<String> {
    let v = &report.verdict;
    let steps: &[String] = if std::env::consts::OS == EXAMPLES_OS {
        &v.next_steps
    } else {
        &[]
    };
    [&v.title, &v.summary]
        .into_iter()
        .chain(steps)
        .chain(&v.evidence)
        .chain(&v.warnings)
        .map(|s| filter(s))
        .collect()
}

/// What is committed: the machine's own interfaces (beyond loopback) removed, a fixed time.
fn for_docs(mut report: Report) -> Report {
    report.interfaces.retain(|i| i.kind == "loopback");
    report.started_at = "2026-11-22T16:52:50Z".into();
    report.report_id = Some(hmsaccess::report::report_id(&report));
    report
}

/// The human output as `diagnose` prints it at 80 columns (no file written, so the footer too).
fn render(report: &Report) -> String {
    let opts = Options {
        recap: true,
        footer: true,
        ..Options::new(WIDTH)
    };
    let mut out = Vec::new();
    human::render(report, &opts, &mut out).unwrap();
    anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
}

fn committed(code: &str) -> Option<Report> {
    let text = std::fs::read_to_string(docs_dir().join(format!("{code}.json"))).ok()?;
    Some(serde_json::from_str(&text).expect("a committed example is a valid report"))
}

/// Checks (or, with UPDATE_DOCS, writes) the example of `code` from a live report.
fn check(code: &str, live: Report) {
    assert_eq!(live.verdict.code.as_str(), code, "the world's verdict");
    if updating() {
        let report = for_docs(live.clone());
        let json = serde_json::to_string_pretty(&report).unwrap() + "\n";
        std::fs::write(docs_dir().join(format!("{code}.json")), json).unwrap();
        std::fs::write(docs_dir().join(format!("{code}.txt")), render(&report)).unwrap();
    }
    let docs = committed(code).unwrap_or_else(|| panic!("docs/examples/{code}.json is missing"));
    assert_eq!(
        words(&docs),
        words(&live),
        "docs/examples/{code}.json drifted from the real run; \
         run UPDATE_DOCS=1 cargo test --test main docs_examples and review the diff"
    );
}

/// Runs the binary as a person would in an 80-column terminal and checks the width and the end.
fn check_terminal(world: &World) -> Run {
    let mut command = world.hmsaccess(&[
        OsStr::new("diagnose"),
        OsStr::new("--profile"),
        world.profile_path().as_os_str(),
        OsStr::new("--color"),
        OsStr::new("never"),
    ]);
    command.env("COLUMNS", WIDTH.to_string());
    let run = run_bounded(command);
    assert_screen_end(&run);
    run
}

/// The human output of a run is no wider than the terminal and ends with the verdict and the
/// first step: nothing after them but their own wrapped lines, and all of them on one 24-row
/// screen with the shell's prompt (a long first step, like tls-intercepted's, takes six lines).
fn assert_screen_end(run: &Run) {
    assert_widths(&run.stdout, WIDTH, "diagnose");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let recap = lines
        .iter()
        .rposition(|l| l.starts_with("Verdict:"))
        .map_or(&[][..], |at| &lines[at..]);
    let first_step = recap.iter().position(|l| l.starts_with("First step:"));
    assert!(
        first_step.is_some()
            && recap[1..]
                .iter()
                .all(|l| l.starts_with("First step:") || l.starts_with("            "))
            && recap.len() < 24,
        "the verdict and first step are not at the end, on one screen:\n{}",
        run.stdout
    );
}

/// No line of `text` is wider than `width` columns.
pub fn assert_widths(text: &str, width: usize, what: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "{what}: a line of {} columns:\n{line}\n\n{text}",
            line.chars().count()
        );
    }
}

/// A run's report, judged as on a laptop with GlobalProtect installed: the words must not
/// depend on the VPN apps this machine happens to have (its `installed_clients` decide between
/// `no-vpn` and `no-hms-client`, and name the app in the steps).
fn json_report(world: &World) -> Report {
    let mut report: Report =
        serde_json::from_value(world.diagnose(&["--json"]).report().clone()).unwrap();
    report.installed_clients = Some(vec!["GlobalProtect".into()]);
    rejudge(&mut report);
    report
}

#[test]
fn loopback_verdicts() {
    let worlds: Vec<(&str, World)> = vec![
        // On the HMS VPN the affiliate portal is out of reach (it answers only inside the LMA).
        (
            "hms-vpn",
            World::builder()
                .all(Spec::Up)
                .affiliate(Spec::Blackhole)
                .start(),
        ),
        (
            "inside-lma",
            World::builder().all(Spec::Up).mars(Spec::Blackhole).start(),
        ),
        (
            "needs-hms-vpn",
            World::builder()
                .all(Spec::Up)
                .mars(Spec::Blackhole)
                .affiliate(Spec::Blackhole)
                .start(),
        ),
        (
            "dns-failure",
            World::builder().dns_for_all(Rule::ServFail).start(),
        ),
        ("captive-portal", World::builder().captive_portal().start()),
        ("offline", World::builder().all(Spec::Refused).start()),
        (
            "inconclusive",
            World::builder()
                .all(Spec::Https(Cert::SelfSigned, Behaviour::Status(200)))
                .start(),
        ),
        // A re-signing proxy this computer does not trust, on every secure connection.
        (
            "tls-intercepted",
            World::builder()
                .all(Spec::Https(Cert::Resigned, Behaviour::Status(200)))
                .control_http(Behaviour::Status(301))
                .start(),
        ),
        // This computer's clock is 400 days behind the public site's.
        (
            "clock-wrong",
            World::builder()
                .all(Spec::Https(Cert::NotYetValid, Behaviour::Status(200)))
                .affiliate(Spec::Blackhole)
                .control_http(Behaviour::Dated(301, 400 * 86_400))
                .start(),
        ),
    ];
    for (code, world) in &worlds {
        check(code, json_report(world));
        let run = check_terminal(world);
        assert!(run.stdout.contains(&format!("({code})")), "{}", run.stdout);
    }
}

/// Re-judges a report as `explain` would, after its VPNs were changed.
fn rejudge(report: &mut Report) {
    let texts = hmsaccess::profile::Profile::embedded().verdicts;
    report.verdict = verdict::evaluate(&Facts::from(&*report), &texts);
}

/// The two verdicts that need tunnel interfaces: a real loopback run plus the VPNs a laptop
/// would show (the network-namespace lab proves them on real tunnels).
#[test]
fn tunnel_verdicts() {
    let world = World::builder()
        .all(Spec::Up)
        .mars(Spec::Blackhole)
        .affiliate(Spec::Blackhole)
        .start();
    let base = json_report(&world);
    let ran = Detection {
        status: DetectionStatus::Ran,
        detail: None,
        sources: vec!["interfaces".into()],
    };
    let vpn = |interface: &str, client: &str, role| Vpn {
        interface: interface.into(),
        client: Some(client.into()),
        role,
        gateway: None,
        network: None,
        evidence: vec![],
    };

    let mut both = base.clone();
    both.vpn_detection = ran.clone();
    both.vpns = vec![
        vpn("utun4", "Pulse Secure", VpnRole::Hms),
        vpn("utun6", "Cisco AnyConnect", VpnRole::Affiliate),
    ];
    rejudge(&mut both);
    check("conflicting-vpns", both);

    let mut hms_up = base;
    hms_up.vpn_detection = ran;
    hms_up.vpns = vec![vpn("utun4", "Pulse Secure", VpnRole::Hms)];
    rejudge(&mut hms_up);
    check("mars-unreachable", hms_up);
}

/// The snapshot: each committed text is exactly what the renderer prints for its report.
#[test]
fn every_verdict_is_pinned_at_80_columns() {
    if updating() {
        return; // the other tests are writing the files; compare on the next run
    }
    let mut missing = Vec::new();
    for code in VerdictCode::ALL {
        let Some(report) = committed(code.as_str()) else {
            missing.push(code.as_str());
            continue;
        };
        let path = docs_dir().join(format!("{code}.txt"));
        let want = std::fs::read_to_string(&path).unwrap_or_default();
        let got = render(&report);
        assert_eq!(
            want,
            got,
            "{} is not the renderer's output for {code}.json; \
             run UPDATE_DOCS=1 cargo test --test main docs_examples and review the diff",
            path.display()
        );
        assert_widths(&got, WIDTH, code.as_str());
        // Plain words first: the first ten lines hold the verdict and the first step.
        let head: Vec<&str> = got.lines().take(10).collect();
        assert!(head[0].contains(&report.verdict.title[..20.min(report.verdict.title.len())]));
        assert!(
            head.iter().any(|l| l.starts_with("  1. ")),
            "{code}: the first step is not in the first ten lines:\n{got}"
        );
    }
    assert!(
        missing.is_empty(),
        "verdicts without an example in docs/examples/: {missing:?} \
         (add a world for each to loopback_verdicts or tunnel_verdicts)"
    );
}
