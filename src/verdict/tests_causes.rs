//! Causes (contract 3, issue 19): a synthetic run per row of the contract's table, the party
//! who acts, a first step that fits the cause, summaries that state the deciding fact, and no
//! blank in any step whatever VPNs are up.

use super::tests::{FOUR_HUNDRED_DAYS, World, make};
use super::*;
use crate::report::model::{
    Acts, Cause, CertInfo, HttpData, Outcome, ProxyHop, RouteData, RunEndReason, TcpData, TlsData,
    VpnRole,
};

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

/// A world where the internet works and the portal is silent; MARS is up to the caller.
fn outside() -> World {
    let mut w = World::new();
    w.answers("control", 200);
    w.answers("gateway", 200);
    w.silent("affiliate");
    w
}

/// The same, with the HMS VPN connected (GlobalProtect on utun4).
fn through_hms_vpn() -> World {
    let mut w = outside();
    w.vpn("utun4", VpnRole::Hms).client = Some("GlobalProtect".into());
    w
}

/// `role`'s route goes out of `interface`.
fn route(w: &mut World, target: &str, interface: &str) {
    w.set(&format!("route:{target}"), Outcome::Ok).route = Some(RouteData {
        destination: "198.18.20.5".into(),
        local_address: Some("10.9.0.2".into()),
        interface: Some(interface.into()),
    });
}

/// A proxy (set by HTTPS_PROXY) that cannot be reached stops `target`'s secure connection.
fn proxy_unreachable(w: &mut World, target: &str) {
    w.set(&format!("dns:{target}"), Outcome::Ok);
    w.set(&format!("tcp:{target}:443"), Outcome::ProxyRefused)
        .tcp = Some(TcpData {
        proxy: Some(ProxyHop {
            url: "http://proxy.lan:3128".into(),
            source: "HTTPS_PROXY".into(),
            ..ProxyHop::default()
        }),
        ..TcpData::default()
    });
    w.unrun(&[format!("tls:{target}:443"), format!("https:{target}:443")]);
}

