//! Causes (contract 3, issue 19): a synthetic run per row of the contract's table, the party
//! who acts, a first step that fits the cause, summaries that state the deciding fact, and no
//! blank in any step whatever VPNs are up.

use super::tests_worlds::{route, world_for};
use super::*;
use crate::report::model::{Acts, Cause, VpnRole};

/// The contract's table: cause, verdict, who acts.
const CONTRACT: [(&str, &str, &str); 27] = [
    ("via-hms-vpn", "hms-vpn", "you"),
    ("on-hms-network", "hms-vpn", "you"),
    ("via-hospital-vpn", "inside-lma", "you"),
    ("on-lma-network", "inside-lma", "you"),
    ("no-vpn", "needs-hms-vpn", "you"),
    ("no-hms-client", "needs-hms-vpn", "service-desk"),
    ("other-vpn", "needs-hms-vpn", "you"),
    ("other-vpn-takes-mars", "conflicting-vpns", "you"),
    ("vpns-up", "conflicting-vpns", "you"),
    ("no-connection", "offline", "you"),
    ("nothing-answers", "offline", "network"),
    ("proxy-down", "offline", "you"),
    ("resolvers-fail", "dns-failure", "network"),
    ("login-page", "captive-portal", "you"),
    ("tunnel-dead", "mars-unreachable", "you"),
    ("route-taken", "mars-unreachable", "you"),
    ("handshake-stalls", "mars-unreachable", "network"),
    ("access-refused", "mars-unreachable", "service-desk"),
    ("mars-down", "mars-unreachable", "hms-it"),
    ("mars-certificate", "mars-unreachable", "hms-it"),
    ("mars-silent", "mars-unreachable", "service-desk"),
    ("untrusted-issuer", "tls-intercepted", "you"),
    ("clock-behind", "clock-wrong", "you"),
    ("clock-ahead", "clock-wrong", "you"),
    ("permission-denied", "blocked-locally", "you"),
    ("cut-short", "inconclusive", "you"),
    ("unexplained", "inconclusive", "service-desk"),
];

/// What the first step must say for each cause (lower case), addressed to whoever acts.
fn first_step_says(cause: Cause) -> &'static [&'static str] {
    match cause {
        Cause::ViaHmsVpn | Cause::OnHmsNetwork => &["open https://mars.med.harvard.edu"],
        Cause::ViaHospitalVpn | Cause::OnLmaNetwork => {
            &["open https://affiliate-apps.hms.harvard.edu"]
        }
        Cause::NoVpn => &["open globalprotect and connect to vpn.hms.harvard.edu"],
        Cause::NoHmsClient => &["ask the hms it service desk", "vpn account"],
        Cause::OtherVpn => &["disconnect the harvard university vpn"],
        Cause::OtherVpnTakesMars | Cause::VpnsUp => &[
            "disconnect cisco anyconnect;",
            "keep the hms vpn (globalprotect) connected.",
        ],
        Cause::NoConnection => &["connect to wi-fi or plug in a network cable"],
        Cause::NothingAnswers | Cause::HandshakeStalls => &["try another network"],
        Cause::ProxyDown => &[
            "check the proxy setting http://proxy.lan:3128 in the https_proxy environment variable",
            "turn it off",
            "tell whoever runs the proxy",
        ],
        Cause::ResolversFail => &["try another network", "restart the router"],
        Cause::LoginPage => &["sign in to the wi-fi"],
        Cause::TunnelDead => &["in globalprotect, disconnect, then connect"],
        Cause::RouteTaken => &[
            "quit or reconnect the vpn app that made tun7, or restart the computer",
            "instead of into the hms vpn",
        ],
        Cause::AccessRefused => &["ask the hms it service desk", "mars access"],
        Cause::MarsDown => &["nothing to change here", "try mars again later"],
        Cause::MarsCertificate => &[
            "nothing to change here",
            "certificate expired on 2026-11-10",
        ],
        Cause::MarsSilent | Cause::Unexplained => &["send the report to the hms it service desk"],
        Cause::UntrustedIssuer => &[
            "\"acme web shield root\"",
            "security software on this computer, turn off its https scanning",
            "use another network (a phone's hotspot, for example) for the hms vpn",
        ],
        Cause::ClockBehind | Cause::ClockAhead => &["set the clock automatically"],
        Cause::PermissionDenied => &["vpn app", "blocks traffic"],
        Cause::CutShort => &["run hmsaccess diagnose again without --timeout"],
    }
}

