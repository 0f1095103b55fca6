//! The macOS and Windows parsers against real captures that other projects committed to
//! public repositories (`tests/fixtures/{macos,windows}/real/`, provenance in
//! `tests/fixtures/README.md`). Each test asserts what its capture really shows.

use std::collections::BTreeSet;
use std::net::IpAddr;

use super::{parse_ifconfig, parse_netstat_rn, parse_scutil_dns};
use crate::netif::windows::{
    IfRef, RawRoute, parse_ipconfig_all, parse_ipconfig_dns, parse_route_print, resolve_routes,
};
use crate::netif::{Prefix, RouteEntry};

macro_rules! capture {
    ($os:literal, $name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/",
            $os,
            "/real/",
            $name
        ))
    };
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// Destinations on one interface, in table order.
fn on(routes: &[RouteEntry], iface: &str) -> Vec<String> {
    routes
        .iter()
        .filter(|r| r.interface == iface)
        .map(|r| r.destination.to_string())
        .collect()
}

fn interfaces(routes: &[RouteEntry]) -> BTreeSet<&str> {
    routes.iter().map(|r| r.interface.as_str()).collect()
}

/// The interface the longest matching route sends `to` through (the kernel's choice).
fn via(routes: &[RouteEntry], to: &str) -> String {
    let to = ip(to);
    routes
        .iter()
        .filter(|r| r.destination.contains(to))
        .max_by_key(|r| r.destination.len)
        .map(|r| r.interface.clone())
        .unwrap_or_default()
}

fn default_v4(routes: &[RouteEntry]) -> Vec<(String, Option<IpAddr>)> {
    routes
        .iter()
        .filter(|r| r.destination.to_string() == "0.0.0.0/0")
        .map(|r| (r.interface.clone(), r.gateway))
        .collect()
}

// ---------------------------------------------------------------- macOS netstat -rn

#[test]
fn netstat_mac_os_x_2011_refs_use_columns() {
    let r = parse_netstat_rn(capture!("macos", "netstat_rn_macosx_2011_glpi.txt"));
    assert_eq!(r.len(), 6, "{r:?}");
    assert_eq!(interfaces(&r), BTreeSet::from(["en0", "lo0"]));
    assert_eq!(default_v4(&r), [("en0".into(), Some(ip("192.168.0.254")))]);
    assert_eq!(
        on(&r, "lo0"),
        ["127.0.0.0/8", "127.0.0.1/32", "192.168.0.27/32"]
    );
}

#[test]
fn netstat_10_12_refs_use_in_ipv4_table_only() {
    let r = parse_netstat_rn(capture!("macos", "netstat_rn_10.12.6_getmac.txt"));
    assert_eq!(default_v4(&r), [("en0".into(), Some(ip("10.0.2.2")))]);
    assert_eq!(interfaces(&r), BTreeSet::from(["en0", "lo0"]));
    let v4 = r.iter().filter(|e| e.destination.addr.is_ipv4()).count();
    assert_eq!(v4, 9, "ARP entries (L flag) dropped: {r:?}");
    // The IPv6 table has no Refs/Use columns: its interface is the fourth word.
    assert_eq!(
        on(&r, "en0")
            .iter()
            .filter(|d| d.contains(':'))
            .collect::<Vec<_>>(),
        ["fe80::/64", "ff01::/32", "ff02::/32"]
    );
}

#[test]
fn netstat_10_14_with_mtu_column() {
    let r = parse_netstat_rn(capture!("macos", "netstat_rnl_10.14.6_jc.txt"));
    assert_eq!(default_v4(&r), [("en0".into(), Some(ip("192.168.1.254")))]);
    assert_eq!(on(&r, "vmnet8"), ["192.168.71.0/24"]);
    assert_eq!(on(&r, "vmnet1"), ["192.168.101.0/24"]);
    let v6_default: Vec<_> = r
        .iter()
        .filter(|e| e.destination.to_string() == "::/0")
        .collect();
    assert_eq!(
        v6_default.len(),
        1,
        "the four utun scoped defaults are dropped"
    );
    assert_eq!(v6_default[0].interface, "en0");
    assert_eq!(v6_default[0].gateway, Some(ip("fe80::feae:34ff:fea1:3a80")));
    assert!(
        interfaces(&r)
            .iter()
            .all(|i| i.starts_with(|c: char| c.is_ascii_lowercase())),
        "no counter column read as an interface: {:?}",
        interfaces(&r)
    );
}

