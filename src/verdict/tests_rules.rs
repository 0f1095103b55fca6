//! Verdict rules of contract 2, one situation each (issue 11), on the synthetic runs of
//! [`super::tests`]: what answers, the wrong Harvard VPN, two VPNs with access, a tunnel that
//! passes nothing, local blocks, the clock, re-signing, cut-short runs, and the words.

use super::tests::{World, make};
use super::*;
use crate::report::model::{
    Outcome, ProbeKind, RedirectKind, RouteData, RunEndReason, TlsData, TunnelTraffic, VpnRole,
};

fn says(lines: &[String], needle: &str) -> bool {
    lines.iter().any(|l| l.contains(needle))
}

/// A world where the internet works and the portal is silent; MARS is up to the test.
fn outside() -> World {
    let mut w = World::new();
    w.answers("control", 200);
    w.answers("gateway", 200);
    w.silent("affiliate");
    w
}

#[test]
fn a_403_from_mars_is_a_refusal_not_an_answer() {
    let mut w = outside();
    w.answers("mars", 403);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::NeedsHmsVpn, "{:#?}", v.evidence);
    assert!(
        says(&v.evidence, "MARS refused access (HTTP 403"),
        "{:#?}",
        v.evidence
    );
}

#[test]
fn a_redirect_to_the_vpn_required_page_is_a_refusal() {
    let mut w = outside();
    w.redirects(
        "mars",
        "https://it.hms.harvard.edu/vpn-now-required",
        RedirectKind::Refusal,
    );
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::NeedsHmsVpn, "{:#?}", v.evidence);
    assert!(
        says(&v.evidence, "\"VPN required\" page"),
        "{:#?}",
        v.evidence
    );
}

#[test]
fn sign_in_and_same_site_redirects_and_401_are_answers() {
    for (kind, status, words) in [
        (Some(RedirectKind::SignIn), 302, "asks for a sign-in"),
        (Some(RedirectKind::SameSite), 302, "another of its pages"),
        (
            Some(RedirectKind::OtherSite),
            302,
            "sends the browser on to",
        ),
        (None, 401, "asks for a sign-in"),
        (None, 200, "verified secure connection."),
    ] {
        let mut w = outside();
        match kind {
            Some(k) => w.redirects("mars", "https://key.harvard.edu/login", k),
            None => w.answers("mars", status),
        }
        let v = w.verdict();
        assert_eq!(
            v.code,
            VerdictCode::HmsVpn,
            "{kind:?} {status}: {:#?}",
            v.evidence
        );
        assert!(says(&v.evidence, words), "{kind:?}: {:#?}", v.evidence);
    }
}

#[test]
fn a_server_error_is_mars_unreachable_even_without_a_vpn() {
    let mut w = outside();
    w.answers("mars", 503);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::MarsUnreachable);
    assert!(
        says(&v.evidence, "server error (HTTP 503)"),
        "{:#?}",
        v.evidence
    );
}

#[test]
fn the_wrong_harvard_vpn_is_never_the_hms_vpn() {
    let mut w = outside();
    w.silent("mars");
    // Harvard University's VPN carries routes that cover MARS; its tunnel may even have been
    // taken for the HMS VPN by its routes, but its server names another network.
    let v = w.vpn("utun5", VpnRole::Hms);
    v.client = Some("Cisco AnyConnect".into());
    v.gateway = Some("vpn.harvard.edu".into());
    v.network = Some("Harvard University VPN".into());
    assert!(!w.fires(VerdictCode::MarsUnreachable));
    let verdict = w.verdict();
    assert_eq!(
        verdict.code,
        VerdictCode::NeedsHmsVpn,
        "{:#?}",
        verdict.evidence
    );
    assert!(
        verdict.evidence[0].contains("Harvard University VPN")
            && verdict.evidence[0].contains("not the HMS VPN"),
        "{:#?}",
        verdict.evidence
    );
    assert!(
        verdict.next_steps[0]
            .starts_with("Disconnect the Harvard University VPN: MARS answers only"),
        "{:#?}",
        verdict.next_steps
    );
    // With the role the gateway gives it (not HMS), the same.
    w.vpns[0].role = VpnRole::Unknown;
    assert_eq!(w.verdict().code, VerdictCode::NeedsHmsVpn);
}

