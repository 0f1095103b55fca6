//! Findings beside the cause (issue 18, issue 19): rules that held but lost, warnings (a slow
//! answer, an installed authority in two lines), the HMS app named as its user knows it, and
//! runs that must not claim a --timeout that was not given.

use super::tests_worlds::{through_hms_vpn, world_for};
use super::*;
use crate::report::model::{Cause, HttpData, Outcome, VpnRole};

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
        v.evidence
            .iter()
            .any(|l| l.contains("by its 10-second limit")),
        "{:#?}",
        v.evidence
    );
    // Cut by --timeout, "Why" says so; the step tells how long a full run takes.
    let v = world_for(Cause::CutShort).verdict();
    assert!(
        v.evidence
            .iter()
            .any(|l| l.contains("cut short by --timeout")),
        "{:#?}",
        v.evidence
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
    // Under a wrong clock (lab scenario 29), MARS's silence through the VPN follows from it.
    let mut w = world_for(Cause::ClockBehind);
    w.vpn("tun0", VpnRole::Hms).client = Some("OpenVPN".into());
    w.silent("mars");
    let v = w.verdict();
    assert_eq!(v.cause, Some(Cause::ClockBehind));
    assert!(
        !v.evidence.iter().any(|e| e.contains("did not answer")),
        "{:#?}",
        v.evidence
    );
    // Certificates refused for time while there is no route out: a warning about the clock.
    let mut w = world_for(Cause::ClockAhead);
    w.set("http:control:80", Outcome::Ok).http = Some(HttpData::default());
    w.set("tls:control:443", Outcome::TlsExpired);
    w.set("route:ipv4", Outcome::Unreachable);
    let v = w.verdict();
    assert_eq!(v.cause, Some(Cause::NoConnection), "{:#?}", v.evidence);
    assert!(
        v.warnings.iter().any(|e| e.contains("clock is far off")),
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

/// Lab scenario 44 before tunnel roles came from servers: two tunnels both taken for the HMS
/// VPN. The step keeps one (the one whose server is the HMS VPN's) and names it as the one kept.
#[test]
fn two_tunnels_taken_for_the_hms_vpn_keep_one_and_name_it() {
    let mut w = world_for(Cause::VpnsUp);
    w.vpns.clear();
    w.vpn("tun0", VpnRole::Hms).client = Some("OpenVPN".into());
    let wg = w.vpn("wg-acme", VpnRole::Hms);
    wg.client = Some("WireGuard".into());
    wg.network = Some("HMS VPN".into());
    let v = w.verdict();
    assert_eq!(v.cause, Some(Cause::VpnsUp));
    assert!(
        v.next_steps[0].starts_with("Disconnect OpenVPN; keep the HMS VPN (WireGuard) connected."),
        "{:#?}",
        v.next_steps
    );
}

/// Certificates refused for what they are (lab scenario 53: made out for clients, not servers)
/// do not make the clock a suspect; one refused for its dates does.
#[test]
fn the_clock_is_a_suspect_only_where_a_certificate_was_refused_for_its_dates() {
    let mut w = world_for(Cause::Unexplained);
    for host in ["affiliate", "gateway", "control"] {
        w.set(&format!("dns:{host}"), Outcome::Ok);
        w.set(&format!("tcp:{host}:443"), Outcome::Ok);
        w.set(&format!("tls:{host}:443"), Outcome::TlsHandshakeFailed);
    }
    // The public site answers plain HTTP: the network works.
    w.set("http:control:80", Outcome::Ok).http = Some(HttpData::default());
    let v = w.verdict();
    assert_eq!(v.cause, Some(Cause::Unexplained), "{:#?}", v.evidence);
    let refused = |v: &Verdict| {
        v.evidence
            .iter()
            .find(|e| e.contains("were not accepted"))
            .cloned()
            .unwrap_or_else(|| panic!("{:#?}", v.evidence))
    };
    let line = refused(&v);
    assert!(
        line.contains("intercept") && !line.contains("clock"),
        "{line}"
    );
    w.set("tls:gateway:443", Outcome::TlsExpired);
    let v = w.verdict();
    assert_eq!(v.cause, Some(Cause::Unexplained), "{:#?}", v.evidence);
    assert!(
        refused(&v).contains("or the clock may be off"),
        "{:#?}",
        v.evidence
    );
}
