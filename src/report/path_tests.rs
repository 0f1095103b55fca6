use super::*;
use crate::report::human::picture::{Charset, draw};
use crate::report::model::{RouteData, TunnelTraffic};

/// The committed needs-hms-vpn example (loopback), on a laptop whose Wi-Fi holds the default
/// route, the lookup of the way out leaving by it.
fn laptop() -> Report {
    let mut r: Report =
        serde_json::from_str(include_str!("../../docs/examples/needs-hms-vpn.json")).unwrap();
    r.interfaces.push(Interface {
        name: "wlan0".into(),
        kind: InterfaceKind::Wifi,
        up: true,
        addresses: vec!["198.18.1.100/24".into()],
        default_route: true,
        ..Interface::default()
    });
    for p in &mut r.probes {
        if let Some(route) = p.route.as_mut() {
            route.interface = Some("wlan0".into());
        }
    }
    r
}

/// `role`'s route goes into `interface`.
fn route(r: &mut Report, role: Role, interface: &str) {
    let p = r
        .probes
        .iter_mut()
        .find(|p| p.kind == ProbeKind::Route && p.role == Some(role))
        .unwrap();
    p.route = Some(RouteData {
        destination: "198.18.64.10".into(),
        local_address: Some("198.18.72.2".into()),
        interface: Some(interface.into()),
    });
}

fn tunnel(r: &mut Report, interface: &str, role: VpnRole, network: Option<&str>) {
    r.vpns.push(Vpn {
        interface: interface.into(),
        client: Some("OpenVPN".into()),
        role,
        gateway: None,
        network: network.map(str::to_owned),
        evidence: vec![],
    });
}

/// The laptop with the HMS VPN up, MARS's route going into it.
fn on_hms_vpn() -> Report {
    let mut r = laptop();
    tunnel(&mut r, "tun0", VpnRole::Hms, None);
    route(&mut r, Role::Mars, "tun0");
    r
}

fn because(mut r: Report, cause: Cause) -> Report {
    r.verdict.code = cause.verdict();
    r.verdict.cause = Some(cause);
    r
}

fn picture(r: &Report) -> String {
    draw(&way(r), 78, Charset::Unicode)
}

#[test]
fn access_that_works_has_no_mark() {
    assert_eq!(
        picture(&because(on_hms_vpn(), Cause::ViaHmsVpn)),
        "This computer ─ Wi-Fi ─ internet ─ HMS VPN ─ MARS"
    );
    assert_eq!(
        picture(&because(laptop(), Cause::OnHmsNetwork)),
        "This computer ─ Wi-Fi ─ HMS network ─ MARS"
    );
    // Through the HMS VPN, even where MARS's route was not looked up.
    let mut unrouted = laptop();
    tunnel(&mut unrouted, "tun0", VpnRole::Hms, None);
    assert_eq!(
        picture(&because(unrouted, Cause::ViaHmsVpn)),
        "This computer ─ Wi-Fi ─ internet ─ HMS VPN ─ MARS"
    );
    let mut hospital = laptop();
    tunnel(&mut hospital, "wg0", VpnRole::Affiliate, None);
    route(&mut hospital, Role::Affiliate, "wg0");
    assert_eq!(
        picture(&because(hospital, Cause::ViaHospitalVpn)),
        "This computer ─ Wi-Fi ─ internet ─ hospital VPN ─ affiliate portal"
    );
    assert_eq!(
        picture(&because(laptop(), Cause::OnLmaNetwork)),
        "This computer ─ Wi-Fi ─ hospital network ─ affiliate portal"
    );
}

#[test]
fn mars_s_own_failures_break_at_mars_behind_the_hms_vpn() {
    for cause in [
        Cause::MarsDown,
        Cause::MarsCertificate,
        Cause::AccessRefused,
        Cause::HandshakeStalls,
        Cause::MarsSilent,
    ] {
        assert_eq!(
            picture(&because(on_hms_vpn(), cause)),
            "This computer ─ Wi-Fi ─ internet ─ HMS VPN ✗ MARS",
            "{cause}"
        );
    }
}

#[test]
fn a_dead_tunnel_breaks_at_the_hms_vpn() {
    assert_eq!(
        picture(&because(on_hms_vpn(), Cause::TunnelDead)),
        "This computer ─ Wi-Fi ─ internet ✗ HMS VPN ─ MARS"
    );
    // Also when MARS's route was not looked up: the HMS tunnel is shown to be marked.
    let mut r = laptop();
    tunnel(&mut r, "tun0", VpnRole::Hms, None);
    assert_eq!(
        picture(&because(r, Cause::TunnelDead)),
        "This computer ─ Wi-Fi ─ internet ✗ HMS VPN ─ MARS"
    );
}