#[test]
fn two_vpns_with_mars_working_is_hms_vpn_with_a_warning() {
    let mut w = outside();
    w.answers("mars", 200);
    w.vpn("utun4", VpnRole::Hms).client = Some("GlobalProtect".into());
    w.vpn("utun6", VpnRole::Unknown).client = Some("Cisco AnyConnect".into());
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::HmsVpn);
    assert!(
        says(&v.evidence, "The HMS VPN is connected (GlobalProtect)"),
        "{:#?}",
        v.evidence
    );
    assert!(
        says(
            &v.warnings,
            "Another VPN is connected as well: Cisco AnyConnect"
        ),
        "{:#?}",
        v.warnings
    );
    assert!(!says(&v.warnings, "GlobalProtect."), "{:#?}", v.warnings);
}

#[test]
fn two_vpns_with_the_portal_working_is_inside_lma_with_a_warning() {
    let mut w = World::new();
    w.answers("control", 200);
    w.silent("mars");
    w.answers("affiliate", 200);
    w.vpn("wg0", VpnRole::Affiliate).client = Some("WireGuard".into());
    w.vpn("tun1", VpnRole::Unknown).client = Some("OpenVPN".into());
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::InsideLma);
    assert!(
        says(&v.warnings, "disconnect OpenVPN first"),
        "{:#?}",
        v.warnings
    );
}

#[test]
fn two_vpns_and_no_access_is_conflicting_vpns() {
    let mut w = outside();
    w.silent("mars");
    w.vpn("utun4", VpnRole::Hms).client = Some("GlobalProtect".into());
    w.vpn("utun6", VpnRole::Affiliate).client = Some("Cisco AnyConnect".into());
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::ConflictingVpns);
    assert!(
        says(&v.evidence, "2 VPNs are connected at once"),
        "{:#?}",
        v.evidence
    );
    assert!(
        v.next_steps[0].starts_with(
            "Disconnect Cisco AnyConnect; keep the HMS VPN (GlobalProtect) connected."
        ),
        "{:#?}",
        v.next_steps
    );
}

#[test]
fn a_tunnel_that_passes_nothing_says_so_first() {
    let mut w = World::new();
    w.answers("control", 200);
    w.silent("mars");
    w.silent("affiliate");
    w.set("dns:gateway", Outcome::Ok);
    w.set("tcp:gateway:443", Outcome::Timeout);
    w.vpn("tun0", VpnRole::Hms).client = Some("openconnect".into());
    w.traffic = Some(vec![TunnelTraffic {
        interface: "tun0".into(),
        sent_bytes: 720,
        received_bytes: 0,
        interval_ms: 1500,
    }]);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::MarsUnreachable);
    assert!(
        v.evidence[0].contains("passes no traffic"),
        "{:#?}",
        v.evidence
    );
    assert!(
        v.evidence[0].contains("sent 720 bytes"),
        "{:#?}",
        v.evidence
    );
    assert!(
        says(
            &v.evidence,
            "own server (vpn.hms.harvard.edu) did not answer either"
        ),
        "{:#?}",
        v.evidence
    );
    assert!(
        v.next_steps[0].starts_with("Stop openconnect (Ctrl-C in the terminal where it runs) and connect it again: sudo openconnect"),
        "{:#?}",
        v.next_steps
    );
    // Traffic in both directions: the tunnel works, MARS is the problem.
    w.traffic.as_mut().unwrap()[0].received_bytes = 400;
    let v = w.verdict();
    assert!(!says(&v.evidence, "passes no traffic"), "{:#?}", v.evidence);
    assert!(says(&v.evidence, "The HMS VPN is connected (openconnect)"));
}

