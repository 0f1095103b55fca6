//! `classify` on hand-made collections and on the macOS, Windows and Linux fixtures.

use super::classify::tunnel_reason;
use super::*;

use crate::report::model::{Role, VpnRole};

fn iface(name: &str, kind: &str, up: bool, p2p: bool, addrs: &[&str]) -> Interface {
    Interface {
        name: name.into(),
        description: None,
        kind: kind.into(),
        up,
        point_to_point: p2p,
        addresses: addrs.iter().map(ToString::to_string).collect(),
        default_route: false,
    }
}

fn route(dest: &str, gw: Option<&str>, iface: &str) -> RouteEntry {
    RouteEntry {
        destination: dest.parse().unwrap(),
        gateway: gw.map(|g| g.parse().unwrap()),
        interface: iface.into(),
    }
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// A laptop on home Wi-Fi: eth0 with the default route.
fn home() -> Collected {
    let mut c = Collected {
        interfaces: vec![
            iface("lo", "loopback", true, false, &["127.0.0.1/8", "::1/128"]),
            iface(
                "wlan0",
                "wifi",
                true,
                false,
                &["192.168.1.23/24", "fe80::1c2f:3a4b:5c6d:7e8f/64"],
            ),
        ],
        routes: vec![
            route("0.0.0.0/0", Some("192.168.1.1"), "wlan0"),
            route("192.168.1.0/24", None, "wlan0"),
        ],
        known: known(),
        ..Collected::default()
    };
    mark_default_routes(&mut c.interfaces, &c.routes);
    c
}

/// The servers the embedded profile knows, as `run` hands them to netif.
fn known() -> KnownVpns {
    crate::run::known_vpns(&crate::profile::Profile::embedded())
}

fn add_tun(c: &mut Collected, name: &str, addr: &str, routes: &[&str]) {
    c.interfaces
        .push(iface(name, "tunnel", true, true, &[addr]));
    for r in routes {
        c.routes.push(route(r, None, name));
    }
    mark_default_routes(&mut c.interfaces, &c.routes);
}

const MARS: &str = "198.18.20.10";

fn mars() -> Vec<(Role, Vec<IpAddr>)> {
    vec![(Role::Mars, vec![ip(MARS)])]
}

#[test]
fn no_tunnel_no_vpn() {
    assert!(classify(&home(), &mars()).is_empty());
}

#[test]
fn one_tunnel() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    let v = classify(&c, &mars());
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
    let v = classify(&c, &mars());
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
    c.interfaces.push(c.interfaces[2].clone());
    assert_eq!(classify(&c, &[]).len(), 1);
}

#[test]
fn tunnel_down_is_not_a_vpn() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    c.interfaces[2].up = false;
    assert!(classify(&c, &mars()).is_empty());
}

#[test]
fn tunnel_without_address_or_route_is_not_a_vpn() {
    let mut c = home();
    c.interfaces.push(iface("tun1", "tunnel", true, true, &[]));
    c.routes.push(route("10.9.0.0/24", None, "tun1"));
    c.interfaces
        .push(iface("tun2", "tunnel", true, true, &["10.10.0.2/32"]));
    assert!(classify(&c, &mars()).is_empty());
}

#[test]
fn macos_utun_with_only_link_local_is_not_a_vpn() {
    let mut c = home();
    c.interfaces.push(iface(
        "utun0",
        "tunnel",
        true,
        true,
        &["fe80::6d2a:11f0:9b3c:4e21/64"],
    ));
    c.routes.push(route("fe80::%utun0/64", None, "utun0"));
    c.routes.push(route("ff00::/8", None, "utun0"));
    c.routes.push(route("ff02::%utun0/32", None, "utun0"));
    assert!(classify(&c, &mars()).is_empty());
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
    let v = classify(&c, &mars());
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
    let v = classify(&c, &mars());
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
    let v = classify(&c, &mars());
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
    c.routes
        .push(route("198.19.5.7/32", Some("192.168.1.1"), "wlan0"));
    let targets = vec![
        (Role::Mars, vec![ip(MARS)]),
        (Role::Gateway, vec![ip("198.19.5.7")]),
    ];
    let v = classify(&c, &targets);
    assert_eq!(v[0].role, VpnRole::Hms, "{v:?}");
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e.contains("host route to the HMS VPN gateway (198.19.5.7) via wlan0"))
    );

    // Without the host route: unknown.
    c.routes.pop();
    assert_eq!(classify(&c, &targets)[0].role, VpnRole::Unknown);
}