#[test]
fn another_vpn_on_mars_s_route_is_named_and_the_break_is_behind_it() {
    let mut r = laptop();
    tunnel(&mut r, "tun0", VpnRole::Hms, None);
    tunnel(
        &mut r,
        "tun2",
        VpnRole::Unknown,
        Some("Harvard University VPN"),
    );
    route(&mut r, Role::Mars, "tun2");
    for cause in [Cause::OtherVpnTakesMars, Cause::RouteTaken] {
        assert_eq!(
            picture(&because(r.clone(), cause)),
            "This computer ─ Wi-Fi ─ internet ─ Harvard University VPN ✗ MARS",
            "{cause}"
        );
    }
    // Outside without the HMS VPN: the way ends at MARS, which turns it away.
    for cause in [Cause::NoVpn, Cause::NoHmsClient] {
        assert_eq!(
            picture(&because(laptop(), cause)),
            "This computer ─ Wi-Fi ─ internet ✗ MARS"
        );
    }
    // A tunnel the profile does not name goes by its app, or as "another VPN".
    let mut acme = laptop();
    tunnel(&mut acme, "wg-acme", VpnRole::Unknown, None);
    route(&mut acme, Role::Mars, "wg-acme");
    assert_eq!(
        picture(&because(acme.clone(), Cause::OtherVpn)),
        "This computer ─ Wi-Fi ─ internet ─ OpenVPN ✗ MARS"
    );
    acme.vpns[0].client = None;
    assert!(picture(&because(acme, Cause::OtherVpn)).contains("another VPN ✗ MARS"));
}

#[test]
fn a_tunnel_no_vpn_was_found_for_is_drawn_where_mars_s_route_goes() {
    // route-taken as scenario 52 makes it: the HMS VPN up, MARS's route into vpn0, a tunnel
    // interface that is down and so no VPN of the report.
    let mut r = laptop();
    tunnel(&mut r, "tun0", VpnRole::Hms, None);
    route(&mut r, Role::Mars, "vpn0");
    r.interfaces.push(Interface {
        name: "vpn0".into(),
        kind: InterfaceKind::Tunnel,
        up: false,
        addresses: vec!["198.18.120.2/24".into()],
        ..Interface::default()
    });
    assert_eq!(
        picture(&because(r.clone(), Cause::RouteTaken)),
        "This computer ─ Wi-Fi ─ internet ─ tunnel vpn0 ✗ MARS"
    );
    // An interface that is no tunnel (the Wi-Fi itself) adds no hop.
    route(&mut r, Role::Mars, "wlan0");
    assert_eq!(
        picture(&because(r, Cause::MarsSilent)),
        "This computer ─ Wi-Fi ─ internet ✗ MARS"
    );
}

#[test]
fn the_network_the_proxy_and_names_break_before_the_internet() {
    assert_eq!(
        picture(&because(laptop(), Cause::NoConnection)),
        "This computer ✗ Wi-Fi ─ internet ─ MARS"
    );
    let mut unplugged = laptop();
    unplugged
        .interfaces
        .retain(|i| i.kind == InterfaceKind::Loopback);
    assert_eq!(
        picture(&because(unplugged, Cause::NoConnection)),
        "This computer ✗ internet ─ MARS"
    );
    for cause in [Cause::NothingAnswers, Cause::LoginPage] {
        assert_eq!(
            picture(&because(laptop(), cause)),
            "This computer ─ Wi-Fi ✗ internet ─ MARS"
        );
    }
    assert_eq!(
        picture(&because(laptop(), Cause::ProxyDown)),
        "This computer ─ Wi-Fi ✗ proxy ─ internet ─ MARS"
    );
    assert_eq!(
        picture(&because(laptop(), Cause::ResolversFail)),
        "This computer ─ Wi-Fi ✗ names (DNS) ─ internet ─ MARS"
    );
}

#[test]
fn this_computer_itself_is_marked_for_its_clock_and_its_firewall() {
    for cause in [
        Cause::ClockBehind,
        Cause::ClockAhead,
        Cause::PermissionDenied,
    ] {
        assert_eq!(
            picture(&because(on_hms_vpn(), cause)),
            "✗ This computer ─ Wi-Fi ─ internet ─ HMS VPN ─ MARS",
            "{cause}"
        );
    }
}

#[test]
fn every_cause_marks_a_break_unless_access_works() {
    for cause in Cause::ALL {
        let w = way(&because(on_hms_vpn(), cause));
        assert_eq!(
            w.broken_at.is_none(),
            cause.verdict().is_success(),
            "{cause}: {w:?}"
        );
        assert_eq!(w.hops[0].kind, HopKind::Computer);
        assert_eq!(w.hops.last().unwrap().kind, HopKind::Target);
    }
}