#[test]
fn netstat_high_sierra_era_with_parallels_and_system_utuns() {
    let r = parse_netstat_rn(capture!("macos", "netstat_rn_refs_plc4x.txt"));
    assert_eq!(default_v4(&r), [("en0".into(), Some(ip("10.10.56.1")))]);
    assert_eq!(on(&r, "vnic0"), ["10.211.55.0/24"]);
    assert_eq!(on(&r, "vnic1"), ["10.37.129.0/24"]);
    assert!(on(&r, "en7").contains(&"192.168.0.0/16".to_string()));
    assert_eq!(on(&r, "utun0"), ["fe80::/64", "ff01::/32", "ff02::/32"]);
    assert_eq!(via(&r, "198.18.20.10"), "en0");
}

#[test]
fn netstat_tunnelblick_before_full_and_split_tunnel() {
    let before = parse_netstat_rn(capture!(
        "macos",
        "netstat_rnf_inet_tunnelblick_before_aws-dcos.txt"
    ));
    assert!(on(&before, "utun3").is_empty());
    assert_eq!(via(&before, "10.1.2.3"), "en0");

    let full = parse_netstat_rn(capture!(
        "macos",
        "netstat_rnf_inet_tunnelblick_full_aws-dcos.txt"
    ));
    assert_eq!(
        on(&full, "utun3"),
        [
            "0.0.0.0/1",
            "10.0.0.0/8",
            "128.0.0.0/1",
            "192.168.255.1/32",
            "192.168.255.5/32"
        ]
    );
    let half = full
        .iter()
        .find(|e| e.destination.to_string() == "0.0.0.0/1")
        .unwrap();
    assert_eq!(half.gateway, Some(ip("192.168.255.5")));
    // redirect-gateway def1: everything goes through the tunnel except the VPN server.
    assert_eq!(via(&full, "198.18.20.10"), "utun3");
    assert_eq!(via(&full, "13.125.122.244"), "en0");
    assert_eq!(default_v4(&full), [("en0".into(), Some(ip("192.168.0.1")))]);

    let split = parse_netstat_rn(capture!(
        "macos",
        "netstat_rnf_inet_tunnelblick_split_aws-dcos.txt"
    ));
    assert_eq!(
        on(&split, "utun3"),
        ["10.0.0.0/8", "192.168.255.1/32", "192.168.255.5/32"]
    );
    assert_eq!(via(&split, "10.1.2.3"), "utun3");
    assert_eq!(via(&split, "198.18.20.10"), "en0");
}

#[test]
fn netstat_15_without_refs_use() {
    let r = parse_netstat_rn(capture!("macos", "netstat_rn_15.7.9_getmac.txt"));
    assert_eq!(r.len(), 33, "{r:?}");
    assert_eq!(default_v4(&r), [("en0".into(), Some(ip("198.51.100.1")))]);
    assert!(
        r.iter()
            .all(|e| e.destination.len != 0 || e.interface == "en0"),
        "the utun scoped IPv6 defaults are dropped"
    );
    for u in ["utun0", "utun1", "utun2", "utun3"] {
        assert_eq!(
            on(&r, u),
            ["fe80::/64", "ff00::/8", "ff01::/32", "ff02::/32"]
        );
    }
}

#[test]
fn netstat_full_tunnel_default_on_utun() {
    let r = parse_netstat_rn(capture!("macos", "netstat_rn_utun_default_gateway.txt"));
    // en0's default is interface-scoped (I flag); the system default goes into utun3.
    assert_eq!(default_v4(&r), [("utun3".into(), None)]);
}

// ---------------------------------------------------------------- macOS ifconfig

