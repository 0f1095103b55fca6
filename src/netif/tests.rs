//! `classify` on hand-made readings and on the macOS, Windows and Linux fixtures.

use std::net::IpAddr;

use super::*;
use crate::os::{
    Network, Reading, RouteEntry, VpnProcess, linux, macos, mark_default_routes, windows,
};
use crate::report::model::{Interface, InterfaceKind as K, Role, Vpn, VpnRole};

pub(super) fn iface(name: &str, kind: K, up: bool, p2p: bool, addrs: &[&str]) -> Interface {
    Interface {
        name: name.into(),
        description: None,
        kind,
        up,
        point_to_point: p2p,
        addresses: addrs.iter().map(ToString::to_string).collect(),
        default_route: false,
    }
}

pub(super) fn route(dest: &str, gw: Option<&str>, iface: &str) -> RouteEntry {
    RouteEntry {
        destination: dest.parse().unwrap(),
        gateway: gw.map(|g| g.parse().unwrap()),
        interface: iface.into(),
    }
}

pub(super) fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// A reading of these interfaces and routes, nothing else.
pub(super) fn reading(interfaces: Vec<Interface>, routes: Vec<RouteEntry>) -> Reading {
    let mut r = Reading {
        network: Network {
            interfaces,
            routes,
            ..Network::default()
        },
        ..Reading::default()
    };
    mark_default_routes(&mut r.network.interfaces, &r.network.routes);
    r
}

/// A laptop on home Wi-Fi: wlan0 with the default route.
pub(super) fn home() -> Reading {
    reading(
        vec![
            iface("lo", K::Loopback, true, false, &["127.0.0.1/8", "::1/128"]),
            iface(
                "wlan0",
                K::Wifi,
                true,
                false,
                &["192.168.1.23/24", "fe80::1c2f:3a4b:5c6d:7e8f/64"],
            ),
        ],
        vec![
            route("0.0.0.0/0", Some("192.168.1.1"), "wlan0"),
            route("192.168.1.0/24", None, "wlan0"),
        ],
    )
}

/// The servers the embedded profile knows, as `run` hands them to netif.
pub(super) fn known() -> KnownVpns {
    crate::run::known_vpns(&crate::profile::Profile::embedded())
}

/// The VPNs of a reading, with the embedded profile's servers.
pub(super) fn vpns(c: &Reading, targets: &[(Role, Vec<IpAddr>)]) -> Vec<Vpn> {
    classify(c, &known(), targets)
}

pub(super) fn add_tun(c: &mut Reading, name: &str, addr: &str, routes: &[&str]) {
    c.network
        .interfaces
        .push(iface(name, K::Tunnel, true, true, &[addr]));
    for r in routes {
        c.network.routes.push(route(r, None, name));
    }
    mark_default_routes(&mut c.network.interfaces, &c.network.routes);
}

pub(super) const MARS: &str = "198.18.20.10";

pub(super) fn mars() -> Vec<(Role, Vec<IpAddr>)> {
    vec![(Role::Mars, vec![ip(MARS)])]
}

#[test]
fn no_tunnel_no_vpn() {
    assert!(vpns(&home(), &mars()).is_empty());
}

#[test]
fn one_tunnel() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    let v = vpns(&c, &mars());
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].interface, "tun0");
    assert_eq!(v[0].role, VpnRole::Unknown);
    assert_eq!(v[0].client, None);
    assert!(
        v[0].evidence[0].contains("tun0 is a tunnel interface"),
        "{v:?}"
    );
    assert!(
        v[0].evidence[1].contains("carries route 10.8.0.0/24"),
        "{v:?}"
    );
}

#[test]
fn two_tunnels() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    add_tun(&mut c, "wg0", "10.66.0.2/32", &["10.66.0.0/16"]);
    let v = vpns(&c, &mars());
    let names: Vec<&str> = v.iter().map(|v| v.interface.as_str()).collect();
    assert_eq!(names, ["tun0", "wg0"]);
    assert_eq!(
        v[1].client.as_deref(),
        Some("WireGuard"),
        "wg* names WireGuard"
    );
}

