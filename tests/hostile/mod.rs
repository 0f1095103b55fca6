//! Hostile networks (issue 6): the real binary against servers and resolvers that misbehave on
//! purpose (`tests/support/hostile.rs`), each as the MARS target (or the control host) with the
//! other targets normal.
//!
//! The cases are one table, [`CASES`]: a row per case (name, which role misbehaves and how, the
//! time it may use up, the outcome expected of the probe it is about, the verdict, any further
//! checks), run by one function, [`run_case`], from a `#[test]` of the row's name.
//!
//! For every case: the run ends within the step timeout it could use up + 0.3 s (plus
//! [`STARTUP`] for starting the process, measured from outside), the report's own `duration_ms`
//! within the step timeout + 0.3 s, the probe's outcome names what happened, the report is valid
//! (JSON, schema, exit code matching its verdict), and the child's peak RSS stays under 50 MB.
//!
//! Peak memory comes from GNU time (`/usr/bin/time -f %M`, Debian package `time`), or else from a
//! python3 wrapper reading `getrusage(RUSAGE_CHILDREN)`; with neither, each case prints
//! `skipped memory check: <reason>` and checks the rest. Either way the binary runs under a
//! kill-after bound ([`KILL_AFTER_S`], coreutils `timeout` or python's), so a hang fails the test
//! instead of leaving a process behind. `HOSTILE_METER=python` or `HOSTILE_METER=none` forces a
//! fallback. Every case prints one `hostile-case` line (name, wall
//! time, peak RSS, outcome, verdict); `cargo test --test main hostile -- --nocapture` shows them.

mod fixtures;

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::Value;

use crate::diagnose_loopback::check_report;
use crate::support::hostile::{
    CNAME_LOOP_PARTNER, DnsFront, DnsHostile, FOREIGN_HOST, Hostile, RawHttp,
};
use crate::support::precondition_missing;
use crate::support::world::{Port, Role, Run, Spec, Timeouts, World, run_bounded};

/// The contract's allowance past a bound: a run ends within its timeout + 0.3 s.
const SLACK: Duration = Duration::from_millis(300);
/// Measured from outside, a run also includes starting the process and loading the trust
/// store; the scenario suite allows the same (`diagnose_loopback::BOUNDED_WALL`).
const STARTUP: Duration = Duration::from_millis(500);
/// Peak resident memory allowed to one run (issue 6: "under 50 MB").
const PEAK_LIMIT_BYTES: u64 = 50_000_000;
/// A run still alive after this many seconds is killed by its wrapper: a hang.
const KILL_AFTER_S: u64 = 15;
/// `--timeout` of the runs that check the overall deadline.
const DEADLINE: &str = "1.5";
/// … as a duration.
const DEADLINE_D: Duration = Duration::from_millis(1500);
/// Most body bytes a probe may read (the binary's cap).
const BODY_CAP: u64 = 64 * 1024;

/// Step timeouts in these worlds (the harness's defaults: 800 ms, HTTP 1000 ms).
fn steps() -> Timeouts {
    Timeouts::default()
}

/// Step timeouts far beyond [`DEADLINE`], so only `--timeout` can end the run in time.
fn slow_steps() -> Timeouts {
    Timeouts {
        dns_ms: 5000,
        connect_ms: 5000,
        tls_ms: 5000,
        http_ms: 5000,
    }
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

// ------------------------------------------------------------------------------------------
// The table
// ------------------------------------------------------------------------------------------

/// One hostile case: a row of [`CASES`].
struct Case {
    /// The `#[test]` that runs this row (see [`hostile_tests!`]).
    test: &'static str,
    /// The name in the case's `hostile-case` line.
    name: &'static str,
    /// The role that misbehaves; the others are up. A hostile control host matters only when
    /// MARS and the affiliate portal fail, so for `Role::Control` those two refuse.
    role: Role,
    /// How it misbehaves.
    server: Server,
    /// The time the run may use up.
    bound: Bound,
    /// The probe the case is about (`KIND:TARGET`), shown in the `hostile-case` line.
    probe: &'static str,
    /// Its outcome: one of these.
    outcome: &'static [&'static str],
    /// Outcomes required of other probes.
    others: &'static [(&'static str, &'static [&'static str])],
    /// The verdict code, where the case fixes one.
    verdict: Option<&'static str>,
    /// Further checks particular to the case.
    checks: &'static [Check],
}