/// The deciding fact each summary states, when the cause has one.
fn summary_says(cause: Cause) -> &'static [&'static str] {
    match cause {
        Cause::ClockBehind => &["400 days behind"],
        Cause::ClockAhead => &["400 days ahead"],
        Cause::UntrustedIssuer => &["\"Acme Web Shield Root\" (Acme Inc)"],
        Cause::TunnelDead => &["720 bytes"],
        Cause::MarsDown => &["HTTP 503"],
        Cause::AccessRefused => &["HTTP 403"],
        Cause::MarsCertificate => &["expired on 2026-11-10"],
        Cause::ProxyDown => &["http://proxy.lan:3128", "HTTPS_PROXY"],
        Cause::HandshakeStalls => &["3 seconds", "MTU"],
        Cause::OtherVpn => &["Harvard University VPN"],
        Cause::OtherVpnTakesMars => &["Cisco AnyConnect"],
        Cause::RouteTaken => &["tun7"],
        Cause::NoHmsClient => &["no HMS VPN app is installed"],
        _ => &[],
    }
}

#[test]
fn the_contract_table_is_the_model() {
    assert_eq!(CONTRACT.len(), Cause::ALL.len());
    for (cause, (name, verdict, acts)) in Cause::ALL.into_iter().zip(CONTRACT) {
        assert_eq!(cause.as_str(), name);
        assert_eq!(cause.verdict().as_str(), verdict, "{cause}");
        assert_eq!(cause.acts().as_str(), acts, "{cause}");
    }
}

#[test]
fn every_cause_is_decided_in_its_own_situation() {
    for cause in Cause::ALL {
        let v = world_for(cause).verdict();
        assert_eq!(v.code, cause.verdict(), "{cause}: {:#?}", v.evidence);
        assert_eq!(v.cause, Some(cause), "{cause}: {:#?}", v.evidence);
        assert_eq!(v.acts, Some(cause.acts()), "{cause}");
    }
}

#[test]
fn the_first_step_is_the_one_the_cause_calls_for() {
    for cause in Cause::ALL {
        let v = world_for(cause).verdict();
        let first = v.next_steps[0].to_lowercase();
        for needle in first_step_says(cause) {
            assert!(
                first.contains(needle),
                "{cause}: {needle:?} not in {first:?}"
            );
        }
        // Addressed to whoever acts: the desk's causes send people to it, HMS IT's say that
        // nothing here needs changing.
        match cause.acts() {
            Acts::ServiceDesk => assert!(first.contains("service desk"), "{cause}: {first}"),
            Acts::HmsIt => assert!(first.starts_with("nothing to change here"), "{cause}"),
            Acts::Network => assert!(
                first.contains("another network") || first.contains("router"),
                "{cause}: {first}"
            ),
            Acts::You => assert!(!first.contains("service desk"), "{cause}: {first}"),
        }
    }
}

#[test]
fn summaries_state_the_deciding_fact() {
    for cause in Cause::ALL {
        let v = world_for(cause).verdict();
        for needle in summary_says(cause) {
            assert!(
                v.summary.contains(needle),
                "{cause}: {needle:?} not in {:?}",
                v.summary
            );
        }
        assert!(
            !v.summary.to_lowercase().contains("the evidence"),
            "{cause}: {}",
            v.summary
        );
    }
}

#[test]
fn each_cause_fills_its_own_placeholders() {
    for cause in Cause::ALL {
        let w = world_for(cause);
        w.with_facts(|f| {
            let decided = causes::decide(f, cause.verdict());
            assert_eq!(decided.cause, cause);
            let values = fill::values(f, &decided);
            for name in crate::profile::fills(cause)
                .iter()
                .chain(&crate::profile::EVERY_CAUSE)
            {
                let value = values.get(name).map(String::as_str).unwrap_or_default();
                assert!(!value.trim().is_empty(), "{cause}: {{{name}}} is blank");
            }
        });
    }
}

