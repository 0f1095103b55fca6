//! VPN client processes, found by name. A command line is read only to look for a profile
//! gateway host and is dropped at once: nothing here stores or returns it.

use std::ffi::OsStr;

use sysinfo::{ProcessRefreshKind, ProcessesToUpdate, RefreshKind, System, UpdateKind};

use super::VpnProcess;

/// A VPN client and the process names that betray it.
#[derive(Debug, Clone, Copy)]
pub struct KnownClient {
    /// The name people know it by.
    pub client: &'static str,
    /// Process names, lower case, without `.exe`. Linux process names (`comm`) are cut to 15
    /// characters, so the executable's basename and `argv[0]` are matched too.
    pub names: &'static [&'static str],
}

/// Known VPN clients and their process names.
///
/// Sources: issue 3 and the hmsaccess brief (the names listed per client below), and
/// DEPENDENCIES.md §5, where fake `openconnect`, `openvpn`, `pulsesvc`, `vpnagentd`, `PanGPS` and
/// `wireguard-go` processes were found by name on Linux and the Windows spellings (`PanGPS.exe`,
/// `PanGPA.exe`, `vpnagent.exe`, `vpnui.exe`, `Pulse.exe`, `dsAccessService.exe`, `openvpn.exe`,
/// `wireguard.exe`, `openconnect.exe`) are listed. Names marked "unverified" come from the
/// vendors' product naming and have not been seen on a real machine here.
pub const KNOWN_CLIENTS: &[KnownClient] = &[
    // Pulse Secure / Ivanti Secure Access: `pulsesvc` (Linux service), `Pulse.exe` and
    // `dsAccessService.exe` (Windows UI and service), `PulseSecure` (macOS app). Unverified:
    // `pulseui`, "Pulse Secure" (macOS app bundle binary with a space).
    KnownClient {
        client: "Pulse Secure",
        names: &[
            "pulsesvc",
            "pulse",
            "pulseui",
            "dsaccessservice",
            "pulsesecure",
            "pulse secure",
        ],
    },
    // openconnect (Debian package `openconnect`; on Linux the way into vpn.hms.harvard.edu with
    // `--protocol=pulse`, per issue 3).
    KnownClient {
        client: "openconnect",
        names: &["openconnect"],
    },
    // Cisco AnyConnect / Secure Client: `vpnagentd` (Linux/macOS daemon), `vpnagent.exe`
    // (Windows service), `vpnui` (UI). Unverified: "Cisco Secure Client" (v5 macOS app).
    KnownClient {
        client: "Cisco AnyConnect",
        names: &["vpnagentd", "vpnagent", "vpnui", "cisco secure client"],
    },
    // Palo Alto GlobalProtect: `PanGPS` (service), `PanGPA` (agent), `GlobalProtect` (macOS app).
    KnownClient {
        client: "GlobalProtect",
        names: &["pangps", "pangpa", "globalprotect"],
    },
    // FortiClient: `forticlient`, `FortiTray`. Unverified: `fortisslvpndaemon` (macOS daemon).
    KnownClient {
        client: "FortiClient",
        names: &["forticlient", "fortitray", "fortisslvpndaemon"],
    },
    // openfortivpn: the open-source Fortinet SSL VPN client (Debian package).
    KnownClient {
        client: "openfortivpn",
        names: &["openfortivpn"],
    },
    // OpenVPN: `openvpn` / `openvpn.exe`. Unverified: `openvpn-gui`, OpenVPN Connect's
    // `ovpnagent` and `openvpnconnect`.
    KnownClient {
        client: "OpenVPN",
        names: &["openvpn", "openvpn-gui", "ovpnagent", "openvpnconnect"],
    },
    // WireGuard: `wireguard-go` (userspace implementation, Debian package; exercised by
    // tests/netns_vpn.rs), `wireguard.exe` (Windows tunnel service and UI).
    KnownClient {
        client: "WireGuard",
        names: &["wireguard-go", "wireguard"],
    },
    // Zscaler Client Connector: `ZSATunnel`. Unverified: `ZSATray`.
    KnownClient {
        client: "Zscaler",
        names: &["zsatunnel", "zsatray"],
    },
];

/// macOS VPN bundle identifiers (`scutil --nc list` shows `[VPN/<bundle id>]`) and clients.
/// Prefixes from the vendors' reverse-DNS names; unverified on a real Mac here.
const BUNDLE_IDS: &[(&str, &str)] = &[
    ("net.pulsesecure", "Pulse Secure"),
    ("com.pulsesecure", "Pulse Secure"),
    ("com.ivanti", "Pulse Secure"),
    ("com.cisco.anyconnect", "Cisco AnyConnect"),
    ("com.cisco.secureclient", "Cisco AnyConnect"),
    ("com.paloaltonetworks.globalprotect", "GlobalProtect"),
    ("com.fortinet", "FortiClient"),
    ("com.wireguard", "WireGuard"),
    ("net.openvpn", "OpenVPN"),
    ("com.zscaler", "Zscaler"),
];

/// The client a macOS VPN bundle id (lower case) names.
pub(crate) fn client_from_bundle_id(kind_lower: &str) -> Option<&'static str> {
    BUNDLE_IDS
        .iter()
        .find(|(id, _)| kind_lower.contains(id))
        .map(|(_, c)| *c)
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
pub fn match_client(name: &str, exe: Option<&str>, argv0: Option<&str>) -> Option<&'static str> {
    let mut candidates = vec![normalise(name)];
    candidates.extend(exe.map(normalise));
    candidates.extend(argv0.map(normalise));
    for c in KNOWN_CLIENTS {
        for cand in &candidates {
            if c.names.iter().any(|n| {
                n == cand || (cand.len() == 15 && n.len() > 15 && n.starts_with(cand.as_str()))
            }) {
                return Some(c.client);
            }
        }
    }
    None
}