/// What the hostile role does.
enum Server {
    /// Nothing hostile: up like the others (the baseline row).
    Up,
    /// Its name resolves; its ports behave like this.
    Port(Spec),
    /// The DNS front answers its name like this; its ports are up.
    Dns(DnsHostile),
}

/// The time a case may use up.
#[derive(Clone, Copy)]
enum Bound {
    /// One step timeout of [`steps`], which the whole world uses.
    Step(Step),
    /// Step timeouts of [`slow_steps`] and `--timeout 1.5`: only the deadline can end the run in
    /// time.
    Deadline,
}

/// A probe step, for its timeout in [`steps`].
#[derive(Clone, Copy)]
enum Step {
    Dns,
    Tls,
    Http,
}

/// A check particular to one case, after the run.
type Check = fn(&Run, &World);

const TLS_FAILED: &[&str] = &["tls-handshake-failed"];
const NOT_REACHED: &[&str] = &["skipped", "not-needed"];
const OK: &[&str] = &["ok"];
const TIMEOUT: &[&str] = &["timeout"];
const PROTOCOL_ERROR: &[&str] = &["protocol-error"];
const INSIDE_LMA: Option<&str> = Some("inside-lma");

/// Every hostile case. A hostile server on MARS with the affiliate portal up gives `inside-lma`.
const CASES: &[Case] = &[
    // ---- TCP, TLS and HTTP ----
    Case {
        // Not hostile: the reference row of the table (every target up, MARS answers).
        test: "baseline_every_target_up",
        name: "baseline: every target up",
        role: Role::Mars,
        server: Server::Up,
        bound: Bound::Step(Step::Http),
        probe: "https:mars",
        outcome: OK,
        others: &[],
        verdict: Some("hms-vpn"),
        checks: &[],
    },
    Case {
        test: "silent_port_times_out_the_tls_step",
        name: "silent port (TLS step)",
        role: Role::Mars,
        server: Server::Port(Spec::Silent),
        bound: Bound::Step(Step::Tls),
        probe: "tls:mars",
        outcome: TIMEOUT,
        others: &[("tcp:mars", OK)],
        verdict: INSIDE_LMA,
        checks: &[],
    },
    Case {
        test: "silent_port_is_cut_by_the_overall_deadline",
        name: "silent port, --timeout 1.5",
        role: Role::Mars,
        server: Server::Port(Spec::Silent),
        bound: Bound::Deadline,
        probe: "tls:mars",
        outcome: TIMEOUT,
        others: &[],
        verdict: None,
        checks: &[],
    },
    Case {
        test: "tls_garbage_instead_of_a_server_hello_fails_the_handshake",
        name: "TLS garbage",
        role: Role::Mars,
        server: Server::Port(Spec::Hostile(Hostile::TlsGarbage)),
        bound: Bound::Step(Step::Tls),
        probe: "tls:mars",
        outcome: TLS_FAILED,
        others: &[("tcp:mars", OK), ("https:mars", NOT_REACHED)],
        verdict: INSIDE_LMA,
        checks: &[garbage_server_saw_a_connection],
    },
    Case {
        // The control host answers garbage on 443 (instead of a ServerHello) and on 80 (instead
        // of an HTTP response).
        test: "garbage_on_the_control_host_fails_tls_and_plain_http",
        name: "garbage on control (TLS and HTTP)",
        role: Role::Control,
        server: Server::Port(Spec::Hostile(Hostile::TlsGarbage)),
        bound: Bound::Step(Step::Http),
        probe: "http:control",
        outcome: PROTOCOL_ERROR,
        others: &[("tls:control", TLS_FAILED)],
        verdict: None,
        checks: &[],
    },
    Case {
        test: "slowloris_headers_time_out_the_http_step",
        name: "slowloris headers",
        role: Role::Mars,
        server: Server::Port(Spec::Hostile(Hostile::Http(RawHttp::Slowloris))),
        bound: Bound::Step(Step::Http),
        probe: "https:mars",
        outcome: TIMEOUT,
        others: &[("tls:mars", OK)],
        verdict: INSIDE_LMA,
        checks: &[],
    },
    Case {
        test: "slowloris_headers_are_cut_by_the_overall_deadline",
        name: "slowloris headers, --timeout 1.5",
        role: Role::Mars,
        server: Server::Port(Spec::Hostile(Hostile::Http(RawHttp::Slowloris))),
        bound: Bound::Deadline,
        probe: "https:mars",
        outcome: TIMEOUT,
        others: &[],
        verdict: None,
        checks: &[],
    },
    Case {
        test: "endless_body_is_read_to_64_kib_at_most",
        name: "10 GiB body",
        role: Role::Mars,
        server: Server::Port(Spec::Hostile(Hostile::Http(RawHttp::EndlessBody))),
        bound: Bound::Step(Step::Http),
        probe: "https:mars",
        outcome: OK,
        others: &[],
        verdict: Some("hms-vpn"),
        checks: &[mars_status_is_200, mars_body_is_capped],
    },
    Case {
        test: "endless_chunked_body_is_read_to_64_kib_at_most",
        name: "endless chunked body",
        role: Role::Mars,
        server: Server::Port(Spec::Hostile(Hostile::Http(RawHttp::EndlessChunked))),
        bound: Bound::Step(Step::Http),
        probe: "https:mars",
        outcome: OK,
        others: &[],
        verdict: None,
        checks: &[mars_body_is_capped],
    },
    Case {
        // The verdict rests on the control host, whose HTTPS and plain-HTTP ports both stream a
        // 10 GiB body.
        test: "endless_body_on_the_control_host_is_read_to_64_kib_at_most",
        name: "10 GiB body on control (HTTPS and HTTP)",
        role: Role::Control,
        server: Server::Port(Spec::Hostile(Hostile::Http(RawHttp::EndlessBody))),
        bound: Bound::Step(Step::Http),
        probe: "http:control",
        outcome: OK,
        others: &[("https:control", OK)],
        verdict: Some("needs-hms-vpn"),
        checks: &[control_bodies_are_capped],
    },
    Case {
        // On the public site: MARS's first answer (a redirect) decides, so it is not followed.
        test: "same_host_redirect_loop_is_too_many_redirects",
        name: "redirect loop / -> /a -> /",
        role: Role::Control,
        server: Server::Port(Spec::Hostile(Hostile::Http(RawHttp::RedirectLoop))),
        bound: Bound::Step(Step::Http),
        probe: "https:control",
        outcome: &["too-many-redirects"],
        others: &[],
        verdict: None,
        checks: &[loop_is_cut_at_five_hops],
    },
    Case {
        test: "redirect_to_another_host_is_recorded_as_foreign_and_not_followed",
        name: "redirect to another host",
        role: Role::Mars,
        server: Server::Port(Spec::Hostile(Hostile::Http(RawHttp::ForeignRedirect))),
        bound: Bound::Step(Step::Http),
        probe: "https:mars",
        outcome: OK,
        others: &[],
        verdict: None,
        checks: &[foreign_redirect_is_recorded_not_followed],
    },
    Case {
        test: "ten_thousand_headers_are_a_protocol_error",
        name: "10,000 headers",
        role: Role::Mars,
        server: Server::Port(Spec::Hostile(Hostile::Http(RawHttp::ManyHeaders(10_000)))),
        bound: Bound::Step(Step::Http),
        probe: "https:mars",
        outcome: PROTOCOL_ERROR,
        others: &[],
        verdict: INSIDE_LMA,
        checks: &[],
    },
    Case {
        test: "broken_status_line_is_a_protocol_error",
        name: "status line `HTTP/1.1 abc`",
        role: Role::Mars,
        server: Server::Port(Spec::Hostile(Hostile::Http(RawHttp::BrokenStatusLine))),
        bound: Bound::Step(Step::Http),
        probe: "https:mars",
        outcome: PROTOCOL_ERROR,
        others: &[],
        verdict: INSIDE_LMA,
        checks: &[],
    },
    // ---- DNS: the front answers MARS's name and relays the others to the DNS fixture ----
    Case {
        test: "truncated_answer_whose_tcp_fallback_never_answers_times_out",
        name: "DNS truncated (TC), TCP silent",
        role: Role::Mars,
        server: Server::Dns(DnsHostile::Truncated),
        bound: Bound::Step(Step::Dns),
        probe: "dns:mars",
        outcome: TIMEOUT,
        others: &[],
        verdict: INSIDE_LMA,
        checks: &[others_resolved],
    },
    Case {
        test: "truncated_answer_is_cut_by_the_overall_deadline",
        name: "DNS truncated, TCP silent, --timeout 1.5",
        role: Role::Mars,
        server: Server::Dns(DnsHostile::Truncated),
        bound: Bound::Deadline,
        probe: "dns:mars",
        outcome: TIMEOUT,
        others: &[],
        verdict: None,
        checks: &[],
    },
    Case {
        // The resolver learns only "truncated" (hickory keeps `NetError::Truncated` when the TCP
        // retry fails), so either name fits; the catch-all `error` does not.
        test: "truncated_answer_whose_tcp_fallback_is_refused_is_named",
        name: "DNS truncated (TC), TCP refused",
        role: Role::Mars,
        server: Server::Dns(DnsHostile::TruncatedNoTcp),
        bound: Bound::Step(Step::Dns),
        probe: "dns:mars",
        outcome: &["protocol-error", "refused"],
        others: &[],
        verdict: INSIDE_LMA,
        checks: &[others_resolved],
    },
    Case {
        test: "garbage_answer_with_the_right_id_is_a_protocol_error",
        name: "DNS garbage (right id)",
        role: Role::Mars,
        server: Server::Dns(DnsHostile::Garbage),
        bound: Bound::Step(Step::Dns),
        probe: "dns:mars",
        outcome: PROTOCOL_ERROR,
        others: &[],
        verdict: INSIDE_LMA,
        checks: &[others_resolved],
    },
    Case {
        // Its first two bytes are not the query's id, so a resolver must drop it (RFC 5452).
        test: "garbage_answer_from_the_first_byte_is_ignored_and_times_out",
        name: "DNS garbage (random id)",
        role: Role::Mars,
        server: Server::Dns(DnsHostile::RandomGarbage),
        bound: Bound::Step(Step::Dns),
        probe: "dns:mars",
        outcome: TIMEOUT,
        others: &[],
        verdict: None,
        checks: &[others_resolved],
    },
    Case {
        // Well-formed answers (127.0.0.1) with the wrong transaction id: accepting one would be
        // accepting a spoofed answer.
        test: "answers_with_mismatched_ids_are_ignored_and_time_out",
        name: "DNS mismatched transaction id",
        role: Role::Mars,
        server: Server::Dns(DnsHostile::MismatchedId),
        bound: Bound::Step(Step::Dns),
        probe: "dns:mars",
        outcome: TIMEOUT,
        others: &[("tcp:mars", NOT_REACHED)],
        verdict: INSIDE_LMA,
        checks: &[others_resolved],
    },
    Case {
        // About 64 KB in one datagram, far past the client's advertised payload size: what
        // arrives is cut at the receive buffer, so it cannot parse.
        test: "oversized_udp_answer_is_a_protocol_error",
        name: "DNS oversized UDP answer (4000 A)",
        role: Role::Mars,
        server: Server::Dns(DnsHostile::Oversized),
        bound: Bound::Step(Step::Dns),
        probe: "dns:mars",
        outcome: PROTOCOL_ERROR,
        others: &[],
        verdict: None,
        checks: &[others_resolved],
    },
    Case {
        test: "oversized_answer_over_tcp_resolves_and_the_report_stays_small",
        name: "DNS oversized answer over TCP (4000 A)",
        role: Role::Mars,
        server: Server::Dns(DnsHostile::OversizedOverTcp),
        bound: Bound::Step(Step::Dns),
        probe: "dns:mars",
        outcome: OK,
        others: &[],
        verdict: None,
        checks: &[tcp_fallback_is_used_and_the_report_stays_small],
    },
    Case {
        // No address at the end of the chain: NODATA as a stub resolver sees it (a recursive one
        // would say SERVFAIL); never `ok`, never the catch-all `error`.
        test: "cname_loop_ends_without_an_address",
        name: "DNS CNAME loop (a -> b -> a)",
        role: Role::Mars,
        server: Server::Dns(DnsHostile::CnameLoop),
        bound: Bound::Step(Step::Dns),
        probe: "dns:mars",
        outcome: &["no-records", "servfail", "protocol-error"],
        others: &[],
        verdict: INSIDE_LMA,
        checks: &[others_resolved, cname_loop_is_not_chased],
    },
];

