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
    /// macOS VPN bundle id prefixes: `scutil --nc list` shows `[VPN:<bundle id>]` (type and subtype, as scutil prints them).
    pub bundle_ids: &'static [&'static str],
    /// Other OS VPN service kinds naming it (substring): NetworkManager's connection type.
    pub service_kinds: &'static [&'static str],
    /// Where its installers put it: (OS as in `std::env::consts::OS`, path).
    pub installs: &'static [(&'static str, &'static str)],
    /// The VPN gateways (host names) it is known to reach. Empty until a client's gateways are
    /// known; the profile's gateway is matched on command lines whatever the client.
    pub gateways: &'static [&'static str],
    /// Settings files (and registry keys) where it keeps the server it connects to, readable
    /// without administrator rights: (OS, format, path). `~` is the home folder and
    /// `%LOCALAPPDATA%` the Windows variable of that name.
    pub settings: &'static [(&'static str, Settings, &'static str)],
    /// How `setup` tells a person to connect with it, `{gateway}` standing for the HMS VPN's
    /// server; None: "open NAME and connect to {gateway}" (an app with a window).
    pub connect: Option<&'static str>,
}

/// How a client keeps the server it connects to (parsers in `settings.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settings {
    /// GlobalProtect's macOS property list: `Palo Alto Networks` > `GlobalProtect` >
    /// `PanSetup` > `Portal`, and the tunnel addresses it was given (`PanGPS` >
    /// `PreferredIP_*`).
    GlobalProtectPlist,
    /// GlobalProtect's Windows registry: the path is `HKLM\…\PanSetup` (value `Portal`)
    /// or `HKCU\…\Settings` (one subkey per portal used).
    GlobalProtectRegistry,
    /// Pulse Secure / Ivanti's connection store: `ive "…" { uri: "https://host/…" }` blocks.
    PulseConnstore,
    /// AnyConnect / Secure Client preferences: the last server, `<DefaultHostAddress>` or
    /// `<DefaultHostName>`.
    AnyConnectPreferences,
}

/// The name reports give the VPN built into Windows (RAS: IKEv2, L2TP, SSTP, PPTP).
pub const WINDOWS_VPN: &str = "Windows VPN";

