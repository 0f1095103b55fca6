//! The Windows parsers against real captures that other projects committed to public
//! repositories (`tests/fixtures/windows/real/`, provenance in `tests/fixtures/README.md`).
//! Each test asserts what its capture really shows.

use std::net::IpAddr;

use super::{
    IfRef, RawRoute, parse_ipconfig_all, parse_ipconfig_dns, parse_route_print, resolve_routes,
};
use crate::os::Prefix;
use crate::os::captures::{capture, ip, on};
use crate::report::model::InterfaceKind;

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
    assert_eq!(wlan.kind, InterfaceKind::Wifi);
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
    assert_eq!(eth.kind, InterfaceKind::Ethernet);
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
    assert_eq!(wifi.0.kind, InterfaceKind::Wifi);
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
    assert_eq!(ifs[1].0.kind, InterfaceKind::Tunnel, "isatap");
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
    assert!(
        ifs.iter()
            .all(|(i, _)| i.up && i.kind == InterfaceKind::Ethernet)
    );
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
