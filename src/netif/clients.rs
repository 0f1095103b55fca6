//! The one catalogue of VPN clients: every name a client shows itself by (process names, Windows
//! adapter descriptions, interface name prefixes, macOS bundle ids), where its installers put it,
//! and whether it reaches the HMS VPN. Detection (`process.rs`, `classify.rs`, `windows.rs`) and
//! `hmsaccess setup` read this table and nothing else; a client's next spelling goes here only.
//!
//! Lookups return the first client, in table order, that matches. Names only ever name a client
//! or back up the behaviour test in `classify.rs`; they never make a VPN by themselves (the
//! interface must also be up, addressed and carry a route).
//!
//! Sources, unless an entry says otherwise: issue 3 ("VPN detection on macOS, Windows and
//! Linux") and DEPENDENCIES.md §3 and §5, where fake `openconnect`, `openvpn`, `pulsesvc`,
//! `vpnagentd`, `PanGPS` and `wireguard-go` processes were found by name on Linux. Install
//! locations are those of the vendors' default installers. Spellings marked "unverified" come from
//! the vendors' product naming and have not been seen on a real machine here.

/// A VPN client and every way it shows itself. All spellings are lower case: lookups lower-case
/// what the OS says before comparing.
#[derive(Debug, Clone, Copy)]
pub struct Client {
    /// The name reports give it (a VPN's and a process's `client`): `Pulse Secure`.
    pub name: &'static str,
    /// How `hmsaccess setup` names it: every name it has gone by, and how it reaches the HMS VPN
    /// when that needs saying.
    pub setup_label: &'static str,
    /// True when it can connect to the HMS VPN (`setup` looks for one of these first).
    pub hms: bool,
    /// Process names without `.exe`, matched exactly. Linux process names (`comm`) are cut to 15
    /// characters, so the executable's basename and `argv[0]` are matched too.
    pub processes: &'static [&'static str],
    /// Substrings of its Windows network adapter's description.
    pub adapters: &'static [&'static str],
    /// Interface name prefixes of its tunnel device, followed by a number or nothing (`cscotun0`).
    pub interface_prefixes: &'static [&'static str],
    /// macOS VPN bundle id prefixes: `scutil --nc list` shows `[VPN/<bundle id>]`.
    pub bundle_ids: &'static [&'static str],
    /// Other OS VPN service kinds naming it (substring): NetworkManager's connection type.
    pub service_kinds: &'static [&'static str],
    /// Where its installers put it: (OS as in `std::env::consts::OS`, path).
    pub installs: &'static [(&'static str, &'static str)],
    /// The VPN gateways (host names) it is known to reach. Empty until a client's gateways are
    /// known; the profile's gateway is matched on command lines whatever the client.
    pub gateways: &'static [&'static str],
}

/// The name reports give the VPN built into Windows (RAS: IKEv2, L2TP, SSTP, PPTP).
pub const WINDOWS_VPN: &str = "Windows VPN";

