//! Linux: netdev interfaces refined by sysfs, routes from `/proc/net/route` and
//! `/proc/net/ipv6_route`, NetworkManager's active VPN connections (`nmcli`), per-link DNS
//! (systemd-resolved's `resolvectl`, parsed here and read in [`super::dns`]), and which tun
//! device a VPN client process holds (`/proc/PID/fdinfo`). Parsers are pure and compile on
//! every OS.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::interfaces;
use super::prefix::Prefix;
use super::types::{Network, OsVpnService, RouteEntry, SplitDns};
use crate::os_tool::{ToolOutput, Tools};
use crate::report::model::InterfaceKind;

/// `/sys/class/net/X/type` values (ARPHRD_* in `<linux/if_arp.h>`).
const ARPHRD_ETHER: u32 = 1;
const ARPHRD_PPP: u32 = 512;
const ARPHRD_TUNNEL: u32 = 768; // ipip
const ARPHRD_TUNNEL6: u32 = 769;
const ARPHRD_LOOPBACK: u32 = 772;
const ARPHRD_SIT: u32 = 776;
const ARPHRD_IPGRE: u32 = 778;
/// ARPHRD_NONE: tun devices and WireGuard (verified for tun in DEPENDENCIES.md §3).
const ARPHRD_NONE: u32 = 65534;
/// `IFF_TAP` in `tun_flags` (`<linux/if_tun.h>`; verified: tap8 `0x1802`, tun7 `0x1801`).
const IFF_TAP: u32 = 0x0002;

/// The report kind of an interface from its sysfs files. Pure.
///
/// `type_` is `/sys/class/net/X/type`, `tun_flags` its `tun_flags` (tun/tap only), `uevent` its
/// `uevent` (`DEVTYPE=wlan|bridge|wireguard|…`).
#[must_use]
pub fn kind_from_sysfs(
    type_: &str,
    tun_flags: Option<&str>,
    uevent: Option<&str>,
) -> Option<InterfaceKind> {
    let devtype = uevent.and_then(|u| {
        u.lines()
            .find_map(|l| l.strip_prefix("DEVTYPE="))
            .map(str::trim)
    });
    let ty: u32 = type_.trim().parse().ok()?;
    let is_tap = tun_flags
        .and_then(|f| u32::from_str_radix(f.trim().trim_start_matches("0x"), 16).ok())
        .is_some_and(|f| f & IFF_TAP != 0);
    use InterfaceKind as K;
    Some(match (ty, devtype) {
        (_, Some("wireguard")) => K::Tunnel,
        (ARPHRD_NONE | ARPHRD_TUNNEL | ARPHRD_TUNNEL6 | ARPHRD_SIT | ARPHRD_IPGRE, _) => K::Tunnel,
        (ARPHRD_PPP, _) => K::Ppp,
        (ARPHRD_LOOPBACK, _) => K::Loopback,
        // tap devices are Ethernet to the kernel; OpenVPN's `dev tap` makes them VPNs.
        (ARPHRD_ETHER, _) if is_tap => K::Tunnel,
        (ARPHRD_ETHER, Some("wlan")) => K::Wifi,
        (ARPHRD_ETHER, Some("bridge" | "vlan" | "bond")) => K::Other,
        (ARPHRD_ETHER, _) => K::Ethernet,
        _ => K::Other,
    })
}

/// `RTF_*` flags shared by both route files (`<linux/route.h>`, `<linux/ipv6_route.h>`).
const RTF_UP: u32 = 0x0001;
const RTF_GATEWAY: u32 = 0x0002;
const RTF_REJECT: u32 = 0x0200;
/// IPv6 local (own address) routes: `RTF_LOCAL` in `<linux/ipv6_route.h>`.
const RTF_LOCAL: u32 = 0x8000_0000;

/// Parses `/proc/net/route` (IPv4, main table). Pure.
///
/// Addresses are the kernel's network-order words printed with `%08X` in host byte order, so
/// they are read back with the host's byte order.
#[must_use]
pub fn parse_proc_net_route(text: &str) -> Vec<RouteEntry> {
    let hex_v4 = |s: &str| {
        u32::from_str_radix(s, 16)
            .ok()
            .map(|v| Ipv4Addr::from(v.to_ne_bytes()))
    };
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 8 {
                return None;
            }
            let flags = u32::from_str_radix(f[3], 16).ok()?;
            if flags & RTF_UP == 0 || flags & RTF_REJECT != 0 {
                return None;
            }
            let dest = hex_v4(f[1])?;
            let gw = hex_v4(f[2])?;
            let mask = hex_v4(f[7])?;
            let len = u8::try_from(u32::from(mask).count_ones()).ok()?;
            Some(proc_route(dest.into(), len, gw.into(), flags, f[0]))
        })
        .collect()
}