/// A run in which `cause` holds, and nothing more specific.
fn world_for(cause: Cause) -> World {
    let mut w = World::new();
    match cause {
        Cause::ViaHmsVpn => {
            w = through_hms_vpn();
            w.answers("mars", 200);
        }
        Cause::OnHmsNetwork => {
            w = outside();
            w.answers("mars", 200);
        }
        Cause::ViaHospitalVpn | Cause::OnLmaNetwork => {
            w.answers("control", 200);
            w.silent("mars");
            w.answers("affiliate", 200);
            if cause == Cause::ViaHospitalVpn {
                w.vpn("wg0", VpnRole::Affiliate).client = Some("WireGuard".into());
            }
        }
        Cause::NoVpn => make(&mut w, VerdictCode::NeedsHmsVpn),
        Cause::NoHmsClient => {
            make(&mut w, VerdictCode::NeedsHmsVpn);
            w.installed = Some(vec!["Cisco AnyConnect".into()]);
        }
        Cause::OtherVpn => {
            make(&mut w, VerdictCode::NeedsHmsVpn);
            let v = w.vpn("utun5", VpnRole::Unknown);
            v.client = Some("Cisco AnyConnect".into());
            v.network = Some("Harvard University VPN".into());
        }
        Cause::OtherVpnTakesMars | Cause::VpnsUp => {
            w = through_hms_vpn();
            w.silent("mars");
            w.vpn("utun6", VpnRole::Unknown).client = Some("Cisco AnyConnect".into());
            if cause == Cause::OtherVpnTakesMars {
                route(&mut w, "mars", "utun6");
            }
        }
        Cause::NoConnection => make(&mut w, VerdictCode::Offline),
        Cause::NothingAnswers => {
            for t in ["mars", "affiliate", "gateway", "control"] {
                w.set(&format!("dns:{t}"), Outcome::Ok);
                w.set(&format!("tcp:{t}:443"), Outcome::Timeout).duration_ms = Some(3000);
            }
        }
        Cause::ProxyDown => {
            for t in ["mars", "affiliate", "gateway", "control"] {
                proxy_unreachable(&mut w, t);
            }
            // Plain web goes direct and answers: the network works, the proxy does not.
            w.set("tcp:control:80", Outcome::Ok);
            w.set("http:control:80", Outcome::Ok).http = Some(HttpData {
                status: Some(301),
                ..HttpData::default()
            });
        }
        Cause::ResolversFail => make(&mut w, VerdictCode::DnsFailure),
        Cause::LoginPage => make(&mut w, VerdictCode::CaptivePortal),
        Cause::TunnelDead => {
            w = through_hms_vpn();
            w.silent("mars");
            w.traffic = Some(vec![TunnelTraffic {
                interface: "utun4".into(),
                sent_bytes: 720,
                received_bytes: 0,
                interval_ms: 1500,
            }]);
        }
        Cause::RouteTaken => {
            w = through_hms_vpn();
            w.silent("mars");
            route(&mut w, "mars", "tun7");
            w.interfaces.push(Interface {
                name: "tun7".into(),
                description: None,
                kind: "tunnel".into(),
                up: true,
                point_to_point: true,
                addresses: vec!["10.9.0.2/24".into()],
                default_route: false,
            });
        }
        Cause::HandshakeStalls => {
            w = through_hms_vpn();
            w.set("dns:mars", Outcome::Ok);
            w.set("tcp:mars:443", Outcome::Ok);
            w.set("tls:mars:443", Outcome::Timeout).duration_ms = Some(3000);
            w.unrun(&["https:mars:443".into()]);
        }
        Cause::AccessRefused => {
            w = through_hms_vpn();
            w.answers("mars", 403);
        }
        Cause::MarsDown => {
            w = through_hms_vpn();
            w.answers("mars", 503);
        }
        Cause::MarsCertificate => {
            w = through_hms_vpn();
            w.set("tls:control:443", Outcome::Ok);
            w.set("dns:mars", Outcome::Ok);
            w.set("tcp:mars:443", Outcome::Ok);
            w.set("tls:mars:443", Outcome::TlsExpired).tls = Some(TlsData {
                server_name: "mars.med.harvard.edu".into(),
                chain_length: 2,
                leaf: Some(CertInfo {
                    subject: "CN=mars.med.harvard.edu".into(),
                    issuer: "CN=InCommon RSA Server CA".into(),
                    san: vec!["mars.med.harvard.edu".into()],
                    not_before: "2025-11-10T00:00:00Z".into(),
                    not_after: "2026-11-10T00:00:00Z".into(),
                }),
                ..TlsData::default()
            });
            w.unrun(&["https:mars:443".into()]);
        }
        Cause::MarsSilent => make(&mut w, VerdictCode::MarsUnreachable),
        Cause::UntrustedIssuer => {
            make(&mut w, VerdictCode::TlsIntercepted);
            w.silent("mars");
            w.silent("affiliate");
        }
        Cause::ClockBehind => make(&mut w, VerdictCode::ClockWrong),
        Cause::ClockAhead => {
            w.set("dns:control", Outcome::Ok);
            w.set("tcp:control:80", Outcome::Ok);
            w.set("http:control:80", Outcome::Ok).http = Some(HttpData {
                status: Some(301),
                clock_skew_s: Some(-FOUR_HUNDRED_DAYS),
                ..HttpData::default()
            });
            w.set("dns:gateway", Outcome::Ok);
            w.set("tcp:gateway:443", Outcome::Ok);
            w.set("tls:gateway:443", Outcome::TlsExpired);
        }
        Cause::PermissionDenied => make(&mut w, VerdictCode::BlockedLocally),
        Cause::CutShort => {
            w.answers("control", 200);
            for t in ["mars", "affiliate"] {
                w.set(&format!("dns:{t}"), Outcome::Ok);
                w.set(&format!("tcp:{t}:443"), Outcome::Timeout).duration_ms = Some(230);
            }
            w.duration_ms = 300;
            w.cut(
                RunEndReason::Deadline,
                &["tcp:mars:443", "tcp:affiliate:443"],
                1_510,
            );
        }
        Cause::Unexplained => make(&mut w, VerdictCode::Inconclusive),
    }
    w
}