#[test]
fn same_interface_listed_twice_is_one_vpn() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    c.network.interfaces.push(c.network.interfaces[2].clone());
    assert_eq!(vpns(&c, &[]).len(), 1);
}

#[test]
fn tunnel_down_is_not_a_vpn() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    c.network.interfaces[2].up = false;
    assert!(vpns(&c, &mars()).is_empty());
}

#[test]
fn tunnel_without_address_or_route_is_not_a_vpn() {
    let mut c = home();
    c.network
        .interfaces
        .push(iface("tun1", K::Tunnel, true, true, &[]));
    c.network.routes.push(route("10.9.0.0/24", None, "tun1"));
    c.network
        .interfaces
        .push(iface("tun2", K::Tunnel, true, true, &["10.10.0.2/32"]));
    assert!(vpns(&c, &mars()).is_empty());
}

#[test]
fn macos_utun_with_only_link_local_is_not_a_vpn() {
    let mut c = home();
    c.network.interfaces.push(iface(
        "utun0",
        K::Tunnel,
        true,
        true,
        &["fe80::6d2a:11f0:9b3c:4e21/64"],
    ));
    c.network
        .routes
        .push(route("fe80::%utun0/64", None, "utun0"));
    c.network.routes.push(route("ff00::/8", None, "utun0"));
    c.network
        .routes
        .push(route("ff02::%utun0/32", None, "utun0"));
    assert!(vpns(&c, &mars()).is_empty());
}

#[test]
fn route_covering_mars_makes_hms() {
    let mut c = home();
    add_tun(
        &mut c,
        "tun0",
        "10.250.3.17/32",
        &["10.250.0.0/16", "198.18.20.0/24"],
    );
    let v = vpns(&c, &mars());
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].role, VpnRole::Hms);
    assert!(
        v[0].evidence
            .contains(&"route 198.18.20.0/24 via tun0 covers mars (198.18.20.10)".to_string()),
        "{v:?}"
    );
}

#[test]
fn full_tunnel_default_route_only_is_unknown() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["0.0.0.0/0"]);
    let v = vpns(&c, &mars());
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].role, VpnRole::Unknown, "{v:?}");
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e.contains("holds the default route"))
    );

    // OpenVPN's def1 halves are defaults too.
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["0.0.0.0/1", "128.0.0.0/1"]);
    let v = vpns(&c, &mars());
    assert_eq!(v[0].role, VpnRole::Unknown, "{v:?}");
}

#[test]
fn gateway_host_route_via_physical_interface_makes_hms() {
    let mut c = home();
    add_tun(
        &mut c,
        "tun0",
        "10.250.3.17/32",
        &["0.0.0.0/1", "128.0.0.0/1"],
    );
    c.network
        .routes
        .push(route("198.19.5.7/32", Some("192.168.1.1"), "wlan0"));
    let targets = vec![
        (Role::Mars, vec![ip(MARS)]),
        (Role::Gateway, vec![ip("198.19.5.7")]),
    ];
    let v = vpns(&c, &targets);
    assert_eq!(v[0].role, VpnRole::Hms, "{v:?}");
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e.contains("host route to the HMS VPN gateway (198.19.5.7) via wlan0"))
    );

    // Without the host route: unknown.
    c.network.routes.pop();
    assert_eq!(vpns(&c, &targets)[0].role, VpnRole::Unknown);
}

#[test]
fn gateway_host_route_with_two_tunnels_goes_to_the_full_tunnel() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    add_tun(&mut c, "tun1", "10.250.3.17/32", &["0.0.0.0/0"]);
    c.network
        .routes
        .push(route("198.19.5.7/32", Some("192.168.1.1"), "wlan0"));
    let v = vpns(&c, &[(Role::Gateway, vec![ip("198.19.5.7")])]);
    assert_eq!(v[0].role, VpnRole::Unknown);
    assert_eq!(v[1].role, VpnRole::Hms);
}