/// Lab scenario 38: the counters were read after the control host's answer had come back
/// through the tunnel, so they show bytes sent and none received; the answer proves the tunnel
/// works, and the evidence must not say otherwise.
#[test]
fn a_host_answering_through_the_tunnel_outweighs_its_counters() {
    let mut w = World::new();
    w.answers("control", 200);
    w.set("route:control", Outcome::Ok).route = Some(RouteData {
        destination: "198.18.64.10".into(),
        local_address: Some("10.8.0.2".into()),
        interface: Some("tun0".into()),
    });
    w.silent("mars");
    w.silent("affiliate");
    w.vpn("tun0", VpnRole::Hms).client = Some("OpenVPN".into());
    w.traffic = Some(vec![TunnelTraffic {
        interface: "tun0".into(),
        sent_bytes: 360,
        received_bytes: 0,
        interval_ms: 1500,
    }]);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::MarsUnreachable);
    assert!(!says(&v.evidence, "passes no traffic"), "{:#?}", v.evidence);
    // The same counters without that answer through tun0 do say it.
    w.set("route:control", Outcome::Ok).route = Some(RouteData {
        destination: "198.18.64.10".into(),
        local_address: Some("192.168.1.20".into()),
        interface: Some("eth0".into()),
    });
    assert!(says(&w.verdict().evidence, "passes no traffic"));
}

#[test]
fn a_dead_full_tunnel_is_mars_unreachable_not_offline() {
    // A full-tunnel HMS VPN whose session is gone swallows everything, the public hosts too.
    let mut w = World::new();
    for t in ["mars", "affiliate", "gateway", "control"] {
        w.set(&format!("dns:{t}"), Outcome::Ok);
        w.set(&format!("tcp:{t}:443"), Outcome::Timeout).duration_ms = Some(3000);
    }
    w.vpn("tun0", VpnRole::Hms).client = Some("OpenVPN".into());
    assert_eq!(
        w.verdict().code,
        VerdictCode::Offline,
        "no counters: nothing answers"
    );
    w.traffic = Some(vec![TunnelTraffic {
        interface: "tun0".into(),
        sent_bytes: 360,
        received_bytes: 0,
        interval_ms: 2995,
    }]);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::MarsUnreachable, "{:#?}", v.evidence);
    assert!(
        v.evidence[0].contains("passes no traffic"),
        "{:#?}",
        v.evidence
    );
    assert!(
        v.next_steps[0]
            .starts_with("In OpenVPN, disconnect, then connect to vpn.hms.harvard.edu again"),
        "{:#?}",
        v.next_steps
    );
    // Another VPN that swallows everything: offline, naming it.
    w.vpns[0].role = VpnRole::Unknown;
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::Offline);
    assert!(says(
        &v.evidence,
        "OpenVPN is connected but passes no traffic"
    ));
}

#[test]
fn permission_errors_are_blocked_locally() {
    let mut w = World::new();
    for t in ["mars", "affiliate", "control"] {
        w.set(&format!("dns:{t}"), Outcome::PermissionDenied);
    }
    // A lock-down lets the VPN gateway through.
    w.answers("gateway", 200);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::BlockedLocally, "{:#?}", v.evidence);
    assert_eq!(v.code.exit_code(), 18);
    assert!(
        says(&v.evidence, "refused to send name lookups"),
        "{:#?}",
        v.evidence
    );
    assert!(
        says(&v.evidence, "Only the HMS VPN's server answered"),
        "{:#?}",
        v.evidence
    );
    assert!(says(&v.next_steps, "lock-down") || says(&v.next_steps, "blocks traffic while"));
    assert!(says(
        &v.next_steps,
        "connect GlobalProtect to vpn.hms.harvard.edu"
    ));
}

#[test]
fn a_clock_far_off_is_clock_wrong_with_the_offset() {
    let mut w = World::new();
    make(&mut w, VerdictCode::ClockWrong);
    w.silent("mars");
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::ClockWrong, "{:#?}", v.evidence);
    assert_eq!(v.code.exit_code(), 17);
    assert!(
        says(&v.evidence, "clock is 400 days behind"),
        "{:#?}",
        v.evidence
    );
    assert!(
        says(&v.evidence, "refused as not valid yet"),
        "{:#?}",
        v.evidence
    );
    // An offset in the other direction does not explain "not valid yet" refusals alone.
    let mut w = World::new();
    make(&mut w, VerdictCode::ClockWrong);
    w.set("http:control:80", Outcome::Ok)
        .http
        .as_mut()
        .unwrap()
        .clock_skew_s = Some(-600);
    assert!(!w.fires(VerdictCode::ClockWrong));
}

