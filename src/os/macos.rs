//! macOS: interfaces (netdev, or `ifconfig` as a fallback), routes (`netstat -rn`), VPN
//! split-DNS resolvers (`scutil --dns`, which neither `/etc/resolv.conf` nor hickory's system
//! configuration shows; parsed here, read in [`super::dns`]) and OS VPN services (`scutil --nc
//! list`). Parsers are pure and compile on every OS.
//!
//! The trap (issue 3): macOS always has several `utun` interfaces (iCloud Private Relay, Back
//! to My Mac, system extensions) that are up and point-to-point with only a link-local IPv6
//! address, an interface-scoped IPv6 default route and no other route. They are not VPNs; the
//! classifier drops them for having no usable address, and the scoped default is dropped here.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::interfaces;
use super::prefix::Prefix;
use super::types::{Network, OsVpnService, RouteEntry, SplitDns};
use crate::os_tool::Tools;
use crate::report::model::{Interface, InterfaceKind};

/// The report kind of a macOS interface, from its BSD name.
///
/// `utun` (NetworkExtension and kernel-control tunnels), `ipsec` (built-in IKEv2/IPSec), `gif`,
/// `stf` (6in4/6to4 tunnels), `ppp` (L2TP/PPTP), `lo`; `en` can be Wi-Fi or Ethernet and
/// `ifconfig` does not say which.
fn kind_from_name(name: &str) -> InterfaceKind {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    match base {
        "lo" => InterfaceKind::Loopback,
        "utun" | "ipsec" | "gif" | "stf" | "tun" | "tap" => InterfaceKind::Tunnel,
        "ppp" => InterfaceKind::Ppp,
        "en" => InterfaceKind::Ethernet,
        _ => InterfaceKind::Other,
    }
}

/// Parses macOS `ifconfig` (no arguments). MAC addresses (`ether`) are skipped. Pure.
#[must_use]
pub fn parse_ifconfig(text: &str) -> Vec<Interface> {
    let mut out: Vec<Interface> = Vec::new();
    let mut inactive = false;
    let finish = |out: &mut Vec<Interface>, inactive: bool| {
        if let Some(last) = out.last_mut()
            && inactive
        {
            last.up = false;
        }
    };
    for line in text.lines() {
        if !line.starts_with(['\t', ' ']) && line.contains(": flags=") {
            finish(&mut out, inactive);
            inactive = false;
            let (name, rest) = line.split_once(": flags=").unwrap_or((line, ""));
            let flags = rest
                .split_once('<')
                .and_then(|(_, r)| r.split_once('>'))
                .map_or("", |(f, _)| f);
            let flags: Vec<&str> = flags.split(',').collect();
            out.push(Interface {
                name: name.to_string(),
                description: None,
                kind: kind_from_name(name),
                up: flags.contains(&"UP") && flags.contains(&"RUNNING"),
                point_to_point: flags.contains(&"POINTOPOINT"),
                addresses: Vec::new(),
                default_route: false,
            });
            continue;
        }
        let Some(cur) = out.last_mut() else { continue };
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["inet", addr, rest @ ..] => {
                let Ok(a) = addr.parse::<Ipv4Addr>() else {
                    continue;
                };
                let len = rest
                    .iter()
                    .position(|w| *w == "netmask")
                    .and_then(|i| rest.get(i + 1))
                    .and_then(|m| u32::from_str_radix(m.trim_start_matches("0x"), 16).ok())
                    .map_or(32, u32::count_ones);
                cur.addresses.push(format!("{a}/{len}"));
            }
            ["inet6", addr, rest @ ..] => {
                let Ok(a) = addr.split('%').next().unwrap_or(addr).parse::<Ipv6Addr>() else {
                    continue;
                };
                let len = rest
                    .iter()
                    .position(|w| *w == "prefixlen")
                    .and_then(|i| rest.get(i + 1))
                    .and_then(|l| l.parse::<u8>().ok())
                    .unwrap_or(128);
                cur.addresses.push(format!("{a}/{len}"));
            }
            ["status:", "inactive"] => inactive = true,
            _ => {}
        }
    }
    finish(&mut out, inactive);
    out
}