#[test]
fn client_process_naming_the_gateway_makes_hms() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.250.3.17/32", &["0.0.0.0/0"]);
    c.network.processes.push(VpnProcess {
        client: "openconnect",
        matched_gateway: Some("vpn.hms.harvard.edu".into()),
        addresses: vec![],
        interface: Some("tun0".into()),
    });
    let v = vpns(&c, &[]);
    assert_eq!(v[0].role, VpnRole::Hms);
    assert_eq!(v[0].client.as_deref(), Some("openconnect"));
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e.contains("openconnect process is connected to vpn.hms.harvard.edu"))
    );
}

#[test]
fn affiliate_route() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["198.18.40.0/22"]);
    let v = vpns(
        &c,
        &[
            (Role::Affiliate, vec![ip("198.18.41.5")]),
            (Role::Mars, vec![ip(MARS)]),
        ],
    );
    assert_eq!(v[0].role, VpnRole::Affiliate);
}

#[test]
fn more_specific_route_elsewhere_wins() {
    // Hospital VPN routes 198.18.0.0/16; the HMS VPN routes the /24 that holds MARS.
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["198.18.0.0/16"]);
    add_tun(&mut c, "tun1", "10.250.3.17/32", &["198.18.20.0/24"]);
    let v = vpns(&c, &mars());
    assert_eq!(v[0].role, VpnRole::Unknown);
    assert_eq!(v[1].role, VpnRole::Hms);
}

#[test]
fn single_unmatched_process_names_single_unnamed_tunnel() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    c.network.processes.push(VpnProcess {
        client: "OpenVPN",
        matched_gateway: None,
        addresses: vec![],
        interface: None,
    });
    let v = vpns(&c, &[]);
    assert_eq!(v[0].client.as_deref(), Some("OpenVPN"));
    // Two candidate clients: no guess.
    c.network.processes.push(VpnProcess {
        client: "Cisco AnyConnect",
        matched_gateway: None,
        addresses: vec![],
        interface: None,
    });
    assert_eq!(vpns(&c, &[])[0].client, None);
}

/// Adapter descriptions themselves are tested beside the catalogue (`clients.rs`).
#[test]
fn teredo_is_not_a_vpn() {
    let mut t = iface(
        "Teredo Tunneling Pseudo-Interface",
        K::Tunnel,
        true,
        false,
        &["2001:0:2851:782c::1/128"],
    );
    t.description = Some("Microsoft Teredo Tunneling Adapter".into());
    assert_eq!(tunnel_reason(&t), None);
}

fn fixture(os: &str, name: &str) -> String {
    let p = format!("{}/tests/fixtures/{os}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn macos_fixture_scenario_pulse_split_tunnel() {
    let mut c = reading(
        macos::parse_ifconfig(&fixture("macos", "ifconfig_pulse.txt")),
        macos::parse_netstat_rn(&fixture("macos", "netstat_rn_pulse.txt")),
    );
    c.path.dns.split = macos::parse_scutil_dns(&fixture("macos", "scutil_dns_pulse.txt"));
    c.network.processes = vec![VpnProcess {
        client: "Pulse Secure",
        matched_gateway: None,
        addresses: vec![],
        interface: None,
    }];
    let v = vpns(&c, &mars());
    assert_eq!(
        v.len(),
        1,
        "only utun4; the four system utuns are not VPNs: {v:?}"
    );
    assert_eq!(v[0].interface, "utun4");
    assert_eq!(v[0].role, VpnRole::Hms);
    assert_eq!(v[0].client.as_deref(), Some("Pulse Secure"));
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e == "route 198.18.20.0/24 via utun4 covers mars (198.18.20.10)"),
        "{v:?}"
    );
    assert!(v[0].evidence.iter().any(|e| {
        e.contains("resolves med.harvard.edu through 10.250.0.53, 10.250.0.54 (split DNS)")
    }));
}