/// Every VPN client hmsaccess knows, HMS VPN clients first.
pub const CLIENTS: &[Client] = &[
    // Pulse Secure / Ivanti Secure Access, the HMS VPN's client. Processes: `pulsesvc` (Linux
    // service), `Pulse.exe` and `dsAccessService.exe` (Windows UI and service), `PulseSecure`
    // (macOS app); unverified: `pulseui`, "Pulse Secure" (macOS app binary with a space).
    // Adapters: "Juniper Networks Virtual Adapter" (issue 3); unverified: the "Pulse Secure" and
    // "Ivanti Secure Access" descriptions of newer releases. Bundle ids: unverified.
    Client {
        name: "Pulse Secure",
        setup_label: "Pulse Secure / Ivanti Secure Access",
        hms: true,
        processes: &[
            "pulsesvc",
            "pulse",
            "pulseui",
            "dsaccessservice",
            "pulsesecure",
            "pulse secure",
        ],
        adapters: &[
            "juniper networks virtual adapter",
            "pulse secure",
            "ivanti secure access",
        ],
        interface_prefixes: &[],
        bundle_ids: &["net.pulsesecure", "com.pulsesecure", "com.ivanti"],
        service_kinds: &[],
        installs: &[
            ("macos", "/Applications/Pulse Secure.app"),
            ("macos", "/Applications/Ivanti Secure Access.app"),
            (
                "windows",
                r"C:\Program Files (x86)\Common Files\Pulse Secure\JamUI\Pulse.exe",
            ),
            (
                "windows",
                r"C:\Program Files\Common Files\Pulse Secure\JamUI\Pulse.exe",
            ),
            (
                "windows",
                r"C:\Program Files (x86)\Common Files\Ivanti Secure Access Client\JamUI\Pulse.exe",
            ),
            ("linux", "/opt/pulsesecure/bin/pulseUI"),
            ("linux", "/opt/ivanti/secureaccess/bin/pulseUI"),
        ],
        gateways: &[],
    },
    // openconnect (Debian package `openconnect`): on Linux the way into the HMS VPN with
    // `--protocol=pulse` (issue 3). Its tunnel is a plain `tun` device.
    Client {
        name: "openconnect",
        setup_label: "openconnect (works with the HMS VPN: --protocol=pulse)",
        hms: true,
        processes: &["openconnect"],
        adapters: &[],
        interface_prefixes: &[],
        bundle_ids: &[],
        service_kinds: &[],
        installs: &[
            ("linux", "/usr/sbin/openconnect"),
            ("linux", "/usr/bin/openconnect"),
            ("macos", "/opt/homebrew/bin/openconnect"),
            ("macos", "/usr/local/bin/openconnect"),
        ],
        gateways: &[],
    },
    // Cisco AnyConnect / Secure Client. Processes: `vpnagentd` (Linux/macOS daemon),
    // `vpnagent.exe` (Windows service), `vpnui` (UI); unverified: "Cisco Secure Client" (v5 macOS
    // app). Adapter: "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter" (issue 3);
    // unverified: "Cisco Secure Client" (the rename in version 5). `cscotun`: its Linux device.
    Client {
        name: "Cisco AnyConnect",
        setup_label: "Cisco AnyConnect / Secure Client",
        hms: false,
        processes: &["vpnagentd", "vpnagent", "vpnui", "cisco secure client"],
        adapters: &["cisco anyconnect", "cisco secure client"],
        interface_prefixes: &["cscotun"],
        bundle_ids: &["com.cisco.anyconnect", "com.cisco.secureclient"],
        service_kinds: &[],
        installs: &[
            (
                "macos",
                "/Applications/Cisco/Cisco AnyConnect Secure Mobility Client.app",
            ),
            ("macos", "/Applications/Cisco/Cisco Secure Client.app"),
            (
                "windows",
                r"C:\Program Files (x86)\Cisco\Cisco AnyConnect Secure Mobility Client\vpnui.exe",
            ),
            (
                "windows",
                r"C:\Program Files (x86)\Cisco\Cisco Secure Client\UI\csc_ui.exe",
            ),
            ("linux", "/opt/cisco/anyconnect/bin/vpnui"),
            ("linux", "/opt/cisco/secureclient/bin/vpnui"),
        ],
        gateways: &[],
    },
    // Palo Alto GlobalProtect. Processes: `PanGPS` (service), `PanGPA` (agent), `GlobalProtect`
    // (macOS app). Adapter: "PANGP Virtual Ethernet Adapter" (issue 3). `gpd`: its Linux device.
    Client {
        name: "GlobalProtect",
        setup_label: "Palo Alto GlobalProtect",
        hms: false,
        processes: &["pangps", "pangpa", "globalprotect"],
        adapters: &["pangp"],
        interface_prefixes: &["gpd"],
        bundle_ids: &["com.paloaltonetworks.globalprotect"],
        service_kinds: &[],
        installs: &[
            ("macos", "/Applications/GlobalProtect.app"),
            (
                "windows",
                r"C:\Program Files\Palo Alto Networks\GlobalProtect\PanGPA.exe",
            ),
            ("linux", "/opt/paloaltonetworks/globalprotect/globalprotect"),
        ],
        gateways: &[],
    },
    // FortiClient. Processes: `forticlient`, `FortiTray`; unverified: `fortisslvpndaemon` (macOS
    // daemon). Adapter: "Fortinet …" (issue 3). `setup` has always listed openfortivpn's binary
    // here too, so an installed openfortivpn is reported as FortiClient.
    Client {
        name: "FortiClient",
        setup_label: "FortiClient",
        hms: false,
        processes: &["forticlient", "fortitray", "fortisslvpndaemon"],
        adapters: &["fortinet"],
        interface_prefixes: &[],
        bundle_ids: &["com.fortinet"],
        service_kinds: &[],
        installs: &[
            ("macos", "/Applications/FortiClient.app"),
            (
                "windows",
                r"C:\Program Files\Fortinet\FortiClient\FortiClient.exe",
            ),
            ("linux", "/opt/forticlient/fortivpn"),
            ("linux", "/usr/bin/openfortivpn"),
        ],
        gateways: &[],
    },
    // openfortivpn: the open-source Fortinet SSL VPN client (Debian package).
    Client {
        name: "openfortivpn",
        setup_label: "openfortivpn",
        hms: false,
        processes: &["openfortivpn"],
        adapters: &[],
        interface_prefixes: &[],
        bundle_ids: &[],
        service_kinds: &[],
        installs: &[],
        gateways: &[],
    },
    // OpenVPN. Processes: `openvpn` / `openvpn.exe`; unverified: `openvpn-gui`, OpenVPN Connect's
    // `ovpnagent` and `openvpnconnect`. Adapters: "TAP-Windows Adapter V9" (issue 3); unverified:
    // "OpenVPN …" (OpenVPN's Wintun and data-channel-offload adapters).
    Client {
        name: "OpenVPN",
        setup_label: "OpenVPN",
        hms: false,
        processes: &["openvpn", "openvpn-gui", "ovpnagent", "openvpnconnect"],
        adapters: &["tap-windows", "openvpn"],
        interface_prefixes: &[],
        bundle_ids: &["net.openvpn"],
        service_kinds: &[],
        installs: &[
            ("macos", "/Applications/OpenVPN Connect.app"),
            ("macos", "/Applications/Tunnelblick.app"),
            ("windows", r"C:\Program Files\OpenVPN\bin\openvpn.exe"),
            (
                "windows",
                r"C:\Program Files\OpenVPN Connect\OpenVPNConnect.exe",
            ),
            ("linux", "/usr/sbin/openvpn"),
        ],
        gateways: &[],
    },
    // WireGuard. Processes: `wireguard-go` (userspace implementation, Debian package; exercised
    // by tests/netns_vpn.rs), `wireguard.exe` (Windows tunnel service and UI). Adapter: "WireGuard
    // Tunnel" (issue 3). `wg`: the wg-quick naming convention. NetworkManager's connection type
    // `wireguard` (`nmcli`).
    Client {
        name: "WireGuard",
        setup_label: "WireGuard",
        hms: false,
        processes: &["wireguard-go", "wireguard"],
        adapters: &["wireguard tunnel"],
        interface_prefixes: &["wg"],
        bundle_ids: &["com.wireguard"],
        service_kinds: &["wireguard"],
        installs: &[
            ("macos", "/Applications/WireGuard.app"),
            ("windows", r"C:\Program Files\WireGuard\wireguard.exe"),
            ("linux", "/usr/bin/wg-quick"),
        ],
        gateways: &[],
    },
    // Zscaler Client Connector. Processes: `ZSATunnel`; unverified: `ZSATray`, the "Zscaler …"
    // adapter.
    Client {
        name: "Zscaler",
        setup_label: "Zscaler",
        hms: false,
        processes: &["zsatunnel", "zsatray"],
        adapters: &["zscaler"],
        interface_prefixes: &[],
        bundle_ids: &["com.zscaler"],
        service_kinds: &[],
        installs: &[
            ("macos", "/Applications/Zscaler/Zscaler.app"),
            ("windows", r"C:\Program Files\Zscaler\ZSATray\ZSATray.exe"),
        ],
        gateways: &[],
    },
    // The VPN built into Windows: its RAS connections (IKEv2, L2TP, SSTP, PPTP) appear as PPP
    // adapters described "WAN Miniport (…)". Nothing to install.
    Client {
        name: WINDOWS_VPN,
        setup_label: "Windows VPN (built in)",
        hms: false,
        processes: &[],
        adapters: &["wan miniport"],
        interface_prefixes: &[],
        bundle_ids: &[],
        service_kinds: &[],
        installs: &[],
        gateways: &[],
    },
];