/// Parses `/proc/net/ipv6_route` (every table; local routes and reject routes dropped). Pure.
#[must_use]
pub fn parse_proc_net_ipv6_route(text: &str) -> Vec<RouteEntry> {
    let hex_v6 = |s: &str| u128::from_str_radix(s, 16).ok().map(Ipv6Addr::from);
    text.lines()
        .filter_map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 10 {
                return None;
            }
            let flags = u32::from_str_radix(f[8], 16).ok()?;
            if flags & RTF_UP == 0 || flags & (RTF_REJECT | RTF_LOCAL) != 0 || f[9] == "lo" {
                return None;
            }
            let dest = hex_v6(f[0])?;
            let len = u8::from_str_radix(f[1], 16).ok()?;
            let gw = hex_v6(f[4])?;
            Some(proc_route(dest.into(), len, gw.into(), flags, f[9]))
        })
        .collect()
}

/// A `/proc/net/*route` line as a route: the gateway only when the kernel flags one.
fn proc_route(dest: IpAddr, len: u8, gw: IpAddr, flags: u32, interface: &str) -> RouteEntry {
    RouteEntry {
        destination: Prefix::new(dest, len),
        gateway: (flags & RTF_GATEWAY != 0 && !gw.is_unspecified()).then_some(gw),
        interface: interface.to_string(),
    }
}

/// Parses `nmcli -t -f NAME,TYPE,STATE,DEVICE connection show --active` and keeps VPN
/// connections (`vpn`: NetworkManager VPN plugins such as openconnect, openvpn, fortisslvpn;
/// `wireguard`). Pure.
///
/// Terse mode separates fields with `:` and escapes `:` and `\` inside values with `\`.
#[must_use]
pub fn parse_nmcli_active(text: &str) -> Vec<OsVpnService> {
    text.lines()
        .filter_map(|line| {
            let f = split_terse(line);
            if f.len() < 3 {
                return None;
            }
            let kind = f[1].as_str();
            if kind != "vpn" && kind != "wireguard" {
                return None;
            }
            let device = f.get(3).filter(|d| !d.is_empty() && *d != "--").cloned();
            Some(OsVpnService {
                name: f[0].clone(),
                connected: f[2] == "activated",
                kind: kind.to_string(),
                // A `vpn` connection's DEVICE is the underlying link, not the tunnel.
                interface: if kind == "vpn" { None } else { device },
            })
        })
        .collect()
}

