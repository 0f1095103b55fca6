//! Scenario suite: the real binary against loopback worlds, one test per contract verdict and bound.

mod contract2;

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

use crate::support::dns::Rule;
use crate::support::servers::Behaviour;
use crate::support::world::{
    Cert, PORTAL_HOST, Port, Role, Run, RunOptions, Spec, Timeouts, World,
};

/// The contract's verdict codes and their exit codes (`../shared/CONTRACT.md`).
const VERDICTS: [(&str, i32); 12] = [
    ("hms-vpn", 0),
    ("inside-lma", 0),
    ("needs-hms-vpn", 10),
    ("conflicting-vpns", 11),
    ("offline", 12),
    ("dns-failure", 13),
    ("captive-portal", 14),
    ("mars-unreachable", 15),
    ("tls-intercepted", 16),
    ("clock-wrong", 17),
    ("blocked-locally", 18),
    ("inconclusive", 19),
];

/// The contract's probe kinds.
const KINDS: [&str; 6] = ["dns", "route", "tcp", "tls", "https", "http"];

/// Runs `diagnose --json` and checks what every report must satisfy, whatever its verdict.
fn diagnose_json(world: &World, extra: &[&str]) -> Run {
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    let run = world.diagnose(&args);
    check_report(&run);
    run
}

/// The contract's envelope: version, tool, verdict fields, probe kinds, the exit code that
/// matches the verdict, and the schema in `docs/` when it exists.
pub(crate) fn check_report(run: &Run) {
    let report = run.report();
    assert_eq!(report["schema_version"], 1, "{}", run.describe());
    assert_eq!(report["tool"]["name"], "hmsaccess", "{}", run.describe());
    let code = run.verdict_code();
    let exit = VERDICTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, e)| *e)
        .unwrap_or_else(|| panic!("{code:?} is not a contract verdict\n{}", run.describe()));
    assert_eq!(
        run.code,
        Some(exit),
        "exit code of {code}\n{}",
        run.describe()
    );
    let verdict = &report["verdict"];
    for text in ["title", "summary"] {
        assert!(
            verdict[text].as_str().is_some_and(|t| !t.trim().is_empty()),
            "verdict.{text} is empty\n{}",
            run.describe()
        );
    }
    for list in ["next_steps", "evidence"] {
        assert!(
            verdict[list].is_array(),
            "verdict.{list}\n{}",
            run.describe()
        );
    }
    assert!(
        verdict["next_steps"]
            .as_array()
            .is_some_and(|s| !s.is_empty()),
        "no next steps\n{}",
        run.describe()
    );
    for field in ["vpns", "interfaces"] {
        assert!(report[field].is_array(), "{field}\n{}", run.describe());
    }
    for field in ["vpn_detection", "resolver"] {
        assert!(report[field].is_object(), "{field}\n{}", run.describe());
    }
    assert!(!run.probes().is_empty(), "no probes\n{}", run.describe());
    // Progress and logs go to stderr only on a terminal or with -v; the harness pipes it.
    assert!(
        run.stderr.trim().is_empty(),
        "stderr of a --json run is not empty\n{}",
        run.describe()
    );
    for probe in run.probes() {
        let kind = probe["kind"].as_str().unwrap_or_default();
        assert!(
            KINDS.contains(&kind),
            "probe kind {kind:?}\n{}",
            run.describe()
        );
        let id = probe["id"].as_str().unwrap_or_default();
        assert!(
            id.starts_with(&format!("{kind}:")),
            "probe id {id:?}\n{}",
            run.describe()
        );
        assert!(probe["outcome"].is_string(), "{probe}\n{}", run.describe());
    }
    validate_against_schema(report, &run.describe());
}

/// `docs/report.schema.json` (committed, and pinned to the report types by a unit test),
/// compiled once.
fn schema() -> &'static jsonschema::Validator {
    static SCHEMA: OnceLock<jsonschema::Validator> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/report.schema.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; it is part of the repository (regenerate it with \
                 UPDATE_SCHEMA=1 cargo test --lib schema)",
                path.display()
            )
        });
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
        jsonschema::validator_for(&schema).expect("the schema compiles")
    })
}

fn validate_against_schema(report: &Value, context: &str) {
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the report does not validate against docs/report.schema.json:\n{}\n{context}",
        errors.join("\n")
    );
}