/// The VPN situations laid over every cause's run.
fn vpn_situations() -> Vec<(&'static str, Vec<Vpn>)> {
    let vpn = |interface: &str, role, client: Option<&str>, network: Option<&str>| Vpn {
        interface: interface.into(),
        client: client.map(Into::into),
        role,
        gateway: None,
        network: network.map(Into::into),
        evidence: vec![],
    };
    vec![
        ("none", vec![]),
        (
            "hms",
            vec![vpn("utun4", VpnRole::Hms, Some("GlobalProtect"), None)],
        ),
        ("hms, no app", vec![vpn("tun0", VpnRole::Hms, None, None)]),
        (
            "openconnect",
            vec![vpn("tun0", VpnRole::Hms, Some("openconnect"), None)],
        ),
        (
            "other",
            vec![vpn(
                "utun6",
                VpnRole::Unknown,
                Some("Cisco AnyConnect"),
                None,
            )],
        ),
        (
            "hms and corporate",
            vec![
                vpn("tun0", VpnRole::Hms, Some("openconnect"), None),
                vpn("tun1", VpnRole::Unknown, None, None),
            ],
        ),
        (
            "two taken for hms",
            vec![
                vpn("tun0", VpnRole::Hms, Some("OpenVPN"), None),
                vpn("tun1", VpnRole::Hms, Some("OpenVPN"), None),
            ],
        ),
        (
            "hospital and harvard",
            vec![
                vpn(
                    "wg0",
                    VpnRole::Affiliate,
                    None,
                    Some("Mass General Brigham VPN"),
                ),
                vpn(
                    "utun5",
                    VpnRole::Hms,
                    Some("Cisco AnyConnect"),
                    Some("Harvard University VPN"),
                ),
            ],
        ),
    ]
}

/// A blank where a name should be, or a placeholder left unfilled.
fn blank(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    [
        ", ,",
        "disconnect ,",
        "disconnect ;",
        "disconnect :",
        "disconnect .",
        "()",
        "{",
        "}",
        "  ",
        " ,",
        " .",
        " ;",
        "hms vpn (hms vpn)",
        "open openconnect",
        "(the hms vpn) (the hms vpn)",
    ]
    .into_iter()
    .find(|bad| lower.contains(bad))
}

#[test]
fn no_step_has_a_blank_whatever_vpns_are_up() {
    let mut seen = std::collections::BTreeSet::new();
    for cause in Cause::ALL {
        for (situation, vpns) in vpn_situations() {
            let mut w = world_for(cause);
            w.vpns.extend(vpns);
            for route_into in [None, Some("tun1")] {
                if let Some(iface) = route_into {
                    route(&mut w, "mars", iface);
                }
                let v = w.verdict();
                seen.insert(v.cause.unwrap());
                let texts = [&v.title, &v.summary]
                    .into_iter()
                    .chain(&v.next_steps)
                    .chain(&v.evidence)
                    .chain(&v.warnings);
                // No line says another's words again ("A." then "A. B.").
                for (i, a) in v.evidence.iter().enumerate() {
                    for b in &v.evidence[i + 1..] {
                        assert!(
                            !b.starts_with(a.as_str()) && !a.starts_with(b.as_str()),
                            "{cause} + {situation}: {a:?} and {b:?}"
                        );
                    }
                }
                for text in texts {
                    assert!(
                        !text.trim().is_empty(),
                        "{cause} + {situation}: an empty line"
                    );
                    if let Some(bad) = blank(text) {
                        panic!("{cause} + {situation} ({:?}): {bad:?} in {text:?}", v.cause);
                    }
                }
            }
        }
    }
    assert_eq!(
        seen.len(),
        Cause::ALL.len(),
        "causes never reached: {seen:?}"
    );
}

#[test]
fn only_a_dead_tunnel_is_told_to_reconnect_and_what_works_is_left_alone() {
    for cause in Cause::ALL {
        let v = world_for(cause).verdict();
        let steps = v.next_steps.join(" ").to_lowercase();
        let reconnects = [
            "disconnect, then connect",
            "connect it again",
            "run it again",
        ]
        .iter()
        .any(|s| steps.contains(s));
        assert_eq!(reconnects, cause == Cause::TunnelDead, "{cause}: {steps}");
        // Access that works, and failures on HMS's or the desk's side: nothing to disconnect.
        let leave_alone =
            cause.verdict().is_success() || matches!(cause.acts(), Acts::HmsIt | Acts::ServiceDesk);
        if leave_alone {
            assert!(!steps.contains("disconnect"), "{cause}: {steps}");
        }
    }
}

/// MARS silent through the HMS VPN whose own tunnel carries MARS's route (lab 38, 41): the
/// route is where it should be, so it is not "taken" by another tunnel.
#[test]
fn mars_routed_into_the_hms_tunnel_is_not_route_taken() {
    let mut w = world_for(Cause::MarsSilent);
    route(&mut w, "mars", "utun4");
    w.interfaces.push(crate::report::model::Interface {
        name: "utun4".into(),
        description: None,
        kind: crate::report::model::InterfaceKind::Tunnel,
        up: true,
        point_to_point: true,
        addresses: vec!["10.9.0.2/24".into()],
        default_route: false,
    });
    assert_eq!(w.vpns[0].interface, "utun4", "the HMS VPN's own tunnel");
    let v = w.verdict();
    assert_eq!(v.cause, Some(Cause::MarsSilent), "{:#?}", v.evidence);
}

