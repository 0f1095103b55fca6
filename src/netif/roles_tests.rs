//! Whose VPN a tunnel is: the server decides first (contract 3, "Tunnel roles").

use super::tests::{add_tun, home, ip, mars, vpns};
use super::*;
use crate::os::{ClientGateway, VpnProcess};
use crate::report::model::{Role, VpnRole};

/// A tunnel routing MARS, whose client's settings name Harvard University's VPN server: it is
/// that VPN, never the HMS VPN (issue 11, situation 2).
#[test]
fn tunnel_to_another_harvard_vpn_is_never_hms_whatever_its_routes() {
    let mut c = home();
    add_tun(&mut c, "utun4", "10.31.2.9/32", &["198.18.0.0/15"]);
    c.network.interfaces[2].description = None;
    c.network.processes.push(VpnProcess {
        client: "Cisco AnyConnect",
        matched_gateway: None,
        addresses: vec![],
        interface: None,
    });
    c.network.client_gateways.push(ClientGateway {
        client: "Cisco AnyConnect",
        gateways: vec!["vpn.harvard.edu".into()],
        tunnel_addrs: vec![],
        source: "Cisco AnyConnect's settings".into(),
    });
    let v = vpns(&c, &mars());
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
    c.network.client_gateways.clear();
    let v = vpns(&c, &mars());
    assert_eq!((v[0].role, v[0].network.as_deref()), (VpnRole::Hms, None));
}

/// openconnect's command line names a hospital's server: an affiliate tunnel, named.
#[test]
fn command_line_server_of_a_hospital_vpn() {
    let mut c = home();
    add_tun(&mut c, "tun0", "10.8.0.2/24", &["0.0.0.0/0"]);
    c.network.processes.push(VpnProcess {
        client: "openconnect",
        matched_gateway: Some("vpn.childrens.harvard.edu".into()),
        addresses: vec![],
        interface: Some("tun0".into()),
    });
    let v = vpns(&c, &mars());
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
    c.network.client_gateways.push(ClientGateway {
        client: "GlobalProtect",
        gateways: vec!["vpn.hms.harvard.edu".into()],
        tunnel_addrs: vec![ip("10.116.16.225")],
        source: "GlobalProtect's settings".into(),
    });
    let v = vpns(&c, &[]);
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
    c.network.interfaces[2].description = Some("Pulse Secure".into());
    c.network.client_gateways.push(ClientGateway {
        client: "Pulse Secure",
        gateways: vec![
            "vpn.hms.harvard.edu".into(),
            "vpn.childrens.harvard.edu".into(),
        ],
        tunnel_addrs: vec![],
        source: "Pulse Secure's settings".into(),
    });
    let v = vpns(&c, &mars());
    assert_eq!(v[0].client.as_deref(), Some("Pulse Secure"));
    assert_eq!(
        (v[0].gateway.as_deref(), v[0].network.as_deref()),
        (None, None)
    );
    c.network.client_gateways[0].gateways.pop();
    let v = vpns(&c, &mars());
    assert_eq!(v[0].gateway.as_deref(), Some("vpn.hms.harvard.edu"));
    assert_eq!(v[0].role, VpnRole::Hms);
}

/// The HMS VPN's tunnel, held by an openconnect process connected to the HMS gateway.
fn hms_vpn_named(c: &mut crate::os::Reading, name: &str, routes: &[&str]) {
    add_tun(c, name, "10.250.3.17/32", routes);
    c.network.processes.push(VpnProcess {
        client: "openconnect",
        matched_gateway: Some("vpn.hms.harvard.edu".into()),
        addresses: vec![],
        interface: Some(name.into()),
    });
}

fn role_of(v: &[crate::report::model::Vpn], name: &str) -> VpnRole {
    v.iter().find(|v| v.interface == name).expect(name).role
}

