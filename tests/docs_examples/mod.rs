//! Real output for every verdict, produced from the loopback fixtures into `docs/examples/`.
//!
//! The docs show what people actually see. The verdict, next steps and evidence of each example
//! are compared with the committed file (timings, ports and IDs filtered), so the docs cannot
//! drift from the code; the probe table below them varies with timing and is only regenerated.
//! Refresh after a deliberate change: `UPDATE_DOCS=1 cargo test --test main docs_examples`.

use std::path::PathBuf;

use hmsaccess::report::model::{Detection, DetectionStatus, Report, Vpn, VpnRole};
use hmsaccess::verdict::{self, Facts};
use regex::Regex;

use crate::support::dns::Rule;
use crate::support::servers::Behaviour;
use crate::support::world::{Cert, Spec, World};

fn docs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/examples")
}

/// Replaces what changes from run to run: timings, ports, IDs, times.
fn filter(text: &str) -> String {
    let rules = [
        (r"\b\d+ ms\b", "N ms"),
        (r"(127\.0\.0\.1|\.test|[a-z]+):\d{4,5}\b", "$1:PORT"),
        (r"HMS-[0-9A-F]{4}-[0-9A-F]{4}", "HMS-XXXX-XXXX"),
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "YYYY-MM-DDTHH:MM:SSZ"),
        (r"(?m)[ \t]+$", ""),
    ];
    rules.iter().fold(text.to_owned(), |t, (pattern, with)| {
        Regex::new(pattern)
            .unwrap()
            .replace_all(&t, *with)
            .into_owned()
    })
}

/// The part of the human output that must not drift: everything above the probe table, with
/// whitespace collapsed (a timing of another width wraps the lines differently).
fn stable_part(text: &str) -> String {
    let above = text.split("\nProbes ").next().unwrap_or(text);
    filter(&above.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn check(code: &str, output: &str) {
    let path = docs_dir().join(format!("{code}.txt"));
    let got = filter(output);
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(docs_dir()).unwrap();
        std::fs::write(&path, &got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        stable_part(&want),
        stable_part(&got),
        "docs/examples/{code}.txt drifted from the real output; \
         run UPDATE_DOCS=1 cargo test --test main docs_examples and review the diff"
    );
}

fn human(world: &World) -> (String, serde_json::Value) {
    let text = world.diagnose(&["--color", "never"]);
    let json = world.diagnose(&["--json"]);
    (text.stdout.clone(), json.report().clone())
}

fn assert_code(json: &serde_json::Value, code: &str) {
    assert_eq!(json["verdict"]["code"], code, "{json:#}");
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
        let (text, json) = human(world);
        assert_code(&json, code);
        check(code, &text);
    }
}

/// Renders a report as `hmsaccess explain` would, after re-deciding its verdict.
fn render(report: &mut Report) -> String {
    let texts = hmsaccess::profile::Profile::embedded().verdicts;
    report.verdict = verdict::evaluate(&Facts::from(&*report), &texts);
    let mut out = Vec::new();
    hmsaccess::report::human::render(report, false, &mut out).unwrap();
    anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
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
    let base: Report =
        serde_json::from_value(world.diagnose(&["--json"]).report().clone()).unwrap();
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
    let text = render(&mut both);
    assert_eq!(both.verdict.code.as_str(), "conflicting-vpns");
    check("conflicting-vpns", &text);

    let mut hms_up = base.clone();
    hms_up.vpn_detection = ran;
    hms_up.vpns = vec![vpn("utun4", "Pulse Secure", VpnRole::Hms)];
    let text = render(&mut hms_up);
    assert_eq!(hms_up.verdict.code.as_str(), "mars-unreachable");
    check("mars-unreachable", &text);
}
