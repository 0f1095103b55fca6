use super::*;
use crate::report::model::Outcome;

/// Every committed example report (docs/examples/, from the loopback worlds).
fn examples() -> Vec<(&'static str, Report)> {
    [
        (
            "hms-vpn",
            include_str!("../../../docs/examples/hms-vpn.json"),
        ),
        (
            "inside-lma",
            include_str!("../../../docs/examples/inside-lma.json"),
        ),
        (
            "needs-hms-vpn",
            include_str!("../../../docs/examples/needs-hms-vpn.json"),
        ),
        (
            "conflicting-vpns",
            include_str!("../../../docs/examples/conflicting-vpns.json"),
        ),
        (
            "offline",
            include_str!("../../../docs/examples/offline.json"),
        ),
        (
            "dns-failure",
            include_str!("../../../docs/examples/dns-failure.json"),
        ),
        (
            "captive-portal",
            include_str!("../../../docs/examples/captive-portal.json"),
        ),
        (
            "mars-unreachable",
            include_str!("../../../docs/examples/mars-unreachable.json"),
        ),
        (
            "inconclusive",
            include_str!("../../../docs/examples/inconclusive.json"),
        ),
        (
            "tls-intercepted",
            include_str!("../../../docs/examples/tls-intercepted.json"),
        ),
        (
            "clock-wrong",
            include_str!("../../../docs/examples/clock-wrong.json"),
        ),
        (
            "blocked-locally",
            include_str!("../../../docs/examples/blocked-locally.json"),
        ),
    ]
    .map(|(code, json)| (code, serde_json::from_str(json).unwrap()))
    .into()
}

fn text(report: &Report, opts: &Options<'_>) -> String {
    let mut out = Vec::new();
    render(report, opts, &mut out).unwrap();
    anstream::adapter::strip_str(&String::from_utf8(out).unwrap()).to_string()
}

/// The "What was checked" line of `host`, its label and padding collapsed to one space.
fn checked_line(out: &str, host: &str) -> String {
    let section = out.split("What was checked\n").nth(1).unwrap_or_default();
    section
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{host}  ")))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn needs_vpn() -> Report {
    examples().remove(2).1
}

