//! Synthetic runs for the cause tests ([`super::tests_causes`], [`super::tests_findings`]):
//! one per row of the contract's table, built on [`super::tests::World`].

use super::tests::{FOUR_HUNDRED_DAYS, World, make};
use super::*;
use crate::report::model::{
    Cause, CertInfo, HttpData, Interface, Outcome, ProxyHop, RouteData, RunEndReason, TcpData,
    TlsData, TunnelTraffic, VpnRole,
};

/// A world where the internet works and the portal is silent; MARS is up to the caller.
pub(super) fn outside() -> World {
    let mut w = World::new();
    w.answers("control", 200);
    w.answers("gateway", 200);
    w.silent("affiliate");
    w
}

/// The same, with the HMS VPN connected (GlobalProtect on utun4).
pub(super) fn through_hms_vpn() -> World {
    let mut w = outside();
    w.vpn("utun4", VpnRole::Hms).client = Some("GlobalProtect".into());
    w
}

/// `role`'s route goes out of `interface`.
pub(super) fn route(w: &mut World, target: &str, interface: &str) {
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
pub(super) fn world_for(cause: Cause) -> World {
    match cause.verdict() {
        VerdictCode::MarsUnreachable => mars_world(cause),
        VerdictCode::HmsVpn
        | VerdictCode::InsideLma
        | VerdictCode::NeedsHmsVpn
        | VerdictCode::ConflictingVpns => access_world(cause),
        _ => network_world(cause),
    }
}

/// The causes of access working, or of needing the HMS VPN.
fn access_world(cause: Cause) -> World {
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
        other => panic!("{other} is not built here"),
    }
    w
}

/// The causes of the network, the clock, this computer, or an unfinished run.
fn network_world(cause: Cause) -> World {
    let mut w = World::new();
    match cause {
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
        other => panic!("{other} is not built here"),
    }
    w
}

/// The causes of MARS not answering through the HMS VPN.
fn mars_world(cause: Cause) -> World {
    let mut w = World::new();
    match cause {
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
                kind: crate::report::model::InterfaceKind::Tunnel,
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
        other => panic!("{other} is not built here"),
    }
    w
}