/// Parses a `netstat -rn` destination: `default`, `10.250/16`, `192.168.1` (implied /24),
/// `fe80::%utun0/64`, `198.19.5.7` (host when `H` is among the flags).
fn parse_netstat_destination(dest: &str, v6: bool, host: bool) -> Option<Prefix> {
    if dest == "default" {
        let addr = if v6 {
            IpAddr::V6(Ipv6Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        };
        return Some(Prefix::new(addr, 0));
    }
    let (addr, len) = match dest.split_once('/') {
        Some((a, l)) => (a, Some(l.parse::<u8>().ok()?)),
        None => (dest, None),
    };
    let addr = addr.split('%').next().unwrap_or(addr);
    if v6 {
        let a: Ipv6Addr = addr.parse().ok()?;
        return Some(Prefix::new(IpAddr::V6(a), len.unwrap_or(128)));
    }
    // BSD abbreviates IPv4 networks: as many octets as the (classful) mask covers.
    let octets: Vec<u8> = addr
        .split('.')
        .map(str::parse::<u8>)
        .collect::<Result<_, _>>()
        .ok()?;
    if octets.is_empty() || octets.len() > 4 {
        return None;
    }
    let mut b = [0u8; 4];
    b[..octets.len()].copy_from_slice(&octets);
    let implied = if host || octets.len() == 4 {
        32
    } else {
        u8::try_from(octets.len() * 8).ok()?
    };
    Some(Prefix::new(
        IpAddr::V4(Ipv4Addr::from(b)),
        len.unwrap_or(implied),
    ))
}

/// Where the interface sits among a `netstat -rn` row's words, read from the table's header.
///
/// The columns differ by macOS version and table: 10.14 and earlier print `Refs` and `Use`
/// before `Netif` in the IPv4 table (and, with `-l`, `Mtu`), their IPv6 table does not, and
/// 10.15 and later drop `Refs` and `Use` everywhere. Every column before `Netif` is a single
/// word that is never empty, so the header's word position is the row's word position.
fn netif_column(header: &[&str]) -> Option<usize> {
    header.iter().position(|w| *w == "Netif")
}

/// Without a header (a cut-down capture), the interface is the first word after the flags
/// that is not a number: the optional `Refs`, `Use` and `Mtu` columns are always numbers
/// and interface names never are.
fn guess_netif_column(row: &[&str]) -> Option<usize> {
    (3..row.len()).find(|&i| !row[i].bytes().all(|b| b.is_ascii_digit()))
}

/// Parses macOS `netstat -rn` (both families, any macOS version: the interface column is
/// found from each table's header). Drops link-layer entries (`L` flag: ARP/NDP cache, whose
/// gateway is a MAC address) and interface-scoped default routes (`I` flag: each interface's
/// own default, not the system's). Pure.
#[must_use]
pub fn parse_netstat_rn(text: &str) -> Vec<RouteEntry> {
    let mut v6 = false;
    let mut netif_at: Option<usize> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t == "Internet:" || t == "Internet6:" {
            v6 = t == "Internet6:";
            netif_at = None;
            continue;
        }
        let f: Vec<&str> = t.split_whitespace().collect();
        if f.first() == Some(&"Destination") {
            netif_at = netif_column(&f);
            continue;
        }
        if f.len() < 4 {
            continue;
        }
        let Some(netif) = netif_at
            .or_else(|| guess_netif_column(&f))
            .and_then(|i| f.get(i).copied())
        else {
            continue;
        };
        let (dest, gw, flags) = (f[0], f[1], f[2]);
        if flags.contains('L') {
            continue;
        }
        let Some(destination) = parse_netstat_destination(dest, v6, flags.contains('H')) else {
            continue;
        };
        if destination.len == 0 && flags.contains('I') {
            continue;
        }
        let gateway = gw
            .split('%')
            .next()
            .and_then(|g| g.parse::<IpAddr>().ok())
            .filter(|g| flags.contains('G') && !g.is_unspecified());
        out.push(RouteEntry {
            destination,
            gateway,
            interface: netif.to_string(),
        });
    }
    out
}