fn assert_verdict(run: &Run, code: &str) {
    assert_eq!(run.verdict_code(), code, "{}", run.describe());
}

fn assert_outcome(run: &Run, kind: &str, target: &str, expected: &[&str]) {
    let outcome = run.outcome(kind, target);
    assert!(
        outcome.is_some_and(|o| expected.contains(&o)),
        "{kind}:{target} is {outcome:?}, expected one of {expected:?}\n{}",
        run.describe()
    );
}

#[test]
fn hms_vpn_when_mars_answers() {
    let world = World::builder().all(Spec::Up).start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "hms-vpn");
    assert_outcome(&run, "dns", "mars", &["ok"]);
    assert_outcome(&run, "tls", "mars", &["ok"]);
    assert_outcome(&run, "https", "mars", &["ok"]);
    assert!(run.evidence().contains("MARS"), "{}", run.describe());
    let mars = world.endpoint(Role::Mars, Port::Https).unwrap();
    assert!(mars.requests() >= 1, "MARS fixture saw no request");
    assert!(world.dns().queries_for(Role::Mars.host()) >= 1);
    // The test CA is trusted through SSL_CERT_FILE only, not through the public root list:
    // the report says so (the TLS-inspection signal).
    let tls = run.probe("tls", "mars").unwrap();
    assert_eq!(tls["tls"]["public_root"], false, "{}", run.describe());
    assert!(
        tls["tls"]["leaf"]["san"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
    );
}

#[test]
fn inside_lma_when_only_the_affiliate_portal_answers() {
    let world = World::builder()
        .mars(Spec::Refused)
        .affiliate(Spec::Up)
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "inside-lma");
    assert_outcome(&run, "https", "affiliate", &["ok"]);
    assert_ne!(
        run.outcome("https", "mars"),
        Some("ok"),
        "{}",
        run.describe()
    );
    assert!(run.evidence().contains("affiliate"), "{}", run.describe());
}

#[test]
fn needs_hms_vpn_when_mars_and_affiliate_are_silent() {
    let world = World::builder()
        .mars(Spec::Silent)
        .affiliate(Spec::Silent)
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "needs-hms-vpn");
    // Silent ports accept TCP and never speak TLS.
    assert_outcome(&run, "tcp", "mars", &["ok"]);
    assert_outcome(&run, "tls", "mars", &["timeout"]);
    assert_outcome(&run, "tls", "affiliate", &["timeout"]);
    assert_outcome(&run, "https", "control", &["ok"]);
}

#[test]
fn needs_hms_vpn_when_connects_to_mars_never_complete() {
    let world = World::builder()
        .mars(Spec::Blackhole)
        .affiliate(Spec::Blackhole)
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "needs-hms-vpn");
    if world.notes().is_empty() {
        assert_outcome(&run, "tcp", "mars", &["timeout"]);
        assert_outcome(&run, "tcp", "affiliate", &["timeout"]);
    }
    assert_outcome(&run, "https", "gateway", &["ok"]);
}

#[test]
fn dns_failure_when_the_resolver_is_silent_for_every_name() {
    let world = World::builder()
        .all(Spec::Up)
        .dns_for_all(Rule::Silent)
        .start();
    let run = diagnose_json(&world, &[]);
    // The contract: "a route out exists but name resolution does not work". Whether loopback
    // counts as a route out is the binary's call; the contract's verdict is asserted here.
    assert_verdict(&run, "dns-failure");
    for role in Role::ALL {
        assert_outcome(&run, "dns", role.id(), &["timeout"]);
    }
    assert!(
        world.dns().queries() >= 4,
        "the binary never asked the DNS fixture"
    );
}

#[test]
fn dns_failure_when_the_resolver_fails_every_name() {
    let world = World::builder()
        .all(Spec::Up)
        .dns_for_all(Rule::ServFail)
        .start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "dns-failure");
    for role in Role::ALL {
        assert_outcome(&run, "dns", role.id(), &["servfail"]);
    }
}

