//! Tests of the client catalogue: every lookup, and the table's own consistency.

use super::*;

#[test]
fn process_names_per_os() {
    for (name, client) in [
        ("pulsesvc", Some("Pulse Secure")),
        ("Pulse.exe", Some("Pulse Secure")),
        ("dsAccessService.exe", Some("Pulse Secure")),
        ("vpnagent.exe", Some("Cisco AnyConnect")),
        ("vpnagentd", Some("Cisco AnyConnect")),
        ("PanGPS.exe", Some("GlobalProtect")),
        ("FortiTray.exe", Some("FortiClient")),
        ("openfortivpn", Some("openfortivpn")),
        ("openvpn", Some("OpenVPN")),
        ("wireguard-go", Some("WireGuard")),
        ("ZSATunnel.exe", Some("Zscaler")),
        ("openconnect", Some("openconnect")),
        ("bash", None),
        ("openvpnish", None),
    ] {
        assert_eq!(from_process(name, None, None), client, "{name}");
    }
}

#[test]
fn exe_and_argv0_cover_truncated_linux_names() {
    // comm is cut at 15 chars; the exe path still names the client.
    assert_eq!(
        from_process(
            "averyveryverylo",
            Some("/opt/pulsesecure/bin/pulsesvc"),
            None
        ),
        Some("Pulse Secure")
    );
    assert_eq!(
        from_process("python3", None, Some("/usr/sbin/openconnect")),
        Some("openconnect")
    );
    assert_eq!(
        from_process("x", Some("C:\\Program Files\\Cisco\\vpnagent.exe"), None),
        Some("Cisco AnyConnect")
    );
}

#[test]
fn windows_adapter_descriptions() {
    for (description, client) in [
        ("Juniper Networks Virtual Adapter", Some("Pulse Secure")),
        (
            "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64",
            Some("Cisco AnyConnect"),
        ),
        (
            "PANGP Virtual Ethernet Adapter Secure",
            Some("GlobalProtect"),
        ),
        (
            "Fortinet SSL VPN Virtual Ethernet Adapter",
            Some("FortiClient"),
        ),
        ("TAP-Windows Adapter V9", Some("OpenVPN")),
        ("WireGuard Tunnel", Some("WireGuard")),
        ("Wintun Userspace Tunnel", Some("")),
        ("WAN Miniport (IKEv2)", Some(WINDOWS_VPN)),
        ("Intel(R) Wi-Fi 6 AX201 160MHz", None),
        // Vendor-named adapters (issue 13, class 3); the first three are in real captures.
        ("Tailscale Tunnel", Some("Tailscale")),
        ("TAP-NordVPN Windows Adapter V9", Some("NordVPN")),
        ("OpenVPN Data Channel Offload", Some("OpenVPN")),
        ("NordLynx Tunnel", Some("NordVPN")),
        ("TAP-ProtonVPN Windows Adapter V9", Some("")),
        (
            "Kaspersky Security Data Escort Adapter",
            Some("Kaspersky VPN"),
        ),
        ("Zscaler Network Adapter 1.0.2.0", Some("Zscaler")),
        (
            "Cisco Secure Client Virtual Miniport Adapter for Windows x64",
            Some("Cisco AnyConnect"),
        ),
        ("Hyper-V Virtual Ethernet Adapter", None),
        ("Realtek PCIe GbE Family Controller", None),
    ] {
        assert_eq!(from_adapter(description), client, "{description}");
    }
    assert!(is_not_vpn_adapter("Microsoft Teredo Tunneling Adapter"));
    assert!(!is_not_vpn_adapter("Juniper Networks Virtual Adapter"));
}

#[test]
fn installed_clients_hms_first_per_os() {
    let present = [
        "/Applications/Tailscale.app",
        "/Applications/GlobalProtect.app",
        "/usr/sbin/openconnect",
    ];
    let exists = |p: &std::path::Path| present.iter().any(|x| std::path::Path::new(x) == p);
    let names: Vec<&str> = installed("macos", &exists)
        .iter()
        .map(|(c, _)| c.name)
        .collect();
    assert_eq!(names, ["GlobalProtect", "Tailscale"]);
    let linux: Vec<&str> = installed("linux", &exists)
        .iter()
        .map(|(c, p)| {
            assert_eq!(*p, "/usr/sbin/openconnect");
            c.name
        })
        .collect();
    assert_eq!(linux, ["openconnect"]);
    assert!(installed("windows", &exists).is_empty());
}

#[test]
fn interface_names() {
    assert_eq!(
        from_interface_name("cscotun0"),
        Some(Some("Cisco AnyConnect"))
    );
    assert_eq!(from_interface_name("gpd0"), Some(Some("GlobalProtect")));
    assert_eq!(from_interface_name("wg"), Some(Some("WireGuard")));
    assert_eq!(from_interface_name("tailscale0"), Some(Some("Tailscale")));
    assert_eq!(from_interface_name("nordlynx"), Some(Some("NordVPN")));
    assert_eq!(from_interface_name("utun4"), Some(None));
    assert_eq!(from_interface_name("tun0"), Some(None));
    assert_eq!(from_interface_name("tunnel0"), None);
    assert_eq!(from_interface_name("eth0"), None);
}

#[test]
fn bundle_ids_and_service_kinds() {
    assert_eq!(
        from_service_kind("vpn/com.cisco.anyconnect"),
        Some("Cisco AnyConnect")
    );
    assert_eq!(
        from_service_kind("vpn/net.pulsesecure.pulsesecure.vpn"),
        Some("Pulse Secure")
    );
    assert_eq!(from_service_kind("wireguard"), Some("WireGuard"));
    assert_eq!(from_service_kind("ppp/l2tp"), None);
}

/// Lookups lower-case what the OS says, so an upper-case spelling would never match; one
/// spelling naming two clients would make the table order decide silently.
#[test]
fn spellings_are_lower_case_and_name_one_client() {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for c in CLIENTS {
        let spellings = [
            c.processes,
            c.adapters,
            c.interface_prefixes,
            c.bundle_ids,
            c.service_kinds,
        ];
        for s in spellings.iter().flat_map(|s| s.iter()) {
            assert_eq!(*s, s.to_ascii_lowercase(), "{}: {s}", c.name);
            if let Some((_, other)) = seen.iter().find(|(x, o)| x == s && *o != c.name) {
                panic!("{s} names both {other} and {}", c.name);
            }
            seen.push((s, c.name));
        }
        for (os, path) in c.installs {
            assert!(
                ["linux", "macos", "windows"].contains(os),
                "{}: {os}",
                c.name
            );
            assert!(!path.is_empty());
        }
    }
}