#[test]
fn ifconfig_catalina_with_a_vpn_utun() {
    let ifs = parse_ifconfig(capture!("macos", "ifconfig_10.15_vpn_utun4_glpi.txt"));
    assert_eq!(ifs.len(), 26);
    let utun4 = ifs.iter().find(|i| i.name == "utun4").unwrap();
    assert!(utun4.up && utun4.point_to_point);
    assert_eq!(utun4.kind, "tunnel");
    assert_eq!(utun4.addresses[0], "10.75.129.190/24");
    for u in ["utun0", "utun1", "utun2", "utun3"] {
        let i = ifs.iter().find(|i| i.name == u).unwrap();
        assert!(i.addresses.iter().all(|a| a.starts_with("fe80::")), "{i:?}");
    }
    let en0 = ifs.iter().find(|i| i.name == "en0").unwrap();
    assert!(!en0.up, "en0 status: inactive");
    let en35 = ifs.iter().find(|i| i.name == "en35").unwrap();
    assert!(en35.addresses.contains(&"192.168.0.205/24".to_string()));
}

#[test]
fn ifconfig_mojave_and_sonoma_system_utuns() {
    for (text, utuns, en0, mac) in [
        (
            capture!("macos", "ifconfig_10.14.6_jc.txt"),
            5,
            "192.168.1.72/24",
            "f0:18:98",
        ),
        (
            capture!("macos", "ifconfig_14.4_glpi.txt"),
            4,
            "192.168.2.46/24",
            "9e:00:06",
        ),
    ] {
        let ifs = parse_ifconfig(text);
        let u: Vec<_> = ifs.iter().filter(|i| i.name.starts_with("utun")).collect();
        assert_eq!(u.len(), utuns);
        assert!(u.iter().all(|i| i.up
            && i.point_to_point
            && i.addresses.len() == 1
            && i.addresses[0].starts_with("fe80::")));
        let e = ifs.iter().find(|i| i.name == "en0").unwrap();
        assert!(e.up && e.addresses.contains(&en0.to_string()), "{e:?}");
        assert!(
            text.contains(mac) && !format!("{ifs:?}").contains(mac),
            "no MAC kept"
        );
    }
}

#[test]
fn ifconfig_sierra_indented_with_spaces() {
    let ifs = parse_ifconfig(capture!("macos", "ifconfig_10.12.6_getmac.txt"));
    let names: Vec<&str> = ifs.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(names, ["lo0", "gif0", "stf0", "en0"]);
    assert_eq!(
        ifs[3].addresses,
        ["fe80::18d8:82a8:174e:ac2/64", "10.0.2.15/24"]
    );
}

// ---------------------------------------------------------------- macOS scutil --dns

#[test]
fn scutil_dns_tailscale_supplemental_resolver() {
    let s = parse_scutil_dns(capture!(
        "macos",
        "scutil_dns_tailscale_supplemental_doggo.txt"
    ));
    // Resolvers #1 (search domain) and #3 (domain) say the same thing: reported once.
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].interface, "utun12");
    assert_eq!(s[0].domains, ["dove-climb.ts.net"]);
    assert_eq!(s[0].nameservers, [ip("100.100.100.100")]);
    // en0's resolvers, the mDNS ones and the scoped section are not split DNS.
    assert!(!format!("{s:?}").contains("1.1.1.1"));
}

#[test]
fn scutil_dns_globalprotect_and_ppp_vpn_take_over_the_default_resolver() {
    // GlobalProtect (snipped by its author) and an old PPP VPN replace the default resolver:
    // no per-domain resolver, so nothing to report as split DNS.
    for text in [
        capture!("macos", "scutil_dns_globalprotect_snipped_rakhesh.txt"),
        capture!("macos", "scutil_dns_10.8_ppp_vpn.txt"),
    ] {
        assert!(parse_scutil_dns(text).is_empty());
    }
}

// ---------------------------------------------------------------- Windows route print

fn v4(raw: &[RawRoute]) -> Vec<&RawRoute> {
    raw.iter()
        .filter(|r| r.destination.addr.is_ipv4())
        .collect()
}