/// One `#[test]` per row of [`CASES`], named by the row's `test`, so that each case runs, fails
/// and can be picked by name on its own. [`every_row_has_its_test`] keeps the two lists equal.
macro_rules! hostile_tests {
    ($($test:ident),* $(,)?) => {
        /// The rows that have a `#[test]`.
        const TESTED: &[&str] = &[$(stringify!($test)),*];
        $(
            #[test]
            fn $test() {
                run_case(stringify!($test));
            }
        )*
    };
}

hostile_tests!(
    baseline_every_target_up,
    silent_port_times_out_the_tls_step,
    silent_port_is_cut_by_the_overall_deadline,
    tls_garbage_instead_of_a_server_hello_fails_the_handshake,
    garbage_on_the_control_host_fails_tls_and_plain_http,
    slowloris_headers_time_out_the_http_step,
    slowloris_headers_are_cut_by_the_overall_deadline,
    endless_body_is_read_to_64_kib_at_most,
    endless_chunked_body_is_read_to_64_kib_at_most,
    endless_body_on_the_control_host_is_read_to_64_kib_at_most,
    same_host_redirect_loop_is_too_many_redirects,
    redirect_to_another_host_is_recorded_as_foreign_and_not_followed,
    ten_thousand_headers_are_a_protocol_error,
    broken_status_line_is_a_protocol_error,
    truncated_answer_whose_tcp_fallback_never_answers_times_out,
    truncated_answer_is_cut_by_the_overall_deadline,
    truncated_answer_whose_tcp_fallback_is_refused_is_named,
    garbage_answer_with_the_right_id_is_a_protocol_error,
    garbage_answer_from_the_first_byte_is_ignored_and_times_out,
    answers_with_mismatched_ids_are_ignored_and_time_out,
    oversized_udp_answer_is_a_protocol_error,
    oversized_answer_over_tcp_resolves_and_the_report_stays_small,
    cname_loop_ends_without_an_address,
);

