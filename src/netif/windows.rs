//! Windows: interfaces from netdev (GetAdaptersAddresses: friendly name and description), or
//! parsed from `ipconfig /all`; routes from `route print`; the built-in VPN's connections from
//! `rasdial`. Parsers are pure, compile on every OS, and rely on the shape of each line rather
//! than on its (localised) words wherever they can.
//!
//! PowerShell (`Get-NetRoute`, `Get-VpnConnection`) is not used at run time: starting it takes
//! several hundred milliseconds, ten times the budget of `hmsaccess interfaces`.

use std::net::{IpAddr, Ipv4Addr};

use super::run::run_noted;
use super::{Collected, OsVpnService, Prefix, RouteEntry, clients};
use crate::report::model::Interface;

/// How a `route print` row names its interface.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfRef {
    /// IPv4 table: the interface's own address.
    Addr(IpAddr),
    /// IPv6 table: the interface index (`If`).
    Index(u32),
}

/// One row of `route print`, before the interface is put by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRoute {
    /// Where it leads.
    pub destination: Prefix,
    /// Next hop; None for `On-link`.
    pub gateway: Option<IpAddr>,
    /// The interface.
    pub via: IfRef,
}

/// Parses `route print`: the interface list (index and description; the MAC column is
/// skipped) and both route tables' active routes. Pure.
#[must_use]
pub fn parse_route_print(text: &str) -> (Vec<(u32, String)>, Vec<RawRoute>) {
    let mut ifs = Vec::new();
    let mut routes = Vec::new();
    let mut persistent = false;
    let mut pending_v6: Option<(u32, Prefix)> = None;
    for line in text.lines() {
        let t = line.trim();
        // Interface list: ` 18...00 ff 2a 3b 4c 5d ......<adapter description>`.
        if let Some((idx, rest)) = t.split_once("...")
            && let Ok(idx) = idx.trim().parse::<u32>()
        {
            let desc = rest.rsplit_once("..").map_or_else(
                || {
                    rest.split_whitespace()
                        .skip(8)
                        .collect::<Vec<_>>()
                        .join(" ")
                },
                |(_, d)| d.to_string(),
            );
            let desc = desc.trim_start_matches('.').trim().to_string();
            ifs.push((idx, desc));
            continue;
        }
        // Rows are recognised by their shape (section titles are localised); the
        // "Persistent Routes" list (English title) is skipped up to the next `====` line.
        if t.starts_with("=====") {
            persistent = false;
            continue;
        }
        let f: Vec<&str> = t.split_whitespace().collect();
        if let Some((ifindex, dest)) = pending_v6.take()
            && f.len() == 1
        {
            routes.push(RawRoute {
                destination: dest,
                gateway: f[0].parse().ok(),
                via: IfRef::Index(ifindex),
            });
            continue;
        }
        if t.starts_with("Persistent Routes") {
            persistent = true;
            continue;
        }
        if persistent {
            continue;
        }
        // IPv4: `dest  netmask  gateway|On-link  interface  metric`.
        if f.len() == 5
            && let (Ok(d), Ok(m), Ok(i), Ok(_)) = (
                f[0].parse::<Ipv4Addr>(),
                f[1].parse::<Ipv4Addr>(),
                f[3].parse::<Ipv4Addr>(),
                f[4].parse::<u32>(),
            )
        {
            let len = u8::try_from(u32::from(m).count_ones()).unwrap_or(32);
            routes.push(RawRoute {
                destination: Prefix::new(IpAddr::V4(d), len),
                gateway: f[2].parse().ok(),
                via: IfRef::Addr(IpAddr::V4(i)),
            });
            continue;
        }
        // IPv6: `if  metric  dest/len  gateway|On-link`, the gateway wrapping onto the next
        // line when the destination is long.
        if (f.len() == 3 || f.len() == 4)
            && let (Ok(ifindex), Ok(_), Ok(dest)) = (
                f[0].parse::<u32>(),
                f[1].parse::<u32>(),
                f[2].parse::<Prefix>(),
            )
        {
            if f.len() == 3 {
                pending_v6 = Some((ifindex, dest));
            } else {
                routes.push(RawRoute {
                    destination: dest,
                    gateway: f[3].split('%').next().and_then(|g| g.parse().ok()),
                    via: IfRef::Index(ifindex),
                });
            }
        }
    }
    (ifs, routes)
}

/// Puts routes on interfaces by name: IPv4 rows by local address, IPv6 rows by index. Rows
/// whose interface is unknown are dropped. Pure.
#[must_use]
pub fn resolve_routes(raw: &[RawRoute], ifs: &[(u32, String, Vec<IpAddr>)]) -> Vec<RouteEntry> {
    raw.iter()
        .filter_map(|r| {
            let name = ifs.iter().find(|(idx, _, addrs)| match &r.via {
                IfRef::Addr(a) => addrs.contains(a),
                IfRef::Index(i) => idx == i,
            })?;
            Some(RouteEntry {
                destination: r.destination,
                gateway: r.gateway.filter(|g| !g.is_unspecified()),
                interface: name.1.clone(),
            })
        })
        .collect()
}