#[test]
fn certificates_refused_for_time_on_two_hosts_without_a_date_are_clock_wrong() {
    let mut w = World::new();
    for t in ["gateway", "control"] {
        w.set(&format!("dns:{t}"), Outcome::Ok);
        w.set(&format!("tcp:{t}:443"), Outcome::Ok);
        // A certificate was presented (and refused).
        w.set(&format!("tls:{t}:443"), Outcome::TlsExpired).tls = Some(TlsData {
            chain_length: 2,
            ..TlsData::default()
        });
    }
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::ClockWrong, "{:#?}", v.evidence);
    assert!(
        says(&v.evidence, "as happens when the clock is ahead"),
        "{:#?}",
        v.evidence
    );
}

#[test]
fn a_clock_a_few_minutes_off_is_a_warning() {
    let mut w = outside();
    w.answers("mars", 200);
    w.answers("control", 200);
    w.set("http:control:80", Outcome::Ok).http = Some(crate::report::model::HttpData {
        status: Some(301),
        clock_skew_s: Some(-420),
        ..Default::default()
    });
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::HmsVpn);
    assert!(
        says(&v.warnings, "clock is 7 minutes ahead"),
        "{:#?}",
        v.warnings
    );
}

#[test]
fn untrusted_re_signing_is_tls_intercepted_naming_the_signer() {
    let mut w = World::new();
    make(&mut w, VerdictCode::TlsIntercepted);
    w.silent("mars");
    w.silent("affiliate");
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::TlsIntercepted, "{:#?}", v.evidence);
    assert_eq!(v.code.exit_code(), 16);
    assert!(
        says(&v.evidence, "\"Acme Web Shield Root\" (Acme Inc)"),
        "{:#?}",
        v.evidence
    );
    // One host alone, or certificates for other names (a portal), is not re-signing.
    w.set("tls:gateway:443", Outcome::TlsHandshakeFailed);
    assert!(!w.fires(VerdictCode::TlsIntercepted));
    let mut w = World::new();
    make(&mut w, VerdictCode::TlsIntercepted);
    for p in w.probes.iter_mut().filter(|p| p.kind == ProbeKind::Tls) {
        if let Some(leaf) = p.tls.as_mut().and_then(|t| t.leaf.as_mut()) {
            leaf.san = vec!["portal.example.test".into()];
        }
    }
    assert!(!w.fires(VerdictCode::TlsIntercepted));
}

#[test]
fn trusted_inspection_is_a_warning_and_untrusted_beside_access_too() {
    let mut w = outside();
    w.answers("mars", 200);
    let tls = w
        .set("tls:control:443", Outcome::Ok)
        .tls
        .get_or_insert_default();
    tls.public_root = Some(false);
    tls.chain_top_issuer = Some("CN=Hospital Inspection Root, O=Hospital".into());
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::HmsVpn);
    assert!(
        says(
            &v.warnings,
            "vouched for by \"Hospital Inspection Root\", installed on this computer"
        ),
        "{:#?}",
        v.warnings
    );
    let mut w = World::new();
    make(&mut w, VerdictCode::TlsIntercepted);
    w.answers("mars", 200);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::HmsVpn);
    assert!(
        says(&v.warnings, "re-signed by \"Acme Web Shield Root\""),
        "{:#?}",
        v.warnings
    );
}