/// VPN adapters of no particular client: Wintun is a generic driver (WireGuard's, also used by
/// others), a tunnel, but it names no client. Checked after every client's adapters.
const GENERIC_ADAPTERS: &[&str] = &["wintun"];

/// Tunnel-type adapters that are transition mechanisms, not VPNs (Windows).
const NOT_VPN_ADAPTERS: &[&str] = &["teredo", "isatap", "6to4", "ip-https", "kernel debug"];

/// Interface name prefixes of tunnels that name no client (issue 3: `utun*`, `ipsec*`, `ppp*`
/// on macOS; `tun*`, `tap*`, `ppp*` on Linux). Checked after every client's prefixes.
const GENERIC_INTERFACE_PREFIXES: &[&str] = &["utun", "ipsec", "tun", "tap", "ppp"];

/// Normalises a process name: basename, lower case, `.exe` stripped.
fn normalise(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let lower = base.to_ascii_lowercase();
    lower.strip_suffix(".exe").unwrap_or(&lower).to_string()
}

/// The client a process is, from its name, executable path and `argv[0]`. Pure.
///
/// Linux names are cut at 15 characters, so a 15-character `name` also matches a known name it
/// is the start of.
#[must_use]
pub fn from_process(name: &str, exe: Option<&str>, argv0: Option<&str>) -> Option<&'static str> {
    let mut candidates = vec![normalise(name)];
    candidates.extend(exe.map(normalise));
    candidates.extend(argv0.map(normalise));
    for c in CLIENTS {
        for cand in &candidates {
            if c.processes.iter().any(|n| {
                n == cand || (cand.len() == 15 && n.len() > 15 && n.starts_with(cand.as_str()))
            }) {
                return Some(c.name);
            }
        }
    }
    None
}