/// Parses `ipconfig /all` (English) into interfaces: the name from `… adapter NAME:`, the
/// description, addresses (IPv4 with its subnet mask; IPv6 without a prefix length, which
/// ipconfig does not print: link-local taken as /64, others as /128), and `Media disconnected`
/// as down. Physical addresses are skipped. Also returns each adapter's index from the `%N`
/// zone of its link-local address, when present. Pure.
#[must_use]
pub fn parse_ipconfig_all(text: &str) -> Vec<(Interface, Option<u32>)> {
    let mut out: Vec<(Interface, Option<u32>)> = Vec::new();
    let mut pending_v4: Option<Ipv4Addr> = None;
    for line in text.lines() {
        if !line.starts_with(' ') && line.trim_end().ends_with(':') && line.contains(" adapter ") {
            flush_v4(&mut out, &mut pending_v4, 32);
            let (kind_word, name) = line
                .trim_end()
                .trim_end_matches(':')
                .split_once(" adapter ")
                .unwrap_or(("", ""));
            let kind = match kind_word {
                "Wireless LAN" => "wifi",
                "Ethernet" => "ethernet",
                "PPP" => "ppp",
                "Tunnel" => "tunnel",
                _ => "other",
            };
            out.push((
                Interface {
                    name: name.to_string(),
                    kind: kind.to_string(),
                    up: true,
                    ..Interface::default()
                },
                None,
            ));
            continue;
        }
        let Some((key, value)) = line.split_once(" : ") else {
            continue;
        };
        let key = key.trim().trim_end_matches(['.', ' ']);
        let value = value.trim();
        let clean = value.split('(').next().unwrap_or(value).trim();
        match key {
            "IPv4 Address" | "Autoconfiguration IPv4 Address" => {
                if let Ok(a) = clean.parse::<Ipv4Addr>() {
                    flush_v4(&mut out, &mut pending_v4, 32);
                    pending_v4 = Some(a);
                }
                continue;
            }
            "Subnet Mask" => {
                if let Ok(m) = clean.parse::<Ipv4Addr>() {
                    flush_v4(&mut out, &mut pending_v4, u32::from(m).count_ones());
                }
                continue;
            }
            _ => {}
        }
        let Some((cur, index)) = out.last_mut() else {
            continue;
        };
        match key {
            "Description" => {
                cur.description = Some(value.to_string());
                if clients::from_adapter(value).is_some() {
                    cur.kind = "tunnel".into();
                }
            }
            "Media State" if value.contains("disconnected") => cur.up = false,
            "IPv6 Address" | "Temporary IPv6 Address" | "Link-local IPv6 Address" => {
                let (addr, zone) = clean
                    .split_once('%')
                    .map_or((clean, None), |(a, z)| (a, Some(z)));
                if let Ok(a) = addr.parse::<std::net::Ipv6Addr>() {
                    let len = if key.starts_with("Link-local") {
                        64
                    } else {
                        128
                    };
                    cur.addresses.push(format!("{a}/{len}"));
                    if let Some(z) = zone.and_then(|z| z.parse().ok()) {
                        *index = Some(z);
                    }
                }
            }
            _ => {}
        }
    }
    flush_v4(&mut out, &mut pending_v4, 32);
    out
}

fn flush_v4(out: &mut [(Interface, Option<u32>)], pending: &mut Option<Ipv4Addr>, len: u32) {
    if let (Some(a), Some((cur, _))) = (pending.take(), out.last_mut()) {
        cur.addresses.push(format!("{a}/{len}"));
    }
}

/// Parses `rasdial` (no arguments): the names of the connected built-in VPN connections
/// (between `Connected to` and the closing `Command completed successfully.`). Pure.
#[must_use]
pub fn parse_rasdial(text: &str) -> Vec<OsVpnService> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.first() != Some(&"Connected to") {
        return Vec::new();
    }
    lines[1..]
        .iter()
        .take_while(|l| !l.starts_with("Command completed"))
        .map(|name| OsVpnService {
            name: (*name).to_string(),
            connected: true,
            kind: "RAS".into(),
            // The RAS adapter's friendly name is the connection's name.
            interface: Some((*name).to_string()),
        })
        .collect()
}