#[test]
fn every_row_has_its_test() {
    let mut rows: Vec<&str> = CASES.iter().map(|c| c.test).collect();
    let mut tested = TESTED.to_vec();
    rows.sort_unstable();
    tested.sort_unstable();
    assert_eq!(
        rows, tested,
        "CASES and hostile_tests! list different cases"
    );
    rows.dedup();
    assert_eq!(rows.len(), CASES.len(), "two rows share a test name");
}

// ------------------------------------------------------------------------------------------
// The runner
// ------------------------------------------------------------------------------------------

/// Runs the row of [`CASES`] named `test`: builds its world, runs the binary under the meter
/// ([`hostile_case`]: report, bounds, memory, the `hostile-case` line), then checks the row's
/// outcomes, verdict and further checks.
fn run_case(test: &str) {
    let case = CASES
        .iter()
        .find(|c| c.test == test)
        .unwrap_or_else(|| panic!("no row {test:?} in CASES"));
    let world = case.world();
    let extra: &[&str] = match case.bound {
        Bound::Step(_) => &[],
        Bound::Deadline => &["--timeout", DEADLINE],
    };
    let run = hostile_case(case.name, &world, extra, case.bound.duration(), case.probe);
    for (probe, expected) in
        std::iter::once((case.probe, case.outcome)).chain(case.others.iter().copied())
    {
        let (kind, target) = probe.split_once(':').expect("probe as KIND:TARGET");
        assert_outcome(&run, kind, target, expected);
    }
    if let Some(verdict) = case.verdict {
        assert_eq!(run.verdict_code(), verdict, "{}", run.describe());
    }
    for check in case.checks {
        check(&run, &world);
    }
}

