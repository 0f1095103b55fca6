//! Real output for every verdict, pinned at 80 columns: `docs/examples/<code>.json` is a report
//! from a run against the loopback fixtures (this machine's own facts set aside: its interfaces
//! other than loopback, the VPN apps it has installed; the time fixed; the verdict re-judged from
//! what is left: [`committed::for_docs`]), and `docs/examples/<code>.txt` is exactly what
//! `hmsaccess diagnose` prints for it in an 80-column UTF-8 terminal. The examples per cause,
//! from the lab, are in [`causes`].
//!
//! Four checks keep the docs honest, none depending on what the machine running them has
//! installed:
//! - each loopback world still gives its verdict, and, its machine's facts set aside, the
//!   committed report's cause;
//! - each committed report's words (title, summary, steps, evidence, warnings) are what the
//!   rules say of its facts;
//! - each committed `.txt` is exactly the renderer's output for the committed `.json` at 80
//!   columns, and no line is wider than 80 (the snapshot);
//! - every verdict code has an example.
//!
//! Refresh after a deliberate change: `UPDATE_DOCS=1 cargo test --test main docs_examples`,
//! and review the diff. blocked-locally's example comes from a real run in a network namespace
//! whose firewall drops every send (root only): `tests/netns_path.rs` checks and writes it
//! (`UPDATE_DOCS=1 cargo test --test netns_path`); here only its snapshot is checked.

mod causes;
pub mod committed;

use std::ffi::OsStr;

use hmsaccess::report::model::{
    Detection, DetectionStatus, ProbeKind, Report, Role, VerdictCode, Vpn, VpnRole,
};

use crate::support::dns::Rule;
use crate::support::servers::Behaviour;
use crate::support::world::{Cert, Run, Spec, World, run_bounded};
use committed::{WIDTH, committed, docs_dir, rejudge, render, updating};

/// How the examples of this file are rewritten.
const UPDATE: &str = "UPDATE_DOCS=1 cargo test --test main docs_examples";

/// Checks (or, with UPDATE_DOCS, writes) the example of `code` from a live report.
fn check(code: &str, live: Report) {
    assert_eq!(live.verdict.code.as_str(), code, "the world's verdict");
    committed::check_live(code, live, UPDATE);
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
    assert!(
        way_line(&run.stdout).is_some_and(|l| l.ends_with("MARS") || l.ends_with("portal")),
        "no picture of the way to MARS above 'What was checked':\n{}",
        run.stdout
    );
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

/// The picture of the way to MARS: the line above the blank line before "What was checked".
pub fn way_line(text: &str) -> Option<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| *l == "What was checked")?;
    (at >= 2 && lines[at - 1].is_empty() && lines[at - 2].starts_with("  ")).then(|| lines[at - 2])
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

/// A run's report as it came (its words may depend on the VPN apps this machine has
/// installed: [`committed::for_docs`] sets them aside before anything is compared).
fn json_report(world: &World) -> Report {
    serde_json::from_value(world.diagnose(&["--json"]).report().clone()).unwrap()
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

/// `role`'s route goes into the tunnel `interface`, as on a laptop where that VPN carries it.
fn route_into(report: &mut Report, role: Role, interface: &str) {
    for p in &mut report.probes {
        if p.kind == ProbeKind::Route
            && p.role == Some(role)
            && let Some(route) = p.route.as_mut()
        {
            route.interface = Some(interface.into());
        }
    }
}

/// The two verdicts that need tunnel interfaces: a real loopback run plus the VPNs a laptop
/// would show, MARS's route going into the HMS VPN's tunnel and the portal's into the
/// hospital's (the network-namespace lab proves them on real tunnels).
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
    route_into(&mut both, Role::Mars, "utun4");
    route_into(&mut both, Role::Affiliate, "utun6");
    rejudge(&mut both);
    check("conflicting-vpns", both);

    let mut hms_up = base;
    hms_up.vpn_detection = ran;
    hms_up.vpns = vec![vpn("utun4", "Pulse Secure", VpnRole::Hms)];
    route_into(&mut hms_up, Role::Mars, "utun4");
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
             run {UPDATE} and review the diff",
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