/// Reads everything Windows offers into `c` (processes are scanned by the caller).
pub(crate) fn collect(c: &mut Collected) {
    let ifs = netdev::get_interfaces();
    c.interfaces = super::interfaces_from_netdev(&ifs, |i| {
        let d = i.description.as_deref().unwrap_or("");
        clients::from_adapter(d).map(|_| "tunnel")
    });
    c.sources.push("interfaces".into());
    if let Some(t) = run_noted("route", &["print"], "routes", &mut c.sources, &mut c.notes) {
        let (_, raw) = parse_route_print(&t);
        let table: Vec<(u32, String, Vec<IpAddr>)> = ifs
            .iter()
            .map(|i| {
                (
                    i.index,
                    i.friendly_name.clone().unwrap_or_else(|| i.name.clone()),
                    i.ip_addrs(),
                )
            })
            .collect();
        c.routes = resolve_routes(&raw, &table);
    }
    if let Some(t) = run_noted(
        "rasdial",
        &[],
        "Windows VPN connections",
        &mut c.sources,
        &mut c.notes,
    ) {
        c.services = parse_rasdial(&t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = format!(
            "{}/tests/fixtures/windows/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    #[test]
    fn route_print_fixture() {
        let (ifs, raw) = parse_route_print(&fixture("route_print_pulse.txt"));
        assert_eq!(ifs.len(), 6);
        assert_eq!(ifs[0], (18, "Juniper Networks Virtual Adapter".to_string()));
        assert_eq!(ifs[4], (1, "Software Loopback Interface 1".to_string()));
        assert_eq!(
            ifs[5],
            (15, "Microsoft Teredo Tunneling Adapter".to_string())
        );
        assert!(!format!("{ifs:?}").contains("3c 22"), "no MAC kept");
        let v4: Vec<&RawRoute> = raw
            .iter()
            .filter(|r| r.destination.addr.is_ipv4())
            .collect();
        assert_eq!(v4.len(), 18);
        assert_eq!(v4[0].destination.to_string(), "0.0.0.0/0");
        assert_eq!(v4[0].gateway, Some("192.168.1.1".parse().unwrap()));
        assert_eq!(v4[1].gateway, None, "On-link");
        let v6: Vec<&RawRoute> = raw
            .iter()
            .filter(|r| r.destination.addr.is_ipv6())
            .collect();
        assert_eq!(v6.len(), 11);
        let wrapped = v6
            .iter()
            .find(|r| r.destination.to_string() == "fe80::5c1e:9d2a:77b1:4a10/128")
            .unwrap();
        assert_eq!(wrapped.via, IfRef::Index(18));

        let table = vec![
            (
                18,
                "Ethernet 2".to_string(),
                vec!["10.250.3.17".parse().unwrap()],
            ),
            (
                12,
                "Wi-Fi".to_string(),
                vec!["192.168.1.23".parse().unwrap()],
            ),
            (
                1,
                "Loopback Pseudo-Interface 1".to_string(),
                vec!["127.0.0.1".parse().unwrap()],
            ),
        ];
        let r = resolve_routes(&raw, &table);
        let on = |n: &str| -> Vec<String> {
            r.iter()
                .filter(|e| e.interface == n)
                .map(|e| e.destination.to_string())
                .collect()
        };
        assert!(on("Ethernet 2").contains(&"198.18.20.0/24".to_string()));
        assert!(on("Ethernet 2").contains(&"fe80::/64".to_string()));
        assert!(on("Wi-Fi").contains(&"0.0.0.0/0".to_string()));
        assert!(on("Wi-Fi").contains(&"::/0".to_string()));
    }

    #[test]
    fn ipconfig_fixture() {
        let ifs = parse_ipconfig_all(&fixture("ipconfig_all_pulse.txt"));
        let names: Vec<&str> = ifs.iter().map(|(i, _)| i.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Ethernet 2",
                "Ethernet 3",
                "Local Area Connection* 1",
                "Wi-Fi",
                "Teredo Tunneling Pseudo-Interface"
            ]
        );
        let (pulse, idx) = &ifs[0];
        assert_eq!(
            pulse.description.as_deref(),
            Some("Juniper Networks Virtual Adapter")
        );
        assert_eq!(pulse.kind, "tunnel");
        assert!(pulse.up);
        assert_eq!(
            pulse.addresses,
            ["fe80::5c1e:9d2a:77b1:4a10/64", "10.250.3.17/16"]
        );
        assert_eq!(*idx, Some(18));
        let (gp, _) = &ifs[1];
        assert!(!gp.up, "media disconnected");
        assert_eq!(gp.kind, "tunnel");
        let (wifi, _) = &ifs[3];
        assert_eq!(wifi.kind, "wifi");
        assert!(wifi.addresses.contains(&"192.168.1.23/24".to_string()));
        let text = format!("{ifs:?}");
        assert!(!text.contains("3C-22-FB"), "no MAC kept");
    }

    #[test]
    fn rasdial_fixtures() {
        let s = parse_rasdial(&fixture("rasdial_connected.txt"));
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["HMS VPN", "Lab SSTP"]);
        assert!(s.iter().all(|s| s.connected));
        assert!(parse_rasdial(&fixture("rasdial_none.txt")).is_empty());
    }
}