/// The client a Windows adapter description names: `Some("")` for a VPN adapter of no
/// particular client (Wintun), None for a description that is not a VPN adapter. Matching is
/// case-insensitive on a substring.
#[must_use]
pub fn from_adapter(description: &str) -> Option<&'static str> {
    let d = description.to_ascii_lowercase();
    CLIENTS
        .iter()
        .find(|c| c.adapters.iter().any(|a| d.contains(a)))
        .map(|c| c.name)
        .or_else(|| GENERIC_ADAPTERS.iter().any(|a| d.contains(a)).then_some(""))
}

/// True for a tunnel-type adapter that is a transition mechanism (Teredo, ISATAP, …), not a VPN.
#[must_use]
pub fn is_not_vpn_adapter(description: &str) -> bool {
    let d = description.to_ascii_lowercase();
    NOT_VPN_ADAPTERS.iter().any(|n| d.contains(n))
}

/// Whether an interface has a tunnel's name (`tun0`, `utun4`, `wg0`, `cscotun0`): `None` when it
/// has not, `Some(client)` when it has, with the client the prefix implies, if any.
#[must_use]
pub fn from_interface_name(name: &str) -> Option<Option<&'static str>> {
    let is = |prefix: &str| {
        name.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    if let Some(c) = CLIENTS
        .iter()
        .find(|c| c.interface_prefixes.iter().any(|p| is(p)))
    {
        return Some(Some(c.name));
    }
    GENERIC_INTERFACE_PREFIXES
        .iter()
        .any(|p| is(p))
        .then_some(None)
}

/// The client an OS VPN service's kind (lower case) names: a macOS bundle id in it
/// (`vpn/com.cisco.anyconnect`), else another kind a client is known by (`wireguard`).
#[must_use]
pub fn from_service_kind(kind_lower: &str) -> Option<&'static str> {
    let by = |field: fn(&Client) -> &'static [&'static str]| {
        CLIENTS
            .iter()
            .find(|c| field(c).iter().any(|id| kind_lower.contains(id)))
            .map(|c| c.name)
    };
    by(|c| c.bundle_ids).or_else(|| by(|c| c.service_kinds))
}

#[cfg(test)]
mod tests {
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
        ] {
            assert_eq!(from_adapter(description), client, "{description}");
        }
        assert!(is_not_vpn_adapter("Microsoft Teredo Tunneling Adapter"));
        assert!(!is_not_vpn_adapter("Juniper Networks Virtual Adapter"));
    }

    #[test]
    fn interface_names() {
        assert_eq!(
            from_interface_name("cscotun0"),
            Some(Some("Cisco AnyConnect"))
        );
        assert_eq!(from_interface_name("gpd0"), Some(Some("GlobalProtect")));
        assert_eq!(from_interface_name("wg"), Some(Some("WireGuard")));
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
}