#[test]
fn gateway_host_route_with_two_tunnels_goes_to_the_full_tunnel() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    add_tun(&mut c, "tun1", "10.250.3.17/32", &["0.0.0.0/0"]);
    c.routes
        .push(route("198.19.5.7/32", Some("192.168.1.1"), "wlan0"));
    let v = classify(&c, &[(Role::Gateway, vec![ip("198.19.5.7")])]);
    assert_eq!(v[0].role, VpnRole::Unknown);
    assert_eq!(v[1].role, VpnRole::Hms);
}

#[test]
fn client_process_naming_the_gateway_makes_hms() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.250.3.17/32", &["0.0.0.0/0"]);
    c.processes.push(VpnProcess {
        client: "openconnect",
        matched_gateway: Some("vpn.hms.harvard.edu".into()),
        interface: Some("tun0".into()),
    });
    let v = classify(&c, &[]);
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
    let v = classify(
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
    let v = classify(&c, &mars());
    assert_eq!(v[0].role, VpnRole::Unknown);
    assert_eq!(v[1].role, VpnRole::Hms);
}

#[test]
fn single_unmatched_process_names_single_unnamed_tunnel() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["10.8.0.0/24"]);
    c.processes.push(VpnProcess {
        client: "OpenVPN",
        matched_gateway: None,
        interface: None,
    });
    let v = classify(&c, &[]);
    assert_eq!(v[0].client.as_deref(), Some("OpenVPN"));
    // Two candidate clients: no guess.
    c.processes.push(VpnProcess {
        client: "Cisco AnyConnect",
        matched_gateway: None,
        interface: None,
    });
    assert_eq!(classify(&c, &[])[0].client, None);
}

/// Adapter descriptions themselves are tested beside the catalogue (`clients.rs`).
#[test]
fn teredo_is_not_a_vpn() {
    let mut t = iface(
        "Teredo Tunneling Pseudo-Interface",
        "tunnel",
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
    let mut c = Collected {
        interfaces: macos::parse_ifconfig(&fixture("macos", "ifconfig_pulse.txt")),
        routes: macos::parse_netstat_rn(&fixture("macos", "netstat_rn_pulse.txt")),
        split_dns: macos::parse_scutil_dns(&fixture("macos", "scutil_dns_pulse.txt")),
        processes: vec![VpnProcess {
            client: "Pulse Secure",
            matched_gateway: None,
            interface: None,
        }],
        ..Collected::default()
    };
    mark_default_routes(&mut c.interfaces, &c.routes);
    let v = classify(&c, &mars());
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
    let mut c = Collected {
        interfaces: macos::parse_ifconfig(&fixture("macos", "ifconfig_pulse.txt")),
        routes: macos::parse_netstat_rn(&fixture("macos", "netstat_rn_pulse.txt")),
        ..Collected::default()
    };
    c.interfaces.retain(|i| i.name != "utun4");
    c.routes.retain(|r| r.interface != "utun4");
    assert!(classify(&c, &mars()).is_empty());
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
                .filter_map(|a| a.parse::<Prefix>().ok())
                .map(|p| p.addr)
                .collect();
            (idx.unwrap_or(0), i.name.clone(), addrs)
        })
        .collect();
    let mut c = Collected {
        interfaces: parsed.into_iter().map(|(i, _)| i).collect(),
        routes: windows::resolve_routes(&raw, &table),
        services: windows::parse_rasdial(&fixture("windows", "rasdial_none.txt")),
        ..Collected::default()
    };
    mark_default_routes(&mut c.interfaces, &c.routes);
    let v = classify(&c, &mars());
    assert_eq!(v.len(), 1, "{v:?}");
    assert_eq!(v[0].interface, "Ethernet 2");
    assert_eq!(v[0].client.as_deref(), Some("Pulse Secure"));
    assert_eq!(v[0].role, VpnRole::Hms);
    assert!(
        v[0].evidence[0].contains("adapter \"Juniper Networks Virtual Adapter\" is a VPN adapter")
    );
    let wifi = c.interfaces.iter().find(|i| i.name == "Wi-Fi").unwrap();
    assert!(wifi.default_route);
}