fn v6(raw: &[RawRoute]) -> Vec<&RawRoute> {
    raw.iter()
        .filter(|r| r.destination.addr.is_ipv6())
        .collect()
}

fn prefix(s: &str) -> Prefix {
    s.parse().unwrap()
}

#[test]
fn route_print_german_auf_verbindung() {
    let (ifs, raw) = parse_route_print(capture!("windows", "route_print_de_win7_plc4x.txt"));
    assert_eq!(ifs.len(), 6);
    assert_eq!(ifs[5], (15, "Microsoft-ISATAP-Adapter #2".to_string()));
    let v4 = v4(&raw);
    assert_eq!(v4.len(), 16, "every \"Auf Verbindung\" row: {v4:?}");
    assert_eq!(v4[0].gateway, Some(ip("10.211.55.1")));
    assert_eq!(v4[1].destination, prefix("10.211.55.0/24"));
    assert_eq!(v4[1].gateway, None, "Auf Verbindung is on-link");
    assert_eq!(v4[1].via, IfRef::Addr(ip("10.211.55.3")));
    let v6 = v6(&raw);
    assert_eq!(
        v6.len(),
        15,
        "wrapped rows whose gateway is two words: {v6:?}"
    );
    assert_eq!(v6[0].destination, prefix("::/0"));
    assert_eq!(v6[0].gateway, Some(ip("fe80::21c:42ff:fe00:18")));
    assert_eq!(v6[0].via, IfRef::Index(11));
    let wrapped = v6
        .iter()
        .find(|r| r.destination == prefix("fdb2:2c26:f4e4:1:797d:18a9:3dd6:8105/128"))
        .unwrap();
    assert_eq!((wrapped.gateway, &wrapped.via), (None, &IfRef::Index(14)));
}

#[test]
fn route_print_spanish_en_vinculo_keeps_the_tunnel_route() {
    let text = capture!("windows", "route_print_es_gateway.txt");
    // A console in a legacy code page turns "í" into a replacement character when read as
    // UTF-8: the rows must not depend on that word either.
    for text in [text.to_string(), text.replace('í', "\u{fffd}")] {
        let (ifs, raw) = parse_route_print(&text);
        assert_eq!(ifs[0], (29, "SGNAutobahn Tunnel".to_string()));
        assert_eq!(ifs.len(), 7);
        assert_eq!(raw.len(), 2, "{raw:?}");
        assert_eq!(raw[0].gateway, Some(ip("192.168.100.1")));
        assert_eq!(raw[1].destination, prefix("0.0.0.0/2"));
        assert_eq!(raw[1].gateway, None);
        assert_eq!(raw[1].via, IfRef::Addr(ip("123.45.0.10")));
    }
}

#[test]
fn route_print_french_headings() {
    let (ifs, raw) = parse_route_print(capture!("windows", "route_print_fr_gateway.txt"));
    assert_eq!(ifs.len(), 2);
    assert_eq!(raw.len(), 1);
    assert_eq!(raw[0].gateway, Some(ip("10.88.88.2")));
    assert_eq!(raw[0].via, IfRef::Addr(ip("10.88.88.149")));
}

#[test]
fn route_print_anyconnect_second_default() {
    let (ifs, raw) = parse_route_print(capture!("windows", "route_print_anyconnect_gateway.txt"));
    assert_eq!(ifs[0].0, 19);
    assert!(
        ifs[0]
            .1
            .starts_with("Cisco AnyConnect Secure Mobility Client")
    );
    let gw: Vec<_> = raw.iter().map(|r| (r.gateway, r.via.clone())).collect();
    assert_eq!(
        gw,
        [
            (Some(ip("192.168.100.1")), IfRef::Addr(ip("192.168.100.74"))),
            (Some(ip("10.21.38.1")), IfRef::Addr(ip("10.21.38.97")))
        ]
    );
}