/// True when one of the arguments names `host` (exactly, or as a URL/`host:port`). Pure.
fn cmdline_names_host(args: &[&str], host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    args.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        a.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
            .any(|tok| tok == host)
    })
}

fn os_str(s: &OsStr) -> String {
    s.to_string_lossy().into_owned()
}

/// Scans running processes for VPN clients (sysinfo; about 20–30 ms for 400 processes).
pub(crate) fn scan(gateway_hosts: &[String]) -> Result<Vec<VpnProcess>, String> {
    let mut sys = System::new_with_specifics(RefreshKind::nothing()).map_err(|e| e.to_string())?;
    sys.refresh_processes_specifics(
        ProcessesToUpdate::All,
        true,
        ProcessRefreshKind::nothing()
            .with_cmd(UpdateKind::Always)
            .with_exe(UpdateKind::OnlyIfNotSet),
    );
    let mut found = Vec::new();
    for (pid, p) in sys.processes() {
        // Threads show up as processes on Linux; their parent is listed already.
        if p.thread_kind()
            .is_some_and(|k| k == sysinfo::ThreadKind::Userland)
        {
            continue;
        }
        let name = os_str(p.name());
        let exe = p.exe().map(|e| e.to_string_lossy().into_owned());
        let argv0 = p.cmd().first().map(|a| os_str(a));
        let Some(client) = match_client(&name, exe.as_deref(), argv0.as_deref()) else {
            continue;
        };
        // The command line lives only in this block.
        let matched_gateway = {
            let args: Vec<String> = p.cmd().iter().skip(1).map(|a| os_str(a)).collect();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            gateway_hosts
                .iter()
                .find(|h| cmdline_names_host(&refs, h))
                .cloned()
        };
        let interface = if std::env::consts::OS == "linux" {
            // A client in another network namespace (a container, another test) neither
            // routes this namespace's traffic nor owns its devices, even when names coincide.
            if super::linux::in_other_netns(pid.as_u32()) {
                continue;
            }
            super::linux::tun_device_of(pid.as_u32())
        } else {
            None
        };
        found.push(VpnProcess {
            client,
            matched_gateway,
            interface,
        });
    }
    // Stable order, and one entry per (client, gateway, interface): a client's helper processes
    // add nothing.
    found.sort_by(|a, b| {
        (a.client, &a.interface, &a.matched_gateway).cmp(&(
            b.client,
            &b.interface,
            &b.matched_gateway,
        ))
    });
    found.dedup();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_per_os() {
        assert_eq!(match_client("pulsesvc", None, None), Some("Pulse Secure"));
        assert_eq!(match_client("Pulse.exe", None, None), Some("Pulse Secure"));
        assert_eq!(
            match_client("dsAccessService.exe", None, None),
            Some("Pulse Secure")
        );
        assert_eq!(
            match_client("vpnagent.exe", None, None),
            Some("Cisco AnyConnect")
        );
        assert_eq!(
            match_client("vpnagentd", None, None),
            Some("Cisco AnyConnect")
        );
        assert_eq!(
            match_client("PanGPS.exe", None, None),
            Some("GlobalProtect")
        );
        assert_eq!(
            match_client("FortiTray.exe", None, None),
            Some("FortiClient")
        );
        assert_eq!(
            match_client("openfortivpn", None, None),
            Some("openfortivpn")
        );
        assert_eq!(match_client("openvpn", None, None), Some("OpenVPN"));
        assert_eq!(match_client("wireguard-go", None, None), Some("WireGuard"));
        assert_eq!(match_client("ZSATunnel.exe", None, None), Some("Zscaler"));
        assert_eq!(match_client("openconnect", None, None), Some("openconnect"));
        assert_eq!(match_client("bash", None, None), None);
        assert_eq!(match_client("openvpnish", None, None), None);
    }

    #[test]
    fn exe_and_argv0_cover_truncated_linux_names() {
        // comm is cut at 15 chars; the exe path still names the client.
        assert_eq!(
            match_client(
                "averyveryverylo",
                Some("/opt/pulsesecure/bin/pulsesvc"),
                None
            ),
            Some("Pulse Secure")
        );
        assert_eq!(
            match_client("python3", None, Some("/usr/sbin/openconnect")),
            Some("openconnect")
        );
        assert_eq!(
            match_client("x", Some("C:\\Program Files\\Cisco\\vpnagent.exe"), None),
            Some("Cisco AnyConnect")
        );
    }

    #[test]
    fn gateway_host_in_cmdline() {
        let h = "vpn.hms.harvard.edu";
        assert!(cmdline_names_host(
            &["--protocol=pulse", "vpn.hms.harvard.edu"],
            h
        ));
        assert!(cmdline_names_host(&["https://VPN.hms.harvard.edu/saml"], h));
        assert!(cmdline_names_host(&["--server=vpn.hms.harvard.edu:443"], h));
        assert!(!cmdline_names_host(&["vpn.hms.harvard.edu.evil.test"], h));
        assert!(!cmdline_names_host(&["othervpn.hms.harvard.edu"], h));
    }

    #[test]
    fn bundle_ids() {
        assert_eq!(
            client_from_bundle_id("vpn/com.cisco.anyconnect"),
            Some("Cisco AnyConnect")
        );
        assert_eq!(
            client_from_bundle_id("vpn/net.pulsesecure.pulsesecure.vpn"),
            Some("Pulse Secure")
        );
        assert_eq!(client_from_bundle_id("ppp/l2tp"), None);
    }
}