#[cfg(target_endian = "little")]
#[test]
fn linux_fixture_scenario() {
    let mut c = Collected {
        interfaces: vec![
            iface("lo", "loopback", true, false, &["127.0.0.1/8"]),
            iface(
                "wlp2s0",
                "wifi",
                true,
                false,
                &["192.168.1.23/24", "2001:db8:1::23/64"],
            ),
            iface(
                "tun0",
                "tunnel",
                true,
                true,
                &["10.14.0.2/16", "fd00:1234::2/64"],
            ),
        ],
        routes: linux::parse_proc_net_route(&fixture("linux", "proc_net_route")),
        ..Collected::default()
    };
    c.routes.extend(linux::parse_proc_net_ipv6_route(&fixture(
        "linux",
        "proc_net_ipv6_route",
    )));
    mark_default_routes(&mut c.interfaces, &c.routes);
    let v = classify(
        &c,
        &[
            (Role::Mars, vec![ip(MARS)]),
            (Role::Gateway, vec![ip("198.19.5.7")]),
        ],
    );
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].role, VpnRole::Hms);
    assert!(c.interfaces[1].default_route && !c.interfaces[2].default_route);
}

#[test]
fn windows_ras_connection_names_its_ppp_adapter() {
    let mut c = home();
    c.interfaces
        .push(iface("HMS VPN", "ppp", true, true, &["10.9.8.7/32"]));
    c.routes.push(route("10.9.0.0/16", None, "HMS VPN"));
    c.services = windows::parse_rasdial(&fixture("windows", "rasdial_connected.txt"));
    let v = classify(&c, &[]);
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
    c.services = macos::parse_scutil_nc_list(&fixture("macos", "scutil_nc_list.txt"));
    let v = classify(&c, &[]);
    assert_eq!(v[0].client.as_deref(), Some("Cisco AnyConnect"));
}

/// Property tests: every parser of OS command output takes any text without panicking, and
/// mutated real captures too (a tool's output may be cut off, localized or garbled).
mod never_panic {
    use super::super::{linux, macos, settings, windows};
    use proptest::prelude::*;

    /// Hand-written and real captures of every OS output the parsers read (mutated below).
    const CAPTURES: [&str; 16] = [
        include_str!("../../tests/fixtures/macos/ifconfig_pulse.txt"),
        include_str!("../../tests/fixtures/macos/netstat_rn_pulse.txt"),
        include_str!("../../tests/fixtures/macos/scutil_dns_pulse.txt"),
        include_str!("../../tests/fixtures/macos/scutil_nc_list.txt"),
        include_str!("../../tests/fixtures/windows/route_print_pulse.txt"),
        include_str!("../../tests/fixtures/windows/ipconfig_all_pulse.txt"),
        include_str!("../../tests/fixtures/linux/proc_net_route"),
        include_str!("../../tests/fixtures/macos/real/netstat_rn_refs_plc4x.txt"),
        include_str!("../../tests/fixtures/macos/real/ifconfig_10.15_vpn_utun4_glpi.txt"),
        include_str!("../../tests/fixtures/macos/real/scutil_dns_tailscale_supplemental_doggo.txt"),
        include_str!("../../tests/fixtures/macos/real/scutil_proxy_https_cherry_studio.txt"),
        include_str!("../../tests/fixtures/windows/real/route_print_de_win7_plc4x.txt"),
        include_str!("../../tests/fixtures/windows/real/ipconfig_all_de_r406.txt"),
        include_str!("../../tests/fixtures/windows/real/ipconfig_all_win10_tailscale_jc.txt"),
        include_str!(
            "../../tests/fixtures/windows/real/reg_query_internet_settings_pac_marslo.txt"
        ),
        include_str!(
            "../../tests/fixtures/clients/real/globalprotect_settings_plist_snipped_odedlaz.xml"
        ),
    ];