#[test]
fn captive_portal_when_web_traffic_is_redirected_to_a_login_page() {
    let world = World::builder().captive_portal().start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "captive-portal");
    assert_outcome(&run, "dns", "mars", &["ok"]);
    assert_outcome(&run, "tls", "mars", &["tls-name-mismatch"]);
    let http = run
        .probe("http", "control")
        .unwrap_or_else(|| panic!("no http:control probe\n{}", run.describe()));
    assert!(
        http.to_string().contains(PORTAL_HOST) || run.evidence().contains(PORTAL_HOST),
        "neither http:control nor the evidence names {PORTAL_HOST}\n{}",
        run.describe()
    );
}

#[test]
fn offline_when_names_resolve_but_nothing_answers() {
    let world = World::builder().all(Spec::Refused).start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "offline");
    assert_outcome(&run, "dns", "control", &["ok"]);
    assert_outcome(&run, "tcp", "control", &["refused"]);
    assert_ne!(
        run.outcome("http", "control"),
        Some("ok"),
        "{}",
        run.describe()
    );
}

#[test]
fn offline_when_names_resolve_but_every_server_is_silent() {
    // The contract's `offline`: "names resolve but not even the public HMS site answers". A
    // control host that accepts TCP and never speaks TLS or HTTP does not answer.
    let world = World::builder().all(Spec::Silent).start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "offline");
    assert_outcome(&run, "dns", "control", &["ok"]);
    assert_outcome(&run, "tls", "control", &["timeout"]);
    assert_outcome(&run, "http", "control", &["timeout"]);
}

#[test]
fn hms_vpn_when_mars_redirects_within_its_own_host() {
    let world = World::builder()
        .all(Spec::Up)
        .mars(Spec::Https(Cert::Valid, Behaviour::RedirectChain))
        .start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "hms-vpn");
    assert_outcome(&run, "https", "mars", &["ok"]);
    let http = &run.probe("https", "mars").unwrap()["http"];
    assert_eq!(http["redirect_kind"], "same-site", "{}", run.describe());
    // A redirect within the site already means MARS answers: the first answer settles it.
    let mars = world.endpoint(Role::Mars, Port::Https).unwrap();
    assert_eq!(mars.requests(), 1, "MARS's redirect was followed");
}

#[test]
fn needs_hms_vpn_when_only_the_hms_names_do_not_resolve() {
    // Not `dns-failure`: the resolver answers other names, so it works.
    let world = World::builder()
        .mars(Spec::Dns(Rule::NxDomain))
        .affiliate(Spec::Dns(Rule::NxDomain))
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "needs-hms-vpn");
    assert_outcome(&run, "dns", "mars", &["nxdomain"]);
    assert_outcome(&run, "dns", "affiliate", &["nxdomain"]);
    assert_outcome(&run, "dns", "control", &["ok"]);
}

#[test]
fn dns_failure_when_the_resolver_refuses_every_name() {
    let world = World::builder()
        .all(Spec::Up)
        .dns_for_all(Rule::Refused)
        .start();
    let run = diagnose_json(&world, &[]);
    assert_verdict(&run, "dns-failure");
    for role in Role::ALL {
        assert_outcome(&run, "dns", role.id(), &["refused"]);
    }
}

#[test]
fn certificate_failures_are_told_apart() {
    // The verdict for a MARS with a bad certificate is not fixed by the contract; the outcomes are.
    let world = World::builder()
        .mars(Spec::Https(Cert::Expired, Behaviour::Status(200)))
        .affiliate(Spec::Https(Cert::SelfSigned, Behaviour::Status(200)))
        .gateway(Spec::Https(Cert::NotYetValid, Behaviour::Status(200)))
        .control(Spec::Up)
        .start();
    let run = diagnose_json(&world, &[]);
    assert_outcome(&run, "tls", "mars", &["tls-expired"]);
    assert_outcome(&run, "tls", "affiliate", &["tls-unknown-issuer"]);
    assert_outcome(&run, "tls", "gateway", &["tls-not-yet-valid"]);
    assert_outcome(&run, "tls", "control", &["ok"]);
    assert_ne!(
        run.outcome("https", "mars"),
        Some("ok"),
        "{}",
        run.describe()
    );
}

/// The contract: `--timeout SECS` ends the run within SECS + 0.3 s; here 1.5 s + 0.3 s plus a
/// measured allowance for starting the process.
const BOUNDED_WALL: Duration = Duration::from_millis(2300);
/// A probe of a bounded run cannot have taken longer than the bound.
const BOUNDED_PROBE_MS: u64 = 1800;