#[test]
fn route_print_tap_persistent_route_counted_once() {
    let (ifs, raw) = parse_route_print(capture!("windows", "route_print_win10_tap_jc.txt"));
    assert_eq!(ifs[0], (8, "TAP-Windows Adapter V9".to_string()));
    assert_eq!(v4(&raw).len(), 47);
    assert_eq!(v6(&raw).len(), 26);
    let p: Vec<_> = raw
        .iter()
        .filter(|r| r.destination == prefix("157.0.0.0/8"))
        .collect();
    assert_eq!(
        p.len(),
        1,
        "the persistent list is not read as active routes"
    );
    assert_eq!(p[0].via, IfRef::Addr(ip("127.0.0.1")));
}

#[test]
fn route_print_wireguard_routes_land_on_its_adapter() {
    let (ifs, raw4) = parse_route_print(capture!(
        "windows",
        "route_print_4_win10_wireguard_getmac.txt"
    ));
    assert_eq!(raw4.len(), 41);
    assert!(ifs.contains(&(12, "WireGuard Tunnel".to_string())));
    let (ifs6, raw6) = parse_route_print(capture!(
        "windows",
        "route_print_6_win10_wireguard_getmac.txt"
    ));
    assert_eq!(raw6.len(), 23);
    let table: Vec<(u32, String, Vec<IpAddr>)> = ifs6
        .iter()
        .map(|(i, d)| (*i, d.clone(), Vec::new()))
        .collect();
    let r = resolve_routes(&raw6, &table);
    assert_eq!(
        on(&r, "WireGuard Tunnel"),
        ["fe80::/64", "fe80::c45c:29cc:f16d:350d/128", "ff00::/8"]
    );
}

#[test]
fn route_print_rows_only_globalprotect() {
    let (_, raw) = parse_route_print(capture!(
        "windows",
        "route_print_rows_globalprotect_wsl2vpn.txt"
    ));
    assert_eq!(raw.len(), 3);
    assert_eq!(raw[1].destination, prefix("172.28.16.0/20"));
    assert_eq!(raw[1].via, IfRef::Addr(ip("10.183.12.31")));
}

// ---------------------------------------------------------------- Windows ipconfig /all

#[test]
fn ipconfig_german_windows_11() {
    let text = capture!("windows", "ipconfig_all_de_win11_nwt.txt");
    let ifs = parse_ipconfig_all(text);
    let names: Vec<&str> = ifs.iter().map(|(i, _)| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Ethernet",
            "vEthernet (WSL (Hyper-V firewall))",
            "LAN-Verbindung* 3",
            "LAN-Verbindung* 4",
            "WLAN",
            "Bluetooth-Netzwerkverbindung"
        ]
    );
    let up: Vec<bool> = ifs.iter().map(|(i, _)| i.up).collect();
    assert_eq!(
        up,
        [false, true, false, false, true, false],
        "Medium getrennt"
    );
    let (wlan, idx) = &ifs[4];
    assert_eq!(wlan.kind, "wifi");
    assert_eq!(*idx, Some(5));
    assert_eq!(
        wlan.description.as_deref(),
        Some("MediaTek Wi-Fi 6 MT7921 Wireless LAN Card")
    );
    assert_eq!(
        wlan.addresses,
        [
            "2a04:9546:19ba:af01:c52c:be1:3372:e973/128",
            "2a04:9546:19ba:af01:cd1:8efb:95ec:cc18/128",
            "fe80::e436:d5b3:2c27:c44e/64",
            "192.168.178.23/24"
        ]
    );
    assert_eq!(ifs[1].0.addresses[1], "172.22.16.1/20");
    assert_eq!(ifs[1].1, Some(50));
    // The gateway (fe80::…%5 and 192.168.178.1) is not a DNS server line; the DNS servers are.
    assert_eq!(
        parse_ipconfig_dns(text),
        [(
            "WLAN".to_string(),
            vec![
                ip("fd00::62b5:8dff:fe35:646d"),
                ip("2a04:9546:19ba:af01:62b5:8dff:fe35:646d"),
                ip("192.168.178.1")
            ]
        )]
    );
    assert!(!format!("{ifs:?}").contains("D0-39-57"), "no MAC kept");
}