/// Every VPN client hmsaccess knows, HMS VPN clients first.
pub const CLIENTS: &[Client] = &[
    // Palo Alto GlobalProtect: the HMS VPN's client in 2026 (portal vpn.hms.harvard.edu, as a
    // public tool written for HMS's O2 cluster reads it from the macOS settings below).
    // Processes: `PanGPS` (service), `PanGPA` (agent), `GlobalProtect` (macOS app). Adapter:
    // "PANGP Virtual Ethernet Adapter" (issue 3; a real `route print` row in
    // tests/fixtures/windows/real/). `gpd`: its Linux device. Settings: the macOS plist (keys
    // seen in public admin scripts that read and write it), the Windows registry keys named by
    // Palo Alto's deployment documentation.
    Client {
        name: "GlobalProtect",
        setup_label: "Palo Alto GlobalProtect",
        hms: true,
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
        settings: &[
            (
                "macos",
                Settings::GlobalProtectPlist,
                "/Library/Preferences/com.paloaltonetworks.GlobalProtect.settings.plist",
            ),
            (
                "windows",
                Settings::GlobalProtectRegistry,
                r"HKLM\SOFTWARE\Palo Alto Networks\GlobalProtect\PanSetup",
            ),
            (
                "windows",
                Settings::GlobalProtectRegistry,
                r"HKCU\Software\Palo Alto Networks\GlobalProtect\Settings",
            ),
        ],
        connect: None,
    },
    // Pulse Secure / Ivanti Secure Access, the client HMS's MARS guide names. Processes:
    // `pulsesvc` (Linux service), `Pulse.exe` and `dsAccessService.exe` (Windows UI and
    // service), `PulseSecure` (macOS app); unverified: `pulseui`, "Pulse Secure" (macOS app
    // binary with a space). Adapters: "Juniper Networks Virtual Adapter" (issue 3); unverified:
    // the "Pulse Secure" and "Ivanti Secure Access" descriptions of newer releases. Bundle ids:
    // unverified. Connection store: the Windows and macOS paths are those public admin
    // scripts read; the Linux one is seen in a public shell history only (unverified).
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
        settings: &[
            (
                "windows",
                Settings::PulseConnstore,
                r"C:\ProgramData\Pulse Secure\ConnectionStore\connstore.dat",
            ),
            (
                "macos",
                Settings::PulseConnstore,
                "/Library/Application Support/Pulse Secure/Pulse/connstore.dat",
            ),
            (
                "linux",
                Settings::PulseConnstore,
                "/var/lib/pulsesecure/pulse/connstore.dat",
            ),
        ],
        connect: None,
    },
    // openconnect (Debian package `openconnect`): on Linux the way into the HMS VPN
    // (`--protocol=gp` for GlobalProtect, `--protocol=pulse` for Pulse). Its tunnel is a plain
    // `tun` device; its server is on its command line.
    Client {
        name: "openconnect",
        setup_label: "openconnect (reaches the HMS VPN with --protocol=gp)",
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
        settings: &[],
        connect: Some(
            "sudo openconnect --protocol=gp {gateway} (GlobalProtect); for the Pulse Secure server use --protocol=pulse.",
        ),
    },
    // Cisco AnyConnect / Secure Client: Harvard University's and FAS Research Computing's VPN
    // client, and many hospitals'. Processes: `vpnagentd` (Linux/macOS daemon), `vpnagent.exe`
    // (Windows service), `vpnui` (UI); unverified: "Cisco Secure Client" (v5 macOS app).
    // Adapter: "Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows
    // x64" (a real `route print`); unverified: "Cisco Secure Client" (the rename in version 5).
    // `cscotun`: its Linux device. Preferences: the paths public deployment scripts write
    // (`~/.anyconnect`; `~/.vpn/.anyconnect` for Secure Client 5 on macOS; the per-user
    // `preferences.xml` on Windows).
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
        settings: &[
            (
                "windows",
                Settings::AnyConnectPreferences,
                r"%LOCALAPPDATA%\Cisco\Cisco AnyConnect Secure Mobility Client\preferences.xml",
            ),
            (
                "windows",
                Settings::AnyConnectPreferences,
                r"%LOCALAPPDATA%\Cisco\Cisco Secure Client\VPN\preferences.xml",
            ),
            ("macos", Settings::AnyConnectPreferences, "~/.anyconnect"),
            (
                "macos",
                Settings::AnyConnectPreferences,
                "~/.vpn/.anyconnect",
            ),
            ("linux", Settings::AnyConnectPreferences, "~/.anyconnect"),
        ],
        connect: None,
    },
    // FortiClient. Processes: `forticlient`, `FortiTray`; unverified: `fortisslvpndaemon` (macOS
    // daemon). Adapter: "Fortinet SSL VPN Virtual Ethernet Adapter" (issue 3). `setup` has
    // always listed openfortivpn's binary here too, so an installed openfortivpn is reported as
    // FortiClient.
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
        settings: &[],
        connect: None,
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
        settings: &[],
        connect: None,
    },
    // Tailscale (WireGuard over Wintun on Windows). Adapter "Tailscale Tunnel" (a real
    // `ipconfig /all`, tests/fixtures/windows/real/); `tailscale0`: its Linux device; its macOS
    // utun is seen with Tailscale's split DNS in a real `scutil --dns`. Processes `tailscaled`
    // (daemon), `tailscale-ipn` (Windows UI); bundle id: unverified.
    Client {
        name: "Tailscale",
        setup_label: "Tailscale",
        hms: false,
        processes: &["tailscaled", "tailscale-ipn"],
        adapters: &["tailscale tunnel"],
        interface_prefixes: &["tailscale"],
        bundle_ids: &["io.tailscale.ipn"],
        service_kinds: &[],
        installs: &[
            ("macos", "/Applications/Tailscale.app"),
            ("windows", r"C:\Program Files\Tailscale\tailscale-ipn.exe"),
            ("linux", "/usr/sbin/tailscaled"),
        ],
        gateways: &[],
        settings: &[],
        connect: None,
    },
    // NordVPN. Adapter "TAP-NordVPN Windows Adapter V9" (a real `ipconfig /all`); "NordLynx
    // Tunnel" (its WireGuard adapter) and the `nordlynx`/`nordtun` Linux devices, processes
    // `nordvpn-service` (Windows) and `nordvpnd` (Linux), the bundle id: unverified.
    Client {
        name: "NordVPN",
        setup_label: "NordVPN",
        hms: false,
        processes: &["nordvpn-service", "nordvpnd"],
        adapters: &["nordlynx", "tap-nordvpn"],
        interface_prefixes: &["nordlynx", "nordtun"],
        bundle_ids: &["com.nordvpn"],
        service_kinds: &[],
        installs: &[
            ("macos", "/Applications/NordVPN.app"),
            ("windows", r"C:\Program Files\NordVPN\NordVPN.exe"),
            ("linux", "/usr/sbin/nordvpnd"),
        ],
        gateways: &[],
        settings: &[],
        connect: None,
    },
    // OpenVPN. Processes: `openvpn` / `openvpn.exe`; unverified: `openvpn-gui`, OpenVPN
    // Connect's `ovpnagent` and `openvpnconnect`. Adapters: "TAP-Windows Adapter V9" (a real
    // `route print`) and "OpenVPN Data Channel Offload" (a real `ipconfig /all`, installed by
    // NordVPN there: the driver is OpenVPN's); unverified: OpenVPN's Wintun adapter.
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
        settings: &[],
        connect: None,
    },
    // WireGuard. Processes: `wireguard-go` (userspace implementation, Debian package; exercised
    // by tests/netns_vpn.rs), `wireguard.exe` (Windows tunnel service and UI). Adapter: "WireGuard
    // Tunnel" (a real `route print`). `wg`: the wg-quick naming convention. NetworkManager's
    // connection type `wireguard` (`nmcli`).
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
        settings: &[],
        connect: None,
    },
    // Zscaler Client Connector. Processes: `ZSATunnel`; unverified: `ZSATray`, the "Zscaler
    // Network Adapter" description.
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
        settings: &[],
        connect: None,
    },
    // Kaspersky's VPN (Secure Connection). Unverified, from the vendor's naming: the "Kaspersky
    // Security Data Escort Adapter" and the `ksde` process.
    Client {
        name: "Kaspersky VPN",
        setup_label: "Kaspersky VPN Secure Connection",
        hms: false,
        processes: &["ksde", "ksdeui"],
        adapters: &["kaspersky security data escort", "kaspersky vpn"],
        interface_prefixes: &[],
        bundle_ids: &["com.kaspersky"],
        service_kinds: &[],
        installs: &[],
        gateways: &[],
        settings: &[],
        connect: None,
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
        settings: &[],
        connect: None,
    },
];