/// A 403 through the HMS VPN is about the account (access-refused): no line of the verdict may
/// blame the network, as "MARS refused this network" did beside "the refusal is about your
/// access, not your network" (lab 42).
#[test]
fn a_refusal_through_the_hms_vpn_never_blames_the_network() {
    let v = world_for(Cause::AccessRefused).verdict();
    assert_eq!(v.cause, Some(Cause::AccessRefused));
    for line in std::iter::once(&v.summary).chain(&v.evidence) {
        assert!(!line.contains("this network"), "{line}");
    }
    assert!(
        v.evidence.iter().any(|l| l.contains("HTTP 403")),
        "{:#?}",
        v.evidence
    );
}

/// route-taken's other tunnel is one no VPN was found for (two VPNs would be conflicting-vpns,
/// lab 52): its summary speaks of that tunnel, never of "two VPNs".
#[test]
fn route_taken_does_not_speak_of_two_vpns() {
    let v = world_for(Cause::RouteTaken).verdict();
    assert_eq!(v.cause, Some(Cause::RouteTaken));
    assert!(v.summary.contains("tun7"), "{}", v.summary);
    assert!(
        !v.summary.to_lowercase().contains("two vpns"),
        "{}",
        v.summary
    );
}

/// A VPN of a known network has one name in every line, network first (`the Harvard
/// University VPN (Cisco AnyConnect)`), in full once and shorter after (issue 19 part 4).
#[test]
fn a_vpn_has_one_name_and_is_named_in_full_once() {
    for cause in [Cause::OtherVpn, Cause::OtherVpnTakesMars, Cause::VpnsUp] {
        let mut w = world_for(cause);
        for v in w.vpns.iter_mut().filter(|v| v.role == VpnRole::Unknown) {
            v.network = Some("Harvard University VPN".into());
        }
        let v = w.verdict();
        let all: Vec<&String> = [&v.title, &v.summary]
            .into_iter()
            .chain(&v.next_steps)
            .chain(&v.evidence)
            .chain(&v.warnings)
            .collect();
        let text = all
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        assert!(!text.contains("connected to Harvard"), "{cause}: {text}");
        assert_eq!(
            text.matches("Harvard University VPN (Cisco AnyConnect)")
                .count(),
            1,
            "{cause}: {text}"
        );
        assert!(
            v.next_steps[0].contains("the Harvard University VPN"),
            "{cause}: {:?}",
            v.next_steps[0]
        );
    }
}

/// Two VPNs and neither is the HMS VPN: the step disconnects both, by name, and then connects
/// the HMS VPN with the app that is installed; with the HMS VPN up it is kept. A step says only
/// what is true ("or connect it … if it is not" is gone).
#[test]
fn with_no_hms_tunnel_the_step_connects_it_and_with_one_it_keeps_it() {
    for cause in [Cause::VpnsUp, Cause::OtherVpnTakesMars] {
        let kept = world_for(cause).verdict();
        let first = &kept.next_steps[0];
        assert!(
            first.contains("keep the HMS VPN (GlobalProtect) connected."),
            "{cause}: {first}"
        );
        assert!(!first.contains("if it is not"), "{cause}: {first}");
        let mut w = world_for(cause);
        w.vpns.retain(|v| v.role != VpnRole::Hms);
        let other = w.vpn("tun1", VpnRole::Unknown);
        other.client = Some("OpenVPN".into());
        other.network = Some("Harvard University VPN".into());
        w.installed = Some(vec!["openconnect".into()]);
        if cause == Cause::OtherVpnTakesMars {
            route(&mut w, "mars", "tun1");
        }
        let v = w.verdict();
        assert_eq!(v.cause, Some(cause), "{:#?}", v.evidence);
        let first = &v.next_steps[0];
        assert!(first.starts_with("Disconnect "), "{cause}: {first}");
        assert!(first.contains("Harvard University VPN"), "{cause}: {first}");
        if cause == Cause::VpnsUp {
            assert!(
                first.contains("Cisco AnyConnect and the Harvard University VPN"),
                "{first}"
            );
        }
        assert!(
            first.contains("then connect the HMS VPN. In a terminal, run: sudo openconnect"),
            "{cause}: {first}"
        );
        assert!(!first.contains("keep"), "{cause}: {first}");
    }
}