#[test]
fn macos_fixture_scenario_only_system_utuns() {
    // Same machine with Pulse disconnected: drop utun4 and its routes.
    let mut c = reading(
        macos::parse_ifconfig(&fixture("macos", "ifconfig_pulse.txt")),
        macos::parse_netstat_rn(&fixture("macos", "netstat_rn_pulse.txt")),
    );
    c.network.interfaces.retain(|i| i.name != "utun4");
    c.network.routes.retain(|r| r.interface != "utun4");
    assert!(vpns(&c, &mars()).is_empty());
}

#[test]
fn windows_fixture_scenario_pulse() {
    let parsed = windows::parse_ipconfig_all(&fixture("windows", "ipconfig_all_pulse.txt"));
    let (_, raw) = windows::parse_route_print(&fixture("windows", "route_print_pulse.txt"));
    let table: Vec<(u32, String, Vec<IpAddr>)> = parsed
        .iter()
        .map(|(i, idx)| {
            let addrs = i
                .addresses
                .iter()
                .filter_map(|a| a.parse::<crate::os::Prefix>().ok())
                .map(|p| p.addr)
                .collect();
            (idx.unwrap_or(0), i.name.clone(), addrs)
        })
        .collect();
    let mut c = reading(
        parsed.into_iter().map(|(i, _)| i).collect(),
        windows::resolve_routes(&raw, &table),
    );
    c.network.services = windows::parse_rasdial(&fixture("windows", "rasdial_none.txt"));
    let v = vpns(&c, &mars());
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].interface, "Ethernet 2");
    assert_eq!(v[0].client.as_deref(), Some("Pulse Secure"));
    assert_eq!(v[0].role, VpnRole::Hms);
    assert!(
        v[0].evidence[0].contains("adapter \"Juniper Networks Virtual Adapter\" is a VPN adapter")
    );
    let wifi = c
        .network
        .interfaces
        .iter()
        .find(|i| i.name == "Wi-Fi")
        .unwrap();
    assert!(wifi.default_route);
}

#[cfg(target_endian = "little")]
#[test]
fn linux_fixture_scenario() {
    let mut routes = linux::parse_proc_net_route(&fixture("linux", "proc_net_route"));
    routes.extend(linux::parse_proc_net_ipv6_route(&fixture(
        "linux",
        "proc_net_ipv6_route",
    )));
    let c = reading(
        vec![
            iface("lo", K::Loopback, true, false, &["127.0.0.1/8"]),
            iface(
                "wlp2s0",
                K::Wifi,
                true,
                false,
                &["192.168.1.23/24", "2001:db8:1::23/64"],
            ),
            iface(
                "tun0",
                K::Tunnel,
                true,
                true,
                &["10.14.0.2/16", "fd00:1234::2/64"],
            ),
        ],
        routes,
    );
    let v = vpns(
        &c,
        &[
            (Role::Mars, vec![ip(MARS)]),
            (Role::Gateway, vec![ip("198.19.5.7")]),
        ],
    );
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].role, VpnRole::Hms);
    assert!(c.network.interfaces[1].default_route && !c.network.interfaces[2].default_route);
}

#[test]
fn windows_ras_connection_names_its_ppp_adapter() {
    let mut c = home();
    c.network
        .interfaces
        .push(iface("HMS VPN", K::Ppp, true, true, &["10.9.8.7/32"]));
    c.network.routes.push(route("10.9.0.0/16", None, "HMS VPN"));
    c.network.services = windows::parse_rasdial(&fixture("windows", "rasdial_connected.txt"));
    let v = vpns(&c, &[]);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].client.as_deref(), Some("Windows VPN \"HMS VPN\""));
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e == "OS VPN service \"HMS VPN\" is connected on HMS VPN")
    );
}

#[test]
fn macos_connected_service_names_the_only_unnamed_tunnel() {
    let mut c = home();
    add_tun(&mut c, "utun5", "10.1.2.3/32", &["10.1.0.0/16"]);
    c.network.services = macos::parse_scutil_nc_list(&fixture("macos", "scutil_nc_list.txt"));
    let v = vpns(&c, &[]);
    assert_eq!(v[0].client.as_deref(), Some("Cisco AnyConnect"));
}