fn split_terse(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => cur.extend(chars.next()),
            ':' => fields.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Parses `resolvectl dns` and `resolvectl domain` (lines `Link 5 (tun0): …`) into the links
/// that have both nameservers and search or routing (`~`) domains: the split DNS VPN clients
/// set up through systemd-resolved (openconnect's vpnc-script, NetworkManager). `~.` (the
/// catch-all routing domain) is not a split domain and is left out. Pure.
#[must_use]
pub fn parse_resolvectl(dns: &str, domains: &str) -> Vec<SplitDns> {
    fn links(text: &str) -> Vec<(String, Vec<String>)> {
        text.lines()
            .filter_map(|l| {
                let rest = l.trim().strip_prefix("Link ")?;
                let (_, after) = rest.split_once('(')?;
                let (name, values) = after.split_once("):")?;
                Some((
                    name.to_string(),
                    values.split_whitespace().map(str::to_string).collect(),
                ))
            })
            .collect()
    }
    let servers = links(dns);
    links(domains)
        .into_iter()
        .filter_map(|(name, doms)| {
            let domains: Vec<String> = doms
                .iter()
                .map(|d| d.trim_start_matches('~').to_string())
                .filter(|d| !d.is_empty() && d != ".")
                .collect();
            let nameservers: Vec<IpAddr> = servers
                .iter()
                .find(|(n, _)| *n == name)?
                .1
                .iter()
                .filter_map(|s| s.split(['%', '#']).next()?.parse().ok())
                .collect();
            (!domains.is_empty() && !nameservers.is_empty()).then_some(SplitDns {
                interface: name,
                domains,
                nameservers,
            })
        })
        .collect()
}

/// The interface a tun fd is attached to, from `/proc/PID/fdinfo/FD` (`iff:\ttun0`). Pure.
#[must_use]
pub fn parse_tun_fdinfo(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.strip_prefix("iff:"))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The tun/tap device process `pid` holds open, if any (needs the right to read its fds: the
/// same user, or root).
pub(crate) fn tun_device_of(pid: u32) -> Option<String> {
    let dir = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?;
    for e in dir.flatten() {
        let Ok(target) = std::fs::read_link(e.path()) else {
            continue;
        };
        if target.as_os_str() != "/dev/net/tun" {
            continue;
        }
        let fd = e.file_name();
        let info = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{}", fd.to_string_lossy()));
        if let Some(name) = info.ok().as_deref().and_then(parse_tun_fdinfo) {
            return Some(name);
        }
    }
    None
}

/// True when process `pid` provably lives in another network namespace than this process
/// (both `/proc/*/ns/net` links readable and different).
pub(crate) fn in_other_netns(pid: u32) -> bool {
    let theirs = std::fs::read_link(format!("/proc/{pid}/ns/net"));
    let ours = std::fs::read_link("/proc/self/ns/net");
    matches!((theirs, ours), (Ok(t), Ok(o)) if t != o)
}

fn read_sys(name: &str, file: &str) -> Option<String> {
    std::fs::read_to_string(format!("/sys/class/net/{name}/{file}")).ok()
}

/// Reads interfaces, routes and NetworkManager's VPN connections into `n` (processes are
/// scanned by the caller, per-link DNS is read in [`super::dns`]).
pub(crate) fn read(tools: &dyn Tools, n: &mut Network) {
    std::thread::scope(|scope| {
        // nmcli starts first and runs while the kernel files are read.
        let nm = scope.spawn(|| {
            tools.run(
                "nmcli",
                &[
                    "-t",
                    "-f",
                    "NAME,TYPE,STATE,DEVICE",
                    "connection",
                    "show",
                    "--active",
                ],
            )
        });
        read_kernel(n);
        let nm = nm
            .join()
            .unwrap_or_else(|_| ToolOutput::Failed("panicked".into()));
        read_nmcli(nm, n);
    });
}

/// Interfaces (netdev, kinds from sysfs) and both routing tables (`/proc/net/*route`).
fn read_kernel(n: &mut Network) {
    let ifs = netdev::get_interfaces();
    n.interfaces = interfaces::from_netdev(&ifs, |i| {
        let ty = read_sys(&i.name, "type")?;
        let flags = read_sys(&i.name, "tun_flags");
        let uevent = read_sys(&i.name, "uevent");
        kind_from_sysfs(&ty, flags.as_deref(), uevent.as_deref())
    });
    n.sources.push("interfaces".into());
    match std::fs::read_to_string("/proc/net/route") {
        Ok(t) => {
            n.routes.extend(parse_proc_net_route(&t));
            n.sources.push("routes".into());
        }
        Err(e) => n.notes.push(format!(
            "/proc/net/route unreadable ({e}): IPv4 routes not checked"
        )),
    }
    match std::fs::read_to_string("/proc/net/ipv6_route") {
        Ok(t) => n.routes.extend(parse_proc_net_ipv6_route(&t)),
        // No IPv6 in this kernel (or namespace): nothing to miss.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => n.notes.push(format!(
            "/proc/net/ipv6_route unreadable ({e}): IPv6 routes not checked"
        )),
    }
}