#[test]
fn without_a_cause_the_probes_say_where_it_breaks() {
    // The committed reports predate causes; an old one is read the same way.
    let mut r = on_hms_vpn();
    r.verdict.code = VerdictCode::MarsUnreachable;
    r.verdict.cause = None;
    assert_eq!(
        picture(&r),
        "This computer ─ Wi-Fi ─ internet ─ HMS VPN ✗ MARS",
        "MARS timed out through a tunnel that carries traffic"
    );
    r.tunnel_traffic = Some(vec![TunnelTraffic {
        interface: "tun0".into(),
        sent_bytes: 1200,
        received_bytes: 0,
        interval_ms: 800,
    }]);
    assert_eq!(
        picture(&r),
        "This computer ─ Wi-Fi ─ internet ✗ HMS VPN ─ MARS",
        "the tunnel took 1200 bytes and gave nothing back"
    );
    // Offline: no link, and no route out.
    let uncaused = |code: VerdictCode| {
        let mut r = laptop();
        r.verdict.code = code;
        r.verdict.cause = None;
        r
    };
    let mut off = uncaused(VerdictCode::Offline);
    off.interfaces.retain(|i| i.kind == InterfaceKind::Loopback);
    for p in off.probes.iter_mut().filter(|p| p.kind == ProbeKind::Route) {
        p.outcome = Outcome::Unreachable;
    }
    assert_eq!(picture(&off), "This computer ✗ internet ─ MARS");
    // Offline with a link: the public site did not answer.
    let mut quiet = uncaused(VerdictCode::Offline);
    for p in quiet
        .probes
        .iter_mut()
        .filter(|p| p.role == Some(Role::Control) && p.kind == ProbeKind::Tcp)
    {
        p.outcome = Outcome::Refused;
    }
    assert_eq!(picture(&quiet), "This computer ─ Wi-Fi ✗ internet ─ MARS");
    // A verdict code that says it: the clock.
    let clock = uncaused(VerdictCode::ClockWrong);
    assert!(picture(&clock).starts_with("✗ This computer"));
}

#[test]
fn the_link_is_the_physical_one_even_under_a_full_tunnel() {
    let mut r = laptop();
    r.interfaces[1].name = "eth0".into();
    r.interfaces[1].kind = InterfaceKind::Ethernet;
    r.interfaces.push(Interface {
        name: "wg-acme".into(),
        kind: InterfaceKind::Tunnel,
        up: true,
        point_to_point: true,
        default_route: true,
        ..Interface::default()
    });
    tunnel(&mut r, "wg-acme", VpnRole::Unknown, None);
    for p in r.probes.iter_mut().filter(|p| p.kind == ProbeKind::Route) {
        p.route.as_mut().unwrap().interface = Some("wg-acme".into());
    }
    let w = way(&because(r, Cause::OtherVpn));
    assert_eq!(w.hops[1].name, "Ethernet");
    assert_eq!(w.hops[3].name, "OpenVPN");
}

#[test]
fn a_link_is_named_by_its_kind_and_cellular_where_known() {
    let named = |name: &str, kind: InterfaceKind, description: Option<&str>| {
        link_name(&Interface {
            name: name.into(),
            kind,
            description: description.map(str::to_owned),
            ..Interface::default()
        })
    };
    assert_eq!(named("en0", InterfaceKind::Wifi, None), "Wi-Fi");
    assert_eq!(named("eth0", InterfaceKind::Ethernet, None), "Ethernet");
    assert_eq!(named("wwan0", InterfaceKind::Other, None), "cellular");
    assert_eq!(named("pdp_ip0", InterfaceKind::Other, None), "cellular");
    assert_eq!(
        named(
            "Cellular",
            InterfaceKind::Other,
            Some("Generic Mobile Broadband Adapter")
        ),
        "cellular"
    );
    assert_eq!(named("br0", InterfaceKind::Other, None), "network");
}

#[test]
fn a_proxy_in_use_is_a_hop() {
    let mut r = laptop();
    let tcp = r
        .probes
        .iter_mut()
        .find(|p| p.kind == ProbeKind::Tcp && p.role == Some(Role::Mars))
        .unwrap();
    tcp.tcp.as_mut().unwrap().proxy = Some(ProxyHop {
        url: "http://198.18.32.8:3128".into(),
        source: "HTTPS_PROXY".into(),
        status: Some(504),
        ..ProxyHop::default()
    });
    assert_eq!(
        picture(&because(r, Cause::NoVpn)),
        "This computer ─ Wi-Fi ─ proxy ─ internet ✗ MARS"
    );
}