#[test]
fn a_run_cut_short_before_the_silence_decided_is_inconclusive() {
    let mut w = World::new();
    w.answers("control", 200);
    for t in ["mars", "affiliate"] {
        w.set(&format!("dns:{t}"), Outcome::Ok);
        w.set(&format!("tcp:{t}:443"), Outcome::Timeout).duration_ms = Some(230);
    }
    assert_eq!(
        w.verdict().code,
        VerdictCode::NeedsHmsVpn,
        "silence that decided"
    );
    w.duration_ms = 300;
    w.cut(
        RunEndReason::Deadline,
        &["tcp:mars:443", "tcp:affiliate:443"],
        1_510,
    );
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::Inconclusive, "{:#?}", v.evidence);
    assert!(
        says(
            &v.evidence,
            "The run was cut short by --timeout after 0.3 seconds"
        ),
        "{:#?}",
        v.evidence
    );
    assert!(
        v.next_steps[0].contains("a full check needs about 2 seconds"),
        "{:#?}",
        v.next_steps
    );
    // Ctrl-C says so.
    w.cut(RunEndReason::Interrupted, &["tcp:mars:443"], 1_600);
    assert!(says(&w.verdict().evidence, "by Ctrl-C"));
    // A silence cut short does not make a run offline either.
    let mut w = World::new();
    for t in ["mars", "affiliate", "gateway", "control"] {
        w.set(&format!("dns:{t}"), Outcome::Ok);
        w.set(&format!("tcp:{t}:443"), Outcome::Timeout);
    }
    assert_eq!(w.verdict().code, VerdictCode::Offline);
    w.cut(
        RunEndReason::Deadline,
        &["tcp:gateway:443", "tcp:control:443"],
        1_500,
    );
    assert_eq!(w.verdict().code, VerdictCode::Inconclusive);
}

#[test]
fn a_login_page_redirect_is_never_the_internet_working() {
    let mut w = World::new();
    w.set("dns:control", Outcome::Ok);
    w.set("tcp:control:80", Outcome::Ok);
    let h = w
        .set("http:control:80", Outcome::Ok)
        .http
        .get_or_insert_default();
    h.status = Some(302);
    h.foreign_redirect = true;
    w.silent("mars");
    w.silent("affiliate");
    w.with_facts(|f| assert!(service::internet_works(f).is_none()));
    assert!(!w.fires(VerdictCode::NeedsHmsVpn));
    assert_eq!(w.verdict().code, VerdictCode::CaptivePortal);
}

#[test]
fn hms_vpn_without_a_tunnel_claims_no_vpn() {
    let mut w = outside();
    w.answers("mars", 200);
    let v = w.verdict();
    assert_eq!(v.code, VerdictCode::HmsVpn);
    assert!(!v.title.contains("connected through"), "{}", v.title);
    assert!(
        says(&v.evidence, "No VPN is connected"),
        "{:#?}",
        v.evidence
    );
}

#[test]
fn the_hms_client_is_the_connected_then_installed_one() {
    let mut w = outside();
    w.silent("mars");
    let first = |w: &World| w.verdict().next_steps[0].clone();
    assert!(
        first(&w).starts_with("Open GlobalProtect and connect"),
        "{}",
        first(&w)
    );
    w.installed = Some(vec!["Cisco AnyConnect".into(), "Pulse Secure".into()]);
    assert!(
        first(&w).starts_with("Open Pulse Secure and connect"),
        "{}",
        first(&w)
    );
}

#[test]
fn evidence_and_warnings_are_plain_words() {
    let id = regex_lite_id();
    for code in VerdictCode::ALL {
        let mut w = World::new();
        make(&mut w, code);
        let v = w.verdict();
        for line in v.evidence.iter().chain(&v.warnings) {
            assert!(!id(line), "{code}: a probe id in {line:?}");
            assert!(!line.contains("also seen"), "{code}: {line:?}");
            assert!(line.ends_with('.'), "{code}: not a sentence: {line:?}");
        }
    }
}

/// True when `line` holds something shaped like a probe id (`tcp:mars:443`, `dns:control`).
fn regex_lite_id() -> impl Fn(&str) -> bool {
    |line: &str| {
        ["dns:", "tcp:", "tls:", "https:", "http:", "route:"]
            .iter()
            .any(|k| {
                line.split_whitespace()
                    .any(|w| w.trim_start_matches('(').starts_with(k) && !w.contains("//"))
            })
    }
}