/// VPN adapters of no particular client: Wintun is a generic driver (WireGuard's, also used by
/// others), a tunnel, but it names no client; vendors rename OpenVPN's TAP driver after
/// themselves (`TAP-NordVPN Windows Adapter V9`), and the description then starts with `tap-`.
/// Checked after every client's adapters.
const GENERIC_ADAPTERS: &[&str] = &["wintun"];
const GENERIC_ADAPTER_STARTS: &[&str] = &["tap-"];

/// Tunnel-type adapters that are transition mechanisms, not VPNs (Windows).
const NOT_VPN_ADAPTERS: &[&str] = &["teredo", "isatap", "6to4", "ip-https", "kernel debug"];

/// Interface name prefixes of tunnels that name no client (issue 3: `utun*`, `ipsec*`, `ppp*`
/// on macOS; `tun*`, `tap*`, `ppp*` on Linux). Checked after every client's prefixes.
const GENERIC_INTERFACE_PREFIXES: &[&str] = &["utun", "ipsec", "tun", "tap", "ppp"];

/// The clients installed on `os` (as in `std::env::consts::OS`), each with the first of its
/// install locations that `exists`, HMS clients first. Pure: `exists` does the looking.
#[must_use]
pub fn installed(
    os: &str,
    exists: &dyn Fn(&std::path::Path) -> bool,
) -> Vec<(&'static Client, &'static str)> {
    let mut found: Vec<(&'static Client, &'static str)> = CLIENTS
        .iter()
        .filter_map(|c| {
            c.installs
                .iter()
                .filter(|(o, _)| *o == os)
                .find(|(_, p)| exists(std::path::Path::new(p)))
                .map(|(_, p)| (c, *p))
        })
        .collect();
    found.sort_by_key(|(c, _)| !c.hms);
    found
}

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
        .or_else(|| {
            let generic = GENERIC_ADAPTERS.iter().any(|a| d.contains(a))
                || GENERIC_ADAPTER_STARTS.iter().any(|a| d.starts_with(a));
            generic.then_some("")
        })
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
mod tests;