/// Another VPN takes MARS's route beside the HMS VPN: the summary says whose traffic it takes
/// (the tool knows), and "Why" does not say again what its first lines say (the HMS VPN among
/// the VPNs up, MARS silent).
#[test]
fn a_vpn_that_takes_mars_is_said_once_and_precisely() {
    let v = world_for(Cause::OtherVpnTakesMars).verdict();
    assert!(
        v.summary
            .contains("takes MARS's traffic, so MARS does not answer"),
        "{}",
        v.summary
    );
    assert!(
        !v.summary.contains("or the affiliate portal"),
        "{}",
        v.summary
    );
    assert!(
        v.evidence.iter().any(|l| l.starts_with("Neither MARS nor")),
        "{:#?}",
        v.evidence
    );
    for line in &v.evidence {
        assert!(
            !line.starts_with("The HMS VPN is connected"),
            "{:#?}",
            v.evidence
        );
        assert!(
            !line.starts_with("MARS did not answer"),
            "{:#?}",
            v.evidence
        );
    }
}

/// The issuer may be this computer's security software or the network's: the first step names
/// it and says what to do in both readings, shortly; the list of products comes later.
#[test]
fn the_untrusted_issuer_step_is_short_and_fits_both_readings() {
    let v = world_for(Cause::UntrustedIssuer).verdict();
    let first = &v.next_steps[0];
    assert!(first.starts_with("\"Acme Web Shield Root\""), "{first}");
    assert!(!first.contains("Avast"), "{first}");
    assert!(first.len() < 300, "{} characters: {first}", first.len());
    assert!(v.next_steps[1].contains("Avast"), "{:#?}", v.next_steps);
}

/// A tunnel device no VPN holds takes MARS's route (lab 52): the title does not call it another
/// VPN, and no step tells a person to disconnect it (no app holds it to disconnect).
#[test]
fn a_tunnel_no_vpn_holds_is_quit_reconnected_or_restarted_away() {
    let v = world_for(Cause::RouteTaken).verdict();
    assert!(!v.title.contains("another VPN"), "{}", v.title);
    let steps = v.next_steps.join(" ").to_lowercase();
    assert!(!steps.contains("disconnect"), "{steps}");
    assert!(
        v.evidence
            .iter()
            .any(|l| l.contains("tun7, a tunnel no connected VPN holds")),
        "{:#?}",
        v.evidence
    );
}

/// MARS's own certificate expired: "Why" says so once, with the date, not twice.
#[test]
fn an_expired_mars_certificate_is_said_once() {
    let v = world_for(Cause::MarsCertificate).verdict();
    let expired: Vec<&String> = v
        .evidence
        .iter()
        .filter(|l| l.contains("expired"))
        .collect();
    assert_eq!(expired.len(), 1, "{:#?}", v.evidence);
    assert!(expired[0].contains("2026-11-10"), "{expired:?}");
}

/// MARS failing on its side: the words say so once, not in the title, summary and first step
/// alike, and the first step says what to do.
#[test]
fn mars_down_says_it_once_and_what_to_do() {
    let v = world_for(Cause::MarsDown).verdict();
    let words = [&v.title, &v.summary]
        .into_iter()
        .chain(&v.next_steps)
        .map(|s| s.to_lowercase())
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(words.matches("itself is failing").count(), 1, "{words}");
    assert!(
        v.next_steps[0].contains("again later"),
        "{}",
        v.next_steps[0]
    );
}

/// A run cut short: "Why" says what cut it, and no note says it again.
#[test]
fn a_run_cut_short_is_said_once() {
    let v = world_for(Cause::CutShort).verdict();
    assert!(
        v.evidence
            .iter()
            .any(|l| l.contains("cut short by --timeout")),
        "{:#?}",
        v.evidence
    );
    assert!(
        !v.warnings.iter().any(|l| l.contains("cut short")),
        "{:#?}",
        v.warnings
    );
}

/// A dead proxy: "Why" says once that it does not answer.
#[test]
fn a_dead_proxy_is_said_once() {
    let v = world_for(Cause::ProxyDown).verdict();
    let lines: Vec<&String> = v
        .evidence
        .iter()
        .filter(|l| l.contains("http://proxy.lan:3128"))
        .collect();
    assert_eq!(lines.len(), 1, "{:#?}", v.evidence);
}