#[test]
fn ipconfig_german_hyper_v_host() {
    let text = capture!("windows", "ipconfig_all_de_r406.txt");
    let ifs = parse_ipconfig_all(text);
    assert_eq!(ifs.len(), 3);
    let (eth, idx) = &ifs[1];
    assert_eq!(eth.name, "Ethernet 2");
    assert_eq!(eth.kind, "ethernet");
    assert_eq!(*idx, Some(7));
    assert_eq!(
        eth.addresses,
        ["fe80::d83d:be25:207a:c203/64", "10.50.104.30/24"]
    );
    let dns = parse_ipconfig_dns(text);
    assert_eq!(dns[1].0, "Ethernet 2");
    assert_eq!(dns[1].1, [ip("10.50.100.159"), ip("10.50.100.158")]);
}

#[test]
fn ipconfig_tailscale_wintun_adapter() {
    let text = capture!("windows", "ipconfig_all_win10_tailscale_jc.txt");
    let ifs = parse_ipconfig_all(text);
    let (ts, idx) = &ifs[0];
    assert_eq!(ts.name, "Tailscale");
    assert_eq!(ts.description.as_deref(), Some("Tailscale Tunnel"));
    assert!(ts.up);
    assert_eq!(*idx, Some(8));
    assert_eq!(
        ts.addresses,
        [
            "fd7a:115c:a1e0:ab12:4843:cd96:6293:47b2/128",
            "fe80::99d0:ec2d:b2e7:536b/64",
            "100.115.71.66/32"
        ]
    );
    assert_eq!(ifs[1].0.addresses[1], "10.50.13.132/24");
    assert!(!ifs[2].0.up);
    let dns = parse_ipconfig_dns(text);
    assert_eq!(dns[1], ("Ethernet 2".to_string(), vec![ip("10.50.13.1")]));
}

#[test]
fn ipconfig_nordvpn_tap_and_openvpn_dco_disconnected() {
    let text = capture!("windows", "ipconfig_all_win11_nordvpn_jc.txt");
    let ifs = parse_ipconfig_all(text);
    assert_eq!(ifs.len(), 10);
    let tap = ifs
        .iter()
        .find(|(i, _)| i.description.as_deref() == Some("TAP-NordVPN Windows Adapter V9"))
        .unwrap();
    assert_eq!(tap.0.name, "Local Area Connection");
    assert!(!tap.0.up && tap.0.addresses.is_empty());
    let dco = ifs
        .iter()
        .find(|(i, _)| i.name == "OpenVPN Data Channel Offload for NordVPN")
        .unwrap();
    assert!(!dco.0.up);
    let wifi = ifs.iter().find(|(i, _)| i.name == "Wi-Fi").unwrap();
    assert_eq!(wifi.0.kind, "wifi");
    assert!(wifi.0.addresses.contains(&"192.168.1.169/24".to_string()));
    assert_eq!(
        parse_ipconfig_dns(text),
        [("Wi-Fi".to_string(), vec![ip("192.168.1.1")])]
    );
}

#[test]
fn ipconfig_windows_7_and_10_english() {
    let ifs = parse_ipconfig_all(capture!("windows", "ipconfig_all_win7_jc.txt"));
    assert_eq!(ifs.len(), 2);
    assert_eq!(ifs[0].0.addresses[1], "192.168.22.33/24");
    assert_eq!(ifs[1].0.kind, "tunnel", "isatap");
    assert!(!ifs[1].0.up);

    let text = capture!("windows", "ipconfig_all_win10_getmac.txt");
    let ifs = parse_ipconfig_all(text);
    let names: Vec<&str> = ifs.iter().map(|(i, _)| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Ethernet 3",
            "VMware Network Adapter VMnet1",
            "VMware Network Adapter VMnet8",
            "Local Area Connection* 1"
        ]
    );
    assert_eq!(
        parse_ipconfig_dns(text)[0],
        (
            "Ethernet 3".to_string(),
            vec![ip("8.8.8.8"), ip("208.67.220.220")]
        )
    );
}

