//! The macOS parsers against real captures that other projects committed to public
//! repositories (`tests/fixtures/macos/real/`, provenance in `tests/fixtures/README.md`). Each
//! test asserts what its capture really shows.

use std::collections::BTreeSet;

use super::{parse_ifconfig, parse_netstat_rn, parse_scutil_dns};
use crate::os::captures::{capture, default_v4, interfaces, ip, on, via};
use crate::report::model::InterfaceKind;

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
    assert_eq!(utun4.kind, InterfaceKind::Tunnel);
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