impl Case {
    /// Every role up, then this row's role as the row says; for a hostile control host, MARS
    /// and the affiliate portal refuse (fast), so that the verdict rests on the control host.
    fn world(&self) -> World {
        let mut builder = World::builder().all(Spec::Up).timeouts(match self.bound {
            Bound::Step(_) => steps(),
            Bound::Deadline => slow_steps(),
        });
        if self.role == Role::Control {
            builder = builder.mars(Spec::Refused).affiliate(Spec::Refused);
        }
        match &self.server {
            Server::Up => builder,
            Server::Port(spec) => builder.role(self.role, spec.clone()),
            Server::Dns(kind) => builder.dns_front(DnsFront::new(self.role.host(), *kind)),
        }
        .start()
    }
}

impl Bound {
    fn duration(self) -> Duration {
        match self {
            Bound::Step(Step::Dns) => ms(steps().dns_ms),
            Bound::Step(Step::Tls) => ms(steps().tls_ms),
            Bound::Step(Step::Http) => ms(steps().http_ms),
            Bound::Deadline => DEADLINE_D,
        }
    }
}

// ------------------------------------------------------------------------------------------
// Measuring a run
// ------------------------------------------------------------------------------------------

/// How a run's peak memory is measured on this machine.
#[derive(Debug, Clone)]
enum Meter {
    /// GNU time: `/usr/bin/time -f %M -o FILE timeout -s KILL N hmsaccess …`.
    GnuTime,
    /// `python3 -c WRAPPER FILE N hmsaccess …` (getrusage of its one child).
    Python,
    /// Neither works; the reason.
    Unavailable(String),
}