/// Windows writes `ipconfig /all > file` in the console's OEM code page (850 for Spanish), not
/// UTF-8: the fixture holds those bytes, and the test reads them as `run_tool` does (lossy
/// UTF-8), so every accented letter is a U+FFFD replacement character.
#[test]
fn ipconfig_spanish_cp850_redirect() {
    let bytes = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/windows/real/ipconfig_all_es_cp850_dopazo.txt"
    ));
    let text = String::from_utf8_lossy(bytes);
    assert!(
        matches!(text, std::borrow::Cow::Owned(_)),
        "code page 850, not UTF-8"
    );
    assert!(text.contains("Configuraci\u{fffd}n IP de Windows"));
    let ifs = parse_ipconfig_all(&text);
    let names: Vec<&str> = ifs.iter().map(|(i, _)| i.name.as_str()).collect();
    assert_eq!(
        names,
        ["Npcap Loopback Adapter", "Ethernet 2", "Ethernet 3"]
    );
    assert!(ifs.iter().all(|(i, _)| i.up && i.kind == "ethernet"));
    // "Descripci\u{fffd}n" is no known label: the description is the value before the MAC.
    let descriptions: Vec<Option<&str>> =
        ifs.iter().map(|(i, _)| i.description.as_deref()).collect();
    assert_eq!(
        descriptions,
        [
            Some("Npcap Loopback Adapter"),
            Some("VirtualBox Host-Only Ethernet Adapter"),
            Some("Realtek PCIe GbE Family Controller #2")
        ]
    );
    // The link-local label holds a colon of its own ("V\u{fffd}nculo: direcci\u{fffd}n IPv6
    // local. . . : fe80::…"); the zone gives the index.
    let (eth, idx) = &ifs[2];
    assert_eq!(
        eth.addresses,
        ["fe80::a0c4:f4ba:aaaa:7edb/64", "10.103.103.2/24"]
    );
    assert_eq!(*idx, Some(10));
    assert_eq!(ifs[1].0.addresses[1], "192.168.56.1/24");
    assert_eq!(ifs[1].1, Some(18));
    // An APIPA address under a long label with no dot leader ("...autom\u{fffd}tica: 169…").
    assert_eq!(
        ifs[0].0.addresses,
        ["fe80::a885:5ae5:670a:9fca/64", "169.254.46.50/16"]
    );
    assert_eq!(ifs[0].1, Some(19));
    // The gateway (10.103.103.1) and the DHCP server are neither addresses nor DNS servers.
    let dns = parse_ipconfig_dns(&text);
    assert_eq!(dns.len(), 3);
    assert_eq!(
        dns[2],
        ("Ethernet 3".to_string(), vec![ip("1.1.1.3"), ip("1.0.0.3")])
    );
    assert_eq!(dns[0].1.len(), 3, "three fec0::ffff site-local servers");
    // Read in the right code page, the same bytes give the same adapters: only three letters
    // outside ASCII occur (850: 0xA0 á, 0xA1 í, 0xA2 ó).
    let utf8: String = bytes
        .iter()
        .map(|&b| match b {
            0xa0 => 'á',
            0xa1 => 'í',
            0xa2 => 'ó',
            b => {
                assert!(b.is_ascii(), "unexpected byte {b:#x}");
                char::from(b)
            }
        })
        .collect();
    assert!(utf8.contains("V\u{ed}nculo: direcci\u{f3}n IPv6 local"));
    assert_eq!(
        format!("{:?}", parse_ipconfig_all(&utf8)),
        format!("{ifs:?}")
    );
    let all = format!("{ifs:?}{dns:?}");
    assert!(!all.contains("10.103.103.1\""), "gateway kept as something");
    for mac in [
        "02-00-4C-4F-4F-50",
        "0A-00-27-00-00-12",
        "F4-B5-20-58-CE-44",
        "30-85-A9",
    ] {
        assert!(!all.contains(mac), "MAC {mac} kept");
    }
}