/// Step timeouts far beyond the 1.5 s budget, so only `--timeout` can end the run in time.
fn slow_steps() -> Timeouts {
    Timeouts {
        dns_ms: 5000,
        connect_ms: 5000,
        tls_ms: 5000,
        http_ms: 5000,
    }
}

fn assert_bounded(run: &Run) {
    assert!(
        run.wall < BOUNDED_WALL,
        "--timeout 1.5 run took {:?}\n{}",
        run.wall,
        run.describe()
    );
    for probe in run.probes() {
        if let Some(ms) = probe["duration_ms"].as_u64() {
            assert!(ms <= BOUNDED_PROBE_MS, "{probe}\n{}", run.describe());
        }
    }
}

#[test]
fn timeout_bounds_a_run_whose_servers_never_speak() {
    let world = World::builder()
        .all(Spec::Silent)
        .timeouts(slow_steps())
        .start();
    let run = diagnose_json(&world, &["--timeout", "1.5"]);
    assert_bounded(&run);
    for role in Role::ALL {
        assert_outcome(&run, "tls", role.id(), &["timeout"]);
    }
    assert_outcome(&run, "http", "control", &["timeout"]);
}

#[test]
fn timeout_bounds_a_run_whose_resolver_never_answers() {
    let world = World::builder()
        .all(Spec::Up)
        .dns_for_all(Rule::Silent)
        .timeouts(slow_steps())
        .start();
    let run = diagnose_json(&world, &["--timeout", "1.5"]);
    assert_bounded(&run);
    for role in Role::ALL {
        assert_outcome(&run, "dns", role.id(), &["timeout"]);
    }
}

#[test]
fn timeout_bounds_a_run_whose_connects_never_complete() {
    let world = World::builder()
        .all(Spec::Blackhole)
        .timeouts(slow_steps())
        .start();
    let run = diagnose_json(&world, &["--timeout", "1.5"]);
    assert_bounded(&run);
    let expected: &[&str] = if world.notes().is_empty() {
        &["timeout"]
    } else {
        &["ok"] // fell back to silent ports: connects complete, TLS hangs
    };
    for role in Role::ALL {
        assert_outcome(&run, "tcp", role.id(), expected);
    }
}

/// The contract: without `--timeout` a run ends within 10 s; plus the process-start allowance.
const DEFAULT_WALL: Duration = Duration::from_millis(10_800);

#[test]
fn a_run_without_timeout_ends_within_ten_seconds() {
    // Every step allowed a minute (the profile maximum); only the built-in bound can end it.
    let world = World::builder()
        .mars(Spec::Blackhole)
        .affiliate(Spec::Silent)
        .gateway(Spec::Https(Cert::Valid, Behaviour::Hang))
        .control(Spec::Silent)
        .timeouts(Timeouts {
            dns_ms: 60_000,
            connect_ms: 60_000,
            tls_ms: 60_000,
            http_ms: 60_000,
        })
        .start();
    let run = diagnose_json(&world, &[]);
    assert!(
        run.wall < DEFAULT_WALL,
        "took {:?}\n{}",
        run.wall,
        run.describe()
    );
    assert_outcome(&run, "tls", "affiliate", &["timeout"]);
    assert_outcome(&run, "https", "gateway", &["timeout"]);
}

#[cfg(unix)]
#[test]
fn ctrl_c_ends_the_run_with_a_full_report() {
    // Issue 2: "Ctrl-C does the same" as reaching --timeout: what did not finish is `timeout`,
    // and the full report and verdict are still written.
    let world = World::builder()
        .all(Spec::Silent)
        .timeouts(slow_steps())
        .start();
    let interrupt_after = Duration::from_millis(700);
    let run = world.diagnose_with(
        &["--json"],
        &RunOptions {
            interrupt_after: Some(interrupt_after),
            ..RunOptions::default()
        },
    );
    check_report(&run);
    assert!(
        run.wall < interrupt_after + Duration::from_millis(800),
        "the run went on for {:?} after Ctrl-C\n{}",
        run.wall - interrupt_after,
        run.describe()
    );
    assert_outcome(&run, "tls", "mars", &["timeout"]);
    assert_outcome(&run, "http", "control", &["timeout"]);
}