/// Issue 19: the HMS VPN beside a corporate full-tunnel VPN that also routes HMS's block. The
/// corporate tunnel's server is not named: its route to MARS does not make it a second HMS VPN
/// while the other tunnel's server is the HMS gateway.
#[test]
fn a_corporate_full_tunnel_routing_mars_is_not_a_second_hms_vpn() {
    let mut c = home();
    hms_vpn_named(&mut c, "tun0", &["10.250.0.0/16"]);
    add_tun(
        &mut c,
        "tun1",
        "172.20.0.9/32",
        &["0.0.0.0/1", "128.0.0.0/1", "198.18.20.0/24"],
    );
    let v = vpns(&c, &mars());
    assert_eq!(role_of(&v, "tun0"), VpnRole::Hms, "{v:#?}");
    assert_eq!(role_of(&v, "tun1"), VpnRole::Unknown, "{v:#?}");
    let corp = v.iter().find(|v| v.interface == "tun1").unwrap();
    assert!(
        corp.evidence
            .iter()
            .any(|e| e.contains("covers mars") && e.contains("tun1")),
        "the route is still shown: {corp:#?}"
    );
    assert!(
        corp.evidence.iter().any(|e| e
            == "tun0 is connected to the HMS VPN's server, so this route does not make tun1 the HMS VPN"),
        "{corp:#?}"
    );
    // The same two tunnels with no word on either server: the route decides, as before.
    c.network.processes.clear();
    let v = vpns(&c, &mars());
    assert_eq!(role_of(&v, "tun1"), VpnRole::Hms, "{v:#?}");
    assert_eq!(role_of(&v, "tun0"), VpnRole::Unknown, "{v:#?}");
}

/// Issue 19: a hospital VPN that routes MARS's block beside the HMS VPN is the hospital's
/// (affiliate, from its route to the portal), never `hms`; routing MARS's block alone, unknown.
#[test]
fn a_hospital_vpn_routing_mars_beside_the_hms_vpn_is_not_hms() {
    let mut c = home();
    hms_vpn_named(&mut c, "tun0", &["10.250.0.0/16"]);
    add_tun(&mut c, "wg0", "10.66.0.2/32", &["198.18.0.0/16"]);
    let targets = vec![
        (Role::Mars, vec![ip("198.18.20.10")]),
        (Role::Affiliate, vec![ip("198.18.41.5")]),
    ];
    let v = vpns(&c, &targets);
    assert_eq!(role_of(&v, "tun0"), VpnRole::Hms, "{v:#?}");
    assert_eq!(role_of(&v, "wg0"), VpnRole::Affiliate, "{v:#?}");
    let v = vpns(&c, &mars());
    assert_eq!(role_of(&v, "wg0"), VpnRole::Unknown, "{v:#?}");
}

/// A server some source names that the profile does not know is never the HMS VPN's, whatever
/// routes the tunnel carries; its routes still tell an affiliate tunnel from an unknown one.
#[test]
fn a_named_server_the_profile_does_not_know_is_never_hms() {
    let mut c = home();
    add_tun(&mut c, "utun4", "10.31.2.9/32", &["198.18.0.0/15"]);
    c.network.client_gateways.push(ClientGateway {
        client: "GlobalProtect",
        gateways: vec!["vpn.acme.example".into()],
        tunnel_addrs: vec![ip("10.31.2.9")],
        source: "GlobalProtect's settings".into(),
    });
    let v = vpns(&c, &mars());
    assert_eq!(v[0].gateway.as_deref(), Some("vpn.acme.example"));
    assert_eq!(v[0].role, VpnRole::Unknown, "{v:#?}");
    assert_eq!(v[0].network, None);
    assert!(
        v[0].evidence
            .iter()
            .any(|e| e == "vpn.acme.example is not the HMS VPN's server"),
        "{v:#?}"
    );
    let v = vpns(
        &c,
        &[
            (Role::Mars, vec![ip("198.18.20.10")]),
            (Role::Affiliate, vec![ip("198.18.41.5")]),
        ],
    );
    assert_eq!(v[0].role, VpnRole::Affiliate, "{v:#?}");
}