/// What the first step must say for each cause (lower case), addressed to whoever acts.
fn first_step_says(cause: Cause) -> &'static [&'static str] {
    match cause {
        Cause::ViaHmsVpn | Cause::OnHmsNetwork => &["open https://mars.med.harvard.edu"],
        Cause::ViaHospitalVpn | Cause::OnLmaNetwork => {
            &["open https://affiliate-apps.hms.harvard.edu"]
        }
        Cause::NoVpn => &["open globalprotect and connect to vpn.hms.harvard.edu"],
        Cause::NoHmsClient => &["ask the hms it service desk", "vpn account"],
        Cause::OtherVpn => &["disconnect cisco anyconnect (connected to harvard university vpn)"],
        Cause::OtherVpnTakesMars => &["disconnect cisco anyconnect;", "keep the hms vpn"],
        Cause::VpnsUp => &["disconnect cisco anyconnect;", "keep only the hms vpn"],
        Cause::NoConnection => &["connect to wi-fi or plug in a network cable"],
        Cause::NothingAnswers | Cause::HandshakeStalls => &["try another network"],
        Cause::ProxyDown => &[
            "fix or remove the proxy setting http://proxy.lan:3128",
            "https_proxy environment variable",
        ],
        Cause::ResolversFail => &["try another network", "restart the router"],
        Cause::LoginPage => &["sign in to the wi-fi"],
        Cause::TunnelDead => &["in globalprotect, disconnect, then connect"],
        Cause::RouteTaken => &["disconnect the vpn that owns the network interface tun7"],
        Cause::AccessRefused => &["ask the hms it service desk", "mars access"],
        Cause::MarsDown => &["nothing to change here", "mars itself is failing"],
        Cause::MarsCertificate => &[
            "nothing to change here",
            "certificate expired on 2026-11-10",
        ],
        Cause::MarsSilent | Cause::Unexplained => &["send the report to the hms it service desk"],
        Cause::UntrustedIssuer => &["\"acme web shield root\"", "turn off its scanning"],
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

#[test]
fn a_command_line_client_is_run_from_a_terminal() {
    let mut w = world_for(Cause::NoVpn);
    w.installed = Some(vec!["openconnect".into()]);
    let v = w.verdict();
    assert!(
        v.next_steps[0]
            .starts_with("In a terminal, run: sudo openconnect --protocol=gp vpn.hms.harvard.edu"),
        "{:#?}",
        v.next_steps
    );
    w.installed = Some(vec!["Pulse Secure".into(), "openconnect".into()]);
    assert!(
        w.verdict().next_steps[0]
            .starts_with("Open Pulse Secure and connect to vpn.hms.harvard.edu")
    );
}

#[test]
fn no_hms_client_needs_the_check_to_have_run() {
    let mut w = world_for(Cause::NoVpn);
    for (installed, cause) in [
        (None, Cause::NoVpn),
        (Some(vec![]), Cause::NoHmsClient),
        (
            Some(vec!["Cisco AnyConnect".to_owned()]),
            Cause::NoHmsClient,
        ),
        (Some(vec!["GlobalProtect".to_owned()]), Cause::NoVpn),
    ] {
        w.installed = installed.clone();
        assert_eq!(w.verdict().cause, Some(cause), "{installed:?}");
    }
}

#[test]
fn a_dead_proxy_is_proxy_down_and_never_a_timeout_that_was_not_given() {
    let v = world_for(Cause::ProxyDown).verdict();
    assert_eq!(v.cause, Some(Cause::ProxyDown), "{:#?}", v.evidence);
    let all = [v.next_steps.clone(), v.warnings.clone(), v.evidence.clone()].concat();
    assert!(!all.iter().any(|l| l.contains("--timeout")), "{all:#?}");
    // A run that the default 10-second bound cut never mentions --timeout either.
    let mut w = world_for(Cause::CutShort);
    w.run_end.as_mut().unwrap().budget_ms = crate::report::labels::DEFAULT_BUDGET_MS;
    let v = w.verdict();
    assert_eq!(v.cause, Some(Cause::CutShort));
    let all = [v.next_steps.clone(), v.warnings.clone()].concat();
    assert!(!all.iter().any(|l| l.contains("--timeout")), "{all:#?}");
    assert!(
        v.warnings
            .iter()
            .any(|l| l.contains("by its 10-second limit")),
        "{:#?}",
        v.warnings
    );
    // Cut by --timeout, the warning says so; the step tells how long a full run takes.
    let v = world_for(Cause::CutShort).verdict();
    assert!(
        v.warnings
            .iter()
            .any(|l| l.contains("cut short by --timeout"))
    );
    assert!(
        v.next_steps[0].contains("about 2 seconds"),
        "{:#?}",
        v.next_steps
    );
}

#[test]
fn a_losing_finding_is_kept_where_it_matters() {
    // Two VPNs and a dead HMS tunnel: conflicting-vpns wins, the dead tunnel is evidence.
    let mut w = world_for(Cause::TunnelDead);
    w.vpn("utun6", VpnRole::Unknown).client = Some("Cisco AnyConnect".into());
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::ConflictingVpns);
    assert!(
        v.evidence.iter().any(|e| e.contains("passes no traffic")),
        "{:#?}",
        v.evidence
    );
    // The portal answers while MARS fails: inside-lma, with MARS's failure as a warning.
    let mut w = world_for(Cause::OnLmaNetwork);
    w.answers("mars", 503);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::InsideLma);
    assert!(
        v.warnings.iter().any(|e| e.contains("HTTP 503")),
        "{:#?}",
        v.warnings
    );
    // A permission error that lost to offline is a warning, not forgotten.
    let mut w = world_for(Cause::NoConnection);
    w.set("dns:mars", Outcome::PermissionDenied);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::Offline);
    assert!(
        v.warnings.iter().any(|e| e.contains("refused to send")),
        "{:#?}",
        v.warnings
    );
}