const GNU_TIME: &str = "/usr/bin/time";

/// Runs the command with a kill-after bound and writes the children's peak RSS (KiB) to a file.
const PY_WRAPPER: &str = r#"
import resource, subprocess, sys
out, limit, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
try:
    code = subprocess.run(cmd, timeout=limit).returncode
except subprocess.TimeoutExpired:
    code = 137
with open(out, "w") as f:
    f.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code if code >= 0 else 128 - code)
"#;

/// Which [`Meter`] works here, found once. `HOSTILE_METER=python` or `=none` skips the better
/// ones (to exercise the fallbacks).
fn meter() -> &'static Meter {
    static METER: OnceLock<Meter> = OnceLock::new();
    METER.get_or_init(|| {
        let wanted = std::env::var("HOSTILE_METER").unwrap_or_default();
        if wanted == "none" {
            return Meter::Unavailable("HOSTILE_METER=none".into());
        }
        let dir = tempfile::tempdir().expect("a temporary directory");
        let out = dir.path().join("probe-rss.txt");
        let works = |command: &mut Command| {
            command
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
                && read_kib(&out).is_some_and(|kib| kib > 0)
        };
        let mut gnu = Command::new(GNU_TIME);
        gnu.args(["-f", "%M", "-o"])
            .arg(&out)
            .args(["timeout", "-s", "KILL", "5", "true"]);
        if wanted != "python" && works(&mut gnu) {
            return Meter::GnuTime;
        }
        let mut python = Command::new("python3");
        python
            .args(["-c", PY_WRAPPER])
            .arg(&out)
            .args(["5", "true"]);
        if works(&mut python) {
            return Meter::Python;
        }
        let reason = format!(
            "neither `{GNU_TIME} -f %M` (Debian package `time`, with coreutils `timeout`) nor \
             python3 with `resource` ran here"
        );
        // Once per test process (and under CI a failure of every case).
        precondition_missing(&format!("memory check of the hostile cases: {reason}"));
        Meter::Unavailable(reason)
    })
}

/// The last number in a meter's output file (GNU time may write a "Command terminated" line first).
fn read_kib(path: &std::path::Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().rev().find_map(|l| l.trim().parse().ok())
}

/// A run and its measured peak RSS.
struct Measured {
    run: Run,
    peak_kib: Option<u64>,
}