    fn parse_all(text: &str) {
        let _ = linux::parse_proc_net_route(text);
        let _ = linux::parse_proc_net_ipv6_route(text);
        let _ = linux::parse_nmcli_active(text);
        let _ = linux::parse_resolvectl(text, text);
        let _ = linux::parse_tun_fdinfo(text);
        let _ = macos::parse_ifconfig(text);
        let _ = macos::parse_netstat_rn(text);
        let _ = macos::parse_scutil_dns(text);
        let _ = macos::parse_scutil_nc_list(text);
        let _ = windows::parse_route_print(text);
        let _ = windows::parse_ipconfig_all(text);
        let _ = windows::parse_rasdial(text);
        let _ = windows::parse_ipconfig_dns(text);
        let _ = super::super::clients::from_adapter(text);
        let _ = settings::parse_globalprotect_plist(text.as_bytes());
        let _ = settings::parse_pulse_connstore(text);
        let _ = settings::parse_anyconnect_preferences(text);
        // Test-only reach upwards: the proxy readers share this module's captures and tool runner.
        let _ = crate::proxy::macos::parse_scutil_proxy(text);
        let _ = crate::proxy::windows::parse_reg_query(text);
        let _ = crate::input::decode_text(text.as_bytes());
    }

    proptest! {
        #[test]
        fn prop_any_text(text in "\\PC{0,600}") {
            parse_all(&text);
        }

        #[test]
        fn prop_mutated_captures(
            which in 0usize..CAPTURES.len(),
            at in 0usize..4000,
            cut in 0usize..200,
            junk in "[ :./0-9a-fA-F%\\n\\t-]{0,24}",
        ) {
            let capture = CAPTURES[which];
            let at = capture.floor_char_boundary(at.min(capture.len()));
            let end = capture.floor_char_boundary((at + cut).min(capture.len()));
            parse_all(&format!("{}{junk}{}", &capture[..at], &capture[end..]));
        }
    }
}

// ---------------------------------------------------------------- the server decides first

/// A tunnel routing MARS, whose client's settings name Harvard University's VPN server: it is
/// that VPN, never the HMS VPN (issue 11, situation 2).
#[test]
fn tunnel_to_another_harvard_vpn_is_never_hms_whatever_its_routes() {
    let mut c = home();
    add_tun(&mut c, "utun4", "10.31.2.9/32", &["198.18.0.0/15"]);
    c.interfaces[2].description = None;
    c.processes.push(VpnProcess {
        client: "Cisco AnyConnect",
        matched_gateway: None,
        interface: None,
    });
    c.client_gateways.push(ClientGateway {
        client: "Cisco AnyConnect",
        gateways: vec!["vpn.harvard.edu".into()],
        tunnel_addrs: vec![],
        source: "Cisco AnyConnect's settings".into(),
    });
    let v = classify(&c, &mars());
    assert_eq!(v[0].client.as_deref(), Some("Cisco AnyConnect"));
    assert_eq!(v[0].gateway.as_deref(), Some("vpn.harvard.edu"));
    assert_eq!(v[0].network.as_deref(), Some("Harvard University VPN"));
    assert_eq!(v[0].role, VpnRole::Unknown, "{v:#?}");
    let evidence = v[0].evidence.join("\n");
    assert!(
        evidence.contains("covers mars"),
        "the route is still shown: {evidence}"
    );
    assert!(
        evidence.contains("server of the Harvard University VPN, not the HMS VPN"),
        "{evidence}"
    );
    // The same tunnel with no word on its server: its routes make it the HMS VPN, as before.
    c.client_gateways.clear();
    let v = classify(&c, &mars());
    assert_eq!((v[0].role, v[0].network.as_deref()), (VpnRole::Hms, None));
}