/// Two tunnels connected to the HMS gateway are both the HMS VPN's; an unnamed third that
/// routes MARS is not.
#[test]
fn every_tunnel_to_the_hms_gateway_is_hms() {
    let mut c = home();
    hms_vpn_named(&mut c, "tun0", &["10.250.0.0/16"]);
    hms_vpn_named(&mut c, "tun1", &["10.251.0.0/16"]);
    add_tun(&mut c, "tun2", "10.9.0.2/32", &["198.18.20.0/24"]);
    let v = vpns(&c, &mars());
    assert_eq!(role_of(&v, "tun0"), VpnRole::Hms);
    assert_eq!(role_of(&v, "tun1"), VpnRole::Hms);
    assert_eq!(role_of(&v, "tun2"), VpnRole::Unknown, "{v:#?}");
}

/// Lab scenario 44's tunnels: the HMS VPN's openvpn (split, `--remote 198.18.64.1`, and the host
/// route to that gateway it adds) beside Acme's full tunnel that also routes HMS's block.
fn hms_split_beside_acme_full(with_process_address: bool) -> crate::os::Reading {
    let mut c = home();
    add_tun(&mut c, "tun0", "198.18.72.2/32", &["198.18.64.0/20"]);
    add_tun(
        &mut c,
        "wg-acme",
        "198.18.98.2/32",
        &["0.0.0.0/1", "128.0.0.0/1", "198.18.64.0/20"],
    );
    c.network.routes.push(super::tests::route(
        "198.18.64.1/32",
        Some("192.168.1.1"),
        "wlan0",
    ));
    c.network.processes.push(VpnProcess {
        client: "OpenVPN",
        matched_gateway: None,
        addresses: if with_process_address {
            vec![ip("198.18.64.1")]
        } else {
            vec![]
        },
        interface: Some("tun0".into()),
    });
    c
}

fn mars_and_gateway() -> Vec<(Role, Vec<std::net::IpAddr>)> {
    vec![
        (Role::Mars, vec![ip("198.18.64.10")]),
        (Role::Gateway, vec![ip("198.18.64.1")]),
    ]
}

/// A client process that names the HMS gateway by its address names its tunnel's server; the
/// other tunnel, whose server nothing names, is then never the HMS VPN, and the host route to
/// the gateway (the HMS client's own) is not taken for the full tunnel's.
#[test]
fn a_server_named_by_its_address_on_the_command_line() {
    let v = vpns(&hms_split_beside_acme_full(true), &mars_and_gateway());
    let tun0 = v.iter().find(|v| v.interface == "tun0").unwrap();
    assert_eq!(tun0.role, VpnRole::Hms, "{v:#?}");
    assert_eq!(tun0.gateway.as_deref(), Some("vpn.hms.harvard.edu"));
    assert!(
        tun0.evidence.iter().any(|e| e
            == "OpenVPN process is connected to 198.18.64.1, the address of vpn.hms.harvard.edu"),
        "{tun0:#?}"
    );
    let acme = v.iter().find(|v| v.interface == "wg-acme").unwrap();
    assert_eq!(
        (acme.role, acme.gateway.as_deref()),
        (VpnRole::Unknown, None),
        "{v:#?}"
    );
}

/// The host route to the HMS gateway does not say whose it is when another tunnel than the
/// full one routes MARS: it names no server then (the routes judge both tunnels).
#[test]
fn a_host_route_to_the_gateway_beside_a_split_tunnel_to_mars_names_nothing() {
    let v = vpns(&hms_split_beside_acme_full(false), &mars_and_gateway());
    assert!(v.iter().all(|v| v.gateway.is_none()), "{v:#?}");
    assert_eq!(
        v.iter().filter(|v| v.role == VpnRole::Hms).count(),
        1,
        "one tunnel routes MARS best: {v:#?}"
    );
}