#[test]
fn no_line_is_wider_than_the_width_plain_or_verbose() {
    for width in [60, 80, 100] {
        for (code, report) in examples() {
            for verbose in [false, true] {
                let opts = Options {
                    verbose,
                    recap: true,
                    footer: true,
                    source: Some("tickets/4411/report.json"),
                    ..Options::new(width)
                };
                for line in text(&report, &opts).lines() {
                    assert!(
                        line.chars().count() <= width,
                        "{code} at {width} (verbose {verbose}): {line:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn the_verdict_and_first_step_come_first_and_again_last() {
    let report = needs_vpn();
    let opts = Options {
        recap: true,
        ..Options::new(80)
    };
    let out = text(&report, &opts);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("[!!] Connect the HMS VPN"), "{out}");
    assert!(lines[..10].contains(&"What to do"), "{out}");
    let tail = lines[lines.len() - 4..].join("\n");
    assert!(
        tail.contains("Verdict:    Connect the HMS VPN to reach MARS (needs-hms-vpn)"),
        "{tail}"
    );
    let step: String = report.verdict.next_steps[0].chars().take(30).collect();
    assert!(tail.contains(&format!("First step: {step}")), "{tail}");
    let without = text(&report, &Options::new(80));
    assert!(!without.contains("First step:"), "no recap unless asked");
}

#[test]
fn the_footer_only_where_it_helps() {
    let needs = needs_vpn();
    let ok = examples().remove(0).1;
    let footer = |r: &Report, on: bool| {
        let opts = Options {
            footer: on,
            ..Options::new(80)
        };
        text(r, &opts).contains("hmsaccess diagnose --save")
    };
    assert!(footer(&needs, true));
    assert!(!footer(&needs, false), "not when a file was written");
    assert!(!footer(&ok, true), "not on an OK verdict");
}

#[test]
fn technical_words_are_for_verbose() {
    let report = needs_vpn();
    let plain = text(&report, &Options::new(80));
    let checked = plain.split("What was checked").nth(1).unwrap();
    assert_eq!(
        checked_line(&plain, "MARS"),
        "MARS no answer (connecting timed out)"
    );
    for technical in ["tcp:", "1st byte", "Resolver", "Every probe"] {
        assert!(!checked.contains(technical), "{technical} in:\n{checked}");
    }
    let verbose = text(
        &report,
        &Options {
            verbose: true,
            ..Options::new(80)
        },
    );
    for technical in ["tcp:mars:", "1st byte", "Resolver (", "Every probe"] {
        assert!(
            verbose.contains(technical),
            "{technical} missing:\n{verbose}"
        );
    }
}

#[test]
fn a_settled_runs_note_is_for_verbose_and_other_notes_stay() {
    let mut report = examples().remove(0).1;
    assert_eq!(
        report.run_end.as_ref().map(|e| e.reason),
        Some(RunEndReason::Settled)
    );
    report.notes.push("this report was redacted".into());
    let plain = text(&report, &Options::new(80));
    assert!(!plain.contains("certain before"), "{plain}");
    assert!(plain.contains("Note: this report was redacted"), "{plain}");
    assert!(plain.contains("not needed (the verdict was already clear)"));
    let verbose = text(
        &report,
        &Options {
            verbose: true,
            ..Options::new(80)
        },
    );
    assert!(
        verbose.contains("Note: the verdict was certain before"),
        "{verbose}"
    );
}

#[test]
fn a_direct_plain_http_failure_beside_a_proxy_says_it_went_direct() {
    use crate::report::model::ProxyHop;
    let mut report = needs_vpn();
    for p in &mut report.probes {
        if p.kind == ProbeKind::Http {
            p.outcome = Outcome::Timeout;
        }
    }
    let plain = text(&report, &Options::new(80));
    assert!(!plain.contains("not through the proxy"), "{plain}");
    let tcp = report
        .probes
        .iter_mut()
        .find(|p| p.kind == ProbeKind::Tcp && p.role == Some(crate::report::model::Role::Control))
        .unwrap();
    tcp.tcp.as_mut().unwrap().proxy = Some(ProxyHop {
        url: "http://proxy.lan:3128".into(),
        source: "HTTPS_PROXY".into(),
        status: Some(200),
        ..ProxyHop::default()
    });
    let plain = text(&report, &Options::new(80));
    assert!(
        checked_line(&plain, "public HMS site (http)").contains("checked directly, not through"),
        "{plain}"
    );
}

#[test]
fn hosts_that_all_failed_alike_are_one_line() {
    let (_, report) = examples().remove(5);
    let out = text(&report, &Options::new(80));
    let checked: Vec<&str> = out
        .split("What was checked\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with("  "))
        .collect();
    assert_eq!(
        checked,
        ["  every host  name lookup failed (the DNS server failed)"],
        "{out}"
    );
}

#[test]
fn explain_names_the_file_the_system_and_the_tool() {
    let mut report = needs_vpn();
    report.system = Some(crate::report::model::SystemInfo {
        os: "macos".into(),
        os_version: Some("14.5".into()),
        os_name: Some("macOS 14.5 Sonoma".into()),
        arch: "aarch64".into(),
    });
    report.tool.version = "0.9.1".into();
    let opts = Options {
        source: Some("a.json"),
        ..Options::new(80)
    };
    let out = text(&report, &opts);
    assert!(out.starts_with("File: a.json\n"), "{out}");
    assert!(
        out.contains("Written by hmsaccess 0.9.1 on macOS 14.5 Sonoma (aarch64)"),
        "{out}"
    );
}

#[test]
fn unknown_values_are_shown_as_written() {
    let mut report = needs_vpn();
    let mars = report
        .probes
        .iter_mut()
        .find(|p| p.id.starts_with("tcp:mars"))
        .unwrap();
    mars.outcome = Outcome::Error;
    let id = mars.id.clone();
    let mut written = AsWritten {
        verdict_code: Some("proxy-blocked".into()),
        ..AsWritten::default()
    };
    written.outcomes.insert(id.clone(), "filtered".into());
    let opts = Options {
        verbose: true,
        as_written: Some(&written),
        ..Options::new(80)
    };
    let out = text(&report, &opts);
    assert!(
        out.lines().next().unwrap().ends_with("(proxy-blocked)"),
        "{out}"
    );
    assert_eq!(
        checked_line(&out, "MARS"),
        "MARS failed (filtered)",
        "{out}"
    );
    assert!(out.contains(&format!("{id}: filtered")), "{out}");
    assert!(out.contains("Values this hmsaccess does not know"), "{out}");
}

#[test]
fn a_long_path_breaks_after_a_slash_and_stays_whole() {
    let path = "/home/a-person-with-a-long-name/Downloads/tickets/2026/11/hmsaccess-report-20261122T165250Z-2.json";
    let text = wrap_path("File: ", path, 60);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 1, "{text}");
    for l in &lines {
        assert!(l.chars().count() <= 60, "{l:?}");
    }
    assert!(
        lines[0].starts_with("File: /home/") && lines[0].ends_with('/'),
        "{text}"
    );
    assert!(lines[1].starts_with("      "), "{text}");
    let joined: String = lines
        .iter()
        .map(|l| l.get(6..).unwrap_or_default())
        .collect();
    assert_eq!(joined, path);
    let word = "x".repeat(130);
    for l in wrap_path("  ", &word, 60).lines() {
        assert!(l.chars().count() <= 60, "{l:?}");
    }
    assert_eq!(wrap_path("  ", "/tmp/r.json", 60), "  /tmp/r.json");
}

#[test]
fn contract_2_outcomes_and_refusals_are_in_plain_words() {
    use crate::report::model::RedirectKind;
    let mut report = needs_vpn();
    let set = |report: &mut Report, id: &str, outcome: Outcome| {
        let p = report
            .probes
            .iter_mut()
            .find(|p| p.id.starts_with(id))
            .unwrap();
        p.outcome = outcome;
    };
    set(&mut report, "tcp:mars", Outcome::PermissionDenied);
    set(&mut report, "tcp:affiliate", Outcome::ProxyAuthRequired);
    let out = text(&report, &Options::new(80));
    assert_eq!(
        checked_line(&out, "MARS"),
        "MARS this computer refused to send it",
        "{out}"
    );
    assert_eq!(
        checked_line(&out, "affiliate portal"),
        "affiliate portal the proxy asks for a sign-in",
        "{out}"
    );
    // A redirect to the profile's refusal page is a refusal, not an answer.
    let mut report = examples().remove(0).1;
    let https = report
        .probes
        .iter_mut()
        .find(|p| p.id.starts_with("https:mars"))
        .unwrap();
    let http = https.http.as_mut().unwrap();
    http.status = Some(302);
    http.location = Some("https://it.hms.harvard.edu/vpn-now-required".into());
    http.redirect_kind = Some(RedirectKind::Refusal);
    let out = text(&report, &Options::new(80));
    assert_eq!(
        checked_line(&out, "MARS"),
        "MARS refuses this network (sends you to it.hms.harvard.edu)",
        "{out}"
    );
}

#[test]
fn the_three_contract_2_verdicts_ask_for_action() {
    for code in [
        VerdictCode::TlsIntercepted,
        VerdictCode::ClockWrong,
        VerdictCode::BlockedLocally,
    ] {
        assert_eq!(severity(code).1, "!!", "{code:?}");
    }
    assert_eq!(severity(VerdictCode::Offline).1, "XX");
}

/// The line just above "What was checked": the way to MARS.
fn way_line(out: &str) -> &str {
    let lines: Vec<&str> = out.lines().collect();
    let at = lines.iter().position(|l| *l == "What was checked").unwrap();
    assert_eq!(lines[at - 1], "", "{out}");
    lines[at - 2]
}

#[test]
fn the_way_to_mars_is_one_line_above_what_was_checked_at_every_width() {
    for (code, report) in examples() {
        for width in 40..=120 {
            for charset in [Charset::Unicode, Charset::Ascii] {
                let opts = Options {
                    charset,
                    ..Options::new(width)
                };
                let out = text(&report, &opts);
                let line = way_line(&out);
                assert!(
                    line.chars().count() <= width && line.starts_with("  "),
                    "{code} at {width}: {line:?}"
                );
                let from = line
                    .trim_start()
                    .trim_start_matches(['✗', 'x'])
                    .trim_start();
                assert!(
                    from.starts_with("This computer ") || from.starts_with("computer "),
                    "{code} at {width}: {line:?}"
                );
                assert!(
                    line.ends_with("MARS") || line.ends_with("portal"),
                    "{code} at {width}: {line:?}"
                );
                let marked = line.contains('✗') || line.contains(" x ") || line.starts_with("  x ");
                assert_eq!(
                    marked,
                    !report.verdict.code.is_success(),
                    "{code} at {width}: {line:?}"
                );
            }
        }
    }
}

#[test]
fn the_way_in_the_examples() {
    let at80 = |i: usize| way_line(&text(&examples().remove(i).1, &Options::new(80))).to_owned();
    assert_eq!(
        at80(0),
        "  This computer ─ HMS network ─ MARS",
        "hms-vpn, loopback"
    );
    assert_eq!(
        at80(1),
        "  This computer ─ hospital network ─ affiliate portal"
    );
    assert_eq!(
        at80(2),
        "  This computer ─ internet ✗ MARS",
        "needs-hms-vpn"
    );
    assert_eq!(
        at80(6),
        "  This computer ✗ internet ─ MARS",
        "offline: nothing answers"
    );
    assert_eq!(
        at80(5),
        "  This computer ✗ names (DNS) ─ internet ─ MARS",
        "dns-failure"
    );
}

#[test]
fn the_hms_vpn_is_not_named_twice() {
    let (_, mut report) = examples().remove(7);
    assert_eq!(report.verdict.code, VerdictCode::MarsUnreachable);
    let vpn = &mut report.vpns[0];
    vpn.network = Some("HMS VPN".into());
    vpn.gateway = Some("vpn.hms.harvard.edu".into());
    let out = text(&report, &Options::new(80));
    assert!(!out.contains("HMS VPN (HMS VPN)"), "{out}");
    assert!(out.contains("HMS VPN (to vpn.hms.harvard.edu)"), "{out}");
}

/// A certificate refused for its dates is put down to "this clock" only where the clock is in
/// doubt: not when other secure connections verified against it (lab 47, mars-certificate).
#[test]
fn an_expired_certificate_blames_the_clock_only_when_it_is_in_doubt() {
    let read = |json: &str| -> Report { serde_json::from_str(json).unwrap() };
    let out = text(
        &read(include_str!("../../../docs/examples/mars-certificate.json")),
        &Options::new(80),
    );
    assert_eq!(
        checked_line(&out, "MARS"),
        "MARS its certificate has expired",
        "{out}"
    );
    let out = text(
        &read(include_str!("../../../docs/examples/clock-ahead.json")),
        &Options::new(80),
    );
    assert!(out.contains("(or this clock is wrong)"), "{out}");
}