#[test]
fn a_slow_answer_is_a_warning() {
    let mut w = world_for(Cause::ViaHmsVpn);
    assert!(!w.verdict().warnings.iter().any(|l| l.contains("slow")));
    for id in ["tcp:mars:443", "tls:mars:443", "https:mars:443"] {
        w.probes
            .iter_mut()
            .find(|p| p.id == id)
            .unwrap()
            .duration_ms = Some(1_300);
    }
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::HmsVpn);
    assert!(
        v.warnings
            .iter()
            .any(|l| l.contains("took 3.9 seconds") && l.contains("slow")),
        "{:#?}",
        v.warnings
    );
}

#[test]
fn the_installed_authority_warning_is_two_lines_at_most() {
    let mut w = world_for(Cause::ViaHmsVpn);
    let tls = w
        .set("tls:control:443", Outcome::Ok)
        .tls
        .get_or_insert_default();
    tls.public_root = Some(false);
    tls.chain_top_issuer = Some("CN=hmsaccess test CA, O=hmsaccess fixtures".into());
    let v = w.verdict();
    let warning = v
        .warnings
        .iter()
        .find(|l| l.contains("vouched for by"))
        .expect("the warning");
    let shown = crate::report::human::wrap_to(warning, 80, "    ", "  - ");
    assert!(shown.lines().count() <= 2, "{shown}");
}

#[test]
fn a_certificate_fault_of_mars_alone_is_not_the_clock() {
    // A clock a few minutes ahead does not explain a certificate that expired days ago while
    // other HMS sites verify.
    let mut w = world_for(Cause::MarsCertificate);
    w.set("http:control:80", Outcome::Ok).http = Some(HttpData {
        status: Some(301),
        clock_skew_s: Some(-300),
        ..HttpData::default()
    });
    let v = w.verdict();
    assert_eq!(v.cause, Some(Cause::MarsCertificate), "{:#?}", v.evidence);
    // MARS's certificate failing without a VPN tunnel (on the HMS network) is still MARS's.
    let mut w = world_for(Cause::MarsCertificate);
    w.vpns.clear();
    assert_eq!(w.verdict().cause, Some(Cause::MarsCertificate));
}

#[test]
fn mars_refusing_connections_through_the_vpn_is_mars_down() {
    let mut w = through_hms_vpn();
    w.set("dns:mars", Outcome::Ok);
    w.set("tcp:mars:443", Outcome::Refused);
    w.unrun(&["tls:mars:443".into(), "https:mars:443".into()]);
    let v = w.verdict();
    assert_eq!(v.cause, Some(Cause::MarsDown), "{:#?}", v.evidence);
    assert!(v.summary.contains("refuses connections"), "{}", v.summary);
}