#[test]
fn a_closed_stdout_is_not_a_crash() {
    // Issue 2: writing into a closed pipe (`| head -1`) exits quietly.
    let world = World::builder()
        .mars(Spec::Refused)
        .affiliate(Spec::Refused)
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start();
    for extra in [&["--json"][..], &[][..]] {
        let run = world.diagnose_with(
            extra,
            &RunOptions {
                close_stdout: true,
                ..RunOptions::default()
            },
        );
        assert!(
            !run.stderr.contains("panicked") && run.stderr.trim().is_empty(),
            "diagnose {extra:?} into a closed pipe wrote to stderr:\n{}",
            run.stderr
        );
        assert!(
            run.code.is_some_and(|c| c != 1 && c != 101),
            "diagnose {extra:?} into a closed pipe: exit {:?}\n{}",
            run.code,
            run.stderr
        );
    }
}

#[test]
fn report_validates_against_the_committed_schema() {
    // diagnose_json validates every report; this names the check and covers a mixed world.
    let world = World::builder()
        .mars(Spec::Silent)
        .affiliate(Spec::Refused)
        .gateway(Spec::Dns(Rule::NxDomain))
        .control(Spec::Up)
        .start();
    let run = diagnose_json(&world, &[]);
    assert_outcome(&run, "dns", "gateway", &["nxdomain"]);
}

#[test]
fn output_file_holds_the_same_report_and_explain_renders_it() {
    let world = World::builder()
        .mars(Spec::Silent)
        .affiliate(Spec::Silent)
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start();
    let saved = world.dir().join("report.json");
    let saved_arg = saved.to_str().expect("a UTF-8 temp path");
    let run = diagnose_json(&world, &["--output", saved_arg]);
    let text = std::fs::read_to_string(&saved)
        .unwrap_or_else(|e| panic!("--output wrote nothing: {e}\n{}", run.describe()));
    let file: Value = serde_json::from_str(&text).expect("--output writes JSON");
    assert_eq!(&file, run.report(), "--output and stdout differ");
    validate_against_schema(&file, "the --output file");

    let explained = world.run(&["explain".as_ref(), saved.as_os_str()]);
    assert_eq!(explained.code, Some(0), "{}", explained.describe());
    let title = run.report()["verdict"]["title"].as_str().unwrap();
    assert!(
        explained.stdout.contains(title),
        "explain does not show the verdict title {title:?}\n{}",
        explained.stdout
    );

    // `-` reads the report from standard input.
    let piped = world.run_with_stdin(&["explain".as_ref(), "-".as_ref()], text.as_bytes());
    assert_eq!(piped.code, Some(0), "{}", piped.describe());
    assert!(piped.stdout.contains(title), "{}", piped.stdout);
}

#[test]
fn human_output_leads_with_the_verdict() {
    let world = World::builder()
        .mars(Spec::Silent)
        .affiliate(Spec::Refused)
        .gateway(Spec::Up)
        .control(Spec::Up)
        .start();
    let json = diagnose_json(&world, &[]);
    let human = world.diagnose(&[]);
    assert_eq!(human.code, json.code, "{}", human.describe());
    let title = json.report()["verdict"]["title"].as_str().unwrap();
    assert!(
        human.stdout.contains(title),
        "the human output does not show {title:?}:\n{}",
        human.stdout
    );
    assert!(
        !human.stdout.contains('\u{1b}'),
        "colour escapes with NO_COLOR and a pipe:\n{}",
        human.stdout
    );
    assert!(
        human.json.is_none(),
        "the human output is JSON:\n{}",
        human.stdout
    );
}

#[test]
fn explain_rejects_a_file_that_is_not_a_report() {
    let world = World::builder().start();
    let junk = world.dir().join("not-a-report.txt");
    std::fs::write(&junk, "this is not JSON\n").unwrap();
    let run = world.run(&["explain".as_ref(), junk.as_os_str()]);
    assert_eq!(run.code, Some(3), "{}", run.describe());
    let lines: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert_eq!(
        lines.len(),
        1,
        "expected one line on stderr:\n{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "stdout: {}", run.stdout);
}