/// Parses `scutil --dns` and returns the split-DNS resolvers: those of the unscoped section
/// that answer only for some domains (a `domain` line, or the `Supplemental` flag), skipping
/// mDNS; a resolver listed twice with the same domains and servers is returned once. Pure.
#[must_use]
pub fn parse_scutil_dns(text: &str) -> Vec<SplitDns> {
    #[derive(Default)]
    struct R {
        domain: Option<String>,
        search: Vec<String>,
        ns: Vec<IpAddr>,
        iface: String,
        supplemental: bool,
        mdns: bool,
    }
    let mut resolvers: Vec<R> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("DNS configuration (for scoped") {
            break;
        }
        if t.starts_with("resolver #") {
            resolvers.push(R::default());
            continue;
        }
        let Some(r) = resolvers.last_mut() else {
            continue;
        };
        let Some((k, v)) = t.split_once(':') else {
            continue;
        };
        let (k, v) = (k.trim(), v.trim());
        if k == "domain" {
            r.domain = Some(v.trim_end_matches('.').to_string());
        } else if k.starts_with("search domain") {
            r.search.push(v.to_string());
        } else if k.starts_with("nameserver") {
            if let Ok(ip) = v.split('%').next().unwrap_or(v).parse() {
                r.ns.push(ip);
            }
        } else if k == "if_index" {
            r.iface = v
                .split_once('(')
                .and_then(|(_, n)| n.strip_suffix(')'))
                .unwrap_or("")
                .to_string();
        } else if k == "flags" {
            r.supplemental = v.contains("Supplemental");
        } else if k == "options" {
            r.mdns = v.contains("mdns");
        }
    }
    let mut out: Vec<SplitDns> = Vec::new();
    let split = resolvers
        .into_iter()
        .filter(|r| !r.mdns && !r.ns.is_empty() && (r.domain.is_some() || r.supplemental))
        .map(|r| SplitDns {
            interface: r.iface,
            domains: r.domain.into_iter().chain(r.search).collect(),
            nameservers: r.ns,
        });
    // Tailscale lists its tailnet twice (a search-domain and a domain resolver, same servers).
    for s in split {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Parses `scutil --nc list`: one OS VPN service per line,
/// `* (Connected)  UUID  TYPE  "Name"  [Kind]`. Pure.
#[must_use]
pub fn parse_scutil_nc_list(text: &str) -> Vec<OsVpnService> {
    text.lines()
        .filter_map(|line| {
            let open = line.find('(')?;
            let close = open + line[open..].find(')')?;
            let state = &line[open + 1..close];
            let q1 = line.find('"')?;
            let q2 = q1 + 1 + line[q1 + 1..].find('"')?;
            let name = &line[q1 + 1..q2];
            let kind = line[q2..]
                .rfind('[')
                .and_then(|b| {
                    let s = &line[q2 + b + 1..];
                    s.find(']').map(|e| &s[..e])
                })
                .unwrap_or("");
            Some(OsVpnService {
                name: name.to_string(),
                connected: state == "Connected",
                kind: kind.to_string(),
                interface: None,
            })
        })
        .collect()
}

/// Reads interfaces, routes and OS VPN services into `n` (processes are scanned by the
/// caller, the per-domain resolvers are read in [`super::dns`]).
pub(crate) fn read(tools: &dyn Tools, n: &mut Network) {
    let ifs = netdev::get_interfaces();
    if ifs.is_empty() {
        if let Some(t) =
            tools.run_noted("ifconfig", &[], "interfaces", &mut n.sources, &mut n.notes)
        {
            n.interfaces = parse_ifconfig(&t);
        }
    } else {
        n.interfaces = interfaces::from_netdev(&ifs, |i| {
            let k = kind_from_name(&i.name);
            (k != InterfaceKind::Other && k != InterfaceKind::Ethernet).then_some(k)
        });
        n.sources.push("interfaces".into());
    }
    if let Some(t) = tools.run_noted("netstat", &["-rn"], "routes", &mut n.sources, &mut n.notes) {
        n.routes = parse_netstat_rn(&t);
    }
    let mut ran = Vec::new();
    if let Some(t) = tools.run_noted(
        "scutil",
        &["--nc", "list"],
        "OS VPN services",
        &mut ran,
        &mut n.notes,
    ) {
        n.services = parse_scutil_nc_list(&t);
        n.sources.push("scutil --nc list".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = format!("{}/tests/fixtures/macos/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn ifconfig_fixture() {
        let ifs = parse_ifconfig(&fixture("ifconfig_pulse.txt"));
        let names: Vec<&str> = ifs.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "lo0", "gif0", "stf0", "anpi0", "en0", "awdl0", "llw0", "utun0", "utun1", "utun2",
                "utun3", "utun4"
            ]
        );
        let en0 = &ifs[4];
        assert!(en0.up && !en0.point_to_point);
        assert_eq!(
            en0.addresses,
            [
                "fe80::1c2f:3a4b:5c6d:7e8f/64",
                "192.168.1.23/24",
                "2601:18c:8000:1f0:10a2:5b3c:9d4e:6f70/64"
            ]
        );
        assert!(!ifs[3].up, "anpi0 status: inactive");
        assert!(!ifs[1].up, "gif0 has no UP flag");
        let utun0 = &ifs[7];
        assert!(utun0.up && utun0.point_to_point);
        assert_eq!(utun0.kind, InterfaceKind::Tunnel);
        assert_eq!(utun0.addresses, ["fe80::6d2a:11f0:9b3c:4e21/64"]);
        let utun4 = &ifs[11];
        assert_eq!(utun4.addresses[0], "10.250.3.17/32");
        let text = format!("{ifs:?}");
        assert!(!text.contains("3c:22:fb"), "no MAC address kept");
    }

    #[test]
    fn netstat_fixture() {
        let r = parse_netstat_rn(&fixture("netstat_rn_pulse.txt"));
        let show = |iface: &str| -> Vec<String> {
            r.iter()
                .filter(|e| e.interface == iface)
                .map(|e| e.destination.to_string())
                .collect()
        };
        assert_eq!(
            show("utun4"),
            [
                "10.250.0.0/16",
                "10.250.3.17/32",
                "198.18.20.0/24",
                "224.0.0.0/4",
                "fe80::/64",
                "ff00::/8"
            ]
        );
        // The scoped defaults of the system utuns and of en0 are dropped; no default remains
        // because Pulse here is split-tunnel.
        assert!(r.iter().all(|e| e.destination.len != 0), "{r:?}");
        assert_eq!(show("utun0"), ["fe80::/64", "ff00::/8", "ff02::/32"]);
        assert_eq!(
            show("lo0"),
            [
                "127.0.0.0/8",
                "127.0.0.1/32",
                "fe80::/64",
                "ff00::/8",
                "ff01::/32"
            ]
        );
        let host = r
            .iter()
            .find(|e| e.destination.to_string() == "198.19.5.7/32")
            .unwrap();
        assert_eq!(host.interface, "en0");
        assert_eq!(host.gateway, Some("192.168.1.1".parse().unwrap()));
        assert!(show("en0").contains(&"192.168.1.0/24".to_string()));
        assert!(show("en0").contains(&"169.254.0.0/16".to_string()));
    }

    #[test]
    fn destinations() {
        let p = |d, v6, h| parse_netstat_destination(d, v6, h).map(|p| p.to_string());
        assert_eq!(p("default", false, false).as_deref(), Some("0.0.0.0/0"));
        assert_eq!(p("default", true, false).as_deref(), Some("::/0"));
        assert_eq!(
            p("10.250/16", false, false).as_deref(),
            Some("10.250.0.0/16")
        );
        assert_eq!(p("127", false, false).as_deref(), Some("127.0.0.0/8"));
        assert_eq!(p("0/1", false, false).as_deref(), Some("0.0.0.0/1"));
        assert_eq!(p("128.0/1", false, false).as_deref(), Some("128.0.0.0/1"));
        assert_eq!(p("10.1.2.3", false, true).as_deref(), Some("10.1.2.3/32"));
        assert_eq!(p("link#4", false, false), None);
    }

    #[test]
    fn scutil_dns_fixture() {
        let s = parse_scutil_dns(&fixture("scutil_dns_pulse.txt"));
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(s[0].interface, "utun4");
        assert_eq!(s[0].domains, ["med.harvard.edu"]);
        assert_eq!(
            s[0].nameservers,
            [
                "10.250.0.53".parse::<IpAddr>().unwrap(),
                "10.250.0.54".parse().unwrap()
            ]
        );
    }

    #[test]
    fn scutil_nc_fixture() {
        let s = parse_scutil_nc_list(&fixture("scutil_nc_list.txt"));
        assert_eq!(s.len(), 4);
        assert_eq!(s[0].name, "Cisco AnyConnect");
        assert!(s[0].connected);
        assert_eq!(s[0].kind, "VPN:com.cisco.anyconnect");
        assert_eq!(s[1].name, "Lab L2TP");
        assert_eq!(s[1].kind, "PPP:L2TP");
        assert!(!s[1].connected);
        assert_eq!(s[3].kind, "VPN:com.wireguard.macos");
    }
}

#[cfg(test)]
#[path = "macos_captures_tests.rs"]
mod captures_tests;