/// openconnect's command line names a hospital's server: an affiliate tunnel, named.
#[test]
fn command_line_server_of_a_hospital_vpn() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["0.0.0.0/0"]);
    c.processes.push(VpnProcess {
        client: "openconnect",
        matched_gateway: Some("vpn.childrens.harvard.edu".into()),
        interface: Some("tun0".into()),
    });
    let v = classify(&c, &mars());
    assert_eq!(v[0].role, VpnRole::Affiliate);
    assert_eq!(
        v[0].network.as_deref(),
        Some("Boston Children's Hospital VPN")
    );
    assert_eq!(v[0].gateway.as_deref(), Some("vpn.childrens.harvard.edu"));
}

/// GlobalProtect records its tunnel's address: the tunnel holding it is GlobalProtect's and
/// connected to the recorded portal, the HMS VPN's, even with an unnamed utun and no routes
/// covering MARS.
#[test]
fn globalprotect_tunnel_address_binds_client_and_portal() {
    let mut c = home();
    add_tun(&mut c, "utun3", "10.116.16.225/32", &["10.116.0.0/16"]);
    add_tun(&mut c, "utun5", "100.64.1.2/32", &["100.64.0.0/10"]);
    c.client_gateways.push(ClientGateway {
        client: "GlobalProtect",
        gateways: vec!["vpn.hms.harvard.edu".into()],
        tunnel_addrs: vec![ip("10.116.16.225")],
        source: "GlobalProtect's settings".into(),
    });
    let v = classify(&c, &[]);
    let gp = v.iter().find(|v| v.interface == "utun3").unwrap();
    assert_eq!(gp.client.as_deref(), Some("GlobalProtect"));
    assert_eq!(gp.role, VpnRole::Hms);
    assert_eq!(gp.network.as_deref(), Some(HMS_NETWORK));
    assert!(
        gp.evidence
            .iter()
            .any(|e| e.contains("holds the tunnel address that GlobalProtect's settings records")),
        "{gp:#?}"
    );
    let other = v.iter().find(|v| v.interface == "utun5").unwrap();
    assert_eq!(
        (other.role, other.gateway.as_deref()),
        (VpnRole::Unknown, None)
    );
}

/// Settings naming several servers (Pulse keeps every connection) do not say which one is in
/// use: no server is bound from them.
#[test]
fn several_saved_servers_bind_nothing() {
    let mut c = home();
    add_tun(&mut c, "utun4", "10.250.3.17/32", &["10.250.0.0/16"]);
    c.interfaces[2].description = Some("Pulse Secure".into());
    c.client_gateways.push(ClientGateway {
        client: "Pulse Secure",
        gateways: vec![
            "vpn.hms.harvard.edu".into(),
            "vpn.childrens.harvard.edu".into(),
        ],
        tunnel_addrs: vec![],
        source: "Pulse Secure's settings".into(),
    });
    let v = classify(&c, &mars());
    assert_eq!(v[0].client.as_deref(), Some("Pulse Secure"));
    assert_eq!(
        (v[0].gateway.as_deref(), v[0].network.as_deref()),
        (None, None)
    );
    c.client_gateways[0].gateways.pop();
    let v = classify(&c, &mars());
    assert_eq!(v[0].gateway.as_deref(), Some("vpn.hms.harvard.edu"));
    assert_eq!(v[0].role, VpnRole::Hms);
}