/// Runs `hmsaccess diagnose --profile <world's> <extra…>` under the meter and the kill-after bound.
fn diagnose_measured(world: &World, extra: &[&str]) -> Measured {
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let bin = assert_cmd::cargo::cargo_bin!("hmsaccess");
    let out: PathBuf = world
        .dir()
        .join(format!("rss-{}.txt", RUNS.fetch_add(1, Ordering::SeqCst)));
    let kill_after = KILL_AFTER_S.to_string();
    let mut command = match meter() {
        Meter::GnuTime => {
            let mut c = world.command(GNU_TIME);
            c.args(["-f", "%M", "-o"])
                .arg(&out)
                .args(["timeout", "-s", "KILL", &kill_after])
                .arg(bin);
            c
        }
        Meter::Python => {
            let mut c = world.command("python3");
            c.args(["-c", PY_WRAPPER])
                .arg(&out)
                .arg(&kill_after)
                .arg(bin);
            c
        }
        Meter::Unavailable(_) => world.command(bin),
    };
    command
        .arg("diagnose")
        .arg("--profile")
        .arg(world.profile_path())
        .args(extra);
    let run = run_bounded(command);
    assert!(
        !matches!(run.code, Some(124 | 137) | None),
        "hmsaccess was killed after {KILL_AFTER_S} s (a hang)\n{}",
        run.describe()
    );
    let peak_kib = match meter() {
        Meter::Unavailable(_) => None,
        _ => Some(
            read_kib(&out)
                .unwrap_or_else(|| panic!("the memory meter wrote no number to {}", out.display())),
        ),
    };
    Measured { run, peak_kib }
}

/// Runs one hostile case with `--json` and checks what every case must satisfy: valid report,
/// exit code of its verdict, within `bound` + 0.3 s, under 50 MB. Prints the case's row.
fn hostile_case(name: &str, world: &World, extra: &[&str], bound: Duration, probe: &str) -> Run {
    let mut args = vec!["--json"];
    args.extend_from_slice(extra);
    let Measured { run, peak_kib } = diagnose_measured(world, &args);
    check_report(&run);

    let (kind, target) = probe.split_once(':').expect("probe as KIND:TARGET");
    let outcome = run.outcome(kind, target).unwrap_or("absent");
    let peak = peak_kib.map_or_else(|| "n/a".to_owned(), |k| format!("{:.1} MB", mb(k)));
    println!(
        "hostile-case | {name} | wall {} ms | report {} ms | peak {peak} | {probe} {outcome} | {}",
        run.wall.as_millis(),
        run.report()["duration_ms"],
        run.verdict_code()
    );

    let limit = bound + SLACK + STARTUP;
    assert!(
        run.wall <= limit,
        "{name}: the run took {:?}, more than {bound:?} + 0.3 s (+ {STARTUP:?} to start)\n{}",
        run.wall,
        run.describe()
    );
    let reported = run.report()["duration_ms"]
        .as_u64()
        .unwrap_or_else(|| panic!("{name}: no duration_ms\n{}", run.describe()));
    assert!(
        ms(reported) <= bound + SLACK,
        "{name}: the report says {reported} ms, more than {bound:?} + 0.3 s\n{}",
        run.describe()
    );
    match (peak_kib, meter()) {
        (Some(kib), _) => assert!(
            kib * 1024 < PEAK_LIMIT_BYTES,
            "{name}: peak RSS {:.1} MB is over 50 MB\n{}",
            mb(kib),
            run.describe()
        ),
        (None, Meter::Unavailable(reason)) => println!("skipped memory check: {reason}"),
        (None, _) => unreachable!("a meter that works always yields a number"),
    }
    run
}

fn mb(kib: u64) -> f64 {
    // Precision is irrelevant at this size; the conversion is for display.
    #[allow(clippy::cast_precision_loss)]
    let bytes = (kib * 1024) as f64;
    bytes / 1e6
}

fn probe<'a>(run: &'a Run, kind: &str, target: &str) -> &'a Value {
    run.probe(kind, target)
        .unwrap_or_else(|| panic!("no {kind}:{target} probe\n{}", run.describe()))
}

fn assert_outcome(run: &Run, kind: &str, target: &str, expected: &[&str]) {
    let outcome = run.outcome(kind, target);
    assert!(
        outcome.is_some_and(|o| expected.contains(&o)),
        "{kind}:{target} is {outcome:?}, expected one of {expected:?}\n{}",
        run.describe()
    );
}