/// NetworkManager's active VPN connections, from what `nmcli` gave.
fn read_nmcli(nm: ToolOutput, n: &mut Network) {
    match nm {
        ToolOutput::Ok(t) => {
            n.services = parse_nmcli_active(&t);
            n.sources.push("nmcli".into());
        }
        ToolOutput::NotFound => n
            .notes
            .push("nmcli not found: NetworkManager VPN connections not checked".into()),
        ToolOutput::TimedOut => n.notes.push(
            "nmcli did not answer in time: NetworkManager VPN connections not checked".into(),
        ),
        ToolOutput::Failed(e) => n.notes.push(format!(
            "nmcli failed ({e}): NetworkManager VPN connections not checked"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = format!("{}/tests/fixtures/linux/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    fn routes_on(r: &[RouteEntry], iface: &str) -> Vec<String> {
        r.iter()
            .filter(|e| e.interface == iface)
            .map(|e| e.destination.to_string())
            .collect()
    }

    #[cfg(target_endian = "little")]
    #[test]
    fn proc_net_route_fixture() {
        let r = parse_proc_net_route(&fixture("proc_net_route"));
        let default = r.iter().find(|e| e.destination.len == 0).unwrap();
        assert_eq!(default.interface, "wlp2s0");
        assert_eq!(default.gateway, Some("192.168.1.1".parse().unwrap()));
        assert_eq!(
            routes_on(&r, "tun0"),
            ["10.14.0.0/16", "198.18.20.0/24", "198.18.30.0/23"]
        );
        assert!(r.iter().all(|e| e.interface != "*"), "reject route dropped");
        let host = r.iter().find(|e| e.destination.is_host()).unwrap();
        assert_eq!(host.destination.to_string(), "198.19.5.7/32");
        assert_eq!(host.interface, "wlp2s0");
    }

    #[test]
    fn proc_net_ipv6_route_fixture() {
        let r = parse_proc_net_ipv6_route(&fixture("proc_net_ipv6_route"));
        assert!(r.iter().all(|e| e.interface != "lo"));
        let default = r.iter().find(|e| e.destination.len == 0).unwrap();
        assert_eq!(default.interface, "wlp2s0");
        assert_eq!(default.gateway, Some("fe80::1".parse().unwrap()));
        assert_eq!(routes_on(&r, "tun0"), ["fd00:1234::/64", "ff00::/8"]);
        // local routes (own addresses) are not routes that carry traffic
        assert!(
            !r.iter()
                .any(|e| e.destination.to_string() == "fd00:1234::2/128")
        );
    }

    #[test]
    fn sysfs_kinds() {
        use InterfaceKind as K;
        assert_eq!(
            kind_from_sysfs("65534\n", Some("0x1801\n"), None),
            Some(K::Tunnel)
        );
        assert_eq!(
            kind_from_sysfs("1\n", Some("0x1802\n"), None),
            Some(K::Tunnel)
        );
        assert_eq!(
            kind_from_sysfs("1\n", None, Some("DEVTYPE=wlan\nINTERFACE=wlp2s0\n")),
            Some(K::Wifi)
        );
        assert_eq!(
            kind_from_sysfs("1\n", None, Some("DEVTYPE=bridge\n")),
            Some(K::Other)
        );
        assert_eq!(
            kind_from_sysfs("1\n", None, Some("INTERFACE=eth0\nIFINDEX=2\n")),
            Some(K::Ethernet)
        );
        assert_eq!(
            kind_from_sysfs("65534\n", None, Some("DEVTYPE=wireguard\n")),
            Some(K::Tunnel)
        );
        assert_eq!(kind_from_sysfs("512\n", None, None), Some(K::Ppp));
        assert_eq!(kind_from_sysfs("772\n", None, None), Some(K::Loopback));
        assert_eq!(kind_from_sysfs("garbage", None, None), None);
    }

    #[test]
    fn sysfs_fixture_files() {
        let ue = fixture("sys_class_net_wg0_uevent");
        assert_eq!(
            kind_from_sysfs("65534", None, Some(&ue)),
            Some(InterfaceKind::Tunnel)
        );
    }

    #[test]
    fn nmcli_fixture() {
        let s = parse_nmcli_active(&fixture("nmcli_active.txt"));
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].name, "HMS VPN: Pulse");
        assert_eq!(s[0].kind, "vpn");
        assert!(s[0].connected);
        assert_eq!(s[0].interface, None);
        assert_eq!(s[1].name, "wg-home");
        assert_eq!(s[1].interface.as_deref(), Some("wg0"));
        assert!(!s[1].connected, "activating is not connected");
    }

    #[test]
    fn resolvectl_fixture() {
        let s = parse_resolvectl(
            &fixture("resolvectl_dns.txt"),
            &fixture("resolvectl_domain.txt"),
        );
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(s[0].interface, "wlp2s0");
        assert_eq!(s[0].domains, ["home"]);
        assert_eq!(s[1].interface, "tun0");
        assert_eq!(s[1].domains, ["med.harvard.edu", "hms.harvard.edu"]);
        assert_eq!(
            s[1].nameservers,
            [
                "10.250.0.53".parse::<IpAddr>().unwrap(),
                "10.250.0.54".parse().unwrap()
            ]
        );
    }

    #[test]
    fn fdinfo() {
        let t = "pos:\t0\nflags:\t02004002\nmnt_id:\t25\nino:\t1054\niff:\ttun0\n";
        assert_eq!(parse_tun_fdinfo(t).as_deref(), Some("tun0"));
        assert_eq!(parse_tun_fdinfo("pos:\t0\nflags:\t02\n"), None);
    }
}
