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

mod ipconfig;
pub use ipconfig::{parse_ipconfig_all, parse_ipconfig_dns};

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
///
/// Every word `route print` prints is localised ("On-link" is "Auf Verbindung" in German and
/// "En vínculo" in Spanish; the section titles change too), and a console in a legacy code
/// page turns accented letters into replacement characters. So lines are told apart by shape
/// alone: an IPv4 row is destination, mask, gateway (an address, or any number of words),
/// interface address and metric; an IPv6 row is interface index, metric, destination and
/// gateway, the gateway wrapping onto the next line after a long destination. The two
/// headings of each table ("Active Routes:" then "Persistent Routes:", in any language) are
/// the lines ending in a colon; rows after every second one are persistent and skipped.
#[must_use]
pub fn parse_route_print(text: &str) -> (Vec<(u32, String)>, Vec<RawRoute>) {
    let mut ifs = Vec::new();
    let mut routes = Vec::new();
    let mut headings = 0usize;
    let mut pending_v6: Option<(u32, Prefix)> = None;
    for line in text.lines() {
        let t = line.trim();
        let f: Vec<&str> = t.split_whitespace().collect();
        if let Some((ifindex, dest)) = pending_v6.take() {
            let wrapped = !f.is_empty() && !t.starts_with('=') && v6_row(&f).is_none();
            routes.push(RawRoute {
                destination: dest,
                gateway: if wrapped { gateway_words(&f) } else { None },
                via: IfRef::Index(ifindex),
            });
            if wrapped {
                continue;
            }
        }
        if let Some(entry) = interface_list_entry(t) {
            ifs.push(entry);
            continue;
        }
        let persistent = headings > 0 && headings.is_multiple_of(2);
        if let Some(r) = v4_row(&f) {
            if !persistent {
                routes.push(r);
            }
        } else if let Some((ifindex, dest, gateway)) = v6_row(&f) {
            if persistent {
                continue;
            }
            match gateway {
                Some(words) => routes.push(RawRoute {
                    destination: dest,
                    gateway: gateway_words(words),
                    via: IfRef::Index(ifindex),
                }),
                None => pending_v6 = Some((ifindex, dest)),
            }
        } else if t.ends_with(':') || t.ends_with('\u{ff1a}') {
            headings += 1;
        }
    }
    if let Some((ifindex, dest)) = pending_v6 {
        routes.push(RawRoute {
            destination: dest,
            gateway: None,
            via: IfRef::Index(ifindex),
        });
    }
    (ifs, routes)
}

/// An interface-list line: ` 18...00 ff 2a 3b 4c 5d ......<adapter description>`,
/// `  1...........................Software Loopback Interface 1`, or with an 8-byte address
/// and no dots before the description (` 13...00 00 00 00 00 00 00 e0 Microsoft ISATAP`).
fn interface_list_entry(t: &str) -> Option<(u32, String)> {
    let (idx, rest) = t.split_once("...")?;
    let idx = idx.trim().parse::<u32>().ok()?;
    let desc = rest.rsplit_once("..").map_or_else(
        || {
            rest.split_whitespace()
                .skip(8)
                .collect::<Vec<_>>()
                .join(" ")
        },
        |(_, d)| d.to_string(),
    );
    Some((idx, desc.trim_start_matches('.').trim().to_string()))
}

/// A gateway column: one address, or words ("On-link" in the system's language).
fn gateway_words(words: &[&str]) -> Option<IpAddr> {
    match words {
        [one] => one.split('%').next().and_then(|g| g.parse().ok()),
        _ => None,
    }
}

/// An IPv4 route row: `dest mask gateway… interface metric`, the mask a valid netmask.
fn v4_row(f: &[&str]) -> Option<RawRoute> {
    let [dest, mask, gateway @ .., iface, metric] = f else {
        return None;
    };
    if gateway.is_empty() {
        return None;
    }
    let dest = dest.parse::<Ipv4Addr>().ok()?;
    let mask = u32::from(mask.parse::<Ipv4Addr>().ok()?);
    let iface = iface.parse::<Ipv4Addr>().ok()?;
    metric.parse::<u32>().ok()?;
    if mask.leading_ones() != mask.count_ones() {
        return None;
    }
    let len = u8::try_from(mask.count_ones()).ok()?;
    Some(RawRoute {
        destination: Prefix::new(IpAddr::V4(dest), len),
        gateway: gateway_words(gateway),
        via: IfRef::Addr(IpAddr::V4(iface)),
    })
}

/// An IPv6 route row: `if metric dest/len [gateway…]`; the gateway words, or None when they
/// wrapped onto the next line.
fn v6_row<'a>(f: &'a [&'a str]) -> Option<(u32, Prefix, Option<&'a [&'a str]>)> {
    let [ifindex, metric, dest, gateway @ ..] = f else {
        return None;
    };
    let ifindex = ifindex.parse::<u32>().ok()?;
    metric.parse::<u32>().ok()?;
    let dest = dest.parse::<Prefix>().ok().filter(|p| p.addr.is_ipv6())?;
    Some((ifindex, dest, (!gateway.is_empty()).then_some(gateway)))
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

/// Parses `rasdial` (no arguments): the names of the connected built-in VPN connections.
///
/// rasdial prints a heading (`Connected to`), one connection name per line and a closing
/// line (`Command completed successfully.`), or just `No connections` and the closing line;
/// the words are localised. English is read by its words; in another language the lines
/// between the first and the last are the names (two lines in all means none). Pure.
#[must_use]
pub fn parse_rasdial(text: &str) -> Vec<OsVpnService> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let names: &[&str] = match lines.as_slice() {
        ["Connected to", rest @ ..] => {
            let end = rest
                .iter()
                .position(|l| l.starts_with("Command completed"))
                .unwrap_or(rest.len());
            &rest[..end]
        }
        [first, names @ .., _] if !first.starts_with("No connections") => names,
        _ => &[],
    };
    names
        .iter()
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

    /// Hand-written shapes (no real capture of a localised rasdial was found): the words of
    /// the heading and closing lines stand for any language.
    #[test]
    fn rasdial_localised_by_shape() {
        let s = parse_rasdial("Verbunden mit\r\nHMS VPN\r\nBefehl erfolgreich.\r\n");
        let names: Vec<&str> = s.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["HMS VPN"]);
        assert!(parse_rasdial("Keine Verbindungen\r\nBefehl erfolgreich.\r\n").is_empty());
        assert!(parse_rasdial("").is_empty());
        let english_cut = parse_rasdial("Connected to\r\nHMS VPN\r\n");
        assert_eq!(english_cut.len(), 1, "closing line missing");
    }
}