// ------------------------------------------------------------------------------------------
// Checks particular to some cases
// ------------------------------------------------------------------------------------------

fn garbage_server_saw_a_connection(_: &Run, world: &World) {
    let mars = world.endpoint(Role::Mars, Port::Https).expect("MARS port");
    assert!(
        mars.connections() >= 1,
        "the garbage server saw no connection"
    );
}

fn mars_status_is_200(run: &Run, _: &World) {
    let http = &probe(run, "https", "mars")["http"];
    assert_eq!(http["status"], 200, "{}", run.describe());
}

fn mars_body_is_capped(run: &Run, _: &World) {
    let body = probe(run, "https", "mars")["http"]["body_bytes"]
        .as_u64()
        .unwrap_or(u64::MAX);
    assert!(
        body > 0 && body <= BODY_CAP,
        "body_bytes {body}, expected 1..={BODY_CAP}\n{}",
        run.describe()
    );
}

fn control_bodies_are_capped(run: &Run, _: &World) {
    for kind in ["https", "http"] {
        let body = probe(run, kind, "control")["http"]["body_bytes"]
            .as_u64()
            .unwrap_or(u64::MAX);
        assert!(
            body > 0 && body <= BODY_CAP,
            "{kind}:control body_bytes {body}\n{}",
            run.describe()
        );
    }
}

fn loop_is_cut_at_five_hops(run: &Run, world: &World) {
    let redirects = probe(run, "https", "control")["http"]["redirects"]
        .as_array()
        .map_or(0, Vec::len);
    assert_eq!(redirects, 5, "hops recorded\n{}", run.describe());
    let control = world
        .endpoint(Role::Control, Port::Https)
        .expect("control port");
    assert!(
        control.requests() <= 6,
        "{} requests: the loop was not cut at 5 hops",
        control.requests()
    );
}

fn foreign_redirect_is_recorded_not_followed(run: &Run, world: &World) {
    let http = &probe(run, "https", "mars")["http"];
    assert_eq!(http["foreign_redirect"], true, "{}", run.describe());
    assert_eq!(http["status"], 302, "{}", run.describe());
    assert!(
        http["location"]
            .as_str()
            .is_some_and(|l| l.contains(FOREIGN_HOST)),
        "{}",
        run.describe()
    );
    let mars = world.endpoint(Role::Mars, Port::Https).expect("MARS port");
    assert_eq!(mars.requests(), 1, "the foreign redirect was followed");
}

/// The other three names resolved through the front (it relays them to the fixture).
fn others_resolved(run: &Run, world: &World) {
    for role in [Role::Affiliate, Role::Gateway, Role::Control] {
        assert_outcome(run, "dns", role.id(), &["ok"]);
    }
    let front = world.dns_front().expect("a DNS front");
    assert!(front.relayed() >= 1, "nothing was relayed to the fixture");
    assert!(front.crafted() >= 1, "the front never answered MARS's name");
}

fn tcp_fallback_is_used_and_the_report_stays_small(run: &Run, world: &World) {
    assert!(
        world.dns_front().is_some_and(|f| f.tcp_connections() >= 1),
        "the resolver never fell back to TCP"
    );
    // Two addresses per family are tried, whatever the answer holds.
    let attempts = probe(run, "tcp", "mars")["tcp"]["attempts"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(
        attempts <= 4,
        "{attempts} connect attempts\n{}",
        run.describe()
    );
    let addresses = probe(run, "dns", "mars")["dns"]["a"]
        .as_array()
        .map_or(0, Vec::len);
    println!(
        "oversized over TCP: {addresses} A addresses in the report, {} bytes of JSON",
        run.stdout.len()
    );
    assert!(
        run.stdout.len() < 1_000_000,
        "the report is {} bytes",
        run.stdout.len()
    );
}

/// The loop is not chased round and round: a handful of queries at most.
fn cname_loop_is_not_chased(_: &Run, world: &World) {
    let crafted = world.dns_front().map_or(0, |f| f.crafted());
    assert!(
        crafted <= 16,
        "{crafted} queries for {} and {CNAME_LOOP_PARTNER}",
        Role::Mars.host()
    );
}
