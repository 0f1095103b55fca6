//! How a per-verdict example is committed and checked, shared by `docs_examples` (loopback runs)
//! and `netns_path.rs` (blocked-locally, from a namespace): the live report with this machine's
//! own facts set aside, its words pinned to the rules, its text to the renderer.
//!
//! Words must not depend on the machine that runs the tests: which VPN apps it has installed
//! decides between the causes `no-vpn` and `no-hms-client` and names the HMS VPN app in the
//! first step ("Open openconnect" where openconnect is installed). So a committed example is
//! judged as on a laptop with GlobalProtect installed, and its words are what the rules say of
//! its facts; a live run is compared with it by verdict and cause only, after the same facts
//! were set aside.

use std::path::PathBuf;

use hmsaccess::report::human::{self, Charset, Options};
use hmsaccess::report::model::Report;
use hmsaccess::verdict::{self, Facts};
use regex::Regex;

/// The terminal the examples are pinned for.
pub const WIDTH: usize = 80;

/// The examples are written on Linux (CI); some next steps are for some operating systems only
/// (the profile's `{ os = [...] }` steps), so elsewhere they are left out of word comparisons.
pub const EXAMPLES_OS: &str = "linux";

pub fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/examples")
}

/// `UPDATE_DOCS` is set: tests write the examples instead of only checking them.
pub fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
}

/// Re-judges a report as `explain` does: its verdict from its facts, in the embedded profile's
/// words.
pub fn rejudge(report: &mut Report) {
    let texts = hmsaccess::profile::Profile::embedded().verdicts;
    report.verdict = verdict::evaluate(&Facts::from(&*report), &texts);
}

/// What is committed: this machine's own facts set aside (its interfaces beyond loopback; the
/// VPN apps it has installed, replaced by GlobalProtect alone, as on a laptop HMS IT set up), a
/// fixed time, and the verdict re-judged from what is left, so that its words do not depend on
/// the machine that wrote it.
pub fn for_docs(mut report: Report) -> Report {
    report
        .interfaces
        .retain(|i| i.kind == hmsaccess::report::model::InterfaceKind::Loopback);
    report.installed_clients = Some(vec!["GlobalProtect".into()]);
    report.started_at = "2026-11-22T16:52:50Z".into();
    rejudge(&mut report);
    report.report_id = Some(hmsaccess::report::report_id(&report));
    report
}

/// The human output as `diagnose` prints it at 80 columns in a UTF-8 terminal (no file
/// written, so the footer too).
pub fn render(report: &Report) -> String {
    let opts = Options {
        recap: true,
        footer: true,
        charset: Charset::Unicode,
        ..Options::new(WIDTH)
    };
    let mut out = Vec::new();
    human::render(report, &opts, &mut out).unwrap();
    anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
}

/// Replaces what changes from run to run in a text: timings, ports, and which secure
/// connections had finished when the verdict was settled (the rest are cut short, and which
/// ones depends on the machine's load).
pub fn filter(text: &str) -> String {
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

/// The verdict's words, filtered (the next steps only on [`EXAMPLES_OS`]).
pub fn words(report: &Report) -> Vec<String> {
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

/// The committed `docs/examples/<name>.json`, when there is one.
pub fn committed(name: &str) -> Option<Report> {
    let text = std::fs::read_to_string(docs_dir().join(format!("{name}.json"))).ok()?;
    Some(serde_json::from_str(&text).expect("a committed example is a valid report"))
}

/// Writes `docs/examples/<name>.json` (the report as given) and `<name>.txt` ([`render`]).
pub fn write(name: &str, report: &Report) {
    let json = serde_json::to_string_pretty(report).unwrap() + "\n";
    std::fs::write(docs_dir().join(format!("{name}.json")), json).unwrap();
    std::fs::write(docs_dir().join(format!("{name}.txt")), render(report)).unwrap();
}

/// Checks (or, with `UPDATE_DOCS`, first writes) the example `name` against a live run: the
/// live run, its machine's facts set aside, has the committed verdict and cause; the committed
/// words are what the rules say of the committed facts. `how` is the command that rewrites it.
pub fn check_live(name: &str, live: Report, how: &str) {
    let live = for_docs(live);
    if updating() {
        write(name, &live);
    }
    let docs = committed(name).unwrap_or_else(|| panic!("docs/examples/{name}.json is missing"));
    assert_eq!(
        (live.verdict.code, live.verdict.cause),
        (docs.verdict.code, docs.verdict.cause),
        "docs/examples/{name}.json: the live run has another verdict or cause; run {how} and \
         review the diff"
    );
    let mut again = docs.clone();
    rejudge(&mut again);
    assert_eq!(
        words(&docs),
        words(&again),
        "docs/examples/{name}.json: its words are not what the rules say of its facts; run \
         {how} and review the diff"
    );
}
